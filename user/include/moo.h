/*
 * moo.h - wrappers for moo's own system calls (numbers >= 1000).
 *
 * These exist only on moo; on Linux they fail with ENOSYS.
 */
#ifndef MOO_USER_MOO_H
#define MOO_USER_MOO_H

#include <stddef.h>
#include <sys/types.h>
#include <unistd.h>

#define SYS_moo_vmdump 1000
#define SYS_moo_pages  1001

/*
 * moo_vmdump: write the page tables of process pid (0: the caller) into buf
 * as text: runs of pages mapped alike, PTE permissions, the kind of page
 * (anon, file, zero) and reference counts. Returns the bytes written.
 */
static inline long moo_vmdump(pid_t pid, char *buf, size_t size)
{
	return syscall(SYS_moo_vmdump, pid, buf, size);
}

/* moo_pages: free + page-cache pages, with empty slabs returned (leak checks). */
static inline long moo_pages(void)
{
	return syscall(SYS_moo_pages);
}

#endif
