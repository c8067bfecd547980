/*
 * test_memmap.c - mm/memmap.c: the boot memory map.
 *
 * Build (every mm/ source is linked into each suite):
 * gcc -std=gnu11 -g -O1 -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -Wall -Wextra -Werror -DMOO_HOST -I. tests/host/test_memmap.c tests/host/env.c mm/page_alloc.c mm/memmap.c mm/slab.c mm/pgtable.c -o build/host/test_memmap
 *
 * The lists are compared exactly against hand-computed ranges, and a
 * random test checks them against a page-by-page model.
 */
#include <stdbool.h>
#include <stdint.h>
#include "tests/host/check.h"
#include "tests/host/env.h"
#include "mm/memmap.h"
#include "mm/page.h"

#define KiB(x) ((phys_addr_t)(x) << 10)
#define MiB(x) ((phys_addr_t)(x) << 20)

/* ---- comparing range lists ---- */

#define MAX_RANGES 256

struct ranges {
	int n;
	struct mem_range r[MAX_RANGES];
};

static void print_ranges(const char *what, const struct mem_range *r, int n)
{
	printf("    %s (%d):", what, n);
	for (int i = 0; i < n; i++)
		printf(" [%#llx, %#llx)", (unsigned long long)r[i].start,
		       (unsigned long long)r[i].end);
	printf("\n");
}

static bool same_ranges(const struct mem_range *got, int ngot, const struct mem_range *want,
			int nwant)
{
	bool same = ngot == nwant;
	for (int i = 0; same && i < ngot; i++)
		same = got[i].start == want[i].start && got[i].end == want[i].end;
	if (!same) {
		print_ranges("got ", got, ngot);
		print_ranges("want", want, nwant);
	}
	return same;
}

/* RANGES({a, b}, {c, d}): an array of ranges and its length, for same_ranges(). */
#define RANGES(...)                                                                                \
	((const struct mem_range[]){__VA_ARGS__}),                                                 \
	    (int)(sizeof((const struct mem_range[]){__VA_ARGS__}) / sizeof(struct mem_range))

#define CHECK_LIST(list, ...) CHECK(same_ranges((list).r, (list).n, RANGES(__VA_ARGS__)))
#define CHECK_USABLE(mm, ...)                                                                      \
	do {                                                                                       \
		struct ranges u_ = usable(mm);                                                     \
		CHECK(same_ranges(u_.r, u_.n, RANGES(__VA_ARGS__)));                               \
	} while (0)

static void collect(phys_addr_t start, phys_addr_t end, void *arg)
{
	struct ranges *rs = arg;
	if (rs->n < MAX_RANGES)
		rs->r[rs->n] = (struct mem_range){start, end};
	rs->n++;
}

static struct ranges usable(const struct memmap *mm)
{
	struct ranges rs = {0};
	memmap_for_each_usable(mm, collect, &rs);
	return rs;
}

/* ---- merging ---- */

TEST(overlapping_regions_merge)
{
	struct memmap mm;
	memmap_init(&mm);
	memmap_add(&mm, KiB(4), KiB(16));
	memmap_add(&mm, KiB(12), KiB(20));
	CHECK_LIST(mm.avail, {KiB(4), KiB(32)});

	/* a region inside an existing one changes nothing */
	memmap_add(&mm, KiB(8), KiB(4));
	CHECK_LIST(mm.avail, {KiB(4), KiB(32)});

	/* one that covers it and more on both sides replaces it */
	memmap_add(&mm, 0, KiB(40));
	CHECK_LIST(mm.avail, {0, KiB(40)});
	CHECK_EQ(mm.dropped, 0);
}

TEST(touching_regions_merge)
{
	struct memmap mm;
	memmap_init(&mm);
	memmap_add(&mm, KiB(8), KiB(4));
	memmap_add(&mm, KiB(12), KiB(4)); /* starts where the first ends */
	memmap_add(&mm, KiB(4), KiB(4));  /* ends where the first starts */
	CHECK_LIST(mm.avail, {KiB(4), KiB(16)});

	memmap_reserve(&mm, MiB(1), KiB(4));
	memmap_reserve(&mm, MiB(1) + KiB(4), KiB(4));
	CHECK_LIST(mm.reserved, {MiB(1), MiB(1) + KiB(8)});
}

