; syscall.asm - the `syscall` instruction's entry point, and the way back.
;
; `syscall` (SDM vol. 2B) loads rip from MSR_LSTAR, saves the user rip in rcx
; and rflags in r11, masks rflags with MSR_FMASK (we clear IF, so no
; interrupt arrives before we are on a kernel stack) and does NOT switch
; stacks. So: swapgs to reach per-CPU data, save the user rsp, load the
; task's kernel stack, and build the same struct trap_frame a trap builds,
; so signals, fork and exec see one format.

%define USER_CS (0x20 | 3)
%define USER_DS (0x18 | 3)

; struct percpu offsets (kernel/task.h)
%define PERCPU_KERNEL_RSP 0
%define PERCPU_USER_RSP   8

extern syscall_dispatch
extern trap_return
global syscall_entry
global ret_to_user

%include "boot/regs.inc"

section .text
syscall_entry:
	swapgs
	mov [gs:PERCPU_USER_RSP], rsp
	mov rsp, [gs:PERCPU_KERNEL_RSP]
	push USER_DS                    ; ss
	push qword [gs:PERCPU_USER_RSP] ; rsp
	push r11                        ; rflags
	push USER_CS                    ; cs
	push rcx                        ; rip
	push 0                          ; error code
	push -1                         ; vector: -1 marks a system call
	PUSH_REGS
	cld
	mov rdi, rsp
	push qword [rsp + 17 * 8]       ; frame record for backtraces: user rip
	push rbp
	mov rbp, rsp
	sti
	call syscall_dispatch           ; returns with interrupts disabled
	add rsp, 16
	; fall through
; ret_to_user: leave the kernel through the trap frame at rsp. Both syscalls
; and traps may return this way; the frame decides where we land.
ret_to_user:
	jmp trap_return
