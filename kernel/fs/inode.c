/*
 * inode.c - inodes and directories shared by every filesystem.
 *
 * Directory entries are a list of (name, inode) pairs in the directory
 * inode; each entry holds a reference to its child. That is all the
 * structure a small in-memory filesystem needs; generated directories
 * (procfs) provide lookup/readdir operations instead.
 */
#include "kernel/fs/fs.h"
#include "kernel/errno.h"
#include "kernel/string.h"
#include "kernel/timer.h"
#include "mm/slab.h"

static int64_t boot_epoch; /* wall-clock seconds at boot (from the RTC) */

void set_boot_time(int64_t epoch)
{
	boot_epoch = epoch;
}

int64_t current_time_sec(void)
{
	return boot_epoch + (int64_t)(timer_ticks() / HZ);
}

struct inode *inode_new(struct super_block *sb, unsigned mode)
{
	struct inode *ino = kzalloc(sizeof(*ino));
	if (!ino)
		return NULL;
	ino->sb = sb;
	ino->ino = sb ? ++sb->next_ino : 0;
	ino->mode = mode;
	ino->nlink = 1;
	ino->refcount = 1;
	ino->mtime = ino->atime = ino->ctime = current_time_sec();
	list_init(&ino->entries);
	mapping_init(&ino->mapping, ino, NULL);
	return ino;
}

void iget(struct inode *ino)
{
	ino->refcount++;
}

void iput(struct inode *ino)
{
	if (!ino || --ino->refcount > 0)
		return;
	if (ino->destroy)
		ino->destroy(ino);
	truncate_inode_pages(&ino->mapping, 0);
	while (!list_empty(&ino->entries)) {
		struct dirent_node *d = list_first_entry(&ino->entries, struct dirent_node, link);
		list_del(&d->link);
		iput(d->inode);
		kfree(d);
	}
	kfree(ino);
}

struct dirent_node *dir_find(struct inode *dir, const char *name)
{
	for (struct list_head *l = dir->entries.next; l != &dir->entries; l = l->next) {
		struct dirent_node *d = list_entry(l, struct dirent_node, link);
		if (!strcmp(d->name, name))
			return d;
	}
	return NULL;
}

int dir_add(struct inode *dir, const char *name, struct inode *child)
{
	size_t n = strlen(name);
	if (n == 0 || n > NAME_MAX)
		return n ? -ENAMETOOLONG : -ENOENT;
	if (dir_find(dir, name))
		return -EEXIST;
	struct dirent_node *d = kmalloc(sizeof(*d) + n + 1);
	if (!d)
		return -ENOMEM;
	memcpy(d->name, name, n + 1);
	d->inode = child;
	iget(child);
	if (S_ISDIR(child->mode)) {
		child->parent = dir;
		dir->nlink++;
	}
	list_add_tail(&d->link, &dir->entries);
	dir->mtime = current_time_sec();
	return 0;
}

int dir_remove(struct inode *dir, const char *name)
{
	struct dirent_node *d = dir_find(dir, name);
	if (!d)
		return -ENOENT;
	list_del(&d->link);
	if (S_ISDIR(d->inode->mode))
		dir->nlink--;
	if (d->inode->nlink)
		d->inode->nlink--;
	iput(d->inode);
	kfree(d);
	dir->mtime = current_time_sec();
	return 0;
}
