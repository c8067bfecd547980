/*
 * mmap.c - the system calls that change an address space's VMAs:
 * brk, mmap, munmap, mprotect, madvise, msync.
 *
 * They only edit VMAs (and remove pages that leave an area). Pages arrive
 * later, one fault at a time (mm/fault.c), unless MAP_POPULATE asks for
 * them now. Argument checks and errno values follow Linux (man 2 mmap).
 */
#include "mm/mm.h"
#include "mm/page.h"
#include "mm/uaccess.h"
#include "kernel/errno.h"
#include "kernel/fs/fs.h"
#include "kernel/syscall.h"
#include "kernel/task.h"

#define PROT_READ      0x1
#define PROT_WRITE     0x2
#define PROT_EXEC      0x4
#define PROT_GROWSDOWN 0x01000000
#define PROT_GROWSUP   0x02000000

#define MAP_SHARED          0x01
#define MAP_PRIVATE         0x02
#define MAP_SHARED_VALIDATE 0x03
#define MAP_TYPE            0x0f
#define MAP_FIXED           0x10
#define MAP_ANONYMOUS       0x20
#define MAP_GROWSDOWN       0x0100
#define MAP_DENYWRITE       0x0800
#define MAP_EXECUTABLE      0x1000
#define MAP_LOCKED          0x2000
#define MAP_NORESERVE       0x4000
#define MAP_POPULATE        0x8000
#define MAP_NONBLOCK        0x10000
#define MAP_STACK           0x20000
#define MAP_HUGETLB         0x40000
#define MAP_SYNC            0x80000
#define MAP_FIXED_NOREPLACE 0x100000
/* flags MAP_SHARED_VALIDATE accepts (others: EOPNOTSUPP) */
#define MAP_KNOWN                                                                                  \
	(MAP_TYPE | MAP_FIXED | MAP_ANONYMOUS | MAP_GROWSDOWN | MAP_DENYWRITE | MAP_EXECUTABLE |   \
	 MAP_LOCKED | MAP_NORESERVE | MAP_POPULATE | MAP_NONBLOCK | MAP_STACK | MAP_HUGETLB |      \
	 MAP_FIXED_NOREPLACE)

#define F_SEAL_WRITE        0x0008
#define F_SEAL_FUTURE_WRITE 0x0010

static unsigned long prot_to_vm(unsigned long prot)
{
	return (prot & PROT_READ ? VM_READ : 0) | (prot & PROT_WRITE ? VM_WRITE : 0) |
	       (prot & PROT_EXEC ? VM_EXEC : 0);
}

/* range_mapped: is every page of [start, end) inside some VMA? */
static bool range_mapped(struct mm_struct *mm, uintptr_t start, uintptr_t end)
{
	struct vm_area_struct *vma = find_vma(mm, start);
	uintptr_t at = start;
	for (; vma && at < end; vma = vma_next(mm, vma)) {
		if (vma->vm_start > at)
			return false;
		at = vma->vm_end;
	}
	return at >= end;
}

/* range_free: does no VMA overlap [start, end)? */
static bool range_free(struct mm_struct *mm, uintptr_t start, uintptr_t end)
{
	struct vm_area_struct *vma = find_vma(mm, start);
	return !vma || vma->vm_start >= end;
}

/* split_range: split VMAs so that start and end fall on VMA boundaries. */
static int split_range(struct mm_struct *mm, uintptr_t start, uintptr_t end)
{
	struct vm_area_struct *vma = find_vma(mm, start);
	if (vma && vma->vm_start < start) {
		int err = vma_split(vma, start, NULL);
		if (err)
			return err;
	}
	vma = find_vma(mm, end);
	if (vma && vma->vm_start < end && end < vma->vm_end)
		return vma_split(vma, end, NULL);
	return 0;
}

