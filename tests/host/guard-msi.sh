#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# lab-cmdline: intremap=off vfio_iommu_type1.allow_unsafe_interrupts=1
#
# vmm_guard's isolation gate and MSI isolation: with interrupt remapping
# off, a VM given a context can forge any MSI by DMA to the interrupt
# window, even though its DMA is translated and its IOMMU group is its
# own.  VFIO's type1 lets such a group be used only with
# allow_unsafe_interrupts (set here, as an administrator would); the guard
# still refuses the context, with a clear message, unless the loud
# allow_unsafe_isolation override takes it and taints its ledger entry.
source /src/tests/lib.sh
trap guard_cleanup EXIT

TESTS="own_group refused_bind override_taints_and_opens"
PF=$(pf_dev)

setup()
{
	grep -qw 'intremap=off' /proc/cmdline || fail_all "booted without intremap=off"
	guard_setup
	echo vmm_guard > "/sys/bus/pci/devices/$VF0/driver_override"
}

own_group()
{
	local g n

	g=$(basename "$(readlink "/sys/bus/pci/devices/$VF0/iommu_group")")
	n=$(ls "/sys/kernel/iommu_groups/$g/devices" 2>/dev/null | wc -l)
	[ "$n" -eq 1 ]
	check_err $? "IOMMU group $g of $VF0 holds $n devices, want 1"
	dmesg | grep -q 'DMAR-IR: Enabled IRQ remapping'
	check_fail $? "interrupt remapping is on: $(dmesg | grep -m1 'DMAR-IR: Enabled')"
	dmesg | grep -q 'DMAR: IOMMU enabled'
	check_err $? "DMA remapping is not on"
	log_test "context has a group of its own, interrupt remapping is off"
}

refused_bind()
{
	guard_refused_bind "its MSIs are not isolated"
	log_test "context without MSI isolation refused: EPERM, clear message"
}

override_taints_and_opens()
{
	guard_override
	"$TOOLS/vfio-open" "$VF0" > /tmp/open.out 2>&1
	check_err $? "VFIO open failed with the override: $(cat /tmp/open.out)"
	[ "$(cat "$L/tainted" 2>/dev/null)" = 1 ]
	check_err $? "ledger entry not tainted"
	dmesg | grep -q "WITHOUT ISOLATION (its MSIs are not isolated"
	check_err $? "no loud message naming the reason"
	echo "$VF0" > /sys/bus/pci/drivers/vmm_guard/unbind
	log_test "allow_unsafe_isolation takes it, opens it, tainted in the ledger"
}

setup
run_tests
