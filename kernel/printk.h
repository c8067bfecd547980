/*
 * printk.h - kernel console output and panic().
 *
 * printk() writes to every console that is up (COM1 always, VGA text when
 * GRUB left one). panic() is for broken kernel invariants only: user mistakes
 * get an errno or a signal, never a panic.
 */
#ifndef MOO_KERNEL_PRINTK_H
#define MOO_KERNEL_PRINTK_H

#include <stdarg.h>

int printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintk(const char *fmt, va_list ap);
void console_init(void);
/* console_write_raw: bytes to every console exactly as given (the tty's output path). */
void console_write_raw(const char *s, unsigned long n);
void console_enable_vga(int enable);
/* panic_action_exit: panic() ends QEMU (isa-debug-exit) instead of halting; set by panic=exit. */
extern int panic_action_exit;
__attribute__((noreturn, format(printf, 1, 2))) void panic(const char *fmt, ...);
/* die: stop after a fatal report: exit QEMU under panic=exit, else halt forever. */
__attribute__((noreturn)) void die(void);

/* BUG_ON: a kernel invariant; on failure panic with where and what. */
#define BUG_ON(cond)                                                                               \
	do {                                                                                       \
		if (__builtin_expect(!!(cond), 0))                                                 \
			panic("BUG at %s:%d: %s", __FILE__, __LINE__, #cond);                      \
	} while (0)

#endif
