/*
 * process.c - fork, wait4, execve, exit and exit_group.
 *
 * Wait statuses use Linux's encoding (WIFEXITED, WTERMSIG, ...). The
 * program re-executes itself for the execve tests: main() below handles a
 * few helper modes (--print-args, --check-fds, --print-ids) before the
 * test suite, and finds its own path from argv[0] (moo has no
 * /proc/self/exe). /bin/true and /bin/false are looked up in $PATH.
 */
#define _GNU_SOURCE
#include "check.h"
#include "testutil.h"

#include <limits.h>
#include <stdlib.h>
#include <sys/resource.h>

static char self[1024];
extern char **environ;

/* ---------------------------------------------------------------- fork */

TEST(fork_returns_zero_in_child_and_pid_in_parent)
{
	int p[2];
	long got[3] = {-1, -1, -1};
	CHECK_EQ(pipe(p), 0);
	fflush(stdout);
	long pid = syscall(SYS_fork);
	if (pid == 0) {
		long mine[3] = {pid, syscall(SYS_getpid), syscall(SYS_getppid)};
		_exit(write(p[1], mine, sizeof(mine)) == sizeof(mine) ? 0 : 1);
	}
	CHECK(pid > 0);
	CHECK(pid != getpid());
	int st;
	CHECK_EQ(syscall(SYS_wait4, pid, &st, 0, NULL), pid);
	CHECK_EXITED(st, 0);
	CHECK_EQ(read(p[0], got, sizeof(got)), sizeof(got));
	CHECK_EQ(got[0], 0);        /* fork's return value in the child */
	CHECK_EQ(got[1], pid);      /* the child's pid is what the parent got */
	CHECK_EQ(got[2], getpid()); /* and its parent is us */
	close(p[0]);
	close(p[1]);
}

/* Changes a stack variable, a global, the heap, brk memory and an mmap
 * page after fork: each side must keep its own copy (copy-on-write). */
static int cow_global = 1000;

TEST(fork_child_writes_not_visible_to_parent)
{
	int on_stack = 7;
	size_t big = 1 << 20;
	unsigned char *heap = malloc(big);
	unsigned char *map =
	    mmap(NULL, 8 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uintptr_t brk0 = syscall(SYS_brk, 0);
	unsigned char *brkmem = (unsigned char *)brk0;
	CHECK(heap != NULL && map != MAP_FAILED);
	CHECK_EQ(syscall(SYS_brk, brk0 + 4096), brk0 + 4096);
	memset(heap, 0x11, big);
	memset(map, 0x22, 8 * 4096);
	memset(brkmem, 0x33, 4096);
	int go[2], done[2];
	CHECK_EQ(pipe(go), 0);
	CHECK_EQ(pipe(done), 0);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		volatile int *s = &on_stack;
		*s = 8;
		cow_global = 2000;
		memset(heap, 0x44, big);
		memset(map, 0x55, 8 * 4096);
		memset(brkmem, 0x66, 4096);
		/* let the parent write, then look again: ours must not change */
		char c = 'x';
		if (write(done[1], &c, 1) != 1 || read(go[0], &c, 1) != 1)
			_exit(1);
		int bad = *s != 8 || cow_global != 2000;
		for (size_t i = 0; i < big; i += 4096)
			bad |= heap[i] != 0x44;
		for (size_t i = 0; i < 8 * 4096; i += 512)
			bad |= map[i] != 0x55;
		bad |= brkmem[4095] != 0x66;
		_exit(bad ? 2 : 0);
	}
	char c;
	CHECK_EQ(read(done[0], &c, 1), 1);
	/* the child has written everything: our copies are unchanged */
	CHECK_EQ(*(volatile int *)&on_stack, 7);
	CHECK_EQ(cow_global, 1000);
	int bad = 0;
	for (size_t i = 0; i < big; i += 4096)
		bad |= heap[i] != 0x11;
	for (size_t i = 0; i < 8 * 4096; i += 512)
		bad |= map[i] != 0x22;
	bad |= brkmem[0] != 0x33;
	CHECK_EQ(bad, 0);
	/* now the parent writes; the child checks it does not see that */
	*(volatile int *)&on_stack = 9;
	cow_global = 3000;
	memset(heap, 0x77, big);
	memset(map, 0x88, 8 * 4096);
	memset(brkmem, 0x99, 4096);
	CHECK_EQ(write(go[1], "g", 1), 1);
	CHECK_EXITED(wait_timeout(pid, 5000), 0);
	CHECK_EQ(heap[big - 1], 0x77);
	close(go[0]);
	close(go[1]);
	close(done[0]);
	close(done[1]);
	CHECK_EQ(syscall(SYS_brk, brk0), brk0);
	munmap(map, 8 * 4096);
	free(heap);
}

