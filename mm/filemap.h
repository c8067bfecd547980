/*
 * filemap.h - the page cache: a file's pages, indexed by page offset.
 *
 * read(), write(), mmap() and execve() all go through it, so a file's page
 * exists once in memory no matter how many processes map it: a MAP_SHARED
 * mapping sees write()s, and every process running a program shares its
 * text pages. The cache holds one reference on each of its pages.
 */
#ifndef MOO_MM_FILEMAP_H
#define MOO_MM_FILEMAP_H

#include "mm/kenv.h"
#include "mm/list.h"

struct page;
struct address_space;

struct address_space_operations {
	/* readpage: fill the (zeroed) page at page->index from the backing store.
	 * NULL for memory-only files (tmpfs, memfd): a missing page reads as zeroes. */
	int (*readpage)(struct address_space *mapping, struct page *page);
};

struct address_space {
	void *host;          /* the inode */
	struct page **pages; /* pages[index], NULL where not cached */
	unsigned long nslots;
	unsigned long nrpages;
	const struct address_space_operations *a_ops;
	struct list_head i_mmap; /* VMAs mapping this file (vm_area_struct.vm_shared) */
};

void mapping_init(struct address_space *m, void *host, const struct address_space_operations *ops);
/* find_get_page: the cached page at index with a reference taken, or NULL. */
struct page *find_get_page(struct address_space *m, unsigned long index);
/* read_cache_page: the page at index, read in (or zero-filled) if needed,
 * with a reference taken; *major is set when the backing store was read.
 * NULL if out of memory or the read failed. */
struct page *read_cache_page(struct address_space *m, unsigned long index, bool *major);
/* mapping_reserve: size the index for a file of `pages` pages up front, so
 * that reading it later allocates nothing but the pages themselves. */
int mapping_reserve(struct address_space *m, unsigned long pages);
/* truncate_inode_pages: drop cached pages at and above index `from`. */
void truncate_inode_pages(struct address_space *m, unsigned long from);

/* Page-cache statistics for /proc/meminfo: pages of files with a backing
 * store (the initrd), which could be re-read, and pages of tmpfs/memfd
 * files (Linux's "Shmem"), which are the data itself. */
unsigned long nr_cache_pages(void);
unsigned long nr_shmem_pages(void);

#endif
