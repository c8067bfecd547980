/*
 * signals.c - rt_sigaction, rt_sigprocmask, rt_sigreturn, kill, and the
 * signals the kernel itself sends (SIGSEGV, SIGFPE, SIGILL, SIGCHLD).
 *
 * Each test runs in a child process (run_child), so the handlers and masks
 * it sets cannot leak into the next test, and a kernel that gets delivery
 * wrong kills only that child. The exec test re-runs this program in the
 * helper mode --sig-state (see main()).
 */
#define _GNU_SOURCE
#include "check.h"
#include "testutil.h"

#include <setjmp.h>
#include <stdlib.h>

static char self[1024];

/* The kernel's struct sigaction for raw rt_sigaction calls (x86-64). */
struct k_sigaction {
	void *handler;
	unsigned long flags;
	void *restorer;
	unsigned long mask;
};

#define SIGBIT(s) (1UL << ((s)-1))

static void set_handler(int sig, void (*fn)(int), int flags, const int *also_block)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fn;
	sa.sa_flags = flags;
	sigemptyset(&sa.sa_mask);
	while (also_block && *also_block)
		sigaddset(&sa.sa_mask, *also_block++);
	if (sigaction(sig, &sa, NULL) != 0)
		printf("  sigaction(%d) failed: %s\n", sig, strerror(errno));
}

static void set_siginfo_handler(int sig, void (*fn)(int, siginfo_t *, void *), int flags)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = fn;
	sa.sa_flags = SA_SIGINFO | flags;
	sigemptyset(&sa.sa_mask);
	if (sigaction(sig, &sa, NULL) != 0)
		printf("  sigaction(%d) failed: %s\n", sig, strerror(errno));
}

static unsigned long current_mask(void)
{
	unsigned long m = 0;
	syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, &m, 8);
	return m;
}

static void block(int sig, int how)
{
	unsigned long m = SIGBIT(sig);
	syscall(SYS_rt_sigprocmask, how, &m, NULL, 8);
}

/* ---------------------------------------------------------------- faults */

static sigjmp_buf jump;
static volatile int got_signo, got_code, got_count;
static void *volatile got_addr;

static void record_and_jump(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	got_signo = sig == si->si_signo ? sig : -1;
	got_code = si->si_code;
	got_addr = si->si_addr;
	got_count++;
	siglongjmp(jump, 1);
}

/* Touch addr (read or write) under a SIGSEGV handler; 1 if it faulted. */
static int faults(volatile char *addr, int write)
{
	if (sigsetjmp(jump, 1) == 0) {
		if (write)
			*addr = 1;
		else
			(void)*addr;
		return 0;
	}
	return 1;
}

static int segv_maperr(void *arg)
{
	(void)arg;
	set_siginfo_handler(SIGSEGV, record_and_jump, 0);
	char *addr = (char *)unmapped_page() + 0x123;
	CHECK(faults(addr, 0));
	CHECK_EQ(got_signo, SIGSEGV);
	CHECK_EQ(got_code, SEGV_MAPERR);
	CHECK(got_addr == addr);
	/* a write to the same hole, and the null page */
	CHECK(faults(addr + 1, 1));
	CHECK_EQ(got_code, SEGV_MAPERR);
	CHECK(got_addr == addr + 1);
	CHECK(faults((char *)0x10, 0));
	CHECK_EQ(got_code, SEGV_MAPERR);
	CHECK(got_addr == (void *)0x10);
	CHECK_EQ(got_count, 3);
	return 0;
}

TEST(segv_unmapped_page_maperr_with_exact_address)
{
	CHECK_EXITED(run_child(segv_maperr, NULL), 0);
}

