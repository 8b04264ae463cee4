#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# lab: timeout=600
#
# Offloads of cdna_pf's own netdev, against the virtio-net peer on the
# wire (in namespace "peer"):
#  - TSO (IPv4 and IPv6, also over a VLAN and with VFs on): a TCP stream
#    gets through; the NIC was handed super-packets (tx_tso_packets, and
#    the NIC's own TSCTC, mac_tx_tso_packets, count them) and sent more
#    frames than it counted packets in GPTC; the driver's tx_packets and
#    tx_bytes count the segments on the wire (what the peer received), and
#    byte queue limits drain to zero.  With TSO off none of that moves.
#  - VLAN offload: a VLAN 20 subinterface pings the peer's VLAN 20 with
#    tag insertion and stripping on, off and mixed; the counters say which
#    path was taken and the registers (CTRL.VME, VFTA, RCTL.VFE) agree; a
#    VLAN the PF did not join does not reach it.
#  - with VFs (VMDq): stripping moves to the PF pool's VMOLR.STRVLAN,
#    RPLOLR strips multicast, and the PF's VLAN shares its VLVF entry with
#    a VF's port VLAN; removing either leaves the other's bit, removing
#    both frees the entry and the VFTA bit.
source /src/tests/lib.sh

TESTS="setup tso_ipv4 tso_off tso_ipv6 vlan_offload_on vlan_offload_off
       vlan_offload_mixed vlan_filter_foreign tso_over_vlan vlan_with_vfs
       tso_with_vfs vlan_vlvf_shared"
PF=$(pf_dev)
PF_IP=198.18.0.1
PEER_IP=198.18.0.2
PF_IP6=fd00:cd::1
PEER_IP6=fd00:cd::2
PF_VIP=198.18.20.1
PEER_VIP=198.18.20.2
PF_POOL_WITH_VFS=2
DEV=

trap pf_cleanup EXIT
need pf cdna_pf cdna-regs iperf3

# pf_stat KEY: one ethtool -S counter of the PF.
pf_stat()
{
	ethtool -S "$DEV" | awk -v k="$1:" '$1 == k { print $2 }'
}

peer_stat()
{
	in_ns peer cat "/sys/class/net/peer0/statistics/$1"
}

no_ipv6()
{
	echo 1 > "/proc/sys/net/ipv6/conf/$1/disable_ipv6"
}

setup()
{
	local f

	pf_peer_up "$PF_IP" "$PEER_IP"
	check_err $? "PF has no carrier"
	echo 0 > "/sys/bus/pci/devices/$PF/sriov_drivers_autoprobe"
	ip addr add "$PF_IP6/64" dev "$DEV" nodad
	in_ns peer ip addr add "$PEER_IP6/64" dev peer0 nodad
	busy_wait 20 ping -c 1 -W 1 "$PEER_IP" > /dev/null
	check_err $? "PF cannot ping the peer"
	in_ns peer iperf3 -s -D -p 5201
	in_ns peer iperf3 -s -D -p 5202
	ethtool -k "$DEV" > /out/features.txt
	for f in tcp-segmentation-offload tx-tcp6-segmentation \
		 rx-vlan-offload tx-vlan-offload rx-vlan-filter; do
		grep -q "^[[:space:]]*$f: on" /out/features.txt
		check_err $? "ethtool -k: $f is not on by default"
	done
	log_test "setup: PF pings the peer, TSO and VLAN offloads on"
}

# Counters before a stream, in globals: PF driver and MAC, peer.
snap()
{
	S_TSO=$(pf_stat tx_tso_packets)
	S_SEGS=$(pf_stat tx_tso_segments)
	S_TXP=$(pf_stat tx_packets)
	S_TXB=$(pf_stat tx_bytes)
	S_HWTSO=$(pf_stat mac_tx_tso_packets)
	S_GPTC=$(pf_stat mac_tx_good_packets)
	S_PRX=$(peer_stat rx_packets)
	S_PRXB=$(peer_stat rx_bytes)
}

# deltas: the same counters' growth since snap, in D_* globals.
deltas()
{
	D_TSO=$(( $(pf_stat tx_tso_packets) - S_TSO ))
	D_SEGS=$(( $(pf_stat tx_tso_segments) - S_SEGS ))
	D_TXP=$(( $(pf_stat tx_packets) - S_TXP ))
	D_TXB=$(( $(pf_stat tx_bytes) - S_TXB ))
	D_HWTSO=$(( $(pf_stat mac_tx_tso_packets) - S_HWTSO ))
	D_GPTC=$(( $(pf_stat mac_tx_good_packets) - S_GPTC ))
	D_PRX=$(( $(peer_stat rx_packets) - S_PRX ))
	D_PRXB=$(( $(peer_stat rx_bytes) - S_PRXB ))
	echo "$1: tso $D_TSO segs $D_SEGS tx_packets $D_TXP tx_bytes $D_TXB" \
	     "mac_tso $D_HWTSO mac_gptc $D_GPTC peer_rx $D_PRX peer_rx_bytes $D_PRXB"
}

