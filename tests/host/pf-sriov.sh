#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# lab: timeout=420
#
# cdna_pf contexts: 7 VFs, the stock igbvf gets the admin MAC over the
# mailbox, two VFs in two namespaces ping each other through the NIC's
# VM-to-VM switch, ip link set PF vf N ... is accepted, shown and
# programmed into the registers, per-VF stats follow traffic, ethtool -S
# has the ctxN blocks, the PF keeps its own connectivity throughout.
source /src/tests/lib.sh

TESTS="sriov_enable pf_ping_after_enable igbvf_admin_mac vf_to_vf_ping
       vf_vlan_qos vf_spoofchk vf_trust vf_link_state vf_rate
       vf_stats ethtool_ctx sysfs_ctx sriov_disable"
PF=$(pf_dev)
PF_IP=198.18.0.1
PEER_IP=198.18.0.2
VF_MAC=(02:cd:0a:00:00:10 02:cd:0a:00:00:11)
VF_IP=(198.18.1.1 198.18.1.2)
IGBVF_TRIES=4
DEV=

trap 'pf_cleanup igbvf' EXIT
need pf cdna_pf cdna-regs

pf_ping()
{
	ping -c 2 -W 2 "$PEER_IP" > /dev/null 2>&1 ||
		ping -c 3 -W 2 "$PEER_IP" > /dev/null 2>&1
}

sriov_enable()
{
	local n

	pf_peer_up "$PF_IP" "$PEER_IP"
	check_err $? "cdna_pf did not come up with link"
	pf_ping
	check_err $? "PF cannot ping the peer before SR-IOV"
	# Autoprobe stays on (a VF created without it can never be bound);
	# igbvf is not loaded yet, so nothing binds now.
	echo 1 > "/sys/bus/pci/devices/$PF/sriov_drivers_autoprobe"
	set_numvfs "$PF" 7
	check_err $? "writing 7 to sriov_numvfs failed"
	n=$(ls -d /sys/bus/pci/devices/$PF/virtfn* 2>/dev/null | wc -l)
	[ "$n" -eq 7 ]
	check_err $? "expected 7 VFs, found $n"
	echo 3 > "/sys/bus/pci/devices/$PF/sriov_numvfs" 2>/dev/null
	check_fail $? "changing 7 -> 3 VFs without 0 first was accepted"
	[ $(( ($(pf_reg MRQC) & 7) )) -eq 3 ]
	check_err $? "MRQC is not in VMDq mode"
	[ $(( $(pf_reg DTXSWC) >> 31 )) -eq 1 ]
	check_err $? "DTXSWC loopback (bit 31) not set"
	log_test "7 VFs, VMDq on, VM-to-VM loopback on, 0 first (-EBUSY)"
}

pf_ping_after_enable()
{
	pf_ping
	check_err $? "PF lost its connectivity after enabling VFs"
	[ "$(cat /sys/bus/pci/devices/$PF/cdna/pf_pool)" = 7 ]
	check_err $? "PF pool is not 7"
	[ $(( $(pf_reg "RXDCTL(7)") & (1 << 25) )) -ne 0 ]
	check_err $? "RXDCTL of queue 7 (the PF's) is not enabled"
	log_test "PF keeps its ping on its own pool (7)"
}

# igbvf_carrier N: the in-tree igbvf on VF N with its admin MAC
# (tests/lib.sh's bind_igbvf, which retries the bind) and carrier.
igbvf_carrier()
{
	local n=$1 vf dev try

	vf=$(vf_dev "$PF" "$n")
	for try in $(seq 1 2); do
		dev=$(pci_netdev "$vf")
		if [ -z "$dev" ] ||
		   [ "$(cat "/sys/class/net/$dev/address")" != "${VF_MAC[$n]}" ]; then
			IGBVF_TRIES=$IGBVF_TRIES bind_igbvf "$vf" "${VF_MAC[$n]}" ||
				continue
			dev=$(pci_netdev "$vf")
		fi
		ip link set "$dev" up
		busy_wait 15 grep -qx 1 "/sys/class/net/$dev/carrier" && return 0
		echo "VF$n: try $try: $dev has no carrier"
		echo "$vf" > /sys/bus/pci/drivers/igbvf/unbind 2>/dev/null
	done
	return 1
}

