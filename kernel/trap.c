/*
 * trap.c - the interrupt descriptor table and the C side of every trap.
 *
 * boot/trap.asm saves the registers and calls trap(). Exceptions go to their
 * handler (a page fault to mm/fault.c); anything the kernel does not expect
 * ends in trap_die(), which prints what a student needs to find the bug:
 * the vector's name, every register, the decoded #PF error code and CR2,
 * and a backtrace with symbol names.
 */
#include "kernel/trap.h"
#include "kernel/gdt.h"
#include "kernel/ksyms.h"
#include "kernel/pic.h"
#include "kernel/printk.h"
#include "kernel/x86.h"
#include "mm/fault.h"
#include "mm/uaccess.h"
#include "kernel/signal.h"
#include "kernel/task.h"
#include <stdbool.h>

struct idt_gate {
	uint16_t offset_lo;
	uint16_t selector;
	uint8_t ist;
	uint8_t type_attr; /* present, DPL, type 0xe = 64-bit interrupt gate */
	uint16_t offset_mid;
	uint32_t offset_hi;
	uint32_t reserved;
} __attribute__((packed));

static struct idt_gate idt[256];
extern const uint64_t trap_vectors[256];
static irq_handler_t irq_handlers[16];

static const char *const exception_names[32] = {
    "#DE divide error",
    "#DB debug",
    "NMI",
    "#BP breakpoint",
    "#OF overflow",
    "#BR bound range",
    "#UD invalid opcode",
    "#NM device not available",
    "#DF double fault",
    "coprocessor segment overrun",
    "#TS invalid TSS",
    "#NP segment not present",
    "#SS stack-segment fault",
    "#GP general protection",
    "#PF page fault",
    "reserved (15)",
    "#MF x87 floating point",
    "#AC alignment check",
    "#MC machine check",
    "#XM SIMD floating point",
    "#VE virtualization",
    "#CP control protection",
};

const char *trap_name(uint64_t vector)
{
	if (vector < 32)
		return exception_names[vector] ? exception_names[vector] : "reserved";
	if (vector < 48)
		return "IRQ";
	return "interrupt";
}

static void set_gate(int vec, uint64_t handler, int ist, int dpl)
{
	idt[vec] = (struct idt_gate){
	    .offset_lo = handler & 0xffff,
	    .selector = KERNEL_CS,
	    .ist = (uint8_t)ist,
	    .type_attr = (uint8_t)(0x80 | (dpl << 5) | 0xe),
	    .offset_mid = (handler >> 16) & 0xffff,
	    .offset_hi = (uint32_t)(handler >> 32),
	};
}

void idt_init(void)
{
	for (int v = 0; v < 256; v++)
		set_gate(v, trap_vectors[v], v == T_DF ? IST_DOUBLE_FAULT : 0, v == T_BP ? 3 : 0);
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) idtr = {sizeof(idt) - 1, (uint64_t)idt};
	__asm__ volatile("lidt %0" : : "m"(idtr));
}

void irq_register(int irq, irq_handler_t fn)
{
	irq_handlers[irq] = fn;
	pic_unmask(irq);
}

static void dump_registers(const struct trap_frame *tf)
{
	printk("  rip %016lx  cs %04lx  rflags %016lx\n", tf->rip, tf->cs, tf->rflags);
	printk("  rsp %016lx  ss %04lx  error %#lx\n", tf->rsp, tf->ss, tf->error_code);
	printk("  rax %016lx  rbx %016lx  rcx %016lx\n", tf->rax, tf->rbx, tf->rcx);
	printk("  rdx %016lx  rsi %016lx  rdi %016lx\n", tf->rdx, tf->rsi, tf->rdi);
	printk("  rbp %016lx  r8  %016lx  r9  %016lx\n", tf->rbp, tf->r8, tf->r9);
	printk("  r10 %016lx  r11 %016lx  r12 %016lx\n", tf->r10, tf->r11, tf->r12);
	printk("  r13 %016lx  r14 %016lx  r15 %016lx\n", tf->r13, tf->r14, tf->r15);
	printk("  cr0 %016lx  cr2 %016lx  cr3 %016lx  cr4 %016lx\n", read_cr0(), read_cr2(),
	       read_cr3(), read_cr4());
}

