/*
 * syscalls.c - every syscall moo has, with good arguments and with the
 * documented errors.
 *
 * moo's syscalls: read write readv writev open openat close lseek fstat
 * stat newfstatat getdents64 pipe pipe2 dup dup2 dup3 fcntl ioctl brk mmap
 * munmap mprotect arch_prctl set_tid_address rt_sigaction rt_sigprocmask
 * rt_sigreturn kill getpid getppid gettid getuid geteuid getgid getegid
 * sched_yield nanosleep clock_gettime uname getcwd chdir mkdir unlink
 * getrandom fork execve exit exit_group wait4. Error cases call
 * syscall(SYS_xxx) directly so that musl's wrappers cannot hide them.
 * Each test is named after the bug it guards against. Signals, processes
 * and pipes have their own suites (signals.c, process.c, pipes.c).
 */
#define _GNU_SOURCE
#include "check.h"
#include "testutil.h"

#include <dirent.h>
#include <limits.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <termios.h>

#ifndef ARCH_SET_FS
#define ARCH_SET_FS 0x1002
#define ARCH_GET_FS 0x1003
#endif

/* The kernel's struct linux_dirent64, as getdents64 fills it. */
struct dirent64_k {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

static char cwd_saved[1024];

static void cwd_save(void)
{
	if (!getcwd(cwd_saved, sizeof(cwd_saved)))
		strcpy(cwd_saved, "/");
}

static void cwd_restore(void)
{
	CHECK_OK(chdir(cwd_saved));
}

static off_t file_size(int fd)
{
	struct stat st;
	if (syscall(SYS_fstat, fd, &st) != 0)
		return -1;
	return st.st_size;
}

/* ---------------------------------------------------------------- read, write */

TEST(read_write_file_roundtrip)
{
	char path[128], buf[100];
	int fd = tmp_file(path, sizeof(path), "rw", NULL, 0);
	CHECK(fd >= 0);
	CHECK_EQ(syscall(SYS_write, fd, "hello world", 11), 11);
	CHECK_EQ(lseek(fd, 0, SEEK_SET), 0);
	memset(buf, 0, sizeof(buf));
	CHECK_EQ(syscall(SYS_read, fd, buf, sizeof(buf)), 11);
	CHECK(memcmp(buf, "hello world", 11) == 0);
	CHECK_EQ(syscall(SYS_read, fd, buf, sizeof(buf)), 0); /* end of file */
	close(fd);
	tmp_remove(path);
}

TEST(read_write_zero_length_returns_zero)
{
	char path[128], buf[4];
	int fd = tmp_file(path, sizeof(path), "zl", "abc", 3);
	CHECK_EQ(syscall(SYS_read, fd, buf, 0), 0);
	CHECK_EQ(syscall(SYS_write, fd, buf, 0), 0);
	CHECK_EQ(lseek(fd, 0, SEEK_CUR), 0);
	CHECK_EQ(file_size(fd), 3);
	close(fd);
	tmp_remove(path);
}

TEST(read_bad_pointer_efault)
{
	char path[128];
	void *bad[N_BAD_PTRS];
	int fd = tmp_file(path, sizeof(path), "rbad", "0123456789abcdef", 16);
	bad_pointers(bad);
	for (int i = 0; i < N_BAD_PTRS; i++) {
		lseek(fd, 0, SEEK_SET);
		CHECK_ERRNO(syscall(SYS_read, fd, bad[i], 16), EFAULT);
	}
	close(fd);
	tmp_remove(path);
}

/*
 * A read whose buffer runs into an unmapped page. Linux copies what fits
 * and returns that short count (POSIX also allows EFAULT when nothing was
 * copied); it must never claim more bytes than the valid part holds.
 */
TEST(read_into_buffer_running_into_unmapped_page)
{
	char path[128], data[64];
	for (int i = 0; i < 64; i++)
		data[i] = 'A' + i % 26;
	int fd = tmp_file(path, sizeof(path), "rstr", data, 64);
	char *p = straddle_alloc(16);
	CHECK(p != NULL);
	long r = syscall(SYS_read, fd, p, 64);
	if (r == -1) {
		CHECK_EQ(errno, EFAULT);
	} else {
		CHECK(r > 0 && r <= 16);
		CHECK(memcmp(p, data, r) == 0);
		CHECK_EQ(lseek(fd, 0, SEEK_CUR), r);
	}
	straddle_free(p);
	close(fd);
	tmp_remove(path);
}

TEST(write_bad_pointer_efault_writes_nothing)
{
	char path[128];
	void *bad[N_BAD_PTRS];
	int fd = tmp_file(path, sizeof(path), "wbad", NULL, 0);
	bad_pointers(bad);
	for (int i = 0; i < N_BAD_PTRS; i++)
		CHECK_ERRNO(syscall(SYS_write, fd, bad[i], 16), EFAULT);
	CHECK_EQ(file_size(fd), 0);
	CHECK_EQ(lseek(fd, 0, SEEK_CUR), 0);
	close(fd);
	tmp_remove(path);
}

/* Same as the read case: a short write of the valid bytes, or EFAULT. */
TEST(write_from_buffer_running_into_unmapped_page)
{
	char path[128], back[64];
	int fd = tmp_file(path, sizeof(path), "wstr", NULL, 0);
	char *p = straddle_alloc(16);
	CHECK(p != NULL);
	memcpy(p, "0123456789abcdef", 16);
	long r = syscall(SYS_write, fd, p, 64);
	if (r == -1) {
		CHECK_EQ(errno, EFAULT);
		CHECK_EQ(file_size(fd), 0);
	} else {
		CHECK(r > 0 && r <= 16);
		CHECK_EQ(file_size(fd), r);
		lseek(fd, 0, SEEK_SET);
		CHECK_EQ(read(fd, back, sizeof(back)), r);
		CHECK(memcmp(back, "0123456789abcdef", r) == 0);
	}
	straddle_free(p);
	close(fd);
	tmp_remove(path);
}

TEST(read_write_bad_fd_ebadf)
{
	char buf[8] = "x";
	int fd = open("/dev/null", O_RDWR);
	close(fd);
	CHECK_ERRNO(syscall(SYS_read, -1, buf, 1), EBADF);
	CHECK_ERRNO(syscall(SYS_read, 999, buf, 1), EBADF);
	CHECK_ERRNO(syscall(SYS_read, fd, buf, 1), EBADF); /* closed */
	CHECK_ERRNO(syscall(SYS_write, -1, buf, 1), EBADF);
	CHECK_ERRNO(syscall(SYS_write, 999, buf, 1), EBADF);
	CHECK_ERRNO(syscall(SYS_write, fd, buf, 1), EBADF);
	CHECK_ERRNO(syscall(SYS_write, INT_MAX, buf, 1), EBADF);
}

TEST(read_on_write_only_fd_ebadf)
{
	char path[128], buf[8];
	int fd = tmp_file(path, sizeof(path), "wo", "data", 4);
	close(fd);
	fd = open(path, O_WRONLY);
	CHECK(fd >= 0);
	CHECK_ERRNO(syscall(SYS_read, fd, buf, 4), EBADF);
	close(fd);
	tmp_remove(path);
}

TEST(write_on_read_only_fd_ebadf)
{
	char path[128];
	int fd = tmp_file(path, sizeof(path), "ro", "data", 4);
	close(fd);
	fd = open(path, O_RDONLY);
	CHECK(fd >= 0);
	CHECK_ERRNO(syscall(SYS_write, fd, "xx", 2), EBADF);
	CHECK_EQ(file_size(fd), 4);
	close(fd);
	tmp_remove(path);
}

TEST(read_directory_eisdir)
{
	char buf[16];
	int fd = open("/tmp", O_RDONLY | O_DIRECTORY);
	CHECK(fd >= 0);
	CHECK_ERRNO(syscall(SYS_read, fd, buf, sizeof(buf)), EISDIR);
	close(fd);
}

TEST(dev_null_swallows_writes_and_reads_eof)
{
	char buf[32];
	int fd = open("/dev/null", O_RDWR);
	CHECK(fd >= 0);
	CHECK_EQ(syscall(SYS_write, fd, "abcdef", 6), 6);
	CHECK_EQ(syscall(SYS_read, fd, buf, sizeof(buf)), 0);
	close(fd);
}

TEST(dev_zero_reads_zeros)
{
	char buf[5000];
	memset(buf, 0xaa, sizeof(buf));
	int fd = open("/dev/zero", O_RDONLY);
	CHECK(fd >= 0);
	CHECK_EQ(syscall(SYS_read, fd, buf, sizeof(buf)), sizeof(buf));
	int nonzero = 0;
	for (size_t i = 0; i < sizeof(buf); i++)
		nonzero += buf[i] != 0;
	CHECK_EQ(nonzero, 0);
	close(fd);
}

/* ---------------------------------------------------------------- readv, writev */

TEST(readv_writev_scatter_gather)
{
	char path[128];
	int fd = tmp_file(path, sizeof(path), "iov", NULL, 0);
	struct iovec w[4] = {{"ab", 2}, {"cde", 3}, {"", 0}, {"f", 1}};
	CHECK_EQ(syscall(SYS_writev, fd, w, 4), 6);
	CHECK_EQ(file_size(fd), 6);
	lseek(fd, 0, SEEK_SET);
	char a[2], b[1], c[10];
	memset(c, 0, sizeof(c));
	struct iovec r[3] = {{a, 2}, {b, 1}, {c, 10}};
	CHECK_EQ(syscall(SYS_readv, fd, r, 3), 6);
	CHECK(memcmp(a, "ab", 2) == 0);
	CHECK_EQ(b[0], 'c');
	CHECK(memcmp(c, "def", 4) == 0);
	CHECK_EQ(syscall(SYS_writev, fd, w, 0), 0);
	close(fd);
	tmp_remove(path);
}

TEST(readv_writev_bad_iovcnt_einval)
{
	char path[128], buf[4];
	int fd = tmp_file(path, sizeof(path), "iovc", "abcd", 4);
	static struct iovec iov[1100];
	for (int i = 0; i < 1100; i++) {
		iov[i].iov_base = buf;
		iov[i].iov_len = 0;
	}
	CHECK_ERRNO(syscall(SYS_readv, fd, iov, (long)-1), EINVAL);
	CHECK_ERRNO(syscall(SYS_writev, fd, iov, (long)-1), EINVAL);
	CHECK_ERRNO(syscall(SYS_readv, fd, iov, 1025), EINVAL);
	CHECK_ERRNO(syscall(SYS_writev, fd, iov, 1025), EINVAL);
	CHECK_ERRNO(syscall(SYS_writev, fd, iov, INT_MAX), EINVAL);
	CHECK_EQ(file_size(fd), 4);
	close(fd);
	tmp_remove(path);
}

TEST(writev_iov_max_1024_accepted)
{
	char path[128];
	int fd = tmp_file(path, sizeof(path), "iovmax", NULL, 0);
	static struct iovec iov[1024];
	static char bytes[1024];
	for (int i = 0; i < 1024; i++) {
		bytes[i] = (char)i;
		iov[i].iov_base = &bytes[i];
		iov[i].iov_len = 1;
	}
	CHECK_EQ(syscall(SYS_writev, fd, iov, 1024), 1024);
	static char back[1024];
	lseek(fd, 0, SEEK_SET);
	CHECK_EQ(read(fd, back, 1024), 1024);
	CHECK(memcmp(back, bytes, 1024) == 0);
	close(fd);
	tmp_remove(path);
}

TEST(writev_bad_iov_pointers_efault)
{
	char path[128];
	void *bad[N_BAD_PTRS];
	int fd = tmp_file(path, sizeof(path), "iovf", NULL, 0);
	bad_pointers(bad);
	for (int i = 0; i < N_BAD_PTRS; i++) {
		/* the iovec array itself is bad */
		CHECK_ERRNO(syscall(SYS_writev, fd, bad[i], 1), EFAULT);
		CHECK_ERRNO(syscall(SYS_readv, fd, bad[i], 1), EFAULT);
		/* the array is fine, the first buffer is bad */
		struct iovec iov[2] = {{bad[i], 8}, {"ok", 2}};
		CHECK_ERRNO(syscall(SYS_writev, fd, iov, 2), EFAULT);
	}
	CHECK_EQ(file_size(fd), 0);
	close(fd);
	tmp_remove(path);
}

TEST(readv_bad_buffer_efault)
{
	char path[128];
	void *bad[N_BAD_PTRS];
	int fd = tmp_file(path, sizeof(path), "iovr", "0123456789", 10);
	bad_pointers(bad);
	for (int i = 0; i < N_BAD_PTRS; i++) {
		lseek(fd, 0, SEEK_SET);
		struct iovec iov[1] = {{bad[i], 8}};
		CHECK_ERRNO(syscall(SYS_readv, fd, iov, 1), EFAULT);
	}
	close(fd);
	tmp_remove(path);
}

/*
 * man readv: "EINVAL The sum of the iov_len values overflows an ssize_t".
 * Linux really only checks each iov_len on its own: one above SSIZE_MAX is
 * EINVAL, but a sum that overflows is quietly clamped to MAX_RW_COUNT
 * (about 2 GiB), so two SSIZE_MAX lengths are not EINVAL on Linux. Only the
 * single-length case is tested.
 */
TEST(writev_iov_len_above_ssize_max_einval)
{
	char path[128], buf[4] = "abc";
	int fd = tmp_file(path, sizeof(path), "iovo", NULL, 0);
	struct iovec neg[1] = {{buf, (size_t)-1}};
	CHECK_ERRNO(syscall(SYS_writev, fd, neg, 1), EINVAL);
	CHECK_ERRNO(syscall(SYS_readv, fd, neg, 1), EINVAL);
	struct iovec big[2] = {{buf, 3}, {buf, (size_t)SSIZE_MAX + 1}};
	CHECK_ERRNO(syscall(SYS_writev, fd, big, 2), EINVAL);
	CHECK_EQ(file_size(fd), 0);
	close(fd);
	tmp_remove(path);
}

TEST(readv_writev_bad_fd_ebadf)
{
	char buf[4];
	struct iovec iov[1] = {{buf, 4}};
	CHECK_ERRNO(syscall(SYS_readv, 999, iov, 1), EBADF);
	CHECK_ERRNO(syscall(SYS_writev, -1, iov, 1), EBADF);
}

/* ---------------------------------------------------------------- open, openat */

TEST(open_missing_file_enoent)
{
	char path[128];
	tmp_name(path, sizeof(path), "missing");
	CHECK_ERRNO(syscall(SYS_open, path, O_RDONLY), ENOENT);
	char deep[160];
	snprintf(deep, sizeof(deep), "%s/f", path);
	CHECK_ERRNO(syscall(SYS_open, deep, O_RDWR | O_CREAT, 0644), ENOENT);
	CHECK_ERRNO(syscall(SYS_open, "", O_RDONLY), ENOENT);
}

TEST(open_bad_path_pointer_efault)
{
	void *bad[N_BAD_PTRS];
	bad_pointers(bad);
	for (int i = 0; i < N_BAD_PTRS; i++) {
		CHECK_ERRNO(syscall(SYS_open, bad[i], O_RDONLY), EFAULT);
		CHECK_ERRNO(syscall(SYS_openat, AT_FDCWD, bad[i], O_RDONLY), EFAULT);
		CHECK_ERRNO(syscall(SYS_open, bad[i], O_RDWR | O_CREAT, 0644), EFAULT);
	}
}

/* A path whose terminating NUL would lie in an unmapped page. */
TEST(open_path_running_into_unmapped_page_efault)
{
	char *p = straddle_alloc(4);
	CHECK(p != NULL);
	memcpy(p, "/tmp", 4); /* no NUL: the next byte is unmapped */
	CHECK_ERRNO(syscall(SYS_open, p, O_RDONLY), EFAULT);
	CHECK_ERRNO(syscall(SYS_stat, p, &(struct stat){0}), EFAULT);
	straddle_free(p);
}

TEST(open_creat_excl_existing_eexist)
{
	char path[128];
	int fd = tmp_file(path, sizeof(path), "excl", "x", 1);
	CHECK_ERRNO(syscall(SYS_open, path, O_RDWR | O_CREAT | O_EXCL, 0644), EEXIST);
	CHECK_ERRNO(syscall(SYS_open, "/tmp", O_RDONLY | O_CREAT | O_EXCL, 0644), EEXIST);
	CHECK_EQ(file_size(fd), 1);
	close(fd);
	tmp_remove(path);
}

TEST(open_directory_flag_on_file_enotdir)
{
	char path[128];
	int fd = tmp_file(path, sizeof(path), "odir", NULL, 0);
	CHECK_ERRNO(syscall(SYS_open, path, O_RDONLY | O_DIRECTORY), ENOTDIR);
	CHECK_ERRNO(syscall(SYS_open, "/dev/null", O_RDONLY | O_DIRECTORY), ENOTDIR);
	int d = syscall(SYS_open, "/tmp", O_RDONLY | O_DIRECTORY);
	CHECK(d >= 0);
	close(d);
	close(fd);
	tmp_remove(path);
}

TEST(open_path_through_file_enotdir)
{
	char path[128], sub[160];
	int fd = tmp_file(path, sizeof(path), "pthru", NULL, 0);
	snprintf(sub, sizeof(sub), "%s/x", path);
	CHECK_ERRNO(syscall(SYS_open, sub, O_RDONLY), ENOTDIR);
	CHECK_ERRNO(syscall(SYS_open, sub, O_RDWR | O_CREAT, 0644), ENOTDIR);
	close(fd);
	tmp_remove(path);
}

TEST(open_long_name_enametoolong)
{
	static char path[8192];
	/* one component longer than NAME_MAX (255) */
	strcpy(path, "/tmp/");
	memset(path + 5, 'n', 256);
	path[5 + 256] = '\0';
	CHECK_ERRNO(syscall(SYS_open, path, O_RDONLY), ENAMETOOLONG);
	CHECK_ERRNO(syscall(SYS_open, path, O_RDWR | O_CREAT, 0644), ENAMETOOLONG);
	/* a whole path longer than PATH_MAX (4096), made of short components */
	for (int i = 0; i < 2200; i++)
		memcpy(path + 2 * i, "a/", 2);
	path[4400] = '\0';
	CHECK_ERRNO(syscall(SYS_open, path, O_RDONLY), ENAMETOOLONG);
}

TEST(open_directory_for_writing_eisdir)
{
	CHECK_ERRNO(syscall(SYS_open, "/tmp", O_WRONLY), EISDIR);
	CHECK_ERRNO(syscall(SYS_open, "/tmp", O_RDWR), EISDIR);
}

/*
 * man open(2) lists EINVAL for "invalid value in flags", but open() and
 * openat() ignore flag bits they do not know (only openat2 rejects them),
 * so programs built for newer kernels still run. Bit 30 is unused on x86-64.
 */
TEST(open_unknown_flag_bits_ignored)
{
	int fd = syscall(SYS_open, "/dev/null", O_RDONLY | 0x40000000);
	CHECK(fd >= 0);
	close(fd);
}

TEST(open_trunc_empties_file)
{
	char path[128];
	int fd = tmp_file(path, sizeof(path), "trunc", "0123456789", 10);
	close(fd);
	fd = syscall(SYS_open, path, O_RDWR | O_TRUNC);
	CHECK(fd >= 0);
	CHECK_EQ(file_size(fd), 0);
	close(fd);
	tmp_remove(path);
}

TEST(open_append_writes_at_end_after_seek)
{
	char path[128], buf[16];
	int fd = tmp_file(path, sizeof(path), "app", "abc", 3);
	close(fd);
	fd = syscall(SYS_open, path, O_RDWR | O_APPEND);
	CHECK(fd >= 0);
	lseek(fd, 0, SEEK_SET);
	CHECK_EQ(write(fd, "XY", 2), 2);
	CHECK_EQ(lseek(fd, 0, SEEK_CUR), 5);
	lseek(fd, 0, SEEK_SET);
	memset(buf, 0, sizeof(buf));
	CHECK_EQ(read(fd, buf, sizeof(buf)), 5);
	CHECK(strcmp(buf, "abcXY") == 0);
	close(fd);
	tmp_remove(path);
}

TEST(open_returns_lowest_free_fd)
{
	int a = syscall(SYS_open, "/dev/null", O_RDONLY);
	int b = syscall(SYS_open, "/dev/null", O_RDONLY);
	CHECK(a >= 0 && b > a);
	close(a);
	int c = syscall(SYS_open, "/dev/null", O_RDONLY);
	CHECK_EQ(c, a);
	close(b);
	close(c);
}

TEST(open_creat_makes_regular_file_with_mode)
{
	char path[128];
	struct stat st;
	tmp_name(path, sizeof(path), "mode");
	int fd = syscall(SYS_open, path, O_WRONLY | O_CREAT | O_EXCL, 0640);
	CHECK(fd >= 0);
	CHECK_EQ(syscall(SYS_stat, path, &st), 0);
	CHECK(S_ISREG(st.st_mode));
	CHECK_EQ(st.st_size, 0);
	/* the umask can only take bits away */
	CHECK_EQ(st.st_mode & ~0640 & 0777, 0);
	CHECK(st.st_mode & S_IRUSR);
	close(fd);
	tmp_remove(path);
}

TEST(openat_relative_to_dirfd)
{
	char dir[128], file[160];
	struct stat st;
	tmp_name(dir, sizeof(dir), "atdir");
	CHECK_EQ(syscall(SYS_mkdir, dir, 0755), 0);
	int dfd = syscall(SYS_open, dir, O_RDONLY | O_DIRECTORY);
	CHECK(dfd >= 0);
	int fd = syscall(SYS_openat, dfd, "f", O_RDWR | O_CREAT | O_EXCL, 0644);
	CHECK(fd >= 0);
	CHECK_EQ(write(fd, "12345", 5), 5);
	snprintf(file, sizeof(file), "%s/f", dir);
	CHECK_EQ(syscall(SYS_stat, file, &st), 0);
	CHECK_EQ(st.st_size, 5);
	/* an absolute path ignores dirfd, even an invalid one */
	int n = syscall(SYS_openat, 999, file, O_RDONLY);
	CHECK(n >= 0);
	close(n);
	close(fd);
	close(dfd);
	tmp_remove(file);
	tmp_remove(dir);
}

TEST(openat_at_fdcwd_uses_working_directory)
{
	char dir[128], file[160];
	struct stat st;
	cwd_save();
	tmp_name(dir, sizeof(dir), "cwd");
	CHECK_EQ(syscall(SYS_mkdir, dir, 0755), 0);
	CHECK_EQ(syscall(SYS_chdir, dir), 0);
	int fd = syscall(SYS_openat, AT_FDCWD, "g", O_WRONLY | O_CREAT, 0644);
	CHECK(fd >= 0);
	close(fd);
	cwd_restore();
	snprintf(file, sizeof(file), "%s/g", dir);
	CHECK_EQ(syscall(SYS_stat, file, &st), 0);
	tmp_remove(file);
	tmp_remove(dir);
}

TEST(openat_bad_dirfd_ebadf)
{
	CHECK_ERRNO(syscall(SYS_openat, 999, "x", O_RDONLY), EBADF);
	CHECK_ERRNO(syscall(SYS_openat, -1, "x", O_RDONLY), EBADF);
}

TEST(openat_file_as_dirfd_enotdir)
{
	char path[128];
	int fd = tmp_file(path, sizeof(path), "atf", NULL, 0);
	CHECK_ERRNO(syscall(SYS_openat, fd, "x", O_RDONLY), ENOTDIR);
	close(fd);
	tmp_remove(path);
}

/* ---------------------------------------------------------------- close */

TEST(close_bad_fd_ebadf)
{
	CHECK_ERRNO(syscall(SYS_close, -1), EBADF);
	CHECK_ERRNO(syscall(SYS_close, 999), EBADF);
	CHECK_ERRNO(syscall(SYS_close, INT_MAX), EBADF);
	int fd = open("/dev/null", O_RDONLY);
	CHECK_EQ(syscall(SYS_close, fd), 0);
	CHECK_ERRNO(syscall(SYS_close, fd), EBADF); /* double close */
}

/* ---------------------------------------------------------------- lseek */

TEST(lseek_set_cur_end)
{
	char path[128], data[100], c;
	for (int i = 0; i < 100; i++)
		data[i] = (char)i;
	int fd = tmp_file(path, sizeof(path), "seek", data, 100);
	CHECK_EQ(syscall(SYS_lseek, fd, 10, SEEK_SET), 10);
	CHECK_EQ(syscall(SYS_lseek, fd, 5, SEEK_CUR), 15);
	CHECK_EQ(syscall(SYS_lseek, fd, (long)-3, SEEK_CUR), 12);
	CHECK_EQ(read(fd, &c, 1), 1);
	CHECK_EQ(c, 12);
	CHECK_EQ(syscall(SYS_lseek, fd, 0, SEEK_END), 100);
	CHECK_EQ(syscall(SYS_lseek, fd, (long)-10, SEEK_END), 90);
	CHECK_EQ(read(fd, &c, 1), 1);
	CHECK_EQ(c, 90);
	CHECK_EQ(syscall(SYS_lseek, fd, 0, SEEK_CUR), 91);
	close(fd);
	tmp_remove(path);
}

TEST(lseek_past_end_then_write_leaves_zero_hole)
{
	char path[128], buf[1001];
	int fd = tmp_file(path, sizeof(path), "hole", "abc", 3);
	CHECK_EQ(syscall(SYS_lseek, fd, 1000, SEEK_SET), 1000);
	CHECK_EQ(file_size(fd), 3); /* seeking alone does not grow the file */
	CHECK_EQ(write(fd, "z", 1), 1);
	CHECK_EQ(file_size(fd), 1001);
	lseek(fd, 0, SEEK_SET);
	CHECK_EQ(read(fd, buf, sizeof(buf)), 1001);
	int nonzero = 0;
	for (int i = 3; i < 1000; i++)
		nonzero += buf[i] != 0;
	CHECK_EQ(nonzero, 0);
	CHECK(memcmp(buf, "abc", 3) == 0 && buf[1000] == 'z');
	close(fd);
	tmp_remove(path);
}

/* whence 3 and 4 are SEEK_DATA/SEEK_HOLE on Linux, so use 42. */
TEST(lseek_bad_whence_einval)
{
	char path[128];
	int fd = tmp_file(path, sizeof(path), "whence", "abc", 3);
	lseek(fd, 2, SEEK_SET);
	CHECK_ERRNO(syscall(SYS_lseek, fd, 0, 42), EINVAL);
	CHECK_ERRNO(syscall(SYS_lseek, fd, 0, -1), EINVAL);
	CHECK_EQ(syscall(SYS_lseek, fd, 0, SEEK_CUR), 2);
	close(fd);
	tmp_remove(path);
}

TEST(lseek_negative_offset_einval)
{
	char path[128];
	int fd = tmp_file(path, sizeof(path), "neg", "abc", 3);
	lseek(fd, 2, SEEK_SET);
	CHECK_ERRNO(syscall(SYS_lseek, fd, (long)-1, SEEK_SET), EINVAL);
	CHECK_ERRNO(syscall(SYS_lseek, fd, (long)-3, SEEK_CUR), EINVAL);
	CHECK_ERRNO(syscall(SYS_lseek, fd, (long)-4, SEEK_END), EINVAL);
	CHECK_EQ(syscall(SYS_lseek, fd, 0, SEEK_CUR), 2); /* unchanged */
	close(fd);
	tmp_remove(path);
}

TEST(lseek_pipe_espipe)
{
	int p[2];
	CHECK_EQ(pipe(p), 0);
	CHECK_ERRNO(syscall(SYS_lseek, p[0], 0, SEEK_SET), ESPIPE);
	CHECK_ERRNO(syscall(SYS_lseek, p[1], 0, SEEK_CUR), ESPIPE);
	close(p[0]);
	close(p[1]);
}

TEST(lseek_bad_fd_ebadf)
{
	CHECK_ERRNO(syscall(SYS_lseek, 999, 0, SEEK_SET), EBADF);
	CHECK_ERRNO(syscall(SYS_lseek, -1, 0, SEEK_SET), EBADF);
}

/* ---------------------------------------------------------------- stat family */

TEST(fstat_reports_size_and_type)
{
	char path[128], data[1234];
	struct stat st;
	memset(data, 'q', sizeof(data));
	int fd = tmp_file(path, sizeof(path), "fst", data, sizeof(data));
	CHECK_EQ(syscall(SYS_fstat, fd, &st), 0);
	CHECK(S_ISREG(st.st_mode));
	CHECK_EQ(st.st_size, 1234);
	CHECK(st.st_nlink >= 1);
	close(fd);

	int p[2];
	CHECK_EQ(pipe(p), 0);
	CHECK_EQ(syscall(SYS_fstat, p[0], &st), 0);
	CHECK(S_ISFIFO(st.st_mode));
	CHECK_EQ(syscall(SYS_fstat, p[1], &st), 0);
	CHECK(S_ISFIFO(st.st_mode));
	close(p[0]);
	close(p[1]);

	fd = open("/dev/null", O_RDONLY);
	CHECK_EQ(syscall(SYS_fstat, fd, &st), 0);
	CHECK(S_ISCHR(st.st_mode));
	close(fd);
	fd = open("/tmp", O_RDONLY | O_DIRECTORY);
	CHECK_EQ(syscall(SYS_fstat, fd, &st), 0);
	CHECK(S_ISDIR(st.st_mode));
	close(fd);
	tmp_remove(path);
}

TEST(stat_reports_type_by_path)
{
	struct stat st;
	CHECK_EQ(syscall(SYS_stat, "/tmp", &st), 0);
	CHECK(S_ISDIR(st.st_mode));
	CHECK_EQ(syscall(SYS_stat, "/dev/zero", &st), 0);
	CHECK(S_ISCHR(st.st_mode));
	CHECK_EQ(syscall(SYS_stat, "/", &st), 0);
	CHECK(S_ISDIR(st.st_mode));
}

TEST(stat_and_fstat_agree_on_inode)
{
	char p1[128], p2[128];
	struct stat a, b, c;
	int f1 = tmp_file(p1, sizeof(p1), "ino1", "abcdef", 6);
	int f2 = tmp_file(p2, sizeof(p2), "ino2", "ab", 2);
	CHECK_EQ(syscall(SYS_fstat, f1, &a), 0);
	CHECK_EQ(syscall(SYS_stat, p1, &b), 0);
	CHECK_EQ(syscall(SYS_stat, p2, &c), 0);
	CHECK_EQ(a.st_ino, b.st_ino);
	CHECK_EQ(a.st_dev, b.st_dev);
	CHECK_EQ(b.st_size, 6);
	CHECK_EQ(c.st_size, 2);
	CHECK(b.st_ino != c.st_ino);
	close(f1);
	close(f2);
	tmp_remove(p1);
	tmp_remove(p2);
}

TEST(stat_missing_enoent)
{
	char path[128];
	struct stat st;
	tmp_name(path, sizeof(path), "nostat");
	CHECK_ERRNO(syscall(SYS_stat, path, &st), ENOENT);
	CHECK_ERRNO(syscall(SYS_newfstatat, AT_FDCWD, path, &st, 0), ENOENT);
}

TEST(stat_bad_pointers_efault)
{
	void *bad[N_BAD_PTRS];
	struct stat st;
	int fd = open("/dev/null", O_RDONLY);
	bad_pointers(bad);
	for (int i = 0; i < N_BAD_PTRS; i++) {
		CHECK_ERRNO(syscall(SYS_stat, bad[i], &st), EFAULT);
		CHECK_ERRNO(syscall(SYS_stat, "/tmp", bad[i]), EFAULT);
		CHECK_ERRNO(syscall(SYS_fstat, fd, bad[i]), EFAULT);
		CHECK_ERRNO(syscall(SYS_newfstatat, AT_FDCWD, "/tmp", bad[i], 0), EFAULT);
		CHECK_ERRNO(syscall(SYS_newfstatat, AT_FDCWD, bad[i], &st, 0), EFAULT);
	}
	/* a stat buffer that runs into an unmapped page */
	char *p = straddle_alloc(sizeof(struct stat) / 2);
	CHECK_ERRNO(syscall(SYS_fstat, fd, p), EFAULT);
	straddle_free(p);
	close(fd);
}

TEST(fstat_bad_fd_ebadf)
{
	struct stat st;
	CHECK_ERRNO(syscall(SYS_fstat, -1, &st), EBADF);
	CHECK_ERRNO(syscall(SYS_fstat, 999, &st), EBADF);
}

TEST(newfstatat_at_fdcwd_and_dirfd)
{
	char dir[128], file[160];
	struct stat st;
	tmp_name(dir, sizeof(dir), "nfs");
	CHECK_EQ(syscall(SYS_mkdir, dir, 0755), 0);
	snprintf(file, sizeof(file), "%s/f", dir);
	int fd = syscall(SYS_open, file, O_WRONLY | O_CREAT, 0644);
	CHECK_EQ(write(fd, "1234567", 7), 7);
	close(fd);
	CHECK_EQ(syscall(SYS_newfstatat, AT_FDCWD, file, &st, 0), 0);
	CHECK_EQ(st.st_size, 7);
	int dfd = syscall(SYS_open, dir, O_RDONLY | O_DIRECTORY);
	memset(&st, 0, sizeof(st));
	CHECK_EQ(syscall(SYS_newfstatat, dfd, "f", &st, 0), 0);
	CHECK_EQ(st.st_size, 7);
	CHECK(S_ISREG(st.st_mode));
	CHECK_EQ(syscall(SYS_newfstatat, dfd, ".", &st, 0), 0);
	CHECK(S_ISDIR(st.st_mode));
	CHECK_ERRNO(syscall(SYS_newfstatat, dfd, "nope", &st, 0), ENOENT);
	CHECK_ERRNO(syscall(SYS_newfstatat, 999, "f", &st, 0), EBADF);
	/* relative to AT_FDCWD */
	cwd_save();
	CHECK_EQ(syscall(SYS_chdir, dir), 0);
	memset(&st, 0, sizeof(st));
	CHECK_EQ(syscall(SYS_newfstatat, AT_FDCWD, "f", &st, 0), 0);
	CHECK_EQ(st.st_size, 7);
	cwd_restore();
	close(dfd);
	tmp_remove(file);
	tmp_remove(dir);
}

TEST(newfstatat_bad_flags_einval)
{
	struct stat st;
	CHECK_ERRNO(syscall(SYS_newfstatat, AT_FDCWD, "/tmp", &st, 0x40000000), EINVAL);
}

/* ---------------------------------------------------------------- getdents64 */

/* Lists dir with a buffer of bufsize bytes; counts each expected name. */
static int list_dir(int dfd, size_t bufsize, const char *const *names, int *seen, int n,
		    int *bad_type)
{
	char buf[4096] __attribute__((aligned(8)));
	int entries = 0;
	for (;;) {
		long r = syscall(SYS_getdents64, dfd, buf, bufsize);
		if (r < 0)
			return -1;
		if (r == 0)
			return entries;
		for (long off = 0; off < r;) {
			struct dirent64_k *d = (struct dirent64_k *)(buf + off);
			if (d->d_reclen == 0 || off + d->d_reclen > r)
				return -1;
			entries++;
			for (int i = 0; i < n; i++) {
				if (strcmp(d->d_name, names[i]) == 0) {
					seen[i]++;
					int want = names[i][0] == '.' ? DT_DIR : DT_REG;
					if (d->d_type != want)
						(*bad_type)++;
				}
			}
			off += d->d_reclen;
		}
	}
}

TEST(getdents64_lists_created_files)
{
	char dir[128], file[200];
	static const char *const names[] = {".", "..", "a", "bb", "a-rather-longer-file-name"};
	tmp_name(dir, sizeof(dir), "dents");
	CHECK_EQ(syscall(SYS_mkdir, dir, 0755), 0);
	for (int i = 2; i < 5; i++) {
		snprintf(file, sizeof(file), "%s/%s", dir, names[i]);
		int fd = syscall(SYS_open, file, O_WRONLY | O_CREAT, 0644);
		CHECK(fd >= 0);
		close(fd);
	}
	/* a big buffer, and one that holds only one or two entries per call */
	size_t sizes[] = {4096, 64};
	for (int s = 0; s < 2; s++) {
		int seen[5] = {0}, bad_type = 0;
		int dfd = syscall(SYS_open, dir, O_RDONLY | O_DIRECTORY);
		CHECK(dfd >= 0);
		CHECK_EQ(list_dir(dfd, sizes[s], names, seen, 5, &bad_type), 5);
		for (int i = 0; i < 5; i++)
			CHECK_EQ(seen[i], 1);
		CHECK_EQ(bad_type, 0);
		/* at the end it keeps returning 0 */
		char buf[256];
		CHECK_EQ(syscall(SYS_getdents64, dfd, buf, sizeof(buf)), 0);
		close(dfd);
	}
	/* an unlinked file disappears from the listing */
	snprintf(file, sizeof(file), "%s/bb", dir);
	CHECK_EQ(syscall(SYS_unlink, file), 0);
	int seen[5] = {0}, bad_type = 0;
	int dfd = syscall(SYS_open, dir, O_RDONLY | O_DIRECTORY);
	CHECK_EQ(list_dir(dfd, 4096, names, seen, 5, &bad_type), 4);
	CHECK_EQ(seen[3], 0);
	close(dfd);
	for (int i = 2; i < 5; i++) {
		snprintf(file, sizeof(file), "%s/%s", dir, names[i]);
		tmp_remove(file);
	}
	tmp_remove(dir);
}

TEST(getdents64_bad_fd_ebadf)
{
	char buf[256];
	CHECK_ERRNO(syscall(SYS_getdents64, 999, buf, sizeof(buf)), EBADF);
	CHECK_ERRNO(syscall(SYS_getdents64, -1, buf, sizeof(buf)), EBADF);
}

TEST(getdents64_on_file_enotdir)
{
	char path[128], buf[256];
	int fd = tmp_file(path, sizeof(path), "dentf", "x", 1);
	CHECK_ERRNO(syscall(SYS_getdents64, fd, buf, sizeof(buf)), ENOTDIR);
	close(fd);
	tmp_remove(path);
}

TEST(getdents64_tiny_buffer_einval)
{
	char buf[256];
	int dfd = syscall(SYS_open, "/tmp", O_RDONLY | O_DIRECTORY);
	CHECK_ERRNO(syscall(SYS_getdents64, dfd, buf, 1), EINVAL);
	CHECK_ERRNO(syscall(SYS_getdents64, dfd, buf, 0), EINVAL);
	/* the failed calls did not use up the "." entry */
	CHECK(syscall(SYS_getdents64, dfd, buf, sizeof(buf)) > 0);
	close(dfd);
}

TEST(getdents64_bad_buffer_efault)
{
	void *bad[N_BAD_PTRS];
	bad_pointers(bad);
	for (int i = 0; i < N_BAD_PTRS; i++) {
		int dfd = syscall(SYS_open, "/tmp", O_RDONLY | O_DIRECTORY);
		CHECK_ERRNO(syscall(SYS_getdents64, dfd, bad[i], 4096), EFAULT);
		close(dfd);
	}
}

/* ---------------------------------------------------------------- pipe, pipe2 */

TEST(pipe_ends_have_right_access_modes)
{
	int p[2];
	char c;
	CHECK_EQ(syscall(SYS_pipe, p), 0);
	CHECK(p[0] >= 0 && p[1] >= 0 && p[0] != p[1]);
	CHECK_EQ(fcntl(p[0], F_GETFL) & O_ACCMODE, O_RDONLY);
	CHECK_EQ(fcntl(p[1], F_GETFL) & O_ACCMODE, O_WRONLY);
	CHECK_ERRNO(syscall(SYS_write, p[0], "x", 1), EBADF);
	CHECK_ERRNO(syscall(SYS_read, p[1], &c, 1), EBADF);
	CHECK_EQ(write(p[1], "z", 1), 1);
	CHECK_EQ(read(p[0], &c, 1), 1);
	CHECK_EQ(c, 'z');
	/* a plain pipe is not close-on-exec and blocking */
	CHECK_EQ(fcntl(p[0], F_GETFD) & FD_CLOEXEC, 0);
	CHECK_EQ(fcntl(p[1], F_GETFL) & O_NONBLOCK, 0);
	close(p[0]);
	close(p[1]);
}

TEST(pipe2_cloexec_sets_fd_cloexec_on_both_ends)
{
	int p[2];
	CHECK_EQ(syscall(SYS_pipe2, p, O_CLOEXEC), 0);
	CHECK_EQ(fcntl(p[0], F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	CHECK_EQ(fcntl(p[1], F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	CHECK_EQ(fcntl(p[0], F_GETFL) & O_NONBLOCK, 0);
	close(p[0]);
	close(p[1]);
}

TEST(pipe2_nonblock_sets_o_nonblock)
{
	int p[2];
	char c;
	CHECK_EQ(syscall(SYS_pipe2, p, O_NONBLOCK), 0);
	CHECK(fcntl(p[0], F_GETFL) & O_NONBLOCK);
	CHECK(fcntl(p[1], F_GETFL) & O_NONBLOCK);
	CHECK_EQ(fcntl(p[0], F_GETFD) & FD_CLOEXEC, 0);
	CHECK_ERRNO(syscall(SYS_read, p[0], &c, 1), EAGAIN);
	close(p[0]);
	close(p[1]);
}

TEST(pipe2_bad_flags_einval)
{
	int p[2] = {-1, -1};
	CHECK_ERRNO(syscall(SYS_pipe2, p, O_APPEND), EINVAL);
	CHECK_ERRNO(syscall(SYS_pipe2, p, 0x40000000), EINVAL);
	CHECK_ERRNO(syscall(SYS_pipe2, p, O_RDWR), EINVAL);
	CHECK_EQ(p[0], -1); /* nothing written back */
}

TEST(pipe_bad_array_efault_leaks_no_fds)
{
	void *bad[N_BAD_PTRS];
	int before = dup(0);
	close(before);
	bad_pointers(bad);
	for (int i = 0; i < N_BAD_PTRS; i++) {
		CHECK_ERRNO(syscall(SYS_pipe, bad[i]), EFAULT);
		CHECK_ERRNO(syscall(SYS_pipe2, bad[i], O_CLOEXEC), EFAULT);
	}
	/* the array's second int in an unmapped page */
	char *p = straddle_alloc(4);
	CHECK_ERRNO(syscall(SYS_pipe, p), EFAULT);
	straddle_free(p);
	/* the pipes made before the copy-out failed were closed again */
	int after = dup(0);
	CHECK_EQ(after, before);
	close(after);
}

/* ---------------------------------------------------------------- dup, dup2, dup3 */

TEST(dup_returns_lowest_free_fd_and_shares_offset)
{
	char path[128], c;
	int fd = tmp_file(path, sizeof(path), "dup", "abcdef", 6);
	int hole = open("/dev/null", O_RDONLY);
	int above = open("/dev/null", O_RDONLY);
	close(hole);
	int d = syscall(SYS_dup, fd);
	CHECK_EQ(d, hole);
	/* both fds share one open file: one offset */
	CHECK_EQ(lseek(fd, 2, SEEK_SET), 2);
	CHECK_EQ(read(d, &c, 1), 1);
	CHECK_EQ(c, 'c');
	CHECK_EQ(lseek(fd, 0, SEEK_CUR), 3);
	close(d);
	close(above);
	close(fd);
	tmp_remove(path);
}

TEST(dup_does_not_copy_cloexec)
{
	int fd = syscall(SYS_open, "/dev/null", O_RDONLY | O_CLOEXEC);
	CHECK_EQ(fcntl(fd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	int d = syscall(SYS_dup, fd);
	CHECK(d >= 0);
	CHECK_EQ(fcntl(d, F_GETFD) & FD_CLOEXEC, 0);
	int d2 = syscall(SYS_dup2, fd, d + 1);
	CHECK_EQ(d2, d + 1);
	CHECK_EQ(fcntl(d2, F_GETFD) & FD_CLOEXEC, 0);
	close(d2);
	close(d);
	close(fd);
}

/* FD_CLOEXEC belongs to the descriptor, O_NONBLOCK to the open file. */
TEST(cloexec_is_per_fd_nonblock_is_per_file)
{
	int fd = open("/dev/null", O_RDONLY);
	int d = dup(fd);
	CHECK_EQ(fcntl(fd, F_SETFD, FD_CLOEXEC), 0);
	CHECK_EQ(fcntl(d, F_GETFD) & FD_CLOEXEC, 0);
	CHECK_EQ(fcntl(fd, F_SETFL, O_NONBLOCK), 0);
	CHECK(fcntl(d, F_GETFL) & O_NONBLOCK);
	close(d);
	close(fd);
}

TEST(dup_bad_fd_ebadf)
{
	CHECK_ERRNO(syscall(SYS_dup, -1), EBADF);
	CHECK_ERRNO(syscall(SYS_dup, 999), EBADF);
}

TEST(dup2_same_fd_returns_it)
{
	int fd = open("/dev/null", O_RDONLY);
	CHECK_EQ(syscall(SYS_dup2, fd, fd), fd);
	CHECK(fcntl(fd, F_GETFD) >= 0); /* still open */
	close(fd);
	CHECK_ERRNO(syscall(SYS_dup2, fd, fd), EBADF); /* same, but closed */
}

TEST(dup2_replaces_open_target)
{
	char path[128];
	struct stat st;
	int file = tmp_file(path, sizeof(path), "dup2", "x", 1);
	int target = open("/dev/null", O_RDONLY);
	int p[2];
	CHECK_EQ(pipe(p), 0);
	CHECK_EQ(syscall(SYS_dup2, file, target), target);
	CHECK_EQ(syscall(SYS_fstat, target, &st), 0);
	CHECK(S_ISREG(st.st_mode));
	CHECK_EQ(st.st_size, 1);
	CHECK_EQ(syscall(SYS_dup2, p[0], target), target);
	CHECK_EQ(syscall(SYS_fstat, target, &st), 0);
	CHECK(S_ISFIFO(st.st_mode));
	/* dup2 to an fd number above every open one */
	CHECK_EQ(syscall(SYS_dup2, file, 200), 200);
	CHECK_EQ(syscall(SYS_fstat, 200, &st), 0);
	CHECK(S_ISREG(st.st_mode));
	close(200);
	close(target);
	close(p[0]);
	close(p[1]);
	close(file);
	tmp_remove(path);
}

TEST(dup2_bad_fds_ebadf)
{
	int fd = open("/dev/null", O_RDONLY);
	CHECK_ERRNO(syscall(SYS_dup2, 999, fd), EBADF);
	CHECK_ERRNO(syscall(SYS_dup2, -1, fd), EBADF);
	CHECK(fcntl(fd, F_GETFD) >= 0); /* a failed dup2 leaves the target open */
	CHECK_ERRNO(syscall(SYS_dup2, fd, -1), EBADF);
	CHECK_ERRNO(syscall(SYS_dup2, fd, 1 << 30), EBADF); /* above RLIMIT_NOFILE */
	close(fd);
}

TEST(dup3_same_fd_einval)
{
	int fd = open("/dev/null", O_RDONLY);
	CHECK_ERRNO(syscall(SYS_dup3, fd, fd, 0), EINVAL);
	CHECK_ERRNO(syscall(SYS_dup3, fd, fd, O_CLOEXEC), EINVAL);
	close(fd);
}

TEST(dup3_bad_flags_einval)
{
	int fd = open("/dev/null", O_RDONLY);
	CHECK_ERRNO(syscall(SYS_dup3, fd, fd + 1, O_NONBLOCK), EINVAL);
	CHECK_ERRNO(syscall(SYS_dup3, fd, fd + 1, 0x40000000), EINVAL);
	CHECK_ERRNO(syscall(SYS_fcntl, fd + 1, F_GETFD), EBADF); /* nothing made */
	close(fd);
}

TEST(dup3_cloexec_sets_flag)
{
	int fd = open("/dev/null", O_RDONLY);
	CHECK_EQ(syscall(SYS_dup3, fd, fd + 1, O_CLOEXEC), fd + 1);
	CHECK_EQ(fcntl(fd + 1, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	CHECK_EQ(syscall(SYS_dup3, fd, fd + 2, 0), fd + 2);
	CHECK_EQ(fcntl(fd + 2, F_GETFD) & FD_CLOEXEC, 0);
	CHECK_ERRNO(syscall(SYS_dup3, 999, fd + 3, 0), EBADF);
	close(fd + 2);
	close(fd + 1);
	close(fd);
}

/* ---------------------------------------------------------------- fcntl */

TEST(fcntl_getfd_setfd_cloexec)
{
	int fd = open("/dev/null", O_RDONLY);
	CHECK_EQ(syscall(SYS_fcntl, fd, F_GETFD), 0);
	CHECK_EQ(syscall(SYS_fcntl, fd, F_SETFD, FD_CLOEXEC), 0);
	CHECK_EQ(syscall(SYS_fcntl, fd, F_GETFD), FD_CLOEXEC);
	CHECK_EQ(syscall(SYS_fcntl, fd, F_SETFD, 0), 0);
	CHECK_EQ(syscall(SYS_fcntl, fd, F_GETFD), 0);
	close(fd);
}

TEST(fcntl_getfl_setfl_status_flags)
{
	char path[128];
	int fd = tmp_file(path, sizeof(path), "fl", "abc", 3);
	long fl = syscall(SYS_fcntl, fd, F_GETFL);
	CHECK_EQ(fl & O_ACCMODE, O_RDWR);
	CHECK_EQ(fl & (O_APPEND | O_NONBLOCK), 0);
	CHECK_EQ(syscall(SYS_fcntl, fd, F_SETFL, O_APPEND | O_NONBLOCK), 0);
	fl = syscall(SYS_fcntl, fd, F_GETFL);
	CHECK_EQ(fl & (O_APPEND | O_NONBLOCK), O_APPEND | O_NONBLOCK);
	/* the access mode cannot be changed with F_SETFL */
	CHECK_EQ(syscall(SYS_fcntl, fd, F_SETFL, O_RDONLY | O_APPEND), 0);
	CHECK_EQ(syscall(SYS_fcntl, fd, F_GETFL) & O_ACCMODE, O_RDWR);
	/* O_APPEND set by F_SETFL takes effect */
	lseek(fd, 0, SEEK_SET);
	CHECK_EQ(write(fd, "Z", 1), 1);
	CHECK_EQ(file_size(fd), 4);
	CHECK_EQ(syscall(SYS_fcntl, fd, F_SETFL, 0), 0);
	CHECK_EQ(syscall(SYS_fcntl, fd, F_GETFL) & (O_APPEND | O_NONBLOCK), 0);
	lseek(fd, 0, SEEK_SET);
	CHECK_EQ(write(fd, "Y", 1), 1);
	CHECK_EQ(file_size(fd), 4);
	close(fd);
	fd = open("/dev/null", O_WRONLY);
	CHECK_EQ(syscall(SYS_fcntl, fd, F_GETFL) & O_ACCMODE, O_WRONLY);
	close(fd);
	tmp_remove(path);
}

TEST(fcntl_dupfd_respects_minimum_and_cloexec)
{
	int fd = open("/dev/null", O_RDONLY);
	long d = syscall(SYS_fcntl, fd, F_DUPFD, 50);
	CHECK(d >= 50);
	CHECK_EQ(syscall(SYS_fcntl, d, F_GETFD), 0);
	long d2 = syscall(SYS_fcntl, fd, F_DUPFD, 50); /* 50 taken: the next free */
	CHECK(d2 > 50 && d2 != d);
	long c = syscall(SYS_fcntl, fd, F_DUPFD_CLOEXEC, 0);
	CHECK(c >= 0 && c < 50);
	CHECK_EQ(syscall(SYS_fcntl, c, F_GETFD), FD_CLOEXEC);
	close(d);
	close(d2);
	close(c);
	close(fd);
}

TEST(fcntl_bad_fd_ebadf)
{
	CHECK_ERRNO(syscall(SYS_fcntl, -1, F_GETFD), EBADF);
	CHECK_ERRNO(syscall(SYS_fcntl, 999, F_GETFL), EBADF);
	CHECK_ERRNO(syscall(SYS_fcntl, 999, F_DUPFD, 0), EBADF);
	CHECK_ERRNO(syscall(SYS_fcntl, 999, F_SETFD, FD_CLOEXEC), EBADF);
}

TEST(fcntl_bad_cmd_or_arg_einval)
{
	int fd = open("/dev/null", O_RDONLY);
	CHECK_ERRNO(syscall(SYS_fcntl, fd, 0x7fff0000), EINVAL);
	CHECK_ERRNO(syscall(SYS_fcntl, fd, F_DUPFD, (long)-1), EINVAL);
	CHECK_ERRNO(syscall(SYS_fcntl, fd, F_DUPFD, INT_MAX), EINVAL);
	CHECK_ERRNO(syscall(SYS_fcntl, fd, F_DUPFD_CLOEXEC, (long)-5), EINVAL);
	close(fd);
}

/* ---------------------------------------------------------------- ioctl */

TEST(ioctl_tty_requests_on_non_tty_enotty)
{
	struct termios t;
	struct winsize ws;
	int pgrp;
	int p[2];
	char path[128];
	CHECK_EQ(pipe(p), 0);
	int null = open("/dev/null", O_RDWR);
	int file = tmp_file(path, sizeof(path), "tty", NULL, 0);
	int fds[4] = {p[0], p[1], null, file};
	for (int i = 0; i < 4; i++) {
		CHECK_ERRNO(syscall(SYS_ioctl, fds[i], TCGETS, &t), ENOTTY);
		CHECK_ERRNO(syscall(SYS_ioctl, fds[i], TIOCGWINSZ, &ws), ENOTTY);
		CHECK_ERRNO(syscall(SYS_ioctl, fds[i], TIOCGPGRP, &pgrp), ENOTTY);
	}
	close(p[0]);
	close(p[1]);
	close(null);
	close(file);
	tmp_remove(path);
}

TEST(ioctl_bad_fd_ebadf)
{
	struct termios t;
	CHECK_ERRNO(syscall(SYS_ioctl, 999, TCGETS, &t), EBADF);
	CHECK_ERRNO(syscall(SYS_ioctl, -1, TIOCGWINSZ, &t), EBADF);
}

/* ---------------------------------------------------------------- brk */

TEST(brk_grow_touch_shrink)
{
	/* the raw syscall returns the new break (or the old one on failure) */
	uintptr_t cur = syscall(SYS_brk, 0);
	CHECK(cur != 0 && cur < 0x0000800000000000UL);
	CHECK_EQ(syscall(SYS_brk, 0), cur); /* brk(0) does not move it */
	uintptr_t want = cur + 256 * 1024;
	CHECK_EQ(syscall(SYS_brk, want), want);
	CHECK_EQ(syscall(SYS_brk, 0), want);
	/* the new memory is zero-filled and writable, up to the last byte */
	unsigned char *p = (unsigned char *)cur;
	int nonzero = 0;
	for (size_t i = 0; i < want - cur; i += 512)
		nonzero += p[i] != 0;
	CHECK_EQ(nonzero, 0);
	memset(p, 0x5a, want - cur);
	CHECK_EQ(p[want - cur - 1], 0x5a);
	CHECK_EQ(syscall(SYS_brk, cur), cur);
	CHECK_EQ(syscall(SYS_brk, 0), cur);
}

TEST(brk_regrow_after_shrink_is_zeroed)
{
	uintptr_t cur = syscall(SYS_brk, 0);
	uintptr_t top = (cur + 3 * 4096 + 4095) & ~4095UL;
	CHECK_EQ(syscall(SYS_brk, top), top);
	memset((void *)(top - 4096), 0x77, 4096);
	CHECK_EQ(syscall(SYS_brk, top - 4096), top - 4096); /* drops that page */
	CHECK_EQ(syscall(SYS_brk, top), top);
	CHECK_EQ(((unsigned char *)top)[-1], 0); /* a fresh page, not the old one */
	CHECK_EQ(syscall(SYS_brk, cur), cur);
}

/* On failure brk returns the current break instead of an error code. */
TEST(brk_bad_value_returns_current_break)
{
	uintptr_t cur = syscall(SYS_brk, 0);
	CHECK_EQ(syscall(SYS_brk, 1), cur);
	CHECK_EQ(syscall(SYS_brk, 0xffff800000000000UL), cur);
	CHECK_EQ(syscall(SYS_brk, 0x0000800000000000UL), cur);
	CHECK_EQ(syscall(SYS_brk, 0), cur);
}

/* ---------------------------------------------------------------- mmap, munmap, mprotect */

static void *map_anon(size_t len, int prot)
{
	return mmap(NULL, len, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
}

TEST(mmap_anonymous_private_zeroed_and_writable)
{
	size_t len = 5 * 4096;
	unsigned char *p = map_anon(len, PROT_READ | PROT_WRITE);
	CHECK(p != MAP_FAILED);
	CHECK_EQ((uintptr_t)p & 4095, 0);
	int nonzero = 0;
	for (size_t i = 0; i < len; i++)
		nonzero += p[i] != 0;
	CHECK_EQ(nonzero, 0);
	for (size_t i = 0; i < len; i++)
		p[i] = (unsigned char)(i * 7);
	int wrong = 0;
	for (size_t i = 0; i < len; i++)
		wrong += p[i] != (unsigned char)(i * 7);
	CHECK_EQ(wrong, 0);
	CHECK_EQ(munmap(p, len), 0);
}

TEST(mmap_two_mappings_do_not_overlap)
{
	char *a = map_anon(8192, PROT_READ | PROT_WRITE);
	char *b = map_anon(8192, PROT_READ | PROT_WRITE);
	CHECK(a != MAP_FAILED && b != MAP_FAILED);
	CHECK(a + 8192 <= b || b + 8192 <= a);
	memset(a, 1, 8192);
	memset(b, 2, 8192);
	CHECK_EQ(a[8191], 1);
	CHECK_EQ(b[0], 2);
	munmap(a, 8192);
	munmap(b, 8192);
}

TEST(mmap_length_zero_einval)
{
	CHECK_ERRNO(syscall(SYS_mmap, 0, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), EINVAL);
}

TEST(mmap_fixed_unaligned_einval)
{
	char *p = map_anon(8192, PROT_READ | PROT_WRITE);
	CHECK_ERRNO(syscall(SYS_mmap, p + 1, 4096, PROT_READ,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0),
		    EINVAL);
	p[0] = 1; /* still mapped */
	munmap(p, 8192);
}

TEST(mmap_neither_private_nor_shared_einval)
{
	CHECK_ERRNO(syscall(SYS_mmap, 0, 4096, PROT_READ, MAP_ANONYMOUS, -1, 0), EINVAL);
}

TEST(mmap_huge_length_enomem)
{
	CHECK_ERRNO(syscall(SYS_mmap, 0, 1UL << 62, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
		    ENOMEM);
}

TEST(mmap_fixed_places_mapping_exactly)
{
	char *p = map_anon(4 * 4096, PROT_READ | PROT_WRITE);
	CHECK(p != MAP_FAILED);
	p[4096] = 9;
	/* MAP_FIXED over our own page replaces it with a fresh zero page */
	char *q = mmap(p + 4096, 4096, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	CHECK(q == p + 4096);
	CHECK_EQ(q[0], 0);
	q[0] = 3;
	p[0] = 1;
	p[3 * 4096] = 2;
	munmap(p, 4 * 4096);
	/* and into a hole we made */
	q = mmap(p + 2 * 4096, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	CHECK(q == p + 2 * 4096);
	CHECK_EQ(q[100], 0);
	munmap(q, 4096);
}

TEST(munmap_bad_arguments_einval)
{
	char *p = map_anon(8192, PROT_READ | PROT_WRITE);
	CHECK_ERRNO(syscall(SYS_munmap, p + 1, 4096), EINVAL);
	CHECK_ERRNO(syscall(SYS_munmap, p, 0), EINVAL);
	CHECK_ERRNO(syscall(SYS_munmap, 0xffff800000000000UL, 4096), EINVAL);
	p[8191] = 1; /* still mapped */
	munmap(p, 8192);
}

/* man munmap: "It is not an error if the indicated range does not contain
 * any mapped pages." */
TEST(munmap_unmapped_range_succeeds)
{
	void *hole = unmapped_page();
	CHECK_EQ(syscall(SYS_munmap, hole, 4096), 0);
}

static int touch_byte(void *arg)
{
	crash_prepare();
	*(volatile char *)arg = 1;
	return 0;
}

static int read_byte(void *arg)
{
	crash_prepare();
	return *(volatile char *)arg == 42 ? 7 : 8;
}

TEST(munmap_then_access_segfaults)
{
	char *p = map_anon(4096, PROT_READ | PROT_WRITE);
	p[0] = 1;
	CHECK_EQ(munmap(p, 4096), 0);
	CHECK_SIGNALED(run_child(touch_byte, p), SIGSEGV);
	CHECK_SIGNALED(run_child(read_byte, p + 100), SIGSEGV);
}

TEST(munmap_middle_page_splits_mapping)
{
	char *p = map_anon(3 * 4096, PROT_READ | PROT_WRITE);
	memset(p, 42, 3 * 4096);
	CHECK_EQ(munmap(p + 4096, 4096), 0);
	CHECK_EQ(p[0], 42);
	CHECK_EQ(p[3 * 4096 - 1], 42);
	p[0] = 1;
	p[2 * 4096] = 2;
	CHECK_SIGNALED(run_child(touch_byte, p + 4096), SIGSEGV);
	CHECK_EXITED(run_child(read_byte, p + 2 * 4096 + 5), 7);
	munmap(p, 3 * 4096);
}

TEST(mprotect_read_only_write_segfaults)
{
	char *p = map_anon(2 * 4096, PROT_READ | PROT_WRITE);
	p[0] = 42;
	CHECK_EQ(syscall(SYS_mprotect, p, 4096, PROT_READ), 0);
	CHECK_EQ(p[0], 42); /* still readable */
	CHECK_SIGNALED(run_child(touch_byte, p), SIGSEGV);
	p[4096] = 1; /* the second page kept its protection */
	CHECK_EQ(syscall(SYS_mprotect, p, 4096, PROT_READ | PROT_WRITE), 0);
	p[0] = 43;
	CHECK_EQ(p[0], 43);
	CHECK_EQ(syscall(SYS_mprotect, p, 4096, PROT_NONE), 0);
	CHECK_SIGNALED(run_child(read_byte, p), SIGSEGV);
	munmap(p, 2 * 4096);
}

TEST(mprotect_bad_arguments)
{
	char *p = map_anon(4096, PROT_READ | PROT_WRITE);
	CHECK_ERRNO(syscall(SYS_mprotect, p + 1, 4096, PROT_READ), EINVAL);
	/* man mprotect: unknown prot bits are EINVAL */
	CHECK_ERRNO(syscall(SYS_mprotect, p, 4096, 0x10000), EINVAL);
	/* man mprotect: ENOMEM for pages that are not mapped */
	char *q = map_anon(2 * 4096, PROT_READ | PROT_WRITE);
	CHECK_EQ(munmap(q + 4096, 4096), 0);
	CHECK_ERRNO(syscall(SYS_mprotect, q + 4096, 4096, PROT_READ), ENOMEM);
	/* Linux changes the mapped part before it finds the hole, so after
	 * this ENOMEM q may be read-only: the test does not touch it again. */
	CHECK_ERRNO(syscall(SYS_mprotect, q, 2 * 4096, PROT_READ), ENOMEM);
	munmap(q, 4096);
	p[0] = 1;
	munmap(p, 4096);
}

/* ---------------------------------------------------------------- ids */

TEST(gettid_equals_getpid_single_threaded)
{
	long pid = syscall(SYS_getpid);
	CHECK(pid > 0);
	CHECK_EQ(syscall(SYS_gettid), pid);
	CHECK_EQ(syscall(SYS_getpid), pid);
	CHECK(syscall(SYS_getppid) > 0);
	CHECK(syscall(SYS_getppid) != pid);
}

static int report_ids(void *arg)
{
	int fd = *(int *)arg;
	long ids[3] = {syscall(SYS_getpid), syscall(SYS_getppid), syscall(SYS_gettid)};
	return write(fd, ids, sizeof(ids)) == sizeof(ids) ? 0 : 1;
}

TEST(child_getppid_is_parent_getpid)
{
	int p[2];
	long ids[3] = {0};
	CHECK_EQ(pipe(p), 0);
	pid_t pid = fork_child(report_ids, &p[1]);
	CHECK_EXITED(wait_timeout(pid, 5000), 0);
	CHECK_EQ(read(p[0], ids, sizeof(ids)), sizeof(ids));
	CHECK_EQ(ids[0], pid);
	CHECK_EQ(ids[1], getpid());
	CHECK_EQ(ids[2], pid);
	close(p[0]);
	close(p[1]);
}

TEST(set_tid_address_returns_tid)
{
	static int word;
	CHECK_EQ(syscall(SYS_set_tid_address, &word), syscall(SYS_gettid));
}

TEST(uid_gid_calls_return_ids)
{
	long uid = syscall(SYS_getuid), euid = syscall(SYS_geteuid);
	long gid = syscall(SYS_getgid), egid = syscall(SYS_getegid);
	CHECK(uid >= 0 && euid >= 0 && gid >= 0 && egid >= 0);
	/* not a set-uid program: real and effective ids are the same */
	CHECK_EQ(uid, euid);
	CHECK_EQ(gid, egid);
	CHECK_EQ(syscall(SYS_getuid), uid);
}

TEST(sched_yield_returns_zero)
{
	for (int i = 0; i < 100; i++)
		CHECK_EQ(syscall(SYS_sched_yield), 0);
}

/* ---------------------------------------------------------------- time */

TEST(nanosleep_sleeps_at_least_requested)
{
	struct timespec req = {0, 30 * 1000000L}, rem = {-1, -1};
	long long t0 = now_ns();
	CHECK_EQ(syscall(SYS_nanosleep, &req, &rem), 0);
	long long dt = now_ns() - t0;
	CHECK(dt >= 30 * 1000000LL);
	CHECK(dt < 5 * 1000000000LL);
	struct timespec zero = {0, 0};
	CHECK_EQ(syscall(SYS_nanosleep, &zero, NULL), 0);
	/* a second and a bit, in both fields */
	struct timespec mixed = {1, 1000000L};
	t0 = now_ns();
	CHECK_EQ(syscall(SYS_nanosleep, &mixed, NULL), 0);
	CHECK(now_ns() - t0 >= 1001000000LL);
}

TEST(nanosleep_bad_timespec_einval)
{
	struct timespec big = {0, 1000000000L}, neg = {0, -1}, negsec = {-1, 0};
	CHECK_ERRNO(syscall(SYS_nanosleep, &big, NULL), EINVAL);
	CHECK_ERRNO(syscall(SYS_nanosleep, &neg, NULL), EINVAL);
	CHECK_ERRNO(syscall(SYS_nanosleep, &negsec, NULL), EINVAL);
}

TEST(nanosleep_bad_pointer_efault)
{
	void *bad[N_BAD_PTRS];
	bad_pointers(bad);
	for (int i = 0; i < N_BAD_PTRS; i++)
		CHECK_ERRNO(syscall(SYS_nanosleep, bad[i], NULL), EFAULT);
}

TEST(clock_gettime_monotonic_never_goes_backwards)
{
	struct timespec prev, cur;
	CHECK_EQ(syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &prev), 0);
	int backwards = 0, badnsec = 0;
	for (int i = 0; i < 20000; i++) {
		CHECK_EQ(syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &cur), 0);
		if (cur.tv_nsec < 0 || cur.tv_nsec >= 1000000000L)
			badnsec++;
		if (cur.tv_sec < prev.tv_sec ||
		    (cur.tv_sec == prev.tv_sec && cur.tv_nsec < prev.tv_nsec))
			backwards++;
		prev = cur;
		if (i % 1000 == 0)
			syscall(SYS_sched_yield);
	}
	CHECK_EQ(backwards, 0);
	CHECK_EQ(badnsec, 0);
}

TEST(clock_gettime_monotonic_advances_over_sleep)
{
	long long t0 = now_ns();
	sleep_ms(20);
	long long t1 = now_ns();
	CHECK(t0 > 0);
	CHECK(t1 - t0 >= 20 * 1000000LL);
}

TEST(clock_gettime_realtime_works)
{
	struct timespec ts = {-1, -1};
	CHECK_EQ(syscall(SYS_clock_gettime, CLOCK_REALTIME, &ts), 0);
	CHECK(ts.tv_sec >= 0);
	CHECK(ts.tv_nsec >= 0 && ts.tv_nsec < 1000000000L);
}

TEST(clock_gettime_bogus_clock_einval)
{
	struct timespec ts;
	CHECK_ERRNO(syscall(SYS_clock_gettime, 1000, &ts), EINVAL);
	CHECK_ERRNO(syscall(SYS_clock_gettime, 0x7fffffff, &ts), EINVAL);
}

TEST(clock_gettime_bad_pointer_efault)
{
	void *bad[N_BAD_PTRS];
	bad_pointers(bad);
	for (int i = 0; i < N_BAD_PTRS; i++) {
		CHECK_ERRNO(syscall(SYS_clock_gettime, CLOCK_MONOTONIC, bad[i]), EFAULT);
		CHECK_ERRNO(syscall(SYS_clock_gettime, CLOCK_REALTIME, bad[i]), EFAULT);
	}
}

/* ---------------------------------------------------------------- uname */

TEST(uname_fills_fields)
{
	struct utsname u;
	memset(&u, 0xff, sizeof(u));
	CHECK_EQ(syscall(SYS_uname, &u), 0);
	CHECK(memchr(u.sysname, 0, sizeof(u.sysname)) != NULL);
	CHECK(memchr(u.release, 0, sizeof(u.release)) != NULL);
	CHECK(memchr(u.machine, 0, sizeof(u.machine)) != NULL);
	CHECK(memchr(u.nodename, 0, sizeof(u.nodename)) != NULL);
	CHECK(u.sysname[0] != '\0');
	CHECK(u.release[0] != '\0');
	CHECK(strcmp(u.machine, "x86_64") == 0);
}

TEST(uname_bad_pointer_efault)
{
	void *bad[N_BAD_PTRS];
	bad_pointers(bad);
	for (int i = 0; i < N_BAD_PTRS; i++)
		CHECK_ERRNO(syscall(SYS_uname, bad[i]), EFAULT);
}

/* ---------------------------------------------------------------- cwd */

/*
 * The raw getcwd syscall returns the length of the path including its NUL
 * (man getcwd, "C library/kernel differences"), not the buffer pointer.
 */
TEST(getcwd_follows_chdir)
{
	char dir[128], base[512], buf[512], want[700];
	cwd_save();
	tmp_name(dir, sizeof(dir), "gcwd");
	CHECK_EQ(syscall(SYS_mkdir, dir, 0755), 0);
	CHECK_EQ(syscall(SYS_chdir, "/tmp"), 0);
	long n = syscall(SYS_getcwd, base, sizeof(base));
	CHECK_EQ(n, (long)strlen(base) + 1);
	CHECK_EQ(syscall(SYS_chdir, dir + 5), 0); /* relative: "moo-test-..." */
	n = syscall(SYS_getcwd, buf, sizeof(buf));
	snprintf(want, sizeof(want), "%s/%s", base, dir + 5);
	CHECK(strcmp(buf, want) == 0);
	CHECK_EQ(n, (long)strlen(want) + 1);
	CHECK_EQ(syscall(SYS_chdir, ".."), 0);
	CHECK_EQ(syscall(SYS_getcwd, buf, sizeof(buf)), (long)strlen(base) + 1);
	CHECK(strcmp(buf, base) == 0);
	CHECK_EQ(syscall(SYS_chdir, "/"), 0);
	CHECK_EQ(syscall(SYS_getcwd, buf, sizeof(buf)), 2);
	CHECK(strcmp(buf, "/") == 0);
	cwd_restore();
	tmp_remove(dir);
}

TEST(getcwd_small_buffer_erange)
{
	char buf[512];
	cwd_save();
	CHECK_EQ(syscall(SYS_chdir, "/tmp"), 0);
	long n = syscall(SYS_getcwd, buf, sizeof(buf));
	CHECK(n > 1);
	CHECK_ERRNO(syscall(SYS_getcwd, buf, n - 1), ERANGE); /* no room for the NUL */
	CHECK_ERRNO(syscall(SYS_getcwd, buf, 1), ERANGE);
	CHECK_ERRNO(syscall(SYS_getcwd, buf, 0), ERANGE);
	CHECK_EQ(syscall(SYS_getcwd, buf, n), n); /* exactly enough */
	cwd_restore();
}

TEST(getcwd_bad_pointer_efault)
{
	void *bad[N_BAD_PTRS];
	bad_pointers(bad);
	for (int i = 0; i < N_BAD_PTRS; i++)
		CHECK_ERRNO(syscall(SYS_getcwd, bad[i], 512), EFAULT);
}

TEST(chdir_errors)
{
	char path[128], missing[128];
	void *bad[N_BAD_PTRS];
	cwd_save();
	int fd = tmp_file(path, sizeof(path), "chd", NULL, 0);
	tmp_name(missing, sizeof(missing), "nodir");
	CHECK_ERRNO(syscall(SYS_chdir, missing), ENOENT);
	CHECK_ERRNO(syscall(SYS_chdir, ""), ENOENT);
	CHECK_ERRNO(syscall(SYS_chdir, path), ENOTDIR);
	bad_pointers(bad);
	for (int i = 0; i < N_BAD_PTRS; i++)
		CHECK_ERRNO(syscall(SYS_chdir, bad[i]), EFAULT);
	/* failed chdirs left the working directory alone */
	char buf[1024];
	CHECK(getcwd(buf, sizeof(buf)) != NULL);
	CHECK(strcmp(buf, cwd_saved) == 0);
	close(fd);
	tmp_remove(path);
}

/* ---------------------------------------------------------------- mkdir, unlink */

TEST(mkdir_creates_directory_eexist_on_repeat)
{
	char dir[128], sub[160];
	struct stat st;
	tmp_name(dir, sizeof(dir), "mkd");
	CHECK_EQ(syscall(SYS_mkdir, dir, 0755), 0);
	CHECK_EQ(syscall(SYS_stat, dir, &st), 0);
	CHECK(S_ISDIR(st.st_mode));
	CHECK_ERRNO(syscall(SYS_mkdir, dir, 0755), EEXIST);
	snprintf(sub, sizeof(sub), "%s/sub", dir);
	CHECK_EQ(syscall(SYS_mkdir, sub, 0700), 0);
	CHECK_EQ(syscall(SYS_stat, sub, &st), 0);
	CHECK(S_ISDIR(st.st_mode));
	tmp_remove(sub);
	tmp_remove(dir);
}

TEST(mkdir_errors)
{
	char file[128], missing[128], path[200];
	void *bad[N_BAD_PTRS];
	int fd = tmp_file(file, sizeof(file), "mkf", NULL, 0);
	CHECK_ERRNO(syscall(SYS_mkdir, file, 0755), EEXIST);
	CHECK_ERRNO(syscall(SYS_mkdir, "/tmp", 0755), EEXIST);
	tmp_name(missing, sizeof(missing), "nop");
	snprintf(path, sizeof(path), "%s/sub", missing);
	CHECK_ERRNO(syscall(SYS_mkdir, path, 0755), ENOENT);
	snprintf(path, sizeof(path), "%s/sub", file);
	CHECK_ERRNO(syscall(SYS_mkdir, path, 0755), ENOTDIR);
	bad_pointers(bad);
	for (int i = 0; i < N_BAD_PTRS; i++)
		CHECK_ERRNO(syscall(SYS_mkdir, bad[i], 0755), EFAULT);
	close(fd);
	tmp_remove(file);
}

TEST(unlink_removes_name)
{
	char path[128];
	struct stat st;
	int fd = tmp_file(path, sizeof(path), "unl", "x", 1);
	close(fd);
	CHECK_EQ(syscall(SYS_unlink, path), 0);
	CHECK_ERRNO(syscall(SYS_stat, path, &st), ENOENT);
	CHECK_ERRNO(syscall(SYS_open, path, O_RDONLY), ENOENT);
	CHECK_ERRNO(syscall(SYS_unlink, path), ENOENT);
	fd = syscall(SYS_open, path, O_RDWR | O_CREAT | O_EXCL, 0644);
	CHECK(fd >= 0);
	CHECK_EQ(file_size(fd), 0); /* a new, empty file */
	close(fd);
	tmp_remove(path);
}

TEST(unlink_open_file_stays_readable)
{
	char path[128], buf[16];
	int fd = tmp_file(path, sizeof(path), "unlo", "still here", 10);
	CHECK_EQ(syscall(SYS_unlink, path), 0);
	memset(buf, 0, sizeof(buf));
	CHECK_EQ(read(fd, buf, sizeof(buf)), 10);
	CHECK(strcmp(buf, "still here") == 0);
	CHECK_EQ(write(fd, "!", 1), 1);
	CHECK_EQ(file_size(fd), 11);
	close(fd);
}

/* POSIX says EPERM for unlink of a directory; Linux returns EISDIR (its
 * man page says so). moo follows Linux. */
TEST(unlink_directory_eisdir)
{
	char dir[128];
	struct stat st;
	tmp_name(dir, sizeof(dir), "unld");
	CHECK_EQ(syscall(SYS_mkdir, dir, 0755), 0);
	CHECK_ERRNO(syscall(SYS_unlink, dir), EISDIR);
	CHECK_EQ(syscall(SYS_stat, dir, &st), 0);
	tmp_remove(dir);
}

TEST(unlink_errors)
{
	char missing[128], file[128], path[200];
	void *bad[N_BAD_PTRS];
	tmp_name(missing, sizeof(missing), "nounl");
	CHECK_ERRNO(syscall(SYS_unlink, missing), ENOENT);
	CHECK_ERRNO(syscall(SYS_unlink, ""), ENOENT);
	int fd = tmp_file(file, sizeof(file), "unlf", NULL, 0);
	snprintf(path, sizeof(path), "%s/x", file);
	CHECK_ERRNO(syscall(SYS_unlink, path), ENOTDIR);
	bad_pointers(bad);
	for (int i = 0; i < N_BAD_PTRS; i++)
		CHECK_ERRNO(syscall(SYS_unlink, bad[i]), EFAULT);
	close(fd);
	tmp_remove(file);
}

/* ---------------------------------------------------------------- getrandom */

TEST(getrandom_fills_buffer)
{
	unsigned char a[64], b[64];
	memset(a, 0, sizeof(a));
	memset(b, 0, sizeof(b));
	CHECK_EQ(syscall(SYS_getrandom, a, sizeof(a), 0), sizeof(a));
	CHECK_EQ(syscall(SYS_getrandom, b, sizeof(b), GRND_NONBLOCK), sizeof(b));
	int zeros = 0;
	for (int i = 0; i < 64; i++)
		zeros += a[i] == 0;
	CHECK(zeros < 16); /* 64 random bytes: about 0.25 zeros expected */
	CHECK(memcmp(a, b, sizeof(a)) != 0);
	CHECK_EQ(syscall(SYS_getrandom, a, 0, 0), 0);
}

TEST(getrandom_bad_flags_einval)
{
	char buf[8];
	CHECK_ERRNO(syscall(SYS_getrandom, buf, sizeof(buf), 0x100), EINVAL);
	CHECK_ERRNO(syscall(SYS_getrandom, buf, sizeof(buf), (long)-1), EINVAL);
}

TEST(getrandom_bad_pointer_efault)
{
	void *bad[N_BAD_PTRS];
	bad_pointers(bad);
	for (int i = 0; i < N_BAD_PTRS; i++)
		CHECK_ERRNO(syscall(SYS_getrandom, bad[i], 16, 0), EFAULT);
}

/* ---------------------------------------------------------------- arch_prctl */

static unsigned long fs_word0(void)
{
	unsigned long v;
	__asm__ volatile("mov %%fs:0, %0" : "=r"(v));
	return v;
}

/* musl keeps a pointer to the thread descriptor at %fs:0, and %fs's base
 * is that descriptor: ARCH_GET_FS must return it. */
TEST(arch_prctl_get_fs_returns_thread_pointer)
{
	unsigned long fs = 0;
	CHECK_EQ(syscall(SYS_arch_prctl, ARCH_GET_FS, &fs), 0);
	CHECK(fs != 0);
	CHECK_EQ(fs, fs_word0());
}

static inline long raw_arch_prctl(long code, unsigned long addr)
{
	long ret;
	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "0"((long)SYS_arch_prctl), "D"(code), "S"(addr)
			 : "rcx", "r11", "memory");
	return ret;
}

/*
 * While %fs points at our own block, nothing may read the stack-protector
 * canary at %fs:0x28 or errno: so no stack protector here and no libc
 * calls between the two ARCH_SET_FS.
 */
__attribute__((optimize("no-stack-protector"), noinline)) static int set_fs_child(void *arg)
{
	(void)arg;
	static unsigned long block[8];
	unsigned long old = 0;
	if (raw_arch_prctl(ARCH_GET_FS, (unsigned long)&old) != 0)
		return 1;
	block[0] = 0x1234567887654321UL;
	if (raw_arch_prctl(ARCH_SET_FS, (unsigned long)block) != 0)
		return 2;
	unsigned long seen = fs_word0();
	if (raw_arch_prctl(ARCH_SET_FS, old) != 0)
		return 3;
	return seen == block[0] ? 0 : 4;
}

TEST(arch_prctl_set_fs_moves_fs_base)
{
	CHECK_EXITED(run_child(set_fs_child, NULL), 0);
}

TEST(arch_prctl_bad_arguments)
{
	unsigned long fs;
	void *bad[N_BAD_PTRS];
	CHECK_ERRNO(syscall(SYS_arch_prctl, 0x9999, &fs), EINVAL);
	bad_pointers(bad);
	for (int i = 0; i < N_BAD_PTRS; i++)
		CHECK_ERRNO(syscall(SYS_arch_prctl, ARCH_GET_FS, bad[i]), EFAULT);
	/* man arch_prctl: "EPERM addr is outside the process address space" */
	CHECK_ERRNO(syscall(SYS_arch_prctl, ARCH_SET_FS, 0xffff800000000000UL), EPERM);
	CHECK_EQ(syscall(SYS_arch_prctl, ARCH_GET_FS, &fs), 0);
	CHECK_EQ(fs, fs_word0()); /* unchanged by the failed call */
}

/* ---------------------------------------------------------------- kill */

TEST(kill_signal_zero_checks_existence)
{
	CHECK_EQ(syscall(SYS_kill, getpid(), 0), 0);
	CHECK_ERRNO(syscall(SYS_kill, getpid(), 65), EINVAL);
	CHECK_ERRNO(syscall(SYS_kill, getpid(), (long)-1), EINVAL);
}

/* a number no kernel knows: ENOSYS, and the process goes on (moo also
 * logs "unimplemented syscall 5000": make test checks its kernel log) */
TEST(unknown_syscall_number_enosys)
{
	CHECK_ERRNO(syscall(5000, 1, 2, 3), ENOSYS);
	CHECK_ERRNO(syscall(-1L), ENOSYS);
	CHECK_EQ(syscall(SYS_getpid), getpid());
}

RUN_TESTS(syscalls, CASE(unknown_syscall_number_enosys), CASE(read_write_file_roundtrip),
	  CASE(read_write_zero_length_returns_zero), CASE(read_bad_pointer_efault),
	  CASE(read_into_buffer_running_into_unmapped_page),
	  CASE(write_bad_pointer_efault_writes_nothing),
	  CASE(write_from_buffer_running_into_unmapped_page), CASE(read_write_bad_fd_ebadf),
	  CASE(read_on_write_only_fd_ebadf), CASE(write_on_read_only_fd_ebadf),
	  CASE(read_directory_eisdir), CASE(dev_null_swallows_writes_and_reads_eof),
	  CASE(dev_zero_reads_zeros), CASE(readv_writev_scatter_gather),
	  CASE(readv_writev_bad_iovcnt_einval), CASE(writev_iov_max_1024_accepted),
	  CASE(writev_bad_iov_pointers_efault), CASE(readv_bad_buffer_efault),
	  CASE(writev_iov_len_above_ssize_max_einval), CASE(readv_writev_bad_fd_ebadf),
	  CASE(open_missing_file_enoent), CASE(open_bad_path_pointer_efault),
	  CASE(open_path_running_into_unmapped_page_efault), CASE(open_creat_excl_existing_eexist),
	  CASE(open_directory_flag_on_file_enotdir), CASE(open_path_through_file_enotdir),
	  CASE(open_long_name_enametoolong), CASE(open_directory_for_writing_eisdir),
	  CASE(open_unknown_flag_bits_ignored), CASE(open_trunc_empties_file),
	  CASE(open_append_writes_at_end_after_seek), CASE(open_returns_lowest_free_fd),
	  CASE(open_creat_makes_regular_file_with_mode), CASE(openat_relative_to_dirfd),
	  CASE(openat_at_fdcwd_uses_working_directory), CASE(openat_bad_dirfd_ebadf),
	  CASE(openat_file_as_dirfd_enotdir), CASE(close_bad_fd_ebadf), CASE(lseek_set_cur_end),
	  CASE(lseek_past_end_then_write_leaves_zero_hole), CASE(lseek_bad_whence_einval),
	  CASE(lseek_negative_offset_einval), CASE(lseek_pipe_espipe), CASE(lseek_bad_fd_ebadf),
	  CASE(fstat_reports_size_and_type), CASE(stat_reports_type_by_path),
	  CASE(stat_and_fstat_agree_on_inode), CASE(stat_missing_enoent),
	  CASE(stat_bad_pointers_efault), CASE(fstat_bad_fd_ebadf),
	  CASE(newfstatat_at_fdcwd_and_dirfd), CASE(newfstatat_bad_flags_einval),
	  CASE(getdents64_lists_created_files), CASE(getdents64_bad_fd_ebadf),
	  CASE(getdents64_on_file_enotdir), CASE(getdents64_tiny_buffer_einval),
	  CASE(getdents64_bad_buffer_efault), CASE(pipe_ends_have_right_access_modes),
	  CASE(pipe2_cloexec_sets_fd_cloexec_on_both_ends), CASE(pipe2_nonblock_sets_o_nonblock),
	  CASE(pipe2_bad_flags_einval), CASE(pipe_bad_array_efault_leaks_no_fds),
	  CASE(dup_returns_lowest_free_fd_and_shares_offset), CASE(dup_does_not_copy_cloexec),
	  CASE(cloexec_is_per_fd_nonblock_is_per_file), CASE(dup_bad_fd_ebadf),
	  CASE(dup2_same_fd_returns_it), CASE(dup2_replaces_open_target), CASE(dup2_bad_fds_ebadf),
	  CASE(dup3_same_fd_einval), CASE(dup3_bad_flags_einval), CASE(dup3_cloexec_sets_flag),
	  CASE(fcntl_getfd_setfd_cloexec), CASE(fcntl_getfl_setfl_status_flags),
	  CASE(fcntl_dupfd_respects_minimum_and_cloexec), CASE(fcntl_bad_fd_ebadf),
	  CASE(fcntl_bad_cmd_or_arg_einval), CASE(ioctl_tty_requests_on_non_tty_enotty),
	  CASE(ioctl_bad_fd_ebadf), CASE(brk_grow_touch_shrink),
	  CASE(brk_regrow_after_shrink_is_zeroed), CASE(brk_bad_value_returns_current_break),
	  CASE(mmap_anonymous_private_zeroed_and_writable), CASE(mmap_two_mappings_do_not_overlap),
	  CASE(mmap_length_zero_einval), CASE(mmap_fixed_unaligned_einval),
	  CASE(mmap_neither_private_nor_shared_einval), CASE(mmap_huge_length_enomem),
	  CASE(mmap_fixed_places_mapping_exactly), CASE(munmap_bad_arguments_einval),
	  CASE(munmap_unmapped_range_succeeds), CASE(munmap_then_access_segfaults),
	  CASE(munmap_middle_page_splits_mapping), CASE(mprotect_read_only_write_segfaults),
	  CASE(mprotect_bad_arguments), CASE(gettid_equals_getpid_single_threaded),
	  CASE(child_getppid_is_parent_getpid), CASE(set_tid_address_returns_tid),
	  CASE(uid_gid_calls_return_ids), CASE(sched_yield_returns_zero),
	  CASE(nanosleep_sleeps_at_least_requested), CASE(nanosleep_bad_timespec_einval),
	  CASE(nanosleep_bad_pointer_efault), CASE(clock_gettime_monotonic_never_goes_backwards),
	  CASE(clock_gettime_monotonic_advances_over_sleep), CASE(clock_gettime_realtime_works),
	  CASE(clock_gettime_bogus_clock_einval), CASE(clock_gettime_bad_pointer_efault),
	  CASE(uname_fills_fields), CASE(uname_bad_pointer_efault), CASE(getcwd_follows_chdir),
	  CASE(getcwd_small_buffer_erange), CASE(getcwd_bad_pointer_efault), CASE(chdir_errors),
	  CASE(mkdir_creates_directory_eexist_on_repeat), CASE(mkdir_errors),
	  CASE(unlink_removes_name), CASE(unlink_open_file_stays_readable),
	  CASE(unlink_directory_eisdir), CASE(unlink_errors), CASE(getrandom_fills_buffer),
	  CASE(getrandom_bad_flags_einval), CASE(getrandom_bad_pointer_efault),
	  CASE(arch_prctl_get_fs_returns_thread_pointer), CASE(arch_prctl_set_fs_moves_fs_base),
	  CASE(arch_prctl_bad_arguments), CASE(kill_signal_zero_checks_existence))
