#!/bin/sh
# mkiso.sh KERNEL.elf INITRD.cpio OUT.iso - a hybrid BIOS + UEFI boot ISO with GRUB.
#
# The kernel command line is "console=ttyS0" plus whatever QEMU passes as an
# SMBIOS OEM string (-smbios type=11,value="..."): GRUB's smbios command reads
# it at boot, so tests choose options without rebuilding the ISO.
set -eu
elf=$1
initrd=$2
out=$3
dir=$(dirname "$out")/iso
rm -rf "$dir"
mkdir -p "$dir/boot/grub"
cp "$elf" "$dir/boot/moo.elf"
cp "$initrd" "$dir/boot/initrd.cpio"
cat > "$dir/boot/grub/grub.cfg" <<'CFG'
set timeout=0
set default=0
insmod smbios
# Under UEFI there is no text mode: load the firmware's video drivers so
# GRUB can hand the kernel a framebuffer (moo reports it and keeps using COM1).
if [ "$grub_platform" = "efi" ]; then
	insmod efi_gop
	insmod efi_uga
fi
set moo_args=""
# SMBIOS type 11 (OEM strings): the byte at offset 4 is the string count;
# with exactly one string, --get-string 4 returns that string.
smbios --type 11 --get-string 4 --set moo_args
# tools/run adds files by attaching a disk that holds moo-extra.cpio (a
# QEMU vvfat directory); it is loaded after the initrd and overrides it.
set moo_extra=""
search --no-floppy --file --set=moo_extra /moo-extra.cpio
menuentry "moo" {
	multiboot2 /boot/moo.elf $moo_args
	module2 /boot/initrd.cpio initrd
	if [ -n "$moo_extra" ]; then
		module2 ($moo_extra)/moo-extra.cpio extra
	fi
	boot
}
CFG
grub-mkrescue -o "$out" "$dir" 2> "$dir.log" || { cat "$dir.log" >&2; exit 1; }
