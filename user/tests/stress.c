/*
 * stress.c - the kernel survives running out of processes and of memory,
 * and gets every page back afterwards (tools/run's leak check).
 *
 * moo only: on a developer's Linux machine a fork bomb and a memory eater
 * are not a test but an outage, so there every test prints "skip".
 */
#define _GNU_SOURCE
#include "check.h"
#include "testutil.h"
#include "vmtest.h"

#include <signal.h>

#define MAX_CHILDREN 5000

/* fork until fork() fails (or MAX_CHILDREN), then clean up and fork again */
TEST(fork_until_eagain_then_recover)
{
	if (!is_moo()) {
		printf("skip fork_until_eagain_then_recover (moo only)\n");
		return;
	}
	static pid_t kids[MAX_CHILDREN];
	int n = 0, err = 0;
	fflush(stdout);
	while (n < MAX_CHILDREN) {
		pid_t p = fork();
		if (p < 0) {
			err = errno;
			break;
		}
		if (p == 0) {
			pause();
			_exit(0);
		}
		kids[n++] = p;
	}
	CHECK(n > 100);
	/* moo caps processes as Linux's max_threads does (an eighth of RAM in
	 * kernel stacks), so fork says EAGAIN before memory can run out */
	CHECK_EQ(err, EAGAIN);
	for (int i = 0; i < n; i++)
		kill(kids[i], SIGKILL);
	for (int i = 0; i < n; i++) {
		int st;
		CHECK_EQ(waitpid(kids[i], &st, 0), kids[i]);
		CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	}
	/* and the system still forks */
	pid_t p = fork();
	if (p == 0)
		_exit(7);
	int st;
	CHECK_EQ(waitpid(p, &st, 0), p);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 7);
}

/* A child touches memory until the kernel runs out: it is killed with
 * SIGKILL (moo has no OOM killer policy yet: the faulting process dies). */
TEST(memory_exhaustion_kills_the_eater_not_the_kernel)
{
	if (!is_moo()) {
		printf("skip memory_exhaustion_kills_the_eater_not_the_kernel (moo only)\n");
		return;
	}
	fflush(stdout);
	pid_t p = fork();
	if (p == 0) {
		for (;;) {
			char *m = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE,
				       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			if (m == MAP_FAILED)
				_exit(3);
			memset(m, 1, 1 << 20);
		}
	}
	int st;
	CHECK_EQ(waitpid(p, &st, 0), p);
	/* killed at a page fault, or refused by mmap (ENOMEM) first: both are fine */
	CHECK((WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL) ||
	      (WIFEXITED(st) && WEXITSTATUS(st) == 3));
	/* the memory came back: a large allocation works again */
	char *m = mmap(NULL, 16 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(m != MAP_FAILED);
	if (m != MAP_FAILED) {
		memset(m, 2, 16 << 20);
		munmap(m, 16 << 20);
	}
}

/* init only receives signals it handles (Linux: SIGNAL_UNKILLABLE) */
TEST(init_survives_kill_and_kill_process_group)
{
	if (!is_moo()) {
		printf("skip init_survives_kill_and_kill_process_group (moo only)\n");
		return;
	}
	CHECK_EQ(kill(1, SIGKILL), 0); /* allowed, and without effect */
	CHECK_EQ(kill(1, SIGTERM), 0);
	fflush(stdout);
	/* our process group includes init (and us: we ignore it meanwhile) */
	void (*old)(int) = signal(SIGTERM, SIG_IGN);
	pid_t p = fork();
	if (p == 0) {
		kill(0, SIGTERM);
		_exit(0);
	}
	int st;
	CHECK_EQ(waitpid(p, &st, 0), p);
	signal(SIGTERM, old);
	CHECK_EQ(kill(1, 0), 0); /* init is still there */
	FILE *f = fopen("/proc/1/stat", "r");
	CHECK(f != NULL);
	if (f)
		fclose(f);
}

RUN_TESTS(stress, CASE(init_survives_kill_and_kill_process_group),
	  CASE(fork_until_eagain_then_recover),
	  CASE(memory_exhaustion_kills_the_eater_not_the_kernel))
