/*
 * tty.c - the console terminal (/dev/console) and its line discipline.
 *
 * Output goes straight to the consoles (console_write_raw: COM1 and VGA)
 * after output processing (OPOST/ONLCR). Input arrives one byte at a time
 * from the COM1 receive interrupt and goes through a small version of
 * Linux's n_tty: input mapping (ICRNL...), signal characters (ISIG: ^C ^\ ^Z
 * to the foreground process group), line editing in canonical mode (ICANON:
 * erase, word erase, kill, EOF, literal next) and echo.
 *
 * The input queue is a ring of TTY_BUF_SIZE bytes with three free-running
 * counters, head <= canon <= tail:
 *
 *   [head, canon)  what readers may take: complete lines in canonical mode,
 *                  every byte received in raw mode
 *   [canon, tail)  the line being edited (canonical mode only)
 *
 * Each slot has a flag byte: TTY_DELIM marks the last byte of a line (a
 * read() in canonical mode stops after it), TTY_EOF marks a slot that holds
 * no data but ends a line (VEOF); a read that meets it at the start of a
 * line returns 0, the end of file.
 *
 * The interrupt handler changes the queue, so process code disables
 * interrupts around every look at it, and checks "is there input?" and
 * sleeps with interrupts still off (sleep_on_irqoff), or the wake-up could
 * come between the two and be lost. Readers copy bytes out into a small
 * kernel buffer with interrupts off, then to the user with them on; a fault
 * there loses those bytes, as on Linux.
 */
#include "kernel/fs/fs.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/serial.h"
#include "kernel/signal.h"
#include "kernel/task.h"
#include "kernel/trap.h"
#include "kernel/x86.h"
#include "mm/uaccess.h"

/* struct termios and its bits: Linux's kernel ABI (asm-generic/termbits.h) */
#define NCCS 19
struct termios {
	uint32_t c_iflag, c_oflag, c_cflag, c_lflag;
	uint8_t c_line;
	uint8_t c_cc[NCCS];
};

#define VINTR    0
#define VQUIT    1
#define VERASE   2
#define VKILL    3
#define VEOF     4
#define VTIME    5
#define VMIN     6
#define VSWTC    7
#define VSTART   8
#define VSTOP    9
#define VSUSP    10
#define VEOL     11
#define VREPRINT 12
#define VDISCARD 13
#define VWERASE  14
#define VLNEXT   15
#define VEOL2    16

/* c_iflag */
#define ISTRIP 0x020
#define INLCR  0x040
#define IGNCR  0x080
#define ICRNL  0x100
#define IXON   0x400
/* c_oflag */
#define OPOST 0x01
#define ONLCR 0x04
/* c_cflag */
#define B38400 0x0000000f
#define CS8    0x00000030
#define CREAD  0x00000080
#define HUPCL  0x00000400
/* c_lflag */
#define ISIG    0x00001
#define ICANON  0x00002
#define ECHO    0x00008
#define ECHOE   0x00010
#define ECHOK   0x00020
#define ECHONL  0x00040
#define NOFLSH  0x00080
#define ECHOCTL 0x00200
#define ECHOKE  0x00800
#define IEXTEN  0x08000

/* ioctl requests (asm-generic/ioctls.h) */
#define TCGETS     0x5401
#define TCSETS     0x5402
#define TCSETSW    0x5403
#define TCSETSF    0x5404
#define TCSBRK     0x5409
#define TCFLSH     0x540B
#define TIOCSCTTY  0x540E
#define TIOCGPGRP  0x540F
#define TIOCSPGRP  0x5410
#define TIOCGWINSZ 0x5413
#define TIOCSWINSZ 0x5414
#define FIONREAD   0x541B
#define TIOCNOTTY  0x5422

#define TCIFLUSH  0
#define TCOFLUSH  1
#define TCIOFLUSH 2

struct winsize {
	unsigned short ws_row, ws_col, ws_xpixel, ws_ypixel;
};

#define COM1_IRQ     4
#define TTY_BUF_SIZE 4096 /* a power of two: counters are masked into the ring */
#define TTY_DELIM    1
#define TTY_EOF      2

static struct termios termios = {
    .c_iflag = ICRNL | IXON,
    .c_oflag = OPOST | ONLCR,
    .c_cflag = B38400 | CS8 | CREAD | HUPCL,
    .c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN,
    .c_cc = {[VINTR] = 3,
	     [VQUIT] = 28,
	     [VERASE] = 127,
	     [VKILL] = 21,
	     [VEOF] = 4,
	     [VTIME] = 0,
	     [VMIN] = 1,
	     [VSTART] = 17,
	     [VSTOP] = 19,
	     [VSUSP] = 26,
	     [VEOL] = 0,
	     [VREPRINT] = 18,
	     [VDISCARD] = 15,
	     [VWERASE] = 23,
	     [VLNEXT] = 22,
	     [VEOL2] = 0},
};
static struct winsize winsize = {.ws_row = 25, .ws_col = 80};
static int fg_pgrp = 1; /* the foreground process group: init's, until a shell sets one */

