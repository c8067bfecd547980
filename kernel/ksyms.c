/*
 * ksyms.c - symbol lookup and frame-pointer backtraces.
 *
 * With -fno-omit-frame-pointer every function starts with
 *     push %rbp; mov %rsp, %rbp
 * so rbp points at a pair {caller's rbp, return address}: a linked list of
 * frames we can walk. The chain ends at rbp == 0 (set in boot/entry.asm).
 */
#include "kernel/ksyms.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "mm/memlayout.h"

/* Filled in by the second link (tools/ksyms.sh); sorted by address. */
extern const uint64_t ksyms_count;
extern const uint64_t ksyms_addr[];
extern const uint32_t ksyms_name_off[];
extern const char ksyms_names[];
extern const char _text[], _etext[];

const char *ksym_name(uintptr_t addr, uintptr_t *offset)
{
	uint64_t lo = 0, hi = ksyms_count;

	if (addr < (uintptr_t)_text || addr >= (uintptr_t)_etext || !ksyms_count)
		return NULL;
	while (hi - lo > 1) { /* the last symbol at or below addr */
		uint64_t mid = (lo + hi) / 2;
		if (ksyms_addr[mid] <= addr)
			lo = mid;
		else
			hi = mid;
	}
	if (ksyms_addr[lo] > addr)
		return NULL;
	if (offset)
		*offset = addr - ksyms_addr[lo];
	return &ksyms_names[ksyms_name_off[lo]];
}

uintptr_t ksym_addr(const char *name)
{
	for (uint64_t i = 0; i < ksyms_count; i++)
		if (!strcmp(&ksyms_names[ksyms_name_off[i]], name))
			return ksyms_addr[i];
	return 0;
}

static void print_frame(int depth, uintptr_t rip)
{
	uintptr_t off;
	const char *name = ksym_name(rip, &off);
	if (name)
		printk("  #%d %016lx %s+%#lx\n", depth, rip, name, off);
	else
		printk("  #%d %016lx ?\n", depth, rip);
}

/* frame_ok: can we read a frame record at rbp? Only aligned kernel-half addresses. */
static int frame_ok(uintptr_t rbp)
{
	return rbp >= DIRECT_MAP_BASE && !(rbp & 7) && rbp < ~(uintptr_t)16;
}

void backtrace_from(uintptr_t rbp, uintptr_t rip)
{
	printk("backtrace:\n");
	print_frame(0, rip);
	for (int depth = 1; depth < 32 && frame_ok(rbp); depth++) {
		const uintptr_t *frame = (const uintptr_t *)rbp;
		uintptr_t ret = frame[1];
		if (!ret)
			break;
		/* ret is the instruction after the call: ret - 1 is inside the caller */
		print_frame(depth, ret - 1);
		if (frame[0] <= rbp) /* stacks grow down: a frame further up is always higher */
			break;
		rbp = frame[0];
	}
}

void backtrace_here(void)
{
	backtrace_from((uintptr_t)__builtin_frame_address(0), (uintptr_t)backtrace_here);
}
