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
MAC0=02:cd:0a:00:02:01
MAC1=02:cd:0a:00:02:02
IP0=198.18.2.1
IP1=198.18.2.2
DEV=
VF=()

trap 'pf_cleanup cdna_vf' EXIT
need pf

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
	vf_pair_up $MAC0 $MAC1 $IP0 $IP1
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
	vf_iperf "$IP1" 5203 -t 5
	check_err $? "iperf3 TCP at MTU 9000 failed: $IPERF_OUT"
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
