/*
 * test_slab.c - mm/slab.c: kmem_cache and kmalloc on top of the buddy allocator.
 *
 * Build (every mm/ source is linked into each suite):
 * gcc -std=gnu11 -g -O1 -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -Wall -Wextra -Werror -DMOO_HOST -I. tests/host/test_slab.c tests/host/env.c mm/page_alloc.c mm/memmap.c mm/slab.c mm/pgtable.c -o build/host/test_slab
 *
 * Every test boots a fresh 64 MiB machine and runs kmalloc_init().
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "tests/host/check.h"
#include "tests/host/env.h"
#include "mm/page.h"
#include "mm/slab.h"

#define RAM (64UL << 20)

static void boot(void)
{
	sim_boot(RAM);
	kmalloc_init();
}

/* ---- live objects: no overlap, contents intact ---- */

struct obj {
	unsigned char *p;
	size_t size;
	unsigned char fill;
};

static int by_address(const void *a, const void *b)
{
	const struct obj *x = a, *y = b;
	return x->p < y->p ? -1 : x->p > y->p;
}

/* disjoint: true if no two objects share a byte (sorts objs by address). */
static bool disjoint(struct obj *objs, size_t n)
{
	qsort(objs, n, sizeof(objs[0]), by_address);
	for (size_t i = 1; i < n; i++) {
		if (objs[i - 1].p + objs[i - 1].size > objs[i].p) {
			printf("    %p+%zu overlaps %p\n", (void *)objs[i - 1].p, objs[i - 1].size,
			       (void *)objs[i].p);
			return false;
		}
	}
	return true;
}

static bool intact(const struct obj *o)
{
	for (size_t i = 0; i < o->size; i++)
		if (o->p[i] != o->fill)
			return false;
	return true;
}

static size_t slot_size(size_t size)
{
	size_t s = 8;
	while (s < size)
		s <<= 1;
	return s;
}

/* ---- tests ---- */

TEST(kmalloc_every_size_fits_aligned_and_disjoint)
{
	boot();
	enum { MAX_SIZE = 3 * 4096 + 8 };
	static struct obj objs[MAX_SIZE];
	size_t n = 0;
	int bad = 0;

	/* every size up to a page and a bit, then a sample of multi-page sizes */
	for (size_t size = 1; size <= MAX_SIZE; size += size < PAGE_SIZE + 16 ? 1 : 97) {
		unsigned char *p = kmalloc(size);
		if (!p) {
			printf("    kmalloc(%zu) failed\n", size);
			bad++;
			continue;
		}
		bad += (uintptr_t)p % 8 != 0;
		if (size >= PAGE_SIZE)
			bad += (uintptr_t)p % PAGE_SIZE != 0;
		struct page *pg = virt_to_page(p);
		if (size <= 2048) {
			/* from the smallest power-of-two cache that fits */
			bad += !(pg->flags & PG_slab) || pg->slab_cache->size != slot_size(size);
		} else {
			/* whole pages, enough of them */
			bad += (pg->flags & PG_slab) || (PAGE_SIZE << pg->order) < size ||
			       (PAGE_SIZE << pg->order) >= 2 * size + PAGE_SIZE;
		}
		objs[n] = (struct obj){p, size, (unsigned char)(size * 13 + 1)};
		memset(p, objs[n].fill, size);
		n++;
	}
	CHECK_EQ(bad, 0);
	CHECK(disjoint(objs, n));
	for (size_t i = 0; i < n; i++)
		bad += !intact(&objs[i]);
	CHECK_EQ(bad, 0);
	for (size_t i = 0; i < n; i++)
		kfree(objs[i].p);
	CHECK_EQ(page_alloc_check(), 0);
}

