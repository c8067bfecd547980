; entry.asm - from GRUB's 32-bit protected mode to the kernel's C code in long mode.
;
; GRUB enters _start (multiboot2 spec, section 3.3) with:
;   eax = 0x36d76289 (the multiboot2 magic), ebx = physical address of the boot
;   information, 32-bit flat segments, paging off, interrupts off, no stack.
;
; We check that we were booted by multiboot2 and that the CPU has long mode and
; NX, build throw-away page tables, enable PAE, EFER.LME/NXE and paging, and far
; jump into 64-bit code. The early tables map with 2 MiB pages:
;   - identity 0..4 GiB         (so the instruction after "enable paging" exists)
;   - DIRECT_MAP_BASE + 0..4 GiB (the direct map, so C can read the boot info)
;   - KERNEL_VMA + 0..1 GiB      (the kernel image, linked there)
; kmain() then builds the real tables (mm/paging.c) and drops this set.
;
; Debugging tip: gdb's software breakpoints on higher-half code only work once
; paging is on. Use "hbreak" for the first stop (see README, "Debugging").

%define KERNEL_VMA 0xffffffff80000000
%define MB2_BOOT_MAGIC 0x36d76289

%define CR0_PG   (1 << 31)
%define CR0_WP   (1 << 16)
%define CR4_PAE  (1 << 5)
%define CR4_PGE  (1 << 7)
%define MSR_EFER 0xc0000080
%define EFER_LME (1 << 8)
%define EFER_NXE (1 << 11)

%define PTE_P    (1 << 0)
%define PTE_W    (1 << 1)
%define PTE_PS   (1 << 7)

%define COM1     0x3f8

extern kmain
global _start
global boot_stack_top
global early_pml4
global boot_stack_guard
global boot_stack

; ---------------------------------------------------------------- 32-bit code
section .boot.text progbits alloc exec nowrite align=16
bits 32
_start:
	cli
	cld
	mov esp, boot_stack_top - KERNEL_VMA
	mov edi, eax                    ; keep magic and boot info for kmain
	mov esi, ebx

	cmp eax, MB2_BOOT_MAGIC
	jne .no_multiboot2
	call check_long_mode
	call build_early_tables

	mov eax, cr4
	or eax, CR4_PAE | CR4_PGE
	mov cr4, eax

	mov eax, early_pml4 - KERNEL_VMA
	mov cr3, eax

	mov ecx, MSR_EFER
	rdmsr
	or eax, EFER_LME | EFER_NXE
	wrmsr

	mov eax, cr0
	or eax, CR0_PG | CR0_WP         ; now in IA-32e compatibility mode
	mov cr0, eax

	lgdt [gdt64_ptr]
	jmp GDT64_CODE:long_mode_low    ; loading a 64-bit CS enters 64-bit mode

.no_multiboot2:
	mov eax, msg_no_mb2
	jmp boot_fail

; check_long_mode: returns if CPUID reports long mode and NX, else halts with a message.
check_long_mode:
	pushfd                          ; CPUID exists if EFLAGS.ID (bit 21) can flip
	pop eax
	mov ecx, eax
	xor eax, 1 << 21
	push eax
	popfd
	pushfd
	pop eax
	push ecx
	popfd
	cmp eax, ecx
	je .no_lm
	mov eax, 0x80000000             ; highest extended leaf
	cpuid
	cmp eax, 0x80000001
	jb .no_lm
	mov eax, 0x80000001
	cpuid
	test edx, 1 << 29               ; LM
	jz .no_lm
	test edx, 1 << 20               ; NX
	jz .no_nx
	ret
.no_lm:
	mov eax, msg_no_lm
	jmp boot_fail
.no_nx:
	mov eax, msg_no_nx
	jmp boot_fail

; build_early_tables: fill the boot page tables described at the top.
build_early_tables:
	; four page directories of 512 x 2 MiB entries = identity of 0..4 GiB
	mov edi, early_pd - KERNEL_VMA
	mov eax, PTE_P | PTE_W | PTE_PS
	xor edx, edx                    ; high dword of each entry (addresses < 4 GiB)
	mov ecx, 4 * 512
