#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# lab-topology: no-acs
#
# vmm_guard's isolation gate, refusal path, on a topology with broken
# isolation: the root port above the NIC has no ACS, so the PF and all its
# VFs share one IOMMU group and a VM given one context could reach the
# others' DMA.  The guard refuses to take such a context, with a clear
# message and EPERM; the loud allow_unsafe_isolation override takes it and
# marks its ledger entry tainted.  (The open-time checks, including DMA
# remapping being off, are unit-tested in tests/unit/test_isolation.c; a
# Debian kernel has no VFIO no-IOMMU mode to build that case in the lab.)
source /src/tests/lib.sh
trap guard_cleanup EXIT

TESTS="shared_group refused_bind override_taints"
PF=$(pf_dev)

setup()
{
	guard_setup
	echo vmm_guard > "/sys/bus/pci/devices/$VF0/driver_override"
}

group_of()
{
	basename "$(readlink "/sys/bus/pci/devices/$1/iommu_group")"
}

shared_group()
{
	local n

	n=$(ls "/sys/kernel/iommu_groups/$(group_of "$VF0")/devices" | wc -l)
	echo "IOMMU group of $VF0 holds $n devices"
	[ "$(group_of "$VF0")" = "$(group_of "$PF")" ] && [ "$n" -ge 3 ]
	check_err $? "the no-ACS topology did not put PF and VFs in one group"
	log_test "without ACS the PF and its VFs share an IOMMU group"
}

refused_bind()
{
	guard_refused_bind "its IOMMU group holds other devices"
	log_test "context in a shared group refused: EPERM and a clear message"
}

override_taints()
{
	guard_override
	[ "$(cat $L/tainted 2>/dev/null)" = 1 ]
	check_err $? "ledger entry not tainted"
	dmesg | grep -q "$VF0: taking the context WITHOUT ISOLATION"
	check_err $? "no loud message for the unsafe bind"
	echo "$VF0" > /sys/bus/pci/drivers/vmm_guard/unbind
	log_test "allow_unsafe_isolation takes it, loudly, tainted in the ledger"
}

setup
run_tests
