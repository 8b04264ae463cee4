#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# lab: timeout=600
#
# Isolation between contexts and against a racing host administrator,
# with raw contexts (VFs driven from this script through their BAR0, as a
# hostile guest would):
#   - an address steers to one place only: a VF that chose MAC X loses it
#     when the host gives X to another context or to the PF, and a claim
#     of an address any context or the PF holds is refused;
#   - a port-VLAN change that finds no VLAN filter leaves the old port
#     VLAN in force;
#   - max_tx_rate limits every TX queue of the context;
#   - removing the contexts (sriov_numvfs = 0) or unbinding the PF while a
#     VM holds a context through vmm_guard does not hang: refused, or a
#     bounded wait that says who holds what.
source /src/tests/lib.sh

TESTS="setup claim_then_assign assign_then_claim pf_mac pf_uc_list others_chosen
       host_duplicate port_vlan_atomic rate_all_queues vfu_forever
       numvfs_held unbind_held"
PF=$(pf_dev)
DEV=
CTX=/sys/bus/pci/devices/$PF/cdna
NVF=3
VF=()
X=02:cd:1c:00:00:0a
Y=02:cd:1c:00:00:0b
Z=02:cd:1c:00:00:0c
WRITER=

# The holder goes first: a writer may wait for it.
cleanup()
{
	vfio_drop
	[ -n "$WRITER" ] && wait "$WRITER" 2>/dev/null
	for d in $(ls /sys/class/net 2>/dev/null | grep '^pv'); do
		ip link del "$d" 2>/dev/null
	done
	pf_cleanup vmm_guard
}
trap cleanup EXIT

need pf cdna_pf cdna-regs

vf_mac_shown()
{
	ip link show "$DEV" | awk -v vf="$1" '$1 == "vf" && $2 == vf { print $4 }' |
		tr -d ,
}

setup()
{
	pf_up cdna_pf
	vfs_make $NVF || fail_all "cannot enable $NVF VFs"
	raw_vfs_take
	log_test "setup: $NVF raw contexts on cdna_pf"
}

# A VF that chose X itself loses it when the host gives X to context 0.
claim_then_assign()
{
	local r w

	rvf_reset "${VF[1]}"
	check_err $? "VF1: RESET handshake failed"
	r=$(rvf_set_mac "${VF[1]}" $X)
	is_ack "$r"
	check_err $? "VF1 claiming free $X: answer $r, want ACK"
	[ "$(rar_pools "$PF" $X)" = 2 ]
	check_err $? "after VF1's claim: RAR pools for $X '$(rar_pools "$PF" $X)', want 2"

	ip link set "$DEV" vf 0 mac $X
	check_err $? "host cannot give $X to VF0"
	[ "$(rar_pools "$PF" $X | tr '\n' ' ')" = "1 " ]
	check_err $? "after the host gave $X to VF0: RAR pools '$(rar_pools "$PF" $X | tr '\n' ' ')', want only pool 0 (1)"
	[ "$(ctx 1 mac)" = 00:00:00:00:00:00 ] && [ "$(vf_mac_shown 1)" = 00:00:00:00:00:00 ]
	check_err $? "VF1 still holds $X: ctx1/mac $(ctx 1 mac), ip link $(vf_mac_shown 1)"
	[ "$(ctx 1 cts)" = 0 ]
	check_err $? "VF1 was not made to reset (cts $(ctx 1 cts))"
	w=$(rvf_regs "${VF[1]}" "VF_VMBMEM(0)")
	[ $((w & 0xffff)) -eq $((0x100)) ] && is_nack "$w"
	check_err $? "VF1 was not told: its mailbox word 0 is $w, want PF_CONTROL|NACK"
	log_test "VF claims X, host assigns X elsewhere: the claimer loses it, is told"
}

assign_then_claim()
{
	local r

	rvf_reset "${VF[1]}"
	check_err $? "VF1: RESET handshake failed"
	r=$(rvf_set_mac "${VF[1]}" $X)
	is_nack "$r"
	check_err $? "VF1 claiming VF0's admin $X: answer $r, want NACK"
	[ "$(rar_pools "$PF" $X | tr '\n' ' ')" = "1 " ]
	check_err $? "RAR pools for $X '$(rar_pools "$PF" $X | tr '\n' ' ')', want only pool 0"
	[ "$(ctx 1 mac)" = 00:00:00:00:00:00 ]
	check_err $? "ctx1/mac $(ctx 1 mac) after a refused claim"
	log_test "host assigns X, VF claims X: refused"
}

