#!/usr/bin/env bash
# test.sh [PATTERN] - every moo test, ending with one line "N passed, N failed".
#
# Layers (see README, "Tests"): source formatting; host unit tests of mm/
# (ASan+UBSan); in-kernel self-tests under BIOS and UEFI; trap reports of
# deliberate kernel faults; boot-time error messages; gdb in batch mode.
# QEMU never gets a terminal: serial output goes to a file under build/test/,
# results come back through isa-debug-exit. With PATTERN, only tests whose
# name contains it run.
set -uo pipefail
cd "$(dirname "$0")/.."
# Tests never read the terminal. Standard input is /dev/null from here on,
# also when it was closed: otherwise a pipe made for $(...) could land on
# fd 0, and a command reading its standard input would wait on itself.
exec < /dev/null

B=build
T=$B/test
mkdir -p "$T"
PATTERN=${1:-}
PASSED=0
FAILED=0
FAILURES=()
QEMU=${QEMU:-qemu-system-x86_64}
QEMU_BASE=(-machine q35 -cpu max -m 256M -no-reboot -display none
	-device isa-debug-exit,iobase=0xf4,iosize=0x04)
OVMF_CODE=$(ls /usr/share/OVMF/OVMF_CODE_4M.fd /usr/share/OVMF/OVMF_CODE.fd /usr/share/ovmf/OVMF.fd 2>/dev/null | head -1)
OVMF_VARS=$(ls /usr/share/OVMF/OVMF_VARS_4M.fd /usr/share/OVMF/OVMF_VARS.fd 2>/dev/null | head -1)
QEMU_EXIT_PASS=33   # kernel/power.h: (0x10 << 1) | 1
QEMU_EXIT_PANIC=37  # (0x12 << 1) | 1

wanted() { [[ -z $PATTERN || $1 == *"$PATTERN"* ]]; }

pass() { PASSED=$((PASSED + 1)); printf 'ok   %s\n' "$1"; }
fail() {
	FAILED=$((FAILED + 1)); FAILURES+=("$1")
	printf 'FAIL %s: %s\n' "$1" "$2"
}

# add_counts NAME LOG: add a sub-suite's "N passed, N failed" line to the totals.
add_counts() {
	local line p f
	line=$(grep -E '[0-9]+ passed, [0-9]+ failed' "$2" | tail -1)
	if [[ -z $line ]]; then
		fail "$1" "no result line (see $2)"
		return
	fi
	p=$(sed -E 's/.* ([0-9]+) passed.*/\1/' <<<"$line")
	f=$(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"$line")
	PASSED=$((PASSED + p)); FAILED=$((FAILED + f))
	((f == 0)) || FAILURES+=("$1 ($f failed, see $2)")
	printf '%s %s: %s\n' "$( ((f == 0)) && echo 'ok  ' || echo FAIL)" "$1" "$line"
}

# expect NAME LOG STRING...: pass if the log contains every string.
expect() {
	local name=$1 log=$2 s
	shift 2
	for s in "$@"; do
		if ! grep -qF -- "$s" "$log"; then
			fail "$name" "expected \"$s\" in $log"
			return 1
		fi
	done
	pass "$name"
}

# boot NAME FIRMWARE ARGS [QEMU OPTIONS...]: boot the ISO with kernel command
# line ARGS (an SMBIOS OEM string read by GRUB, see tools/mkiso.sh); the
# serial log lands in $T/NAME.log and QEMU's exit status in $rc.
boot() {
	local name=$1 firmware=$2 args=$3
	shift 3
	local fw=()
	if [[ $firmware == uefi ]]; then
		cp "$OVMF_VARS" "$T/$name.vars"
		fw=(-drive "if=pflash,format=raw,readonly=on,file=$OVMF_CODE"
			-drive "if=pflash,format=raw,file=$T/$name.vars")
	fi
	rm -f "$T/$name.log"
	timeout 120 "$QEMU" "${QEMU_BASE[@]}" "${fw[@]}" -cdrom $B/moo.iso \
		-serial "file:$T/$name.log" -smbios "type=11,value=$args" "$@" \
		> "$T/$name.qemu.log" 2>&1
	rc=$?
}

