/*
 * vga.c - output to an EGA/VGA text screen (80x25 cells of char + attribute).
 *
 * A bonus console: nothing depends on it, and under UEFI there is no text mode,
 * so it stays off unless the multiboot2 framebuffer tag says "EGA text".
 */
#include "kernel/vga.h"
#include "kernel/x86.h"
#include "mm/memlayout.h"

#define ATTR 0x0700 /* light grey on black */

static volatile uint16_t *screen;
static int ncols, nrows, col, row;

static void set_cursor(void)
{
	uint16_t pos = (uint16_t)(row * ncols + col);
	outb(0x3d4, 0x0f);
	outb(0x3d5, pos & 0xff);
	outb(0x3d4, 0x0e);
	outb(0x3d5, pos >> 8);
}

void vga_init(uint64_t phys, int cols, int rows)
{
	screen = phys_to_virt(phys);
	ncols = cols;
	nrows = rows;
	col = row = 0;
	for (int i = 0; i < cols * rows; i++)
		screen[i] = ATTR | ' ';
	set_cursor();
}

static void scroll(void)
{
	for (int i = 0; i < (nrows - 1) * ncols; i++)
		screen[i] = screen[i + ncols];
	for (int i = (nrows - 1) * ncols; i < nrows * ncols; i++)
		screen[i] = ATTR | ' ';
	row = nrows - 1;
}

void vga_putc(char c)
{
	if (!screen)
		return;
	if (c == '\n') {
		col = 0;
		row++;
	} else if (c == '\r') {
		col = 0;
	} else if (c == '\b') {
		if (col > 0)
			screen[row * ncols + --col] = ATTR | ' ';
	} else {
		screen[row * ncols + col] = ATTR | (uint8_t)c;
		if (++col == ncols) {
			col = 0;
			row++;
		}
	}
	if (row == nrows)
		scroll();
	set_cursor();
}
