#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# lab: timeout=600
#
# Extra unicast filters of a context (SET_MAC with FILTER_ADD / the clear
# variant, the 82576 PF/VF protocol) on cdna_pf, with 2 VFs:
#  - VF1 driven from userspace through its BAR0 mailbox: an untrusted VF
#    whose MAC the host set is refused; trusted, it gets its share
#    (cdna/ctx1/uc_filters_max) of RAR entries with its pool selected and
#    the next one is refused and counted (uc_refused, ethtool -S
#    ctx1_uc_refused); invalid, multicast and other pools' addresses are
#    refused; FILTER_CLR, VF CTRL.RST, FLR, a RESET message, the guard's
#    scrub and the end of the contexts all drop the filters (sysfs and
#    RAR registers).
#  - VF0 on cdna_vf with macvlans on top, the way a guest uses them: the
#    macvlan gets the traffic sent to its own MAC (from the PF through the
#    NIC's switch and from the peer on the wire) once the host trusts the
#    VF, the share bounds how many, a reset of the VF is followed by the
#    driver asking again, and rmmod of the driver leaves no filter behind.
#  - the same with the stock igbvf on VF1 (skipped if its reset handshake
#    fails IGBVF_TRIES times, see the lab notes on igbvf under TCG).
source /src/tests/lib.sh

TESTS="setup share raw_reset untrusted_refused bounded clear_drops
       trust_off_drops invalid_refused raw_resets_drop guard_scrub_drops macvlan_untrusted
       macvlan_traffic macvlan_bounded macvlan_vf_reset rmmod_drops
       host_assign_evicts contexts_end_drops macvlan_igbvf"
PF=$(pf_dev)
PF_MAC=52:54:00:12:34:56
PF_IP=198.18.0.1
PEER_IP=198.18.0.2
VF0_IP=198.18.0.10
MV_IP=198.18.0.20
VF0_MAC=02:cd:0a:00:04:00
VF1_MAC=02:cd:0a:00:04:01
# Extra addresses VF1 asks for (raw) and macvlans on VF0 (cdna_vf).
A=(02:cd:0a:00:05:00 02:cd:0a:00:05:01 02:cd:0a:00:05:02 02:cd:0a:00:05:03
   02:cd:0a:00:05:04)
MV=(02:cd:0a:00:06:00 02:cd:0a:00:06:01 02:cd:0a:00:06:02 02:cd:0a:00:06:03
    02:cd:0a:00:06:04)
SHARE=4		# min(4, (24 RARs - PF - 2 VFs) / 2 VFs)
MVI=02:cd:0a:00:07:00
MVI_IP=198.18.0.21
IGBVF_TRIES=4
DEV=
VF0=
VF1=

trap 'pf_cleanup cdna_vf igbvf vmm_guard' EXIT
need pf cdna_pf cdna_vf cdna-regs

# mbx_req W0 [W1...]: VF1 posts a request; print the answer's word 0.
mbx_req()
{
	rvf_req "$VF1" "$@"
}

# filter_add MAC: VF1 asks for MAC; print the answer's word 0.
filter_add()
{
	# shellcheck disable=SC2046
	mbx_req 0x00020002 $(mac_words "$1")
}

# expect WHAT ack|nack CMD...: CMD's answer is an ACK (or a NACK).
expect()
{
	local what=$1 want=$2 reply

	shift 2
	reply=$("$@")
	check_err $? "$what: no answer ($reply)"
	if [ "$want" = ack ]; then
		is_ack "$reply"
	else
		is_nack "$reply"
	fi
	check_err $? "$what: answer $reply, want $want"
	echo "$what: $reply"
}

# extra_rars VF: the addresses in RAR entries selecting VF's pool, other
# than its own entry (23 - VF), sorted.
extra_rars()
{
	rars "$PF" | awk -v vf="$1" '$1 != 23 - vf && int($3 / 2 ^ vf) % 2 { print $2 }' |
		sort
}

sorted_filters()
{
	ctx "$1" uc_filters | tr ' ' '\n' | sed '/^$/d' | sort
}

