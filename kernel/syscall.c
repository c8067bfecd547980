/*
 * syscall.c - the system call table and dispatcher.
 *
 * syscall_init() points MSR_LSTAR at boot/syscall.asm. The entry code
 * saves the user registers as a struct trap_frame and calls
 * syscall_dispatch(), which looks the number up in syscall_table[].
 */
#include "kernel/syscall.h"
#include "kernel/errno.h"
#include "kernel/gdt.h"
#include "kernel/printk.h"
#include "kernel/task.h"
#include "kernel/trap.h"
#include "kernel/unistd.h"
#include "kernel/x86.h"

#define MSR_STAR  0xc0000081
#define MSR_LSTAR 0xc0000082
#define MSR_FMASK 0xc0000084
#define EFER_SCE  (1UL << 0)

extern void syscall_entry(void);

#define X(name) long sys_##name(SC_ARGS);
#include "kernel/syscall_list.h"
#undef X

static const syscall_fn_t syscall_table[NR_SYSCALLS] = {
#define X(name) [__NR_##name] = sys_##name,
#include "kernel/syscall_list.h"
#undef X
};

static const char *const syscall_names[NR_SYSCALLS] = {
#define X(name) [__NR_##name] = #name,
#include "kernel/syscall_list.h"
#undef X
};

void syscall_init(void)
{
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
	/* STAR[47:32]: kernel CS (SS = +8); STAR[63:48]: base for user CS (+16) and SS (+8) */
	wrmsr(MSR_STAR, ((uint64_t)KERNEL_CS << 32) | ((uint64_t)(USER_DS - 8) << 48));
	wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
	/* clear IF (no interrupts until we are on the kernel stack), DF, TF, AC */
	wrmsr(MSR_FMASK, RFLAGS_IF | (1UL << 10) | (1UL << 8) | (1UL << 18));
}

#include "kernel/syscall_names.h"

const char *syscall_name(unsigned long nr)
{
	if (nr < NR_SYSCALLS && syscall_names[nr])
		return syscall_names[nr];
	if (nr < sizeof(linux_syscall_names) / sizeof(linux_syscall_names[0]) &&
	    linux_syscall_names[nr])
		return linux_syscall_names[nr];
	return "not a Linux system call";
}

void syscall_dispatch(struct trap_frame *tf)
{
	unsigned long nr = tf->rax;
	struct task *t = current;

	tf->error_code = nr; /* the original number, for restarting (kernel/signal.c) */
	if (nr < NR_SYSCALLS && syscall_table[nr]) {
		tf->rax =
		    (uint64_t)syscall_table[nr](tf->rdi, tf->rsi, tf->rdx, tf->r10, tf->r8, tf->r9);
	} else {
		printk("moo: %s (pid %d) called unimplemented syscall %lu (%s): -ENOSYS\n", t->comm,
		       t->pid, nr, syscall_name(nr));
		tf->rax = (uint64_t)-ENOSYS;
	}
	ret_to_user_work(tf);
	if ((long)tf->rax == -ERESTARTSYS && tf->vector == (uint64_t)-1) {
		/* interrupted, but no handler ran: just do it again */
		tf->rax = tf->error_code;
		tf->rip -= 2;
	}
	cli();
}
