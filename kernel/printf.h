/*
 * printf.h - freestanding printf-style formatting for the kernel.
 *
 * vcbprintf() is the engine: it hands every output character to a callback,
 * so printk can stream arbitrarily long output without a buffer. The
 * snprintf() pair stores into a bounded buffer on top of it. Return values
 * follow C99: the length the full output would have had, not counting the
 * NUL, so truncation is detected by "ret >= size".
 */
#ifndef MOO_KERNEL_PRINTF_H
#define MOO_KERNEL_PRINTF_H

#include <stdarg.h>
#include <stddef.h>

/* Receives each output character in order; arg is passed through untouched. */
typedef void (*putc_fn)(int c, void *arg);

int vcbprintf(putc_fn out, void *arg, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));
int snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