nr_filters()
{
	sorted_filters "$1" | wc -l
}

setup()
{
	pf_peer_up "$PF_IP" "$PEER_IP" noipv6
	check_err $? "PF has no carrier"

	vfs_make 2 "$VF0_MAC" "$VF1_MAC" || fail_all "cannot enable 2 VFs"
	VF0=${VF[0]}
	VF1=${VF[1]}
	# VF1 belongs to this script, not to a driver.
	raw_vf_take "$VF1"
	cdna_vf_bind "$VF0"
	check_err $? "cdna_vf did not bind $VF0"
	vf_into_ns "$VF0" vf0 vf0 "$VF0_IP" noipv6
	busy_wait 60 in_ns vf0 ping -c 1 -W 1 "$PF_IP" > /dev/null
	check_err $? "VF0 (cdna_vf) cannot ping the PF"
	log_test "setup: 2 VFs, VF0 on cdna_vf pings the PF, VF1 raw"
}

share()
{
	[ "$(ctx 0 uc_filters_max)" = $SHARE ] && [ "$(ctx 1 uc_filters_max)" = $SHARE ]
	check_err $? "uc_filters_max $(ctx 0 uc_filters_max)/$(ctx 1 uc_filters_max), want $SHARE"
	[ -z "$(ctx 1 uc_filters)" ] && [ "$(ctx 1 uc_refused)" = 0 ]
	check_err $? "ctx1 starts with filters '$(ctx 1 uc_filters)' or refusals"
	log_test "each of 2 VFs has a share of $SHARE extra unicast filters"
}

raw_reset()
{
	expect "RESET" ack mbx_req 0x1
	[ "$(ctx 1 cts)" = 1 ]
	check_err $? "ctx1 not clear to send after RESET"
	log_test "raw VF1 completes the RESET handshake"
}

untrusted_refused()
{
	local r0

	r0=$(ctx 1 uc_refused)
	expect "FILTER_ADD, untrusted, host-set MAC" nack filter_add "${A[0]}"
	[ "$(ctx 1 uc_refused)" -eq $((r0 + 1)) ]
	check_err $? "uc_refused $r0 -> $(ctx 1 uc_refused), want +1"
	[ -z "$(ctx 1 uc_filters)" ] && [ -z "$(extra_rars 1)" ]
	check_err $? "a refused filter was installed: '$(ctx 1 uc_filters)' / $(extra_rars 1)"
	log_test "untrusted VF with a host-set MAC: FILTER_ADD refused, counted"
}

bounded()
{
	local i r0 want

	ip link set "$DEV" vf 1 trust on
	check_err $? "trust on failed"
	for i in $(seq 0 $((SHARE - 1))); do
		expect "FILTER_ADD ${A[$i]}" ack filter_add "${A[$i]}"
	done
	want=$(printf '%s\n' "${A[@]:0:$SHARE}" | sort)
	[ "$(sorted_filters 1)" = "$want" ]
	check_err $? "ctx1/uc_filters '$(ctx 1 uc_filters)', want the first $SHARE"
	[ "$(extra_rars 1)" = "$want" ]
	check_err $? "RAR entries for pool 1: $(extra_rars 1 | tr '\n' ' ')"
	r0=$(ctx 1 uc_refused)
	expect "FILTER_ADD #$((SHARE + 1))" nack filter_add "${A[$SHARE]}"
	[ "$(ctx 1 uc_refused)" -eq $((r0 + 1)) ]
	check_err $? "the refused #$((SHARE + 1)) was not counted"
	[ "$(nr_filters 1)" -eq $SHARE ]
	check_err $? "$(nr_filters 1) filters after the refused one"
	expect "FILTER_ADD again of one it has" ack filter_add "${A[0]}"
	[ "$(nr_filters 1)" -eq $SHARE ]
	check_err $? "asking again added a filter: $(nr_filters 1)"
	[ "$(ethtool -S "$DEV" | awk '$1 == "ctx1_uc_refused:" { print $2 }')" = "$(ctx 1 uc_refused)" ]
	check_err $? "ethtool -S ctx1_uc_refused differs from sysfs"
	rars "$PF" | sed 's/^/rar /'
	log_test "trusted VF: $SHARE filters in RARs of its pool, #$((SHARE + 1)) refused"
}

