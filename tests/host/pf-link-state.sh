#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# lab: timeout=600
#
# ip link set PF vf N state disable|auto, seen from both VF drivers: the
# in-tree igbvf (VF0) and cdna_vf (VF1), in two namespaces on one cdna_pf,
# talking through the NIC's switch.  Disable takes the carrier down in the
# VF's own driver and stops its traffic, its pool closes (VFRE, then VFTE
# once its queued frames are out); the VF stays down across its own
# resets; auto brings the carrier and the traffic back.
source /src/tests/lib.sh

TESTS="setup disable_igbvf enable_igbvf disable_cdna_vf reset_while_disabled
       enable_cdna_vf"
PF=$(pf_dev)
DEV=
MAC0=02:cd:15:00:00:00
MAC1=02:cd:15:00:00:01
IP0=198.18.15.10
IP1=198.18.15.11
VF=()

trap 'pf_cleanup igbvf cdna_vf' EXIT
need pf cdna_pf cdna_vf

vf_bits()
{
	regs "$PF" 0 "$1"
}

pool_open()
{
	local re te

	re=$(vf_bits VFRE)
	te=$(vf_bits VFTE)
	[ $(( (re >> $1) & 1 )) -eq "$2" ] && [ $(( (te >> $1) & 1 )) -eq "$3" ]
}

ping01()
{
	in_ns ls0 ping -c 1 -W 1 -q "$IP1" > /dev/null 2>&1
}

setup()
{
	pf_up cdna_pf
	vfs_make 2 $MAC0 $MAC1 || fail_all "cannot enable 2 VFs"
	modprobe igbvf
	bind_igbvf "${VF[0]}" $MAC0 || fail_all "igbvf never got $MAC0 on ${VF[0]}"
	cdna_vf_bind "${VF[1]}" || fail_all "cdna_vf did not bind ${VF[1]}"
	vf_into_ns "${VF[0]}" ls0 eth0 $IP0 || fail_all "no igbvf netdev"
	vf_into_ns "${VF[1]}" ls1 eth0 $IP1 || fail_all "no cdna_vf netdev"
	busy_wait 60 carrier_up ls0 eth0 && busy_wait 60 carrier_up ls1 eth0
	check_err $? "no carrier: igbvf $(in_ns ls0 cat /sys/class/net/eth0/carrier) cdna_vf $(in_ns ls1 cat /sys/class/net/eth0/carrier)"
	busy_wait 60 ping01
	check_err $? "igbvf VF0 cannot ping cdna_vf VF1"
	log_test "setup: igbvf on VF0 and cdna_vf on VF1 ping through the switch"
}

# disable_vf N NS: the host disables VF N; its driver in NS loses carrier.
disable_vf()
{
	local n=$1 ns=$2 resets

	resets=$(cat "/sys/bus/pci/devices/$PF/cdna/ctx$n/resets")
	ip link set "$DEV" vf "$n" state disable
	check_err $? "state disable refused"
	wait_until 15 '! carrier_up '"$ns"' eth0'
	check_err $? "the VF driver in $ns kept its carrier after state disable"
	! ping01
	check_err $? "VF0 and VF1 still ping with VF $n disabled"
	wait_until 10 'pool_open '"$n"' 0 0'
	check_err $? "pool $n still open: VFRE $(vf_bits VFRE) VFTE $(vf_bits VFTE)"
	sleep 5
	! carrier_up "$ns" eth0
	check_err $? "carrier came back by itself while disabled"
	echo "ctx$n resets: $resets -> $(cat "/sys/bus/pci/devices/$PF/cdna/ctx$n/resets")"
}

# enable_vf N NS: state auto; carrier and traffic come back.
enable_vf()
{
	local n=$1 ns=$2

	ip link set "$DEV" vf "$n" state auto
	check_err $? "state auto refused"
	wait_until 30 'carrier_up '"$ns"' eth0'
	check_err $? "the VF driver in $ns has no carrier after state auto"
	busy_wait 30 ping01
	check_err $? "VF0 and VF1 do not ping again"
	pool_open "$n" 1 1
	check_err $? "pool $n not open: VFRE $(vf_bits VFRE) VFTE $(vf_bits VFTE)"
}

disable_igbvf()
{
	disable_vf 0 ls0
	log_test "state disable: stock igbvf loses carrier, pool closed"
}

enable_igbvf()
{
	enable_vf 0 ls0
	log_test "state auto: stock igbvf gets carrier back, traffic flows"
}

disable_cdna_vf()
{
	disable_vf 1 ls1
	log_test "state disable: cdna_vf loses carrier, pool closed"
}

# The VF resets while disabled: its driver is rebound (a reset handshake
# of its own), then something resets it under its driver (VF CTRL.RST):
# it stays down either way, and auto brings it back.
reset_while_disabled()
{
	local resets

	resets=$(cat "/sys/bus/pci/devices/$PF/cdna/ctx1/resets")
	ip netns del ls1
	busy_wait 10 sh -c "! test -e /sys/bus/pci/devices/${VF[1]}/net/*/carrier || true"
	bind_driver "${VF[1]}" cdna_vf
	check_err $? "cdna_vf did not bind ${VF[1]} again"
	vf_into_ns "${VF[1]}" ls1 eth0 $IP1
	check_err $? "no cdna_vf netdev after the rebind"
	wait_until 20 'test "$(cat /sys/bus/pci/devices/$PF/cdna/ctx1/resets)" -gt '"$resets"
	check_err $? "no VF reset seen (resets $resets -> $(cat /sys/bus/pci/devices/$PF/cdna/ctx1/resets))"
	sleep 8
	! carrier_up ls1 eth0 && pool_open 1 0 0
	check_err $? "after its rebind the disabled VF has carrier $(in_ns ls1 cat /sys/class/net/eth0/carrier), VFRE $(vf_bits VFRE) VFTE $(vf_bits VFTE)"
	rvf_regs "${VF[1]}" VF_CTRL=0x4000000 > /dev/null
	wait_until 10 'test "$(cat /sys/bus/pci/devices/$PF/cdna/ctx1/cts)" = 0'
	sleep 4
	! carrier_up ls1 eth0 && pool_open 1 0 0
	check_err $? "after a reset under its driver the disabled VF has carrier $(in_ns ls1 cat /sys/class/net/eth0/carrier), VFRE $(vf_bits VFRE) VFTE $(vf_bits VFTE)"
	log_test "a disabled VF stays down across resets (its own and foreign)"
}

enable_cdna_vf()
{
	enable_vf 1 ls1
	log_test "state auto: cdna_vf gets carrier back, traffic flows"
}

run_tests
