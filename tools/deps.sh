#!/usr/bin/env bash
# tools/deps.sh - make sure the host tools needed to build/run moo are present.
#
# Called by make targets before they need a tool, e.g. `tools/deps.sh build iso`.
# When everything is present it prints nothing and exits 0 (no apt calls).
# When something is missing it installs the Debian/Ubuntu packages providing it
# (apt-get, as root or via sudo), or explains what to install and exits 1.
#
# Usage: tools/deps.sh [--list] GROUP...    (see --help)
set -euo pipefail

prog="deps"

# Requirement table: GROUP|KIND|WHAT|PACKAGE
#   KIND cmd:  WHAT is a command looked up with `command -v`
#   KIND file: WHAT is a ':'-separated list of files; any one of them suffices
reqs=(
	"build|cmd|gcc|gcc"
	"build|cmd|make|make"
	"build|cmd|ld|binutils"
	"build|cmd|objcopy|binutils"
	"build|cmd|nm|binutils"
	"build|cmd|nasm|nasm"
	"iso|cmd|grub-mkrescue|grub-common"
	"iso|file|/usr/lib/grub/i386-pc/moddep.lst|grub-pc-bin"
	"iso|file|/usr/lib/grub/x86_64-efi/moddep.lst|grub-efi-amd64-bin"
	"iso|cmd|xorriso|xorriso"
	"iso|cmd|mformat|mtools"
	"qemu|cmd|qemu-system-x86_64|qemu-system-x86"
	"uefi|file|/usr/share/OVMF/OVMF_CODE_4M.fd:/usr/share/OVMF/OVMF_CODE.fd:/usr/share/ovmf/OVMF.fd|ovmf"
	"user|cmd|musl-gcc|musl-tools"
	"user|cmd|cpio|cpio"
	"gdb|cmd|gdb|gdb"
	"format|cmd|clang-format|clang-format"
	"python|cmd|python3|python3"
	"plot|cmd|gnuplot|gnuplot-nox"
)
all_groups=(build iso qemu uefi user gdb format python plot)

usage() {
	cat <<EOF
Usage: tools/deps.sh [--list] GROUP...
       tools/deps.sh --help

Check that the host tools for the given groups are installed and, on
Debian/Ubuntu, install the missing ones with apt-get (as root or via sudo).
Prints nothing when everything is already present.

Groups: ${all_groups[*]} all

Options:
  --list     print the Debian packages the groups need (one line) and exit
  --help     show this help

Environment:
  MOO_NO_INSTALL=1   only check and report; exit 1 if something is missing
EOF
}

die_usage() {
	printf '%s: %s\n' "$prog" "$1" >&2
	printf 'Try: tools/deps.sh --help\n' >&2
	exit 2
}

# ---- argument parsing ------------------------------------------------------
list_only=0
groups=()
declare -A seen_group=()

add_group() {
	if [[ -z "${seen_group[$1]:-}" ]]; then
		seen_group[$1]=1
		groups+=("$1")
	fi
}

for arg in "$@"; do
	case "$arg" in
	-h | --help)
		usage
		exit 0
		;;
	--list) list_only=1 ;;
	-*) die_usage "unknown option: $arg" ;;
	all)
		for g in "${all_groups[@]}"; do add_group "$g"; done
		;;
	*)
		known=0
		for g in "${all_groups[@]}"; do
			if [[ "$g" == "$arg" ]]; then known=1; fi
		done
		[[ "$known" == 1 ]] || die_usage "unknown group: $arg (groups: ${all_groups[*]} all)"
		add_group "$arg"
		;;
	esac
done

