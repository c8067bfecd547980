/*
 * file.c - open files, file descriptors, and the file system calls.
 *
 * A file descriptor is an index into the task's files[]; a struct file is
 * shared by dup() and fork() (with its position), and freed with its last
 * reference. Every user pointer goes through mm/uaccess.h, so a bad one
 * gives -EFAULT.
 */
#include "kernel/fs/fs.h"
#include "kernel/errno.h"
#include "kernel/printf.h"
#include "kernel/string.h"
#include "kernel/task.h"
#include "mm/page.h"
#include "mm/slab.h"
#include "mm/uaccess.h"

#define MAX_RW_COUNT    0x7ffff000L /* Linux's cap on one read or write */
#define IOV_MAX         1024
#define SEEK_SET        0
#define SEEK_CUR        1
#define SEEK_END        2
#define F_DUPFD         0
#define F_GETFD         1
#define F_SETFD         2
#define F_GETFL         3
#define F_SETFL         4
#define F_DUPFD_CLOEXEC 1030
#define FD_CLOEXEC      1

/* ---------------------------------------------------------------- struct file */

struct file *file_open_inode(struct inode *ino, unsigned flags, int *err)
{
	struct file *f = kzalloc(sizeof(*f));
	if (!f) {
		*err = -ENOMEM;
		return NULL;
	}
	f->inode = ino;
	iget(ino);
	f->fops = ino->fops;
	f->flags = flags & ~(O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_CLOEXEC);
	f->refcount = 1;
	if (f->fops && f->fops->open) {
		*err = f->fops->open(ino, f);
		if (*err) {
			iput(ino);
			kfree(f);
			return NULL;
		}
	}
	return f;
}

void fget(struct file *f)
{
	f->refcount++;
}

void fput(struct file *f)
{
	if (!f || --f->refcount > 0)
		return;
	if (f->fops && f->fops->release)
		f->fops->release(f);
	iput(f->inode);
	kfree(f->path);
	kfree(f);
}

struct file *fd_file(int fd)
{
	if (fd < 0 || fd >= NOFILE)
		return NULL;
	return current->files[fd];
}

static int fd_install_from(struct file *f, int min, bool cloexec)
{
	struct task *t = current;
	for (int fd = min; fd < NOFILE; fd++) {
		if (!t->files[fd]) {
			t->files[fd] = f;
			if (cloexec)
				t->cloexec[fd / 64] |= 1UL << (fd % 64);
			else
				t->cloexec[fd / 64] &= ~(1UL << (fd % 64));
			return fd;
		}
	}
	return -EMFILE;
}

int fd_install(struct file *f, bool cloexec)
{
	return fd_install_from(f, 0, cloexec);
}

static int fd_close(struct task *t, int fd)
{
	struct file *f = fd >= 0 && fd < NOFILE ? t->files[fd] : NULL;
	if (!f)
		return -EBADF;
	t->files[fd] = NULL;
	t->cloexec[fd / 64] &= ~(1UL << (fd % 64));
	fput(f);
	return 0;
}

void files_close_all(struct task *t)
{
	for (int fd = 0; fd < NOFILE; fd++)
		if (t->files[fd])
			fd_close(t, fd);
}

void files_fork(struct task *child, struct task *parent)
{
	for (int fd = 0; fd < NOFILE; fd++) {
		child->files[fd] = parent->files[fd];
		if (child->files[fd])
			fget(child->files[fd]);
	}
	memcpy(child->cloexec, parent->cloexec, sizeof(child->cloexec));
}

void files_close_on_exec(struct task *t)
{
	for (int fd = 0; fd < NOFILE; fd++)
		if (t->cloexec[fd / 64] & (1UL << (fd % 64)))
			fd_close(t, fd);
}

/* ---------------------------------------------------------------- regular files */

