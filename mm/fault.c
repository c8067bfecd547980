/*
 * fault.c - do_page_fault(): what happens on #PF.
 *
 * The CPU puts the faulting address in CR2 and pushes an error code that
 * says why (PF_* in fault.h). Today only the kernel's own faults exist, and
 * each one is a kernel bug: report it and stop. The user-mode paths
 * (demand-zero, file-backed, copy-on-write, SIGSEGV) arrive with processes.
 */
#include "mm/fault.h"
#include "kernel/printf.h"
#include "kernel/trap.h"
#include "kernel/x86.h"

void pf_describe(uint64_t ec, char *buf, size_t size)
{
	snprintf(buf, size, "%s %s from %s mode%s%s%s", (ec & PF_P) ? "protection-violation" : "not-present",
		 (ec & PF_I) ? "instruction-fetch" : (ec & PF_W) ? "write" : "read",
		 (ec & PF_U) ? "user" : "kernel", (ec & PF_RSVD) ? ", reserved bit set" : "",
		 (ec & PF_PK) ? ", protection key" : "", (ec & PF_SS) ? ", shadow stack" : "");
}

void do_page_fault(struct trap_frame *tf)
{
	trap_die(tf, "kernel page fault");
}