# boot_until NAME STRING SECONDS [QEMU OPTIONS...]: for boots that halt rather
# than exit: stop QEMU as soon as the log shows STRING (or after SECONDS).
boot_until() {
	local name=$1 want=$2 secs=$3
	shift 3
	rm -f "$T/$name.log"
	"$QEMU" "${QEMU_BASE[@]}" -cdrom $B/moo.iso -serial "file:$T/$name.log" "$@" \
		> "$T/$name.qemu.log" 2>&1 &
	local pid=$! i
	for ((i = 0; i < secs * 10; i++)); do
		grep -qF -- "$want" "$T/$name.log" 2>/dev/null && break
		kill -0 $pid 2>/dev/null || break
		sleep 0.1
	done
	kill $pid 2>/dev/null
	wait $pid 2>/dev/null
}

section() { printf '\n== %s\n' "$1"; }

# wait_port PORT: until something listens on TCP PORT (QEMU's gdb stub), at
# most 30 s; a loaded machine may take a while to start QEMU. It reads
# /proc/net/tcp rather than connecting: a probe connection that closes
# could let QEMU resume a machine it holds stopped for gdb (-S).
wait_port() {
	local i hex
	hex=$(printf ':%04X 00000000:0000 0A' "$1")
	for ((i = 0; i < 300; i++)); do
		grep -q "$hex" /proc/net/tcp 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}
START=$(date +%s)

# ---------------------------------------------------------------- static
if wanted format; then
	section "formatting (clang-format, .clang-format)"
	if make -s format-check > "$T/format.log" 2>&1; then pass format
	else fail format "run 'make format' (see $T/format.log)"; fi
fi

# ---------------------------------------------------------------- dependencies
if wanted deps; then
	section "a missing tool is named together with its package"
	bin="$T/deps-bin"
	rm -rf "$bin" && mkdir -p "$bin"
	for c in bash env id cat sed grep tr sort uniq gcc make ld objcopy nm; do
		p=$(command -v "$c") && ln -sf "$p" "$bin/$c"
	done
	# everything of the "build" group but nasm is there; nothing gets installed
	MOO_NO_INSTALL=1 PATH="$bin" bash tools/deps.sh build > "$T/deps.log" 2>&1
	rc=$?
	if ((rc == 1)); then
		expect deps-missing-tool-named "$T/deps.log" "missing nasm (package nasm)"
	else
		fail deps-missing-tool-named "exit status $rc, wanted 1 (see $T/deps.log)"
	fi
	tools/deps.sh build > "$T/deps-ok.log" 2>&1 && [[ ! -s $T/deps-ok.log ]] &&
		pass deps-silent-when-present || fail deps-silent-when-present "see $T/deps-ok.log"
fi

# ---------------------------------------------------------------- host unit tests
if wanted host; then
	section "host unit tests of mm/ (ASan + UBSan)"
	if ! make -s -j2 $(make -s -f Makefile print-host-tests) > "$T/host-build.log" 2>&1; then
		fail host-build "see $T/host-build.log"
	else
		for t in $(make -s -f Makefile print-host-tests); do
			n=host-$(basename "$t")
			"$t" > "$T/$n.log" 2>&1
			add_counts "$n" "$T/$n.log"
		done
	fi
fi

# ---------------------------------------------------------------- kernel
section "build"
if make -s all > "$T/build.log" 2>&1; then pass build
else
	fail build "see $T/build.log"
	tail -20 "$T/build.log"
	printf '\n%d passed, %d failed\n' "$PASSED" "$FAILED"
	exit 1
fi

if wanted boot-bios; then
	section "boot under BIOS (SeaBIOS) and run the in-kernel self-tests"
	t0=$(date +%s%N)
	boot boot-bios bios "selftest=all panic=exit"
	printf '     (boot and self-tests: %d ms)\n' $((($(date +%s%N) - t0) / 1000000))
	expect boot-bios $T/boot-bios.log "moo: a small x86-64 kernel" \
		"memory map from the firmware:" "managed by the page allocator" "paging: on, 4-level, NX on"
	add_counts selftests-bios $T/boot-bios.log
	((rc == QEMU_EXIT_PASS)) || fail selftests-bios-exit "QEMU exit status $rc, wanted $QEMU_EXIT_PASS"
fi

if wanted boot-5g; then
	section "boot with RAM above 4 GiB (beyond the early direct map)"
	boot boot-5g bios "selftest=all panic=exit" -m 5G
	expect boot-5g $T/boot-5g.log "[mem 0x0000000100000000-" "selftests: "
	((rc == QEMU_EXIT_PASS)) || fail boot-5g-exit "QEMU exit status $rc, wanted $QEMU_EXIT_PASS"
fi

