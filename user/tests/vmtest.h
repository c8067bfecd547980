/*
 * vmtest.h - helpers for the virtual-memory test programs (cow.c, mmap.c,
 * memfd.c, vmstat.c). Include after check.h and testutil.h.
 *
 * - is_moo(): uname()'s sysname is "moo";
 * - catching a fault: touch() reads or writes one byte under SIGSEGV and
 *   SIGBUS handlers and says which signal came, with its si_code and si_addr
 *   (in fault_signo, fault_code, fault_addr);
 * - reading /proc: vmstat_get(), meminfo_kb(), status_kb(), stat_field();
 * - page patterns: page_fill() and page_is() write and check three words of
 *   a page (its first, middle and last) with a tag that names the page and
 *   the generation of the data, so a page that shows another page's data or
 *   an older generation is caught.
 */
#ifndef MOO_USER_TESTS_VMTEST_H
#define MOO_USER_TESTS_VMTEST_H

#include <setjmp.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/utsname.h>

#define PG 4096UL

static inline int is_moo(void)
{
	struct utsname u;
	return uname(&u) == 0 && strcmp(u.sysname, "moo") == 0;
}

/* ---------------------------------------------------------------- faults */

static sigjmp_buf fault_jump __attribute__((unused));
static volatile int fault_signo __attribute__((unused));
static volatile int fault_code __attribute__((unused));
static void *volatile fault_addr __attribute__((unused));

static inline void fault_record(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	fault_signo = sig == si->si_signo ? sig : -1;
	fault_code = si->si_code;
	fault_addr = si->si_addr;
	siglongjmp(fault_jump, 1);
}

static inline void fault_catch(int on)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	if (on) {
		sa.sa_sigaction = fault_record;
		sa.sa_flags = SA_SIGINFO;
	} else {
		sa.sa_handler = SIG_DFL;
	}
	sigemptyset(&sa.sa_mask);
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
}

/*
 * touch - read (write = 0) or write (write = 1, stores `val`) the byte at p
 * with SIGSEGV and SIGBUS caught. Returns 0 if no signal came, else the
 * signal number; fault_code and fault_addr then hold si_code and si_addr.
 * A read's value goes to *got when got is not NULL.
 */
static inline int touch_val(volatile char *p, int write, char val, char *got)
{
	fault_signo = 0;
	fault_code = 0;
	fault_addr = NULL;
	fault_catch(1);
	int r = 0;
	if (sigsetjmp(fault_jump, 1) == 0) {
		if (write) {
			*p = val;
		} else {
			char c = *p;
			if (got)
				*got = c;
		}
	} else {
		r = fault_signo;
	}
	fault_catch(0);
	return r;
}

static inline int touch(volatile char *p, int write)
{
	return touch_val(p, write, 1, NULL);
}

/* CHECK that touching p raises sig with si_code code and si_addr == p. */
#define CHECK_FAULT(p, write, sig, code)                                                           \
	do {                                                                                       \
		volatile char *cf_p_ = (volatile char *)(p);                                       \
		int cf_s_ = touch(cf_p_, (write));                                                 \
		if (cf_s_ != (sig) || fault_code != (code) || fault_addr != (void *)cf_p_) {       \
			printf("  %s:%d: %s %s: got signal %d code %d addr %p, wanted %s %s at "   \
			       "%p\n",                                                             \
			       __FILE__, __LINE__, (write) ? "write to" : "read of", #p, cf_s_,    \
			       fault_code, fault_addr, #sig, #code, (void *)cf_p_);                \
			check_failed_in_test = 1;                                                  \
		}                                                                                  \
	} while (0)

/* CHECK that touching p raises no signal. */
#define CHECK_NO_FAULT(p, write)                                                                   \
	do {                                                                                       \
		int cf_s_ = touch((volatile char *)(p), (write));                                  \
		if (cf_s_) {                                                                       \
			printf("  %s:%d: %s %s: signal %d code %d addr %p, wanted none\n",         \
			       __FILE__, __LINE__, (write) ? "write to" : "read of", #p, cf_s_,    \
			       fault_code, fault_addr);                                            \
			check_failed_in_test = 1;                                                  \
		}                                                                                  \
	} while (0)

/* ---------------------------------------------------------------- mappings */

static inline char *map_anon(size_t len)
{
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		printf("  mmap(%zu) failed: %s\n", len, strerror(errno));
		return NULL;
	}
	return p;
}

