/*
 * cow.c - copy-on-write after fork, the zero page, madvise's fork and
 * DONTNEED advice, and the stack's growth and guard.
 *
 * After fork(2) each process has its own copy of every private page: a
 * write by one (from user mode or by the kernel, as read(2) does) is never
 * seen by the other, however the pages were shared underneath, and however
 * mprotect(2) changed them. Processes take turns through pipes so that each
 * write is known to have happened before the other side looks. Page
 * contents are tagged with page_fill()/page_is() (vmtest.h).
 */
#define _GNU_SOURCE
#include "check.h"
#include "testutil.h"
#include "vmtest.h"

/* wait for a child with blocking wait4 (for deep process trees, where
 * every level polling with wait_timeout would slow everything down) */
static int wait_blocking(pid_t pid)
{
	int st;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return st;
}

/* count the pages of [first, last) (step 2 if `every_other`) not tagged gen */
static unsigned long pages_not(const char *p, unsigned long first, unsigned long last,
			       unsigned long step, unsigned gen)
{
	unsigned long bad = 0;
	for (unsigned long i = first; i < last; i += step)
		bad += !page_is(p, i, tag(i, gen));
	return bad;
}

/* ---------------------------------------------------------------- both directions */

#define BIG_PAGES 4096UL

TEST(cow_writes_after_fork_stay_private_both_ways_4096_pages)
{
	char *p = map_anon(BIG_PAGES * PG);
	int to_child[2], to_parent[2];
	CHECK(p != NULL);
	if (!p)
		return;
	for (unsigned long i = 0; i < BIG_PAGES; i++)
		page_fill(p, i, tag(i, 0));
	CHECK_EQ(pipe(to_child), 0);
	CHECK_EQ(pipe(to_parent), 0);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		/* the child writes the even pages */
		for (unsigned long i = 0; i < BIG_PAGES; i += 2)
			page_fill(p, i, tag(i, 1));
		unsigned long own = pages_not(p, 0, BIG_PAGES, 2, 1);
		unsigned long parents = pages_not(p, 1, BIG_PAGES, 2, 0);
		if (own || parents)
			printf("  child, after its writes: %lu of its pages wrong, %lu of the "
			       "parent's\n",
			       own, parents);
		send_byte(to_parent[1], 'w');
		recv_byte(to_child[0]); /* the parent has written the odd pages */
		unsigned long own2 = pages_not(p, 0, BIG_PAGES, 2, 1);
		unsigned long parents2 = pages_not(p, 1, BIG_PAGES, 2, 0);
		if (own2 || parents2)
			printf("  child, after the parent's writes: %lu of its pages wrong, %lu "
			       "odd pages not the pre-fork data\n",
			       own2, parents2);
		fflush(stdout);
		_exit(own || parents || own2 || parents2 ? 1 : 0);
	}
	CHECK(pid > 0);
	CHECK_EQ(recv_byte(to_parent[0]), 'w');
	/* the child's writes are not ours */
	CHECK_EQ(pages_not(p, 0, BIG_PAGES, 1, 0), 0);
	/* the parent writes the odd pages, after the fork */
	for (unsigned long i = 1; i < BIG_PAGES; i += 2)
		page_fill(p, i, tag(i, 2));
	CHECK_EQ(pages_not(p, 0, BIG_PAGES, 2, 0), 0);
	CHECK_EQ(pages_not(p, 1, BIG_PAGES, 2, 2), 0);
	CHECK_EQ(send_byte(to_child[1], 'g'), 0);
	CHECK_EXITED(wait_timeout(pid, 30000), 0);
	/* and after the child's exit */
	CHECK_EQ(pages_not(p, 0, BIG_PAGES, 2, 0), 0);
	CHECK_EQ(pages_not(p, 1, BIG_PAGES, 2, 2), 0);
	close(to_child[0]);
	close(to_child[1]);
	close(to_parent[0]);
	close(to_parent[1]);
	munmap(p, BIG_PAGES * PG);
}

/* ---------------------------------------------------------------- nested forks */