# The PF's address: refused as a claim; taken back when the PF gets it.
pf_mac()
{
	local r pfmac pool

	pfmac=$(cat "/sys/class/net/$DEV/address")
	pool=$((1 << $(cat "$CTX/pf_pool")))
	r=$(rvf_set_mac "${VF[1]}" "$pfmac")
	is_nack "$r"
	check_err $? "VF1 claiming the PF's $pfmac: answer $r, want NACK"
	r=$(rvf_set_mac "${VF[1]}" $Y)
	is_ack "$r"
	check_err $? "VF1 claiming free $Y: answer $r, want ACK"
	# cdna_pf changes its address only while down (no live change).
	ip link set "$DEV" down
	ip link set "$DEV" address $Y
	check_err $? "PF cannot take $Y"
	ip link set "$DEV" up
	[ "$(rar_pools "$PF" $Y | tr '\n' ' ')" = "$pool " ]
	check_err $? "after the PF took $Y: RAR pools '$(rar_pools "$PF" $Y | tr '\n' ' ')', want only the PF's ($pool)"
	[ "$(ctx 1 mac)" = 00:00:00:00:00:00 ] && [ "$(ctx 1 cts)" = 0 ]
	check_err $? "VF1 kept $Y or its CTS: mac $(ctx 1 mac) cts $(ctx 1 cts)"
	ip link set "$DEV" down
	ip link set "$DEV" address "$pfmac"
	ip link set "$DEV" up
	log_test "the PF's address: a claim is refused, the PF's assignment wins"
}

# The PF's unicast list (a macvlan on the PF) is the host's too.
pf_uc_list()
{
	local r w=02:cd:1c:00:00:0d

	rvf_reset "${VF[2]}"
	r=$(rvf_set_mac "${VF[2]}" $w)
	is_ack "$r"
	check_err $? "VF2 claiming free $w: answer $r, want ACK"
	ip link add link "$DEV" name pfmv0 address $w type macvlan mode bridge
	check_err $? "cannot add a macvlan with $w on the PF"
	ip link set pfmv0 up
	wait_until 5 'test "$(ctx 2 mac)" = 00:00:00:00:00:00'
	check_err $? "VF2 kept $w when the PF's unicast list took it: ctx2/mac $(ctx 2 mac)"
	[ -z "$(rar_pools "$PF" $w)" ]
	check_err $? "a RAR entry still steers $w to pools $(rar_pools "$PF" $w)"
	ip link del pfmv0
	log_test "an address on the PF's unicast list: the VF that chose it loses it"
}

# An address another context chose itself is taken too.
others_chosen()
{
	local r

	rvf_reset "${VF[2]}"
	check_err $? "VF2: RESET handshake failed"
	r=$(rvf_set_mac "${VF[2]}" $Z)
	is_ack "$r"
	check_err $? "VF2 claiming free $Z: answer $r, want ACK"
	rvf_reset "${VF[1]}"
	r=$(rvf_set_mac "${VF[1]}" $Z)
	is_nack "$r"
	check_err $? "VF1 claiming VF2's self-chosen $Z: answer $r, want NACK"
	[ "$(rar_pools "$PF" $Z | tr '\n' ' ')" = "4 " ]
	check_err $? "RAR pools for $Z '$(rar_pools "$PF" $Z | tr '\n' ' ')', want only pool 2"
	log_test "a VF's self-chosen address is refused to another VF"
}

# Two contexts are never given one address by the host either.
host_duplicate()
{
	ip link set "$DEV" vf 1 mac $X 2> /tmp/dup.err
	check_fail $? "host gave VF0's $X to VF1 as well"
	[ "$(ctx 1 admin_mac)" = 0 ] && [ "$(rar_pools "$PF" $X | tr '\n' ' ')" = "1 " ]
	check_err $? "after the refusal: ctx1 admin_mac $(ctx 1 admin_mac), RAR pools '$(rar_pools "$PF" $X | tr '\n' ' ')'"
	dmesg | grep -q "VF 1: $X is .*VF 0"
	check_err $? "no message naming the holder: $(dmesg | tail -n 3)"
	log_test "host assigning one MAC to two contexts: refused, holder named"
}

