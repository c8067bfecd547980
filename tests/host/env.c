/*
 * env.c - what mm/ needs from the kernel, faked for host unit tests.
 *
 * See mm/kenv.h for the list and tests/host/env.h for the helpers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tests/host/env.h"
#include "mm/kenv.h"
#include "mm/memlayout.h"
#include "mm/page.h"

#define SIM_ALIGN                                                                                  \
	(4UL << 20) /* the largest buddy block, so any block is aligned in the buffer too */

uintptr_t host_phys_offset;

static void *sim_buf;
static size_t sim_bytes;

void sim_mem_init(size_t bytes)
{
	sim_mem_free();
	if (bytes == 0 || bytes % SIM_ALIGN) {
		fprintf(stderr, "sim_mem_init: %zu is not a multiple of %lu\n", bytes, SIM_ALIGN);
		abort();
	}
	sim_buf = aligned_alloc(SIM_ALIGN, bytes);
	if (!sim_buf) {
		fprintf(stderr, "sim_mem_init: out of host memory\n");
		abort();
	}
	memset(sim_buf, SIM_MEM_FILL, bytes);
	sim_bytes = bytes;
	host_phys_offset = (uintptr_t)sim_buf;
}

void sim_mem_free(void)
{
	free(sim_buf);
	sim_buf = NULL;
	sim_bytes = 0;
	host_phys_offset = 0;
}

size_t sim_mem_size(void)
{
	return sim_bytes;
}

struct memmap *sim_boot(size_t bytes)
{
	static struct memmap mm;

	sim_mem_init(bytes);
	memmap_init(&mm);
	memmap_add(&mm, 0, bytes);
	memmap_reserve(&mm, 0, 1UL << 20);
	page_alloc_init(&mm, bytes);
	return &mm;
}

/* ---- panic, and catching it ---- */

static jmp_buf *panic_catcher;
static int panic_catch_depth; /* locks held when expect_panic() was armed */
static char panic_msg[512];

static void release_locks_above(int depth);

void panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(panic_msg, sizeof(panic_msg), fmt, ap);
	va_end(ap);
	if (panic_catcher) {
		jmp_buf *j = panic_catcher;
		panic_catcher = NULL;
		longjmp(*j, 1);
	}
	fflush(stdout);
	fprintf(stderr, "panic: %s\n", panic_msg);
	abort();
}

int expect_panic(void (*fn)(void *), void *arg)
{
	jmp_buf here;
	jmp_buf *volatile outer = panic_catcher;
	volatile int outer_depth = panic_catch_depth;

	panic_msg[0] = '\0';
	panic_catch_depth = sim_locks_held();
	if (setjmp(here)) {
		release_locks_above(panic_catch_depth);
		panic_catcher = outer;
		panic_catch_depth = outer_depth;
		return 1;
	}
	panic_catcher = &here;
	fn(arg);
	panic_catcher = outer;
	panic_catch_depth = outer_depth;
	return 0;
}

const char *last_panic_msg(void)
{
	return panic_msg;
}

/* ---- TLB ---- */

unsigned long tlb_page_flushes;
uintptr_t tlb_last_flush_va;
unsigned long tlb_all_flushes;

void flush_tlb_page(uintptr_t va)
{
	tlb_page_flushes++;
	tlb_last_flush_va = va;
}

void flush_tlb_all(void)
{
	tlb_all_flushes++;
}

void tlb_reset(void)
{
	tlb_page_flushes = 0;
	tlb_last_flush_va = 0;
	tlb_all_flushes = 0;
}

/* ---- spinlocks: one CPU, so taking a held lock can only be recursion ---- */

#define MAX_HELD 32
static struct spinlock *held[MAX_HELD];
static int nheld;
static int irq_enabled = 1;

unsigned long spin_lock_irqsave(struct spinlock *l)
{
	unsigned long flags = (unsigned long)irq_enabled;

	BUG_ON(l->locked);
	BUG_ON(nheld == MAX_HELD);
	irq_enabled = 0;
	l->locked = 1;
	held[nheld++] = l;
	return flags;
}

void spin_unlock_irqrestore(struct spinlock *l, unsigned long flags)
{
	int i;

	BUG_ON(!l->locked);
	for (i = nheld - 1; i >= 0 && held[i] != l; i--)
		;
	BUG_ON(i < 0);
	memmove(&held[i], &held[i + 1], (size_t)(nheld - i - 1) * sizeof(held[0]));
	nheld--;
	l->locked = 0;
	irq_enabled = (int)flags;
}

int sim_locks_held(void)
{
	return nheld;
}

static void release_locks_above(int depth)
{
	while (nheld > depth)
		held[--nheld]->locked = 0;
	if (nheld == 0)
		irq_enabled = 1;
}
