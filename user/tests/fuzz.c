/*
 * fuzz.c - 1000 syscalls with random arguments from a fixed seed.
 *
 * The kernel passes if it survives and every call returned either success
 * (>= 0) or a negative errno in Linux's range 1..133 (and never ENOSYS:
 * each call here exists in moo). Calls go out through a raw `syscall`
 * instruction, so the kernel's own return value is checked.
 *
 * The calls are restricted so that the test is harmless on a developer's
 * Linux machine:
 *   - the fuzzing runs in a child whose fds 0, 1 and 2 are /dev/null, and
 *     it never writes to, closes or dup2()s onto fds 0..2 anyway; every
 *     other fd is a scratch fd: a /tmp file, /dev/null, /dev/zero or a
 *     non-blocking pipe (F_SETFL always keeps O_NONBLOCK, so nothing blocks);
 *   - buffers are either bad (NULL, 1, kernel half, non-canonical, an
 *     unmapped page, a random address with its top bits set) or lie in
 *     memory the fuzzer mapped itself, fenced by PROT_NONE guard pages, so
 *     a huge length stops at a guard instead of scribbling over the stack;
 *   - mmap is always MAP_PRIVATE|MAP_ANONYMOUS (sometimes with
 *     MAP_FIXED_NOREPLACE, never MAP_FIXED); munmap and mprotect only touch
 *     the fuzzer's own mappings or addresses no user mapping can have;
 *   - brk moves within [start - 1 MiB, start + 16 MiB] or gets a bad value;
 *   - SIGPIPE is ignored, and the /tmp file is truncated every 50 calls.
 * The parent bounds the child's time, then checks that fork+execve of
 * `true` still works.
 */
#define _GNU_SOURCE
#include "check.h"
#include "testutil.h"

#include <sys/uio.h>
#include <termios.h>
#include <sys/ioctl.h>

#define N_CALLS   1000
#define REPORT_FD 100
#define PG        4096UL
#define BUF_PAGES 16
#define POOL_MAX  8
#define POOL_PGS  16

static uint64_t rs;

static uint64_t rnd(void)
{
	rs ^= rs >> 12;
	rs ^= rs << 25;
	rs ^= rs >> 27;
	return rs * 0x2545f4914f6cdd1dULL;
}

static long raw6(long n, long a, long b, long c, long d, long e, long f)
{
	long ret;
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;
	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}

/* ---------------------------------------------------------------- the fuzzer's memory */

static char *buf; /* BUF_PAGES read-write pages between two PROT_NONE guards */
static char *hole;
static uintptr_t brk_start;

static struct {
	char *addr;
	size_t len;
} pool[POOL_MAX];
static int npool;

static char path[128];

static void report(const char *fmt, long a, long b, long c)
{
	char line[128];
	int n = snprintf(line, sizeof(line), fmt, a, b, c);
	if (write(REPORT_FD, line, n) != n)
		_exit(90);
}

/* A random pointer for a buffer: bad in many ways, or inside our memory. */
static long rnd_ptr(void)
{
	switch (rnd() % 10) {
	case 0:
		return 0;
	case 1:
		return 1;
	case 2:
		return (long)(0xffff800000000000UL + rnd() % (1UL << 30));
	case 3:
		return (long)0x0000800000000000UL;
	case 4:
		return (long)0x8000000000000000UL;
	case 5:
		return (long)(hole + rnd() % PG);
	case 6: /* never a canonical user address: the top bit is set */
		return (long)(rnd() | (1UL << 63));
	case 7: /* some bit in 47..62 set: non-canonical or kernel */
		return (long)(rnd() | (1UL << (47 + rnd() % 16)));
	case 8:
		if (npool) {
			int i = rnd() % npool;
			return (long)(pool[i].addr + rnd() % pool[i].len);
		}
		/* fall through */
	default:
		return (long)(buf + rnd() % (BUF_PAGES * PG));
	}
}

static long rnd_len(void)
{
	switch (rnd() % 8) {
	case 0:
		return 0;
	case 1:
		return 1;
	case 2:
	case 3:
		return rnd() % 4096;
	case 4:
		return rnd() % 65536;
	case 5:
		return (long)rnd();
	case 6:
		return -1;
	default:
		return 1L << (rnd() % 40);
	}
}

/* An fd in 0..20, mostly one of the scratch fds 3..10. */
static int rnd_fd(void)
{
	return rnd() % 4 ? rnd() % 11 : rnd() % 21;
}

