#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# dkms add, build and install of this tree (dkms.conf) against the lab's
# 6.12 headers and bookworm's 6.1 headers, all of it inside OUT (default
# build/dkms): DKMS's own tree, source tree and install tree are given on
# the command line and its signing key is made there, so /var/lib/dkms,
# /usr/src and /lib/modules of this machine are left as they are; nothing
# is loaded.  The 6.12 result, OUT/root/lib/modules/KVER/updates/dkms/, is
# what tests/host/dkms-install.sh installs and loads in the lab VM.
#
# Checks: PACKAGE_VERSION is CDNA_VERSION, each kernel gets the modules
# dkms.conf promises (6.12: cdna_pf, vmm_guard, cdna_vf; 6.1: no cdna_vf),
# each carries version 0.4.0 and the guard's softdep, the build has no
# compiler warning, dkms status says "installed".
#
# Usage: lab/dkms-build.sh [OUT]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
. "$here/lab.conf"
out=${1:-$top/build/dkms}

die() { printf 'dkms-build: error: %s\n' "$*" >&2; exit 1; }
command -v dkms > /dev/null || die "no dkms (apt-get install dkms, or make setup)"

conf_var() { sed -n "s/^$1=\"\(.*\)\"\$/\1/p" "$top/dkms.conf"; }
name=$(conf_var PACKAGE_NAME)
ver=$(conf_var PACKAGE_VERSION)
cdna_ver=$(sed -n 's/^#define CDNA_VERSION[[:space:]]*"\(.*\)"/\1/p' \
	"$top/kmod/include/cdna_version.h")
[ -n "$ver" ] && [ "$ver" = "$cdna_ver" ] ||
	die "dkms.conf PACKAGE_VERSION '$ver' is not CDNA_VERSION '$cdna_ver'"

kernels=()
k=$(lab_kver) && kernels+=("$k") || die "no 6.12 headers (make setup)"
k=$(ls -d /usr/src/linux-headers-6.1.*-amd64 2>/dev/null | sort -V | tail -n1)
[ -n "$k" ] && kernels+=("${k#/usr/src/linux-headers-}") ||
	echo "dkms-build: no 6.1 headers, 6.12 only"

rm -rf "$out"
mkdir -p "$out/src/$name-$ver" "$out/tree" "$out/root/lib/modules"
out=$(cd "$out" && pwd)
src="$out/src/$name-$ver"
# The sources a DKMS package carries: dkms.conf, Kbuild and kmod/ as they
# are in the work tree (tracked or new, not build products).
(cd "$top" && { echo dkms.conf; echo Kbuild
	git ls-files --cached --others --exclude-standard kmod; } |
	while read -r f; do [ -f "$f" ] && printf '%s\n' "$f"; done |
	cpio -pdm --quiet "$src")

# What the lab VM checks the install against (tests/host/dkms-install.sh:
# a stale build/dkms is reported as such).
(cd "$src" && find . -type f | sort | xargs sha256sum) > "$out/sources.sha256"

# DKMS signs what it builds when the kernel has sign-file; with a key of
# its own here, not the machine's /var/lib/dkms/mok.key.
export mok_signing_key="$out/mok.key" mok_certificate="$out/mok.pub"
# Bookworm's DKMS (3.0.10) compresses with xz's defaults (CRC64, 8 MiB
# dictionary), which the kernel's own xz decoder refuses ("decompression
# failed with status 6"); kmod 30 (bookworm) decompresses in userspace,
# but kmod 33 and later (the lab VM's trixie root) hand the file to the
# kernel.  Later DKMS and the kernel's modules_install use these options.
export XZ_OPT="--check=crc32 --lzma2=dict=1MiB"
dk=(dkms --dkmstree "$out/tree" --sourcetree "$out/src"
    --installtree "$out/root/lib/modules" --no-depmod)

"${dk[@]}" add -m "$name" -v "$ver" > "$out/add.log" 2>&1 ||
	{ cat "$out/add.log"; die "dkms add failed"; }
status=0
for k in "${kernels[@]}"; do
	kdir=/usr/src/linux-headers-$k
	[ -d "$kdir" ] || die "no $kdir"
	mkdir -p "$out/root/lib/modules/$k"
	log="$out/$k.log"
	start=$(date +%s)
	if ! "${dk[@]}" build -m "$name" -v "$ver" -k "$k" --kernelsourcedir "$kdir" > "$log" 2>&1 ||
	   ! "${dk[@]}" install -m "$name" -v "$ver" -k "$k" --kernelsourcedir "$kdir" >> "$log" 2>&1; then
		tail -n 30 "$log"
		cat "$out/tree/$name/$ver/build/make.log" 2>/dev/null | tail -n 30
		echo "dkms-build: FAIL $k: dkms build/install (log: $log)"
		status=1
		continue
	fi
	mlog="$out/tree/$name/$ver/$k/x86_64/log/make.log"
	want="cdna_pf vmm_guard cdna_vf"
	case $k in 6.1.*) want="cdna_pf vmm_guard" ;; esac
	dest="$out/root/lib/modules/$k/updates/dkms"
	got=$(cd "$dest" && ls | sed 's/\.ko.*//' | sort | xargs)
	problems=()
	[ "$got" = "$(echo $want | tr ' ' '\n' | sort | xargs)" ] ||
		problems+=("installed '$got', expected '$want'")
	for m in $want; do
		f=$(ls "$dest/$m".ko* 2>/dev/null | head -n1)
		[ -n "$f" ] || continue
		v=$(modinfo -F version "$f")
		[ "$v" = "$ver" ] || problems+=("$m has version '$v'")
		case $f in *.xz)
			xz -lvv "$f" | grep -q 'Check:.*CRC32' ||
				problems+=("$m.ko.xz is not for the kernel's xz decoder (CRC32)") ;;
		esac
	done
	f=$(ls "$dest"/vmm_guard.ko* 2>/dev/null | head -n1)
	[ -z "$f" ] || modinfo -F softdep "$f" | grep -qw cdna_pf ||
		problems+=("vmm_guard has no softdep on cdna_pf")
	if grep -i 'warning:' "$mlog" > "$out/$k.warnings" 2>/dev/null; then
		problems+=("compiler warnings: $(head -n 3 "$out/$k.warnings" | xargs)")
	fi
	"${dk[@]}" status -m "$name" -v "$ver" -k "$k" 2>&1 | grep -q ': installed' ||
		problems+=("dkms status: $("${dk[@]}" status -m "$name" -v "$ver" -k "$k" 2>&1)")
	if [ ${#problems[@]} -gt 0 ]; then
		printf 'dkms-build: FAIL %s:' "$k"
		printf ' %s;' "${problems[@]}"
		echo
		status=1
	else
		echo "dkms-build: ok $k: $got, version $ver ($(( $(date +%s) - start ))s)"
	fi
done

# dkms remove (what the package's prerm does) takes them all away: done
# in a copy, so that OUT keeps the installed modules for the lab VM.
mkdir -p "$out/rm"
cp -a "$out/tree" "$out/root" "$out/rm/"
rm_dk=(dkms --dkmstree "$out/rm/tree" --sourcetree "$out/src"
       --installtree "$out/rm/root/lib/modules" --no-depmod)
if "${rm_dk[@]}" remove "$name/$ver" --all > "$out/remove.log" 2>&1 &&
   [ -z "$(find "$out/rm/root" -name '*.ko*')" ] && [ ! -e "$out/rm/tree/$name/$ver" ]; then
	echo "dkms-build: ok dkms remove --all"
else
	echo "dkms-build: FAIL dkms remove --all left: $(find "$out/rm" -name '*.ko*' | xargs)"
	tail -n 10 "$out/remove.log"
	status=1
fi
rm -rf "$out/rm"
[ $status = 0 ] && echo "dkms-build: modules in $out/root/lib/modules/"
exit $status
