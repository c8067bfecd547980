/* vga.h - the VGA text screen, used only when GRUB left the machine in text mode. */
#ifndef MOO_KERNEL_VGA_H
#define MOO_KERNEL_VGA_H

#include <stdint.h>

void vga_init(uint64_t phys, int cols, int rows);
void vga_putc(char c);

#endif
