/*
 * slab.c - fixed-size object caches on top of the page allocator.
 *
 * Every slab is one page. Its struct page records the cache (slab_cache),
 * the first free slot (freelist) and how many slots are in use (inuse); a
 * free slot's first 8 bytes point to the next free slot. A slab moves
 * between the cache's "partial" and "full" lists as it fills and empties;
 * an empty slab is returned to the buddy allocator at once, except the last
 * one, kept to avoid thrashing on alloc/free pairs.
 */
#include "mm/slab.h"
#include "mm/page.h"

void kmem_cache_init(struct kmem_cache *c, const char *name, size_t size)
{
	BUG_ON(size == 0 || size > PAGE_SIZE);
	c->name = name;
	c->size = ALIGN_UP(size, 8);
	c->per_slab = (unsigned)(PAGE_SIZE / c->size);
	list_init(&c->partial);
	list_init(&c->full);
	c->nr_slabs = c->nr_inuse = 0;
	c->lock = (struct spinlock)SPINLOCK_INIT("kmem_cache");
}

/* new_slab: a fresh page with every slot on its free list. */
static struct page *new_slab(struct kmem_cache *c)
{
	struct page *pg = alloc_page();
	if (!pg)
		return NULL;
	char *base = page_address(pg);
	pg->flags |= PG_slab;
	pg->slab_cache = c;
	pg->inuse = 0;
	pg->freelist = NULL;
	for (int i = (int)c->per_slab - 1; i >= 0; i--) {
		void **slot = (void **)(base + (size_t)i * c->size);
		*slot = pg->freelist;
		pg->freelist = slot;
	}
	c->nr_slabs++;
	return pg;
}

void *kmem_cache_alloc(struct kmem_cache *c)
{
	unsigned long flags = spin_lock_irqsave(&c->lock);
	struct page *pg;

	if (list_empty(&c->partial)) {
		pg = new_slab(c);
		if (!pg) {
			spin_unlock_irqrestore(&c->lock, flags);
			return NULL;
		}
		list_add(&pg->lru, &c->partial);
	}
	pg = list_first_entry(&c->partial, struct page, lru);
	void **obj = pg->freelist;
	pg->freelist = *obj;
	pg->inuse++;
	c->nr_inuse++;
	if (!pg->freelist) {
		list_del(&pg->lru);
		list_add(&pg->lru, &c->full);
	}
	spin_unlock_irqrestore(&c->lock, flags);
	return obj;
}

void kmem_cache_free(struct kmem_cache *c, void *obj)
{
	struct page *pg = virt_to_page(obj);
	char *base = page_address(pg);

	BUG_ON(!(pg->flags & PG_slab) || pg->slab_cache != c);
	BUG_ON(((char *)obj - base) % c->size != 0);
	if (MOO_DEBUG)
		memset(obj, SLAB_POISON_FREE, c->size);

	unsigned long flags = spin_lock_irqsave(&c->lock);
	if (!pg->freelist) { /* was full */
		list_del(&pg->lru);
		list_add(&pg->lru, &c->partial);
	}
	*(void **)obj = pg->freelist;
	pg->freelist = obj;
	pg->inuse--;
	c->nr_inuse--;
	struct page *empty = NULL;
	if (pg->inuse == 0 && c->partial.next != c->partial.prev) {
		list_del(&pg->lru); /* empty and not the only partial slab: give it back */
		c->nr_slabs--;
		empty = pg;
	}
	spin_unlock_irqrestore(&c->lock, flags);
	if (empty) {
		empty->flags &= ~PG_slab;
		empty->slab_cache = NULL;
		put_page(empty);
	}
}

void kmem_cache_shrink(struct kmem_cache *c)
{
	unsigned long flags = spin_lock_irqsave(&c->lock);
	struct list_head *l = c->partial.next;
	while (l != &c->partial) {
		struct page *pg = list_entry(l, struct page, lru);
		l = l->next;
		if (pg->inuse == 0) {
			list_del(&pg->lru);
			c->nr_slabs--;
			pg->flags &= ~PG_slab;
			pg->slab_cache = NULL;
			put_page(pg);
		}
	}
	spin_unlock_irqrestore(&c->lock, flags);
}

/* kmalloc's caches: 8, 16, ..., 2048 bytes. */
#define KMALLOC_MIN_SHIFT 3
#define KMALLOC_MAX_SHIFT 11
static struct kmem_cache kmalloc_caches[KMALLOC_MAX_SHIFT - KMALLOC_MIN_SHIFT + 1];
static const char *const kmalloc_names[] = {"kmalloc-8",   "kmalloc-16",  "kmalloc-32",
					    "kmalloc-64",  "kmalloc-128", "kmalloc-256",
					    "kmalloc-512", "kmalloc-1k",  "kmalloc-2k"};

void kmalloc_init(void)
{
	for (int s = KMALLOC_MIN_SHIFT; s <= KMALLOC_MAX_SHIFT; s++)
		kmem_cache_init(&kmalloc_caches[s - KMALLOC_MIN_SHIFT],
				kmalloc_names[s - KMALLOC_MIN_SHIFT], 1UL << s);
}

void *kmalloc(size_t size)
{
	if (size == 0)
		return NULL;
	if (size <= (1UL << KMALLOC_MAX_SHIFT)) {
		int s = KMALLOC_MIN_SHIFT;
		while ((1UL << s) < size)
			s++;
		return kmem_cache_alloc(&kmalloc_caches[s - KMALLOC_MIN_SHIFT]);
	}
	unsigned order = 0;
	while ((PAGE_SIZE << order) < size)
		if (++order > MAX_ORDER) /* larger than any block; also keeps the shift < 64 */
			return NULL;
	struct page *pg = alloc_pages(order);
	return pg ? page_address(pg) : NULL;
}

void *kzalloc(size_t size)
{
	void *p = kmalloc(size);
	if (p)
		memset(p, 0, size);
	return p;
}

void kfree(const void *p)
{
	if (!p)
		return;
	struct page *pg = virt_to_page(p);
	if (pg->flags & PG_slab)
		kmem_cache_free(pg->slab_cache, (void *)p);
	else
		__free_pages(pg, pg->order);
}

void kmalloc_shrink(void)
{
	for (int s = KMALLOC_MIN_SHIFT; s <= KMALLOC_MAX_SHIFT; s++)
		kmem_cache_shrink(&kmalloc_caches[s - KMALLOC_MIN_SHIFT]);
}