static int segv_accerr(void *arg)
{
	(void)arg;
	set_siginfo_handler(SIGSEGV, record_and_jump, 0);
	char *p = mmap(NULL, 2 * 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(p != MAP_FAILED);
	CHECK(!faults(p + 0x456, 0)); /* reading is allowed */
	CHECK(faults(p + 4096 + 0x456, 1));
	CHECK_EQ(got_signo, SIGSEGV);
	CHECK_EQ(got_code, SEGV_ACCERR);
	CHECK(got_addr == p + 4096 + 0x456);
	CHECK_EQ(mprotect(p, 4096, PROT_NONE), 0);
	CHECK(faults(p + 7, 0));
	CHECK_EQ(got_code, SEGV_ACCERR);
	CHECK(got_addr == p + 7);
	return 0;
}

TEST(segv_write_to_read_only_page_accerr)
{
	CHECK_EXITED(run_child(segv_accerr, NULL), 0);
}

/* siglongjmp restores the mask, so the same fault is caught again. */
static int segv_repeat(void *arg)
{
	(void)arg;
	set_siginfo_handler(SIGSEGV, record_and_jump, 0);
	char *addr = unmapped_page();
	for (int i = 0; i < 50; i++)
		CHECK(faults(addr + i, i & 1));
	CHECK_EQ(got_count, 50);
	CHECK_EQ(current_mask() & SIGBIT(SIGSEGV), 0);
	return 0;
}

TEST(segv_handler_siglongjmp_can_fault_again)
{
	CHECK_EXITED(run_child(segv_repeat, NULL), 0);
}

static char *fix_page;

static void fix_protection(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	got_count++;
	got_addr = si->si_addr;
	mprotect(fix_page, 4096, PROT_READ | PROT_WRITE);
}

/* Returning from the handler re-runs the faulting instruction. */
static int segv_fix_and_resume(void *arg)
{
	(void)arg;
	fix_page = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	set_siginfo_handler(SIGSEGV, fix_protection, 0);
	volatile int *v = (volatile int *)(fix_page + 64);
	*v = 1234;
	CHECK_EQ(got_count, 1);
	CHECK(got_addr == fix_page + 64);
	CHECK_EQ(*v, 1234);
	return 0;
}

TEST(segv_handler_fixes_protection_and_write_resumes)
{
	CHECK_EXITED(run_child(segv_fix_and_resume, NULL), 0);
}

static int read_addr(void *arg)
{
	crash_prepare();
	return *(volatile char *)arg;
}

static int write_addr(void *arg)
{
	crash_prepare();
	*(volatile char *)arg = 1;
	return 0;
}

TEST(user_access_to_kernel_half_segfaults)
{
	CHECK_SIGNALED(run_child(read_addr, BAD_KERNEL_PTR), SIGSEGV);
	CHECK_SIGNALED(run_child(write_addr, BAD_KERNEL_PTR), SIGSEGV);
	CHECK_SIGNALED(run_child(read_addr, (void *)0xffffffff80000000UL), SIGSEGV);
	CHECK_SIGNALED(run_child(write_addr, (void *)0xffffffff80100000UL), SIGSEGV);
	CHECK_SIGNALED(run_child(read_addr, BAD_NONCANON_LOW), SIGSEGV);
	CHECK_SIGNALED(run_child(write_addr, BAD_NONCANON_TOP), SIGSEGV);
}

static int call_page(void *arg)
{
	crash_prepare();
	((void (*)(void))arg)();
	return 0;
}

TEST(execute_needs_prot_exec)
{
	unsigned char *p =
	    mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	p[0] = 0xc3;                                      /* ret */
	CHECK_SIGNALED(run_child(call_page, p), SIGSEGV); /* writable, not executable */
	CHECK_EQ(mprotect(p, 4096, PROT_READ), 0);
	CHECK_SIGNALED(run_child(call_page, p), SIGSEGV);
	CHECK_EQ(mprotect(p, 4096, PROT_READ | PROT_EXEC), 0);
	CHECK_EXITED(run_child(call_page, p), 0);
	munmap(p, 4096);
}

static int divide(void *arg)
{
	crash_prepare();
	volatile int a = 1, b = (int)(intptr_t)arg;
	return a / b;
}

static int fpe_handler_child(void *arg)
{
	(void)arg;
	set_siginfo_handler(SIGFPE, record_and_jump, 0);
	if (sigsetjmp(jump, 1) == 0) {
		got_count = divide(0);
		CHECK(0);
	}
	CHECK_EQ(got_signo, SIGFPE);
	CHECK_EQ(got_code, FPE_INTDIV);
	return 0;
}

static int ud2(void *arg)
{
	(void)arg;
	crash_prepare();
	__asm__ volatile("ud2");
	return 0;
}

static int int3(void *arg)
{
	(void)arg;
	crash_prepare();
	__asm__ volatile("int3");
	return 0;
}

TEST(cpu_exceptions_raise_matching_signals)
{
	CHECK_SIGNALED(run_child(divide, (void *)0), SIGFPE);
	CHECK_EXITED(run_child(divide, (void *)1), 1);
	CHECK_EXITED(run_child(fpe_handler_child, NULL), 0);
	CHECK_SIGNALED(run_child(ud2, NULL), SIGILL);
	CHECK_SIGNALED(run_child(int3, NULL), SIGTRAP);
}

/* ---------------------------------------------------------------- user handlers */

static volatile int usr1_count;

static void count_usr1(int sig)
{
	if (sig == SIGUSR1)
		usr1_count++;
}

/* POSIX: a signal a process sends itself, unblocked, is delivered before
 * kill() returns. */
static int usr1_self(void *arg)
{
	(void)arg;
	set_handler(SIGUSR1, count_usr1, 0, NULL);
	CHECK_EQ(syscall(SYS_kill, getpid(), SIGUSR1), 0);
	CHECK_EQ(usr1_count, 1);
	CHECK_EQ(syscall(SYS_kill, getpid(), SIGUSR1), 0);
	CHECK_EQ(usr1_count, 2);
	return 0;
}

TEST(sigusr1_handler_runs_before_kill_returns)
{
	CHECK_EXITED(run_child(usr1_self, NULL), 0);
}

static volatile int info_pid, info_uid, info_code;

static void record_sender(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	info_pid = si->si_pid;
	info_uid = si->si_uid;
	info_code = si->si_code;
}

static int kill_siginfo(void *arg)
{
	(void)arg;
	set_siginfo_handler(SIGUSR2, record_sender, 0);
	CHECK_EQ(syscall(SYS_kill, getpid(), SIGUSR2), 0);
	CHECK_EQ(info_pid, getpid());
	CHECK_EQ(info_uid, getuid());
	CHECK_EQ(info_code, SI_USER);
	return 0;
}

TEST(kill_siginfo_has_sender_pid_and_si_user)
{
	CHECK_EXITED(run_child(kill_siginfo, NULL), 0);
}

static int pending_while_blocked(void *arg)
{
	(void)arg;
	set_handler(SIGUSR1, count_usr1, 0, NULL);
	block(SIGUSR1, SIG_BLOCK);
	CHECK_EQ(syscall(SYS_kill, getpid(), SIGUSR1), 0);
	sleep_ms(5);
	CHECK_EQ(usr1_count, 0);
	CHECK_EQ(syscall(SYS_kill, getpid(), SIGUSR1), 0); /* standard signals do not queue */
	CHECK_EQ(usr1_count, 0);
	block(SIGUSR1, SIG_UNBLOCK); /* delivered before sigprocmask returns */
	CHECK_EQ(usr1_count, 1);
	sleep_ms(5);
	CHECK_EQ(usr1_count, 1);
	return 0;
}

TEST(blocked_signal_pending_until_unblocked_and_delivered_once)
{
	CHECK_EXITED(run_child(pending_while_blocked, NULL), 0);
}

static volatile unsigned long mask_in_handler;

static void record_mask(int sig)
{
	(void)sig;
	mask_in_handler = current_mask();
}

/* During the handler its own signal and sa_mask are blocked; afterwards
 * rt_sigreturn restores the old mask. */
static int handler_mask(void *arg)
{
	(void)arg;
	static const int extra[] = {SIGUSR2, SIGTERM, 0};
	set_handler(SIGUSR1, record_mask, 0, extra);
	block(SIGINT, SIG_BLOCK);
	unsigned long before = current_mask();
	CHECK_EQ(syscall(SYS_kill, getpid(), SIGUSR1), 0);
	unsigned long want = before | SIGBIT(SIGUSR1) | SIGBIT(SIGUSR2) | SIGBIT(SIGTERM);
	CHECK_EQ(mask_in_handler, want);
	CHECK_EQ(current_mask(), before);
	CHECK(before & SIGBIT(SIGINT));
	return 0;
}

TEST(handler_runs_with_sa_mask_blocked_then_mask_restored)
{
	CHECK_EXITED(run_child(handler_mask, NULL), 0);
}

static char order[8];
static volatile int order_len;

static void outer(int sig)
{
	(void)sig;
	order[order_len++] = '1';
	syscall(SYS_kill, getpid(), SIGUSR2);
	order[order_len++] = '3';
}

static void inner(int sig)
{
	(void)sig;
	order[order_len++] = '2';
}

static int nested(void *arg)
{
	(void)arg;
	set_handler(SIGUSR1, outer, 0, NULL);
	set_handler(SIGUSR2, inner, 0, NULL);
	CHECK_EQ(syscall(SYS_kill, getpid(), SIGUSR1), 0);
	order[order_len] = '\0';
	CHECK(strcmp(order, "123") == 0);
	return 0;
}

TEST(nested_signal_handlers_run_and_return)
{
	CHECK_EXITED(run_child(nested, NULL), 0);
}

static volatile int clobbered;

static void clobber_registers(int sig)
{
	(void)sig;
	clobbered++;
	/* everything the ABI lets a function destroy, and a bit more */
	__asm__ volatile("xor %%eax, %%eax\n\t"
			 "xor %%ecx, %%ecx\n\t"
			 "xor %%edx, %%edx\n\t"
			 "xor %%esi, %%esi\n\t"
			 "xor %%edi, %%edi\n\t"
			 "xor %%r8d, %%r8d\n\t"
			 "xor %%r9d, %%r9d\n\t"
			 "xor %%r10d, %%r10d\n\t"
			 "xor %%r11d, %%r11d\n\t"
			 "pxor %%xmm0, %%xmm0\n\t"
			 "pxor %%xmm1, %%xmm1\n\t"
			 "pxor %%xmm8, %%xmm8\n\t"
			 "pxor %%xmm15, %%xmm15\n\t"
			 :
			 :
			 : "rax", "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11", "xmm0",
			   "xmm1", "xmm8", "xmm15", "memory");
}

/*
 * kill() ourselves with every register holding a known value: the handler
 * wipes them, and rt_sigreturn must bring all of them back (a syscall
 * itself may only change rax, rcx and r11).
 */
static int registers(void *arg)
{
	(void)arg;
	set_handler(SIGUSR1, clobber_registers, 0, NULL);
	long pid = getpid(); /* no calls once the register variables are set */
	register long rax __asm__("rax") = SYS_kill;
	register long rdi __asm__("rdi") = pid;
	register long rsi __asm__("rsi") = SIGUSR1;
	register long rdx __asm__("rdx") = 0x1111111111111111L;
	register long r8 __asm__("r8") = 0x2222222222222222L;
	register long r9 __asm__("r9") = 0x3333333333333333L;
	register long r10 __asm__("r10") = 0x4444444444444444L;
	register long r12 __asm__("r12") = 0x5555555555555555L;
	register long r15 __asm__("r15") = 0x6666666666666666L;
	unsigned long x0, x1, x8, x15;
	unsigned long v0 = 0x0123456789abcdefUL, v1 = 0xfedcba9876543210UL;
	__asm__ volatile("movq %[v0], %%xmm0\n\t"
			 "movq %[v1], %%xmm1\n\t"
			 "movq %[v0], %%xmm8\n\t"
			 "movq %[v1], %%xmm15\n\t"
			 "syscall\n\t"
			 "movq %%xmm0, %[x0]\n\t"
			 "movq %%xmm1, %[x1]\n\t"
			 "movq %%xmm8, %[x8]\n\t"
			 "movq %%xmm15, %[x15]\n\t"
			 : "+r"(rax), "+r"(rdi), "+r"(rsi), "+r"(rdx), "+r"(r8), "+r"(r9),
			   "+r"(r10), "+r"(r12),
			   "+r"(r15), [x0] "=m"(x0), [x1] "=m"(x1), [x8] "=m"(x8), [x15] "=m"(x15)
			 : [v0] "m"(v0), [v1] "m"(v1)
			 : "rcx", "r11", "xmm0", "xmm1", "xmm8", "xmm15", "memory");
	long ret = rax, a = rdi, b = rsi, c = rdx, d = r8, e = r9, f = r10, g = r12, h = r15;
	CHECK_EQ(clobbered, 1);
	CHECK_EQ(ret, 0);
	CHECK_EQ(a, pid);
	CHECK_EQ(b, SIGUSR1);
	CHECK_EQ(c, 0x1111111111111111L);
	CHECK_EQ(d, 0x2222222222222222L);
	CHECK_EQ(e, 0x3333333333333333L);
	CHECK_EQ(f, 0x4444444444444444L);
	CHECK_EQ(g, 0x5555555555555555L);
	CHECK_EQ(h, 0x6666666666666666L);
	CHECK_EQ(x0, v0);
	CHECK_EQ(x1, v1);
	CHECK_EQ(x8, v0);
	CHECK_EQ(x15, v1);
	return 0;
}

TEST(signal_return_restores_all_registers)
{
	CHECK_EXITED(run_child(registers, NULL), 0);
}

static void h1(int sig)
{
	(void)sig;
}

static void h2(int sig)
{
	(void)sig;
}

static int old_action(void *arg)
{
	(void)arg;
	struct sigaction sa, old;
	memset(&sa, 0, sizeof(sa));
	CHECK_EQ(sigaction(SIGUSR1, NULL, &old), 0);
	CHECK(old.sa_handler == SIG_DFL);
	sa.sa_handler = h1;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGUSR2);
	CHECK_EQ(sigaction(SIGUSR1, &sa, NULL), 0);
	sa.sa_handler = h2;
	sa.sa_flags = 0;
	CHECK_EQ(sigaction(SIGUSR1, &sa, &old), 0);
	CHECK(old.sa_handler == h1);
	CHECK(old.sa_flags & SA_RESTART);
	CHECK(sigismember(&old.sa_mask, SIGUSR2));
	CHECK_EQ(sigaction(SIGUSR1, NULL, &old), 0);
	CHECK(old.sa_handler == h2);
	CHECK_EQ(old.sa_flags & SA_RESTART, 0);
	return 0;
}

