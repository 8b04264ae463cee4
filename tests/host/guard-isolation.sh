#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# lab-cmdline: intel_iommu=off
#
# vmm_guard's isolation gate, refusal path: with DMA remapping off (the
# host VM booted with intel_iommu=off, VFIO in its unsafe no-IOMMU mode),
# opening a context is refused with a clear message and errno and counted
# in the ledger; the loud allow_unsafe_isolation override lets it through
# and marks the ledger entry tainted.  (The decision itself, including a
# shared IOMMU group, is unit-tested in tests/unit/test_isolation.c.)
source /src/tests/lib.sh

TESTS="refused_without_remapping override_taints"
PF=$(pf_dev)

setup()
{
	modprobe vfio enable_unsafe_noiommu_mode=1 || skip_all "no vfio noiommu mode"
	modprobe vfio-pci
	insmod "$KMOD/cdna-pf/cdna_pf.ko" || skip_all "cdna_pf does not load"
	busy_wait 20 test -n "$(pci_netdev "$PF")" || skip_all "cdna_pf gave no netdev"
	set_numvfs "$PF" 1 || skip_all "cdna_pf cannot create contexts"
	VF0=$(vf_dev "$PF" 0)
	L=/sys/bus/pci/devices/$VF0/guard
}

guard_load_bind()
{
	insmod "$KMOD/vmm-guard/vmm_guard.ko" "$@" || return 1
	echo vmm_guard > "/sys/bus/pci/devices/$VF0/driver_override"
	echo "$VF0" > /sys/bus/pci/drivers_probe
	[ -d "$L" ]
}

refused_without_remapping()
{
	local out rc

	guard_load_bind
	check_err $? "cannot bind $VF0 to vmm_guard"
	out=$("$TOOLS/vfio-open" "$VF0" 2>&1)
	rc=$?
	echo "vfio-open: $out"
	[ $rc -eq 3 ] && [[ $out == "refused: EPERM"* ]]
	check_err $? "open not refused with EPERM (exit $rc: $out)"
	[ "$(cat $L/refused_opens)" = 1 ] && [ "$(cat $L/state)" = free ]
	check_err $? "ledger: refused_opens $(cat $L/refused_opens), state $(cat $L/state)"
	grep -q "DMA remapping is not active" $L/isolation
	check_err $? "ledger isolation: $(cat $L/isolation)"
	dmesg | grep -q "context 0 refused to vfio-open.*not isolated: DMA remapping is not active"
	check_err $? "no clear refusal message in the kernel log"
	[ "$(cat $L/tainted)" = 0 ]
	check_err $? "ledger tainted without the override"
	log_test "open refused when DMA remapping is off"
}

override_taints()
{
	local out

	echo "$VF0" > /sys/bus/pci/drivers/vmm_guard/unbind
	rmmod vmm_guard
	guard_load_bind allow_unsafe_isolation=1
	check_err $? "cannot bind with the override"
	out=$("$TOOLS/vfio-open" "$VF0" 2>&1)
	check_err $? "open with the override failed: $out"
	[ "$(cat $L/tainted)" = 1 ]
	check_err $? "ledger entry not tainted"
	dmesg | grep -q "WITHOUT ISOLATION"
	check_err $? "no loud message for the unsafe open"
	log_test "allow_unsafe_isolation opens, loudly, and taints the ledger"
	echo "$VF0" > /sys/bus/pci/drivers/vmm_guard/unbind
}

setup
run_tests
