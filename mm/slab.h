/*
 * slab.h - the kernel object allocator.
 *
 * A kmem_cache hands out objects of one size from slabs: single pages cut
 * into equal slots, with a free list threaded through the free slots.
 * kmalloc() picks the power-of-two cache that fits (8 bytes .. 2 KiB) and
 * takes whole pages from the buddy allocator above that.
 */
#ifndef MOO_MM_SLAB_H
#define MOO_MM_SLAB_H

#include "mm/kenv.h"
#include "mm/list.h"

struct kmem_cache {
	const char *name;
	size_t size;              /* slot size: the object size rounded up to 8 */
	unsigned per_slab;        /* slots in one page */
	struct list_head partial; /* slabs with at least one free slot */
	struct list_head full;    /* slabs with none */
	unsigned long nr_slabs, nr_inuse;
	struct spinlock lock;
};

/* kmem_cache_init: set up a cache for objects of size bytes (at most a page). */
void kmem_cache_init(struct kmem_cache *c, const char *name, size_t size);
/* kmem_cache_alloc: an object, or NULL when out of memory. Contents undefined. */
void *kmem_cache_alloc(struct kmem_cache *c);
void kmem_cache_free(struct kmem_cache *c, void *obj);
/* kmem_cache_shrink: give fully free slabs back to the page allocator. */
void kmem_cache_shrink(struct kmem_cache *c);

void kmalloc_init(void);
/* kmalloc: size bytes aligned to 8 (to the page for >= 4 KiB), or NULL. */
void *kmalloc(size_t size);
void *kzalloc(size_t size);
/* kfree: free what kmalloc returned; NULL is ignored. */
void kfree(const void *p);
/* kmalloc_shrink: give the kmalloc caches' empty slabs back to the page allocator. */
void kmalloc_shrink(void);

#define SLAB_POISON_FREE 0x6b

#endif