TEST(out_of_order_regions_are_sorted)
{
	struct memmap mm;
	memmap_init(&mm);
	memmap_add(&mm, MiB(16), MiB(1));
	memmap_add(&mm, MiB(1), MiB(1));
	memmap_add(&mm, MiB(8), MiB(1));
	memmap_add(&mm, MiB(4), MiB(1));
	CHECK_LIST(mm.avail, {MiB(1), MiB(2)}, {MiB(4), MiB(5)}, {MiB(8), MiB(9)},
		   {MiB(16), MiB(17)});
	CHECK_EQ(memmap_end(&mm), MiB(17));
}

TEST(region_bridging_several_merges_them_all)
{
	struct memmap mm;
	memmap_init(&mm);
	for (int i = 0; i < 6; i++)
		memmap_add(&mm, MiB(2 * i), MiB(1)); /* [0,1) [2,3) ... [10,11) MiB */
	/* overlaps [2,3), [4,5) and touches [6,7): those three and the gaps become one */
	memmap_add(&mm, MiB(2) + KiB(512), MiB(4) - KiB(512));
	CHECK_LIST(mm.avail, {0, MiB(1)}, {MiB(2), MiB(7)}, {MiB(8), MiB(9)}, {MiB(10), MiB(11)});

	/* the same on the reserved list */
	memmap_reserve(&mm, MiB(20), KiB(4));
	memmap_reserve(&mm, MiB(22), KiB(4));
	memmap_reserve(&mm, MiB(24), KiB(4));
	memmap_reserve(&mm, MiB(26), KiB(4));
	memmap_reserve(&mm, MiB(21), MiB(4));
	CHECK_LIST(mm.reserved, {MiB(20), MiB(20) + KiB(4)}, {MiB(21), MiB(25)},
		   {MiB(26), MiB(26) + KiB(4)});
}

/* ---- alignment ---- */

TEST(unaligned_avail_shrinks_inward)
{
	struct memmap mm;
	memmap_init(&mm);
	memmap_add(&mm, 0x1800, 0x3000);  /* [0x1800, 0x4800) */
	memmap_add(&mm, 0x10001, 0x2ffe); /* [0x10001, 0x12fff) */
	memmap_add(&mm, 0x20000, 0x1fff); /* aligned start, end inside a page */
	memmap_add(&mm, 0x30fff, 0x1001); /* unaligned start, aligned end */
	CHECK_LIST(mm.avail, {0x2000, 0x4000}, {0x11000, 0x12000}, {0x20000, 0x21000},
		   {0x31000, 0x32000});
}

TEST(unaligned_reserved_grows_outward)
{
	struct memmap mm;
	memmap_init(&mm);
	memmap_reserve(&mm, 0x1800, 0x10);    /* inside one page */
	memmap_reserve(&mm, 0x4fff, 2);       /* straddles two pages */
	memmap_reserve(&mm, 0x10000, 0x1001); /* aligned start, one byte into the next page */
	memmap_reserve(&mm, 0x20001, 1);
	CHECK_LIST(mm.reserved, {0x1000, 0x2000}, {0x4000, 0x6000}, {0x10000, 0x12000},
		   {0x20000, 0x21000});
}

TEST(zero_size_and_tiny_avail_ignored)
{
	struct memmap mm;
	memmap_init(&mm);
	memmap_add(&mm, 0x5000, 0);      /* zero-size, aligned */
	memmap_add(&mm, 0x5800, 0);      /* zero-size, unaligned */
	memmap_add(&mm, 0x6000, 0xfff);  /* one byte short of a page */
	memmap_add(&mm, 0x7001, 0xfff);  /* a page's worth, but not a whole page */
	memmap_add(&mm, 0x8800, 0x1000); /* spans two pages, covers neither */
	CHECK_EQ(mm.avail.n, 0);
	CHECK_EQ(memmap_end(&mm), 0);
	CHECK_EQ(mm.dropped, 0);

	memmap_reserve(&mm, 0x9000, 0); /* an empty reservation at a page boundary */
	CHECK_EQ(mm.reserved.n, 0);

	/* and nothing usable came of them */
	memmap_add(&mm, 0x10000, 0x1000);
	CHECK_USABLE(&mm, {0x10000, 0x11000});
}