clear_drops()
{
	expect "FILTER_CLR" ack mbx_req 0x00010002 0 0
	[ -z "$(ctx 1 uc_filters)" ] && [ -z "$(extra_rars 1)" ]
	check_err $? "filters left after FILTER_CLR: '$(ctx 1 uc_filters)' / $(extra_rars 1)"
	log_test "FILTER_CLR drops every extra filter of the VF"
}

invalid_refused()
{
	local r0

	expect "FILTER_CLR" ack mbx_req 0x00010002 0 0
	r0=$(ctx 1 uc_refused)
	expect "FILTER_ADD of the PF's MAC" nack filter_add "$PF_MAC"
	expect "FILTER_ADD of VF0's MAC" nack filter_add "$VF0_MAC"
	expect "FILTER_ADD multicast" nack filter_add 01:00:5e:00:00:09
	expect "FILTER_ADD zero" nack filter_add 00:00:00:00:00:00
	expect "FILTER_ADD broadcast" nack filter_add ff:ff:ff:ff:ff:ff
	[ "$(ctx 1 uc_refused)" -eq $((r0 + 5)) ]
	check_err $? "uc_refused $r0 -> $(ctx 1 uc_refused), want +5"
	[ -z "$(ctx 1 uc_filters)" ] && [ -z "$(extra_rars 1)" ]
	check_err $? "a refused address was installed: $(extra_rars 1)"
	# Without a host-set MAC the VF picks its own, but not another's.
	ip link set "$DEV" vf 1 mac 00:00:00:00:00:00
	# shellcheck disable=SC2046
	expect "SET_MAC primary to VF0's MAC" nack \
		mbx_req 0x2 $(mac_words "$VF0_MAC")
	# shellcheck disable=SC2046
	expect "SET_MAC primary to a free address" ack \
		mbx_req 0x2 $(mac_words "${A[4]}")
	[ "$(ctx 1 mac)" = "${A[4]}" ]
	check_err $? "ctx1/mac is $(ctx 1 mac), want ${A[4]}"
	ip link set "$DEV" vf 1 mac "$VF1_MAC"
	expect "RESET after the host's MAC" ack mbx_req 0x1
	log_test "other pools', the PF's and non-unicast addresses are refused"
}

# add2: VF1 holds the first two addresses.
add2()
{
	expect "FILTER_ADD ${A[0]}" ack filter_add "${A[0]}"
	expect "FILTER_ADD ${A[1]}" ack filter_add "${A[1]}"
	[ "$(nr_filters 1)" -eq 2 ]
}

filters_gone()
{
	[ -z "$(ctx 1 uc_filters)" ] && [ -z "$(extra_rars 1)" ]
}

raw_resets_drop()
{
	local n0

	add2
	check_err $? "VF1 did not get two filters"
	n0=$(ctx 1 resets)
	rvf_regs "$VF1" 0x0=0x4000000 > /dev/null	# VF CTRL.RST
	busy_wait 5 filters_gone
	check_err $? "VF CTRL.RST left '$(ctx 1 uc_filters)' / $(extra_rars 1)"
	[ "$(ctx 1 resets)" -gt "$n0" ] && [ "$(ctx 1 cts)" = 0 ]
	check_err $? "no reset seen (resets $n0 -> $(ctx 1 resets), cts $(ctx 1 cts))"

	expect "RESET" ack mbx_req 0x1
	add2
	check_err $? "VF1 did not get two filters after its reset"
	echo 1 > "/sys/bus/pci/devices/$VF1/reset"
	check_err $? "FLR of $VF1 failed"
	setpci -s "$VF1" COMMAND=0x0006
	busy_wait 5 filters_gone
	check_err $? "FLR left '$(ctx 1 uc_filters)' / $(extra_rars 1)"

	expect "RESET" ack mbx_req 0x1
	add2
	check_err $? "VF1 did not get two filters after the FLR"
	expect "RESET again" ack mbx_req 0x1
	filters_gone
	check_err $? "a RESET message left '$(ctx 1 uc_filters)'"
	log_test "VF CTRL.RST, FLR and a RESET message drop the filters"
}

