/*
 * echo.c - write the arguments, separated by spaces, followed by a newline.
 *
 * Usage: echo [-n] [ARG...]
 * -n leaves out the newline. No backslash escapes are interpreted.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
	int i = 1;
	int newline = 1;

	/* "-n" (possibly repeated) before the first other argument */
	while (i < argc && !strcmp(argv[i], "-n")) {
		newline = 0;
		i++;
	}
	for (int first = i; i < argc; i++) {
		if (i > first)
			putchar(' ');
		fputs(argv[i], stdout);
	}
	if (newline)
		putchar('\n');
	/* a failed write (e.g. a closed pipe) makes the exit status 1 */
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "echo: write error: %s\n", strerror(errno));
		return 1;
	}
	return 0;
}
