#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The protection-strategy benchmark, inside one lab boot (make
# bench-strategies, bench/strategies.sh): one context (VF0), one client
# program, every protection mode the boot offers, in alternating rounds.
#
# Usage (inside the lab VM): bench/strat.sh [BOOT [ROUNDS [SECS [KMODDIR]]]]
#   BOOT iommu    the lab VM with VT-d (the default): the sides are
#                 iommu      VF0 on vmm_guard (IOMMU mode, all client memory
#                            mapped through VFIO type1: the direct map),
#                            BAR0 mmapped into the client (SWC_BAR0=mmap):
#                            register accesses do not trap, as in a VM
#                 iommu-rw   the same, BAR0 through pread/pwrite: every
#                            register access a system call, as sw mode's
#                            are (the cost of trapping alone)
#                 per-desc   VF0 on vmm_guard_sw, its mdev, guard/strategy
#                            per-desc; the guard's DMA API mappings go
#                            through the (emulated) IOMMU
#                 cache      the same with guard/strategy cache
#                 per-desc-pt, cache-pt
#                            the same with VF0's IOMMU group on an identity
#                            default domain (the IOMMU bypassed: the
#                            guard's DMA API mappings are direct, as on a
#                            host without one), in the same boot
#   BOOT noiommu  a lab VM without IOMMU (bench/strat-noiommu.sh): per-desc
#                 and cache only (vmm_guard refuses IOMMU mode there)
# The client is bench/swc (tests/tools/sw-client compiled unchanged, with
# BAR0 counting and the IOMMU-mode path) for every side; its peer is
# context 1 on cdna_vf in namespace "peer".  For each side, each round:
#   serve    ping round trip (peer -> client), then 64-byte UDP from the
#            peer (sw-client udp-send, unpaced) for SECS s: datagrams the
#            client received and checked, per second; host CPU per packet
#   serve    the same with 1472-byte datagrams: goodput, Mbit/s
#   blast    the client sends 64-byte frames (one tail write each) for
#            SECS s to udp-recv in the peer: datagrams delivered per
#            second; host CPU per packet
#   blast    the same with 1472-byte datagrams: goodput, Mbit/s
# and, from the client's counters (SIGUSR1 at the window's edges), its
# BAR0 accesses per packet (in software mode: traps into the guard), the
# mean time of one, of a tail write, and the share of the window spent in
# them; from the ledger, descriptors validated per packet.  At the end,
# bench/swring's engine figures, here under TCG.
source /src/tests/lib.sh
source /src/bench/lib.sh

BOOT=${1:-iommu}
ROUNDS=${2:-4}
SECS=${3:-3}
# The modules: those of build/bench/head/kmod (bench/strategies.sh builds
# the committed tree there) or, by default, the work tree's.
KMOD=/src/${4:-kmod}
PF_KO=$KMOD/cdna-pf/cdna_pf.ko
VF_KO=$KMOD/cdna-vf/cdna_vf.ko
PF=$(pf_dev)
SWC=/src/build/bench/swc-bench
MAC=(02:cd:be:00:08:01 02:cd:be:00:08:02)
IP_CTX=198.18.8.1
IP_PEER=198.18.8.2
UUID=$(cat /proc/sys/kernel/random/uuid)
CLIENT=
RECV=
SEC=strat

cleanup()
{
	[ -n "$CLIENT" ] && kill -9 "$CLIENT" 2>/dev/null
	[ -n "$RECV" ] && kill -9 "$RECV" 2>/dev/null
	sleep 0.5
	[ -e "/sys/bus/mdev/devices/$UUID" ] && echo 1 > "/sys/bus/mdev/devices/$UUID/remove"
	ip -all netns delete 2>/dev/null
}
trap cleanup EXIT

need pf cdna_pf cdna_vf vmm_guard
[ -x "$SWC" ] || skip_all "build/bench/swc-bench not built (make -C bench/swc)"
: > "$RAW"
: > "$NOTES"

case $BOOT in
iommu) SIDES=(iommu iommu-rw per-desc cache per-desc-pt cache-pt) ;;
noiommu) SIDES=(per-desc cache) ;;
*) fail_all "unknown boot $BOOT" ;;
esac

