/*
 * test_printf.c - kernel/printf.c against the host libc's printf.
 *
 * Build (the -D renames keep the kernel's functions apart from libc's):
 * gcc -std=gnu11 -g -O1 -fsanitize=address,undefined -fno-sanitize-recover=all -Wall -Wextra -Werror -I. -Dvsnprintf=k_vsnprintf -Dsnprintf=k_snprintf -Dvcbprintf=k_vcbprintf tests/host/test_printf.c kernel/printf.c -o build/host/test_printf
 *
 * Every case formats with both implementations into identically pre-filled
 * buffers and requires the same return value and the same bytes, including
 * where the NUL lands and that nothing past the size limit was touched.
 */
#if !defined(snprintf) || !defined(vsnprintf) || !defined(vcbprintf)
#error "build with -Dvsnprintf=k_vsnprintf -Dsnprintf=k_snprintf -Dvcbprintf=k_vcbprintf"
#endif

/* Declares k_snprintf() and friends, thanks to the renames. */
#include "kernel/printf.h"

/* From here on, the plain names mean the host libc again. */
#undef snprintf
#undef vsnprintf
#undef vcbprintf

#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/types.h>
#include "tests/host/check.h"

#define BUF_SIZE 512
#define GUARD    0xa5

/* Hidden from the optimiser so GCC does not warn about the NULL %s. */
static const char *volatile null_str;

static void show(const char *who, const char *buf, size_t size, int ret)
{
	size_t n = ret < 0 ? 0 : (size_t)ret;

	if (size == 0)
		n = 0;
	else if (n > size - 1)
		n = size - 1;
	printf("    %-4s ret %d: \"%.*s\"\n", who, ret, (int)n, buf);
}

/*
 * Format with libc and with the kernel into size bytes; true if both
 * agree. On mismatch, print both results so the failure explains itself.
 */
static bool vsame(size_t size, const char *fmt, va_list ap)
{
	char want[BUF_SIZE + 16], got[BUF_SIZE + 16];
	int want_ret, got_ret;
	va_list ap2;

	memset(want, GUARD, sizeof(want));
	memset(got, GUARD, sizeof(got));

	va_copy(ap2, ap);
	want_ret = vsnprintf(want, size, fmt, ap);
	got_ret = k_vsnprintf(got, size, fmt, ap2);
	va_end(ap2);

	if (want_ret == got_ret && memcmp(want, got, sizeof(want)) == 0)
		return true;
	printf("  format \"%s\", size %zu:\n", fmt, size);
	show("libc", want, size, want_ret);
	show("moo", got, size, got_ret);
	return false;
}

static bool __attribute__((format(printf, 2, 3))) same(size_t size, const char *fmt, ...)
{
	va_list ap;
	bool ok;

	va_start(ap, fmt);
	ok = vsame(size, fmt, ap);
	va_end(ap);
	return ok;
}

/* No format attribute: for legal but odd formats that -Wformat flags. */
static bool same_unchecked(const char *fmt, ...)
{
	va_list ap;
	bool ok;

	va_start(ap, fmt);
	ok = vsame(BUF_SIZE, fmt, ap);
	va_end(ap);
	return ok;
}

/* Compare one format against libc, with a roomy or an exact-size buffer. */
#define CHECK_FMT(...)         CHECK(same(BUF_SIZE, __VA_ARGS__))
#define CHECK_FMT_N(size, ...) CHECK(same(size, __VA_ARGS__))
#define CHECK_QUIRK(...)       CHECK(same_unchecked(__VA_ARGS__))

TEST(plain_text)
{
	CHECK_FMT("hello, world");
	CHECK_FMT("100%% sure %%%c", 'x');
	CHECK_FMT("%d%d%d", 1, 2, 3);
	CHECK_FMT("tab\there\n");
}

TEST(signed_decimal)
{
	CHECK_FMT("%d", 0);
	CHECK_FMT("%d", 42);
	CHECK_FMT("%d", -42);
	CHECK_FMT("%i", 12345);
	CHECK_FMT("%d", INT_MAX);
	CHECK_FMT("%d", INT_MIN);
	CHECK_FMT("%ld", LONG_MIN);
	CHECK_FMT("%ld", LONG_MAX);
	CHECK_FMT("%lld", LLONG_MIN);
	CHECK_FMT("%lld", LLONG_MAX);
	CHECK_FMT("%lli", -1LL);
}

