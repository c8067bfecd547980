/*
 * test_buddy.c - mm/page_alloc.c: the buddy allocator and struct page counts.
 *
 * Build (every mm/ source is linked into each suite):
 * gcc -std=gnu11 -g -O1 -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -Wall -Wextra -Werror -DMOO_HOST -I. tests/host/test_buddy.c tests/host/env.c mm/page_alloc.c mm/memmap.c mm/slab.c mm/pgtable.c -o build/host/test_buddy
 *
 * Every test boots a fresh 64 MiB machine whose memory map has holes,
 * unaligned edges and reserved ranges, and checks the allocator against
 * an independent per-frame answer to "may this frame be handed out?".
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include "tests/host/check.h"
#include "tests/host/env.h"
#include "mm/memmap.h"
#include "mm/page.h"

#define MiB(x) ((phys_addr_t)(x) << 20)

#define RAM    MiB(64)
#define WINDOW MiB(32) /* page_alloc_init's limit; the rest comes from page_alloc_add_usable */
#define NPFN   (RAM >> PAGE_SHIFT)

/* The firmware's view, as raw (base, size) pairs: out of order, unaligned. */
struct region {
	phys_addr_t base;
	uint64_t size;
};

static const struct region ram[] = {
    {MiB(33), MiB(31)}, /* [33M, 64M): the high window */
    {0, 0x9fc00},       /* [0, 639K): low memory, unaligned end */
    {MiB(1), MiB(31)},  /* [1M, 32M); [32M, 33M) is a hole */
    {0xa0800, 0x800},   /* less than a page: ignored */
};

