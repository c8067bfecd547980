/*
 * selftest.h - in-kernel self-tests, run at boot when the command line says
 * selftest=all (or selftest=NAME,NAME). Each test returns 0 on success;
 * the runner prints one line per test, a "N passed, N failed" summary, and
 * reports through isa-debug-exit (kernel/power.h).
 *
 *     SELFTEST(buddy_merge) { ... ST_CHECK(x == y); ... return 0; }
 */
#ifndef MOO_KERNEL_SELFTEST_H
#define MOO_KERNEL_SELFTEST_H

#include "kernel/printk.h"

struct selftest {
	const char *name;
	int (*fn)(void);
};

#define SELFTEST(name)                                                                             \
	static int selftest_##name(void);                                                          \
	static const struct selftest selftest_entry_##name                                         \
	    __attribute__((section(".selftests"), used, aligned(8))) = {#name, selftest_##name};   \
	static int selftest_##name(void)

/* ST_CHECK: fail the current self-test, saying where and what, if cond is false. */
#define ST_CHECK(cond)                                                                             \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			printk("  %s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);          \
			return 1;                                                                  \
		}                                                                                  \
	} while (0)

/* selftest_run: run the tests named by which ("all" or a comma list), then exit QEMU. */
void selftest_run(const char *which);
/* crash_run: provoke the named kernel fault on purpose (command line crash=NAME). */
void crash_run(const char *what);

#endif
