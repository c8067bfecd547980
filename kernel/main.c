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
#include "kernel/serial.h"
#include "kernel/string.h"
#include "kernel/timer.h"
#include "kernel/trap.h"
#include "kernel/vga.h"
#include "kernel/x86.h"
#include "mm/memmap.h"
#include "mm/page.h"
#include "mm/paging.h"
#include "mm/mm.h"
#include "mm/slab.h"
#include "mm/uaccess.h"
#include "kernel/exec.h"
#include "kernel/fs/fs.h"
#include "kernel/keyboard.h"
#include "kernel/random.h"
#include "kernel/syscall.h"
#include "kernel/task.h"

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
		const char *odd = memmap_oddity(e->base, e->len);
		printk("  [mem 0x%016lx-0x%016lx] %s%s%s\n", e->base, e->base + e->len - 1,
		       mb2_mem_type_name(e->type), odd ? " - " : "", odd ? odd : "");
		for (int j = 0; j < i; j++)
			if (memmap_overlap(e->base, e->len, bi->mmap[j].base, bi->mmap[j].len))
				printk("  note: region %d overlaps region %d; where RAM and a "
				       "reservation overlap, the reservation wins\n",
				       i, j);
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

int64_t rtc_read_epoch(void);
void set_boot_time(int64_t epoch);

/* setup_filesystems: the initrd as root, then tmpfs on /tmp, /dev and /proc. */
static void setup_filesystems(const struct boot_info *bi)
{
	initrd_init(NULL, 0);
	for (int i = 0; i < bi->nmodules; i++)
		initrd_init(phys_to_virt(bi->modules[i].start),
			    bi->modules[i].end - bi->modules[i].start);
	static const char *const mountpoints[] = {"tmp", "dev", "proc"};
	struct inode *roots[] = {tmpfs_new_root(), devfs_init(), procfs_init()};
	for (int i = 0; i < 3; i++) {
		if (!dir_find(root_inode, mountpoints[i])) { /* the initrd may lack them */
			struct inode *d = inode_new(root_inode->sb, S_IFDIR | 0755);
			if (!d || dir_add(root_inode, mountpoints[i], d))
				panic("cannot create /%s", mountpoints[i]);
			iput(d);
		}
		char path[8] = "/";
		strlcpy(path + 1, mountpoints[i], sizeof(path) - 1);
		if (!roots[i] || vfs_mount(path, roots[i]))
			panic("cannot mount %s", path);
	}
}

/*
 * The first process. As Linux does, the kernel gives it /dev/console as
 * fds 0, 1 and 2, and passes the words after "--" on the command line as
 * its arguments (init then runs them as a command: see user/bin/init.c).
 */
#define INIT_MAX_ARGS 32
static char init_argbuf[512];
static char *init_argv[INIT_MAX_ARGS + 2];
static char *init_envp[] = {"HOME=/", "PATH=/bin", "TERM=vt100", NULL};
static const char *init_path = "/bin/init";

static void init_first_run(void *arg)
{
	(void)arg;
	int err;
	for (int fd = 0; fd < 3; fd++) {
		struct file *f = kernel_open("/dev/console", O_RDWR, 0, &err);
		if (!f || fd_install(f, false) != fd)
			panic("cannot open /dev/console for init");
	}
	err = kernel_execve(init_path, init_argv, init_envp);
	if (err)
		panic("cannot run %s (error %d): is it in the initrd?", init_path, -err);
}

/* strstr_words: the word w in line (delimited by spaces), or NULL. */
static const char *strstr_words(const char *line, const char *w)
{
	size_t n = strlen(w);
	for (const char *p = line; *p; p++)
		if ((p == line || p[-1] == ' ') && !strncmp(p, w, n) && (p[n] == ' ' || !p[n]))
			return p;
	return NULL;
}

static void parse_init_args(const char *cmdline)
{
	const char *p = strstr_words(cmdline, "--");
	int n = 0;
	init_argv[n++] = (char *)init_path;
	if (p) {
		strlcpy(init_argbuf, p + 2, sizeof(init_argbuf));
		for (char *s = init_argbuf; *s && n < INIT_MAX_ARGS;) {
			while (*s == ' ')
				*s++ = 0;
			if (!*s)
				break;
			init_argv[n++] = s;
			while (*s && *s != ' ')
				s++;
		}
	}
	init_argv[n] = NULL;
}

static void start_init(const struct boot_info *bi)
{
	static char path[128];
	if (cmdline_get("init", path, sizeof(path)))
		init_path = path;
	parse_init_args(bi->cmdline);
	struct task *t = task_alloc();
	if (!t)
		panic("no memory for init");
	strlcpy(t->comm, "init", sizeof(t->comm));
	t->cwd = root_inode;
	iget(root_inode);
	t->pgrp = t->sid = t->pid;
	t->parent = t;
	init_task = t;
	task_set_first_call(t, init_first_run, NULL);
	wake_up_new_task(t);
}

void kmain(uint32_t magic, phys_addr_t mbi)
{
	const char *why;
	char opt[64];

	console_init();
	if (multiboot_parse(magic, mbi, &boot_info, &why))
		panic("bad boot information: %s", why);
	cmdline_set(boot_info.cmdline);
	if (cmdline_get("console", opt, sizeof(opt)) && !strcmp(opt, "ttyS1"))
		serial_log_to_com2();
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

	zero_page_init();
	uaccess_init();
	syscall_init();
	random_init();
	set_boot_time(rtc_read_epoch());
	sched_init();
	setup_filesystems(&boot_info);

	pic_init();
	timer_init();
	tty_init();
	keyboard_init();
	sti();

	if (cmdline_get("crash", opt, sizeof(opt)))
		crash_run(opt);
	if (cmdline_get("selftest", opt, sizeof(opt)))
		selftest_run(opt);

	start_init(&boot_info);
	idle_loop();
}
