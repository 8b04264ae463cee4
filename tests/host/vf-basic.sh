#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# cdna_vf against the in-tree igb PF (PF_DRIVER=cdna_pf: against ours):
# bind two VFs, each gets the MAC the admin set on the PF; the two VFs, in
# two namespaces, ping each other and run iperf3 TCP and UDP through the
# NIC's internal switch; ethtool works and its counters rise; a MAC change
# the PF refuses fails cleanly; rx modes and VLAN filters go through the
# mailbox; the module reloads cleanly RELOADS (20) times; the VF count
# changes 0 -> 2 -> 0 -> 7 with the driver loaded.
#
# lab: timeout=600
source /src/tests/lib.sh

TESTS="vf_bind_admin_mac vf_ping vf_iperf_tcp vf_iperf_udp vf_ipv6_tcp vf_ethtool
       vf_counters_rise vf_mac_refused vf_rx_modes vf_vlan vf_reload
       vf_numvfs_cycle"
PF=$(pf_dev)
RELOADS=${RELOADS:-20}
MAC0=02:cd:0a:00:00:01
MAC1=02:cd:0a:00:00:02
IP0=198.18.0.1
IP1=198.18.0.2
DEV=
VF=()

trap 'pf_cleanup cdna_vf' EXIT
need pf

pinging()
{
	in_ns vfns0 ping -c 1 -W 1 -q "$IP1" > /dev/null 2>&1
}

vf_bind_admin_mac()
{
	vf_pair_bind $MAC0 $MAC1
	busy_wait 30 vf_mac_is "${VF[0]}" $MAC0
	check_err $? "VF0 MAC is not the admin MAC $MAC0"
	busy_wait 30 vf_mac_is "${VF[1]}" $MAC1
	check_err $? "VF1 MAC is not the admin MAC $MAC1"
	log_test "cdna_vf binds 2 VFs with the admin MACs"
}

vf_ping()
{
	vfs_into_ns vfns "$IP0" "$IP1"
	check_err $? "VF netdevs did not get carrier in their namespaces"
	busy_wait 60 pinging
	check_err $? "VF0 cannot ping VF1"
	in_ns vfns0 ping -c 5 -i 0.2 -W 2 -q "$IP1"
	check_err $? "ping VF0 -> VF1 lost packets"
	log_test "two VFs in two namespaces ping each other"
}

vf_iperf_tcp()
{
	vf_iperf "$IP1" 5201 -t 5
	check_err $? "iperf3 TCP failed: $IPERF_OUT"
	in_ns vfns1 ethtool -S vf1 | grep -E 'rx0|tx0'
	log_test "iperf3 TCP VF0 -> VF1"
}

vf_iperf_udp()
{
	vf_iperf "$IP1" 5202 -u -b 20M -t 5
	check_err $? "iperf3 UDP failed: $IPERF_OUT"
	log_test "iperf3 UDP VF0 -> VF1"
}

# IPv6 (TSO6, IPv6 checksum offload) and no checksum errors anywhere.
vf_ipv6_tcp()
{
	local bad

	in_ns vfns0 nstat -n
	in_ns vfns1 nstat -n
	in_ns vfns0 ip -6 addr add 2001:db8:cd::1/64 dev vf0 nodad
	in_ns vfns1 ip -6 addr add 2001:db8:cd::2/64 dev vf1 nodad
	busy_wait 30 in_ns vfns0 ping -6 -c 1 -W 1 -q 2001:db8:cd::2 > /dev/null
	check_err $? "no IPv6 ping VF0 -> VF1"
	vf_iperf 2001:db8:cd::2 5204 -6 -t 3
	check_err $? "iperf3 TCP over IPv6 failed: $IPERF_OUT"
	for ns in vfns0 vfns1; do
		bad=$(in_ns $ns nstat -a | awk '/InCsumErrors/ { s += $2 } END { print s + 0 }')
		[ "$bad" -eq 0 ]
		check_err $? "$ns: $bad segments with bad checksums"
	done
	for k in "vfns0 vf0" "vfns1 vf1"; do
		bad=$(ns_stat $k rx0_csum_errors)
		[ "$bad" = 0 ]
		check_err $? "$k: rx0_csum_errors $bad"
	done
	log_test "IPv6 ping and iperf3 TCP, no checksum errors"
}

vf_ethtool()
{
	local o

	for o in -i -g -l -k -d; do
		in_ns vfns0 ethtool $o vf0 > /dev/null
		check_err $? "ethtool $o vf0 failed"
	done
	in_ns vfns0 ethtool -i vf0 | grep -q '^driver: cdna_vf'
	check_err $? "ethtool -i does not name cdna_vf"
	in_ns vfns0 ethtool -S vf0
	in_ns vfns0 ethtool -G vf0 rx 256 tx 128
	check_err $? "ethtool -G rx 256 tx 128 failed"
	in_ns vfns0 ethtool -g vf0 | sed -n '/^Current/,$p' |
		grep -qE '^RX:[[:space:]]+256$'
	check_err $? "ethtool -g does not show the new RX ring size"
	in_ns vfns0 ethtool -G vf0 rx 100 2> /dev/null
	check_fail $? "ethtool -G rx 100 (not a multiple of 8) accepted"
	busy_wait 30 pinging
	check_err $? "no ping after resizing the rings"
	log_test "ethtool -i -g -G -l -k -d -S"
}