ssize_t generic_file_read(struct file *f, char __user *buf, size_t n, off_t *pos)
{
	struct inode *ino = f->inode;
	size_t done = 0;

	if (*pos < 0)
		return -EINVAL;
	while (done < n && *pos < ino->size) {
		unsigned long index = (unsigned long)*pos >> PAGE_SHIFT;
		size_t off = (size_t)*pos & (PAGE_SIZE - 1);
		size_t chunk = PAGE_SIZE - off;
		if (chunk > n - done)
			chunk = n - done;
		if ((off_t)chunk > ino->size - *pos)
			chunk = (size_t)(ino->size - *pos);
		struct page *pg = read_cache_page(&ino->mapping, index, NULL);
		if (!pg)
			return done ? (ssize_t)done : -EIO;
		int err = copy_to_user(buf + done, (char *)page_address(pg) + off, chunk);
		put_page(pg);
		if (err)
			return done ? (ssize_t)done : -EFAULT;
		done += chunk;
		*pos += (off_t)chunk;
	}
	return (ssize_t)done;
}

ssize_t generic_file_write(struct file *f, const char __user *buf, size_t n, off_t *pos)
{
	struct inode *ino = f->inode;
	size_t done = 0;

	if (f->flags & O_APPEND)
		*pos = ino->size;
	if (*pos < 0)
		return -EINVAL;
	while (done < n) {
		unsigned long index = (unsigned long)*pos >> PAGE_SHIFT;
		size_t off = (size_t)*pos & (PAGE_SIZE - 1);
		size_t chunk = PAGE_SIZE - off;
		if (chunk > n - done)
			chunk = n - done;
		struct page *pg = read_cache_page(&ino->mapping, index, NULL);
		if (!pg)
			return done ? (ssize_t)done : -ENOSPC;
		int err = copy_from_user((char *)page_address(pg) + off, buf + done, chunk);
		pg->flags |= PG_dirty;
		put_page(pg);
		if (err)
			return done ? (ssize_t)done : -EFAULT;
		done += chunk;
		*pos += (off_t)chunk;
		if (*pos > ino->size)
			ino->size = *pos;
	}
	ino->mtime = current_time_sec();
	return (ssize_t)done;
}

ssize_t kernel_read(struct file *f, void *buf, size_t n, off_t pos)
{
	struct inode *ino = f->inode;
	size_t done = 0;

	while (done < n && pos < ino->size) {
		size_t off = (size_t)pos & (PAGE_SIZE - 1);
		size_t chunk = PAGE_SIZE - off;
		if (chunk > n - done)
			chunk = n - done;
		if ((off_t)chunk > ino->size - pos)
			chunk = (size_t)(ino->size - pos);
		struct page *pg =
		    read_cache_page(&ino->mapping, (unsigned long)pos >> PAGE_SHIFT, NULL);
		if (!pg)
			return -EIO;
		memcpy((char *)buf + done, (char *)page_address(pg) + off, chunk);
		put_page(pg);
		done += chunk;
		pos += (off_t)chunk;
	}
	return (ssize_t)done;
}

/* ---------------------------------------------------------------- open */

static char *dup_path(const char *path)
{
	char *p = kmalloc(strlen(path) + 1);
	if (p)
		strlcpy(p, path, strlen(path) + 1);
	return p;
}

/* create_in: a new file or directory called name in dir, with a reference; NULL and *err. */
static struct inode *create_in(struct inode *dir, const char *name, unsigned mode, int *err)
{
	if (dir->sb && dir->sb->read_only) {
		*err = -EROFS;
		return NULL;
	}
	if (!dir->iops || !dir->iops->create) {
		*err = -EACCES;
		return NULL;
	}
	return dir->iops->create(dir, name, mode, err);
}

