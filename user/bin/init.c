/*
 * init.c - moo's first process (PID 1).
 *
 * If fd 0 is not open, /dev/console is opened as fds 0, 1 and 2. SIGINT and
 * SIGQUIT are ignored, so ^C on the console never kills init; children get
 * them back at their default. PATH=/bin, HOME=/ and TERM=vt100 are set
 * unless already in the environment. Every child that exits is reaped,
 * including orphans, which the kernel hands to init.
 *
 * Run mode, "init CMD [ARG...]" (the kernel passes what follows "--" on its
 * command line): console output post-processing (OPOST) is turned off so the
 * command's bytes reach the serial port unchanged, CMD is run (found along
 * PATH), and when it ends init writes "\033]moo;exit=N\007" to fd 1 and
 * powers off. N is the exit code, 128+signal if the command was killed, or
 * 127 if it could not be run. The OSC escape is invisible in a terminal; the
 * host script driving QEMU picks it up.
 *
 * Interactive mode, plain "init": /bin/sh is run, and run again whenever it
 * exits.
 *
 * Testing on a host: with MOO_INIT_TEST=1 in the environment, init neither
 * touches the console (no /dev/console, no termios change) nor powers off;
 * in run mode it prints the report and exits with N instead.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/reboot.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include "moo.h"

static bool test_mode;

/* open_console: make fds 0, 1 and 2 the console, unless fd 0 is already open. */
static void open_console(void)
{
	if (fcntl(0, F_GETFD) >= 0)
		return;
	int fd = open("/dev/console", O_RDWR);
	if (fd < 0)
		return; /* nowhere to complain to */
	if (fd != 0) {
		dup2(fd, 0);
		close(fd);
	}
	dup2(0, 1);
	dup2(0, 2);
}

static void set_signals(void (*handler)(int))
{
	signal(SIGINT, handler);
	signal(SIGQUIT, handler);
}

/*
 * raw_output: stop the tty from rewriting output ("\n" to "\r\n") and from
 * echoing input, so the command's bytes reach the host exactly as written.
 */
static void raw_output(void)
{
	struct termios t;

	if (tcgetattr(1, &t) == 0) {
		t.c_oflag &= ~OPOST;
		t.c_lflag &= ~(ECHO | ECHONL);
		tcsetattr(1, TCSANOW, &t);
	}
}

/* encode: a wait status as a shell's $? would show it. */
static int encode(int st)
{
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return 127;
}

/* spawn: run file (searched along PATH) in a child with default SIGINT/SIGQUIT. */
static pid_t spawn(const char *file, char **argv)
{
	pid_t pid = fork();

	if (pid < 0) {
		fprintf(stderr, "init: fork: %s\n", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		set_signals(SIG_DFL);
		execvp(file, argv);
		fprintf(stderr, "init: cannot run %s: %s\n", file, strerror(errno));
		_exit(127);
	}
	return pid;
}

/* wait_for: reap children, orphans included, until pid ends; its status as $?. */
static int wait_for(pid_t pid)
{
	int st;

	for (;;) {
		pid_t w = waitpid(-1, &st, 0);
		if (w == pid)
			return encode(st);
		if (w < 0 && errno != EINTR) {
			fprintf(stderr, "init: wait: %s\n", strerror(errno));
			return 127;
		}
	}
}

static void power_off(void)
{
	reboot(RB_POWER_OFF);
	fprintf(stderr, "init: poweroff: %s\n", strerror(errno));
	/* PID 1 must not exit: just keep reaping */
	for (;;)
		if (waitpid(-1, NULL, 0) < 0 && errno == ECHILD)
			sleep(60);
}

/* run_mode: run one command, report how it ended, power off. */
static int run_mode(char **argv)
{
	if (!test_mode)
		raw_output();
	/* tells tools/run that the console is raw now: input may be sent */
	dprintf(1, "\033]moo;ready\007");
	long before = moo_pages(); /* -1 (ENOSYS) on Linux */
	pid_t pid = spawn(argv[0], argv);
	int status = pid < 0 ? 127 : wait_for(pid);

	/* The leak check: once the command and its zombies are gone, the kernel
	 * must have every page back (free or in the page cache). */
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	long after = moo_pages();
	fflush(stdout);
	if (before >= 0 && after >= 0 && after != before)
		dprintf(1, "\033]moo;leak=%ld\007", before - after);
	dprintf(1, "\033]moo;exit=%d\007", status);
	if (test_mode)
		return status;
	power_off();
	return status;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* interactive_mode: keep a shell running on the console. */
static void interactive_mode(void)
{
	char *argv[] = {"sh", NULL};

	for (;;) {
		double start = now();
		pid_t pid = spawn("/bin/sh", argv);
		int status = pid < 0 ? 127 : wait_for(pid);

		fprintf(stderr, "init: /bin/sh exited with status %d, starting a new one\n",
			status);
		/* a shell that dies at once (e.g. missing) must not spin the CPU */
		if (now() - start < 1)
			sleep(1);
	}
}

int main(int argc, char **argv)
{
	const char *t = getenv("MOO_INIT_TEST");

	test_mode = t && !strcmp(t, "1");
	if (!test_mode)
		open_console();
	set_signals(SIG_IGN);
	setenv("PATH", "/bin", 0);
	setenv("HOME", "/", 0);
	setenv("TERM", "vt100", 0);

	if (argc > 1)
		return run_mode(argv + 1);
	interactive_mode();
	return 0;
}