static const struct region resv[] = {
    {0, 0x1000},              /* page 0 */
    {MiB(1), MiB(2)},         /* the kernel image */
    {MiB(8) + 0x123, 0x3000}, /* unaligned: grows to 4 pages */
    {MiB(48), 0x1000},        /* in the high window */
    {RAM - 0x2000, 0x2000},   /* the last two pages */
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static struct memmap mm;
static phys_addr_t mem_map_start, mem_map_end;
static struct page_alloc_stats at_init;

/*
 * expect_usable: computed from the tables above, not from memmap: a frame
 * wholly inside a RAM entry, touching no reserved entry, and not holding
 * mem_map[] itself.
 */
static bool expect_usable(unsigned long pfn)
{
	phys_addr_t pa = (phys_addr_t)pfn << PAGE_SHIFT, end = pa + PAGE_SIZE;
	bool in_ram = false;

	for (size_t i = 0; i < ARRAY_SIZE(ram); i++)
		if (pa >= ram[i].base && end <= ram[i].base + ram[i].size)
			in_ram = true;
	for (size_t i = 0; i < ARRAY_SIZE(resv); i++)
		if (pa < resv[i].base + resv[i].size && end > resv[i].base)
			return false;
	if (pa < mem_map_end && end > mem_map_start)
		return false;
	return in_ram;
}

static unsigned long count_usable(unsigned long first, unsigned long last)
{
	unsigned long n = 0;
	for (unsigned long pfn = first; pfn < last; pfn++)
		n += expect_usable(pfn);
	return n;
}

/* boot_low: memmap and page_alloc_init up to WINDOW only. */
static void boot_low(void)
{
	sim_mem_init(RAM);
	memmap_init(&mm);
	for (size_t i = 0; i < ARRAY_SIZE(ram); i++)
		memmap_add(&mm, ram[i].base, ram[i].size);
	for (size_t i = 0; i < ARRAY_SIZE(resv); i++)
		memmap_reserve(&mm, resv[i].base, resv[i].size);
	page_alloc_init(&mm, WINDOW);
	mem_map_start = virt_to_phys(mem_map);
	mem_map_end = mem_map_start + PAGE_ALIGN(max_pfn * sizeof(struct page));
}

/* boot: the whole machine, both windows. */
static void boot(void)
{
	boot_low();
	page_alloc_add_usable(&mm, WINDOW, RAM);
	page_alloc_stats(&at_init);
}

static bool same_free_blocks(const struct page_alloc_stats *a, const struct page_alloc_stats *b)
{
	bool same = a->free_pages == b->free_pages;
	for (int k = 0; k <= MAX_ORDER; k++)
		same = same && a->free_blocks[k] == b->free_blocks[k];
	if (!same) {
		printf("    free blocks by order:");
		for (int k = 0; k <= MAX_ORDER; k++)
			printf(" %lu/%lu", a->free_blocks[k], b->free_blocks[k]);
		printf("\n");
	}
	return same;
}

static bool back_to_init(void)
{
	struct page_alloc_stats st;
	page_alloc_stats(&st);
	return page_alloc_check() == 0 && same_free_blocks(&st, &at_init);
}

/* ---- a record of live blocks, to catch overlap ---- */

static int owner[NPFN]; /* 1 + index of the live block holding the frame, or 0 */

struct block {
	struct page *p;
	unsigned order;
};

/* claim: record a freshly allocated block; false if any frame was already live or unusable. */
static bool claim(struct page *p, unsigned order, int id)
{
	unsigned long pfn = page_to_pfn(p);
	bool ok = pfn % (1UL << order) == 0 && pfn + (1UL << order) <= NPFN;
	for (unsigned long i = 0; ok && i < (1UL << order); i++) {
		if (owner[pfn + i] || !expect_usable(pfn + i)) {
			printf("    pfn %#lx: owner %d, usable %d\n", pfn + i, owner[pfn + i],
			       expect_usable(pfn + i));
			ok = false;
		}
		owner[pfn + i] = id;
	}
	return ok;
}

static void unclaim(struct page *p, unsigned order)
{
	unsigned long pfn = page_to_pfn(p);
	for (unsigned long i = 0; i < (1UL << order); i++)
		owner[pfn + i] = 0;
}

/* ---- tests ---- */

TEST(init_counts_match_usable_frames)
{
	boot_low();
	struct page_alloc_stats st;
	page_alloc_stats(&st);
	unsigned long low = count_usable(0, WINDOW >> PAGE_SHIFT);
	CHECK(low > 0);
	CHECK_EQ(max_pfn, NPFN);
	CHECK_EQ(st.total_pages, low);
	CHECK_EQ(st.free_pages, low);
	CHECK_EQ(nr_free_pages(), low);
	CHECK_EQ(page_alloc_check(), 0);

	/* mem_map[] sits in usable RAM below the window, and memmap reserved it */
	CHECK(mem_map_end <= WINDOW);
	CHECK_EQ(mem_map_start % PAGE_SIZE, 0);
	bool reserved = false;
	for (int i = 0; i < mm.reserved.n; i++)
		if (mm.reserved.r[i].start <= mem_map_start && mem_map_end <= mm.reserved.r[i].end)
			reserved = true;
	CHECK(reserved);

	/* every frame below the window is free exactly when it is usable */
	unsigned long bad = 0;
	for (unsigned long pfn = 0; pfn < WINDOW >> PAGE_SHIFT; pfn++)
		bad += !(pfn_to_page(pfn)->flags & PG_reserved) != expect_usable(pfn);
	CHECK_EQ(bad, 0);
}

TEST(second_window_adds_only_its_frames)
{
	boot_low();
	unsigned long low = count_usable(0, WINDOW >> PAGE_SHIFT);
	unsigned long high = count_usable(WINDOW >> PAGE_SHIFT, NPFN);
	CHECK(high > 0);

	/* before page_alloc_add_usable, nothing above the window is handed out */
	unsigned long n = 0;
	struct page *p;
	while ((p = alloc_page()) != NULL) {
		n++;
		CHECK(page_to_phys(p) < WINDOW);
	}
	CHECK_EQ(n, low);
	for (unsigned long pfn = 0; pfn < WINDOW >> PAGE_SHIFT; pfn++)
		if (expect_usable(pfn))
			put_page(pfn_to_page(pfn));
	CHECK_EQ(nr_free_pages(), low);

	page_alloc_add_usable(&mm, WINDOW, RAM);
	struct page_alloc_stats st;
	page_alloc_stats(&st);
	CHECK_EQ(st.total_pages, low + high);
	CHECK_EQ(st.free_pages, low + high);
	CHECK_EQ(page_alloc_check(), 0);
	unsigned long bad = 0;
	for (unsigned long pfn = 0; pfn < NPFN; pfn++)
		bad += !(pfn_to_page(pfn)->flags & PG_reserved) != expect_usable(pfn);
	CHECK_EQ(bad, 0);
}

TEST(every_order_allocates_aligned_blocks)
{
	boot();
	memset(owner, 0, sizeof(owner));
	struct block b[MAX_ORDER + 1];
	unsigned long free0 = nr_free_pages();

	for (unsigned order = 0; order <= MAX_ORDER; order++) {
		struct page *p = alloc_pages(order);
		CHECK(p != NULL);
		if (!p)
			return;
		b[order] = (struct block){p, order};
		CHECK_EQ(page_to_pfn(p) % (1UL << order), 0);
		CHECK_EQ(page_to_phys(p) % (PAGE_SIZE << order), 0);
		CHECK_EQ(page_count(p), 1);
		CHECK_EQ(p->order, order);
		CHECK_EQ(p->flags, order ? PG_head : 0);
		CHECK(claim(p, order, (int)order + 1));
		free0 -= 1UL << order;
		CHECK_EQ(nr_free_pages(), free0);
		/* the block's memory is really there and ours */
		memset(page_address(p), (int)order, PAGE_SIZE << order);
	}
	CHECK(alloc_pages(MAX_ORDER + 1) == NULL);
	CHECK_EQ(nr_free_pages(), free0);

	for (unsigned order = 0; order <= MAX_ORDER; order++) {
		const unsigned char *c = page_address(b[order].p);
		CHECK(c[0] == order && c[(PAGE_SIZE << order) - 1] == order);
		unclaim(b[order].p, order);
		__free_pages(b[order].p, order);
	}
	CHECK(back_to_init());
}

TEST(refcount_starts_at_one_and_last_put_frees)
{
	boot();
	unsigned long free0 = nr_free_pages();
	struct page *p = alloc_pages(3);
	CHECK(p != NULL);
	CHECK_EQ(page_count(p), 1);
	CHECK_EQ(nr_free_pages(), free0 - 8);

	get_page(p);
	get_page(p);
	CHECK_EQ(page_count(p), 3);
	put_page(p);
	put_page(p);
	CHECK_EQ(page_count(p), 1);
	CHECK_EQ(nr_free_pages(), free0 - 8); /* still held */
	CHECK(!(p->flags & PG_buddy));

	put_page(p); /* the last reference frees the whole order-3 block */
	CHECK_EQ(page_count(p), 0);
	CHECK_EQ(nr_free_pages(), free0);
	CHECK(back_to_init());

	struct page_alloc_stats st;
	page_alloc_stats(&st);
	CHECK_EQ(st.pgalloc - at_init.pgalloc, 8);
	CHECK_EQ(st.pgfree - at_init.pgfree, 8);
}

TEST(freed_pages_are_poisoned)
{
	boot();
	CHECK(MOO_DEBUG);
	struct page *p = alloc_pages(2);
	CHECK(p != NULL);
	unsigned char *c = page_address(p);
	memset(c, 0, 4 * PAGE_SIZE);
	put_page(p);
	unsigned long bad = 0;
	for (size_t i = 0; i < 4 * PAGE_SIZE; i++)
		bad += c[i] != PAGE_POISON_FREE;
	CHECK_EQ(bad, 0);

	/* __free_pages poisons too */
	p = alloc_page();
	c = page_address(p);
	memset(c, 0, PAGE_SIZE);
	__free_pages(p, 0);
	CHECK(c[0] == PAGE_POISON_FREE && c[PAGE_SIZE - 1] == PAGE_POISON_FREE);
}

TEST(alloc_zeroed_page_clears_it)
{
	boot();
	struct page *p = alloc_page();
	memset(page_address(p), 0xff, PAGE_SIZE);
	put_page(p); /* now poisoned */
	struct page *z = alloc_zeroed_page();
	CHECK(z != NULL);
	const unsigned char *c = page_address(z);
	unsigned long nonzero = 0;
	for (size_t i = 0; i < PAGE_SIZE; i++)
		nonzero += c[i] != 0;
	CHECK_EQ(nonzero, 0);
	CHECK_EQ(page_count(z), 1);
	put_page(z);
}

TEST(copy_page_copies_one_page)
{
	boot();
	struct page *a = alloc_pages(1), *b = alloc_pages(1);
	unsigned char *ca = page_address(a), *cb = page_address(b);
	for (size_t i = 0; i < 2 * PAGE_SIZE; i++)
		ca[i] = (unsigned char)(i * 7);
	memset(cb, 0x11, 2 * PAGE_SIZE);
	copy_page(b, a);
	CHECK(memcmp(ca, cb, PAGE_SIZE) == 0);
	CHECK(cb[PAGE_SIZE] == 0x11); /* one page, not the whole block */
	put_page(a);
	put_page(b);
}

TEST(split_and_full_remerge_restore_free_blocks)
{
	boot();
	/* take the lone free pages, so the next page must come from a split */
	static struct page *lone[NPFN];
	unsigned long nlone = at_init.free_blocks[0];
	for (unsigned long i = 0; i < nlone; i++)
		lone[i] = alloc_page();
	struct page_alloc_stats before, st;
	page_alloc_stats(&before);
	CHECK_EQ(before.free_blocks[0], 0);
	int k = 1;
	while (k <= MAX_ORDER && before.free_blocks[k] == 0)
		k++;
	CHECK(k <= MAX_ORDER);

	struct page *p = alloc_page();
	CHECK(p != NULL);
	page_alloc_stats(&st);
	CHECK_EQ(st.free_blocks[k], before.free_blocks[k] - 1); /* order k was split... */
	for (int j = 0; j < k; j++) /* ...leaving one upper half on each lower order */
		CHECK_EQ(st.free_blocks[j], before.free_blocks[j] + 1);
	for (int j = k + 1; j <= MAX_ORDER; j++)
		CHECK_EQ(st.free_blocks[j], before.free_blocks[j]);
	CHECK_EQ(page_alloc_check(), 0);
	put_page(p); /* merges all the way back up */
	page_alloc_stats(&st);
	CHECK(same_free_blocks(&st, &before));
	for (unsigned long i = 0; i < nlone; i++)
		put_page(lone[i]);
	CHECK(back_to_init());

	/* take everything as single pages, give it back in a scrambled order */
	static struct page *pages[NPFN];
	unsigned long n = 0;
	while ((pages[n] = alloc_page()) != NULL)
		n++;
	CHECK_EQ(n, at_init.total_pages);
	for (unsigned long i = 0; i < n; i++) { /* a fixed permutation: stride coprime to n */
		unsigned long stride = 7919;
		while (n % stride == 0)
			stride += 2;
		put_page(pages[(i * stride) % n]);
	}
	CHECK(back_to_init());
}

TEST(exhaustion_returns_null_and_recovers)
{
	boot();
	static struct block b[NPFN];
	int n = 0;
	for (int order = MAX_ORDER; order >= 0; order--) {
		struct page *p;
		while ((p = alloc_pages((unsigned)order)) != NULL)
			b[n++] = (struct block){p, (unsigned)order};
	}
	CHECK_EQ(nr_free_pages(), 0);
	for (unsigned order = 0; order <= MAX_ORDER; order++)
		CHECK(alloc_pages(order) == NULL);
	CHECK_EQ(page_alloc_check(), 0);

	/* one freed page is the one handed out next */
	int i = n - 1; /* an order-0 block: those were taken last */
	CHECK_EQ(b[i].order, 0);
	put_page(b[i].p);
	CHECK_EQ(nr_free_pages(), 1);
	CHECK(alloc_pages(1) == NULL);
	struct page *again = alloc_page();
	CHECK(again == b[i].p);
	CHECK(alloc_page() == NULL);

	for (i = 0; i < n; i++)
		__free_pages(b[i].p, b[i].order);
	CHECK(back_to_init());
	CHECK(alloc_pages(MAX_ORDER) != NULL); /* usable again, big blocks included */
}

TEST(never_hands_out_reserved_or_hole_frames)
{
	boot();
	memset(owner, 0, sizeof(owner));
	static struct block b[NPFN];
	int n = 0;
	unsigned long pages = 0;
	bool ok = true;
	/* drain from order MAX_ORDER down to 0: every usable frame gets handed out */
	for (int order = MAX_ORDER; order >= 0; order--) {
		struct page *p;
		while ((p = alloc_pages((unsigned)order)) != NULL) {
			ok = claim(p, (unsigned)order, n + 1) && ok;
			b[n++] = (struct block){p, (unsigned)order};
			pages += 1UL << order;
		}
	}
	CHECK(ok);
	CHECK_EQ(pages, count_usable(0, NPFN));
	unsigned long missed = 0;
	for (unsigned long pfn = 0; pfn < NPFN; pfn++)
		missed += expect_usable(pfn) && !owner[pfn];
	CHECK_EQ(missed, 0);
	for (int i = 0; i < n; i++) {
		unclaim(b[i].p, b[i].order);
		put_page(b[i].p);
	}
	CHECK(back_to_init());
}

static uint64_t rng_state;

static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* tag_block/tag_ok: stamp each page of a live block with its id, to catch double hand-out. */
static void tag_block(const struct block *b, uint64_t id)
{
	for (unsigned long i = 0; i < (1UL << b->order); i++)
		memcpy((char *)page_address(b->p + i), &id, sizeof(id));
}

static bool tag_ok(const struct block *b, uint64_t id)
{
	for (unsigned long i = 0; i < (1UL << b->order); i++)
		if (memcmp(page_address(b->p + i), &id, sizeof(id)) != 0)
			return false;
	return true;
}

TEST(random_stress_keeps_invariants)
{
	boot();
	memset(owner, 0, sizeof(owner));
	enum { MAX_LIVE = 4096, OPS = 40000 };
	static struct block live[MAX_LIVE];
	static uint64_t ids[MAX_LIVE];
	int n = 0, failures = 0, nulls = 0;
	unsigned long live_pages = 0;
	rng_state = 0x2545f4914f6cdd1d;

	for (int op = 0; op < OPS && failures < 5; op++) {
		if (n < MAX_LIVE && (n == 0 || rnd() % 100 < 55)) {
			unsigned order = rnd() % 4 ? (unsigned)(rnd() % 3) : (unsigned)(rnd() % 11);
			struct page *p = alloc_pages(order);
			if (!p) {
				/* only allowed when no block of this order or larger is free */
				struct page_alloc_stats st;
				page_alloc_stats(&st);
				for (unsigned k = order; k <= MAX_ORDER; k++)
					failures += st.free_blocks[k] != 0;
				nulls++;
				continue;
			}
			struct block b = {p, order};
			failures += !claim(p, order, n + 1);
			failures += page_count(p) != 1;
			ids[n] = rnd();
			tag_block(&b, ids[n]);
			live[n++] = b;
			live_pages += 1UL << order;
		} else {
			int i = (int)(rnd() % (uint64_t)n);
			struct block b = live[i];
			failures += !tag_ok(&b, ids[i]);
			unclaim(b.p, b.order);
			if (rnd() % 2)
				put_page(b.p);
			else
				__free_pages(b.p, b.order);
			live_pages -= 1UL << b.order;
			live[i] = live[--n];
			ids[i] = ids[n];
			/* owner ids are block positions: renumber the moved block */
			if (i < n) {
				unclaim(live[i].p, live[i].order);
				failures += !claim(live[i].p, live[i].order, i + 1);
			}
		}
		if (op % 2000 == 0) {
			failures += page_alloc_check() != 0;
			failures += nr_free_pages() + live_pages != at_init.total_pages;
		}
	}
	CHECK_EQ(failures, 0);
	CHECK(nulls > 0); /* the run reached exhaustion, not just the easy part */
	CHECK_EQ(page_alloc_check(), 0);
	CHECK_EQ(nr_free_pages() + live_pages, at_init.total_pages);
	while (n > 0) {
		n--;
		CHECK(tag_ok(&live[n], ids[n]));
		unclaim(live[n].p, live[n].order);
		put_page(live[n].p);
	}
	CHECK(back_to_init());
}

static void put_page_arg(void *p)
{
	put_page(p);
}

TEST(double_free_panics)
{
	boot();
	struct page *p = alloc_page();
	put_page(p);
	unsigned long free0 = nr_free_pages();
	CHECK(expect_panic(put_page_arg, p));
	CHECK(strstr(last_panic_msg(), "page_count") != NULL);
	CHECK_EQ(sim_locks_held(), 0);
	/* the failed free changed nothing */
	CHECK_EQ(nr_free_pages(), free0);
	CHECK_EQ(page_count(p), 0);
	CHECK(back_to_init());

	/* a reserved frame (page 0) was never allocated: putting it panics too */
	CHECK(expect_panic(put_page_arg, pfn_to_page(0)));
	CHECK(back_to_init());
}

struct free_args {
	struct page *p;
	unsigned order;
};

static void free_pages_arg(void *arg)
{
	struct free_args *a = arg;
	__free_pages(a->p, a->order);
}

TEST(free_with_wrong_order_or_count_panics)
{
	boot();
	struct page *p = alloc_pages(2);
	unsigned long free0 = nr_free_pages();

	struct free_args wrong_order = {p, 1};
	CHECK(expect_panic(free_pages_arg, &wrong_order));
	CHECK(strstr(last_panic_msg(), "order") != NULL);
	CHECK_EQ(sim_locks_held(), 0);
	CHECK_EQ(nr_free_pages(), free0);

	p = alloc_pages(2);
	get_page(p); /* two users: __free_pages expects exactly one */
	struct free_args shared = {p, 2};
	CHECK(expect_panic(free_pages_arg, &shared));
	CHECK_EQ(page_count(p), 2);
	CHECK_EQ(nr_free_pages(), free0 - 4);
	put_page(p);
	put_page(p);
	CHECK_EQ(nr_free_pages(), free0);

	/* and the right call does not panic */
	p = alloc_pages(2);
	struct free_args right = {p, 2};
	CHECK(!expect_panic(free_pages_arg, &right));
	CHECK_EQ(nr_free_pages(), free0);
}

TEST(page_alloc_check_detects_corruption)
{
	boot();
	CHECK_EQ(page_alloc_check(), 0);
	struct page *head = NULL;
	for (unsigned long pfn = 0; pfn < max_pfn && !head; pfn++)
		if (pfn_to_page(pfn)->flags & PG_buddy)
			head = pfn_to_page(pfn);
	CHECK(head != NULL);
	if (!head)
		return;

	head->refcount = 1; /* a free block that claims a user */
	CHECK(page_alloc_check() > 0);
	head->refcount = 0;
	CHECK_EQ(page_alloc_check(), 0);

	uint8_t order = head->order;
	head->order = (uint8_t)(order ^ 1); /* on the wrong list for its order */
	CHECK(page_alloc_check() > 0);
	head->order = order;
	CHECK_EQ(page_alloc_check(), 0);
}

static void init_arg(void *arg)
{
	page_alloc_init(arg, WINDOW);
}

TEST(init_panics_without_room_for_mem_map)
{
	sim_mem_init(RAM);
	memmap_init(&mm);
	memmap_add(&mm, 0x1000, 0x10000);      /* too small for mem_map[] */
	memmap_add(&mm, WINDOW, RAM - WINDOW); /* large enough, but above the limit */
	CHECK(expect_panic(init_arg, &mm));
	CHECK(strstr(last_panic_msg(), "mem_map") != NULL);

	/* the same map with room below the limit boots */
	memmap_init(&mm);
	memmap_add(&mm, 0x1000, MiB(2));
	memmap_add(&mm, WINDOW, RAM - WINDOW);
	CHECK(!expect_panic(init_arg, &mm));
	CHECK(virt_to_phys(mem_map) < WINDOW);
	CHECK_EQ(nr_free_pages(), 512 - PAGE_ALIGN(max_pfn * sizeof(struct page)) / PAGE_SIZE);
}

RUN_TESTS(buddy, CASE(init_counts_match_usable_frames), CASE(second_window_adds_only_its_frames),
	  CASE(every_order_allocates_aligned_blocks),
	  CASE(refcount_starts_at_one_and_last_put_frees), CASE(freed_pages_are_poisoned),
	  CASE(alloc_zeroed_page_clears_it), CASE(copy_page_copies_one_page),
	  CASE(split_and_full_remerge_restore_free_blocks),
	  CASE(exhaustion_returns_null_and_recovers), CASE(never_hands_out_reserved_or_hole_frames),
	  CASE(random_stress_keeps_invariants), CASE(double_free_panics),
	  CASE(free_with_wrong_order_or_count_panics), CASE(page_alloc_check_detects_corruption),
	  CASE(init_panics_without_room_for_mem_map))