# stream NAME TARGET PORT [iperf3 args]: 4 s of TCP from the PF.
stream()
{
	local name=$1 target=$2 port=$3

	shift 3
	timeout 60 iperf3 -c "$target" -p "$port" -t 4 -f m "$@" \
		> "/out/iperf-$name.log" 2>&1
	check_err $? "iperf3 $name to $target failed: $(tail -n 2 "/out/iperf-$name.log" | tr '\n' ' ')"
	grep -E 'sender|receiver' "/out/iperf-$name.log"
}

# within A B PCT: |A - B| <= PCT% of B (+ 20 for stray frames)
within()
{
	local d=$(( $1 - $2 ))

	[ $d -lt 0 ] && d=$(( -d ))
	[ $d -le $(( $2 * $3 / 100 + 20 )) ]
}

bql_drained()
{
	[ "$(cat "/sys/class/net/$DEV/queues/tx-0/byte_queue_limits/inflight")" = 0 ]
}

# TSO was used: super-packets to the NIC, more segments than packets, the
# NIC's own TSO count agrees, it counted fewer packets (GPTC) than went on
# the wire, the driver's packet and byte counts are the wire's.
check_tso_used()
{
	[ "$D_TSO" -gt 0 ] && [ "$D_SEGS" -gt "$D_TSO" ]
	check_err $? "$1: no TSO packets ($D_TSO) or no more segments ($D_SEGS) than packets"
	[ "$D_HWTSO" -gt 0 ] && within "$D_HWTSO" "$D_TSO" 5
	check_err $? "$1: the NIC counted $D_HWTSO TSO packets, the driver sent $D_TSO"
	[ "$D_GPTC" -lt "$D_PRX" ]
	check_err $? "$1: GPTC $D_GPTC is not below the $D_PRX frames the peer received"
	within "$D_TXP" "$D_PRX" 5
	check_err $? "$1: tx_packets $D_TXP, the peer received $D_PRX frames"
	within "$D_TXB" "$D_PRXB" 5
	check_err $? "$1: tx_bytes $D_TXB, the peer received $D_PRXB bytes"
	busy_wait 5 bql_drained
	check_err $? "$1: BQL inflight $(cat "/sys/class/net/$DEV/queues/tx-0/byte_queue_limits/inflight") after the stream"
}

tso_ipv4()
{
	snap
	stream tso4 "$PEER_IP" 5201
	deltas "TSO IPv4"
	check_tso_used "TSO IPv4"
	log_test "TSO on: IPv4 TCP stream segmented by the NIC, counted per segment"
}

tso_off()
{
	ethtool -K "$DEV" tso off
	check_err $? "ethtool -K tso off failed"
	ethtool -k "$DEV" | grep -q "^tcp-segmentation-offload: off"
	check_err $? "ethtool -k does not show TSO off"
	snap
	stream notso "$PEER_IP" 5201
	deltas "TSO off"
	[ "$D_TSO" -eq 0 ] && [ "$D_HWTSO" -eq 0 ]
	check_err $? "TSO off: $D_TSO TSO packets sent, NIC counted $D_HWTSO"
	within "$D_GPTC" "$D_PRX" 5
	check_err $? "TSO off: GPTC $D_GPTC, peer received $D_PRX"
	within "$D_TXP" "$D_PRX" 5
	check_err $? "TSO off: tx_packets $D_TXP, peer received $D_PRX"
	ethtool -K "$DEV" tso on
	check_err $? "ethtool -K tso on failed"
	log_test "TSO off: the stream still works, no TSO packet is made"
}

tso_ipv6()
{
	snap
	stream tso6 "$PEER_IP6" 5202 -6
	deltas "TSO IPv6"
	check_tso_used "TSO IPv6"
	log_test "TSO on: IPv6 TCP stream segmented by the NIC"
}

vlan_setup()
{
	[ -e "/sys/class/net/$DEV.20" ] && return 0
	ip link add link "$DEV" name "$DEV.20" type vlan id 20 || return 1
	no_ipv6 "$DEV.20"
	ip addr add "$PF_VIP/24" dev "$DEV.20"
	ip link set "$DEV.20" up
	if ! in_ns peer test -e /sys/class/net/peer0.20; then
		in_ns peer ip link add link peer0 name peer0.20 type vlan id 20
		in_ns peer sh -c 'echo 1 > /proc/sys/net/ipv6/conf/peer0.20/disable_ipv6'
		in_ns peer ip addr add "$PEER_VIP/24" dev peer0.20
		in_ns peer ip link set peer0.20 up
	fi
}

