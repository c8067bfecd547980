/*
 * timer.c - the 8253/8254 PIT, channel 0, as a HZ-per-second tick on IRQ 0.
 * The scheduler will preempt on this tick.
 */
#include "kernel/timer.h"
#include "kernel/trap.h"
#include "kernel/task.h"
#include "kernel/x86.h"

#define PIT_HZ  1193182
#define PIT_CH0 0x40
#define PIT_CMD 0x43

static volatile uint64_t ticks;

static void timer_irq(struct trap_frame *tf)
{
	ticks++;
	sched_tick(tf); /* accounting, sleepers whose time is up, preemption */
}

void timer_init(void)
{
	uint16_t divisor = PIT_HZ / HZ;
	outb(PIT_CMD, 0x34); /* channel 0, lo/hi byte, mode 2 (rate generator) */
	outb(PIT_CH0, divisor & 0xff);
	outb(PIT_CH0, divisor >> 8);
	irq_register(0, timer_irq);
}

uint64_t timer_ticks(void)
{
	return ticks;
}