vf_counters_rise()
{
	local k before after

	for k in rx0_packets tx0_packets hw_rx_packets hw_tx_packets hw_rx_bytes hw_tx_bytes; do
		eval "before_$k=\$(ns_stat vfns0 vf0 $k)"
	done
	in_ns vfns0 ping -c 5 -i 0.2 -W 2 -q "$IP1" > /dev/null
	sleep 1
	for k in rx0_packets tx0_packets hw_rx_packets hw_tx_packets hw_rx_bytes hw_tx_bytes; do
		eval "before=\$before_$k"
		after=$(ns_stat vfns0 vf0 $k)
		[ -n "$after" ] && [ "$after" -gt "${before:-0}" ]
		check_err $? "ethtool -S $k did not rise ($before -> $after)"
	done
	log_test "ethtool -S counters rise with traffic"
}

vf_mac_refused()
{
	local out nacks

	nacks=$(ns_stat vfns0 vf0 mbx_nacks)
	out=$(in_ns vfns0 ip link set vf0 address 02:cd:0a:00:00:99 2>&1)
	check_fail $? "MAC change over the admin MAC was accepted"
	echo "$out" | grep -q 'not permitted'
	check_err $? "expected EPERM, got: $out"
	[ "$(in_ns vfns0 cat /sys/class/net/vf0/address)" = $MAC0 ]
	check_err $? "VF0 MAC changed although the PF refused"
	counter_grew vfns0 vf0 mbx_nacks "$nacks"
	pinging
	check_err $? "no ping after the refused MAC change"
	log_test "MAC change refused by the PF (admin MAC): EPERM, MAC kept"
}

vf_rx_modes()
{
	local tx to

	tx=$(ns_stat vfns0 vf0 mbx_tx)
	in_ns vfns0 ip maddr add 01:00:5e:01:02:03 dev vf0
	in_ns vfns0 ip link set vf0 allmulticast on
	sleep 2
	in_ns vfns0 ip link set vf0 promisc on
	sleep 2
	in_ns vfns0 ip link set vf0 promisc off
	in_ns vfns0 ip link set vf0 allmulticast off
	in_ns vfns0 ip maddr del 01:00:5e:01:02:03 dev vf0
	sleep 2
	counter_grew vfns0 vf0 mbx_tx "$tx"
	to=$(ns_stat vfns0 vf0 mbx_timeouts)
	[ "$to" = 0 ]
	check_err $? "mailbox timeouts: $to"
	busy_wait 10 pinging
	check_err $? "no ping after rx mode changes"
	log_test "multicast list, allmulti, promisc through the mailbox"
}

vf_vlan()
{
	modprobe 8021q 2> /dev/null
	in_ns vfns0 ip link add link vf0 name vf0.100 type vlan id 100 ||
		{ log_skip "VLAN filter" "no 8021q"; return; }
	in_ns vfns1 ip link add link vf1 name vf1.100 type vlan id 100
	in_ns vfns0 ip addr add 198.19.0.1/24 dev vf0.100
	in_ns vfns1 ip addr add 198.19.0.2/24 dev vf1.100
	in_ns vfns0 ip link set vf0.100 up
	in_ns vfns1 ip link set vf1.100 up
	busy_wait 30 in_ns vfns0 ping -c 1 -W 1 -q 198.19.0.2 > /dev/null
	check_err $? "no ping over VLAN 100"
	in_ns vfns0 ip link del vf0.100
	in_ns vfns1 ip link del vf1.100
	log_test "VLAN 100 between VFs (SET_VLAN, tag insert and strip)"
}

vf_reload()
{
	local n

	ip netns del vfns0
	ip netns del vfns1
	for n in $(seq 1 "$RELOADS"); do
		rmmod cdna_vf
		check_err $? "rmmod cdna_vf failed (round $n)"
		insmod "$VF_KO"
		check_err $? "insmod cdna_vf failed (round $n)"
		cdna_vf_bind "${VF[0]}" "${VF[1]}"
		check_err $? "cdna_vf did not bind again (round $n)"
		busy_wait 30 vf_mac_is "${VF[0]}" $MAC0
		check_err $? "VF0 lost its admin MAC after reload (round $n)"
	done
	vfs_into_ns vfns "$IP0" "$IP1"
	check_err $? "no carrier after reload"
	busy_wait 60 pinging
	check_err $? "no ping after reload"
	log_test "rmmod/insmod x$RELOADS clean, traffic after"
}

vf_count_bound()
{
	local want=$1 n=0 i vf

	for ((i = 0; i < want; i++)); do
		vf=$(vf_dev "$PF" $i)
		[ "$(basename "$(readlink -f "/sys/bus/pci/devices/$vf/driver")")" = cdna_vf ] &&
			[ -n "$(pci_netdev "$vf")" ] && n=$((n + 1))
	done
	[ "$n" -eq "$want" ]
}

vf_numvfs_cycle()
{
	ip netns del vfns0
	ip netns del vfns1
	echo 1 > "/sys/bus/pci/devices/$PF/sriov_drivers_autoprobe"
	set_numvfs "$PF" 0
	check_err $? "0 VFs failed"
	set_numvfs "$PF" 2
	check_err $? "2 VFs failed"
	busy_wait 60 vf_count_bound 2
	check_err $? "cdna_vf did not drive the 2 new VFs"
	set_numvfs "$PF" 0
	check_err $? "back to 0 VFs failed"
	set_numvfs "$PF" 7
	check_err $? "7 VFs failed"
	busy_wait 120 vf_count_bound 7
	check_err $? "cdna_vf did not drive all 7 VFs"
	set_numvfs "$PF" 0
	check_err $? "7 -> 0 VFs failed"
	log_test "VF count 0 -> 2 -> 0 -> 7 -> 0 with cdna_vf loaded"
}

run_tests
