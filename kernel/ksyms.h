/*
 * ksyms.h - the kernel's own symbol table, for backtraces with names.
 *
 * The Makefile links the kernel twice: the second link adds a table of every
 * function's address and name (made from the first link by tools/ksyms.sh)
 * in the .ksyms section, which comes last so that nothing else moves.
 */
#ifndef MOO_KERNEL_KSYMS_H
#define MOO_KERNEL_KSYMS_H

#include <stdint.h>

/* ksym_name: the function containing addr, or NULL; *offset = addr - its start. */
const char *ksym_name(uintptr_t addr, uintptr_t *offset);
/* ksym_addr: the address of the named function, or 0. */
uintptr_t ksym_addr(const char *name);
void backtrace_from(uintptr_t rbp, uintptr_t rip);
void backtrace_here(void);

#endif
