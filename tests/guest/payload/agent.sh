#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Guest payload for guests that libvirt manages: load the context driver,
# then, for as long as the guest runs, bring up every context NIC that
# appears (at boot or hot-plugged) and report the ones that go away.
#
# A NIC whose MAC is 52:54:00:cd:NN:HH takes the address 198.18.NN.HH
# (decimal of the hex bytes) and pings the host at 198.18.NN.1, then the
# peer= address if one was given.  Every report is one line on the
# console, which the lab VM side reads:
#   GUEST-NIC-SEEN DEV MAC t=UPTIME
#   GUEST-NIC-UP DEV MAC ok|nocarrier|noping|nopeer t=UPTIME rx=N tx=N
#                ethtool: KEY=VAL...
#   GUEST-NIC-GONE DEV MAC t=UPTIME
# Arguments: driver= (default cdna_vf), peer=, count= (pings, default 20).
ARGS="$*"
. /guest-lib.sh

drv=$(arg driver) || drv=cdna_vf
count=$(arg count) || count=20
peer=$(arg peer)
insmod "/lib/modules/$drv.ko" || { echo "GUEST-ERROR insmod $drv"; exit 1; }

# hex2dec HH
hex2dec()
{
	printf '%d' "0x$1"
}

nic_stats()
{
	local dev=$1

	echo "rx=$(cat "/sys/class/net/$dev/statistics/rx_packets")" \
	     "tx=$(cat "/sys/class/net/$dev/statistics/tx_packets")" \
	     "ethtool: $(ethtool -S "$dev" 2>/dev/null | awk -F': *' 'NR > 1 {
			gsub(/^ +/, "", $1); printf "%s=%s ", $1, $2 }')"
}

carrier_or_gone()
{
	grep -qs 1 "/sys/class/net/$1/carrier" || ! test -e "/sys/class/net/$1"
}

uptime_s()
{
	cut -d' ' -f1 /proc/uptime
}

nic_up()
{
	local dev=$1 mac=$2 net host ok=ok

	net=$(hex2dec "$(echo "$mac" | cut -d: -f5)")
	host=$(hex2dec "$(echo "$mac" | cut -d: -f6)")
	ip addr add "198.18.$net.$host/24" dev "$dev"
	ip link set "$dev" up
	wait_for 60 carrier_or_gone "$dev"
	grep -qs 1 "/sys/class/net/$dev/carrier" || ok=nocarrier
	# -I: with several NICs on one subnet the route could pick another.
	ping -q -I "$dev" -c "$count" -i 0.2 -W 5 "198.18.$net.1" > /tmp/ping.log 2>&1 ||
		ok=noping
	if [ -n "$peer" ] && [ $ok = ok ]; then
		wait_for 120 ping -q -I "$dev" -c 1 -W 2 "$peer" > /dev/null 2>&1 ||
			ok=nopeer
		ping -q -I "$dev" -c "$count" -i 0.2 -W 5 "$peer" > /dev/null 2>&1 ||
			ok=nopeer
	fi
	echo "GUEST-NIC-UP $dev $mac $ok t=$(uptime_s) $(nic_stats "$dev")"
}

up=""
while true; do
	now=""
	for d in /sys/class/net/eth*; do
		[ -e "$d" ] || continue
		dev=$(basename "$d")
		# It may be going away right now.
		mac=$(cat "$d/address" 2>/dev/null) || continue
		key="$dev/$mac"
		now="$now $key"
		case " $up " in *" $key "*) continue ;; esac
		echo "GUEST-NIC-SEEN $dev $mac t=$(uptime_s)"
		nic_up "$dev" "$mac"
	done
	for key in $up; do
		case " $now " in *" $key "*) continue ;; esac
		echo "GUEST-NIC-GONE ${key%/*} ${key#*/} t=$(uptime_s)"
	done
	up=$now
	sleep 0.5
done