/* An fd that is never 0, 1 or 2. */
static int rnd_fd_not_std(void)
{
	return rnd() % 4 ? 3 + rnd() % 8 : 3 + rnd() % 18;
}

/* An iovec array in buf: bad bases and lengths mixed with good ones. */
static long rnd_iov(long *cnt)
{
	switch (rnd() % 8) {
	case 0:
		*cnt = 0;
		break;
	case 1:
		*cnt = 1024 + rnd() % 2; /* IOV_MAX and one more */
		break;
	case 2:
		*cnt = -1 - (long)(rnd() % 3);
		break;
	case 3:
		*cnt = (long)rnd();
		break;
	default:
		*cnt = 1 + rnd() % 8;
	}
	if (rnd() % 8 == 0)
		return rnd_ptr(); /* the array itself is random */
	struct iovec *iov = (struct iovec *)buf;
	long n = *cnt > 0 && *cnt <= 1100 ? *cnt : 8;
	for (long i = 0; i < n; i++) {
		iov[i].iov_base = (void *)rnd_ptr();
		iov[i].iov_len = rnd_len();
		/* valid memory gets modest lengths, so no call writes megabytes */
		if ((char *)iov[i].iov_base >= buf &&
		    (char *)iov[i].iov_base < buf + BUF_PAGES * PG)
			iov[i].iov_len %= n > 16 ? 64 : 4096;
	}
	return (long)iov;
}

/* An address for munmap/mprotect: inside our own mappings, or one no user
 * mapping can have. Never anything else: that could be our stack or code. */
static long rnd_mm_addr(long *len)
{
	if (npool && rnd() % 3) {
		int i = rnd() % npool;
		size_t pages = pool[i].len / PG, off = rnd() % pages;
		*len = (long)((1 + rnd() % (pages - off)) * PG);
		if (rnd() % 8 == 0)
			*len -= rnd() % PG; /* unaligned length: rounded up */
		return (long)(pool[i].addr + off * PG + (rnd() % 8 == 0 ? 1 : 0));
	}
	*len = rnd_len();
	switch (rnd() % 4) {
	case 0:
		return (long)(0xffff800000000000UL + (rnd() % (1UL << 30)) * PG);
	case 1:
		return (long)0x0000800000000000UL;
	case 2:
		return (long)(rnd() | (1UL << 63));
	default:
		*len = rnd() % (1 << 16); /* the low 64 KiB, below every mapping */
		return 0;
	}
}

/* ---------------------------------------------------------------- scratch fds */

static void scratch_fds(void)
{
	for (int fd = 3; fd <= 20; fd++)
		close(fd);
	int p[2];
	/* 3: the /tmp file (truncated), 4: /dev/null, 5: /dev/zero, 6-7: a pipe */
	open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	open("/dev/null", O_RDWR);
	open("/dev/zero", O_RDONLY);
	if (pipe2(p, O_NONBLOCK) != 0)
		_exit(91);
	dup(3);
	dup(6);
	dup(7);
}

/* ---------------------------------------------------------------- one random call */

/* bad_ptr: a pointer no user access can succeed through (kernel half or
 * non-canonical), for arguments whose contents could otherwise do harm. */
static long bad_ptr(void)
{
	return rnd_ptr() | (long)(1UL << 63);
}

/* A path: a bad pointer, or one of a few harmless names. Creating calls
 * only ever get names inside the fuzzer's own /tmp file's name space. */
static long rnd_path(int creating)
{
	static char name[160];
	switch (rnd() % (creating ? 3 : 6)) {
	case 0:
		return rnd() % 2 ? bad_ptr() : rnd_ptr(); /* bad, or junk bytes as a name */
	case 1:
		snprintf(name, sizeof(name), "%s.%d", path, (int)(rnd() % 4));
		return (long)name;
	case 2:
		snprintf(name, sizeof(name), "%s.d/%s", path, rnd() % 2 ? "x" : "");
		return (long)name;
	case 3:
		return (long)"/dev/null";
	case 4:
		return (long)"/nonexistent/deeper/still";
	default:
		return (long)"/";
	}
}

/* fuzz_more: path, directory, pipe, memory-advice, memfd, signal, wait and
 * exec calls; every one stays harmless on the host (see the header). */