TEST(size_overflowing_2_64_does_not_wrap)
{
	const phys_addr_t top = 0xfffffffffffff000; /* the last page */
	struct memmap mm;
	memmap_init(&mm);

	/* end past 2^64: clipped to the last whole page, not wrapped to a low address */
	memmap_add(&mm, top - MiB(1), MiB(2));
	CHECK_LIST(mm.avail, {top - MiB(1), top});
	memmap_add(&mm, 0x1000, ~(uint64_t)0);
	CHECK_LIST(mm.avail, {0x1000, top});

	/* a partial last page holds no whole page: nothing added */
	memmap_init(&mm);
	memmap_add(&mm, top + 0x800, 0x1000);
	memmap_add(&mm, ~(phys_addr_t)0, ~(uint64_t)0);
	CHECK_EQ(mm.avail.n, 0);

	/* a reservation that runs past 2^64 covers the top, not low memory */
	memmap_reserve(&mm, top - KiB(8), KiB(64));
	CHECK_LIST(mm.reserved, {top - KiB(8), top});
	memmap_reserve(&mm, top + 1, 0x10); /* only in the last, partial page: nothing */
	CHECK_LIST(mm.reserved, {top - KiB(8), top});

	/* and usable memory is computed the same near the top */
	memmap_add(&mm, top - MiB(1), ~(uint64_t)0);
	CHECK_USABLE(&mm, {top - MiB(1), top - KiB(8)});
}

/* ---- usable = avail minus reserved ---- */

TEST(usable_is_avail_minus_reserved)
{
	struct memmap mm;
	memmap_init(&mm);
	memmap_add(&mm, 0, MiB(1));
	memmap_add(&mm, MiB(2), MiB(2));
	memmap_add(&mm, MiB(8), MiB(1));
	memmap_add(&mm, MiB(10), MiB(1));
	memmap_add(&mm, MiB(12), MiB(1));

	memmap_reserve(&mm, 0, KiB(4));               /* the start of [0, 1M) */
	memmap_reserve(&mm, KiB(640), KiB(384));      /* its end, exactly */
	memmap_reserve(&mm, MiB(2) + KiB(100), 0x10); /* a page in the middle of [2M, 4M) */
	memmap_reserve(&mm, MiB(3), MiB(2));          /* from inside [2M, 4M) into the hole */
	memmap_reserve(&mm, MiB(6), MiB(1));          /* in a hole: no effect */
	memmap_reserve(&mm, MiB(8), MiB(1));          /* the whole of [8M, 9M) */
	memmap_reserve(&mm, MiB(10) + KiB(512),
		       MiB(2)); /* end of [10M, 11M) to inside [12M, 13M) */

	CHECK_USABLE(&mm, {KiB(4), KiB(640)}, {MiB(2), MiB(2) + KiB(100)},
		     {MiB(2) + KiB(104), MiB(3)}, {MiB(10), MiB(10) + KiB(512)},
		     {MiB(12) + KiB(512), MiB(13)});
	CHECK_EQ(memmap_end(&mm), MiB(13));

	/* with nothing reserved, usable is avail */
	memmap_init(&mm);
	memmap_add(&mm, MiB(1), MiB(1));
	memmap_add(&mm, MiB(4), MiB(1));
	CHECK_USABLE(&mm, {MiB(1), MiB(2)}, {MiB(4), MiB(5)});
}

/* ---- memmap_alloc ---- */

static bool all_usable(const struct memmap *mm, phys_addr_t start, phys_addr_t end)
{
	struct ranges u = usable(mm);
	for (int i = 0; i < u.n; i++)
		if (u.r[i].start <= start && end <= u.r[i].end)
			return true;
	return false;
}

TEST(alloc_honours_alignment)
{
	struct memmap mm;
	memmap_init(&mm);
	memmap_add(&mm, KiB(4), MiB(64));
	memmap_reserve(&mm, MiB(2), KiB(8));

	phys_addr_t a = memmap_alloc(&mm, KiB(12), MiB(2));
	CHECK_EQ(a, MiB(4)); /* the lowest 2 MiB boundary with 12 KiB free after it */
	phys_addr_t b = memmap_alloc(&mm, KiB(4), KiB(64));
	CHECK_EQ(b, KiB(64));
	phys_addr_t c = memmap_alloc(&mm, KiB(4), MiB(2));
	CHECK_EQ(c, MiB(6));

	/* alignment below a page still gives whole pages */
	phys_addr_t d = memmap_alloc(&mm, 10, 8);
	CHECK_EQ(d, KiB(4));
	phys_addr_t e = memmap_alloc(&mm, 10, 0);
	CHECK_EQ(e, KiB(8));
}

