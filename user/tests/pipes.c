/*
 * pipes.c - pipes between processes: data, end of file, SIGPIPE/EPIPE,
 * a full pipe with O_NONBLOCK, large transfers, partial reads and the
 * atomicity of writes of up to PIPE_BUF (4096) bytes.
 *
 * Nothing here assumes Linux's 64 KiB pipe size: only that a pipe holds
 * at least PIPE_BUF bytes, as POSIX requires.
 */
#define _GNU_SOURCE
#include "check.h"
#include "testutil.h"

#include <limits.h>
#include <stdlib.h>

static uint64_t rng_state;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* ---------------------------------------------------------------- basics */

TEST(pipe_carries_data_between_parent_and_child)
{
	int down[2], up[2];
	CHECK_EQ(pipe(down), 0);
	CHECK_EQ(pipe(up), 0);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		char buf[16];
		close(down[1]);
		close(up[0]);
		ssize_t n = read(down[0], buf, sizeof(buf));
		if (n != 4 || memcmp(buf, "ping", 4) != 0)
			_exit(1);
		_exit(write(up[1], "pong!", 5) == 5 ? 0 : 2);
	}
	close(down[0]);
	close(up[1]);
	CHECK_EQ(write(down[1], "ping", 4), 4);
	char buf[16];
	CHECK_EQ(read_all(up[0], buf, sizeof(buf), 5000), 5);
	CHECK(strcmp(buf, "pong!") == 0);
	CHECK_EXITED(wait_timeout(pid, 5000), 0);
	close(down[1]);
	close(up[0]);
}

TEST(read_returns_eof_only_after_every_write_end_closes)
{
	int p[2];
	char buf[8];
	CHECK_EQ(pipe(p), 0);
	int extra = dup(p[1]);
	CHECK_EQ(write(p[1], "abc", 3), 3);
	close(p[1]);
	CHECK_EQ(read(p[0], buf, sizeof(buf)), 3);
	/* a dup of the write end is still open: no end of file yet */
	CHECK_EQ(fcntl(p[0], F_SETFL, O_NONBLOCK), 0);
	CHECK_ERRNO(read(p[0], buf, sizeof(buf)), EAGAIN);
	close(extra);
	CHECK_EQ(read(p[0], buf, sizeof(buf)), 0);
	CHECK_EQ(read(p[0], buf, sizeof(buf)), 0); /* and it stays at the end */
	close(p[0]);
}

TEST(write_end_held_by_child_keeps_pipe_open)
{
	int p[2], go[2];
	char buf[8];
	CHECK_EQ(pipe(p), 0);
	CHECK_EQ(pipe(go), 0);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		char c;
		close(p[0]);
		close(go[1]);
		if (read(go[0], &c, 1) != 0)
			_exit(1);
		_exit(write(p[1], "late", 4) == 4 ? 0 : 2);
	}
	close(p[1]);
	close(go[0]);
	close(go[1]); /* the child writes "late" and exits */
	CHECK_EQ(read_all(p[0], buf, sizeof(buf), 5000), 4);
	CHECK(strcmp(buf, "late") == 0);
	CHECK_EXITED(wait_timeout(pid, 5000), 0);
	close(p[0]);
}

TEST(blocked_reader_woken_by_last_writer_close)
{
	int p[2];
	CHECK_EQ(pipe(p), 0);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		char c;
		close(p[1]);
		_exit(read(p[0], &c, 1) == 0 ? 0 : 1);
	}
	close(p[0]);
	sleep_ms(30); /* the child is asleep in read by now */
	close(p[1]);
	CHECK_EXITED(wait_timeout(pid, 5000), 0);
}

TEST(read_returns_available_bytes_without_waiting_for_more)
{
	int p[2];
	char buf[8192];
	CHECK_EQ(pipe(p), 0);
	CHECK_EQ(write(p[1], "0123456789", 10), 10);
	CHECK_EQ(read(p[0], buf, sizeof(buf)), 10);
	/* the writer is slow: the first read returns the first part */
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		if (write(p[1], "first", 5) != 5)
			_exit(1);
		sleep_ms(100);
		_exit(write(p[1], "second", 6) == 6 ? 0 : 2);
	}
	close(p[1]);
	CHECK_EQ(read(p[0], buf, sizeof(buf)), 5);
	CHECK(memcmp(buf, "first", 5) == 0);
	CHECK_EQ(read(p[0], buf, sizeof(buf)), 6);
	CHECK(memcmp(buf, "second", 6) == 0);
	CHECK_EQ(read(p[0], buf, sizeof(buf)), 0);
	CHECK_EXITED(wait_timeout(pid, 5000), 0);
	close(p[0]);
}