long do_mmap(uintptr_t addr, size_t len, unsigned long prot, unsigned long flags, int fd,
	     int64_t off)
{
	struct mm_struct *mm = current->mm;
	struct file *file = NULL;
	unsigned type = flags & MAP_TYPE;

	if (!len)
		return -EINVAL;
	if (type != MAP_SHARED && type != MAP_PRIVATE && type != MAP_SHARED_VALIDATE)
		return -EINVAL;
	if (type == MAP_SHARED_VALIDATE && (flags & ~MAP_KNOWN))
		return -EOPNOTSUPP;
	prot &= PROT_READ | PROT_WRITE | PROT_EXEC; /* Linux's mmap ignores other prot bits */
	if (off & (PAGE_SIZE - 1))
		return -EINVAL;
	if ((flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) && (addr & (PAGE_SIZE - 1)))
		return -EINVAL;
	if (flags & MAP_HUGETLB)
		return -EINVAL; /* no hugetlbfs pool (transparent huge pages come later) */
	size_t plen = PAGE_ALIGN(len);
	if (plen < len || plen > USER_TOP - USER_IMAGE_BASE)
		return -ENOMEM;
	if ((uint64_t)off + plen < (uint64_t)off)
		return -EOVERFLOW;
	/* a file mapping must lie within the largest possible file (off_t's
	 * range, Linux's MAX_LFS_FILESIZE) */
	if (!(flags & MAP_ANONYMOUS) && (off < 0 || (uint64_t)off + plen > (uint64_t)INT64_MAX))
		return -EOVERFLOW;

	bool shared = type != MAP_PRIVATE;
	unsigned long vm_flags = prot_to_vm(prot) | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC;
	if (shared)
		vm_flags |= VM_SHARED | VM_MAYSHARE;
	if (flags & MAP_GROWSDOWN)
		vm_flags |= VM_GROWSDOWN;
	if (flags & MAP_NORESERVE)
		vm_flags |= VM_NORESERVE;

	if (!(flags & MAP_ANONYMOUS)) {
		file = fd_file(fd);
		if (!file)
			return -EBADF;
		struct inode *ino = file->inode;
		if (!S_ISREG(ino->mode))
			return S_ISDIR(ino->mode) || S_ISFIFO(ino->mode) || S_ISCHR(ino->mode)
				   ? -ENODEV
				   : -EACCES;
		unsigned acc = file->flags & O_ACCMODE;
		if (acc == O_WRONLY)
			return -EACCES; /* every mapping can be read */
		if (shared && acc != O_RDWR) {
			if (prot & PROT_WRITE)
				return -EACCES;
			vm_flags &= ~VM_MAYWRITE; /* mprotect may not add write later either */
		}
		if (shared && (prot & PROT_WRITE) &&
		    (ino->seals & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE)))
			return -EPERM;
		fget(file);
	} else if (shared) {
		/* shared anonymous memory: an unnamed tmpfs file, so fork shares the pages */
		struct inode *ino = tmpfs_new_file("dev/zero");
		int err = 0;
		if (!ino)
			return -ENOMEM;
		ino->size = (off_t)plen;
		file = file_open_inode(ino, O_RDWR, &err);
		iput(ino);
		if (!file)
			return err;
		off = 0;
	}

	uintptr_t start = addr & PAGE_MASK;
	long err = 0;
	if (flags & MAP_FIXED_NOREPLACE) {
		if (start + plen > USER_TOP || start < PAGE_SIZE)
			err = -ENOMEM;
		else if (!range_free(mm, start, start + plen))
			err = -EEXIST;
	} else if (flags & MAP_FIXED) {
		if (start + plen > USER_TOP || start + plen < start)
			err = -ENOMEM;
		else
			err = do_munmap(mm, start, start + plen);
	} else if (!start || start < USER_IMAGE_BASE || start + plen > USER_TOP ||
		   !range_free(mm, start, start + plen)) {
		start = get_unmapped_area(mm, plen); /* the hint is taken only if it is free */
		if (!start)
			err = -ENOMEM;
	}
	if (!err)
		err = vma_map(mm, start, start + plen, vm_flags, file,
			      (unsigned long)off >> PAGE_SHIFT, NULL);
	if (file)
		fput(file); /* the VMA took its own reference */
	if (err)
		return err;
	vma_merge_range(mm, start, start + plen);
	if (flags & MAP_POPULATE)
		populate_range(mm, start, start + plen, prot & PROT_WRITE);
	return (long)start;
}

SYSCALL_DEFINE6(mmap, uintptr_t, addr, size_t, len, unsigned long, prot, unsigned long, flags, int,
		fd, int64_t, off)
{
	return do_mmap(addr, len, prot, flags, fd, off);
}

