/*
 * membench - the cost of the memory system's basic operations.
 *
 *     membench [--small]
 *
 * Each figure is the median of REPS runs, timed with rdtsc between lfence
 * instructions. Under QEMU with "-icount shift=0,align=off" (tools/run
 * --icount, make bench) rdtsc advances by one per guest instruction, so the
 * figures are instruction counts and repeatable. The same static binary
 * runs on moo and on Linux, for a fair comparison.
 *
 * Output: one "name value unit" line per figure, for scripts:
 *   null_syscall            one getppid()
 *   fork_exit_wait_<N>mib   fork + child _exit + parent wait, N MiB resident
 *   fork_parent_<N>mib      fork until it returns in the parent
 *   cow_child               first write per page in the child after fork
 *   cow_parent              ... in the parent while the child is alive
 *   cow_reuse               ... in the parent after the child exited
 *   anon_first_write        first write per page of fresh anonymous memory
 *   zero_page_read          first read per page (maps the zero page)
 *   write_after_read        then the first write (copy from the zero page)
 *   file_private_read       first read per page of a MAP_PRIVATE file mapping
 *   file_private_write      first write per page of a MAP_PRIVATE file mapping
 *   memcpy_4k               copying 4 KiB, the baseline
 * --small uses tiny sizes: a quick check that every path still runs.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define REPS 5
#define PG   4096UL

static unsigned long npages = 4096;
static const unsigned long big_sizes[] = {0, 1, 16, 64, 256};
static const unsigned long small_sizes[] = {0, 1};

static inline uint64_t tsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("lfence; rdtsc; lfence" : "=a"(lo), "=d"(hi)::"memory");
	return ((uint64_t)hi << 32) | lo;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static uint64_t median(uint64_t *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_u64);
	return v[n / 2];
}

static void report(const char *name, uint64_t value, const char *unit)
{
	printf("%-24s %10llu %s\n", name, (unsigned long long)value, unit);
	fflush(stdout);
}

static char *map_anon(unsigned long bytes)
{
	if (!bytes)
		return NULL;
	char *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		perror("membench: mmap");
		exit(1);
	}
	return p;
}

static void touch_write(char *p, unsigned long pages)
{
	for (unsigned long i = 0; i < pages; i++)
		p[i * PG] = (char)i;
}

/* write_pages: first write to each page, timed; per page. */
static uint64_t write_pages(char *p, unsigned long pages)
{
	uint64_t t0 = tsc();
	for (unsigned long i = 0; i < pages; i++)
		((volatile char *)p)[i * PG] = 1;
	return (tsc() - t0) / pages;
}

static uint64_t read_pages(const char *p, unsigned long pages)
{
	uint64_t t0 = tsc();
	for (unsigned long i = 0; i < pages; i++)
		(void)((const volatile char *)p)[i * PG];
	return (tsc() - t0) / pages;
}

static void bench_null_syscall(void)
{
	uint64_t v[REPS];
	for (int r = 0; r < REPS; r++) {
		uint64_t t0 = tsc();
		for (int i = 0; i < 1000; i++)
			syscall(SYS_getppid);
		v[r] = (tsc() - t0) / 1000;
	}
	report("null_syscall", median(v, REPS), "tsc/call");
}

static void bench_fork(const unsigned long *sizes, int nsizes)
{
	char name[64];
	for (int s = 0; s < nsizes; s++) {
		unsigned long bytes = sizes[s] << 20;
		char *mem = map_anon(bytes);
		touch_write(mem, bytes / PG); /* resident */
		uint64_t total[REPS], parent[REPS];
		for (int r = 0; r < REPS; r++) {
			uint64_t t0 = tsc();
			pid_t pid = fork();
			if (pid == 0)
				_exit(0);
			uint64_t t1 = tsc();
			waitpid(pid, NULL, 0);
			uint64_t t2 = tsc();
			total[r] = t2 - t0;
			parent[r] = t1 - t0;
		}
		snprintf(name, sizeof(name), "fork_exit_wait_%lumib", sizes[s]);
		report(name, median(total, REPS), "tsc");
		snprintf(name, sizeof(name), "fork_parent_%lumib", sizes[s]);
		report(name, median(parent, REPS), "tsc");
		if (mem)
			munmap(mem, bytes);
	}
}