# vlan_ping RX TX: with rxvlan/txvlan RX/TX, 10 pings over VLAN 20; the
# offload counters must have moved only for the offloads that are on.
vlan_ping()
{
	local rx=$1 tx=$2 r0 t0 dr dt

	ethtool -K "$DEV" rxvlan "$rx" txvlan "$tx"
	check_err $? "ethtool -K rxvlan $rx txvlan $tx failed"
	ip neigh flush dev "$DEV.20"
	r0=$(pf_stat rx_vlan_offload)
	t0=$(pf_stat tx_vlan_offload)
	ping -c 10 -i 0.2 -W 2 "$PEER_VIP" > /out/vlan-ping-$rx-$tx.log 2>&1 ||
		ping -c 5 -i 0.2 -W 2 "$PEER_VIP" >> /out/vlan-ping-$rx-$tx.log 2>&1
	check_err $? "rxvlan $rx txvlan $tx: no ping over VLAN 20"
	dr=$(( $(pf_stat rx_vlan_offload) - r0 ))
	dt=$(( $(pf_stat tx_vlan_offload) - t0 ))
	echo "rxvlan $rx txvlan $tx: rx_vlan_offload +$dr tx_vlan_offload +$dt"
	if [ "$rx" = on ]; then
		[ "$dr" -ge 5 ]
	else
		[ "$dr" -eq 0 ]
	fi
	check_err $? "rxvlan $rx: rx_vlan_offload grew by $dr"
	if [ "$tx" = on ]; then
		[ "$dt" -ge 5 ]
	else
		[ "$dt" -eq 0 ]
	fi
	check_err $? "txvlan $tx: tx_vlan_offload grew by $dt"
}

vlan_offload_on()
{
	vlan_setup
	check_err $? "cannot make $DEV.20"
	vlan_ping on on
	[ $(( $(pf_reg 0x0) >> 30 & 1 )) -eq 1 ]
	check_err $? "CTRL.VME not set with rxvlan on ($(regs "$PF" 0 0x0))"
	[ $(( $(pf_reg 0x5600) >> 20 & 1 )) -eq 1 ]
	check_err $? "VFTA bit 20 not set ($(regs "$PF" 0 0x5600))"
	[ $(( $(pf_reg 0x100) >> 18 & 1 )) -eq 1 ]
	check_err $? "RCTL.VFE not set ($(regs "$PF" 0 0x100))"
	log_test "VLAN 20 ping with tag insertion and stripping on"
}

vlan_offload_off()
{
	vlan_ping off off
	[ $(( $(pf_reg 0x0) >> 30 & 1 )) -eq 0 ]
	check_err $? "CTRL.VME still set with rxvlan off ($(regs "$PF" 0 0x0))"
	ethtool -k "$DEV" | grep -q "^rx-vlan-offload: off"
	check_err $? "ethtool -k does not show rxvlan off"
	log_test "VLAN 20 ping with tag insertion and stripping off"
}

vlan_offload_mixed()
{
	vlan_ping on off
	vlan_ping off on
	vlan_ping on on
	log_test "VLAN 20 ping with only one of the two offloads on"
}

# Broadcasts on VLAN 30, which the PF never joined, must not reach it.
vlan_filter_foreign()
{
	local r0 d

	in_ns peer ip link add link peer0 name peer0.30 type vlan id 30
	in_ns peer sh -c 'echo 1 > /proc/sys/net/ipv6/conf/peer0.30/disable_ipv6'
	in_ns peer ip addr add 198.18.30.2/24 dev peer0.30
	in_ns peer ip link set peer0.30 up
	r0=$(pf_stat rx_packets)
	in_ns peer ping -b -c 20 -i 0.1 -W 1 198.18.30.255 > /dev/null 2>&1
	d=$(( $(pf_stat rx_packets) - r0 ))
	echo "20 VLAN 30 broadcasts: PF rx_packets +$d"
	[ "$d" -lt 10 ]
	check_err $? "the PF received $d frames while the peer broadcast 20 on VLAN 30"
	[ $(( $(pf_reg 0x5600) >> 30 & 1 )) -eq 0 ]
	check_err $? "VFTA bit 30 set ($(regs "$PF" 0 0x5600))"
	in_ns peer ip link del peer0.30
	log_test "a VLAN the PF did not join is filtered out (VFTA)"
}

tso_over_vlan()
{
	in_ns peer iperf3 -s -D -p 5203 -B "$PEER_VIP"
	sleep 1
	snap
	stream tso-vlan "$PEER_VIP" 5203
	deltas "TSO over VLAN 20"
	[ "$D_TSO" -gt 0 ] && [ "$D_HWTSO" -gt 0 ]
	check_err $? "TSO over VLAN: $D_TSO TSO packets, NIC counted $D_HWTSO"
	busy_wait 5 bql_drained
	check_err $? "TSO over VLAN: BQL did not drain"
	log_test "TSO and VLAN insertion together (VLAN 20 stream)"
}

