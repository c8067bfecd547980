/*
 * pagemem.h - memory taken straight from mmap(2), for arrays and arenas
 * that grow past a page. Header-only.
 *
 * Why not malloc: musl's free() of a block that spans whole pages hands them
 * back with madvise(MADV_FREE), and its realloc() of a big block tries
 * mremap(2). moo implements neither; musl would cope with the failure, but
 * moo's programs keep to the system calls moo has.
 */
#ifndef MOO_USER_PAGEMEM_H
#define MOO_USER_PAGEMEM_H

#include <stddef.h>
#include <string.h>
#include <sys/mman.h>

#define PAGEMEM_PAGE 4096UL /* x86-64 */

static inline size_t page_round(size_t size)
{
	return (size + PAGEMEM_PAGE - 1) & ~(PAGEMEM_PAGE - 1);
}

/* page_alloc: size bytes (rounded up to pages), zeroed; NULL if out of memory. */
static inline void *page_alloc(size_t size)
{
	void *p = mmap(NULL, page_round(size), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

/* page_free: give back what page_alloc(size) returned; NULL is ignored. */
static inline void page_free(void *p, size_t size)
{
	if (p)
		munmap(p, page_round(size));
}

/*
 * page_realloc: move the old bytes at p (which may be NULL) into a new
 * mapping of size bytes. NULL if out of memory, and p is then untouched.
 */
static inline void *page_realloc(void *p, size_t old, size_t size)
{
	void *q = page_alloc(size);

	if (q && p) {
		memcpy(q, p, old < size ? old : size);
		page_free(p, old);
	}
	return q;
}

#endif
