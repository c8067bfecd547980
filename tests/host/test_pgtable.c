/*
 * test_pgtable.c - mm/pgtable.c: 4-level page tables in simulated memory.
 *
 * Build (every mm/ source is linked into each suite):
 * gcc -std=gnu11 -g -O1 -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -Wall -Wextra -Werror -DMOO_HOST -I. tests/host/test_pgtable.c tests/host/env.c mm/page_alloc.c mm/memmap.c mm/slab.c mm/pgtable.c -o build/host/test_pgtable
 *
 * Every test boots a fresh 32 MiB machine. The physical addresses mapped are
 * just numbers: pgtable.c never touches the frames it maps. pt_pages() is a
 * global count, and tables of the kernel half are never freed, so tests
 * compare it with its value at their start.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include "tests/host/check.h"
#include "tests/host/env.h"
#include "mm/page.h"
#include "mm/pgtable.h"

#define RAM (32UL << 20)

#define KVA 0xffff800000000000UL /* the first kernel-half address */

static unsigned long pt0, free0; /* pt_pages() and nr_free_pages() after boot */

static void boot(void)
{
	sim_boot(RAM);
	tlb_reset();
	pt0 = pt_pages();
	free0 = nr_free_pages();
}

/* entry: the raw entry at level for va, following present non-leaf entries; NULL if none. */
static pte_t *entry(pte_t *pml4, uintptr_t va, int level)
{
	pte_t *table = pml4;
	for (int l = 4; l > level; l--) {
		pte_t e = table[PT_INDEX(va, l)];
		if (!(e & PTE_P) || (e & PTE_PS))
			return NULL;
		table = phys_to_virt(e & PTE_ADDR_MASK);
	}
	return &table[PT_INDEX(va, level)];
}

static bool mapping_is(const struct pt_mapping *m, uintptr_t va, phys_addr_t pa, unsigned long size,
		       pte_t flags)
{
	bool ok = m->va == va && m->pa == pa && m->size == size && m->flags == flags;
	if (!ok)
		printf("    mapping va %#lx pa %#llx size %#lx flags %#llx, want %#lx %#llx %#lx "
		       "%#llx\n",
		       (unsigned long)m->va, (unsigned long long)m->pa, m->size,
		       (unsigned long long)m->flags, (unsigned long)va, (unsigned long long)pa,
		       size, (unsigned long long)flags);
	return ok;
}

static bool lookup_is(pte_t *pml4, uintptr_t addr, uintptr_t va, phys_addr_t pa, unsigned long size,
		      pte_t flags)
{
	struct pt_mapping m;
	memset(&m, 0xee, sizeof(m));
	return pt_lookup(pml4, addr, &m) && mapping_is(&m, va, pa, size, flags);
}

TEST(create_gives_an_empty_table)
{
	boot();
	pte_t *pml4 = pt_create();
	CHECK(pml4 != NULL);
	CHECK_EQ((uintptr_t)pml4 % PAGE_SIZE, 0);
	int nonzero = 0;
	for (int i = 0; i < PT_ENTRIES; i++)
		nonzero += pml4[i] != 0; /* the page was poisoned or SIM_MEM_FILL before */
	CHECK_EQ(nonzero, 0);
	CHECK_EQ(virt_to_page(pml4)->inuse, 0);
	CHECK_EQ(pt_pages(), pt0 + 1);
	CHECK_EQ(nr_free_pages(), free0 - 1);
	CHECK(!pt_lookup(pml4, 0x400000, NULL));
	pt_destroy(pml4);
	CHECK_EQ(pt_pages(), pt0);
	CHECK_EQ(nr_free_pages(), free0);
}

TEST(map_4k_and_lookup)
{
	boot();
	pte_t *pml4 = pt_create();
	CHECK_EQ(pt_map(pml4, 0x400000, 0x1234000, PAGE_SIZE, PTE_W | PTE_U), 0);
	CHECK(lookup_is(pml4, 0x400000, 0x400000, 0x1234000, PAGE_SIZE, PTE_P | PTE_W | PTE_U));
	CHECK(lookup_is(pml4, 0x400fff, 0x400000, 0x1234000, PAGE_SIZE, PTE_P | PTE_W | PTE_U));
	CHECK(!pt_lookup(pml4, 0x401000, NULL));
	CHECK(!pt_lookup(pml4, 0x3ff000, NULL));
	CHECK_EQ(pt_pages(), pt0 + 4); /* PML4, PDPT, PD, PT */

	/* present is implied; other flags are kept as given, read-only included */
	CHECK_EQ(pt_map(pml4, 0x401000, 0x5000, PAGE_SIZE, PTE_U | PTE_NX | PTE_G), 0);
	CHECK(
	    lookup_is(pml4, 0x401800, 0x401000, 0x5000, PAGE_SIZE, PTE_P | PTE_U | PTE_NX | PTE_G));
	CHECK_EQ(pt_pages(), pt0 + 4); /* same table */

	/* address bits in flags are ignored, not or-ed into the frame */
	CHECK_EQ(pt_map(pml4, 0x402000, 0x6000, PAGE_SIZE, PTE_W | 0xabc000), 0);
	CHECK(lookup_is(pml4, 0x402000, 0x402000, 0x6000, PAGE_SIZE, PTE_P | PTE_W));
	pt_destroy(pml4);
}

