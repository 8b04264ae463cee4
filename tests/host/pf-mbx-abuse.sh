#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# lab: timeout=420
#
# The PF's mailbox server against a hostile VF: VF1 is driven from
# userspace through its BAR0 (VMBMEM 0x800, V2PMAILBOX 0xc40) with
# out-of-order, malformed, oversized, forbidden and flooding requests.
# Each must be answered with NACK (word 0 bit 30) and counted in
# cdna/ctx1/mbx_refused; a flood is throttled (mbx_throttled); VF0 (stock
# igbvf) keeps its traffic and its own mailbox service, the PF keeps its
# ping, and the kernel log stays free of WARN/BUG.
source /src/tests/lib.sh

TESTS="setup nack_before_reset reset_handshake nack_garbage
       nack_forbidden ack_valid flood_throttled others_unharmed
       recovers_after_flood"
PF=$(pf_dev)
PF_IP=198.18.0.1
PEER_IP=198.18.0.2
VF0_IP=198.18.0.10
VF0_MAC=02:cd:0a:00:00:20
VF1_MAC=02:cd:0a:00:00:21
FLOOD=300
DEV=
VF1=
CTX1=

trap 'pf_cleanup igbvf' EXIT
need pf cdna_pf cdna-regs

# mbx_send / mbx_req W0 [W1...]: VF1 posts a request (tests/lib.sh); mbx_req
# waits for its answer and prints word 0.
mbx_send()
{
	rvf_send "$VF1" "$@"
}

mbx_req()
{
	rvf_req "$VF1" "$@"
}

ctx1()
{
	cat "$CTX1/$1"
}

# expect_nack WHAT W0 [W1...]: the request is answered NACK and counted.
expect_nack()
{
	local what=$1 before reply

	shift
	before=$(ctx1 mbx_refused)
	reply=$(mbx_req "$@")
	check_err $? "$what: no answer (word 0 $reply)"
	is_nack "$reply"
	check_err $? "$what: answer $reply is not a NACK"
	[ "$(ctx1 mbx_refused)" -gt "$before" ]
	check_err $? "$what: mbx_refused did not rise from $before"
	echo "$what: $* -> $reply"
}

setup()
{
	pf_peer_up "$PF_IP" "$PEER_IP"
	check_err $? "PF has no carrier"

	# igbvf, loaded once the VFs are there, takes them both.
	vfs_make -p 2 "$VF0_MAC" "$VF1_MAC"
	check_err $? "cannot enable 2 VFs"
	VF1=${VF[1]}
	CTX1=/sys/bus/pci/devices/$PF/cdna/ctx1
	modprobe igbvf
	busy_wait 10 has_netdev "${VF[0]}"
	check_err $? "igbvf did not take VF0"
	# VF1 belongs to this script, not to a driver.
	raw_vf_take "$VF1"
	vf_into_ns "${VF[0]}" vf0 vf0 "$VF0_IP"
	busy_wait 20 in_ns vf0 ping -c 1 -W 1 "$PEER_IP" > /dev/null
	check_err $? "VF0 (igbvf) cannot ping the peer"
	[ -d "$CTX1" ]
	check_err $? "no $CTX1"
	log_test "setup: 2 VFs, VF0 on igbvf pings the peer, VF1 raw"
}

nack_before_reset()
{
	[ -d "$CTX1" ] || { log_skip "before reset" "no setup"; return; }
	# VF CTRL.RST (bit 26): the PF sees VFLRE and takes CTS away until
	# the VF sends RESET.
	rvf_regs "$VF1" VF_CTRL=0x4000000 > /dev/null
	wait_until 5 'test "$(ctx1 cts)" = 0'
	check_err $? "ctx1/cts still 1 after VF CTRL.RST"
	expect_nack "SET_MAC before RESET" 0x2 0x000acd02 0x2100
	log_test "requests before the RESET handshake are NACKed"
}

