/*
 * pipe.c - anonymous pipes (pipe(2), pipe2(2)), with Linux's semantics (pipe(7)).
 *
 * A pipe is one inode (S_IFIFO, on the nameless "pipefs") whose private data
 * is a struct pipe: a 64 KiB ring buffer and the number of open read and
 * write ends. pipe_create() makes two struct files on that inode, one per
 * end; each file holds one inode reference, so the buffer is freed (by the
 * inode's destroy hook) when the last file on either end is closed. fork()
 * and dup() share struct files, so "readers" and "writers" count files, not
 * descriptors: an end is gone when release runs for its last file.
 *
 * The two ends have their own file_operations, as in early Linux: the wrong
 * direction answers -EBADF, and release knows which count to drop without
 * trusting f->flags.
 *
 * Readers and writers sleep on the struct pipe and re-check their condition
 * when woken. Only processes touch a pipe, never interrupt handlers, and the
 * kernel is not preemptive, so no locking is needed: nothing can change the
 * pipe between a check and the sleep_on() that follows it.
 *
 * Data moves directly between the ring and the user buffer. A fault in the
 * user buffer ends the call: -EFAULT if nothing was transferred yet,
 * otherwise the count so far (as Linux does).
 */
#include "kernel/fs/fs.h"
#include "kernel/errno.h"
#include "kernel/signal.h"
#include "kernel/task.h"
#include "mm/slab.h"
#include "mm/uaccess.h"

#define PIPE_SIZE 65536  /* capacity, Linux's default (F_GETPIPE_SZ) */
#define PIPE_BUF  4096   /* writes up to this size are atomic (POSIX) */
#define FIONREAD  0x541B /* asm-generic/ioctls.h */

struct pipe {
	char *buf;
	size_t head; /* offset of the oldest unread byte */
	size_t len;  /* bytes waiting to be read */
	int readers, writers;
};

static struct super_block pipefs_sb = {.fstype = "pipefs"};

static size_t min_size(size_t a, size_t b)
{
	return a < b ? a : b;
}

/* pipe_to_user: move up to n bytes out of the ring; the count moved, or -EFAULT if none. */
static ssize_t pipe_to_user(struct pipe *p, char __user *dst, size_t n)
{
	size_t done = 0;
	n = min_size(n, p->len);
	while (done < n) {
		/* at most two pieces: up to the end of the buffer, then from its start */
		size_t k = min_size(n - done, PIPE_SIZE - p->head);
		if (copy_to_user(dst + done, p->buf + p->head, k))
			return done ? (ssize_t)done : -EFAULT;
		p->head = (p->head + k) % PIPE_SIZE;
		p->len -= k;
		done += k;
	}
	return done;
}

/* pipe_from_user: append up to n bytes (n <= free space); the count, or -EFAULT if none. */
static ssize_t pipe_from_user(struct pipe *p, const char __user *src, size_t n)
{
	size_t done = 0;
	while (done < n) {
		size_t tail = (p->head + p->len) % PIPE_SIZE;
		size_t k = min_size(n - done, PIPE_SIZE - tail);
		if (copy_from_user(p->buf + tail, src + done, k))
			return done ? (ssize_t)done : -EFAULT;
		p->len += k;
		done += k;
	}
	return done;
}

static ssize_t pipe_read(struct file *f, char __user *buf, size_t n, off_t *pos)
{
	struct pipe *p = f->inode->private;
	(void)pos;

	if (n == 0)
		return 0;
	while (p->len == 0) {
		if (p->writers == 0)
			return 0; /* end of file */
		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		if (sleep_on(p) < 0)
			return -ERESTARTSYS;
	}
	ssize_t r = pipe_to_user(p, buf, n);
	if (r > 0)
		wake_up(p); /* there is room for writers now */
	return r;
}

/*
 * pipe_write: a write of at most PIPE_BUF bytes goes in whole or waits until
 * it can; a larger one takes whatever room there is and waits for more.
 */
