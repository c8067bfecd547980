/*
 * main.c - kmain(): the kernel's first C function (called from boot/entry.asm).
 *
 * Order matters: the console first (so everything after can complain), then
 * CPU tables (so faults are reported, not triple faults), then memory, then
 * interrupts.
 */
#include "kernel/cmdline.h"
#include "kernel/gdt.h"
#include "kernel/multiboot.h"
#include "kernel/pic.h"
#include "kernel/power.h"
#include "kernel/printk.h"
#include "kernel/selftest.h"
#include "kernel/string.h"
#include "kernel/timer.h"
#include "kernel/trap.h"
#include "kernel/vga.h"
#include "kernel/x86.h"
#include "mm/memmap.h"
#include "mm/page.h"
#include "mm/paging.h"
#include "mm/slab.h"

extern const char _kernel_end[];

static struct boot_info boot_info;
static struct memmap boot_memmap;

static void setup_console(const struct boot_info *bi)
{
	if (bi->has_fb && bi->fb.type == MB2_FB_EGA_TEXT) {
		vga_init(bi->fb.addr, (int)bi->fb.width, (int)bi->fb.height);
		console_enable_vga(1);
	}
}

static void print_boot_extras(const struct boot_info *bi)
{
	if (bi->has_fb && bi->fb.type == MB2_FB_EGA_TEXT)
		printk("console: serial COM1 and VGA text %ux%u\n", bi->fb.width, bi->fb.height);
	else if (bi->has_fb)
		printk("console: serial COM1 (framebuffer %ux%ux%u at %#lx not used)\n",
		       bi->fb.width, bi->fb.height, bi->fb.bpp, (unsigned long)bi->fb.addr);
	else
		printk("console: serial COM1\n");
	for (int i = 0; i < bi->nmodules; i++)
		printk("module %d: [%#lx-%#lx) \"%s\"\n", i, (unsigned long)bi->modules[i].start,
		       (unsigned long)bi->modules[i].end, bi->modules[i].cmdline);
}

/* setup_memmap: firmware's memory map plus everything we must not hand out. */
static void setup_memmap(const struct boot_info *bi, struct memmap *mm)
{
	printk("memory map from the firmware:\n");
	memmap_init(mm);
	for (int i = 0; i < bi->nmmap; i++) {
		const struct boot_mmap_entry *e = &bi->mmap[i];
		printk("  [mem 0x%016lx-0x%016lx] %s\n", e->base, e->base + e->len - 1,
		       mb2_mem_type_name(e->type));
		if (e->type == MB2_MEM_AVAILABLE)
			memmap_add(mm, e->base, e->len);
		else
			memmap_reserve(mm, e->base, e->len);
	}
	if (!bi->nmmap)
		panic("the boot loader gave no memory map");

	memmap_reserve(mm, 0, 1UL << 20); /* BIOS data, EBDA, VGA, option ROMs */
	memmap_reserve(mm, KERNEL_PHYS, kimg_to_phys(_kernel_end) - KERNEL_PHYS);
	memmap_reserve(mm, bi->mbi, bi->mbi_end - bi->mbi);
	for (int i = 0; i < bi->nmodules; i++)
		memmap_reserve(mm, bi->modules[i].start, bi->modules[i].end - bi->modules[i].start);
	if (mm->dropped)
		printk("warning: memory map has too many regions; %d ignored\n", mm->dropped);
}

static void print_memory(void)
{
	struct page_alloc_stats st;
	page_alloc_stats(&st);
	printk("memory: %lu MiB managed by the page allocator (%lu pages), %lu MiB free\n",
	       st.total_pages >> 8, st.total_pages, st.free_pages >> 8);
	printk("paging: on, 4-level, NX on; kernel page tables at %#lx (%lu table pages)\n",
	       read_cr3(), pt_pages());
}

void kmain(uint32_t magic, phys_addr_t mbi)
{
	const char *why;
	char opt[64];

	console_init();
	if (multiboot_parse(magic, mbi, &boot_info, &why))
		panic("bad boot information: %s", why);
	cmdline_set(boot_info.cmdline);
	if (cmdline_get("panic", opt, sizeof(opt)) && !strcmp(opt, "exit"))
		panic_action_exit = 1;
	setup_console(&boot_info);
	printk("\nmoo: a small x86-64 kernel for teaching virtual memory\n");
	printk("booted by %s; command line \"%s\"\n", boot_info.bootloader, boot_info.cmdline);
	print_boot_extras(&boot_info);

	gdt_init();
	idt_init();

	setup_memmap(&boot_info, &boot_memmap);
	page_alloc_init(&boot_memmap, EARLY_DIRECT_MAP_END);
	paging_init(&boot_memmap);
	kmalloc_init();
	print_memory();

	pic_init();
	timer_init();
	sti();

	if (cmdline_get("crash", opt, sizeof(opt)))
		crash_run(opt);
	if (cmdline_get("selftest", opt, sizeof(opt)))
		selftest_run(opt);

	printk("moo: nothing more to do yet; idling (processes come next)\n");
	for (;;)
		hlt();
}
