#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The benchmark's main lab boot (make bench): the whole CDNA stack against
# the stock drivers of the lab kernel, side by side in one boot.
#
# Usage (inside the lab VM): bench/stack.sh [ROUNDS [SECS [BUDGET_S]]]
#
# A "block" loads one PF driver, makes 7 contexts (VFs) with their admin
# MACs, puts each on the block's own VF driver in its own namespace nI
# (vfI, 198.18.0.I+1/24), and measures everything once:
#   - ring: all 7 contexts at once, context I sending TCP to I+1 mod 7;
#     per-context receive rates over one window read from the netdev
#     counters, their sum against one pair's over the same kind of window,
#     Jain's fairness index; then again with max_tx_rate on contexts 0-2
#   - whole stack and VF driver alone: pair n0->n1 on the block's VF
#     driver, then n5->n6 rebound to the other VF driver: TCP, 64-byte UDP
#     packets per second delivered and loss, ping, CPU per packet
#   - the PF's own netdev to the virtio-net peer at the wire's far end
#   - control path: mailbox round trips (ip link set address on a trusted
#     VF: the VF driver's request, the PF's reply), VF FLR to traffic,
#     admin MAC change to traffic, and with cdna_pf the guard's scrub
#     (vmm_guard, IOMMU mode) against vfio-pci's release on igb
# The "cdna" block is cdna_pf with cdna_vf, the "stock" block the in-tree
# igb with igbvf.  Swapping the PF driver means tearing the contexts down,
# so the drivers alternate by block, not by measurement: the rounds go
# cdna stock | stock cdna | cdna stock ..., so that drift in the machine
# falls on both sides alike.  Rounds stop early when the next would not
# fit BUDGET_S (default 840 s) of this script's time.
source /src/tests/lib.sh
source /src/bench/lib.sh

ROUNDS=${1:-3}
SECS=${2:-3}
BUDGET=${3:-840}
PF=$(pf_dev)
N=7
PEER_IP=198.19.0.2
PF_IP=198.19.0.1
RATE=30			# max_tx_rate (Mbit/s) of the limited contexts
LIMITED="0 1 2"
STOCK_MAC_FAILED=	# igb tells igbvf nothing: measured once, then noted

mac_of() { printf '02:cd:be:00:00:%02x' "$1"; }
ip_of() { echo "198.18.0.$(($1 + 1))"; }

cleanup()
{
	local p

	vfio_drop
	for p in /tmp/iperf-*.pid; do
		[ -f "$p" ] && kill "$(cat "$p")" 2>/dev/null
	done
	ip -all netns delete 2>/dev/null
}
trap cleanup EXIT

need pf iperf3 cdna_pf cdna_vf vfio-open
: > "$RAW"
: > "$NOTES"

# iperf_server NS: an iperf3 daemon in NS (its pid in /tmp/iperf-NS.pid).
iperf_server()
{
	in_ns "$1" iperf3 -s -D -I "/tmp/iperf-$1.pid" > /dev/null 2>&1
}

iperf_server_stop()
{
	[ -f "/tmp/iperf-$1.pid" ] || return 0
	kill "$(cat "/tmp/iperf-$1.pid")" 2>/dev/null
	rm -f "/tmp/iperf-$1.pid"
}

# into_ns VF I: VF's netdev into namespace nI (made if need be) as vfI
# with its address, up.
into_ns()
{
	local vf=$1 i=$2 dev

	busy_wait 20 has_netdev "$vf" || return 1
	dev=$(pci_netdev "$vf")
	[ -e "/run/netns/n$i" ] || { ip netns add "n$i"; ns_no_ipv6 "n$i"; in_ns "n$i" ip link set lo up; }
	ip link set "$dev" netns "n$i" name "vf$i" || return 1
	in_ns "n$i" ip addr add "$(ip_of "$i")/24" dev "vf$i"
	in_ns "n$i" ip link set "vf$i" up
}

