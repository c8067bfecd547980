/*
 * memmap.h - the boot-time view of physical memory (Linux: memblock).
 *
 * The firmware's memory map (from multiboot2) can list regions out of order,
 * overlapping, unaligned, or zero-sized. memmap keeps two clean lists of
 * page-aligned, sorted, non-overlapping ranges:
 *   avail    - RAM the firmware says is usable
 *   reserved - ranges that must not be handed out (the kernel image, GRUB's
 *              boot information and modules, firmware areas, low memory)
 * A frame is usable only if it is in avail and not in reserved. Before the
 * buddy allocator exists, memmap_alloc() carves early allocations (mem_map[]
 * itself) out of usable memory.
 */
#ifndef MOO_MM_MEMMAP_H
#define MOO_MM_MEMMAP_H

#include "mm/kenv.h"
#include "mm/memlayout.h"

#define MEMMAP_MAX 64

struct mem_range {
	phys_addr_t start, end; /* [start, end), page-aligned */
};

struct memmap_list {
	int n;
	struct mem_range r[MEMMAP_MAX];
};

struct memmap {
	struct memmap_list avail;
	struct memmap_list reserved;
	int dropped; /* ranges ignored because a list was full (reported at boot) */
};

void memmap_init(struct memmap *mm);
/* memmap_add: mark [base, base+size) as RAM; shrinks inward to whole pages. */
void memmap_add(struct memmap *mm, phys_addr_t base, uint64_t size);
/* memmap_reserve: keep [base, base+size) from being handed out; grows outward. */
void memmap_reserve(struct memmap *mm, phys_addr_t base, uint64_t size);
/* memmap_alloc: reserve and return an aligned usable range of size bytes, or 0. */
phys_addr_t memmap_alloc(struct memmap *mm, uint64_t size, uint64_t align);
/* memmap_usable: calls fn for each maximal usable range (avail minus reserved). */
void memmap_for_each_usable(const struct memmap *mm, void (*fn)(phys_addr_t, phys_addr_t, void *),
			    void *arg);
/* memmap_oddity: why a firmware region needs care (empty, wrapping,
 * unaligned), or NULL if it is plain. For the boot log. */
const char *memmap_oddity(phys_addr_t base, uint64_t len);
/* memmap_overlap: do two firmware regions overlap? */
bool memmap_overlap(phys_addr_t a, uint64_t alen, phys_addr_t b, uint64_t blen);
/* memmap_end: the end of the highest available range. */
phys_addr_t memmap_end(const struct memmap *mm);

#endif