trust_off_drops()
{
	add2
	check_err $? "VF1 did not get two filters"
	ip link set "$DEV" vf 1 trust off
	filters_gone
	check_err $? "trust off left '$(ctx 1 uc_filters)' / $(extra_rars 1)"
	expect "FILTER_ADD untrusted again" nack filter_add "${A[0]}"
	ip link set "$DEV" vf 1 trust on
	log_test "the host takes trust back: the filters go at once"
}

guard_scrub_drops()
{
	local ko=$KMOD/vmm-guard/vmm_guard.ko

	if [ ! -f "$ko" ] || ! load_guard; then
		log_skip "the guard's scrub drops the filters" "vmm_guard not available"
		return
	fi
	modprobe vfio-pci
	add2
	check_err $? "VF1 did not get two filters"
	bind_driver "$VF1" vmm_guard
	check_err $? "$VF1 did not bind to vmm_guard"
	vfio_hold "$VF1"
	check_err $? "VFIO open failed: $(cat "$HOLDER_OUT")"
	filters_gone
	check_err $? "the scrub at open left '$(ctx 1 uc_filters)' / $(extra_rars 1)"
	# The new owner asks for filters; its release scrubs them too.
	setpci -s "$VF1" COMMAND=0x0006
	expect "RESET (new owner)" ack mbx_req 0x1
	add2
	check_err $? "the owner did not get two filters"
	vfio_drop TERM
	wait_until 10 'test "$(cat "/sys/bus/pci/devices/$VF1/guard/state")" = free'
	check_err $? "the context was not released"
	filters_gone
	check_err $? "the scrub at release left '$(ctx 1 uc_filters)' / $(extra_rars 1)"
	echo "$VF1" > /sys/bus/pci/drivers/vmm_guard/unbind
	echo > "/sys/bus/pci/devices/$VF1/driver_override"
	setpci -s "$VF1" COMMAND=0x0006
	expect "RESET (script again)" ack mbx_req 0x1
	log_test "the guard's scrub (open and release) drops the filters"
}

mv_pinged()
{
	ping -c 1 -W 1 "$MV_IP" > /dev/null 2>&1
}

# mv0_create: macvlan MV[0] on VF0, in namespace mvns with MV_IP.
mv0_create()
{
	in_ns vf0 ip link add link vf0 name mv0 address "${MV[0]}" type macvlan &&
		in_ns vf0 ip link set mv0 netns mvns &&
		in_ns mvns ip addr add "$MV_IP/24" dev mv0 &&
		in_ns mvns ip link set mv0 up
}

macvlan_untrusted()
{
	local r0

	r0=$(ctx 0 uc_refused)
	ip netns add mvns
	ns_no_ipv6 mvns
	mv0_create
	check_err $? "cannot make macvlan mv0 on VF0"
	wait_until 10 'test "$(ctx 0 uc_refused)" -gt "$r0"'
	check_err $? "cdna_vf's FILTER_ADD for ${MV[0]} was not refused (uc_refused $r0)"
	[ -z "$(ctx 0 uc_filters)" ]
	check_err $? "ctx0 has filters '$(ctx 0 uc_filters)' while untrusted"
	ping -c 3 -W 1 "$MV_IP" > /dev/null 2>&1
	check_fail $? "the PF reaches the macvlan without its filter"
	log_test "macvlan on an untrusted VF with a host-set MAC: refused"
}

