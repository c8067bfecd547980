; switch.asm - switch_to(&prev->ksp, next->ksp): change kernel stacks.
;
; Saves the callee-saved registers (SysV ABI: rbx rbp r12-r15) on the
; current stack, stores rsp in *prev_ksp, loads next_ksp and pops the
; registers saved when that task was switched out. The "ret" then continues
; wherever the next task called switch_to, or, for a new task, at
; task_first_run (see kernel/sched.c).

global switch_to

section .text
switch_to:
	push rbp
	mov rbp, rsp
	push rbx
	push r12
	push r13
	push r14
	push r15
	mov [rdi], rsp
	mov rsp, rsi
	pop r15
	pop r14
	pop r13
	pop r12
	pop rbx
	pop rbp
	ret

; task_first_run: where a new task's first switch_to "returns" to. Its
; switch frame (kernel/sched.c: task_alloc) holds rbx = a kernel function to
; run first (or 0) and r12 = its argument; then the task leaves for user
; mode through the trap frame at the top of its stack.
extern trap_return
global task_first_run
task_first_run:
	test rbx, rbx
	jz .to_user
	sti
	mov rdi, r12
	call rbx
	cli
.to_user:
	jmp trap_return
