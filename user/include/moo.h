/*
 * moo.h - wrappers for moo's own system calls (numbers >= 1000).
 *
 * These exist only on moo; on Linux they fail with ENOSYS.
 */
#ifndef MOO_USER_MOO_H
#define MOO_USER_MOO_H

#include <unistd.h>

/* dump the calling process's page tables to the console (moo only) */
#define SYS_moo_vmdump 1000

static inline long moo_vmdump(void)
{
	return syscall(SYS_moo_vmdump);
}

#endif