TEST(map_2m_and_lookup_inside_it)
{
	boot();
	pte_t *pml4 = pt_create();
	CHECK_EQ(pt_map(pml4, 0x40000000, 0x1e00000, HPAGE_SIZE, PTE_W | PTE_NX), 0);
	pte_t want = PTE_P | PTE_W | PTE_NX | PTE_PS;
	CHECK(lookup_is(pml4, 0x40000000, 0x40000000, 0x1e00000, HPAGE_SIZE, want));
	CHECK(lookup_is(pml4, 0x40123456, 0x40000000, 0x1e00000, HPAGE_SIZE, want));
	CHECK(lookup_is(pml4, 0x401fffff, 0x40000000, 0x1e00000, HPAGE_SIZE, want));
	CHECK(!pt_lookup(pml4, 0x40200000, NULL));
	CHECK(!pt_lookup(pml4, 0x3fffffff, NULL));
	CHECK_EQ(pt_pages(), pt0 + 3); /* PML4, PDPT, PD: no PT under a huge page */

	/* bit 12 of a 2 MiB entry is PAT, not part of the frame's address */
	pte_t *pde = pt_walk(pml4, 0x40200000, 2, false);
	CHECK(pde != NULL && *pde == 0);
	set_pte_at(pml4, 0x40200000, pde, 0x2000000 | (1UL << 12) | PTE_P | PTE_PS);
	CHECK(lookup_is(pml4, 0x40212345, 0x40200000, 0x2000000, HPAGE_SIZE, PTE_P | PTE_PS));
	pt_destroy(pml4);
}

TEST(map_rejects_misalignment_and_bad_size)
{
	boot();
	pte_t *pml4 = pt_create();
	CHECK_EQ(pt_map(pml4, 0x400800, 0x1000, PAGE_SIZE, PTE_W), -EINVAL); /* va */
	CHECK_EQ(pt_map(pml4, 0x400000, 0x1001, PAGE_SIZE, PTE_W), -EINVAL); /* pa */
	CHECK_EQ(pt_map(pml4, 0x401000, 0x200000, HPAGE_SIZE, PTE_W), -EINVAL);
	CHECK_EQ(pt_map(pml4, 0x400000, 0x201000, HPAGE_SIZE, PTE_W), -EINVAL);
	CHECK_EQ(pt_map(pml4, 0x400000, 0x200000, 2 * PAGE_SIZE, PTE_W), -EINVAL);
	CHECK_EQ(pt_map(pml4, 0x400000, 0x200000, 1UL << 30, PTE_W), -EINVAL); /* no 1 GiB pages */
	CHECK_EQ(pt_map(pml4, 0x400000, 0x200000, 0, PTE_W), -EINVAL);
	CHECK_EQ(pt_pages(), pt0 + 1); /* nothing was built */
	CHECK(!pt_lookup(pml4, 0x400000, NULL));
	pt_destroy(pml4);
}

TEST(map_over_existing_is_eexist)
{
	boot();
	pte_t *pml4 = pt_create();
	CHECK_EQ(pt_map(pml4, 0x400000, 0x1000, PAGE_SIZE, PTE_W), 0);
	CHECK_EQ(pt_map(pml4, 0x400000, 0x2000, PAGE_SIZE, PTE_U), -EEXIST);
	CHECK(
	    lookup_is(pml4, 0x400000, 0x400000, 0x1000, PAGE_SIZE, PTE_P | PTE_W)); /* untouched */
	/* a 2 MiB page where a page table already is */
	CHECK_EQ(pt_map(pml4, 0x400000, 0x200000, HPAGE_SIZE, PTE_W), -EEXIST);

	CHECK_EQ(pt_map(pml4, 0x800000, 0x600000, HPAGE_SIZE, PTE_W), 0);
	unsigned long pages = pt_pages();
	CHECK_EQ(pt_map(pml4, 0x800000, 0x1000, PAGE_SIZE, PTE_W), -EEXIST);
	CHECK_EQ(pt_map(pml4, 0x9ff000, 0x1000, PAGE_SIZE, PTE_W), -EEXIST); /* inside it */
	CHECK_EQ(pt_map(pml4, 0x800000, 0x200000, HPAGE_SIZE, PTE_W), -EEXIST);
	CHECK(lookup_is(pml4, 0x9ff000, 0x800000, 0x600000, HPAGE_SIZE, PTE_P | PTE_W | PTE_PS));
	CHECK_EQ(pt_pages(), pages);
	pt_destroy(pml4);
}

TEST(map_fails_with_enomem_when_out_of_pages)
{
	boot();
	pte_t *pml4 = pt_create();
	static struct page *held[RAM / PAGE_SIZE];
	unsigned long n = 0;
	while ((held[n] = alloc_page()) != NULL)
		n++;
	CHECK(pt_create() == NULL);
	CHECK_EQ(pt_map(pml4, 0x400000, 0x1000, PAGE_SIZE, PTE_W), -ENOMEM);
	CHECK(!pt_lookup(pml4, 0x400000, NULL));
	CHECK_EQ(sim_locks_held(), 0);
	while (n > 0)
		put_page(held[--n]);
	CHECK_EQ(pt_map(pml4, 0x400000, 0x1000, PAGE_SIZE, PTE_W), 0);
	pt_destroy(pml4);
	CHECK_EQ(pt_pages(), pt0);
	CHECK_EQ(nr_free_pages(), free0);
}

