# moo - a small x86-64 kernel for teaching virtual memory.
# `make help` lists the targets. Everything is built under build/.

CROSS   ?=
CC      := $(CROSS)gcc
LD      := $(CROSS)ld
NM      := $(CROSS)nm
NASM    ?= nasm
HOSTCC  ?= gcc
DEBUG   ?= 1
B       := build

# Kernel C: freestanding, no red zone (interrupts write below rsp), kernel
# code model (image in the top 2 GiB), no SSE (its state is not saved on
# traps), frame pointers for backtraces.
KCFLAGS := -std=gnu11 -O2 -g -ffreestanding -nostdlib -mno-red-zone -mcmodel=kernel \
	-mgeneral-regs-only -fno-pic -fno-pie -fno-stack-protector -fno-omit-frame-pointer \
	-fno-asynchronous-unwind-tables -fno-common -Wall -Wextra -Werror -I. -MMD -MP \
	-DMOO_DEBUG=$(DEBUG)
HOSTCFLAGS := -std=gnu11 -g -O1 -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer -Wall -Wextra -Werror -DMOO_HOST -I. -MMD -MP

KSRCS   := $(sort $(wildcard kernel/*.c kernel/fs/*.c mm/*.c tests/kernel/*.c))
ASRCS   := $(sort $(wildcard boot/*.asm))
KOBJS   := $(KSRCS:%.c=$(B)/%.o) $(ASRCS:%.asm=$(B)/%.o)

# mm/ files that are pure data structures, unit-tested on the host
MM_HOST_SRCS := mm/page_alloc.c mm/memmap.c mm/slab.c mm/pgtable.c mm/vma_index.c
HOST_TESTS   := $(patsubst tests/host/%.c,$(B)/host/%,$(filter-out tests/host/env.c,$(wildcard tests/host/test_*.c)))

# User programs: each user/bin/NAME.c becomes /bin/NAME, each
# user/tests/NAME.c becomes /tests/NAME, with no Makefile edit.
MUSLCC     ?= musl-gcc
USER_CFLAGS := -static -O2 -g -Wall -Wextra -Werror -Iuser/include -Itests/host
USER_BINS  := $(patsubst user/bin/%.c,$(B)/user/bin/%,$(wildcard user/bin/*.c))
USER_TESTS := $(patsubst user/tests/%.c,$(B)/user/tests/%,$(wildcard user/tests/*.c))
USER_HDRS  := $(wildcard user/include/*.h user/tests/*.h) tests/host/check.h
ROOT_FILES := $(shell find user/root -type f 2>/dev/null)

# QEMU: one machine for every target, tests and (later) benchmarks alike.
QEMU      ?= qemu-system-x86_64
QEMU_MEM  ?= 256M
QEMU_CPU  ?= max
QEMU_BASE := -machine q35 -cpu $(QEMU_CPU) -m $(QEMU_MEM) -no-reboot \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04
# The VGA window needs Debian's qemu-system-gui; the serial console is enough.
QEMU_DISPLAY ?= -display none
OVMF_CODE := $(firstword $(wildcard /usr/share/OVMF/OVMF_CODE_4M.fd /usr/share/OVMF/OVMF_CODE.fd /usr/share/ovmf/OVMF.fd))
OVMF_VARS := $(firstword $(wildcard /usr/share/OVMF/OVMF_VARS_4M.fd /usr/share/OVMF/OVMF_VARS.fd))
# Each user gets their own gdb port, so two students on one machine do not clash.
GDBPORT   := $(shell expr `id -u` % 5000 + 25000)
# `make V=1` shows the full commands.
ifeq ($(V),1)
Q :=
else
Q := @
endif

# Extra kernel command-line words for `make qemu ARGS="selftest=all"`, passed
# as an SMBIOS OEM string that grub.cfg reads (tools/mkiso.sh).
ARGS ?=
comma := ,
SMBIOS_ARGS = $(if $(ARGS),-smbios "type=11$(comma)value=$(ARGS)")

.PHONY: print-gdbport print-host-tests test-linux bench bench-plot user all deps qemu qemu-nox qemu-uefi qemu-gdb gdb test test-host format format-check clean help
all: deps $(B)/moo.iso

deps:
	@tools/deps.sh build iso user

# ---------------------------------------------------------------- kernel
$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(KCFLAGS) -c $< -o $@

$(B)/%.o: %.asm
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  NASM    $<")
	$(Q)$(NASM) -f elf64 -g -F dwarf -MD $(@:.o=.d) -MP $< -o $@

# Objects depend on the flags they were built with: `make DEBUG=0` after
# `make` rebuilds everything instead of mixing the two.
KFLAGS_STAMP := $(B)/kcflags.txt
$(shell mkdir -p $(B) && echo '$(KCFLAGS)' | cmp -s - $(KFLAGS_STAMP) || echo '$(KCFLAGS)' > $(KFLAGS_STAMP))
$(KOBJS): $(KFLAGS_STAMP)

# Two links: the first finds every function's address, the second adds the
# table of them (.ksyms, placed last so that nothing else moves; checked).
$(B)/moo.elf: $(KOBJS) linker.ld tools/ksyms.sh
	@$(if $(Q),echo "  LD      $@ (two passes, for the symbol table)")
	$(Q)tools/ksyms.sh > $(B)/ksyms0.c
	$(Q)$(CC) $(KCFLAGS) -c $(B)/ksyms0.c -o $(B)/ksyms0.o
	$(Q)$(LD) -n -z noexecstack -T linker.ld -o $(B)/moo.pass1.elf $(KOBJS) $(B)/ksyms0.o
	$(Q)NM=$(NM) tools/ksyms.sh $(B)/moo.pass1.elf > $(B)/ksyms.c
	$(Q)$(CC) $(KCFLAGS) -c $(B)/ksyms.c -o $(B)/ksyms.o
	$(Q)$(LD) -n -z noexecstack -T linker.ld -o $@ $(KOBJS) $(B)/ksyms.o
	@$(NM) -n $(B)/moo.pass1.elf | grep -v -e ksyms -e _kernel_end > $(B)/syms1.txt
	@$(NM) -n $@ | grep -v -e ksyms -e _kernel_end > $(B)/syms2.txt
	@cmp -s $(B)/syms1.txt $(B)/syms2.txt || { echo "ksyms: symbols moved between links"; exit 1; }

$(B)/moo.iso: $(B)/moo.elf $(B)/initrd.cpio tools/mkiso.sh
	@$(if $(Q),echo "  ISO     $@ (grub-mkrescue: BIOS + UEFI)")
	$(Q)tools/mkiso.sh $(B)/moo.elf $(B)/initrd.cpio $@

# ---------------------------------------------------------------- userland
$(B)/user/bin/%: user/bin/%.c $(USER_HDRS)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  MUSLCC  $<")
	$(Q)$(MUSLCC) $(USER_CFLAGS) $< -o $@

$(B)/user/tests/%: user/tests/%.c $(USER_HDRS)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  MUSLCC  $<")
	$(Q)$(MUSLCC) $(USER_CFLAGS) $< -o $@

# The root filesystem: user/root/ (etc/motd ...), /bin and /tests, as a cpio
# "newc" archive that GRUB loads as a multiboot2 module.
$(B)/initrd.cpio: $(USER_BINS) $(USER_TESTS) $(ROOT_FILES)
	@$(if $(Q),echo "  CPIO    $@")
	$(Q)rm -rf $(B)/initrd && mkdir -p $(B)/initrd/bin $(B)/initrd/tests $(B)/initrd/tmp \
		$(B)/initrd/dev $(B)/initrd/proc
	$(Q)cp -r user/root/. $(B)/initrd/
	$(Q)cp $(USER_BINS) $(B)/initrd/bin/
	$(Q)$(if $(USER_TESTS),cp $(USER_TESTS) $(B)/initrd/tests/)
	$(Q)cd $(B)/initrd && find . | LC_ALL=C sort | cpio -o -H newc --quiet > ../initrd.cpio

user: $(USER_BINS) $(USER_TESTS)

# ---------------------------------------------------------------- running
qemu: all
	@tools/deps.sh qemu
	$(QEMU) $(QEMU_BASE) $(QEMU_DISPLAY) -serial mon:stdio -cdrom $(B)/moo.iso \
		$(SMBIOS_ARGS)

qemu-nox: all
	@tools/deps.sh qemu
	$(QEMU) $(QEMU_BASE) -display none -serial mon:stdio -cdrom $(B)/moo.iso \
		$(SMBIOS_ARGS)

qemu-uefi: all
	@tools/deps.sh qemu uefi
	cp $(OVMF_VARS) $(B)/ovmf-vars.fd
	$(QEMU) $(QEMU_BASE) $(QEMU_DISPLAY) -serial mon:stdio -cdrom $(B)/moo.iso \
		-drive if=pflash,format=raw,readonly=on,file=$(OVMF_CODE) \
		-drive if=pflash,format=raw,file=$(B)/ovmf-vars.fd \
		$(SMBIOS_ARGS)

qemu-gdb: all
	@tools/deps.sh qemu
	@echo "*** waiting for gdb on port $(GDBPORT): run 'make gdb' in another terminal"
	$(QEMU) $(QEMU_BASE) -display none -serial mon:stdio -cdrom $(B)/moo.iso \
		-gdb tcp:127.0.0.1:$(GDBPORT) -S $(SMBIOS_ARGS)

gdb: $(B)/moo.elf
	@tools/deps.sh gdb
	gdb -q -ex "set architecture i386:x86-64" -ex "target remote 127.0.0.1:$(GDBPORT)" \
		-x tools/gdbinit $(B)/moo.elf

# ---------------------------------------------------------------- tests
test:
	@tools/deps.sh build iso user qemu uefi gdb format python
	@tools/test.sh

$(B)/host/%: tests/host/%.c tests/host/env.c tests/host/check.h $(MM_HOST_SRCS)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  HOSTCC  $@")
	$(Q)$(HOSTCC) $(HOSTCFLAGS) $< tests/host/env.c $(MM_HOST_SRCS) -o $@

$(B)/host/test_printf: tests/host/test_printf.c kernel/printf.c tests/host/check.h
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  HOSTCC  $@")
	$(Q)$(HOSTCC) $(HOSTCFLAGS) -Dvsnprintf=k_vsnprintf -Dsnprintf=k_snprintf \
		-Dvcbprintf=k_vcbprintf $< kernel/printf.c -o $@

# moo against Linux on the same QEMU with the same membench binary (tools/bench).
bench: all
	@tools/deps.sh python
	tools/bench

bench-plot: all
	@tools/deps.sh python plot
	tools/bench --plot

# The user test programs on the host Linux: the oracle that proves them right.
test-linux: $(USER_BINS) $(USER_TESTS)
	@tools/test.sh linux

test-host: $(HOST_TESTS)
	@for t in $(HOST_TESTS); do $$t || exit 1; done

FORMAT_FILES = $(sort $(wildcard kernel/*.[ch] kernel/fs/*.[ch] mm/*.[ch] tests/host/*.[ch] tests/kernel/*.[ch] user/*/*.[ch]))
format:
	clang-format -i $(FORMAT_FILES)

