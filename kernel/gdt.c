/*
 * gdt.c - the global descriptor table and the TSS.
 *
 * In 64-bit mode segments are flat; the GDT matters for the privilege level
 * in CS/SS and for the TSS, which holds the stack pointers the CPU loads on a
 * privilege change (rsp0) and on vectors with an IST index (ist[]).
 */
#include "kernel/gdt.h"
#include "kernel/string.h"

struct tss {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __attribute__((packed));

static struct tss tss;
static uint8_t df_stack[8192] __attribute__((aligned(16)));

/* descriptor bits: present, DPL, code/data, long-mode code, writable */
#define SEG_P    (1UL << 47)
#define SEG_DPL3 (3UL << 45)
#define SEG_S    (1UL << 44)
#define SEG_CODE (1UL << 43)
#define SEG_RW   (1UL << 41)
#define SEG_LONG (1UL << 53)

static uint64_t gdt[7] = {
    0,
    SEG_P | SEG_S | SEG_CODE | SEG_RW | SEG_LONG,            /* 0x08 kernel code */
    SEG_P | SEG_S | SEG_RW,                                  /* 0x10 kernel data */
    SEG_P | SEG_DPL3 | SEG_S | SEG_RW,                       /* 0x18 user data */
    SEG_P | SEG_DPL3 | SEG_S | SEG_CODE | SEG_RW | SEG_LONG, /* 0x20 user code */
    0,
    0, /* 0x28 TSS (16 bytes) */
};

static void set_tss_descriptor(void)
{
	uint64_t base = (uint64_t)&tss, limit = sizeof(tss) - 1;
	gdt[5] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x9UL << 40) /* available TSS */
		 | SEG_P | (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
	gdt[6] = base >> 32;
}

void gdt_init(void)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) gdtr = {sizeof(gdt) - 1, (uint64_t)gdt};

	memset(&tss, 0, sizeof(tss));
	tss.ist[IST_DOUBLE_FAULT - 1] = (uint64_t)(df_stack + sizeof(df_stack));
	tss.iomap_base = sizeof(tss); /* no I/O permission bitmap */
	set_tss_descriptor();

	__asm__ volatile("lgdt %0\n\t"
			 "mov %1, %%ds\n\t"
			 "mov %1, %%es\n\t"
			 "mov %1, %%ss\n\t"
			 "pushq %2\n\t" /* reload CS with a far return */
			 "leaq 1f(%%rip), %%rax\n\t"
			 "pushq %%rax\n\t"
			 "lretq\n"
			 "1:\n\t"
			 "ltr %w3"
			 :
			 : "m"(gdtr), "r"(KERNEL_DS), "i"(KERNEL_CS), "r"(TSS_SEL)
			 : "rax", "memory");
}

void tss_set_rsp0(uint64_t rsp0)
{
	tss.rsp[0] = rsp0;
}
