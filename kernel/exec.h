/* exec.h - running programs. */
#ifndef MOO_KERNEL_EXEC_H
#define MOO_KERNEL_EXEC_H

/* kernel_execve: execve() with kernel-memory arguments (for starting init). */
int kernel_execve(const char *path, char *const argv[], char *const envp[]);

#endif