format-check:
	@tools/deps.sh format
	clang-format --dry-run --Werror $(FORMAT_FILES)

clean:
	rm -rf $(B)

help:
	@echo "moo make targets:"
	@echo "  all           build the kernel (build/moo.elf) and the GRUB ISO (build/moo.iso)"
	@echo "  qemu          boot the ISO in QEMU (BIOS), serial console on this terminal"
	@echo "                (QEMU_DISPLAY= adds the VGA window)"
	@echo "  qemu-nox      the same, never with a display window"
	@echo "  qemu-uefi     boot the same ISO under UEFI firmware (OVMF)"
	@echo "  qemu-gdb      boot and wait for gdb on port $(GDBPORT) (per-user port)"
	@echo "  gdb           attach gdb to 'make qemu-gdb', with kernel symbols"
	@echo "  test          run every test (host unit, in-kernel, user programs in moo and on Linux,"
	@echo "                boot, console, gdb); ends 'N passed, N failed'"
	@echo "  test-host     only the host unit tests of mm/ (ASan+UBSan)"
	@echo "  test-linux    the user test programs on this host's Linux (proves them right)"
	@echo "  bench         membench on moo and on Debian's Linux kernel in the same QEMU"
	@echo "  bench-plot    bench, then draw docs/fork-cost.svg and refresh docs/performance.md"
	@echo "  user          build the user programs (build/user/bin, build/user/tests)"
	@echo "  format        reformat C sources with clang-format"
	@echo "  format-check  fail if any C source is not formatted"
	@echo "  clean         remove build/"
	@echo "variables: ARGS=\"...\" extra kernel command line (e.g. ARGS=selftest=all),"
	@echo "  QEMU_MEM=256M, QEMU_CPU=max, QEMU_DISPLAY=\"-display none\","
	@echo "  CROSS=x86_64-elf- (cross toolchain prefix), DEBUG=1 (poison freed memory),"
	@echo "  V=1 (show full commands)"

-include $(shell find $(B) -name '*.d' 2>/dev/null)

print-host-tests:
	@echo $(HOST_TESTS)

print-gdbport:
	@echo $(GDBPORT)