TEST(protect_changes_flags_keeps_address_and_flushes)
{
	boot();
	pte_t *pml4 = pt_create();
	CHECK_EQ(pt_map(pml4, 0x400000, 0x1234000, PAGE_SIZE, PTE_W | PTE_U), 0);
	tlb_reset();
	CHECK_EQ(pt_protect(pml4, 0x400010, PTE_U | PTE_NX), 0);
	CHECK(lookup_is(pml4, 0x400000, 0x400000, 0x1234000, PAGE_SIZE, PTE_P | PTE_U | PTE_NX));
	CHECK_EQ(tlb_page_flushes, 1);
	CHECK_EQ(tlb_last_flush_va & PAGE_MASK, 0x400000);

	/* a 2 MiB page stays one, at the same address */
	CHECK_EQ(pt_map(pml4, 0x600000, 0xa00000, HPAGE_SIZE, PTE_U), 0);
	tlb_reset();
	CHECK_EQ(pt_protect(pml4, 0x712345, PTE_W), 0);
	CHECK(lookup_is(pml4, 0x600000, 0x600000, 0xa00000, HPAGE_SIZE, PTE_P | PTE_W | PTE_PS));
	CHECK_EQ(tlb_page_flushes, 1);
	CHECK(tlb_last_flush_va >= 0x600000 && tlb_last_flush_va < 0x800000);

	/* unchanged flags: nothing to flush */
	tlb_reset();
	CHECK_EQ(pt_protect(pml4, 0x600000, PTE_W), 0);
	CHECK_EQ(tlb_page_flushes, 0);

	CHECK_EQ(pt_protect(pml4, 0x401000, PTE_W), -ENOENT);
	CHECK_EQ(pt_protect(pml4, 0x40000000, PTE_W), -ENOENT);
	CHECK(!pt_lookup(pml4, 0x401000, NULL)); /* protect did not create a mapping */
	pt_destroy(pml4);
}

TEST(mapping_a_fresh_page_does_not_flush)
{
	boot();
	pte_t *pml4 = pt_create();
	tlb_reset();
	CHECK_EQ(pt_map(pml4, 0x400000, 0x1000, PAGE_SIZE, PTE_W), 0); /* and three new tables */
	CHECK_EQ(pt_map(pml4, 0x401000, 0x2000, PAGE_SIZE, PTE_W), 0);
	CHECK_EQ(pt_map(pml4, 0x7ffffffff000, 0x3000, PAGE_SIZE, PTE_W), 0);
	CHECK_EQ(pt_map(pml4, 0xc00000, 0x200000, HPAGE_SIZE, PTE_W), 0);
	CHECK_EQ(tlb_page_flushes, 0);
	CHECK_EQ(tlb_all_flushes, 0);
	pt_destroy(pml4);
}

TEST(set_pte_at_flushes_only_changed_present_entries)
{
	boot();
	pte_t *pml4 = pt_create();
	uintptr_t va = 0x400000;
	pte_t *e = pt_walk(pml4, va, 1, true);
	CHECK(e != NULL && *e == 0);
	struct page *pt = virt_to_page(e);
	CHECK_EQ(pt->inuse, 0);
	tlb_reset();

	set_pte_at(pml4, va, e, 0x1000 | PTE_P); /* installing: no flush */
	CHECK_EQ(tlb_page_flushes, 0);
	CHECK_EQ(pt->inuse, 1);
	set_pte_at(pml4, va, e, 0x1000 | PTE_P); /* same value: no flush */
	CHECK_EQ(tlb_page_flushes, 0);
	set_pte_at(pml4, va, e, 0x1000 | PTE_P | PTE_W); /* changed: flush that va */
	CHECK_EQ(tlb_page_flushes, 1);
	CHECK_EQ(tlb_last_flush_va, va);
	CHECK_EQ(pt->inuse, 1);
	set_pte_at(pml4, va, e, 0x1000); /* present -> not present: flush */
	CHECK_EQ(tlb_page_flushes, 2);
	CHECK_EQ(pt->inuse, 1);          /* still a non-zero entry */
	set_pte_at(pml4, va, e, 0x2000); /* not present -> not present: no flush */
	CHECK_EQ(tlb_page_flushes, 2);
	set_pte_at(pml4, va, e, 0);
	CHECK_EQ(tlb_page_flushes, 2);
	CHECK_EQ(pt->inuse, 0);
	CHECK_EQ(*e, 0);
	pt_destroy(pml4);
}

