/*
 * ps.c - list all processes.
 *
 * Reads /proc/PID/stat for every numeric entry of /proc. Its format is
 * Linux's, "pid (comm) state ppid ...", where comm may itself contain spaces
 * and parentheses, so it is taken to end at the last ')'. Prints
 * "  PID  PPID S CMD" rows sorted by PID. A process that exits while being
 * read is left out.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pagemem.h"

struct proc {
	int pid, ppid;
	char state;
	char comm[64];
};

static struct proc *procs;
static size_t nprocs, cap;

static int is_pid(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return 0;
	return 1;
}

/* read_file: read up to size-1 bytes of path into buf, NUL-terminated; -1 on error. */
static int read_file(const char *path, char *buf, size_t size)
{
	size_t len = 0;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return -1;
	while (len + 1 < size) {
		ssize_t n = read(fd, buf + len, size - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += n;
	}
	close(fd);
	buf[len] = 0;
	return len ? 0 : -1;
}

/* parse_stat: fill p from the text of /proc/PID/stat; -1 if it is malformed. */
static int parse_stat(const char *buf, struct proc *p)
{
	const char *open = strchr(buf, '(');
	const char *close = strrchr(buf, ')');
	size_t len;

	if (!open || !close || close < open)
		return -1;
	if (sscanf(buf, "%d", &p->pid) != 1)
		return -1;
	if (sscanf(close + 1, " %c %d", &p->state, &p->ppid) != 2)
		return -1;
	len = close - open - 1;
	if (len >= sizeof(p->comm))
		len = sizeof(p->comm) - 1;
	memcpy(p->comm, open + 1, len);
	p->comm[len] = 0;
	return 0;
}

/* add_proc: read /proc/NAME/stat and remember the process. */
static void add_proc(const char *name)
{
	char path[64], buf[1024];
	struct proc p;

	snprintf(path, sizeof(path), "/proc/%s/stat", name);
	if (read_file(path, buf, sizeof(buf)) || parse_stat(buf, &p))
		return;
	if (nprocs == cap) {
		/* mmap'd, not malloc'd: see pagemem.h */
		size_t ncap = cap ? cap * 2 : 64;
		struct proc *v = page_realloc(procs, cap * sizeof(*v), ncap * sizeof(*v));
		if (!v) {
			fprintf(stderr, "ps: out of memory\n");
			exit(1);
		}
		procs = v;
		cap = ncap;
	}
	procs[nprocs++] = p;
}

static int by_pid(const void *a, const void *b)
{
	const struct proc *x = a, *y = b;
	return (x->pid > y->pid) - (x->pid < y->pid);
}

int main(void)
{
	DIR *d = opendir("/proc");
	struct dirent *de;

	if (!d) {
		fprintf(stderr, "ps: /proc: %s\n", strerror(errno));
		return 1;
	}
	while ((de = readdir(d)))
		if (is_pid(de->d_name))
			add_proc(de->d_name);
	closedir(d);

	qsort(procs, nprocs, sizeof(*procs), by_pid);
	printf("  PID  PPID S CMD\n");
	for (size_t i = 0; i < nprocs; i++)
		printf("%5d %5d %c %s\n", procs[i].pid, procs[i].ppid, procs[i].state,
		       procs[i].comm);
	return fflush(stdout) ? 1 : 0;
}