/*
 * Level L (0 is the test itself) writes page L, and the shared scratch
 * page, then forks level L+1, which checks what it inherited and does the
 * same. Each level's view: pages 0..L hold their writers' data, pages above
 * L still the first fill, the scratch page its own value; it checks that on
 * entry (what it inherited), after its writes and after its child exited
 * (none of the descendants' writes may show). Returns 0 or the level at
 * which something was wrong.
 */
#define NEST_DEPTH   10
#define NEST_SCRATCH (NEST_DEPTH + 1)
#define NEST_PAGES   (NEST_DEPTH + 2)

/* pages 0..upto written (generation 1), the rest not (0); scratch by `upto` */
static int nest_view_ok(const char *p, int upto)
{
	for (int j = 0; j <= NEST_DEPTH; j++)
		if (!page_is(p, j, tag(j, j <= upto ? 1 : 0)))
			return 0;
	return page_is(p, NEST_SCRATCH, tag(NEST_SCRATCH, 10 + upto));
}

static int nest_level(char *p, int level)
{
	if (level > 0 && !nest_view_ok(p, level - 1)) {
		printf("  level %d: inherited view wrong\n", level);
		return level;
	}
	page_fill(p, level, tag(level, 1));
	page_fill(p, NEST_SCRATCH, tag(NEST_SCRATCH, 10 + level));
	if (!nest_view_ok(p, level)) {
		printf("  level %d: own writes not seen\n", level);
		return level;
	}
	if (level == NEST_DEPTH)
		return 0;
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		int r = nest_level(p, level + 1);
		fflush(stdout);
		_exit(r);
	}
	if (pid < 0) {
		printf("  level %d: fork failed: %s\n", level, strerror(errno));
		return level;
	}
	int st = wait_blocking(pid);
	if (!nest_view_ok(p, level)) {
		printf("  level %d: a descendant's writes showed up\n", level);
		return level;
	}
	if (st == -1 || !WIFEXITED(st)) {
		printf("  level %d: child %s\n", level, describe_status(st));
		return level + 1;
	}
	return WEXITSTATUS(st);
}

TEST(cow_nested_forks_depth_10_each_keeps_its_view)
{
	char *p = map_anon(NEST_PAGES * PG);
	CHECK(p != NULL);
	if (!p)
		return;
	for (unsigned long i = 0; i < NEST_PAGES; i++)
		page_fill(p, i, tag(i, 0));
	CHECK_EQ(nest_level(p, 0), 0);
	munmap(p, NEST_PAGES * PG);
}

/* ---------------------------------------------------------------- fork chain */

/*
 * 100 processes, each the child of the one before: each checks what it
 * inherited, forks the next, then writes (while its child runs), waits and
 * checks its own data is intact. Page 0 is written before the fork (the
 * child must see it), page 1 after it (the child must not).
 */
#define CHAIN_LEN 100

static int chain_level(char *p, int level)
{
	if (level > 0) {
		int pre_ok = page_is(p, 0, tag(0, level - 1));
		/* every ancestor wrote page 1 only after its fork */
		int post_ok = page_is(p, 1, tag(1, 200));
		if (!pre_ok || !post_ok) {
			printf("  level %d: inherited %s page wrong\n", level,
			       !pre_ok ? "pre-fork" : "post-fork");
			return level;
		}
	}
	page_fill(p, 0, tag(0, level));
	if (level == CHAIN_LEN)
		return 0;
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		int r = chain_level(p, level + 1);
		fflush(stdout);
		_exit(r);
	}
	if (pid < 0) {
		printf("  level %d: fork failed: %s\n", level, strerror(errno));
		return level;
	}
	page_fill(p, 1, tag(1, level));
	int st = wait_blocking(pid);
	if (!page_is(p, 0, tag(0, level)) || !page_is(p, 1, tag(1, level))) {
		printf("  level %d: a descendant's write showed up\n", level);
		return level;
	}
	if (st == -1 || !WIFEXITED(st)) {
		printf("  level %d: child %s\n", level, describe_status(st));
		return level + 1 > 255 ? 255 : level + 1;
	}
	return WEXITSTATUS(st);
}

static int chain_top(void *arg)
{
	char *p = arg;
	return chain_level(p, 0);
}

