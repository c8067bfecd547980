/*
 * mm.h - a process's address space: struct mm_struct and its VMAs.
 *
 * An address space is a page table plus a sorted list of virtual memory
 * areas (struct vm_area_struct). A VMA says what a range of addresses is
 * allowed to be: its permissions (VM_READ...), whether it is shared, and
 * what backs it (a file at an offset, or nothing: anonymous memory). The
 * page table says what is mapped right now; the page-fault handler
 * (mm/fault.c) fills it in lazily from the VMAs.
 *
 * Copy-on-write is not a flag anywhere: it is the state "private writable
 * VMA (VM_WRITE without VM_SHARED) + present read-only PTE". A write to such
 * a page faults, and handle_cow_fault() copies it or makes it writable.
 */
#ifndef MOO_MM_MM_H
#define MOO_MM_MM_H

#include "mm/kenv.h"
#include "mm/list.h"
#include "mm/pgtable.h"
#include "mm/filemap.h"
#include "mm/vma_index.h"

/* vm_flags, with Linux's values (include/linux/mm.h) */
#define VM_READ       0x00000001UL
#define VM_WRITE      0x00000002UL
#define VM_EXEC       0x00000004UL
#define VM_SHARED     0x00000008UL
#define VM_MAYREAD    0x00000010UL /* what mprotect may later allow */
#define VM_MAYWRITE   0x00000020UL
#define VM_MAYEXEC    0x00000040UL
#define VM_MAYSHARE   0x00000080UL
#define VM_GROWSDOWN  0x00000100UL /* the stack: grows down on faults below it */
#define VM_DONTFORK   0x00020000UL /* MADV_DONTFORK: not copied into the child */
#define VM_NORESERVE  0x00200000UL
#define VM_WIPEONFORK 0x02000000UL /* MADV_WIPEONFORK: the child sees zeroes */

struct file;
struct mm_struct;

struct vm_area_struct {
	uintptr_t vm_start, vm_end; /* [start, end), page-aligned */
	unsigned long vm_flags;
	struct mm_struct *vm_mm;
	struct file *vm_file;       /* NULL for anonymous memory */
	unsigned long vm_pgoff;     /* file offset of vm_start, in pages */
	struct list_head vm_shared; /* in vm_file's mapping->i_mmap, for file VMAs */
};

struct mm_struct {
	pte_t *pgd;            /* the top-level page table (PML4) */
	struct vma_index vmas; /* VMAs sorted by address (vma_index.h) */
	int map_count;
	int users; /* tasks sharing this mm */
	uintptr_t start_code, end_code, start_data, end_data;
	uintptr_t start_brk, brk, start_stack, mmap_base;
	uintptr_t arg_start, arg_end, env_start, env_end;
	unsigned long rss_anon, rss_file; /* pages mapped, by kind */
	unsigned long total_vm;           /* pages covered by VMAs */
};

/* mm_create: an empty address space (kernel half shared), or NULL. */
struct mm_struct *mm_create(void);
/* mmput: drop a user; the last one unmaps everything and frees it. */
void mmput(struct mm_struct *mm);
/* dup_mm: the address space for fork(): VMAs copied, private pages shared COW. */
struct mm_struct *dup_mm(struct mm_struct *old);
/* switch_mm: make mm the address space the CPU translates with. */
void switch_mm(struct mm_struct *mm);

/* find_vma: the first VMA with vm_end > addr (it may start above addr), or NULL. */
struct vm_area_struct *find_vma(struct mm_struct *mm, uintptr_t addr);
/* vma_next/vma_prev: neighbours in address order, or NULL. */
struct vm_area_struct *vma_next(struct mm_struct *mm, struct vm_area_struct *vma);
struct vm_area_struct *vma_prev(struct mm_struct *mm, struct vm_area_struct *vma);
/* vma_map: create a VMA for [start, end) (must be free); 0 or -ENOMEM. */
int vma_map(struct mm_struct *mm, uintptr_t start, uintptr_t end, unsigned long flags,
	    struct file *file, unsigned long pgoff, struct vm_area_struct **out);
/* do_munmap: remove every mapping in [start, end), splitting VMAs at the edges. */
int do_munmap(struct mm_struct *mm, uintptr_t start, uintptr_t end);
/* vma_split: split vma at addr; the new VMA (the upper part) is returned via *upper. */
int vma_split(struct vm_area_struct *vma, uintptr_t addr, struct vm_area_struct **upper);
/* vma_merge_range: join neighbouring VMAs in and around [start, end) that
 * have the same flags and backing, undoing splits that are no longer needed
 * (after mprotect back to the old rights, or mmap next to a twin). */
void vma_merge_range(struct mm_struct *mm, uintptr_t start, uintptr_t end);
/* get_unmapped_area: a free range of len bytes below mm->mmap_base, or 0. */
uintptr_t get_unmapped_area(struct mm_struct *mm, size_t len);

/* populate_range: fault in every page of [start, end) now (MAP_POPULATE). */
void populate_range(struct mm_struct *mm, uintptr_t start, uintptr_t end, bool write);
/* vma_free: release a VMA that is no longer linked into an mm. */
void vma_free(struct vm_area_struct *vma);

/* mapping_writably_mapped: does a shared writable VMA map this file? */
bool mapping_writably_mapped(struct address_space *m);

/* unmap_mapping_range: remove every page at file page `from` and beyond from
 * every mapping of the file (private copies too): a shrinking file's pages
 * must fault again, and then raise SIGBUS. */
void unmap_mapping_range(struct address_space *m, unsigned long from);

/* zap_range: unmap and release the pages of [start, end) (VMAs untouched). */
void zap_range(struct mm_struct *mm, uintptr_t start, uintptr_t end);

/* vm_page_prot: the PTE bits for a VMA's permissions. A private writable VMA
 * gets W here too: callers drop it where a page is shared (copy-on-write). */
pte_t vm_page_prot(unsigned long vm_flags);

/* The shared zero page: every read fault on untouched anonymous memory maps it. */
extern struct page *zero_page;
void zero_page_init(void);

#endif