TEST(kmalloc_large_sizes_take_whole_pages)
{
	boot();
	static const struct {
		size_t size;
		unsigned order;
	} cases[] = {{2049, 0},         {4096, 0},    {4097, 1},          {8192, 1},
		     {3 * 4096 + 1, 2}, {1 << 20, 8}, {(1 << 20) + 1, 9}, {4 << 20, MAX_ORDER}};
	unsigned long free0 = nr_free_pages();

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unsigned char *p = kmalloc(cases[i].size);
		CHECK(p != NULL);
		if (!p)
			continue;
		CHECK_EQ((uintptr_t)p % PAGE_SIZE, 0);
		CHECK_EQ(nr_free_pages(), free0 - (1UL << cases[i].order));
		CHECK_EQ(virt_to_page(p)->order, cases[i].order);
		memset(p, 0x3c, cases[i].size);
		kfree(p);
		CHECK_EQ(nr_free_pages(), free0);
		CHECK(p[0] == PAGE_POISON_FREE); /* went back through the buddy allocator */
	}

	/* too large for any block: NULL, without taking anything */
	CHECK(kmalloc((4UL << 20) + 1) == NULL);
	CHECK(kmalloc(1UL << 40) == NULL);
	CHECK(kmalloc(~(size_t)0) == NULL);
	CHECK(kmalloc(0) == NULL);
	kfree(NULL);
	CHECK_EQ(nr_free_pages(), free0);
	CHECK_EQ(page_alloc_check(), 0);
}

static uint64_t rng_state;

static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

TEST(kfree_returns_pages)
{
	boot();
	/* warm up: each kmalloc cache keeps one empty slab once it has been used */
	for (size_t size = 8; size <= 2048; size *= 2)
		kfree(kmalloc(size));
	unsigned long warm = nr_free_pages();

	enum { N = 6000 };
	static struct obj objs[N];
	rng_state = 0x853c49e6748fea9b;
	for (int round = 0; round < 3; round++) {
		for (int i = 0; i < N; i++) {
			size_t size = rnd() % 8 ? 1 + rnd() % 2048 : 1 + rnd() % 20000;
			objs[i] = (struct obj){kmalloc(size), size, (unsigned char)i};
			CHECK(objs[i].p != NULL);
			memset(objs[i].p, objs[i].fill, size);
		}
		CHECK(nr_free_pages() < warm - 100); /* slabs were really taken */
		/* free in a scrambled order */
		for (int i = 0; i < N; i++) {
			int j = (int)(rnd() % (uint64_t)(N - i)) + i;
			struct obj t = objs[i];
			objs[i] = objs[j];
			objs[j] = t;
			CHECK(intact(&objs[i]));
			kfree(objs[i].p);
		}
		CHECK_EQ(nr_free_pages(), warm);
		CHECK_EQ(page_alloc_check(), 0);
	}
}

TEST(kzalloc_zeroes)
{
	boot();
	static const size_t sizes[] = {1, 7, 8, 24, 100, 512, 2048, 2049, 4096, 10000, 70000};
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		size_t size = sizes[i];
		unsigned char *p = kmalloc(size);
		memset(p, 0xff, size);
		kfree(p);
		unsigned char *z = kzalloc(size); /* likely p again, poisoned now */
		CHECK(z != NULL);
		size_t nonzero = 0;
		for (size_t j = 0; j < size; j++)
			nonzero += z[j] != 0;
		CHECK_EQ(nonzero, 0);
		kfree(z);
	}
}

TEST(freed_objects_are_poisoned)
{
	boot();
	CHECK(MOO_DEBUG);
	struct kmem_cache c;
	kmem_cache_init(&c, "poison", 64);
	unsigned char *a = kmem_cache_alloc(&c), *b = kmem_cache_alloc(&c);
	memset(a, 0, 64);
	kmem_cache_free(&c, a); /* b keeps the slab alive */
	size_t bad = 0;
	for (size_t i = sizeof(void *); i < 64; i++) /* the first word is the free-list link */
		bad += a[i] != SLAB_POISON_FREE;
	CHECK_EQ(bad, 0);
	kmem_cache_free(&c, b);

	/* the same through kfree */
	unsigned char *k = kmalloc(100), *keep = kmalloc(100);
	memset(k, 0, 100);
	kfree(k);
	bad = 0;
	for (size_t i = sizeof(void *); i < 128; i++)
		bad += k[i] != SLAB_POISON_FREE;
	CHECK_EQ(bad, 0);
	kfree(keep);
}