pf_up cdna_pf
vfs_make 2 "${MAC[@]}" || fail_all "cdna_pf cannot make 2 contexts"
modprobe vfio && modprobe vfio_iommu_type1 && modprobe mdev || fail_all "no VFIO modules"
load_guard || fail_all "vmm_guard does not load"
cdna_vf_bind "${VF[1]}" || fail_all "cdna_vf does not take context 1"
vf_into_ns "${VF[1]}" peer vf1 $IP_PEER noipv6 || fail_all "context 1 not in peer"
busy_wait 60 carrier_up peer vf1 || fail_all "peer has no carrier"
CTX=${VF[0]}
L=/sys/bus/pci/devices/$CTX/guard
echo "boot $BOOT, rounds $ROUNDS, $SECS s a measurement; context $CTX; iommu: $(ls /sys/class/iommu 2>/dev/null | tr '\n' ' ')"
echo "kernel: $(uname -r)"
echo "modules: $KMOD"
echo "cpus: $(nproc)"

# domain TYPE: VF0's IOMMU group's default domain (DMA or identity: what
# the DMA API of a kernel driver of VF0 goes through), VF0 unbound first
# when it must change; nothing where VF0 has no IOMMU group.
domain()
{
	local t=/sys/bus/pci/devices/$CTX/iommu_group/type d=/sys/bus/pci/devices/$CTX

	[ -e "$t" ] || return 0
	[ "$(cat "$t")" = "$1" ] && return 0
	[ -e "/sys/bus/mdev/devices/$UUID" ] && echo 1 > "/sys/bus/mdev/devices/$UUID/remove"
	[ -e "$d/driver" ] && echo "$CTX" > "$d/driver/unbind"
	CUR=
	echo "$1" > "$t" || { note "cannot set $CTX's IOMMU group to $1"; return 1; }
	echo "    $CTX: IOMMU group default domain $(cat "$t")"
}

# mode SIDE: VF0 ready for SIDE; sets DEVNAME (what the client opens) and
# BAR (SWC_BAR0).
CUR=
mode()
{
	local want dom

	case $1 in
	iommu | iommu-rw)
		domain DMA || return 1
		if [ "$CUR" != iommu ]; then
			[ -e "/sys/bus/mdev/devices/$UUID" ] && echo 1 > "/sys/bus/mdev/devices/$UUID/remove"
			bind_driver "$CTX" vmm_guard || { note "$1: vmm_guard does not take $CTX"; return 1; }
			CUR=iommu
		fi
		DEVNAME=$CTX
		BAR=rw
		[ "$1" = iommu ] && BAR=mmap
		;;
	per-desc | cache | per-desc-pt | cache-pt)
		want=sw; dom=DMA
		case $1 in *-pt) want=sw-pt; dom=identity ;; esac
		domain $dom || return 1
		if [ "$CUR" != $want ]; then
			[ -e "/sys/bus/mdev/devices/$UUID" ] && echo 1 > "/sys/bus/mdev/devices/$UUID/remove"
			bind_driver "$CTX" vmm_guard_sw || { note "$1: vmm_guard_sw does not take $CTX"; return 1; }
			echo "$UUID" > "/sys/bus/pci/devices/$CTX/mdev_supported_types/vmm_guard_sw-ctx/create" ||
				{ note "$1: cannot create the mdev"; return 1; }
			CUR=$want
		fi
		echo "${1%-pt}" > "$L/strategy" || { note "$1 round $ROUND: strategy refused"; return 1; }
		DEVNAME=$UUID
		BAR=rw
		;;
	esac
	busy_wait 20 grep -qx free "$L/state" || { note "$1 round $ROUND: state $(cat "$L/state")"; return 1; }
}

# led NAME: a ledger file (0 when the mode has none).
led()
{
	cat "$L/$1" 2>/dev/null || echo 0
}

