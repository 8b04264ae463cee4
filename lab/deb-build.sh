#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The Debian packages (debian/): cdna-dkms and cdnactl, built with
# dpkg-buildpackage -us -uc -b from a copy of the tree's sources (tracked
# or new files, no build products) in OUT/cdna-VERSION, so that the work
# tree and its builds are left alone; then lintian on the result.  The
# .deb files land in OUT (default build/deb).
#
# Checks: the package version is CDNA_VERSION, each package holds what it
# should, lintian reports no error or warning.
#
# Usage: lab/deb-build.sh [OUT]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
out=${1:-$top/build/deb}

die() { printf 'deb-build: error: %s\n' "$*" >&2; exit 1; }
for t in dpkg-buildpackage dh dh_dkms lintian; do
	command -v "$t" > /dev/null ||
		die "no $t (apt-get install dpkg-dev debhelper dh-dkms lintian, or make setup)"
done

ver=$(cd "$top" && dpkg-parsechangelog -SVersion)
cdna_ver=$(sed -n 's/^#define CDNA_VERSION[[:space:]]*"\(.*\)"/\1/p' \
	"$top/kmod/include/cdna_version.h")
[ "$ver" = "$cdna_ver" ] ||
	die "debian/changelog version '$ver' is not CDNA_VERSION '$cdna_ver'"

rm -rf "$out"
mkdir -p "$out/cdna-$ver"
out=$(cd "$out" && pwd)
(cd "$top" && git ls-files --cached --others --exclude-standard |
	grep -v '^build/' |
	while read -r f; do [ -f "$f" ] && printf '%s\n' "$f"; done |
	cpio -pdm --quiet "$out/cdna-$ver")

# What the lab VM checks the packages against (tests/host/deb-install.sh):
# the files that go into them.
(cd "$out/cdna-$ver" && find dkms.conf Kbuild kmod userspace libvirt-hooks debian \
	-type f | sort | xargs sha256sum) > "$out/sources.sha256"

start=$(date +%s)
if ! (cd "$out/cdna-$ver" && dpkg-buildpackage -us -uc -b) > "$out/build.log" 2>&1; then
	tail -n 30 "$out/build.log"
	die "dpkg-buildpackage failed (log: $out/build.log)"
fi
echo "deb-build: built $(cd "$out" && ls *.deb | xargs) ($(( $(date +%s) - start ))s)"

status=0
changes=$(ls "$out"/cdna_"$ver"_*.changes)
lintian --fail-on error,warning --info "$changes" > "$out/lintian.log" 2>&1 || {
	echo "deb-build: FAIL lintian:"
	sed 's/^/    /' "$out/lintian.log"
	status=1
}
# What each package must hold.
has() {
	dpkg-deb -c "$out/$1"_"$ver"_*.deb | awk '{ print $NF }' | grep -qx "./$2" ||
		{ echo "deb-build: FAIL $1 has no /$2"; status=1; }
}
has cdna-dkms "usr/src/cdna-$ver/dkms.conf"
has cdna-dkms "usr/src/cdna-$ver/Kbuild"
has cdna-dkms "usr/src/cdna-$ver/kmod/include/cdna_version.h"
has cdnactl usr/sbin/cdnactl
has cdnactl usr/share/man/man8/cdnactl.8.gz
has cdnactl usr/lib/udev/rules.d/90-cdna.rules
has cdnactl etc/libvirt/hooks/qemu.d/cdna
has cdnactl etc/libvirt/hooks/network.d/cdna
dpkg-deb -f "$out"/cdna-dkms_"$ver"_all.deb Depends | grep -qw dkms ||
	{ echo "deb-build: FAIL cdna-dkms does not depend on dkms"; status=1; }
[ $status = 0 ] && echo "deb-build: ok, lintian clean: $out"
exit $status
