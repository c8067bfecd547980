/*
 * sched.c - tasks, the run queue, and sleeping.
 *
 * Round robin: runnable tasks wait on one queue; the timer takes the CPU
 * away from a task after SLICE_TICKS ticks, at its next return to user
 * mode (the kernel itself is not preempted). When nothing is runnable the
 * idle task (the boot thread, pid 0) halts until the next interrupt.
 *
 * Sleeping follows xv6: a task sleeps on a "channel" (any address) and
 * wake_up(chan) makes every task sleeping on it runnable again. A sleeper
 * re-checks its condition in a loop. Conditions that an interrupt handler
 * can change must be checked with interrupts off, or the wake-up could
 * slip in between the check and the sleep.
 */
#include "kernel/task.h"
#include "kernel/errno.h"
#include "kernel/gdt.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/timer.h"
#include "kernel/x86.h"
#include "mm/mm.h"
#include "mm/page.h"
#include "mm/slab.h"

#define SLICE_TICKS        5                    /* 50 ms at HZ=100 */
#define STACK_END_MAGIC    0x57ac6e9d57ac6e9dUL /* see check_stack_end() */
#define MSR_FS_BASE        0xc0000100
#define MSR_GS_BASE        0xc0000101
#define MSR_KERNEL_GS_BASE 0xc0000102

struct percpu cpu0;
LIST_HEAD_DEFINE(all_tasks);
static LIST_HEAD_DEFINE(run_queue);
static struct task idle_task;
struct task *init_task;
volatile int need_resched;
static int next_pid = 1;

extern char boot_stack[], boot_stack_top[];
extern void switch_to(uintptr_t *prev_ksp, uintptr_t next_ksp);
extern void task_first_run(void);

static uintptr_t kstack_top(const struct task *t)
{
	return (uintptr_t)t->kstack + KSTACK_SIZE;
}

/* fpu_init: let user programs use x87 and SSE; tasks save them with fxsave. */
static void fpu_init(void)
{
	write_cr0((read_cr0() & ~(1UL << 2)) | (1UL << 1) | (1UL << 5)); /* EM off; MP, NE on */
	write_cr4(read_cr4() | (1UL << 9) | (1UL << 10));                /* OSFXSR, OSXMMEXCPT */
}

void sched_init(void)
{
	struct task *t = &idle_task;
	fpu_init();
	memset(t, 0, sizeof(*t));
	strlcpy(t->comm, "idle", sizeof(t->comm));
	t->state = TASK_RUNNABLE;
	t->kstack = boot_stack;
	list_init(&t->children);
	list_init(&t->run_list);
	cpu0.current_task = t;
	/* In the kernel, GS points to cpu0; swapgs exchanges it with the user's
	 * value (MSR_KERNEL_GS_BASE) on every entry from and exit to user mode. */
	wrmsr(MSR_GS_BASE, (uint64_t)&cpu0);
	wrmsr(MSR_KERNEL_GS_BASE, 0);
	__asm__ volatile("fninit; fxsave %0" : "=m"(t->fpu)); /* a clean FPU image to copy */
}

struct task *task_alloc(void)
{
	struct task *t = kzalloc(sizeof(*t));
	if (!t)
		return NULL;
	struct page *stack = alloc_pages(KSTACK_ORDER);
	if (!stack) {
		kfree(t);
		return NULL;
	}
	t->kstack = page_address(stack);
	*(uint64_t *)t->kstack = STACK_END_MAGIC;
	t->pid = next_pid++;
	t->start_tick = timer_ticks();
	t->state = TASK_RUNNABLE;
	list_init(&t->children);
	list_init(&t->run_list);
	memcpy(t->fpu, idle_task.fpu, sizeof(t->fpu));

	/* The user registers live at the top of the kernel stack; below them a
	 * switch frame makes the first switch_to() "return" to task_first_run. */
	t->regs = (struct trap_frame *)(kstack_top(t) - sizeof(struct trap_frame));
	memset(t->regs, 0, sizeof(*t->regs));
	uint64_t *sp = (uint64_t *)t->regs;
	*--sp = (uint64_t)task_first_run; /* return address */
	for (int i = 0; i < 6; i++)
		*--sp = 0; /* rbp rbx r12 r13 r14 r15 */
	t->ksp = (uintptr_t)sp;

	unsigned long flags = read_rflags();
	cli();
	list_add_tail(&t->tasks, &all_tasks);
	if (flags & RFLAGS_IF)
		sti();
	return t;
}

/* task_set_first_call: the new task runs fn(arg) in the kernel before going to user mode. */
void task_set_first_call(struct task *t, void (*fn)(void *), void *arg)
{
	uint64_t *sp = (uint64_t *)t->ksp; /* r15 r14 r13 r12 rbx rbp */
	sp[3] = (uint64_t)arg;             /* r12 */
	sp[4] = (uint64_t)fn;              /* rbx */
}

void task_free(struct task *t)
{
	unsigned long flags = read_rflags();
	cli();
	list_del(&t->tasks);
	if (flags & RFLAGS_IF)
		sti();
	put_page(virt_to_page(t->kstack));
	kfree(t);
}