static long fuzz_more(long *nr)
{
	long a, len;
	switch (rnd() % 16) {
	case 0: {
		*nr = SYS_openat;
		long flags = (long)(rnd() & (O_ACCMODE | O_NONBLOCK | O_DIRECTORY | O_CLOEXEC |
					     O_APPEND | O_EXCL | O_NOFOLLOW));
		int creating = rnd() % 3 == 0;
		if (creating)
			flags |= O_CREAT | (rnd() % 2 ? O_TRUNC : 0);
		long r = raw6(*nr, rnd() % 4 ? AT_FDCWD : rnd_fd(), rnd_path(creating), flags,
			      rnd() % 01000, 0, 0);
		if (r > 20)
			raw6(SYS_close, r, 0, 0, 0, 0, 0); /* keep the fd table small */
		return r;
	}
	case 1:
		*nr = SYS_newfstatat;
		return raw6(*nr, rnd() % 4 ? AT_FDCWD : rnd_fd(), rnd_path(0), rnd_ptr(),
			    rnd() % 4 ? 0 : (long)(rnd() & 0x1fff), 0, 0);
	case 2:
		*nr = SYS_access;
		return raw6(*nr, rnd_path(0), rnd() % 4 ? (long)(rnd() % 8) : (long)rnd(), 0, 0, 0,
			    0);
	case 3:
		*nr = SYS_mkdir;
		return raw6(*nr, rnd_path(1), rnd() % 01000, 0, 0, 0, 0);
	case 4:
		*nr = SYS_unlink;
		return raw6(*nr, rnd_path(1), 0, 0, 0, 0, 0);
	case 5:
		*nr = SYS_getdents64;
		return raw6(*nr, rnd_fd(), rnd_ptr(), rnd_len(), 0, 0, 0);
	case 6: {
		*nr = SYS_pipe2;
		int *fds = (int *)(buf + BUF_PAGES * PG - 16);
		long r = raw6(*nr, rnd() % 2 ? (long)fds : rnd_ptr(),
			      rnd() % 3 ? (long)(rnd() & (O_CLOEXEC | O_NONBLOCK)) : (long)rnd(), 0,
			      0, 0, 0);
		if (r == 0 && (char *)fds >= buf) { /* close what we made: fds stay few */
			raw6(SYS_close, fds[0], 0, 0, 0, 0, 0);
			raw6(SYS_close, fds[1], 0, 0, 0, 0, 0);
		}
		return r;
	}
	case 7:
		*nr = SYS_madvise;
		a = rnd_mm_addr(&len);
		return raw6(*nr, a, len, rnd() % 3 ? (long)(rnd() % 20) : (long)rnd(), 0, 0, 0);
	case 8:
		*nr = SYS_msync;
		a = rnd_mm_addr(&len);
		return raw6(*nr, a, len, rnd() % 3 ? (long)(rnd() % 8) : (long)rnd(), 0, 0, 0);
	case 9: {
		*nr = SYS_memfd_create;
		long r = raw6(*nr, rnd() % 2 ? (long)"fuzz" : rnd_ptr(),
			      rnd() % 3 ? (long)(rnd() % 8) : (long)rnd(), 0, 0, 0, 0);
		if (r >= 0)
			raw6(SYS_close, r, 0, 0, 0, 0, 0);
		return r;
	}
	case 10:
		*nr = SYS_ftruncate;
		return raw6(*nr, rnd_fd_not_std(), rnd() % 2 ? (long)(rnd() % 100000) : (long)rnd(),
			    0, 0, 0, 0);
	case 11: {
		/* handlers: only SIG_DFL/SIG_IGN, so a later signal cannot jump anywhere */
		*nr = SYS_rt_sigaction;
		unsigned long *act = (unsigned long *)(buf + BUF_PAGES * PG - 64);
		act[0] = rnd() % 2; /* SIG_DFL or SIG_IGN */
		act[1] = rnd();     /* flags */
		act[2] = 0;
		act[3] = rnd();
		int sig = rnd() % 4 ? (int)(rnd() % 66) : (int)rnd();
		if (sig == SIGPIPE || sig == SIGCHLD)
			sig = SIGUSR2; /* keep SIGPIPE ignored and wait4 simple */
		/* the action is ours or a bad pointer, never random bytes in buf */
		return raw6(*nr, sig, rnd() % 3 ? (long)act : bad_ptr(), rnd() % 2 ? 0 : rnd_ptr(),
			    rnd() % 4 ? 8 : (long)(rnd() % 16), 0, 0);
	}
	case 12:
		*nr = SYS_kill; /* signal 0 only: an existence check, never a signal */
		return raw6(*nr, rnd() % 2 ? getpid() : (long)(int)rnd(), 0, 0, 0, 0, 0);
	case 13:
		*nr = SYS_wait4; /* WNOHANG always: never block */
		return raw6(*nr, (long)(int)rnd() % 4 - 2, rnd_ptr(),
			    WNOHANG | (rnd() % 2 ? 0 : (long)rnd()), rnd() % 2 ? 0 : rnd_ptr(), 0,
			    0);
	case 14: {
		*nr = SYS_nanosleep;
		long *ts = (long *)(buf + BUF_PAGES * PG - 32);
		ts[0] = 0;
		ts[1] = rnd() % 2 ? (long)(rnd() % 1000) : (long)rnd();
		/* never a random timespec: its seconds could be anything */
		return raw6(*nr, rnd() % 2 ? (long)ts : bad_ptr(), rnd() % 2 ? 0 : rnd_ptr(), 0, 0,
			    0, 0);
	}
	default: /* execve that must fail: the program never exists */
		*nr = SYS_execve;
		return raw6(*nr, rnd() % 2 ? (long)"/nonexistent/prog" : bad_ptr(), rnd_ptr(),
			    rnd_ptr(), 0, 0, 0);
	}
}

