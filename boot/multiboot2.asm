; multiboot2.asm - the header GRUB looks for in the first 32 KiB of the image.
;
; Multiboot2 spec, section 3.1: a 8-byte aligned header with magic, architecture
; (0 = i386 protected mode), length and checksum, followed by tags, ending with
; an end tag. We ask for nothing special: GRUB then passes the memory map,
; command line, modules and (if any) framebuffer in its boot information.

MB2_MAGIC       equ 0xe85250d6
MB2_ARCH_I386   equ 0

section .multiboot2 progbits alloc noexec nowrite align=8
mb2_header:
	dd MB2_MAGIC
	dd MB2_ARCH_I386
	dd mb2_header_end - mb2_header
	dd -(MB2_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))
	; end tag: type 0, flags 0, size 8
	dw 0
	dw 0
	dd 8
mb2_header_end:
