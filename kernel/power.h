/*
 * power.h - leaving the machine: QEMU's isa-debug-exit device.
 *
 * QEMU started with "-device isa-debug-exit,iobase=0xf4,iosize=4" exits when
 * a value v is written to port 0xf4, with exit status (v << 1) | 1. Tests use
 * it to report a result without parsing output; on real hardware the write
 * does nothing and the caller halts.
 */
#ifndef MOO_KERNEL_POWER_H
#define MOO_KERNEL_POWER_H

#define QEMU_EXIT_PASS  0x10 /* QEMU exit status 33 */
#define QEMU_EXIT_FAIL  0x11 /* 35 */
#define QEMU_EXIT_PANIC 0x12 /* 37 */

void qemu_debug_exit(int code);
/* machine_power_off: ACPI-less power off that works on QEMU, else halt. */
__attribute__((noreturn)) void machine_power_off(void);
/* machine_restart: reset through the keyboard controller, else a triple fault. */
__attribute__((noreturn)) void machine_restart(void);

#endif
