/*
 * uaccess.h - the only way the kernel touches user memory.
 *
 * A user pointer may be anything: NULL, unmapped, a kernel address, not
 * canonical. These functions check the range lies in user space, then
 * copy with SMAP briefly lifted (stac/clac). The copy instruction has an
 * entry in the exception table (__ex_table): if it faults and the page
 * fault handler cannot resolve the fault (mm/fault.c), execution resumes
 * at the fixup and the function returns -EFAULT. Faults it can resolve
 * (a page not yet touched, a copy-on-write page) are handled exactly like
 * a user access, so a read() into a COW page breaks COW.
 */
#ifndef MOO_MM_UACCESS_H
#define MOO_MM_UACCESS_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include "mm/memlayout.h"

static inline bool access_ok(const void *p, size_t n)
{
	uintptr_t a = (uintptr_t)p;
	return a + n >= a && a + n <= USER_TOP;
}

/* Each returns 0, or -EFAULT when any byte is not accessible. */
int copy_from_user(void *dst, const void *usrc, size_t n);
int copy_to_user(void *udst, const void *src, size_t n);
int clear_user(void *udst, size_t n);
/* strncpy_from_user: copy a string of < max bytes with its NUL; its length,
 * -EFAULT, or -ENAMETOOLONG if no NUL within max bytes. */
long strncpy_from_user(char *dst, const char *usrc, size_t max);

/* An exception-table entry: a faulting instruction and where to resume. */
struct exception_table_entry {
	uint64_t insn, fixup;
};
/* search_exception_tables: the fixup address for a faulting rip, or 0. */
uint64_t search_exception_tables(uint64_t rip);

/* Enable SMEP/SMAP when the CPU has them. */
void uaccess_init(void);
/* uaccess_trap_entry: clear EFLAGS.AC on entry to a trap handler (SMAP back on). */
void uaccess_trap_entry(void);

#endif
