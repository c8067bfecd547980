/* exit.h - process exit, wait4, and the wait-status encoding. */
#ifndef MOO_KERNEL_EXIT_H
#define MOO_KERNEL_EXIT_H

/* Linux's wait status: exit code in bits 8-15, or the signal in bits 0-6. */
#define W_EXITCODE(code) (((code)&0xff) << 8)
#define W_SIGNALED(sig)  ((sig)&0x7f)

#include <stdint.h>

/* Linux's struct rusage: times as timevals, then 14 longs of counters. */
struct rusage {
	struct {
		int64_t sec, usec;
	} utime, stime;
	int64_t maxrss, ixrss, idrss, isrss, minflt, majflt, nswap, inblock, oublock;
	int64_t msgsnd, msgrcv, nsignals, nvcsw, nivcsw;
};

/* fill_rusage: a struct rusage from ticks of user/system time and fault counts. */
void fill_rusage(struct rusage *ru, uint64_t ut, uint64_t st, uint64_t minflt, uint64_t majflt);

/* do_exit: end the current task with a wait status; never returns. */
__attribute__((noreturn)) void do_exit(int status);

#endif
