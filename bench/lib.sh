# SPDX-License-Identifier: GPL-2.0
#
# Measuring helpers of the benchmark scripts (bench/stack.sh, bench/sw.sh),
# sourced inside the lab VM after tests/lib.sh.  Every figure goes to
# $RAW as one line "section metric side round value" (tab-separated);
# bench/report.sh turns those into medians, spreads and ratios.  A figure
# that could not be had is not written: the reason goes to $NOTES.

RAW=/out/raw.tsv
NOTES=/out/notes.txt
SECS=${SECS:-4}
ROUND=0
T_START=$EPOCHREALTIME

# now: seconds since the epoch, microsecond resolution.
now()
{
	echo "$EPOCHREALTIME"
}

# since T0: seconds elapsed since T0 (a now() value), 3 decimals.
since()
{
	awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.3f\n", b - a }'
}

# elapsed: whole seconds since the script started.
elapsed()
{
	awk -v a="$T_START" -v b="$EPOCHREALTIME" 'BEGIN { printf "%d\n", b - a }'
}

# rec SECTION METRIC SIDE VALUE: one figure of round $ROUND; an empty or
# non-numeric VALUE is noted instead.
rec()
{
	if [[ $4 =~ ^-?[0-9]+(\.[0-9]+)?$ ]]; then
		printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$ROUND" "$4" >> "$RAW"
		printf '    %-10s %-22s %-9s %s\n' "$1" "$2" "$3" "$4"
	else
		note "$1 $2 $3 round $ROUND: no figure${4:+ ($4)}"
	fi
}

# note TEXT: a line of the results' notes (and of the log).
note()
{
	echo "note: $*"
	echo "$*" >> "$NOTES"
}

# cpu_busy: jiffies (USER_HZ) the VM's CPUs spent busy and idle so far.
cpu_busy()
{
	awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9, $5 + $6; exit }' /proc/stat
}

# ns_rx NS DEV: rx_packets of DEV in namespace NS.
ns_rx()
{
	in_ns "$1" cat "/sys/class/net/$2/statistics/rx_packets" 2>/dev/null
}

# iperf_tcp NS ADDR [ARGS]: TCP for $SECS s from NS to ADDR; prints the
# receiver's rate in Mbit/s.
iperf_tcp()
{
	local ns=$1 addr=$2

	shift 2
	in_ns "$ns" timeout $((SECS + 30)) iperf3 -c "$addr" -t "$SECS" -f m "$@" 2>&1 |
		awk '/receiver/ { for (i = 2; i <= NF; i++) if ($i == "Mbits/sec") print $(i - 1) }'
}

# iperf_udp64 NS ADDR: 18-byte UDP payloads (64-byte frames) as fast as
# iperf3 sends them for $SECS s; prints "DELIVERED_PPS LOSS_PERCENT".
iperf_udp64()
{
	in_ns "$1" timeout $((SECS + 30)) iperf3 -c "$2" -u -l 18 -b 0 -t "$SECS" 2>&1 |
		awk -v s="$SECS" '/receiver/ { for (i = 1; i <= NF; i++)
			if ($i ~ /^[0-9]+\/[0-9]+$/) { split($i, b, "/")
				printf "%d %.2f\n", (b[2] - b[1]) / s, b[2] ? 100 * b[1] / b[2] : 0 } }'
}

# ping_avg NS ADDR [COUNT]: the average round trip in ms of COUNT (20)
# pings 50 ms apart.
ping_avg()
{
	in_ns "$1" ping -c "${3:-20}" -i 0.05 -W 2 -q "$2" 2>/dev/null |
		awk -F/ '/^rtt|^round-trip/ { print $5 }'
}

# pair_run SECTION SIDE NS_A NS_B ADDR_B [cpu]: TCP, 64-byte UDP and ping
# from NS_A to NS_B (ADDR_B, its netdev named as the namespace's suffix
# says: nI holds vfI); with "cpu", the VM's CPU time per packet delivered
# (all CPUs busy, over the packets NS_B's netdev received) for both runs.
pair_run()
{
	local sec=$1 side=$2 a=$3 b=$4 addr=$5 cpu=${6:-} dev=vf${4#n}
	local c0 c1 r0 r1 t u

	c0=$(cpu_busy); r0=$(ns_rx "$b" "$dev")
	t=$(iperf_tcp "$a" "$addr")
	c1=$(cpu_busy); r1=$(ns_rx "$b" "$dev")
	rec "$sec" tcp_mbps "$side" "$t"
	[ -n "$cpu" ] && rec "$sec" cpu_us_pkt_tcp "$side" "$(cpu_per_pkt "$c0" "$c1" "$r0" "$r1")"
	c0=$(cpu_busy); r0=$(ns_rx "$b" "$dev")
	u=$(iperf_udp64 "$a" "$addr")
	c1=$(cpu_busy); r1=$(ns_rx "$b" "$dev")
	rec "$sec" udp64_pps "$side" "${u% *}"
	rec "$sec" udp64_loss_pct "$side" "${u#* }"
	[ -n "$cpu" ] && rec "$sec" cpu_us_pkt_udp64 "$side" "$(cpu_per_pkt "$c0" "$c1" "$r0" "$r1")"
	rec "$sec" ping_ms "$side" "$(ping_avg "$a" "$addr")"
}

# cpu_per_pkt "BUSY0 IDLE0" "BUSY1 IDLE1" RX0 RX1: microseconds of busy
# CPU (USER_HZ 100: 10000 us a jiffy) per packet received.
cpu_per_pkt()
{
	awk -v a="$1" -v b="$2" -v r0="$3" -v r1="$4" 'BEGIN {
		split(a, x, " "); split(b, y, " ")
		if (r1 - r0 > 0) printf "%.1f\n", (y[1] - x[1]) * 10000 / (r1 - r0) }'
}

# jain X...: Jain's fairness index of the values, (sum x)^2 / (n sum x^2).
jain()
{
	echo "$@" | awk '{ for (i = 1; i <= NF; i++) { s += $i; q += $i * $i }
		if (q > 0) printf "%.4f\n", s * s / (NF * q) }'
}

# ping_until NS ADDR LIMIT_S T0: poll with single pings (0.2 s timeout)
# until one is answered; prints the seconds from T0 (a now() value), or
# nothing after LIMIT_S.
ping_until()
{
	in_ns "$1" bash -c '
		deadline=$(( ${EPOCHREALTIME%.*} + $3 ))
		until ping -c 1 -W 0.2 -q "$1" > /dev/null 2>&1; do
			[ "${EPOCHREALTIME%.*}" -lt "$deadline" ] || exit 1
		done
		awk -v a="$2" -v b="$EPOCHREALTIME" "BEGIN { printf \"%.3f\n\", b - a }"' \
		_ "$2" "$4" "$3"
}
