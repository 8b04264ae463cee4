#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# lab: timeout=600 mem=3072
#
# Guest tier, vmm_guard's two protection modes side by side on one host
# (the lab's usual one, with an IOMMU): context 0 on vmm_guard (IOMMU
# mode, QEMU -device vfio-pci,host=VF), context 1 on vmm_guard_sw (an
# mdev, QEMU -device vfio-pci,sysfsdev=).  Two guests, booted at once,
# each with cdna_vf: the admin MAC, the PF, and each other through the
# NIC's switch; the ledgers show one context per mode, the sw one's
# descriptors validated and none refused; both QEMUs SIGKILLed: both
# contexts free and scrubbed, nothing left pinned.
source /src/tests/lib.sh
source /src/lab/vm/guest.sh

TESTS="both_modes_talk kill_both"
PF=$(pf_dev)
MAC_I=52:54:00:cd:22:0a		# context 0, IOMMU mode
MAC_S=52:54:00:cd:22:0b		# context 1, sw mode
PF_IP=198.18.0.1
IP_I=198.18.0.20
IP_S=198.18.0.21
UUID=$(cat /proc/sys/kernel/random/uuid)
T0=$(date +%s)
PID_I=
PID_S=

step()
{
	echo "[$(( $(date +%s) - T0 ))s] $*"
}

cleanup()
{
	pkill -9 -f '^qemu-system-x86_64 .*guest-(iommu|sw)\.log' 2>/dev/null
}
trap cleanup EXIT

