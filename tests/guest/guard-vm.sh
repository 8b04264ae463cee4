#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# lab: timeout=600 mem=3072
#
# Guest tier, vmm_guard in IOMMU mode with real guests:
#  1. a guest gets context 0 through vmm_guard (not plain vfio-pci), runs
#     cdna_vf, gets the MAC the host set, pings a context in a host
#     namespace and the PF, and streams back-to-back pings to the peer;
#  2. its QEMU is killed (SIGKILL) mid-stream: the ledger shows the
#     scrub, the context is free, no DMA remapping fault or warning (the
#     lab fails the run on those), counters never go backwards;
#  3. a second guest takes the same context with the in-tree igbvf and
#     finds it clean: the host's new MAC, no filters of the first guest.
source /src/tests/lib.sh
source /src/lab/vm/guest.sh

TESTS="first_guest kill_scrubs second_guest"
PF=$(pf_dev)
MAC_A=52:54:00:cd:20:00
MAC_B=52:54:00:cd:20:0b
MAC_PEER=52:54:00:cd:20:01
PF_IP=198.18.0.1
PEER_IP=198.18.0.2
GUEST_IP=198.18.0.10

ctx0() { cat "/sys/bus/pci/devices/$PF/cdna/ctx0/$1"; }
state_is() { [ "$(cat "$L/state")" = "$1" ]; }
ctx_stat() { ethtool -S "$PFNET" | awk -v k="ctx0_$1:" '$1 == k { print $2 }'; }

setup()
{
	local vf1 dev

	insmod "$KMOD/cdna-pf/cdna_pf.ko" || fail_all "cdna_pf does not load"
	busy_wait 20 has_netdev "$PF" || fail_all "cdna_pf gave no netdev"
	PFNET=$(pci_netdev "$PF")
	ip addr add "$PF_IP/24" dev "$PFNET"
	ip link set "$PFNET" up
	echo 0 > "/sys/bus/pci/devices/$PF/sriov_drivers_autoprobe"
	set_numvfs "$PF" 2 || fail_all "cdna_pf cannot create contexts"
	ip link set "$PFNET" vf 0 mac "$MAC_A"
	ip link set "$PFNET" vf 1 mac "$MAC_PEER"
	VF0=$(vf_dev "$PF" 0)
	L=/sys/bus/pci/devices/$VF0/guard

	# The peer: context 1 with cdna_vf in a namespace.
	insmod "$KMOD/cdna-vf/cdna_vf.ko" || fail_all "cdna_vf does not load"
	vf1=$(vf_dev "$PF" 1)
	echo cdna_vf > "/sys/bus/pci/devices/$vf1/driver_override"
	echo "$vf1" > /sys/bus/pci/drivers_probe
	busy_wait 60 has_netdev "$vf1" || fail_all "cdna_vf gave $vf1 no netdev"
	dev=$(pci_netdev "$vf1")
	ip netns add peer
	ip link set "$dev" netns peer
	in_ns peer ip addr add "$PEER_IP/24" dev "$dev"
	in_ns peer ip link set "$dev" up
	in_ns peer ip link set lo up
	busy_wait 30 in_ns peer ping -c 1 -W 1 "$PF_IP" > /dev/null ||
		fail_all "the peer context cannot reach the PF"

	load_guard || fail_all "vmm_guard does not load"
	echo vmm_guard > "/sys/bus/pci/devices/$VF0/driver_override"
	echo "$VF0" > /sys/bus/pci/drivers_probe
	[ "$(cat $L/state 2>/dev/null)" = free ] || fail_all "context 0 not free in the guard"
}

relay()
{
	grep -E 'GUEST-TEST|loads:|try [0-9]' "/out/guest-$1.log" | sed 's/^/  guest: /'
}

