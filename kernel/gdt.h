/* gdt.h - segment selectors and the task state segment. */
#ifndef MOO_KERNEL_GDT_H
#define MOO_KERNEL_GDT_H

#include <stdint.h>

/*
 * The order is fixed by syscall/sysret (SDM vol. 2B, SYSRET): user data must
 * sit 8 bytes below user code, both above the kernel pair.
 */
#define KERNEL_CS 0x08
#define KERNEL_DS 0x10
#define USER_DS   (0x18 | 3)
#define USER_CS   (0x20 | 3)
#define TSS_SEL   0x28

#define IST_DOUBLE_FAULT 1 /* #DF runs on its own stack: the kernel stack may be the problem */

void gdt_init(void);
/* tss_set_rsp0: the stack the CPU switches to on a trap from user mode. */
void tss_set_rsp0(uint64_t rsp0);

#endif
