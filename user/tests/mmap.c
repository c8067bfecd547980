/*
 * mmap.c - file and anonymous mappings: private and shared file mappings
 * against read(2) and write(2), the end of file (zero tail, SIGBUS),
 * munmap and MAP_FIXED cutting mappings apart, MAP_FIXED_NOREPLACE,
 * MAP_POPULATE, MAP_GROWSDOWN, and the errors of mmap, munmap, mprotect,
 * madvise and msync (man 2 mmap, mprotect, madvise, msync), each as Linux
 * returns it. Error cases call syscall(SYS_xxx) directly so that musl's
 * wrappers cannot hide them. Files live in /tmp (a tmpfs in moo).
 */
#define _GNU_SOURCE
#include "check.h"
#include "testutil.h"
#include "vmtest.h"

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif
#ifndef MAP_SHARED_VALIDATE
#define MAP_SHARED_VALIDATE 0x03
#endif

/* a flag bit no Linux version defines for mmap */
#define MAP_UNKNOWN_FLAG 0x800000

/* a file of `pages` pages, page i filled with the byte 'a' + i % 26 */
static int page_file(char *path, size_t size, const char *name, unsigned long pages)
{
	int fd = tmp_file(path, size, name, NULL, 0);
	char buf[PG];
	for (unsigned long i = 0; fd >= 0 && i < pages; i++) {
		memset(buf, 'a' + (int)(i % 26), PG);
		if (write(fd, buf, PG) != (ssize_t)PG)
			printf("  cannot write %s: %s\n", path, strerror(errno));
	}
	return fd;
}

static int all_bytes(const volatile char *p, size_t len, char c)
{
	for (size_t i = 0; i < len; i++)
		if (p[i] != c)
			return 0;
	return 1;
}

static long minflt_now(void)
{
	struct rusage ru;
	return getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_minflt : -1;
}

/* ---------------------------------------------------------------- private, shared */

TEST(mmap_private_file_writes_never_reach_the_file)
{
	char path[128], buf[PG];
	int fd = page_file(path, sizeof(path), "priv", 2);
	CHECK(fd >= 0);
	char *p = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	CHECK(p != MAP_FAILED);
	if (p == MAP_FAILED)
		return;
	CHECK(all_bytes(p, PG, 'a') && all_bytes(p + PG, PG, 'b'));
	memset(p + 100, 'X', 200);
	memset(p + PG, 'Y', PG);
	CHECK_EQ(p[100], 'X');
	CHECK_EQ(pread(fd, buf, PG, 0), PG);
	CHECK(all_bytes(buf, PG, 'a'));
	CHECK_EQ(pread(fd, buf, PG, PG), PG);
	CHECK(all_bytes(buf, PG, 'b'));
	CHECK_EQ(msync(p, 2 * PG, MS_SYNC), 0);
	CHECK_EQ(munmap(p, 2 * PG), 0);
	CHECK_EQ(pread(fd, buf, PG, 0), PG);
	CHECK(all_bytes(buf, PG, 'a'));
	/* a fresh mapping shows the file, not the old private copy */
	p = mmap(NULL, PG, PROT_READ, MAP_PRIVATE, fd, 0);
	CHECK(p != MAP_FAILED && all_bytes(p, PG, 'a'));
	munmap(p, PG);
	close(fd);
	tmp_remove(path);
}

/* MAP_PRIVATE with PROT_WRITE needs only read access to the file */
TEST(mmap_private_writable_of_read_only_fd_works_and_keeps_file)
{
	char path[128], buf[PG];
	int fd = page_file(path, sizeof(path), "privro", 1);
	int ro = open(path, O_RDONLY);
	CHECK(ro >= 0);
	char *p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, ro, 0);
	CHECK(p != MAP_FAILED);
	if (p != MAP_FAILED) {
		p[0] = 'Z';
		CHECK_EQ(p[0], 'Z');
		CHECK_EQ(pread(fd, buf, PG, 0), PG);
		CHECK(all_bytes(buf, PG, 'a'));
		munmap(p, PG);
	}
	close(ro);
	close(fd);
	tmp_remove(path);
}

