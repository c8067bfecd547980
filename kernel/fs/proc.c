/*
 * proc.c - procfs: files whose text the kernel generates, mounted at /proc.
 *
 *   /proc/meminfo, /proc/vmstat, /proc/uptime
 *   /proc/self                 the /proc/PID directory of the caller
 *   /proc/PID/{cmdline,comm,maps,stat,status}
 *
 * Nothing is stored: directories have lookup/readdir operations that make
 * inodes on demand, and each inode's private data (struct proc_inode) says
 * which file it is and for which pid. The destroy hook frees that when the
 * last reference goes, so a lookup costs an inode only while someone holds
 * it. Inode numbers are stable, so stat() of the same name always agrees:
 * the root is 1, top-level files have small fixed numbers, and the files of
 * process PID are (PID << 8) | index, the directory itself index 0.
 *
 * A file's text is generated when it is opened, into one kmalloc'd buffer
 * kept in file->private, and read() serves bytes from it; release() frees
 * it. Each open therefore sees one consistent snapshot, like Linux's
 * seq_file, and an open file keeps working after its process has gone. The
 * kernel is not preempted and generating never sleeps, so tasks and their
 * address spaces cannot change under us while we format. If the text does
 * not fit, we retry with twice the buffer, up to PROC_BUF_MAX; beyond that
 * it is cut short.
 *
 * Formats are Linux's (fs/proc/array.c, task_mmu.c, meminfo.c, see proc(5))
 * so that procps-style tools parse them unchanged. Fields moo has no notion
 * of (uids, capabilities, swap, nice) print Linux's value for the default
 * case.
 */
#include "kernel/fs/fs.h"
#include "kernel/errno.h"
#include "kernel/printf.h"
#include "kernel/string.h"
#include "kernel/task.h"
#include "kernel/timer.h"
#include "mm/filemap.h"
#include "mm/memlayout.h"
#include "mm/mm.h"
#include "mm/page.h"
#include "mm/pgtable.h"
#include "mm/slab.h"
#include "mm/uaccess.h"
#include "mm/vmstat.h"

#define PROC_ROOT_INO 1           /* as Linux */
#define PROC_BUF_MAX  (64 * 1024) /* largest text one open may generate */
#define PROC_DEV      4           /* dev_t 0:4; major 0 = no device, as Linux's proc */

/* getdents64 d_type values */
#define DT_DIR 4
#define DT_REG 8

/* ---------------------------------------------------------------- text buffers */

/* The text of one open file. Allocated with a power-of-two size, so the
 * header and data fill a kmalloc slot exactly. */
struct proc_buf {
	size_t len;
	char data[];
};

/* seq: where a show function writes; like Linux's seq_file, minus the paging. */
struct seq {
	char *buf;
	size_t size, len;
	bool overflow; /* something did not fit: the caller retries with more room */
};

/* seq_write: append n bytes, as many as fit. */
static void seq_write(struct seq *s, const void *p, size_t n)
{
	size_t room = s->size - s->len;
	if (n > room) {
		n = room;
		s->overflow = true;
	}
	memcpy(s->buf + s->len, p, n);
	s->len += n;
}

static void seq_putc(struct seq *s, char c)
{
	seq_write(s, &c, 1);
}

static void seq_puts(struct seq *s, const char *str)
{
	seq_write(s, str, strlen(str));
}

__attribute__((format(printf, 2, 3))) static void seq_printf(struct seq *s, const char *fmt, ...)
{
	size_t room = s->size - s->len;
	va_list ap;
	va_start(ap, fmt);
	/* vsnprintf wants room for a NUL we do not keep: a line that exactly
	 * fills the buffer counts as overflow, which only costs a retry. */
	int n = vsnprintf(s->buf + s->len, room, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= room) {
		s->overflow = true;
		s->len += room ? room - 1 : 0;
	} else {
		s->len += (size_t)n;
	}
}

/* seq_pad: spaces up to column col of the current line (Linux's seq_pad). */
static void seq_pad(struct seq *s, size_t line_start, size_t col)
{
	while (!s->overflow && s->len - line_start < col)
		seq_putc(s, ' ');
}

