#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The benchmark's second lab boot (make bench), on a host with no IOMMU:
# the guard's software mode.  Context 0 is bound to vmm_guard_sw and its
# mediated device driven by tests/tools/sw-client serve (a userspace VMM
# and VF driver in one: it answers ARP and ping, counts UDP datagrams);
# context 1 is cdna_vf in namespace snd, the sender; context 2 cdna_vf in
# namespace rcv, the IOMMU-less baseline (a context with no protection on
# its data path).  Each round, in alternating order: the baseline
# (snd->rcv), then sw mode with guard/strategy per-desc and cache
# (snd->mdev): ping round trip, 64-byte UDP datagrams delivered per
# second (sw-client udp-send at full speed for SECS s), how long the
# session took to open (sw-client start to its "ready"), and the guard's
# scrub when the session closes (ledger last_scrub_us).
#
# Usage (inside the lab VM): bench/sw.sh [ROUNDS [SECS]]
#
# lab-iommu: off
source /src/tests/lib.sh
source /src/bench/lib.sh

ROUNDS=${1:-3}
SECS=${2:-3}
PF=$(pf_dev)
SWC=$TOOLS/sw-client
MAC=(02:cd:be:00:07:01 02:cd:be:00:07:02 02:cd:be:00:07:03)
IP_SW=198.18.7.1
IP_SND=198.18.7.2
IP_RCV=198.18.7.3
UUID=$(cat /proc/sys/kernel/random/uuid)
SERVE=
L=

cleanup()
{
	[ -n "$SERVE" ] && kill -9 "$SERVE" 2>/dev/null
	sleep 0.5
	[ -e "/sys/bus/mdev/devices/$UUID" ] && echo 1 > "/sys/bus/mdev/devices/$UUID/remove"
	ip -all netns delete 2>/dev/null
}
trap cleanup EXIT

need pf cdna_pf cdna_vf vmm_guard
[ -x "$SWC" ] || skip_all "tests/tools/sw-client not built"
: > "$RAW"
: > "$NOTES"

pf_up cdna_pf
vfs_make 3 "${MAC[@]}" || fail_all "cdna_pf cannot make 3 contexts"
modprobe vfio && modprobe vfio_iommu_type1 && modprobe mdev || fail_all "no VFIO modules"
load_guard || fail_all "vmm_guard does not load"
cdna_vf_bind "${VF[1]}" "${VF[2]}" || fail_all "cdna_vf does not take contexts 1 and 2"
vf_into_ns "${VF[1]}" snd vf1 $IP_SND noipv6 || fail_all "context 1 not in snd"
vf_into_ns "${VF[2]}" rcv vf2 $IP_RCV noipv6 || fail_all "context 2 not in rcv"
busy_wait 60 carrier_up snd vf1 && busy_wait 60 carrier_up rcv vf2 || fail_all "no carrier"
busy_wait 60 in_ns snd ping -c 1 -W 1 -q $IP_RCV > /dev/null 2>&1 || fail_all "snd does not reach rcv"
bind_driver "${VF[0]}" vmm_guard_sw || fail_all "vmm_guard_sw does not take context 0"
L=/sys/bus/pci/devices/${VF[0]}/guard
echo "$UUID" > "/sys/bus/pci/devices/${VF[0]}/mdev_supported_types/vmm_guard_sw-ctx/create" ||
	fail_all "cannot create the mdev"
echo "rounds $ROUNDS, $SECS s a measurement; iommu: $(ls /sys/class/iommu 2>/dev/null | tr '\n' ' ')none"

# blast NS ADDR: sw-client udp-send, 18-byte datagrams, unpaced, $SECS s.
blast()
{
	in_ns "$1" timeout -s TERM "$SECS" "$SWC" udp-send --dst "$2" --count 100000000 --size 18 > /tmp/blast.log 2>&1
	grep -h 'sent=' /tmp/blast.log | sed 's/^/    /'
}

baseline()
{
	local rx ok

	rec sw ping_ms baseline "$(ping_avg snd $IP_RCV)"
	in_ns rcv "$SWC" udp-recv --count 100000000 --size 18 --seconds $((SECS + 3)) > /tmp/recv.log 2>&1 &
	rx=$!
	busy_wait 20 grep -q '^ready:' /tmp/recv.log || { note "baseline round $ROUND: udp-recv did not start"; kill "$rx"; return; }
	blast snd $IP_RCV
	wait "$rx"
	ok=$(sed -n 's/.*udp-recv: ok=\([0-9]*\).*/\1/p' /tmp/recv.log)
	rec sw udp64_pps baseline "$(awk -v n="$ok" -v s="$SECS" 'BEGIN { if (n != "") printf "%d\n", n / s }')"
}

# kv FILE TAG KEY: KEY's value on the last "TAG:" line of FILE.
kv()
{
	sed -n "s/^$2:.* $3=\([0-9]*\).*/\1/p" "$1" | tail -n1
}

swmode()
{
	local strat=$1 log=/tmp/serve-$1.log t0 ok rc

	echo "$strat" > "$L/strategy" || { note "sw round $ROUND: strategy $strat refused"; return; }
	t0=$(now)
	"$SWC" serve "$UUID" --ip $IP_SW --seconds 600 > "$log" 2>&1 &
	SERVE=$!
	busy_wait 60 grep -q '^ready:' "$log" || { note "sw $strat round $ROUND: serve not ready: $(tail -n 3 "$log" | tr '\n' ' ')"; kill -9 $SERVE; wait $SERVE; SERVE=; return; }
	rec sw session_open_ms "$strat" "$(awk -v t="$(since "$t0")" 'BEGIN { printf "%.0f\n", t * 1000 }')"
	busy_wait 60 in_ns snd ping -c 1 -W 1 -q $IP_SW > /dev/null 2>&1 || note "sw $strat round $ROUND: snd cannot ping the mdev"
	rec sw ping_ms "$strat" "$(ping_avg snd $IP_SW)"
	blast snd $IP_SW
	sleep 1
	t0=$(now)
	kill -TERM $SERVE
	wait $SERVE
	rc=$?
	SERVE=
	rec sw session_close_ms "$strat" "$(awk -v t="$(since "$t0")" 'BEGIN { printf "%.0f\n", t * 1000 }')"
	[ $rc = 0 ] || note "sw $strat round $ROUND: sw-client serve exited $rc: $(grep FAIL "$log" | head -n 2 | tr '\n' ' ')"
	grep -E '^summary' "$log" | sed 's/^/    /'
	ok=$(kv "$log" summary udp_ok)
	rec sw udp64_pps "$strat" "$(awk -v n="$ok" -v s="$SECS" 'BEGIN { if (n != "") printf "%d\n", n / s }')"
	busy_wait 20 grep -qx free "$L/state" || note "sw $strat round $ROUND: state $(cat "$L/state") after close"
	rec sw scrub_sw_ms "$strat" "$(awk -v u="$(cat "$L/last_scrub_us")" 'BEGIN { printf "%.1f\n", u / 1000 }')"
}

for ((ROUND = 1; ROUND <= ROUNDS; ROUND++)); do
	echo "== round $ROUND at $(elapsed)s"
	if [ $((ROUND % 2)) = 1 ]; then
		baseline; swmode per-desc; swmode cache
	else
		swmode cache; swmode per-desc; baseline
	fi
done
echo "== done at $(elapsed)s"
exit 0
