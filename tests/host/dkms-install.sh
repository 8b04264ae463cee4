#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# lab: timeout=300
#
# The modules as DKMS installs them (dkms.conf, built by `make dkms-check`,
# i.e. lab/dkms-build.sh, into build/dkms/root/lib/modules/KVER/updates/dkms)
# load in the lab VM the way a host loads them: from /lib/modules after
# depmod, by name, with modprobe resolving their dependencies (vmm_guard's
# softdep on cdna_pf, its links to vfio-pci-core), never insmod from the
# tree.  The lab root is read-only, so /lib/modules/KVER gets a tmpfs
# overlay that receives the dkms install tree and depmod's output.  The
# sources DKMS built must be the tree's (build/dkms/sources.sha256).
source /src/tests/lib.sh

TESTS="installed_by_name modprobe_guard_pulls_pf pf_driven aliases
       vf_driver unload"
KVER=$(uname -r)
DKMS=/src/build/dkms/root/lib/modules/$KVER/updates/dkms
VER=$(sed -n 's/^#define CDNA_VERSION[[:space:]]*"\(.*\)"/\1/p' \
	/src/kmod/include/cdna_version.h)
MODS="cdna_pf vmm_guard cdna_vf"
PF=$(pf_dev)

setup()
{
	local ov=/tmp/dkms-overlay

	[ -d "$DKMS" ] || skip_all "no DKMS install tree for $KVER (make dkms-check)"
	[ -n "$VER" ] || fail_all "no CDNA_VERSION in kmod/include/cdna_version.h"
	(cd /src && sha256sum --quiet -c build/dkms/sources.sha256) > /tmp/stale 2>&1 ||
		fail_all "build/dkms is of other sources than the tree (make dkms-check): $(head -n 3 /tmp/stale | xargs)"
	mkdir -p "$ov/up" "$ov/work"
	mount -t overlay overlay \
		-o "lowerdir=/lib/modules/$KVER,upperdir=$ov/up,workdir=$ov/work" \
		"/lib/modules/$KVER" || fail_all "no overlay on /lib/modules/$KVER"
	mkdir -p "/lib/modules/$KVER/updates/dkms"
	cp "$DKMS"/* "/lib/modules/$KVER/updates/dkms/" || fail_all "cannot copy $DKMS"
	ls -l "/lib/modules/$KVER/updates/dkms/"
	depmod "$KVER" || fail_all "depmod failed"
}

loaded() { [ -d "/sys/module/$1" ]; }

# Found by name, in the DKMS location, with the project's version.
installed_by_name()
{
	local m f

	for m in $MODS; do
		f=$(modinfo -n "$m" 2>/dev/null)
		[[ $f == /lib/modules/$KVER/updates/dkms/$m.ko* ]]
		check_err $? "modinfo -n $m: '$f', not under updates/dkms"
		[ "$(modinfo -F version "$m")" = "$VER" ]
		check_err $? "$m: version '$(modinfo -F version "$m")', want $VER"
	done
	log_test "depmod finds the DKMS modules by name, version $VER"
}

modprobe_guard_pulls_pf()
{
	loaded cdna_pf || loaded vmm_guard
	check_fail $? "cdna_pf or vmm_guard loaded before the test"
	modprobe vmm_guard
	check_err $? "modprobe vmm_guard failed"
	loaded cdna_pf
	check_err $? "modprobe vmm_guard did not load cdna_pf (softdep)"
	loaded vfio_pci_core
	check_err $? "modprobe vmm_guard did not load vfio-pci-core"
	for m in cdna_pf vmm_guard; do
		[ "$(cat /sys/module/$m/version 2>/dev/null)" = "$VER" ] &&
			[ "$(cat /sys/module/$m/srcversion 2>/dev/null)" = "$(modinfo -F srcversion "$m")" ]
		check_err $? "loaded $m is not the installed one: version $(cat /sys/module/$m/version 2>/dev/null)"
	done
	lsmod | grep -E '^(cdna_pf|vmm_guard|vfio_pci_core|vfio) '
	log_test "modprobe vmm_guard pulls cdna_pf and vfio-pci-core"
}

pf_driven()
{
	busy_wait 20 has_netdev "$PF"
	check_err $? "cdna_pf registered no netdev for $PF"
	[ "$(basename "$(readlink -f "/sys/bus/pci/devices/$PF/driver")")" = cdna_pf ]
	check_err $? "$PF is driven by $(basename "$(readlink -f "/sys/bus/pci/devices/$PF/driver")")"
	log_test "the installed cdna_pf drives the 82576 ($PF)"
}

# modules.alias: the PF's modalias resolves to cdna_pf (next to igb), and
# a context's vfio_pci alias to vmm_guard (how libvirt picks a VFIO
# variant driver for a managed hostdev).
aliases()
{
	local r

	r=$(modprobe -R "$(cat "/sys/bus/pci/devices/$PF/modalias")" 2>&1)
	printf '%s\n' "$r" | grep -qx cdna_pf
	check_err $? "PF modalias resolves to '$(echo $r)', no cdna_pf"
	r=$(modprobe -R 'vfio_pci:v00008086d000010CAsv00008086sd00000000bc02sc00i00' 2>&1)
	printf '%s\n' "$r" | grep -qx vmm_guard
	check_err $? "82576 VF vfio_pci alias resolves to '$(echo $r)', no vmm_guard"
	log_test "modules.alias: cdna_pf for the PF, vmm_guard for a context"
}

vf_driver()
{
	local vf dev

	set_numvfs "$PF" 1
	check_err $? "cdna_pf cannot create a context"
	vf=$(vf_dev "$PF" 0)
	modprobe cdna_vf
	check_err $? "modprobe cdna_vf failed"
	[ "$(cat /sys/module/cdna_vf/version 2>/dev/null)" = "$VER" ]
	check_err $? "cdna_vf version '$(cat /sys/module/cdna_vf/version 2>/dev/null)'"
	bind_driver "$vf" cdna_vf
	check_err $? "$vf does not bind to the installed cdna_vf"
	busy_wait 30 has_netdev "$vf"
	check_err $? "cdna_vf registered no netdev for $vf"
	dev=$(pci_netdev "$vf")
	echo "$vf: cdna_vf $(cat /sys/module/cdna_vf/version), netdev $dev"
	log_test "the installed cdna_vf drives a context"
}

unload()
{
	local vf

	vf=$(vf_dev "$PF" 0)
	[ -e "/sys/bus/pci/devices/$vf/driver" ] &&
		echo "$vf" > "/sys/bus/pci/devices/$vf/driver/unbind"
	modprobe -r cdna_vf
	check_err $? "modprobe -r cdna_vf failed"
	set_numvfs "$PF" 0
	modprobe -r vmm_guard
	check_err $? "modprobe -r vmm_guard failed"
	modprobe -r cdna_pf
	check_err $? "modprobe -r cdna_pf failed"
	! loaded cdna_pf && ! loaded vmm_guard && ! loaded cdna_vf
	check_err $? "modules still loaded: $(lsmod | grep -E '^(cdna|vmm)' | xargs)"
	log_test "modprobe -r unloads them"
}

setup
run_tests
