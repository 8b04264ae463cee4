#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the lab's guest kernel from linux-source-6.12 with guest.config on
# top of tinyconfig, and install it into the lab root for the lab VM to
# boot guests with: /boot/cdna-guest/{bzImage,modules/*.ko,build.id}.
# Cached: rebuilt only when the config or the source package changes.
# Usage: lab/guest-kernel/build.sh   (lab/setup.sh runs it)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lab.conf"

src_tar=$(ls /usr/src/linux-source-6.12.tar.* | head -n1)
gk="$LAB_CACHE/gk"
src="$gk/linux-source-6.12"
root="$LAB_CACHE/trixie"
id=$( { cat "$here/guest.config" "$0"; stat -c '%n %s %Y' "$src_tar"; } |
	sha1sum | cut -c1-12)

if [ -f "$root/boot/cdna-guest/build.id" ] &&
   [ "$(cat "$root/boot/cdna-guest/build.id")" = "$id" ]; then
	exit 0
fi

echo "guest-kernel: building (tinyconfig + guest.config, a few minutes)"
if [ ! -f "$src/Makefile" ] || [ "$(cat "$gk/src.tar" 2>/dev/null)" != "$src_tar" ]; then
	rm -rf "$src"
	mkdir -p "$gk"
	tar -C "$gk" -xf "$src_tar"
	echo "$src_tar" > "$gk/src.tar"
fi
mkdir -p "$gk/build"
make -s -C "$src" O="$gk/build" tinyconfig > /dev/null
"$src/scripts/kconfig/merge_config.sh" -m -O "$gk/build" \
	"$gk/build/.config" "$here/guest.config" > /dev/null
make -s -C "$src" O="$gk/build" olddefconfig > /dev/null
for opt in PCI_MSI IGBVF SERIAL_8250_CONSOLE MODULES BLK_DEV_INITRD; do
	grep -Eq "^CONFIG_$opt=[ym]" "$gk/build/.config" ||
		{ echo "guest-kernel: CONFIG_$opt did not stick" >&2; exit 1; }
done
make -s -C "$src" O="$gk/build" -j"$(nproc)" bzImage modules \
	> "$gk/build.log" 2>&1 ||
	{ tail -n 30 "$gk/build.log" >&2; exit 1; }

rm -rf "$root/boot/cdna-guest"
mkdir -p "$root/boot/cdna-guest/modules"
cp "$gk/build/arch/x86/boot/bzImage" "$root/boot/cdna-guest/"
find "$gk/build" -name '*.ko' -exec cp {} "$root/boot/cdna-guest/modules/" \;
cat "$gk/build/include/config/kernel.release" > "$root/boot/cdna-guest/release"
echo "$id" > "$root/boot/cdna-guest/build.id"
echo "guest-kernel: $(cat "$root/boot/cdna-guest/release") installed"