TEST(fork_child_shares_file_offset)
{
	char path[128];
	int fd = tmp_file(path, sizeof(path), "off", NULL, 0);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0)
		_exit(write(fd, "abcde", 5) == 5 ? 0 : 1);
	CHECK_EXITED(wait_timeout(pid, 5000), 0);
	/* one open file description, so one offset for both processes */
	CHECK_EQ(lseek(fd, 0, SEEK_CUR), 5);
	CHECK_EQ(write(fd, "f", 1), 1);
	char buf[8] = {0};
	lseek(fd, 0, SEEK_SET);
	CHECK_EQ(read(fd, buf, sizeof(buf)), 6);
	CHECK(strcmp(buf, "abcdef") == 0);
	close(fd);
	tmp_remove(path);
}

static int report_cwd(void *arg)
{
	char buf[512];
	if (!getcwd(buf, sizeof(buf)))
		return 1;
	return strcmp(buf, (char *)arg) == 0 ? 0 : 2;
}

TEST(fork_child_inherits_working_directory)
{
	char old[512], tmp[512];
	CHECK(getcwd(old, sizeof(old)) != NULL);
	CHECK_EQ(chdir("/tmp"), 0);
	CHECK(getcwd(tmp, sizeof(tmp)) != NULL);
	CHECK_EXITED(run_child(report_cwd, tmp), 0);
	CHECK_EQ(chdir(old), 0);
}

/* ---------------------------------------------------------------- exit, wait4 statuses */

static int exit_with(void *arg)
{
	_exit((int)(intptr_t)arg);
}

TEST(wait4_reports_exit_codes)
{
	int codes[] = {0, 1, 42, 255};
	for (int i = 0; i < 4; i++) {
		pid_t pid = fork_child(exit_with, (void *)(intptr_t)codes[i]);
		int st = -1;
		CHECK_EQ(syscall(SYS_wait4, pid, &st, 0, NULL), pid);
		CHECK(WIFEXITED(st));
		CHECK(!WIFSIGNALED(st));
		CHECK_EQ(WEXITSTATUS(st), codes[i]);
		CHECK_EQ(st, codes[i] << 8); /* the exact Linux encoding */
	}
}

TEST(exit_code_keeps_low_8_bits)
{
	CHECK_EXITED(run_child(exit_with, (void *)(intptr_t)(256 + 3)), 3);
	CHECK_EXITED(run_child(exit_with, (void *)(intptr_t)-1), 255);
}

static int exit_group_raw(void *arg)
{
	(void)arg;
	syscall(SYS_exit_group, 77);
	return 1;
}

static int exit_raw(void *arg)
{
	(void)arg;
	syscall(SYS_exit, 33); /* the only thread: the process ends */
	return 1;
}

TEST(exit_group_and_exit_set_status)
{
	CHECK_EXITED(run_child(exit_group_raw, NULL), 77);
	CHECK_EXITED(run_child(exit_raw, NULL), 33);
}

static int die_kill_self(void *arg)
{
	crash_prepare();
	syscall(SYS_kill, getpid(), (long)(intptr_t)arg);
	sleep_ms(5000);
	return 0;
}

static int die_null_write(void *arg)
{
	(void)arg;
	crash_prepare();
	*(volatile int *)0 = 1;
	return 0;
}