/* ---------------------------------------------------------------- helpers */

/*
 * proc_task: the task a /proc/PID name refers to, or NULL. As on Linux, a
 * zombie stays visible (state Z, no memory) until its parent reaps it; only
 * then does /proc/PID disappear.
 */
static struct task *proc_task(int pid)
{
	return pid > 0 ? find_task(pid) : NULL;
}

static char task_state_char(const struct task *t)
{
	switch (t->state) {
	case TASK_RUNNABLE:
		return 'R';
	case TASK_SLEEPING:
		return 'S';
	case TASK_ZOMBIE:
		return 'Z';
	}
	return '?';
}

static const char *task_state_name(const struct task *t)
{
	switch (t->state) {
	case TASK_RUNNABLE:
		return "R (running)";
	case TASK_SLEEPING:
		return "S (sleeping)";
	case TASK_ZOMBIE:
		return "Z (zombie)";
	}
	return "? (unknown)";
}

/* first_user_of_mm: is t the first task in all_tasks using its mm? Summing
 * over mms rather than tasks counts a shared address space once. */
static bool first_user_of_mm(const struct task *t)
{
	for (struct list_head *l = all_tasks.next; l != &t->tasks; l = l->next)
		if (list_entry(l, struct task, tasks)->mm == t->mm)
			return false;
	return true;
}

/* Per-kind sizes of an address space, in pages, as Linux's
 * exec_vm/data_vm/stack_vm: the stack is VM_GROWSDOWN. */
struct vm_sizes {
	unsigned long exec, data, stack;
};

static void mm_vm_sizes(struct mm_struct *mm, struct vm_sizes *vs)
{
	vs->exec = vs->data = vs->stack = 0;
	for (struct vm_area_struct *v = find_vma(mm, 0); v; v = vma_next(mm, v)) {
		unsigned long pages = (v->vm_end - v->vm_start) >> PAGE_SHIFT;
		if (v->vm_flags & VM_GROWSDOWN)
			vs->stack += pages;
		else if ((v->vm_flags & (VM_WRITE | VM_SHARED)) == VM_WRITE)
			vs->data += pages;
		else if ((v->vm_flags & (VM_EXEC | VM_WRITE)) == VM_EXEC)
			vs->exec += pages;
	}
}

/*
 * access_remote_vm: copy up to len bytes at user address addr of mm into buf,
 * reading the frames through the direct map, so mm need not be the current
 * address space. Stops at the first page that is not present (we do not
 * fault pages in for another process); returns the bytes copied.
 */
static size_t access_remote_vm(struct mm_struct *mm, uintptr_t addr, void *buf, size_t len)
{
	size_t done = 0;
	while (done < len) {
		uintptr_t a = addr + done;
		struct pt_mapping m;
		if (a < addr || a >= USER_TOP || !pt_lookup(mm->pgd, a, &m) || !(m.flags & PTE_U))
			break;
		size_t off = a - m.va;
		size_t n = m.size - off;
		if (n > len - done)
			n = len - done;
		memcpy((char *)buf + done, phys_to_virt(m.pa + off), n);
		done += n;
	}
	return done;
}

/* Linux's user-space dev_t encoding (glibc/musl major()/minor()), as st_dev. */
static unsigned dev_major(uint64_t dev)
{
	return (unsigned)(((dev >> 8) & 0xfff) | ((dev >> 32) & ~0xfffUL));
}

static unsigned dev_minor(uint64_t dev)
{
	return (unsigned)((dev & 0xff) | ((dev >> 12) & ~0xffUL));
}

/* ---------------------------------------------------------------- /proc/meminfo */

static void meminfo_line(struct seq *s, const char *name, unsigned long kb)
{
	seq_printf(s, "%-16s%8lu kB\n", name, kb);
}