static ssize_t pipe_write(struct file *f, const char __user *buf, size_t n, off_t *pos)
{
	struct pipe *p = f->inode->private;
	size_t done = 0;
	(void)pos;

	if (n == 0)
		return 0;
	while (done < n) {
		if (p->readers == 0) {
			send_signal(current, SIGPIPE, NULL);
			return done ? (ssize_t)done : -EPIPE;
		}
		size_t room = PIPE_SIZE - p->len;
		if (room > 0 && (n > PIPE_BUF || room >= n)) {
			size_t k = min_size(room, n - done);
			ssize_t r = pipe_from_user(p, buf + done, k);
			if (r > 0) {
				done += r;
				wake_up(p); /* data for readers */
			}
			if (r < (ssize_t)k) /* the user buffer faulted */
				return done ? (ssize_t)done : r;
			continue;
		}
		if (f->flags & O_NONBLOCK)
			return done ? (ssize_t)done : -EAGAIN;
		if (sleep_on(p) < 0)
			return done ? (ssize_t)done : -ERESTARTSYS;
	}
	return done;
}

/* The wrong direction: the syscall layer checks the access mode, but be safe. */
static ssize_t pipe_bad_read(struct file *f, char __user *buf, size_t n, off_t *pos)
{
	(void)f, (void)buf, (void)n, (void)pos;
	return -EBADF;
}

static ssize_t pipe_bad_write(struct file *f, const char __user *buf, size_t n, off_t *pos)
{
	(void)f, (void)buf, (void)n, (void)pos;
	return -EBADF;
}

/* FIONREAD: how many bytes are waiting, on either end (as Linux); no tty requests. */
static long pipe_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
{
	struct pipe *p = f->inode->private;
	int n = (int)p->len;

	if (cmd != FIONREAD)
		return -ENOTTY;
	return copy_to_user((int __user *)arg, &n, sizeof(n)) ? -EFAULT : 0;
}

/* Release of an end's last file: wake the other side (EOF or EPIPE). fput() drops the inode. */
static void pipe_read_release(struct file *f)
{
	struct pipe *p = f->inode->private;
	p->readers--;
	wake_up(p);
}

static void pipe_write_release(struct file *f)
{
	struct pipe *p = f->inode->private;
	p->writers--;
	wake_up(p);
}

static const struct file_operations pipe_read_fops = {
    .read = pipe_read,
    .write = pipe_bad_write,
    .ioctl = pipe_ioctl,
    .release = pipe_read_release,
};

static const struct file_operations pipe_write_fops = {
    .read = pipe_bad_read,
    .write = pipe_write,
    .ioctl = pipe_ioctl,
    .release = pipe_write_release,
};

/* The inode's last reference is gone: both ends are closed. */
static void pipe_destroy(struct inode *ino)
{
	struct pipe *p = ino->private;
	kfree(p->buf);
	kfree(p);
	ino->private = NULL;
}

static struct inode *pipe_inode_new(void)
{
	struct pipe *p = kzalloc(sizeof(*p));
	char *buf = kmalloc(PIPE_SIZE);
	struct inode *ino = inode_new(&pipefs_sb, S_IFIFO | 0600);
	if (!p || !buf || !ino) {
		kfree(p);
		kfree(buf);
		iput(ino);
		return NULL;
	}
	p->buf = buf;
	p->readers = p->writers = 1;
	ino->private = p;
	ino->destroy = pipe_destroy;
	return ino;
}

/* pipe_file_new: an open file on ino with its own inode reference. */
static struct file *pipe_file_new(struct inode *ino, unsigned flags,
				  const struct file_operations *fops)
{
	struct file *f = kzalloc(sizeof(*f));
	if (!f)
		return NULL;
	f->inode = ino;
	f->fops = fops;
	f->flags = flags;
	f->refcount = 1;
	iget(ino);
	return f;
}

int pipe_create(struct file **rd, struct file **wr)
{
	struct inode *ino = pipe_inode_new();
	if (!ino)
		return -ENOMEM;
	struct file *r = pipe_file_new(ino, O_RDONLY, &pipe_read_fops);
	struct file *w = pipe_file_new(ino, O_WRONLY, &pipe_write_fops);
	if (!r || !w) {
		/* undo by hand: neither file was ever installed, nothing to release */
		if (r)
			iput(ino);
		if (w)
			iput(ino);
		kfree(r);
		kfree(w);
		iput(ino);
		return -ENOMEM;
	}
	iput(ino); /* the files hold the references now */
	*rd = r;
	*wr = w;
	return 0;
}