TEST(pipes_are_independent)
{
	enum { N = 8 };
	int p[N][2];
	for (int i = 0; i < N; i++) {
		CHECK_EQ(pipe(p[i]), 0);
		char msg[16];
		int len = snprintf(msg, sizeof(msg), "pipe %d", i);
		CHECK_EQ(write(p[i][1], msg, len), len);
	}
	for (int i = N - 1; i >= 0; i--) {
		char want[16], buf[16] = {0};
		snprintf(want, sizeof(want), "pipe %d", i);
		CHECK_EQ(read(p[i][0], buf, sizeof(buf)), (long)strlen(want));
		CHECK(strcmp(buf, want) == 0);
		close(p[i][0]);
		close(p[i][1]);
	}
}

TEST(pipe_bad_buffer_efault)
{
	int p[2];
	void *bad[N_BAD_PTRS];
	CHECK_EQ(pipe(p), 0);
	bad_pointers(bad);
	for (int i = 0; i < N_BAD_PTRS; i++)
		CHECK_ERRNO(syscall(SYS_write, p[1], bad[i], 10), EFAULT);
	CHECK_EQ(fcntl(p[0], F_SETFL, O_NONBLOCK), 0);
	char c;
	CHECK_ERRNO(read(p[0], &c, 1), EAGAIN); /* nothing got written */
	CHECK_EQ(write(p[1], "data", 4), 4);
	for (int i = 0; i < N_BAD_PTRS; i++)
		CHECK_ERRNO(syscall(SYS_read, p[0], bad[i], 4), EFAULT);
	close(p[0]);
	close(p[1]);
}

/* ---------------------------------------------------------------- no reader */

static int write_to_readerless_pipe(void *arg)
{
	int mode = (int)(intptr_t)arg; /* 0 default, 1 ignored, 2 handled */
	int p[2];
	if (pipe(p) != 0)
		return 1;
	close(p[0]);
	if (mode == 1)
		signal(SIGPIPE, SIG_IGN);
	long r = write(p[1], "x", 1);
	return r == -1 && errno == EPIPE ? 0 : 3;
}

static volatile int sigpipes;

static void count_sigpipe(int sig)
{
	(void)sig;
	sigpipes++;
}

static int write_with_handler(void *arg)
{
	(void)arg;
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = count_sigpipe;
	sigaction(SIGPIPE, &sa, NULL);
	int p[2];
	if (pipe(p) != 0)
		return 1;
	close(p[0]);
	long r = write(p[1], "x", 1);
	CHECK_EQ(r, -1);
	CHECK_EQ(errno, EPIPE);
	CHECK_EQ(sigpipes, 1);
	return 0;
}

TEST(pipe_write_closed_end_sigpipe)
{
	CHECK_SIGNALED(run_child(write_to_readerless_pipe, (void *)0), SIGPIPE);
}

TEST(pipe_write_closed_end_epipe_when_sigpipe_ignored)
{
	CHECK_EXITED(run_child(write_to_readerless_pipe, (void *)1), 0);
	CHECK_EXITED(run_child(write_with_handler, NULL), 0);
}

TEST(blocked_writer_woken_by_reader_close_gets_epipe)
{
	int p[2];
	CHECK_EQ(pipe(p), 0);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		static char chunk[4096];
		signal(SIGPIPE, SIG_IGN);
		close(p[0]);
		for (long total = 0; total < 64L << 20; total += 4096) {
			long r = write(p[1], chunk, sizeof(chunk));
			if (r == -1)
				_exit(errno == EPIPE ? 0 : 1);
		}
		_exit(2); /* 64 MiB went into a pipe nobody read */
	}
	close(p[1]);
	sleep_ms(50); /* the pipe is full and the child asleep in write */
	close(p[0]);
	CHECK_EXITED(wait_timeout(pid, 5000), 0);
}

/* ---------------------------------------------------------------- a full pipe */

