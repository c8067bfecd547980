/*
 * page.h - struct page: one per physical page frame, and the page allocator.
 *
 * Every frame of RAM has a struct page in mem_map[], indexed by its page frame
 * number (pfn = physical address / 4096). The reference count says how many
 * users the frame has: a page-table entry that maps it, a page cache, a
 * kernel pointer. alloc_pages() returns a block with count 1; put_page()
 * frees it when the count drops to 0. Copy-on-write is built on this count.
 *
 * Free frames live in a buddy allocator: blocks of 2^order pages, order 0
 * (4 KiB) to MAX_ORDER (2^10 pages = 4 MiB), naturally aligned. Order 9 is a
 * 2 MiB huge page.
 */
#ifndef MOO_MM_PAGE_H
#define MOO_MM_PAGE_H

#include "mm/kenv.h"
#include "mm/list.h"
#include "mm/memlayout.h"

#define PAGE_SHIFT  12
#define PAGE_SIZE   (1UL << PAGE_SHIFT)
#define PAGE_MASK   (~(PAGE_SIZE - 1))
#define MAX_ORDER   10
#define HPAGE_ORDER 9 /* 2 MiB */

#define PAGE_ALIGN(x)    (((x) + PAGE_SIZE - 1) & PAGE_MASK)
#define ALIGN_UP(x, a)   (((x) + (a)-1) & ~((typeof(x))(a)-1))
#define ALIGN_DOWN(x, a) ((x) & ~((typeof(x))(a)-1))

/* struct page flags */
#define PG_reserved (1u << 0) /* not RAM, or the kernel/boot data: never freed */
#define PG_buddy    (1u << 1) /* head of a free block in the buddy allocator */
#define PG_slab     (1u << 2) /* owned by a slab cache (mm/slab.c) */
#define PG_head     (1u << 3) /* first page of an allocated block of order > 0 */
#define PG_anon     (1u << 4) /* anonymous memory of a process (not page cache) */
#define PG_dirty    (1u << 5) /* page-cache page written through a shared mapping */
#define PG_zero     (1u << 6) /* the shared zero page */

struct kmem_cache;
struct address_space;

struct page {
	uint32_t flags;
	int32_t refcount;     /* users of this frame; 0 = free (Linux: _refcount) */
	uint8_t order;        /* block order, valid with PG_buddy or PG_head */
	uint32_t inuse;       /* slab: slots in use; page table: non-zero entries */
	struct list_head lru; /* buddy free list or slab list */
	union {
		struct { /* PG_slab */
			struct kmem_cache *slab_cache;
			void *freelist;
		};
		struct { /* page cache */
			struct address_space *mapping;
			unsigned long index; /* offset in the file, in pages */
		};
	};
};

extern struct page *mem_map;
extern unsigned long max_pfn;

static inline unsigned long page_to_pfn(const struct page *p)
{
	return (unsigned long)(p - mem_map);
}

static inline struct page *pfn_to_page(unsigned long pfn)
{
	return &mem_map[pfn];
}

static inline phys_addr_t page_to_phys(const struct page *p)
{
	return (phys_addr_t)page_to_pfn(p) << PAGE_SHIFT;
}

static inline struct page *phys_to_page(phys_addr_t pa)
{
	return pfn_to_page(pa >> PAGE_SHIFT);
}

/* page_address: the page's contents, through the direct map. */
static inline void *page_address(const struct page *p)
{
	return phys_to_virt(page_to_phys(p));
}

static inline struct page *virt_to_page(const void *va)
{
	return phys_to_page(virt_to_phys(va));
}

static inline int page_count(const struct page *p)
{
	return __atomic_load_n(&p->refcount, __ATOMIC_RELAXED);
}

static inline void get_page(struct page *p)
{
	BUG_ON(page_count(p) <= 0);
	__atomic_add_fetch(&p->refcount, 1, __ATOMIC_RELAXED);
}

struct memmap;

/*
 * page_alloc_init: build mem_map[] (placed below limit) and free the usable
 * frames of mm below limit. At boot, limit is the end of the early direct
 * map: frames above it cannot be touched until the kernel's own page tables
 * map them, after which page_alloc_add_usable() frees the rest.
 */
void page_alloc_init(struct memmap *mm, phys_addr_t limit);
void page_alloc_add_usable(struct memmap *mm, phys_addr_t start, phys_addr_t end);

/* alloc_pages: a block of 2^order frames with count 1, or NULL when out of memory. */
struct page *alloc_pages(unsigned int order);
struct page *alloc_page(void);
/* alloc_zeroed_page: alloc_page() with the contents cleared. */
struct page *alloc_zeroed_page(void);
/* put_page: drop one reference; the last one frees the block. */
void put_page(struct page *p);
/* __free_pages: free a block whose count is 1 (the owner's). */
void __free_pages(struct page *p, unsigned int order);

/* copy_page: copy the 4 KiB contents of src into dst. */
void copy_page(struct page *dst, const struct page *src);

struct page_alloc_stats {
	unsigned long total_pages; /* usable RAM managed by the allocator */
	unsigned long free_pages;
	unsigned long free_blocks[MAX_ORDER + 1];
	unsigned long pgalloc, pgfree; /* pages handed out / given back, ever */
};
void page_alloc_stats(struct page_alloc_stats *st);
unsigned long nr_free_pages(void);

/* page_alloc_check: verify every buddy invariant; returns the number of problems. */
int page_alloc_check(void);

#define PAGE_POISON_FREE 0x6b /* freed pages are filled with this in debug builds */

#endif