if wanted boot-uefi; then
	section "boot the same ISO under UEFI (OVMF) and run the in-kernel self-tests"
	if [[ -z $OVMF_CODE || -z $OVMF_VARS ]]; then
		fail boot-uefi "no OVMF firmware (package ovmf)"
	else
		t0=$(date +%s%N)
		boot boot-uefi uefi "selftest=all panic=exit"
		printf '     (boot and self-tests: %d ms)\n' $((($(date +%s%N) - t0) / 1000000))
		expect boot-uefi $T/boot-uefi.log "moo: a small x86-64 kernel" \
			"managed by the page allocator" "paging: on, 4-level, NX on"
		add_counts selftests-uefi $T/boot-uefi.log
		((rc == QEMU_EXIT_PASS)) || fail selftests-uefi-exit "QEMU exit status $rc, wanted $QEMU_EXIT_PASS"
	fi
fi

# ---------------------------------------------------------------- trap reports
# crash NAME STRINGS...: boot with crash=NAME; the report must contain STRINGS.
crash() {
	local what=$1
	shift
	wanted "crash-$what" || return 0
	boot "crash-$what" bios "crash=$what panic=exit"
	if ((rc != QEMU_EXIT_PANIC)); then
		fail "crash-$what" "QEMU exit status $rc, wanted $QEMU_EXIT_PANIC (see $T/crash-$what.log)"
		return
	fi
	expect "crash-$what" "$T/crash-$what.log" "$@"
}
section "deliberate kernel faults give a decoded report"
crash null-read "kernel page fault: #PF page fault (vector 14) in kernel mode" \
	"page fault at cr2 0000000000000000: not-present read from kernel mode" \
	"faulting instruction in crash_null_read" "crash_run+" "kmain+" "rip ffffffff80"
crash rodata-write "protection-violation write from kernel mode" "crash_rodata_write+"
crash nx-exec "protection-violation instruction-fetch from kernel mode" \
	"called from crash_nx_exec"
crash stack-overflow "#DF double fault (vector 8)" "kernel stack overflow" "crash_recurse"
crash panic "kernel panic: crash=panic asked for a panic" "panic+" "kmain+"
crash task-stack-overflow "kernel panic: kernel stack overflow in" "check_stack_end+"

# ---------------------------------------------------------------- bad machines
if wanted no-long-mode; then
	section "a CPU without long mode gets a message, not a triple fault"
	boot_until no-long-mode "no 64-bit long mode" 30 -cpu qemu32
	expect no-long-mode $T/no-long-mode.log "moo: this CPU has no 64-bit long mode"
fi

# ---------------------------------------------------------------- user programs
USER_TESTS=$(cd build/user/tests 2>/dev/null && ls)
if wanted linux; then
	section "user test programs on the host Linux (proves each test is right)"
	for t in $USER_TESTS; do
		PATH="$PWD/build/user/bin:$PATH" SH="$PWD/build/user/bin/sh" \
			timeout 120 "build/user/tests/$t" > "$T/linux-$t.log" 2>&1
		add_counts "linux-$t" "$T/linux-$t.log"
	done
fi

if wanted moo-; then
	section "the same user test programs in moo (tools/run)"
	for t in $USER_TESTS; do
		tools/run --no-build --timeout 300 --klog "$T/moo-$t.klog" -- "/tests/$t" \
			> "$T/moo-$t.log" 2>&1
		rc=$?
		add_counts "moo-$t" "$T/moo-$t.log"
		((rc == 0)) || fail "moo-$t-exit" "exit status $rc (see $T/moo-$t.log, $T/moo-$t.klog)"
		if [[ $t == syscalls ]]; then # the log line that names an unimplemented syscall
			grep -q "called unimplemented syscall 5000 (not a Linux system call): -ENOSYS" \
				"$T/moo-$t.klog" && pass moo-enosys-logged ||
				fail moo-enosys-logged "no log line for syscall 5000 in $T/moo-$t.klog"
		fi
		if grep -q "^tools/run: leak" "$T/moo-$t.log"; then
			fail "moo-$t-no-leak" "$(grep '^tools/run: leak' "$T/moo-$t.log")"
		else
			pass "moo-$t-no-leak"
		fi
	done
fi