SYSCALL_DEFINE2(munmap, uintptr_t, addr, size_t, len)
{
	size_t plen = PAGE_ALIGN(len);
	if ((addr & (PAGE_SIZE - 1)) || !len || plen < len || addr + plen > USER_TOP ||
	    addr + plen < addr)
		return -EINVAL;
	return do_munmap(current->mm, addr, addr + plen);
}

/* change_pte_prot: mprotect's step per present page. */
struct protect_args {
	struct mm_struct *mm;
	unsigned long vm_flags;
};

static int change_pte_prot(const struct pt_mapping *m, void *arg)
{
	struct protect_args *p = arg;
	struct page *pg = phys_to_page(m->pa);
	pte_t prot = vm_page_prot(p->vm_flags);
	/*
	 * Never make a page writable that someone else can still see: in a
	 * private mapping only an anonymous page we alone hold may get W; the
	 * rest stay read-only and a write goes through handle_cow_fault().
	 */
	if ((prot & PTE_W) && !(p->vm_flags & VM_SHARED) &&
	    !((pg->flags & PG_anon) && page_count(pg) == 1))
		prot &= ~PTE_W;
	if (!(p->vm_flags & (VM_READ | VM_WRITE | VM_EXEC)))
		prot = PTE_PROTNONE | PTE_U; /* keep the page, allow nothing */
	pt_protect(p->mm->pgd, m->va, prot);
	return 0;
}

SYSCALL_DEFINE3(mprotect, uintptr_t, addr, size_t, len, unsigned long, prot)
{
	struct mm_struct *mm = current->mm;
	size_t plen = PAGE_ALIGN(len);
	unsigned long want = prot_to_vm(prot);

	if (addr & (PAGE_SIZE - 1))
		return -EINVAL;
	if (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC | PROT_GROWSDOWN | PROT_GROWSUP))
		return -EINVAL;
	if (!len)
		return 0;
	if (plen < len || addr + plen > USER_TOP || addr + plen < addr)
		return -ENOMEM;
	uintptr_t end = addr + plen;
	if ((prot & PROT_GROWSDOWN) && (prot & PROT_GROWSUP))
		return -EINVAL;
	struct vm_area_struct *v = find_vma(mm, addr);
	if (!v || v->vm_start > addr)
		return -ENOMEM;
	if ((prot & PROT_GROWSUP) || ((prot & PROT_GROWSDOWN) && !(v->vm_flags & VM_GROWSDOWN)))
		return -EINVAL; /* no VMA grows up on x86; GROWSDOWN needs a stack-like VMA */

	/* As Linux: VMA by VMA; a hole or a forbidden VMA stops the walk with
	 * ENOMEM or EACCES, and what was changed before it stays changed. */
	uintptr_t cur = addr;
	int err = 0;
	for (;;) {
		if ((want & VM_WRITE && !(v->vm_flags & VM_MAYWRITE)) ||
		    (want & VM_EXEC && !(v->vm_flags & VM_MAYEXEC))) {
			err = -EACCES;
			break;
		}
		if (v->vm_start < cur && (err = vma_split(v, cur, &v)))
			break;
		if (v->vm_end > end && (err = vma_split(v, end, NULL)))
			break;
		v->vm_flags = (v->vm_flags & ~(VM_READ | VM_WRITE | VM_EXEC)) | want;
		struct protect_args p = {mm, v->vm_flags};
		pt_for_each(mm->pgd, v->vm_start, v->vm_end, change_pte_prot, &p);
		cur = v->vm_end;
		if (cur >= end)
			break;
		v = vma_next(mm, v);
		if (!v || v->vm_start != cur) {
			err = -ENOMEM;
			break;
		}
	}
	vma_merge_range(mm, addr, cur);
	return err;
}

#define MADV_NORMAL     0
#define MADV_RANDOM     1
#define MADV_SEQUENTIAL 2
#define MADV_WILLNEED   3
#define MADV_DONTNEED   4
#define MADV_FREE       8
#define MADV_DONTFORK   10
#define MADV_DOFORK     11
#define MADV_WIPEONFORK 18
#define MADV_KEEPONFORK 19