macvlan_traffic()
{
	ip link set "$DEV" vf 0 trust on
	check_err $? "trust on failed"
	in_ns mvns ip link del mv0
	sleep 1
	mv0_create
	check_err $? "cannot make macvlan mv0 again"
	wait_until 15 'test "$(ctx 0 uc_filters)" = "${MV[0]}"'
	check_err $? "ctx0/uc_filters '$(ctx 0 uc_filters)', want ${MV[0]}"
	[ "$(extra_rars 0)" = "${MV[0]}" ]
	check_err $? "no RAR entry for ${MV[0]} with pool 0: $(extra_rars 0)"
	busy_wait 15 mv_pinged
	check_err $? "the PF does not reach the macvlan ${MV[0]} at $MV_IP"
	in_ns peer ping -c 3 -W 2 "$MV_IP" > /dev/null
	check_err $? "the peer on the wire does not reach the macvlan"
	in_ns vf0 ping -c 2 -W 2 "$PF_IP" > /dev/null
	check_err $? "VF0 itself lost its ping"
	log_test "trusted: the macvlan on VF0 gets the traffic to its own MAC"
}

macvlan_bounded()
{
	local i r0

	r0=$(ctx 0 uc_refused)
	for i in $(seq 1 $SHARE); do
		in_ns vf0 ip link add link vf0 name "mv$i" address "${MV[$i]}" \
			type macvlan
		in_ns vf0 ip link set "mv$i" up
		sleep 1
	done
	wait_until 20 'test "$(nr_filters 0)" -eq $SHARE'
	check_err $? "ctx0 holds $(nr_filters 0) filters with $((SHARE + 1)) macvlans, want $SHARE"
	wait_until 10 'test "$(ctx 0 uc_refused)" -gt "$r0"'
	check_err $? "the macvlan beyond the share was not refused"
	[ "$(extra_rars 0 | wc -l)" -eq $SHARE ]
	check_err $? "RAR entries for pool 0: $(extra_rars 0 | tr '\n' ' ')"
	[ "$(ethtool -S "$DEV" | awk '$1 == "ctx0_uc_refused:" { print $2 }')" -gt 0 ]
	check_err $? "ethtool -S ctx0_uc_refused is 0"
	echo "ctx0: $(ctx 0 uc_filters); uc_refused $r0 -> $(ctx 0 uc_refused)"
	busy_wait 15 mv_pinged
	check_err $? "the first macvlan lost its traffic"
	log_test "$((SHARE + 1)) macvlans on VF0: $SHARE filters, the last refused"
}

macvlan_vf_reset()
{
	local n0 t0

	n0=$(ctx 0 resets)
	echo 1 > "/sys/bus/pci/devices/$VF0/reset"
	check_err $? "FLR of $VF0 failed"
	t0=$(date +%s)
	wait_until 10 'test "$(ctx 0 resets)" -gt "$n0"'
	check_err $? "the PF saw no reset of VF0"
	wait_until 60 'test "$(nr_filters 0)" -eq $SHARE'
	check_err $? "cdna_vf did not ask for its filters again: $(ctx 0 uc_filters)"
	busy_wait 30 mv_pinged
	check_err $? "the macvlan does not get its traffic after the reset"
	echo "filters back and macvlan pinged $(( $(date +%s) - t0 ))s after the FLR"
	log_test "after a reset of VF0, cdna_vf asks again and the macvlan works"
}

rmmod_drops()
{
	ip netns del mvns
	ip netns del vf0
	rmmod cdna_vf
	check_err $? "rmmod cdna_vf failed"
	wait_until 10 'test -z "$(ctx 0 uc_filters)"'
	check_err $? "filters left after rmmod: '$(ctx 0 uc_filters)'"
	[ -z "$(extra_rars 0)" ]
	check_err $? "RAR entries for pool 0 left after rmmod: $(extra_rars 0)"
	ping -c 2 -W 1 "$PEER_IP" > /dev/null
	check_err $? "the PF lost its ping"
	log_test "rmmod cdna_vf: VF0's filters are gone"
}

