#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Benchmark, inside the lab VM (run with `make bench`): cdna_vf against the
# in-tree igbvf on the same PF (cdna_pf), side by side in one run.  Two
# contexts per driver, each pair in two namespaces; for each driver: TCP
# throughput (iperf3), 64-byte UDP packets per second (iperf3, 18-byte
# payload), ping round-trip time.  Rounds alternate the drivers, so the
# machine's noise falls on both; the ratios are what this prints.
# Absolute figures are TCG figures and mean little on their own.
source /src/tests/lib.sh

ROUNDS=${ROUNDS:-3}
SECS=${SECS:-5}
PF=$(pf_dev)
DRV=(cdna_vf igbvf)

insmod "$KMOD/cdna-pf/cdna_pf.ko" || exit 1
busy_wait 20 has_netdev "$PF" || exit 1
PFNET=$(pci_netdev "$PF")
ip link set "$PFNET" up
echo 0 > "/sys/bus/pci/devices/$PF/sriov_drivers_autoprobe"
set_numvfs "$PF" 4 || exit 1
insmod "$KMOD/cdna-vf/cdna_vf.ko" || exit 1
modprobe igbvf || exit 1

# setup_pair D VF_A VF_B: driver DRV[D] on two contexts, in netns dD-a/-b.
setup_pair()
{
	local d=$1 i vf dev ns try mac

	for i in 0 1; do
		vf=$(vf_dev "$PF" $((2 * d + i)))
		mac=52:54:00:be:0$d:0$i
		ip link set "$PFNET" vf $((2 * d + i)) mac "$mac"
		# igbvf's handshake may lose to TCG stalls: bounded reloads.
		for try in 1 2 3; do
			echo "${DRV[$d]}" > "/sys/bus/pci/devices/$vf/driver_override"
			echo "$vf" > /sys/bus/pci/drivers_probe
			busy_wait 60 has_netdev "$vf"
			dev=$(pci_netdev "$vf")
			[ "$(cat /sys/class/net/$dev/address 2>/dev/null)" = "$mac" ] && break
			echo "${DRV[$d]} on $vf: no handshake (try $try), rebinding"
			echo "$vf" > "/sys/bus/pci/devices/$vf/driver/unbind"
		done
		ns=d$d-$i
		ip netns add "$ns"
		ip link set "$dev" netns "$ns"
		in_ns "$ns" ip link set lo up
		in_ns "$ns" ip addr add "198.18.$d.$((i + 1))/24" dev "$dev"
		in_ns "$ns" ip link set "$dev" up
	done
	in_ns "d$d-1" iperf3 -s -D
	busy_wait 60 in_ns "d$d-0" ping -c 1 -W 1 "198.18.$d.2" > /dev/null ||
		{ echo "${DRV[$d]}: pair does not ping"; exit 1; }
}

# Receiver-side rate of an iperf3 run, in Mbit/s.
tcp_mbps()
{
	in_ns "d$1-0" iperf3 -c "198.18.$1.2" -t "$SECS" |
		awk '/receiver/ { for (i = 2; i <= NF; i++) if ($i ~ /bits\/sec$/) {
			v = $(i - 1); u = substr($i, 1, 1)
			print (u == "G" ? v * 1000 : u == "K" ? v / 1000 : v) } }'
}

# Packets per second the receiver got, 18-byte payloads (64-byte frames).
udp_pps()
{
	in_ns "d$1-0" iperf3 -c "198.18.$1.2" -u -l 18 -b 0 -t "$SECS" |
		awk -v s="$SECS" '/receiver/ { for (i = 1; i <= NF; i++)
			if ($i ~ /^[0-9]+\/[0-9]+$/) { split($i, b, "/"); print int((b[2] - b[1]) / s) } }'
}

ping_ms()
{
	in_ns "d$1-0" ping -c 20 -i 0.05 -q "198.18.$1.2" |
		awk -F/ '/rtt|round-trip/ { print $5 }'
}

setup_pair 0
setup_pair 1
res=$(mktemp)
for r in $(seq 1 "$ROUNDS"); do
	for d in 0 1; do
		t=$(tcp_mbps $d); u=$(udp_pps $d); p=$(ping_ms $d)
		printf 'round %d %-8s tcp %8s Mbit/s  udp64 %8s pkt/s  ping %8s ms\n' \
			"$r" "${DRV[$d]}" "$t" "$u" "$p"
		echo "$d ${t:-0} ${u:-0} ${p:-0}" >> "$res"
	done
done
echo
awk -v n="$ROUNDS" '
	{ t[$1] += $2; u[$1] += $3; p[$1] += $4 }
	function row(label, a, b) { printf "%-28s %12.1f %12.1f %8.2f\n", label, a / n, b / n, b ? a / b : 0 }
	END {
		printf "%-28s %12s %12s %8s\n", "mean of " n " rounds", "cdna_vf", "igbvf", "ratio"
		row("TCP Mbit/s (higher better)", t[0], t[1])
		row("UDP 64B pkt/s (higher)", u[0], u[1])
		row("ping ms (lower better)", p[0], p[1])
	}' "$res"