TEST(unmap_returns_old_mapping_flushes_and_frees_tables)
{
	boot();
	pte_t *pml4 = pt_create();
	unsigned long pages = pt_pages(), nfree = nr_free_pages();

	CHECK_EQ(pt_map(pml4, 0x400000, 0x1234000, PAGE_SIZE, PTE_W | PTE_U | PTE_NX), 0);
	CHECK_EQ(pt_pages(), pages + 3);
	CHECK_EQ(nr_free_pages(), nfree - 3);
	tlb_reset();
	struct pt_mapping old;
	CHECK_EQ(pt_unmap(pml4, 0x400abc, &old), 0);
	CHECK(mapping_is(&old, 0x400000, 0x1234000, PAGE_SIZE, PTE_P | PTE_W | PTE_U | PTE_NX));
	CHECK(tlb_page_flushes >= 1);
	CHECK_EQ(tlb_last_flush_va & PAGE_MASK, 0x400000);
	CHECK(!pt_lookup(pml4, 0x400000, NULL));
	CHECK_EQ(pt_pages(), pages); /* PT, PD and PDPT went with it */
	CHECK_EQ(nr_free_pages(), nfree);
	CHECK_EQ(pml4[0], 0);
	CHECK_EQ(virt_to_page(pml4)->inuse, 0);
	CHECK_EQ(pt_unmap(pml4, 0x400000, &old), -ENOENT);
	CHECK_EQ(pt_unmap(pml4, 0x400000, NULL), -ENOENT);

	/* a 2 MiB page, unmapped by an address inside it */
	CHECK_EQ(pt_map(pml4, 0x7fffffe00000, 0xe00000, HPAGE_SIZE, PTE_U), 0);
	CHECK_EQ(pt_pages(), pages + 2);
	tlb_reset();
	CHECK_EQ(pt_unmap(pml4, 0x7ffffffff000, &old), 0);
	CHECK(mapping_is(&old, 0x7fffffe00000, 0xe00000, HPAGE_SIZE, PTE_P | PTE_U | PTE_PS));
	CHECK(tlb_page_flushes >= 1);
	CHECK_EQ(pt_pages(), pages);
	CHECK_EQ(nr_free_pages(), nfree);
	CHECK_EQ(pml4[255], 0);

	/* NULL for old is fine */
	CHECK_EQ(pt_map(pml4, 0x400000, 0x1000, PAGE_SIZE, PTE_W), 0);
	CHECK_EQ(pt_unmap(pml4, 0x400000, NULL), 0);
	CHECK_EQ(pt_pages(), pages);
	pt_destroy(pml4);
	CHECK_EQ(pt_pages(), pt0);
	CHECK_EQ(nr_free_pages(), free0);
}

TEST(unmap_keeps_tables_still_in_use)
{
	boot();
	pte_t *pml4 = pt_create();
	unsigned long pages = pt_pages();
	CHECK_EQ(pt_map(pml4, 0x400000, 0x1000, PAGE_SIZE, PTE_W), 0);
	CHECK_EQ(pt_map(pml4, 0x401000, 0x2000, PAGE_SIZE, PTE_W), 0);
	CHECK_EQ(pt_map(pml4, 0x600000, 0x400000, HPAGE_SIZE, PTE_W), 0); /* same PD */
	pte_t *pte = entry(pml4, 0x400000, 1), *pde = entry(pml4, 0x400000, 2);
	CHECK_EQ(virt_to_page(pte)->inuse, 2);
	CHECK_EQ(virt_to_page(pde)->inuse, 2);
	CHECK_EQ(pt_pages(), pages + 3);

	CHECK_EQ(pt_unmap(pml4, 0x400000, NULL), 0);
	CHECK_EQ(pt_pages(), pages + 3); /* the PT still maps 0x401000 */
	CHECK_EQ(virt_to_page(pte)->inuse, 1);
	CHECK(lookup_is(pml4, 0x401000, 0x401000, 0x2000, PAGE_SIZE, PTE_P | PTE_W));

	CHECK_EQ(pt_unmap(pml4, 0x401000, NULL), 0);
	CHECK_EQ(pt_pages(), pages + 2); /* the PT went; the PD still holds the 2 MiB page */
	CHECK_EQ(virt_to_page(pde)->inuse, 1);
	CHECK_EQ(*pde, 0);
	CHECK(lookup_is(pml4, 0x600000, 0x600000, 0x400000, HPAGE_SIZE, PTE_P | PTE_W | PTE_PS));

	CHECK_EQ(pt_unmap(pml4, 0x600000, NULL), 0);
	CHECK_EQ(pt_pages(), pages);
	pt_destroy(pml4);
}

TEST(kernel_half_tables_are_never_freed)
{
	boot();
	pte_t *pml4 = pt_create();
	unsigned long pages = pt_pages();
	const uintptr_t kva = KVA + 0x200000;
	CHECK_EQ(pt_map(pml4, kva, 0x1000, PAGE_SIZE, PTE_W), 0);
	CHECK_EQ(pt_map(pml4, 0xffffffff80000000UL, 0x200000, HPAGE_SIZE, PTE_W), 0);
	CHECK_EQ(pt_pages(), pages + 5);
	CHECK(lookup_is(pml4, kva + 5, kva, 0x1000, PAGE_SIZE, PTE_P | PTE_W));

	CHECK_EQ(pt_unmap(pml4, kva, NULL), 0);
	CHECK_EQ(pt_unmap(pml4, 0xffffffff80000000UL, NULL), 0);
	CHECK(!pt_lookup(pml4, kva, NULL));
	CHECK_EQ(pt_pages(), pages + 5); /* shared by every address space: kept */
	CHECK(pml4[256] & PTE_P);
	CHECK(pml4[511] & PTE_P);
	pte_t *pte = entry(pml4, kva, 1);
	CHECK(pte != NULL && *pte == 0);

	/* and pt_destroy leaves them alone too: only the PML4 itself goes */
	pt_destroy(pml4);
	CHECK_EQ(pt_pages(), pages + 4);
}