TEST(sigaction_returns_previous_action)
{
	CHECK_EXITED(run_child(old_action, NULL), 0);
}

/* ---------------------------------------------------------------- masks */

static int procmask(void *arg)
{
	(void)arg;
	unsigned long all = ~0UL, got = 0, old = 0;
	CHECK_EQ(syscall(SYS_rt_sigprocmask, SIG_SETMASK, &all, NULL, 8), 0);
	got = current_mask();
	/* SIGKILL and SIGSTOP are silently left out */
	CHECK_EQ(got & (SIGBIT(SIGKILL) | SIGBIT(SIGSTOP)), 0);
	CHECK_EQ(got | SIGBIT(SIGKILL) | SIGBIT(SIGSTOP), all);
	unsigned long none = 0;
	CHECK_EQ(syscall(SYS_rt_sigprocmask, SIG_SETMASK, &none, &old, 8), 0);
	CHECK_EQ(old, got);
	unsigned long u1 = SIGBIT(SIGUSR1), u2 = SIGBIT(SIGUSR2);
	CHECK_EQ(syscall(SYS_rt_sigprocmask, SIG_BLOCK, &u1, &old, 8), 0);
	CHECK_EQ(old, 0);
	CHECK_EQ(syscall(SYS_rt_sigprocmask, SIG_BLOCK, &u2, &old, 8), 0);
	CHECK_EQ(old, u1);
	CHECK_EQ(syscall(SYS_rt_sigprocmask, SIG_UNBLOCK, &u1, &old, 8), 0);
	CHECK_EQ(old, u1 | u2);
	CHECK_EQ(current_mask(), u2);
	return 0;
}

