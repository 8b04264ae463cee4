#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Lab self-test: the outer QEMU gives the host VM a working 82576 with
# SR-IOV.  Uses the in-tree igb PF driver, so it checks the lab, not the
# project's drivers: PF present, 7 VFs, VF BARs below 4 GiB (QEMU before
# 10.0.13 breaks VF registers above), VF registers alive.
source /src/tests/lib.sh

TESTS="pf_present sriov_seven_vfs vf_bars_below_4g vf_registers_respond"
PF=$(pf_dev)

pf_present()
{
	[ -n "$PF" ]
	check_err $? "no 8086:10c9 function on the PCI bus"
	[ "$(cat /sys/bus/pci/devices/$PF/sriov_totalvfs 2>/dev/null)" -ge 7 ]
	check_err $? "PF has no SR-IOV capability with 7 VFs"
	log_test "82576 PF present at ${PF:-?}"
}

sriov_seven_vfs()
{
	local n

	[ -n "$PF" ] || { log_skip "7 VFs" "no PF"; return; }
	modprobe igb
	busy_wait 20 has_netdev "$PF"
	check_err $? "igb registered no netdev for $PF"
	echo 0 > "/sys/bus/pci/devices/$PF/sriov_drivers_autoprobe"
	set_numvfs "$PF" 7
	check_err $? "writing 7 to sriov_numvfs failed"
	n=$(ls -d /sys/bus/pci/devices/$PF/virtfn* 2>/dev/null | wc -l)
	[ "$n" -eq 7 ]
	check_err $? "expected 7 VFs, found $n"
	[ -z "$(pci_find 8086 10ca | head -n1)" ] || true
	log_test "SR-IOV enables 7 VFs (8086:10ca)"
}

vf_bars_below_4g()
{
	local i vf start

	[ -e "/sys/bus/pci/devices/$PF/virtfn0" ] || { log_skip "VF BARs" "no VFs"; return; }
	for i in 0 1 2 3 4 5 6; do
		vf=$(vf_dev "$PF" $i)
		for bar in 0 3; do
			start=$(sed -n "$((bar + 1))p" "/sys/bus/pci/devices/$vf/resource" | cut -d' ' -f1)
			[ $((start)) -ne 0 ] && [ $((start)) -lt $((1 << 32)) ]
			check_err $? "VF$i ($vf) BAR$bar at $start: not below 4 GiB"
		done
	done
	log_test "VF BARs assigned below 4 GiB"
}

vf_registers_respond()
{
	local i vf pf_status vf_status mbx

	[ -e "/sys/bus/pci/devices/$PF/virtfn0" ] || { log_skip "VF registers" "no VFs"; return; }
	pf_status=$(regs "$PF" 0 0x8)
	check_err $? "cannot read PF STATUS"
	for i in 0 6; do
		vf=$(vf_dev "$PF" $i)
		setpci -s "$vf" COMMAND=0x0006
		vf_status=$(regs "$vf" 0 0x8)
		check_err $? "cannot map VF$i BAR0"
		# VF STATUS mirrors the PF's: NUM_VFS in bits 17:14, IOV bit 18.
		[ "$vf_status" = "$pf_status" ]
		check_err $? "VF$i STATUS $vf_status != PF STATUS $pf_status"
		[ $(( (vf_status >> 14) & 0xf )) -eq 7 ] && [ $(( vf_status & (1 << 18) )) -ne 0 ]
		check_err $? "VF$i STATUS $vf_status does not show 7 VFs in IOV mode"
		mbx=$(regs "$vf" 0 0xc40)
		[ "$mbx" != 0xffffffff ]
		check_err $? "VF$i mailbox reads all-ones"
		setpci -s "$vf" COMMAND=0x0000
	done
	log_test "VF registers respond (STATUS mirrors the PF)"
}

run_tests
