/*
 * random.c - random bytes: RDRAND when the CPU has it, mixed with a
 * xorshift generator seeded from the time stamp counter. Good enough for
 * AT_RANDOM and getrandom() in a teaching kernel; not a vetted CSPRNG.
 */
#include "kernel/random.h"
#include "kernel/x86.h"
#include <stdbool.h>
#include <stdint.h>

static uint64_t state;
static bool have_rdrand;

void random_init(void)
{
	uint32_t a, b, c, d;
	cpuid(1, 0, &a, &b, &c, &d);
	have_rdrand = c & (1u << 30);
	state = rdtsc() | 1;
}

static uint64_t next(void)
{
	uint64_t r = 0;
	if (have_rdrand) {
		unsigned char ok;
		__asm__ volatile("rdrand %0; setc %1" : "=r"(r), "=qm"(ok));
		if (!ok)
			r = 0;
	}
	state ^= state << 13; /* xorshift64 */
	state ^= state >> 7;
	state ^= state << 17;
	return r ^ state;
}

void get_random_bytes(void *buf, size_t n)
{
	uint8_t *p = buf;
	while (n) {
		uint64_t r = next();
		for (int i = 0; i < 8 && n; i++, n--, r >>= 8)
			*p++ = (uint8_t)r;
	}
}
