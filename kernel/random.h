/* random.h - random bytes for getrandom() and AT_RANDOM. */
#ifndef MOO_KERNEL_RANDOM_H
#define MOO_KERNEL_RANDOM_H

#include <stddef.h>

void random_init(void);
void get_random_bytes(void *buf, size_t n);

#endif