TEST(sigprocmask_block_unblock_setmask_and_sigkill_unblockable)
{
	CHECK_EXITED(run_child(procmask, NULL), 0);
}

static int procmask_errors(void *arg)
{
	(void)arg;
	unsigned long m = SIGBIT(SIGUSR1), old;
	void *bad[N_BAD_PTRS];
	CHECK_ERRNO(syscall(SYS_rt_sigprocmask, 99, &m, NULL, 8), EINVAL);
	CHECK_ERRNO(syscall(SYS_rt_sigprocmask, SIG_BLOCK, &m, NULL, 4), EINVAL);
	CHECK_ERRNO(syscall(SYS_rt_sigprocmask, SIG_BLOCK, &m, NULL, 16), EINVAL);
	bad_pointers(bad);
	for (int i = 1; i < N_BAD_PTRS; i++) /* NULL means "no set" */
		CHECK_ERRNO(syscall(SYS_rt_sigprocmask, SIG_BLOCK, bad[i], NULL, 8), EFAULT);
	CHECK_EQ(syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, &old, 8), 0);
	CHECK_EQ(old, 0); /* none of the failed calls changed the mask */
	/* A bad oldset is EFAULT too, but the new mask has been applied by
	 * then (Linux copies the old one out last) */
	for (int i = 1; i < N_BAD_PTRS; i++)
		CHECK_ERRNO(syscall(SYS_rt_sigprocmask, SIG_BLOCK, &m, bad[i], 8), EFAULT);
	CHECK_EQ(syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, &old, 8), 0);
	CHECK_EQ(old, m);
	return 0;
}

