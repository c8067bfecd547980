/* cmdline.c - look up options on the kernel command line (GRUB's "multiboot2 ... OPTIONS"). */
#include "kernel/cmdline.h"
#include "kernel/string.h"

static const char *line = "";

void cmdline_set(const char *cmdline)
{
	line = cmdline ? cmdline : "";
}

/* find: the word "key" or "key=...", returning a pointer just past the key. */
static const char *find(const char *key)
{
	size_t n = strlen(key);
	for (const char *p = line; *p;) {
		while (*p == ' ')
			p++;
		if (!strncmp(p, key, n) && (p[n] == '=' || p[n] == ' ' || p[n] == 0))
			return p + n;
		while (*p && *p != ' ')
			p++;
	}
	return NULL;
}

bool cmdline_has(const char *key)
{
	return find(key) != NULL;
}

bool cmdline_get(const char *key, char *buf, size_t size)
{
	const char *v = find(key);
	size_t i = 0;
	if (!v || *v != '=' || size == 0)
		return false;
	for (v++; *v && *v != ' ' && i + 1 < size; v++)
		buf[i++] = *v;
	buf[i] = 0;
	return true;
}
