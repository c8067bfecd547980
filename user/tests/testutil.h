/*
 * testutil.h - helpers shared by the user-level test programs in user/tests/.
 *
 * Include after check.h. Everything here is header-only and static inline,
 * so a test that does not use a helper gets no warning for it.
 *
 * The same binaries run on the host Linux (which proves the tests right) and
 * inside moo, so the helpers use only the syscalls moo has (listed at the
 * top of syscalls.c), with one exception: tmp_remove() falls back to rmdir() to
 * keep the host's /tmp clean. moo has no rmdir; there it fails with ENOSYS
 * and the empty directory stays in /tmp, which is a tmpfs.
 */
#ifndef MOO_USER_TESTS_TESTUTIL_H
#define MOO_USER_TESTS_TESTUTIL_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PAGE_SIZE_4K 4096UL

/* Addresses no user pointer may reach: the kernel half (moo's direct map
 * starts here), and two non-canonical addresses just above user space. */
#define BAD_KERNEL_PTR   ((void *)0xffff800000000000UL)
#define BAD_NONCANON_LOW ((void *)0x0000800000000000UL)
#define BAD_NONCANON_TOP ((void *)0x8000000000000000UL)
#define N_BAD_PTRS       6

/* A page-sized hole: mapped, then unmapped again, so nothing is there. */
static inline void *unmapped_page(void)
{
	void *p =
	    mmap(NULL, PAGE_SIZE_4K, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return BAD_KERNEL_PTR;
	munmap(p, PAGE_SIZE_4K);
	return p;
}

/* The bad pointers every EFAULT test tries, in a fixed order. The last one
 * is a fresh unmapped page plus an offset; call this right before use. */
static inline void bad_pointers(void *out[N_BAD_PTRS])
{
	out[0] = NULL;
	out[1] = (void *)1;
	out[2] = BAD_KERNEL_PTR;
	out[3] = BAD_NONCANON_LOW;
	out[4] = BAD_NONCANON_TOP;
	out[5] = (char *)unmapped_page() + 64;
}

/* A buffer whose first `valid` bytes are mapped and writable and whose next
 * byte is the first byte of an unmapped page. Free with straddle_free(). */
static inline char *straddle_alloc(size_t valid)
{
	char *p = mmap(NULL, 2 * PAGE_SIZE_4K, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	munmap(p + PAGE_SIZE_4K, PAGE_SIZE_4K);
	return p + PAGE_SIZE_4K - valid;
}

static inline void straddle_free(char *p)
{
	if (p)
		munmap((void *)((uintptr_t)p & ~(PAGE_SIZE_4K - 1)), PAGE_SIZE_4K);
}

/* CHECK that expr returned -1 with errno == err (for raw syscall() calls). */
#define CHECK_ERRNO(expr, err)                                                                     \
	do {                                                                                       \
		errno = 0;                                                                         \
		long ce_r_ = (long)(expr);                                                         \
		int ce_e_ = errno;                                                                 \
		if (ce_r_ != -1 || ce_e_ != (err)) {                                               \
			printf("  %s:%d: %s: got %ld (errno %d %s), wanted -1 errno %s\n",         \
			       __FILE__, __LINE__, #expr, ce_r_, ce_e_, strerror(ce_e_), #err);    \
			check_failed_in_test = 1;                                                  \
		}                                                                                  \
	} while (0)

/* CHECK that expr succeeded (returned >= 0); print errno if not. */
#define CHECK_OK(expr)                                                                             \
	do {                                                                                       \
		errno = 0;                                                                         \
		long co_r_ = (long)(expr);                                                         \
		if (co_r_ < 0) {                                                                   \
			printf("  %s:%d: %s failed: %ld (errno %d %s)\n", __FILE__, __LINE__,      \
			       #expr, co_r_, errno, strerror(errno));                              \
			check_failed_in_test = 1;                                                  \
		}                                                                                  \
	} while (0)

/* CHECK two C strings are equal; on a mismatch print both, escaped. */
#define CHECK_STREQ(got, want)                                                                     \
	do {                                                                                       \
		const char *cs_g_ = (got), *cs_w_ = (want);                                        \
		if (strcmp(cs_g_, cs_w_) != 0) {                                                   \
			printf("  %s:%d: %s: got \"", __FILE__, __LINE__, #got);                   \
			print_escaped(cs_g_);                                                      \
			printf("\", wanted \"");                                                   \
			print_escaped(cs_w_);                                                      \
			printf("\"\n");                                                            \
			check_failed_in_test = 1;                                                  \
		}                                                                                  \
	} while (0)

static inline void print_escaped(const char *s)
{
	for (int i = 0; s[i] && i < 400; i++) {
		unsigned char c = s[i];
		if (c == '\n')
			printf("\\n");
		else if (c == '\t')
			printf("\\t");
		else if (c < 32 || c >= 127)
			printf("\\x%02x", c);
		else
			putchar(c);
	}
	if (strlen(s) > 400)
		printf("...");
}

/* CHECK a wait status: a normal exit with `code`, or death by `sig`. */
#define CHECK_EXITED(status, code)                                                                 \
	do {                                                                                       \
		int cx_s_ = (status);                                                              \
		if (!(cx_s_ != -1 && WIFEXITED(cx_s_) && WEXITSTATUS(cx_s_) == (code))) {          \
			printf("  %s:%d: wait status %#x (%s), wanted exit %d\n", __FILE__,        \
			       __LINE__, cx_s_, describe_status(cx_s_), (int)(code));              \
			check_failed_in_test = 1;                                                  \
		}                                                                                  \
	} while (0)

#define CHECK_SIGNALED(status, sig)                                                                \
	do {                                                                                       \
		int cx_s_ = (status);                                                              \
		if (!(cx_s_ != -1 && WIFSIGNALED(cx_s_) && WTERMSIG(cx_s_) == (sig))) {            \
			printf("  %s:%d: wait status %#x (%s), wanted death by signal %d\n",       \
			       __FILE__, __LINE__, cx_s_, describe_status(cx_s_), (int)(sig));     \
			check_failed_in_test = 1;                                                  \
		}                                                                                  \
	} while (0)

static inline const char *describe_status(int st)
{
	static char buf[64];
	if (st == -1)
		snprintf(buf, sizeof(buf), "timed out or wait failed");
	else if (WIFEXITED(st))
		snprintf(buf, sizeof(buf), "exit %d", WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		snprintf(buf, sizeof(buf), "killed by signal %d", WTERMSIG(st));
	else
		snprintf(buf, sizeof(buf), "other");
	return buf;
}

/* ---------------------------------------------------------------- time */

static inline long long now_ns(void)
{
	struct timespec ts;
	if (syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts) != 0)
		return 0;
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static inline void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	while (syscall(SYS_nanosleep, &ts, &ts) != 0 && errno == EINTR)
		;
}

/* Waiting for another process to make progress: yield the CPU a few times
 * (enough on a one-CPU kernel), then sleep a millisecond at a time. */
static inline void idle_wait(int *idle)
{
	if ((*idle)++ < 20)
		syscall(SYS_sched_yield);
	else
		sleep_ms(1);
}

/* ---------------------------------------------------------------- processes */

/* Exit status a child uses when one of its CHECKs failed. */
#define CHILD_CHECK_FAILED 99

/*
 * wait_timeout - wait for child `pid` for at most `ms` milliseconds.
 * Returns its wait status; on timeout kills it with SIGKILL, reaps it and
 * returns -1, so a hung child makes its test fail instead of hanging it.
 */
static inline int wait_timeout(pid_t pid, long ms)
{
	long long deadline = now_ns() + ms * 1000000LL;
	int st, idle = 0;
	for (;;) {
		long r = syscall(SYS_wait4, pid, &st, WNOHANG, NULL);
		if (r == pid)
			return st;
		if (r < 0 && errno != EINTR) {
			printf("  wait4(%d) failed: %s\n", (int)pid, strerror(errno));
			return -1;
		}
		if (now_ns() > deadline) {
			printf("  child %d still running after %ld ms: killing it\n", (int)pid, ms);
			kill(pid, SIGKILL);
			syscall(SYS_wait4, pid, &st, 0, NULL);
			return -1;
		}
		idle_wait(&idle);
	}
}

/*
 * fork_child - run fn(arg) in a child process and return the child's pid.
 * The child exits with fn's return value, or CHILD_CHECK_FAILED when a CHECK
 * failed inside it (its message is flushed first). stdout is flushed before
 * the fork so buffered output is not printed twice.
 */
static inline pid_t fork_child(int (*fn)(void *), void *arg)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		check_failed_in_test = 0;
		int r = fn(arg);
		fflush(stdout);
		_exit(check_failed_in_test ? CHILD_CHECK_FAILED : r);
	}
	if (pid < 0)
		printf("  fork failed: %s\n", strerror(errno));
	return pid;
}

/* run_child - fork_child, then wait (at most 10 s). Returns the wait status. */
static inline int run_child(int (*fn)(void *), void *arg)
{
	pid_t pid = fork_child(fn, arg);
	if (pid < 0)
		return -1;
	return wait_timeout(pid, 10000);
}

/* Before dying of a signal on purpose: a core file, if the host writes
 * one, lands in /tmp instead of the developer's working directory. */
static inline void crash_prepare(void)
{
	if (chdir("/tmp") != 0)
		return;
}

/* ---------------------------------------------------------------- files */

/* tmp_name - a unique path under /tmp: /tmp/moo-test-PID-N-TAG. */
static inline char *tmp_name(char *buf, size_t size, const char *tag)
{
	static int counter;
	snprintf(buf, size, "/tmp/moo-test-%d-%d-%s", (int)getpid(), counter++, tag);
	return buf;
}

/* tmp_file - create a fresh file under /tmp holding `len` bytes of `data`;
 * the path goes to buf. Returns an O_RDWR fd positioned at 0, or -1. */
static inline int tmp_file(char *buf, size_t size, const char *tag, const void *data, size_t len)
{
	tmp_name(buf, size, tag);
	int fd = open(buf, O_RDWR | O_CREAT | O_EXCL, 0644);
	if (fd < 0) {
		printf("  cannot create %s: %s\n", buf, strerror(errno));
		return -1;
	}
	if (len && write(fd, data, len) != (ssize_t)len)
		printf("  cannot write %s: %s\n", buf, strerror(errno));
	lseek(fd, 0, SEEK_SET);
	return fd;
}

/* tmp_remove - remove a file, or an empty directory (see the top comment). */
static inline void tmp_remove(const char *path)
{
	if (unlink(path) != 0 && (errno == EISDIR || errno == EPERM))
		rmdir(path);
}

/* ---------------------------------------------------------------- pipes */

/*
 * read_all - read fd until end of file, `cap` bytes or `ms` milliseconds,
 * whichever comes first; the fd is switched to O_NONBLOCK so a writer that
 * never closes cannot hang the test. Returns the number of bytes read; the
 * buffer is NUL-terminated when there is room.
 */
static inline size_t read_all(int fd, char *buf, size_t cap, long ms)
{
	long long deadline = now_ns() + ms * 1000000LL;
	size_t got = 0;
	int idle = 0;
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	while (got < cap) {
		ssize_t n = read(fd, buf + got, cap - got);
		if (n == 0)
			break;
		if (n > 0) {
			got += n;
			idle = 0;
			continue;
		}
		if (errno != EAGAIN && errno != EINTR)
			break;
		if (now_ns() > deadline) {
			printf("  read_all: no end of file after %ld ms\n", ms);
			break;
		}
		idle_wait(&idle);
	}
	if (got < cap)
		buf[got] = '\0';
	return got;
}

/* write_all - write the whole buffer (blocking fd). Returns 0 or -1. */
static inline int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	while (len) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= n;
	}
	return 0;
}

/* ---------------------------------------------------------------- spawning */

/* Read what fd has into buf[*len .. cap-1), or throw it away once buf is
 * full (or NULL). Returns 1 if bytes came; clears *open at end of file. */
static inline int drain_some(int fd, char *buf, size_t cap, size_t *len, int *open)
{
	char sink[512];
	int room = buf && *len + 1 < cap;
	ssize_t n = room ? read(fd, buf + *len, cap - 1 - *len) : read(fd, sink, sizeof(sink));
	if (n == 0)
		*open = 0;
	if (n <= 0)
		return 0;
	if (room)
		*len += n;
	return 1;
}

/*
 * spawn_capture - run path with argv and envp in a child whose stdin is
 * /dev/null and whose stdout and stderr go to two pipes; collect both
 * (NUL-terminated; err may be NULL to let stderr through) for at most
 * `ms` milliseconds. Returns the child's wait status, -1 on timeout. If
 * execve fails the child exits with 127.
 */
static inline int spawn_capture(const char *path, char *const argv[], char *const envp[], char *out,
				size_t outcap, char *err, size_t errcap, long ms)
{
	int po[2], pe[2];
	if (pipe(po) != 0 || pipe(pe) != 0)
		return -1;
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_RDONLY);
		dup2(null, 0);
		dup2(po[1], 1);
		if (err)
			dup2(pe[1], 2);
		close(null);
		close(po[0]);
		close(po[1]);
		close(pe[0]);
		close(pe[1]);
		execve(path, argv, envp);
		_exit(127);
	}
	close(po[1]);
	close(pe[1]);
	if (pid < 0) {
		close(po[0]);
		close(pe[0]);
		return -1;
	}
	/* drain both pipes in turn so neither can fill up and stall the child */
	long long deadline = now_ns() + ms * 1000000LL;
	size_t no = 0, ne = 0;
	int open_o = 1, open_e = 1, idle = 0;
	fcntl(po[0], F_SETFL, O_NONBLOCK);
	fcntl(pe[0], F_SETFL, O_NONBLOCK);
	while ((open_o || open_e) && now_ns() < deadline) {
		int progress = 0;
		if (open_o)
			progress |= drain_some(po[0], out, outcap, &no, &open_o);
		if (open_e)
			progress |= drain_some(pe[0], err, errcap, &ne, &open_e);
		if (progress)
			idle = 0;
		else
			idle_wait(&idle);
	}
	if (outcap)
		out[no] = '\0';
	if (err && errcap)
		err[ne] = '\0';
	close(po[0]);
	close(pe[0]);
	long left = (deadline - now_ns()) / 1000000LL;
	return wait_timeout(pid, left > 100 ? left : 100);
}