TEST(cow_fork_chain_100_deep_all_statuses_zero)
{
	char *p = map_anon(2 * PG);
	CHECK(p != NULL);
	if (!p)
		return;
	page_fill(p, 1, tag(1, 200));
	/* in a child, so that a hang is cut off by wait_timeout */
	pid_t pid = fork_child(chain_top, p);
	CHECK(pid > 0);
	CHECK_EXITED(wait_timeout(pid, 60000), 0);
	munmap(p, 2 * PG);
}

/* ---------------------------------------------------------------- no eager copy */

/*
 * A process holding two thirds of RAM forks five times; each child writes
 * one page and exits. If fork copied the memory there would be no room for
 * the copy. On Linux the size is capped at 256 MiB, which proves the test
 * and keeps it quick.
 */
TEST(cow_fork_of_process_using_two_thirds_of_ram_succeeds)
{
	long long total_kb = meminfo_kb("MemTotal");
	CHECK(total_kb > 0);
	if (total_kb <= 0)
		return;
	size_t len = ((size_t)total_kb * 1024 / 3 * 2) & ~(PG - 1);
	if (!is_moo() && len > (256UL << 20))
		len = 256UL << 20;
	unsigned long pages = len / PG;
	char *p = map_anon(len);
	CHECK(p != NULL);
	if (!p)
		return;
	for (unsigned long i = 0; i < pages; i++)
		*(volatile unsigned long *)(p + i * PG) = i ^ 0x5a5a5a5a;
	for (int round = 0; round < 5; round++) {
		fflush(stdout);
		pid_t pid = fork();
		if (pid == 0) {
			unsigned long i = pages / 5 * round;
			*(volatile unsigned long *)(p + i * PG) = 1;
			_exit(0);
		}
		if (pid < 0) {
			printf("  fork %d of a %lu MiB process failed: %s\n", round, len >> 20,
			       strerror(errno));
			check_failed_in_test = 1;
			break;
		}
		CHECK_EXITED(wait_timeout(pid, 30000), 0);
	}
	unsigned long bad = 0;
	for (unsigned long i = 0; i < pages; i++)
		bad += *(volatile unsigned long *)(p + i * PG) != (i ^ 0x5a5a5a5a);
	CHECK_EQ(bad, 0);
	munmap(p, len);
}

/* ---------------------------------------------------------------- reuse */

/* Once the child has gone the parent is the pages' only user: its writes
 * work and keep the rest of each page. */
TEST(cow_write_after_child_exit_keeps_data)
{
	const unsigned long n = 64;
	char *p = map_anon(n * PG);
	CHECK(p != NULL);
	if (!p)
		return;
	for (unsigned long i = 0; i < n; i++)
		page_fill(p, i, tag(i, 0));
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		for (unsigned long i = 0; i < n; i += 4) /* some copied, some not */
			page_fill(p, i, tag(i, 1));
		_exit(0);
	}
	CHECK(pid > 0);
	CHECK_EXITED(wait_timeout(pid, 10000), 0);
	unsigned long bad = 0;
	for (unsigned long i = 0; i < n; i++) {
		volatile uint64_t *w = (volatile uint64_t *)(p + i * PG);
		w[100] = i * 7 + 3;
		bad += !page_is(p, i, tag(i, 0)) || w[100] != i * 7 + 3;
	}
	CHECK_EQ(bad, 0);
	munmap(p, n * PG);
}

/* ---------------------------------------------------------------- zero page */

TEST(cow_fresh_anonymous_memory_reads_zero_then_writes_stay_per_page)
{
	const unsigned long n = 1024;
	char *p = map_anon(n * PG);
	CHECK(p != NULL);
	if (!p)
		return;
	unsigned long nonzero = 0;
	for (unsigned long i = 0; i < n * PG / 8; i++)
		nonzero += ((volatile uint64_t *)p)[i] != 0;
	CHECK_EQ(nonzero, 0);
	/* every page now reads; writes must land in that page only */
	for (unsigned long i = 0; i < n; i++)
		((volatile uint64_t *)(p + i * PG))[i % 512] = i + 1;
	unsigned long bad = 0;
	for (unsigned long i = 0; i < n; i++)
		for (unsigned long w = 0; w < 512; w++)
			bad += ((volatile uint64_t *)(p + i * PG))[w] != (w == i % 512 ? i + 1 : 0);
	CHECK_EQ(bad, 0);
	/* and memory mapped afterwards still reads as zero */
	char *q = map_anon(n * PG);
	CHECK(q != NULL);
	if (q) {
		nonzero = 0;
		for (unsigned long i = 0; i < n * PG / 8; i++)
			nonzero += ((volatile uint64_t *)q)[i] != 0;
		CHECK_EQ(nonzero, 0);
		munmap(q, n * PG);
	}
	munmap(p, n * PG);
}