static long fuzz_one(long *nr)
{
	long a, b, c, d, len, cnt;
	if (rnd() % 3 == 0)
		return fuzz_more(nr);
	switch (rnd() % 24) {
	case 0:
		*nr = SYS_read;
		return raw6(*nr, rnd_fd(), rnd_ptr(), rnd_len(), 0, 0, 0);
	case 1:
		*nr = SYS_write;
		return raw6(*nr, rnd_fd_not_std(), rnd_ptr(), rnd_len(), 0, 0, 0);
	case 2:
		*nr = SYS_readv;
		a = rnd_fd();
		b = rnd_iov(&cnt);
		return raw6(*nr, a, b, cnt, 0, 0, 0);
	case 3:
		*nr = SYS_writev;
		a = rnd_fd_not_std();
		b = rnd_iov(&cnt);
		return raw6(*nr, a, b, cnt, 0, 0, 0);
	case 4:
		*nr = SYS_lseek;
		a = rnd() % 4 ? (long)(rnd() % (1 << 20)) : (long)rnd();
		return raw6(*nr, rnd_fd_not_std(), a, rnd() % 7, 0, 0, 0);
	case 5:
		*nr = SYS_fstat;
		return raw6(*nr, rnd_fd(), rnd_ptr(), 0, 0, 0, 0);
	case 6:
		*nr = SYS_close;
		return raw6(*nr, rnd_fd_not_std(), 0, 0, 0, 0, 0);
	case 7:
		*nr = SYS_dup;
		return raw6(*nr, rnd_fd(), 0, 0, 0, 0, 0);
	case 8:
		*nr = SYS_dup2;
		return raw6(*nr, rnd_fd(), rnd_fd_not_std(), 0, 0, 0, 0);
	case 9: {
		static const int cmds[] = {F_GETFD, F_SETFD,         F_GETFL,   F_SETFL,
					   F_DUPFD, F_DUPFD_CLOEXEC, 0x7fff0000};
		*nr = SYS_fcntl;
		a = cmds[rnd() % 7];
		b = rnd() % 2 ? (long)(rnd() % 40) : (long)rnd();
		if (a == F_SETFL)
			b |= O_NONBLOCK; /* nothing may start to block */
		return raw6(*nr, a == F_SETFD || a == F_SETFL ? rnd_fd_not_std() : rnd_fd(), a, b,
			    0, 0, 0);
	}
	case 10: {
		static const long reqs[] = {TCGETS, TIOCGWINSZ, TIOCGPGRP};
		*nr = SYS_ioctl;
		return raw6(*nr, rnd_fd(), reqs[rnd() % 3], rnd_ptr(), 0, 0, 0);
	}
	case 11:
	case 12: {
		*nr = SYS_mmap;
		a = rnd() % 3 ? 0 : (rnd() % 2 ? rnd_ptr() : (long)((rnd() % (1UL << 35)) * PG));
		len = rnd() % 3 ? (long)((1 + rnd() % POOL_PGS) * PG) : rnd_len();
		b = rnd() % 4 ? (long)(rnd() % 8) : (long)rnd(); /* prot */
		c = MAP_PRIVATE | MAP_ANONYMOUS;
		if (rnd() % 4 == 0)
			c |= MAP_FIXED_NOREPLACE;
		if (rnd() % 8 == 0)
			c = MAP_ANONYMOUS;       /* neither private nor shared: EINVAL */
		d = rnd() % 4 ? 0 : (long)rnd(); /* offset */
		long r = raw6(*nr, a, len, b, c, -1, d);
		if (r >= 0 && r < (long)0x0000800000000000L) {
			if (npool < POOL_MAX && (size_t)len <= POOL_PGS * PG && !(r & (PG - 1))) {
				pool[npool].addr = (char *)r;
				pool[npool].len = (len + PG - 1) & ~(PG - 1);
				npool++;
			} else {
				raw6(SYS_munmap, r, len, 0, 0, 0, 0);
			}
		}
		return r;
	}
	case 13: {
		*nr = SYS_munmap;
		a = rnd_mm_addr(&len);
		long r = raw6(*nr, a, len, 0, 0, 0, 0);
		/* forget a mapping once its first page is gone */
		for (int i = 0; i < npool && r == 0; i++) {
			if ((char *)a == pool[i].addr) {
				pool[i] = pool[--npool];
				break;
			}
		}
		return r;
	}
	case 14:
		*nr = SYS_mprotect;
		a = rnd_mm_addr(&len);
		b = rnd() % 4 ? (long)(rnd() % 8) : (long)rnd();
		return raw6(*nr, a, len, b, 0, 0, 0);
	case 15:
		*nr = SYS_brk;
		switch (rnd() % 3) {
		case 0:
			a = rnd_ptr();
			break;
		default:
			a = (long)(brk_start - (1 << 20) + rnd() % (17 << 20));
		}
		return raw6(*nr, a, 0, 0, 0, 0, 0);
	case 16:
		*nr = SYS_getcwd;
		return raw6(*nr, rnd_ptr(), rnd_len(), 0, 0, 0, 0);
	case 17:
		*nr = SYS_uname;
		return raw6(*nr, rnd_ptr(), 0, 0, 0, 0, 0);
	case 18:
		*nr = SYS_clock_gettime;
		a = rnd() % 2 ? (long)(rnd() % 12) : (long)(int)rnd();
		return raw6(*nr, a, rnd_ptr(), 0, 0, 0, 0);
	case 19:
		*nr = SYS_getrandom;
		/* GRND_NONBLOCK always: never wait for entropy */
		a = (rnd() % 4 ? (long)(rnd() % 8) : (long)(unsigned)rnd()) | 1;
		return raw6(*nr, rnd_ptr(), rnd_len(), a, 0, 0, 0);
	case 20:
	case 21: {
		*nr = SYS_rt_sigprocmask;
		unsigned long *set = (unsigned long *)(buf + BUF_PAGES * PG - 8);
		*set = rnd();
		a = rnd() % 4 ? (long)(rnd() % 3) : (long)rnd();
		b = rnd() % 2 ? (long)set : rnd_ptr();
		c = rnd() % 3 ? 0 : rnd_ptr();
		d = rnd() % 4 ? 8 : (long)(rnd() % 16);
		return raw6(*nr, a, b, c, d, 0, 0);
	}
	case 22:
		*nr = SYS_sched_yield;
		return raw6(*nr, 0, 0, 0, 0, 0, 0);
	default: {
		static const long ids[] = {SYS_getpid,  SYS_getppid, SYS_gettid, SYS_getuid,
					   SYS_geteuid, SYS_getgid,  SYS_getegid};
		*nr = ids[rnd() % 7];
		return raw6(*nr, 0, 0, 0, 0, 0, 0);
	}
	}
}