TEST(odd_size_cache_fills_several_slabs)
{
	boot();
	struct kmem_cache c;
	kmem_cache_init(&c, "odd40", 40);
	CHECK_EQ(c.size, 40);
	CHECK_EQ(c.per_slab, PAGE_SIZE / 40);
	unsigned long free0 = nr_free_pages();

	enum { N = 3 * (PAGE_SIZE / 40) + 5 }; /* three full slabs and a bit */
	static struct obj objs[N];
	int bad = 0;
	for (int i = 0; i < N; i++) {
		unsigned char *p = kmem_cache_alloc(&c);
		CHECK(p != NULL);
		if (!p)
			return;
		struct page *pg = virt_to_page(p);
		size_t off = (uintptr_t)p % PAGE_SIZE;
		bad += (uintptr_t)p % 8 != 0 || off % 40 != 0 || off + 40 > PAGE_SIZE;
		bad += !(pg->flags & PG_slab) || pg->slab_cache != &c;
		objs[i] = (struct obj){p, 40, (unsigned char)(i + 1)};
		memset(p, objs[i].fill, 40);
	}
	CHECK_EQ(bad, 0);
	CHECK_EQ(c.nr_slabs, 4);
	CHECK_EQ(c.nr_inuse, N);
	CHECK_EQ(nr_free_pages(), free0 - 4);
	for (int i = 0; i < N; i++)
		bad += !intact(&objs[i]);
	CHECK_EQ(bad, 0);
	CHECK(disjoint(objs, N));

	for (int i = 0; i < N; i++)
		kmem_cache_free(&c, objs[i].p);
	CHECK_EQ(c.nr_inuse, 0);
	CHECK_EQ(c.nr_slabs, 1); /* the last empty slab is kept */
	CHECK_EQ(nr_free_pages(), free0 - 1);
	kmem_cache_shrink(&c);
	CHECK_EQ(c.nr_slabs, 0);
	CHECK_EQ(nr_free_pages(), free0);
	CHECK_EQ(page_alloc_check(), 0);

	/* sizes round up to 8 */
	kmem_cache_init(&c, "odd41", 41);
	CHECK_EQ(c.size, 48);
	CHECK_EQ(c.per_slab, PAGE_SIZE / 48);
}

TEST(empty_slab_released_except_the_last)
{
	boot();
	struct kmem_cache c;
	kmem_cache_init(&c, "k1", 1024); /* four per slab */
	unsigned long free0 = nr_free_pages();
	void *o[8];
	for (int i = 0; i < 8; i++)
		o[i] = kmem_cache_alloc(&c);
	CHECK_EQ(c.nr_slabs, 2);
	CHECK(virt_to_page(o[0]) == virt_to_page(o[3]));
	CHECK(virt_to_page(o[4]) == virt_to_page(o[7]));
	CHECK(virt_to_page(o[0]) != virt_to_page(o[4]));

	for (int i = 0; i < 4; i++) /* the first slab empties while it is the only partial one */
		kmem_cache_free(&c, o[i]);
	CHECK_EQ(c.nr_slabs, 2);
	CHECK_EQ(nr_free_pages(), free0 - 2);
	for (int i = 4; i < 8; i++) /* the second empties next to another partial: released */
		kmem_cache_free(&c, o[i]);
	CHECK_EQ(c.nr_slabs, 1);
	CHECK_EQ(nr_free_pages(), free0 - 1);

	/* alloc/free pairs reuse the kept slab instead of thrashing the buddy allocator */
	struct page_alloc_stats a, b;
	page_alloc_stats(&a);
	for (int i = 0; i < 100; i++)
		kmem_cache_free(&c, kmem_cache_alloc(&c));
	page_alloc_stats(&b);
	CHECK_EQ(b.pgalloc, a.pgalloc);
	CHECK_EQ(c.nr_slabs, 1);
	kmem_cache_shrink(&c);
	CHECK_EQ(nr_free_pages(), free0);
}