# Fill the VLAN filter table with the PF's own VLANs, then move context 2
# from port VLAN 10 to 20: no entry for 20, so 10 must stay in force.
port_vlan_atomic()
{
	local i n

	ip link set "$DEV" vf 2 vlan 10
	check_err $? "port VLAN 10 on VF2 refused"
	for i in $(seq 100 140); do
		n=$(vlvf "$PF" | wc -l)
		[ "$n" -ge 32 ] && break
		ip link add link "$DEV" name "pv$i" type vlan id "$i" 2>/dev/null
	done
	n=$(vlvf "$PF" | wc -l)
	[ "$n" -eq 32 ]
	check_err $? "VLVF table not full: $n entries"

	ip link set "$DEV" vf 2 vlan 20 2>/dev/null
	check_fail $? "port VLAN 20 accepted with a full table"
	[ "$(ctx 2 vlan)" = 10 ]
	check_err $? "after the refusal ctx2/vlan is $(ctx 2 vlan), want 10"
	vlvf "$PF" | grep -qx "10 4"
	check_err $? "VLVF lost VF2's VLAN 10: $(vlvf "$PF" | tr '\n' ' ')"
	ip link show "$DEV" | grep -q "vf 2 .*vlan 10"
	check_err $? "ip link does not show vlan 10 on vf 2"

	# A VLAN the table already holds needs no new entry: the move works.
	ip link set "$DEV" vf 2 vlan 101
	check_err $? "port VLAN 101 (an existing entry) refused"
	[ "$(ctx 2 vlan)" = 101 ] && ! vlvf "$PF" | grep -q '^10 '
	check_err $? "move to 101: ctx2/vlan $(ctx 2 vlan), VLVF $(vlvf "$PF" | tr '\n' ' ')"
	ip link set "$DEV" vf 2 vlan 0
	for i in $(seq 100 140); do
		ip link del "pv$i" 2>/dev/null
	done
	log_test "a port-VLAN change that fails keeps the old port VLAN"
}

# The last 16 words of ethtool -d: RTTBCNRC as programmed, per TX queue.
rate_words()
{
	ethtool -d "$DEV" raw on > /tmp/regs.bin || echo "ethtool -d failed" >&2
	od -An -tx4 -v /tmp/regs.bin | tr -s ' ' '\n' | sed '/^$/d' | tail -n 16
}

rate_all_queues()
{
	local w q0 q1

	ip link set "$DEV" vf 1 max_tx_rate 100
	check_err $? "max_tx_rate 100 refused"
	# shellcheck disable=SC2207
	w=($(rate_words))
	q0=${w[1]}
	q1=${w[9]}
	echo "RTTBCNRC queue 1: $q0, queue 9: $q1"
	(( 0x$q0 >> 31 )) && [ "$q0" = "$q1" ]
	check_err $? "VF1's queues 1 and 9 are not both limited: $q0 / $q1"
	ip link set "$DEV" vf 1 max_tx_rate 0
	# shellcheck disable=SC2207
	w=($(rate_words))
	[ "${w[1]}" = 00000000 ] && [ "${w[9]}" = 00000000 ]
	check_err $? "rate 0 left a limit: ${w[1]} / ${w[9]}"
	log_test "max_tx_rate programs both TX queues of the context"
}

# VF1 takes its mailbox buffer (VFU) and never lets go: the PF cannot
# answer it, but serves VF2, and the host's changes to VF1 return at once.
vfu_forever()
{
	local r t0 t1 b0

	rvf_reset "${VF[1]}"
	rvf_reset "${VF[2]}"
	check_err $? "VF2: RESET handshake failed"
	b0=$(ctx 1 mbx_msgs)
	rvf_regs "${VF[1]}" VF_V2PMAILBOX=0x4 > /dev/null	# VFU: hold it
	rvf_regs "${VF[1]}" "VF_VMBMEM(0)=0x00010003" "VF_VMBMEM(1)=0x123" \
		VF_V2PMAILBOX=0x5 > /dev/null			# VFU|REQ
	t0=$(date +%s%N)
	ip link set "$DEV" vf 1 mac 02:cd:1c:00:01:01
	check_err $? "the host cannot set VF1's MAC while VF1 holds its buffer"
	ip link set "$DEV" vf 1 state disable
	ip link set "$DEV" vf 1 state auto
	t1=$(date +%s%N)
	echo "host changes to VF1 took $(( (t1 - t0) / 1000000 )) ms"
	[ $(( (t1 - t0) / 1000000 )) -lt 2000 ]
	check_err $? "host changes to VF1 took $(( (t1 - t0) / 1000000 )) ms while VF1 holds its buffer"
	r=$(rvf_req "${VF[2]}" 0x00010003 0x00000456)
	is_ack "$r"
	check_err $? "VF2's request not served while VF1 holds its buffer: $r"
	sleep 2
	[ "$(ctx 1 mbx_msgs)" = "$b0" ]
	check_err $? "the PF read VF1's buffer while VF1 held it"
	# It lets go: its waiting request is served.
	rvf_regs "${VF[1]}" VF_V2PMAILBOX=0x1 > /dev/null
	wait_until 5 'test "$(ctx 1 mbx_msgs)" -gt '"$b0"
	check_err $? "VF1's request not served after it released its buffer"
	ip link set "$DEV" vf 1 mac 00:00:00:00:00:00
	log_test "a VF holding its mailbox buffer forever blocks nobody else"
}