TEST(wait4_reports_death_by_signal)
{
	int sigs[] = {SIGKILL, SIGTERM, SIGABRT, SIGUSR1};
	for (int i = 0; i < 4; i++) {
		pid_t pid = fork_child(die_kill_self, (void *)(intptr_t)sigs[i]);
		int st = -1;
		CHECK_EQ(syscall(SYS_wait4, pid, &st, 0, NULL), pid);
		CHECK(WIFSIGNALED(st));
		CHECK(!WIFEXITED(st));
		CHECK_EQ(WTERMSIG(st), sigs[i]);
	}
	pid_t pid = fork_child(die_null_write, NULL);
	int st = -1;
	CHECK_EQ(syscall(SYS_wait4, pid, &st, 0, NULL), pid);
	CHECK(WIFSIGNALED(st));
	CHECK_EQ(WTERMSIG(st), SIGSEGV);
	/* the low 7 bits are the signal; 0x80 is the core-dump flag, which
	 * depends on the host's core limits */
	CHECK_EQ(st & 0x7f, SIGSEGV);
}

/* The parent kills a child that is blocked in read. */
TEST(wait4_reports_kill_from_parent)
{
	int sigs[] = {SIGKILL, SIGTERM, SIGINT};
	for (int i = 0; i < 3; i++) {
		int p[2];
		CHECK_EQ(pipe(p), 0);
		fflush(stdout);
		pid_t pid = fork();
		if (pid == 0) {
			char c;
			close(p[1]);
			_exit(read(p[0], &c, 1) == 0 ? 10 : 11);
		}
		close(p[0]);
		sleep_ms(10);
		CHECK_EQ(kill(pid, sigs[i]), 0);
		CHECK_SIGNALED(wait_timeout(pid, 5000), sigs[i]);
		close(p[1]);
	}
}

TEST(wait4_wnohang_returns_zero_while_child_runs)
{
	int p[2];
	CHECK_EQ(pipe(p), 0);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		char c;
		close(p[1]);
		_exit(read(p[0], &c, 1) == 0 ? 5 : 6);
	}
	close(p[0]);
	int st = -1;
	for (int i = 0; i < 5; i++) {
		CHECK_EQ(syscall(SYS_wait4, pid, &st, WNOHANG, NULL), 0);
		CHECK_EQ(syscall(SYS_wait4, -1, &st, WNOHANG, NULL), 0);
		sleep_ms(2);
	}
	close(p[1]); /* end of file: the child exits with 5 */
	CHECK_EXITED(wait_timeout(pid, 5000), 5);
}

static int wait_without_children(void *arg)
{
	(void)arg;
	int st;
	CHECK_ERRNO(syscall(SYS_wait4, -1, &st, 0, NULL), ECHILD);
	CHECK_ERRNO(syscall(SYS_wait4, -1, &st, WNOHANG, NULL), ECHILD);
	/* our parent is not our child */
	CHECK_ERRNO(syscall(SYS_wait4, getppid(), &st, 0, NULL), ECHILD);
	return 0;
}

TEST(wait4_without_children_echild)
{
	CHECK_EXITED(run_child(wait_without_children, NULL), 0);
}

TEST(wait4_reaped_child_echild)
{
	pid_t pid = fork_child(exit_with, (void *)3);
	int st;
	CHECK_EQ(syscall(SYS_wait4, pid, &st, 0, NULL), pid);
	CHECK_ERRNO(syscall(SYS_wait4, pid, &st, 0, NULL), ECHILD);
	CHECK_ERRNO(syscall(SYS_wait4, pid, &st, WNOHANG, NULL), ECHILD);
}

TEST(wait4_specific_pid_waits_for_that_child)
{
	int p[2];
	CHECK_EQ(pipe(p), 0);
	pid_t fast = fork_child(exit_with, (void *)1);
	fflush(stdout);
	pid_t slow = fork();
	if (slow == 0) {
		char c;
		close(p[1]);
		_exit(read(p[0], &c, 1) == 0 ? 2 : 3);
	}
	close(p[0]);
	sleep_ms(20); /* fast has exited by now */
	int st = -1;
	CHECK_EQ(syscall(SYS_wait4, slow, &st, WNOHANG, NULL), 0);
	close(p[1]);
	CHECK_EQ(syscall(SYS_wait4, slow, &st, 0, NULL), slow);
	CHECK_EXITED(st, 2);
	CHECK_EQ(syscall(SYS_wait4, -1, &st, 0, NULL), fast);
	CHECK_EXITED(st, 1);
}

