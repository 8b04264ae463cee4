#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# lab: timeout=600
#
# ethtool -r on cdna_pf: autonegotiation restarts through MDIC, the PF's
# link drops (carrier_down_count) and comes back (the model raises LSC
# 500 ms after the restart), the PF pings its peer again, and the
# contexts get their link back by themselves within RECOVER_S: VF0 on
# cdna_vf and VF1 on the in-tree igbvf, each in a namespace, ping the peer
# again.  The contexts keep their configuration (no reset, CTS kept): a
# renegotiation is a link event, not a reset of the NIC.  Three restarts
# back to back under a ping leave everything working.
source /src/tests/lib.sh

TESTS="setup nway_link_drops_and_returns contexts_recover contexts_kept
       nway_repeated"
PF=$(pf_dev)
PF_IP=198.18.0.1
PEER_IP=198.18.0.2
VF_IP=(198.18.0.10 198.18.0.11)
VF_MAC=(02:cd:0a:00:03:00 02:cd:0a:00:03:01)
RECOVER_S=30
IGBVF_TRIES=4
DEV=
VF=()
HAVE_IGBVF=0
RESETS0=
RESETS1=

trap 'pf_cleanup cdna_vf igbvf' EXIT
need pf cdna_pf cdna_vf

pf_pinging()
{
	ping -c 1 -W 1 "$PEER_IP" > /dev/null 2>&1
}

vf_pinging()
{
	in_ns "vfns$1" ping -c 1 -W 1 "$PEER_IP" > /dev/null 2>&1
}

# vf_ns N: VF N's netdev into namespace vfnsN as vfN with its address.
vf_ns()
{
	vf_into_ns "${VF[$1]}" "vfns$1" "vf$1" "${VF_IP[$1]}"
}

setup()
{
	pf_peer_up "$PF_IP" "$PEER_IP"
	check_err $? "PF has no carrier"
	busy_wait 20 pf_pinging
	check_err $? "PF cannot ping the peer"

	vfs_make 2 "${VF_MAC[@]}" || fail_all "cannot enable 2 VFs"
	cdna_vf_bind "${VF[0]}"
	check_err $? "cdna_vf did not bind ${VF[0]}"
	vf_ns 0
	check_err $? "VF0 has no netdev"
	if modprobe igbvf && bind_igbvf "${VF[1]}" "${VF_MAC[1]}" && vf_ns 1; then
		HAVE_IGBVF=1
	else
		echo "igbvf did not come up on VF1: only cdna_vf is checked"
	fi
	busy_wait 60 vf_pinging 0
	check_err $? "VF0 (cdna_vf) cannot ping the peer"
	if [ $HAVE_IGBVF = 1 ]; then
		busy_wait 60 vf_pinging 1
		check_err $? "VF1 (igbvf) cannot ping the peer"
	fi
	RESETS0=$(ctx 0 resets)
	RESETS1=$(ctx 1 resets)
	log_test "setup: PF, VF0 (cdna_vf) and VF1 (igbvf: $HAVE_IGBVF) ping the peer"
}

carrier_is()
{
	[ "$(cat "/sys/class/net/$DEV/carrier" 2>/dev/null)" = "$1" ]
}

nway_link_drops_and_returns()
{
	local downs t0

	downs=$(cat "/sys/class/net/$DEV/carrier_down_count")
	t0=$(date +%s)
	ethtool -r "$DEV"
	check_err $? "ethtool -r failed"
	wait_until 10 'test "$(cat "/sys/class/net/$DEV/carrier_down_count")" -gt "$downs"'
	check_err $? "the link did not go down (carrier_down_count stays $downs)"
	busy_wait 15 carrier_is 1
	check_err $? "no carrier 15 s after ethtool -r"
	[ $(( $(printf '%d' "$(regs "$PF" 0 0x8)") >> 1 & 1 )) -eq 1 ]
	check_err $? "STATUS.LU not set after autonegotiation"
	busy_wait 15 pf_pinging
	check_err $? "the PF does not ping its peer after ethtool -r"
	echo "PF: link back and pinging $(( $(date +%s) - t0 ))s after ethtool -r"
	dmesg | grep -E "$DEV: link (down|up)" | tail -n 2
	log_test "ethtool -r: the link drops and returns, the PF pings again"
}

contexts_recover()
{
	local t0=$(date +%s)

	busy_wait $RECOVER_S vf_pinging 0
	check_err $? "VF0 (cdna_vf) does not ping the peer ${RECOVER_S}s after ethtool -r"
	echo "VF0 (cdna_vf): pinging $(( $(date +%s) - t0 ))s after the PF's link," \
	     "carrier went down $(in_ns vfns0 cat /sys/class/net/vf0/carrier_down_count) times"
	in_ns vfns0 cat /sys/class/net/vf0/carrier | grep -qx 1
	check_err $? "VF0 has no carrier"
	if [ $HAVE_IGBVF = 1 ]; then
		busy_wait $RECOVER_S vf_pinging 1
		check_err $? "VF1 (igbvf) does not ping the peer ${RECOVER_S}s after ethtool -r"
		echo "VF1 (igbvf): pinging $(( $(date +%s) - t0 ))s after the PF's link"
	fi
	log_test "the contexts (cdna_vf, igbvf) ping again within ${RECOVER_S}s"
}

contexts_kept()
{
	# igbvf may reset itself on a link event (its choice); cdna_vf does
	# not, so ctx0 shows what the PF did.
	echo "resets: ctx0 $RESETS0 -> $(ctx 0 resets), ctx1 $RESETS1 -> $(ctx 1 resets)"
	[ "$(ctx 0 resets)" = "$RESETS0" ]
	check_err $? "context 0 was reset: resets $RESETS0 -> $(ctx 0 resets)"
	[ "$(ctx 0 cts)" = 1 ] && [ "$(ctx 0 mac)" = "${VF_MAC[0]}" ]
	check_err $? "ctx0 lost its CTS or MAC: cts $(ctx 0 cts) mac $(ctx 0 mac)"
	log_test "a renegotiation keeps the contexts' state (no reset, CTS kept)"
}

nway_repeated()
{
	local i pid rx

	ping -i 0.2 -W 1 "$PEER_IP" > /out/nway-ping.log 2>&1 &
	pid=$!
	for i in 1 2 3; do
		ethtool -r "$DEV"
		check_err $? "ethtool -r #$i failed"
		sleep 0.3
	done
	busy_wait 15 carrier_is 1
	check_err $? "no carrier after three restarts"
	sleep 3
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	rx=$(grep -c 'bytes from' /out/nway-ping.log)
	echo "ping during the restarts: $rx replies"
	busy_wait 15 pf_pinging
	check_err $? "the PF does not ping after three restarts"
	busy_wait $RECOVER_S vf_pinging 0
	check_err $? "VF0 does not ping after three restarts"
	if [ $HAVE_IGBVF = 1 ]; then
		busy_wait $RECOVER_S vf_pinging 1
		check_err $? "VF1 (igbvf) does not ping after three restarts"
	fi
	log_test "three restarts back to back under a ping: all recover"
}

run_tests
