/*
 * fault.c - do_page_fault(): what happens on #PF (vector 14).
 *
 * The CPU puts the faulting address in CR2 and pushes an error code saying
 * why (PF_* in fault.h). The path, as in Linux's mm/memory.c:
 *
 *   do_page_fault                       decode; kernel or user?
 *     handle_mm_fault                   find the VMA, check the access
 *       do_anonymous_page               not present, no file: zero page / new page
 *       do_file_page                    not present, file: page cache (+ copy)
 *       handle_cow_fault                present, read-only, private, write:
 *                                       reuse the page if we are its only
 *                                       user, else copy it
 *   anything else                       SIGSEGV (or SIGBUS past end of file)
 *
 * Faults in the kernel are bugs, except on user addresses inside the
 * uaccess functions (mm/uaccess.c): those are handled like user faults and,
 * if that fails, resumed at their fixup, which returns -EFAULT.
 */
#include "mm/fault.h"
#include "mm/mm.h"
#include "mm/page.h"
#include "mm/uaccess.h"
#include "mm/vmstat.h"
#include "kernel/fs/fs.h"
#include "kernel/printf.h"
#include "kernel/printk.h"
#include "kernel/signal.h"
#include "kernel/task.h"
#include "kernel/trap.h"
#include "kernel/x86.h"

#define STACK_LIMIT     (8UL << 20)   /* RLIMIT_STACK's usual 8 MiB */
#define STACK_GUARD_GAP (256UL << 12) /* Linux's stack_guard_gap: 256 pages */

enum fault_result {
	FAULT_DONE,
	FAULT_MAJOR,  /* done, and the backing store was read */
	FAULT_MAPERR, /* SIGSEGV, SEGV_MAPERR: no VMA there */
	FAULT_ACCERR, /* SIGSEGV, SEGV_ACCERR: the VMA forbids this access */
	FAULT_SIGBUS, /* beyond the end of the mapped file */
	FAULT_OOM,
};

void pf_describe(uint64_t ec, char *buf, size_t size)
{
	snprintf(buf, size, "%s %s from %s mode%s%s%s",
		 (ec & PF_P) ? "protection-violation" : "not-present",
		 (ec & PF_I)   ? "instruction-fetch"
		 : (ec & PF_W) ? "write"
			       : "read",
		 (ec & PF_U) ? "user" : "kernel", (ec & PF_RSVD) ? ", reserved bit set" : "",
		 (ec & PF_PK) ? ", protection key" : "", (ec & PF_SS) ? ", shadow stack" : "");
}

/*
 * map_new: map pg at addr (our reference goes to the page table) and count it
 * in rss. ptep is the empty entry handle_mm_fault already found, or NULL
 * when the page tables for addr do not exist yet (pt_map creates them).
 */
static enum fault_result map_new(struct mm_struct *mm, uintptr_t addr, pte_t *ptep, struct page *pg,
				 pte_t prot, unsigned long *rss)
{
	if (ptep) {
		set_pte_at(mm->pgd, addr, ptep, page_to_phys(pg) | (prot & PTE_FLAGS_MASK) | PTE_P);
	} else {
		int err = pt_map(mm->pgd, addr, page_to_phys(pg), PAGE_SIZE, prot);
		if (err) {
			put_page(pg);
			return err == -EEXIST ? FAULT_DONE : FAULT_OOM;
		}
	}
	if (rss)
		(*rss)++;
	return FAULT_DONE;
}

/* do_anonymous_page: first touch of anonymous memory. */
static enum fault_result do_anonymous_page(struct vm_area_struct *vma, uintptr_t addr, pte_t *ptep,
					   bool write)
{
	struct mm_struct *mm = vma->vm_mm;
	pte_t prot = vm_page_prot(vma->vm_flags);

	if (!write) {
		/* Reads of memory never written see zeroes: share one zero page,
		 * read-only, until the first write (then handle_cow_fault). */
		count_vm_event(ZERO_PAGE_FAULT);
		get_page(zero_page);
		return map_new(mm, addr, ptep, zero_page, prot & ~PTE_W, NULL);
	}
	count_vm_event(ANON_FAULT);
	struct page *pg = alloc_zeroed_page();
	if (!pg)
		return FAULT_OOM;
	pg->flags |= PG_anon;
	return map_new(mm, addr, ptep, pg, prot, &mm->rss_anon);
}

