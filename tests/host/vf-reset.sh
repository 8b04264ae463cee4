#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# cdna_vf recovers by itself, with traffic running, from what the PF does
# to it: the PF going down and up (RSTI/RSTD, PF_CONTROL without CTS), an
# admin MAC change announced the way a PF announces it (PF_CONTROL without
# CTS: the in-tree igb PF announces nothing, so with it the message is
# simulated, see admin_mac_change), the administrative link state going
# disable and back (cdna_pf only: igb has no ndo_set_vf_link_state), a
# function level reset of the VF, a VF probed while its PF is down.
# PF_DRIVER=cdna_pf runs it against the project's PF.
# Counters keep increasing throughout; the module unloads cleanly after.
#
# lab: timeout=600
source /src/tests/lib.sh

TESTS="vf_setup pf_down_up admin_mac_change link_state_toggle vf_flr
       probe_while_pf_down resets_under_load rmmod_after_resets"
PF=$(pf_dev)
MAC0=02:cd:0a:00:01:01
MAC1=02:cd:0a:00:01:02
MAC1_NEW=02:cd:0a:00:01:22
IP0=198.18.1.1
IP1=198.18.1.2
RECOVER_S=60
DEV=
VF=()
PING_PID=

cleanup()
{
	traffic_stop
	pf_cleanup cdna_vf
}
trap cleanup EXIT
need pf cdna-regs

pinging()
{
	in_ns vfns0 ping -c 1 -W 1 -q "$IP1" > /dev/null 2>&1
}

traffic_start()
{
	in_ns vfns0 ping -i 0.1 -W 1 "$IP1" > /out/vf-reset-ping.log 2>&1 &
	PING_PID=$!
}

traffic_stop()
{
	[ -n "$PING_PID" ] && kill "$PING_PID" 2>/dev/null && wait "$PING_PID" 2>/dev/null
	PING_PID=
}

# recovered WHAT T0: ping works again, print the seconds it took.
recovered()
{
	local t0=$2

	busy_wait $RECOVER_S pinging
	check_err $? "$1: VF0 cannot ping VF1 ${RECOVER_S}s later"
	echo "$1: ping again after $(( $(date +%s) - t0 ))s"
}

# pf_msg_no_cts N: what a PF does to make VF N reset (the 82576
# convention: a PF_CONTROL message without CTS), written through the PF's
# own mailbox registers, as cdna_pf will.
pf_msg_no_cts()
{
	local n=$1

	regs "$PF" 0 "P2VMAILBOX($n)=0x8" > /dev/null	# PFU: own it
	regs "$PF" 0 "VMBMEM($n)=0x100" > /dev/null	# PF_CONTROL
	regs "$PF" 0 "P2VMAILBOX($n)=0x1" > /dev/null	# STS, release
}

vf_setup()
{
	vf_pair_up $MAC0 $MAC1 $IP0 $IP1
	log_test "setup: 2 VFs on cdna_vf ping each other"
}

# cdna_pf keeps the contexts running while its own netdev is down: the
# NIC is shared, and one tenant's interface is not the others' link.
pf_down_contexts_run()
{
	local rx

	traffic_start
	sleep 2
	rx=$(ns_stat vfns1 vf1 rx0_packets)
	ip link set "$DEV" down
	sleep 5
	carrier_up vfns0 vf0 && pinging
	check_err $? "contexts lost their link while the PF's netdev was down"
	counter_grew vfns1 vf1 rx0_packets "$rx"
	ip link set "$DEV" up
	traffic_stop
	log_test "PF netdev down 5s: the contexts keep running (cdna_pf)"
}

pf_down_up()
{
	local t0 rx tx resets

	if [ "${PF_DRIVER:-igb}" = cdna_pf ]; then
		pf_down_contexts_run
		return
	fi
	traffic_start
	sleep 2
	rx=$(ns_stat vfns1 vf1 rx0_packets)
	tx=$(ns_stat vfns0 vf0 tx0_packets)
	resets=$(ns_stat vfns0 vf0 mbx_pf_resets)
	ip link set "$DEV" down
	sleep 5
	carrier_up vfns0 vf0
	check_fail $? "VF0 kept its carrier with the PF down"
	ip link set "$DEV" up
	t0=$(date +%s)
	recovered "PF down/up" "$t0"
	sleep 2
	counter_grew vfns1 vf1 rx0_packets "$rx"
	counter_grew vfns0 vf0 tx0_packets "$tx"
	counter_grew vfns0 vf0 mbx_pf_resets "$resets"
	traffic_stop
	grep -c 'bytes from' /out/vf-reset-ping.log | sed 's/^/replies during the test: /'
	log_test "PF down 5s then up: VFs recover by themselves"
}

vf1_mac_is()
{
	[ "$(in_ns vfns1 cat /sys/class/net/vf1/address)" = "$1" ]
}

# The in-tree igb changes the filter but tells the VF nothing ("Reload the
# VF driver"); the message a PF sends for it is simulated here.
admin_mac_change()
{
	local t0 rx

	traffic_start
	sleep 2
	rx=$(ns_stat vfns1 vf1 rx0_packets)
	ip link set "$DEV" vf 1 mac $MAC1_NEW
	check_err $? "admin MAC change refused"
	t0=$(date +%s)
	[ "${PF_DRIVER:-igb}" = igb ] && pf_msg_no_cts 1
	busy_wait $RECOVER_S vf1_mac_is $MAC1_NEW
	check_err $? "VF1 did not take the new admin MAC $MAC1_NEW"
	recovered "admin MAC change" "$t0"
	sleep 2
	counter_grew vfns1 vf1 rx0_packets "$rx"
	traffic_stop
	log_test "admin MAC change: VF1 takes the new MAC and recovers"
}

