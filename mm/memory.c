/*
 * memory.c - address spaces as a whole: create, copy for fork, tear down.
 */
#include "mm/mm.h"
#include "mm/page.h"
#include "mm/paging.h"
#include "mm/slab.h"
#include "kernel/fs/fs.h"

struct page *zero_page;

void zero_page_init(void)
{
	zero_page = alloc_zeroed_page();
	if (!zero_page)
		panic("no memory for the zero page");
	zero_page->flags |= PG_zero; /* its count never drops to 0: the kernel holds one */
}

pte_t vm_page_prot(unsigned long vm_flags)
{
	pte_t prot = PTE_U;
	if (vm_flags & VM_WRITE)
		prot |= PTE_W;
	if (!(vm_flags & VM_EXEC))
		prot |= PTE_NX;
	return prot;
}

struct mm_struct *mm_create(void)
{
	struct mm_struct *mm = kzalloc(sizeof(*mm));
	if (!mm)
		return NULL;
	mm->pgd = pt_create();
	if (!mm->pgd) {
		kfree(mm);
		return NULL;
	}
	/* The kernel half is the same in every address space (see mm/paging.c). */
	for (int i = PT_ENTRIES / 2; i < PT_ENTRIES; i++)
		mm->pgd[i] = kernel_pml4[i];
	mm->users = 1;
	mm->mmap_base = USER_STACK_TOP - (8UL << 20) - (1UL << 30); /* below stack + gap */
	return mm;
}

void switch_mm(struct mm_struct *mm)
{
	write_cr3(virt_to_phys(mm ? mm->pgd : kernel_pml4));
}

/* rss_sub: account for a page leaving mm's page tables. */
static void rss_sub(struct mm_struct *mm, struct page *pg)
{
	if (pg->flags & PG_anon)
		mm->rss_anon--;
	else if (!(pg->flags & PG_zero))
		mm->rss_file--;
}

/* zap_one: the PTE is already gone (and its TLB entry); now the page may go too. */
static void zap_one(const struct pt_mapping *m, void *arg)
{
	struct mm_struct *mm = arg;
	struct page *pg = phys_to_page(m->pa);
	rss_sub(mm, pg);
	put_page(pg);
}

void zap_range(struct mm_struct *mm, uintptr_t start, uintptr_t end)
{
	pt_unmap_range(mm->pgd, start, end, zap_one, mm);
}

void mmput(struct mm_struct *mm)
{
	if (--mm->users > 0)
		return;
	while (mm->vmas.n) {
		struct vm_area_struct *vma = mm->vmas.v[mm->vmas.n - 1];
		do_munmap(mm, vma->vm_start, vma->vm_end);
	}
	vma_index_destroy(&mm->vmas);
	for (int i = PT_ENTRIES / 2; i < PT_ENTRIES; i++)
		mm->pgd[i] = 0; /* shared with the kernel: not ours to free */
	pt_destroy(mm->pgd);
	kfree(mm);
}

/*
 * copy_pte: fork's step for one mapped page, after pt_copy_range() copied
 * the entry. Shared mappings stay shared and writable. A private writable
 * page is now read-only in BOTH parent and child: the first write by
 * either faults into handle_cow_fault(). No page is copied here; each
 * mapping just takes a reference.
 */
static void copy_pte(pte_t pte, void *arg)
{
	struct mm_struct *dst = arg;
	struct page *pg = phys_to_page(pte_addr(pte));
	get_page(pg);
	if (pg->flags & PG_anon)
		dst->rss_anon++;
	else if (!(pg->flags & PG_zero))
		dst->rss_file++;
}

struct mm_struct *dup_mm(struct mm_struct *old)
{
	struct mm_struct *mm = mm_create();
	if (!mm)
		return NULL;
	mm->start_code = old->start_code;
	mm->end_code = old->end_code;
	mm->start_data = old->start_data;
	mm->end_data = old->end_data;
	mm->start_brk = old->start_brk;
	mm->brk = old->brk;
	mm->start_stack = old->start_stack;
	mm->mmap_base = old->mmap_base;
	mm->arg_start = old->arg_start;
	mm->arg_end = old->arg_end;
	mm->env_start = old->env_start;
	mm->env_end = old->env_end;

	for (struct vm_area_struct *vma = find_vma(old, 0); vma; vma = vma_next(old, vma)) {
		if (vma->vm_flags & VM_DONTFORK)
			continue;
		if (vma_map(mm, vma->vm_start, vma->vm_end, vma->vm_flags, vma->vm_file,
			    vma->vm_pgoff, NULL))
			goto fail;
		if ((vma->vm_flags & VM_WIPEONFORK) && !vma->vm_file)
			continue; /* the child starts with untouched (zero) memory */
		bool cow = !(vma->vm_flags & VM_SHARED);
		if (pt_copy_range(mm->pgd, old->pgd, vma->vm_start, vma->vm_end, cow, copy_pte, mm))
			goto fail;
	}
	return mm;
fail:
	mmput(mm);
	return NULL;
}

void unmap_mapping_range(struct address_space *m, unsigned long from)
{
	for (struct list_head *l = m->i_mmap.next; l != &m->i_mmap; l = l->next) {
		struct vm_area_struct *v = list_entry(l, struct vm_area_struct, vm_shared);
		unsigned long pages = (v->vm_end - v->vm_start) >> PAGE_SHIFT;
		if (v->vm_pgoff + pages <= from)
			continue;
		unsigned long first = from > v->vm_pgoff ? from - v->vm_pgoff : 0;
		zap_range(v->vm_mm, v->vm_start + (first << PAGE_SHIFT), v->vm_end);
	}
}
