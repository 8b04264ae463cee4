#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Guest payload: drive a context and stream traffic through it (the guard's
# software mode tests, tests/guest/guard-sw-vm.sh and guard-mixed-vm.sh).
# Arguments (key=value):
#   driver=  cdna_vf or igbvf (the in-tree one, reloaded a bounded number
#            of times: its millisecond handshake timeouts lose to TCG stalls)
#   mac=     what the host set; ip= this guest's address (/24)
#   peer=    another context (a host namespace, another guest); pf= the
#            host's PF netdev
#   iperf=S  iperf3 TCP both ways, then UDP out, S seconds each, with the
#            peer's server (when the guest carries iperf3)
#   xfer=P   send back to peer:P+2 all that peer:P+1 sends, then hash here
#            all that peer:P sends: the host checks both
#   mtu=N    then iperf3 TCP both ways again at MTU N
#   hold=P   then stream to peer:P (TCP) and ping the peer until killed
#   peerwait=S  wait up to S seconds (default 60) for the peer's first
#            answer (another guest still booting)
#   linger=1 then stay up, answering, until killed
# Reports on the console, one line each, for the lab VM side:
#   GUEST-TEST: NAME [ OK ]|[FAIL]      (guest-lib.sh)
#   GUEST-PING peer|pf sent=N rcvd=N rtt=MIN/AVG/MAX
#   GUEST-IPERF tcp|udp <iperf3's summary line>
#   GUEST-ECHO seconds=N rc=N
#   GUEST-XFER sha256=HASH seconds=N rc=N
#   GUEST-NIC rx_packets=N tx_packets=N ...
#   GUEST-HOLDING
ARGS="$*"
. /guest-lib.sh

drv=$(arg driver)
peer=$(arg peer)
VF=$(pci_find 8086 10ca)
check "context visible in the guest" test -n "$VF"
[ -n "$VF" ] || exit 1

uptime_s() { cut -d' ' -f1 /proc/uptime | cut -d. -f1; }

tries=1
[ "$drv" = igbvf ] && tries=3
want=$(arg mac)
for try in $(seq 1 $tries); do
	insmod "/lib/modules/$drv.ko"
	dev=
	wait_for 90 test -e "/sys/bus/pci/devices/$VF/net" &&
		dev=$(ls "/sys/bus/pci/devices/$VF/net")
	got=$(cat "/sys/class/net/$dev/address" 2>/dev/null)
	[ "$got" = "$want" ] && break
	echo "$drv try $try: MAC '$got', want $want"
	[ $try -lt $tries ] && rmmod "$drv"
done
echo "$drv loads: $try (t=$(uptime_s))"
check "$drv took the MAC the host set ($got)" test "$got" = "$want"
[ -n "$dev" ] || exit 1

ip addr add "$(arg ip)/24" dev "$dev"
ip link set "$dev" up
wait_for 60 grep -q 1 "/sys/class/net/$dev/carrier"
check "$drv has carrier" grep -q 1 "/sys/class/net/$dev/carrier"

nic_stats()
{
	echo "rx_packets=$(cat "/sys/class/net/$dev/statistics/rx_packets")" \
	     "tx_packets=$(cat "/sys/class/net/$dev/statistics/tx_packets")" \
	     "rx_errors=$(cat "/sys/class/net/$dev/statistics/rx_errors")" \
	     "tx_errors=$(cat "/sys/class/net/$dev/statistics/tx_errors")"
}

# ping_report NAME ADDR: 10 pings, none lost; the figures on one line.
ping_report()
{
	local out

	out=$(ping -c 10 -i 0.2 -W 5 "$2" 2>&1)
	echo "GUEST-PING $1 $(echo "$out" | sed -n \
		's/^\([0-9]*\) packets transmitted, \([0-9]*\) packets received.*/sent=\1 rcvd=\2/p') rtt=$(echo "$out" | sed -n \
		's/^round-trip min\/avg\/max = \([^ ]*\) ms/\1/p')"
	echo "$out" | grep -q ' 10 packets received'
}

pw=$(arg peerwait) || pw=60
wait_for "$pw" ping -c 1 -W 2 "$peer" > /dev/null 2>&1
check "ping the peer ($peer), 10 of 10" ping_report peer "$peer"
check "ping the host's PF netdev, 10 of 10" ping_report pf "$(arg pf)"
echo "GUEST-NIC $(nic_stats) t=$(uptime_s)"