static struct {
	char buf[TTY_BUF_SIZE];
	uint8_t flags[TTY_BUF_SIZE];
	unsigned head, canon, tail; /* see the header comment */
	bool lnext;                 /* the previous byte was VLNEXT: take this one literally */
} in;

#define SLOT(i) ((i) & (TTY_BUF_SIZE - 1))

static unsigned long irq_save(void)
{
	unsigned long flags = read_rflags();
	cli();
	return flags;
}

static void irq_restore(unsigned long flags)
{
	if (flags & RFLAGS_IF)
		sti();
}

/* ---------------------------------------------------------------- output */

/* tty_output: n bytes to the consoles, with output processing (echo uses it too). */
static void tty_output(const char *s, size_t n)
{
	char out[128];
	size_t k = 0;
	bool onlcr = (termios.c_oflag & (OPOST | ONLCR)) == (OPOST | ONLCR);

	for (size_t i = 0; i < n; i++) {
		if (k + 2 > sizeof(out)) {
			console_write_raw(out, k);
			k = 0;
		}
		if (s[i] == '\n' && onlcr)
			out[k++] = '\r';
		out[k++] = s[i];
	}
	console_write_raw(out, k);
}

static bool is_ctl(unsigned char c)
{
	return c < 32 || c == 127;
}

/* echo_char: c as the user should see it: control characters as ^X under ECHOCTL. */
static void echo_char(unsigned char c)
{
	if ((termios.c_lflag & ECHOCTL) && is_ctl(c) && c != '\n' && c != '\t') {
		char s[2] = {'^', (char)(c ^ 0x40)}; /* 127 shows as ^? */
		tty_output(s, 2);
	} else {
		tty_output((const char *)&c, 1);
	}
}

/* echo_erase: rub out the echo of c (two columns if it was shown as ^X). */
static void echo_erase(unsigned char c)
{
	int cols = (termios.c_lflag & ECHOCTL) && is_ctl(c) && c != '\t' ? 2 : 1;
	while (cols--)
		tty_output("\b \b", 3);
}

/* ---------------------------------------------------------------- input (interrupt context) */

static bool is_cc(unsigned char c, int which)
{
	/* a c_cc entry of 0 is _POSIX_VDISABLE */
	return termios.c_cc[which] && c == termios.c_cc[which];
}

static void flush_input(void)
{
	in.head = in.canon = in.tail;
	in.lnext = false;
}

/* put: append one slot; false (and a beep) when the queue is full. */
static bool put(unsigned char c, uint8_t flags)
{
	/* in canonical mode keep the last slot for the line's end, so a full line can still end */
	unsigned limit = TTY_BUF_SIZE;
	if ((termios.c_lflag & ICANON) && !flags)
		limit--;
	if (in.tail - in.head >= limit) {
		if (termios.c_lflag & ECHO)
			tty_output("\a", 1);
		return false;
	}
	in.buf[SLOT(in.tail)] = (char)c;
	in.flags[SLOT(in.tail)] = flags;
	in.tail++;
	if (!(termios.c_lflag & ICANON) || flags)
		in.canon = in.tail;
	return true;
}

/* isig: a signal character: drop pending input, show it, signal the foreground group. */
static void isig(unsigned char c, int sig)
{
	if (!(termios.c_lflag & NOFLSH))
		flush_input();
	if (termios.c_lflag & ECHO) {
		echo_char(c);
		tty_output("\n", 1);
	}
	kill_pgrp(fg_pgrp, sig);
	wake_up(&in);
}

/* erase_one: remove the last byte of the line being edited; false if it is empty. */
static bool erase_one(void)
{
	if (in.tail == in.canon)
		return false;
	unsigned char c = in.buf[SLOT(--in.tail)];
	if ((termios.c_lflag & (ECHO | ECHOE)) == (ECHO | ECHOE))
		echo_erase(c);
	return true;
}

static unsigned char last_char(void)
{
	return in.buf[SLOT(in.tail - 1)];
}