TEST(alloc_fails_cleanly_when_out_of_pages)
{
	boot();
	struct kmem_cache c;
	kmem_cache_init(&c, "oom", 256);
	unsigned long free0 = nr_free_pages();
	static struct page *held[RAM / PAGE_SIZE];
	unsigned long n = 0;
	while ((held[n] = alloc_page()) != NULL)
		n++;

	CHECK(kmem_cache_alloc(&c) == NULL);
	CHECK_EQ(c.nr_slabs, 0);
	CHECK_EQ(c.nr_inuse, 0);
	CHECK(kmalloc(16) == NULL);
	CHECK(kmalloc(5000) == NULL);
	CHECK(kzalloc(64) == NULL);
	CHECK_EQ(sim_locks_held(), 0);

	put_page(held[--n]); /* one page back: one slab's worth */
	void *p = kmem_cache_alloc(&c);
	CHECK(p != NULL);
	CHECK_EQ(c.nr_slabs, 1);
	kmem_cache_free(&c, p);
	kmem_cache_shrink(&c);
	while (n > 0)
		put_page(held[--n]);
	CHECK_EQ(nr_free_pages(), free0);
}

struct free_args {
	struct kmem_cache *c;
	void *obj;
};

static void cache_free_arg(void *arg)
{
	struct free_args *a = arg;
	kmem_cache_free(a->c, a->obj);
}

TEST(cache_free_checks_cache_and_slot)
{
	boot();
	struct kmem_cache c, other;
	kmem_cache_init(&c, "mine", 48);
	kmem_cache_init(&other, "other", 48);
	char *p = kmem_cache_alloc(&c), *q = kmem_cache_alloc(&c);

	struct free_args wrong_cache = {&other, p};
	CHECK(expect_panic(cache_free_arg, &wrong_cache));
	struct free_args mid_slot = {&c, p + 8};
	CHECK(expect_panic(cache_free_arg, &mid_slot));
	struct page *pg = alloc_page(); /* not a slab page at all */
	struct free_args not_slab = {&c, page_address(pg)};
	CHECK(expect_panic(cache_free_arg, &not_slab));
	put_page(pg);
	CHECK_EQ(sim_locks_held(), 0);
	CHECK_EQ(c.nr_inuse, 2); /* none of those frees happened */

	struct free_args right = {&c, p};
	CHECK(!expect_panic(cache_free_arg, &right));
	CHECK_EQ(c.nr_inuse, 1);
	kmem_cache_free(&c, q);
	CHECK_EQ(c.nr_inuse, 0);
}

static void cache_init_arg(void *size)
{
	struct kmem_cache c;
	kmem_cache_init(&c, "bad", *(size_t *)size);
}

TEST(cache_init_rejects_bad_sizes)
{
	boot();
	size_t zero = 0, too_big = PAGE_SIZE + 1, page = PAGE_SIZE;
	CHECK(expect_panic(cache_init_arg, &zero));
	CHECK(expect_panic(cache_init_arg, &too_big));
	CHECK(!expect_panic(cache_init_arg, &page));

	struct kmem_cache c;
	kmem_cache_init(&c, "page", PAGE_SIZE);
	CHECK_EQ(c.per_slab, 1);
	void *a = kmem_cache_alloc(&c), *b = kmem_cache_alloc(&c);
	CHECK(a != NULL && b != NULL && a != b);
	CHECK_EQ((uintptr_t)a % PAGE_SIZE, 0);
	CHECK_EQ(c.nr_slabs, 2);
	kmem_cache_free(&c, a);
	kmem_cache_free(&c, b);
	kmem_cache_shrink(&c);
	CHECK_EQ(c.nr_slabs, 0);
}

RUN_TESTS(slab, CASE(kmalloc_every_size_fits_aligned_and_disjoint),
	  CASE(kmalloc_large_sizes_take_whole_pages), CASE(kfree_returns_pages),
	  CASE(kzalloc_zeroes), CASE(freed_objects_are_poisoned),
	  CASE(odd_size_cache_fills_several_slabs), CASE(empty_slab_released_except_the_last),
	  CASE(alloc_fails_cleanly_when_out_of_pages), CASE(cache_free_checks_cache_and_slot),
	  CASE(cache_init_rejects_bad_sizes))