# vf_bind DRIVER I: context I on DRIVER (cdna_vf or igbvf, the latter
# until it has the admin MAC), into its namespace.
vf_bind()
{
	case $1 in
	cdna_vf) cdna_vf_bind "${VF[$2]}" || return 1 ;;
	igbvf) IGBVF_TRIES=5 bind_igbvf "${VF[$2]}" "$(mac_of "$2")" || return 1 ;;
	esac
	into_ns "${VF[$2]}" "$2"
}

# vf_unbind I: context I's driver let go of it (its netdev leaves nI).
vf_unbind()
{
	local d=/sys/bus/pci/devices/${VF[$1]}

	[ -e "$d/driver" ] && echo "${VF[$1]}" > "$d/driver/unbind"
	echo > "$d/driver_override"
}

pair_pings()
{
	busy_wait 60 carrier_up "n$1" "vf$1" && busy_wait 60 carrier_up "n$2" "vf$2" &&
		busy_wait 60 in_ns "n$1" ping -c 1 -W 1 -q "$(ip_of "$2")" > /dev/null 2>&1
}

# rx_bytes_all: "I BYTES" for every context namespace, one line each.
rx_bytes_all()
{
	local i

	for ((i = 0; i < N; i++)); do
		echo "$i $(in_ns "n$i" cat "/sys/class/net/vf$i/statistics/rx_bytes" 2>/dev/null)"
	done
}

# window SENDERS...: TCP from each nI of SENDERS to n(I+1 mod 7) at once,
# for $SECS s after 2 s of ramp-up; prints "I MBITS" for each receiver.
window()
{
	local pids=() i a b t0 t1 s

	for i in "$@"; do
		in_ns "n$i" timeout $((SECS + 40)) iperf3 -c "$(ip_of $(((i + 1) % N)))" \
			-t $((SECS + 6)) -f m > "/tmp/ring-$i.log" 2>&1 &
		pids+=($!)
	done
	sleep 2
	t0=$(now); a=$(rx_bytes_all)
	sleep "$SECS"
	t1=$(now); b=$(rx_bytes_all)
	wait "${pids[@]}"
	s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')
	# (The lab's /dev has no /dev/fd for <(...).)
	echo "$a" > /tmp/window.a
	echo "$b" > /tmp/window.b
	for i in "$@"; do
		i=$(((i + 1) % N))
		paste /tmp/window.a /tmp/window.b | awk -v i="$i" -v s="$s" \
			'$1 == i && $2 != "" && $4 != "" { printf "%d %.1f\n", i, ($4 - $2) * 8 / s / 1e6 }'
	done
	# The clients' own words, for a context that got nothing.
	for i in "$@"; do
		grep -q receiver "/tmp/ring-$i.log" ||
			note "${WTAG:-window} round $ROUND: iperf3 from n$i: $(grep -iE 'error|unable' "/tmp/ring-$i.log" | head -n 1)" >&2
	done
}

