/*
 * printf.c - freestanding printf-style formatting for the kernel.
 *
 * Supported: %d %i %u %x %X %o %p %s %c %%, the flags "-0+ #", field width
 * and precision (either may be '*'), and the length modifiers hh h l ll z
 * (plus j and t, which cost nothing). The output matches glibc for all of
 * these, quirks included, so the host test can compare against libc.
 *
 * Deliberately missing: floating point (the kernel is built with
 * -mgeneral-regs-only), %n (a classic exploit primitive), wide characters
 * and positional arguments. An unknown conversion is echoed back the way
 * glibc does it, so a bad format string is visible in the output.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

/* Same directory, so this builds with or without -I. */
#include "kernel/printf.h"

/* Length modifiers: the type the argument was passed as. */
enum fmt_len { LEN_NONE, LEN_HH, LEN_H, LEN_L, LEN_LL, LEN_Z, LEN_J, LEN_T };

/* One parsed conversion specification. */
struct fmt_spec {
	bool left;  /* '-': pad on the right */
	bool plus;  /* '+': always print a sign */
	bool space; /* ' ': a space where '+' would go */
	bool alt;   /* '#': 0x for hex, leading 0 for octal */
	bool zero;  /* '0': pad numbers with zeros */
	int width;  /* minimum field width, 0 if none */
	int prec;   /* precision, -1 if none */
	enum fmt_len len;
};

/* The output side: the callback plus a count of what went through it. */
struct fmt_out {
	putc_fn fn;
	void *arg;
	size_t count;
};

static void emit(struct fmt_out *o, int c)
{
	o->fn(c, o->arg);
	o->count++;
}

static void emit_repeat(struct fmt_out *o, int c, long n)
{
	while (n-- > 0)
		emit(o, c);
}

/* Bytes of the field not covered by len characters of content. */
static long field_pad(const struct fmt_spec *s, long len)
{
	return s->width > len ? s->width - len : 0;
}

/*
 * Print one integer given as sign + magnitude. The layout is
 * [spaces] [sign] [0x] [zeros] digits [spaces], where the zeros come
 * from the precision, from '#' for octal, or from '0' filling the field.
 */
static void format_number(struct fmt_out *o, const struct fmt_spec *s, unsigned long long val,
			  bool negative, unsigned int base, bool upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24]; /* 64 bits take at most 22 octal digits */
	char prefix[3];
	int ndigits = 0, nprefix = 0;
	long zeros, pad;

	/* With precision 0, the value 0 prints no digits at all. */
	if (val != 0 || s->prec != 0) {
		unsigned long long v = val;

		do {
			tmp[ndigits++] = digits[v % base];
			v /= base;
		} while (v);
	}

	/* The caller clears plus/space for conversions that ignore them. */
	if (negative)
		prefix[nprefix++] = '-';
	else if (s->plus)
		prefix[nprefix++] = '+';
	else if (s->space)
		prefix[nprefix++] = ' ';
	if (s->alt && base == 16 && val != 0) {
		prefix[nprefix++] = '0';
		prefix[nprefix++] = upper ? 'X' : 'x';
	}

	zeros = s->prec > ndigits ? s->prec - ndigits : 0;
	/* '#' for octal: make sure the first digit printed is a 0. */
	if (s->alt && base == 8 && zeros == 0 && (ndigits == 0 || tmp[ndigits - 1] != '0'))
		zeros = 1;

	pad = field_pad(s, (long)nprefix + zeros + ndigits);
	/* '0' is ignored with '-' or with an explicit precision. */
	if (s->zero && !s->left && s->prec < 0) {
		zeros += pad;
		pad = 0;
	}

	if (!s->left)
		emit_repeat(o, ' ', pad);
	for (int i = 0; i < nprefix; i++)
		emit(o, prefix[i]);
	emit_repeat(o, '0', zeros);
	while (ndigits > 0)
		emit(o, tmp[--ndigits]);
	if (s->left)
		emit_repeat(o, ' ', pad);
}

