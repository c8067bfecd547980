/*
 * exec.c - execve(): replace the current program with a static ELF64 file.
 *
 * Each PT_LOAD segment becomes a MAP_PRIVATE file mapping of the program
 * (so processes running the same program share its pages through the page
 * cache, and a write to its data copies just the page written) plus, for
 * .bss, an anonymous mapping. Nothing is read here: the first access to
 * each page faults it in. The new stack gets the strings, argv, envp and
 * the auxiliary vector in the layout of the System V x86-64 ABI (3.4.1):
 *
 *   high   strings (argv, envp, execfn), 16 random bytes (AT_RANDOM)
 *          auxv pairs, AT_NULL
 *          envp[0..], NULL
 *          argv[0..], NULL
 *   rsp -> argc
 */
#include "kernel/errno.h"
#include "kernel/exec.h"
#include "kernel/fs/fs.h"
#include "kernel/printk.h"
#include "kernel/random.h"
#include "kernel/string.h"
#include "kernel/syscall.h"
#include "kernel/task.h"
#include "kernel/exit.h"
#include "kernel/gdt.h"
#include "kernel/x86.h"
#include "mm/mm.h"
#include "mm/page.h"
#include "mm/slab.h"
#include "mm/uaccess.h"

#define ELF_ET_DYN_BASE    0x555555554000UL /* where Linux puts static-PIE programs */
#define STACK_SIZE_INITIAL (128UL << 10)    /* the stack VMA; it grows on faults */
#define ARG_MAX            (256UL << 10)    /* bytes of argv + envp strings */
#define MAX_ARGS           4096

struct elf64_ehdr {
	uint8_t e_ident[16];
	uint16_t e_type, e_machine;
	uint32_t e_version;
	uint64_t e_entry, e_phoff, e_shoff;
	uint32_t e_flags;
	uint16_t e_ehsize, e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx;
};

struct elf64_phdr {
	uint32_t p_type, p_flags;
	uint64_t p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_align;
};

#define ET_EXEC   2
#define ET_DYN    3
#define EM_X86_64 62
#define PT_LOAD   1
#define PT_INTERP 3
#define PT_PHDR   6
#define PF_X      1
#define PF_W      2
#define PF_R      4

/* auxiliary vector types (elf.h) */
#define AT_NULL     0
#define AT_PHDR     3
#define AT_PHENT    4
#define AT_PHNUM    5
#define AT_PAGESZ   6
#define AT_BASE     7
#define AT_FLAGS    8
#define AT_ENTRY    9
#define AT_UID      11
#define AT_EUID     12
#define AT_GID      13
#define AT_EGID     14
#define AT_PLATFORM 15
#define AT_HWCAP    16
#define AT_CLKTCK   17
#define AT_SECURE   23
#define AT_RANDOM   25
#define AT_EXECFN   31

/* struct exec_args: argv and envp copied into one kernel buffer. */
struct exec_args {
	char *buf; /* all strings, NUL-separated: argv then envp */
	size_t len;
	int argc, envc;
};

static int args_add(struct exec_args *a, const char *s, size_t n)
{
	if (a->len + n + 1 > ARG_MAX || a->argc + a->envc >= MAX_ARGS)
		return -E2BIG;
	memcpy(a->buf + a->len, s, n);
	a->buf[a->len + n] = 0;
	a->len += n + 1;
	return 0;
}

/* copy_strings: append the NULL-terminated user array uv (argv or envp). */
static int copy_strings(struct exec_args *a, const char *const __user *uv, int *count)
{
	char *tmp = kmalloc(PAGE_SIZE);
	int err = 0;
	if (!tmp)
		return -ENOMEM;
	for (int i = 0; uv; i++) {
		const char *up;
		if (copy_from_user(&up, &uv[i], sizeof(up))) {
			err = -EFAULT;
			break;
		}
		if (!up)
			break;
		long n = strncpy_from_user(tmp, up, PAGE_SIZE);
		if (n < 0) {
			err = n == -ENAMETOOLONG ? -E2BIG : (int)n;
			break;
		}
		err = args_add(a, tmp, (size_t)n);
		if (err)
			break;
		(*count)++;
	}
	kfree(tmp);
	return err;
}

