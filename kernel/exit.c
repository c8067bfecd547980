/*
 * exit.c - how processes end, and how parents learn of it.
 *
 * An exiting task releases its memory and files at once but stays in the
 * task list as a zombie holding its wait status, until its parent collects
 * it with wait4(). Its children are handed to init (pid 1), which reaps
 * them. The zombie's kernel stack is freed by the parent, since a task
 * cannot free the stack it is running on.
 */
#include "kernel/exit.h"
#include "kernel/errno.h"
#include "kernel/fs/fs.h"
#include "kernel/power.h"
#include "kernel/printk.h"
#include "kernel/signal.h"
#include "kernel/syscall.h"
#include "kernel/task.h"
#include "kernel/x86.h"
#include "mm/mm.h"
#include "mm/uaccess.h"

#define WNOHANG   1
#define WUNTRACED 2
#define __WALL    0x40000000
#define __WCLONE  0x80000000

/* reparent_children: give t's children to init; wake init for any zombies. */
static void reparent_children(struct task *t)
{
	while (!list_empty(&t->children)) {
		struct task *c = list_first_entry(&t->children, struct task, sibling);
		list_del(&c->sibling);
		c->parent = init_task;
		list_add_tail(&c->sibling, &init_task->children);
		if (c->state == TASK_ZOMBIE)
			wake_up(init_task);
	}
}

/* Zombies waiting for reap_dead(): while there are none, schedule() skips the walk. */
static unsigned long nr_autoreap;

void do_exit(int status)
{
	struct task *t = current;

	if (t == init_task)
		panic("init exited with status %#x: nothing left to run", status);
	sti();
	files_close_all(t);
	if (t->cwd) {
		iput(t->cwd);
		t->cwd = NULL;
	}
	if (t->mm) {
		struct mm_struct *mm = t->mm;
		switch_mm(NULL); /* off its page tables before they are freed */
		t->mm = NULL;
		mmput(mm);
	}

	cli();
	reparent_children(t);
	t->exit_code = status;
	t->state = TASK_ZOMBIE;
	/* A parent that ignores SIGCHLD (or set SA_NOCLDWAIT) never waits:
	 * POSIX says such children do not become zombies; reap_dead() frees us. */
	const struct k_sigaction *ka = &t->parent->sig.action[SIGCHLD];
	t->autoreap = ka->handler == SIG_IGN || (ka->flags & SA_NOCLDWAIT);
	if (t->autoreap)
		nr_autoreap++;
	list_del(&t->run_list);
	struct ksiginfo info = {
	    .signo = SIGCHLD,
	    .code = (status & 0x7f) ? CLD_KILLED : CLD_EXITED,
	    .pid = t->pid,
	    .status = (status & 0x7f) ? (status & 0x7f) : (status >> 8) & 0xff,
	};
	send_signal(t->parent, SIGCHLD, &info);
	wake_up(t->parent);
	schedule();
	panic("a zombie was scheduled");
}

void reap_dead(void)
{
	if (!nr_autoreap)
		return;
	for (struct list_head *l = all_tasks.next; l != &all_tasks;) {
		struct task *t = list_entry(l, struct task, tasks);
		l = l->next;
		if (t->state == TASK_ZOMBIE && t->autoreap && t != current) {
			list_del(&t->sibling);
			task_free(t);
			nr_autoreap--;
		}
	}
}

SYSCALL_DEFINE1(exit, int, code)
{
	do_exit(W_EXITCODE(code));
}

SYSCALL_DEFINE1(exit_group, int, code)
{
	do_exit(W_EXITCODE(code)); /* one thread per process: the same as exit */
}

static void ticks_to_tv(uint64_t ticks, int64_t *sec, int64_t *usec)
{
	*sec = (int64_t)(ticks / 100);
	*usec = (int64_t)(ticks % 100) * 10000;
}

void fill_rusage(struct rusage *ru, uint64_t ut, uint64_t st, uint64_t minflt, uint64_t majflt)
{
	memset(ru, 0, sizeof(*ru));
	ticks_to_tv(ut, &ru->utime.sec, &ru->utime.usec);
	ticks_to_tv(st, &ru->stime.sec, &ru->stime.usec);
	ru->minflt = (int64_t)minflt;
	ru->majflt = (int64_t)majflt;
}

static bool wait_match(struct task *c, int pid)
{
	if (pid > 0)
		return c->pid == pid;
	if (pid == 0)
		return c->pgrp == current->pgrp;
	if (pid < -1)
		return c->pgrp == -pid;
	return true;
}

SYSCALL_DEFINE4(wait4, int, pid, int __user *, wstatus, int, options, struct rusage __user *, ru)
{
	struct task *t = current;

	if (options & ~(WNOHANG | WUNTRACED | __WALL | __WCLONE))
		return -EINVAL;
	for (;;) {
		bool any = false;
		cli();
		for (struct list_head *l = t->children.next; l != &t->children; l = l->next) {
			struct task *c = list_entry(l, struct task, sibling);
			if (!wait_match(c, pid) || (c->state == TASK_ZOMBIE && c->autoreap))
				continue;
			any = true;
			if (c->state != TASK_ZOMBIE)
				continue;
			sti();
			int cpid = c->pid, status = c->exit_code;
			/* As Linux: a bad pointer gives EFAULT, but the child is reaped
			 * all the same (its status is lost, not kept for later). */
			long ret = cpid;
			if (wstatus && copy_to_user(wstatus, &status, sizeof(status)))
				ret = -EFAULT;
			if (ru && ret > 0) {
				struct rusage r;
				fill_rusage(&r, c->utime + c->cutime, c->stime + c->cstime,
					    c->min_flt + c->cmin_flt, c->maj_flt + c->cmaj_flt);
				if (copy_to_user(ru, &r, sizeof(r)))
					ret = -EFAULT;
			}
			t->cutime += c->utime + c->cutime;
			t->cstime += c->stime + c->cstime;
			t->cmin_flt += c->min_flt + c->cmin_flt;
			t->cmaj_flt += c->maj_flt + c->cmaj_flt;
			cli();
			list_del(&c->sibling);
			sti();
			task_free(c);
			return ret;
		}
		if (!any) {
			sti();
			return -ECHILD;
		}
		if (options & WNOHANG) {
			sti();
			return 0;
		}
		int r = sleep_on_irqoff(t); /* exit() of a child wakes its parent */
		sti();
		if (r)
			return -ERESTARTSYS;
	}
}
