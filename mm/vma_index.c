/*
 * vma_index.c - binary search over the sorted array of VMAs (vma_index.h).
 */
#include "mm/vma_index.h"
#include "mm/mm.h"
#include "mm/slab.h"

int vma_index_find(const struct vma_index *ix, uintptr_t addr)
{
	int lo = 0, hi = ix->n; /* the answer is in [lo, hi] */

	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;
		if (ix->v[mid]->vm_end > addr)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

int vma_index_pos(const struct vma_index *ix, const struct vm_area_struct *vma)
{
	int i = vma_index_find(ix, vma->vm_start);
	BUG_ON(i >= ix->n || ix->v[i] != vma);
	return i;
}

int vma_index_insert(struct vma_index *ix, struct vm_area_struct *vma)
{
	if (ix->n == ix->cap) {
		int cap = ix->cap ? ix->cap * 2 : 16;
		struct vm_area_struct **v = kmalloc((size_t)cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		if (ix->v) {
			memcpy(v, ix->v, (size_t)ix->n * sizeof(*v));
			kfree(ix->v);
		}
		ix->v = v;
		ix->cap = cap;
	}
	int i = vma_index_find(ix, vma->vm_start);
	BUG_ON(i < ix->n && ix->v[i]->vm_start < vma->vm_end); /* overlap: a caller's bug */
	memmove(&ix->v[i + 1], &ix->v[i], (size_t)(ix->n - i) * sizeof(ix->v[0]));
	ix->v[i] = vma;
	ix->n++;
	return 0;
}

void vma_index_remove(struct vma_index *ix, struct vm_area_struct *vma)
{
	int i = vma_index_pos(ix, vma);
	memmove(&ix->v[i], &ix->v[i + 1], (size_t)(ix->n - i - 1) * sizeof(ix->v[0]));
	ix->n--;
}

void vma_index_destroy(struct vma_index *ix)
{
	kfree(ix->v);
	ix->v = NULL;
	ix->n = ix->cap = 0;
}