igbvf_admin_mac()
{
	local i

	for i in 0 1; do
		ip link set "$DEV" vf "$i" mac "${VF_MAC[$i]}"
		check_err $? "ip link set vf $i mac failed"
	done
	ip link set "$DEV" vf 0 mac 01:00:5e:00:00:01 2>/dev/null
	check_fail $? "a multicast VF MAC was accepted"
	# Binds every VF: seven reset handshakes at once.
	modprobe igbvf
	check_err $? "modprobe igbvf failed"
	for i in 0 1; do
		igbvf_carrier "$i"
		check_err $? "igbvf on VF$i: no admin MAC ${VF_MAC[$i]} with carrier after $IGBVF_TRIES binds"
	done
	log_test "stock igbvf takes the admin MAC over the mailbox"
}

vf_to_vf_ping()
{
	local i

	for i in 0 1; do
		vf_into_ns "$(vf_dev "$PF" "$i")" "vf$i" "vf$i" "${VF_IP[$i]}" ||
			{ check_err 1 "VF$i has no netdev"; break; }
	done
	in_ns vf0 ping -c 5 -W 2 "${VF_IP[1]}" > /out/vf-ping.log 2>&1 ||
		in_ns vf0 ping -c 5 -W 2 "${VF_IP[1]}" >> /out/vf-ping.log 2>&1
	check_err $? "VF0 cannot ping VF1"
	pf_ping
	check_err $? "PF lost its ping while VFs talk"
	log_test "VF0 and VF1 in two namespaces ping each other"
	vf_to_vf_iperf
}

# iperf3 TCP and UDP between the two igbvf contexts through the NIC's
# switch while the PF's own netdev reaches its peer.
vf_to_vf_iperf()
{
	local pid

	in_ns vf1 iperf3 -s -D
	sleep 1
	ping -c 8 -i 0.5 -W 2 "$PEER_IP" > /out/pf-ping-during.log 2>&1 &
	pid=$!
	in_ns vf0 iperf3 -c "${VF_IP[1]}" -t 4 > /out/vf-iperf-tcp.log 2>&1
	check_err $? "iperf3 TCP VF0 -> VF1 failed: $(tail -n 1 /out/vf-iperf-tcp.log)"
	in_ns vf0 iperf3 -c "${VF_IP[1]}" -u -b 20M -t 4 > /out/vf-iperf-udp.log 2>&1
	check_err $? "iperf3 UDP VF0 -> VF1 failed: $(tail -n 1 /out/vf-iperf-udp.log)"
	grep -h receiver /out/vf-iperf-tcp.log /out/vf-iperf-udp.log
	wait "$pid"
	check_err $? "PF lost its ping while the VFs ran iperf3"
	log_test "igbvf VF0 -> VF1 iperf3 TCP and UDP, PF reaches its peer meanwhile"
}

vf_vlan_qos()
{
	local i vlvf found=0

	ip link set "$DEV" vf 2 vlan 100 qos 3
	check_err $? "ip link set vf 2 vlan 100 qos 3 failed"
	ip link show "$DEV" | grep -q "vf 2 .*vlan 100, qos 3"
	check_err $? "ip link show does not show vlan 100, qos 3 on vf 2"
	# VMVIR[2]: always insert, VID 100, PCP 3.
	[ "$(regs "$PF" 0 "VMVIR(2)")" = 0x40006064 ]
	check_err $? "VMVIR[2] = $(regs "$PF" 0 "VMVIR(2)"), want 0x40006064"
	for i in $(seq 0 31); do
		vlvf=$(pf_reg "VLVF($i)")
		if [ $((vlvf & 0xfff)) -eq 100 ] && [ $((vlvf >> 31)) -eq 1 ] &&
		   [ $(( (vlvf >> 12) & 0xff )) -eq 4 ]; then
			found=1
		fi
	done
	[ $found -eq 1 ]
	check_err $? "no VLVF entry for VID 100 with POOLSEL = pool 2"
	ip link set "$DEV" vf 2 vlan 100 proto 802.1ad 2>/dev/null
	check_fail $? "802.1ad VLAN accepted"
	ip link set "$DEV" vf 2 vlan 5000 2>/dev/null
	check_fail $? "VLAN 5000 accepted"
	log_test "vf vlan/qos: VMVIR and VLVF programmed, bad input refused"
}