TEST(intermediate_entries_user_bit_only_in_user_half)
{
	boot();
	pte_t *pml4 = pt_create();
	/* a kernel-only mapping in the user half still gets U on its tables: the leaf decides */
	CHECK_EQ(pt_map(pml4, 0x400000, 0x1000, PAGE_SIZE, PTE_W), 0);
	for (int l = 4; l >= 2; l--) {
		pte_t *e = entry(pml4, 0x400000, l);
		CHECK(e != NULL && (*e & (PTE_P | PTE_W | PTE_U)) == (PTE_P | PTE_W | PTE_U));
		CHECK(e != NULL && !(*e & (PTE_NX | PTE_PS)));
	}
	pte_t *leaf = entry(pml4, 0x400000, 1);
	CHECK(leaf != NULL && *leaf == (0x1000 | PTE_P | PTE_W));

	/* the top of user space too */
	CHECK_EQ(pt_map(pml4, USER_TOP - PAGE_SIZE, 0x2000, PAGE_SIZE, PTE_U), 0);
	for (int l = 4; l >= 2; l--) {
		pte_t *e = entry(pml4, USER_TOP - PAGE_SIZE, l);
		CHECK(e != NULL && (*e & PTE_U));
	}

	/* kernel half: P and W, never U */
	CHECK_EQ(pt_map(pml4, KVA, 0x3000, PAGE_SIZE, PTE_W | PTE_G), 0);
	for (int l = 4; l >= 2; l--) {
		pte_t *e = entry(pml4, KVA, l);
		CHECK(e != NULL && (*e & (PTE_P | PTE_W | PTE_U)) == (PTE_P | PTE_W));
	}
	leaf = entry(pml4, KVA, 1);
	CHECK(leaf != NULL && *leaf == (0x3000 | PTE_P | PTE_W | PTE_G));
	pt_destroy(pml4);
}

TEST(nx_bit_preserved_in_raw_entry)
{
	boot();
	pte_t *pml4 = pt_create();
	CHECK_EQ(pt_map(pml4, 0x400000, 0x7ff000, PAGE_SIZE, PTE_U | PTE_NX), 0);
	pte_t *e = entry(pml4, 0x400000, 1);
	CHECK(e != NULL && *e == (0x7ff000 | PTE_P | PTE_U | PTE_NX));
	CHECK(e != NULL && pte_addr(*e) == 0x7ff000);

	CHECK_EQ(pt_map(pml4, 0x600000, 0x800000, HPAGE_SIZE, PTE_W | PTE_NX), 0);
	e = entry(pml4, 0x600000, 2);
	CHECK(e != NULL && *e == (0x800000 | PTE_P | PTE_W | PTE_PS | PTE_NX));

	/* pt_protect sets NX and clears it */
	CHECK_EQ(pt_protect(pml4, 0x600000, PTE_U), 0);
	CHECK(e != NULL && *e == (0x800000 | PTE_P | PTE_U | PTE_PS));
	CHECK_EQ(pt_protect(pml4, 0x600000, PTE_U | PTE_NX), 0);
	CHECK(e != NULL && *e == (0x800000 | PTE_P | PTE_U | PTE_PS | PTE_NX));
	pt_destroy(pml4);
}

/* ---- pt_for_each ---- */

struct seen {
	int n, stop_after, calls;
	struct pt_mapping m[16];
};

static int record(const struct pt_mapping *m, void *arg)
{
	struct seen *s = arg;
	s->calls++;
	if (s->n < 16)
		s->m[s->n++] = *m;
	return s->stop_after && s->calls >= s->stop_after ? 42 : 0;
}

TEST(for_each_visits_leaves_in_order_across_tables)
{
	boot();
	pte_t *pml4 = pt_create();
	/* mapped out of order, in different PTs, PDs, PDPTs and both halves */
	const uintptr_t k = KVA + 0x1000;
	CHECK_EQ(pt_map(pml4, k, 0x9000, PAGE_SIZE, PTE_W), 0);
	CHECK_EQ(pt_map(pml4, 0x7ffffffff000, 0x8000, PAGE_SIZE, PTE_U | PTE_W), 0);
	CHECK_EQ(pt_map(pml4, 0x40000000, 0x600000, HPAGE_SIZE, PTE_U), 0);
	CHECK_EQ(pt_map(pml4, 0x401000, 0x7000, PAGE_SIZE, PTE_U), 0);
	CHECK_EQ(pt_map(pml4, 0x400000, 0x6000, PAGE_SIZE, PTE_U), 0);
	CHECK_EQ(pt_map(pml4, 0x5ff000, 0x5000, PAGE_SIZE, PTE_U), 0); /* last entry of its PT */

	struct seen s = {0};
	CHECK_EQ(pt_for_each(pml4, 0, ~0UL, record, &s), 0);
	CHECK_EQ(s.n, 6);
	if (s.n == 6) {
		CHECK(mapping_is(&s.m[0], 0x400000, 0x6000, PAGE_SIZE, PTE_P | PTE_U));
		CHECK(mapping_is(&s.m[1], 0x401000, 0x7000, PAGE_SIZE, PTE_P | PTE_U));
		CHECK(mapping_is(&s.m[2], 0x5ff000, 0x5000, PAGE_SIZE, PTE_P | PTE_U));
		CHECK(
		    mapping_is(&s.m[3], 0x40000000, 0x600000, HPAGE_SIZE, PTE_P | PTE_U | PTE_PS));
		CHECK(
		    mapping_is(&s.m[4], 0x7ffffffff000, 0x8000, PAGE_SIZE, PTE_P | PTE_U | PTE_W));
		CHECK(mapping_is(&s.m[5], k, 0x9000, PAGE_SIZE, PTE_P | PTE_W)); /* sign-extended */
	}

	/* a sub-range: only what lies in it */
	s = (struct seen){0};
	CHECK_EQ(pt_for_each(pml4, 0x401000, 0x7ffffffff000, record, &s), 0);
	CHECK_EQ(s.n, 3);
	CHECK(s.n == 3 && s.m[0].va == 0x401000 && s.m[1].va == 0x5ff000 &&
	      s.m[2].va == 0x40000000);

	/* the kernel half alone */
	s = (struct seen){0};
	CHECK_EQ(pt_for_each(pml4, KVA, ~0UL, record, &s), 0);
	CHECK(s.n == 1 && s.m[0].va == k);

	/* an empty range, and one with nothing mapped */
	s = (struct seen){0};
	CHECK_EQ(pt_for_each(pml4, 0x402000, 0x402000, record, &s), 0);
	CHECK_EQ(pt_for_each(pml4, 0x402000, 0x5ff000, record, &s), 0);
	CHECK_EQ(s.calls, 0);
	pt_destroy(pml4);
}