TEST(sigprocmask_bad_arguments)
{
	CHECK_EXITED(run_child(procmask_errors, NULL), 0);
}

/* ---------------------------------------------------------------- rt_sigaction errors */

static int sigaction_errors(void *arg)
{
	(void)arg;
	struct k_sigaction act = {(void *)h1, 0, NULL, 0}, old;
	struct k_sigaction ign = {SIG_IGN, 0, NULL, 0};
	int badsigs[] = {0, 65, -1, 1000};
	for (int i = 0; i < 4; i++) {
		CHECK_ERRNO(syscall(SYS_rt_sigaction, badsigs[i], &act, NULL, 8), EINVAL);
		CHECK_ERRNO(syscall(SYS_rt_sigaction, badsigs[i], NULL, &old, 8), EINVAL);
	}
	/* SIGKILL and SIGSTOP cannot be caught or ignored... */
	CHECK_ERRNO(syscall(SYS_rt_sigaction, SIGKILL, &act, NULL, 8), EINVAL);
	CHECK_ERRNO(syscall(SYS_rt_sigaction, SIGKILL, &ign, NULL, 8), EINVAL);
	CHECK_ERRNO(syscall(SYS_rt_sigaction, SIGSTOP, &act, NULL, 8), EINVAL);
	/* ...but their action may be read */
	memset(&old, 0x55, sizeof(old));
	CHECK_EQ(syscall(SYS_rt_sigaction, SIGKILL, NULL, &old, 8), 0);
	CHECK(old.handler == SIG_DFL);
	CHECK_ERRNO(syscall(SYS_rt_sigaction, SIGUSR1, &act, NULL, 4), EINVAL);
	void *bad[N_BAD_PTRS];
	bad_pointers(bad);
	for (int i = 1; i < N_BAD_PTRS; i++) {
		CHECK_ERRNO(syscall(SYS_rt_sigaction, SIGUSR1, bad[i], NULL, 8), EFAULT);
		CHECK_ERRNO(syscall(SYS_rt_sigaction, SIGUSR1, NULL, bad[i], 8), EFAULT);
	}
	/* signals 1..64 are all valid numbers */
	CHECK_EQ(syscall(SYS_rt_sigaction, 64, NULL, &old, 8), 0);
	CHECK_EQ(syscall(SYS_rt_sigaction, 1, NULL, &old, 8), 0);
	return 0;
}

