/*
 * vma.c - the list of virtual memory areas of an address space.
 *
 * VMAs are kept in a list sorted by address; they never overlap. find_vma
 * walks it. (A balanced tree, as Linux's maple tree, is the next step once
 * processes have many mappings.)
 */
#include "mm/mm.h"
#include "mm/page.h"
#include "mm/slab.h"
#include "kernel/fs/fs.h"

static struct vm_area_struct *vma_of(struct list_head *l)
{
	return list_entry(l, struct vm_area_struct, vm_list);
}

struct vm_area_struct *find_vma(struct mm_struct *mm, uintptr_t addr)
{
	for (struct list_head *l = mm->mmap.next; l != &mm->mmap; l = l->next)
		if (vma_of(l)->vm_end > addr)
			return vma_of(l);
	return NULL;
}

struct vm_area_struct *vma_next(struct mm_struct *mm, struct vm_area_struct *vma)
{
	return vma->vm_list.next == &mm->mmap ? NULL : vma_of(vma->vm_list.next);
}

struct vm_area_struct *vma_prev(struct mm_struct *mm, struct vm_area_struct *vma)
{
	return vma->vm_list.prev == &mm->mmap ? NULL : vma_of(vma->vm_list.prev);
}

/* vma_link: insert vma into mm's sorted list. */
static void vma_link(struct mm_struct *mm, struct vm_area_struct *vma)
{
	struct list_head *l = &mm->mmap;
	struct vm_area_struct *next = find_vma(mm, vma->vm_start);
	if (next)
		l = &next->vm_list;
	list_add_tail(&vma->vm_list, l); /* before next, or at the end */
	if (vma->vm_file)
		list_add(&vma->vm_shared, &vma->vm_file->inode->mapping.i_mmap);
	mm->map_count++;
	mm->total_vm += (vma->vm_end - vma->vm_start) >> PAGE_SHIFT;
}

static void vma_unlink(struct mm_struct *mm, struct vm_area_struct *vma)
{
	list_del(&vma->vm_list);
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
	vma_link(mm, vma);
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
	vma_link(mm, hi);
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

uintptr_t get_unmapped_area(struct mm_struct *mm, size_t len)
{
	uintptr_t top = mm->mmap_base;

	/* top-down: the highest gap below mmap_base that fits */
	for (struct list_head *l = mm->mmap.prev; l != &mm->mmap; l = l->prev) {
		struct vm_area_struct *vma = vma_of(l);
		if (vma->vm_start >= top)
			continue;
		if (vma->vm_end <= top - len && top >= len)
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