reset_handshake()
{
	local reply w1 w2

	[ -d "$CTX1" ] || { log_skip "reset" "no setup"; return; }
	reply=$(mbx_req 0x1)
	check_err $? "no answer to RESET"
	[ $((reply & ~MBX_CTS)) -eq $((MBX_ACK | 1)) ]
	check_err $? "RESET answered $reply, want RESET|ACK"
	w1=$(rvf_regs "$VF1" "VF_VMBMEM(1)")
	w2=$(rvf_regs "$VF1" "VF_VMBMEM(2)")
	[ "$w1" = 0x000acd02 ] && [ $((w2 & 0xffff)) -eq $((0x2100)) ]
	check_err $? "RESET answer carries MAC words $w1 $w2, want $VF1_MAC"
	[ "$(ctx1 cts)" = 1 ]
	check_err $? "ctx1/cts not 1 after RESET"
	log_test "RESET handshake from userspace: ACK + admin MAC"
}

nack_garbage()
{
	local before reply

	[ -d "$CTX1" ] || { log_skip "garbage" "no setup"; return; }
	expect_nack "unknown type" 0x77
	expect_nack "type 0xffff with all flags" 0x1fffffff
	expect_nack "reserved bits" 0x1f000002 0x000acd02 0x2100
	expect_nack "RESET with info" 0x00010001
	expect_nack "SET_MULTICAST 31 hashes (oversized)" 0x001f0003 \
		0xffffffff 0xffffffff 0xffffffff 0xffffffff 0xffffffff \
		0xffffffff 0xffffffff 0xffffffff 0xffffffff 0xffffffff \
		0xffffffff 0xffffffff 0xffffffff 0xffffffff 0xffffffff
	expect_nack "SET_MULTICAST hash > 0xfff" 0x00020003 0x00101000
	expect_nack "SET_LPE 20000 bytes" 0x5 20000
	expect_nack "SET_LPE 10 bytes" 0x5 10
	expect_nack "SET_VLAN 5000" 0x00010004 5000
	expect_nack "SET_MAC multicast address" 0x2 0x00005e01 0x0100
	# A reply posted as a request: word 0 already has ACK, so watch the
	# counter rather than the flags.
	before=$(ctx1 mbx_refused)
	mbx_send $((MBX_ACK | 2)) 0 0
	wait_until 5 'test "$(ctx1 mbx_refused)" -gt "$before"'
	check_err $? "an ACK-flagged request was not refused"
	log_test "malformed, oversized, out-of-order requests are NACKed"
}

nack_forbidden()
{
	[ -d "$CTX1" ] || { log_skip "forbidden" "no setup"; return; }
	expect_nack "SET_MAC over the admin MAC" 0x2 0x000acd02 0x9900
	expect_nack "SET_PROMISC multicast, untrusted" 0x00020006
	expect_nack "SET_PROMISC unicast" 0x00010006
	expect_nack "SET_MAC extra filter" 0x00020002 0x000acd02 0x9900
	# A new port VLAN withdraws CTS: the VF must reset to take it.
	ip link set "$DEV" vf 1 vlan 42
	[ "$(ctx1 cts)" = 0 ]
	check_err $? "CTS kept across an admin VLAN change"
	mbx_req 0x1 > /dev/null
	expect_nack "SET_VLAN under an admin VLAN" 0x00010004 7
	ip link set "$DEV" vf 1 vlan 0
	mbx_req 0x1 > /dev/null
	[ "$(ctx1 cts)" = 1 ]
	check_err $? "no CTS after the RESET that follows the VLAN change"
	log_test "requests against the host's policy are NACKed"
}

ack_valid()
{
	local reply

	[ -d "$CTX1" ] || { log_skip "valid" "no setup"; return; }
	reply=$(mbx_req 0x00010004 10)
	check_err $? "no answer to SET_VLAN 10"
	[ "$reply" = "$(printf '0x%08x' $((MBX_ACK | MBX_CTS | 4)))" ]
	check_err $? "SET_VLAN 10 answered $reply, want ACK|CTS"
	[ "$(ctx1 vlans)" = 10 ]
	check_err $? "ctx1/vlans is '$(ctx1 vlans)', want 10"
	reply=$(mbx_req 0x5 9018)
	(( reply & MBX_ACK ))
	check_err $? "SET_LPE 9018 answered $reply"
	[ "$(ctx1 max_frame)" = 9018 ]
	check_err $? "ctx1/max_frame is $(ctx1 max_frame)"
	log_test "valid requests still get ACK|CTS"
}

