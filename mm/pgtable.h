/*
 * pgtable.h - x86-64 4-level page tables, and the one API that changes them.
 *
 * A virtual address is split into four 9-bit table indexes and an offset
 * (Intel SDM vol. 3A, 4.5 "4-level paging"):
 *
 *   63     48 47    39 38    30 29    21 20    12 11         0
 *  +---------+--------+--------+--------+--------+------------+
 *  | sign ext| PML4   | PDPT   | PD     | PT     | offset     |
 *  +---------+--------+--------+--------+--------+------------+
 *   level:     4        3        2        1
 *
 * Each table is one 4 KiB page of 512 64-bit entries. A PD entry with PS set
 * maps a 2 MiB page directly (level 2 leaf). There is no "readable" bit on
 * x86: a present entry is always readable; W allows writes, U allows ring 3,
 * NX forbids instruction fetch (with EFER.NXE).
 *
 * Rules every caller follows:
 *   - all entry writes go through set_pte_at(), which keeps the per-table
 *     entry counts and invalidates the TLB; nothing else stores to a table,
 *     except mm_create()/mmput() (mm/memory.c), which copy and clear the
 *     kernel-half PML4 entries every address space shares with the kernel;
 *   - these functions never touch struct page reference counts of the
 *     frames they map: the caller (mm/) owns that policy.
 */
#ifndef MOO_MM_PGTABLE_H
#define MOO_MM_PGTABLE_H

#include "mm/kenv.h"
#include "mm/memlayout.h"

typedef uint64_t pte_t;

#define PTE_P   (1UL << 0) /* present */
#define PTE_W   (1UL << 1) /* writable */
#define PTE_U   (1UL << 2) /* user-accessible */
#define PTE_PWT (1UL << 3) /* write-through */
#define PTE_PCD (1UL << 4) /* cache disable */
#define PTE_A   (1UL << 5) /* accessed (set by the CPU) */
#define PTE_D   (1UL << 6) /* dirty (set by the CPU, leaf only) */
#define PTE_PS  (1UL << 7) /* page size: 2 MiB leaf in a PD entry */
#define PTE_G   (1UL << 8) /* global: survives CR3 reloads */
/* Software bit (the CPU ignores bits 9-11): a 4 KiB page kept mapped but
 * not present, because its VMA is PROT_NONE. x86 has no "read" bit, so
 * "no access at all" can only be expressed by clearing P; this bit says
 * the frame address is still valid (Linux: _PAGE_PROTNONE). */
#define PTE_PROTNONE (1UL << 9)
#define PTE_NX       (1UL << 63) /* no execute */

#define PTE_ADDR_MASK  0x000ffffffffff000UL
#define PTE_FLAGS_MASK (~PTE_ADDR_MASK)

#define HPAGE_SIZE (1UL << 21)
#define PT_ENTRIES 512

/* PT_INDEX: the index of va in its level-n table (n = 1 for PT .. 4 for PML4). */
#define PT_SHIFT(level)     (12 + 9 * ((level)-1))
#define PT_INDEX(va, level) (((va) >> PT_SHIFT(level)) & (PT_ENTRIES - 1))

static inline phys_addr_t pte_addr(pte_t e)
{
	return e & PTE_ADDR_MASK;
}

static inline bool pte_present(pte_t e)
{
	return e & PTE_P;
}

/* A leaf mapping found by pt_lookup(). */
struct pt_mapping {
	uintptr_t va;       /* first address of the page */
	phys_addr_t pa;     /* its physical address */
	unsigned long size; /* PAGE_SIZE or HPAGE_SIZE */
	pte_t flags;        /* the entry's flag bits */
};

/* pt_create: a new, empty top-level table, or NULL. */
pte_t *pt_create(void);
/* pt_destroy: free a top-level table and every user-half table below it. */
void pt_destroy(pte_t *pml4);

/*
 * pt_walk: the entry at level (1 = 4 KiB PT entry, 2 = PD entry) that covers
 * va. With alloc, missing intermediate tables are created. Returns NULL if a
 * table is missing (and !alloc), memory runs out, or a huge page sits above
 * the requested level.
 */
pte_t *pt_walk(pte_t *pml4, uintptr_t va, int level, bool alloc);

/* pt_map: map the page at va (size PAGE_SIZE or HPAGE_SIZE) to pa with flags.
 * Returns 0, -EINVAL (misaligned), -EEXIST (something mapped there), -ENOMEM. */
int pt_map(pte_t *pml4, uintptr_t va, phys_addr_t pa, unsigned long size, pte_t flags);

/* pt_unmap: remove the leaf mapping that covers va; *old (if not NULL) gets it.
 * Frees user page tables left empty. Returns 0 or -ENOENT. */
int pt_unmap(pte_t *pml4, uintptr_t va, struct pt_mapping *old);

/* pt_protect: set the flag bits of the leaf that covers va (address kept).
 * The entry is made present unless flags has PTE_PROTNONE. A PROT_NONE
 * entry counts as a mapping for pt_lookup, pt_for_each and pt_unmap*.
 * Returns 0 or -ENOENT. */
int pt_protect(pte_t *pml4, uintptr_t va, pte_t flags);

/* pt_lookup: true and *m filled if va is mapped. */
bool pt_lookup(pte_t *pml4, uintptr_t va, struct pt_mapping *m);

/* set_pte_at: the single place that writes a page-table entry; see top. */
void set_pte_at(pte_t *pml4, uintptr_t va, pte_t *ptep, pte_t pte);

/* pt_for_each: call fn for every leaf mapping in [start, end), in order;
 * stop early and return fn's value when it is non-zero. */
int pt_for_each(pte_t *pml4, uintptr_t start, uintptr_t end,
		int (*fn)(const struct pt_mapping *m, void *arg), void *arg);

/* pt_unmap_range: remove every leaf mapping in [start, end), calling fn (may
 * be NULL) for each after its entry is cleared, and free user page tables
 * that become empty. Unlike unmapping inside pt_for_each, this is safe. */
void pt_unmap_range(pte_t *pml4, uintptr_t start, uintptr_t end,
		    void (*fn)(const struct pt_mapping *m, void *arg), void *arg);

/*
 * pt_copy_range: fork's copy of the user mappings of [start, end) from src
 * into dst (which has none there), one table at a time. With cow, writable
 * entries are made read-only in src and dst alike. fn is called with each
 * copied entry, for the caller's reference counting. 0 or -ENOMEM (dst may
 * then hold part of the range: the caller tears it down).
 */
int pt_copy_range(pte_t *dst, pte_t *src, uintptr_t start, uintptr_t end, bool cow,
		  void (*fn)(pte_t pte, void *arg), void *arg);

/* Page-table pages in use, for /proc/meminfo's PageTables. */
unsigned long pt_pages(void);

#endif
