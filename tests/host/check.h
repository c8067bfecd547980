/*
 * check.h - the smallest unit-test harness that does the job.
 *
 * A test file defines functions with TEST(name) { ... CHECK(cond); ... }
 * and ends with RUN_TESTS(suite, test1, test2, ...). Each binary prints
 * "ok NAME" or "FAIL NAME: file:line: expression" per test, then the line
 * "SUITE: N passed, N failed", and exits non-zero when anything failed.
 * CHECK_ONLY=WORD in the environment runs only the tests whose name has WORD.
 * tools/test.sh adds those lines up into make test's single closing line.
 */
#ifndef MOO_TESTS_CHECK_H
#define MOO_TESTS_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int check_failed_in_test;

#define TEST(name) static void name(void)

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			printf("  %s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond);          \
			check_failed_in_test = 1;                                                  \
		}                                                                                  \
	} while (0)

#define CHECK_EQ(a, b)                                                                             \
	do {                                                                                       \
		long long check_a_ = (long long)(a), check_b_ = (long long)(b);                    \
		if (check_a_ != check_b_) {                                                        \
			printf("  %s:%d: CHECK_EQ(%s, %s) failed: %lld != %lld\n", __FILE__,       \
			       __LINE__, #a, #b, check_a_, check_b_);                              \
			check_failed_in_test = 1;                                                  \
		}                                                                                  \
	} while (0)

struct check_case {
	const char *name;
	void (*fn)(void);
};

static inline int check_run(const char *suite, const struct check_case *cases, int n)
{
	int passed = 0, failed = 0;
	const char *only = getenv("CHECK_ONLY"); /* run only tests whose name contains it */
	for (int i = 0; i < n; i++) {
		if (only && !strstr(cases[i].name, only))
			continue;
		check_failed_in_test = 0;
		cases[i].fn();
		if (check_failed_in_test) {
			printf("FAIL %s.%s\n", suite, cases[i].name);
			failed++;
		} else {
			printf("ok   %s.%s\n", suite, cases[i].name);
			passed++;
		}
	}
	printf("%s: %d passed, %d failed\n", suite, passed, failed);
	return failed ? 1 : 0;
}

#define CASE(fn)                                                                                   \
	{                                                                                          \
#fn, fn                                                                            \
	}
#define RUN_TESTS(suite, ...)                                                                      \
	int main(void)                                                                             \
	{                                                                                          \
		static const struct check_case cases[] = {__VA_ARGS__};                            \
		return check_run(#suite, cases, (int)(sizeof(cases) / sizeof(cases[0])));          \
	}

#endif