# bar_rec SIDE WHAT LOG PKTS WINDOW_S: the client's BAR0 figures between
# the last two "bar0:" lines of LOG (its SIGUSR1 lines): accesses, tail
# writes and microseconds in them per packet, the mean time of one, and
# their share of the window.
bar_rec()
{
	local side=$1 what=$2 v

	v=$(grep '^bar0:' "$3" | tail -n 2 | awk -v p="$4" -v w="$5" '
		{ for (i = 2; i <= NF; i++) { split($i, kv, "="); x[NR, kv[1]] = kv[2] } }
		END { if (NR < 2 || p <= 0) exit
			n = (x[2, "rd"] + x[2, "wr"]) - (x[1, "rd"] + x[1, "wr"])
			ns = (x[2, "rd_ns"] + x[2, "wr_ns"]) - (x[1, "rd_ns"] + x[1, "wr_ns"])
			t = x[2, "tdt"] - x[1, "tdt"]; tn = x[2, "tdt_ns"] - x[1, "tdt_ns"]
			r = x[2, "rdt"] - x[1, "rdt"]; rn = x[2, "rdt_ns"] - x[1, "rdt_ns"]
			printf "%.3f %.3f %.3f %.1f %.1f %.1f %.4f %.1f\n", n / p, t / p, r / p,
				n ? ns / n / 1000 : -1, t ? tn / t / 1000 : -1, r ? rn / r / 1000 : -1,
				(w > 0 ? ns / (w * 1e9) : -1), ns / p / 1000 }')
	[ -n "$v" ] || { note "$side $what round $ROUND: no BAR0 counters"; return; }
	set -- $v
	rec "$SEC" "${what}_bar0_per_pkt" "$side" "$1"
	rec "$SEC" "${what}_tdt_per_pkt" "$side" "$2"
	rec "$SEC" "${what}_rdt_per_pkt" "$side" "$3"
	[ "$4" != -1.0 ] && rec "$SEC" "${what}_bar0_us" "$side" "$4"
	[ "$5" != -1.0 ] && rec "$SEC" "${what}_tdt_us" "$side" "$5"
	[ "$6" != -1.0 ] && rec "$SEC" "${what}_rdt_us" "$side" "$6"
	rec "$SEC" "${what}_bar0_share" "$side" "$7"
	rec "$SEC" "${what}_bar0_us_pkt" "$side" "$8"
}

# irq_rec WHAT LOG PKTKEY IRQKEY: the client's interrupts (eventfd
# signals) per packet over its session, from its summary line.
irq_rec()
{
	local p i

	p=$(sed -n "s/^summary:.* $3=\([0-9]*\).*/\1/p" "$2" | tail -n1)
	i=$(sed -n "s/^summary:.* $4=\([0-9]*\).*/\1/p" "$2" | tail -n1)
	[ -n "$p" ] && [ -n "$i" ] &&
		rec "$SEC" "${1}_irq_per_pkt" "$SIDE" "$(awk -v p="$p" -v i="$i" 'BEGIN { if (p > 0) printf "%.3f\n", i / p }')"
}

# client_start LOG CMD...: the client (CMD's options) in the background,
# on DEVNAME with SWC_BAR0=$BAR; waits for its "ready:" line.
client_start()
{
	local log=$1

	shift
	SWC_BAR0=$BAR "$SWC" "$1" "$DEVNAME" "${@:2}" > "$log" 2>&1 &
	CLIENT=$!
	busy_wait 60 grep -q '^ready:' "$log" && return 0
	note "$SIDE round $ROUND: $1 not ready: $(tail -n 3 "$log" | tr '\n' ' ')"
	kill -9 "$CLIENT"; wait "$CLIENT"; CLIENT=
	return 1
}

client_stop()
{
	local log=$1 rc

	kill -TERM "$CLIENT"
	wait "$CLIENT"
	rc=$?
	CLIENT=
	# blast stopped by the signal says it sent fewer than --count: expected.
	[ $rc = 0 ] || [ -z "$(grep FAIL "$log" | grep -v 'FAIL: sent [0-9]* of [0-9]*$')" ] ||
		note "$SIDE round $ROUND: client exited $rc: $(grep FAIL "$log" | head -n 2 | tr '\n' ' ')"
	busy_wait 20 grep -qx free "$L/state" || note "$SIDE round $ROUND: state $(cat "$L/state") after close"
}

# rx SIZE WHAT: serve; [ping;] SIZE-byte datagrams from the peer for SECS s.
rx()
{
	local size=$1 what=$2 log=/tmp/serve.log c0 c1 v0 v1 t0 w ok sent

	client_start $log serve --ip $IP_CTX --seconds 600 || return
	busy_wait 30 in_ns peer ping -c 1 -W 1 -q $IP_CTX > /dev/null 2>&1 || note "$SIDE round $ROUND: peer cannot ping the client"
	[ "$what" = rx64 ] && rec "$SEC" ping_ms "$SIDE" "$(ping_avg peer $IP_CTX)"
	kill -USR1 "$CLIENT"
	c0=$(cpu_busy); v0=$(led descriptors_validated); t0=$(now)
	in_ns peer timeout -s TERM "$SECS" "$SWC" udp-send --dst $IP_CTX --count 100000000 --size "$size" > /tmp/send.log 2>&1
	w=$(since "$t0")
	sleep 0.3
	kill -USR1 "$CLIENT"
	c1=$(cpu_busy); v1=$(led descriptors_validated)
	sleep 0.1
	client_stop $log
	ok=$(sed -n 's/^summary:.* udp_ok=\([0-9]*\).*/\1/p' $log | tail -n1)
	sent=$(sed -n 's/^udp-send: sent=\([0-9]*\).*/\1/p' /tmp/send.log | tail -n1)
	grep -hE '^(summary|udp-send)' $log /tmp/send.log | sed 's/^/    /'
	[ -n "$ok" ] || { note "$SIDE $what round $ROUND: no summary"; return; }
	if [ "$what" = rx64 ]; then
		rec "$SEC" rx64_pps "$SIDE" "$(awk -v n="$ok" -v s="$w" 'BEGIN { printf "%d\n", n / s }')"
		rec "$SEC" rx64_cpu_us_pkt "$SIDE" "$(cpu_per_pkt "$c0" "$c1" 0 "$ok")"
	else
		rec "$SEC" rx_big_mbps "$SIDE" "$(awk -v n="$ok" -v z="$size" -v s="$w" 'BEGIN { printf "%.1f\n", n * z * 8 / s / 1e6 }')"
		rec "$SEC" rx_big_cpu_us_pkt "$SIDE" "$(cpu_per_pkt "$c0" "$c1" 0 "$ok")"
	fi
	[ -n "$sent" ] && [ "$sent" -gt 0 ] &&
		rec "$SEC" "${what}_loss_pct" "$SIDE" "$(awk -v a="$sent" -v b="$ok" 'BEGIN { printf "%.2f\n", 100 * (a - b) / a }')"
	[ "${CUR%-pt}" = sw ] && rec "$SEC" "${what}_desc_per_pkt" "$SIDE" "$(awk -v a="$v0" -v b="$v1" -v n="$ok" 'BEGIN { if (n > 0) printf "%.3f\n", (b - a) / n }')"
	irq_rec "$what" $log rx irq_rx
	bar_rec "$SIDE" "$what" $log "$ok" "$w"
}

# tx SIZE WHAT: blast SIZE-byte datagrams to udp-recv in the peer for SECS s.
tx()
{
	local size=$1 what=$2 log=/tmp/blast.log c0 c1 v0 v1 t0 w ok ms sent

	ip netns exec peer "$SWC" udp-recv --count 100000000 --size "$size" --seconds $((SECS + 60)) > /tmp/recv.log 2>&1 &
	RECV=$!
	busy_wait 20 grep -q '^ready:' /tmp/recv.log || { note "$SIDE $what round $ROUND: udp-recv did not start"; kill -9 $RECV; RECV=; return; }
	client_start $log blast --dst "${MAC[1]}" --ip $IP_CTX --dst-ip $IP_PEER --count 100000000 --size "$size" ||
		{ kill -9 $RECV; wait $RECV; RECV=; return; }
	kill -USR1 "$CLIENT"
	c0=$(cpu_busy); v0=$(led descriptors_validated); t0=$(now)
	sleep "$SECS"
	kill -USR1 "$CLIENT"
	w=$(since "$t0")
	client_stop $log
	c1=$(cpu_busy); v1=$(led descriptors_validated)
	sleep 0.3
	kill -TERM $RECV
	wait $RECV
	RECV=
	ok=$(sed -n 's/^udp-recv: ok=\([0-9]*\).*/\1/p' /tmp/recv.log | tail -n1)
	sent=$(sed -n 's/^blast: sent=\([0-9]*\).*/\1/p' $log | tail -n1)
	ms=$(sed -n 's/^blast: sent=.* in \([0-9]*\) ms.*/\1/p' $log | tail -n1)
	grep -hE '^(blast|summary|udp-recv)' $log /tmp/recv.log | sed 's/^/    /'
	[ -n "$ok" ] && [ -n "$ms" ] && [ "$ms" -gt 0 ] || { note "$SIDE $what round $ROUND: no figures"; return; }
	# Sent: what the NIC transmitted for the client (every descriptor it
	# posted came back done); delivered: what the peer's socket got.
	if [ "$what" = tx64 ]; then
		rec "$SEC" tx64_sent_pps "$SIDE" "$(awk -v n="$sent" -v m="$ms" 'BEGIN { printf "%d\n", n * 1000 / m }')"
		rec "$SEC" tx64_pps "$SIDE" "$(awk -v n="$ok" -v m="$ms" 'BEGIN { printf "%d\n", n * 1000 / m }')"
	else
		rec "$SEC" tx_big_sent_mbps "$SIDE" "$(awk -v n="$sent" -v z="$size" -v m="$ms" 'BEGIN { printf "%.1f\n", n * z * 8 / m / 1e3 }')"
		rec "$SEC" tx_big_mbps "$SIDE" "$(awk -v n="$ok" -v z="$size" -v m="$ms" 'BEGIN { printf "%.1f\n", n * z * 8 / m / 1e3 }')"
	fi
	rec "$SEC" "${what}_cpu_us_pkt" "$SIDE" "$(cpu_per_pkt "$c0" "$c1" 0 "$sent")"
	irq_rec "$what" $log tx irq_tx
	[ -n "$sent" ] && [ "$sent" -gt 0 ] &&
		rec "$SEC" "${what}_loss_pct" "$SIDE" "$(awk -v a="$sent" -v b="$ok" 'BEGIN { printf "%.2f\n", 100 * (a - b) / a }')"
	[ "${CUR%-pt}" = sw ] && rec "$SEC" "${what}_desc_per_pkt" "$SIDE" "$(awk -v a="$v0" -v b="$v1" -v n="$ok" 'BEGIN { if (n > 0) printf "%.3f\n", (b - a) / n }')"
	# The window's packets: what the client sent in it, at blast's rate.
	bar_rec "$SIDE" "$what" $log "$(awk -v n="$sent" -v m="$ms" -v w="$w" 'BEGIN { printf "%d\n", n * w * 1000 / m }')" "$w"
}

side()
{
	SIDE=$1
	echo "-- $SIDE at $(elapsed)s"
	mode "$SIDE" || return
	rx 18 rx64
	rx 1472 rx_big
	tx 18 tx64
	tx 1472 tx_big
}

for ((ROUND = 1; ROUND <= ROUNDS; ROUND++)); do
	echo "== round $ROUND at $(elapsed)s"
	if [ $((ROUND % 2)) = 1 ]; then
		for ((i = 0; i < ${#SIDES[@]}; i++)); do side "${SIDES[i]}"; done
	else
		for ((i = ${#SIDES[@]} - 1; i >= 0; i--)); do side "${SIDES[i]}"; done
	fi
done

# The guard's ring engine alone, on this (TCG) CPU.
ROUND=1
if [ -x /src/bench/swring/swring-bench ]; then
	/src/bench/swring/swring-bench 3 > /tmp/swring.log 2>&1
	sed 's/^/    /' /tmp/swring.log
	while read -r a b c; do
		case "$a $b" in
		"rx validate") rec swring rx_validate_ns "tcg-$BOOT" "$c" ;;
		"tx validate") rec swring tx_validate_ns "tcg-$BOOT" "$c" ;;
		"rx post+complete") rec swring rx_post_ns "tcg-$BOOT" "$c" ;;
		"tx post+complete") rec swring tx_post_ns "tcg-$BOOT" "$c" ;;
		esac
	done < /tmp/swring.log
else
	note "bench/swring/swring-bench not built: no engine figures under TCG"
fi
echo "== done at $(elapsed)s"
exit 0