/* Print a string, at most prec bytes of it; '0' never applies here. */
static void format_string(struct fmt_out *o, const struct fmt_spec *s, const char *str)
{
	long len = 0;
	long pad;

	/* glibc prints "(null)" only when it fits in the precision. */
	if (!str)
		str = (s->prec < 0 || s->prec >= 6) ? "(null)" : "";

	/* Stop at the precision: the string need not be NUL-terminated. */
	while ((s->prec < 0 || len < s->prec) && str[len])
		len++;

	pad = field_pad(s, len);
	if (!s->left)
		emit_repeat(o, ' ', pad);
	for (long i = 0; i < len; i++)
		emit(o, (unsigned char)str[i]);
	if (s->left)
		emit_repeat(o, ' ', pad);
}

static void format_char(struct fmt_out *o, const struct fmt_spec *s, int c)
{
	long pad = field_pad(s, 1);

	if (!s->left)
		emit_repeat(o, ' ', pad);
	emit(o, (unsigned char)c);
	if (s->left)
		emit_repeat(o, ' ', pad);
}

/*
 * Fetch an integer argument of the type named by the length modifier.
 * Narrow types arrive promoted to int and are cut back down here.
 * The va_list travels by pointer, hence the va_copy in vcbprintf().
 */
static long long fetch_signed(va_list *ap, enum fmt_len len)
{
	switch (len) {
	case LEN_HH:
		return (signed char)va_arg(*ap, int);
	case LEN_H:
		return (short)va_arg(*ap, int);
	case LEN_L:
		return va_arg(*ap, long);
	case LEN_LL:
		return va_arg(*ap, long long);
	case LEN_Z: /* the signed type of size_t's width */
		return (ptrdiff_t)va_arg(*ap, size_t);
	case LEN_J:
		return va_arg(*ap, intmax_t);
	case LEN_T:
		return va_arg(*ap, ptrdiff_t);
	default:
		return va_arg(*ap, int);
	}
}

static unsigned long long fetch_unsigned(va_list *ap, enum fmt_len len)
{
	switch (len) {
	case LEN_HH:
		return (unsigned char)va_arg(*ap, int);
	case LEN_H:
		return (unsigned short)va_arg(*ap, int);
	case LEN_L:
		return va_arg(*ap, unsigned long);
	case LEN_LL:
		return va_arg(*ap, unsigned long long);
	case LEN_Z:
		return va_arg(*ap, size_t);
	case LEN_J:
		return va_arg(*ap, uintmax_t);
	case LEN_T: /* the unsigned type of ptrdiff_t's width */
		return (size_t)va_arg(*ap, ptrdiff_t);
	default:
		return va_arg(*ap, unsigned int);
	}
}

/* Parse a decimal field, saturating instead of overflowing. */
static int parse_decimal(const char **p)
{
	int n = 0;

	while (**p >= '0' && **p <= '9') {
		int d = *(*p)++ - '0';

		n = n > (INT32_MAX - d) / 10 ? INT32_MAX : n * 10 + d;
	}
	return n;
}

/*
 * Parse flags, width, precision and length after a '%'. On return *p
 * points at the conversion character.
 */
static void parse_spec(const char **p, struct fmt_spec *s, va_list *ap)
{
	*s = (struct fmt_spec){.prec = -1, .len = LEN_NONE};

	for (;; (*p)++) {
		if (**p == '-')
			s->left = true;
		else if (**p == '+')
			s->plus = true;
		else if (**p == ' ')
			s->space = true;
		else if (**p == '#')
			s->alt = true;
		else if (**p == '0')
			s->zero = true;
		else
			break;
	}

	if (**p == '*') {
		int w = va_arg(*ap, int);

		(*p)++;
		/* A negative '*' width means '-' plus the absolute value. */
		if (w < 0) {
			s->left = true;
			w = w == INT32_MIN ? INT32_MAX : -w;
		}
		s->width = w;
	} else {
		s->width = parse_decimal(p);
	}

	if (**p == '.') {
		(*p)++;
		if (**p == '*') {
			int prec = va_arg(*ap, int);

			(*p)++;
			/* A negative '*' precision is taken as omitted. */
			s->prec = prec < 0 ? -1 : prec;
		} else {
			/* A lone '.' means precision 0. */
			s->prec = parse_decimal(p);
		}
	}

	switch (**p) {
	case 'h':
		(*p)++;
		s->len = LEN_H;
		if (**p == 'h') {
			(*p)++;
			s->len = LEN_HH;
		}
		break;
	case 'l':
		(*p)++;
		s->len = LEN_L;
		if (**p == 'l') {
			(*p)++;
			s->len = LEN_LL;
		}
		break;
	case 'z':
		(*p)++;
		s->len = LEN_Z;
		break;
	case 'j':
		(*p)++;
		s->len = LEN_J;
		break;
	case 't':
		(*p)++;
		s->len = LEN_T;
		break;
	}
}