static void show_meminfo(struct seq *s, struct task *unused)
{
	struct page_alloc_stats st;
	unsigned long anon = 0, mapped = 0, committed = 0, ntasks = 0;
	const unsigned long kb = PAGE_SIZE / 1024;
	(void)unused;

	page_alloc_stats(&st);
	for (struct list_head *l = all_tasks.next; l != &all_tasks; l = l->next) {
		struct task *t = list_entry(l, struct task, tasks);
		ntasks++;
		if (!t->mm || !first_user_of_mm(t))
			continue;
		/* A page shared copy-on-write after fork() counts once per
		 * address space here, where Linux counts it once. */
		anon += t->mm->rss_anon;
		mapped += t->mm->rss_file;
		/* Linux's accountable memory: private writable mappings */
		for (struct vm_area_struct *v = find_vma(t->mm, 0); v; v = vma_next(t->mm, v))
			if ((v->vm_flags & (VM_WRITE | VM_SHARED)) == VM_WRITE)
				committed += (v->vm_end - v->vm_start) >> PAGE_SHIFT;
	}
	unsigned long cached =
	    nr_cache_pages() + nr_shmem_pages(); /* Linux counts Shmem in Cached */

	meminfo_line(s, "MemTotal:", st.total_pages * kb);
	meminfo_line(s, "MemFree:", st.free_pages * kb);
	/* Nothing else is reclaimable: no swap, and slab caches are not shrunk. */
	meminfo_line(s, "MemAvailable:", (st.free_pages + nr_cache_pages()) * kb); /* not Shmem */
	meminfo_line(s, "Buffers:", 0);
	meminfo_line(s, "Cached:", cached * kb);
	meminfo_line(s, "SwapCached:", 0);
	/* There are no LRU lists, so no active/inactive split. */
	meminfo_line(s, "Active:", 0);
	meminfo_line(s, "Inactive:", 0);
	meminfo_line(s, "Active(anon):", 0);
	meminfo_line(s, "Inactive(anon):", 0);
	meminfo_line(s, "Active(file):", 0);
	meminfo_line(s, "Inactive(file):", 0);
	meminfo_line(s, "Unevictable:", 0);
	meminfo_line(s, "Mlocked:", 0);
	meminfo_line(s, "SwapTotal:", 0);
	meminfo_line(s, "SwapFree:", 0);
	meminfo_line(s, "Dirty:", 0);
	meminfo_line(s, "Writeback:", 0);
	meminfo_line(s, "AnonPages:", anon * kb);
	meminfo_line(s, "Mapped:", mapped * kb);
	meminfo_line(s, "Shmem:", nr_shmem_pages() * 4);
	/* The slab allocator keeps no global page count (no list of caches);
	 * its pages show up only as missing from MemFree. */
	meminfo_line(s, "KReclaimable:", 0);
	meminfo_line(s, "Slab:", 0);
	meminfo_line(s, "SReclaimable:", 0);
	meminfo_line(s, "SUnreclaim:", 0);
	meminfo_line(s, "KernelStack:", ntasks * (KSTACK_SIZE / 1024));
	meminfo_line(s, "PageTables:", pt_pages() * kb);
	meminfo_line(s, "NFS_Unstable:", 0);
	meminfo_line(s, "Bounce:", 0);
	meminfo_line(s, "WritebackTmp:", 0);
	/* Linux's default: overcommit_ratio 50% of RAM, plus swap (none) */
	meminfo_line(s, "CommitLimit:", st.total_pages / 2 * kb);
	meminfo_line(s, "Committed_AS:", committed * kb);
}

/* ---------------------------------------------------------------- /proc/vmstat */