vf_spoofchk()
{
	local d

	ip link set "$DEV" vf 3 spoofchk off
	check_err $? "spoofchk off failed"
	ip link show "$DEV" | grep -q "vf 3 .*spoof checking off"
	check_err $? "ip link show: vf 3 spoof checking not off"
	d=$(pf_reg DTXSWC)
	[ $(( (d >> 3) & 1 )) -eq 0 ] && [ $(( (d >> 11) & 1 )) -eq 0 ] &&
		[ $(( d & 1 )) -eq 1 ] && [ $(( (d >> 8) & 1 )) -eq 1 ]
	check_err $? "DTXSWC $(regs "$PF" 0 DTXSWC): spoof bits wrong"
	log_test "vf spoofchk: DTXSWC MAC/VLAN spoof bits programmed"
}

vf_trust()
{
	ip link set "$DEV" vf 4 trust on
	check_err $? "trust on failed"
	ip link show "$DEV" | grep -q "vf 4 .*trust on"
	check_err $? "ip link show: vf 4 not trusted"
	[ "$(cat /sys/bus/pci/devices/$PF/cdna/ctx4/trust)" = 1 ]
	check_err $? "sysfs ctx4/trust not 1"
	log_test "vf trust shown"
}

vf_link_state()
{
	ip link set "$DEV" vf 1 state disable
	check_err $? "state disable failed"
	ip link show "$DEV" | grep -q "vf 1 .*link-state disable"
	check_err $? "ip link show: vf 1 not link-state disable"
	# Receive closes at once; transmit once the VF read the news (its
	# ACK), within the PF's grace (3 s) and a service period at most.
	[ $(( ($(pf_reg VFRE) >> 1) & 1 )) -eq 0 ]
	check_err $? "VFRE bit 1 still set"
	wait_until 6 '[ $(( ($(pf_reg VFTE) >> 1) & 1 )) -eq 0 ]'
	check_err $? "VFTE bit 1 still set 6 s after state disable"
	in_ns vf0 ping -c 2 -W 1 "${VF_IP[1]}" > /dev/null 2>&1
	check_fail $? "VF0 still reaches VF1 with its link disabled"
	ip link set "$DEV" vf 1 state auto
	check_err $? "state auto failed"
	[ $(( ($(pf_reg VFRE) >> 1) & 1 )) -eq 1 ]
	check_err $? "VFRE bit 1 not back"
	busy_wait 20 in_ns vf0 ping -c 1 -W 1 "${VF_IP[1]}" > /dev/null 2>&1
	check_err $? "VF0 does not reach VF1 after state auto"
	log_test "vf state disable closes VFRE/VFTE, auto reopens"
}

vf_rate()
{
	ip link set "$DEV" vf 6 max_tx_rate 100
	check_err $? "max_tx_rate 100 failed"
	ip link show "$DEV" | grep -q "vf 6 .*max_tx_rate 100Mbps"
	check_err $? "ip link show: vf 6 without max_tx_rate 100Mbps"
	ip link set "$DEV" vf 6 min_tx_rate 10 2>/dev/null
	check_fail $? "min_tx_rate accepted"
	ethtool -d "$DEV" raw on > /out/regs.bin
	check_err $? "ethtool -d failed"
	log_test "vf max_tx_rate (RTTBCNRC programmed; QEMU does not emulate it)"
}

# vf_ip_stat N WHAT: from 'ip -s link show PF', WHAT = rx|tx packets of vf N
vf_ip_stat()
{
	ip -s link show "$DEV" | awk -v vf="$1" -v what="$2" '
		$1 == "vf" { cur = $2 }
		cur == vf && $1 == "RX:" { getline; rx = $2 }
		cur == vf && $1 == "TX:" { getline; tx = $2; cur = -1 }
		END { print (what == "rx" ? rx : tx) + 0 }'
}