# ring SIDE: the 7-context figures of one block.
ring()
{
	local side=$1 out one all i v sum others limsum free4

	WTAG="ring $side"
	out=$(window 0)
	one=$(echo "$out" | awk '{ print $2 }')
	rec ring pair_window_mbps "$side" "$one"
	out=$(window 0 1 2 3 4 5 6)
	echo "$out" | sed 's/^/    ring: ctx /'
	[ "$(echo "$out" | grep -c .)" = $N ] || { note "ring $side round $ROUND: not every context received: $(echo $out)"; return; }
	all=$(echo "$out" | awk '{ print $2 }')
	sum=$(echo "$all" | awk '{ s += $1 } END { printf "%.1f\n", s }')
	rec ring agg_mbps "$side" "$sum"
	rec ring jain "$side" "$(jain $all)"
	[ -n "$one" ] && rec ring agg_over_pair "$side" "$(awk -v a="$sum" -v b="$one" 'BEGIN { printf "%.3f\n", a / b }')"
	while read -r i v; do
		rec ring "ctx${i}_mbps" "$side" "$v"
	done <<< "$out"
	# What the receivers of the unlimited senders 3-6 got without limits.
	free4=$(echo "$out" | awk '$1 < 1 || $1 > 3 { s += $2 } END { printf "%.1f\n", s }')

	# max_tx_rate on contexts 0-2: what do they and the others get?
	for i in $LIMITED; do
		ip link set "$DEV" vf "$i" max_tx_rate $RATE 2>/dev/null ||
			{ note "ring $side: ip link set vf $i max_tx_rate $RATE refused"; return; }
	done
	WTAG="rate ring $side"
	out=$(window 0 1 2 3 4 5 6)
	for i in $LIMITED; do
		ip link set "$DEV" vf "$i" max_tx_rate 0
	done
	echo "$out" | sed "s/^/    ring, ctx 0-2 at $RATE Mbit\/s: ctx /"
	[ "$(echo "$out" | grep -c .)" = $N ] || { note "rate ring $side round $ROUND: not every context received"; return; }
	# Receiver I+1 got what sender I sent.
	limsum=$(echo "$out" | awk '$1 >= 1 && $1 <= 3 { s += $2 } END { printf "%.1f\n", s / 3 }')
	others=$(echo "$out" | awk '$1 < 1 || $1 > 3 { s += $2 } END { printf "%.1f\n", s }')
	rec rate limited_mean_mbps "$side" "$limsum"
	rec rate others_agg_mbps "$side" "$others"
	rec rate others_gain "$side" "$(awk -v a="$others" -v b="$free4" 'BEGIN { if (b > 0) printf "%.3f\n", a / b }')"
	rec rate jain_others "$side" "$(jain $(echo "$out" | awk '$1 < 1 || $1 > 3 { print $2 }'))"
}

# pf_own SIDE: the PF's own netdev to the peer and back.
pf_own()
{
	local side=$1 u

	ip addr add "$PF_IP/24" dev "$DEV"
	busy_wait 15 grep -qx 1 "/sys/class/net/$DEV/carrier" &&
		busy_wait 30 ping -c 1 -W 1 -q "$PEER_IP" > /dev/null 2>&1 ||
		{ note "pf_own $side round $ROUND: the PF does not reach the peer"; return; }
	rec pf tcp_tx_mbps "$side" "$(timeout $((SECS + 30)) iperf3 -c $PEER_IP -t "$SECS" -f m 2>&1 |
		awk '/receiver/ { for (i = 2; i <= NF; i++) if ($i == "Mbits/sec") print $(i - 1) }')"
	rec pf tcp_rx_mbps "$side" "$(timeout $((SECS + 30)) iperf3 -c $PEER_IP -R -t "$SECS" -f m 2>&1 |
		awk '/receiver/ { for (i = 2; i <= NF; i++) if ($i == "Mbits/sec") print $(i - 1) }')"
	u=$(timeout $((SECS + 30)) iperf3 -c $PEER_IP -u -l 18 -b 0 -t "$SECS" 2>&1 |
		awk -v s="$SECS" '/receiver/ { for (i = 1; i <= NF; i++)
			if ($i ~ /^[0-9]+\/[0-9]+$/) { split($i, b, "/")
				printf "%d %.2f\n", (b[2] - b[1]) / s, b[2] ? 100 * b[1] / b[2] : 0 } }')
	rec pf udp64_pps "$side" "${u% *}"
	rec pf udp64_loss_pct "$side" "${u#* }"
	rec pf ping_ms "$side" "$(ping -c 20 -i 0.05 -W 2 -q $PEER_IP 2>/dev/null | awk -F/ '/^rtt/ { print $5 }')"
}

# mbx_rtt SIDE: 20 MAC changes of trusted context 0 in one ip process,
# alternating between two addresses that are not its own: each is a
# SET_MAC request on the mailbox that waits for the PF's reply (igb
# accepts them from a trusted VF; cdna_pf refuses a change of an address
# the host set, trusted or not: a NACK is a reply all the same).
mbx_rtt()
{
	local side=$1 i t0 t n b=/tmp/mbx.batch

	ip link set "$DEV" vf 0 trust on 2>/dev/null || note "control $side: trust on refused"
	: > $b
	for i in $(seq 1 10); do
		echo "link set dev vf0 address 02:cd:be:00:10:00" >> $b
		echo "link set dev vf0 address 02:cd:be:00:10:01" >> $b
	done
	t0=$(now)
	in_ns n0 ip -force -batch $b > /tmp/mbx.out 2>&1
	t=$(since "$t0")
	n=$(grep -c 'Command failed' /tmp/mbx.out)
	[ "$n" -gt 0 ] && [ "$ROUND" = 1 ] &&
		note "control $side: the PF refused $n of the 20 MAC changes: $(grep -v 'Command failed' /tmp/mbx.out | sort -u | head -n 1)"
	in_ns n0 ip link set dev vf0 address "$(mac_of 0)"
	rec control mbx_rtt_ms "$side" "$(awk -v t="$t" 'BEGIN { printf "%.2f\n", t * 1000 / 20 }')"
	rec control mbx_refused "$side" "$n"
}

