/*
 * signal.c - sending and delivering signals, with Linux's frame layout.
 *
 * A signal is sent by making it pending in the target (send_signal). It
 * is acted on when the target next returns to user mode (do_signal): the
 * default action (terminate or ignore), or a handler. For a handler we push
 * a struct rt_sigframe on the user stack, exactly as Linux x86-64 does,
 * holding the interrupted registers (ucontext), the siginfo and the FPU
 * state, and make the task "call" the handler with the frame's first word
 * (sa_restorer, musl's __restore_rt) as return address. The restorer
 * calls rt_sigreturn, which restores everything from the frame.
 */
#include "kernel/signal.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/syscall.h"
#include "kernel/task.h"
#include "kernel/exit.h"
#include "kernel/gdt.h"
#include "kernel/x86.h"
#include "mm/uaccess.h"

#define UNBLOCKABLE (sigmask(SIGKILL) | sigmask(SIGSTOP))

int signal_pending(struct task *t)
{
	return (t->sig.pending & ~t->sig.blocked) != 0;
}

/* sig_ignored_by_default: signals whose default action is to do nothing. */
static int sig_default_ignore(int sig)
{
	/* moo has no job control: stop/continue signals are ignored too */
	return sig == SIGCHLD || sig == SIGURG || sig == SIGWINCH || sig == SIGCONT ||
	       sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;
}

static int sig_ignored(struct task *t, int sig)
{
	uint64_t h = t->sig.action[sig].handler;
	if (sig == SIGKILL)
		return 0;
	return h == SIG_IGN || (h == SIG_DFL && sig_default_ignore(sig));
}

int send_signal(struct task *t, int sig, const struct ksiginfo *info)
{
	if (sig < 1 || sig > NSIG)
		return -EINVAL;
	if (t->state == TASK_ZOMBIE)
		return 0;
	if (sig_ignored(t, sig) && !(t->sig.blocked & sigmask(sig)))
		return 0; /* discarded at once, as POSIX says */
	/* init only gets the signals it has handlers for (Linux: SIGNAL_UNKILLABLE):
	 * a stray kill(0, SIGTERM) or "kill -9 1" must not take the system down */
	if (t == init_task && t->sig.action[sig].handler == SIG_DFL && (!info || info->code <= 0))
		return 0;
	if (!(t->sig.pending & sigmask(sig))) { /* standard signals do not queue */
		if (info)
			t->sig.info[sig] = *info;
		else
			t->sig.info[sig] =
			    (struct ksiginfo){.signo = sig, .code = SI_USER, .pid = current->pid};
		t->sig.info[sig].signo = sig;
		t->sig.pending |= sigmask(sig);
	}
	if (signal_pending(t))
		wake_task(t);
	return 0;
}

void force_sig_fault(int sig, int code, uint64_t addr)
{
	struct task *t = current;
	struct ksiginfo info = {.signo = sig, .code = code, .addr = addr};
	/* A fault cannot be blocked or ignored away: the instruction would just
	 * fault again. Linux (force_sig_info) resets such a signal to default. */
	if ((t->sig.blocked & sigmask(sig)) || t->sig.action[sig].handler == SIG_IGN) {
		t->sig.blocked &= ~sigmask(sig);
		t->sig.action[sig].handler = SIG_DFL;
	}
	t->sig.pending &= ~sigmask(sig);
	send_signal(t, sig, &info);
}

void kill_pgrp(int pgrp, int sig)
{
	for (struct list_head *l = all_tasks.next; l != &all_tasks; l = l->next) {
		struct task *t = list_entry(l, struct task, tasks);
		if (t->pgrp == pgrp && t->pid > 1)
			send_signal(t, sig, &(struct ksiginfo){.signo = sig, .code = SI_KERNEL});
	}
}

void signals_fork(struct task *child, struct task *parent)
{
	memcpy(child->sig.action, parent->sig.action, sizeof(child->sig.action));
	child->sig.blocked = parent->sig.blocked;
	child->sig.pending = 0;
}

