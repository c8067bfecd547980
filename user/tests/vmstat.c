/*
 * vmstat.c - what the memory system reports about itself: the event
 * counters of /proc/vmstat, page-fault counts (/proc/PID/stat, getrusage,
 * wait4), VmRSS in /proc/PID/status and /proc/PID/maps.
 *
 * moo's /proc/vmstat has counters Linux does not (cow_copy, cow_reuse,
 * zero_page_fault, anon_fault, file_fault): the tests that read them run
 * in moo only and print "skip NAME (moo only)" on Linux, where they count
 * as passed. The others hold on Linux too and run everywhere. The counters
 * are system-wide, but while a test runs nothing else in moo is busy.
 *
 * main() has two helper modes for the shared-text test, which runs copies
 * of this program (found from argv[0]): --text-reader reads part of its own
 * text, --idle does not.
 */
#define _GNU_SOURCE
#include "check.h"
#include "testutil.h"
#include "vmtest.h"

#include <sys/sysmacros.h>

static char self[1024];
extern char **environ;

static int moo_only(const char *name)
{
	if (is_moo())
		return 1;
	printf("skip %s (moo only)\n", name);
	return 0;
}

#define MOO_ONLY()                                                                                 \
	do {                                                                                       \
		if (!moo_only(__func__))                                                           \
			return;                                                                    \
	} while (0)

/* fresh anonymous memory with one page table entry per page on Linux too
 * (no transparent huge pages, whatever the host's setting) */
static char *fresh_pages(unsigned long n)
{
	char *p = map_anon(n * PG);
	if (p && !is_moo())
		madvise(p, n * PG, MADV_NOHUGEPAGE);
	return p;
}

static void write_pages(char *p, unsigned long first, unsigned long n, unsigned long step)
{
	for (unsigned long i = 0; i < n; i++)
		((volatile char *)p)[(first + i * step) * PG] = (char)(i + 1);
}

static unsigned long read_pages(const char *p, unsigned long n)
{
	unsigned long sum = 0;
	for (unsigned long i = 0; i < n; i++)
		sum += ((const volatile char *)p)[i * PG + 99];
	return sum;
}

/* CHECK lo <= v <= hi, printing what was measured if not */
#define CHECK_RANGE(what, v, lo, hi)                                                               \
	do {                                                                                       \
		long long cr_v_ = (v), cr_lo_ = (lo), cr_hi_ = (hi);                               \
		if (cr_v_ < cr_lo_ || cr_v_ > cr_hi_) {                                            \
			printf("  %s:%d: %s = %lld, wanted %lld..%lld\n", __FILE__, __LINE__,      \
			       (what), cr_v_, cr_lo_, cr_hi_);                                     \
			check_failed_in_test = 1;                                                  \
		}                                                                                  \
	} while (0)

/* ---------------------------------------------------------------- moo's counters */

TEST(vmstat_has_linux_fault_counters)
{
	CHECK(vmstat_get("pgfault") >= 0);
	CHECK(vmstat_get("pgmajfault") >= 0);
	CHECK(vmstat_get("nr_free_pages") >= 0);
}

TEST(vmstat_has_moo_memory_counters)
{
	MOO_ONLY();
	static const char *const names[] = {
	    "cow_fault",  "cow_reuse", "cow_copy", "zero_page_fault", "anon_fault",
	    "file_fault", "pgalloc",   "pgfree",   "nr_free_pages",
	};
	for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		long long v = vmstat_get(names[i]);
		if (v < 0) {
			printf("  no \"%s\" in /proc/vmstat\n", names[i]);
			check_failed_in_test = 1;
		}
	}
}

TEST(vmstat_pgfault_grows_by_pages_touched)
{
	const unsigned long n = 256;
	char *p = fresh_pages(n);
	CHECK(p != NULL);
	if (!p)
		return;
	long long f0 = vmstat_get("pgfault");
	write_pages(p, 0, n, 1);
	long long f1 = vmstat_get("pgfault");
	CHECK(f1 - f0 >= (long long)n);
	munmap(p, n * PG);
}

