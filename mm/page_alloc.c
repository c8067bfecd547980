/*
 * page_alloc.c - the buddy allocator for physical page frames.
 *
 * A free block of order k is 2^k frames starting at a pfn that is a multiple
 * of 2^k. Its "buddy" is the other half of the order k+1 block it belongs to:
 * pfn ^ (1 << k). Freeing a block merges it with its buddy while the buddy is
 * free and of the same order, then puts the result on free_area[order].
 * Only the head frame of a free block carries PG_buddy and the order.
 *
 * Allocation takes the smallest order that has a free block and splits it,
 * putting the upper halves back on the lower-order lists.
 */
#include "mm/page.h"
#include "mm/memmap.h"

struct page *mem_map;
unsigned long max_pfn;

static struct {
	struct spinlock lock;
	struct list_head free[MAX_ORDER + 1];
	unsigned long nr_free[MAX_ORDER + 1];
	unsigned long free_pages, total_pages;
	unsigned long pgalloc, pgfree;
} buddy = {.lock = SPINLOCK_INIT("buddy")};

static inline bool is_free_head(const struct page *p, unsigned int order)
{
	return (p->flags & PG_buddy) && p->order == order;
}

static void free_list_add(struct page *p, unsigned int order)
{
	p->flags |= PG_buddy;
	p->order = (uint8_t)order;
	list_add(&p->lru, &buddy.free[order]);
	buddy.nr_free[order]++;
}

static void free_list_del(struct page *p, unsigned int order)
{
	list_del(&p->lru);
	p->flags &= ~PG_buddy;
	buddy.nr_free[order]--;
}

/* poison: fill freed memory with junk so that a use after free reads garbage. */
static void poison_block(struct page *p, unsigned int order)
{
	if (MOO_DEBUG)
		memset(page_address(p), PAGE_POISON_FREE, PAGE_SIZE << order);
}

/* free_block: give 2^order frames at p back, merging with free buddies. */
static void free_block(struct page *p, unsigned int order)
{
	unsigned long pfn = page_to_pfn(p);

	while (order < MAX_ORDER) {
		unsigned long buddy_pfn = pfn ^ (1UL << order);
		if (buddy_pfn + (1UL << order) > max_pfn)
			break;
		struct page *b = pfn_to_page(buddy_pfn);
		if (!is_free_head(b, order))
			break;
		free_list_del(b, order);
		pfn &= ~(1UL << order); /* the merged block starts at the lower half */
		order++;
	}
	free_list_add(pfn_to_page(pfn), order);
}

struct page *alloc_pages(unsigned int order)
{
	unsigned int k;
	struct page *p;

	if (order > MAX_ORDER)
		return NULL;
	unsigned long flags = spin_lock_irqsave(&buddy.lock);
	for (k = order; k <= MAX_ORDER && list_empty(&buddy.free[k]); k++)
		;
	if (k > MAX_ORDER) {
		spin_unlock_irqrestore(&buddy.lock, flags);
		return NULL;
	}
	p = list_first_entry(&buddy.free[k], struct page, lru);
	free_list_del(p, k);
	while (k > order) { /* split: keep the lower half, free the upper */
		k--;
		free_list_add(p + (1UL << k), k);
	}
	buddy.free_pages -= 1UL << order;
	buddy.pgalloc += 1UL << order;
	spin_unlock_irqrestore(&buddy.lock, flags);

	BUG_ON(page_count(p) != 0);
	p->flags = order ? PG_head : 0;
	p->order = (uint8_t)order;
	p->mapping = NULL;
	p->index = 0;
	p->refcount = 1;
	return p;
}

struct page *alloc_page(void)
{
	return alloc_pages(0);
}

struct page *alloc_zeroed_page(void)
{
	struct page *p = alloc_pages(0);
	if (p)
		memset(page_address(p), 0, PAGE_SIZE);
	return p;
}

/* release_block: a block whose last reference is gone goes back to the free lists. */
static void release_block(struct page *p, unsigned int order)
{
	BUG_ON(p->flags & (PG_reserved | PG_buddy));
	BUG_ON(order != p->order);
	p->flags = 0;
	poison_block(p, order);

	unsigned long flags = spin_lock_irqsave(&buddy.lock);
	free_block(p, order);
	buddy.free_pages += 1UL << order;
	buddy.pgfree += 1UL << order;
	spin_unlock_irqrestore(&buddy.lock, flags);
}

void __free_pages(struct page *p, unsigned int order)
{
	BUG_ON(page_count(p) != 1);
	p->refcount = 0;
	release_block(p, order);
}

void put_page(struct page *p)
{
	BUG_ON(page_count(p) <= 0);
	if (__atomic_sub_fetch(&p->refcount, 1, __ATOMIC_ACQ_REL) == 0)
		release_block(p, p->order);
}