vf_stats()
{
	local rx0 tx0 rx1 tx1

	rx0=$(vf_ip_stat 0 rx)
	tx0=$(vf_ip_stat 0 tx)
	in_ns vf0 ping -c 10 -i 0.2 -W 2 "${VF_IP[1]}" > /dev/null
	check_err $? "VF0 -> VF1 ping failed"
	rx1=$(vf_ip_stat 0 rx)
	tx1=$(vf_ip_stat 0 tx)
	echo "vf0 rx $rx0 -> $rx1, tx $tx0 -> $tx1"
	[ $((tx1 - tx0)) -ge 10 ] && [ $((rx1 - rx0)) -ge 10 ]
	check_err $? "vf 0 stats did not count 10 pings: rx $rx0->$rx1 tx $tx0->$tx1"
	log_test "ip -s link show PF: per-VF stats follow traffic"
}

ethtool_ctx()
{
	local s tx want got i

	# The per-context counters users read, in the driver's order.
	want="rx_packets tx_packets rx_bytes tx_bytes rx_multicast mbx_msgs"
	want="$want mbx_refused mbx_throttled resets uc_refused"
	want="$want spoof_dropped vlan_dropped"
	s=$(ethtool -S "$DEV")
	for i in 0 1 2 3 4 5 6; do
		got=$(echo "$s" | awk -v p="ctx${i}_" \
			'index($1, p) == 1 { sub(p, "", $1); sub(":", "", $1);
			 printf "%s%s", sep, $1; sep = " " }')
		[ "$got" = "$want" ]
		check_err $? "ctx$i counters: '$got', want '$want'"
	done
	[ -z "$(echo "$s" | grep "ctx7_")" ]
	check_err $? "a ctx7 block with 7 VFs"
	tx=$(echo "$s" | awk '$1 == "ctx0_tx_packets:" { print $2 }')
	[ "${tx:-0}" -ge 10 ]
	check_err $? "ctx0_tx_packets ${tx:-none} < 10"
	echo "$s" | grep -E "ctx0_(mbx_msgs|resets)"
	log_test "ethtool -S: ctx0..ctx6 blocks of 12 counters, ctx0 counts traffic"
}

sysfs_ctx()
{
	local d=/sys/bus/pci/devices/$PF/cdna/ctx0

	[ "$(cat "$d/mac" 2>/dev/null)" = "${VF_MAC[0]}" ]
	check_err $? "sysfs ctx0/mac is not ${VF_MAC[0]}"
	[ "$(cat "$d/cts" 2>/dev/null)" = 1 ]
	check_err $? "sysfs ctx0/cts is not 1"
	[ "$(cat /sys/bus/pci/devices/$PF/cdna/ctx2/vlan)" = 100 ]
	check_err $? "sysfs ctx2/vlan is not 100"
	grep -H . "$d"/* | sed 's|.*/cdna/||'
	log_test "sysfs cdna/ctxN shows the contexts"
}

sriov_disable()
{
	ip netns del vf0 2>/dev/null
	ip netns del vf1 2>/dev/null
	rmmod igbvf
	set_numvfs "$PF" 0
	check_err $? "writing 0 to sriov_numvfs failed"
	[ ! -e "/sys/bus/pci/devices/$PF/virtfn0" ]
	check_err $? "VFs still there"
	[ $(( $(pf_reg MRQC) & 7 )) -eq 0 ]
	check_err $? "MRQC still in VMDq mode"
	pf_ping
	check_err $? "PF lost its ping after disabling SR-IOV"
	set_numvfs "$PF" 2
	check_err $? "re-enabling 2 VFs failed"
	pf_ping
	check_err $? "PF lost its ping with 2 VFs (pool 2)"
	set_numvfs "$PF" 0
	log_test "SR-IOV off and on again, the PF keeps its ping"
}

run_tests
