/*
 * serial.c - the 16550 UARTs at COM1 (I/O port 0x3f8) and COM2 (0x2f8).
 *
 * Polled output: simple, and it works from inside a panic or a trap handler.
 * 115200 baud, 8 data bits, no parity, one stop bit. COM1 is the console
 * (kernel messages and the user's tty); with console=ttyS1 kernel messages
 * move to COM2, so a command's output on COM1 stays clean (tools/run).
 */
#include "kernel/serial.h"
#include "kernel/x86.h"

#define COM1      0x3f8
#define COM2      0x2f8
#define UART_DATA 0 /* with DLAB=1: divisor low byte */
#define UART_IER  1 /* with DLAB=1: divisor high byte */
#define UART_FCR  2
#define UART_LCR  3
#define UART_MCR  4
#define UART_LSR  5

#define LCR_8N1        0x03
#define LCR_DLAB       0x80
#define LSR_DATA_READY 0x01
#define LSR_THR_EMPTY  0x20

static uint16_t log_port = COM1; /* where printk goes; the tty is always COM1 */

static void port_init(uint16_t port)
{
	outb(port + UART_IER, 0);        /* no interrupts (yet) */
	outb(port + UART_LCR, LCR_DLAB); /* set the divisor: 115200 / 1 */
	outb(port + UART_DATA, 1);
	outb(port + UART_IER, 0);
	outb(port + UART_LCR, LCR_8N1);
	outb(port + UART_FCR, 0xc1); /* enable FIFOs; do not clear: input may be waiting */
	outb(port + UART_MCR, 0x03); /* DTR, RTS */
}

void serial_init(void)
{
	port_init(COM1);
}

void serial_log_to_com2(void)
{
	port_init(COM2);
	log_port = COM2;
}

static void port_putc(uint16_t port, char c)
{
	for (int spins = 0; spins < 100000; spins++)
		if (inb(port + UART_LSR) & LSR_THR_EMPTY)
			break;
	outb(port + UART_DATA, (uint8_t)c);
}

void serial_putc(char c)
{
	if (c == '\n')
		port_putc(log_port, '\r');
	port_putc(log_port, c);
}

void serial_putc_raw(char c)
{
	port_putc(COM1, c);
}

void serial_enable_rx_irq(void)
{
	outb(COM1 + UART_MCR, 0x0b); /* DTR, RTS, OUT2 (routes the UART's IRQ to the PIC) */
	outb(COM1 + UART_IER, 0x01); /* interrupt when a byte arrives */
}

int serial_getc(void)
{
	if (!(inb(COM1 + UART_LSR) & LSR_DATA_READY))
		return -1;
	return inb(COM1 + UART_DATA);
}
