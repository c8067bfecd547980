/*
 * pgtable.c - walking and changing 4-level page tables.
 *
 * The struct page of every page-table page counts its non-zero entries (in
 * its "inuse" field), so unmapping can free a table the moment it empties,
 * without scanning 512 entries.
 */
#include "mm/pgtable.h"
#include "mm/page.h"

static unsigned long nr_pt_pages;

unsigned long pt_pages(void)
{
	return __atomic_load_n(&nr_pt_pages, __ATOMIC_RELAXED);
}

static pte_t *table_of(pte_t e)
{
	return phys_to_virt(pte_addr(e));
}

/* mapped: does entry e at level hold a mapping or a table (present, or PROT_NONE)? */
static bool mapped(pte_t e, int level)
{
	return pte_present(e) || (level == 1 && (e & PTE_PROTNONE));
}

/* is_leaf: does entry e at level map a page rather than point to a table? */
static bool is_leaf(pte_t e, int level)
{
	return level == 1 || (e & PTE_PS);
}

void set_pte_at(pte_t *pml4, uintptr_t va, pte_t *ptep, pte_t pte)
{
	pte_t old = *ptep;
	struct page *table = virt_to_page(ptep);
	(void)pml4; /* the address space: for per-mm accounting and TLB shootdown later */

	if (!old && pte)
		table->inuse++;
	else if (old && !pte)
		table->inuse--;
	__atomic_store_n(ptep, pte, __ATOMIC_RELEASE);
	/*
	 * The TLB caches present entries only, so installing an entry where there
	 * was none needs no flush. Any change to a present entry does: the CPU
	 * may keep using the old one. invlpg also drops every paging-structure
	 * cache entry (SDM vol. 3A, 4.10.4.1), which is what makes it safe to
	 * free a page table right after clearing the entry that pointed to it.
	 */
	if (pte_present(old) && old != pte)
		flush_tlb_page(va);
}

/* new_table: a zeroed page for a page table, with no entries in use. */
static pte_t *new_table(void)
{
	struct page *pg = alloc_zeroed_page();
	if (!pg)
		return NULL;
	pg->inuse = 0;
	__atomic_add_fetch(&nr_pt_pages, 1, __ATOMIC_RELAXED);
	return page_address(pg);
}

static void free_table(pte_t *table)
{
	__atomic_sub_fetch(&nr_pt_pages, 1, __ATOMIC_RELAXED);
	put_page(virt_to_page(table));
}

pte_t *pt_create(void)
{
	return new_table();
}

pte_t *pt_walk(pte_t *pml4, uintptr_t va, int level, bool alloc)
{
	pte_t *table = pml4;

	for (int l = 4; l > level; l--) {
		pte_t *e = &table[PT_INDEX(va, l)];
		if (!pte_present(*e)) {
			if (!alloc)
				return NULL;
			pte_t *t = new_table();
			if (!t)
				return NULL;
			/* Table entries are permissive; the leaf decides the access. */
			pte_t link = virt_to_phys(t) | PTE_P | PTE_W;
			if (va < USER_TOP)
				link |= PTE_U;
			set_pte_at(pml4, va, e, link);
		} else if (is_leaf(*e, l)) {
			return NULL; /* a huge page covers va: there is no lower table */
		}
		table = table_of(*e);
	}
	return &table[PT_INDEX(va, level)];
}

int pt_map(pte_t *pml4, uintptr_t va, phys_addr_t pa, unsigned long size, pte_t flags)
{
	int level = size == HPAGE_SIZE ? 2 : 1;

	if ((size != PAGE_SIZE && size != HPAGE_SIZE) || (va | pa) & (size - 1))
		return -EINVAL;
	pte_t *e = pt_walk(pml4, va, level, true);
	if (!e) {
		/* out of memory, or a huge page is in the way */
		return pt_lookup(pml4, va, &(struct pt_mapping){0}) ? -EEXIST : -ENOMEM;
	}
	if (*e)
		return -EEXIST;
	if (level == 2)
		flags |= PTE_PS;
	if (!(flags & PTE_PROTNONE))
		flags |= PTE_P;
	set_pte_at(pml4, va, e, pa | (flags & PTE_FLAGS_MASK));
	return 0;
}

/*
 * find_leaf: fill path[l] with the entry pointer at each level l from 4 down
 * to the leaf that maps va; returns the leaf's level, or 0 if va is unmapped.
 */
