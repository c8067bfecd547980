/*
 * linux-init - /init of the tiny initramfs that `make bench` boots Linux
 * with: the same benchmark binary as on moo, on the same QEMU machine.
 *
 * It mounts what membench needs (devtmpfs for the console, proc, a tmpfs
 * for the file-mapping test), runs "/membench ARGS..." (its arguments come
 * from the kernel command line after "--"), prints the same exit marker
 * as moo's init ("ESC ] moo;exit=N BEL") and powers off.
 */
#include <fcntl.h>
#include <stdio.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	mkdir("/dev", 0755);
	mkdir("/proc", 0755);
	mkdir("/tmp", 01777);
	mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	mount("proc", "/proc", "proc", 0, NULL);
	mount("tmpfs", "/tmp", "tmpfs", 0, NULL);
	int fd = open("/dev/console", O_RDWR);
	if (fd >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
	}
	int status = 127;
	pid_t pid = fork();
	if (pid == 0) {
		argv[0] = "/membench";
		execv(argv[0], argv);
		perror("init: /membench");
		_exit(127);
	}
	(void)argc;
	int st;
	if (pid > 0 && waitpid(pid, &st, 0) == pid)
		status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	printf("\033]moo;exit=%d\007", status);
	fflush(stdout);
	sync();
	reboot(RB_POWER_OFF);
	return 0;
}
