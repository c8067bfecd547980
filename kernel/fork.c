/*
 * fork.c - copy_process(): a new task that is a copy of the current one.
 *
 * The child gets a copy of the parent's registers (with rax = 0, fork's
 * return value in the child), its open files, signal handlers, and an
 * address space from dup_mm(): the same VMAs, the same pages, with every
 * private writable page made read-only in both processes. Nothing is
 * copied until one of them writes (mm/fault.c: handle_cow_fault).
 */
#include "kernel/errno.h"
#include "kernel/fs/fs.h"
#include "kernel/string.h"
#include "kernel/syscall.h"
#include "kernel/task.h"
#include "kernel/x86.h"
#include "mm/mm.h"
#include "mm/page.h"

/*
 * max_tasks: as Linux's max_threads (kernel/fork.c: set_max_threads), at
 * most one eighth of RAM may go to kernel stacks. Beyond that fork fails
 * with EAGAIN, so a fork bomb meets a clear error long before it can use
 * up the memory the kernel itself needs.
 */
static unsigned long max_tasks(void)
{
	struct page_alloc_stats st;
	page_alloc_stats(&st);
	return st.total_pages * PAGE_SIZE / (8 * KSTACK_SIZE);
}

static unsigned long nr_tasks(void)
{
	unsigned long n = 0;
	for (struct list_head *l = all_tasks.next; l != &all_tasks; l = l->next)
		n++;
	return n;
}

/* copy_process: the child, or NULL with *err set. */
static struct task *copy_process(long *err)
{
	struct task *p = current;
	*err = -EAGAIN;
	if (nr_tasks() >= max_tasks())
		return NULL;
	*err = -ENOMEM;
	struct task *c = task_alloc();
	if (!c)
		return NULL;
	c->mm = dup_mm(p->mm);
	if (!c->mm) {
		task_free(c);
		return NULL;
	}
	*c->regs = *p->regs;
	c->regs->rax = 0;
	c->fs_base = p->fs_base;
	__asm__ volatile("fxsave %0" : "=m"(c->fpu)); /* the parent's live FPU state */
	memcpy(c->comm, p->comm, sizeof(c->comm));
	files_fork(c, p);
	c->cwd = p->cwd;
	iget(c->cwd);
	signals_fork(c, p);
	c->pgrp = p->pgrp;
	c->sid = p->sid;

	cli();
	c->parent = p;
	list_add_tail(&c->sibling, &p->children);
	sti();
	return c;
}

SYSCALL_DEFINE0(fork)
{
	long err;
	struct task *c = copy_process(&err);
	if (!c)
		return err;
	int pid = c->pid;
	wake_up_new_task(c);
	return pid;
}

SYSCALL_DEFINE0(vfork)
{
	/* vfork's "share memory until exec" is an optimisation; fork is correct */
	return sys_fork(0, 0, 0, 0, 0, 0);
}