static void show_vmstat(struct seq *s, struct task *unused)
{
	struct page_alloc_stats st;
	unsigned long anon = 0, mapped = 0;
	(void)unused;

	page_alloc_stats(&st);
	for (struct list_head *l = all_tasks.next; l != &all_tasks; l = l->next) {
		struct task *t = list_entry(l, struct task, tasks);
		if (t->mm && first_user_of_mm(t)) {
			anon += t->mm->rss_anon;
			mapped += t->mm->rss_file;
		}
	}
	/* counters first, then events, in Linux's order */
	seq_printf(s, "nr_free_pages %lu\n", st.free_pages);
	seq_printf(s, "nr_anon_pages %lu\n", anon);
	seq_printf(s, "nr_mapped %lu\n", mapped);
	seq_printf(s, "nr_file_pages %lu\n", nr_cache_pages() + nr_shmem_pages());
	seq_printf(s, "nr_shmem %lu\n", nr_shmem_pages());
	seq_printf(s, "nr_page_table_pages %lu\n", pt_pages());
	/* moo has one zone: all allocations are Linux's ZONE_NORMAL */
	seq_printf(s, "pgalloc_normal %lu\n", st.pgalloc);
	seq_printf(s, "pgalloc %lu\n", st.pgalloc);
	seq_printf(s, "pgfree %lu\n", st.pgfree);
	for (int i = 0; i < NR_VM_EVENTS; i++)
		seq_printf(s, "%s %lu\n", vm_event_names[i], vm_events[i]);
}

/* ---------------------------------------------------------------- /proc/uptime */

static void show_uptime(struct seq *s, struct task *unused)
{
	uint64_t t = timer_ticks();
	(void)unused;
	/* The second field, time spent idle, is not tracked. */
	seq_printf(s, "%lu.%02lu 0.00\n", (unsigned long)(t / HZ),
		   (unsigned long)(t % HZ * 100 / HZ));
}

/* ---------------------------------------------------------------- /proc/PID/stat */

/* sig_masks: Linux's ignored and caught sets, from the handlers. */
static void sig_masks(const struct task *t, sigset_t *ign, sigset_t *cgt)
{
	*ign = *cgt = 0;
	for (int sig = 1; sig <= NSIG; sig++) {
		uint64_t h = t->sig.action[sig].handler;
		if (h == SIG_IGN)
			*ign |= sigmask(sig);
		else if (h != SIG_DFL)
			*cgt |= sigmask(sig);
	}
}

static void show_stat(struct seq *s, struct task *t)
{
	struct mm_struct *mm = t->mm; /* NULL for a zombie */
	sigset_t ign, cgt;
	sig_masks(t, &ign, &cgt);

	/* 1-7: pid (comm) state ppid pgrp session tty_nr (5:1, the console) */
	seq_printf(s, "%d (%s) %c %d %d %d %d", t->pid, t->comm, task_state_char(t), task_ppid(t),
		   t->pgrp, t->sid, 0x0501);
	/* 8-13: tpgid (not tracked) flags minflt cminflt majflt cmajflt */
	seq_printf(s, " %d %u %lu %lu %lu %lu", -1, 0u, (unsigned long)t->min_flt,
		   (unsigned long)t->cmin_flt, (unsigned long)t->maj_flt,
		   (unsigned long)t->cmaj_flt);
	/* 14-17: utime stime cutime cstime, in ticks: HZ equals Linux's USER_HZ */
	seq_printf(s, " %lu %lu %ld %ld", (unsigned long)t->utime, (unsigned long)t->stime,
		   (long)t->cutime, (long)t->cstime);
	/* 18-22: priority (20 = nice 0) nice num_threads itrealvalue starttime */
	seq_printf(s, " %d %d %d %d %lu", 20, 0, 1, 0, (unsigned long)t->start_tick);
	/* 23-28: vsize (bytes) rss (pages) rsslim (RLIM_INFINITY) startcode endcode startstack */
	seq_printf(s, " %lu %lu %lu %lu %lu %lu", mm ? mm->total_vm * PAGE_SIZE : 0,
		   mm ? mm->rss_anon + mm->rss_file : 0, ~0UL, mm ? mm->start_code : 0,
		   mm ? mm->end_code : 0, mm ? mm->start_stack : 0);
	/* 29-35: kstkesp kstkeip (0 as Linux unless dumping core), then the
	 * obsolete decimal signal masks (Linux shows only the low 31 bits),
	 * then wchan: 0 or 1 as Linux >= 5.16, which hides the address */
	seq_printf(s, " 0 0 %lu %lu %lu %lu %d", (unsigned long)(t->sig.pending & 0x7fffffffUL),
		   (unsigned long)(t->sig.blocked & 0x7fffffffUL),
		   (unsigned long)(ign & 0x7fffffffUL), (unsigned long)(cgt & 0x7fffffffUL),
		   t->state == TASK_SLEEPING);
	/* 36-44: nswap cnswap exit_signal (SIGCHLD) processor rt_priority policy
	 * delayacct_blkio_ticks guest_time cguest_time */
	seq_printf(s, " 0 0 %d 0 0 0 0 0 0", SIGCHLD);
	/* 45-51: start_data end_data start_brk arg_start arg_end env_start env_end */
	if (mm)
		seq_printf(s, " %lu %lu %lu %lu %lu %lu %lu", mm->start_data, mm->end_data,
			   mm->start_brk, mm->arg_start, mm->arg_end, mm->env_start, mm->env_end);
	else
		seq_puts(s, " 0 0 0 0 0 0 0");
	/* 52: exit_code, the wait status */
	seq_printf(s, " %d\n", t->state == TASK_ZOMBIE ? t->exit_code : 0);
}