/* do_open: open (or create) path relative to base. */
static struct file *do_open(struct inode *base, const char *path, unsigned flags, unsigned mode,
			    int *err)
{
	char last[NAME_MAX + 1];
	struct inode *ino = NULL;
	unsigned acc = flags & O_ACCMODE;

	if (flags & O_CREAT) {
		struct inode *dir = namei_parent_at(base, path, last, err);
		if (!dir)
			return NULL;
		if (!last[0]) { /* "/" or "dir/": a directory cannot be created by open */
			ino = dir;
			*err = -EISDIR;
			goto fail;
		}
		struct dirent_node *d = dir_find(dir, last);
		if (d && (flags & O_EXCL)) {
			iput(dir);
			*err = -EEXIST;
			return NULL;
		}
		if (d) {
			ino = d->inode;
			iget(ino);
			if (ino->mounted) {
				struct inode *m = ino->mounted;
				iget(m);
				iput(ino);
				ino = m;
			}
		} else {
			ino = create_in(dir, last, S_IFREG | (mode & 07777), err);
			if (!ino) {
				iput(dir);
				return NULL;
			}
		}
		iput(dir);
	} else {
		ino = namei_at(base, path, err);
		if (!ino)
			return NULL;
	}

	if ((flags & O_DIRECTORY) && !S_ISDIR(ino->mode)) {
		*err = -ENOTDIR;
		goto fail;
	}
	if (S_ISDIR(ino->mode) && (acc != O_RDONLY || (flags & O_TRUNC))) {
		*err = -EISDIR;
		goto fail;
	}
	if (acc != O_RDONLY && ino->sb && ino->sb->read_only && !S_ISCHR(ino->mode)) {
		*err = -EROFS;
		goto fail;
	}
	if ((flags & O_TRUNC) && S_ISREG(ino->mode) && acc != O_RDONLY) {
		if (!ino->iops || !ino->iops->truncate) {
			*err = -EACCES;
			goto fail;
		}
		if ((*err = ino->iops->truncate(ino, 0)))
			goto fail;
	}
	struct file *f = file_open_inode(ino, flags, err);
	iput(ino);
	if (f)
		f->path = dup_path(path);
	return f;
fail:
	iput(ino);
	return NULL;
}

struct file *kernel_open(const char *path, unsigned flags, unsigned mode, int *err)
{
	return do_open(NULL, path, flags, mode, err);
}

/* dirfd_inode: the directory to resolve a relative path from (*at calls). */
static struct inode *dirfd_inode(int dirfd, const char *path, int *err)
{
	if (dirfd == AT_FDCWD || path[0] == '/')
		return current->cwd;
	struct file *f = fd_file(dirfd);
	if (!f) {
		*err = -EBADF;
		return NULL;
	}
	if (!S_ISDIR(f->inode->mode)) {
		*err = -ENOTDIR;
		return NULL;
	}
	return f->inode;
}

/* getname: a path from user memory into a kmalloc'd buffer, or an error pointer. */
static char *getname(const char __user *upath, int *err)
{
	char *p = kmalloc(PATH_MAX);
	if (!p) {
		*err = -ENOMEM;
		return NULL;
	}
	long n = strncpy_from_user(p, upath, PATH_MAX);
	if (n < 0) {
		kfree(p);
		*err = (int)n;
		return NULL;
	}
	return p;
}

SYSCALL_DEFINE4(openat, int, dirfd, const char __user *, upath, unsigned, flags, unsigned, mode)
{
	int err = 0;
	char *path = getname(upath, &err);
	if (!path)
		return err;
	struct inode *base = dirfd_inode(dirfd, path, &err);
	struct file *f = base ? do_open(base, path, flags, mode, &err) : NULL;
	kfree(path);
	if (!f)
		return err;
	int fd = fd_install(f, flags & O_CLOEXEC);
	if (fd < 0)
		fput(f);
	return fd;
}

SYSCALL_DEFINE3(open, const char __user *, path, unsigned, flags, unsigned, mode)
{
	return sys_openat(AT_FDCWD, (uint64_t)path, flags, mode, 0, 0);
}

SYSCALL_DEFINE1(close, int, fd)
{
	return fd_close(current, fd);
}

/* ---------------------------------------------------------------- read, write */

/* file_rw: the checks every read and write share, then the file's own operation. */
static ssize_t file_rw(struct file *f, char __user *buf, size_t n, bool write)
{
	unsigned acc = f->flags & O_ACCMODE;
	if (acc != O_RDWR && acc != (write ? O_WRONLY : O_RDONLY))
		return -EBADF;
	if (!write && S_ISDIR(f->inode->mode))
		return -EISDIR;
	if (!f->fops || !(write ? (void *)f->fops->write : (void *)f->fops->read))
		return -EINVAL;
	if (n > MAX_RW_COUNT)
		n = MAX_RW_COUNT;
	if (!access_ok(buf, n))
		return -EFAULT;
	return write ? f->fops->write(f, buf, n, &f->pos) : f->fops->read(f, buf, n, &f->pos);
}