/*
 * The child writes exactly n of the 2n pages the parent filled: cow_copy
 * must grow by n, plus what any child costs (its stack, libc's data),
 * measured with a control child that writes none. Each child waits for
 * the parent's word before it does anything, so the parent's own first
 * writes after fork happen while the child still holds the pages, the
 * same way both times.
 */
static long long cow_copies_for_child_writing(char *p, unsigned long n)
{
	int go[2];
	if (pipe(go) != 0)
		return -1;
	long long before = vmstat_get("cow_copy");
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		recv_byte(go[0]);
		write_pages(p, 0, n, 2);
		_exit(0);
	}
	send_byte(go[1], 'g');
	int st = -1;
	waitpid(pid, &st, 0);
	long long after = vmstat_get("cow_copy");
	close(go[0]);
	close(go[1]);
	CHECK_EXITED(st, 0);
	return after - before;
}

TEST(vmstat_cow_copy_counts_exactly_the_pages_the_child_wrote)
{
	MOO_ONLY();
	const unsigned long n = 512;
	char *p = fresh_pages(2 * n);
	CHECK(p != NULL);
	if (!p)
		return;
	write_pages(p, 0, 2 * n, 1);
	long long control = cow_copies_for_child_writing(p, 0);
	long long copies = cow_copies_for_child_writing(p, n);
	long long control2 = cow_copies_for_child_writing(p, 0);
	CHECK_RANGE("control child's cow_copy", control, 0, 64);
	CHECK_RANGE("control child's cow_copy, again", control2, control - 2, control + 2);
	CHECK_RANGE("cow_copy for a child writing 512 pages, minus the control's", copies - control,
		    (long long)n - 2, (long long)n + 2);
	munmap(p, 2 * n * PG);
}

TEST(vmstat_cow_reuse_not_copy_when_child_has_exited)
{
	MOO_ONLY();
	const unsigned long n = 256;
	char *p = fresh_pages(n);
	CHECK(p != NULL);
	if (!p)
		return;
	write_pages(p, 0, n, 1);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0)
		_exit(0);
	CHECK_EXITED(wait_timeout(pid, 10000), 0);
	/* every page is read-only (it was shared) but has one user again */
	long long r0 = vmstat_get("cow_reuse"), c0 = vmstat_get("cow_copy");
	write_pages(p, 0, n, 1);
	long long r1 = vmstat_get("cow_reuse"), c1 = vmstat_get("cow_copy");
	CHECK_RANGE("cow_reuse delta", r1 - r0, (long long)n, (long long)n + 16);
	CHECK_RANGE("cow_copy delta", c1 - c0, 0, 4);
	munmap(p, n * PG);
}

TEST(vmstat_zero_page_fault_counts_reads_of_fresh_pages_without_allocating)
{
	MOO_ONLY();
	const unsigned long n = 512;
	char *p = fresh_pages(n);
	CHECK(p != NULL);
	if (!p)
		return;
	read_pages(p, 1); /* the first page table is allocated outside the count */
	long long z0 = vmstat_get("zero_page_fault"), a0 = vmstat_get("anon_fault");
	long long g0 = vmstat_get("pgalloc");
	CHECK_EQ(read_pages(p + PG, n - 1), 0);
	long long z1 = vmstat_get("zero_page_fault"), a1 = vmstat_get("anon_fault");
	long long g1 = vmstat_get("pgalloc");
	CHECK_RANGE("zero_page_fault delta", z1 - z0, (long long)n - 1, (long long)n + 8);
	CHECK_RANGE("anon_fault delta", a1 - a0, 0, 4);
	CHECK_RANGE("pgalloc delta (reads share one zero page)", g1 - g0, 0, 16);
	munmap(p, n * PG);
}