.fill_pd:
	mov [edi], eax
	mov [edi + 4], edx
	add eax, 0x200000
	add edi, 8
	loop .fill_pd

	; low PDPT: entries 0..3 -> the four page directories
	mov edi, early_pdpt_low - KERNEL_VMA
	mov eax, early_pd - KERNEL_VMA + (PTE_P | PTE_W)
	mov ecx, 4
.fill_pdpt:
	mov [edi], eax
	add eax, 4096
	add edi, 8
	loop .fill_pdpt

	; high PDPT: entry 510 (= KERNEL_VMA bits 38:30) -> first page directory
	mov dword [early_pdpt_high - KERNEL_VMA + 510 * 8], early_pd - KERNEL_VMA + (PTE_P | PTE_W)

	; PML4: 0 (identity) and 256 (direct map) share the low PDPT; 511 -> high
	mov edi, early_pml4 - KERNEL_VMA
	mov dword [edi + 0 * 8], early_pdpt_low - KERNEL_VMA + (PTE_P | PTE_W)
	mov dword [edi + 256 * 8], early_pdpt_low - KERNEL_VMA + (PTE_P | PTE_W)
	mov dword [edi + 511 * 8], early_pdpt_high - KERNEL_VMA + (PTE_P | PTE_W)
	mov edi, MB2_BOOT_MAGIC         ; we clobbered edi; it held this (checked) value
	ret

; boot_fail: print the NUL-terminated string at eax on COM1 and the VGA text
; screen, then halt forever. Used before there is any C or any IDT.
boot_fail:
	mov esi, eax
	mov edi, 0xb8000
.next:
	lodsb
	test al, al
	jz .halt
	mov ah, 0x4f                    ; white on red
	mov [edi], ax
	add edi, 2
	mov bl, al
	mov dx, COM1 + 5                ; line status: wait for an empty transmitter
.wait:
	in al, dx
	test al, 0x20
	jz .wait
	mov al, bl
	mov dx, COM1
	out dx, al
	jmp .next
.halt:
	cli
	hlt
	jmp .halt

; ---------------------------------------------------------------- 64-bit code
bits 64
long_mode_low:
	mov ax, GDT64_DATA
	mov ds, ax
	mov es, ax
	mov ss, ax
	xor eax, eax
	mov fs, ax
	mov gs, ax
	mov rax, long_mode_high         ; leave the identity map for the higher half
	jmp rax

section .text
long_mode_high:
	mov rsp, boot_stack_top
	; kmain(magic, boot info physical address): edi and esi survived from _start.
	; kmain never returns. We enter it with a zero return address and rbp = 0:
	; that marks the outermost frame, so backtraces (ours and gdb's) stop
	; there instead of unwinding into whatever lies above the stack.
	mov edi, edi
	mov esi, esi
	xor ebp, ebp
	push 0
	jmp kmain

; ---------------------------------------------------------------- data
section .boot.data progbits alloc noexec write align=16
msg_no_mb2: db "moo: not booted by a multiboot2 loader (bad magic in eax); halting.", 13, 10, 0
msg_no_lm:  db "moo: this CPU has no 64-bit long mode; moo needs an x86-64 CPU. Halting.", 13, 10, 0
msg_no_nx:  db "moo: this CPU has no NX (execute-disable) bit; moo needs it. Halting.", 13, 10, 0

align 16
gdt64:
	dq 0
GDT64_CODE equ $ - gdt64
	dq 0x00af9a000000ffff           ; 64-bit code, present, ring 0
GDT64_DATA equ $ - gdt64
	dq 0x00cf92000000ffff           ; data, present, writable
gdt64_end:
gdt64_ptr:
	dw gdt64_end - gdt64 - 1
	dd gdt64

section .bss nobits alloc noexec write align=4096
early_pml4:      resb 4096
early_pdpt_low:  resb 4096
early_pdpt_high: resb 4096
early_pd:        resb 4 * 4096
boot_stack_guard: resb 4096      ; unmapped by paging_init(): overflow faults
boot_stack:      resb 16384
boot_stack_top:
