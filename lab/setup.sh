#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install everything the build, the unit tests and the lab need, on a fresh
# Debian bookworm machine, as root. Idempotent: a second run only checks.
#
#   - Debian packages (toolchain, 6.12 headers, busybox, iproute2, cmocka...)
#   - the lab kernel image, unpacked from linux-image-6.12 into the cache
#     (it is booted under QEMU, never installed on this machine)
#   - checkpatch.pl and its data files from linux-source-6.12
#   - a Debian trixie root (debootstrap --variant=minbase) holding the outer
#     QEMU (bookworm has none with a working igb model) and the userland the
#     lab VM runs from.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
. "$here/lab.conf"

# Each line says how long setup has been running: the long steps (the
# trixie root, the guest kernel) show their durations as they go.
log() { printf 'setup: [%d:%02d] %s\n' $((SECONDS / 60)) $((SECONDS % 60)) "$*"; }
die() { printf 'setup: error: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "run as root (apt-get and debootstrap need it)"

host_pkgs=(build-essential bc bison flex kmod cpio xz-utils zstd
	   busybox-static debootstrap libcmocka-dev pkg-config libelf-dev libssl-dev
	   linux-headers-6.12-amd64 linux-source-6.12 python3
	   clang libclang-rt-14-dev	# the libFuzzer runs of the unit tier
	   libvirt-dev libnl-3-dev libnl-route-3-dev libxml2-dev
	   linux-headers-amd64	# bookworm's 6.1: hosts on the stable kernel
	   dkms debhelper dh-dkms lintian	# make dkms-check, make deb
	   sparse				# make sparse
	   gnuplot-nox				# make bench-plots
	   e2fsprogs)				# the disk of lab-boot: systemd

apt_updated=
apt_update_once() {
	[ -n "$apt_updated" ] && return 0
	log "apt-get update"
	apt-get update -qq
	apt_updated=1
}

missing=()
for p in "${host_pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	apt_update_once
	log "installing ${missing[*]}"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--no-install-recommends "${missing[@]}" >/dev/null
fi

# The headers metapackage decides the lab kernel release.
kver=$(lab_kver) || die "no linux-headers-6.12.*-amd64 under /usr/src"
mkdir -p "$LAB_CACHE"

kdir="$LAB_CACHE/kernel/$kver"
if [ ! -e "$kdir/.done" ]; then
	apt_update_once
	log "unpacking linux-image-$kver into $kdir"
	tmp=$(mktemp -d)
	(cd "$tmp" && apt-get download -qq "linux-image-$kver" 2>/dev/null ||
		apt-get download -qq "linux-image-$kver-unsigned")
	rm -rf "$kdir"
	mkdir -p "$kdir"
	dpkg-deb -x "$tmp"/linux-image-*.deb "$kdir"
	rm -rf "$tmp"
	[ -f "$kdir/boot/vmlinuz-$kver" ] || die "no vmlinuz in linux-image-$kver"
	touch "$kdir/.done"
fi

# checkpatch.pl with the data files it reads, from the kernel source package.
cp_dir="$LAB_CACHE/checkpatch"
if [ ! -e "$cp_dir/.done" ]; then
	src=$(ls /usr/src/linux-source-6.12.tar.* | head -n1)
	log "extracting checkpatch.pl from $src"
	rm -rf "$cp_dir"
	mkdir -p "$cp_dir"
	tar -C "$cp_dir" --strip-components=1 -xf "$src" \
		--wildcards '*/scripts/checkpatch.pl' '*/scripts/spelling.txt' \
		'*/scripts/const_structs.checkpatch'
	touch "$cp_dir/.done"
fi

# Trixie root: the outer QEMU and the lab VM's userland.
root="$LAB_CACHE/trixie"
want="${TRIXIE_PKGS// /,}"
if [ ! -e "$root/.done" ] || [ "$(cat "$root/.done")" != "$want" ]; then
	mirror=$(debian_mirror) || die "no Debian mirror found in the apt sources"
	log "debootstrap trixie into $root (mirror from apt sources)"
	rm -rf "$root"
	debootstrap --variant=minbase --include="$want" trixie "$root" "$mirror" \
		> "$LAB_CACHE/debootstrap.log" 2>&1 ||
		{ tail -n 20 "$LAB_CACHE/debootstrap.log" >&2;
		  die "debootstrap failed (log: $LAB_CACHE/debootstrap.log)"; }
	# Mount points of the lab VM (see lab/vm/init).
	mkdir -p "$root/src" "$root/out"
	printf '%s\n' "$want" > "$root/.done"
fi
if [ "$(cat "$root/.extra" 2>/dev/null)" != "$TRIXIE_EXTRA" ]; then
	log "installing $TRIXIE_EXTRA into the trixie root"
	mount -t proc proc "$root/proc"
	trap 'umount "$root/proc" 2>/dev/null' EXIT
	chroot "$root" apt-get update -qq > "$LAB_CACHE/extra.log" 2>&1 &&
	DEBIAN_FRONTEND=noninteractive chroot "$root" apt-get install -y -qq \
		--no-install-recommends $TRIXIE_EXTRA >> "$LAB_CACHE/extra.log" 2>&1 ||
		{ tail -n 20 "$LAB_CACHE/extra.log" >&2;
		  die "apt-get in the trixie root failed (log: $LAB_CACHE/extra.log)"; }
	chroot "$root" apt-get clean
	umount "$root/proc"
	trap - EXIT
	printf '%s\n' "$TRIXIE_EXTRA" > "$root/.extra"
fi

# The lab VM loads the kernel's own modules from the trixie root.
if [ ! -e "$root/lib/modules/$kver/.done" ]; then
	log "copying the $kver modules into the lab root"
	rm -rf "$root/lib/modules/$kver"
	mkdir -p "$root/lib/modules"
	cp -a "$kdir/lib/modules/$kver" "$root/lib/modules/"
	chroot "$root" depmod "$kver"
	# Guests inside the lab VM boot the same kernel.
	mkdir -p "$root/boot"
	cp "$kdir/boot/vmlinuz-$kver" "$root/boot/"
	touch "$root/lib/modules/$kver/.done"
fi

# The lab kernel's headers in the root, for DKMS inside the lab VM
# (tests/host/deb-install.sh): this machine's bookworm packages, copied
# (the root's dpkg does not know them); their gcc-12 is in TRIXIE_EXTRA.
kbase=${kver%-amd64}
hdr="$root/usr/src/linux-headers-$kver"
if [ ! -e "$hdr/.cdna-done" ]; then
	log "copying the $kver headers into the lab root"
	dpkg -L "linux-headers-$kver" "linux-headers-$kbase-common" \
		"linux-kbuild-$kbase" | grep '^/usr/.' |
		while read -r f; do
			[ -d "$f" ] && [ ! -L "$f" ] || printf '%s\n' "${f#/}"
		done | tar -C / --no-recursion -cf - -T - | tar -C "$root" -xf -
	touch "$hdr/.cdna-done"
fi
ln -sfn "/usr/src/linux-headers-$kver" "$root/lib/modules/$kver/build"
ln -sfn "/usr/src/linux-headers-$kbase-common" "$root/lib/modules/$kver/source"

# The small kernel that guests inside the lab VM boot.
"$here/guest-kernel/build.sh" || die "guest kernel build failed"

log "outer QEMU: $("$here/qemu" --version | head -n1)"
log "lab kernel: $kver"
log "ready"