TEST(vmstat_first_writes_allocate_and_munmap_frees)
{
	MOO_ONLY();
	const unsigned long n = 512;
	char *p = fresh_pages(n);
	CHECK(p != NULL);
	if (!p)
		return;
	long long free0 = vmstat_get("nr_free_pages");
	long long a0 = vmstat_get("anon_fault"), g0 = vmstat_get("pgalloc");
	write_pages(p, 0, n, 1);
	long long a1 = vmstat_get("anon_fault"), g1 = vmstat_get("pgalloc");
	long long free1 = vmstat_get("nr_free_pages");
	CHECK_RANGE("anon_fault delta", a1 - a0, (long long)n, (long long)n + 8);
	CHECK_RANGE("pgalloc delta", g1 - g0, (long long)n, (long long)n + 16);
	CHECK_RANGE("nr_free_pages drop", free0 - free1, (long long)n, (long long)n + 16);
	long long f0 = vmstat_get("pgfree");
	CHECK_EQ(munmap(p, n * PG), 0);
	long long f1 = vmstat_get("pgfree");
	long long free2 = vmstat_get("nr_free_pages");
	CHECK_RANGE("pgfree delta", f1 - f0, (long long)n, (long long)n + 16);
	CHECK_RANGE("nr_free_pages after munmap, against before", free2 - free0, -4, 4);
}

/* ---------------------------------------------------------------- shared text */

/*
 * TEXT_PAD_PAGES pages of extra program text, never run: only the
 * shared-text test reads it. Copies of this program started with
 * --text-reader read every page of it (--idle: none), say so on stdout and
 * wait for their stdin to close.
 */
#define TEXT_PAD_PAGES 128
#define STR_(x)        #x
#define STR(x)         STR_(x)
__asm__(".pushsection .text\n"
	".p2align 12\n"
	".globl vmstat_text_pad\n"
	"vmstat_text_pad:\n"
	".fill " STR(TEXT_PAD_PAGES) " * 4096, 1, 0xcc\n"
				     ".popsection\n");
extern const volatile unsigned char vmstat_text_pad[];

static int text_reader(int read_text)
{
	unsigned long sum = 0;
	for (unsigned long i = 0; read_text && i < TEXT_PAD_PAGES * PG; i += PG)
		sum += vmstat_text_pad[i];
	char c = !read_text || sum == 0xccUL * TEXT_PAD_PAGES ? 'r' : 'x';
	if (write(1, &c, 1) != 1)
		return 1;
	while (read(0, &c, 1) > 0) /* until the parent closes our stdin */
		;
	return 0;
}

struct reader {
	pid_t pid;
	int in, out;
};