void signals_exec(struct task *t)
{
	/* handlers point into the old program: back to default; ignored stays ignored */
	for (int s = 1; s <= NSIG; s++)
		if (t->sig.action[s].handler != SIG_IGN)
			t->sig.action[s] = (struct k_sigaction){0};
}

/* ---------------------------------------------------------------- frames */

/* Linux's user-visible structures (asm/sigcontext.h, asm/ucontext.h, siginfo.h) */
struct sigcontext {
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip, eflags;
	uint16_t cs, gs, fs, ss;
	uint64_t err, trapno, oldmask, cr2;
	uint64_t fpstate; /* user pointer to the fxsave area */
	uint64_t reserved1[8];
};

struct ucontext {
	uint64_t uc_flags;
	uint64_t uc_link;
	struct {
		uint64_t ss_sp;
		int32_t ss_flags, pad;
		uint64_t ss_size;
	} uc_stack;
	struct sigcontext uc_mcontext;
	sigset_t uc_sigmask;
};

struct siginfo {
	int32_t si_signo, si_errno, si_code, pad;
	union {
		struct {
			int32_t pid, uid;
			int32_t status, pad2;
			int64_t utime, stime;
		} child; /* kill and SIGCHLD share pid and uid at the front */
		uint64_t addr;
		uint8_t bytes[112];
	};
};

struct rt_sigframe {
	uint64_t pretcode; /* the handler's return address: sa_restorer */
	struct ucontext uc;
	struct siginfo info;
};

_Static_assert(sizeof(struct sigcontext) == 256, "Linux's struct sigcontext is 256 bytes");
_Static_assert(sizeof(struct siginfo) == 128, "siginfo_t is 128 bytes");

#define FPSTATE_SIZE 512
#define MXCSR_VALID  0xffbf /* MXCSR bits that may be set (default MXCSR_MASK) */

static void fill_siginfo(struct siginfo *si, const struct ksiginfo *k)
{
	memset(si, 0, sizeof(*si));
	si->si_signo = k->signo;
	si->si_code = k->code;
	switch (k->signo) {
	case SIGSEGV:
	case SIGBUS:
	case SIGILL:
	case SIGFPE:
	case SIGTRAP:
		if (k->code > 0 && k->code != SI_KERNEL) {
			si->addr = k->addr;
			break;
		}
		__attribute__((fallthrough)); /* sent by kill: fill in the sender */
	default:
		si->child.pid = k->pid;
		si->child.uid = k->uid;
		si->child.status = k->status;
	}
}

static int setup_rt_frame(int sig, const struct k_sigaction *ka, const struct ksiginfo *k,
			  struct trap_frame *tf)
{
	struct task *t = current;
	uint64_t sp = tf->rsp - 128; /* skip the red zone of the interrupted code */
	uint8_t fx[FPSTATE_SIZE] __attribute__((aligned(16)));
	struct rt_sigframe f;

	sp = (sp - FPSTATE_SIZE) & ~63UL;
	uint64_t fpstate = sp;
	/* as if called: (rsp + 8) is 16-byte aligned at the handler's first instruction */
	sp = ((sp - sizeof(f)) & ~15UL) - 8;

	memset(&f, 0, sizeof(f));
	f.pretcode = ka->restorer;
	struct sigcontext *sc = &f.uc.uc_mcontext;
	sc->r8 = tf->r8, sc->r9 = tf->r9, sc->r10 = tf->r10, sc->r11 = tf->r11;
	sc->r12 = tf->r12, sc->r13 = tf->r13, sc->r14 = tf->r14, sc->r15 = tf->r15;
	sc->rdi = tf->rdi, sc->rsi = tf->rsi, sc->rbp = tf->rbp, sc->rbx = tf->rbx;
	sc->rdx = tf->rdx, sc->rax = tf->rax, sc->rcx = tf->rcx, sc->rsp = tf->rsp;
	sc->rip = tf->rip, sc->eflags = tf->rflags, sc->cs = (uint16_t)tf->cs;
	sc->ss = (uint16_t)tf->ss;
	sc->trapno = tf->vector == (uint64_t)-1 ? 0 : tf->vector;
	sc->err = tf->vector == (uint64_t)-1 ? 0 : tf->error_code;
	sc->cr2 = k->addr;
	sc->oldmask = t->sig.blocked;
	sc->fpstate = fpstate;
	f.uc.uc_sigmask = t->sig.blocked;
	fill_siginfo(&f.info, k);