TEST(full_nonblocking_pipe_write_eagain_capacity_at_least_4096)
{
	int p[2];
	static unsigned char chunk[512], back[512];
	CHECK_EQ(pipe(p), 0);
	CHECK_EQ(fcntl(p[1], F_SETFL, fcntl(p[1], F_GETFL) | O_NONBLOCK), 0);
	CHECK(fcntl(p[1], F_GETFL) & O_NONBLOCK);
	long total = 0, r = 0;
	int chunks = 0;
	while (total < 16L << 20) {
		memset(chunk, chunks & 0xff, sizeof(chunk));
		r = write(p[1], chunk, sizeof(chunk));
		if (r < 0)
			break;
		total += r;
		if (r == (long)sizeof(chunk))
			chunks++;
		else
			break; /* a short write: full from here on */
	}
	if (r >= 0)
		r = write(p[1], chunk, sizeof(chunk));
	CHECK_EQ(r, -1);
	CHECK_EQ(errno, EAGAIN);
	CHECK(total >= 4096);
	CHECK(total < 16L << 20);
	/* the data is there, in order */
	CHECK_EQ(read(p[0], back, sizeof(back)), sizeof(back));
	CHECK_EQ(back[0], 0);
	CHECK_EQ(back[511], 0);
	CHECK_EQ(read(p[0], back, sizeof(back)), sizeof(back));
	CHECK_EQ(back[0], 1);
	/* drain it all, then PIPE_BUF bytes fit at once again */
	long drained = 2 * sizeof(back);
	CHECK_EQ(fcntl(p[0], F_SETFL, O_NONBLOCK), 0);
	while ((r = read(p[0], back, sizeof(back))) > 0)
		drained += r;
	CHECK_EQ(drained, total);
	static char big[PIPE_BUF];
	CHECK_EQ(write(p[1], big, sizeof(big)), sizeof(big));
	close(p[0]);
	close(p[1]);
}

TEST(nonblocking_read_of_empty_pipe_eagain)
{
	int p[2];
	char c;
	CHECK_EQ(pipe(p), 0);
	CHECK_EQ(fcntl(p[0], F_SETFL, O_NONBLOCK), 0);
	CHECK_ERRNO(read(p[0], &c, 1), EAGAIN);
	CHECK_EQ(write(p[1], "q", 1), 1);
	CHECK_EQ(read(p[0], &c, 1), 1);
	CHECK_ERRNO(read(p[0], &c, 1), EAGAIN);
	close(p[1]);
	CHECK_EQ(read(p[0], &c, 1), 0); /* no writer: end of file, not EAGAIN */
	close(p[0]);
}

/* ---------------------------------------------------------------- large transfers */

TEST(one_mib_through_pipe_arrives_intact)
{
	enum { TOTAL = 1 << 20 };
	int p[2];
	CHECK_EQ(pipe(p), 0);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		static unsigned char buf[TOTAL];
		close(p[0]);
		rng_state = 0x9e3779b97f4a7c15ULL;
		for (int i = 0; i < TOTAL; i++)
			buf[i] = (unsigned char)rng();
		/* writes of uneven sizes, some bigger than the pipe */
		for (long off = 0; off < TOTAL;) {
			long n = 1 + rng() % 20000;
			if (n > TOTAL - off)
				n = TOTAL - off;
			long r = write(p[1], buf + off, n);
			if (r <= 0)
				_exit(1);
			off += r;
		}
		_exit(0);
	}
	close(p[1]);
	static unsigned char got[TOTAL + 1], want[TOTAL];
	rng_state = 0x9e3779b97f4a7c15ULL;
	for (int i = 0; i < TOTAL; i++)
		want[i] = (unsigned char)rng();
	/* reads of uneven sizes too (non-blocking, so a lost wakeup fails
	 * the test after 10 s instead of hanging it) */
	CHECK_EQ(fcntl(p[0], F_SETFL, O_NONBLOCK), 0);
	long total = 0;
	int idle = 0;
	long long deadline = now_ns() + 10000000000LL;
	uint64_t seed = 12345;
	while (total <= TOTAL && now_ns() < deadline) {
		seed = seed * 6364136223846793005ULL + 1;
		long n = 1 + (seed >> 33) % 9000;
		if (n > TOTAL + 1 - total)
			n = TOTAL + 1 - total;
		long r = read(p[0], got + total, n);
		if (r == 0)
			break;
		if (r > 0)
			total += r, idle = 0;
		else if (errno == EAGAIN)
			idle_wait(&idle);
		else
			break;
	}
	CHECK_EQ(total, TOTAL);
	CHECK(memcmp(got, want, TOTAL) == 0);
	CHECK_EXITED(wait_timeout(pid, 5000), 0);
	close(p[0]);
}

/* ---------------------------------------------------------------- atomic writes */