TEST(alloc_skips_reserved_and_holes)
{
	struct memmap mm;
	memmap_init(&mm);
	memmap_add(&mm, KiB(4), KiB(16));       /* [4K, 20K): too small */
	memmap_add(&mm, MiB(1), MiB(1));        /* [1M, 2M), mostly reserved */
	memmap_add(&mm, MiB(4), MiB(1));        /* [4M, 5M) */
	memmap_reserve(&mm, MiB(1), KiB(1000)); /* leaves [1M+1000K, 2M) = 24 KiB */

	phys_addr_t a = memmap_alloc(&mm, KiB(24), KiB(4));
	CHECK_EQ(a, MiB(1) + KiB(1000)); /* exactly fills the gap left by the reservation */
	phys_addr_t b = memmap_alloc(&mm, KiB(20), KiB(4));
	CHECK_EQ(b, MiB(4)); /* not in the hole [2M, 4M), not in the reserved part */
	phys_addr_t c = memmap_alloc(&mm, KiB(8), KiB(4));
	CHECK_EQ(c, KiB(4)); /* small enough for the first range */
}

TEST(alloc_reserves_what_it_returns)
{
	struct memmap mm;
	memmap_init(&mm);
	memmap_add(&mm, KiB(4), KiB(32)); /* 8 pages */

	phys_addr_t seen[8];
	for (int i = 0; i < 8; i++) {
		phys_addr_t pa = memmap_alloc(&mm, 1, 1); /* 1 byte takes a whole page */
		CHECK(pa != 0);
		CHECK_EQ(pa % PAGE_SIZE, 0);
		CHECK(pa >= KiB(4) && pa + PAGE_SIZE <= KiB(36));
		for (int j = 0; j < i; j++)
			CHECK(seen[j] != pa);
		seen[i] = pa;
		/* it is reserved now: no longer usable */
		CHECK(!all_usable(&mm, pa, pa + PAGE_SIZE));
	}
	CHECK_LIST(mm.reserved, {KiB(4), KiB(36)});
	CHECK_EQ(usable(&mm).n, 0);
	CHECK_EQ(memmap_alloc(&mm, 1, 1), 0);
}

TEST(alloc_returns_zero_when_nothing_fits)
{
	struct memmap mm;
	memmap_init(&mm);
	CHECK_EQ(memmap_alloc(&mm, KiB(4), KiB(4)), 0); /* no memory at all */

	memmap_add(&mm, MiB(1), MiB(1));
	memmap_add(&mm, MiB(3), MiB(1));
	memmap_reserve(&mm, MiB(3) + KiB(4), KiB(4));

	CHECK_EQ(memmap_alloc(&mm, MiB(1) + KiB(4), KiB(4)), 0); /* larger than any range */
	CHECK_EQ(memmap_alloc(&mm, MiB(1), KiB(4)), MiB(1));     /* [1M, 2M) exactly */
	CHECK_EQ(memmap_alloc(&mm, KiB(8), KiB(4)), MiB(3) + KiB(8));
	CHECK_EQ(memmap_alloc(&mm, KiB(8), MiB(8)), 0);       /* no 8 MiB boundary in RAM */
	CHECK_EQ(memmap_alloc(&mm, 0, KiB(4)), 0);            /* nothing to allocate */
	CHECK_EQ(memmap_alloc(&mm, ~(uint64_t)0, KiB(4)), 0); /* page-rounding must not wrap */
	CHECK_EQ(memmap_alloc(&mm, ~(uint64_t)0 - KiB(8), KiB(4)), 0);
	/* the failures reserved nothing */
	CHECK_USABLE(&mm, {MiB(3), MiB(3) + KiB(4)}, {MiB(3) + KiB(16), MiB(4)});
}