/* check_elf: is this an ELF64 x86-64 program moo can run? */
static int check_elf(const struct elf64_ehdr *eh, const struct elf64_phdr *ph, off_t size)
{
	if (memcmp(eh->e_ident, "\177ELF", 4) || eh->e_ident[4] != 2 /* 64-bit */ ||
	    eh->e_ident[5] != 1 /* little endian */ || eh->e_machine != EM_X86_64 ||
	    (eh->e_type != ET_EXEC && eh->e_type != ET_DYN) ||
	    eh->e_phentsize != sizeof(struct elf64_phdr) || eh->e_phnum == 0 || eh->e_phnum > 64)
		return -ENOEXEC;
	for (int i = 0; i < eh->e_phnum; i++) {
		const struct elf64_phdr *p = &ph[i];
		if (p->p_type == PT_INTERP)
			return -ENOEXEC; /* needs a dynamic linker: moo runs static programs */
		if (p->p_type != PT_LOAD)
			continue;
		if (p->p_filesz > p->p_memsz || p->p_offset + p->p_filesz < p->p_offset ||
		    (off_t)(p->p_offset + p->p_filesz) > size ||
		    (p->p_vaddr & (PAGE_SIZE - 1)) != (p->p_offset & (PAGE_SIZE - 1)) ||
		    p->p_vaddr + p->p_memsz < p->p_vaddr)
			return -ENOEXEC;
	}
	return 0;
}

static unsigned long seg_flags(uint32_t pf)
{
	unsigned long f = VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC;
	if (pf & PF_R)
		f |= VM_READ;
	if (pf & PF_W)
		f |= VM_WRITE;
	if (pf & PF_X)
		f |= VM_EXEC;
	return f;
}

/* map_segments: VMAs for every PT_LOAD; sets the mm's code/data/brk fields. */
static int map_segments(struct mm_struct *mm, struct file *f, const struct elf64_ehdr *eh,
			const struct elf64_phdr *ph, uintptr_t bias, uintptr_t *phdr_addr)
{
	uintptr_t brk = 0;
	mm->start_code = ~0UL;
	for (int i = 0; i < eh->e_phnum; i++) {
		const struct elf64_phdr *p = &ph[i];
		if (p->p_type == PT_PHDR)
			*phdr_addr = bias + p->p_vaddr;
		if (p->p_type != PT_LOAD || p->p_memsz == 0)
			continue;
		uintptr_t start = ALIGN_DOWN(bias + p->p_vaddr, PAGE_SIZE);
		uintptr_t file_end = PAGE_ALIGN(bias + p->p_vaddr + p->p_filesz);
		uintptr_t end = PAGE_ALIGN(bias + p->p_vaddr + p->p_memsz);
		unsigned long flags = seg_flags(p->p_flags);
		if (end > USER_TOP || start < PAGE_SIZE)
			return -ENOEXEC;
		if (!*phdr_addr && eh->e_phoff >= p->p_offset &&
		    eh->e_phoff < p->p_offset + p->p_filesz)
			*phdr_addr = bias + p->p_vaddr + (eh->e_phoff - p->p_offset);
		if (file_end > start) {
			int err =
			    vma_map(mm, start, file_end, flags, f, p->p_offset >> PAGE_SHIFT, NULL);
			if (err)
				return err;
		}
		if (end > file_end) { /* .bss beyond the last file page */
			int err = vma_map(mm, file_end, end, flags, NULL, 0, NULL);
			if (err)
				return err;
		}
		if (p->p_flags & PF_X) {
			if (start < mm->start_code)
				mm->start_code = start;
			if (end > mm->end_code)
				mm->end_code = bias + p->p_vaddr + p->p_filesz;
		} else {
			mm->start_data = bias + p->p_vaddr;
			mm->end_data = bias + p->p_vaddr + p->p_filesz;
		}
		if (end > brk)
			brk = end;
	}
	mm->start_brk = mm->brk = brk;
	return 0;
}

/* clear_bss_tail: the rest of the page holding the end of a writable
 * segment's file data belongs to .bss and must read as zero. Writing it
 * faults the page in as a private copy (like Linux's padzero). */
