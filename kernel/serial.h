/* serial.h - COM1, the primary console (QEMU: -serial stdio / file:). */
#ifndef MOO_KERNEL_SERIAL_H
#define MOO_KERNEL_SERIAL_H

void serial_init(void);
/* serial_putc: a kernel log character (COM1, or COM2 after serial_log_to_com2). */
void serial_putc(char c);
/* serial_log_to_com2: console=ttyS1: keep kernel messages off the user's console. */
void serial_log_to_com2(void);
/* serial_putc_raw: no \n -> \r\n translation (the tty does its own, per termios). */
void serial_putc_raw(char c);
int serial_getc(void); /* -1 when nothing is waiting */
/* serial_enable_rx_irq: raise IRQ 4 for each received byte (the tty reads them). */
void serial_enable_rx_irq(void);

#endif