TEST(alloc_never_returns_page_zero_but_uses_the_rest_of_its_range)
{
	struct memmap mm;
	memmap_init(&mm);
	memmap_add(&mm, 0, KiB(64)); /* the only RAM starts at physical 0 */

	/* 0 means failure, so page 0 is skipped, but not the whole range */
	CHECK_EQ(memmap_alloc(&mm, KiB(4), KiB(4)), KiB(4));
	CHECK_EQ(memmap_alloc(&mm, KiB(4), KiB(32)), KiB(32));
	CHECK_EQ(memmap_alloc(&mm, KiB(64), KiB(4)), 0); /* would need page 0 */
	CHECK_USABLE(&mm, {0, KiB(4)}, {KiB(8), KiB(32)}, {KiB(36), KiB(64)});
}

/* ---- a full list ---- */

TEST(full_list_counts_dropped)
{
	struct memmap mm;
	memmap_init(&mm);
	for (int i = 0; i < MEMMAP_MAX; i++)
		memmap_add(&mm, MiB(2 * i), MiB(1));
	CHECK_EQ(mm.avail.n, MEMMAP_MAX);
	CHECK_EQ(mm.dropped, 0);

	/* a new separate range has no room */
	memmap_add(&mm, MiB(2 * MEMMAP_MAX), MiB(1));
	CHECK_EQ(mm.avail.n, MEMMAP_MAX);
	CHECK_EQ(mm.dropped, 1);
	CHECK_EQ(memmap_end(&mm), MiB(2 * MEMMAP_MAX - 1));
	memmap_add(&mm, MiB(1) + KiB(4), KiB(4)); /* in the gap after the first range */
	CHECK_EQ(mm.dropped, 2);

	/* one that merges into existing ranges needs no room */
	memmap_add(&mm, MiB(1), KiB(4));
	CHECK_EQ(mm.dropped, 2);
	CHECK_EQ(mm.avail.r[0].end, MiB(1) + KiB(4));
	memmap_add(&mm, MiB(3), MiB(1)); /* bridges [2M,3M) and [4M,5M) */
	CHECK_EQ(mm.avail.n, MEMMAP_MAX - 1);
	CHECK_EQ(mm.dropped, 2);

	/* which frees a slot for the next separate range */
	memmap_add(&mm, MiB(2 * MEMMAP_MAX), MiB(1));
	CHECK_EQ(mm.avail.n, MEMMAP_MAX);
	CHECK_EQ(mm.dropped, 2);
	CHECK_EQ(memmap_end(&mm), MiB(2 * MEMMAP_MAX + 1));

	/* the reserved list has its own limit and the same counter */
	for (int i = 0; i < MEMMAP_MAX; i++)
		memmap_reserve(&mm, MiB(2 * i), KiB(4));
	CHECK_EQ(mm.reserved.n, MEMMAP_MAX);
	memmap_reserve(&mm, MiB(1), KiB(4));
	CHECK_EQ(mm.reserved.n, MEMMAP_MAX);
	CHECK_EQ(mm.dropped, 3);
}

/* ---- against a page-by-page model ---- */

#define NP 96 /* pages in the model's world */

static uint64_t rng_state;

static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* runs of true in pg[0..NP) as page ranges */
static struct ranges runs(const bool *pg)
{
	struct ranges rs = {0};
	for (int p = 0; p < NP;) {
		if (!pg[p]) {
			p++;
			continue;
		}
		int q = p;
		while (q < NP && pg[q])
			q++;
		collect((phys_addr_t)p * PAGE_SIZE, (phys_addr_t)q * PAGE_SIZE, &rs);
		p = q;
	}
	return rs;
}

