/*
 * fs.h - the virtual file system: inodes, open files, path lookup.
 *
 * An inode is a file, directory or device, with a type from its mode, a
 * size, and operations. Directories keep their entries in a list. An open
 * file (struct file) is an inode plus a position and open flags; file
 * descriptors index the task's files[] array.
 *
 * Filesystems (kernel/fs/):
 *   initrd.c  the root: the cpio archive GRUB loaded; read-only, file pages
 *             are read from the archive into the page cache on first use
 *   tmpfs.c   /tmp and memfd: files that live only in the page cache
 *   dev.c     /dev: console (tty.c), null, zero
 *   proc.c    /proc: generated text (meminfo, PID/stat, PID/maps, ...)
 *   pipe.c    pipes, which have no name
 */
#ifndef MOO_KERNEL_FS_FS_H
#define MOO_KERNEL_FS_FS_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include "kernel/syscall.h"
#include "mm/filemap.h"
#include "mm/list.h"

typedef int64_t off_t;
typedef long ssize_t;

/* mode bits, as Linux */
#define S_IFMT      0170000
#define S_IFSOCK    0140000
#define S_IFLNK     0120000
#define S_IFREG     0100000
#define S_IFBLK     0060000
#define S_IFDIR     0040000
#define S_IFCHR     0020000
#define S_IFIFO     0010000
#define S_ISDIR(m)  (((m)&S_IFMT) == S_IFDIR)
#define S_ISREG(m)  (((m)&S_IFMT) == S_IFREG)
#define S_ISCHR(m)  (((m)&S_IFMT) == S_IFCHR)
#define S_ISFIFO(m) (((m)&S_IFMT) == S_IFIFO)

/* open flags, as Linux x86-64 */
#define O_ACCMODE   0003
#define O_RDONLY    00
#define O_WRONLY    01
#define O_RDWR      02
#define O_CREAT     0100
#define O_EXCL      0200
#define O_NOCTTY    0400
#define O_TRUNC     01000
#define O_APPEND    02000
#define O_NONBLOCK  04000
#define O_DIRECTORY 0200000
#define O_NOFOLLOW  0400000
#define O_CLOEXEC   02000000
#define O_PATH      010000000
#define O_LARGEFILE 0100000

#define AT_FDCWD            (-100)
#define AT_SYMLINK_NOFOLLOW 0x100
#define AT_EMPTY_PATH       0x1000
#define AT_NO_AUTOMOUNT     0x800

#define NAME_MAX 255
#define PATH_MAX 4096

struct inode;
struct file;
struct super_block;
struct task;

struct file_operations {
	/* read/write move data between the file and a user buffer at *pos */
	ssize_t (*read)(struct file *f, char __user *buf, size_t n, off_t *pos);
	ssize_t (*write)(struct file *f, const char __user *buf, size_t n, off_t *pos);
	long (*ioctl)(struct file *f, unsigned int cmd, unsigned long arg);
	int (*open)(struct inode *ino, struct file *f);
	void (*release)(struct file *f);
};

struct inode_operations {
	/* create: a new regular file or directory named name in dir */
	struct inode *(*create)(struct inode *dir, const char *name, unsigned mode, int *err);
	int (*unlink)(struct inode *dir, const char *name);
	int (*truncate)(struct inode *ino, off_t size);
	/* Directories whose entries are generated (procfs) instead of listed in
	 * ->entries: lookup returns the named child with a reference (or NULL);
	 * readdir fills entry number index, returning 0, or -ENOENT past the end. */
	struct inode *(*lookup)(struct inode *dir, const char *name);
	int (*readdir)(struct inode *dir, unsigned long index, char *name, size_t size,
		       unsigned long *ino, unsigned *type);
};

struct dirent_node {
	struct list_head link;
	struct inode *inode;
	char name[];
};

struct super_block {
	const char *fstype;
	uint64_t dev;
	unsigned long next_ino;
	bool read_only;
};

struct inode {
	unsigned long ino;
	unsigned mode;
	unsigned nlink, uid, gid;
	off_t size;
	int64_t mtime, atime, ctime; /* seconds */
	int refcount;
	struct super_block *sb;
	const struct file_operations *fops;
	const struct inode_operations *iops;
	struct address_space mapping; /* the page cache of a regular file */
	/* directories */
	struct list_head entries; /* struct dirent_node */
	struct inode *parent;
	struct inode *mounted;              /* root of a filesystem mounted here */
	struct inode *covered;              /* for a mounted root: the directory it covers */
	uint64_t rdev;                      /* devices */
	void *private;                      /* filesystem's own data */
	void (*destroy)(struct inode *ino); /* called when the last reference goes */
	unsigned seals;                     /* memfd F_SEAL_* */
};

struct file {
	struct inode *inode;
	const struct file_operations *fops;
	unsigned flags; /* O_* as given to open, O_ACCMODE and status flags */
	off_t pos;
	int refcount;
	void *private;
	char *path; /* the name it was opened by, for /proc/PID/maps; may be NULL */
};

/* inodes */
struct inode *inode_new(struct super_block *sb, unsigned mode);
void iget(struct inode *ino);
void iput(struct inode *ino);
/* dir_add: link child into dir under name; 0 or -errno. */
int dir_add(struct inode *dir, const char *name, struct inode *child);
struct dirent_node *dir_find(struct inode *dir, const char *name);
int dir_remove(struct inode *dir, const char *name);

/* path lookup: the inode for path relative to base (or cwd), with a reference. */
struct inode *namei(const char *path, int *err);
struct inode *namei_at(struct inode *base, const char *path, int *err);
/* namei_parent: the parent directory of path and the last component's name. */
struct inode *namei_parent_at(struct inode *base, const char *path, char *last, int *err);
/* mount: attach the filesystem rooted at root to the directory at path. */
int vfs_mount(const char *path, struct inode *root);
extern struct inode *root_inode;

/* open files */
struct file *file_open_inode(struct inode *ino, unsigned flags, int *err);
void fget(struct file *f);
void fput(struct file *f);
struct file *fd_file(int fd); /* current task's file at fd, or NULL (no reference taken) */
int fd_install(struct file *f, bool cloexec); /* lowest free fd, or -EMFILE */
void files_close_all(struct task *t);
void files_fork(struct task *child, struct task *parent);
void files_close_on_exec(struct task *t);
/* kernel_open: open path with flags; a file or NULL with *err set. */
struct file *kernel_open(const char *path, unsigned flags, unsigned mode, int *err);

/* generic regular-file read/write through the page cache */
ssize_t generic_file_read(struct file *f, char __user *buf, size_t n, off_t *pos);
ssize_t generic_file_write(struct file *f, const char __user *buf, size_t n, off_t *pos);
/* kernel_read: read from a file into kernel memory (exec uses it). */
ssize_t kernel_read(struct file *f, void *buf, size_t n, off_t pos);

/* filesystems */
void initrd_init(const void *cpio, size_t size);
struct inode *tmpfs_new_root(void);
struct inode *tmpfs_new_file(const char *name); /* unnamed, for memfd */
struct inode *devfs_init(void);
struct inode *procfs_init(void);
int pipe_create(struct file **rd, struct file **wr);
void tty_init(void);
void tty_input_char(char c);
extern const struct file_operations tty_fops;

int64_t current_time_sec(void);

#endif
