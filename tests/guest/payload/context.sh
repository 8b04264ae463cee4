#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Guest payload: use the context passed through to this guest.  Arguments
# (key=value): driver= (cdna_vf or igbvf), mac= (what the host set),
# ip= (this guest's address), peer= (a context in a host namespace),
# pf= (the host's PF netdev), hold=1 (then stream pings to the peer until
# the guest is killed).
ARGS="$*"
. /guest-lib.sh

drv=$(arg driver)
VF=$(pci_find 8086 10ca)
check "context visible in the guest" test -n "$VF"
[ -n "$VF" ] || exit 1

# The stock igbvf's millisecond handshake timeouts sometimes lose to TCG
# stalls (random MAC): reload it a bounded number of times.  cdna_vf must
# get it right the first time.
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
echo "$drv loads: $try"
check "$drv took the MAC the host set ($got)" test "$got" = "$want"
[ -n "$dev" ] || exit 1

ip addr add "$(arg ip)/24" dev "$dev"
ip link set "$dev" up
wait_for 60 grep -q 1 "/sys/class/net/$dev/carrier"
check "$drv has carrier" grep -q 1 "/sys/class/net/$dev/carrier"
check "ping a context in a host namespace" \
	ping -c 3 -W 5 "$(arg peer)"
check "ping the host's PF netdev" ping -c 3 -W 5 "$(arg pf)"

if [ "$(arg hold)" = 1 ]; then
	# Back-to-back 1400-byte pings to the peer until the host kills
	# this guest: traffic in both directions through the context.
	tx0=$(cat "/sys/class/net/$dev/statistics/tx_packets")
	ping -A -q -s 1400 "$(arg peer)" > /dev/null &
	sleep 5
	tx1=$(cat "/sys/class/net/$dev/statistics/tx_packets")
	echo "streaming: tx_packets $tx0 -> $tx1"
	check "traffic stream to the peer running" test "$tx1" -gt $((tx0 + 20))
	echo "GUEST-HOLDING"
	wait
	# Only reached if the stream stopped before the host killed the guest.
	echo "stream ended early"
	GUEST_FAILED=1
fi
exit $GUEST_FAILED