SYSCALL_DEFINE3(read, int, fd, char __user *, buf, size_t, n)
{
	struct file *f = fd_file(fd);
	return f ? file_rw(f, buf, n, false) : -EBADF;
}

SYSCALL_DEFINE3(write, int, fd, const char __user *, buf, size_t, n)
{
	struct file *f = fd_file(fd);
	return f ? file_rw(f, (char __user *)buf, n, true) : -EBADF;
}

/* positioned_rw: pread/pwrite: the transfer at off, leaving the file position alone. */
static long positioned_rw(int fd, char __user *buf, size_t n, off_t off, bool write)
{
	struct file *f = fd_file(fd);
	if (!f)
		return -EBADF;
	if (!S_ISREG(f->inode->mode))
		return -ESPIPE;
	if (off < 0)
		return -EINVAL;
	off_t saved = f->pos;
	f->pos = off;
	ssize_t r = file_rw(f, buf, n, write);
	f->pos = saved;
	return r;
}

SYSCALL_DEFINE4(pread64, int, fd, char __user *, buf, size_t, n, off_t, off)
{
	return positioned_rw(fd, buf, n, off, false);
}

SYSCALL_DEFINE4(pwrite64, int, fd, const char __user *, buf, size_t, n, off_t, off)
{
	return positioned_rw(fd, (char __user *)buf, n, off, true);
}

struct iovec {
	void __user *base;
	size_t len;
};

static long do_iov(int fd, const struct iovec __user *uiov, int cnt, bool write)
{
	struct file *f = fd_file(fd);
	struct iovec v;

	if (!f)
		return -EBADF;
	if (cnt < 0 || cnt > IOV_MAX)
		return -EINVAL;
	for (int i = 0; i < cnt; i++) { /* validate first, as Linux does */
		if (copy_from_user(&v, &uiov[i], sizeof(v)))
			return -EFAULT;
		/* Linux rejects one length above SSIZE_MAX; a sum past it is only
		 * trimmed (to MAX_RW_COUNT), never an error */
		if ((ssize_t)v.len < 0)
			return -EINVAL;
	}
	ssize_t done = 0;
	for (int i = 0; i < cnt && done < MAX_RW_COUNT; i++) {
		copy_from_user(&v, &uiov[i], sizeof(v));
		if (v.len > (size_t)(MAX_RW_COUNT - done))
			v.len = (size_t)(MAX_RW_COUNT - done);
		if (!v.len)
			continue;
		ssize_t r = file_rw(f, v.base, v.len, write);
		if (r < 0)
			return done ? done : r;
		done += r;
		if ((size_t)r < v.len)
			break;
	}
	return done;
}

SYSCALL_DEFINE3(readv, int, fd, const struct iovec __user *, iov, int, cnt)
{
	return do_iov(fd, iov, cnt, false);
}

SYSCALL_DEFINE3(writev, int, fd, const struct iovec __user *, iov, int, cnt)
{
	return do_iov(fd, iov, cnt, true);
}

SYSCALL_DEFINE3(lseek, int, fd, off_t, off, int, whence)
{
	struct file *f = fd_file(fd);
	off_t base;

	if (!f)
		return -EBADF;
	if (S_ISFIFO(f->inode->mode) || (S_ISCHR(f->inode->mode) && f->fops == &tty_fops))
		return -ESPIPE;
	if (whence == SEEK_SET)
		base = 0;
	else if (whence == SEEK_CUR)
		base = f->pos;
	else if (whence == SEEK_END)
		base = f->inode->size;
	else
		return -EINVAL;
	if ((off > 0 && base + off < base) || base + off < 0)
		return -EINVAL;
	f->pos = base + off;
	return f->pos;
}

/* ---------------------------------------------------------------- stat */