/* The child: set up, run N_CALLS calls, report to REPORT_FD. */
static void fuzz_child(uint64_t seed, int report_fd)
{
	if (dup2(report_fd, REPORT_FD) != REPORT_FD)
		_exit(92);
	int null = open("/dev/null", O_RDWR);
	dup2(null, 0);
	dup2(null, 1);
	dup2(null, 2);
	signal(SIGPIPE, SIG_IGN);
	char *area =
	    mmap(NULL, (BUF_PAGES + 2) * PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (area == MAP_FAILED || mprotect(area + PG, BUF_PAGES * PG, PROT_READ | PROT_WRITE) != 0)
		_exit(93);
	buf = area + PG;
	hole = unmapped_page();
	brk_start = raw6(SYS_brk, 0, 0, 0, 0, 0, 0);
	rs = seed;
	scratch_fds();
	for (int i = 0; i < N_CALLS; i++) {
		if (i % 50 == 0)
			scratch_fds();
		long nr = -1;
		long r = fuzz_one(&nr);
		report("c %ld %ld %ld\n", i, nr, r);
		if (r < -133 || r == -ENOSYS)
			report("bad %ld %ld %ld\n", nr, r, i);
	}
	report("done %ld %ld %ld\n", N_CALLS, 0, 0);
	_exit(0);
}

/* remove_fuzz_names: whatever the storm created next to its /tmp file. */
static void remove_fuzz_names(void)
{
	char name[200];
	snprintf(name, sizeof(name), "%s.d/x", path);
	if (unlink(name) != 0)
		syscall(SYS_rmdir, name);
	for (int i = 0; i < 4; i++) {
		snprintf(name, sizeof(name), "%s.%d", path, i);
		if (unlink(name) != 0)
			syscall(SYS_rmdir, name);
	}
	snprintf(name, sizeof(name), "%s.d", path);
	syscall(SYS_rmdir, name);
}

static void run_fuzz(uint64_t seed)
{
	static char log[1 << 17];
	int p[2];
	CHECK_EQ(pipe(p), 0);
	tmp_name(path, sizeof(path), "fuzz");
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		close(p[0]);
		fuzz_child(seed, p[1]);
	}
	close(p[1]);
	/* drain the log while the child runs; it ends when the child does */
	size_t n = read_all(p[0], log, sizeof(log) - 1, 30000);
	log[n] = '\0';
	close(p[0]);
	int st = wait_timeout(pid, 2000);
	CHECK(st != -1); /* not hung */
	CHECK(WIFEXITED(st) || WIFSIGNALED(st));
	if (WIFSIGNALED(st))
		printf("  fuzz child killed by signal %d (allowed)\n", WTERMSIG(st));
	else if (WEXITSTATUS(st) != 0)
		printf("  fuzz child exited with %d\n", WEXITSTATUS(st));
	int bad = 0, calls = 0, done = 0;
	long last_i = -1, last_nr = -1;
	for (char *line = log; *line;) {
		char *end = strchr(line, '\n');
		if (!end)
			break;
		*end = '\0';
		long x, y, z;
		if (sscanf(line, "c %ld %ld %ld", &x, &y, &z) == 3) {
			calls++;
			last_i = x;
			last_nr = y;
		} else if (sscanf(line, "bad %ld %ld %ld", &x, &y, &z) == 3) {
			if (bad++ < 20)
				printf(
				    "  syscall %ld returned %ld (call %ld): not 0.. or -1..-133\n",
				    x, y, z);
		} else if (strncmp(line, "done", 4) == 0) {
			done = 1;
		}
		line = end + 1;
	}
	CHECK_EQ(bad, 0);
	/* the storm must really have run: a child that failed its own set-up
	 * (exit 9x) or made no calls proves nothing about the kernel */
	CHECK(calls > 0);
	CHECK(WIFSIGNALED(st) || WEXITSTATUS(st) == 0);
	if (!done)
		printf("  the child made %d calls; the last was #%ld, syscall %ld\n", calls, last_i,
		       last_nr);
	remove_fuzz_names();
	tmp_remove(path);
}

