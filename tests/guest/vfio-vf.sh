#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# lab: timeout=500 mem=3072
#
# Guest tier, lab path: a guest inside the lab VM gets one VF of the
# in-tree igb PF through the stock vfio-pci and checks, from inside, that
# the VF's registers, mailbox and MSI-X work through VFIO (payload
# tests/guest/payload/vf-basics.sh).  The project's own drivers use the
# same path in their issues.
source /src/tests/lib.sh
source /src/lab/vm/guest.sh

TESTS="guest_vf_vfio"
PF=$(pf_dev)
MAC=52:54:00:cd:00:01
MBX=0x5a5a0cd1

guest_vf_vfio()
{
	local pfnet vf st rc

	modprobe igb
	busy_wait 20 has_netdev "$PF"
	check_err $? "igb gave $PF no netdev"
	pfnet=$(pci_netdev "$PF")
	ip link set "$pfnet" up
	echo 0 > "/sys/bus/pci/devices/$PF/sriov_drivers_autoprobe"
	set_numvfs "$PF" 2
	check_err $? "cannot create VFs"
	ip link set "$pfnet" vf 0 mac "$MAC"
	check_err $? "cannot set VF 0 MAC"
	vf=$(vf_dev "$PF" 0)
	vfio_bind "$vf"
	check_err $? "cannot bind $vf to vfio-pci"
	echo "VF $vf in IOMMU group $(basename "$(readlink /sys/bus/pci/devices/$vf/iommu_group)")"

	# STATUS once the link is up: the guest reads it later.
	busy_wait 15 grep -qx 1 "/sys/class/net/$pfnet/carrier"
	check_err $? "the PF has no carrier"
	st=$(regs "$PF" 0 0x8)
	regs "$PF" 0 0x800="$MBX" > /dev/null	# VMBMEM of VF 0, PF side
	guest_initrd /tmp/guest.cpio /src/tests/guest/payload/vf-basics.sh igbvf
	check_err $? "cannot build the guest initramfs"
	guest_boot vf-basics /tmp/guest.cpio 400 "status=$st,mbx=$MBX,mac=$MAC" "$vf"
	rc=$?
	grep -E 'GUEST-TEST|CDNA-GUEST|igbvf|STATUS|mailbox|MSI-X' /out/guest-vf-basics.log
	echo "guest boot to verdict: ${GUEST_SECONDS}s"
	check_err $rc "guest payload failed (rc $rc; log /out/guest-vf-basics.log)"
	guest_log_reports vf-basics && check_err 1 "kernel report in the guest log"
	log_test "guest reads VF registers, mailbox, MSI-X through vfio-pci"
}

run_tests