struct stat {
	uint64_t st_dev, st_ino, st_nlink;
	uint32_t st_mode, st_uid, st_gid, pad0;
	uint64_t st_rdev;
	int64_t st_size, st_blksize, st_blocks;
	int64_t st_atime, st_atime_nsec, st_mtime, st_mtime_nsec, st_ctime, st_ctime_nsec;
	int64_t reserved[3];
};

static int fill_stat(struct inode *ino, struct stat __user *ubuf)
{
	struct stat st;
	memset(&st, 0, sizeof(st));
	st.st_dev = ino->sb ? ino->sb->dev : 0;
	st.st_ino = ino->ino;
	st.st_nlink = ino->nlink;
	st.st_mode = ino->mode;
	st.st_uid = ino->uid;
	st.st_gid = ino->gid;
	st.st_rdev = ino->rdev;
	st.st_size = ino->size;
	st.st_blksize = PAGE_SIZE;
	st.st_blocks = (int64_t)(ino->mapping.nrpages * (PAGE_SIZE / 512));
	st.st_atime = ino->atime;
	st.st_mtime = ino->mtime;
	st.st_ctime = ino->ctime;
	return copy_to_user(ubuf, &st, sizeof(st));
}

SYSCALL_DEFINE2(fstat, int, fd, struct stat __user *, buf)
{
	struct file *f = fd_file(fd);
	return f ? fill_stat(f->inode, buf) : -EBADF;
}

SYSCALL_DEFINE4(newfstatat, int, dirfd, const char __user *, upath, struct stat __user *, buf, int,
		flags)
{
	int err = 0;
	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT))
		return -EINVAL;
	char *path = getname(upath, &err);
	if (!path)
		return err;
	struct inode *ino = NULL;
	if (!path[0] && (flags & AT_EMPTY_PATH)) {
		struct file *f = dirfd == AT_FDCWD ? NULL : fd_file(dirfd);
		if (dirfd != AT_FDCWD && !f)
			err = -EBADF;
		else {
			ino = f ? f->inode : current->cwd;
			iget(ino);
		}
	} else {
		struct inode *base = dirfd_inode(dirfd, path, &err);
		if (base)
			ino = namei_at(base, path, &err);
	}
	kfree(path);
	if (!ino)
		return err;
	err = fill_stat(ino, buf);
	iput(ino);
	return err;
}

SYSCALL_DEFINE2(stat, const char __user *, path, struct stat __user *, buf)
{
	return sys_newfstatat(AT_FDCWD, (uint64_t)path, (uint64_t)buf, 0, 0, 0);
}

SYSCALL_DEFINE2(lstat, const char __user *, path, struct stat __user *, buf)
{
	return sys_newfstatat(AT_FDCWD, (uint64_t)path, (uint64_t)buf, AT_SYMLINK_NOFOLLOW, 0, 0);
}

/* ---------------------------------------------------------------- directories */

#define DT_DIR  4
#define DT_REG  8
#define DT_CHR  2
#define DT_FIFO 1

static unsigned dtype(unsigned mode)
{
	return S_ISDIR(mode) ? DT_DIR : S_ISREG(mode) ? DT_REG : S_ISCHR(mode) ? DT_CHR : DT_FIFO;
}

/* dir_entry: entry number index of dir (0 ".", 1 "..", then children); -ENOENT past the end. */
static int dir_entry(struct inode *dir, unsigned long index, char *name, unsigned long *ino,
		     unsigned *type)
{
	if (index < 2) {
		strlcpy(name, index ? ".." : ".", NAME_MAX + 1);
		struct inode *i = index ? (dir->covered ? dir->covered->parent : dir->parent) : dir;
		*ino = i ? i->ino : dir->ino;
		*type = DT_DIR;
		return 0;
	}
	if (dir->iops && dir->iops->readdir)
		return dir->iops->readdir(dir, index - 2, name, NAME_MAX + 1, ino, type);
	unsigned long k = 2;
	for (struct list_head *l = dir->entries.next; l != &dir->entries; l = l->next, k++) {
		if (k != index)
			continue;
		struct dirent_node *d = list_entry(l, struct dirent_node, link);
		strlcpy(name, d->name, NAME_MAX + 1);
		struct inode *c = d->inode->mounted ? d->inode->mounted : d->inode;
		*ino = c->ino;
		*type = dtype(c->mode);
		return 0;
	}
	return -ENOENT;
}