TEST(unsigned_and_bases)
{
	CHECK_FMT("%u", 0u);
	CHECK_FMT("%u", UINT_MAX);
	CHECK_FMT("%lu", ULONG_MAX);
	CHECK_FMT("%llu", ULLONG_MAX);
	CHECK_FMT("%x", 0xdeadbeefu);
	CHECK_FMT("%X", 0xdeadbeefu);
	CHECK_FMT("%x", (unsigned int)-1);
	CHECK_FMT("%llx", ULLONG_MAX);
	CHECK_FMT("%llX", 0x0123456789abcdefULL);
	CHECK_FMT("%o", 8u);
	CHECK_FMT("%o", 0u);
	CHECK_FMT("%llo", ULLONG_MAX);
}

TEST(length_modifiers)
{
	CHECK_FMT("%hhd", (signed char)-128);
	CHECK_FMT("%hhd", 300);
	CHECK_FMT("%hhu", 255);
	CHECK_FMT("%hhu", -1);
	CHECK_FMT("%hhx", 0x1ff);
	CHECK_FMT("%hd", (short)-32768);
	CHECK_FMT("%hd", 70000);
	CHECK_FMT("%hu", 65535);
	CHECK_FMT("%hx", 0x12345);
	CHECK_FMT("%zu", (size_t)SIZE_MAX);
	CHECK_FMT("%zx", (size_t)0xabcdef);
	CHECK_FMT("%zd", (ssize_t)-1);
	CHECK_FMT("%zd", (ssize_t)123456789);
	CHECK_FMT("%jd", INTMAX_MIN);
	CHECK_FMT("%ju", UINTMAX_MAX);
	CHECK_FMT("%td", (ptrdiff_t)-77);
	CHECK_FMT("%lx %hhx %llo %hu", 0xfeedUL, 0xab, 0777ULL, 1);
}

TEST(width_and_flags)
{
	CHECK_FMT("[%5d]", 42);
	CHECK_FMT("[%-5d]", 42);
	CHECK_FMT("[%05d]", 42);
	CHECK_FMT("[%05d]", -42);
	CHECK_QUIRK("[%-05d]", -42); /* '-' beats '0' */
	CHECK_FMT("[%+d]", 42);
	CHECK_FMT("[%+d]", -42);
	CHECK_FMT("[%+d]", 0);
	CHECK_FMT("[% d]", 42);
	CHECK_FMT("[% d]", -42);
	CHECK_QUIRK("[%+ d]", 42); /* '+' beats ' ' */
	CHECK_FMT("[%+05d]", 42);
	CHECK_FMT("[% 05d]", 42);
	CHECK_FMT("[%2d]", 12345);
	CHECK_FMT("[%020lld]", LLONG_MIN);
	CHECK_FMT("[%-25lld]", LLONG_MIN);
	CHECK_FMT("[%08x]", 0xbeefu);
	CHECK_FMT("[%-8X]", 0xbeefu);
	CHECK_FMT("[%#x]", 255u);
	CHECK_FMT("[%#X]", 255u);
	CHECK_FMT("[%#x]", 0u);
	CHECK_FMT("[%#10x]", 255u);
	CHECK_FMT("[%#-10x]", 255u);
	CHECK_FMT("[%#010x]", 255u);
	CHECK_FMT("[%#o]", 8u);
	CHECK_FMT("[%#o]", 0u);
	CHECK_FMT("[%#5o]", 8u);
	CHECK_FMT("[%#llx]", ULLONG_MAX);
}

TEST(precision)
{
	CHECK_FMT("[%.0d]", 0);
	CHECK_FMT("[%.d]", 0);
	CHECK_FMT("[%5.0d]", 0);
	CHECK_FMT("[%-5.0d]", 0);
	CHECK_FMT("[%+.0d]", 0);
	CHECK_FMT("[% .0d]", 0);
	CHECK_FMT("[%.0u]", 0u);
	CHECK_FMT("[%.0x]", 0u);
	CHECK_FMT("[%#.0x]", 0u);
	CHECK_FMT("[%.0o]", 0u);
	CHECK_FMT("[%#.0o]", 0u);
	CHECK_FMT("[%.0d]", 7);
	CHECK_FMT("[%.5d]", 42);
	CHECK_FMT("[%.5d]", -42);
	CHECK_FMT("[%8.5d]", -42);
	CHECK_FMT("[%-8.5d]", 42);
	CHECK_QUIRK("[%08.5d]", 42); /* '0' is ignored with a precision */
	CHECK_FMT("[%+.3d]", 7);
	CHECK_FMT("[%.3x]", 0xabcdu);
	CHECK_FMT("[%#.8x]", 0xabcdu);
	CHECK_FMT("[%#12.8x]", 0xabcdu);
	CHECK_FMT("[%#.5o]", 8u);
	CHECK_FMT("[%.30lld]", LLONG_MIN);
}

