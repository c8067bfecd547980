/*
 * multiboot.c - read GRUB's boot information (multiboot2 spec, 3.6).
 *
 * The information is a list of 8-byte aligned tags {type, size, ...} ending
 * with a type-0 tag. We copy out what we need, checking every size against
 * the total so that a malformed list cannot send us reading past its end.
 */
#include "kernel/multiboot.h"
#include "kernel/string.h"

#define TAG_END         0
#define TAG_CMDLINE     1
#define TAG_BOOTLOADER  2
#define TAG_MODULE      3
#define TAG_MMAP        6
#define TAG_FRAMEBUFFER 8

struct tag {
	uint32_t type, size;
};

struct tag_module {
	struct tag t;
	uint32_t start, end;
	char cmdline[];
};

struct tag_mmap {
	struct tag t;
	uint32_t entry_size, entry_version;
	uint8_t entries[];
};

struct mmap_entry {
	uint64_t base, len;
	uint32_t type, reserved;
};

struct tag_framebuffer {
	struct tag t;
	uint64_t addr;
	uint32_t pitch, width, height;
	uint8_t bpp, type;
};

/* tag_string: a tag's string payload, if it is NUL-terminated inside the tag. */
static const char *tag_string(const struct tag *t, size_t offset)
{
	const char *s = (const char *)t + offset;
	if (t->size <= offset || strnlen(s, t->size - offset) == t->size - offset)
		return "";
	return s;
}

static void read_mmap(const struct tag_mmap *m, struct boot_info *bi)
{
	size_t n = (m->t.size - sizeof(*m)) / m->entry_size;
	for (size_t i = 0; i < n && bi->nmmap < BOOT_MAX_MMAP; i++) {
		const struct mmap_entry *e = (const void *)(m->entries + i * m->entry_size);
		bi->mmap[bi->nmmap++] = (struct boot_mmap_entry){e->base, e->len, e->type};
	}
}

int multiboot_parse(uint32_t magic, phys_addr_t mbi, struct boot_info *bi, const char **why)
{
	memset(bi, 0, sizeof(*bi));
	bi->cmdline = bi->bootloader = "";
	if (magic != MB2_BOOT_MAGIC) {
		*why = "bad multiboot2 magic: not booted by a multiboot2 loader";
		return -1;
	}
	if (!mbi || (mbi & 7)) {
		*why = "boot information pointer is NULL or misaligned";
		return -1;
	}
	const uint8_t *base = phys_to_virt(mbi);
	uint32_t total = *(const uint32_t *)base;
	if (total < 16 || total > (1u << 20)) {
		*why = "boot information has an implausible size";
		return -1;
	}
	bi->mbi = mbi;
	bi->mbi_end = mbi + total;

	for (uint32_t off = 8; off + sizeof(struct tag) <= total;) {
		const struct tag *t = (const void *)(base + off);
		if (t->size < sizeof(struct tag) || off + t->size > total) {
			*why = "boot information tag overruns the list";
			return -1;
		}
		if (t->type == TAG_END)
			return 0;
		switch (t->type) {
		case TAG_CMDLINE:
			bi->cmdline = tag_string(t, sizeof(struct tag));
			break;
		case TAG_BOOTLOADER:
			bi->bootloader = tag_string(t, sizeof(struct tag));
			break;
		case TAG_MODULE:
			if (t->size >= sizeof(struct tag_module) &&
			    bi->nmodules < BOOT_MAX_MODULES) {
				const struct tag_module *m = (const void *)t;
				bi->modules[bi->nmodules++] = (struct boot_module){
				    m->start, m->end, tag_string(t, sizeof(*m))};
			}
			break;
		case TAG_MMAP: {
			const struct tag_mmap *m = (const void *)t;
			if (t->size >= sizeof(*m) && m->entry_size >= sizeof(struct mmap_entry))
				read_mmap(m, bi);
			break;
		}
		case TAG_FRAMEBUFFER:
			if (t->size >= sizeof(struct tag_framebuffer)) {
				const struct tag_framebuffer *f = (const void *)t;
				bi->has_fb = 1;
				bi->fb.addr = f->addr;
				bi->fb.pitch = f->pitch;
				bi->fb.width = f->width;
				bi->fb.height = f->height;
				bi->fb.bpp = f->bpp;
				bi->fb.type = f->type;
			}
			break;
		}
		off += (t->size + 7) & ~7u;
	}
	*why = "boot information has no end tag";
	return -1;
}

const char *mb2_mem_type_name(uint32_t type)
{
	switch (type) {
	case MB2_MEM_AVAILABLE:
		return "available";
	case MB2_MEM_ACPI_RECLAIMABLE:
		return "ACPI reclaimable";
	case MB2_MEM_NVS:
		return "ACPI NVS";
	case MB2_MEM_BADRAM:
		return "bad RAM";
	default:
		return "reserved";
	}
}