	__asm__ volatile("fxsave %0" : "=m"(fx));
	if (copy_to_user((void *)fpstate, fx, sizeof(fx)) ||
	    copy_to_user((void *)sp, &f, sizeof(f)))
		return -EFAULT;

	tf->rip = ka->handler;
	tf->rsp = sp;
	tf->rdi = (uint64_t)sig;
	tf->rsi = sp + __builtin_offsetof(struct rt_sigframe, info);
	tf->rdx = sp + __builtin_offsetof(struct rt_sigframe, uc);
	tf->rax = 0;
	tf->rflags &= ~(1UL << 8 | 1UL << 10); /* TF and DF clear, as the ABI expects */
	/* the handler starts with a clean FPU (Linux: fpu__clear_user_states) */
	uint32_t mxcsr = 0x1f80;
	__asm__ volatile("fninit; ldmxcsr %0" : : "m"(mxcsr));
	return 0;
}

/* restart_syscall: decide what an interrupted syscall returns (see syscall.c). */
static void handle_restart(struct trap_frame *tf, const struct k_sigaction *ka, bool handler)
{
	if (tf->vector != (uint64_t)-1 || (long)tf->rax != -ERESTARTSYS)
		return;
	if (handler && !(ka->flags & SA_RESTART)) {
		tf->rax = (uint64_t)-EINTR;
	} else {
		tf->rax = tf->error_code; /* the original syscall number */
		tf->rip -= 2;             /* back onto the syscall instruction */
	}
}

void do_signal(struct trap_frame *tf)
{
	struct task *t = current;
	sigset_t ready = t->sig.pending & ~t->sig.blocked;
	if (!ready)
		return;
	int sig = __builtin_ctzl(ready) + 1;
	if (ready & sigmask(SIGKILL))
		sig = SIGKILL;
	struct ksiginfo info = t->sig.info[sig];
	struct k_sigaction *ka = &t->sig.action[sig];
	t->sig.pending &= ~sigmask(sig);

	if (sig != SIGKILL && ka->handler == SIG_IGN) {
		handle_restart(tf, ka, false);
		return;
	}
	if (sig == SIGKILL || ka->handler == SIG_DFL) {
		if (sig_default_ignore(sig)) {
			handle_restart(tf, ka, false);
			return;
		}
		do_exit(W_SIGNALED(sig)); /* never returns */
	}

	handle_restart(tf, ka, true);
	struct k_sigaction act = *ka;
	if (setup_rt_frame(sig, &act, &info, tf) < 0) {
		/* no room for the frame: the stack is bad; Linux kills with SIGSEGV */
		do_exit(W_SIGNALED(SIGSEGV));
	}
	t->sig.blocked |= act.mask;
	if (!(act.flags & SA_NODEFER))
		t->sig.blocked |= sigmask(sig);
	t->sig.blocked &= ~UNBLOCKABLE;
	if (act.flags & SA_RESETHAND)
		ka->handler = SIG_DFL;
}

/* ---------------------------------------------------------------- syscalls */

SYSCALL_DEFINE4(rt_sigaction, int, sig, const struct k_sigaction __user *, act,
		struct k_sigaction __user *, oact, size_t, sigsetsize)
{
	struct k_sigaction k;
	struct task *t = current;

	if (sigsetsize != sizeof(sigset_t) || sig < 1 || sig > NSIG)
		return -EINVAL;
	if (act && (sig == SIGKILL || sig == SIGSTOP))
		return -EINVAL;
	if (act && copy_from_user(&k, act, sizeof(k)))
		return -EFAULT;
	if (oact && copy_to_user(oact, &t->sig.action[sig], sizeof(k)))
		return -EFAULT;
	if (act) {
		k.mask &= ~UNBLOCKABLE;
		t->sig.action[sig] = k;
		if (sig_ignored(t, sig)) /* POSIX: setting SIG_IGN discards a pending one */
			t->sig.pending &= ~sigmask(sig);
	}
	return 0;
}

