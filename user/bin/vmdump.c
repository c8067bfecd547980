/*
 * vmdump - print a process's page tables as merged ranges (moo only).
 *
 *     vmdump [PID]      the page tables of PID (default: vmdump itself)
 *     vmdump -f         fork, write one page in the child, and show both
 *                       processes: the copy-on-write sharing, made visible
 *
 * Each line is a run of pages mapped alike: the virtual range, how many
 * pages, the permissions in the page-table entries (r always, w only if
 * writable now, x unless NX), what kind of page (anon, file, zero) and the
 * pages' reference counts. After fork a private page shows "r--" (or
 * "r-x") with refs 2 until someone writes it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "moo.h"

static char buf[65536];
static char data[4 * 4096] = {1}; /* in .data: file-backed, private */

static int dump(pid_t pid)
{
	long n = moo_vmdump(pid, buf, sizeof(buf));
	if (n < 0) {
		fprintf(stderr, "vmdump: %s\n",
			errno == ENOSYS ? "needs the moo kernel" : strerror(errno));
		return 1;
	}
	fwrite(buf, 1, (size_t)n, stdout);
	fflush(stdout);
	return 0;
}

/* fork_demo: show parent and child right after fork, then after a write. */
static int fork_demo(void)
{
	int go[2], done[2];
	data[0] = 1; /* our own copy of the first page of .data */
	if (pipe(go) || pipe(done))
		return 1;
	pid_t pid = fork();
	if (pid == 0) {
		char c;
		read(go[0], &c, 1);
		data[4096] = 2; /* the child writes one page: copy-on-write */
		write(done[1], "x", 1);
		read(go[0], &c, 1);
		_exit(0);
	}
	printf("--- right after fork: the parent's pages are shared with the child\n");
	dump(0);
	write(go[1], "x", 1);
	char c;
	read(done[0], &c, 1);
	printf("--- the child wrote one page of .data at %p: its own copy now\n",
	       (void *)&data[4096]);
	dump(pid);
	write(go[1], "x", 1);
	waitpid(pid, NULL, 0);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "-f"))
		return fork_demo();
	return dump(argc > 1 ? (pid_t)atoi(argv[1]) : 0);
}
