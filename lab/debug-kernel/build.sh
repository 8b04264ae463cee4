#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the lab's debug host kernel from linux-source-6.12 (the source of
# the lab kernel) with debug.config on top of tinyconfig, and install it
# into the lab root: /boot/cdna-debug/{bzImage,release,build.id} and its
# modules under /lib/modules/RELEASE.  The build directory is the KDIR the
# project's modules are built against for it (make modules-debug).
# Cached: rebuilt only when the config, this script or the source changes.
# Prints how long the build took.
# Usage: lab/debug-kernel/build.sh   (tests/run.sh starts it for the debug
#        tier, in the background at idle priority)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lab.conf"

# One build at a time in the cache (make check starts one in the background).
mkdir -p "$LAB_CACHE"
exec 9> "$LAB_CACHE/debug-kernel.lock"
flock 9

src_tar=$(ls /usr/src/linux-source-6.12.tar.* | head -n1)
dk="$LAB_CACHE/dk"
src="$dk/linux-source-6.12"
root="$LAB_CACHE/trixie"
out="$root/boot/cdna-debug"
id=$( { cat "$here/debug.config" "$0"; stat -c '%n %s %Y' "$src_tar"; } |
	sha1sum | cut -c1-12)

if [ -f "$out/build.id" ] && [ "$(cat "$out/build.id")" = "$id" ] &&
   [ -f "$dk/build/Module.symvers" ]; then
	echo "debug-kernel: $(cat "$out/release") (cached)"
	exit 0
fi

start=$(date +%s)
echo "debug-kernel: building (tinyconfig + debug.config: KASAN, lockdep, kmemleak, KUnit...)"
if [ ! -f "$src/Makefile" ] || [ "$(cat "$dk/src.tar" 2>/dev/null)" != "$src_tar" ]; then
	rm -rf "$src"
	mkdir -p "$dk"
	tar -C "$dk" -xf "$src_tar"
	echo "$src_tar" > "$dk/src.tar"
fi
mkdir -p "$dk/build"
make -s -C "$src" O="$dk/build" tinyconfig > /dev/null
"$src/scripts/kconfig/merge_config.sh" -m -O "$dk/build" \
	"$dk/build/.config" "$here/debug.config" > /dev/null
make -s -C "$src" O="$dk/build" olddefconfig > /dev/null
# Every option asked for must be in the result: kconfig drops an option
# whose dependencies are missing without a word.
missing=
while IFS= read -r line; do
	case $line in
	''|'#'*) continue ;;
	*=n) grep -q "^${line%=n}=" "$dk/build/.config" && missing="$missing $line" ;;
	*) grep -qxF "$line" "$dk/build/.config" || missing="$missing $line" ;;
	esac
done < "$here/debug.config"
[ -z "$missing" ] || { echo "debug-kernel: did not stick:$missing" >&2; exit 1; }
make -s -C "$src" O="$dk/build" -j"$(nproc)" bzImage modules \
	> "$dk/build.log" 2>&1 ||
	{ tail -n 30 "$dk/build.log" >&2; exit 1; }

rel=$(cat "$dk/build/include/config/kernel.release")
rm -rf "$out" "$root/lib/modules/$rel"
make -s -C "$src" O="$dk/build" INSTALL_MOD_PATH="$root" \
	INSTALL_MOD_STRIP=1 DEPMOD=/sbin/depmod modules_install > /dev/null
rm -f "$root/lib/modules/$rel/build" "$root/lib/modules/$rel/source"
mkdir -p "$out"
cp "$dk/build/arch/x86/boot/bzImage" "$out/"
echo "$rel" > "$out/release"
echo "$id" > "$out/build.id"
echo "debug-kernel: $rel installed, built in $(( $(date +%s) - start ))s"
