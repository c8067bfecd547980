/*
 * uaccess.c - copy_from_user and friends (see uaccess.h).
 */
#include "mm/uaccess.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/x86.h"

static bool have_smap;

void uaccess_init(void)
{
	uint32_t a, b, c, d;
	cpuid(7, 0, &a, &b, &c, &d);
	uint64_t cr4 = read_cr4();
	if (b & (1u << 7)) /* SMEP: the kernel never executes user pages */
		cr4 |= CR4_SMEP;
	if (b & (1u << 20)) { /* SMAP: the kernel only reads user pages inside stac..clac */
		cr4 |= CR4_SMAP;
		have_smap = true;
	}
	write_cr4(cr4);
	printk("cpu: SMEP %s, SMAP %s\n", (b & (1u << 7)) ? "on" : "absent",
	       have_smap ? "on" : "absent");
}

void uaccess_trap_entry(void)
{
	if (have_smap)
		__asm__ volatile("clac" ::: "memory");
}

static inline void stac(void)
{
	if (have_smap)
		__asm__ volatile("stac" ::: "memory");
}

static inline void clac(void)
{
	if (have_smap)
		__asm__ volatile("clac" ::: "memory");
}

/*
 * raw_copy: rep movsb with a fixup. If the copy faults for good, the CPU
 * stops with rcx = bytes not yet copied and the fixup resumes after the
 * instruction, so the return value is what was left over (0 = success).
 */
static size_t raw_copy(void *dst, const void *src, size_t n)
{
	stac();
	__asm__ volatile("1: rep movsb\n"
			 "2:\n"
			 ".pushsection __ex_table, \"a\"\n"
			 ".quad 1b, 2b\n"
			 ".popsection"
			 : "+D"(dst), "+S"(src), "+c"(n)
			 :
			 : "memory");
	clac();
	return n;
}

static size_t raw_clear(void *dst, size_t n)
{
	stac();
	__asm__ volatile("1: rep stosb\n"
			 "2:\n"
			 ".pushsection __ex_table, \"a\"\n"
			 ".quad 1b, 2b\n"
			 ".popsection"
			 : "+D"(dst), "+c"(n)
			 : "a"(0)
			 : "memory");
	clac();
	return n;
}

int copy_from_user(void *dst, const void *usrc, size_t n)
{
	if (!access_ok(usrc, n))
		return -EFAULT;
	return raw_copy(dst, usrc, n) ? -EFAULT : 0;
}

int copy_to_user(void *udst, const void *src, size_t n)
{
	if (!access_ok(udst, n))
		return -EFAULT;
	return raw_copy(udst, src, n) ? -EFAULT : 0;
}

int clear_user(void *udst, size_t n)
{
	if (!access_ok(udst, n))
		return -EFAULT;
	return raw_clear(udst, n) ? -EFAULT : 0;
}

long strncpy_from_user(char *dst, const char *usrc, size_t max)
{
	size_t done = 0;

	/* Copy up to each page end: reading past the NUL within a page is harmless. */
	while (done < max) {
		uintptr_t a = (uintptr_t)usrc + done;
		size_t chunk = 4096 - (a & 4095);
		if (chunk > max - done)
			chunk = max - done;
		if (!access_ok((const void *)a, chunk) ||
		    raw_copy(dst + done, (const void *)a, chunk))
			return -EFAULT;
		const char *nul = memchr(dst + done, 0, chunk);
		if (nul)
			return nul - dst;
		done += chunk;
	}
	return -ENAMETOOLONG;
}

extern const struct exception_table_entry __start_ex_table[], __stop_ex_table[];

uint64_t search_exception_tables(uint64_t rip)
{
	for (const struct exception_table_entry *e = __start_ex_table; e < __stop_ex_table; e++)
		if (e->insn == rip)
			return e->fixup;
	return 0;
}