TEST(wait4_collects_many_concurrent_children)
{
	enum { N = 20 };
	pid_t pids[N];
	int seen[N] = {0};
	for (int i = 0; i < N; i++)
		pids[i] = fork_child(exit_with, (void *)(intptr_t)(100 + i));
	for (int n = 0; n < N; n++) {
		int st = -1;
		long pid = syscall(SYS_wait4, -1, &st, 0, NULL);
		int found = 0;
		for (int i = 0; i < N; i++) {
			if (pids[i] == pid) {
				found = 1;
				seen[i]++;
				CHECK_EXITED(st, 100 + i);
			}
		}
		CHECK(found);
	}
	for (int i = 0; i < N; i++)
		CHECK_EQ(seen[i], 1);
	int st;
	CHECK_ERRNO(syscall(SYS_wait4, -1, &st, WNOHANG, NULL), ECHILD);
}

/* An exited child stays a zombie (its pid still exists) until reaped. */
TEST(zombie_pid_exists_until_reaped)
{
	pid_t pid = fork_child(exit_with, (void *)4);
	sleep_ms(20);
	CHECK_EQ(syscall(SYS_kill, pid, 0), 0);
	int st;
	CHECK_EQ(syscall(SYS_wait4, pid, &st, 0, NULL), pid);
	CHECK_EXITED(st, 4);
	CHECK_ERRNO(syscall(SYS_kill, pid, 0), ESRCH);
}

TEST(wait4_bad_options_einval)
{
	int st;
	CHECK_ERRNO(syscall(SYS_wait4, -1, &st, 0x100, NULL), EINVAL);
	CHECK_ERRNO(syscall(SYS_wait4, -1, &st, -1, NULL), EINVAL);
}

static int burn_cpu(void *arg)
{
	(void)arg;
	long long end = now_ns() + 30 * 1000000LL;
	volatile unsigned long x = 0;
	while (now_ns() < end)
		for (int i = 0; i < 10000; i++)
			x += i;
	return 0;
}

TEST(wait4_fills_rusage)
{
	pid_t pid = fork_child(burn_cpu, NULL);
	struct rusage ru;
	memset(&ru, 0xff, sizeof(ru));
	int st;
	CHECK_EQ(syscall(SYS_wait4, pid, &st, 0, &ru), pid);
	CHECK_EXITED(st, 0);
	CHECK(ru.ru_utime.tv_sec >= 0 && ru.ru_utime.tv_sec < 100);
	CHECK(ru.ru_utime.tv_usec >= 0 && ru.ru_utime.tv_usec < 1000000);
	CHECK(ru.ru_stime.tv_sec >= 0 && ru.ru_stime.tv_sec < 100);
	CHECK(ru.ru_stime.tv_usec >= 0 && ru.ru_stime.tv_usec < 1000000);
	/* no children left: ECHILD, also with a valid rusage pointer */
	CHECK_ERRNO(syscall(SYS_wait4, -1, &st, WNOHANG, &ru), ECHILD);
}

/*
 * A bad status or rusage pointer is EFAULT. Linux reaps the child before
 * it copies them out, so the child may be gone afterwards: reap with
 * WNOHANG and accept either result.
 */
TEST(wait4_bad_pointers_efault)
{
	void *bad[N_BAD_PTRS];
	bad_pointers(bad);
	for (int i = 1; i < N_BAD_PTRS; i++) { /* NULL is allowed for both */
		pid_t pid = fork_child(exit_with, (void *)0);
		int st;
		CHECK_ERRNO(syscall(SYS_wait4, pid, &st, 0, bad[i]), EFAULT);
		/* the child was reaped all the same, as on Linux: it is gone now */
		CHECK_ERRNO(syscall(SYS_wait4, pid, &st, WNOHANG, NULL), ECHILD);
		pid = fork_child(exit_with, (void *)0);
		CHECK_ERRNO(syscall(SYS_wait4, pid, bad[i], 0, NULL), EFAULT);
		CHECK_ERRNO(syscall(SYS_wait4, pid, &st, WNOHANG, NULL), ECHILD);
	}
	pid_t pid = fork_child(exit_with, (void *)0);
	CHECK_EQ(syscall(SYS_wait4, pid, NULL, 0, NULL), pid); /* NULL status is fine */
}

/* ---------------------------------------------------------------- many processes */

