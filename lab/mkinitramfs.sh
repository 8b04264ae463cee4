#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the lab VM's initramfs: static busybox, the 9p modules, and an init
# that mounts the trixie root over 9p and hands over to lab/vm/stage2.sh.
# Usage: lab/mkinitramfs.sh KVER OUTPUT
#   KVER "-": a kernel with 9p built in (the debug kernel): no modules
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lab.conf"

kver=$1
out=$2
mods="$LAB_CACHE/kernel/$kver/lib/modules/$kver"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

mkdir -p "$tmp"/{bin,dev,proc,sys,newroot,lib}
cp /bin/busybox "$tmp/bin/busybox"
for a in sh mount umount insmod switch_root mkdir echo cat poweroff sleep; do
	ln -s busybox "$tmp/bin/$a"
done
# Busybox's insmod hands the file to init_module(): store them unpacked.
for m in fs/netfs/netfs net/9p/9pnet net/9p/9pnet_virtio fs/9p/9p; do
	[ "$kver" = - ] && break
	xz -dc "$mods/kernel/$m.ko.xz" > "$tmp/lib/$(basename "$m").ko"
done
install -m 0755 "$here/vm/init" "$tmp/init"
(cd "$tmp" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) > "$out.tmp"
mv "$out.tmp" "$out"
