/*
 * sys.c - small system calls: identity, time, sleeping, randomness, power.
 */
#include "kernel/errno.h"
#include "kernel/exit.h"
#include "kernel/fs/fs.h"
#include "kernel/power.h"
#include "kernel/printk.h"
#include "kernel/random.h"
#include "kernel/string.h"
#include "kernel/syscall.h"
#include "kernel/task.h"
#include "kernel/timer.h"
#include "kernel/x86.h"
#include "mm/page.h"
#include "mm/uaccess.h"

SYSCALL_DEFINE0(getpid)
{
	return current->pid;
}

SYSCALL_DEFINE0(gettid)
{
	return current->pid; /* one thread per process */
}

SYSCALL_DEFINE0(getppid)
{
	return task_ppid(current);
}

/* moo has one user, root; these report it. */
SYSCALL_DEFINE0(getuid)
{
	return 0;
}

SYSCALL_DEFINE0(geteuid)
{
	return 0;
}

SYSCALL_DEFINE0(getgid)
{
	return 0;
}

SYSCALL_DEFINE0(getegid)
{
	return 0;
}

SYSCALL_DEFINE2(setpgid, int, pid, int, pgid)
{
	struct task *t = pid ? find_task(pid) : current;
	if (pgid < 0)
		return -EINVAL;
	if (!t || (t != current && t->parent != current))
		return -ESRCH;
	t->pgrp = pgid ? pgid : t->pid;
	return 0;
}

SYSCALL_DEFINE1(getpgid, int, pid)
{
	struct task *t = pid ? find_task(pid) : current;
	return t ? t->pgrp : -ESRCH;
}

SYSCALL_DEFINE0(getpgrp)
{
	return current->pgrp;
}

SYSCALL_DEFINE0(setsid)
{
	struct task *t = current;
	if (t->pgrp == t->pid)
		return -EPERM; /* already a group leader */
	t->sid = t->pgrp = t->pid;
	return t->sid;
}

SYSCALL_DEFINE1(getsid, int, pid)
{
	struct task *t = pid ? find_task(pid) : current;
	return t ? t->sid : -ESRCH;
}

SYSCALL_DEFINE0(sched_yield)
{
	need_resched = 1;
	return 0;
}

SYSCALL_DEFINE1(set_tid_address, int __user *, tidptr)
{
	current->clear_child_tid = tidptr;
	return current->pid;
}

#define ARCH_SET_GS 0x1001
#define ARCH_SET_FS 0x1002
#define ARCH_GET_FS 0x1003
#define ARCH_GET_GS 0x1004

SYSCALL_DEFINE2(arch_prctl, int, code, unsigned long, addr)
{
	switch (code) {
	case ARCH_SET_FS:
		if (addr >= USER_TOP)
			return -EPERM; /* wrmsr of a non-canonical base would #GP */
		current->fs_base = addr;
		wrmsr(0xc0000100, addr); /* MSR_FS_BASE */
		return 0;
	case ARCH_GET_FS:
		return copy_to_user((void *)addr, &current->fs_base, 8);
	default:
		return -EINVAL;
	}
}

struct utsname {
	char sysname[65], nodename[65], release[65], version[65], machine[65], domainname[65];
};

SYSCALL_DEFINE1(uname, struct utsname __user *, buf)
{
	struct utsname u;
	memset(&u, 0, sizeof(u));
	strlcpy(u.sysname, "moo", sizeof(u.sysname));
	strlcpy(u.nodename, "moo", sizeof(u.nodename));
	strlcpy(u.release, "0.1", sizeof(u.release));
	strlcpy(u.version, "moo teaching kernel", sizeof(u.version));
	strlcpy(u.machine, "x86_64", sizeof(u.machine));
	strlcpy(u.domainname, "(none)", sizeof(u.domainname));
	return copy_to_user(buf, &u, sizeof(u));
}

/* ---------------------------------------------------------------- time */

struct timespec {
	int64_t tv_sec, tv_nsec;
};

#define CLOCK_REALTIME           0
#define CLOCK_MONOTONIC          1
#define CLOCK_PROCESS_CPUTIME_ID 2
#define CLOCK_THREAD_CPUTIME_ID  3
#define CLOCK_MONOTONIC_RAW      4
#define CLOCK_REALTIME_COARSE    5
#define CLOCK_MONOTONIC_COARSE   6
#define CLOCK_BOOTTIME           7
#define NSEC_PER_TICK            (1000000000L / HZ)

static struct timespec ticks_to_ts(uint64_t ticks)
{
	return (struct timespec){(int64_t)(ticks / HZ), (int64_t)(ticks % HZ) * NSEC_PER_TICK};
}

SYSCALL_DEFINE2(clock_gettime, int, clk, struct timespec __user *, tp)
{
	struct timespec ts;
	uint64_t now = timer_ticks();
	switch (clk) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE:
		ts = ticks_to_ts(now);
		ts.tv_sec += current_time_sec() - (int64_t)(now / HZ);
		break;
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME:
		ts = ticks_to_ts(now);
		break;
	case CLOCK_PROCESS_CPUTIME_ID:
	case CLOCK_THREAD_CPUTIME_ID:
		ts = ticks_to_ts(current->utime + current->stime);
		break;
	default:
		return -EINVAL;
	}
	return copy_to_user(tp, &ts, sizeof(ts));
}

