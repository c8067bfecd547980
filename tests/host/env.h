/*
 * env.h - the host side of mm/kenv.h, for the mm/ unit tests.
 *
 * tests/host/env.c supplies what mm/ needs from the kernel (spinlocks,
 * panic, TLB flushes, host_phys_offset) plus helpers for the tests:
 *   - simulated physical memory: a buffer where physical address pa lives
 *     at buffer + pa, so phys_to_virt() works unchanged;
 *   - expect_panic(): run a function that is supposed to hit a BUG_ON;
 *   - counters of TLB flushes and of held spinlocks.
 */
#ifndef MOO_TESTS_HOST_ENV_H
#define MOO_TESTS_HOST_ENV_H

#include <stddef.h>
#include <stdint.h>
#include "mm/memmap.h"

/* Byte that fills simulated memory when it is created: neither 0 nor a poison. */
#define SIM_MEM_FILL 0xa5

/*
 * sim_mem_init: (re)create simulated physical memory of bytes (a multiple of
 * 2 MiB), filled with SIM_MEM_FILL, and point host_phys_offset at it.
 */
void sim_mem_init(size_t bytes);
void sim_mem_free(void);
size_t sim_mem_size(void);

/*
 * sim_boot: a fresh machine with bytes of RAM at physical 0, the first
 * 1 MiB reserved (as on a PC), and the buddy allocator covering all of it.
 * The memmap it used stays available through the return value.
 */
struct memmap *sim_boot(size_t bytes);

/*
 * expect_panic: call fn(arg); returns 1 if it panicked (the panic is caught
 * and fn abandoned), 0 if it returned normally. Spinlocks taken inside fn
 * and still held at the panic are released. Outside expect_panic, panic()
 * prints the message and aborts.
 */
int expect_panic(void (*fn)(void *), void *arg);
/* The message of the most recent panic caught by expect_panic(). */
const char *last_panic_msg(void);

/* TLB flush calls made through flush_tlb_page() / flush_tlb_all(). */
extern unsigned long tlb_page_flushes;
extern uintptr_t tlb_last_flush_va;
extern unsigned long tlb_all_flushes;
void tlb_reset(void);

/* Spinlocks currently held (0 between operations). */
int sim_locks_held(void);

#endif