void copy_page(struct page *dst, const struct page *src)
{
	memcpy(page_address(dst), page_address(src), PAGE_SIZE);
}

/* free_range: hand usable frames [start, end) to the buddy lists in the largest aligned blocks. */
static void free_range(phys_addr_t start, phys_addr_t end, void *arg)
{
	const phys_addr_t *window = arg; /* only frames in [window[0], window[1]) */
	unsigned long pfn, last;

	if (start < window[0])
		start = window[0];
	if (end > window[1])
		end = window[1];
	for (pfn = start >> PAGE_SHIFT, last = end >> PAGE_SHIFT; pfn < last;) {
		unsigned int order = 0;
		while (order < MAX_ORDER && !(pfn & (1UL << order)) && pfn + (2UL << order) <= last)
			order++;
		for (unsigned long i = 0; i < (1UL << order); i++)
			pfn_to_page(pfn + i)->flags &= ~PG_reserved;
		free_block(pfn_to_page(pfn), order);
		buddy.free_pages += 1UL << order;
		buddy.total_pages += 1UL << order;
		pfn += 1UL << order;
	}
}

void page_alloc_init(struct memmap *mm, phys_addr_t limit)
{
	max_pfn = memmap_end(mm) >> PAGE_SHIFT;
	size_t bytes = max_pfn * sizeof(struct page);
	phys_addr_t pa = memmap_alloc(mm, bytes, PAGE_SIZE);
	if (!pa || pa + bytes > limit)
		panic("page_alloc_init: no room for mem_map (%lu pages) below %#lx", max_pfn,
		      (unsigned long)limit);
	mem_map = phys_to_virt(pa);

	/* Everything starts reserved; only usable ranges are freed below. */
	for (unsigned long pfn = 0; pfn < max_pfn; pfn++) {
		struct page *p = &mem_map[pfn];
		memset(p, 0, sizeof(*p));
		p->flags = PG_reserved;
	}
	for (int k = 0; k <= MAX_ORDER; k++) {
		list_init(&buddy.free[k]);
		buddy.nr_free[k] = 0;
	}
	buddy.free_pages = buddy.total_pages = buddy.pgalloc = buddy.pgfree = 0;
	page_alloc_add_usable(mm, 0, limit);
}

void page_alloc_add_usable(struct memmap *mm, phys_addr_t start, phys_addr_t end)
{
	phys_addr_t window[2] = {start, end};
	unsigned long flags = spin_lock_irqsave(&buddy.lock);
	memmap_for_each_usable(mm, free_range, window);
	spin_unlock_irqrestore(&buddy.lock, flags);
}

unsigned long nr_free_pages(void)
{
	return __atomic_load_n(&buddy.free_pages, __ATOMIC_RELAXED);
}

void page_alloc_stats(struct page_alloc_stats *st)
{
	unsigned long flags = spin_lock_irqsave(&buddy.lock);
	st->total_pages = buddy.total_pages;
	st->free_pages = buddy.free_pages;
	for (int k = 0; k <= MAX_ORDER; k++)
		st->free_blocks[k] = buddy.nr_free[k];
	st->pgalloc = buddy.pgalloc;
	st->pgfree = buddy.pgfree;
	spin_unlock_irqrestore(&buddy.lock, flags);
}

int page_alloc_check(void)
{
	int problems = 0;
	unsigned long counted = 0;
	unsigned long flags = spin_lock_irqsave(&buddy.lock);

	for (unsigned int k = 0; k <= MAX_ORDER; k++) {
		unsigned long n = 0;
		for (struct list_head *l = buddy.free[k].next; l != &buddy.free[k]; l = l->next) {
			struct page *p = list_entry(l, struct page, lru);
			unsigned long pfn = page_to_pfn(p);
			n++;
			if (!is_free_head(p, k) || (pfn & ((1UL << k) - 1)) || page_count(p)) {
				printk("buddy: bad free block pfn %lx order %u\n", pfn, k);
				problems++;
			}
			/* a free block's buddy of the same order must not also be free */
			unsigned long b = pfn ^ (1UL << k);
			if (k < MAX_ORDER && b < max_pfn && is_free_head(pfn_to_page(b), k)) {
				printk("buddy: unmerged buddies at pfn %lx order %u\n", pfn, k);
				problems++;
			}
			counted += 1UL << k;
		}
		if (n != buddy.nr_free[k]) {
			printk("buddy: order %u list has %lu blocks, counter says %lu\n", k, n,
			       buddy.nr_free[k]);
			problems++;
		}
	}
	if (counted != buddy.free_pages) {
		printk("buddy: lists hold %lu pages, counter says %lu\n", counted,
		       buddy.free_pages);
		problems++;
	}
	spin_unlock_irqrestore(&buddy.lock, flags);
	return problems;
}