/* ---------------------------------------------------------------- the kernel writes */

#define PIPE_BUF_PAGES 4

static int all_bytes(const char *p, size_t len, char c)
{
	for (size_t i = 0; i < len; i++)
		if (p[i] != c)
			return 0;
	return 1;
}

/* read(2) into a COW-shared buffer: the kernel's write must break the
 * sharing as a user write does. Both processes read into pages they have
 * not touched since the fork, across a page boundary. */
TEST(cow_read_from_pipe_into_shared_buffer_is_private)
{
	const size_t len = PIPE_BUF_PAGES * PG;
	char d1[300], d2[300];
	int a[2], b[2], c[2], d[2];
	char *buf = map_anon(len);
	CHECK(buf != NULL);
	if (!buf)
		return;
	memset(buf, 'P', len);
	for (int i = 0; i < 300; i++) {
		d1[i] = (char)('a' + i % 26);
		d2[i] = (char)('A' + i % 26);
	}
	CHECK(pipe(a) == 0 && pipe(b) == 0 && pipe(c) == 0 && pipe(d) == 0);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		int bad = 0;
		if (read_full(a[0], buf + 4000, 300) != 300) /* pages 0 and 1 */
			bad |= 1;
		bad |= memcmp(buf + 4000, d1, 300) != 0 ? 2 : 0;
		send_byte(c[1], 'r');
		bad |= write_all(b[1], d2, 300) != 0 ? 4 : 0;
		recv_byte(d[0]); /* the parent has read d2 into its buffer */
		bad |= !all_bytes(buf, 4000, 'P') ? 8 : 0;
		bad |= memcmp(buf + 4000, d1, 300) != 0 ? 16 : 0;
		bad |= !all_bytes(buf + 4300, len - 4300, 'P') ? 32 : 0;
		_exit(bad);
	}
	CHECK(pid > 0);
	CHECK_EQ(write_all(a[1], d1, 300), 0);
	CHECK_EQ(recv_byte(c[0]), 'r');
	CHECK(all_bytes(buf, len, 'P'));                         /* the child's read is not ours */
	CHECK_EQ(read_full(b[0], buf + 3 * PG - 100, 300), 300); /* pages 2 and 3 */
	CHECK(memcmp(buf + 3 * PG - 100, d2, 300) == 0);
	CHECK_EQ(send_byte(d[1], 'g'), 0);
	CHECK_EXITED(wait_timeout(pid, 10000), 0);
	CHECK(all_bytes(buf, 3 * PG - 100, 'P'));
	CHECK(all_bytes(buf + 3 * PG + 200, PG - 200, 'P'));
	int fds[8] = {a[0], a[1], b[0], b[1], c[0], c[1], d[0], d[1]};
	for (int i = 0; i < 8; i++)
		close(fds[i]);
	munmap(buf, len);
}

/* write(2) from a COW-shared buffer sends what the writer sees. */
TEST(cow_write_to_pipe_from_shared_buffer_sends_own_bytes)
{
	const size_t len = 3 * PG;
	int a[2], b[2], go[2];
	char *buf = map_anon(len);
	char *got = map_anon(len);
	CHECK(buf != NULL && got != NULL);
	if (!buf || !got)
		return;
	memset(buf, 'A', len);
	CHECK(pipe(a) == 0 && pipe(b) == 0 && pipe(go) == 0);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		int bad = 0;
		recv_byte(go[0]); /* the parent has overwritten its copy */
		bad |= write_all(a[1], buf, len) != 0 ? 1 : 0;
		bad |= read_full(b[0], got, len) != len ? 2 : 0;
		bad |= !all_bytes(got, len, 'B') ? 4 : 0;
		bad |= !all_bytes(buf, len, 'A') ? 8 : 0;
		_exit(bad);
	}
	CHECK(pid > 0);
	memset(buf, 'B', len);
	CHECK_EQ(send_byte(go[1], 'g'), 0);
	CHECK_EQ(read_full(a[0], got, len), len);
	CHECK(all_bytes(got, len, 'A'));
	CHECK_EQ(write_all(b[1], buf, len), 0);
	CHECK_EXITED(wait_timeout(pid, 10000), 0);
	CHECK(all_bytes(buf, len, 'B'));
	int fds[6] = {a[0], a[1], b[0], b[1], go[0], go[1]};
	for (int i = 0; i < 6; i++)
		close(fds[i]);
	munmap(buf, len);
	munmap(got, len);
}