led() { cat "/sys/bus/pci/devices/$1/guard/$2" 2>/dev/null; }
ledger_dump() { grep -H . "/sys/bus/pci/devices/$1/guard"/* 2>/dev/null | sed 's|^.*/guard/||' | tr '\n' ' '; }
qemu_of() { pgrep -f "^qemu-system-x86_64 .*guest-$1\\.log" | head -n1; }

relay()
{
	grep -a -E 'GUEST-|loads:|try [0-9]|CDNA-GUEST' "/out/guest-$1.log" |
		cut -c1-200 | sed "s/^/  guest $1: /"
}

setup()
{
	[ -n "$PF" ] || skip_all "no 82576 PF"
	[ -f "$GUEST_KMOD/cdna-vf/cdna_vf.ko" ] ||
		skip_all "no cdna_vf for the guest kernel (make modules-guest)"
	insmod "$KMOD/cdna-pf/cdna_pf.ko" || fail_all "cdna_pf does not load"
	busy_wait 20 has_netdev "$PF" || fail_all "cdna_pf gave no netdev"
	PFNET=$(pci_netdev "$PF")
	ip addr add "$PF_IP/24" dev "$PFNET"
	ip link set "$PFNET" up
	echo 0 > "/sys/bus/pci/devices/$PF/sriov_drivers_autoprobe"
	set_numvfs "$PF" 2 || fail_all "cdna_pf cannot create contexts"
	ip link set "$PFNET" vf 0 mac $MAC_I
	ip link set "$PFNET" vf 1 mac $MAC_S
	VF0=$(vf_dev "$PF" 0)
	VF1=$(vf_dev "$PF" 1)
	load_guard || fail_all "vmm_guard does not load"
	bind_driver "$VF0" vmm_guard || fail_all "$VF0 did not bind to vmm_guard"
	bind_driver "$VF1" vmm_guard_sw || fail_all "$VF1 did not bind to vmm_guard_sw"
	echo "$UUID" > "/sys/bus/pci/devices/$VF1/mdev_supported_types/vmm_guard_sw-ctx/create" ||
		fail_all "cannot create mdev $UUID on $VF1"
	[ "$(led "$VF0" mode)" = iommu ] && [ "$(led "$VF1" mode)" = sw ] &&
		[ "$(led "$VF0" state)" = free ] && [ "$(led "$VF1" state)" = free ] ||
		fail_all "ledgers: $VF0: $(ledger_dump "$VF0"); $VF1: $(ledger_dump "$VF1")"
	REPORTS0=$(kernel_reports)
	step "setup: $VF0 on vmm_guard (iommu), $VF1 on vmm_guard_sw (mdev $UUID)"
}

both_modes_talk()
{
	local t q

	t=$(date +%s)
	guest_initrd /tmp/gm.cpio /src/tests/guest/payload/sw-traffic.sh \
		"$GUEST_KMOD/cdna-vf/cdna_vf.ko"
	check_err $? "cannot build the guest initramfs"
	guest_boot iommu /tmp/gm.cpio 500 \
		"driver=cdna_vf,mac=$MAC_I,ip=$IP_I,peer=$IP_S,pf=$PF_IP,peerwait=600,linger=1" \
		"$VF0" &
	PID_I=$!
	guest_boot sw /tmp/gm.cpio 500 \
		"driver=cdna_vf,mac=$MAC_S,ip=$IP_S,peer=$IP_I,pf=$PF_IP,peerwait=600,linger=1" \
		"/sys/bus/mdev/devices/$UUID" &
	PID_S=$!
	busy_wait 400 sh -c 'grep -qsa -e GUEST-HOLDING -e CDNA-GUEST-DONE /out/guest-iommu.log &&
		grep -qsa -e GUEST-HOLDING -e CDNA-GUEST-DONE /out/guest-sw.log'
	check_err $? "the guests did not both finish their checks"
	step "both guests done with their checks"
	relay iommu
	relay sw
	for q in iommu sw; do
		grep -qa GUEST-HOLDING "/out/guest-$q.log" &&
			! grep -qa 'GUEST-TEST: .*\[FAIL\]' "/out/guest-$q.log"
		check_err $? "a check in guest $q failed"
	done
	[ "$(led "$VF0" state)" = assigned ] && [ "$(led "$VF0" owner_pid)" = "$(qemu_of iommu)" ] &&
		[ "$(led "$VF1" state)" = assigned ] && [ "$(led "$VF1" owner_pid)" = "$(qemu_of sw)" ]
	check_err $? "ledgers: $VF0: $(ledger_dump "$VF0"); $VF1: $(ledger_dump "$VF1")"
	[ "$(led "$VF1" descriptors_validated)" -gt 0 ] && [ "$(led "$VF1" descriptors_refused)" = 0 ]
	check_err $? "sw context: validated $(led "$VF1" descriptors_validated), refused $(led "$VF1" descriptors_refused)"
	echo "iommu context: $(ledger_dump "$VF0")"
	echo "sw context: $(ledger_dump "$VF1")"
	echo "both guests: $(( $(date +%s) - t ))s from boot to the end of their checks"
	log_test "IOMMU-mode and sw-mode guests on one host ping each other"
}

kill_both()
{
	local s0 s1

	s0=$(led "$VF0" scrubs)
	s1=$(led "$VF1" scrubs)
	kill -KILL "$(qemu_of iommu)" "$(qemu_of sw)"
	wait "$PID_I" "$PID_S" 2>/dev/null
	wait_until 30 '[ "$(led "$VF0" state)" = free ] && [ "$(led "$VF1" state)" = free ]'
	check_err $? "states after SIGKILL: $(led "$VF0" state), $(led "$VF1" state)"
	wait_until 20 '[ "$(led "$VF1" pinned_pages)" = 0 ]'
	check_err $? "sw context: pinned_pages $(led "$VF1" pinned_pages) after SIGKILL"
	[ "$(led "$VF0" scrubs)" = $((s0 + 1)) ] && [ "$(led "$VF1" scrubs)" = $((s1 + 1)) ]
	check_err $? "scrubs: iommu $s0 -> $(led "$VF0" scrubs), sw $s1 -> $(led "$VF1" scrubs)"
	[ "$(kernel_reports)" = "$REPORTS0" ]
	check_err $? "kernel reports: $(dmesg | grep -E 'BUG:|WARNING:|Oops' | head -n 2 | tr '\n' ' ')"
	guest_log_reports iommu && check_err 1 "kernel report in guest iommu's log"
	guest_log_reports sw && check_err 1 "kernel report in guest sw's log"
	log_test "both QEMUs SIGKILLed: both contexts scrubbed and free"
}

setup
for t in $TESTS; do
	ts=$(date +%s)
	"$t"
	step "$t took $(( $(date +%s) - ts ))s"
done
echo "guard mixed-mode guest tier: $(( $(date +%s) - T0 ))s"
exit $EXIT_STATUS
