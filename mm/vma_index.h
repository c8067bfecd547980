/*
 * vma_index.h - the address-ordered index of an mm's VMAs.
 *
 * A sorted array of VMA pointers: find_vma is a binary search, O(log n);
 * inserting or removing shifts pointers, O(n), which for the few hundred
 * VMAs a process has is a short memmove. Linux uses a B-tree of ranges
 * (the maple tree); this is that idea with a single node. It depends on
 * nothing but the allocator, so tests/host/test_vma_index.c checks it.
 */
#ifndef MOO_MM_VMA_INDEX_H
#define MOO_MM_VMA_INDEX_H

#include "mm/kenv.h"

struct vm_area_struct;

struct vma_index {
	struct vm_area_struct **v; /* sorted by vm_start; ranges never overlap */
	int n, cap;
};

/* vma_index_find: position of the first VMA with vm_end > addr, or n if none. */
int vma_index_find(const struct vma_index *ix, uintptr_t addr);
/* vma_index_insert: add vma in address order; 0 or -ENOMEM. */
int vma_index_insert(struct vma_index *ix, struct vm_area_struct *vma);
/* vma_index_remove: take vma out (it must be in the index). */
void vma_index_remove(struct vma_index *ix, struct vm_area_struct *vma);
/* vma_index_pos: position of vma (which must be in the index). */
int vma_index_pos(const struct vma_index *ix, const struct vm_area_struct *vma);
void vma_index_destroy(struct vma_index *ix);

#endif
