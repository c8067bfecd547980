/*
 * mm_selftest.c - in-kernel self-tests of physical memory and page tables,
 * run on the real (emulated) MMU: selftest=all on the kernel command line.
 */
#include "kernel/selftest.h"
#include "kernel/string.h"
#include "kernel/x86.h"
#include "mm/page.h"
#include "mm/paging.h"
#include "mm/slab.h"

extern const char _text[], _rodata[], _data[], _kernel_end[], boot_stack_guard[];
void kmain(void);

SELFTEST(buddy_orders_aligned_and_freed)
{
	unsigned long before = nr_free_pages();
	struct page *blocks[HPAGE_ORDER + 1];

	for (unsigned k = 0; k <= HPAGE_ORDER; k++) {
		blocks[k] = alloc_pages(k);
		ST_CHECK(blocks[k]);
		ST_CHECK((page_to_pfn(blocks[k]) & ((1UL << k) - 1)) == 0);
		ST_CHECK(page_count(blocks[k]) == 1);
		memset(page_address(blocks[k]), 0x5a, PAGE_SIZE << k); /* really ours? */
	}
	ST_CHECK(nr_free_pages() == before - ((2UL << HPAGE_ORDER) - 1));
	for (unsigned k = 0; k <= HPAGE_ORDER; k++)
		put_page(blocks[k]);
	ST_CHECK(nr_free_pages() == before);
	ST_CHECK(page_alloc_check() == 0);
	return 0;
}

SELFTEST(freed_page_is_poisoned)
{
	struct page *p = alloc_page();
	ST_CHECK(p);
	uint8_t *va = page_address(p);
	memset(va, 0, PAGE_SIZE);
	get_page(p);
	put_page(p); /* one reference left: still ours, still zero */
	ST_CHECK(va[100] == 0);
	put_page(p);
	if (MOO_DEBUG)
		ST_CHECK(va[0] == PAGE_POISON_FREE && va[PAGE_SIZE - 1] == PAGE_POISON_FREE);
	return 0;
}

SELFTEST(kernel_image_frames_reserved)
{
	for (const char *va = _text; va < _kernel_end; va += PAGE_SIZE)
		ST_CHECK(phys_to_page(kimg_to_phys(va))->flags & PG_reserved);
	ST_CHECK(virt_to_page(mem_map)->flags & PG_reserved);
	ST_CHECK(pfn_to_page(0)->flags & PG_reserved);
	return 0;
}

SELFTEST(kmalloc_sizes_and_free)
{
	static struct kmem_cache cache;
	void *objs[300];
	unsigned long before = nr_free_pages();

	kmem_cache_init(&cache, "selftest-40", 40);
	for (int i = 0; i < 300; i++) {
		objs[i] = kmem_cache_alloc(&cache);
		ST_CHECK(objs[i]);
		memset(objs[i], i, 40);
	}
	for (int i = 0; i < 300; i++)
		ST_CHECK(((uint8_t *)objs[i])[39] == (uint8_t)i); /* no two objects overlap */
	for (int i = 0; i < 300; i++)
		kmem_cache_free(&cache, objs[i]);
	kmem_cache_shrink(&cache);
	ST_CHECK(nr_free_pages() == before);

	for (size_t size = 1; size <= 3 * PAGE_SIZE; size = size * 3 + 1) {
		uint8_t *p = kmalloc(size);
		ST_CHECK(p && ((uintptr_t)p & 7) == 0);
		memset(p, 0xab, size);
		kfree(p);
	}
	return 0;
}

SELFTEST(kernel_sections_have_their_permissions)
{
	struct pt_mapping m;

	ST_CHECK(pt_lookup(kernel_pml4, (uintptr_t)kmain, &m));
	ST_CHECK(!(m.flags & PTE_W) && !(m.flags & PTE_NX) && !(m.flags & PTE_U));
	ST_CHECK(pt_lookup(kernel_pml4, (uintptr_t)_rodata, &m));
	ST_CHECK(!(m.flags & PTE_W) && (m.flags & PTE_NX));
	ST_CHECK(pt_lookup(kernel_pml4, (uintptr_t)_data, &m));
	ST_CHECK((m.flags & PTE_W) && (m.flags & PTE_NX));
	ST_CHECK(pt_lookup(kernel_pml4, (uintptr_t)phys_to_virt(16UL << 20), &m));
	ST_CHECK((m.flags & PTE_W) && (m.flags & PTE_NX) && m.size == HPAGE_SIZE);
	ST_CHECK(!pt_lookup(kernel_pml4, 0, &m));           /* NULL faults */
	ST_CHECK(!pt_lookup(kernel_pml4, KERNEL_PHYS, &m)); /* no identity map */
	ST_CHECK(!pt_lookup(kernel_pml4, (uintptr_t)boot_stack_guard, &m));
	ST_CHECK(read_cr0() & CR0_WP); /* the kernel too obeys read-only pages */
	ST_CHECK(rdmsr(MSR_EFER) & EFER_NXE);
	ST_CHECK(read_cr3() == virt_to_phys(kernel_pml4));
	return 0;
}

/*
 * A private address space with the kernel half shared: map a user-half page,
 * write through it, remap the address to another page and check the CPU sees
 * the new one (a missing invlpg would leave the old translation in the TLB),
 * then destroy it all and check no page leaked.
 */
SELFTEST(address_space_map_remap_destroy)
{
	unsigned long before = nr_free_pages(), tables_before = pt_pages();
	const uintptr_t va = 0x400000;
	struct page *a = alloc_zeroed_page(), *b = alloc_zeroed_page();
	pte_t *pml4 = pt_create();
	ST_CHECK(a && b && pml4);
	for (int i = PT_ENTRIES / 2; i < PT_ENTRIES; i++)
		pml4[i] = kernel_pml4[i];

	uint64_t old_cr3 = read_cr3();
	write_cr3(virt_to_phys(pml4));
	/* not PTE_U: a kernel-only page, so the test holds with SMAP on too */
	ST_CHECK(pt_map(pml4, va, page_to_phys(a), PAGE_SIZE, PTE_W | PTE_NX) == 0);
	*(volatile uint64_t *)va = 0x1111;
	ST_CHECK(*(uint64_t *)page_address(a) == 0x1111);
	ST_CHECK(pt_map(pml4, va, page_to_phys(b), PAGE_SIZE, PTE_W) == -EEXIST);

	struct pt_mapping old;
	ST_CHECK(pt_unmap(pml4, va, &old) == 0 && old.pa == page_to_phys(a));
	ST_CHECK(pt_map(pml4, va, page_to_phys(b), PAGE_SIZE, PTE_W | PTE_NX) == 0);
	*(volatile uint64_t *)va = 0x2222;
	ST_CHECK(*(uint64_t *)page_address(b) == 0x2222);
	ST_CHECK(*(uint64_t *)page_address(a) == 0x1111);

	ST_CHECK(pt_protect(pml4, va, PTE_NX) == 0); /* read-only now */
	ST_CHECK(*(volatile uint64_t *)va == 0x2222);
	write_cr3(old_cr3);

	ST_CHECK(pt_unmap(pml4, va, NULL) == 0);
	ST_CHECK(pt_pages() == tables_before + 1); /* only the PML4 is left */
	for (int i = PT_ENTRIES / 2; i < PT_ENTRIES; i++)
		pml4[i] = 0; /* shared with the kernel: not ours to free */
	pt_destroy(pml4);
	put_page(a);
	put_page(b);
	ST_CHECK(pt_pages() == tables_before);
	ST_CHECK(nr_free_pages() == before);
	return 0;
}