static int clear_bss_tail(const struct elf64_ehdr *eh, const struct elf64_phdr *ph, uintptr_t bias)
{
	for (int i = 0; i < eh->e_phnum; i++) {
		const struct elf64_phdr *p = &ph[i];
		if (p->p_type != PT_LOAD || !(p->p_flags & PF_W) || p->p_memsz == p->p_filesz)
			continue;
		uintptr_t end = bias + p->p_vaddr + p->p_filesz;
		size_t n = PAGE_ALIGN(end) - end;
		if (n && clear_user((void *)end, n))
			return -EFAULT;
	}
	return 0;
}

/* push: copy n bytes below *sp on the new user stack. */
static int push(uintptr_t *sp, const void *src, size_t n)
{
	*sp -= n;
	return copy_to_user((void *)*sp, src, n);
}

static int setup_stack(struct mm_struct *mm, const struct exec_args *a, const char *path,
		       const uint64_t *auxv_in, int nauxv, uintptr_t *rsp)
{
	uintptr_t sp = USER_STACK_TOP;
	uint8_t rnd[16];
	int err;

	err = vma_map(mm, USER_STACK_TOP - STACK_SIZE_INITIAL, USER_STACK_TOP,
		      VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC | VM_GROWSDOWN,
		      NULL, 0, NULL);
	if (err)
		return err;
	mm->start_stack = USER_STACK_TOP;

	/* strings: argv and envp exactly as copied, then the file name */
	if ((err = push(&sp, path, strlen(path) + 1)))
		return err;
	uintptr_t execfn = sp;
	if ((err = push(&sp, a->buf, a->len)))
		return err;
	uintptr_t strings = sp;
	mm->arg_start = strings;
	get_random_bytes(rnd, sizeof(rnd));
	if ((err = push(&sp, rnd, sizeof(rnd))))
		return err;
	uintptr_t random = sp;
	sp &= ~15UL;

	/* the vector: argc, argv[], NULL, envp[], NULL, auxv */
	int nptr = 1 + a->argc + 1 + a->envc + 1 + nauxv + 6;
	uint64_t *v = kmalloc((size_t)nptr * 8);
	if (!v)
		return -ENOMEM;
	int k = 0;
	uintptr_t s = strings;
	v[k++] = (uint64_t)a->argc;
	for (int i = 0; i < a->argc; i++) {
		v[k++] = s;
		s += strlen(a->buf + (s - strings)) + 1;
	}
	v[k++] = 0;
	mm->arg_end = mm->env_start = s;
	for (int i = 0; i < a->envc; i++) {
		v[k++] = s;
		s += strlen(a->buf + (s - strings)) + 1;
	}
	v[k++] = 0;
	mm->env_end = s;
	for (int i = 0; i < nauxv; i++)
		v[k++] = auxv_in[i];
	v[k++] = AT_RANDOM;
	v[k++] = random;
	v[k++] = AT_EXECFN;
	v[k++] = execfn;
	v[k++] = AT_NULL;
	v[k++] = 0;
	if (k & 1) /* the ABI wants rsp (pointing at argc) 16-byte aligned at entry */
		sp -= 8;
	err = push(&sp, v, (size_t)k * 8);
	kfree(v);
	*rsp = sp;
	return err;
}

static void set_comm(struct task *t, const char *path)
{
	const char *base = strrchr(path, '/');
	strlcpy(t->comm, base ? base + 1 : path, sizeof(t->comm));
}

