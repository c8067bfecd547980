/*
 * filemap.c - the page cache (see filemap.h).
 *
 * Each file keeps a flat array of page pointers, grown on demand. That is
 * O(1) lookup and simple to read; a radix tree (Linux's xarray) would
 * save memory on huge sparse files, which moo does not have.
 */
#include "mm/filemap.h"
#include "mm/page.h"
#include "mm/slab.h"

static unsigned long cache_pages; /* pages with a backing store: could be dropped */
static unsigned long shmem_pages; /* tmpfs/memfd pages: the only copy of the data */

void mapping_init(struct address_space *m, void *host, const struct address_space_operations *ops)
{
	m->host = host;
	m->pages = NULL;
	m->nslots = m->nrpages = 0;
	m->a_ops = ops;
	list_init(&m->i_mmap);
}

unsigned long nr_cache_pages(void)
{
	return cache_pages;
}

unsigned long nr_shmem_pages(void)
{
	return shmem_pages;
}

static unsigned long *counter_of(struct address_space *m)
{
	return m->a_ops && m->a_ops->readpage ? &cache_pages : &shmem_pages;
}

struct page *find_get_page(struct address_space *m, unsigned long index)
{
	if (index >= m->nslots || !m->pages[index])
		return NULL;
	get_page(m->pages[index]);
	return m->pages[index];
}

static bool grow(struct address_space *m, unsigned long index);

int mapping_reserve(struct address_space *m, unsigned long pages)
{
	if (pages > m->nslots && !grow(m, pages - 1))
		return -ENOMEM;
	return 0;
}

/* grow: make room for index; false if out of memory. */
static bool grow(struct address_space *m, unsigned long index)
{
	unsigned long n = m->nslots ? m->nslots : 8;
	while (n <= index)
		n *= 2;
	struct page **p = kzalloc(n * sizeof(*p));
	if (!p)
		return false;
	if (m->pages) {
		memcpy(p, m->pages, m->nslots * sizeof(*p));
		kfree(m->pages);
	}
	m->pages = p;
	m->nslots = n;
	return true;
}

struct page *read_cache_page(struct address_space *m, unsigned long index, bool *major)
{
	struct page *pg = find_get_page(m, index);
	if (major)
		*major = false;
	if (pg)
		return pg;
	if (index >= m->nslots && !grow(m, index))
		return NULL;
	pg = alloc_zeroed_page();
	if (!pg)
		return NULL;
	pg->mapping = m;
	pg->index = index;
	if (m->a_ops && m->a_ops->readpage) {
		if (m->a_ops->readpage(m, pg) < 0) {
			put_page(pg);
			return NULL;
		}
		if (major)
			*major = true;
	}
	m->pages[index] = pg; /* the cache's reference */
	m->nrpages++;
	(*counter_of(m))++;
	get_page(pg); /* the caller's */
	return pg;
}

void truncate_inode_pages(struct address_space *m, unsigned long from)
{
	for (unsigned long i = from; i < m->nslots; i++) {
		struct page *pg = m->pages[i];
		if (!pg)
			continue;
		m->pages[i] = NULL;
		m->nrpages--;
		(*counter_of(m))--;
		pg->mapping = NULL; /* mappings that still hold it keep an orphan copy */
		put_page(pg);
	}
	if (from == 0) {
		kfree(m->pages);
		m->pages = NULL;
		m->nslots = 0;
	}
}