/* start a copy of this program in `mode`; 0 once it has done its reading */
static int start_reader(struct reader *r, const char *mode)
{
	int in[2], out[2];
	/* close-on-exec: a later copy must not hold this one's stdin open */
	if (pipe2(in, O_CLOEXEC) != 0 || pipe2(out, O_CLOEXEC) != 0)
		return -1;
	fflush(stdout);
	r->pid = fork();
	if (r->pid == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		char *argv[] = {"vmstat", (char *)mode, NULL};
		execve(self, argv, environ);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	r->in = in[1];
	r->out = out[0];
	return recv_byte(r->out) == 'r' ? 0 : -1;
}

static int stop_reader(struct reader *r)
{
	close(r->in);
	close(r->out);
	return wait_timeout(r->pid, 10000);
}

/*
 * The first copy reads its text into the page cache; while it runs, a
 * second copy that reads the same text must take no new memory for it:
 * it may hold no more pages than a copy that reads no text at all, and
 * it reads nothing from the file (no major faults).
 */
TEST(vmstat_second_copy_of_running_program_shares_its_text)
{
	MOO_ONLY();
	struct reader first, idle, second;
	long long free0 = vmstat_get("nr_free_pages"), mj0 = vmstat_get("pgmajfault");
	CHECK_EQ(start_reader(&first, "--text-reader"), 0);
	long long free1 = vmstat_get("nr_free_pages"), mj1 = vmstat_get("pgmajfault");
	CHECK_EQ(start_reader(&idle, "--idle"), 0);
	long long free2 = vmstat_get("nr_free_pages");
	CHECK_EQ(start_reader(&second, "--text-reader"), 0);
	long long free3 = vmstat_get("nr_free_pages"), mj3 = vmstat_get("pgmajfault");
	CHECK_EXITED(stop_reader(&first), 0);
	CHECK_EXITED(stop_reader(&idle), 0);
	CHECK_EXITED(stop_reader(&second), 0);
	long long idle_pages = free1 - free2, second_pages = free2 - free3;
	if (second_pages - idle_pages >= TEXT_PAD_PAGES / 2 || mj3 - mj1 >= TEXT_PAD_PAGES / 2) {
		printf("  %d pages of text: the first copy took %lld pages and %lld major faults, "
		       "a copy reading no text %lld pages, the second copy %lld pages and %lld "
		       "major faults\n",
		       TEXT_PAD_PAGES, free0 - free1, mj1 - mj0, idle_pages, second_pages,
		       mj3 - mj1);
		check_failed_in_test = 1;
	}
}

/* ---------------------------------------------------------------- fault counts */

TEST(proc_stat_minflt_grows_by_pages_touched)
{
	const unsigned long n = 256;
	char *p = fresh_pages(n);
	CHECK(p != NULL);
	if (!p)
		return;
	long long m0 = stat_field(10);
	write_pages(p, 0, n, 1);
	long long m1 = stat_field(10);
	CHECK(m0 >= 0);
	CHECK_RANGE("minflt delta for 256 first writes", m1 - m0, (long long)n, (long long)n + 64);
	/* written pages are there: touching them again is no fault */
	long long m2 = stat_field(10);
	write_pages(p, 0, n, 1);
	long long m3 = stat_field(10);
	CHECK_RANGE("minflt delta for 256 second writes", m3 - m2, 0, 16);
	munmap(p, n * PG);
}

static long ru_minflt(int who)
{
	struct rusage ru;
	memset(&ru, 0, sizeof(ru));
	return getrusage(who, &ru) == 0 ? ru.ru_minflt : -1;
}

TEST(getrusage_minflt_agrees_with_proc_stat)
{
	const unsigned long n = 128;
	char *p = fresh_pages(n);
	CHECK(p != NULL);
	if (!p)
		return;
	long r0 = ru_minflt(RUSAGE_SELF);
	long long s0 = stat_field(10);
	long r1 = ru_minflt(RUSAGE_SELF);
	CHECK(r0 >= 0);
	CHECK_RANGE("/proc/self/stat minflt between two getrusage", s0, r0, r1);
	write_pages(p, 0, n, 1);
	long r2 = ru_minflt(RUSAGE_SELF);
	long long s1 = stat_field(10);
	long r3 = ru_minflt(RUSAGE_SELF);
	CHECK_RANGE("getrusage minflt delta", r2 - r1, (long long)n, (long long)n + 64);
	CHECK_RANGE("/proc/self/stat minflt between two getrusage", s1, r2, r3);
	munmap(p, n * PG);
}

static int touch_256_pages(void *arg)
{
	(void)arg;
	char *p = fresh_pages(256);
	if (!p)
		return 1;
	write_pages(p, 0, 256, 1);
	return 0;
}

TEST(wait4_rusage_counts_child_minflt)
{
	long c0 = ru_minflt(RUSAGE_CHILDREN);
	pid_t pid = fork_child(touch_256_pages, NULL);
	CHECK(pid > 0);
	struct rusage ru;
	memset(&ru, 0, sizeof(ru));
	int st = -1;
	CHECK_EQ(wait4(pid, &st, 0, &ru), pid);
	CHECK_EXITED(st, 0);
	CHECK_RANGE("wait4 ru_minflt", ru.ru_minflt, 256, 1L << 20);
	long c1 = ru_minflt(RUSAGE_CHILDREN);
	CHECK_RANGE("RUSAGE_CHILDREN minflt delta", c1 - c0, 256, 1L << 20);
}

/* ---------------------------------------------------------------- VmRSS */

TEST(proc_status_vmrss_grows_by_pages_touched)
{
	const unsigned long n = 256; /* 1024 kB */
	char *p = fresh_pages(n);
	CHECK(p != NULL);
	if (!p)
		return;
	long long r0 = status_kb("VmRSS");
	write_pages(p, 0, n, 1);
	long long r1 = status_kb("VmRSS");
	CHECK(r0 > 0);
	CHECK_RANGE("VmRSS growth in kB for 256 pages", r1 - r0, (long long)n * 4 - 64,
		    (long long)n * 4 + 128);
	CHECK_EQ(munmap(p, n * PG), 0);
	long long r2 = status_kb("VmRSS");
	CHECK_RANGE("VmRSS drop in kB after munmap", r1 - r2, (long long)n * 4 - 64,
		    (long long)n * 4 + 64);
}

/* ---------------------------------------------------------------- /proc/self/maps */

struct map_line {
	unsigned long start, end, off, ino;
	unsigned dmaj, dmin;
	char perms[5];
	const char *name; /* "" when there is none */
	char text[512];   /* the whole line */
};

static char maps_buf[65536];

/*
 * parse_maps - split /proc/self/maps into lines, checking each has Linux's
 * form: "start-end perms offset major:minor inode", a space, and the name
 * (if any) starting at column 73 or one space after a longer prefix.
 * Returns the number of lines, or -1 (after a message) if one is malformed.
 */
static int parse_maps(struct map_line *out, int max)
{
	if (read_text("/proc/self/maps", maps_buf, sizeof(maps_buf)) <= 0)
		return -1;
	int n = 0;
	for (char *l = maps_buf; *l && n < max; n++) {
		char *nl = strchr(l, '\n');
		if (!nl) {
			printf("  maps: last line has no newline\n");
			return -1;
		}
		*nl = '\0';
		struct map_line *m = &out[n];
		size_t ll = strlen(l);
		if (ll >= sizeof(m->text)) {
			printf("  maps: line too long: \"%.100s...\"\n", l);
			return -1;
		}
		memcpy(m->text, l, ll + 1);
		int used = 0;
		if (sscanf(l, "%lx-%lx %4s %lx %x:%x %lu %n", &m->start, &m->end, m->perms, &m->off,
			   &m->dmaj, &m->dmin, &m->ino, &used) != 7 ||
		    used == 0) {
			printf("  maps: cannot parse \"%s\"\n", l);
			return -1;
		}
		/* rebuild the line as Linux prints it and compare */
		char want[600];
		int len = snprintf(want, sizeof(want), "%08lx-%08lx %s %08lx %02x:%02x %lu ",
				   m->start, m->end, m->perms, m->off, m->dmaj, m->dmin, m->ino);
		m->name = m->text + used;
		if (*m->name) {
			while (len < 72)
				want[len++] = ' ';
			snprintf(want + len, sizeof(want) - len, " %s", m->name);
		}
		if (strcmp(want, l) != 0) {
			printf("  maps: line \"%s\"\n    not in Linux's form \"%s\"\n", l, want);
			return -1;
		}
		if (m->start >= m->end || (n > 0 && m->start < out[n - 1].end)) {
			printf("  maps: \"%s\" out of order or empty\n", l);
			return -1;
		}
		l = nl + 1;
	}
	return n;
}

static const struct map_line *find_line(const struct map_line *m, int n, const void *addr)
{
	for (int i = 0; i < n; i++)
		if (m[i].start <= (uintptr_t)addr && (uintptr_t)addr < m[i].end)
			return &m[i];
	return NULL;
}

/* a page with nothing mapped next to it, so that it is a VMA of its own */
static char *lone_page(int prot)
{
	char *p = mmap(NULL, 3 * PG, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	munmap(p, PG);
	munmap(p + 2 * PG, PG);
	return p + PG;
}

static struct map_line maps[256];

TEST(proc_self_maps_heap_stack_anon_and_file_in_linux_format)
{
	char path[128];
	static char data[3 * PG];
	memset(data, 'm', sizeof(data));
	int fd = tmp_file(path, sizeof(path), "maps", data, sizeof(data));
	/* a heap: move the break up by four pages */
	uintptr_t brk0 = (uintptr_t)syscall(SYS_brk, 0);
	CHECK_EQ(syscall(SYS_brk, brk0 + 4 * PG), brk0 + 4 * PG);
	((volatile char *)brk0)[0] = 1;
	char *rw = lone_page(PROT_READ | PROT_WRITE);
	char *ro = lone_page(PROT_READ);
	char *none = lone_page(PROT_NONE);
	char *fp = mmap(NULL, PG, PROT_READ, MAP_PRIVATE, fd, PG);
	char *fs = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(rw && ro && none && fp != MAP_FAILED && fs != MAP_FAILED);
	rw[0] = 1;
	struct stat st;
	CHECK_EQ(fstat(fd, &st), 0);
	volatile int on_stack = 0;

	int n = parse_maps(maps, 256);
	CHECK(n > 0);
	if (n > 0) {
		const struct map_line *m = find_line(maps, n, (void *)brk0);
		CHECK(m != NULL);
		if (m) {
			CHECK_STREQ(m->perms, "rw-p");
			CHECK_STREQ(m->name, "[heap]");
			CHECK(m->end >= brk0 + 4 * PG);
		}
		m = find_line(maps, n, (const void *)&on_stack);
		CHECK(m != NULL);
		if (m) {
			CHECK_STREQ(m->perms, "rw-p");
			CHECK_STREQ(m->name, "[stack]");
		}
		char want[200];
		struct {
			char *p;
			const char *perms;
		} lone[] = {{rw, "rw-p"}, {ro, "r--p"}, {none, "---p"}};
		for (int i = 0; i < 3; i++) {
			m = find_line(maps, n, lone[i].p);
			snprintf(want, sizeof(want), "%08lx-%08lx %s 00000000 00:00 0 ",
				 (unsigned long)lone[i].p, (unsigned long)lone[i].p + PG,
				 lone[i].perms);
			CHECK(m != NULL);
			if (m)
				CHECK_STREQ(m->text, want);
		}
		struct {
			char *p;
			size_t len;
			const char *perms;
			unsigned long off;
		} files[] = {{fp, PG, "r--p", PG}, {fs, 2 * PG, "rw-s", 0}};
		for (int i = 0; i < 2; i++) {
			m = find_line(maps, n, files[i].p);
			CHECK(m != NULL);
			if (!m)
				continue;
			CHECK_EQ(m->start, (uintptr_t)files[i].p);
			CHECK_EQ(m->end, (uintptr_t)files[i].p + files[i].len);
			CHECK_STREQ(m->perms, files[i].perms);
			CHECK_EQ(m->off, files[i].off);
			CHECK_EQ(m->ino, st.st_ino);
			CHECK_EQ(m->dmaj, major(st.st_dev));
			CHECK_EQ(m->dmin, minor(st.st_dev));
			CHECK_STREQ(m->name, path);
		}
	}
	munmap(rw, PG);
	munmap(ro, PG);
	munmap(none, PG);
	munmap(fp, PG);
	munmap(fs, 2 * PG);
	CHECK_EQ(syscall(SYS_brk, brk0), brk0);
	close(fd);
	tmp_remove(path);
	/* the unmapped pages are gone from the list */
	n = parse_maps(maps, 256);
	CHECK(n > 0);
	if (n > 0) {
		CHECK(find_line(maps, n, rw) == NULL);
		CHECK(find_line(maps, n, fs) == NULL);
	}
}

#define main vmstat_tests_main
RUN_TESTS(vmstat, CASE(vmstat_has_linux_fault_counters), CASE(vmstat_has_moo_memory_counters),
	  CASE(vmstat_pgfault_grows_by_pages_touched),
	  CASE(vmstat_cow_copy_counts_exactly_the_pages_the_child_wrote),
	  CASE(vmstat_cow_reuse_not_copy_when_child_has_exited),
	  CASE(vmstat_zero_page_fault_counts_reads_of_fresh_pages_without_allocating),
	  CASE(vmstat_first_writes_allocate_and_munmap_frees),
	  CASE(vmstat_second_copy_of_running_program_shares_its_text),
	  CASE(proc_stat_minflt_grows_by_pages_touched),
	  CASE(getrusage_minflt_agrees_with_proc_stat), CASE(wait4_rusage_counts_child_minflt),
	  CASE(proc_status_vmrss_grows_by_pages_touched),
	  CASE(proc_self_maps_heap_stack_anon_and_file_in_linux_format))
#undef main

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--text-reader") == 0)
		return text_reader(1);
	if (argc > 1 && strcmp(argv[1], "--idle") == 0)
		return text_reader(0);
	self_path(argc > 0 ? argv[0] : "vmstat", self, sizeof(self));
	return vmstat_tests_main();
}