/* canon_special: line editing characters; true if c was one (and is consumed). */
static bool canon_special(unsigned char c)
{
	uint32_t l = termios.c_lflag;

	if (is_cc(c, VERASE) || c == '\b') {
		if (erase_one() && (l & (ECHO | ECHOE)) == ECHO)
			echo_char(c); /* no visual erase: show the erase character instead */
		return true;
	}
	if (is_cc(c, VWERASE) && (l & IEXTEN)) {
		while (in.tail != in.canon && (last_char() == ' ' || last_char() == '\t'))
			erase_one();
		while (in.tail != in.canon && last_char() != ' ' && last_char() != '\t')
			erase_one();
		return true;
	}
	if (is_cc(c, VKILL)) {
		if ((l & ECHOKE) && (l & ECHOE)) {
			while (erase_one())
				;
		} else {
			in.tail = in.canon;
			if (l & ECHO) {
				echo_char(c);
				if (l & ECHOK)
					tty_output("\n", 1);
			}
		}
		return true;
	}
	if (is_cc(c, VEOF)) {
		/* the line ends here without a byte of its own */
		if (put(c, TTY_DELIM | TTY_EOF))
			wake_up(&in);
		return true;
	}
	if (c == '\n' || is_cc(c, VEOL) || (is_cc(c, VEOL2) && (l & IEXTEN))) {
		if (put(c, TTY_DELIM)) {
			if (l & (ECHO | ECHONL))
				echo_char(c);
			wake_up(&in);
		}
		return true;
	}
	return false;
}

/* map_input: the input flags' byte mapping; -1 to drop the byte (IGNCR). */
static int map_input(unsigned char c)
{
	uint32_t i = termios.c_iflag;
	if (i & ISTRIP)
		c &= 0x7f;
	if (c == '\r')
		return (i & IGNCR) ? -1 : (i & ICRNL) ? '\n' : '\r';
	if (c == '\n' && (i & INLCR))
		return '\r';
	return c;
}

/* signal_char: the signal c stands for under ISIG, or 0. */
static int signal_char(unsigned char c)
{
	if (!(termios.c_lflag & ISIG))
		return 0;
	if (is_cc(c, VINTR))
		return SIGINT;
	if (is_cc(c, VQUIT))
		return SIGQUIT;
	if (is_cc(c, VSUSP))
		return SIGTSTP;
	return 0;
}

/* tty_input_char: one received byte, in interrupt context. */
void tty_input_char(char ch)
{
	uint32_t l = termios.c_lflag;
	int c = map_input((unsigned char)ch), sig;

	if (c < 0)
		return;
	if (in.lnext) {
		in.lnext = false;
		if (l & ECHO)
			tty_output("\b", 1); /* rub out the "^" shown for VLNEXT */
	} else if ((sig = signal_char(c))) {
		isig(c, sig);
		return;
	} else if ((termios.c_iflag & IXON) && (is_cc(c, VSTOP) || is_cc(c, VSTART))) {
		return; /* flow control is not implemented, but ^S and ^Q are still not data */
	} else if ((l & IEXTEN) && is_cc(c, VLNEXT)) {
		in.lnext = true;
		if (l & ECHO)
			tty_output("^", 1);
		return;
	} else if ((l & ICANON) && canon_special(c)) {
		return;
	}
	if (put(c, 0)) {
		if (l & ECHO)
			echo_char(c);
		if (!(l & ICANON))
			wake_up(&in);
	}
}

static void tty_irq(struct trap_frame *tf)
{
	(void)tf;
	int c;
	while ((c = serial_getc()) >= 0)
		tty_input_char((char)c);
}

void tty_init(void)
{
	irq_register(COM1_IRQ, tty_irq);
	serial_enable_rx_irq();
}

/* ---------------------------------------------------------------- read */

/* wait_input: wait until a reader may take something; 0 or -errno. */
static int wait_input(struct file *f)
{
	int err = 0;
	unsigned long flags = irq_save();
	while (in.head == in.canon) {
		if (f->flags & O_NONBLOCK) {
			err = -EAGAIN;
			break;
		}
		if (sleep_on_irqoff(&in) < 0) {
			err = -ERESTARTSYS;
			break;
		}
	}
	irq_restore(flags);
	return err;
}

/*
 * take: move up to max bytes out of the readable part of the queue into
 * dst; *end is set when a line ended (canonical mode), the line's VEOF mark
 * included, which is consumed but not copied.
 */
static size_t take(char *dst, size_t max, bool *end)
{
	size_t k = 0;
	bool canon = termios.c_lflag & ICANON;
	unsigned long flags = irq_save();

	while (in.head != in.canon) {
		uint8_t fl = in.flags[SLOT(in.head)];
		if (fl & TTY_EOF) {
			in.head++;
			if (canon) {
				*end = true;
				break;
			}
			continue; /* queued before a switch to raw mode: no data */
		}
		if (k == max)
			break;
		dst[k++] = in.buf[SLOT(in.head++)];
		if (canon && (fl & TTY_DELIM)) {
			*end = true;
			break;
		}
	}
	irq_restore(flags);
	return k;
}