/* ---------------------------------------------------------------- /proc/PID/status */

static void status_kb(struct seq *s, const char *name, unsigned long kb)
{
	seq_printf(s, "%s\t%8lu kB\n", name, kb);
}

static void show_status(struct seq *s, struct task *t)
{
	struct mm_struct *mm = t->mm;
	int ppid = task_ppid(t);
	const unsigned long kb = PAGE_SIZE / 1024;
	sigset_t ign, cgt;

	/* Linux escapes '\n' and '\\' in the name here (not in stat) */
	seq_puts(s, "Name:\t");
	for (const char *c = t->comm; *c; c++) {
		if (*c == '\n')
			seq_puts(s, "\\n");
		else if (*c == '\\')
			seq_puts(s, "\\\\");
		else
			seq_putc(s, *c);
	}
	seq_printf(s, "\nUmask:\t0022\nState:\t%s\n", task_state_name(t));
	seq_printf(s, "Tgid:\t%d\nNgid:\t0\nPid:\t%d\nPPid:\t%d\nTracerPid:\t0\n", t->pid, t->pid,
		   ppid);
	seq_puts(s, "Uid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\n");
	seq_printf(s, "FDSize:\t%d\nGroups:\t \n", NOFILE);
	seq_printf(s, "NStgid:\t%d\nNSpid:\t%d\nNSpgid:\t%d\nNSsid:\t%d\n", t->pid, t->pid, t->pgrp,
		   t->sid);
	if (mm) { /* Linux omits the memory lines for a zombie */
		struct vm_sizes vs;
		mm_vm_sizes(mm, &vs);
		/* VmExe is the program's text; other executable mappings are VmLib */
		unsigned long text = PAGE_ALIGN(mm->end_code) - (mm->start_code & PAGE_MASK);
		if (text > vs.exec * PAGE_SIZE)
			text = vs.exec * PAGE_SIZE;
		status_kb(s, "VmSize:", mm->total_vm * kb);
		status_kb(s, "VmLck:", 0);
		status_kb(s, "VmPin:", 0);
		status_kb(s, "VmRSS:", (mm->rss_anon + mm->rss_file) * kb);
		status_kb(s, "RssAnon:", mm->rss_anon * kb);
		status_kb(s, "RssFile:", mm->rss_file * kb);
		status_kb(s, "RssShmem:", 0);
		status_kb(s, "VmData:", vs.data * kb);
		status_kb(s, "VmStk:", vs.stack * kb);
		status_kb(s, "VmExe:", text / 1024);
		status_kb(s, "VmLib:", (vs.exec * PAGE_SIZE - text) / 1024);
		status_kb(s, "VmSwap:", 0);
	}
	seq_puts(s, "Threads:\t1\n");
	sig_masks(t, &ign, &cgt);
	seq_printf(s, "SigPnd:\t%016lx\nShdPnd:\t%016lx\n", (unsigned long)t->sig.pending, 0UL);
	seq_printf(s, "SigBlk:\t%016lx\nSigIgn:\t%016lx\nSigCgt:\t%016lx\n",
		   (unsigned long)t->sig.blocked, (unsigned long)ign, (unsigned long)cgt);
}