if wanted run; then
	section "tools/run: exit status, signals, input, extra files, timeout"
	out=$(tools/run --no-build -- sh -c 'echo out; exit 3' 2>&1); rc=$?
	[[ $rc == 3 && $out == out ]] && pass run-exit-status || fail run-exit-status "rc=$rc out=$out"
	tools/run --no-build -- sh -c 'kill -SEGV $$' > /dev/null 2>&1; rc=$?
	((rc == 139)) && pass run-signal-128-plus || fail run-signal-128-plus "rc=$rc, wanted 139"
	out=$(printf 'one\ntwo\n' | tools/run --no-build -- cat 2>&1); rc=$?
	[[ $rc == 0 && $out == $'one\ntwo' ]] && pass run-stdin || fail run-stdin "rc=$rc out=$out"
	echo "from the host" > "$T/run-file.txt"
	out=$(tools/run --no-build --file "$T/run-file.txt:/etc/extra.txt" -- cat /etc/extra.txt 2>&1)
	[[ $out == "from the host" ]] && pass run-file || fail run-file "out=$out"
	tools/run --no-build --timeout 3 -- sleep 100 > /dev/null 2>&1; rc=$?
	((rc == 124)) && pass run-timeout || fail run-timeout "rc=$rc, wanted 124"
	out=$(tools/run --no-build --uefi -- echo under-uefi 2>&1)
	[[ $out == under-uefi ]] && pass run-uefi-output-is-only-the-commands ||
		fail run-uefi-output-is-only-the-commands "out=$out"
	# the leak check must see memory a command leaves behind (a file in tmpfs)
	out=$(tools/run --no-build -- sh -c 'echo x > /tmp/left-behind' 2>&1)
	[[ $out == *"tools/run: leak: the kernel is 1 pages short"* ]] && pass run-leak-check-detects \
		|| fail run-leak-check-detects "no leak report for a file left in /tmp: $out"
fi

if wanted vmdump; then
	section "vmdump shows copy-on-write across fork"
	tools/run --no-build -- vmdump -f > "$T/vmdump.log" 2>&1
	addr=$(sed -n 's/.*of .data at 0x\([0-9a-f]*\): its own copy now/\1/p' "$T/vmdump.log")
	page=$(printf '%012x' $((0x${addr:-0} & ~0xfff)))
	# right after fork: shared private pages are read-only with two users
	if grep -qE 'r--  anon  2' "$T/vmdump.log" &&
		sed -n '/its own copy now/,$p' "$T/vmdump.log" | grep -qE "^  $page-.* rw-  anon  1\$"; then
		pass vmdump-shows-cow
	else
		fail vmdump-shows-cow "no shared r-- page with refs 2, or no private copy at $page (see $T/vmdump.log)"
	fi
fi

if wanted membench; then
	section "membench smoke run (tiny sizes; figures are reported, never asserted)"
	tools/run --no-build --icount --timeout 300 -- membench --small > "$T/membench.log" 2>&1
	rc=$?
	missing=""
	for f in null_syscall fork_exit_wait_0mib fork_parent_1mib cow_child cow_parent cow_reuse \
		anon_first_write zero_page_read write_after_read file_private_read \
		file_private_write memcpy_4k; do
		grep -qE "^$f +[0-9]+ " "$T/membench.log" || missing+=" $f"
	done
	if ((rc == 0)) && [[ -z $missing ]]; then pass membench-smoke
	else fail membench-smoke "rc=$rc, missing:$missing (see $T/membench.log)"; fi
fi

# make_target NAME TARGET: the README's own command, fed a command line on
# standard input (a pipe, never a terminal): it must boot to the shell.
make_target() {
	wanted "$1" || return 0
	# the quotes make the output differ from the echoed input: only a shell
	# that ran the command prints NAME-ran
	(sleep "$3"; printf "echo '%s''-ran'\npoweroff\n" "$1") | timeout 120 make -s "$2" \
		> "$T/$1.log" 2>&1
	expect "$1" "$T/$1.log" "$1-ran" "moo: power off"
}
section "the README's commands: make qemu and make qemu-uefi boot to a shell"
make_target make-qemu qemu 4
make_target make-qemu-uefi qemu-uefi 10

if wanted console; then
	section "the interactive shell on the serial console"
	tools/console-test.py --log "$T/console.log" > "$T/console-test.log" 2>&1
	cat "$T/console-test.log" | grep -v '^console:'
	add_counts console "$T/console-test.log"
fi

