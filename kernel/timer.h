/* timer.h - the periodic tick. */
#ifndef MOO_KERNEL_TIMER_H
#define MOO_KERNEL_TIMER_H

#include <stdint.h>

#define HZ 100

void timer_init(void);
uint64_t timer_ticks(void);

#endif
