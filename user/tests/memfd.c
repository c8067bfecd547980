/*
 * memfd.c - memfd_create(2): an anonymous file in memory, and its seals
 * (fcntl F_ADD_SEALS / F_GET_SEALS, man 2 memfd_create and fcntl).
 *
 * A memfd is a regular file with no name in any directory: read, write,
 * ftruncate and mmap work on it as on a tmpfs file. Seals forbid changes
 * for good: F_SEAL_SHRINK, F_SEAL_GROW, F_SEAL_WRITE, and F_SEAL_SEAL (no
 * more seals). Without MFD_ALLOW_SEALING the file starts with F_SEAL_SEAL.
 */
#define _GNU_SOURCE
#include "check.h"
#include "testutil.h"
#include "vmtest.h"

#ifndef MFD_CLOEXEC
#define MFD_CLOEXEC       0x0001U
#define MFD_ALLOW_SEALING 0x0002U
#endif
#ifndef F_ADD_SEALS
#define F_ADD_SEALS   1033
#define F_GET_SEALS   1034
#define F_SEAL_SEAL   0x0001
#define F_SEAL_SHRINK 0x0002
#define F_SEAL_GROW   0x0004
#define F_SEAL_WRITE  0x0008
#endif
#define SEALS_KNOWN (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE)

static int memfd(const char *name, unsigned flags)
{
	int fd = (int)syscall(SYS_memfd_create, name, flags);
	if (fd < 0)
		printf("  memfd_create(\"%s\", %#x) failed: %s\n", name, flags, strerror(errno));
	return fd;
}

static off_t size_of(int fd)
{
	struct stat st;
	return fstat(fd, &st) == 0 ? st.st_size : -1;
}

static int all_bytes(const volatile char *p, size_t len, char c)
{
	for (size_t i = 0; i < len; i++)
		if (p[i] != c)
			return 0;
	return 1;
}

/* ---------------------------------------------------------------- the file */

TEST(memfd_create_ftruncate_write_read)
{
	char buf[PG];
	int fd = memfd("basic", 0);
	CHECK(fd >= 0);
	if (fd < 0)
		return;
	struct stat st;
	CHECK_EQ(fstat(fd, &st), 0);
	CHECK(S_ISREG(st.st_mode));
	CHECK_EQ(st.st_size, 0);
	CHECK_EQ(read(fd, buf, sizeof(buf)), 0);
	CHECK_EQ(ftruncate(fd, 3 * PG), 0);
	CHECK_EQ(size_of(fd), 3 * PG);
	CHECK_EQ(pread(fd, buf, PG, PG), PG); /* grown space reads as zero */
	CHECK(all_bytes(buf, PG, 0));
	CHECK_EQ(write(fd, "memfd data", 10), 10);
	CHECK_EQ(pwrite(fd, "tail", 4, 3 * PG), 4); /* writes past the end grow it */
	CHECK_EQ(size_of(fd), 3 * PG + 4);
	CHECK_EQ(lseek(fd, 0, SEEK_SET), 0);
	memset(buf, 0, sizeof(buf));
	CHECK_EQ(read(fd, buf, 10), 10);
	CHECK(memcmp(buf, "memfd data", 10) == 0);
	CHECK_EQ(pread(fd, buf, 100, 3 * PG), 4);
	CHECK(memcmp(buf, "tail", 4) == 0);
	CHECK_EQ(ftruncate(fd, 5), 0);
	CHECK_EQ(size_of(fd), 5);
	CHECK_EQ(pread(fd, buf, 100, 0), 5);
	CHECK(memcmp(buf, "memfd", 5) == 0);
	close(fd);
}