static int exec_true(void *arg)
{
	(void)arg;
	char t[512];
	if (!path_lookup("true", t, sizeof(t)))
		return 50;
	char *argv[] = {t, NULL};
	char *envp[] = {NULL};
	execve(t, argv, envp);
	return 51;
}

/* After the storm: fork, execve and files still work. */
static void system_still_works(void)
{
	CHECK_EXITED(run_child(exec_true, NULL), 0);
	char p[128], back[8] = {0};
	int fd = tmp_file(p, sizeof(p), "after", "alive", 5);
	CHECK(fd >= 0);
	CHECK_EQ(read(fd, back, sizeof(back)), 5);
	CHECK(strcmp(back, "alive") == 0);
	close(fd);
	tmp_remove(p);
}

TEST(random_syscalls_seed_1_return_valid_errnos)
{
	run_fuzz(0x6d6f6f2d66757a7aULL);
	system_still_works();
}

TEST(random_syscalls_seed_2_return_valid_errnos)
{
	run_fuzz(0x0123456789abcdefULL);
	system_still_works();
}

TEST(random_syscalls_seed_3_return_valid_errnos)
{
	run_fuzz(42);
	system_still_works();
}

RUN_TESTS(fuzz, CASE(random_syscalls_seed_1_return_valid_errnos),
	  CASE(random_syscalls_seed_2_return_valid_errnos),
	  CASE(random_syscalls_seed_3_return_valid_errnos))