TEST(for_each_stops_early)
{
	boot();
	pte_t *pml4 = pt_create();
	for (uintptr_t va = 0x400000; va < 0x400000 + 8 * PAGE_SIZE; va += PAGE_SIZE)
		CHECK_EQ(pt_map(pml4, va, va, PAGE_SIZE, PTE_U), 0);
	struct seen s = {.stop_after = 3};
	CHECK_EQ(pt_for_each(pml4, 0, USER_TOP, record, &s), 42);
	CHECK_EQ(s.calls, 3);
	CHECK(s.n == 3 && s.m[2].va == 0x402000);
	pt_destroy(pml4);
}

TEST(walk_without_alloc_returns_null_for_unmapped)
{
	boot();
	pte_t *pml4 = pt_create();
	unsigned long pages = pt_pages();
	CHECK(pt_walk(pml4, 0x12345000, 1, false) == NULL);
	CHECK(pt_walk(pml4, 0x12345000, 2, false) == NULL);
	CHECK(pt_walk(pml4, KVA, 1, false) == NULL);
	CHECK_EQ(pt_pages(), pages); /* and built nothing */
	CHECK_EQ(pml4[0], 0);

	pte_t *e = pt_walk(pml4, 0x12345000, 1, true);
	CHECK(e != NULL && *e == 0);
	CHECK_EQ(pt_pages(), pages + 3);
	CHECK(pt_walk(pml4, 0x12345000, 1, false) == e);
	CHECK(pt_walk(pml4, 0x12346000, 1, false) == e + 1); /* the next entry of the same PT */
	CHECK(pt_walk(pml4, 0x12345000, 2, false) == entry(pml4, 0x12345000, 2));

	/* no level-1 entry under a 2 MiB page */
	CHECK_EQ(pt_map(pml4, 0x40000000, 0x200000, HPAGE_SIZE, PTE_W), 0);
	CHECK(pt_walk(pml4, 0x40001000, 1, false) == NULL);
	CHECK(pt_walk(pml4, 0x40001000, 1, true) == NULL);
	CHECK(pt_walk(pml4, 0x40001000, 2, false) == entry(pml4, 0x40000000, 2));
	pt_destroy(pml4);
}

static int unmapped_count;
static struct pt_mapping unmapped[8];

static void note_unmapped(const struct pt_mapping *m, void *arg)
{
	pte_t *pml4 = arg;
	if (unmapped_count < 8)
		unmapped[unmapped_count] = *m;
	unmapped_count++;
	if (pt_lookup(pml4, m->va, NULL)) /* called after the entry is gone */
		unmapped_count += 100;
}