/* ---------------------------------------------------------------- /proc/PID/maps */

/* vma_name: what Linux prints after the inode number, or NULL. */
static const char *vma_name(struct mm_struct *mm, struct vm_area_struct *v)
{
	if (v->vm_file)
		return v->vm_file->path; /* NULL if the file was opened without a name */
	if (mm->brk > mm->start_brk && v->vm_start < mm->brk && v->vm_end > mm->start_brk)
		return "[heap]";
	if ((v->vm_flags & VM_GROWSDOWN) ||
	    (v->vm_start < mm->start_stack && mm->start_stack <= v->vm_end))
		return "[stack]";
	return NULL;
}

static void show_maps(struct seq *s, struct task *t)
{
	struct mm_struct *mm = t->mm;
	if (!mm)
		return; /* a zombie has no address space: empty, as Linux */
	for (struct vm_area_struct *v = find_vma(mm, 0); v; v = vma_next(mm, v)) {
		unsigned long f = v->vm_flags, ino = 0;
		uint64_t dev = 0, off = 0;
		size_t start = s->len;
		if (v->vm_file) {
			struct inode *i = v->vm_file->inode;
			ino = i->ino;
			dev = i->sb ? i->sb->dev : 0;
			off = (uint64_t)v->vm_pgoff << PAGE_SHIFT;
		}
		/* the trailing space is Linux's too, even with no name */
		seq_printf(s, "%08lx-%08lx %c%c%c%c %08lx %02x:%02x %lu ", v->vm_start, v->vm_end,
			   f & VM_READ ? 'r' : '-', f & VM_WRITE ? 'w' : '-',
			   f & VM_EXEC ? 'x' : '-', f & VM_SHARED ? 's' : 'p', (unsigned long)off,
			   dev_major(dev), dev_minor(dev), ino);
		const char *name = vma_name(mm, v);
		if (name) {
			/* names start at column 73: 25 + 6 * sizeof(void *) - 1,
			 * then the one space seq_pad adds */
			seq_pad(s, start, 25 + 6 * sizeof(void *) - 1);
			seq_putc(s, ' ');
			seq_puts(s, name);
		}
		seq_putc(s, '\n');
	}
}

/* ---------------------------------------------------------------- /proc/PID/cmdline, comm */

static void show_cmdline(struct seq *s, struct task *t)
{
	struct mm_struct *mm = t->mm;
	if (!mm || mm->arg_end <= mm->arg_start)
		return; /* a zombie's (or a kernel task's) is empty, as Linux */
	size_t want = mm->arg_end - mm->arg_start;
	size_t room = s->size - s->len;
	if (want > room) {
		want = room;
		s->overflow = true;
	}
	/* straight into the buffer: the arguments are NUL-separated bytes */
	s->len += access_remote_vm(mm, mm->arg_start, s->buf + s->len, want);
}

static void show_comm(struct seq *s, struct task *t)
{
	seq_printf(s, "%s\n", t->comm);
}

/* ---------------------------------------------------------------- the tree */

struct proc_entry {
	const char *name;
	unsigned long ino; /* top level: the inode number; in /proc/PID: the low byte */
	void (*show)(struct seq *s, struct task *t);
};

static const struct proc_entry root_entries[] = {
    {"meminfo", 2, show_meminfo},
    {"uptime", 3, show_uptime},
    {"vmstat", 4, show_vmstat},
};
#define NR_ROOT_ENTRIES (sizeof(root_entries) / sizeof(root_entries[0]))

static const struct proc_entry pid_entries[] = {
    {"cmdline", 1, show_cmdline}, {"comm", 2, show_comm},     {"maps", 3, show_maps},
    {"stat", 4, show_stat},       {"status", 5, show_status},
};
#define NR_PID_ENTRIES (sizeof(pid_entries) / sizeof(pid_entries[0]))

static unsigned long pid_ino(int pid, unsigned long index)
{
	return ((unsigned long)pid << 8) | index;
}