/* ---------------------------------------------------------------- paths */

/*
 * path_lookup - find an executable named `name` in $PATH, as a shell does.
 * The harness puts moo's own tools (echo, cat, true, false, sh) first in
 * PATH; on a developer's machine the host's are found. Returns buf, or
 * NULL when nothing was found.
 */
static inline char *path_lookup(const char *name, char *buf, size_t size)
{
	const char *path = getenv("PATH");
	if (!path || !*path)
		path = "/bin:/usr/bin";
	while (*path) {
		const char *colon = strchr(path, ':');
		size_t n = colon ? (size_t)(colon - path) : strlen(path);
		if (n == 0)
			snprintf(buf, size, "%s", name);
		else
			snprintf(buf, size, "%.*s/%s", (int)n, path, name);
		struct stat st;
		if (stat(buf, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0111))
			return buf;
		path += n;
		if (*path == ':')
			path++;
	}
	return NULL;
}

/*
 * self_path - make argv[0] into a path this program can execve itself by:
 * as given when it contains a slash (made absolute, so a later chdir does
 * not break it), else found in $PATH. moo has no /proc/self/exe.
 */
static inline void self_path(const char *argv0, char *buf, size_t size)
{
	if (strchr(argv0, '/')) {
		if (argv0[0] == '/') {
			snprintf(buf, size, "%s", argv0);
		} else {
			char cwd[1024];
			if (!getcwd(cwd, sizeof(cwd)))
				cwd[0] = '\0';
			snprintf(buf, size, "%s/%s", cwd, argv0);
		}
	} else if (!path_lookup(argv0, buf, size)) {
		snprintf(buf, size, "%s", argv0);
	}
}

#endif