# flr_to_traffic SIDE: FLR of context 1, until n0 reaches it again.
flr_to_traffic()
{
	local side=$1 t0 t

	pair_pings 0 1 || { note "control $side: no ping n0->n1 before the FLR"; return; }
	t0=$(now)
	echo 1 > "/sys/bus/pci/devices/${VF[1]}/reset"
	t=$(ping_until n0 "$(ip_of 1)" 20 "$t0")
	if [ -n "$t" ]; then
		rec control flr_to_traffic_s "$side" "$t"
	else
		note "control $side round $ROUND: no traffic to context 1 within 20 s of its FLR"
	fi
}

# admin_mac SIDE: the host changes context 3's MAC; until n2 reaches it.
admin_mac()
{
	local side=$1 t0 t

	if [ "$side" = stock ] && [ -n "$STOCK_MAC_FAILED" ]; then
		note "control stock round $ROUND: admin MAC change not measured again (failed in round $STOCK_MAC_FAILED)"
		return
	fi
	pair_pings 2 3 || { note "control $side: no ping n2->n3 before the MAC change"; return; }
	t0=$(now)
	ip link set "$DEV" vf 3 mac 02:cd:be:00:20:03
	in_ns n2 ip neigh flush all
	t=$(ping_until n2 "$(ip_of 3)" 20 "$t0")
	if [ -n "$t" ]; then
		rec control admin_mac_to_traffic_s "$side" "$t"
	else
		note "control $side round $ROUND: no traffic to context 3 within 20 s of an admin MAC change (VF MAC: $(in_ns n3 cat /sys/class/net/vf3/address))"
		[ "$side" = stock ] && STOCK_MAC_FAILED=$ROUND
	fi
}

# release SIDE: context 4 given to a VFIO user and released, twice: the
# wall time of the release (the VMM's exit, which closes the device), and
# with cdna_pf the guard's own scrub time (ledger last_scrub_us).
release()
{
	local side=$1 drv=vfio-pci k t0 L=/sys/bus/pci/devices/${VF[4]}/guard

	vf_unbind 4
	if [ "$side" = cdna ]; then
		[ -d /sys/module/vmm_guard ] || load_guard || { note "control: vmm_guard does not load"; return; }
		drv=vmm_guard
	else
		modprobe vfio_iommu_type1; modprobe vfio-pci || { note "control: vfio-pci does not load"; return; }
	fi
	bind_driver "${VF[4]}" $drv || { note "control $side: $drv does not take context 4"; return; }
	for k in 1 2; do
		vfio_hold "${VF[4]}" || { note "control $side: vfio-open cannot open context 4: $(cat "$HOLDER_OUT")"; vfio_drop; break; }
		t0=$(now)
		vfio_drop
		rec control release_ms "$side" "$(awk -v t="$(since "$t0")" 'BEGIN { printf "%.1f\n", t * 1000 }')"
		if [ $drv = vmm_guard ]; then
			busy_wait 20 grep -qx free "$L/state" || note "control: context 4 not free after release: $(cat "$L/state")"
			rec control scrub_iommu_ms "$side" "$(awk -v u="$(cat "$L/last_scrub_us")" 'BEGIN { printf "%.1f\n", u / 1000 }')"
		fi
	done
	vf_unbind 4
}

