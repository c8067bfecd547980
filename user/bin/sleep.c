/*
 * sleep.c - pause for a while.
 *
 * Usage: sleep NUMBER[SUFFIX]...
 * NUMBER is in seconds and may have a fraction ("0.25"). SUFFIX is s
 * (seconds, the default), m (minutes), h (hours) or d (days). Several
 * arguments are added up. The pause is a nanosleep(2), resumed after
 * interruptions.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* parse: seconds in s, or -1 when it is not a valid interval. */
static double parse(const char *s)
{
	char *end;
	double secs;

	if (!*s || *s == '-' || *s == '+')
		return -1;
	secs = strtod(s, &end);
	if (end == s || !isfinite(secs) || secs < 0)
		return -1;
	switch (*end) {
	case 0:
	case 's':
		break;
	case 'm':
		secs *= 60;
		break;
	case 'h':
		secs *= 3600;
		break;
	case 'd':
		secs *= 86400;
		break;
	default:
		return -1;
	}
	if (*end && end[1])
		return -1;
	return secs;
}

/* sleep_for: sleep secs seconds, continuing after signals that return. */
static int sleep_for(double secs)
{
	struct timespec ts;

	/* anything over about 68 years is as good as forever */
	if (secs > 2147483647.0)
		secs = 2147483647.0;
	ts.tv_sec = (time_t)secs;
	ts.tv_nsec = (long)((secs - (double)ts.tv_sec) * 1e9);
	if (ts.tv_nsec > 999999999)
		ts.tv_nsec = 999999999;
	while (nanosleep(&ts, &ts) < 0) {
		if (errno != EINTR) {
			fprintf(stderr, "sleep: %s\n", strerror(errno));
			return 1;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	double total = 0;

	if (argc < 2) {
		fprintf(stderr, "sleep: missing operand\nusage: sleep NUMBER[smhd]...\n");
		return 1;
	}
	for (int i = 1; i < argc; i++) {
		double secs = parse(argv[i]);
		if (secs < 0) {
			fprintf(stderr, "sleep: invalid time interval '%s'\n", argv[i]);
			return 1;
		}
		total += secs;
	}
	return sleep_for(total);
}