/*
 * Echo an unknown conversion the way glibc does: rebuilt from what was
 * parsed, so "%-05lk" comes out as "%-5k" and '*' shows its value.
 */
static void echo_unknown(struct fmt_out *o, const struct fmt_spec *s, int conv)
{
	struct fmt_spec dec = {.prec = -1};

	emit(o, '%');
	if (s->alt)
		emit(o, '#');
	if (s->plus)
		emit(o, '+');
	else if (s->space)
		emit(o, ' ');
	if (s->left)
		emit(o, '-');
	else if (s->zero)
		emit(o, '0');
	if (s->width > 0)
		format_number(o, &dec, (unsigned long long)s->width, false, 10, false);
	if (s->prec >= 0) {
		emit(o, '.');
		format_number(o, &dec, (unsigned long long)s->prec, false, 10, false);
	}
	emit(o, conv);
}

int vcbprintf(putc_fn out, void *arg, const char *fmt, va_list ap)
{
	struct fmt_out o = {.fn = out, .arg = arg, .count = 0};
	const char *p = fmt;
	va_list args;

	/* A local copy, so helpers can take its address portably. */
	va_copy(args, ap);

	while (*p) {
		struct fmt_spec s;

		if (*p != '%') {
			emit(&o, (unsigned char)*p++);
			continue;
		}

		p++;
		parse_spec(&p, &s, &args);

		switch (*p) {
		case 'd':
		case 'i': {
			long long v = fetch_signed(&args, s.len);
			/* Negate as unsigned so LLONG_MIN is well defined. */
			unsigned long long mag =
			    v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;

			format_number(&o, &s, mag, v < 0, 10, false);
			break;
		}
		case 'u':
		case 'x':
		case 'X':
		case 'o': {
			unsigned int base = *p == 'u' ? 10 : *p == 'o' ? 8 : 16;

			/* '+' and ' ' only apply to signed conversions. */
			s.plus = false;
			s.space = false;
			format_number(&o, &s, fetch_unsigned(&args, s.len), false, base, *p == 'X');
			break;
		}
		case 'p': {
			void *ptr = va_arg(args, void *);

			if (!ptr) {
				/* glibc: "(nil)", padded but never cut short. */
				s.prec = -1;
				format_string(&o, &s, "(nil)");
			} else {
				/* Like %#lx; glibc does honour '+' and ' ' here. */
				s.alt = true;
				format_number(&o, &s, (uintptr_t)ptr, false, 16, false);
			}
			break;
		}
		case 's':
			format_string(&o, &s, va_arg(args, const char *));
			break;
		case 'c':
			format_char(&o, &s, va_arg(args, int));
			break;
		case '%':
			/* glibc ignores any flags or width on "%%". */
			emit(&o, '%');
			break;
		case '\0':
			/*
			 * A spec cut off by the end of the string prints
			 * nothing. glibc fails the whole call with -1; keeping
			 * the text before it is kinder to a kernel log.
			 */
			goto done;
		default:
			echo_unknown(&o, &s, (unsigned char)*p);
			break;
		}
		p++;
	}
done:
	va_end(args);
	/* C99 has no way to report more than INT_MAX bytes; call it an error. */
	return o.count > INT32_MAX ? -1 : (int)o.count;
}

/* Destination of vsnprintf(): a buffer that silently drops the overflow. */
struct fmt_buf {
	char *buf;
	size_t size;
	size_t pos;
};

static void buf_putc(int c, void *arg)
{
	struct fmt_buf *b = arg;

	/* Keep the last byte free for the terminating NUL. */
	if (b->pos + 1 < b->size)
		b->buf[b->pos] = (char)c;
	b->pos++;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct fmt_buf b = {.buf = buf, .size = size, .pos = 0};
	int ret = vcbprintf(buf_putc, &b, fmt, ap);

	if (size > 0)
		buf[b.pos < size ? b.pos : size - 1] = '\0';
	return ret;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return ret;
}