TEST(memfd_private_mapping_writes_invisible_shared_visible)
{
	char buf[16];
	int fd = memfd("maps", 0);
	CHECK(fd >= 0);
	if (fd < 0)
		return;
	CHECK_EQ(ftruncate(fd, 2 * PG), 0);
	CHECK_EQ(pwrite(fd, "original", 8, 0), 8);
	char *priv = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	char *shar = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(priv != MAP_FAILED && shar != MAP_FAILED);
	if (priv == MAP_FAILED || shar == MAP_FAILED)
		return;
	CHECK(memcmp(priv, "original", 8) == 0);
	memcpy(priv, "private!", 8);
	memcpy(priv + PG, "private2", 8);
	CHECK_EQ(pread(fd, buf, 8, 0), 8);
	CHECK(memcmp(buf, "original", 8) == 0);
	CHECK_EQ(pread(fd, buf, 8, PG), 8);
	CHECK(all_bytes(buf, 8, 0));
	CHECK(memcmp(shar, "original", 8) == 0);
	memcpy(shar + 100, "shared", 6);
	CHECK_EQ(pread(fd, buf, 6, 100), 6);
	CHECK(memcmp(buf, "shared", 6) == 0);
	CHECK(memcmp(priv, "private!", 8) == 0); /* the private copy stays */
	munmap(priv, 2 * PG);
	munmap(shar, 2 * PG);
	close(fd);
}

TEST(memfd_cloexec_flag_sets_fd_cloexec)
{
	int a = memfd("cloexec", MFD_CLOEXEC);
	int b = memfd("nocloexec", 0);
	CHECK(a >= 0 && b >= 0);
	CHECK_EQ(fcntl(a, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	CHECK_EQ(fcntl(b, F_GETFD) & FD_CLOEXEC, 0);
	/* opened read-write */
	CHECK_EQ(fcntl(a, F_GETFL) & O_ACCMODE, O_RDWR);
	close(a);
	close(b);
}

TEST(memfd_bad_flags_einval)
{
	CHECK_ERRNO(syscall(SYS_memfd_create, "bad", 0x1000), EINVAL);
	CHECK_ERRNO(syscall(SYS_memfd_create, "bad", 0x80000000U), EINVAL);
	CHECK_ERRNO(syscall(SYS_memfd_create, "bad", MFD_CLOEXEC | 0x100), EINVAL);
}

TEST(memfd_name_longer_than_249_einval)
{
	char name[300];
	memset(name, 'n', sizeof(name));
	name[249] = '\0'; /* 249 bytes: the longest allowed */
	int fd = (int)syscall(SYS_memfd_create, name, 0);
	CHECK(fd >= 0);
	if (fd >= 0)
		close(fd);
	name[249] = 'n';
	name[250] = '\0'; /* 250 bytes */
	CHECK_ERRNO(syscall(SYS_memfd_create, name, 0), EINVAL);
	name[250] = 'n';
	name[299] = '\0';
	CHECK_ERRNO(syscall(SYS_memfd_create, name, 0), EINVAL);
	/* a bad pointer is EFAULT */
	CHECK_ERRNO(syscall(SYS_memfd_create, unmapped_page(), 0), EFAULT);
}

/* ---------------------------------------------------------------- seals */

TEST(memfd_without_allow_sealing_has_seal_seal)
{
	int fd = memfd("noseal", 0);
	CHECK(fd >= 0);
	CHECK_EQ(fcntl(fd, F_GET_SEALS) & SEALS_KNOWN, F_SEAL_SEAL);
	CHECK_ERRNO(fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE), EPERM);
	CHECK_ERRNO(fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK), EPERM);
	/* so nothing is restricted */
	CHECK_EQ(ftruncate(fd, PG), 0);
	CHECK_EQ(write(fd, "x", 1), 1);
	CHECK_EQ(ftruncate(fd, 0), 0);
	close(fd);
}

TEST(memfd_allow_sealing_starts_with_no_seals)
{
	int fd = memfd("sealable", MFD_ALLOW_SEALING);
	CHECK(fd >= 0);
	CHECK_EQ(fcntl(fd, F_GET_SEALS) & SEALS_KNOWN, 0);
	close(fd);
}

TEST(memfd_seal_shrink_ftruncate_smaller_eperm)
{
	int fd = memfd("shrink", MFD_ALLOW_SEALING);
	CHECK(fd >= 0);
	CHECK_EQ(ftruncate(fd, 2 * PG), 0);
	CHECK_EQ(fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK), 0);
	CHECK_EQ(fcntl(fd, F_GET_SEALS) & SEALS_KNOWN, F_SEAL_SHRINK);
	CHECK_ERRNO(ftruncate(fd, PG), EPERM);
	CHECK_ERRNO(ftruncate(fd, 0), EPERM);
	CHECK_EQ(size_of(fd), 2 * PG);
	/* growing and writing are still allowed */
	CHECK_EQ(ftruncate(fd, 3 * PG), 0);
	CHECK_EQ(pwrite(fd, "ok", 2, 3 * PG), 2);
	CHECK_EQ(size_of(fd), 3 * PG + 2);
	close(fd);
}

