/*
 * test_vma_index.c - the sorted VMA index behind find_vma (mm/vma_index.c).
 */
#include "tests/host/check.h"
#include "tests/host/env.h"
#include "mm/mm.h"
#include "mm/slab.h"

#define NV 500

static struct vm_area_struct vmas[NV];

static void make(struct vm_area_struct *v, uintptr_t start, uintptr_t end)
{
	memset(v, 0, sizeof(*v));
	v->vm_start = start;
	v->vm_end = end;
}

static void setup(void)
{
	sim_boot(16UL << 20);
	kmalloc_init();
}

/* a reference find_vma: linear scan over everything inserted */
static int linear_find(struct vm_area_struct **all, int n, uintptr_t addr)
{
	struct vm_area_struct *best = NULL;
	for (int i = 0; i < n; i++)
		if (all[i]->vm_end > addr && (!best || all[i]->vm_start < best->vm_start))
			best = all[i];
	return best ? (int)(best - vmas) : -1;
}

TEST(find_matches_linear_scan_in_random_order)
{
	struct vma_index ix = {0};
	struct vm_area_struct *all[NV];
	unsigned seed = 12345;
	setup();
	/* every other 4-page slot, inserted in a shuffled order */
	int order[NV];
	for (int i = 0; i < NV; i++)
		order[i] = i;
	for (int i = NV - 1; i > 0; i--) {
		seed = seed * 1103515245 + 12345;
		int j = (int)(seed % (unsigned)(i + 1)), t = order[i];
		order[i] = order[j];
		order[j] = t;
	}
	for (int k = 0; k < NV; k++) {
		int i = order[k];
		make(&vmas[i], 0x400000 + (uintptr_t)i * 0x8000,
		     0x400000 + (uintptr_t)i * 0x8000 + 0x4000);
		CHECK_EQ(vma_index_insert(&ix, &vmas[i]), 0);
		all[k] = &vmas[i];
	}
	CHECK_EQ(ix.n, NV);
	for (int i = 1; i < ix.n; i++)
		CHECK(ix.v[i - 1]->vm_end <= ix.v[i]->vm_start); /* sorted, disjoint */
	for (uintptr_t a = 0x3ff000; a < 0x400000 + NV * 0x8000UL + 0x8000; a += 0x1000) {
		int p = vma_index_find(&ix, a);
		int want = linear_find(all, NV, a);
		CHECK_EQ(p < ix.n ? (int)(ix.v[p] - vmas) : -1, want);
	}
	vma_index_destroy(&ix);
	sim_mem_free();
}

TEST(remove_keeps_order_and_pos_is_exact)
{
	struct vma_index ix = {0};
	setup();
	for (int i = 0; i < 64; i++) {
		make(&vmas[i], (uintptr_t)(i + 1) * 0x10000, (uintptr_t)(i + 1) * 0x10000 + 0x1000);
		CHECK_EQ(vma_index_insert(&ix, &vmas[i]), 0);
	}
	for (int i = 0; i < 64; i += 2)
		vma_index_remove(&ix, &vmas[i]);
	CHECK_EQ(ix.n, 32);
	for (int k = 0; k < ix.n; k++) {
		CHECK_EQ(ix.v[k] - vmas, 2 * k + 1);
		CHECK_EQ(vma_index_pos(&ix, ix.v[k]), k);
	}
	/* an address inside a removed VMA finds the next one up */
	CHECK_EQ(ix.v[vma_index_find(&ix, 0x10000)] - vmas, 1);
	CHECK_EQ(vma_index_find(&ix, 0xffffffff), ix.n);
	vma_index_destroy(&ix);
	sim_mem_free();
}

static void insert_overlap(void *arg)
{
	struct vma_index *ix = arg;
	make(&vmas[1], 0x1800, 0x3000); /* overlaps [0x1000, 0x2000) */
	vma_index_insert(ix, &vmas[1]);
}

TEST(overlapping_insert_is_a_bug)
{
	struct vma_index ix = {0};
	setup();
	make(&vmas[0], 0x1000, 0x2000);
	CHECK_EQ(vma_index_insert(&ix, &vmas[0]), 0);
	CHECK(expect_panic(insert_overlap, &ix));
	vma_index_destroy(&ix);
	sim_mem_free();
}

RUN_TESTS(vma_index, CASE(find_matches_linear_scan_in_random_order),
	  CASE(remove_keeps_order_and_pos_is_exact), CASE(overlapping_insert_is_a_bug))