/* cow_child: the child times its first writes and sends the figure back. */
static uint64_t cow_child_once(void)
{
	char *p = map_anon(npages * PG);
	int fd[2];
	uint64_t per = 0;
	touch_write(p, npages);
	if (pipe(fd))
		exit(1);
	pid_t pid = fork();
	if (pid == 0) {
		uint64_t v = write_pages(p, npages);
		write(fd[1], &v, sizeof(v));
		_exit(0);
	}
	read(fd[0], &per, sizeof(per));
	waitpid(pid, NULL, 0);
	close(fd[0]);
	close(fd[1]);
	munmap(p, npages * PG);
	return per;
}

/* cow_parent: the parent writes while the child keeps the pages shared. */
static uint64_t cow_parent_once(void)
{
	char *p = map_anon(npages * PG);
	int fd[2];
	touch_write(p, npages);
	if (pipe(fd))
		exit(1);
	pid_t pid = fork();
	if (pid == 0) {
		char c;
		close(fd[1]);
		read(fd[0], &c, 1); /* until the parent is done */
		_exit(0);
	}
	uint64_t per = write_pages(p, npages);
	close(fd[1]);
	waitpid(pid, NULL, 0);
	close(fd[0]);
	munmap(p, npages * PG);
	return per;
}

/* cow_reuse: the child has gone; each page has one user again. */
static uint64_t cow_reuse_once(void)
{
	char *p = map_anon(npages * PG);
	touch_write(p, npages);
	pid_t pid = fork();
	if (pid == 0)
		_exit(0);
	waitpid(pid, NULL, 0);
	uint64_t per = write_pages(p, npages);
	munmap(p, npages * PG);
	return per;
}

static void bench_cow(void)
{
	uint64_t a[REPS], b[REPS], c[REPS];
	for (int r = 0; r < REPS; r++) {
		a[r] = cow_child_once();
		b[r] = cow_parent_once();
		c[r] = cow_reuse_once();
	}
	report("cow_child", median(a, REPS), "tsc/page");
	report("cow_parent", median(b, REPS), "tsc/page");
	report("cow_reuse", median(c, REPS), "tsc/page");
}

static void bench_anon(void)
{
	uint64_t w[REPS], rd[REPS], war[REPS];
	for (int r = 0; r < REPS; r++) {
		char *p = map_anon(npages * PG);
		w[r] = write_pages(p, npages);
		munmap(p, npages * PG);
		p = map_anon(npages * PG);
		rd[r] = read_pages(p, npages);
		war[r] = write_pages(p, npages);
		munmap(p, npages * PG);
	}
	report("anon_first_write", median(w, REPS), "tsc/page");
	report("zero_page_read", median(rd, REPS), "tsc/page");
	report("write_after_read", median(war, REPS), "tsc/page");
}

static void bench_file(void)
{
	char path[64];
	snprintf(path, sizeof(path), "/tmp/membench.%d", (int)getpid());
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0) {
		perror("membench: open");
		exit(1);
	}
	char *page = calloc(1, PG);
	for (unsigned long i = 0; i < npages; i++) {
		page[0] = (char)i;
		if (write(fd, page, PG) != (ssize_t)PG)
			exit(1);
	}
	uint64_t rd[REPS], wr[REPS];
	for (int r = 0; r < REPS; r++) {
		char *p = mmap(NULL, npages * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
		if (p == MAP_FAILED)
			exit(1);
		rd[r] = read_pages(p, npages);
		munmap(p, npages * PG);
		p = mmap(NULL, npages * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
		wr[r] = write_pages(p, npages);
		munmap(p, npages * PG);
	}
	close(fd);
	unlink(path);
	free(page);
	report("file_private_read", median(rd, REPS), "tsc/page");
	report("file_private_write", median(wr, REPS), "tsc/page");
}

static void bench_memcpy(void)
{
	static char a[PG], b[PG];
	uint64_t v[REPS];
	for (int r = 0; r < REPS; r++) {
		uint64_t t0 = tsc();
		for (int i = 0; i < 256; i++) {
			memcpy(a, b, PG);
			/* make a and b look used, so the copy is not optimised away */
			__asm__ volatile("" : : "r"(a), "r"(b) : "memory");
		}
		v[r] = (tsc() - t0) / 256;
	}
	report("memcpy_4k", median(v, REPS), "tsc");
}

int main(int argc, char **argv)
{
	int small = argc > 1 && !strcmp(argv[1], "--small");
	if (small)
		npages = 64;
	bench_null_syscall();
	if (small)
		bench_fork(small_sizes, 2);
	else
		bench_fork(big_sizes, 5);
	bench_cow();
	bench_anon();
	bench_file();
	bench_memcpy();
	return 0;
}
