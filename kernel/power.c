/*
 * power.c - turning the machine off or resetting it.
 *
 * A real power-off goes through ACPI: the \_S5 sleep type from the DSDT
 * written to PM1a_CNT. moo does not parse ACPI yet; it uses the port where
 * QEMU's q35 chipset (ICH9) has PM1a_CNT under both SeaBIOS and OVMF
 * (PM base 0x600). On other machines it says so and halts.
 */
#include "kernel/power.h"
#include "kernel/printk.h"
#include "kernel/x86.h"

#define QEMU_ICH9_PM1A_CNT 0x604
#define SLP_EN             (1 << 13)

void qemu_debug_exit(int code)
{
	outl(0xf4, (uint32_t)code);
}

void machine_power_off(void)
{
	printk("moo: power off\n");
	cli();
	outw(QEMU_ICH9_PM1A_CNT, SLP_EN);
	printk("moo: power-off did not work on this machine; it is safe to switch it off now\n");
	for (;;)
		hlt();
}

void machine_restart(void)
{
	cli();
	for (int i = 0; i < 1000 && (inb(0x64) & 2); i++) /* keyboard controller input buffer */
		io_wait();
	outb(0x64, 0xfe); /* pulse the CPU reset line */
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) empty = {0, 0};
	__asm__ volatile("lidt %0; int3" : : "m"(empty)); /* no IDT: triple fault resets */
	for (;;)
		hlt();
}