TEST(mmap_shared_file_writes_reach_file_and_file_writes_reach_mapping)
{
	char path[128], buf[PG];
	int fd = page_file(path, sizeof(path), "shared", 2);
	char *p = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	char *q = mmap(NULL, 2 * PG, PROT_READ, MAP_SHARED, fd, 0);
	CHECK(p != MAP_FAILED && q != MAP_FAILED);
	if (p == MAP_FAILED || q == MAP_FAILED)
		return;
	memset(p + 10, 'S', 100);
	memset(p + PG + 4000, 'T', 96);
	CHECK_EQ(msync(p, 2 * PG, MS_SYNC), 0);
	CHECK_EQ(pread(fd, buf, PG, 0), PG);
	CHECK(all_bytes(buf, 10, 'a') && all_bytes(buf + 10, 100, 'S') &&
	      all_bytes(buf + 110, PG - 110, 'a'));
	CHECK_EQ(pread(fd, buf, PG, PG), PG);
	CHECK(all_bytes(buf, 4000, 'b') && all_bytes(buf + 4000, 96, 'T'));
	/* the second mapping of the file sees it too */
	CHECK(all_bytes(q + 10, 100, 'S'));
	/* and write(2) to the file shows in both mappings */
	CHECK_EQ(pwrite(fd, "written", 7, PG + 5), 7);
	CHECK(memcmp(p + PG + 5, "written", 7) == 0);
	CHECK(memcmp(q + PG + 5, "written", 7) == 0);
	munmap(p, 2 * PG);
	munmap(q, 2 * PG);
	/* the data outlives the mapping */
	CHECK_EQ(pread(fd, buf, 100, 10), 100);
	CHECK(all_bytes(buf, 100, 'S'));
	close(fd);
	tmp_remove(path);
}

/* A MAP_SHARED file mapping is shared with a child after fork. */
TEST(mmap_shared_file_mapping_shared_across_fork)
{
	char path[128];
	int fd = page_file(path, sizeof(path), "sfork", 1);
	volatile char *p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	int done[2];
	CHECK(p != MAP_FAILED);
	if (p == MAP_FAILED)
		return;
	CHECK_EQ(pipe(done), 0);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		p[7] = 'C';
		send_byte(done[1], 'w');
		_exit(0);
	}
	CHECK_EQ(recv_byte(done[0]), 'w');
	CHECK_EQ(p[7], 'C');
	CHECK_EXITED(wait_timeout(pid, 10000), 0);
	char c = 0;
	CHECK_EQ(pread(fd, &c, 1, 7), 1);
	CHECK_EQ(c, 'C');
	munmap((void *)p, PG);
	close(done[0]);
	close(done[1]);
	close(fd);
	tmp_remove(path);
}

/* ---------------------------------------------------------------- end of file */

TEST(mmap_past_eof_zero_tail_then_sigbus_with_exact_address)
{
	char path[128], data[100];
	memset(data, 'd', sizeof(data));
	int fd = tmp_file(path, sizeof(path), "tail", data, sizeof(data));
	char *s = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	char *p = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	CHECK(s != MAP_FAILED && p != MAP_FAILED);
	if (s == MAP_FAILED || p == MAP_FAILED)
		return;
	CHECK(all_bytes(s, 100, 'd') && all_bytes(s + 100, PG - 100, 0));
	CHECK(all_bytes(p, 100, 'd') && all_bytes(p + 100, PG - 100, 0));
	/* the page past the end of the file: SIGBUS, for reads and writes */
	CHECK_FAULT(s + PG, 0, SIGBUS, BUS_ADRERR);
	CHECK_FAULT(s + PG + 1234, 1, SIGBUS, BUS_ADRERR);
	CHECK_FAULT(p + PG + 4095, 0, SIGBUS, BUS_ADRERR);
	CHECK_FAULT(p + PG + 8, 1, SIGBUS, BUS_ADRERR);
	/* writing the tail of the last page does not grow the file */
	s[200] = 'x';
	struct stat st;
	CHECK_EQ(fstat(fd, &st), 0);
	CHECK_EQ(st.st_size, 100);
	char buf[8];
	CHECK_EQ(pread(fd, buf, sizeof(buf), 100), 0);
	munmap(s, 2 * PG);
	munmap(p, 2 * PG);
	close(fd);
	tmp_remove(path);
}

TEST(mmap_ftruncate_shrink_then_touch_cut_page_sigbus)
{
	char path[128];
	int fd = page_file(path, sizeof(path), "trunc", 3);
	char *p = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(p != MAP_FAILED);
	if (p == MAP_FAILED)
		return;
	CHECK(all_bytes(p, PG, 'a') && all_bytes(p + 2 * PG, PG, 'c')); /* all present */
	p[PG + 1] = 'q';
	CHECK_EQ(ftruncate(fd, PG), 0);
	CHECK_NO_FAULT(p + 5, 0);
	CHECK(all_bytes(p, PG, 'a'));
	CHECK_FAULT(p + PG + 1, 0, SIGBUS, BUS_ADRERR);
	CHECK_FAULT(p + 2 * PG + 99, 1, SIGBUS, BUS_ADRERR);
	/* growing the file again brings the pages back, as zeroes */
	CHECK_EQ(ftruncate(fd, 3 * PG), 0);
	CHECK_NO_FAULT(p + PG + 1, 0);
	CHECK(all_bytes(p + PG, 2 * PG, 0));
	munmap(p, 3 * PG);
	close(fd);
	tmp_remove(path);
}