flood_throttled()
{
	local i j t0 m0 rx ping_pid burst

	[ -d "$CTX1" ] || { log_skip "flood" "no setup"; return; }
	t0=$(ctx1 mbx_throttled)
	m0=$(ctx1 mbx_msgs)
	in_ns vf0 ping -i 0.2 -c 25 -W 2 "$PEER_IP" > /out/flood-ping.log 2>&1 &
	ping_pid=$!
	# Exec is slow in the lab VM: one cdna-regs run posts many requests,
	# with register reads as spacing so the PF sees them one by one.
	burst=('VF_VMBMEM(0)=0x77' VF_V2PMAILBOX=0x1 $(printf 'VF_STATUS %.0s' $(seq 1 300)))
	for i in $(seq 1 $((FLOOD / 25))); do
		for j in $(seq 1 25); do
			echo "${burst[@]}"
		done | xargs "$TOOLS/cdna-regs" "$VF1" 0 > /dev/null
	done
	wait $ping_pid
	rx=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' /out/flood-ping.log)
	[ "${rx:-0}" -ge 20 ]
	check_err $? "VF0's ping to the peer: ${rx:-0}/25 answered during the flood"
	echo "flood: msgs $m0 -> $(ctx1 mbx_msgs), throttled $t0 -> $(ctx1 mbx_throttled)"
	[ "$(ctx1 mbx_throttled)" -gt "$t0" ]
	check_err $? "a $FLOOD-message flood was never throttled"
	log_test "a mailbox flood is throttled, VF0's traffic goes on"
}

others_unharmed()
{
	local i m0 r0

	[ -d "$CTX1" ] || { log_skip "others" "no setup"; return; }
	m0=$(cat "/sys/bus/pci/devices/$PF/cdna/ctx0/mbx_msgs")
	r0=$(cat "/sys/bus/pci/devices/$PF/cdna/ctx0/mbx_refused")
	# VF0's driver talks to the PF (SET_MULTICAST) while VF1 floods.
	for i in $(seq 1 100); do
		rvf_regs "$VF1" "VF_VMBMEM(0)=0x77" VF_V2PMAILBOX=0x1 > /dev/null
	done &
	in_ns vf0 ip maddr add 01:00:5e:01:02:03 dev vf0
	wait_until 10 'test "$(cat "/sys/bus/pci/devices/$PF/cdna/ctx0/mbx_msgs")" -gt "$m0"'
	check_err $? "VF0's mailbox was not served during VF1's flood"
	wait
	[ "$(cat "/sys/bus/pci/devices/$PF/cdna/ctx0/mbx_refused")" = "$r0" ]
	check_err $? "VF0 got refusals"
	ping -c 3 -W 2 "$PEER_IP" > /dev/null
	check_err $? "the PF lost its ping"
	in_ns vf0 ping -c 3 -W 2 "$PF_IP" > /dev/null
	check_err $? "VF0 cannot reach the PF"
	log_test "VF0's mailbox, VF0's traffic and the PF's ping unharmed"
}

recovers_after_flood()
{
	local reply

	[ -d "$CTX1" ] || { log_skip "recover" "no setup"; return; }
	sleep 3
	reply=$(mbx_req 0x00000004 10)
	check_err $? "no answer after the flood"
	(( reply & MBX_ACK ))
	check_err $? "SET_VLAN remove answered $reply after the flood"
	grep -H . "$CTX1"/mbx_* "$CTX1"/resets | sed 's|.*/cdna/||'
	log_test "the flooding VF is served again once it calms down"
}

run_tests