TEST(memfd_seal_grow_ftruncate_bigger_and_write_past_end_eperm)
{
	int fd = memfd("grow", MFD_ALLOW_SEALING);
	CHECK(fd >= 0);
	CHECK_EQ(ftruncate(fd, PG), 0);
	CHECK_EQ(fcntl(fd, F_ADD_SEALS, F_SEAL_GROW), 0);
	CHECK_ERRNO(ftruncate(fd, 2 * PG), EPERM);
	CHECK_ERRNO(pwrite(fd, "x", 1, PG), EPERM);
	CHECK_EQ(lseek(fd, 0, SEEK_END), PG);
	CHECK_ERRNO(write(fd, "x", 1), EPERM);
	CHECK_EQ(size_of(fd), PG);
	/* inside the file: fine; across its end: only the part that fits */
	CHECK_EQ(pwrite(fd, "in", 2, PG - 2), 2);
	CHECK_EQ(pwrite(fd, "abcd", 4, PG - 2), 2);
	CHECK_EQ(size_of(fd), PG);
	/* and shrinking is allowed */
	CHECK_EQ(ftruncate(fd, 100), 0);
	CHECK_EQ(size_of(fd), 100);
	close(fd);
}

TEST(memfd_seal_write_blocks_write_and_shared_writable_mmap)
{
	int fd = memfd("write", MFD_ALLOW_SEALING);
	CHECK(fd >= 0);
	CHECK_EQ(ftruncate(fd, PG), 0);
	CHECK_EQ(pwrite(fd, "sealed", 6, 0), 6);
	CHECK_EQ(fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE), 0);
	CHECK_ERRNO(pwrite(fd, "x", 1, 0), EPERM);
	CHECK_ERRNO(write(fd, "x", 1), EPERM);
	CHECK_ERRNO(syscall(SYS_mmap, 0, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0), EPERM);
	CHECK_ERRNO(syscall(SYS_mmap, 0, PG, PROT_WRITE, MAP_SHARED, fd, 0), EPERM);
	/* reading, and mappings that cannot write the file, still work */
	char buf[6];
	CHECK_EQ(pread(fd, buf, 6, 0), 6);
	CHECK(memcmp(buf, "sealed", 6) == 0);
	char *r = mmap(NULL, PG, PROT_READ, MAP_SHARED, fd, 0);
	CHECK(r != MAP_FAILED && memcmp(r, "sealed", 6) == 0);
	char *p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	CHECK(p != MAP_FAILED);
	if (p != MAP_FAILED) {
		memcpy(p, "privat", 6);
		CHECK_EQ(pread(fd, buf, 6, 0), 6);
		CHECK(memcmp(buf, "sealed", 6) == 0);
		munmap(p, PG);
	}
	if (r != MAP_FAILED)
		munmap(r, PG);
	close(fd);
}

TEST(memfd_seal_write_while_shared_writable_mapping_exists_ebusy)
{
	int fd = memfd("busy", MFD_ALLOW_SEALING);
	CHECK(fd >= 0);
	CHECK_EQ(ftruncate(fd, PG), 0);
	char *w = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(w != MAP_FAILED);
	CHECK_ERRNO(fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE), EBUSY);
	CHECK_EQ(fcntl(fd, F_GET_SEALS) & SEALS_KNOWN, 0);
	w[0] = 'w'; /* still writable */
	/* other seals are not affected by the mapping */
	CHECK_EQ(fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK), 0);
	CHECK_EQ(munmap(w, PG), 0);
	/* gone: now the seal can go on */
	CHECK_EQ(fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE), 0);
	CHECK_EQ(fcntl(fd, F_GET_SEALS) & SEALS_KNOWN, F_SEAL_SHRINK | F_SEAL_WRITE);
	close(fd);
}

