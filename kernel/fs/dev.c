/*
 * dev.c - /dev: the console, null and zero.
 */
#include "kernel/fs/fs.h"
#include "kernel/errno.h"
#include "kernel/string.h"
#include "mm/uaccess.h"

static struct super_block devfs_sb = {.fstype = "devtmpfs", .dev = 0x05};

static ssize_t null_read(struct file *f, char __user *buf, size_t n, off_t *pos)
{
	(void)f, (void)buf, (void)n, (void)pos;
	return 0;
}

static ssize_t null_write(struct file *f, const char __user *buf, size_t n, off_t *pos)
{
	(void)f, (void)buf, (void)pos;
	return (ssize_t)n;
}

static ssize_t zero_read(struct file *f, char __user *buf, size_t n, off_t *pos)
{
	(void)f, (void)pos;
	return clear_user(buf, n) ? -EFAULT : (ssize_t)n;
}

static const struct file_operations null_fops = {.read = null_read, .write = null_write};
static const struct file_operations zero_fops = {.read = zero_read, .write = null_write};

static void add_dev(struct inode *dir, const char *name, const struct file_operations *fops,
		    unsigned major, unsigned minor)
{
	struct inode *ino = inode_new(&devfs_sb, S_IFCHR | 0666);
	if (!ino)
		return;
	ino->fops = fops;
	ino->rdev = (major << 8) | minor;
	dir_add(dir, name, ino);
	iput(ino);
}

struct inode *devfs_init(void)
{
	struct inode *root = inode_new(&devfs_sb, S_IFDIR | 0755);
	if (!root)
		return NULL;
	root->nlink = 2;
	add_dev(root, "console", &tty_fops, 5, 1);
	add_dev(root, "tty", &tty_fops, 5, 0);
	add_dev(root, "null", &null_fops, 1, 3);
	add_dev(root, "zero", &zero_fops, 1, 5);
	return root;
}