SYSCALL_DEFINE4(rt_sigprocmask, int, how, const sigset_t __user *, set, sigset_t __user *, oset,
		size_t, sigsetsize)
{
	struct task *t = current;
	sigset_t s, old = t->sig.blocked;

	if (sigsetsize != sizeof(sigset_t))
		return -EINVAL;
	if (set) {
		if (copy_from_user(&s, set, sizeof(s)))
			return -EFAULT;
		if (how == SIG_BLOCK)
			t->sig.blocked |= s;
		else if (how == SIG_UNBLOCK)
			t->sig.blocked &= ~s;
		else if (how == SIG_SETMASK)
			t->sig.blocked = s;
		else
			return -EINVAL;
		t->sig.blocked &= ~UNBLOCKABLE;
	}
	/* as Linux: the new mask stays even if the old one cannot be returned */
	if (oset && copy_to_user(oset, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE0(rt_sigreturn)
{
	struct task *t = current;
	struct trap_frame *tf = t->regs;
	struct rt_sigframe f;
	uint8_t fx[FPSTATE_SIZE] __attribute__((aligned(16)));
	uint64_t frame = tf->rsp - 8; /* the handler's ret popped pretcode */

	if (copy_from_user(&f, (void *)frame, sizeof(f)))
		goto bad;
	const struct sigcontext *sc = &f.uc.uc_mcontext;
	if (sc->rip >= USER_TOP || sc->rsp >= USER_TOP)
		goto bad; /* iretq to a non-canonical rip would fault in the kernel */
	if (sc->fpstate) {
		if (copy_from_user(fx, (void *)sc->fpstate, sizeof(fx)))
			goto bad;
		uint32_t *mxcsr = (uint32_t *)(fx + 24);
		*mxcsr &= MXCSR_VALID; /* reserved MXCSR bits would #GP in fxrstor */
		__asm__ volatile("fxrstor %0" : : "m"(fx));
	}
	tf->r8 = sc->r8, tf->r9 = sc->r9, tf->r10 = sc->r10, tf->r11 = sc->r11;
	tf->r12 = sc->r12, tf->r13 = sc->r13, tf->r14 = sc->r14, tf->r15 = sc->r15;
	tf->rdi = sc->rdi, tf->rsi = sc->rsi, tf->rbp = sc->rbp, tf->rbx = sc->rbx;
	tf->rdx = sc->rdx, tf->rax = sc->rax, tf->rcx = sc->rcx, tf->rsp = sc->rsp;
	tf->rip = sc->rip;
	/* the user may change only the arithmetic flags, DF, TF and AC */
	const uint64_t user_flags = 0x40dd5;
	tf->rflags = (tf->rflags & ~user_flags) | (sc->eflags & user_flags) | RFLAGS_IF;
	tf->cs = USER_CS;
	tf->ss = USER_DS;
	tf->vector = 0; /* not a syscall any more: no restart games on the way out */
	t->sig.blocked = f.uc.uc_sigmask & ~UNBLOCKABLE;
	return (long)tf->rax;
bad:
	do_exit(W_SIGNALED(SIGSEGV));
}

SYSCALL_DEFINE2(kill, int, pid, int, sig)
{
	int found = 0, err = 0;

	if (sig < 0 || sig > NSIG)
		return -EINVAL;
	for (struct list_head *l = all_tasks.next; l != &all_tasks; l = l->next) {
		struct task *t = list_entry(l, struct task, tasks);
		bool match = pid > 0     ? t->pid == pid
			     : pid == 0  ? t->pgrp == current->pgrp
			     : pid == -1 ? t->pid > 1 && t != current
					 : t->pgrp == -pid;
		if (!match)
			continue;
		found = 1; /* a zombie exists, so kill() succeeds, but has no one to tell */
		if (sig && t->state != TASK_ZOMBIE)
			err = send_signal(t, sig, NULL);
	}
	return found ? err : -ESRCH;
}

SYSCALL_DEFINE0(pause)
{
	/* sleep until a signal is delivered: never restarted, always -EINTR */
	while (sleep_on(current) == 0)
		;
	return -EINTR;
}