TEST(hundred_sequential_fork_wait)
{
	int wrong = 0;
	for (int i = 0; i < 100; i++) {
		fflush(stdout);
		pid_t pid = fork();
		if (pid == 0)
			_exit(i);
		int st = -1;
		if (pid < 0 || syscall(SYS_wait4, pid, &st, 0, NULL) != pid || !WIFEXITED(st) ||
		    WEXITSTATUS(st) != i)
			wrong++;
	}
	CHECK_EQ(wrong, 0);
}

/* Each level forks the next, waits for it, and exits with its status + 1. */
static int chain(int depth)
{
	if (depth == 0)
		return 0;
	pid_t pid = fork();
	if (pid < 0)
		return 200;
	if (pid == 0)
		_exit(chain(depth - 1));
	int st;
	if (syscall(SYS_wait4, pid, &st, 0, NULL) != pid || !WIFEXITED(st))
		return 201;
	return WEXITSTATUS(st) + 1;
}

static int chain_child(void *arg)
{
	return chain((int)(intptr_t)arg);
}

TEST(nested_fork_chain_20_deep)
{
	CHECK_EXITED(run_child(chain_child, (void *)20), 20);
}

/* ---------------------------------------------------------------- orphans */

/* The orphan B reports {its dead parent's pid, its new parent's pid}. */
TEST(orphan_is_reparented_when_parent_exits)
{
	int p[2];
	long got[2] = {0, 0};
	CHECK_EQ(pipe(p), 0);
	fflush(stdout);
	pid_t a = fork();
	if (a == 0) {
		long a_pid = getpid();
		pid_t b = fork();
		if (b == 0) {
			long long end = now_ns() + 3000000000LL;
			while (getppid() == a_pid && now_ns() < end)
				sleep_ms(1);
			long mine[2] = {a_pid, getppid()};
			_exit(write(p[1], mine, sizeof(mine)) == sizeof(mine) ? 0 : 1);
		}
		_exit(b > 0 ? 0 : 1); /* leave B behind */
	}
	close(p[1]);
	CHECK_EXITED(wait_timeout(a, 5000), 0);
	CHECK_EQ(read_all(p[0], (char *)got, sizeof(got), 5000), sizeof(got));
	CHECK_EQ(got[0], a);
	/* Linux gives it to init or to the nearest "subreaper", so only check
	 * that the parent changed to some live process */
	CHECK(got[1] != a);
	CHECK(got[1] > 0);
	close(p[0]);
}

/* ---------------------------------------------------------------- execve */

static int exec_path(void *arg)
{
	char *path = arg;
	char *argv[] = {path, NULL};
	char *envp[] = {NULL};
	syscall(SYS_execve, path, argv, envp);
	return 100 + errno;
}

TEST(execve_true_exits_0_false_exits_1)
{
	char t[512], f[512];
	CHECK(path_lookup("true", t, sizeof(t)) != NULL);
	CHECK(path_lookup("false", f, sizeof(f)) != NULL);
	CHECK_EXITED(run_child(exec_path, t), 0);
	CHECK_EXITED(run_child(exec_path, f), 1);
}

TEST(execve_missing_file_enoent)
{
	char path[128];
	tmp_name(path, sizeof(path), "noexec");
	CHECK_EXITED(run_child(exec_path, path), 100 + ENOENT);
	CHECK_EXITED(run_child(exec_path, "/tmp/moo-no-such-dir/x"), 100 + ENOENT);
}

/* A file without any execute bit: EACCES, even for root. */
TEST(execve_non_executable_file_eacces)
{
	char path[128];
	int fd = tmp_file(path, sizeof(path), "noexe", "hello\n", 6);
	close(fd); /* still open for writing would be ETXTBSY */
	CHECK_EXITED(run_child(exec_path, path), 100 + EACCES);
	/* and a directory is not executable either */
	CHECK_EXITED(run_child(exec_path, "/tmp"), 100 + EACCES);
	tmp_remove(path);
}

/* Executable, but neither ELF nor "#!": ENOEXEC (a shell would then run it
 * as a script; the kernel does not). */