TEST(rt_sigaction_bad_arguments_einval_efault)
{
	CHECK_EXITED(run_child(sigaction_errors, NULL), 0);
}

/* ---------------------------------------------------------------- ignore and default */

static int ignore_usr1(void *arg)
{
	(void)arg;
	set_handler(SIGUSR1, SIG_IGN, 0, NULL);
	CHECK_EQ(syscall(SYS_kill, getpid(), SIGUSR1), 0);
	sleep_ms(5);
	/*
	 * POSIX: setting SIG_IGN discards a pending signal. (A signal sent
	 * while it is ignored *and blocked* is kept pending on Linux, since
	 * the action may change before it is unblocked; so it is sent first.)
	 */
	set_handler(SIGUSR1, count_usr1, 0, NULL);
	block(SIGUSR1, SIG_BLOCK);
	syscall(SYS_kill, getpid(), SIGUSR1);
	set_handler(SIGUSR1, SIG_IGN, 0, NULL);
	set_handler(SIGUSR1, count_usr1, 0, NULL);
	block(SIGUSR1, SIG_UNBLOCK);
	CHECK_EQ(usr1_count, 0);
	return 42;
}

TEST(sig_ign_discards_sigusr1)
{
	CHECK_EXITED(run_child(ignore_usr1, NULL), 42);
}

/* With SIGCHLD ignored, children are reaped by the kernel and wait4 ends
 * with ECHILD once they are all gone. */
static int ignore_sigchld(void *arg)
{
	(void)arg;
	set_handler(SIGCHLD, SIG_IGN, 0, NULL);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0)
		_exit(3);
	int st;
	CHECK_ERRNO(syscall(SYS_wait4, -1, &st, 0, NULL), ECHILD);
	CHECK_ERRNO(syscall(SYS_kill, pid, 0), ESRCH);
	return 0;
}

TEST(sig_ign_sigchld_auto_reaps_children)
{
	CHECK_EXITED(run_child(ignore_sigchld, NULL), 0);
}

static int default_ignored(void *arg)
{
	(void)arg;
	syscall(SYS_kill, getpid(), SIGCHLD);
	syscall(SYS_kill, getpid(), SIGURG);
	syscall(SYS_kill, getpid(), SIGWINCH);
	sleep_ms(5);
	return 7;
}

TEST(sigchld_sigurg_sigwinch_default_is_ignore)
{
	CHECK_EXITED(run_child(default_ignored, NULL), 7);
}

/* A child that sits in read() on a pipe until it is killed. */
static pid_t blocked_child(int *wfd, int catch_all)
{
	int p[2], ready[2];
	if (pipe(p) != 0 || pipe(ready) != 0)
		return -1;
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		crash_prepare();
		if (catch_all) {
			for (int s = 1; s < 32; s++)
				if (s != SIGKILL && s != SIGSTOP)
					set_handler(s, count_usr1, 0, NULL);
			unsigned long all = ~0UL;
			syscall(SYS_rt_sigprocmask, SIG_SETMASK, &all, NULL, 8);
		}
		char c;
		close(p[1]);
		if (write(ready[1], "r", 1) != 1)
			_exit(2);
		for (;;)
			if (read(p[0], &c, 1) == 0)
				_exit(1);
	}
	close(p[0]);
	close(ready[1]);
	char c;
	if (read(ready[0], &c, 1) != 1)
		printf("  child never got ready\n");
	close(ready[0]);
	*wfd = p[1];
	return pid;
}

TEST(default_action_terminates)
{
	int sigs[] = {SIGTERM, SIGINT,  SIGHUP,  SIGUSR1, SIGUSR2,
		      SIGALRM, SIGPIPE, SIGQUIT, SIGKILL};
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		int wfd;
		pid_t pid = blocked_child(&wfd, 0);
		CHECK_EQ(kill(pid, sigs[i]), 0);
		CHECK_SIGNALED(wait_timeout(pid, 5000), sigs[i]);
		close(wfd);
	}
}

TEST(sigkill_kills_even_when_everything_is_caught_and_blocked)
{
	int wfd, st;
	pid_t pid = blocked_child(&wfd, 1);
	CHECK_EQ(kill(pid, SIGTERM), 0); /* blocked: stays pending */
	CHECK_EQ(kill(pid, SIGSEGV), 0);
	sleep_ms(20);
	CHECK_EQ(syscall(SYS_wait4, pid, &st, WNOHANG, NULL), 0);
	CHECK_EQ(kill(pid, SIGKILL), 0);
	CHECK_SIGNALED(wait_timeout(pid, 5000), SIGKILL);
	close(wfd);
}

/* ---------------------------------------------------------------- EINTR and restart */

static volatile int handled;

static void count_any(int sig)
{
	(void)sig;
	handled++;
}