/* is_mapped: does any mapping cover the page at p? (msync says ENOMEM if not) */
static inline int is_mapped(const void *p)
{
	return msync((void *)((uintptr_t)p & ~(PG - 1)), PG, MS_ASYNC) == 0;
}

/* ---------------------------------------------------------------- patterns */

static inline uint64_t tag(unsigned long page, unsigned gen)
{
	return ((page + 1) * 0x9E3779B97F4A7C15ULL) ^ ((uint64_t)(gen + 1) << 52);
}

static inline void page_fill(char *base, unsigned long i, uint64_t v)
{
	volatile uint64_t *w = (volatile uint64_t *)(base + i * PG);
	w[0] = v;
	w[255] = v ^ 1;
	w[511] = v ^ 2;
}

static inline int page_is(const char *base, unsigned long i, uint64_t v)
{
	const volatile uint64_t *w = (const volatile uint64_t *)(base + i * PG);
	return w[0] == v && w[255] == (v ^ 1) && w[511] == (v ^ 2);
}

/* ---------------------------------------------------------------- /proc */

/* read_text - the whole of a (small) file, NUL-terminated; -1 on error. */
static inline long read_text(const char *path, char *buf, size_t cap)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	size_t got = 0;
	while (got + 1 < cap) {
		ssize_t n = read(fd, buf + got, cap - 1 - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += n;
	}
	buf[got] = '\0';
	close(fd);
	return (long)got;
}

/* the number after "name" at the start of a line ("name value" or
 * "name:   value kB"); -1 if there is no such line */
static inline long long find_number(const char *text, const char *name)
{
	size_t n = strlen(name);
	for (const char *l = text; l && *l;) {
		if (strncmp(l, name, n) == 0 && (l[n] == ' ' || l[n] == '\t' || l[n] == ':')) {
			const char *v = l + n;
			while (*v == ' ' || *v == '\t' || *v == ':')
				v++;
			return strtoll(v, NULL, 10);
		}
		l = strchr(l, '\n');
		if (l)
			l++;
	}
	return -1;
}

static char proc_buf[16384] __attribute__((unused));

/* vmstat_get - a counter from /proc/vmstat, or -1 if it has none. */
static inline long long vmstat_get(const char *name)
{
	if (read_text("/proc/vmstat", proc_buf, sizeof(proc_buf)) < 0)
		return -1;
	return find_number(proc_buf, name);
}

/* meminfo_kb - a /proc/meminfo line ("MemTotal"), in kB, or -1. */
static inline long long meminfo_kb(const char *name)
{
	if (read_text("/proc/meminfo", proc_buf, sizeof(proc_buf)) < 0)
		return -1;
	return find_number(proc_buf, name);
}

/* status_kb - a /proc/self/status line ("VmRSS"), in kB, or -1. */
static inline long long status_kb(const char *name)
{
	if (read_text("/proc/self/status", proc_buf, sizeof(proc_buf)) < 0)
		return -1;
	return find_number(proc_buf, name);
}

/* stat_field - field n (1-based, as in proc(5)) of /proc/self/stat, or -1.
 * The name (field 2) may hold spaces and parentheses: count after the last ')'. */
static inline long long stat_field(int n)
{
	char buf[1024];
	if (n < 3 || read_text("/proc/self/stat", buf, sizeof(buf)) < 0)
		return -1;
	char *p = strrchr(buf, ')');
	if (!p)
		return -1;
	p++;
	for (int f = 3; f <= n; f++) {
		while (*p == ' ')
			p++;
		if (!*p)
			return -1;
		if (f == n)
			return strtoll(p, NULL, 10);
		while (*p && *p != ' ')
			p++;
	}
	return -1;
}

/* ---------------------------------------------------------------- pipes */

/* a one-byte message, to take turns between two processes */
static inline int send_byte(int fd, char c)
{
	return write(fd, &c, 1) == 1 ? 0 : -1;
}

static inline int recv_byte(int fd)
{
	char c;
	for (;;) {
		ssize_t n = read(fd, &c, 1);
		if (n == 1)
			return (unsigned char)c;
		if (n < 0 && errno == EINTR)
			continue;
		return -1;
	}
}

/* read exactly len bytes (blocking fd); returns the count read */
static inline size_t read_full(int fd, void *buf, size_t len)
{
	size_t got = 0;
	while (got < len) {
		ssize_t n = read(fd, (char *)buf + got, len - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += n;
	}
	return got;
}

#endif
