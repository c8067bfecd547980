/*
 * paging.c - from the boot page tables to the kernel's final ones.
 *
 * boot/entry.asm mapped 4 GiB three times with 2 MiB pages, all writable and
 * executable. Here we build the tables moo keeps: each section of the image
 * gets exactly the permissions it needs, so a stray write to code or a jump
 * into data faults instead of silently corrupting the kernel.
 */
#include "mm/paging.h"
#include "mm/memmap.h"
#include "mm/page.h"

pte_t *kernel_pml4;

extern const char _text[], _etext[], _rodata[], _erodata[], _data[], _edata[];
extern const char _kernel_end[], boot_stack_guard[];

/* map_kernel_range: map [start, end) of the image to its physical pages. */
static void map_kernel_range(const char *start, const char *end, pte_t flags)
{
	for (uintptr_t va = (uintptr_t)start; va < (uintptr_t)end; va += PAGE_SIZE)
		if (pt_map(kernel_pml4, va, va - KERNEL_VMA, PAGE_SIZE, flags | PTE_G))
			panic("paging_init: cannot map kernel page %lx", va);
}

/*
 * Address spaces made later copy the kernel half of this PML4 (entries
 * 256..511). That is only correct because the kernel never adds a new
 * top-level entry after boot: the direct map and the image are all there is.
 */

/* map_direct: the direct map of [0, end), in 2 MiB pages (end is rounded up). */
static void map_direct(phys_addr_t end)
{
	for (phys_addr_t pa = 0; pa < end; pa += HPAGE_SIZE)
		if (pt_map(kernel_pml4, (uintptr_t)phys_to_virt(pa), pa, HPAGE_SIZE,
			   PTE_W | PTE_NX | PTE_G))
			panic("paging_init: out of memory for the direct map at %lx",
			      (unsigned long)pa);
}

void paging_init(struct memmap *mm)
{
	phys_addr_t end = memmap_end(mm);
	if (end < EARLY_DIRECT_MAP_END)
		end = EARLY_DIRECT_MAP_END; /* keep low MMIO (VGA, APICs) reachable */

	kernel_pml4 = pt_create();
	if (!kernel_pml4)
		panic("paging_init: no memory for the kernel page tables");
	map_direct(ALIGN_UP(end, HPAGE_SIZE));
	map_kernel_range(_text, _etext, 0);              /* R-X */
	map_kernel_range(_rodata, _erodata, PTE_NX);     /* R-- */
	map_kernel_range(_data, _edata, PTE_W | PTE_NX); /* RW- */
	map_kernel_range(_edata, _kernel_end, PTE_NX);   /* .ksyms R-- */
	/* A guard page below the boot stack: overflowing it faults (#PF, then #DF
	 * on its own stack, see kernel/gdt.c) instead of overwriting .bss. */
	pt_unmap(kernel_pml4, (uintptr_t)boot_stack_guard, NULL);

	write_cr3(virt_to_phys(kernel_pml4));
	/* CR3 reload keeps global entries: the old identity map used none, so
	 * it is gone now. Page frames above the early map are now reachable. */
	if (memmap_end(mm) > EARLY_DIRECT_MAP_END)
		page_alloc_add_usable(mm, EARLY_DIRECT_MAP_END, memmap_end(mm));
}
