/*
 * kill.c - send a signal to processes.
 *
 * Usage: kill [-SIGNAL | -NUMBER | -s SIGNAL] [--] PID...
 *        kill -l [NUMBER | SIGNAL]
 * The default signal is TERM. SIGNAL is a name such as TERM, KILL, INT or
 * SEGV, with or without the SIG prefix. "kill -l" lists the signal names;
 * "kill -l 139" names the signal behind an exit status of 128+N. The exit
 * status is 1 if any process could not be signalled.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "signame.h"

static void usage(void)
{
	fprintf(stderr, "usage: kill [-SIGNAL | -s SIGNAL] PID...\n"
			"       kill -l [NUMBER | SIGNAL]\n");
	exit(1);
}

/* list_all: every signal name, sixteen to a line, as procps's kill prints them. */
static int list_all(void)
{
	size_t n;
	const struct sig_info *t = sig_table(&n);

	for (size_t i = 0; i < n; i++)
		printf("%s%c", t[i].name, i + 1 == n || i % 16 == 15 ? '\n' : ' ');
	return 0;
}

/* list_one: translate a number (or exit status 128+N) to a name, or a name to a number. */
static int list_one(const char *arg)
{
	int sig;

	if (*arg >= '0' && *arg <= '9') {
		sig = atoi(arg);
		if (sig > 128)
			sig -= 128;
		if (sig_name(sig)) {
			printf("%s\n", sig_name(sig));
			return 0;
		}
	} else if ((sig = sig_parse(arg)) > 0) {
		printf("%d\n", sig);
		return 0;
	}
	fprintf(stderr, "kill: unknown signal '%s'\n", arg);
	return 1;
}

/* parse_signal: the signal named by arg, or exit with an error. 0 is valid. */
static int parse_signal(const char *arg)
{
	int sig = sig_parse(arg);
	if (sig < 0) {
		fprintf(stderr, "kill: unknown signal '%s'\n", arg);
		exit(1);
	}
	return sig;
}

/* signal_pid: kill(pid, sig) for one PID argument; 0 on success. */
static int signal_pid(const char *arg, int sig)
{
	char *end;
	long pid = strtol(arg, &end, 10);

	if (!*arg || *end || pid != (pid_t)pid) {
		fprintf(stderr, "kill: invalid pid '%s'\n", arg);
		return 1;
	}
	if (kill((pid_t)pid, sig) < 0) {
		fprintf(stderr, "kill: (%ld): %s\n", pid, strerror(errno));
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	int sig = SIGTERM;
	int i = 1;
	int status = 0;

	if (i < argc && !strcmp(argv[i], "-l")) {
		if (argc == 2)
			return list_all();
		for (i = 2; i < argc; i++)
			status |= list_one(argv[i]);
		return status;
	}
	if (i < argc && !strcmp(argv[i], "-s")) {
		if (argc < 3)
			usage();
		sig = parse_signal(argv[2]);
		i = 3;
	} else if (i < argc && argv[i][0] == '-' && argv[i][1] && strcmp(argv[i], "--")) {
		sig = parse_signal(argv[i] + 1);
		i++;
	}
	if (i < argc && !strcmp(argv[i], "--"))
		i++;
	if (i >= argc)
		usage();
	for (; i < argc; i++)
		status |= signal_pid(argv[i], sig);
	return status;
}