/* do_file_page: first touch of a file mapping, through the page cache. */
static enum fault_result do_file_page(struct vm_area_struct *vma, uintptr_t addr, pte_t *ptep,
				      bool write)
{
	struct mm_struct *mm = vma->vm_mm;
	struct inode *ino = vma->vm_file->inode;
	unsigned long pgoff = vma->vm_pgoff + ((addr - vma->vm_start) >> PAGE_SHIFT);
	pte_t prot = vm_page_prot(vma->vm_flags);
	bool major;

	/* The page holding the last byte is mapped whole (its tail reads as
	 * zeroes); pages wholly past the end of the file raise SIGBUS. */
	if (pgoff >= PAGE_ALIGN((uint64_t)ino->size) >> PAGE_SHIFT)
		return FAULT_SIGBUS;
	struct page *cache = read_cache_page(&ino->mapping, pgoff, &major);
	if (!cache)
		return FAULT_OOM;
	count_vm_event(FILE_FAULT);
	if (major)
		count_vm_event(PGMAJFAULT);

	if (vma->vm_flags & VM_SHARED) {
		/* mapped writable at once, even on a read: with no writeback, "dirty"
		 * only records that a shared mapping may have written it */
		if (vma->vm_flags & VM_WRITE)
			cache->flags |= PG_dirty;
		enum fault_result r = map_new(mm, addr, ptep, cache, prot, &mm->rss_file);
		return r == FAULT_DONE && major ? FAULT_MAJOR : r;
	}
	if (!write) { /* private: share the cache page read-only until a write */
		enum fault_result r = map_new(mm, addr, ptep, cache, prot & ~PTE_W, &mm->rss_file);
		return r == FAULT_DONE && major ? FAULT_MAJOR : r;
	}
	/* private write: our own copy at once (Linux: do_cow_fault) */
	struct page *pg = alloc_page();
	if (!pg) {
		put_page(cache);
		return FAULT_OOM;
	}
	copy_page(pg, cache);
	put_page(cache);
	pg->flags |= PG_anon;
	enum fault_result r = map_new(mm, addr, ptep, pg, prot, &mm->rss_anon);
	return r == FAULT_DONE && major ? FAULT_MAJOR : r;
}

/*
 * handle_cow_fault: a write to a present, read-only page of a private
 * writable mapping (Linux: do_wp_page). If the page is anonymous and we hold
 * the only reference, no one else can see it: make it writable in place
 * (wp_page_reuse). Otherwise copy it (wp_page_copy): new page, copy (or
 * zero-fill for the zero page), point the PTE at it, and only then drop our
 * reference to the old page. The order matters: set_pte_at() flushes the
 * stale TLB entry before put_page() can free the old page; otherwise a
 * stale read-only translation could keep reading a page that was freed and
 * reused, seeing someone else's data.
 */
static enum fault_result handle_cow_fault(struct vm_area_struct *vma, uintptr_t addr, pte_t *ptep)
{
	struct mm_struct *mm = vma->vm_mm;
	phys_addr_t pa = pte_addr(*ptep);
	struct page *old = phys_to_page(pa);
	pte_t prot = vm_page_prot(vma->vm_flags) | PTE_P;

	count_vm_event(COW_FAULT);
	if ((old->flags & PG_anon) && page_count(old) == 1) {
		count_vm_event(COW_REUSE);
		set_pte_at(mm->pgd, addr, ptep, pa | prot);
		return FAULT_DONE;
	}
	struct page *new = alloc_page();
	if (!new)
		return FAULT_OOM;
	if (old->flags & PG_zero)
		memset(page_address(new), 0, PAGE_SIZE);
	else
		copy_page(new, old);
	new->flags |= PG_anon;
	count_vm_event(COW_COPY);

	set_pte_at(mm->pgd, addr, ptep, page_to_phys(new) | prot);
	if (!(old->flags & PG_anon) && !(old->flags & PG_zero))
		mm->rss_file--;
	if (!(old->flags & PG_anon))
		mm->rss_anon++;
	put_page(old);
	return FAULT_DONE;
}

/* expand_stack: grow a VM_GROWSDOWN VMA down to cover addr, within limits. */
static bool expand_stack(struct vm_area_struct *vma, uintptr_t addr)
{
	struct vm_area_struct *prev = vma_prev(vma->vm_mm, vma);
	uintptr_t start = ALIGN_DOWN(addr, PAGE_SIZE);

	if (vma->vm_end - start > STACK_LIMIT)
		return false;
	if (prev && prev->vm_end + STACK_GUARD_GAP > start)
		return false; /* keep a guard gap above the next mapping down */
	unsigned long grow = (vma->vm_start - start) >> PAGE_SHIFT;
	if (vma->vm_file) { /* keep each address on its file page */
		if (vma->vm_pgoff < grow)
			return false;
		vma->vm_pgoff -= grow;
	}
	vma->vm_mm->total_vm += (vma->vm_start - start) >> PAGE_SHIFT;
	vma->vm_start = start;
	count_vm_event(STACK_GROW);
	return true;
}

/* handle_mm_fault: resolve a fault at addr in mm, or say which signal it deserves. */
static enum fault_result handle_mm_fault(struct mm_struct *mm, uintptr_t addr, uint64_t ec)
{
	bool write = ec & PF_W;
	struct vm_area_struct *vma = find_vma(mm, addr);

	count_vm_event(PGFAULT);
	if (!vma)
		return FAULT_MAPERR;
	if (addr < vma->vm_start && (!(vma->vm_flags & VM_GROWSDOWN) || !expand_stack(vma, addr)))
		return FAULT_MAPERR;