hold_ctx0()
{
	[ -d /sys/module/vmm_guard ] || load_guard || return 1
	modprobe vfio-pci
	bind_driver "${VF[0]}" vmm_guard || return 1
	vfio_hold "${VF[0]}"
}

release_ctx0()
{
	vfio_drop
	# The context is free again, or gone with its PF.
	wait_until 20 '! test -e /sys/bus/pci/devices/${VF[0]}/guard/state ||
		test "$(cat /sys/bus/pci/devices/${VF[0]}/guard/state)" = free'
}

numvfs_held()
{
	local start rc secs

	hold_ctx0
	check_err $? "cannot hold context 0 through the guard: $(cat "$HOLDER_OUT")"
	start=$(date +%s)
	# bash, not dash: dash's echo reports every write error as EIO.
	timeout 30 bash -c "echo 0 > /sys/bus/pci/devices/$PF/sriov_numvfs" 2> /tmp/numvfs.err &
	WRITER=$!
	busy_wait 15 sh -c "! kill -0 $WRITER 2>/dev/null"
	if kill -0 "$WRITER" 2>/dev/null; then
		check_err 1 "echo 0 > sriov_numvfs still blocked after 15 s while context 0 is held"
		release_ctx0
		wait "$WRITER"
		WRITER=
		log_test "sriov_numvfs=0 while a context is held: EBUSY, no hang"
		return
	fi
	wait "$WRITER"
	rc=$?
	WRITER=
	secs=$(( $(date +%s) - start ))
	echo "echo 0 > sriov_numvfs: exit $rc after ${secs}s: $(cat /tmp/numvfs.err)"
	[ $rc -ne 0 ] && grep -qi 'busy' /tmp/numvfs.err
	check_err $? "echo 0 was not refused with EBUSY (exit $rc: $(cat /tmp/numvfs.err))"
	[ "$(cat "/sys/bus/pci/devices/$PF/sriov_numvfs")" = $NVF ]
	check_err $? "contexts gone: sriov_numvfs $(cat "/sys/bus/pci/devices/$PF/sriov_numvfs")"
	dmesg | grep -q "context 0 is held by vfio-open"
	check_err $? "no message naming the held context and its owner"
	release_ctx0
	check_err $? "context 0 not free after the holder died"
	echo 0 > "/sys/bus/pci/devices/$PF/sriov_numvfs"
	check_err $? "sriov_numvfs=0 refused once the context is free"
	log_test "sriov_numvfs=0 while a context is held: EBUSY, no hang"
}

unbind_held()
{
	local drv=/sys/bus/pci/drivers/cdna_pf

	set_numvfs "$PF" $NVF || { check_err 1 "cannot re-create contexts"; log_test "unbind"; return; }
	VF[0]=$(vf_dev "$PF" 0)
	hold_ctx0
	check_err $? "cannot hold context 0 again: $(cat "$HOLDER_OUT")"
	rmmod cdna_pf 2>/dev/null
	check_fail $? "rmmod cdna_pf succeeded while a context is held"
	echo "$PF" > "$drv/unbind" &
	WRITER=$!
	wait_until 15 'dmesg | grep -q "context 0 is held by vfio-open.*waiting"'
	check_err $? "PF unbind gave no bounded-wait message naming the holder"
	release_ctx0
	busy_wait 40 sh -c "! kill -0 $WRITER 2>/dev/null"
	check_err $? "PF unbind did not finish 40 s after the holder let go"
	wait "$WRITER" 2>/dev/null
	WRITER=
	[ ! -e "$drv/$PF" ]
	check_err $? "PF still bound to cdna_pf"
	log_test "PF unbind while a context is held: bounded wait, logged"
}

run_tests