[[ ${#groups[@]} -gt 0 ]] || die_usage "no group given"

# Does the requirement's group belong to the selection?
selected() {
	[[ -n "${seen_group[$1]:-}" ]]
}

# ---- --list ----------------------------------------------------------------
if [[ "$list_only" == 1 ]]; then
	pkgs=()
	declare -A seen_pkg=()
	for r in "${reqs[@]}"; do
		IFS='|' read -r group _ _ pkg <<<"$r"
		selected "$group" || continue
		if [[ -z "${seen_pkg[$pkg]:-}" ]]; then
			seen_pkg[$pkg]=1
			pkgs+=("$pkg")
		fi
	done
	printf '%s\n' "${pkgs[*]}"
	exit 0
fi

# ---- checking --------------------------------------------------------------
# Fills: missing_desc (one "WHAT (package PKG)" per missing item),
#        missing_pkgs (unique packages), missing_groups (unique groups).
missing_desc=()
missing_pkgs=()
missing_groups=()

present() {
	local kind="$1" what="$2" f
	if [[ "$kind" == cmd ]]; then
		command -v "$what" >/dev/null 2>&1
		return
	fi
	local IFS=':'
	for f in $what; do
		[[ -e "$f" ]] && return 0
	done
	return 1
}

check() {
	local r group kind what pkg shown
	local -A seen_p=() seen_g=()
	missing_desc=()
	missing_pkgs=()
	missing_groups=()
	hash -r
	for r in "${reqs[@]}"; do
		IFS='|' read -r group kind what pkg <<<"$r"
		selected "$group" || continue
		present "$kind" "$what" && continue
		shown="$what"
		if [[ "$kind" == file && "$what" == *:* ]]; then
			shown="one of ${what//:/, }"
		fi
		missing_desc+=("$shown (package $pkg)")
		if [[ -z "${seen_p[$pkg]:-}" ]]; then
			seen_p[$pkg]=1
			missing_pkgs+=("$pkg")
		fi
		if [[ -z "${seen_g[$group]:-}" ]]; then
			seen_g[$group]=1
			missing_groups+=("$group")
		fi
	done
	[[ ${#missing_desc[@]} -eq 0 ]]
}

# Print what is missing and how to get it, then exit 1.
fail() {
	local reason="$1" d sudo_hint="sudo " it="it"
	[[ "$EUID" == 0 ]] && sudo_hint=""
	[[ ${#missing_pkgs[@]} -gt 1 ]] && it="them"
	[[ -n "$reason" ]] && printf '%s: %s\n' "$prog" "$reason" >&2
	for d in "${missing_desc[@]}"; do
		printf '%s: missing %s\n' "$prog" "$d" >&2
	done
	printf '%s: install %s with: %sapt-get install %s\n' \
		"$prog" "$it" "$sudo_hint" "${missing_pkgs[*]}" >&2
	exit 1
}

# Fast path: everything present -> silent success.
if check; then
	exit 0
fi

# ---- installing ------------------------------------------------------------
case "${MOO_NO_INSTALL:-}" in
"" | 0) ;;
*) fail "MOO_NO_INSTALL is set, not installing (needed for: ${missing_groups[*]})" ;;
esac

if ! command -v apt-get >/dev/null 2>&1; then
	fail "apt-get not found (not Debian/Ubuntu?); install the equivalent packages with your package manager"
fi

as_root=()
if [[ "$EUID" != 0 ]]; then
	if ! command -v sudo >/dev/null 2>&1; then
		fail "not root and sudo is not available, cannot install"
	fi
	# Without a terminal sudo could not ask for a password: never hang.
	if { : </dev/tty; } 2>/dev/null; then
		as_root=(sudo)
	else
		as_root=(sudo -n)
	fi
fi

apt_run() {
	"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get "$@"
}

apt_update() {
	printf '%s: running apt-get update\n' "$prog" >&2
	apt_run update || true
}

printf '%s: installing %s (needed for: %s)\n' \
	"$prog" "${missing_pkgs[*]}" "${missing_groups[*]}" >&2

updated=0
if ! compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null; then
	apt_update
	updated=1
fi

if ! apt_run install -y --no-install-recommends "${missing_pkgs[@]}"; then
	if [[ "$updated" == 1 ]]; then
		check || true
		fail "apt-get install failed"
	fi
	apt_update
	if ! apt_run install -y --no-install-recommends "${missing_pkgs[@]}"; then
		check || true
		fail "apt-get install failed"
	fi
fi

if ! check; then
	fail "still missing after installing packages"
fi
exit 0
