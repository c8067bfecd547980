/*
 * printk.c - formatted output to the consoles, and panic().
 */
#include "kernel/printk.h"
#include "kernel/printf.h"
#include "kernel/serial.h"
#include "kernel/vga.h"
#include "kernel/ksyms.h"
#include "kernel/spinlock.h"
#include "kernel/x86.h"
#include "kernel/power.h"

static int vga_on;
int panic_action_exit;
static struct spinlock console_lock = SPINLOCK_INIT("console");

void console_init(void)
{
	serial_init();
}

void console_enable_vga(int enable)
{
	vga_on = enable;
}

static void console_putc(int c, void *arg)
{
	(void)arg;
	serial_putc((char)c);
	if (vga_on)
		vga_putc((char)c);
}

void console_write_raw(const char *s, unsigned long n)
{
	unsigned long flags = spin_lock_irqsave(&console_lock);
	for (unsigned long i = 0; i < n; i++) {
		serial_putc_raw(s[i]);
		if (vga_on)
			vga_putc(s[i]);
	}
	spin_unlock_irqrestore(&console_lock, flags);
}

int vprintk(const char *fmt, va_list ap)
{
	unsigned long flags = spin_lock_irqsave(&console_lock);
	int n = vcbprintf(console_putc, 0, fmt, ap);
	spin_unlock_irqrestore(&console_lock, flags);
	return n;
}

int printk(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}

void panic(const char *fmt, ...)
{
	va_list ap;

	cli();
	/* A panic while printing must not deadlock on the console lock. */
	console_lock.locked = 0;
	printk("\nkernel panic: ");
	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
	printk("\n");
	backtrace_here();
	die();
}

void die(void)
{
	cli();
	if (panic_action_exit)
		qemu_debug_exit(QEMU_EXIT_PANIC);
	printk("moo: halted.\n");
	for (;;)
		hlt();
}