/* What a procfs inode is: a file (entry) of process pid (0: top level), or,
 * with no entry, the directory /proc/PID. The root has no proc_inode. */
struct proc_inode {
	int pid;
	const struct proc_entry *entry;
};

static struct super_block proc_sb = {
    .fstype = "proc",
    .dev = PROC_DEV,
    .read_only = true,
};
static struct inode *proc_root;

static ssize_t proc_read(struct file *f, char __user *buf, size_t n, off_t *pos);
static ssize_t proc_write(struct file *f, const char __user *buf, size_t n, off_t *pos);
static int proc_open(struct inode *ino, struct file *f);
static void proc_release(struct file *f);
static struct inode *proc_root_lookup(struct inode *dir, const char *name);
static int proc_root_readdir(struct inode *dir, unsigned long index, char *name, size_t size,
			     unsigned long *ino, unsigned *type);
static struct inode *proc_pid_lookup(struct inode *dir, const char *name);
static int proc_pid_readdir(struct inode *dir, unsigned long index, char *name, size_t size,
			    unsigned long *ino, unsigned *type);

static const struct file_operations proc_file_fops = {
    .read = proc_read,
    .write = proc_write,
    .open = proc_open,
    .release = proc_release,
};

static const struct inode_operations proc_root_iops = {
    .lookup = proc_root_lookup,
    .readdir = proc_root_readdir,
};

static const struct inode_operations proc_pid_iops = {
    .lookup = proc_pid_lookup,
    .readdir = proc_pid_readdir,
};

static void proc_destroy(struct inode *ino)
{
	kfree(ino->private);
	ino->private = NULL;
}

/* proc_inode_new: a referenced inode for entry of pid (entry NULL: the
 * directory /proc/PID), or NULL when out of memory. */
static struct inode *proc_inode_new(int pid, const struct proc_entry *entry)
{
	struct proc_inode *pi = kmalloc(sizeof(*pi));
	if (!pi)
		return NULL;
	struct inode *ino = inode_new(&proc_sb, entry ? S_IFREG | 0444 : S_IFDIR | 0555);
	if (!ino) {
		kfree(pi);
		return NULL;
	}
	pi->pid = pid;
	pi->entry = entry;
	ino->private = pi;
	ino->destroy = proc_destroy;
	if (entry) {
		ino->ino = pid ? pid_ino(pid, entry->ino) : entry->ino;
		ino->fops = &proc_file_fops;
	} else {
		ino->ino = pid_ino(pid, 0);
		ino->nlink = 2;
		ino->iops = &proc_pid_iops;
		ino->parent = proc_root; /* for "..": the root lives as long as the mount */
	}
	return ino;
}

/* parse_pid: the pid a /proc entry name spells, or -1. Like Linux, only
 * canonical decimal: no sign, no leading zeros. */
static int parse_pid(const char *name)
{
	long v = 0;
	if (!name[0] || (name[0] == '0' && name[1]))
		return -1;
	for (const char *c = name; *c; c++) {
		if (*c < '0' || *c > '9')
			return -1;
		v = v * 10 + (*c - '0');
		if (v > 0x7fffffff)
			return -1;
	}
	return (int)v;
}

static struct inode *proc_root_lookup(struct inode *dir, const char *name)
{
	(void)dir;
	for (size_t i = 0; i < NR_ROOT_ENTRIES; i++)
		if (!strcmp(name, root_entries[i].name))
			return proc_inode_new(0, &root_entries[i]);
	/* Linux makes self a symlink to PID; a directory does the same job
	 * without symlinks in the VFS. */
	if (!strcmp(name, "self"))
		return current->pid > 0 ? proc_inode_new(current->pid, NULL) : NULL;
	int pid = parse_pid(name);
	if (pid > 0 && proc_task(pid))
		return proc_inode_new(pid, NULL);
	return NULL;
}

/* Entries: the top-level files, "self", then a directory per task in pid
 * order (tasks are appended to all_tasks as pids are handed out). */
