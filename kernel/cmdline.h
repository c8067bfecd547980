/* cmdline.h - the kernel command line: space-separated words and key=value pairs. */
#ifndef MOO_KERNEL_CMDLINE_H
#define MOO_KERNEL_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>

void cmdline_set(const char *cmdline);
/* cmdline_get: copy the value of key= into buf; false if key is absent. */
bool cmdline_get(const char *key, char *buf, size_t size);
/* cmdline_has: is key present, alone or as key=...? */
bool cmdline_has(const char *key);

#endif
