/*
 * tmpfs.c - files that live only in the page cache: /tmp, memfd_create(),
 * and shared anonymous memory.
 *
 * A tmpfs file has no backing store, so its page cache is the file. Reads
 * of pages never written see zeroes (the cache fills them zeroed).
 */
#include "kernel/fs/fs.h"
#include "kernel/errno.h"
#include "kernel/printf.h"
#include "kernel/string.h"
#include "kernel/syscall.h"
#include "kernel/task.h"
#include "mm/mm.h"
#include "mm/page.h"
#include "mm/slab.h"
#include "mm/uaccess.h"

#define F_ADD_SEALS         1033
#define F_GET_SEALS         1034
#define F_SEAL_SEAL         0x0001
#define F_SEAL_SHRINK       0x0002
#define F_SEAL_GROW         0x0004
#define F_SEAL_WRITE        0x0008
#define F_SEAL_FUTURE_WRITE 0x0010
#define MFD_CLOEXEC         0x0001U
#define MFD_ALLOW_SEALING   0x0002U
#define MFD_HUGETLB         0x0004U
#define MFD_NAME_MAX        249

static struct super_block tmpfs_sb = {.fstype = "tmpfs", .dev = 0x15};
static struct super_block memfd_sb = {.fstype = "tmpfs", .dev = 0x01};

static const struct inode_operations tmpfs_dir_iops;
static const struct inode_operations tmpfs_file_iops;

static ssize_t tmpfs_write(struct file *f, const char __user *buf, size_t n, off_t *pos)
{
	struct inode *ino = f->inode;
	off_t at = (f->flags & O_APPEND) ? ino->size : *pos;
	if (ino->seals & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE))
		return -EPERM;
	if ((ino->seals & F_SEAL_GROW) && at + (off_t)n > ino->size) {
		/* as Linux's shmem: write what fits below the size; nothing fits: EPERM */
		if (at >= ino->size)
			return -EPERM;
		n = (size_t)(ino->size - at);
	}
	return generic_file_write(f, buf, n, pos);
}

static const struct file_operations tmpfs_fops = {
    .read = generic_file_read,
    .write = tmpfs_write,
};

/* tmpfs_truncate: set the size; pages past it go, the tail of the last one is zeroed. */
static int tmpfs_truncate(struct inode *ino, off_t size)
{
	if ((ino->seals & F_SEAL_SHRINK) && size < ino->size)
		return -EPERM;
	if ((ino->seals & F_SEAL_GROW) && size > ino->size)
		return -EPERM;
	if (size < ino->size) {
		unmap_mapping_range(&ino->mapping,
				    (unsigned long)PAGE_ALIGN((uint64_t)size) >> PAGE_SHIFT);
		truncate_inode_pages(&ino->mapping,
				     (unsigned long)PAGE_ALIGN((uint64_t)size) >> PAGE_SHIFT);
		struct page *pg = find_get_page(&ino->mapping, (unsigned long)size >> PAGE_SHIFT);
		if (pg) {
			size_t off = (size_t)size & (PAGE_SIZE - 1);
			memset((char *)page_address(pg) + off, 0, PAGE_SIZE - off);
			put_page(pg);
		}
	}
	ino->size = size;
	ino->mtime = current_time_sec();
	return 0;
}

static struct inode *tmpfs_inode(struct super_block *sb, unsigned mode)
{
	struct inode *ino = inode_new(sb, mode);
	if (!ino)
		return NULL;
	if (S_ISDIR(mode)) {
		ino->iops = &tmpfs_dir_iops;
		ino->nlink = 2;
	} else {
		ino->iops = &tmpfs_file_iops;
		ino->fops = &tmpfs_fops;
	}
	return ino;
}

static struct inode *tmpfs_create(struct inode *dir, const char *name, unsigned mode, int *err)
{
	struct inode *ino = tmpfs_inode(dir->sb, mode);
	if (!ino) {
		*err = -ENOMEM;
		return NULL;
	}
	*err = dir_add(dir, name, ino);
	if (*err) {
		iput(ino);
		return NULL;
	}
	return ino; /* the directory holds one reference, the caller the other */
}

static int tmpfs_unlink(struct inode *dir, const char *name)
{
	return dir_remove(dir, name);
}

static const struct inode_operations tmpfs_dir_iops = {
    .create = tmpfs_create,
    .unlink = tmpfs_unlink,
};

static const struct inode_operations tmpfs_file_iops = {
    .truncate = tmpfs_truncate,
};

struct inode *tmpfs_new_root(void)
{
	struct inode *root = tmpfs_inode(&tmpfs_sb, S_IFDIR | 01777);
	if (root)
		root->parent = root;
	return root;
}

struct inode *tmpfs_new_file(const char *name)
{
	(void)name;
	return tmpfs_inode(&memfd_sb, S_IFREG | 0777);
}

long memfd_fcntl(struct file *f, unsigned cmd, unsigned long arg)
{
	struct inode *ino = f->inode;
	if (cmd != F_ADD_SEALS && cmd != F_GET_SEALS)
		return -EINVAL;
	if (ino->sb != &memfd_sb)
		return -EINVAL; /* only memfds have seals */
	if (cmd == F_GET_SEALS)
		return ino->seals;
	if ((f->flags & O_ACCMODE) == O_RDONLY)
		return -EPERM;
	if (arg & ~(unsigned long)(F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE |
				   F_SEAL_FUTURE_WRITE))
		return -EINVAL;
	if (ino->seals & F_SEAL_SEAL)
		return -EPERM;
	if ((arg & F_SEAL_WRITE) && mapping_writably_mapped(&ino->mapping))
		return -EBUSY; /* a shared writable mapping could still change it */
	ino->seals |= (unsigned)arg;
	return 0;
}

SYSCALL_DEFINE2(memfd_create, const char __user *, uname, unsigned, flags)
{
	char name[MFD_NAME_MAX + 1];
	int err = 0;
	if (flags & ~(MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_HUGETLB))
		return -EINVAL;
	if (flags & MFD_HUGETLB)
		return -EINVAL; /* no hugetlbfs */
	long n = strncpy_from_user(name, uname, sizeof(name));
	if (n < 0)
		return n == -ENAMETOOLONG ? -EINVAL : n;
	struct inode *ino = tmpfs_new_file(name);
	if (!ino)
		return -ENOMEM;
	if (!(flags & MFD_ALLOW_SEALING))
		ino->seals = F_SEAL_SEAL;
	struct file *f = file_open_inode(ino, O_RDWR | O_LARGEFILE, &err);
	iput(ino);
	if (!f)
		return err;
	f->path = kmalloc(MFD_NAME_MAX + 32);
	if (f->path)
		snprintf(f->path, MFD_NAME_MAX + 32, "/memfd:%s (deleted)", name);
	int fd = fd_install(f, flags & MFD_CLOEXEC);
	if (fd < 0)
		fput(f);
	return fd;
}