	/* x86 has no "readable" PTE bit: a present page is readable, so only
	 * a VMA with no permission at all (PROT_NONE) refuses reads. */
	if (write && !(vma->vm_flags & VM_WRITE))
		return FAULT_ACCERR;
	if ((ec & PF_I) && !(vma->vm_flags & VM_EXEC))
		return FAULT_ACCERR;
	if (!(vma->vm_flags & (VM_READ | VM_WRITE | VM_EXEC)))
		return FAULT_ACCERR;

	addr &= PAGE_MASK; /* from here on: the page, not the byte */
	/* one walk: user memory is mapped with 4 KiB pages only, so the entry
	 * that matters is the level-1 one (NULL: not even its tables exist) */
	pte_t *ptep = pt_walk(mm->pgd, addr, 1, false);
	pte_t pte = ptep ? *ptep : 0;
	if (!(pte & (PTE_P | PTE_PROTNONE))) {
		if (vma->vm_file)
			return do_file_page(vma, addr, ptep, write);
		return do_anonymous_page(vma, addr, ptep, write);
	}
	if (write && !(pte & PTE_W))
		return handle_cow_fault(vma, addr, ptep);
	/* Present and already allowing the access: a stale TLB entry (another
	 * path changed the PTE). Dropping it is all there is to do. */
	flush_tlb_page(addr);
	return FAULT_DONE;
}

void populate_range(struct mm_struct *mm, uintptr_t start, uintptr_t end, bool write)
{
	for (uintptr_t a = start; a < end; a += PAGE_SIZE) {
		struct pt_mapping m;
		bool present = pt_lookup(mm->pgd, a, &m);
		if (present && (!write || (m.flags & PTE_W)))
			continue;
		uint64_t ec = PF_U | (write ? PF_W : 0) | (present ? PF_P : 0);
		if (handle_mm_fault(mm, a, ec) > FAULT_MAJOR)
			break; /* MAP_POPULATE is best effort: later faults report errors */
	}
}

/*
 * out_of_memory: a fault found no free page. moo's policy is the simplest
 * that keeps the system alive: the faulting process dies, unless it is
 * init, in which case the process with the most anonymous memory does and
 * init retries its fault once that memory is back. (A real OOM killer, as
 * Linux's oom_badness(), weighs every process; that is on the roadmap.)
 */
static void out_of_memory(uintptr_t addr)
{
	struct task *t = current, *victim = t;
	if (t == init_task) {
		victim = NULL;
		for (struct list_head *l = all_tasks.next; l != &all_tasks; l = l->next) {
			struct task *c = list_entry(l, struct task, tasks);
			if (c != t && c->mm && c->state != TASK_ZOMBIE &&
			    (!victim || c->mm->rss_anon > victim->mm->rss_anon))
				victim = c;
		}
		if (!victim)
			panic("out of memory, and init is the only process");
	}
	printk("moo: out of memory: killing %s (pid %d)\n", victim->comm, victim->pid);
	if (victim == t) {
		force_sig_fault(SIGKILL, SI_KERNEL, addr);
		return;
	}
	send_signal(victim, SIGKILL, &(struct ksiginfo){.signo = SIGKILL, .code = SI_KERNEL});
	schedule(); /* let it die; init's instruction faults again and retries */
}

void do_page_fault(struct trap_frame *tf)
{
	uintptr_t addr = read_cr2();
	uint64_t ec = tf->error_code;
	struct task *t = current;
	bool user = ec & PF_U;

	uint64_t fixup = 0;

	if (ec & PF_RSVD)
		trap_die(tf, "page table corrupted (reserved bit set)");
	if (!user) {
		fixup = search_exception_tables(tf->rip);
		if (addr >= USER_TOP || !fixup || !t->mm)
			trap_die(tf, "kernel page fault");
	}
	if (tf->rflags & RFLAGS_IF)
		sti(); /* the fault may sleep (later: swap-in); CR2 is already read */

	enum fault_result r = t->mm ? handle_mm_fault(t->mm, addr, ec) : FAULT_MAPERR;
	if (r == FAULT_DONE || r == FAULT_MAJOR) {
		if (r == FAULT_MAJOR)
			t->maj_flt++;
		else
			t->min_flt++;
		return;
	}
	if (!user) { /* a uaccess function: resume at its fixup, which returns -EFAULT */
		tf->rip = fixup;
		return;
	}
	switch (r) {
	case FAULT_MAPERR:
		count_vm_event(PGSEGV);
		force_sig_fault(SIGSEGV, SEGV_MAPERR, addr);
		break;
	case FAULT_ACCERR:
		count_vm_event(PGSEGV);
		force_sig_fault(SIGSEGV, SEGV_ACCERR, addr);
		break;
	case FAULT_SIGBUS:
		count_vm_event(PGSEGV);
		force_sig_fault(SIGBUS, BUS_ADRERR, addr);
		break;
	default:
		out_of_memory(addr);
		break;
	}
}
