/*
 * namei.c - from a path name to an inode.
 *
 * Walk the path one component at a time from the root ("/...") or the
 * current directory. ".." goes to the parent; crossing into a directory
 * that has a filesystem mounted on it continues in that filesystem's root.
 */
#include "kernel/fs/fs.h"
#include "kernel/errno.h"
#include "kernel/string.h"
#include "kernel/task.h"

struct inode *root_inode;

/* next_component: copy the component at *p into name; advance *p past it and any '/'. */
static int next_component(const char **p, char *name)
{
	const char *s = *p;
	size_t n = 0;
	while (s[n] && s[n] != '/')
		n++;
	if (n > NAME_MAX)
		return -ENAMETOOLONG;
	memcpy(name, s, n);
	name[n] = 0;
	s += n;
	while (*s == '/')
		s++;
	*p = s;
	return 0;
}

static struct inode *follow_mounts(struct inode *ino)
{
	while (ino->mounted)
		ino = ino->mounted;
	return ino;
}

/* lookup_one: the child called name in dir, with a reference, or NULL. */
static struct inode *lookup_one(struct inode *dir, const char *name)
{
	struct inode *child;
	if (!strcmp(name, "."))
		child = dir;
	else if (!strcmp(name, ".."))
		child = dir->covered ? dir->covered->parent : dir->parent;
	else if (dir->iops && dir->iops->lookup)
		return dir->iops->lookup(dir, name); /* already referenced */
	else {
		struct dirent_node *d = dir_find(dir, name);
		child = d ? d->inode : NULL;
	}
	if (!child)
		child = !strcmp(name, "..") ? dir : NULL; /* ".." at the root is the root */
	if (child)
		iget(child);
	return child;
}

/* walk: resolve path; with last != NULL stop before the final component and return it. */
static struct inode *walk(struct inode *base, const char *path, char *last, int *err)
{
	char name[NAME_MAX + 1];
	struct inode *cur;

	if (!path[0]) {
		*err = -ENOENT;
		return NULL;
	}
	cur = path[0] == '/' ? root_inode : base ? base : current->cwd;
	cur = follow_mounts(cur);
	iget(cur);
	while (*path == '/')
		path++;
	while (*path) {
		if ((*err = next_component(&path, name))) {
			iput(cur);
			return NULL;
		}
		if (last && !*path) { /* the final component: the caller's */
			strlcpy(last, name, NAME_MAX + 1);
			return cur;
		}
		if (!S_ISDIR(cur->mode)) {
			iput(cur);
			*err = -ENOTDIR;
			return NULL;
		}
		struct inode *next = lookup_one(cur, name);
		iput(cur);
		if (!next) {
			*err = -ENOENT;
			return NULL;
		}
		cur = follow_mounts(next);
		if (cur != next) {
			iget(cur);
			iput(next);
		}
	}
	if (last)
		last[0] = 0; /* the path named a directory itself ("/", "a/") */
	return cur;
}

struct inode *namei_at(struct inode *base, const char *path, int *err)
{
	struct inode *ino = walk(base, path, NULL, err);
	size_t n = strlen(path);
	if (ino && n && path[n - 1] == '/' && !S_ISDIR(ino->mode)) {
		iput(ino);
		*err = -ENOTDIR;
		return NULL;
	}
	return ino;
}

struct inode *namei(const char *path, int *err)
{
	return namei_at(NULL, path, err);
}

struct inode *namei_parent_at(struct inode *base, const char *path, char *last, int *err)
{
	struct inode *dir = walk(base, path, last, err);
	if (dir && !S_ISDIR(dir->mode)) {
		iput(dir);
		*err = -ENOTDIR;
		return NULL;
	}
	return dir;
}

int vfs_mount(const char *path, struct inode *root)
{
	int err;
	struct inode *dir = namei(path, &err);
	if (!dir)
		return err;
	if (!S_ISDIR(dir->mode)) {
		iput(dir);
		return -ENOTDIR;
	}
	dir->mounted = root; /* keeps our reference to dir, and the caller's to root */
	root->covered = dir;
	root->parent = dir->parent;
	return 0;
}