/* ---------------------------------------------------------------- mprotect */

/*
 * mprotect(PROT_READ) then mprotect(PROT_READ|PROT_WRITE) after fork must
 * not make a page the other process still uses writable in place: the
 * write still goes through a private copy. Tried from each side.
 */
static void mprotect_after_fork(int writer_is_child)
{
	const unsigned long n = 16;
	char *p = map_anon(n * PG);
	int go[2], done[2];
	CHECK(p != NULL);
	if (!p)
		return;
	for (unsigned long i = 0; i < n; i++)
		page_fill(p, i, tag(i, 0));
	CHECK(pipe(go) == 0 && pipe(done) == 0);
	fflush(stdout);
	pid_t pid = fork();
	int writer = writer_is_child ? pid == 0 : pid > 0;
	if (writer) {
		int bad = 0;
		bad |= mprotect(p, n * PG, PROT_READ) != 0;
		bad |= mprotect(p, n * PG, PROT_READ | PROT_WRITE) != 0;
		for (unsigned long i = 0; i < n; i++)
			page_fill(p, i, tag(i, 1));
		bad |= pages_not(p, 0, n, 1, 1) != 0;
		send_byte(done[1], 'w');
		recv_byte(go[0]);
		if (pid == 0)
			_exit(bad);
		CHECK_EQ(bad, 0);
	} else {
		unsigned long unchanged_before = pages_not(p, 0, n, 1, 0);
		recv_byte(done[0]);
		unsigned long changed = pages_not(p, 0, n, 1, 0);
		send_byte(go[1], 'g');
		if (pid == 0)
			_exit(unchanged_before || changed ? 1 : 0);
		CHECK_EQ(changed, 0);
	}
	if (pid > 0)
		CHECK_EXITED(wait_timeout(pid, 10000), 0);
	close(go[0]);
	close(go[1]);
	close(done[0]);
	close(done[1]);
	munmap(p, n * PG);
}

TEST(cow_parent_mprotect_rw_after_fork_does_not_write_through_to_child)
{
	mprotect_after_fork(0);
}

TEST(cow_child_mprotect_rw_after_fork_does_not_write_through_to_parent)
{
	mprotect_after_fork(1);
}

/* ---------------------------------------------------------------- madvise */

TEST(madv_dontneed_private_anonymous_reads_zero_again)
{
	const unsigned long n = 8;
	char *p = map_anon(n * PG);
	CHECK(p != NULL);
	if (!p)
		return;
	for (unsigned long i = 0; i < n; i++)
		page_fill(p, i, tag(i, 0));
	CHECK_EQ(madvise(p + 2 * PG, 3 * PG, MADV_DONTNEED), 0);
	CHECK(page_is(p, 0, tag(0, 0)) && page_is(p, 1, tag(1, 0)));
	for (unsigned long i = 2; i < 5; i++)
		CHECK(all_bytes(p + i * PG, PG, 0));
	for (unsigned long i = 5; i < n; i++)
		CHECK(page_is(p, i, tag(i, 0)));
	/* the range is still mapped and writable */
	page_fill(p, 3, tag(3, 1));
	CHECK(page_is(p, 3, tag(3, 1)));
	munmap(p, n * PG);
}

/* After fork the pages are shared: DONTNEED in the parent drops only the
 * parent's view; the child's data stays. */