TEST(star_width_and_precision)
{
	CHECK_FMT("[%*d]", 6, 42);
	CHECK_FMT("[%*d]", -6, 42); /* negative width means '-' */
	CHECK_FMT("[%-*d]", -6, 42);
	CHECK_FMT("[%0*d]", 6, -42);
	CHECK_FMT("[%.*d]", 4, 42);
	CHECK_FMT("[%.*d]", -1, 42); /* negative precision means none */
	CHECK_FMT("[%.*d]", 0, 0);
	CHECK_FMT("[%*.*d]", 8, 3, 5);
	CHECK_FMT("[%*.*s]", -8, 2, "abcdef");
	CHECK_QUIRK("[%0*.*d]", 8, -1, 5); /* '0' is back */
	CHECK_FMT("[%*s|%-*s]", 4, "a", 4, "b");
}

TEST(strings_and_chars)
{
	char unterminated[3] = {'a', 'b', 'c'};

	CHECK_FMT("[%s]", "hello");
	CHECK_FMT("[%s]", "");
	CHECK_FMT("[%10s]", "hello");
	CHECK_FMT("[%-10s]", "hello");
	CHECK_FMT("[%-8s|]", "moo");
	CHECK_FMT("%-8s|%-8s|", "key", "value");
	CHECK_FMT("[%.3s]", "abcdef");
	CHECK_FMT("[%.0s]", "abcdef");
	CHECK_FMT("[%.10s]", "abc");
	CHECK_FMT("[%8.3s]", "abcdef");
	CHECK_FMT("[%-8.3s]", "abcdef");
	/* The precision must stop the read: ASan catches any overrun. */
	CHECK_FMT("[%.3s]", unterminated);
	CHECK_FMT("[%s]", null_str);
	CHECK_FMT("[%10s]", null_str);
	CHECK_FMT("[%-10s]", null_str);
	CHECK_FMT("[%.6s]", null_str);
	CHECK_FMT("[%.3s]", null_str); /* glibc: too short for "(null)" */
	CHECK_FMT("[%c]", 'A');
	CHECK_FMT("[%3c]", 'A');
	CHECK_FMT("[%-3c]", 'A');
	CHECK_FMT("[%c%c%c]", 'm', 'o', 'o');
	CHECK_FMT("[%c]", 0); /* an embedded NUL still counts */
	CHECK_FMT("[%c]", 0xe9);
}

TEST(pointers)
{
	int x;

	CHECK_FMT("%p", (void *)&x);
	CHECK_FMT("%p", (void *)0x1);
	CHECK_FMT("%p", (void *)0xffffffff80000000UL);
	CHECK_FMT("%p", (void *)UINTPTR_MAX);
	CHECK_FMT("[%20p]", (void *)0xdeadbeefUL);
	CHECK_FMT("[%-20p]", (void *)0xdeadbeefUL);
	CHECK_FMT("%p", NULL);
	CHECK_FMT("[%10p]", NULL);
	CHECK_FMT("[%-10p]", NULL);
}

