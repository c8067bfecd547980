/* multiboot.h - what GRUB tells us at boot (multiboot2 boot information). */
#ifndef MOO_KERNEL_MULTIBOOT_H
#define MOO_KERNEL_MULTIBOOT_H

#include <stdint.h>
#include "mm/memlayout.h"

#define MB2_BOOT_MAGIC 0x36d76289

/* memory map entry types (multiboot2 spec, 3.6.8) */
#define MB2_MEM_AVAILABLE        1
#define MB2_MEM_ACPI_RECLAIMABLE 3
#define MB2_MEM_NVS              4
#define MB2_MEM_BADRAM           5

#define BOOT_MAX_MMAP    64
#define BOOT_MAX_MODULES 8

struct boot_mmap_entry {
	uint64_t base, len;
	uint32_t type;
};

struct boot_module {
	phys_addr_t start, end;
	const char *cmdline;
};

struct boot_info {
	phys_addr_t mbi, mbi_end; /* the boot information itself */
	const char *cmdline;
	const char *bootloader;
	int nmmap;
	struct boot_mmap_entry mmap[BOOT_MAX_MMAP];
	int nmodules;
	struct boot_module modules[BOOT_MAX_MODULES];
	struct {
		phys_addr_t addr;
		uint32_t pitch, width, height;
		uint8_t bpp, type; /* type 0 indexed, 1 RGB, 2 EGA text */
	} fb;
	int has_fb;
};

#define MB2_FB_EGA_TEXT 2

/* multiboot_parse: check the magic and read the tags we use into bi.
 * Returns 0, or a negative number with *why set when the information is unusable. */
int multiboot_parse(uint32_t magic, phys_addr_t mbi, struct boot_info *bi, const char **why);
const char *mb2_mem_type_name(uint32_t type);

#endif
