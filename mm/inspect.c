/*
 * inspect.c - moo-only system calls for looking at memory (numbers >= 1000,
 * see user/include/moo.h). They exist so a student can see what the
 * fault handler and fork did, the way JOS's showmappings and xv6's vmprint
 * do for their kernels.
 */
#include "mm/mm.h"
#include "mm/page.h"
#include "mm/filemap.h"
#include "mm/slab.h"
#include "mm/uaccess.h"
#include "kernel/errno.h"
#include "kernel/printf.h"
#include "kernel/syscall.h"
#include "kernel/task.h"

/* A growing text buffer in kernel memory. */
struct text {
	char *buf;
	size_t len, cap;
};

__attribute__((format(printf, 2, 3))) static void text_add(struct text *t, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(t->buf + t->len, t->cap - t->len, fmt, ap);
	va_end(ap);
	t->len += (size_t)n < t->cap - t->len ? (size_t)n : t->cap - t->len - 1;
}

/* One run of consecutive pages that look the same. */
struct run {
	uintptr_t start, end;
	pte_t prot;
	const char *kind;
	int min_ref, max_ref;
	unsigned long pages;
};

static const char *page_kind(const struct page *pg)
{
	if (pg->flags & PG_zero)
		return "zero";
	if (pg->flags & PG_anon)
		return "anon";
	return pg->mapping ? "file" : "orphan";
}

static void run_print(struct text *t, const struct run *r)
{
	char refs[24];
	if (r->min_ref == r->max_ref)
		snprintf(refs, sizeof(refs), "%d", r->min_ref);
	else
		snprintf(refs, sizeof(refs), "%d-%d", r->min_ref, r->max_ref);
	bool none = r->prot & PTE_PROTNONE;
	text_add(t, "  %012lx-%012lx %6lu  %c%c%c  %-5s %s\n", r->start, r->end, r->pages,
		 none ? '-' : 'r', (r->prot & PTE_W) ? 'w' : '-',
		 none || (r->prot & PTE_NX) ? '-' : 'x', r->kind, refs);
}

struct dump {
	struct text *t;
	struct run cur;
	bool have;
};

static int dump_page(const struct pt_mapping *m, void *arg)
{
	struct dump *d = arg;
	struct page *pg = phys_to_page(m->pa);
	pte_t prot = m->flags & (PTE_W | PTE_NX | PTE_PROTNONE);
	const char *kind = page_kind(pg);
	int ref = page_count(pg);

	if (d->have && d->cur.end == m->va && d->cur.prot == prot && d->cur.kind == kind) {
		d->cur.end += m->size;
		d->cur.pages++;
		if (ref < d->cur.min_ref)
			d->cur.min_ref = ref;
		if (ref > d->cur.max_ref)
			d->cur.max_ref = ref;
		return 0;
	}
	if (d->have)
		run_print(d->t, &d->cur);
	d->cur = (struct run){m->va, m->va + m->size, prot, kind, ref, ref, 1};
	d->have = true;
	return 0;
}

/*
 * moo_vmdump(pid, buf, size): the page tables of process pid (0: the caller)
 * as text: runs of pages mapped alike, with permissions from the PTEs, what
 * kind of page each is, and their reference counts. A page shared
 * copy-on-write after fork shows as read-only with refs 2.
 */
SYSCALL_DEFINE3(moo_vmdump, int, pid, char __user *, ubuf, size_t, size)
{
	struct task *t = pid ? find_task(pid) : current;
	struct text txt = {kmalloc(65536), 0, 65536};
	struct dump d = {&txt, {0}, false};

	if (!t || t->state == TASK_ZOMBIE || !t->mm)
		return -ESRCH;
	if (!txt.buf)
		return -ENOMEM;
	txt.buf[0] = 0;
	struct mm_struct *mm = t->mm;
	text_add(&txt, "pid %d (%s): %d VMAs, %lu anon + %lu file pages mapped\n", t->pid, t->comm,
		 mm->vmas.n, mm->rss_anon, mm->rss_file);
	text_add(&txt, "  %-25s %6s  %-3s  %-5s %s\n", "virtual range", "pages", "pte", "kind",
		 "refs");
	pt_for_each(mm->pgd, 0, USER_TOP, dump_page, &d);
	if (d.have)
		run_print(&txt, &d.cur);
	size_t n = txt.len < size ? txt.len : size;
	long r = copy_to_user(ubuf, txt.buf, n) ? -EFAULT : (long)n;
	kfree(txt.buf);
	return r;
}

/*
 * moo_pages(): free pages plus page-cache pages, after returning empty slabs
 * to the page allocator. /bin/init compares it before and after a command
 * in run mode: a difference means the kernel lost pages (a leak).
 */
SYSCALL_DEFINE0(moo_pages)
{
	kmalloc_shrink();
	return (long)(nr_free_pages() + nr_cache_pages());
}
