/*
 * memmap.c - sorted, merged lists of physical ranges for early boot.
 *
 * Both lists are kept sorted by start, with overlapping or touching ranges
 * merged, so "is this frame usable" is a simple walk of two sorted lists.
 */
#include "mm/memmap.h"
#include "mm/page.h"

void memmap_init(struct memmap *mm)
{
	mm->avail.n = 0;
	mm->reserved.n = 0;
	mm->dropped = 0;
}

/* list_insert: add [start, end) to l, merging with any range it overlaps or touches. */
static void list_insert(struct memmap *mm, struct memmap_list *l, phys_addr_t start,
			phys_addr_t end)
{
	int i = 0, j;

	if (start >= end)
		return;
	while (i < l->n && l->r[i].end < start)
		i++;
	/* ranges i..j-1 overlap or touch [start, end): fold them in */
	for (j = i; j < l->n && l->r[j].start <= end; j++) {
		if (l->r[j].start < start)
			start = l->r[j].start;
		if (l->r[j].end > end)
			end = l->r[j].end;
	}
	if (j == i) {
		if (l->n == MEMMAP_MAX) {
			mm->dropped++;
			return;
		}
		memmove(&l->r[i + 1], &l->r[i], (size_t)(l->n - i) * sizeof(l->r[0]));
		l->n++;
	} else if (j > i + 1) {
		memmove(&l->r[i + 1], &l->r[j], (size_t)(l->n - j) * sizeof(l->r[0]));
		l->n -= j - i - 1;
	}
	l->r[i].start = start;
	l->r[i].end = end;
}

/* clip_end: base + size, saturating instead of wrapping past 2^64. */
static phys_addr_t clip_end(phys_addr_t base, uint64_t size)
{
	phys_addr_t end = base + size;
	return end < base ? ~(phys_addr_t)0 : end;
}

void memmap_add(struct memmap *mm, phys_addr_t base, uint64_t size)
{
	phys_addr_t end = clip_end(base, size);
	phys_addr_t start = ALIGN_UP(base, PAGE_SIZE);
	if (start < base) /* rounding up wrapped past 2^64: no whole page in the range */
		return;
	list_insert(mm, &mm->avail, start, ALIGN_DOWN(end, PAGE_SIZE));
}

void memmap_reserve(struct memmap *mm, phys_addr_t base, uint64_t size)
{
	phys_addr_t end = clip_end(base, size);
	phys_addr_t aend = ALIGN_UP(end, PAGE_SIZE);
	if (aend < end) /* rounding up overflowed: reserve to the last page */
		aend = ALIGN_DOWN(end, PAGE_SIZE);
	list_insert(mm, &mm->reserved, ALIGN_DOWN(base, PAGE_SIZE), aend);
}

void memmap_for_each_usable(const struct memmap *mm, void (*fn)(phys_addr_t, phys_addr_t, void *),
			    void *arg)
{
	const struct memmap_list *a = &mm->avail, *r = &mm->reserved;
	int j = 0;

	for (int i = 0; i < a->n; i++) {
		phys_addr_t cur = a->r[i].start, end = a->r[i].end;
		while (j < r->n && r->r[j].end <= cur)
			j++;
		for (int k = j; k < r->n && r->r[k].start < end && cur < end; k++) {
			if (r->r[k].start > cur)
				fn(cur, r->r[k].start, arg);
			if (r->r[k].end > cur)
				cur = r->r[k].end;
		}
		if (cur < end)
			fn(cur, end, arg);
	}
}

struct alloc_search {
	uint64_t size, align;
	phys_addr_t found;
};

static void alloc_fit(phys_addr_t start, phys_addr_t end, void *arg)
{
	struct alloc_search *s = arg;
	phys_addr_t base = ALIGN_UP(start, s->align);
	/* lowest fit that is not page 0: 0 doubles as "failed" */
	if (!base)
		base = s->align;
	if (!s->found && base && base >= start && base < end && end - base >= s->size)
		s->found = base;
}

phys_addr_t memmap_alloc(struct memmap *mm, uint64_t size, uint64_t align)
{
	struct alloc_search s = {PAGE_ALIGN(size), align < PAGE_SIZE ? PAGE_SIZE : align, 0};
	if (!size || s.size < size) /* nothing asked for, or page rounding wrapped */
		return 0;
	memmap_for_each_usable(mm, alloc_fit, &s);
	if (s.found)
		memmap_reserve(mm, s.found, s.size);
	return s.found;
}

phys_addr_t memmap_end(const struct memmap *mm)
{
	return mm->avail.n ? mm->avail.r[mm->avail.n - 1].end : 0;
}

const char *memmap_oddity(phys_addr_t base, uint64_t len)
{
	if (len == 0)
		return "empty: ignored";
	if (base + len < base)
		return "runs past the end of the address space: clipped";
	if ((base | len) & (PAGE_SIZE - 1))
		return "not page-aligned: RAM shrinks to whole pages, reservations grow";
	return NULL;
}

bool memmap_overlap(phys_addr_t a, uint64_t alen, phys_addr_t b, uint64_t blen)
{
	phys_addr_t aend = clip_end(a, alen), bend = clip_end(b, blen);
	return alen && blen && a < bend && b < aend;
}