struct eintr_case {
	int flags; /* 0 or SA_RESTART */
	int what;  /* 0: read a pipe, 1: nanosleep */
};

/* Parent of an interrupted child: wait for "ready", then send SIGUSR1 every
 * 20 ms until the child exits (after `feed_after` signals, write a byte to
 * its pipe). Returns the child's wait status. */
static int interrupt_child(const struct eintr_case *c, int feed_after)
{
	int data[2], ready[2];
	CHECK_EQ(pipe(data), 0);
	CHECK_EQ(pipe(ready), 0);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		set_handler(SIGUSR1, count_any, c->flags, NULL);
		close(data[1]);
		char ch = 'r';
		if (write(ready[1], &ch, 1) != 1)
			_exit(20);
		if (c->what == 0) {
			long n = read(data[0], &ch, 1);
			if (n == -1 && errno == EINTR)
				_exit(handled ? 10 : 11); /* 10: EINTR after a handler */
			if (n == 1 && ch == 'x')
				_exit(handled ? 12 : 13); /* 12: restarted, got the byte */
			_exit(14);
		}
		struct timespec req = {5, 0}, rem = {0, 0};
		long r = syscall(SYS_nanosleep, &req, &rem);
		if (r == -1 && errno == EINTR) {
			/* remaining time: most of the 5 s, and never more */
			int ok = rem.tv_sec >= 3 && rem.tv_sec <= 5 && rem.tv_nsec >= 0 &&
				 rem.tv_nsec < 1000000000L && (rem.tv_sec < 5 || rem.tv_nsec == 0);
			_exit(handled && ok ? 10 : 15);
		}
		_exit(16);
	}
	close(data[0]);
	close(ready[1]);
	char ch;
	CHECK_EQ(read(ready[0], &ch, 1), 1);
	close(ready[0]);
	int st = -1;
	for (int i = 0; i < 150; i++) {
		sleep_ms(20);
		if (syscall(SYS_wait4, pid, &st, WNOHANG, NULL) == pid)
			break;
		st = -1;
		if (feed_after && i == feed_after)
			CHECK_EQ(write(data[1], "x", 1), 1);
		kill(pid, SIGUSR1);
	}
	if (st == -1)
		st = wait_timeout(pid, 10);
	close(data[1]);
	return st;
}

TEST(read_interrupted_without_sa_restart_eintr)
{
	struct eintr_case c = {0, 0};
	CHECK_EXITED(interrupt_child(&c, 0), 10);
}

TEST(read_resumes_with_sa_restart)
{
	struct eintr_case c = {SA_RESTART, 0};
	CHECK_EXITED(interrupt_child(&c, 5), 12);
}

/* man 7 signal: nanosleep is never restarted, even with SA_RESTART. */
TEST(nanosleep_interrupted_eintr_with_remaining_time)
{
	struct eintr_case c = {0, 1};
	CHECK_EXITED(interrupt_child(&c, 0), 10);
	struct eintr_case r = {SA_RESTART, 1};
	CHECK_EXITED(interrupt_child(&r, 0), 10);
}

/* ---------------------------------------------------------------- SIGCHLD */

static volatile int chld_count, chld_pid, chld_code, chld_status;

static void record_chld(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	if (sig != SIGCHLD || si->si_signo != SIGCHLD)
		return;
	chld_count++;
	chld_pid = si->si_pid;
	chld_code = si->si_code;
	chld_status = si->si_status;
}

static int sigchld_on_exit(void *arg)
{
	(void)arg;
	set_siginfo_handler(SIGCHLD, record_chld, SA_RESTART);
	for (int round = 0; round < 2; round++) {
		chld_count = 0;
		fflush(stdout);
		pid_t pid = fork();
		if (pid == 0) {
			crash_prepare();
			if (round == 1)
				syscall(SYS_kill, getpid(), SIGKILL);
			_exit(3);
		}
		int st;
		CHECK_EQ(syscall(SYS_wait4, pid, &st, 0, NULL), pid);
		for (int i = 0; i < 1000 && !chld_count; i++)
			sleep_ms(1);
		CHECK_EQ(chld_count, 1);
		CHECK_EQ(chld_pid, pid);
		CHECK_EQ(chld_code, round == 0 ? CLD_EXITED : CLD_KILLED);
		CHECK_EQ(chld_status, round == 0 ? 3 : SIGKILL);
	}
	return 0;
}

TEST(sigchld_sent_to_parent_on_child_exit)
{
	CHECK_EXITED(run_child(sigchld_on_exit, NULL), 0);
}

/* ---------------------------------------------------------------- fork and exec */

