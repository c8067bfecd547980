/*
 * initrd.c - the root filesystem, from the cpio archive(s) GRUB loaded.
 *
 * The archive format is "newc" (what `cpio -H newc` writes): each entry is a
 * 110-byte ASCII header of 13 eight-digit hex fields, the NUL-terminated
 * name, the data, each padded to 4 bytes; "TRAILER!!!" ends an archive.
 * Several archives may follow each other (tools/run appends one with extra
 * files); a later entry replaces an earlier one of the same name.
 *
 * File data stays where GRUB put it. The page cache is filled from it on
 * the first access of each page (initrd_readpage): a "major" fault in
 * miniature, since the data must be read from the backing store.
 * The filesystem is read-only; /tmp is a tmpfs mounted on top.
 */
#include "kernel/fs/fs.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "mm/page.h"

static struct super_block initrd_sb = {.fstype = "initrd", .dev = 0x0801, .read_only = true};

struct cpio_newc {
	char magic[6];
	char ino[8], mode[8], uid[8], gid[8], nlink[8], mtime[8], filesize[8];
	char devmajor[8], devminor[8], rdevmajor[8], rdevminor[8], namesize[8], check[8];
};

static unsigned long hex8(const char *s)
{
	unsigned long v = 0;
	for (int i = 0; i < 8; i++) {
		char c = s[i];
		v = v * 16 + (unsigned long)(c >= 'a'   ? c - 'a' + 10
					     : c >= 'A' ? c - 'A' + 10
							: c - '0');
	}
	return v;
}

static int initrd_readpage(struct address_space *m, struct page *pg)
{
	struct inode *ino = m->host;
	off_t off = (off_t)pg->index << PAGE_SHIFT;
	if (off >= ino->size)
		return 0;
	size_t n = ino->size - off < (off_t)PAGE_SIZE ? (size_t)(ino->size - off) : PAGE_SIZE;
	memcpy(page_address(pg), (const char *)ino->private + off, n);
	return 0;
}

static const struct address_space_operations initrd_aops = {.readpage = initrd_readpage};
static const struct file_operations initrd_fops = {.read = generic_file_read};

/* make_dir: the directory at path under root, created (with parents) if missing. */
static struct inode *make_dir(const char *path)
{
	char name[NAME_MAX + 1];
	struct inode *dir = root_inode;
	while (*path) {
		while (*path == '/')
			path++;
		size_t n = 0;
		while (path[n] && path[n] != '/')
			n++;
		if (!n)
			break;
		if (n > NAME_MAX)
			return NULL;
		memcpy(name, path, n);
		name[n] = 0;
		path += n;
		struct dirent_node *d = dir_find(dir, name);
		if (!d) {
			struct inode *sub = inode_new(&initrd_sb, S_IFDIR | 0755);
			if (!sub || dir_add(dir, name, sub))
				return NULL;
			iput(sub);
			d = dir_find(dir, name);
		}
		if (!S_ISDIR(d->inode->mode))
			return NULL;
		dir = d->inode;
	}
	return dir;
}

/* add_entry: one archive member into the tree. */
static void add_entry(const char *name, unsigned mode, const char *data, size_t size, long mtime)
{
	char parent[PATH_MAX];
	const char *slash = strrchr(name, '/');
	size_t plen = slash ? (size_t)(slash - name) : 0;
	const char *base = slash ? slash + 1 : name;

	if (!strcmp(name, ".") || !*base || plen >= sizeof(parent))
		return;
	memcpy(parent, name, plen);
	parent[plen] = 0;
	struct inode *dir = make_dir(parent);
	if (!dir) {
		printk("initrd: cannot create the directory of %s\n", name);
		return;
	}
	if (S_ISDIR(mode)) {
		struct dirent_node *d = dir_find(dir, base);
		if (!d)
			make_dir(name);
		return;
	}
	if (!S_ISREG(mode)) {
		printk("initrd: skipping %s (only files and directories)\n", name);
		return;
	}
	dir_remove(dir, base); /* a later archive overrides an earlier one */
	struct inode *ino = inode_new(&initrd_sb, mode);
	if (!ino)
		panic("initrd: out of memory");
	ino->size = (off_t)size;
	ino->private = (void *)data;
	ino->mtime = ino->ctime = ino->atime = mtime;
	ino->fops = &initrd_fops;
	ino->mapping.a_ops = &initrd_aops;
	/* the cache's index now, so that reading the file later allocates only
	 * its pages (the leak check in /bin/init counts everything else) */
	if (mapping_reserve(&ino->mapping, PAGE_ALIGN(size) >> PAGE_SHIFT))
		panic("initrd: out of memory");
	dir_add(dir, base, ino);
	iput(ino);
}

/* unpack: every archive in [p, end); returns the number of entries, or -1 if malformed. */
static int unpack(const char *p, const char *end)
{
	int n = 0;
	while (p + sizeof(struct cpio_newc) <= end) {
		if (*p == 0) { /* padding between concatenated archives */
			p++;
			continue;
		}
		const struct cpio_newc *h = (const void *)p;
		if (memcmp(h->magic, "070701", 6) && memcmp(h->magic, "070702", 6))
			return -1;
		unsigned long namesize = hex8(h->namesize), size = hex8(h->filesize);
		const char *name = p + sizeof(*h);
		const char *data = (const char *)ALIGN_UP((uintptr_t)name + namesize, 4);
		if (namesize == 0 || name + namesize > end || data + size > end ||
		    name[namesize - 1] != 0)
			return -1;
		p = (const char *)ALIGN_UP((uintptr_t)data + size, 4);
		if (!strcmp(name, "TRAILER!!!"))
			continue;
		while (name[0] == '.' && name[1] == '/')
			name += 2;
		add_entry(name, (unsigned)hex8(h->mode), data, size, (long)hex8(h->mtime));
		n++;
	}
	return n;
}

void initrd_init(const void *cpio, size_t size)
{
	if (!root_inode) {
		root_inode = inode_new(&initrd_sb, S_IFDIR | 0755);
		if (!root_inode)
			panic("initrd: out of memory");
		root_inode->parent = root_inode;
		root_inode->nlink = 2;
	}
	if (!cpio)
		return;
	int n = unpack(cpio, (const char *)cpio + size);
	if (n < 0)
		printk(
		    "initrd: archive is not cpio newc (or is truncated); some files are missing\n");
	else
		printk("initrd: %d files and directories\n", n);
}