TEST(execve_unknown_format_enoexec)
{
	char path[128];
	static const char junk[64] = "\x01\x02\x03 this is no ELF file";
	tmp_name(path, sizeof(path), "junk");
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0755);
	CHECK(fd >= 0);
	CHECK_EQ(write(fd, junk, sizeof(junk)), sizeof(junk));
	close(fd);
	CHECK_EXITED(run_child(exec_path, path), 100 + ENOEXEC);
	/* a truncated ELF header */
	fd = open(path, O_WRONLY | O_TRUNC);
	CHECK_EQ(write(fd, "\177ELF\2\1\1", 7), 7);
	close(fd);
	CHECK_EXITED(run_child(exec_path, path), 100 + ENOEXEC);
	tmp_remove(path);
}

static char *bad_exec_ptr;

static int exec_bad_argv(void *arg)
{
	int which = (int)(intptr_t)arg;
	char t[512];
	if (!path_lookup("true", t, sizeof(t)))
		return 1;
	char *good[] = {t, NULL};
	char *badstr[] = {t, bad_exec_ptr, NULL};
	char *env[] = {"A=1", NULL};
	char *badenv[] = {"A=1", bad_exec_ptr, NULL};
	switch (which) {
	case 0:
		syscall(SYS_execve, t, bad_exec_ptr, env);
		break;
	case 1:
		syscall(SYS_execve, t, badstr, env);
		break;
	case 2:
		syscall(SYS_execve, t, good, bad_exec_ptr);
		break;
	case 3:
		syscall(SYS_execve, t, good, badenv);
		break;
	case 4:
		syscall(SYS_execve, bad_exec_ptr, good, env);
		break;
	}
	return 100 + errno;
}

TEST(execve_bad_pointers_efault)
{
	void *bad[N_BAD_PTRS];
	bad_pointers(bad);
	for (int i = 1; i < N_BAD_PTRS; i++) { /* NULL argv/envp is legal on Linux */
		bad_exec_ptr = bad[i];
		for (int which = 0; which < 5; which++)
			CHECK_EXITED(run_child(exec_bad_argv, (void *)(intptr_t)which),
				     100 + EFAULT);
	}
	bad_exec_ptr = NULL;
	CHECK_EXITED(run_child(exec_bad_argv, (void *)4), 100 + EFAULT);
}

TEST(execve_passes_argv_and_envp)
{
	char out[2048];
	char *argv[] = {self, "--print-args", "a b", "", "x\ty", NULL};
	char *envp[] = {"FOO=bar", "EMPTY=", "SPACE=1 2", NULL};
	int st = spawn_capture(self, argv, envp, out, sizeof(out), NULL, 0, 5000);
	CHECK_EXITED(st, 0);
	char want[2048];
	snprintf(want, sizeof(want),
		 "argc=5\nargv[0]=%s\nargv[1]=--print-args\nargv[2]=a b\nargv[3]=\n"
		 "argv[4]=x\ty\nenv=FOO=bar\nenv=EMPTY=\nenv=SPACE=1 2\n",
		 self);
	CHECK(strcmp(out, want) == 0);
	if (strcmp(out, want) != 0)
		printf("  got:\n%s  wanted:\n%s", out, want);
}

TEST(execve_keeps_pid_and_parent)
{
	char out[256], want[256];
	int p[2];
	CHECK_EQ(pipe(p), 0);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		char *argv[] = {self, "--print-ids", NULL};
		dup2(p[1], 1);
		close(p[0]);
		close(p[1]);
		execve(self, argv, environ);
		_exit(127);
	}
	close(p[1]);
	read_all(p[0], out, sizeof(out), 5000);
	CHECK_EXITED(wait_timeout(pid, 5000), 0);
	snprintf(want, sizeof(want), "%d %d\n", (int)pid, (int)getpid());
	CHECK(strcmp(out, want) == 0);
	close(p[0]);
}