static int fork_pending(void *arg)
{
	(void)arg;
	set_handler(SIGUSR1, count_usr1, 0, NULL);
	block(SIGUSR1, SIG_BLOCK);
	syscall(SYS_kill, getpid(), SIGUSR1);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		/* handler and mask are inherited, the pending signal is not */
		struct sigaction sa;
		if (sigaction(SIGUSR1, NULL, &sa) != 0 || sa.sa_handler != count_usr1)
			_exit(1);
		if (!(current_mask() & SIGBIT(SIGUSR1)))
			_exit(2);
		block(SIGUSR1, SIG_UNBLOCK);
		if (usr1_count != 0)
			_exit(3);
		syscall(SYS_kill, getpid(), SIGUSR1);
		_exit(usr1_count == 1 ? 0 : 4);
	}
	CHECK_EXITED(wait_timeout(pid, 5000), 0);
	CHECK_EQ(usr1_count, 0);
	block(SIGUSR1, SIG_UNBLOCK);
	CHECK_EQ(usr1_count, 1);
	return 0;
}

TEST(fork_child_inherits_handlers_and_mask_not_pending_signals)
{
	CHECK_EXITED(run_child(fork_pending, NULL), 0);
}

/* execve: caught signals go back to SIG_DFL, ignored ones stay ignored,
 * and the mask is kept. */
static int exec_state(void *arg)
{
	(void)arg;
	set_handler(SIGUSR1, count_usr1, 0, NULL);
	set_handler(SIGUSR2, SIG_IGN, 0, NULL);
	block(SIGINT, SIG_BLOCK);
	char out[256];
	char *argv[] = {self, "--sig-state", NULL};
	char *envp[] = {NULL};
	int st = spawn_capture(self, argv, envp, out, sizeof(out), NULL, 0, 5000);
	CHECK_EXITED(st, 0);
	CHECK(strcmp(out, "usr1=dfl usr2=ign int=blocked term=unblocked\n") == 0);
	if (strcmp(out, "usr1=dfl usr2=ign int=blocked term=unblocked\n") != 0)
		printf("  got: %s", out);
	return 0;
}

TEST(execve_resets_handlers_keeps_ignored_and_mask)
{
	CHECK_EXITED(run_child(exec_state, NULL), 0);
}

static const char *disposition(int sig)
{
	struct k_sigaction old;
	if (syscall(SYS_rt_sigaction, sig, NULL, &old, 8) != 0)
		return "error";
	return old.handler == SIG_DFL ? "dfl" : old.handler == SIG_IGN ? "ign" : "handler";
}

static int helper_main(int argc, char **argv)
{
	(void)argc;
	if (strcmp(argv[1], "--sig-state") == 0) {
		unsigned long m = current_mask();
		printf("usr1=%s usr2=%s int=%s term=%s\n", disposition(SIGUSR1),
		       disposition(SIGUSR2), m & SIGBIT(SIGINT) ? "blocked" : "unblocked",
		       m & SIGBIT(SIGTERM) ? "blocked" : "unblocked");
		return 0;
	}
	return 2;
}

#define main signals_tests_main
RUN_TESTS(signals, CASE(segv_unmapped_page_maperr_with_exact_address),
	  CASE(segv_write_to_read_only_page_accerr), CASE(segv_handler_siglongjmp_can_fault_again),
	  CASE(segv_handler_fixes_protection_and_write_resumes),
	  CASE(user_access_to_kernel_half_segfaults), CASE(execute_needs_prot_exec),
	  CASE(cpu_exceptions_raise_matching_signals),
	  CASE(sigusr1_handler_runs_before_kill_returns),
	  CASE(kill_siginfo_has_sender_pid_and_si_user),
	  CASE(blocked_signal_pending_until_unblocked_and_delivered_once),
	  CASE(handler_runs_with_sa_mask_blocked_then_mask_restored),
	  CASE(nested_signal_handlers_run_and_return), CASE(signal_return_restores_all_registers),
	  CASE(sigaction_returns_previous_action),
	  CASE(sigprocmask_block_unblock_setmask_and_sigkill_unblockable),
	  CASE(sigprocmask_bad_arguments), CASE(rt_sigaction_bad_arguments_einval_efault),
	  CASE(sig_ign_discards_sigusr1), CASE(sig_ign_sigchld_auto_reaps_children),
	  CASE(sigchld_sigurg_sigwinch_default_is_ignore), CASE(default_action_terminates),
	  CASE(sigkill_kills_even_when_everything_is_caught_and_blocked),
	  CASE(read_interrupted_without_sa_restart_eintr), CASE(read_resumes_with_sa_restart),
	  CASE(nanosleep_interrupted_eintr_with_remaining_time),
	  CASE(sigchld_sent_to_parent_on_child_exit),
	  CASE(fork_child_inherits_handlers_and_mask_not_pending_signals),
	  CASE(execve_resets_handlers_keeps_ignored_and_mask))
#undef main

int main(int argc, char **argv)
{
	if (argc > 1 && strncmp(argv[1], "--", 2) == 0)
		return helper_main(argc, argv);
	self_path(argc > 0 ? argv[0] : "signals", self, sizeof(self));
	return signals_tests_main();
}