# ---------------------------------------------------------------- gdb
GDB_PORT=$(( $(id -u) % 5000 + 30000 ))
if wanted gdb-bad-magic; then
	section "entered without the multiboot2 magic (eax changed in gdb)"
	boot_until gdb-bad-magic "not booted by a multiboot2 loader" 60 \
		-gdb tcp:127.0.0.1:$GDB_PORT -S &
	bpid=$!
	wait_port $GDB_PORT
	timeout 60 gdb -q -batch -nx -ex "set architecture i386:x86-64" \
		-ex "target remote 127.0.0.1:$GDB_PORT" -ex "hbreak _start" -ex continue \
		-ex 'set $eax = 0' -ex detach build/moo.elf > "$T/gdb-bad-magic.gdb.log" 2>&1
	wait $bpid
	expect gdb-bad-magic $T/gdb-bad-magic.log "moo: not booted by a multiboot2 loader"
fi

if wanted make-gdb; then
	section "the README's debugging commands: make qemu-gdb and make gdb"
	timeout 120 make -s qemu-gdb > "$T/make-qemu-gdb.log" 2>&1 &
	qpid=$!
	wait_port "$(make -s -f Makefile print-gdbport)"
	printf 'hbreak kmain\ncontinue\nbt\ninfo registers rip\nkill\nquit\n' |
		timeout 120 make -s gdb > "$T/make-gdb.log" 2>&1
	kill $qpid 2>/dev/null
	wait $qpid 2>/dev/null
	expect make-gdb "$T/make-gdb.log" "Breakpoint 1, kmain" "#0  kmain" "rip            0xffffffff80"
fi

if wanted gdb-debug; then
	section "gdb: breakpoints, backtrace and 64-bit registers across the mode switch"
	rm -f "$T/gdb-debug.log"
	"$QEMU" "${QEMU_BASE[@]}" -cdrom $B/moo.iso -serial "file:$T/gdb-debug.log" \
		-gdb tcp:127.0.0.1:$GDB_PORT -S > "$T/gdb-debug.qemu.log" 2>&1 &
	qpid=$!
	wait_port $GDB_PORT
	timeout 120 gdb -q -batch -nx -ex "set architecture i386:x86-64" \
		-ex "target remote 127.0.0.1:$GDB_PORT" -x tools/gdbinit \
		-ex "hbreak kmain" -ex continue -ex "info registers rip rsp cr3" \
		-ex "break timer_init" -ex continue -ex bt -ex "p/x \$rsp" -ex next -ex "info line *\$pc" \
		-ex kill build/moo.elf > "$T/gdb-debug.gdb.log" 2>&1
	kill $qpid 2>/dev/null
	wait $qpid 2>/dev/null
	if grep -q "too long" "$T/gdb-debug.gdb.log"; then
		fail gdb-debug "gdb misread the registers (see $T/gdb-debug.gdb.log)"
	else
		expect gdb-debug "$T/gdb-debug.gdb.log" "Breakpoint 1, kmain" "rip            0xffffffff80" \
			"Breakpoint 2, timer_init" "#0  timer_init" "#1  0xffffffff80" "in kmain" \
			"<timer_init+" "\$1 = 0xffffffff80"
	fi
fi

if wanted gdb-helpers; then
	section "gdb helpers (tools/gdb/moo.py) read moo's tasks, VMAs and page tables"
	"$QEMU" "${QEMU_BASE[@]}" -cdrom $B/moo.iso -serial "file:$T/gdb-helpers.log" \
		-gdb tcp:127.0.0.1:$GDB_PORT -S > /dev/null 2>&1 &
	qpid=$!
	wait_port $GDB_PORT
	timeout 120 gdb -q -batch -nx -ex "set architecture i386:x86-64" \
		-ex "target remote 127.0.0.1:$GDB_PORT" -x tools/gdbinit -ex "hbreak kmain" \
		-ex continue -ex "break do_page_fault" -ex continue -ex moo-ps -ex moo-vmas \
		-ex "moo-pt 0x401000" -ex "moo-page 0" -ex kill build/moo.elf \
		> "$T/gdb-helpers.gdb.log" 2>&1
	kill $qpid 2>/dev/null
	wait $qpid 2>/dev/null
	expect gdb-helpers "$T/gdb-helpers.gdb.log" "init" "r-xp /bin/init +0x1000" \
		"PML4[  0]" "pfn 0x0: refcount 0, flags reserved"
fi

END=$(date +%s)
printf '\n(%d s)\n' $((END - START))
if ((FAILED)); then
	printf 'failed: %s\n' "${FAILURES[@]}"
fi
printf '%d passed, %d failed\n' "$PASSED" "$FAILED"
((FAILED == 0))