TEST(madv_dontneed_after_fork_leaves_child_data)
{
	const unsigned long n = 8;
	char *p = map_anon(n * PG);
	int go[2];
	CHECK(p != NULL);
	if (!p)
		return;
	for (unsigned long i = 0; i < n; i++)
		page_fill(p, i, tag(i, 0));
	CHECK_EQ(pipe(go), 0);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		recv_byte(go[0]);
		_exit(pages_not(p, 0, n, 1, 0) ? 1 : 0);
	}
	CHECK(pid > 0);
	CHECK_EQ(madvise(p, n * PG, MADV_DONTNEED), 0);
	CHECK(all_bytes(p, n * PG, 0));
	CHECK_EQ(send_byte(go[1], 'g'), 0);
	CHECK_EXITED(wait_timeout(pid, 10000), 0);
	close(go[0]);
	close(go[1]);
	munmap(p, n * PG);
}

/* what a child sees of 8 pages filled with tag(i, 0): bit i set = page i
 * must read as zero, clear = must hold its data */
struct fork_view {
	char *p;
	unsigned wiped;
};

static int check_fork_view(void *arg)
{
	struct fork_view *v = arg;
	for (unsigned long i = 0; i < 8; i++) {
		int ok = v->wiped & (1u << i) ? all_bytes(v->p + i * PG, PG, 0)
					      : page_is(v->p, i, tag(i, 0));
		if (!ok) {
			printf("  child: page %lu %s\n", i,
			       v->wiped & (1u << i) ? "not wiped" : "lost its data");
			return 1;
		}
	}
	/* the wiped memory is still there, and writable */
	page_fill(v->p, 0, tag(0, 1));
	return page_is(v->p, 0, tag(0, 1)) ? 0 : 2;
}

TEST(madv_wipeonfork_child_sees_zero_parent_keeps_data_keeponfork_undoes)
{
	const unsigned long n = 8;
	char *p = map_anon(n * PG);
	CHECK(p != NULL);
	if (!p)
		return;
	for (unsigned long i = 0; i < n; i++)
		page_fill(p, i, tag(i, 0));
	CHECK_EQ(madvise(p, n * PG, MADV_WIPEONFORK), 0);
	struct fork_view all = {p, 0xff}, none = {p, 0}, mid = {p, 0x0c};
	CHECK_EXITED(run_child(check_fork_view, &all), 0);
	CHECK_EQ(pages_not(p, 0, n, 1, 0), 0);
	CHECK_EQ(madvise(p, n * PG, MADV_KEEPONFORK), 0);
	CHECK_EXITED(run_child(check_fork_view, &none), 0);
	CHECK_EQ(pages_not(p, 0, n, 1, 0), 0);
	/* part of the range: the advice covers those pages only */
	CHECK_EQ(madvise(p + 2 * PG, 2 * PG, MADV_WIPEONFORK), 0);
	CHECK_EXITED(run_child(check_fork_view, &mid), 0);
	CHECK_EQ(pages_not(p, 0, n, 1, 0), 0);
	munmap(p, n * PG);
}

static int dontfork_child(void *arg)
{
	char *p = arg;
	CHECK_FAULT(p + 10, 0, SIGSEGV, SEGV_MAPERR);
	CHECK_FAULT(p + 3 * PG + 5, 1, SIGSEGV, SEGV_MAPERR);
	CHECK(!is_mapped(p));
	return 0;
}

static int dofork_child(void *arg)
{
	char *p = arg;
	CHECK_EQ(pages_not(p, 0, 4, 1, 0), 0);
	return 0;
}

TEST(madv_dontfork_range_absent_in_child_dofork_undoes)
{
	char *p = map_anon(4 * PG);
	CHECK(p != NULL);
	if (!p)
		return;
	for (unsigned long i = 0; i < 4; i++)
		page_fill(p, i, tag(i, 0));
	CHECK_EQ(madvise(p, 4 * PG, MADV_DONTFORK), 0);
	CHECK_EXITED(run_child(dontfork_child, p), 0);
	CHECK_EQ(pages_not(p, 0, 4, 1, 0), 0); /* the parent keeps it */
	CHECK_EQ(madvise(p, 4 * PG, MADV_DOFORK), 0);
	CHECK_EXITED(run_child(dofork_child, p), 0);
	munmap(p, 4 * PG);
}

/* ---------------------------------------------------------------- stack */

/* 4 MiB of stack, 16 KiB a frame, every page of each frame written */
#define FRAME_BYTES 16384
#define FRAMES      256