TEST(unmap_range_clears_leaves_and_frees_empty_tables)
{
	boot();
	pte_t *pml4 = pt_create();
	unsigned long pages = pt_pages();
	const uintptr_t k = KVA + 0x1000;
	CHECK_EQ(pt_map(pml4, 0x400000, 0x1000, PAGE_SIZE, PTE_U), 0);
	CHECK_EQ(pt_map(pml4, 0x401000, 0x2000, PAGE_SIZE, PTE_U), 0);
	CHECK_EQ(pt_map(pml4, 0x5ff000, 0x3000, PAGE_SIZE, PTE_U), 0);
	CHECK_EQ(pt_map(pml4, 0x600000, 0x200000, HPAGE_SIZE, PTE_U), 0);
	CHECK_EQ(pt_map(pml4, 0x40000000, 0x400000, HPAGE_SIZE, PTE_U), 0);
	CHECK_EQ(pt_map(pml4, k, 0x4000, PAGE_SIZE, PTE_W), 0);
	unsigned long all = pt_pages();

	/* ends inside the last 2 MiB page: that one is only partly in range and stays */
	unmapped_count = 0;
	tlb_reset();
	pt_unmap_range(pml4, 0x401000, 0x40100000, note_unmapped, pml4);
	CHECK_EQ(unmapped_count, 3);
	CHECK(unmapped_count == 3 && unmapped[0].va == 0x401000 && unmapped[1].va == 0x5ff000 &&
	      unmapped[2].va == 0x600000 && unmapped[2].size == HPAGE_SIZE);
	CHECK_EQ(tlb_page_flushes, 3);
	CHECK(pt_lookup(pml4, 0x400000, NULL));
	CHECK(pt_lookup(pml4, 0x40000000, NULL));
	CHECK_EQ(pt_pages(), all); /* every table still maps something */

	/* the whole user half: the user tables go, the kernel half is untouched */
	unmapped_count = 0;
	pt_unmap_range(pml4, 0, USER_TOP, note_unmapped, pml4);
	CHECK_EQ(unmapped_count, 2);
	CHECK_EQ(pt_pages(), all - 4); /* the PDPT, both PDs and the PT */
	CHECK_EQ(pml4[0], 0);
	CHECK(pt_lookup(pml4, k, NULL));

	/* the kernel half: the leaf goes, its tables stay */
	pt_unmap_range(pml4, KVA, ~0UL, NULL, NULL);
	CHECK(!pt_lookup(pml4, k, NULL));
	CHECK_EQ(pt_pages(), pages + 3);
	pt_destroy(pml4);
}

TEST(destroy_frees_every_table)
{
	boot();
	pte_t *pml4 = pt_create();
	static const uintptr_t va4k[] = {0x400000,     0x401000,       0x600000,      0x7fc0000000,
					 0x8000000000, 0x7ffffffff000, 0x123456789000};
	for (size_t i = 0; i < sizeof(va4k) / sizeof(va4k[0]); i++)
		CHECK_EQ(pt_map(pml4, va4k[i], 0x1000, PAGE_SIZE, PTE_U), 0);
	CHECK_EQ(pt_map(pml4, 0x40000000, 0x200000, HPAGE_SIZE, PTE_U), 0);
	CHECK_EQ(pt_map(pml4, 0x400000000000, 0x200000, HPAGE_SIZE, PTE_U), 0);
	CHECK(pt_pages() > pt0 + 10);
	CHECK(nr_free_pages() < free0 - 10);

	pt_destroy(pml4);
	CHECK_EQ(pt_pages(), pt0);
	CHECK_EQ(nr_free_pages(), free0);
	CHECK_EQ(page_alloc_check(), 0);
}

static int copied;
static pte_t copied_ptes[16];

static void note_copied(pte_t pte, void *arg)
{
	(void)arg;
	if (copied < 16)
		copied_ptes[copied] = pte;
	copied++;
}

/* fork's copy: entries copied, writable ones made read-only on both sides */
TEST(copy_range_write_protects_both_sides_when_cow)
{
	boot();
	pte_t *src = pt_create(), *dst = pt_create();
	CHECK_EQ(pt_map(src, 0x400000, 0x10000, PAGE_SIZE, PTE_U), 0);         /* read-only */
	CHECK_EQ(pt_map(src, 0x401000, 0x11000, PAGE_SIZE, PTE_U | PTE_W), 0); /* writable */
	CHECK_EQ(pt_map(src, 0x7ffffffff000, 0x12000, PAGE_SIZE, PTE_U | PTE_W | PTE_NX), 0);
	copied = 0;
	tlb_reset();
	CHECK_EQ(pt_copy_range(dst, src, 0, USER_TOP, true, note_copied, NULL), 0);
	CHECK_EQ(copied, 3);
	CHECK_EQ(tlb_page_flushes, 2); /* the two writable parent entries changed */
	CHECK(lookup_is(src, 0x401000, 0x401000, 0x11000, PAGE_SIZE, PTE_P | PTE_U));
	CHECK(lookup_is(dst, 0x401000, 0x401000, 0x11000, PAGE_SIZE, PTE_P | PTE_U));
	CHECK(lookup_is(dst, 0x400000, 0x400000, 0x10000, PAGE_SIZE, PTE_P | PTE_U));
	CHECK(lookup_is(dst, 0x7ffffffff123, 0x7ffffffff000, 0x12000, PAGE_SIZE,
			PTE_P | PTE_U | PTE_NX));
	CHECK(!(copied_ptes[1] & PTE_W)); /* fn sees the entry as installed */
	pt_unmap_range(src, 0, USER_TOP, NULL, NULL);
	pt_unmap_range(dst, 0, USER_TOP, NULL, NULL);
	pt_destroy(src);
	pt_destroy(dst);
	CHECK_EQ(pt_pages(), pt0);
}

