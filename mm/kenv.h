/*
 * kenv.h - everything mm/ needs from the rest of the kernel, in one place.
 *
 * mm/'s data structures (buddy allocator, slab caches, page tables, boot
 * memory map) compile both into the kernel and into host unit tests
 * (tests/host/), which define MOO_HOST and supply these few functions
 * themselves (tests/host/env.c). Keep this list short: each entry here is
 * something a host test has to fake.
 */
#ifndef MOO_MM_KENV_H
#define MOO_MM_KENV_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include "kernel/errno.h"

#ifdef MOO_HOST
#include <stdio.h>
#include <string.h>

struct spinlock {
	int locked;
	const char *name;
};
#define SPINLOCK_INIT(n)                                                                           \
	{                                                                                          \
		0, (n)                                                                             \
	}
unsigned long spin_lock_irqsave(struct spinlock *l);
void spin_unlock_irqrestore(struct spinlock *l, unsigned long flags);

#define printk printf
__attribute__((noreturn, format(printf, 1, 2))) void panic(const char *fmt, ...);
#define BUG_ON(cond)                                                                               \
	do {                                                                                       \
		if (cond)                                                                          \
			panic("BUG at %s:%d: %s", __FILE__, __LINE__, #cond);                      \
	} while (0)

void flush_tlb_page(uintptr_t va); /* the host fake counts calls */
void flush_tlb_all(void);

#else /* the kernel */
#include "kernel/printk.h"
#include "kernel/spinlock.h"
#include "kernel/string.h"
#include "kernel/x86.h"

static inline void flush_tlb_page(uintptr_t va)
{
	invlpg(va);
}

/* Reloading CR3 drops every non-global TLB entry. */
static inline void flush_tlb_all(void)
{
	write_cr3(read_cr3());
}
#endif

#ifndef MOO_DEBUG
#define MOO_DEBUG 1
#endif

#endif
