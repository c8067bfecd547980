/*
 * vmstat.c - the memory system's event counters (vmstat.h), shown in
 * /proc/vmstat under these names.
 */
#include "mm/vmstat.h"

unsigned long vm_events[NR_VM_EVENTS];
const char *const vm_event_names[NR_VM_EVENTS] = {
    "pgfault",   "pgmajfault", "zero_page_fault", "anon_fault", "file_fault",
    "cow_fault", "cow_reuse",  "cow_copy",        "pgsegv",     "stack_grow",
};