SYSCALL_DEFINE3(madvise, uintptr_t, addr, size_t, len, int, advice)
{
	struct mm_struct *mm = current->mm;
	size_t plen = PAGE_ALIGN(len);

	if (addr & (PAGE_SIZE - 1))
		return -EINVAL;
	switch (advice) {
	case MADV_NORMAL:
	case MADV_RANDOM:
	case MADV_SEQUENTIAL:
	case MADV_WILLNEED:
	case MADV_DONTNEED:
	case MADV_FREE:
	case MADV_DONTFORK:
	case MADV_DOFORK:
	case MADV_WIPEONFORK:
	case MADV_KEEPONFORK:
		break;
	default:
		return -EINVAL;
	}
	if (plen < len || addr + plen < addr)
		return -EINVAL;
	if (!len)
		return 0;
	uintptr_t end = addr + plen;
	if (!range_mapped(mm, addr, end))
		return -ENOMEM;

	if (advice == MADV_DONTNEED || advice == MADV_FREE) {
		/* drop the pages: anonymous memory reads as zero again, file
		 * mappings re-read the page cache (man 2 madvise) */
		for (struct vm_area_struct *v = find_vma(mm, addr); v && v->vm_start < end;
		     v = vma_next(mm, v)) {
			uintptr_t s = v->vm_start > addr ? v->vm_start : addr;
			uintptr_t e = v->vm_end < end ? v->vm_end : end;
			zap_range(mm, s, e);
		}
		return 0;
	}
	unsigned long set = 0, clear = 0;
	if (advice == MADV_DONTFORK)
		set = VM_DONTFORK;
	else if (advice == MADV_DOFORK)
		clear = VM_DONTFORK;
	else if (advice == MADV_WIPEONFORK)
		set = VM_WIPEONFORK;
	else if (advice == MADV_KEEPONFORK)
		clear = VM_WIPEONFORK;
	else
		return 0; /* hints about access patterns: nothing to do */
	if (advice == MADV_WIPEONFORK)
		for (struct vm_area_struct *v = find_vma(mm, addr); v && v->vm_start < end;
		     v = vma_next(mm, v))
			if (v->vm_file || (v->vm_flags & VM_SHARED))
				return -EINVAL; /* private anonymous memory only */
	int err = split_range(mm, addr, end);
	if (err)
		return err;
	for (struct vm_area_struct *v = find_vma(mm, addr); v && v->vm_start < end;
	     v = vma_next(mm, v))
		v->vm_flags = (v->vm_flags | set) & ~clear;
	vma_merge_range(mm, addr, end);
	return 0;
}

#define MS_ASYNC      1
#define MS_INVALIDATE 2
#define MS_SYNC       4

SYSCALL_DEFINE3(msync, uintptr_t, addr, size_t, len, int, flags)
{
	size_t plen = PAGE_ALIGN(len);
	if ((addr & (PAGE_SIZE - 1)) || (flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC)) ||
	    ((flags & MS_ASYNC) && (flags & MS_SYNC)))
		return -EINVAL;
	if (plen < len || addr + plen < addr)
		return -ENOMEM;
	if (len && !range_mapped(current->mm, addr, addr + plen))
		return -ENOMEM;
	return 0; /* shared mappings write straight into the page cache: nothing to flush */
}

SYSCALL_DEFINE1(brk, uintptr_t, newbrk)
{
	struct mm_struct *mm = current->mm;
	uintptr_t oldend = PAGE_ALIGN(mm->brk), newend = PAGE_ALIGN(newbrk);

	if (newbrk < mm->start_brk || newbrk >= mm->mmap_base)
		return (long)mm->brk; /* Linux returns the unchanged break on failure */
	if (newend < oldend) {
		if (do_munmap(mm, newend, oldend))
			return (long)mm->brk;
	} else if (newend > oldend) {
		if (!range_free(mm, oldend, newend))
			return (long)mm->brk;
		struct vm_area_struct *heap =
		    oldend > mm->start_brk ? find_vma(mm, oldend - 1) : NULL;
		if (heap && heap->vm_end == oldend && !heap->vm_file &&
		    heap->vm_start >= mm->start_brk) {
			mm->total_vm += (newend - oldend) >> PAGE_SHIFT;
			heap->vm_end = newend;
		} else if (vma_map(mm, oldend, newend,
				   VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC, NULL,
				   0, NULL)) {
			return (long)mm->brk;
		}
	}
	mm->brk = newbrk;
	return (long)newbrk;
}
