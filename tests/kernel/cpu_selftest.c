/*
 * cpu_selftest.c - in-kernel self-tests of traps, the timer and symbols.
 */
#include "kernel/ksyms.h"
#include "kernel/selftest.h"
#include "kernel/string.h"
#include "kernel/timer.h"
#include "kernel/x86.h"

void kmain(void);

SELFTEST(timer_ticks)
{
	uint64_t start = timer_ticks();
	ST_CHECK(read_rflags() & RFLAGS_IF);
	for (int i = 0; i < 1000 && timer_ticks() < start + 3; i++)
		hlt(); /* each tick wakes us */
	ST_CHECK(timer_ticks() >= start + 3);
	return 0;
}

SELFTEST(ksyms_lookup)
{
	uintptr_t off = 1;
	const char *name = ksym_name((uintptr_t)kmain, &off);
	ST_CHECK(name && !strcmp(name, "kmain") && off == 0);
	name = ksym_name((uintptr_t)kmain + 5, &off);
	ST_CHECK(name && !strcmp(name, "kmain") && off == 5);
	ST_CHECK(ksym_addr("kmain") == (uintptr_t)kmain);
	ST_CHECK(ksym_name(0x1000, &off) == NULL);
	return 0;
}
