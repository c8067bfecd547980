/*
 * rtc.c - the wall-clock time at boot, from the CMOS real-time clock.
 * After boot, time advances with the timer tick (kernel/fs/inode.c).
 */
#include "kernel/x86.h"
#include <stdint.h>

static uint8_t cmos(uint8_t reg)
{
	outb(0x70, reg);
	return inb(0x71);
}

static int bcd(int v)
{
	return (v & 15) + (v >> 4) * 10;
}

/* days_from_civil: days since 1970-01-01 of a Gregorian date (H. Hinnant's algorithm). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int64_t rtc_read_epoch(void)
{
	while (cmos(0x0a) & 0x80) /* wait while an update is in progress */
		;
	int sec = cmos(0x00), min = cmos(0x02), hour = cmos(0x04);
	int day = cmos(0x07), mon = cmos(0x08), year = cmos(0x09);
	if (!(cmos(0x0b) & 0x04)) { /* BCD unless status register B says binary */
		sec = bcd(sec), min = bcd(min), hour = bcd(hour & 0x7f);
		day = bcd(day), mon = bcd(mon), year = bcd(year);
	}
	return days_from_civil(2000 + year, mon, day) * 86400 + hour * 3600 + min * 60 + sec;
}