/* ---------------------------------------------------------------- munmap */

TEST(munmap_middle_page_hole_maperr_exact_neighbours_keep_data)
{
	char *p = map_anon(5 * PG);
	CHECK(p != NULL);
	if (!p)
		return;
	for (unsigned long i = 0; i < 5; i++)
		page_fill(p, i, tag(i, 0));
	CHECK_EQ(munmap(p + 2 * PG, PG), 0);
	CHECK_FAULT(p + 2 * PG + 123, 0, SIGSEGV, SEGV_MAPERR);
	CHECK_FAULT(p + 2 * PG, 1, SIGSEGV, SEGV_MAPERR);
	CHECK_FAULT(p + 3 * PG - 1, 1, SIGSEGV, SEGV_MAPERR);
	CHECK(page_is(p, 0, tag(0, 0)));
	CHECK(page_is(p, 1, tag(1, 0)));
	CHECK(page_is(p, 3, tag(3, 0)));
	CHECK(page_is(p, 4, tag(4, 0)));
	/* both halves are still writable mappings */
	CHECK_NO_FAULT(p + 2 * PG - 1, 1);
	CHECK_NO_FAULT(p + 3 * PG, 1);
	munmap(p, 5 * PG);
}

/* One munmap over three VMAs (split by mprotect and a file mapping) and
 * two holes removes everything in its range and nothing else. */
TEST(munmap_spanning_several_vmas_and_holes)
{
	char path[128];
	int fd = page_file(path, sizeof(path), "span", 1);
	char *p = map_anon(10 * PG);
	CHECK(p != NULL && fd >= 0);
	if (!p)
		return;
	for (unsigned long i = 0; i < 10; i++)
		page_fill(p, i, tag(i, 0));
	CHECK_EQ(mprotect(p + 2 * PG, PG, PROT_READ), 0); /* own VMA */
	CHECK_EQ(munmap(p + 4 * PG, PG), 0);              /* a hole */
	CHECK(mmap(p + 5 * PG, PG, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 0) == p + 5 * PG);
	CHECK_EQ(munmap(p + 7 * PG, PG), 0); /* another hole */
	CHECK_EQ(munmap(p + PG, 8 * PG), 0); /* pages 1..8 */
	for (unsigned long i = 1; i <= 8; i++)
		CHECK_FAULT(p + i * PG + 8, 0, SIGSEGV, SEGV_MAPERR);
	CHECK(page_is(p, 0, tag(0, 0)));
	CHECK(page_is(p, 9, tag(9, 0)));
	CHECK_NO_FAULT(p + 9 * PG, 1);
	/* unmapping the holes again is not an error */
	CHECK_EQ(munmap(p + PG, 8 * PG), 0);
	munmap(p, PG);
	munmap(p + 9 * PG, PG);
	close(fd);
	tmp_remove(path);
}

/* ---------------------------------------------------------------- MAP_FIXED */