SYSCALL_DEFINE3(getdents64, int, fd, void __user *, buf, unsigned, count)
{
	struct file *f = fd_file(fd);
	char name[NAME_MAX + 1];
	struct {
		uint64_t d_ino;
		int64_t d_off;
		uint16_t d_reclen;
		uint8_t d_type;
	} __attribute__((packed)) hdr;
	unsigned long ino;
	unsigned type;
	size_t done = 0;

	if (!f)
		return -EBADF;
	if (!S_ISDIR(f->inode->mode))
		return -ENOTDIR;
	while (dir_entry(f->inode, (unsigned long)f->pos, name, &ino, &type) == 0) {
		size_t len = strlen(name);
		size_t reclen = ALIGN_UP(sizeof(hdr) + len + 1, 8);
		if (done + reclen > count) {
			if (!done)
				return -EINVAL; /* the buffer cannot hold even one entry */
			break;
		}
		hdr.d_ino = ino;
		hdr.d_off = f->pos + 1;
		hdr.d_reclen = (uint16_t)reclen;
		hdr.d_type = (uint8_t)type;
		char rec[sizeof(hdr) + NAME_MAX + 1 + 8];
		memset(rec, 0, reclen);
		memcpy(rec, &hdr, sizeof(hdr));
		memcpy(rec + sizeof(hdr), name, len + 1);
		if (copy_to_user((char *)buf + done, rec, reclen))
			return -EFAULT;
		done += reclen;
		f->pos++;
	}
	return (long)done;
}

/* user_parent: the directory (referenced) that holds the last name of a
 * user path, relative to dirfd; the name goes into last. NULL and *err. */
static struct inode *user_parent(int dirfd, const char __user *upath, char *last, int *err)
{
	char *path = getname(upath, err);
	if (!path)
		return NULL;
	struct inode *base = dirfd_inode(dirfd, path, err);
	struct inode *dir = base ? namei_parent_at(base, path, last, err) : NULL;
	kfree(path);
	return dir;
}

SYSCALL_DEFINE3(mkdirat, int, dirfd, const char __user *, upath, unsigned, mode)
{
	char last[NAME_MAX + 1];
	int err = 0;
	struct inode *dir = user_parent(dirfd, upath, last, &err);
	if (!dir)
		return err;
	if (!last[0] || dir_find(dir, last) || !strcmp(last, ".") || !strcmp(last, ".."))
		err = -EEXIST;
	else {
		struct inode *d = create_in(dir, last, S_IFDIR | (mode & 07777), &err);
		if (d)
			iput(d), err = 0;
	}
	iput(dir);
	return err;
}

SYSCALL_DEFINE2(mkdir, const char __user *, path, unsigned, mode)
{
	return sys_mkdirat(AT_FDCWD, (uint64_t)path, mode, 0, 0, 0);
}

#define AT_REMOVEDIR 0x200

SYSCALL_DEFINE3(unlinkat, int, dirfd, const char __user *, upath, int, flags)
{
	char last[NAME_MAX + 1];
	int err = 0;
	if (flags & ~AT_REMOVEDIR)
		return -EINVAL;
	struct inode *dir = user_parent(dirfd, upath, last, &err);
	if (!dir)
		return err;
	struct dirent_node *d = last[0] ? dir_find(dir, last) : NULL;
	if (!last[0] || !strcmp(last, ".") || !strcmp(last, ".."))
		err = last[0] ? -EINVAL : -EBUSY;
	else if (!d)
		err = -ENOENT;
	else if (!(flags & AT_REMOVEDIR) && S_ISDIR(d->inode->mode))
		err = -EISDIR;
	else if ((flags & AT_REMOVEDIR) && !S_ISDIR(d->inode->mode))
		err = -ENOTDIR;
	else if ((flags & AT_REMOVEDIR) && !list_empty(&d->inode->entries))
		err = -ENOTEMPTY;
	else if (d->inode->mounted)
		err = -EBUSY;
	else if (dir->sb && dir->sb->read_only)
		err = -EROFS;
	else if (!dir->iops || !dir->iops->unlink)
		err = -EACCES;
	else
		err = dir->iops->unlink(dir, last);
	iput(dir);
	return err;
}

