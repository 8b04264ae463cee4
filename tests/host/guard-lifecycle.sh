#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vmm_guard, IOMMU mode, without a guest: a context bound to the guard is
# opened through VFIO the way QEMU opens it (tests/tools/vfio-open), the
# ledger records the owner, killing the opener scrubs the context and
# frees it, and the module references follow the kernel's conventions.
source /src/tests/lib.sh
trap guard_cleanup EXIT

TESTS="bind_free open_records_owner owner_name kill_scrubs reopen_clean
       modules_in_use refuse_foreign_pf"
PF=$(pf_dev)
MAC0=52:54:00:cd:10:00
L=

setup()
{
	guard_setup "$MAC0"
}

state_is() { [ "$(cat "$L/state")" = "$1" ]; }

guard_bind()
{
	bind_driver "$1" vmm_guard
}

bind_free()
{
	guard_bind "$VF0"
	check_err $? "$VF0 did not bind to vmm_guard"
	[ "$(cat $L/state)" = free ] && [ "$(cat $L/mode)" = iommu ] &&
		[ "$(cat $L/context)" = 0 ] && [ "$(cat $L/scrubs)" = 0 ]
	check_err $? "ledger after bind: $(grep -H . $L/* 2>&1 | tr '\n' ' ')"
	[ -e "/dev/vfio/$(basename "$(readlink /sys/bus/pci/devices/$VF0/iommu_group)")" ]
	check_err $? "no VFIO group device for $VF0"
	log_test "context binds to vmm_guard and is free"
}

open_records_owner()
{
	vfio_hold "$VF0"
	check_err $? "VFIO open failed: $(cat "$HOLDER_OUT")"
	[ "$(cat $L/state)" = assigned ]
	check_err $? "state $(cat $L/state), want assigned"
	[ "$(cat $L/owner_pid)" = "$HOLDER" ] && [ "$(cat $L/owner_comm)" = vfio-open ]
	check_err $? "owner $(cat $L/owner_pid)/$(cat $L/owner_comm), want $HOLDER/vfio-open"
	[ "$(cat $L/since)" -gt 0 ]
	check_err $? "no open time"
	log_test "open through VFIO records the owner in the ledger"
}

owner_name()
{
	echo "domain-one" > $L/owner
	check_err $? "cannot set the owner name"
	[ "$(cat $L/owner)" = domain-one ]
	check_err $? "owner reads '$(cat $L/owner)'"
	printf 'bad\001name' > $L/owner 2>/dev/null
	check_fail $? "a non-printable owner name was accepted"
	head -c 80 /dev/zero | tr '\0' x > $L/owner 2>/dev/null
	check_fail $? "an 80-character owner name was accepted"
	[ "$(cat $L/owner)" = domain-one ]
	check_err $? "a refused write changed the owner to '$(cat $L/owner)'"
	log_test "owner name settable, bad names refused without change"
}

kill_scrubs()
{
	vfio_drop
	busy_wait 20 state_is free
	check_err $? "state $(cat $L/state) after the opener was killed, want free"
	[ "$(cat $L/scrubs)" = 1 ]
	check_err $? "scrubs $(cat $L/scrubs), want 1"
	[ "$(cat $L/owner_pid)" = 0 ] && [ -z "$(cat $L/owner)" ]
	check_err $? "owner not cleared"
	echo "last scrub: $(cat $L/last_scrub_us) us"
	dmesg | grep -q "context 0 released by vfio-open.*scrubbed in"
	check_err $? "no release message in the kernel log"
	log_test "killed opener: context scrubbed and free"
}

reopen_clean()
{
	local out

	out=$("$TOOLS/vfio-open" "$VF0" 2>&1)
	check_err $? "second open failed: $out"
	busy_wait 20 state_is free
	check_err $? "state $(cat $L/state) after close"
	[ "$(cat $L/scrubs)" = 2 ]
	check_err $? "scrubs $(cat $L/scrubs), want 2"
	log_test "context opens again after a scrub"
}

modules_in_use()
{
	rmmod cdna_pf 2>/dev/null
	check_fail $? "cdna_pf unloaded while vmm_guard holds a context"
	echo "$VF0" > /sys/bus/pci/drivers/vmm_guard/unbind
	rmmod vmm_guard
	check_err $? "vmm_guard does not unload once its contexts are released"
	load_guard
	check_err $? "vmm_guard does not load again"
	guard_bind "$VF0"
	check_err $? "context does not bind again after a guard reload"
	echo "$VF0" > /sys/bus/pci/drivers/vmm_guard/unbind
	set_numvfs "$PF" 0
	rmmod cdna_pf
	check_err $? "cdna_pf does not unload once the guard let go"
	log_test "cdna_pf refuses unload while a context is held; both reload"
}

refuse_foreign_pf()
{
	local vf

	modprobe igb
	busy_wait 20 has_netdev "$PF"
	echo 0 > "/sys/bus/pci/devices/$PF/sriov_drivers_autoprobe"
	set_numvfs "$PF" 1
	vf=$(vf_dev "$PF" 0)
	guard_bind "$vf" 2>/dev/null
	check_fail $? "a VF bound to vmm_guard without cdna_pf loaded"
	dmesg | grep -q "$vf: cdna_pf is not loaded"
	check_err $? "no clear refusal message without cdna_pf"
	# cdna_pf loaded, but the PF stays with igb.
	insmod "$KMOD/cdna-pf/cdna_pf.ko"
	check_err $? "cdna_pf does not load beside igb"
	guard_bind "$vf" 2>/dev/null
	check_fail $? "a VF of the in-tree igb bound to vmm_guard"
	dmesg | grep -q "$vf: its PF $PF is not driven by cdna_pf"
	check_err $? "no clear refusal message for igb's VF"
	echo > "/sys/bus/pci/devices/$vf/driver_override"
	set_numvfs "$PF" 0
	log_test "VF of a PF not driven by cdna_pf is refused"
}

setup
run_tests