static int find_leaf(pte_t *pml4, uintptr_t va, pte_t *path[5])
{
	pte_t *table = pml4;

	for (int l = 4; l >= 1; l--) {
		pte_t *e = &table[PT_INDEX(va, l)];
		path[l] = e;
		if (!mapped(*e, l))
			return 0;
		if (is_leaf(*e, l))
			return l;
		table = table_of(*e);
	}
	return 0;
}

static void fill_mapping(struct pt_mapping *m, uintptr_t va, pte_t e, int level)
{
	unsigned long size = 1UL << PT_SHIFT(level);
	m->va = va & ~(size - 1);
	m->pa = pte_addr(e) & ~(size - 1);
	m->size = size;
	m->flags = e & PTE_FLAGS_MASK;
}

bool pt_lookup(pte_t *pml4, uintptr_t va, struct pt_mapping *m)
{
	pte_t *path[5];
	int level = find_leaf(pml4, va, path);
	if (!level || level > 2)
		return false;
	if (m)
		fill_mapping(m, va, *path[level], level);
	return true;
}

int pt_unmap(pte_t *pml4, uintptr_t va, struct pt_mapping *old)
{
	pte_t *path[5];
	int level = find_leaf(pml4, va, path);
	if (!level || level > 2)
		return -ENOENT;
	if (old)
		fill_mapping(old, va, *path[level], level);
	set_pte_at(pml4, va, path[level], 0);

	/* Free user page tables that just became empty, bottom up. The kernel
	 * half's tables are shared by every address space and are never freed. */
	for (int l = level; l < 4 && va < USER_TOP; l++) {
		struct page *table = virt_to_page(path[l]);
		if (table->inuse)
			break;
		set_pte_at(pml4, va, path[l + 1], 0);
		free_table((pte_t *)ALIGN_DOWN((uintptr_t)path[l], PAGE_SIZE));
	}
	return 0;
}

int pt_protect(pte_t *pml4, uintptr_t va, pte_t flags)
{
	pte_t *path[5];
	int level = find_leaf(pml4, va, path);
	if (!level || level > 2)
		return -ENOENT;
	pte_t e = *path[level];
	if (level == 2)
		flags |= PTE_PS;
	if (!(flags & PTE_PROTNONE))
		flags |= PTE_P;
	set_pte_at(pml4, va, path[level], (e & PTE_ADDR_MASK) | (flags & PTE_FLAGS_MASK));
	return 0;
}

/* for_each_in: visit leaves of the level-l table at table covering [start, end). */
/*
 * index_range: the entries [*first, *last] of the level-l table that covers
 * base.. and that overlap [start, end). Walks visit only those: a sparse
 * address space then costs a few entries per level, not 512, and no entry
 * in the loop needs its own range check.
 */
static void index_range(int l, uintptr_t base, uintptr_t start, uintptr_t end, int *first,
			int *last)
{
	uintptr_t table_span = 1UL << (PT_SHIFT(l) + 9); /* 2^48 at level 4 */
	*first = start > base ? (int)PT_INDEX(start, l) : 0;
	*last = end - 1 - base < table_span ? (int)PT_INDEX(end - 1, l) : PT_ENTRIES - 1;
}

/* entry_va: the first address that entry i of the level-l table at base maps,
 * in canonical form (the upper half of the PML4 is sign-extended from bit 47);
 * span is the size one entry of this level maps. */
static inline uintptr_t entry_va(uintptr_t base, int l, int i, unsigned long span)
{
	uintptr_t va = base + (uintptr_t)i * span;
	return l == 4 && i >= PT_ENTRIES / 2 ? va | 0xffff000000000000UL : va;
}

static int for_each_in(pte_t *table, int l, uintptr_t base, uintptr_t start, uintptr_t end,
		       int (*fn)(const struct pt_mapping *, void *), void *arg)
{
	unsigned long span = 1UL << PT_SHIFT(l);
	int first, last;

	index_range(l, base, start, end, &first, &last);
	for (int i = first; i <= last; i++) {
		if (!mapped(table[i], l))
			continue;
		uintptr_t va = entry_va(base, l, i, span);
		int r;
		if (is_leaf(table[i], l)) {
			struct pt_mapping m;
			fill_mapping(&m, va, table[i], l);
			r = l <= 2 ? fn(&m, arg) : 0; /* 1 GiB pages: not used by moo */
		} else {
			r = for_each_in(table_of(table[i]), l - 1, va, start, end, fn, arg);
		}
		if (r)
			return r;
	}
	return 0;
}

