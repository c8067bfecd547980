/*
 * cat.c - copy files, or standard input, to standard output.
 *
 * Usage: cat [FILE...]
 * With no FILE, or for a FILE of "-", standard input is copied. A file that
 * cannot be opened or read is reported as "cat: FILE: error" and skipped;
 * the exit status is then 1. A failed write ends cat at once.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char buf[65536];

/* write_all: write all n bytes, or exit with an error. */
static void write_all(const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(1, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			fprintf(stderr, "cat: write error: %s\n", strerror(w < 0 ? errno : EIO));
			exit(1);
		}
		p += w;
		n -= w;
	}
}

/* copy: copy fd to standard output; 0 on success, -1 on a read error. */
static int copy(int fd, const char *name)
{
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			fprintf(stderr, "cat: %s: %s\n", name, strerror(errno));
			return -1;
		}
		if (n == 0)
			return 0;
		write_all(buf, n);
	}
}

/* cat_file: copy the named file ("-" is standard input). */
static int cat_file(const char *name)
{
	if (!strcmp(name, "-"))
		return copy(0, name);

	int fd = open(name, O_RDONLY);
	if (fd < 0) {
		fprintf(stderr, "cat: %s: %s\n", name, strerror(errno));
		return -1;
	}
	int ret = copy(fd, name);
	close(fd);
	return ret;
}

int main(int argc, char **argv)
{
	int status = 0;

	if (argc < 2)
		return copy(0, "-") ? 1 : 0;
	for (int i = 1; i < argc; i++)
		if (cat_file(argv[i]))
			status = 1;
	return status;
}
