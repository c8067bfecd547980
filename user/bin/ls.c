/*
 * ls.c - list directory contents.
 *
 * Usage: ls [-l] [-a] [PATH...]
 * Names are printed one per line, sorted by byte value. -a includes names
 * that start with '.'; -l puts the type and permissions ("drwxr-xr-x"), the
 * link count and the size in bytes before each name. A PATH that is not a
 * directory prints itself. With several PATHs, the files come first, then
 * each directory under a "PATH:" heading. PATHs are followed if they are
 * symbolic links; entries inside directories are not (fstatat with
 * AT_SYMLINK_NOFOLLOW), so they show as 'l'.
 * Exit status: 0; 1 if an entry could not be examined; 2 if a PATH could not
 * be accessed or a directory could not be read.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pagemem.h"

struct entry {
	char *name;
	struct stat st; /* only filled in for -l */
};

struct list {
	struct entry *v;
	size_t n, cap;
};

static bool opt_long, opt_all;
static int status;

static void *xmalloc(size_t size)
{
	void *p = malloc(size);
	if (!p) {
		fprintf(stderr, "ls: out of memory\n");
		exit(2);
	}
	return p;
}

/* grow: double the array, in mmap'd memory (see pagemem.h for why). */
static void grow(struct list *l)
{
	size_t cap = l->cap ? l->cap * 2 : 64;
	struct entry *v = page_realloc(l->v, l->cap * sizeof(*v), cap * sizeof(*v));

	if (!v) {
		fprintf(stderr, "ls: out of memory\n");
		exit(2);
	}
	l->v = v;
	l->cap = cap;
}

static void add(struct list *l, const char *name, const struct stat *st)
{
	if (l->n == l->cap)
		grow(l);
	l->v[l->n].name = xmalloc(strlen(name) + 1);
	strcpy(l->v[l->n].name, name);
	if (st)
		l->v[l->n].st = *st;
	l->n++;
}

static void clear(struct list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].name);
	page_free(l->v, l->cap * sizeof(*l->v));
	*l = (struct list){0};
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->name, ((const struct entry *)b)->name);
}

static char type_char(mode_t m)
{
	switch (m & S_IFMT) {
	case S_IFDIR:
		return 'd';
	case S_IFLNK:
		return 'l';
	case S_IFCHR:
		return 'c';
	case S_IFBLK:
		return 'b';
	case S_IFIFO:
		return 'p';
	case S_IFSOCK:
		return 's';
	default:
		return '-';
	}
}

/* mode_string: "drwxr-xr-x", with s/S for set-id bits and t/T for sticky. */
static void mode_string(mode_t m, char out[11])
{
	static const char rwx[] = "rwxrwxrwx";

	out[0] = type_char(m);
	for (int i = 0; i < 9; i++)
		out[i + 1] = m & (0400 >> i) ? rwx[i] : '-';
	if (m & S_ISUID)
		out[3] = out[3] == 'x' ? 's' : 'S';
	if (m & S_ISGID)
		out[6] = out[6] == 'x' ? 's' : 'S';
	if (m & S_ISVTX)
		out[9] = out[9] == 'x' ? 't' : 'T';
	out[10] = 0;
}

static int digits(unsigned long long v)
{
	int n = 1;
	while (v >= 10) {
		v /= 10;
		n++;
	}
	return n;
}

/* print_list: sort and print; for -l, with the numbers in aligned columns. */
static void print_list(struct list *l)
{
	int wlink = 1, wsize = 1;
	char mode[11];

	qsort(l->v, l->n, sizeof(*l->v), by_name);
	for (size_t i = 0; opt_long && i < l->n; i++) {
		int w = digits(l->v[i].st.st_nlink);
		wlink = w > wlink ? w : wlink;
		w = digits(l->v[i].st.st_size);
		wsize = w > wsize ? w : wsize;
	}
	for (size_t i = 0; i < l->n; i++) {
		struct entry *e = &l->v[i];
		if (!opt_long) {
			printf("%s\n", e->name);
			continue;
		}
		mode_string(e->st.st_mode, mode);
		printf("%s %*llu %*lld %s\n", mode, wlink, (unsigned long long)e->st.st_nlink,
		       wsize, (long long)e->st.st_size, e->name);
	}
}

/* read_dir: collect the entries of the open directory d (named path). */
static void read_dir(DIR *d, const char *path, struct list *l)
{
	struct dirent *de;
	struct stat st;

	errno = 0;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' && !opt_all)
			continue;
		if (!opt_long) {
			add(l, de->d_name, NULL);
			continue;
		}
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			fprintf(stderr, "ls: cannot access '%s/%s': %s\n", path, de->d_name,
				strerror(errno));
			status = status > 1 ? status : 1;
			continue;
		}
		add(l, de->d_name, &st);
	}
	if (errno) {
		fprintf(stderr, "ls: reading directory '%s': %s\n", path, strerror(errno));
		status = 2;
	}
}

static void list_dir(const char *path)
{
	struct list l = {0};
	DIR *d = opendir(path);

	if (!d) {
		fprintf(stderr, "ls: cannot open directory '%s': %s\n", path, strerror(errno));
		status = 2;
		return;
	}
	read_dir(d, path, &l);
	closedir(d);
	print_list(&l);
	clear(&l);
}

int main(int argc, char **argv)
{
	struct list files = {0}, dirs = {0};
	struct stat st;
	int i;

	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (!strcmp(argv[i], "--")) {
			i++;
			break;
		}
		for (const char *p = argv[i] + 1; *p; p++) {
			if (*p == 'l')
				opt_long = true;
			else if (*p == 'a')
				opt_all = true;
			else if (*p != '1') {
				fprintf(
				    stderr,
				    "ls: invalid option -- '%c'\nusage: ls [-l] [-a] [PATH...]\n",
				    *p);
				return 2;
			}
		}
	}

	int noperands = argc - i;
	if (noperands == 0)
		add(&dirs, ".", NULL);
	for (; i < argc; i++) {
		if (stat(argv[i], &st) < 0) {
			fprintf(stderr, "ls: cannot access '%s': %s\n", argv[i], strerror(errno));
			status = 2;
		} else {
			add(S_ISDIR(st.st_mode) ? &dirs : &files, argv[i], &st);
		}
	}

	print_list(&files);
	qsort(dirs.v, dirs.n, sizeof(*dirs.v), by_name);
	for (size_t j = 0; j < dirs.n; j++) {
		if (noperands > 1)
			printf("%s%s:\n", files.n || j ? "\n" : "", dirs.v[j].name);
		list_dir(dirs.v[j].name);
	}
	clear(&files);
	clear(&dirs);
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "ls: write error\n");
		return 2;
	}
	return status;
}