static unsigned long deep(int n)
{
	volatile char frame[FRAME_BYTES];
	for (int i = 0; i < FRAME_BYTES; i += 4096)
		frame[i] = (char)n;
	frame[FRAME_BYTES - 1] = (char)n;
	unsigned long sum = n > 0 ? deep(n - 1) : 0;
	for (int i = 0; i < FRAME_BYTES; i += 4096)
		sum += (unsigned char)frame[i] == (unsigned char)n;
	return sum + ((unsigned char)frame[FRAME_BYTES - 1] == (unsigned char)n);
}

static int deep_recursion(void *arg)
{
	(void)arg;
	unsigned long want = (FRAMES + 1) * (FRAME_BYTES / 4096 + 1);
	return deep(FRAMES) == want ? 0 : 1;
}

TEST(stack_grows_for_4_mib_of_recursion)
{
	CHECK_EXITED(run_child(deep_recursion, NULL), 0);
}

static int far_below_stack(void *arg)
{
	(void)arg;
	/* Linux takes the growth limit from RLIMIT_STACK: make sure it is the
	 * usual 8 MiB (only lowering, which is always allowed) */
	struct rlimit rl;
	if (!is_moo() && getrlimit(RLIMIT_STACK, &rl) == 0 &&
	    (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > (8UL << 20))) {
		rl.rlim_cur = 8UL << 20;
		setrlimit(RLIMIT_STACK, &rl);
	}
	uintptr_t sp = (uintptr_t)__builtin_frame_address(0);
	char *far = (char *)((sp - (64UL << 20)) & ~(PG - 1)) + 0x10;
	CHECK(!is_mapped(far)); /* nothing else is there */
	CHECK_FAULT(far, 1, SIGSEGV, SEGV_MAPERR);
	CHECK_FAULT(far + 8, 0, SIGSEGV, SEGV_MAPERR);
	CHECK(!is_mapped(far));
	return 0;
}

TEST(stack_write_64_mib_below_stack_is_segv_maperr)
{
	CHECK_EXITED(run_child(far_below_stack, NULL), 0);
}

static int text_function(int x)
{
	return x * 3 + 1;
}

static int (*volatile text_fn)(int) = text_function;

TEST(write_to_program_text_is_segv_accerr)
{
	char *text = (char *)(uintptr_t)text_fn;
	char first;
	CHECK_EQ(touch_val(text, 0, 0, &first), 0); /* readable */
	CHECK_FAULT(text, 1, SIGSEGV, SEGV_ACCERR);
	CHECK_FAULT(text + 1, 1, SIGSEGV, SEGV_ACCERR);
	char again;
	CHECK_EQ(touch_val(text, 0, 0, &again), 0);
	CHECK_EQ(again, first);
	CHECK_EQ(text_fn(5), 16); /* and still runs */
}

RUN_TESTS(cow, CASE(cow_writes_after_fork_stay_private_both_ways_4096_pages),
	  CASE(cow_nested_forks_depth_10_each_keeps_its_view),
	  CASE(cow_fork_chain_100_deep_all_statuses_zero),
	  CASE(cow_fork_of_process_using_two_thirds_of_ram_succeeds),
	  CASE(cow_write_after_child_exit_keeps_data),
	  CASE(cow_fresh_anonymous_memory_reads_zero_then_writes_stay_per_page),
	  CASE(cow_read_from_pipe_into_shared_buffer_is_private),
	  CASE(cow_write_to_pipe_from_shared_buffer_sends_own_bytes),
	  CASE(cow_parent_mprotect_rw_after_fork_does_not_write_through_to_child),
	  CASE(cow_child_mprotect_rw_after_fork_does_not_write_through_to_parent),
	  CASE(madv_dontneed_private_anonymous_reads_zero_again),
	  CASE(madv_dontneed_after_fork_leaves_child_data),
	  CASE(madv_wipeonfork_child_sees_zero_parent_keeps_data_keeponfork_undoes),
	  CASE(madv_dontfork_range_absent_in_child_dofork_undoes),
	  CASE(stack_grows_for_4_mib_of_recursion),
	  CASE(stack_write_64_mib_below_stack_is_segv_maperr),
	  CASE(write_to_program_text_is_segv_accerr))