TEST(lists_and_alloc_match_page_model)
{
	rng_state = 0x9e3779b97f4a7c15;
	for (int round = 0; round < 2000; round++) {
		struct memmap mm;
		bool avail[NP] = {0}, resv[NP] = {0}, use[NP];
		memmap_init(&mm);

		int ops = 1 + (int)(rnd() % 14);
		for (int op = 0; op < ops; op++) {
			uint64_t limit = (uint64_t)NP * PAGE_SIZE;
			/* half the bases and sizes page-aligned, so ranges start at 0 too */
			uint64_t base =
			    rnd() % NP * PAGE_SIZE + (rnd() % 2 ? rnd() % PAGE_SIZE : 0);
			uint64_t size = rnd() % (limit - base) + (rnd() % 4 == 0 ? 0 : 1);
			if (rnd() % 2)
				size = PAGE_ALIGN(size);
			if (base + size > limit)
				size = limit - base;
			if (rnd() % 3) {
				memmap_add(&mm, base, size);
				for (int p = 0; p < NP; p++)
					if ((uint64_t)p * PAGE_SIZE >= base &&
					    (uint64_t)(p + 1) * PAGE_SIZE <= base + size)
						avail[p] = true;
			} else if (size) {
				memmap_reserve(&mm, base, size);
				for (int p = 0; p < NP; p++)
					if ((uint64_t)p * PAGE_SIZE < base + size &&
					    (uint64_t)(p + 1) * PAGE_SIZE > base)
						resv[p] = true;
			}
		}

		/* a few allocations: the lowest aligned fit that is not address 0 */
		for (int a = 0; a < 3; a++) {
			for (int p = 0; p < NP; p++)
				use[p] = avail[p] && !resv[p];
			uint64_t pages = 1 + rnd() % 8, align = 1UL << (rnd() % 4);
			int want = 0;
			for (int p = (int)align; p + (int)pages <= NP && !want; p += (int)align) {
				int q = p;
				while (q < p + (int)pages && use[q])
					q++;
				if (q == p + (int)pages)
					want = p;
			}
			phys_addr_t got = memmap_alloc(&mm, pages * PAGE_SIZE - rnd() % PAGE_SIZE,
						       align * PAGE_SIZE);
			if (got != (phys_addr_t)want * PAGE_SIZE) {
				printf("    round %d: alloc %lu pages align %lu: got %#llx want "
				       "%#llx\n",
				       round, (unsigned long)pages, (unsigned long)align,
				       (unsigned long long)got,
				       (unsigned long long)want * PAGE_SIZE);
				CHECK(false);
				return;
			}
			for (int p = want; want && p < want + (int)pages; p++)
				resv[p] = true;
		}

		for (int p = 0; p < NP; p++)
			use[p] = avail[p] && !resv[p];
		struct ranges wa = runs(avail), wr = runs(resv), wu = runs(use), gu = usable(&mm);
		bool ok = same_ranges(mm.avail.r, mm.avail.n, wa.r, wa.n) &&
			  same_ranges(mm.reserved.r, mm.reserved.n, wr.r, wr.n) &&
			  same_ranges(gu.r, gu.n, wu.r, wu.n) &&
			  memmap_end(&mm) == (wa.n ? wa.r[wa.n - 1].end : 0);
		if (!ok) {
			printf("    round %d differs from the model\n", round);
			CHECK(false);
			return;
		}
	}
}

TEST(firmware_oddities_are_named)
{
	CHECK(memmap_oddity(0x100000, 0x1000) == NULL);
	CHECK(memmap_oddity(0x100000, 0) != NULL);
	CHECK(memmap_oddity(0x100800, 0x1000) != NULL);
	CHECK(memmap_oddity(0xfffffffffffff000UL, 0x2000) != NULL);
	CHECK(memmap_overlap(0x1000, 0x2000, 0x2000, 0x1000));
	CHECK(!memmap_overlap(0x1000, 0x1000, 0x2000, 0x1000)); /* touching is not overlapping */
	CHECK(!memmap_overlap(0x1000, 0, 0x1000, 0x1000));
	CHECK(memmap_overlap(0xfffffffffffff000UL, 0x2000, 0xfffffffffffff800UL, 0x100));
}

RUN_TESTS(memmap, CASE(firmware_oddities_are_named), CASE(overlapping_regions_merge),
	  CASE(touching_regions_merge), CASE(out_of_order_regions_are_sorted),
	  CASE(region_bridging_several_merges_them_all), CASE(unaligned_avail_shrinks_inward),
	  CASE(unaligned_reserved_grows_outward), CASE(zero_size_and_tiny_avail_ignored),
	  CASE(size_overflowing_2_64_does_not_wrap), CASE(usable_is_avail_minus_reserved),
	  CASE(alloc_honours_alignment), CASE(alloc_skips_reserved_and_holes),
	  CASE(alloc_reserves_what_it_returns), CASE(alloc_returns_zero_when_nothing_fits),
	  CASE(alloc_never_returns_page_zero_but_uses_the_rest_of_its_range),
	  CASE(full_list_counts_dropped), CASE(lists_and_alloc_match_page_model))
