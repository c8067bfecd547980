/* exit.h - process exit, wait4, and the wait-status encoding. */
#ifndef MOO_KERNEL_EXIT_H
#define MOO_KERNEL_EXIT_H

/* Linux's wait status: exit code in bits 8-15, or the signal in bits 0-6. */
#define W_EXITCODE(code) (((code)&0xff) << 8)
#define W_SIGNALED(sig)  ((sig)&0x7f)

/* do_exit: end the current task with a wait status; never returns. */
__attribute__((noreturn)) void do_exit(int status);

#endif
