/*
 * signame.h - names and descriptions of the Linux x86-64 signals, which moo
 * uses too. Header-only, shared by sh, kill and init.
 */
#ifndef MOO_USER_SIGNAME_H
#define MOO_USER_SIGNAME_H

#include <stddef.h>
#include <stdlib.h>
#include <strings.h>

struct sig_info {
	int num;
	const char *name; /* without the "SIG" prefix */
	const char *desc; /* what a shell prints when a child dies of it */
};

/* sig_table: all signals, in numeric order; *count gets their number. */
static inline const struct sig_info *sig_table(size_t *count)
{
	static const struct sig_info table[] = {
	    {1, "HUP", "Hangup"},
	    {2, "INT", "Interrupt"},
	    {3, "QUIT", "Quit"},
	    {4, "ILL", "Illegal instruction"},
	    {5, "TRAP", "Trace/breakpoint trap"},
	    {6, "ABRT", "Aborted"},
	    {7, "BUS", "Bus error"},
	    {8, "FPE", "Floating point exception"},
	    {9, "KILL", "Killed"},
	    {10, "USR1", "User defined signal 1"},
	    {11, "SEGV", "Segmentation fault"},
	    {12, "USR2", "User defined signal 2"},
	    {13, "PIPE", "Broken pipe"},
	    {14, "ALRM", "Alarm clock"},
	    {15, "TERM", "Terminated"},
	    {16, "STKFLT", "Stack fault"},
	    {17, "CHLD", "Child exited"},
	    {18, "CONT", "Continued"},
	    {19, "STOP", "Stopped (signal)"},
	    {20, "TSTP", "Stopped"},
	    {21, "TTIN", "Stopped (tty input)"},
	    {22, "TTOU", "Stopped (tty output)"},
	    {23, "URG", "Urgent I/O condition"},
	    {24, "XCPU", "CPU time limit exceeded"},
	    {25, "XFSZ", "File size limit exceeded"},
	    {26, "VTALRM", "Virtual timer expired"},
	    {27, "PROF", "Profiling timer expired"},
	    {28, "WINCH", "Window changed"},
	    {29, "IO", "I/O possible"},
	    {30, "PWR", "Power failure"},
	    {31, "SYS", "Bad system call"},
	};
	*count = sizeof(table) / sizeof(table[0]);
	return table;
}

static inline const struct sig_info *sig_lookup(int num)
{
	size_t n;
	const struct sig_info *t = sig_table(&n);
	for (size_t i = 0; i < n; i++)
		if (t[i].num == num)
			return &t[i];
	return NULL;
}

/* sig_name: "SEGV" for 11, or NULL. */
static inline const char *sig_name(int num)
{
	const struct sig_info *s = sig_lookup(num);
	return s ? s->name : NULL;
}

/* sig_desc: "Segmentation fault" for 11, or NULL. */
static inline const char *sig_desc(int num)
{
	const struct sig_info *s = sig_lookup(num);
	return s ? s->desc : NULL;
}

/* sig_parse: the number of "TERM", "SIGTERM", "term" or "15"; -1 if none. */
static inline int sig_parse(const char *s)
{
	size_t n;
	const struct sig_info *t = sig_table(&n);
	char *end;

	if (*s >= '0' && *s <= '9') {
		long num = strtol(s, &end, 10);
		return *end || num < 0 || num > 64 ? -1 : (int)num;
	}
	if (!strncasecmp(s, "SIG", 3))
		s += 3;
	for (size_t i = 0; i < n; i++)
		if (!strcasecmp(s, t[i].name))
			return t[i].num;
	return -1;
}

#endif
