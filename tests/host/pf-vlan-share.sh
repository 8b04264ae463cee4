#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# lab: timeout=600
#
# The VLAN filter table (32 VLVF entries) is shared by the PF, the host's
# port VLANs and every context's own VLAN requests.  Each context gets a
# fair share of it, whatever the others ask for, and room stays for the
# host to give every context a port VLAN; refusals are counted in
# cdna/ctxN/vlan_refused.  Raw contexts (VFs driven from this script)
# play the guests.
source /src/tests/lib.sh

TESTS="setup share_of_two ninth_refused share_of_seven all_at_once
       port_vlans_fit"
PF=$(pf_dev)
DEV=
VF=()

trap pf_cleanup EXIT
need pf cdna_pf cdna-regs

# take_all N: N raw contexts, each through its RESET handshake.
take_all()
{
	vfs_make "$1" && raw_vfs_take reset
}

# ask VF N FIRST COUNT: VF N asks for VLANs FIRST..FIRST+COUNT-1; prints
# the number of ACKs.
ask()
{
	local n=$1 first=$2 count=$3 vid r acks=0

	for vid in $(seq "$first" $((first + count - 1))); do
		r=$(rvf_set_vlan "${VF[n]}" "$vid") && is_ack "$r" && acks=$((acks + 1))
	done
	echo $acks
}

setup()
{
	pf_up cdna_pf
	take_all 2
	check_err $? "2 raw contexts did not complete their RESET handshake"
	log_test "setup: raw contexts on cdna_pf"
}

share_of_two()
{
	[ "$(ctx 0 vlans_max)" = 8 ] && [ "$(ctx 1 vlans_max)" = 8 ]
	check_err $? "with 2 contexts vlans_max is $(ctx 0 vlans_max)/$(ctx 1 vlans_max), want 8"
	log_test "2 contexts: each may have 8 VLANs of its own"
}

ninth_refused()
{
	local acks

	acks=$(ask 1 100 9)
	[ "$acks" = 8 ]
	check_err $? "context 1 got $acks of 9 VLANs, want 8"
	[ "$(ctx 1 vlan_refused)" = 1 ] && [ "$(ctx 0 vlan_refused)" = 0 ]
	check_err $? "vlan_refused ctx1 $(ctx 1 vlan_refused) ctx0 $(ctx 0 vlan_refused), want 1 and 0"
	[ "$(vlvf "$PF" | awk '$2 == 2' | wc -l)" = 8 ]
	check_err $? "VLVF holds $(vlvf "$PF" | awk '$2 == 2' | wc -l) entries of pool 1, want 8"
	log_test "the 9th VLAN of one context is refused and counted"
}

share_of_seven()
{
	local i acks share

	set_numvfs "$PF" 0
	take_all 7
	check_err $? "7 raw contexts did not complete their RESET handshake"
	share=$(ctx 0 vlans_max)
	echo "7 contexts: vlans_max $share"
	[ "$share" -ge 1 ] && [ $((share * 7 + 7)) -le 32 ]
	check_err $? "share $share leaves no room for 7 port VLANs"
	for i in 0 1; do
		acks=$(ask "$i" $((200 + 10 * i)) 8)
		[ "$acks" = "$share" ]
		check_err $? "context $i got $acks of 8 VLANs, want its share $share"
		[ "$(ctx "$i" vlan_refused)" = $((8 - share)) ]
		check_err $? "context $i vlan_refused $(ctx "$i" vlan_refused), want $((8 - share))"
	done
	log_test "7 contexts: each gets its share ($share), the rest refused"
}

# The other five ask for 8 each at the same time: every one still gets
# its whole share, nobody more.
all_at_once()
{
	local i pids=() share acks

	share=$(ctx 2 vlans_max)
	for i in 2 3 4 5 6; do
		ask "$i" $((300 + 10 * i)) 8 > "/tmp/acks.$i" &
		pids+=($!)
	done
	wait "${pids[@]}"
	for i in 2 3 4 5 6; do
		acks=$(cat "/tmp/acks.$i")
		[ "$acks" = "$share" ] && [ "$(ctx "$i" vlans | wc -w)" = "$share" ]
		check_err $? "context $i got $acks ACKs, holds '$(ctx "$i" vlans)', want $share"
	done
	echo "VLVF entries in use: $(vlvf "$PF" | wc -l) of 32"
	log_test "5 contexts asking at once: each gets its share"
}

port_vlans_fit()
{
	local i

	for i in $(seq 0 6); do
		ip link set "$DEV" vf "$i" vlan $((1000 + i))
		check_err $? "host port VLAN $((1000 + i)) on VF $i refused with the table in use"
	done
	for i in $(seq 0 6); do
		[ "$(ctx "$i" vlan)" = $((1000 + i)) ]
		check_err $? "ctx$i/vlan $(ctx "$i" vlan), want $((1000 + i))"
	done
	log_test "the host can still give all 7 contexts a port VLAN"
}

run_tests
