#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# cdna_vf jumbo frames: two VFs at MTU 9000 (SET_LPE; the in-tree igb PF
# allows it) exchange unfragmented 9000-byte packets and run iperf3 TCP;
# the MTU goes back to 1500 with traffic still working; an MTU above the
# driver's limit is refused.
#
# lab: timeout=600
source /src/tests/lib.sh

TESTS="vf_setup mtu_9000_ping mtu_9000_iperf mtu_back_to_1500 mtu_too_big"
PF=$(pf_dev)
KO=$KMOD/cdna-vf/cdna_vf.ko
MAC0=02:cd:0a:00:02:01
MAC1=02:cd:0a:00:02:02
IP0=198.18.2.1
IP1=198.18.2.2
PFNET=

cleanup()
{
	ip netns del vfns0 2>/dev/null
	ip netns del vfns1 2>/dev/null
	rmmod cdna_vf 2>/dev/null
}
trap cleanup EXIT

# vf_bind VF: give VF to cdna_vf.
vf_bind()
{
	bind_driver "$1" cdna_vf
}

# pinging SIZE: one unfragmentable ping of SIZE payload bytes VF0 -> VF1.
pinging()
{
	in_ns vfns0 ping -c 1 -W 2 -q -M do -s "$1" "$IP1" > /dev/null 2>&1
}

set_mtu()
{
	in_ns vfns0 ip link set vf0 mtu "$1" && in_ns vfns1 ip link set vf1 mtu "$1"
}

vf_setup()
{
	local i vf dev ip

	[ -n "$PF" ] || skip_all "no 82576 PF"
	pf_load
	busy_wait 30 has_netdev "$PF"
	check_err $? "${PF_DRIVER:-igb} registered no netdev for $PF"
	PFNET=$(pci_netdev "$PF")
	ip link set "$PFNET" up
	echo 0 > "/sys/bus/pci/devices/$PF/sriov_drivers_autoprobe"
	set_numvfs "$PF" 2
	check_err $? "cannot enable 2 VFs"
	ip link set "$PFNET" vf 0 mac $MAC0
	ip link set "$PFNET" vf 1 mac $MAC1
	insmod "$KO"
	check_err $? "insmod cdna_vf failed"
	for i in 0 1; do
		vf=$(vf_dev "$PF" $i)
		vf_bind "$vf"
		check_err $? "cdna_vf did not bind $vf"
		ip netns add vfns$i
		ip=IP$i
		dev=$(pci_netdev "$vf")
		ip link set "$dev" netns vfns$i name vf$i
		in_ns vfns$i ip addr add "${!ip}/24" dev vf$i
		in_ns vfns$i ip link set lo up
		in_ns vfns$i ip link set vf$i up
	done
	busy_wait 60 carrier_up vfns0 vf0 && busy_wait 60 carrier_up vfns1 vf1
	check_err $? "VFs got no carrier"
	busy_wait 60 pinging 56
	check_err $? "VF0 cannot ping VF1 at MTU 1500"
	log_test "setup: 2 VFs on cdna_vf ping each other"
}

mtu_9000_ping()
{
	set_mtu 9000
	check_err $? "setting MTU 9000 failed"
	busy_wait 60 carrier_up vfns0 vf0 && busy_wait 60 carrier_up vfns1 vf1
	check_err $? "no carrier after the MTU change"
	busy_wait 60 pinging 8972
	check_err $? "no 9000-byte ping VF0 -> VF1"
	in_ns vfns0 ping -c 5 -i 0.2 -W 2 -q -M do -s 8972 "$IP1"
	check_err $? "9000-byte pings lost"
	log_test "MTU 9000: unfragmented 9000-byte ping"
}

mtu_9000_iperf()
{
	local out

	in_ns vfns1 iperf3 -s -1 -D -p 5203 || true
	sleep 1
	out=$(in_ns vfns0 timeout 60 iperf3 -c "$IP1" -p 5203 -t 5 -f m 2>&1)
	check_err $? "iperf3 TCP at MTU 9000 failed: $out"
	echo "$out" | grep -E 'sender|receiver'
	in_ns vfns1 ethtool -S vf1 | grep -E 'rx0_(packets|errors)'
	log_test "MTU 9000: iperf3 TCP"
}

mtu_back_to_1500()
{
	set_mtu 1500
	check_err $? "setting MTU 1500 failed"
	busy_wait 60 pinging 1472
	check_err $? "no 1500-byte ping after going back to MTU 1500"
	pinging 8972
	check_fail $? "a 9000-byte unfragmentable ping passed at MTU 1500"
	log_test "MTU back to 1500"
}

mtu_too_big()
{
	in_ns vfns0 ip link set vf0 mtu 9300 2> /dev/null
	check_fail $? "MTU 9300 accepted (limit 9198)"
	log_test "MTU above the limit refused"
}

run_tests
