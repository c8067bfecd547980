/*
 * poweroff.c - turn the machine off at once, with reboot(RB_POWER_OFF).
 *
 * Nothing is synced or stopped first. Do not run this on a Linux host: as
 * root it really powers the machine off.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/reboot.h>

int main(void)
{
	reboot(RB_POWER_OFF);
	/* only reached when the kernel refused */
	fprintf(stderr, "poweroff: %s\n", strerror(errno));
	return 1;
}