/* A message: 8-byte header {0xa5, writer, length (2 bytes), sequence
 * number (4 bytes)}, then a body derived from writer and sequence. */
static const int msg_sizes[] = {PIPE_BUF, 1000, PIPE_BUF, 37, 2048, PIPE_BUF, 513, 8};
#define N_SIZES (int)(sizeof(msg_sizes) / sizeof(msg_sizes[0]))
#define N_MSGS  64

static void make_msg(unsigned char *m, int writer, int seq, int len)
{
	m[0] = 0xa5;
	m[1] = (unsigned char)writer;
	m[2] = (unsigned char)(len & 0xff);
	m[3] = (unsigned char)(len >> 8);
	memcpy(m + 4, &seq, 4);
	for (int i = 8; i < len; i++)
		m[i] = (unsigned char)(writer * 31 + seq * 7 + i);
}

TEST(pipe_writes_up_to_pipe_buf_are_atomic)
{
	int p[2], go[2];
	CHECK_EQ(pipe(p), 0);
	CHECK_EQ(pipe(go), 0);
	pid_t pids[2];
	for (int w = 0; w < 2; w++) {
		fflush(stdout);
		pids[w] = fork();
		if (pids[w] == 0) {
			static unsigned char m[PIPE_BUF];
			char c;
			close(p[0]);
			close(go[1]);
			if (read(go[0], &c, 1) != 0) /* start together */
				_exit(1);
			for (int seq = 0; seq < N_MSGS; seq++) {
				int len = msg_sizes[(seq + w * 3) % N_SIZES];
				make_msg(m, w, seq, len);
				if (write(p[1], m, len) != len)
					_exit(
					    2); /* a blocking write of <= PIPE_BUF is never short */
			}
			_exit(0);
		}
	}
	close(p[1]);
	close(go[0]);
	close(go[1]);
	static unsigned char got[2 * N_MSGS * PIPE_BUF + 1];
	long total = read_all(p[0], (char *)got, sizeof(got), 10000);
	CHECK_EXITED(wait_timeout(pids[0], 5000), 0);
	CHECK_EXITED(wait_timeout(pids[1], 5000), 0);
	/* the two writers' totals differ only by message order */
	long w0 = 0;
	for (int seq = 0; seq < N_MSGS; seq++)
		w0 += msg_sizes[seq % N_SIZES] + msg_sizes[(seq + 3) % N_SIZES];
	CHECK_EQ(total, w0);
	/* walk the stream: every message must be whole and in order */
	int next[2] = {0, 0}, broken = 0;
	static unsigned char want[PIPE_BUF];
	for (long off = 0; off < total && !broken;) {
		unsigned char *m = got + off;
		int w = m[1], len = m[2] | m[3] << 8, seq;
		memcpy(&seq, m + 4, 4);
		if (m[0] != 0xa5 || w > 1 || seq != next[w] ||
		    len != msg_sizes[(seq + w * 3) % N_SIZES] || off + len > total) {
			printf("  message at offset %ld is broken\n", off);
			broken = 1;
			break;
		}
		make_msg(want, w, seq, len);
		if (memcmp(m, want, len) != 0) {
			printf("  message %d of writer %d is interleaved\n", seq, w);
			broken = 1;
		}
		next[w]++;
		off += len;
	}
	CHECK_EQ(broken, 0);
	CHECK_EQ(next[0], N_MSGS);
	CHECK_EQ(next[1], N_MSGS);
	close(p[0]);
}

RUN_TESTS(pipes, CASE(pipe_carries_data_between_parent_and_child),
	  CASE(read_returns_eof_only_after_every_write_end_closes),
	  CASE(write_end_held_by_child_keeps_pipe_open),
	  CASE(blocked_reader_woken_by_last_writer_close),
	  CASE(read_returns_available_bytes_without_waiting_for_more), CASE(pipes_are_independent),
	  CASE(pipe_bad_buffer_efault), CASE(pipe_write_closed_end_sigpipe),
	  CASE(pipe_write_closed_end_epipe_when_sigpipe_ignored),
	  CASE(blocked_writer_woken_by_reader_close_gets_epipe),
	  CASE(full_nonblocking_pipe_write_eagain_capacity_at_least_4096),
	  CASE(nonblocking_read_of_empty_pipe_eagain), CASE(one_mib_through_pipe_arrives_intact),
	  CASE(pipe_writes_up_to_pipe_buf_are_atomic))