int do_execve(const char *path, struct exec_args *a)
{
	struct task *t = current;
	struct elf64_ehdr eh;
	struct elf64_phdr *ph = NULL;
	struct mm_struct *mm = NULL, *old;
	uintptr_t bias = 0, phdr_addr = 0, sp;
	int err;

	struct file *f = kernel_open(path, O_RDONLY, 0, &err);
	if (!f)
		return err;
	err = -EACCES;
	if (!S_ISREG(f->inode->mode) || !(f->inode->mode & 0111))
		goto out;
	err = -ENOEXEC;
	if (kernel_read(f, &eh, sizeof(eh), 0) != sizeof(eh))
		goto out;
	if (eh.e_phnum > 0 && eh.e_phnum <= 64) {
		size_t n = (size_t)eh.e_phnum * sizeof(*ph);
		ph = kmalloc(n);
		err = -ENOMEM;
		if (!ph)
			goto out;
		err = -ENOEXEC;
		if (kernel_read(f, ph, n, (off_t)eh.e_phoff) != (ssize_t)n)
			goto out;
	}
	if (!ph || (err = check_elf(&eh, ph, f->inode->size)))
		goto out;
	if (eh.e_type == ET_DYN)
		bias = ELF_ET_DYN_BASE;

	err = -ENOMEM;
	mm = mm_create();
	if (!mm)
		goto out;
	if ((err = map_segments(mm, f, &eh, ph, bias, &phdr_addr)))
		goto out;

	/* The point of no return: the old program is gone after this. */
	old = t->mm;
	t->mm = mm;
	switch_mm(mm);
	if (old)
		mmput(old);
	mm = NULL;

	uint32_t ca, cb, cc, cd;
	cpuid(1, 0, &ca, &cb, &cc, &cd);
	const uint64_t auxv[] = {
	    AT_PHDR,   phdr_addr,
	    AT_PHENT,  sizeof(struct elf64_phdr),
	    AT_PHNUM,  eh.e_phnum,
	    AT_PAGESZ, PAGE_SIZE,
	    AT_BASE,   0,
	    AT_FLAGS,  0,
	    AT_ENTRY,  bias + eh.e_entry,
	    AT_UID,    0,
	    AT_EUID,   0,
	    AT_GID,    0,
	    AT_EGID,   0,
	    AT_SECURE, 0,
	    AT_HWCAP,  cd,
	    AT_CLKTCK, 100,
	};
	if (clear_bss_tail(&eh, ph, bias) ||
	    setup_stack(t->mm, a, path, auxv, sizeof(auxv) / sizeof(auxv[0]), &sp)) {
		kfree(ph);
		fput(f);
		do_exit(
		    W_SIGNALED(SIGSEGV)); /* Linux: force_sigsegv after the point of no return */
	}

	set_comm(t, path);
	signals_exec(t);
	files_close_on_exec(t);
	t->fs_base = 0;
	wrmsr(0xc0000100, 0); /* MSR_FS_BASE */
	uint32_t mxcsr = 0x1f80;
	__asm__ volatile("fninit; ldmxcsr %0" : : "m"(mxcsr));

	struct trap_frame *tf = t->regs;
	memset(tf, 0, sizeof(*tf));
	tf->rip = bias + eh.e_entry;
	tf->rsp = sp;
	tf->cs = USER_CS;
	tf->ss = USER_DS;
	tf->rflags = RFLAGS_IF | 0x2; /* bit 1 is always set */
	err = 0;
out:
	if (mm)
		mmput(mm);
	kfree(ph);
	fput(f);
	return err;
}

int kernel_execve(const char *path, char *const argv[], char *const envp[])
{
	struct exec_args a = {0};
	int err = -ENOMEM;
	a.buf = kmalloc(ARG_MAX);
	if (!a.buf)
		return err;
	err = 0;
	for (int i = 0; argv[i] && !err; i++, a.argc++)
		err = args_add(&a, argv[i], strlen(argv[i]));
	for (int i = 0; envp[i] && !err; i++, a.envc++)
		err = args_add(&a, envp[i], strlen(envp[i]));
	if (!err)
		err = do_execve(path, &a);
	kfree(a.buf);
	return err;
}

SYSCALL_DEFINE3(execve, const char __user *, upath, const char *const __user *, argv,
		const char *const __user *, envp)
{
	char *path = kmalloc(PATH_MAX);
	struct exec_args a = {0};
	long err = -ENOMEM;

	a.buf = kmalloc(ARG_MAX);
	if (!path || !a.buf)
		goto out;
	err = strncpy_from_user(path, upath, PATH_MAX);
	if (err < 0)
		goto out;
	if ((err = copy_strings(&a, argv, &a.argc)) || (err = copy_strings(&a, envp, &a.envc)))
		goto out;
	err = do_execve(path, &a);
out:
	kfree(path);
	kfree(a.buf);
	return err;
}