link_state_toggle()
{
	local t0 rx

	if [ "${PF_DRIVER:-igb}" != cdna_pf ]; then
		log_skip "link state disable/enable" "igb has no ndo_set_vf_link_state"
		return
	fi
	traffic_start
	sleep 2
	rx=$(ns_stat vfns1 vf1 rx0_packets)
	ip link set "$DEV" vf 1 state disable
	check_err $? "link state disable refused"
	busy_wait 30 eval '! carrier_up vfns1 vf1'
	check_err $? "VF1 kept its carrier with its link disabled"
	pinging
	check_fail $? "VF0 still reaches VF1 with VF1's link disabled"
	ip link set "$DEV" vf 1 state enable
	check_err $? "link state enable refused"
	t0=$(date +%s)
	recovered "link state enable" "$t0"
	sleep 2
	counter_grew vfns1 vf1 rx0_packets "$rx"
	traffic_stop
	log_test "admin link state disable/enable: VF1 down, then recovers"
}

vf_flr()
{
	local t0 rx

	traffic_start
	sleep 2
	rx=$(ns_stat vfns1 vf1 rx0_packets)
	echo 1 > "/sys/bus/pci/devices/${VF[1]}/reset"
	check_err $? "FLR of ${VF[1]} failed"
	t0=$(date +%s)
	recovered "VF FLR" "$t0"
	sleep 2
	counter_grew vfns1 vf1 rx0_packets "$rx"
	traffic_stop
	log_test "FLR of VF1 with traffic: recovers"
}

probe_while_pf_down()
{
	local d=/sys/bus/pci/devices/${VF[1]} dev t0

	if [ "${PF_DRIVER:-igb}" = cdna_pf ]; then
		log_skip "VF probed while the PF is down" \
			"cdna_pf keeps contexts up with its netdev down; covered against igb"
		return
	fi
	echo "${VF[1]}" > "$d/driver/unbind"
	ip link set "$DEV" down
	sleep 1
	echo "${VF[1]}" > /sys/bus/pci/drivers_probe
	busy_wait 30 has_netdev "${VF[1]}"
	check_err $? "no netdev for ${VF[1]} probed with the PF down"
	dev=$(pci_netdev "${VF[1]}")
	ip link set "$dev" netns vfns1 name vf1
	in_ns vfns1 ip addr add "$IP1/24" dev vf1
	in_ns vfns1 ip link set vf1 up
	sleep 3
	carrier_up vfns1 vf1
	check_fail $? "VF1 has carrier although its PF is down"
	dmesg | grep -q "${VF[1]}.*PF did not complete the reset handshake"
	check_err $? "no message saying the PF does not answer"
	ip link set "$DEV" up
	t0=$(date +%s)
	busy_wait $RECOVER_S vf1_mac_is $MAC1_NEW
	check_err $? "VF1 did not get its admin MAC once the PF came up"
	busy_wait $RECOVER_S carrier_up vfns1 vf1
	check_err $? "VF1 got no carrier once the PF came up"
	recovered "probe with PF down" "$t0"
	log_test "VF probed while the PF is down: waits, then recovers"
}

# PF resets, FLRs and VF down/up back to back while iperf3 TCP runs: no
# stuck queue afterwards, traffic and counters resume.
resets_under_load()
{
	local pid rx i t0

	in_ns vfns1 iperf3 -s -1 -D -p 5210 || true
	sleep 1
	in_ns vfns0 timeout 120 iperf3 -c "$IP1" -p 5210 -t 40 -f m \
		> /out/vf-reset-iperf.log 2>&1 &
	pid=$!
	sleep 3
	rx=$(ns_stat vfns1 vf1 rx0_packets)
	for i in 1 2; do
		ip link set "$DEV" down
		sleep 2
		ip link set "$DEV" up
		sleep 4
		echo 1 > "/sys/bus/pci/devices/${VF[1]}/reset"
		sleep 3
		echo 1 > "/sys/bus/pci/devices/${VF[0]}/reset"
		sleep 3
		in_ns vfns0 ip link set vf0 down
		in_ns vfns0 ip link set vf0 up
		sleep 3
	done
	t0=$(date +%s)
	recovered "resets under load" "$t0"
	wait "$pid"
	check_err $? "iperf3 under the resets failed: $(grep -m1 error /out/vf-reset-iperf.log)"
	grep -E 'sender|receiver|error' /out/vf-reset-iperf.log
	counter_grew vfns1 vf1 rx0_packets "$rx"
	in_ns vfns0 ethtool -S vf0 | grep -E 'tx0_busy|mbx_(resets|pf_resets|timeouts)'
	log_test "PF resets, FLRs, down/up under TCP load: traffic resumes"
}

rmmod_after_resets()
{
	ip netns del vfns0
	ip netns del vfns1
	rmmod cdna_vf
	check_err $? "rmmod cdna_vf failed after the resets"
	log_test "rmmod clean after the resets"
}

run_tests