int pt_for_each(pte_t *pml4, uintptr_t start, uintptr_t end,
		int (*fn)(const struct pt_mapping *m, void *arg), void *arg)
{
	return for_each_in(pml4, 4, 0, start, end, fn, arg);
}

/* unmap_level: clear the leaves of a level-l table in [start, end), bottom up. */
static void unmap_level(pte_t *pml4, pte_t *table, int l, uintptr_t base, uintptr_t start,
			uintptr_t end, void (*fn)(const struct pt_mapping *, void *), void *arg)
{
	unsigned long span = 1UL << PT_SHIFT(l);
	int first, last;

	index_range(l, base, start, end, &first, &last);
	for (int i = first; i <= last; i++) {
		if (!mapped(table[i], l))
			continue;
		uintptr_t va = entry_va(base, l, i, span);
		if (is_leaf(table[i], l)) {
			struct pt_mapping m;
			fill_mapping(&m, va, table[i], l);
			if (va < start || va + (span - 1) >= end)
				continue; /* a huge page only partly in range: left alone */
			set_pte_at(pml4, va, &table[i], 0);
			if (fn)
				fn(&m, arg);
			continue;
		}
		pte_t *child = table_of(table[i]);
		unmap_level(pml4, child, l - 1, va, start, end, fn, arg);
		if (va < USER_TOP && virt_to_page(child)->inuse == 0) {
			set_pte_at(pml4, va, &table[i], 0);
			free_table(child);
		}
	}
}

void pt_unmap_range(pte_t *pml4, uintptr_t start, uintptr_t end,
		    void (*fn)(const struct pt_mapping *m, void *arg), void *arg)
{
	unmap_level(pml4, pml4, 4, 0, start, end, fn, arg);
}

/* copy_level: fork's walk of one level-l table pair (see pt_copy_range). */
static int copy_level(pte_t *dpml4, pte_t *spml4, pte_t *dtab, pte_t *stab, int l, uintptr_t base,
		      uintptr_t start, uintptr_t end, bool cow, void (*fn)(pte_t, void *),
		      void *arg)
{
	unsigned long span = 1UL << PT_SHIFT(l);
	int first, last;

	index_range(l, base, start, end, &first, &last);
	for (int i = first; i <= last; i++) {
		pte_t e = stab[i];
		if (!mapped(e, l))
			continue;
		uintptr_t va = entry_va(base, l, i, span);
		if (is_leaf(e, l)) {
			if (va < start || va + (span - 1) >= end)
				continue; /* a huge page only partly in range: left alone */
			if (cow && (e & PTE_W)) {
				e &= ~PTE_W;
				set_pte_at(spml4, va, &stab[i], e); /* flushes the parent's entry */
			}
			set_pte_at(dpml4, va, &dtab[i], e);
			fn(e, arg);
			continue;
		}
		if (!pte_present(dtab[i])) {
			pte_t *t = new_table();
			if (!t)
				return -ENOMEM;
			set_pte_at(dpml4, va, &dtab[i], virt_to_phys(t) | (e & PTE_FLAGS_MASK));
		}
		int err = copy_level(dpml4, spml4, table_of(dtab[i]), table_of(e), l - 1, va, start,
				     end, cow, fn, arg);
		if (err)
			return err;
	}
	return 0;
}

int pt_copy_range(pte_t *dst, pte_t *src, uintptr_t start, uintptr_t end, bool cow,
		  void (*fn)(pte_t pte, void *arg), void *arg)
{
	return copy_level(dst, src, dst, src, 4, 0, start, end, cow, fn, arg);
}

static void destroy_level(pte_t *table, int l)
{
	for (int i = 0; i < PT_ENTRIES; i++)
		if (pte_present(table[i]) && !is_leaf(table[i], l))
			destroy_level(table_of(table[i]), l - 1);
	free_table(table);
}

/* pt_destroy frees tables only; the frames they map belong to the caller. */
void pt_destroy(pte_t *pml4)
{
	for (int i = 0; i < PT_ENTRIES / 2; i++) /* user half only */
		if (pte_present(pml4[i]))
			destroy_level(table_of(pml4[i]), 3);
	free_table(pml4);
}