SYSCALL_DEFINE1(unlink, const char __user *, path)
{
	return sys_unlinkat(AT_FDCWD, (uint64_t)path, 0, 0, 0, 0);
}

SYSCALL_DEFINE1(rmdir, const char __user *, path)
{
	return sys_unlinkat(AT_FDCWD, (uint64_t)path, AT_REMOVEDIR, 0, 0, 0);
}

SYSCALL_DEFINE1(chdir, const char __user *, upath)
{
	int err = 0;
	char *path = getname(upath, &err);
	if (!path)
		return err;
	struct inode *ino = namei(path, &err);
	kfree(path);
	if (!ino)
		return err;
	if (!S_ISDIR(ino->mode)) {
		iput(ino);
		return -ENOTDIR;
	}
	iput(current->cwd);
	current->cwd = ino;
	return 0;
}

SYSCALL_DEFINE1(fchdir, int, fd)
{
	struct file *f = fd_file(fd);
	if (!f)
		return -EBADF;
	if (!S_ISDIR(f->inode->mode))
		return -ENOTDIR;
	iget(f->inode);
	iput(current->cwd);
	current->cwd = f->inode;
	return 0;
}

/* name_in_parent: the name under which dir appears in its parent. */
static const char *name_in_parent(struct inode *dir)
{
	struct inode *self = dir->covered ? dir->covered : dir;
	struct inode *parent = self->parent;
	if (!parent)
		return NULL;
	for (struct list_head *l = parent->entries.next; l != &parent->entries; l = l->next) {
		struct dirent_node *d = list_entry(l, struct dirent_node, link);
		if (d->inode == self)
			return d->name;
	}
	return NULL;
}

SYSCALL_DEFINE2(getcwd, char __user *, ubuf, size_t, size)
{
	char *buf = kmalloc(PATH_MAX);
	if (!buf)
		return -ENOMEM;
	size_t pos = PATH_MAX - 1;
	buf[pos] = 0;
	for (struct inode *d = current->cwd; d != root_inode && d->covered != root_inode;) {
		const char *name = name_in_parent(d);
		if (!name)
			break; /* unlinked directory */
		size_t n = strlen(name);
		if (n + 1 > pos) {
			kfree(buf);
			return -ENAMETOOLONG;
		}
		pos -= n;
		memcpy(buf + pos, name, n);
		buf[--pos] = '/';
		d = (d->covered ? d->covered : d)->parent;
	}
	if (buf[pos] == 0)
		buf[--pos] = '/';
	size_t len = PATH_MAX - pos;
	long r = (long)len;
	if (len > size)
		r = -ERANGE;
	else if (copy_to_user(ubuf, buf + pos, len))
		r = -EFAULT;
	kfree(buf);
	return r;
}

/* ---------------------------------------------------------------- pipes, dup, fcntl */

SYSCALL_DEFINE2(pipe2, int __user *, ufds, int, flags)
{
	struct file *rd, *wr;
	if (flags & ~(O_CLOEXEC | O_NONBLOCK))
		return -EINVAL;
	int err = pipe_create(&rd, &wr);
	if (err)
		return err;
	rd->flags |= flags & O_NONBLOCK;
	wr->flags |= flags & O_NONBLOCK;
	int fds[2];
	fds[0] = fd_install(rd, flags & O_CLOEXEC);
	fds[1] = fds[0] < 0 ? -EMFILE : fd_install(wr, flags & O_CLOEXEC);
	if (fds[1] < 0) {
		if (fds[0] >= 0)
			current->files[fds[0]] = NULL;
		fput(rd);
		fput(wr);
		return -EMFILE;
	}
	if (copy_to_user(ufds, fds, sizeof(fds))) {
		fd_close(current, fds[0]);
		fd_close(current, fds[1]);
		return -EFAULT;
	}
	return 0;
}

