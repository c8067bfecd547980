/*
 * free.c - show the amount of free and used memory, like procps's free.
 *
 * Usage: free [-k | -m]
 * Reads /proc/meminfo. Columns (in KiB, or MiB with -m):
 *   total       MemTotal
 *   used        total - available
 *   free        MemFree
 *   shared      Shmem (0 if missing)
 *   buff/cache  Buffers + Cached + SReclaimable (if present)
 *   available   MemAvailable, or MemFree when the kernel has no estimate
 * A Swap row follows only if /proc/meminfo has SwapTotal.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

struct field {
	const char *name;
	unsigned long long kib;
	int found;
};

enum { TOTAL, FREE, AVAIL, BUFFERS, CACHED, SRECLAIM, SHMEM, SWAPTOTAL, SWAPFREE, NFIELDS };

static struct field fields[NFIELDS] = {
    [TOTAL] = {"MemTotal"},  [FREE] = {"MemFree"},        [AVAIL] = {"MemAvailable"},
    [BUFFERS] = {"Buffers"}, [CACHED] = {"Cached"},       [SRECLAIM] = {"SReclaimable"},
    [SHMEM] = {"Shmem"},     [SWAPTOTAL] = {"SwapTotal"}, [SWAPFREE] = {"SwapFree"},
};

static int shift; /* 0 for KiB, 10 for MiB */

/* read_meminfo: fill in fields from lines like "MemTotal:  16384 kB". */
static int read_meminfo(void)
{
	FILE *f = fopen("/proc/meminfo", "r");
	char line[256], name[64];
	unsigned long long v;

	if (!f) {
		fprintf(stderr, "free: /proc/meminfo: %s\n", strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%63[^:]: %llu", name, &v) != 2)
			continue;
		for (int i = 0; i < NFIELDS; i++) {
			if (!strcmp(name, fields[i].name)) {
				fields[i].kib = v;
				fields[i].found = 1;
			}
		}
	}
	fclose(f);
	if (!fields[TOTAL].found || !fields[FREE].found) {
		fprintf(stderr, "free: /proc/meminfo: no MemTotal or MemFree\n");
		return -1;
	}
	return 0;
}

static unsigned long long get(int i)
{
	return fields[i].kib;
}

/* row: print a label and its columns, scaled to the chosen unit. */
static void row(const char *label, const unsigned long long *v, int n)
{
	printf("%-8s", label);
	for (int i = 0; i < n; i++)
		printf("%12llu", v[i] >> shift);
	printf("\n");
}

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-m")) {
			shift = 10;
		} else if (!strcmp(argv[i], "-k")) {
			shift = 0;
		} else {
			fprintf(stderr, "free: invalid option '%s'\nusage: free [-k | -m]\n",
				argv[i]);
			return 1;
		}
	}
	if (read_meminfo())
		return 1;

	unsigned long long total = get(TOTAL);
	unsigned long long avail = fields[AVAIL].found ? get(AVAIL) : get(FREE);
	unsigned long long cache = get(BUFFERS) + get(CACHED) + get(SRECLAIM);
	/* "used" as procps 4 counts it; fall back to total - free if available is bogus */
	unsigned long long used = avail <= total ? total - avail : total - get(FREE);
	unsigned long long mem[] = {total, used, get(FREE), get(SHMEM), cache, avail};

	printf(
	    "               total        used        free      shared  buff/cache   available\n");
	row("Mem:", mem, 6);
	if (fields[SWAPTOTAL].found) {
		unsigned long long swap[] = {get(SWAPTOTAL), get(SWAPTOTAL) - get(SWAPFREE),
					     get(SWAPFREE)};
		row("Swap:", swap, 3);
	}
	return fflush(stdout) ? 1 : 0;
}
