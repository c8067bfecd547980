; trap.asm - the entry stubs for all 256 interrupt vectors.
;
; The CPU pushes ss, rsp, rflags, cs, rip (and, for some exceptions, an error
; code) on the kernel stack. Each stub pushes a dummy error code when the CPU
; did not, then the vector number, and jumps to trap_common, which saves the
; general registers so that the stack holds a struct trap_frame
; (kernel/trap.h) and calls trap(frame). Returning pops it all and iretq's.

%define KERNEL_VMA 0xffffffff80000000

extern trap
global trap_vectors
global trap_return

; vectors whose exceptions push an error code (SDM vol. 3A, table 6-1)
%define HAS_ERR(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || (v) == 21 || (v) == 29 || (v) == 30)

%include "boot/regs.inc"

section .text
align 16
%assign v 0
%rep 256
trap_stub_ %+ v:
%if HAS_ERR(v) == 0
	push 0
%endif
	push v
	jmp trap_common
	align 16
%assign v v + 1
%endrep

trap_common:
	; entered from user mode (CPL 3 in the saved cs)? then switch GS to the kernel's
	test byte [rsp + 24], 3
	jz .saved_gs
	swapgs
.saved_gs:
	PUSH_REGS
	cld
	mov rdi, rsp
	; a frame record for backtraces: the interrupted rip and rbp, as if called
	push qword [rsp + 17 * 8]       ; frame's rip
	push rbp
	mov rbp, rsp
	call trap
	add rsp, 16
trap_return:
	POP_REGS
	test byte [rsp + 24], 3
	jz .restored_gs
	swapgs
.restored_gs:
	add rsp, 16                     ; vector and error code
	iretq

section .rodata
align 8
trap_vectors:                           ; the stub addresses, for idt_init()
%assign v 0
%rep 256
	dq trap_stub_ %+ v
%assign v v + 1
%endrep