/* Corners glibc defines but -Wformat frowns upon; match them anyway. */
TEST(glibc_quirks)
{
	CHECK_QUIRK("[%05s]", "ab"); /* '0' pads strings with spaces */
	CHECK_QUIRK("[%05c]", 'c');
	CHECK_QUIRK("[%+u] [% x] [%+o]", 5u, 5u, 5u); /* sign flags: signed only */
	CHECK_QUIRK("[%#d] [%#u]", 5, 5u);
	CHECK_QUIRK("[%+p] [% p]", (void *)0x1234, (void *)0x1234);
	CHECK_QUIRK("[%020p] [%-020p]", (void *)0x1234, (void *)0x1234);
	CHECK_QUIRK("[%.20p] [%.0p]", (void *)0x1234, (void *)0x1234);
	CHECK_QUIRK("[%.3p] [%08p]", NULL, NULL); /* "(nil)" is never cut */
	CHECK_QUIRK("[%5%] [%-5%]");
	/* Unknown conversions are echoed back, rebuilt from the parsed spec. */
	CHECK_QUIRK("[%k] [%-5k] [%ly] [%hhk] [%]", 1, 2, 3);
	CHECK_QUIRK("[%-05k] [%+ #k] [%0-5k] [%-0k] [%07.3k] [%.k]");
	CHECK_QUIRK("[%*.*k] [%.*k] [%*k] [%-*k]", 3, 4, -2, -3, 7);
}

TEST(truncation)
{
	CHECK_FMT_N(0, "hello");
	CHECK_FMT_N(1, "hello");
	CHECK_FMT_N(2, "hello");
	CHECK_FMT_N(5, "hello");
	CHECK_FMT_N(6, "hello");
	CHECK_FMT_N(7, "hello");
	CHECK_FMT_N(0, "%d", -12345);
	CHECK_FMT_N(1, "%d", -12345);
	CHECK_FMT_N(4, "%d", -12345);
	CHECK_FMT_N(4, "%08x", 0xbeefu);
	CHECK_FMT_N(3, "[%-8s|]", "moo");
	CHECK_FMT_N(10, "%lld|%llu", LLONG_MIN, ULLONG_MAX);
	CHECK_FMT_N(8, "%p", (void *)0xdeadbeefUL);
	CHECK_FMT_N(3, "%s", null_str);
	CHECK_FMT_N(2, "%c%c", 'a', 'b');
	CHECK_FMT_N(1, "%*d", 300, 1);
}

TEST(null_buffer_with_size_zero)
{
	/* C99: size 0 may pass NULL and still learns the full length. */
	CHECK_EQ(k_snprintf(NULL, 0, "%d-%s", 12345, "abc"), 9);
	CHECK_EQ(k_snprintf(NULL, 0, "%300d", 1), 300);
}

TEST(snprintf_direct)
{
	char buf[8];

	memset(buf, 'x', sizeof(buf));
	CHECK_EQ(k_snprintf(buf, sizeof(buf), "%s", "truncated"), 9);
	CHECK(strcmp(buf, "truncat") == 0);
	CHECK_EQ(k_snprintf(buf, sizeof(buf), "%d", 7), 1);
	CHECK(strcmp(buf, "7") == 0);
}

/* A vcbprintf() sink that collects everything, as printk would stream it. */
struct sink {
	char buf[4096];
	size_t len;
};

static void sink_putc(int c, void *arg)
{
	struct sink *s = arg;

	if (s->len < sizeof(s->buf))
		s->buf[s->len] = (char)c;
	s->len++;
}

static int __attribute__((format(printf, 2, 3))) cb_format(struct sink *s, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = k_vcbprintf(sink_putc, s, fmt, ap);
	va_end(ap);
	return ret;
}

TEST(callback_output)
{
	static struct sink s;
	char want[4096];
	int want_ret, got_ret;

	/* Longer than any of the buffers above: no intermediate buffer needed. */
	want_ret = snprintf(want, sizeof(want), "%-1000s|%1000d|%#1000llx", "left", -1, ULLONG_MAX);
	got_ret = cb_format(&s, "%-1000s|%1000d|%#1000llx", "left", -1, ULLONG_MAX);
	CHECK_EQ(got_ret, want_ret);
	CHECK_EQ(s.len, (size_t)want_ret);
	CHECK(memcmp(s.buf, want, s.len) == 0);

	s.len = 0;
	CHECK_EQ(cb_format(&s, "%c", 0), 1);
	CHECK_EQ(s.len, 1);
	CHECK_EQ(s.buf[0], 0);
}

RUN_TESTS(printf, CASE(plain_text), CASE(signed_decimal), CASE(unsigned_and_bases),
	  CASE(length_modifiers), CASE(width_and_flags), CASE(precision),
	  CASE(star_width_and_precision), CASE(strings_and_chars), CASE(pointers),
	  CASE(glibc_quirks), CASE(truncation), CASE(null_buffer_with_size_zero),
	  CASE(snprintf_direct), CASE(callback_output))