# An address the host assigns stops being a VF's extra filter.
host_assign_evicts()
{
	add2
	check_err $? "VF1 did not get two filters"
	ip link set "$DEV" vf 0 mac "${A[0]}"
	check_err $? "ip link set vf 0 mac ${A[0]} failed"
	[ "$(ctx 1 uc_filters)" = "${A[1]}" ]
	check_err $? "VF0 was given ${A[0]}: ctx1/uc_filters '$(ctx 1 uc_filters)'"
	[ "$(rars "$PF" | awk -v m="${A[0]}" '$2 == m { print $1, $3 }')" = "23 1" ]
	check_err $? "${A[0]} is in RARs: $(rars "$PF" | grep "${A[0]}" | tr '\n' ';'), want only VF0's"
	# The PF's address changes while its netdev is down (no live change).
	ip link set "$DEV" down
	ip link set "$DEV" address "${A[1]}"
	check_err $? "ip link set PF address ${A[1]} failed"
	[ -z "$(ctx 1 uc_filters)" ] && [ -z "$(extra_rars 1)" ]
	check_err $? "the PF took ${A[1]}: ctx1 keeps '$(ctx 1 uc_filters)'"
	ip link set "$DEV" address "$PF_MAC"
	ip link set "$DEV" up
	ip link set "$DEV" vf 0 mac "$VF0_MAC"
	busy_wait 20 ping -c 1 -W 1 "$PEER_IP" > /dev/null
	check_err $? "the PF lost its ping"
	log_test "addresses the host assigns (VF MAC, PF MAC) evict VF filters"
}

contexts_end_drops()
{
	add2
	check_err $? "VF1 did not get two filters"
	set_numvfs "$PF" 0
	check_err $? "cannot remove the VFs"
	[ "$(rars "$PF" | wc -l)" -eq 1 ]
	check_err $? "RAR entries left without VFs: $(rars "$PF" | tr '\n' ';')"
	set_numvfs "$PF" 2
	check_err $? "cannot make 2 VFs again"
	[ -z "$(ctx 1 uc_filters)" ] && [ "$(ctx 1 uc_refused)" = 0 ]
	check_err $? "new ctx1 starts with '$(ctx 1 uc_filters)', refused $(ctx 1 uc_refused)"
	[ "$(rars "$PF" | wc -l)" -eq 1 ]
	check_err $? "RAR entries after re-creating the VFs: $(rars "$PF" | tr '\n' ';')"
	log_test "removing the contexts drops every filter"
}

macvlan_igbvf()
{
	local dev

	ip link set "$DEV" vf 1 mac "$VF1_MAC"
	ip link set "$DEV" vf 1 trust on
	if ! modprobe igbvf || ! bind_igbvf "$VF1" "$VF1_MAC"; then
		log_skip "macvlan on igbvf" "igbvf got no reset handshake in $IGBVF_TRIES tries"
		return
	fi
	dev=$(pci_netdev "$VF1")
	ip netns add igb1
	ns_no_ipv6 igb1
	ip netns add mvns2
	ns_no_ipv6 mvns2
	ip link set "$dev" netns igb1 name vf1
	in_ns igb1 ip link set vf1 up
	in_ns igb1 ip link add link vf1 name mvi address "$MVI" type macvlan
	in_ns igb1 ip link set mvi netns mvns2
	in_ns mvns2 ip addr add "$MVI_IP/24" dev mvi
	in_ns mvns2 ip link set mvi up
	wait_until 20 'test "$(ctx 1 uc_filters)" = "$MVI"'
	check_err $? "igbvf's filter: ctx1/uc_filters '$(ctx 1 uc_filters)', want $MVI"
	[ "$(extra_rars 1)" = "$MVI" ]
	check_err $? "no RAR entry for $MVI with pool 1: $(extra_rars 1)"
	busy_wait 30 ping -c 1 -W 1 "$MVI_IP" > /dev/null 2>&1
	check_err $? "the PF does not reach the macvlan on igbvf"
	ip netns del mvns2
	ip netns del igb1
	rmmod igbvf
	check_err $? "rmmod igbvf failed"
	busy_wait 10 filters_gone
	check_err $? "filters left after rmmod igbvf: '$(ctx 1 uc_filters)' / $(extra_rars 1)"
	log_test "stock igbvf: a macvlan gets its filter and its traffic"
}

run_tests
