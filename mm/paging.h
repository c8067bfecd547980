/* paging.h - the kernel's own page tables. */
#ifndef MOO_MM_PAGING_H
#define MOO_MM_PAGING_H

#include "mm/pgtable.h"

struct memmap;

/* kernel_pml4: the top-level table every address space shares the upper half of. */
extern pte_t *kernel_pml4;

/*
 * paging_init: build the final kernel page tables and switch to them:
 * direct map of all RAM (RW, NX), kernel text R-X, rodata R--, data/bss RW-
 * with NX, no identity map and an unmapped guard page below the boot stack.
 */
void paging_init(struct memmap *mm);

/* The end of the direct map the boot code set up (boot/entry.asm). */
#define EARLY_DIRECT_MAP_END (4UL << 30)

#endif