/* shared mappings keep W; only the requested range is copied */
TEST(copy_range_without_cow_keeps_write_and_respects_range)
{
	boot();
	pte_t *src = pt_create(), *dst = pt_create();
	for (uintptr_t va = 0x400000; va < 0x400000 + 8 * PAGE_SIZE; va += PAGE_SIZE)
		CHECK_EQ(pt_map(src, va, va, PAGE_SIZE, PTE_U | PTE_W), 0);
	copied = 0;
	tlb_reset();
	CHECK_EQ(pt_copy_range(dst, src, 0x402000, 0x405000, false, note_copied, NULL), 0);
	CHECK_EQ(copied, 3);
	CHECK_EQ(tlb_page_flushes, 0); /* nothing in src changed */
	CHECK(!pt_lookup(dst, 0x401000, NULL));
	CHECK(lookup_is(dst, 0x402000, 0x402000, 0x402000, PAGE_SIZE, PTE_P | PTE_U | PTE_W));
	CHECK(lookup_is(dst, 0x404000, 0x404000, 0x404000, PAGE_SIZE, PTE_P | PTE_U | PTE_W));
	CHECK(!pt_lookup(dst, 0x405000, NULL));
	CHECK(lookup_is(src, 0x403000, 0x403000, 0x403000, PAGE_SIZE, PTE_P | PTE_U | PTE_W));
	/* one PT page in dst for all three, plus its PD and PDPT */
	pte_t *pt = entry(dst, 0x402000, 1);
	CHECK(pt != NULL);
	CHECK_EQ(virt_to_page(pt)->inuse, 3);
	pt_unmap_range(src, 0, USER_TOP, NULL, NULL);
	pt_unmap_range(dst, 0, USER_TOP, NULL, NULL);
	pt_destroy(src);
	pt_destroy(dst);
	CHECK_EQ(pt_pages(), pt0);
	CHECK_EQ(nr_free_pages(), free0);
}

/* PROT_NONE: not present for the CPU, still a mapping for the kernel */
TEST(protnone_entry_is_not_present_but_still_mapped)
{
	boot();
	pte_t *pml4 = pt_create();
	CHECK_EQ(pt_map(pml4, 0x400000, 0x20000, PAGE_SIZE, PTE_U | PTE_W), 0);
	tlb_reset();
	CHECK_EQ(pt_protect(pml4, 0x400000, PTE_U | PTE_PROTNONE), 0);
	CHECK_EQ(tlb_page_flushes, 1); /* it was present: the CPU must forget it */
	pte_t *e = entry(pml4, 0x400000, 1);
	CHECK(e && !(*e & PTE_P) && (*e & PTE_PROTNONE) && pte_addr(*e) == 0x20000);
	CHECK(lookup_is(pml4, 0x400000, 0x400000, 0x20000, PAGE_SIZE, PTE_U | PTE_PROTNONE));
	/* back to readable and writable: present again, same frame */
	CHECK_EQ(pt_protect(pml4, 0x400000, PTE_U | PTE_W), 0);
	CHECK(lookup_is(pml4, 0x400000, 0x400000, 0x20000, PAGE_SIZE, PTE_P | PTE_U | PTE_W));
	/* fork copies a PROT_NONE entry as PROT_NONE */
	CHECK_EQ(pt_protect(pml4, 0x400000, PTE_U | PTE_PROTNONE), 0);
	pte_t *child = pt_create();
	copied = 0;
	CHECK_EQ(pt_copy_range(child, pml4, 0, USER_TOP, true, note_copied, NULL), 0);
	CHECK_EQ(copied, 1);
	CHECK(lookup_is(child, 0x400000, 0x400000, 0x20000, PAGE_SIZE, PTE_U | PTE_PROTNONE));
	/* and unmapping finds it, without a flush (the CPU never cached it); a
	 * neighbour keeps the tables alive, whose own removal would flush */
	CHECK_EQ(pt_map(pml4, 0x401000, 0x21000, PAGE_SIZE, PTE_U), 0);
	unmapped_count = 0;
	tlb_reset();
	pt_unmap_range(pml4, 0x400000, 0x401000, note_unmapped, pml4);
	CHECK_EQ(unmapped_count, 1);
	CHECK_EQ(tlb_page_flushes, 0);
	pt_unmap_range(pml4, 0, USER_TOP, NULL, NULL);
	pt_unmap_range(child, 0, USER_TOP, NULL, NULL);
	pt_destroy(pml4);
	pt_destroy(child);
	CHECK_EQ(pt_pages(), pt0);
}

RUN_TESTS(pgtable, CASE(create_gives_an_empty_table), CASE(map_4k_and_lookup),
	  CASE(map_2m_and_lookup_inside_it), CASE(map_rejects_misalignment_and_bad_size),
	  CASE(map_over_existing_is_eexist), CASE(map_fails_with_enomem_when_out_of_pages),
	  CASE(protect_changes_flags_keeps_address_and_flushes),
	  CASE(mapping_a_fresh_page_does_not_flush),
	  CASE(set_pte_at_flushes_only_changed_present_entries),
	  CASE(unmap_returns_old_mapping_flushes_and_frees_tables),
	  CASE(unmap_keeps_tables_still_in_use), CASE(kernel_half_tables_are_never_freed),
	  CASE(intermediate_entries_user_bit_only_in_user_half),
	  CASE(nx_bit_preserved_in_raw_entry), CASE(for_each_visits_leaves_in_order_across_tables),
	  CASE(for_each_stops_early), CASE(walk_without_alloc_returns_null_for_unmapped),
	  CASE(unmap_range_clears_leaves_and_frees_empty_tables), CASE(destroy_frees_every_table),
	  CASE(copy_range_write_protects_both_sides_when_cow),
	  CASE(copy_range_without_cow_keeps_write_and_respects_range),
	  CASE(protnone_entry_is_not_present_but_still_mapped))