GUEST_PID=
first_guest()
{
	local qemu

	guest_initrd /tmp/g1.cpio /src/tests/guest/payload/context.sh \
		"$GUEST_KMOD/cdna-vf/cdna_vf.ko"
	check_err $? "cannot build the guest initramfs"
	guest_boot one /tmp/g1.cpio 400 \
		"driver=cdna_vf,mac=$MAC_A,ip=$GUEST_IP,peer=$PEER_IP,pf=$PF_IP,hold=1" \
		"$VF0" &
	GUEST_PID=$!
	busy_wait 300 grep -qs GUEST-HOLDING /out/guest-one.log
	check_err $? "the guest did not reach its traffic phase"
	relay one
	grep -q 'GUEST-TEST: .*\[FAIL\]' /out/guest-one.log && check_err 1 "a check in the guest failed"
	qemu=$(pgrep -f '^qemu-system-x86_64 .*guest-one\.log' | head -n1)
	[ "$(cat $L/state)" = assigned ] && [ "$(cat $L/owner_pid)" = "$qemu" ]
	check_err $? "ledger: state $(cat $L/state), owner $(cat $L/owner_pid), QEMU $qemu"
	echo "guest-one" > $L/owner
	[ "$(ctx0 owner)" = guest-one ]
	check_err $? "PF shows owner '$(ctx0 owner)'"
	log_test "guest runs cdna_vf on a context from vmm_guard, traffic flows"
}

kill_scrubs()
{
	local qemu tx0 rx0 tx1 rx1

	qemu=$(pgrep -f '^qemu-system-x86_64 .*guest-one\.log' | head -n1)
	[ -n "$qemu" ] || { check_err 1 "no guest QEMU to kill"; log_test "SIGKILL"; return; }
	tx0=$(ctx_stat tx_packets)
	rx0=$(ctx_stat rx_packets)
	echo "context 0 before the kill: tx $tx0 rx $rx0"
	kill -KILL "$qemu"
	wait "$GUEST_PID" 2>/dev/null
	busy_wait 30 state_is free
	check_err $? "state $(cat $L/state) after SIGKILL"
	[ "$(cat $L/scrubs)" = 1 ] && [ "$(cat $L/owner_pid)" = 0 ] && [ -z "$(ctx0 owner)" ]
	check_err $? "ledger: scrubs $(cat $L/scrubs), owner $(cat $L/owner_pid), PF owner '$(ctx0 owner)'"
	echo "scrub took $(cat $L/last_scrub_us) us"
	[ -z "$(ctx0 vlans)" ] && [ "$(ctx0 mac)" = "$MAC_A" ] && [ "$(ctx0 cts)" = 0 ]
	check_err $? "context state after scrub: mac $(ctx0 mac) vlans '$(ctx0 vlans)' cts $(ctx0 cts)"
	tx1=$(ctx_stat tx_packets)
	rx1=$(ctx_stat rx_packets)
	echo "context 0 after the kill: tx $tx1 rx $rx1"
	[ "$tx1" -ge "$tx0" ] && [ "$rx1" -ge "$rx0" ] && [ "$tx0" -gt 50 ]
	check_err $? "counters: tx $tx0 -> $tx1, rx $rx0 -> $rx1"
	log_test "SIGKILL mid-stream: context scrubbed, free, counters consistent"
}

second_guest()
{
	local rc

	ip link set "$PFNET" vf 0 mac "$MAC_B"
	guest_initrd /tmp/g2.cpio /src/tests/guest/payload/context.sh igbvf
	check_err $? "cannot build the guest initramfs"
	guest_boot two /tmp/g2.cpio 300 \
		"driver=igbvf,mac=$MAC_B,ip=$GUEST_IP,peer=$PEER_IP,pf=$PF_IP" "$VF0"
	rc=$?
	relay two
	check_err $rc "second guest failed (rc $rc)"
	[ "$(cat $L/scrubs)" = 2 ] && [ "$(cat $L/state)" = free ]
	check_err $? "ledger after the second guest: scrubs $(cat $L/scrubs) state $(cat $L/state)"
	log_test "second guest (igbvf) gets a clean context with the new MAC"
}

setup
start=$(date +%s)
for t in $TESTS; do "$t"; done
echo "guard guest tier: $(( $(date +%s) - start ))s"
exit $EXIT_STATUS
