/*
 * signal.h - POSIX signals with Linux x86-64's numbers, structures and
 * frame layout, so musl's sigaction() and handlers work unchanged.
 */
#ifndef MOO_KERNEL_SIGNAL_H
#define MOO_KERNEL_SIGNAL_H

#include <stdint.h>

#define NSIG 64

#define SIGHUP    1
#define SIGINT    2
#define SIGQUIT   3
#define SIGILL    4
#define SIGTRAP   5
#define SIGABRT   6
#define SIGBUS    7
#define SIGFPE    8
#define SIGKILL   9
#define SIGUSR1   10
#define SIGSEGV   11
#define SIGUSR2   12
#define SIGPIPE   13
#define SIGALRM   14
#define SIGTERM   15
#define SIGSTKFLT 16
#define SIGCHLD   17
#define SIGCONT   18
#define SIGSTOP   19
#define SIGTSTP   20
#define SIGTTIN   21
#define SIGTTOU   22
#define SIGURG    23
#define SIGXCPU   24
#define SIGXFSZ   25
#define SIGVTALRM 26
#define SIGPROF   27
#define SIGWINCH  28
#define SIGIO     29
#define SIGPWR    30
#define SIGSYS    31

#define SIG_DFL 0UL
#define SIG_IGN 1UL

#define SA_NOCLDSTOP 0x00000001
#define SA_NOCLDWAIT 0x00000002
#define SA_SIGINFO   0x00000004
#define SA_RESTORER  0x04000000
#define SA_ONSTACK   0x08000000
#define SA_RESTART   0x10000000
#define SA_NODEFER   0x40000000
#define SA_RESETHAND 0x80000000

#define SIG_BLOCK   0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2

/* si_code values */
#define SI_USER     0
#define SI_KERNEL   0x80
#define SEGV_MAPERR 1 /* no mapping at the address */
#define SEGV_ACCERR 2 /* mapping does not allow the access */
#define BUS_ADRERR  2 /* beyond the end of a file mapping */
#define CLD_EXITED  1
#define CLD_KILLED  2
#define CLD_DUMPED  3

typedef uint64_t sigset_t; /* bit (sig - 1) */

static inline uint64_t sigmask(int sig)
{
	return 1UL << (sig - 1);
}

/* What rt_sigaction() takes from the user: Linux's struct kernel_sigaction. */
struct k_sigaction {
	uint64_t handler;
	uint64_t flags;
	uint64_t restorer; /* musl's __restore_rt: calls rt_sigreturn */
	sigset_t mask;
};

/* A pending signal's details, enough to build the user's siginfo_t. */
struct ksiginfo {
	int signo, code;
	uint64_t addr; /* SIGSEGV, SIGBUS, SIGILL, SIGFPE: the faulting address */
	int pid, uid;  /* sender (kill) or child (SIGCHLD) */
	int status;    /* SIGCHLD: exit code or signal */
};

struct signal_state {
	struct k_sigaction action[NSIG + 1];
	sigset_t blocked, pending;
	struct ksiginfo info[NSIG + 1];
	sigset_t saved_mask; /* for a syscall interrupted by a handler (EINTR bookkeeping) */
};

struct task;
struct trap_frame;

/* send_signal: make sig pending in t with info (NULL: SI_USER from current); wakes t. */
int send_signal(struct task *t, int sig, const struct ksiginfo *info);
/* force_sig_fault: a fault-generated signal, delivered even if blocked or ignored. */
void force_sig_fault(int sig, int code, uint64_t addr);
/* do_signal: on return to user mode, deliver one pending signal (frame or default action). */
void do_signal(struct trap_frame *tf);
/* signal_pending: is an unblocked signal waiting for t? */
int signal_pending(struct task *t);
/* signals_fork/exec: what a child inherits; exec resets handlers to default. */
void signals_fork(struct task *child, struct task *parent);
void signals_exec(struct task *t);
/* kill_pgrp: send sig to every process in group pgrp (console ^C). */
void kill_pgrp(int pgrp, int sig);

#endif