# iperf_run KIND ARGS...: one bounded iperf3 client run, its summary line.
iperf_run()
{
	local kind=$1 out

	shift
	out=$(timeout $((secs + 60)) iperf3 -c "$peer" -t "$secs" -f m "$@" 2>&1)
	rc=$?
	if [ $rc -ne 0 ]; then
		# Seen now and then under nested TCG at the first run, before
		# any data: "control socket has closed unexpectedly".  Once more.
		echo "GUEST-IPERF-RETRY $kind: $(echo "$out" | grep error | head -n1)"
		out=$(timeout $((secs + 60)) iperf3 -c "$peer" -t "$secs" -f m "$@" 2>&1)
		rc=$?
	fi
	echo "$out" | tail -n 6 | sed "s/^/iperf3 $kind: /"
	echo "GUEST-IPERF $kind $(echo "$out" | grep -E 'receiver$' | tail -n1 |
		tr -s ' ')"
	[ $rc -eq 0 ] && echo "$out" | grep -q 'receiver$'
}

secs=$(arg iperf)
if [ -n "$secs" ]; then
	if command -v iperf3 > /dev/null; then
		check "iperf3 TCP to the namespace" iperf_run tcp
		check "iperf3 TCP from the namespace" iperf_run tcp-rx -R
		check "iperf3 UDP to the namespace" iperf_run udp -u -b 20M -l 1400
	else
		echo "GUEST-IPERF none: no iperf3 in this guest"
	fi
	echo "GUEST-NIC $(nic_stats) t=$(uptime_s)"
fi

# The transfers, with bash (its /dev/tcp) and coreutils' cat and
# sha256sum from the lab root (GUEST_BINS): busybox's nc moves 1 KiB a
# system call, far too slow under nested TCG.
#   echo: what peer:P+1 sends goes back to peer:P+2 (the host compares)
#   in:   all that peer:P sends is hashed here (the host compares)
xfer_echo()
{
	local port=$1 t0 rc

	t0=$(uptime_s)
	timeout 900 /usr/bin/bash -c "/usr/bin/cat < /dev/tcp/$peer/$((port + 1)) \
		> /dev/tcp/$peer/$((port + 2))"
	rc=$?
	echo "GUEST-ECHO seconds=$(( $(uptime_s) - t0 )) rc=$rc"
	return $rc
}

xfer_in()
{
	local port=$1 t0 rc

	t0=$(uptime_s)
	timeout 900 /usr/bin/bash -c "/usr/bin/sha256sum < /dev/tcp/$peer/$port" > /tmp/xfer.sha
	rc=$?
	echo "GUEST-XFER sha256=$(cut -d' ' -f1 /tmp/xfer.sha) seconds=$(( $(uptime_s) - t0 )) rc=$rc"
	return $rc
}

port=$(arg xfer)
if [ -n "$port" ]; then
	if [ -x /usr/bin/bash ] && [ -x /usr/bin/sha256sum ] && [ -x /usr/bin/cat ]; then
		check "data echoed back through the context" xfer_echo "$port"
		check "data received and hashed through the context" xfer_in "$port"
	else
		check "the guest has bash and coreutils for the transfers" false
	fi
	echo "GUEST-NIC $(nic_stats) t=$(uptime_s)"
fi

# mtu=N: iperf3 TCP both ways again at that MTU (the PF must allow it:
# SET_LPE).
mtu=$(arg mtu)
if [ -n "$mtu" ]; then
	ip link set "$dev" mtu "$mtu"
	check "MTU $mtu set" test "$(cat "/sys/class/net/$dev/mtu")" = "$mtu"
	wait_for 60 grep -q 1 "/sys/class/net/$dev/carrier"
	wait_for 60 ping -c 1 -W 2 -s $((mtu - 28)) "$peer" > /dev/null 2>&1
	check "ping of $mtu bytes to the namespace" ping -c 3 -W 5 -s $((mtu - 28)) "$peer"
	if [ -n "$secs" ] && command -v iperf3 > /dev/null; then
		check "iperf3 TCP to the namespace at MTU $mtu" iperf_run tcp-$mtu
		check "iperf3 TCP from the namespace at MTU $mtu" iperf_run tcp-rx-$mtu -R
	fi
	echo "GUEST-NIC $(nic_stats) t=$(uptime_s)"
fi

port=$(arg hold)
if [ -n "$port" ]; then
	# TCP out to the peer as fast as it goes, and back-to-back pings:
	# both directions busy until the host kills this guest.
	tx0=$(cat "/sys/class/net/$dev/statistics/tx_packets")
	nc "$peer" "$port" < /dev/zero > /dev/null &
	ping -A -q -s 1400 "$peer" > /dev/null &
	sleep 5
	tx1=$(cat "/sys/class/net/$dev/statistics/tx_packets")
	echo "streaming: tx_packets $tx0 -> $tx1"
	check "traffic stream to the peer running" test "$tx1" -gt $((tx0 + 20))
	echo "GUEST-HOLDING"
	wait
	echo "stream ended early"
	GUEST_FAILED=1
fi
if [ "$(arg linger)" = 1 ]; then
	echo "GUEST-HOLDING"
	while true; do sleep 60; done
fi
exit $GUEST_FAILED
