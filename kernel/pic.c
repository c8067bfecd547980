/*
 * pic.c - the legacy 8259A pair. The BIOS leaves IRQs 0-7 on vectors 8-15,
 * where they collide with CPU exceptions, so we move them to 32-47 and mask
 * everything until a driver asks for its line. (The local APIC replaces this
 * when SMP arrives.)
 */
#include "kernel/pic.h"
#include "kernel/trap.h"
#include "kernel/x86.h"

#define PIC1_CMD     0x20
#define PIC1_DATA    0x21
#define PIC2_CMD     0xa0
#define PIC2_DATA    0xa1
#define PIC_EOI      0x20
#define PIC_READ_ISR 0x0b

static uint16_t mask = 0xffff & ~(1 << 2); /* IRQ2 is the cascade to the second PIC */

static void write_mask(void)
{
	outb(PIC1_DATA, mask & 0xff);
	outb(PIC2_DATA, mask >> 8);
}

void pic_init(void)
{
	/* ICW1: init, expect ICW4; ICW2: vector base; ICW3: cascade on IRQ2; ICW4: 8086 mode */
	outb(PIC1_CMD, 0x11);
	io_wait();
	outb(PIC2_CMD, 0x11);
	io_wait();
	outb(PIC1_DATA, T_IRQ0);
	io_wait();
	outb(PIC2_DATA, T_IRQ0 + 8);
	io_wait();
	outb(PIC1_DATA, 4);
	io_wait();
	outb(PIC2_DATA, 2);
	io_wait();
	outb(PIC1_DATA, 1);
	io_wait();
	outb(PIC2_DATA, 1);
	io_wait();
	write_mask();
}

void pic_unmask(int irq)
{
	mask &= (uint16_t) ~(1 << irq);
	write_mask();
}

void pic_eoi(int irq)
{
	if (irq >= 8)
		outb(PIC2_CMD, PIC_EOI);
	outb(PIC1_CMD, PIC_EOI);
}

/* IRQ 7 and 15 fire spuriously when a request vanishes; the in-service bit tells. */
bool pic_is_spurious(int irq)
{
	if (irq == 7) {
		outb(PIC1_CMD, PIC_READ_ISR);
		return !(inb(PIC1_CMD) & 0x80);
	}
	if (irq == 15) {
		outb(PIC2_CMD, PIC_READ_ISR);
		if (!(inb(PIC2_CMD) & 0x80)) {
			outb(PIC1_CMD, PIC_EOI); /* the master did see the cascade */
			return true;
		}
	}
	return false;
}
