/*
 * task.h - processes (Linux: task_struct) and the scheduler.
 *
 * Every process has a kernel stack. When it enters the kernel (syscall,
 * interrupt, exception) the CPU or boot/syscall.asm saves its user registers
 * in a struct trap_frame at the top of that stack; task->regs points there.
 * Switching processes is switching kernel stacks (boot/switch.asm).
 */
#ifndef MOO_KERNEL_TASK_H
#define MOO_KERNEL_TASK_H

#include <stdint.h>
#include <stdbool.h>
#include "kernel/signal.h"
#include "kernel/trap.h"
#include "mm/list.h"

#define KSTACK_ORDER  2 /* 16 KiB kernel stacks */
#define KSTACK_SIZE   (4096UL << KSTACK_ORDER)
#define TASK_COMM_LEN 16
#define NOFILE        256 /* open files per process (Linux allows 1024 by default) */

enum task_state {
	TASK_RUNNABLE,
	TASK_SLEEPING, /* interruptible: a signal wakes it */
	TASK_ZOMBIE,   /* exited, waiting for its parent's wait4() */
};

struct file;
struct inode;
struct mm_struct;

struct task {
	int pid;
	char comm[TASK_COMM_LEN]; /* program name, as in /proc/PID/stat */
	enum task_state state;
	struct task *parent;
	struct list_head children; /* our children, linked by sibling */
	struct list_head sibling;
	struct list_head tasks;    /* all tasks */
	struct list_head run_list; /* run queue, while runnable */

	void *kstack;            /* lowest address of the kernel stack */
	uintptr_t ksp;           /* saved kernel rsp while switched out */
	struct trap_frame *regs; /* user registers, at the top of kstack */
	uint64_t fs_base;        /* user TLS pointer (arch_prctl ARCH_SET_FS) */
	uint8_t fpu[512] __attribute__((aligned(16))); /* fxsave area */

	struct mm_struct *mm;
	struct file *files[NOFILE];
	uint64_t cloexec[NOFILE / 64]; /* bit fd: FD_CLOEXEC */
	struct inode *cwd;
	int pgrp, sid;

	const void *wchan;  /* what we sleep on (see sleep_on) */
	uint64_t wake_tick; /* for nanosleep: wake at this tick (0 = none) */
	int time_slice;

	struct signal_state sig;

	int exit_code;           /* wait status once a zombie */
	bool autoreap;           /* zombie nobody will wait for: freed by reap_dead() */
	uint64_t utime, stime;   /* ticks spent in user / kernel mode */
	uint64_t cutime, cstime; /* of waited-for children */
	uint64_t min_flt, maj_flt, cmin_flt, cmaj_flt;
	uint64_t start_tick;
	int *clear_child_tid; /* set_tid_address */
};

/* Per-CPU data, reached through the GS base in the kernel. */
struct percpu {
	uint64_t kernel_rsp; /* top of the current task's kernel stack (syscall entry) */
	uint64_t user_rsp;   /* scratch: user rsp during syscall entry */
	struct task *current_task;
};
extern struct percpu cpu0;

static inline struct task *get_current(void)
{
	return cpu0.current_task;
}
#define current get_current()

void sched_init(void);
/* task_alloc: a task with a kernel stack and a pid, not yet runnable; NULL if out of memory. */
struct task *task_alloc(void);
void task_free(struct task *t);
/* wake_up_new_task: put a new task on the run queue. */
void wake_up_new_task(struct task *t);
/* schedule: give the CPU to the next runnable task (round robin). */
void schedule(void);
/* sched_tick: the timer's hook; preempts the running task when its slice is used up. */
void sched_tick(struct trap_frame *tf);
extern volatile int need_resched;

/* sleep_on: sleep until wake_up(chan) or a signal; -EINTR if a signal is pending. */
int sleep_on(const void *chan);
/* sleep_on_locked: as sleep_on, for callers that disabled interrupts to check a condition. */
int sleep_on_irqoff(const void *chan);
void wake_up(const void *chan);
/* wake_task: make one sleeping task runnable (used when a signal arrives). */
void wake_task(struct task *t);
/* task_set_first_call: a new task runs fn(arg) in the kernel before it first enters user mode. */
void task_set_first_call(struct task *t, void (*fn)(void *), void *arg);
void idle_loop(void);
/* check_stack_end: panic if t's kernel stack overflowed (its bottom magic word changed). */
void check_stack_end(const struct task *t);
/* reap_dead: free zombies whose parent ignores SIGCHLD (never on their own stack). */
void reap_dead(void);

struct task *find_task(int pid);

/* task_ppid: the parent's pid; 0 for init, which is its own parent in moo. */
static inline int task_ppid(const struct task *t)
{
	return t->parent && t->parent != t ? t->parent->pid : 0;
}
extern struct list_head all_tasks;
extern struct task *init_task;

/* ret_to_user_work: signals and rescheduling, on every return to user mode. */
void ret_to_user_work(struct trap_frame *tf);

#endif
