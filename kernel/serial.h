/* serial.h - COM1, the primary console (QEMU: -serial stdio / file:). */
#ifndef MOO_KERNEL_SERIAL_H
#define MOO_KERNEL_SERIAL_H

void serial_init(void);
void serial_putc(char c);
int serial_getc(void); /* -1 when nothing is waiting */

#endif
