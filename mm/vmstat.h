/*
 * vmstat.h - event counters for the memory system, shown in /proc/vmstat
 * with Linux's names where Linux has the same event.
 */
#ifndef MOO_MM_VMSTAT_H
#define MOO_MM_VMSTAT_H

enum vm_event {
	PGFAULT,         /* every page fault that reached handle_mm_fault */
	PGMAJFAULT,      /* faults that had to read a file's backing store */
	ZERO_PAGE_FAULT, /* read of untouched anonymous memory: zero page mapped */
	ANON_FAULT,      /* first write to anonymous memory: zeroed page allocated */
	FILE_FAULT,      /* page-cache page mapped (or privately copied) */
	COW_FAULT,       /* write to a present read-only page of a private mapping */
	COW_REUSE,       /* ... whose page had no other user: made writable in place */
	COW_COPY,        /* ... whose page was shared: copied */
	PGSEGV,          /* user faults that ended in SIGSEGV or SIGBUS (not OOM kills) */
	STACK_GROW,      /* the stack VMA grew down */
	NR_VM_EVENTS
};

extern unsigned long vm_events[NR_VM_EVENTS];
extern const char *const vm_event_names[NR_VM_EVENTS];

static inline void count_vm_event(enum vm_event e)
{
	vm_events[e]++;
}

#endif
