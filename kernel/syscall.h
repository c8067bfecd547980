/*
 * syscall.h - the system call table, and SYSCALL_DEFINEn to write handlers.
 *
 * Numbers and arguments are Linux x86-64's: rax = number, arguments in
 * rdi, rsi, rdx, r10, r8, r9, result in rax (a negative errno on failure).
 * moo-only calls use numbers from 1000 up (see user/include/moo.h).
 *
 *     SYSCALL_DEFINE3(read, int, fd, char *, buf, size_t, count)
 *     { ... }
 *
 * defines sys_read(), which takes the six raw register values, and a
 * typed function with the body.
 */
#ifndef MOO_KERNEL_SYSCALL_H
#define MOO_KERNEL_SYSCALL_H

#include <stddef.h>
#include <stdint.h>

#define __user /* marks a pointer into user space: only uaccess functions may use it */

typedef long (*syscall_fn_t)(uint64_t, uint64_t, uint64_t, uint64_t, uint64_t, uint64_t);

#define SC_ARGS        uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5
#define SC_UNUSED(...) (void)a0, (void)a1, (void)a2, (void)a3, (void)a4, (void)a5

#define SYSCALL_DEFINE0(name)                                                                      \
	static long do_sys_##name(void);                                                           \
	long sys_##name(SC_ARGS)                                                                   \
	{                                                                                          \
		SC_UNUSED();                                                                       \
		return do_sys_##name();                                                            \
	}                                                                                          \
	static long do_sys_##name(void)
#define SYSCALL_DEFINE1(name, t0, n0)                                                              \
	static long do_sys_##name(t0 n0);                                                          \
	long sys_##name(SC_ARGS)                                                                   \
	{                                                                                          \
		SC_UNUSED();                                                                       \
		return do_sys_##name((t0)a0);                                                      \
	}                                                                                          \
	static long do_sys_##name(t0 n0)
#define SYSCALL_DEFINE2(name, t0, n0, t1, n1)                                                      \
	static long do_sys_##name(t0 n0, t1 n1);                                                   \
	long sys_##name(SC_ARGS)                                                                   \
	{                                                                                          \
		SC_UNUSED();                                                                       \
		return do_sys_##name((t0)a0, (t1)a1);                                              \
	}                                                                                          \
	static long do_sys_##name(t0 n0, t1 n1)
#define SYSCALL_DEFINE3(name, t0, n0, t1, n1, t2, n2)                                              \
	static long do_sys_##name(t0 n0, t1 n1, t2 n2);                                            \
	long sys_##name(SC_ARGS)                                                                   \
	{                                                                                          \
		SC_UNUSED();                                                                       \
		return do_sys_##name((t0)a0, (t1)a1, (t2)a2);                                      \
	}                                                                                          \
	static long do_sys_##name(t0 n0, t1 n1, t2 n2)
#define SYSCALL_DEFINE4(name, t0, n0, t1, n1, t2, n2, t3, n3)                                      \
	static long do_sys_##name(t0 n0, t1 n1, t2 n2, t3 n3);                                     \
	long sys_##name(SC_ARGS)                                                                   \
	{                                                                                          \
		SC_UNUSED();                                                                       \
		return do_sys_##name((t0)a0, (t1)a1, (t2)a2, (t3)a3);                              \
	}                                                                                          \
	static long do_sys_##name(t0 n0, t1 n1, t2 n2, t3 n3)
#define SYSCALL_DEFINE5(name, t0, n0, t1, n1, t2, n2, t3, n3, t4, n4)                              \
	static long do_sys_##name(t0 n0, t1 n1, t2 n2, t3 n3, t4 n4);                              \
	long sys_##name(SC_ARGS)                                                                   \
	{                                                                                          \
		SC_UNUSED();                                                                       \
		return do_sys_##name((t0)a0, (t1)a1, (t2)a2, (t3)a3, (t4)a4);                      \
	}                                                                                          \
	static long do_sys_##name(t0 n0, t1 n1, t2 n2, t3 n3, t4 n4)
#define SYSCALL_DEFINE6(name, t0, n0, t1, n1, t2, n2, t3, n3, t4, n4, t5, n5)                      \
	static long do_sys_##name(t0 n0, t1 n1, t2 n2, t3 n3, t4 n4, t5 n5);                       \
	long sys_##name(SC_ARGS)                                                                   \
	{                                                                                          \
		return do_sys_##name((t0)a0, (t1)a1, (t2)a2, (t3)a3, (t4)a4, (t5)a5);              \
	}                                                                                          \
	static long do_sys_##name(t0 n0, t1 n1, t2 n2, t3 n3, t4 n4, t5 n5)

void syscall_init(void);

#endif