static int proc_root_readdir(struct inode *dir, unsigned long index, char *name, size_t size,
			     unsigned long *ino, unsigned *type)
{
	(void)dir;
	if (index < NR_ROOT_ENTRIES) {
		strlcpy(name, root_entries[index].name, size);
		*ino = root_entries[index].ino;
		*type = DT_REG;
		return 0;
	}
	index -= NR_ROOT_ENTRIES;
	if (index == 0) {
		strlcpy(name, "self", size);
		*ino = pid_ino(current->pid, 0);
		*type = DT_DIR;
		return 0;
	}
	index--;
	for (struct list_head *l = all_tasks.next; l != &all_tasks; l = l->next) {
		struct task *t = list_entry(l, struct task, tasks);
		if (t->pid <= 0 || index--)
			continue;
		snprintf(name, size, "%d", t->pid);
		*ino = pid_ino(t->pid, 0);
		*type = DT_DIR;
		return 0;
	}
	return -ENOENT;
}

static struct inode *proc_pid_lookup(struct inode *dir, const char *name)
{
	struct proc_inode *pi = dir->private;
	if (!proc_task(pi->pid))
		return NULL; /* the process is gone: so are its files */
	for (size_t i = 0; i < NR_PID_ENTRIES; i++)
		if (!strcmp(name, pid_entries[i].name))
			return proc_inode_new(pi->pid, &pid_entries[i]);
	return NULL;
}

static int proc_pid_readdir(struct inode *dir, unsigned long index, char *name, size_t size,
			    unsigned long *ino, unsigned *type)
{
	struct proc_inode *pi = dir->private;
	if (index >= NR_PID_ENTRIES || !proc_task(pi->pid))
		return -ENOENT;
	strlcpy(name, pid_entries[index].name, size);
	*ino = pid_ino(pi->pid, pid_entries[index].ino);
	*type = DT_REG;
	return 0;
}

/* ---------------------------------------------------------------- file operations */

static int proc_open(struct inode *ino, struct file *f)
{
	struct proc_inode *pi = ino->private;
	size_t size = PAGE_SIZE;

	for (;;) {
		struct task *t = NULL;
		if (pi->pid && !(t = proc_task(pi->pid)))
			return -ESRCH; /* exited between lookup and open */
		struct proc_buf *pb = kmalloc(size);
		if (!pb)
			return -ENOMEM;
		struct seq s = {.buf = pb->data, .size = size - sizeof(*pb)};
		pi->entry->show(&s, t);
		if (!s.overflow || size >= PROC_BUF_MAX) {
			pb->len = s.len;
			f->private = pb;
			return 0;
		}
		kfree(pb);
		size *= 2;
	}
}

static void proc_release(struct file *f)
{
	kfree(f->private);
	f->private = NULL;
}

static ssize_t proc_read(struct file *f, char __user *buf, size_t n, off_t *pos)
{
	struct proc_buf *pb = f->private;
	if (*pos < 0)
		return -EINVAL;
	if ((uint64_t)*pos >= pb->len)
		return 0;
	size_t avail = pb->len - (size_t)*pos;
	if (n > avail)
		n = avail;
	if (copy_to_user(buf, pb->data + *pos, n))
		return -EFAULT;
	*pos += (off_t)n;
	return (ssize_t)n;
}

static ssize_t proc_write(struct file *f, const char __user *buf, size_t n, off_t *pos)
{
	(void)f, (void)buf, (void)n, (void)pos;
	return -EACCES; /* every procfs file is read-only (0444) */
}

struct inode *procfs_init(void)
{
	if (proc_root) { /* one procfs: a second mount shares it */
		iget(proc_root);
		return proc_root;
	}
	/* Our pointer keeps no reference: the mount's one keeps the root alive
	 * for good (there is no umount), and /proc/PID's ".." relies on that. */
	proc_root = inode_new(&proc_sb, S_IFDIR | 0555);
	if (!proc_root)
		return NULL;
	proc_root->ino = PROC_ROOT_INO;
	proc_root->nlink = 2;
	proc_root->iops = &proc_root_iops;
	return proc_root;
}