SYSCALL_DEFINE2(nanosleep, const struct timespec __user *, req, struct timespec __user *, rem)
{
	struct timespec ts;
	struct task *t = current;

	if (copy_from_user(&ts, req, sizeof(ts)))
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000L)
		return -EINVAL;
	/* round up to whole ticks, plus one: we may be anywhere inside the current tick */
	uint64_t ticks =
	    (uint64_t)ts.tv_sec * HZ + (uint64_t)(ts.tv_nsec + NSEC_PER_TICK - 1) / NSEC_PER_TICK;
	uint64_t until = timer_ticks() + ticks + (ticks ? 1 : 0);
	while (timer_ticks() < until) {
		cli();
		t->wake_tick = until;
		int r = sleep_on_irqoff(&t->wake_tick);
		t->wake_tick = 0;
		sti();
		if (r) {
			if (rem) {
				uint64_t now = timer_ticks(), left = until > now ? until - now : 0;
				struct timespec r2 = ticks_to_ts(left);
				if (copy_to_user(rem, &r2, sizeof(r2)))
					return -EFAULT;
			}
			return -EINTR; /* nanosleep is never restarted (signal(7)) */
		}
	}
	return 0;
}

struct tms {
	int64_t utime, stime, cutime, cstime;
};

SYSCALL_DEFINE1(times, struct tms __user *, buf)
{
	struct task *t = current;
	struct tms tm = {(int64_t)t->utime, (int64_t)t->stime, (int64_t)t->cutime,
			 (int64_t)t->cstime};
	if (buf && copy_to_user(buf, &tm, sizeof(tm)))
		return -EFAULT;
	return (long)timer_ticks();
}

SYSCALL_DEFINE2(getrusage, int, who, void __user *, ubuf)
{
	struct task *t = current;
	uint64_t ru[18]; /* struct rusage: 2 timevals + 14 longs */
	if (who == 0)    /* RUSAGE_SELF */
		fill_rusage((struct rusage *)ru, t->utime, t->stime, t->min_flt, t->maj_flt);
	else if (who == -1) /* RUSAGE_CHILDREN */
		fill_rusage((struct rusage *)ru, t->cutime, t->cstime, t->cmin_flt, t->cmaj_flt);
	else
		return -EINVAL;
	return copy_to_user(ubuf, ru, sizeof(ru));
}

struct sysinfo {
	int64_t uptime;
	uint64_t loads[3], totalram, freeram, sharedram, bufferram, totalswap, freeswap;
	uint16_t procs, pad;
	uint64_t totalhigh, freehigh;
	uint32_t mem_unit;
	char f[4];
};

SYSCALL_DEFINE1(sysinfo, struct sysinfo __user *, buf)
{
	struct sysinfo si;
	struct page_alloc_stats st;
	int n = 0;
	page_alloc_stats(&st);
	for (struct list_head *l = all_tasks.next; l != &all_tasks; l = l->next)
		n++;
	memset(&si, 0, sizeof(si));
	si.uptime = (int64_t)(timer_ticks() / HZ);
	si.totalram = st.total_pages;
	si.freeram = st.free_pages;
	si.procs = (uint16_t)n;
	si.mem_unit = PAGE_SIZE;
	return copy_to_user(buf, &si, sizeof(si));
}

/* ---------------------------------------------------------------- misc */

#define GRND_NONBLOCK 1
#define GRND_RANDOM   2
#define GRND_INSECURE 4

SYSCALL_DEFINE3(getrandom, void __user *, buf, size_t, n, unsigned, flags)
{
	uint8_t tmp[256];
	size_t done = 0;
	if (flags & ~(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE))
		return -EINVAL;
	if (n > 33554431)
		n = 33554431; /* Linux's per-call cap */
	while (done < n) {
		size_t k = n - done < sizeof(tmp) ? n - done : sizeof(tmp);
		get_random_bytes(tmp, k);
		if (copy_to_user((char *)buf + done, tmp, k))
			return done ? (long)done : -EFAULT;
		done += k;
	}
	return (long)done;
}

SYSCALL_DEFINE0(sync)
{
	return 0; /* every filesystem lives in memory */
}

#define LINUX_REBOOT_MAGIC1        0xfee1dead
#define LINUX_REBOOT_MAGIC2        672274793
#define LINUX_REBOOT_CMD_RESTART   0x01234567
#define LINUX_REBOOT_CMD_HALT      0xcdef0123
#define LINUX_REBOOT_CMD_POWER_OFF 0x4321fedc

SYSCALL_DEFINE4(reboot, unsigned, magic1, unsigned, magic2, unsigned, cmd, void __user *, arg)
{
	(void)arg;
	if (magic1 != LINUX_REBOOT_MAGIC1 || magic2 != LINUX_REBOOT_MAGIC2)
		return -EINVAL;
	switch (cmd) {
	case LINUX_REBOOT_CMD_POWER_OFF:
	case LINUX_REBOOT_CMD_HALT:
		machine_power_off();
	case LINUX_REBOOT_CMD_RESTART:
		machine_restart();
	default:
		return -EINVAL;
	}
}
