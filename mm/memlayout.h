/*
 * memlayout.h - moo's virtual address space, in one picture.
 *
 * This is the only place the layout is drawn; every other file uses the
 * constants below it.
 *
 *   virtual address
 *
 *   0xffffffffffffffff  +-----------------------------------------+
 *                       | kernel image: text R-X, rodata R--,     |
 *                       | data/bss RW- (loaded at phys 1 MiB)     |
 *   0xffffffff80000000  +-----------------------------------------+ KERNEL_VMA
 *                       :   (unused)                              :
 *                       +-----------------------------------------+
 *                       | direct map of all physical memory, RW-  |
 *                       | virtual = DIRECT_MAP_BASE + physical    |
 *   0xffff800000000000  +-----------------------------------------+ DIRECT_MAP_BASE
 *                       | non-canonical hole: any access is #GP   |
 *   0x0000800000000000  +-----------------------------------------+ USER_TOP
 *                       | user stack (grows down), RW- U          |
 *                       | mmap area (grows down)                  |
 *                       | heap (brk, grows up)                    |
 *                       | ELF image (static, non-PIE)             |
 *   0x0000000000400000  +-----------------------------------------+ USER_IMAGE_BASE
 *                       | unmapped: NULL guard                    |
 *   0x0000000000000000  +-----------------------------------------+
 *
 * "-" means the permission is absent: no W = read-only, no X = NX set.
 *
 * The low half holds user mappings only; the kernel's own tables drop the
 * boot-time identity map, so a NULL dereference in the kernel faults.
 */
#ifndef MOO_MM_MEMLAYOUT_H
#define MOO_MM_MEMLAYOUT_H

#ifdef __ASSEMBLER__
#define UL(x) x
#else
#define UL(x) x##UL
#endif

#define KERNEL_VMA      UL(0xffffffff80000000) /* virtual address of physical 0 in the image map */
#define KERNEL_PHYS     UL(0x100000)           /* where GRUB loads the image (1 MiB) */
#define DIRECT_MAP_BASE UL(0xffff800000000000) /* start of the direct map */
#define USER_TOP        UL(0x0000800000000000) /* first address above user space */
#define USER_STACK_TOP  UL(0x00007ffffffff000)
#define USER_IMAGE_BASE UL(0x400000)

#ifndef __ASSEMBLER__
#include <stdint.h>

typedef uint64_t phys_addr_t;

/*
 * Host unit tests simulate physical memory with a buffer; they set
 * host_phys_offset so that phys_to_virt() lands inside it.
 */
#ifdef MOO_HOST
extern uintptr_t host_phys_offset;
#define PHYS_OFFSET host_phys_offset
#else
#define PHYS_OFFSET DIRECT_MAP_BASE
#endif

static inline void *phys_to_virt(phys_addr_t pa)
{
	return (void *)(uintptr_t)(pa + PHYS_OFFSET);
}

static inline phys_addr_t virt_to_phys(const void *va)
{
	return (phys_addr_t)((uintptr_t)va - PHYS_OFFSET);
}

/* Physical address of a symbol in the kernel image (linked at KERNEL_VMA). */
static inline phys_addr_t kimg_to_phys(const void *va)
{
	return (phys_addr_t)((uintptr_t)va - KERNEL_VMA);
}
#endif

#endif