# block SIDE: one PF driver's block of measurements.
block()
{
	local side=$1 pfd=cdna_pf own=cdna_vf other=igbvf i macs=() first second t0

	[ "$side" = stock ] && { pfd=igb; own=igbvf; other=cdna_vf; }
	echo "== round $ROUND: $side ($pfd + $own) at $(elapsed)s"
	t0=$(now)
	pf_up $pfd
	for ((i = 0; i < N; i++)); do
		macs+=("$(mac_of $i)")
	done
	vfs_make $N "${macs[@]}" || { note "$side round $ROUND: cannot make $N VFs"; block_end $pfd; return; }
	for ((i = 0; i < N; i++)); do
		vf_bind $own $i || note "$side round $ROUND: $own did not take context $i"
	done
	for ((i = 0; i < N; i++)); do
		iperf_server "n$i"
	done
	for ((i = 0; i < N; i++)); do
		busy_wait 60 carrier_up "n$i" "vf$i" || note "$side round $ROUND: context $i has no carrier"
	done
	pair_pings 0 1 || note "$side round $ROUND: n0 does not reach n1"
	for ((i = 1; i < N; i++)); do
		busy_wait 30 in_ns "n$i" ping -c 1 -W 1 -q "$(ip_of $(((i + 1) % N)))" > /dev/null 2>&1 ||
			note "$side round $ROUND: n$i does not reach n$(((i + 1) % N))"
	done
	rec setup setup_s "$side" "$(since "$t0")"

	ring "$side"

	# The whole stack (n0->n1, own VF driver) and the VF driver alone
	# (n5->n6 on the other one); their order alternates by round.
	vf_unbind 5; vf_unbind 6
	vf_bind $other 5 && vf_bind $other 6 && pair_pings 5 6 || note "$side round $ROUND: $other pair n5-n6 not up"
	if [ $((ROUND % 2)) = 1 ]; then first=own; second=other; else first=other; second=own; fi
	for i in $first $second; do
		# The own pair's figures are also the VF driver's on this
		# PF (bench/report.sh reads them from section "whole").
		if [ $i = own ]; then
			pair_run whole "$side" n0 n1 "$(ip_of 1)" cpu
		else
			pair_run "vf_$pfd" "$other" n5 n6 "$(ip_of 6)"
		fi
	done

	pf_own "$side"
	mbx_rtt "$side"
	flr_to_traffic "$side"
	admin_mac "$side"
	release "$side"
	block_end $pfd
	rec setup block_s "$side" "$(since "$t0")"
}

block_end()
{
	local i

	for ((i = 0; i < N; i++)); do
		iperf_server_stop "n$i"
		ip netns del "n$i" 2>/dev/null
	done
	echo 0 > "/sys/bus/pci/devices/$PF/sriov_numvfs"
	[ -d /sys/module/vmm_guard ] && rmmod vmm_guard
	rmmod "$1" || note "rmmod $1 failed"
	sleep 1
}

modprobe igbvf || fail_all "no igbvf"
insmod "$VF_KO" || fail_all "insmod cdna_vf failed"
peer_ns $PEER_IP noipv6 || fail_all "no virtio-net peer"
in_ns peer iperf3 -s -D -I /tmp/iperf-peer.pid || fail_all "no iperf3 server at the peer"
echo "iperf3: $(iperf3 --version | head -n1)"
echo "kernel: $(uname -r)"
echo "rounds $ROUNDS, $SECS s a measurement, budget ${BUDGET}s"

r_start=$(elapsed)
for ((ROUND = 1; ROUND <= ROUNDS; ROUND++)); do
	r0=$(elapsed)
	if [ $((ROUND % 2)) = 1 ]; then
		block cdna; block stock
	else
		block stock; block cdna
	fi
	took=$(( $(elapsed) - r0 ))
	echo "== round $ROUND took ${took}s"
	if [ $ROUND -lt "$ROUNDS" ] && [ $(( $(elapsed) + took )) -gt "$BUDGET" ]; then
		note "stopped after round $ROUND of $ROUNDS: another (${took}s) would pass the ${BUDGET}s budget"
		break
	fi
done
echo "== done at $(elapsed)s"
exit 0