# VMDq: stripping per pool (VMOLR.STRVLAN of the PF pool), multicast by
# RPLOLR; the PF's VLAN 20 moves into a VLVF entry of its pool.
vlan_with_vfs()
{
	local vmolr=$((0x5ad0 + 4 * PF_POOL_WITH_VFS))

	set_numvfs "$PF" 2
	check_err $? "cannot enable 2 VFs"
	[ "$(cat "/sys/bus/pci/devices/$PF/cdna/pf_pool")" = $PF_POOL_WITH_VFS ]
	check_err $? "PF pool is not $PF_POOL_WITH_VFS"
	busy_wait 10 ping -c 1 -W 1 "$PEER_IP" > /dev/null
	check_err $? "PF lost its ping with VFs"
	vlan_ping on on
	[ $(( $(pf_reg $vmolr) >> 30 & 1 )) -eq 1 ]
	check_err $? "VMOLR[$PF_POOL_WITH_VFS].STRVLAN not set ($(regs "$PF" 0 $vmolr))"
	[ $(( $(pf_reg 0x5af0) >> 30 & 1 )) -eq 1 ]
	check_err $? "RPLOLR.STRVLAN not set with VFs ($(regs "$PF" 0 0x5af0))"
	vlan_ping off on
	[ $(( $(pf_reg $vmolr) >> 30 & 1 )) -eq 0 ]
	check_err $? "VMOLR[$PF_POOL_WITH_VFS].STRVLAN still set with rxvlan off"
	vlan_ping on off
	ethtool -K "$DEV" rxvlan on txvlan on
	log_test "with VFs: VLAN 20 ping, stripping in the PF pool's VMOLR"
}

tso_with_vfs()
{
	snap
	stream tso4-vfs "$PEER_IP" 5201
	deltas "TSO IPv4 with VFs"
	check_tso_used "TSO IPv4 with VFs"
	log_test "TSO with VFs on (through the NIC's VM-to-VM switch)"
}

# vlvf_pools VID: the POOLSEL bits of VID's VLVF entry (0: no entry).
vlvf_pools()
{
	local i v

	for i in $(seq 0 31); do
		v=$(pf_reg $((0x5d00 + 4 * i)))
		if [ $((v >> 31)) -eq 1 ] && [ $((v & 0xfff)) -eq "$1" ]; then
			echo $(( (v >> 12) & 0xff ))
			return
		fi
	done
	echo 0
}

vlan_vlvf_shared()
{
	local p pf_bit=$((1 << PF_POOL_WITH_VFS))

	p=$(vlvf_pools 20)
	[ "$p" -eq "$pf_bit" ]
	check_err $? "VLVF for VLAN 20 selects pools $p, want the PF's ($pf_bit)"
	ip link set "$DEV" vf 0 vlan 20
	check_err $? "ip link set vf 0 vlan 20 failed"
	p=$(vlvf_pools 20)
	[ "$p" -eq $((pf_bit | 1)) ]
	check_err $? "VLVF for VLAN 20 selects pools $p, want PF and VF0 ($((pf_bit | 1)))"
	ip link del "$DEV.20"
	p=$(vlvf_pools 20)
	[ "$p" -eq 1 ]
	check_err $? "after the PF left VLAN 20 its VLVF selects $p, want VF0 (1)"
	[ $(( $(pf_reg 0x5600) >> 20 & 1 )) -eq 1 ]
	check_err $? "VFTA bit 20 cleared while VF0 still uses VLAN 20"
	ip link set "$DEV" vf 0 vlan 0
	p=$(vlvf_pools 20)
	[ "$p" -eq 0 ]
	check_err $? "VLVF entry for VLAN 20 left with pools $p"
	[ $(( $(pf_reg 0x5600) >> 20 & 1 )) -eq 0 ]
	check_err $? "VFTA bit 20 still set with nobody on VLAN 20"
	vlan_setup
	p=$(vlvf_pools 20)
	[ "$p" -eq "$pf_bit" ]
	check_err $? "VLAN 20 re-added: VLVF selects $p"
	busy_wait 10 ping -c 1 -W 1 "$PEER_VIP" > /dev/null
	check_err $? "no ping over VLAN 20 after re-adding it"
	set_numvfs "$PF" 0
	[ $(( $(pf_reg 0x5600) >> 20 & 1 )) -eq 1 ]
	check_err $? "VFTA bit 20 lost when the VFs went away"
	busy_wait 10 ping -c 1 -W 1 "$PEER_VIP" > /dev/null
	check_err $? "no ping over VLAN 20 after the VFs went away"
	log_test "PF and VF share a VLVF entry; each leaves only its own bit"
}

run_tests
