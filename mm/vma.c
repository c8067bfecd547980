/*
 * vma.c - the virtual memory areas of an address space.
 *
 * VMAs never overlap; mm->vmas keeps them in address order, so find_vma is
 * a binary search (mm/vma_index.c). Splitting and unmapping keep the set
 * exact: after munmap there is no VMA at all over the range.
 */
#include "mm/mm.h"
#include "mm/page.h"
#include "mm/slab.h"
#include "kernel/fs/fs.h"

struct vm_area_struct *find_vma(struct mm_struct *mm, uintptr_t addr)
{
	int i = vma_index_find(&mm->vmas, addr);
	return i < mm->vmas.n ? mm->vmas.v[i] : NULL;
}

struct vm_area_struct *vma_next(struct mm_struct *mm, struct vm_area_struct *vma)
{
	int i = vma_index_pos(&mm->vmas, vma) + 1;
	return i < mm->vmas.n ? mm->vmas.v[i] : NULL;
}

struct vm_area_struct *vma_prev(struct mm_struct *mm, struct vm_area_struct *vma)
{
	int i = vma_index_pos(&mm->vmas, vma);
	return i > 0 ? mm->vmas.v[i - 1] : NULL;
}

/* vma_link: add vma to mm's index (and to its file's list of mappings). */
static int vma_link(struct mm_struct *mm, struct vm_area_struct *vma)
{
	int err = vma_index_insert(&mm->vmas, vma);
	if (err)
		return err;
	if (vma->vm_file)
		list_add(&vma->vm_shared, &vma->vm_file->inode->mapping.i_mmap);
	mm->map_count++;
	mm->total_vm += (vma->vm_end - vma->vm_start) >> PAGE_SHIFT;
	return 0;
}

static void vma_unlink(struct mm_struct *mm, struct vm_area_struct *vma)
{
	vma_index_remove(&mm->vmas, vma);
	if (vma->vm_file)
		list_del(&vma->vm_shared);
	mm->map_count--;
	mm->total_vm -= (vma->vm_end - vma->vm_start) >> PAGE_SHIFT;
}

void vma_free(struct vm_area_struct *vma)
{
	if (vma->vm_file)
		fput(vma->vm_file);
	kfree(vma);
}

int vma_map(struct mm_struct *mm, uintptr_t start, uintptr_t end, unsigned long flags,
	    struct file *file, unsigned long pgoff, struct vm_area_struct **out)
{
	struct vm_area_struct *vma = kzalloc(sizeof(*vma));
	if (!vma)
		return -ENOMEM;
	vma->vm_start = start;
	vma->vm_end = end;
	vma->vm_flags = flags;
	vma->vm_mm = mm;
	vma->vm_file = file;
	vma->vm_pgoff = pgoff;
	if (file)
		fget(file);
	int err = vma_link(mm, vma);
	if (err) {
		vma_free(vma);
		return err;
	}
	if (out)
		*out = vma;
	return 0;
}

int vma_split(struct vm_area_struct *vma, uintptr_t addr, struct vm_area_struct **upper)
{
	struct mm_struct *mm = vma->vm_mm;
	struct vm_area_struct *hi = kmalloc(sizeof(*hi));

	if (!hi)
		return -ENOMEM;
	*hi = *vma;
	hi->vm_start = addr;
	hi->vm_pgoff = vma->vm_pgoff + ((addr - vma->vm_start) >> PAGE_SHIFT);
	if (hi->vm_file)
		fget(hi->vm_file);
	/* shrink first, so that vma_link() finds hi's place after vma */
	vma->vm_end = addr;
	mm->total_vm -= (hi->vm_end - addr) >> PAGE_SHIFT;
	int err = vma_link(mm, hi);
	if (err) {
		mm->total_vm += (hi->vm_end - addr) >> PAGE_SHIFT;
		vma->vm_end = hi->vm_end;
		vma_free(hi);
		return err;
	}
	if (upper)
		*upper = hi;
	return 0;
}

int do_munmap(struct mm_struct *mm, uintptr_t start, uintptr_t end)
{
	struct vm_area_struct *vma = find_vma(mm, start), *next;

	/* split the VMAs that straddle start and end, so whole VMAs remain */
	if (vma && vma->vm_start < start && vma->vm_end > start) {
		int err = vma_split(vma, start, &vma);
		if (err)
			return err;
	}
	for (; vma && vma->vm_start < end; vma = next) {
		if (vma->vm_end > end) {
			int err = vma_split(vma, end, NULL);
			if (err)
				return err;
		}
		next = vma_next(mm, vma);
		zap_range(mm, vma->vm_start, vma->vm_end);
		vma_unlink(mm, vma);
		vma_free(vma);
	}
	return 0;
}

/* can_merge: is b the seamless continuation of a (same rights, same backing)? */
static bool can_merge(const struct vm_area_struct *a, const struct vm_area_struct *b)
{
	if (a->vm_end != b->vm_start || a->vm_flags != b->vm_flags || a->vm_file != b->vm_file)
		return false;
	return !a->vm_file ||
	       a->vm_pgoff + ((a->vm_end - a->vm_start) >> PAGE_SHIFT) == b->vm_pgoff;
}

void vma_merge_range(struct mm_struct *mm, uintptr_t start, uintptr_t end)
{
	struct vm_area_struct *v = find_vma(mm, start ? start - 1 : 0);

	while (v && v->vm_start <= end) {
		struct vm_area_struct *n = vma_next(mm, v);
		if (n && n->vm_start <= end && can_merge(v, n)) {
			/* v takes over n's range (its pages are already in the page table) */
			mm->total_vm += (n->vm_end - n->vm_start) >> PAGE_SHIFT;
			vma_unlink(mm, n);
			v->vm_end = n->vm_end;
			vma_free(n);
			continue;
		}
		v = n;
	}
}

uintptr_t get_unmapped_area(struct mm_struct *mm, size_t len)
{
	uintptr_t top = mm->mmap_base;

	/* top-down: the highest gap below mmap_base that fits */
	for (int i = mm->vmas.n - 1; i >= 0; i--) {
		struct vm_area_struct *vma = mm->vmas.v[i];
		if (vma->vm_start >= top)
			continue;
		if (top >= len && vma->vm_end <= top - len)
			return top - len;
		top = vma->vm_start;
	}
	return top >= len + USER_IMAGE_BASE ? top - len : 0;
}

bool mapping_writably_mapped(struct address_space *m)
{
	for (struct list_head *l = m->i_mmap.next; l != &m->i_mmap; l = l->next) {
		struct vm_area_struct *v = list_entry(l, struct vm_area_struct, vm_shared);
		if ((v->vm_flags & (VM_SHARED | VM_WRITE)) == (VM_SHARED | VM_WRITE))
			return true;
	}
	return false;
}
