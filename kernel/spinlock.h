/*
 * spinlock.h - the lock around every shared kernel structure.
 *
 * moo runs on one CPU today, where disabling interrupts is what makes a
 * critical section safe; the test-and-set loop is there so that the same
 * code stays correct when SMP arrives. Holding a spinlock with interrupts on
 * could deadlock against an interrupt handler, hence the _irqsave forms.
 */
#ifndef MOO_KERNEL_SPINLOCK_H
#define MOO_KERNEL_SPINLOCK_H

#include "kernel/x86.h"

struct spinlock {
	volatile int locked;
	const char *name;
};

#define SPINLOCK_INIT(n)                                                                           \
	{                                                                                          \
		.locked = 0, .name = (n)                                                           \
	}

static inline unsigned long spin_lock_irqsave(struct spinlock *l)
{
	unsigned long flags = read_rflags();
	cli();
	while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
		__builtin_ia32_pause();
	return flags;
}

static inline void spin_unlock_irqrestore(struct spinlock *l, unsigned long flags)
{
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
	if (flags & RFLAGS_IF)
		sti();
}

#endif