struct task *find_task(int pid)
{
	for (struct list_head *l = all_tasks.next; l != &all_tasks; l = l->next) {
		struct task *t = list_entry(l, struct task, tasks);
		if (t->pid == pid)
			return t;
	}
	return NULL;
}

void wake_up_new_task(struct task *t)
{
	unsigned long flags = read_rflags();
	cli();
	t->state = TASK_RUNNABLE;
	list_add_tail(&t->run_list, &run_queue);
	if (flags & RFLAGS_IF)
		sti();
}

/*
 * STACK_END_MAGIC: the lowest word of every process's kernel stack (Linux
 * has the same idea). Task stacks come from the direct map, which has no
 * guard pages; if the word is ever overwritten, the stack overflowed into
 * whatever lies below it, and we say so at the next switch instead of
 * corrupting memory silently.
 */
void check_stack_end(const struct task *t)
{
	if (t != &idle_task && *(const uint64_t *)t->kstack != STACK_END_MAGIC)
		panic("kernel stack overflow in %s (pid %d)", t->comm, t->pid);
}

static void context_switch(struct task *prev, struct task *next)
{
	check_stack_end(prev);
	__asm__ volatile("fxsave %0" : "=m"(prev->fpu));
	__asm__ volatile("fxrstor %0" : : "m"(next->fpu));
	if (next->mm != prev->mm)
		switch_mm(next->mm);
	wrmsr(MSR_FS_BASE, next->fs_base);
	cpu0.kernel_rsp = (uint64_t)next->regs ? (uint64_t)next->regs + sizeof(struct trap_frame)
					       : kstack_top(next);
	tss_set_rsp0(cpu0.kernel_rsp);
	cpu0.current_task = next;
	switch_to(&prev->ksp, next->ksp);
}

void schedule(void)
{
	unsigned long flags = read_rflags();
	cli();
	struct task *prev = current, *next = &idle_task;

	need_resched = 0;
	reap_dead();
	if (prev != &idle_task && prev->state == TASK_RUNNABLE) {
		list_del(&prev->run_list); /* to the back of the queue */
		list_add_tail(&prev->run_list, &run_queue);
	}
	if (!list_empty(&run_queue))
		next = list_first_entry(&run_queue, struct task, run_list);
	if (next != prev) {
		next->time_slice = SLICE_TICKS;
		context_switch(prev, next);
	}
	if (flags & RFLAGS_IF)
		sti();
}

/* idle_loop: what the boot thread does once processes run. */
void idle_loop(void)
{
	for (;;) {
		cli();
		if (list_empty(&run_queue)) {
			__asm__ volatile("sti; hlt" ::
					     : "memory"); /* sti takes effect after hlt starts */
			continue;
		}
		sti();
		schedule();
	}
}

void sched_tick(struct trap_frame *tf)
{
	struct task *t = current;
	uint64_t now = timer_ticks();

	if (t != &idle_task) {
		if (tf->cs & 3)
			t->utime++;
		else
			t->stime++;
		if (--t->time_slice <= 0)
			need_resched = 1;
	}
	for (struct list_head *l = all_tasks.next; l != &all_tasks; l = l->next) {
		struct task *s = list_entry(l, struct task, tasks);
		if (s->state == TASK_SLEEPING && s->wake_tick && s->wake_tick <= now) {
			s->wake_tick = 0;
			s->state = TASK_RUNNABLE;
			list_add_tail(&s->run_list, &run_queue);
		}
	}
}

int sleep_on(const void *chan)
{
	unsigned long flags = read_rflags();
	cli();
	int r = sleep_on_irqoff(chan);
	if (flags & RFLAGS_IF)
		sti();
	return r;
}

int sleep_on_irqoff(const void *chan)
{
	struct task *t = current;
	if (signal_pending(t))
		return -EINTR;
	t->wchan = chan;
	t->state = TASK_SLEEPING;
	list_del(&t->run_list);
	schedule();
	t->wchan = NULL;
	return signal_pending(t) ? -EINTR : 0;
}

/* wake_task: make a sleeping task runnable (a signal arrived, or its channel was woken). */
void wake_task(struct task *t)
{
	unsigned long flags = read_rflags();
	cli();
	if (t->state == TASK_SLEEPING) {
		t->state = TASK_RUNNABLE;
		t->wake_tick = 0;
		list_add_tail(&t->run_list, &run_queue);
	}
	if (flags & RFLAGS_IF)
		sti();
}

void wake_up(const void *chan)
{
	unsigned long flags = read_rflags();
	cli();
	for (struct list_head *l = all_tasks.next; l != &all_tasks; l = l->next) {
		struct task *t = list_entry(l, struct task, tasks);
		if (t->state == TASK_SLEEPING && t->wchan == chan)
			wake_task(t);
	}
	if (flags & RFLAGS_IF)
		sti();
}

void ret_to_user_work(struct trap_frame *tf)
{
	for (;;) {
		cli();
		if (need_resched) {
			sti();
			schedule();
			continue;
		}
		if (signal_pending(current)) {
			sti();
			do_signal(tf);
			continue; /* do_signal may have killed us, or there may be more */
		}
		return; /* with interrupts off, straight to iretq */
	}
}
