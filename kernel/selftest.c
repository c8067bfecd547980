/*
 * selftest.c - the self-test runner, and crash=NAME: kernel faults on purpose,
 * so that tests can check what the trap report says.
 */
#include "kernel/selftest.h"
#include "kernel/power.h"
#include "kernel/string.h"
#include "kernel/task.h"
#include "kernel/x86.h"

extern const struct selftest __start_selftests[], __stop_selftests[];

/* listed: is name in the comma-separated list (or is the list "all")? */
static int listed(const char *list, const char *name)
{
	size_t n = strlen(name);
	if (!strcmp(list, "all"))
		return 1;
	for (const char *p = list; *p;) {
		if (!strncmp(p, name, n) && (p[n] == ',' || p[n] == 0))
			return 1;
		p = strchr(p, ',');
		if (!p)
			break;
		p++;
	}
	return 0;
}

void selftest_run(const char *which)
{
	int passed = 0, failed = 0;

	for (const struct selftest *t = __start_selftests; t < __stop_selftests; t++) {
		if (!listed(which, t->name))
			continue;
		int r = t->fn();
		printk("selftest %s: %s\n", t->name, r ? "FAIL" : "ok");
		if (r)
			failed++;
		else
			passed++;
	}
	printk("selftests: %d passed, %d failed\n", passed, failed);
	qemu_debug_exit(failed || !passed ? QEMU_EXIT_FAIL : QEMU_EXIT_PASS);
}

/* The crash functions are noinline so they show up by name in the backtrace. */
static const char crash_rodata[] = "read-only";

__attribute__((noinline)) static void crash_null_read(void)
{
	volatile uint64_t *p = 0;
	printk("crash: reading address 0\n");
	(void)*p;
}

__attribute__((noinline)) static void crash_rodata_write(void)
{
	printk("crash: writing to .rodata at %p\n", crash_rodata);
	*(volatile char *)crash_rodata = 'x';
}

__attribute__((noinline)) static void crash_nx_exec(void)
{
	static uint8_t code[16] = {0xc3}; /* ret, in .data: NX */
	printk("crash: calling into .data at %p\n", code);
	((void (*)(void))code)();
	printk("crash: executed .data: NX is not working\n"); /* also: no tail call */
}

/* The depth limit only silences GCC's -Winfinite-recursion: 1M frames of
 * 512 bytes is far beyond the 16 KiB stack, which overflows first. */
__attribute__((noinline)) static int crash_recurse(int depth)
{
	volatile char pad[512];
	pad[0] = (char)depth;
	if (depth > (1 << 20))
		return 0;
	return crash_recurse(depth + 1) + pad[0];
}

static void crash_stack_overflow(void)
{
	printk("crash: recursing until the kernel stack hits its guard page\n");
	crash_recurse(0);
}

/* A process's kernel stack has no guard page: an overflow shows as a changed
 * magic word at its bottom, found at the next switch (kernel/sched.c). */
static void crash_task_stack(void)
{
	struct task *t = task_alloc();
	if (!t)
		return;
	printk("crash: overwriting the bottom of pid %d's kernel stack\n", t->pid);
	memset(t->kstack, 0xee, 64);
	check_stack_end(t);
}

void crash_run(const char *what)
{
	if (!strcmp(what, "null-read"))
		crash_null_read();
	else if (!strcmp(what, "rodata-write"))
		crash_rodata_write();
	else if (!strcmp(what, "nx-exec"))
		crash_nx_exec();
	else if (!strcmp(what, "stack-overflow"))
		crash_stack_overflow();
	else if (!strcmp(what, "task-stack-overflow"))
		crash_task_stack();
	else if (!strcmp(what, "panic"))
		panic("crash=panic asked for a panic");
	else
		printk("crash: unknown crash=%s (null-read rodata-write nx-exec stack-overflow "
		       "panic)\n",
		       what);
}
