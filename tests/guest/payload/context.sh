#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Guest payload: use the context passed through to this guest.  Arguments
# (key=value): driver= (cdna_vf or igbvf), mac= (what the host set),
# ip= (this guest's address), peer= (a context in a host namespace),
# pf= (the host's PF netdev), hold=1 (then run iperf3 to the peer until
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
	iperf3 -c "$(arg peer)" -t 900 -i 2 > /tmp/iperf.log 2>&1 &
	wait_for 60 grep -q 'sec .*bits/sec' /tmp/iperf.log
	check "iperf3 running to the peer" grep -q 'sec .*bits/sec' /tmp/iperf.log
	echo "GUEST-HOLDING"
	wait
	# Only reached if iperf3 stopped before the host killed the guest.
	echo "iperf3 ended early:"
	cat /tmp/iperf.log
	GUEST_FAILED=1
fi
exit $GUEST_FAILED