TEST(memfd_seal_seal_forbids_more_seals)
{
	int fd = memfd("sealseal", MFD_ALLOW_SEALING);
	CHECK(fd >= 0);
	CHECK_EQ(fcntl(fd, F_ADD_SEALS, F_SEAL_GROW | F_SEAL_SEAL), 0);
	CHECK_EQ(fcntl(fd, F_GET_SEALS) & SEALS_KNOWN, F_SEAL_GROW | F_SEAL_SEAL);
	CHECK_ERRNO(fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE), EPERM);
	CHECK_ERRNO(fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK), EPERM);
	CHECK_ERRNO(fcntl(fd, F_ADD_SEALS, F_SEAL_GROW), EPERM); /* even one it has */
	CHECK_EQ(fcntl(fd, F_GET_SEALS) & SEALS_KNOWN, F_SEAL_GROW | F_SEAL_SEAL);
	close(fd);
}

TEST(memfd_seals_on_other_files_einval)
{
	char path[128];
	int fd = tmp_file(path, sizeof(path), "noseals", "x", 1);
	CHECK(fd >= 0);
	CHECK_ERRNO(fcntl(fd, F_GET_SEALS), EINVAL);
	CHECK_ERRNO(fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE), EINVAL);
	close(fd);
	tmp_remove(path);
	/* and unknown seal bits on a memfd */
	int m = memfd("badseal", MFD_ALLOW_SEALING);
	CHECK_ERRNO(fcntl(m, F_ADD_SEALS, 0x4000), EINVAL);
	close(m);
}

/* ---------------------------------------------------------------- fork */

TEST(memfd_shared_mapping_shared_across_fork)
{
	int fd = memfd("fork", 0);
	int to_child[2], to_parent[2];
	CHECK(fd >= 0);
	CHECK_EQ(ftruncate(fd, 4 * PG), 0);
	volatile char *m = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(m != MAP_FAILED);
	if (m == MAP_FAILED)
		return;
	m[0] = 'p';
	CHECK(pipe(to_child) == 0 && pipe(to_parent) == 0);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		int bad = m[0] != 'p';
		m[PG] = 'c';     /* a page the parent has not touched */
		m[3 * PG] = 'C'; /* ... and one nobody has */
		send_byte(to_parent[1], 'w');
		recv_byte(to_child[0]);
		bad |= (m[2 * PG] != 'P') << 1; /* the parent's write after the fork */
		bad |= (m[0] != 'q') << 2;
		_exit(bad);
	}
	CHECK(pid > 0);
	CHECK_EQ(recv_byte(to_parent[0]), 'w');
	CHECK_EQ(m[PG], 'c');
	CHECK_EQ(m[3 * PG], 'C');
	m[2 * PG] = 'P';
	m[0] = 'q';
	CHECK_EQ(send_byte(to_child[1], 'g'), 0);
	CHECK_EXITED(wait_timeout(pid, 10000), 0);
	char c = 0;
	CHECK_EQ(pread(fd, &c, 1, 3 * PG), 1); /* and the file has it */
	CHECK_EQ(c, 'C');
	munmap((void *)m, 4 * PG);
	close(to_child[0]);
	close(to_child[1]);
	close(to_parent[0]);
	close(to_parent[1]);
	close(fd);
}

RUN_TESTS(memfd, CASE(memfd_create_ftruncate_write_read),
	  CASE(memfd_private_mapping_writes_invisible_shared_visible),
	  CASE(memfd_cloexec_flag_sets_fd_cloexec), CASE(memfd_bad_flags_einval),
	  CASE(memfd_name_longer_than_249_einval), CASE(memfd_without_allow_sealing_has_seal_seal),
	  CASE(memfd_allow_sealing_starts_with_no_seals),
	  CASE(memfd_seal_shrink_ftruncate_smaller_eperm),
	  CASE(memfd_seal_grow_ftruncate_bigger_and_write_past_end_eperm),
	  CASE(memfd_seal_write_blocks_write_and_shared_writable_mmap),
	  CASE(memfd_seal_write_while_shared_writable_mapping_exists_ebusy),
	  CASE(memfd_seal_seal_forbids_more_seals), CASE(memfd_seals_on_other_files_einval),
	  CASE(memfd_shared_mapping_shared_across_fork))
