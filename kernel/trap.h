/* trap.h - interrupts and exceptions: the saved frame, the IDT, IRQ handlers. */
#ifndef MOO_KERNEL_TRAP_H
#define MOO_KERNEL_TRAP_H

#include <stdint.h>

/* What boot/trap.asm leaves on the stack, lowest address first. */
struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error_code;
	/* pushed by the CPU */
	uint64_t rip, cs, rflags, rsp, ss;
};

#define T_DE       0 /* divide error */
#define T_DB       1 /* debug */
#define T_NMI      2
#define T_BP       3  /* breakpoint (int3) */
#define T_UD       6  /* invalid opcode */
#define T_DF       8  /* double fault */
#define T_GP       13 /* general protection */
#define T_PF       14 /* page fault */
#define T_IRQ0     32 /* the 8259 PIC's IRQs are remapped to 32..47 */
#define T_SPURIOUS 255

void idt_init(void);
typedef void (*irq_handler_t)(struct trap_frame *tf);
void irq_register(int irq, irq_handler_t fn);
/* trap_die: report an unexpected trap (registers, decoding, backtrace) and halt. */
__attribute__((noreturn)) void trap_die(struct trap_frame *tf, const char *why);
const char *trap_name(uint64_t vector);

#endif
