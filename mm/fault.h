/* fault.h - the page-fault handler (#PF, vector 14). */
#ifndef MOO_MM_FAULT_H
#define MOO_MM_FAULT_H

#include <stddef.h>
#include <stdint.h>

struct trap_frame;

/* #PF error code bits (SDM vol. 3A, 4.7) */
#define PF_P    (1u << 0) /* 0: page not present; 1: protection violation */
#define PF_W    (1u << 1) /* access was a write */
#define PF_U    (1u << 2) /* access came from user mode (CPL 3) */
#define PF_RSVD (1u << 3) /* a reserved bit was set in a paging entry */
#define PF_I    (1u << 4) /* instruction fetch */
#define PF_PK   (1u << 5) /* protection-key violation */
#define PF_SS   (1u << 6) /* shadow-stack access */

void do_page_fault(struct trap_frame *tf);
/* pf_describe: the error code in words, e.g. "not-present write from kernel". */
void pf_describe(uint64_t error_code, char *buf, size_t size);

#endif