SYSCALL_DEFINE1(pipe, int __user *, fds)
{
	return sys_pipe2((uint64_t)fds, 0, 0, 0, 0, 0);
}

SYSCALL_DEFINE1(dup, int, fd)
{
	struct file *f = fd_file(fd);
	if (!f)
		return -EBADF;
	fget(f);
	int nfd = fd_install(f, false);
	if (nfd < 0)
		fput(f);
	return nfd;
}

SYSCALL_DEFINE3(dup3, int, oldfd, int, newfd, int, flags)
{
	struct file *f = fd_file(oldfd);
	if (flags & ~O_CLOEXEC)
		return -EINVAL;
	if (!f)
		return -EBADF;
	if (newfd < 0 || newfd >= NOFILE)
		return -EBADF;
	if (oldfd == newfd)
		return -EINVAL;
	fget(f);
	fd_close(current, newfd);
	current->files[newfd] = f;
	if (flags & O_CLOEXEC)
		current->cloexec[newfd / 64] |= 1UL << (newfd % 64);
	else
		current->cloexec[newfd / 64] &= ~(1UL << (newfd % 64));
	return newfd;
}

SYSCALL_DEFINE2(dup2, int, oldfd, int, newfd)
{
	if (oldfd == newfd)
		return fd_file(oldfd) ? newfd : -EBADF;
	return sys_dup3((uint64_t)oldfd, (uint64_t)newfd, 0, 0, 0, 0);
}

long memfd_fcntl(struct file *f, unsigned cmd, unsigned long arg);

SYSCALL_DEFINE3(fcntl, int, fd, unsigned, cmd, unsigned long, arg)
{
	struct file *f = fd_file(fd);
	struct task *t = current;
	if (!f)
		return -EBADF;
	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC: {
		if (arg >= NOFILE)
			return -EINVAL;
		fget(f);
		int nfd = fd_install_from(f, (int)arg, cmd == F_DUPFD_CLOEXEC);
		if (nfd < 0)
			fput(f);
		return nfd;
	}
	case F_GETFD:
		return (t->cloexec[fd / 64] >> (fd % 64)) & 1 ? FD_CLOEXEC : 0;
	case F_SETFD:
		if (arg & FD_CLOEXEC)
			t->cloexec[fd / 64] |= 1UL << (fd % 64);
		else
			t->cloexec[fd / 64] &= ~(1UL << (fd % 64));
		return 0;
	case F_GETFL:
		return f->flags;
	case F_SETFL: {
		const unsigned changeable = O_APPEND | O_NONBLOCK;
		f->flags = (f->flags & ~changeable) | ((unsigned)arg & changeable);
		return 0;
	}
	default:
		return memfd_fcntl(f, cmd, arg);
	}
}

SYSCALL_DEFINE3(ioctl, int, fd, unsigned, cmd, unsigned long, arg)
{
	struct file *f = fd_file(fd);
	if (!f)
		return -EBADF;
	if (!f->fops || !f->fops->ioctl)
		return -ENOTTY;
	return f->fops->ioctl(f, cmd, arg);
}

SYSCALL_DEFINE2(ftruncate, int, fd, off_t, len)
{
	struct file *f = fd_file(fd);
	if (!f)
		return -EBADF;
	/* Linux: EINVAL for a negative length, a non-regular file, or a file
	 * not open for writing */
	if (len < 0 || !S_ISREG(f->inode->mode) || (f->flags & O_ACCMODE) == O_RDONLY)
		return -EINVAL;
	if (!f->inode->iops || !f->inode->iops->truncate)
		return -EINVAL;
	return f->inode->iops->truncate(f->inode, len);
}

SYSCALL_DEFINE2(access, const char __user *, upath, int, mode)
{
	int err = 0;
	if (mode & ~7)
		return -EINVAL;
	char *path = getname(upath, &err);
	if (!path)
		return err;
	struct inode *ino = namei(path, &err);
	kfree(path);
	if (!ino)
		return err;
	/* moo runs everything as root: only execute needs an x bit somewhere */
	err = (mode & 1) && !S_ISDIR(ino->mode) && !(ino->mode & 0111) ? -EACCES : 0;
	iput(ino);
	return err;
}