TEST(execve_closes_cloexec_fds_keeps_others)
{
	char out[256], a[16], b[16], c[16];
	int keep = open("/dev/null", O_RDONLY);
	int shut = open("/dev/null", O_RDONLY | O_CLOEXEC);
	int shut2 = open("/dev/null", O_RDONLY);
	CHECK_EQ(fcntl(shut2, F_SETFD, FD_CLOEXEC), 0);
	snprintf(a, sizeof(a), "%d", keep);
	snprintf(b, sizeof(b), "%d", shut);
	snprintf(c, sizeof(c), "%d", shut2);
	char *argv[] = {self, "--check-fds", a, b, c, NULL};
	char *envp[] = {NULL};
	int st = spawn_capture(self, argv, envp, out, sizeof(out), NULL, 0, 5000);
	CHECK_EXITED(st, 0);
	CHECK(strcmp(out, "open closed closed\n") == 0);
	close(keep);
	close(shut);
	close(shut2);
}

/* A failed execve returns to the caller with everything intact. */
static int exec_fails_then_continues(void *arg)
{
	(void)arg;
	static char data[3 * 4096];
	memset(data, 0x3c, sizeof(data));
	int fd = open("/dev/null", O_RDONLY);
	char *argv[] = {"nope", NULL};
	CHECK_ERRNO(syscall(SYS_execve, "/tmp/moo-no-such-file", argv, argv + 1), ENOENT);
	CHECK_EQ(data[sizeof(data) - 1], 0x3c);
	CHECK(fcntl(fd, F_GETFD) >= 0);
	char t[512];
	if (path_lookup("true", t, sizeof(t))) {
		char *targv[] = {t, NULL};
		execve(t, targv, argv + 1);
	}
	return 50;
}

TEST(execve_failure_leaves_process_intact)
{
	CHECK_EXITED(run_child(exec_fails_then_continues, NULL), 0);
}

/* ---------------------------------------------------------------- helper modes */

static int helper_main(int argc, char **argv)
{
	if (strcmp(argv[1], "--print-args") == 0) {
		printf("argc=%d\n", argc);
		for (int i = 0; i < argc; i++)
			printf("argv[%d]=%s\n", i, argv[i]);
		for (char **e = environ; *e; e++)
			printf("env=%s\n", *e);
		return 0;
	}
	if (strcmp(argv[1], "--check-fds") == 0) {
		for (int i = 2; i < argc; i++)
			printf("%s%s", fcntl(atoi(argv[i]), F_GETFD) >= 0 ? "open" : "closed",
			       i + 1 < argc ? " " : "\n");
		return 0;
	}
	if (strcmp(argv[1], "--print-ids") == 0) {
		printf("%d %d\n", (int)getpid(), (int)getppid());
		return 0;
	}
	return 2;
}

#define main process_tests_main
RUN_TESTS(process, CASE(fork_returns_zero_in_child_and_pid_in_parent),
	  CASE(fork_child_writes_not_visible_to_parent), CASE(fork_child_shares_file_offset),
	  CASE(fork_child_inherits_working_directory), CASE(wait4_reports_exit_codes),
	  CASE(exit_code_keeps_low_8_bits), CASE(exit_group_and_exit_set_status),
	  CASE(wait4_reports_death_by_signal), CASE(wait4_reports_kill_from_parent),
	  CASE(wait4_wnohang_returns_zero_while_child_runs), CASE(wait4_without_children_echild),
	  CASE(wait4_reaped_child_echild), CASE(wait4_specific_pid_waits_for_that_child),
	  CASE(wait4_collects_many_concurrent_children), CASE(zombie_pid_exists_until_reaped),
	  CASE(wait4_bad_options_einval), CASE(wait4_fills_rusage), CASE(wait4_bad_pointers_efault),
	  CASE(hundred_sequential_fork_wait), CASE(nested_fork_chain_20_deep),
	  CASE(orphan_is_reparented_when_parent_exits), CASE(execve_true_exits_0_false_exits_1),
	  CASE(execve_missing_file_enoent), CASE(execve_non_executable_file_eacces),
	  CASE(execve_unknown_format_enoexec), CASE(execve_bad_pointers_efault),
	  CASE(execve_passes_argv_and_envp), CASE(execve_keeps_pid_and_parent),
	  CASE(execve_closes_cloexec_fds_keeps_others), CASE(execve_failure_leaves_process_intact))
#undef main

int main(int argc, char **argv)
{
	if (argc > 1 && strncmp(argv[1], "--", 2) == 0)
		return helper_main(argc, argv);
	self_path(argc > 0 ? argv[0] : "process", self, sizeof(self));
	return process_tests_main();
}