TEST(mmap_fixed_replaces_middle_of_mapping)
{
	char path[128];
	int fd = page_file(path, sizeof(path), "fixed", 2);
	char *p = map_anon(6 * PG);
	CHECK(p != NULL && fd >= 0);
	if (!p)
		return;
	for (unsigned long i = 0; i < 6; i++)
		page_fill(p, i, tag(i, 0));
	/* anonymous over the middle: the old data there is gone */
	char *q = mmap(p + 2 * PG, PG, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	CHECK(q == p + 2 * PG);
	CHECK(all_bytes(p + 2 * PG, PG, 0));
	/* a file over the next page shows the file */
	q = mmap(p + 3 * PG, PG, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, PG);
	CHECK(q == p + 3 * PG);
	CHECK(all_bytes(p + 3 * PG, PG, 'b'));
	CHECK_FAULT(p + 3 * PG, 1, SIGSEGV, SEGV_ACCERR); /* and its protection */
	/* around them the data is kept */
	CHECK(page_is(p, 0, tag(0, 0)) && page_is(p, 1, tag(1, 0)));
	CHECK(page_is(p, 4, tag(4, 0)) && page_is(p, 5, tag(5, 0)));
	munmap(p, 6 * PG);
	close(fd);
	tmp_remove(path);
}

TEST(mmap_fixed_noreplace_eexist_over_mapping_exact_when_free)
{
	char *p = map_anon(4 * PG);
	CHECK(p != NULL);
	if (!p)
		return;
	page_fill(p, 1, tag(1, 0));
	CHECK_ERRNO(syscall(SYS_mmap, p + PG, PG, PROT_READ,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0),
		    EEXIST);
	/* overlapping only partly is EEXIST too */
	CHECK_ERRNO(syscall(SYS_mmap, p + 3 * PG, 2 * PG, PROT_READ,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0),
		    EEXIST);
	CHECK(page_is(p, 1, tag(1, 0)));
	/* a free range is taken exactly */
	CHECK_EQ(munmap(p + 2 * PG, 2 * PG), 0);
	char *q = mmap(p + 2 * PG, 2 * PG, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	CHECK(q == p + 2 * PG);
	CHECK_NO_FAULT(p + 3 * PG, 1);
	munmap(p, 4 * PG);
}

/* ---------------------------------------------------------------- MAP_POPULATE */

TEST(mmap_populate_prefaults_pages_with_right_contents)
{
	const unsigned long n = 128; /* 512 KiB: no huge page fits */
	char path[128];
	int fd = page_file(path, sizeof(path), "pop", 4);
	/* control: without MAP_POPULATE each first write is a fault */
	char *c = map_anon(n * PG);
	long f0 = minflt_now();
	for (unsigned long i = 0; c && i < n; i++)
		c[i * PG] = 1;
	long control = minflt_now() - f0;
	CHECK(control >= (long)n);
	char *p = mmap(NULL, n * PG, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	CHECK(p != MAP_FAILED);
	if (p == MAP_FAILED)
		return;
	f0 = minflt_now();
	unsigned long nonzero = 0;
	for (unsigned long i = 0; i < n; i++) {
		nonzero += p[i * PG + 77] != 0;
		p[i * PG] = 1;
	}
	long populated = minflt_now() - f0;
	CHECK_EQ(nonzero, 0);
	if (populated >= (long)n / 8) {
		printf("  %ld faults touching %lu populated pages (control: %ld)\n", populated, n,
		       control);
		check_failed_in_test = 1;
	}
	/* a populated file mapping shows the file */
	char *f = mmap(NULL, 4 * PG, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
	CHECK(f != MAP_FAILED);
	if (f != MAP_FAILED) {
		for (int i = 0; i < 4; i++)
			CHECK(all_bytes(f + i * PG, PG, 'a' + i));
		munmap(f, 4 * PG);
	}
	munmap(p, n * PG);
	munmap(c, n * PG);
	close(fd);
	tmp_remove(path);
}

/* ---------------------------------------------------------------- MAP_GROWSDOWN */

/*
 * A MAP_GROWSDOWN mapping grows down when the page below it is touched.
 * The space below is made free first (an 8 MiB reservation, unmapped) so
 * that nothing lies within the stack guard gap.
 */
TEST(mmap_growsdown_grows_when_page_below_is_touched)
{
	const size_t room = 8UL << 20;
	char *r = mmap(NULL, room, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(r != MAP_FAILED);
	if (r == MAP_FAILED)
		return;
	CHECK_EQ(munmap(r, room), 0);
	char *top = r + room - 4 * PG;
	char *p = mmap(top, 4 * PG, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_GROWSDOWN | MAP_FIXED, -1, 0);
	CHECK(p == top);
	if (p != top)
		return;
	p[0] = 'g';
	CHECK(!is_mapped(p - PG));
	CHECK_NO_FAULT(p - 1, 1); /* the page below: the mapping grows */
	CHECK(is_mapped(p - PG));
	CHECK_NO_FAULT(p - PG - 100, 0);
	CHECK_NO_FAULT(p - 3 * PG, 1);
	CHECK(is_mapped(p - 3 * PG));
	char got = 1;
	CHECK_EQ(touch_val(p - 2 * PG, 0, 0, &got), 0);
	CHECK_EQ(got, 0); /* new stack pages read as zero */
	CHECK_EQ(p[0], 'g');
	munmap(p - 3 * PG, 7 * PG);
}

/* It does not grow into the gap above another mapping: the page below is
 * a fault when an accessible mapping ends right under it. */
static int growsdown_blocked(void *arg)
{
	(void)arg;
	const size_t room = 8UL << 20;
	char *r = mmap(NULL, room, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(r != MAP_FAILED);
	if (r == MAP_FAILED)
		return 1;
	char *top = r + room - 4 * PG;
	CHECK(mmap(top, 4 * PG, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_GROWSDOWN | MAP_FIXED, -1, 0) == top);
	/* an accessible mapping below, ending one page under it */
	CHECK(mmap(r, room - 5 * PG, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == r);
	CHECK_EQ(munmap(top - PG, PG), 0);
	CHECK_FAULT(top - PG + 5, 1, SIGSEGV, SEGV_MAPERR);
	CHECK(!is_mapped(top - PG));
	return 0;
}

TEST(mmap_growsdown_does_not_grow_up_to_next_mapping)
{
	CHECK_EXITED(run_child(growsdown_blocked, NULL), 0);
}

/* ---------------------------------------------------------------- errors */

TEST(mmap_einval_cases)
{
	char path[128];
	int fd = page_file(path, sizeof(path), "einval", 1);
	char *p = map_anon(2 * PG);
	const long anon = MAP_PRIVATE | MAP_ANONYMOUS;
	/* length 0 */
	CHECK_ERRNO(syscall(SYS_mmap, 0, 0, PROT_READ, anon, -1, 0), EINVAL);
	CHECK_ERRNO(syscall(SYS_mmap, 0, 0, PROT_READ, MAP_PRIVATE, fd, 0), EINVAL);
	/* MAP_FIXED at an address not page aligned */
	CHECK_ERRNO(syscall(SYS_mmap, p + 1, PG, PROT_READ, anon | MAP_FIXED, -1, 0), EINVAL);
	CHECK_ERRNO(syscall(SYS_mmap, p + 2048, PG, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 0),
		    EINVAL);
	/* an offset not page aligned */
	CHECK_ERRNO(syscall(SYS_mmap, 0, PG, PROT_READ, MAP_PRIVATE, fd, 100), EINVAL);
	CHECK_ERRNO(syscall(SYS_mmap, 0, PG, PROT_READ, MAP_SHARED, fd, 2048), EINVAL);
	/* neither MAP_SHARED nor MAP_PRIVATE */
	CHECK_ERRNO(syscall(SYS_mmap, 0, PG, PROT_READ, MAP_ANONYMOUS, -1, 0), EINVAL);
	CHECK_ERRNO(syscall(SYS_mmap, 0, PG, PROT_READ, 0, fd, 0), EINVAL);
	/* the failed calls changed nothing */
	CHECK_NO_FAULT(p, 1);
	CHECK_NO_FAULT(p + 1, 1);
	munmap(p, 2 * PG);
	close(fd);
	tmp_remove(path);
}

TEST(munmap_einval_cases)
{
	char *p = map_anon(2 * PG);
	CHECK_ERRNO(syscall(SYS_munmap, p + 1, PG), EINVAL);
	CHECK_ERRNO(syscall(SYS_munmap, p + 2048, PG), EINVAL);
	CHECK_ERRNO(syscall(SYS_munmap, p, 0), EINVAL);
	CHECK_ERRNO(syscall(SYS_munmap, p, -PG), EINVAL); /* past the end of memory */
	CHECK_NO_FAULT(p, 1);
	munmap(p, 2 * PG);
}

TEST(mprotect_einval_cases)
{
	char *p = map_anon(2 * PG);
	CHECK_ERRNO(syscall(SYS_mprotect, p + 1, PG, PROT_READ), EINVAL);
	CHECK_ERRNO(syscall(SYS_mprotect, p + 1, 0, PROT_READ), EINVAL);
	/* bits that are not protections */
	CHECK_ERRNO(syscall(SYS_mprotect, p, PG, PROT_READ | 0x10), EINVAL);
	CHECK_ERRNO(syscall(SYS_mprotect, p, PG, 0x80000000UL), EINVAL);
	/* man mprotect: both PROT_GROWSUP and PROT_GROWSDOWN */
	CHECK_ERRNO(syscall(SYS_mprotect, p, PG, PROT_READ | PROT_GROWSDOWN | PROT_GROWSUP),
		    EINVAL);
	/* PROT_GROWSDOWN on a mapping that does not grow down */
	CHECK_ERRNO(syscall(SYS_mprotect, p, PG, PROT_READ | PROT_GROWSDOWN), EINVAL);
	/* nothing changed: still writable */
	CHECK_NO_FAULT(p, 1);
	/* length 0 is fine */
	CHECK_EQ(syscall(SYS_mprotect, p, 0, PROT_READ), 0);
	munmap(p, 2 * PG);
}

TEST(madvise_einval_cases)
{
	char *p = map_anon(2 * PG);
	CHECK_ERRNO(syscall(SYS_madvise, p, PG, 12345), EINVAL);
	CHECK_ERRNO(syscall(SYS_madvise, p, PG, -1), EINVAL);
	CHECK_ERRNO(syscall(SYS_madvise, p, 0, 12345), EINVAL); /* even for length 0 */
	CHECK_ERRNO(syscall(SYS_madvise, p + 1, PG, MADV_NORMAL), EINVAL);
	CHECK_ERRNO(syscall(SYS_madvise, p, -PG, MADV_NORMAL), EINVAL); /* "negative" length */
	CHECK_EQ(syscall(SYS_madvise, p, 0, MADV_NORMAL), 0);
	/* MADV_WIPEONFORK: private anonymous memory only */
	char path[128];
	int fd = page_file(path, sizeof(path), "wipe", 1);
	char *sh = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	char *pf = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	char *sf = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(sh != MAP_FAILED && pf != MAP_FAILED && sf != MAP_FAILED);
	CHECK_ERRNO(syscall(SYS_madvise, sh, PG, MADV_WIPEONFORK), EINVAL);
	CHECK_ERRNO(syscall(SYS_madvise, pf, PG, MADV_WIPEONFORK), EINVAL);
	CHECK_ERRNO(syscall(SYS_madvise, sf, PG, MADV_WIPEONFORK), EINVAL);
	munmap(sh, PG);
	munmap(pf, PG);
	munmap(sf, PG);
	munmap(p, 2 * PG);
	close(fd);
	tmp_remove(path);
}

TEST(msync_einval_cases)
{
	char *p = map_anon(2 * PG);
	CHECK_ERRNO(syscall(SYS_msync, p, PG, 8), EINVAL);
	CHECK_ERRNO(syscall(SYS_msync, p, PG, 0x100), EINVAL);
	CHECK_ERRNO(syscall(SYS_msync, p, PG, MS_SYNC | MS_ASYNC), EINVAL);
	CHECK_ERRNO(syscall(SYS_msync, p + 1, PG, MS_SYNC), EINVAL);
	CHECK_EQ(syscall(SYS_msync, p, PG, MS_SYNC), 0);
	CHECK_EQ(syscall(SYS_msync, p, PG, MS_ASYNC | MS_INVALIDATE), 0);
	CHECK_EQ(syscall(SYS_msync, p, 0, MS_SYNC), 0);
	munmap(p, 2 * PG);
}

TEST(enomem_for_unmapped_ranges_and_absurd_lengths)
{
	char *p = map_anon(3 * PG);
	CHECK_EQ(munmap(p + PG, PG), 0);
	/* wholly unmapped */
	CHECK_ERRNO(syscall(SYS_mprotect, p + PG, PG, PROT_READ), ENOMEM);
	CHECK_ERRNO(syscall(SYS_madvise, p + PG, PG, MADV_NORMAL), ENOMEM);
	CHECK_ERRNO(syscall(SYS_madvise, p + PG, PG, MADV_DONTNEED), ENOMEM);
	CHECK_ERRNO(syscall(SYS_msync, p + PG, PG, MS_SYNC), ENOMEM);
	/* partly unmapped: a hole in the middle */
	CHECK_ERRNO(syscall(SYS_mprotect, p, 3 * PG, PROT_READ), ENOMEM);
	CHECK_ERRNO(syscall(SYS_madvise, p, 3 * PG, MADV_NORMAL), ENOMEM);
	CHECK_ERRNO(syscall(SYS_msync, p, 3 * PG, MS_ASYNC), ENOMEM);
	/* absurd lengths */
	CHECK_ERRNO(syscall(SYS_mmap, 0, 1UL << 62, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
		    ENOMEM);
	CHECK_ERRNO(syscall(SYS_mmap, 0, -PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
		    ENOMEM);
	CHECK_ERRNO(syscall(SYS_mmap, 0, -1UL, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
		    ENOMEM);
	CHECK_ERRNO(syscall(SYS_mprotect, p, -PG, PROT_READ), ENOMEM);
	CHECK_ERRNO(syscall(SYS_msync, p, -PG, MS_SYNC), ENOMEM);
	/* MAP_FIXED reaching past the top of user space */
	CHECK_ERRNO(syscall(SYS_mmap, 0x7ffffffff000UL, 2 * PG, PROT_READ,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0),
		    ENOMEM);
	munmap(p, 3 * PG);
}

TEST(mmap_eacces_cases)
{
	char path[128];
	int fd = page_file(path, sizeof(path), "eacces", 1);
	int ro = open(path, O_RDONLY), wo = open(path, O_WRONLY);
	CHECK(fd >= 0 && ro >= 0 && wo >= 0);
	/* MAP_SHARED + PROT_WRITE needs a file open for reading and writing */
	CHECK_ERRNO(syscall(SYS_mmap, 0, PG, PROT_READ | PROT_WRITE, MAP_SHARED, ro, 0), EACCES);
	CHECK_ERRNO(syscall(SYS_mmap, 0, PG, PROT_WRITE, MAP_SHARED, ro, 0), EACCES);
	/* every mapping needs a file open for reading */
	CHECK_ERRNO(syscall(SYS_mmap, 0, PG, PROT_READ, MAP_PRIVATE, wo, 0), EACCES);
	CHECK_ERRNO(syscall(SYS_mmap, 0, PG, PROT_READ, MAP_SHARED, wo, 0), EACCES);
	CHECK_ERRNO(syscall(SYS_mmap, 0, PG, PROT_READ | PROT_WRITE, MAP_SHARED, wo, 0), EACCES);
	/* a shared read-only mapping of a read-only fd cannot become writable */
	char *s = mmap(NULL, PG, PROT_READ, MAP_SHARED, ro, 0);
	CHECK(s != MAP_FAILED);
	if (s != MAP_FAILED) {
		CHECK_ERRNO(syscall(SYS_mprotect, s, PG, PROT_READ | PROT_WRITE), EACCES);
		CHECK_FAULT(s, 1, SIGSEGV, SEGV_ACCERR);
		munmap(s, PG);
	}
	/* but a private one can */
	char *p = mmap(NULL, PG, PROT_READ, MAP_PRIVATE, ro, 0);
	CHECK(p != MAP_FAILED);
	if (p != MAP_FAILED) {
		CHECK_EQ(mprotect(p, PG, PROT_READ | PROT_WRITE), 0);
		CHECK_NO_FAULT(p, 1);
		munmap(p, PG);
	}
	close(ro);
	close(wo);
	close(fd);
	tmp_remove(path);
}

TEST(mmap_ebadf_bad_fd_without_map_anonymous)
{
	CHECK_ERRNO(syscall(SYS_mmap, 0, PG, PROT_READ, MAP_PRIVATE, 9999, 0), EBADF);
	CHECK_ERRNO(syscall(SYS_mmap, 0, PG, PROT_READ, MAP_PRIVATE, -1, 0), EBADF);
	CHECK_ERRNO(syscall(SYS_mmap, 0, PG, PROT_READ, MAP_SHARED, 9999, 0), EBADF);
	int fd = open("/dev/null", O_RDONLY);
	close(fd);
	CHECK_ERRNO(syscall(SYS_mmap, 0, PG, PROT_READ, MAP_PRIVATE, fd, 0), EBADF); /* closed */
	/* with MAP_ANONYMOUS the fd is ignored */
	long r = syscall(SYS_mmap, 0, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, 9999, 0);
	CHECK(r != -1);
	if (r != -1)
		munmap((void *)r, PG);
}

TEST(mmap_enodev_pipe_and_directory)
{
	int p[2];
	CHECK_EQ(pipe(p), 0);
	CHECK_ERRNO(syscall(SYS_mmap, 0, PG, PROT_READ, MAP_PRIVATE, p[0], 0), ENODEV);
	CHECK_ERRNO(syscall(SYS_mmap, 0, PG, PROT_READ, MAP_SHARED, p[0], 0), ENODEV);
	close(p[0]);
	close(p[1]);
	int d = open("/tmp", O_RDONLY | O_DIRECTORY);
	CHECK(d >= 0);
	CHECK_ERRNO(syscall(SYS_mmap, 0, PG, PROT_READ, MAP_PRIVATE, d, 0), ENODEV);
	CHECK_ERRNO(syscall(SYS_mmap, 0, PG, PROT_READ, MAP_SHARED, d, 0), ENODEV);
	close(d);
}

TEST(mmap_eoverflow_offset_plus_length_past_largest_file)
{
	char path[128];
	int fd = page_file(path, sizeof(path), "eoverflow", 1);
	/* the last page a file can have, and two pages from it */
	CHECK_ERRNO(syscall(SYS_mmap, 0, 2 * PG, PROT_READ, MAP_PRIVATE, fd, 0x7ffffffffffff000L),
		    EOVERFLOW);
	CHECK_ERRNO(syscall(SYS_mmap, 0, 3 * PG, PROT_READ, MAP_SHARED, fd, 0x7fffffffffffe000L),
		    EOVERFLOW);
	/* an offset that wraps around (off_t -4096) */
	CHECK_ERRNO(syscall(SYS_mmap, 0, 2 * PG, PROT_READ, MAP_PRIVATE, fd, -4096L), EOVERFLOW);
	/* a large offset that fits is fine (the pages past the end of the
	 * file would be SIGBUS) */
	long r = syscall(SYS_mmap, 0, PG, PROT_READ, MAP_PRIVATE, fd, 1L << 40);
	CHECK(r != -1);
	if (r != -1)
		munmap((void *)r, PG);
	close(fd);
	tmp_remove(path);
}

TEST(mmap_shared_validate_unknown_flag_eopnotsupp)
{
	char path[128];
	int fd = page_file(path, sizeof(path), "validate", 1);
	CHECK_ERRNO(
	    syscall(SYS_mmap, 0, PG, PROT_READ, MAP_SHARED_VALIDATE | MAP_UNKNOWN_FLAG, fd, 0),
	    EOPNOTSUPP);
	/* MAP_SHARED ignores the same flag */
	long r = syscall(SYS_mmap, 0, PG, PROT_READ, MAP_SHARED | MAP_UNKNOWN_FLAG, fd, 0);
	CHECK(r != -1);
	if (r != -1)
		munmap((void *)r, PG);
	/* and MAP_SHARED_VALIDATE with known flags is MAP_SHARED */
	char *p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED_VALIDATE, fd, 0);
	CHECK(p != MAP_FAILED);
	if (p != MAP_FAILED) {
		p[0] = 'V';
		char c = 0;
		CHECK_EQ(pread(fd, &c, 1, 0), 1);
		CHECK_EQ(c, 'V');
		munmap(p, PG);
	}
	close(fd);
	tmp_remove(path);
}

/* count_maps_lines_in: how many /proc/self/maps lines overlap [lo, hi) */
static int count_maps_lines_in(uintptr_t lo, uintptr_t hi)
{
	char line[512];
	int n = 0;
	FILE *f = fopen("/proc/self/maps", "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		unsigned long a, b;
		if (sscanf(line, "%lx-%lx", &a, &b) == 2 && a < hi && b > lo)
			n++;
	}
	fclose(f);
	return n;
}

TEST(mprotect_split_then_merge_back)
{
	char *p = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(p != MAP_FAILED);
	uintptr_t lo = (uintptr_t)p, hi = lo + 3 * PG;
	p[0] = p[PG] = p[2 * PG] = 5;
	CHECK_EQ(count_maps_lines_in(lo, hi), 1);
	CHECK_EQ(mprotect(p + PG, PG, PROT_READ), 0);
	CHECK_EQ(count_maps_lines_in(lo, hi), 3); /* split around the middle page */
	CHECK_EQ(mprotect(p + PG, PG, PROT_READ | PROT_WRITE), 0);
	CHECK_EQ(count_maps_lines_in(lo, hi), 1); /* merged back into one */
	p[PG] = 6;                                /* and writable again */
	CHECK_EQ(p[0] + p[PG] + p[2 * PG], 16);
	munmap(p, 3 * PG);
}

static int write_first_byte(void *arg)
{
	*(volatile char *)arg = 1;
	return 0;
}

/* mprotect across a hole: Linux changes the VMAs before the hole, then says ENOMEM */
TEST(mprotect_over_a_hole_changes_the_part_before_it)
{
	char *p = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(p != MAP_FAILED);
	p[0] = p[2 * PG] = 1;
	CHECK_EQ(munmap(p + PG, PG), 0);
	CHECK_ERRNO(syscall(SYS_mprotect, p, 3 * PG, PROT_READ), ENOMEM);
	CHECK_SIGNALED(run_child(write_first_byte, p), SIGSEGV);  /* read-only now */
	CHECK_EXITED(run_child(write_first_byte, p + 2 * PG), 0); /* past the hole: unchanged */
	/* a hole at the start: nothing changes */
	CHECK_ERRNO(syscall(SYS_mprotect, p + PG, 2 * PG, PROT_READ), ENOMEM);
	CHECK_EXITED(run_child(write_first_byte, p + 2 * PG), 0);
	munmap(p, 3 * PG);
}

RUN_TESTS(mmap, CASE(mprotect_over_a_hole_changes_the_part_before_it),
	  CASE(mprotect_split_then_merge_back), CASE(mmap_private_file_writes_never_reach_the_file),
	  CASE(mmap_private_writable_of_read_only_fd_works_and_keeps_file),
	  CASE(mmap_shared_file_writes_reach_file_and_file_writes_reach_mapping),
	  CASE(mmap_shared_file_mapping_shared_across_fork),
	  CASE(mmap_past_eof_zero_tail_then_sigbus_with_exact_address),
	  CASE(mmap_ftruncate_shrink_then_touch_cut_page_sigbus),
	  CASE(munmap_middle_page_hole_maperr_exact_neighbours_keep_data),
	  CASE(munmap_spanning_several_vmas_and_holes), CASE(mmap_fixed_replaces_middle_of_mapping),
	  CASE(mmap_fixed_noreplace_eexist_over_mapping_exact_when_free),
	  CASE(mmap_populate_prefaults_pages_with_right_contents),
	  CASE(mmap_growsdown_grows_when_page_below_is_touched),
	  CASE(mmap_growsdown_does_not_grow_up_to_next_mapping), CASE(mmap_einval_cases),
	  CASE(munmap_einval_cases), CASE(mprotect_einval_cases), CASE(madvise_einval_cases),
	  CASE(msync_einval_cases), CASE(enomem_for_unmapped_ranges_and_absurd_lengths),
	  CASE(mmap_eacces_cases), CASE(mmap_ebadf_bad_fd_without_map_anonymous),
	  CASE(mmap_enodev_pipe_and_directory),
	  CASE(mmap_eoverflow_offset_plus_length_past_largest_file),
	  CASE(mmap_shared_validate_unknown_flag_eopnotsupp))