static ssize_t tty_read(struct file *f, char __user *buf, size_t n, off_t *pos)
{
	char kbuf[128];
	size_t done = 0, k;
	bool end = false;
	(void)pos;

	if (n == 0)
		return 0;
	/* ^C can flush the queue between the wait and the take: wait again then */
	do {
		int err = wait_input(f);
		if (err)
			return err;
		k = take(kbuf, n < sizeof(kbuf) ? n : sizeof(kbuf), &end);
	} while (k == 0 && !end);

	for (;;) {
		if (k && copy_to_user(buf + done, kbuf, k))
			return done ? (ssize_t)done : -EFAULT;
		done += k;
		if (end || done == n)
			break;
		/* a line continues (it is complete); raw mode takes what is there */
		k = take(kbuf, n - done < sizeof(kbuf) ? n - done : sizeof(kbuf), &end);
		if (k == 0 && !end)
			break;
	}
	return done;
}

/* ---------------------------------------------------------------- write */

static ssize_t tty_write(struct file *f, const char __user *buf, size_t n, off_t *pos)
{
	char kbuf[128];
	size_t done = 0;
	(void)f, (void)pos;

	while (done < n) {
		size_t k = n - done < sizeof(kbuf) ? n - done : sizeof(kbuf);
		if (copy_from_user(kbuf, buf + done, k))
			return done ? (ssize_t)done : -EFAULT;
		tty_output(kbuf, k);
		done += k;
	}
	return done;
}

/* ---------------------------------------------------------------- ioctl */

static long set_termios(const void __user *arg, bool flush)
{
	struct termios t;
	if (copy_from_user(&t, arg, sizeof(t)))
		return -EFAULT;
	unsigned long flags = irq_save();
	bool was_canon = termios.c_lflag & ICANON;
	termios = t;
	if (flush)
		flush_input();
	if (was_canon && !(t.c_lflag & ICANON))
		in.canon = in.tail; /* the partial line becomes readable */
	else if (!was_canon && (t.c_lflag & ICANON))
		in.canon = in.head; /* unread raw input becomes the line being edited */
	irq_restore(flags);
	wake_up(&in);
	return 0;
}

static bool pgrp_exists(int pgrp)
{
	for (struct list_head *l = all_tasks.next; l != &all_tasks; l = l->next)
		if (list_entry(l, struct task, tasks)->pgrp == pgrp)
			return true;
	return false;
}

static long set_pgrp(const int __user *arg)
{
	int pgrp;
	if (copy_from_user(&pgrp, arg, sizeof(pgrp)))
		return -EFAULT;
	if (pgrp < 0)
		return -EINVAL;
	if (!pgrp_exists(pgrp))
		return -ESRCH;
	fg_pgrp = pgrp;
	return 0;
}

static long set_winsize(const void __user *arg)
{
	struct winsize ws;
	if (copy_from_user(&ws, arg, sizeof(ws)))
		return -EFAULT;
	bool changed = ws.ws_row != winsize.ws_row || ws.ws_col != winsize.ws_col ||
		       ws.ws_xpixel != winsize.ws_xpixel || ws.ws_ypixel != winsize.ws_ypixel;
	winsize = ws;
	if (changed)
		kill_pgrp(fg_pgrp, SIGWINCH);
	return 0;
}

static long flush_ioctl(unsigned long queue)
{
	if (queue > TCIOFLUSH)
		return -EINVAL;
	if (queue != TCOFLUSH) { /* output is never queued: nothing to drop */
		unsigned long flags = irq_save();
		flush_input();
		irq_restore(flags);
	}
	return 0;
}

static long tty_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
{
	void __user *p = (void __user *)arg;
	(void)f;

	switch (cmd) {
	case TCGETS:
		return copy_to_user(p, &termios, sizeof(termios)) ? -EFAULT : 0;
	case TCSETS:
	case TCSETSW: /* output is written synchronously: nothing to drain */
		return set_termios(p, false);
	case TCSETSF:
		return set_termios(p, true);
	case TCSBRK: /* tcdrain() */
		return 0;
	case TCFLSH:
		return flush_ioctl(arg);
	case FIONREAD: {
		int avail = (int)(in.canon - in.head);
		return copy_to_user(p, &avail, sizeof(avail)) ? -EFAULT : 0;
	}
	case TIOCGWINSZ:
		return copy_to_user(p, &winsize, sizeof(winsize)) ? -EFAULT : 0;
	case TIOCSWINSZ:
		return set_winsize(p);
	case TIOCGPGRP:
		return copy_to_user(p, &fg_pgrp, sizeof(fg_pgrp)) ? -EFAULT : 0;
	case TIOCSPGRP:
		return set_pgrp(p);
	case TIOCSCTTY: /* one terminal, and everyone's: nothing to record */
	case TIOCNOTTY:
		return 0;
	default:
		return -ENOTTY;
	}
}

const struct file_operations tty_fops = {
    .read = tty_read,
    .write = tty_write,
    .ioctl = tty_ioctl,
};