extern const char boot_stack_guard[];

static int is_stack_guard(uint64_t addr)
{
	return addr - (uint64_t)boot_stack_guard < 4096;
}

void trap_die(struct trap_frame *tf, const char *why)
{
	cli();
	printk("\n*** %s: %s (vector %lu) in %s mode\n", why, trap_name(tf->vector), tf->vector,
	       (tf->cs & 3) ? "user" : "kernel");
	if (tf->vector == T_PF) {
		char desc[128];
		pf_describe(tf->error_code, desc, sizeof(desc));
		printk("  page fault at cr2 %016lx: %s\n", read_cr2(), desc);
	}
	if (tf->vector == T_DF && is_stack_guard(read_cr2()))
		printk("  cr2 %016lx is in a stack guard page: kernel stack overflow\n",
		       read_cr2());
	dump_registers(tf);
	const char *fn = ksym_name(tf->rip, 0);
	printk("  faulting instruction in %s\n", fn ? fn : "? (not kernel text)");
	if (!fn && !(tf->cs & 3)) {
		/* A call to a bad address faults before the callee pushes rbp:
		 * the caller is found through the return address on the stack. */
		fn = ksym_name(*(const uint64_t *)tf->rsp, 0);
		printk("  called from %s\n", fn ? fn : "?");
	}
	backtrace_from(tf->rbp, tf->rip);
	die();
}

/*
 * user_exception: an exception in user mode is the program's problem, not
 * the kernel's: it becomes a signal, with Linux's choice of signal and code.
 */
static void user_exception(struct trap_frame *tf)
{
	switch (tf->vector) {
	case T_DE:
		force_sig_fault(SIGFPE, 1 /* FPE_INTDIV */, tf->rip);
		break;
	case T_DB:
	case T_BP:
		force_sig_fault(SIGTRAP, SI_KERNEL, tf->rip);
		break;
	case T_UD:
		force_sig_fault(SIGILL, 2 /* ILL_ILLOPN */, tf->rip);
		break;
	case 16: /* #MF x87 */
	case 19: /* #XM SIMD */
		force_sig_fault(SIGFPE, 0, tf->rip);
		break;
	case 17: /* #AC */
		force_sig_fault(SIGBUS, 1 /* BUS_ADRALN */, 0);
		break;
	default: /* #GP (a privileged instruction, a non-canonical address), #SS, #NP ... */
		force_sig_fault(SIGSEGV, SI_KERNEL, 0);
		break;
	}
}

void trap(struct trap_frame *tf)
{
	uint64_t v = tf->vector;
	bool from_user = tf->cs & 3;

	/* A trap inside a uaccess function arrives with EFLAGS.AC set (stac):
	 * close the SMAP window for the handler; iretq restores AC. */
	uaccess_trap_entry();

	if (v == T_PF) {
		do_page_fault(tf);
	} else if (v >= T_IRQ0 && v < T_IRQ0 + 16) {
		int irq = (int)(v - T_IRQ0);
		if (pic_is_spurious(irq))
			return;
		pic_eoi(irq);
		if (irq_handlers[irq])
			irq_handlers[irq](tf);
	} else if (v == T_SPURIOUS) {
		return;
	} else if (from_user && v < 32 && v != T_DF && v != 18 /* #MC */) {
		user_exception(tf);
	} else {
		trap_die(tf, "unexpected exception");
	}
	/* Back to user mode: the place to act on signals and on the timer's
	 * request to reschedule (this is what makes user code preemptible). */
	if (from_user)
		ret_to_user_work(tf);
}
