#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The benchmark's report, from its raw figures alone (make bench-plots):
# docs/bench/results.tsv -> docs/bench/results.md (tables: medians,
# min-max over the rounds, ratios of medians with the min-max of the
# per-round ratios, the issue's goals), docs/bench/ratios.tsv, the SVG
# plots (bench/plots.gp, gnuplot), and the README's Performance table
# (between its bench-table markers).  Prints the tables.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
tsv=${1:-docs/bench/results.tsv}
md=docs/bench/results.md
mkdir -p docs/bench
[ -s "$tsv" ] || { echo "report: no $tsv: run make bench" >&2; exit 1; }

# What is compared: a "=" line opens a table (title, the two sides'
# names); then each row: label, section and side of A, of B (B empty:
# no counterpart), metric, better (higher/lower), goal (on the ratio
# A/B or on A's median, as the issue states it).
spec()
{
	cat <<-'EOT'
	=|Whole stack: cdna_pf + cdna_vf against igb + igbvf (two contexts, two namespaces, through the NIC's switch)|cdna|stock|whole stack
	TCP throughput, Mbit/s|whole|cdna|whole|stock|tcp_mbps|higher|ratio>=1.10|*
	UDP 64-byte packets/s delivered|whole|cdna|whole|stock|udp64_pps|higher|ratio>=1.10|*
	UDP 64-byte loss, %|whole|cdna|whole|stock|udp64_loss_pct|lower||
	ping round trip, ms|whole|cdna|whole|stock|ping_ms|lower|ratio<=0.90|*
	host CPU per packet, UDP 64 B, us|whole|cdna|whole|stock|cpu_us_pkt_udp64|lower||*
	host CPU per packet, TCP, us|whole|cdna|whole|stock|cpu_us_pkt_tcp|lower||
	=|VF driver alone on cdna_pf|cdna_vf|igbvf|VF driver on cdna_pf
	TCP throughput, Mbit/s|whole|cdna|vf_cdna_pf|igbvf|tcp_mbps|higher|ratio>=1.00|*
	UDP 64-byte packets/s delivered|whole|cdna|vf_cdna_pf|igbvf|udp64_pps|higher|ratio>=1.00|*
	UDP 64-byte loss, %|whole|cdna|vf_cdna_pf|igbvf|udp64_loss_pct|lower||
	ping round trip, ms|whole|cdna|vf_cdna_pf|igbvf|ping_ms|lower||*
	=|VF driver alone on the stock igb PF|cdna_vf|igbvf|VF driver on igb
	TCP throughput, Mbit/s|vf_igb|cdna_vf|whole|stock|tcp_mbps|higher|ratio>=1.00|*
	UDP 64-byte packets/s delivered|vf_igb|cdna_vf|whole|stock|udp64_pps|higher|ratio>=1.00|*
	UDP 64-byte loss, %|vf_igb|cdna_vf|whole|stock|udp64_loss_pct|lower||
	ping round trip, ms|vf_igb|cdna_vf|whole|stock|ping_ms|lower||*
	=|All 7 contexts at once (context i sends TCP to i+1 mod 7)|cdna|stock|7 contexts
	aggregate of 7, Mbit/s|ring|cdna|ring|stock|agg_mbps|higher||*
	one pair alone (same window), Mbit/s|ring|cdna|ring|stock|pair_window_mbps|higher||
	aggregate of 7 / one pair|ring|cdna|ring|stock|agg_over_pair|higher|A>=0.90|*
	Jain's fairness index|ring|cdna|ring|stock|jain|higher|A>=0.95|*
	max_tx_rate 30 on ctx 0-2: their mean, Mbit/s|rate|cdna|rate|stock|limited_mean_mbps|lower||
	max_tx_rate 30 on ctx 0-2: the other 4 together, Mbit/s|rate|cdna|rate|stock|others_agg_mbps|higher||
	max_tx_rate 30 on ctx 0-2: the other 4, against without limits|rate|cdna|rate|stock|others_gain|higher||
	max_tx_rate 30 on ctx 0-2: fairness among the other 4|rate|cdna|rate|stock|jain_others|higher||
	=|The PF's own netdev to the wire's far end (virtio-net peer)|cdna_pf|igb|PF's own netdev
	TCP PF to peer, Mbit/s|pf|cdna|pf|stock|tcp_tx_mbps|higher|ratio>=1.00|*
	TCP peer to PF, Mbit/s|pf|cdna|pf|stock|tcp_rx_mbps|higher|ratio>=1.00|*
	UDP 64-byte packets/s delivered|pf|cdna|pf|stock|udp64_pps|higher||
	UDP 64-byte loss, %|pf|cdna|pf|stock|udp64_loss_pct|lower||
	ping round trip, ms|pf|cdna|pf|stock|ping_ms|lower||
	=|Control path|cdna|stock|control path
	mailbox round trip (ip link set address, trusted VF), ms|control|cdna|control|stock|mbx_rtt_ms|lower||*
	VF FLR to traffic again, s|control|cdna|control|stock|flr_to_traffic_s|lower||*
	admin MAC change to traffic, s|control|cdna|control|stock|admin_mac_to_traffic_s|lower||*
	context released by its VMM (vmm_guard / vfio-pci), ms|control|cdna|control|stock|release_ms|lower||*
	guard scrub, IOMMU mode (last_scrub_us), ms|control|cdna|||scrub_iommu_ms|lower||
	PF load to 7 contexts pinging, s|setup|cdna|setup|stock|setup_s|lower||
	=|Software mode (no IOMMU): guard/strategy cache against per-desc|cache|per-desc|sw mode
	ping round trip, ms|sw|cache|sw|per-desc|ping_ms|lower||*
	UDP 64-byte packets/s delivered|sw|cache|sw|per-desc|udp64_pps|higher||*
	session open (VMM start to ready), ms|sw|cache|sw|per-desc|session_open_ms|lower||
	session close (SIGTERM to exit), ms|sw|cache|sw|per-desc|session_close_ms|lower||
	guard scrub, software mode, ms|sw|cache|sw|per-desc|scrub_sw_ms|lower||
	=|Software mode against a context with no protection (cdna_vf to cdna_vf, same boot)|sw|baseline|sw mode vs none
	ping round trip, per-desc, ms|sw|per-desc|sw|baseline|ping_ms|lower||
	ping round trip, cache, ms|sw|cache|sw|baseline|ping_ms|lower||*
	UDP 64-byte packets/s, per-desc|sw|per-desc|sw|baseline|udp64_pps|higher||
	UDP 64-byte packets/s, cache|sw|cache|sw|baseline|udp64_pps|higher||*
	EOT
}

head=$(mktemp)
trap 'rm -f "$head"' EXIT
tables=$(spec | awk -F'|' -v tsv="$tsv" -v ratios=docs/bench/ratios.tsv -v head="$head" '
function fmt(x) {
	if (x == "") return "-"
	x += 0
	if (x < 0 ? -x >= 100 : x >= 100) return sprintf("%.0f", x)
	if (x < 0 ? -x >= 10 : x >= 10) return sprintf("%.1f", x)
	return sprintf("%.2f", x)
}
# stat(list): sets MED, MIN, MAX, N of the space-separated values.
function stat(list,    a, n, i, j, t) {
	n = split(list, a, " ")
	N = n
	if (!n) { MED = MIN = MAX = ""; return }
	for (i = 2; i <= n; i++) {
		t = a[i] + 0
		for (j = i - 1; j >= 1 && a[j] + 0 > t; j--) a[j + 1] = a[j]
		a[j + 1] = t
	}
	MIN = a[1]; MAX = a[n]
	MED = n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
function cell(k) {
	stat(vals[k])
	if (!N) return "-"
	if (N == 1) return fmt(MED)
	return fmt(MED) " (" fmt(MIN) "-" fmt(MAX) ")"
}
BEGIN {
	while ((getline line < tsv) > 0) {
		if (line ~ /^#/ || line ~ /^section\t/) continue
		split(line, f, "\t")
		k = f[1] SUBSEP f[3] SUBSEP f[2]
		vals[k] = vals[k] " " f[5]
		at[k, f[4]] = f[5]
		rounds[f[4]] = 1
	}
	printf "" > ratios
}
/^=/ {
	printf "\n**%s**\n\n| | %s | %s | %s / %s | goal |\n|---|---|---|---|---|\n", $2, $3, $4, $3, $4
	title = $2; short = $5 " (" $3 " / " $4 ")"
	next
}
{
	ka = $2 SUBSEP $3 SUBSEP $6
	kb = $4 SUBSEP $5 SUBSEP $6
	ca = cell(ka); ma = MED
	cb = $4 == "" ? "-" : cell(kb); mb = $4 == "" ? "" : MED
	rc = "-"; ratio = ""
	if (ma != "" && mb != "" && mb + 0 != 0) {
		ratio = ma / mb
		rlo = rhi = ""
		for (r in rounds)
			if ((ka, r) in at && (kb, r) in at && at[kb, r] + 0 != 0) {
				x = at[ka, r] / at[kb, r]
				if (rlo == "" || x < rlo) rlo = x
				if (rhi == "" || x > rhi) rhi = x
			}
		rc = sprintf("%.2f", ratio)
		if (rlo != "" && N > 1 && rlo != rhi) rc = rc sprintf(" (%.2f-%.2f)", rlo, rhi)
		if (rlo == "") rlo = rhi = ratio
		printf "%s\t%s\t%.4f\t%.4f\t%.4f\t%s\t%s\n", short, $1, ratio, rlo, rhi, $7, $9 >> ratios
	}
	g = "-"
	if ($8 != "") {
		op = $8 ~ />=/ ? ">=" : "<="
		split($8, gg, op)
		lhs = gg[1] == "ratio" ? ratio : ma
		want = gg[2] + 0
		if (lhs == "") g = (gg[1] == "ratio" ? "" : $3 " ") (op == ">=" ? "≥ " : "≤ ") gg[2] (gg[1] == "ratio" ? "x" : "") ": no figure"
		else {
			ok = op == ">=" ? lhs + 0 >= want : lhs + 0 <= want
			g = (gg[1] == "ratio" ? "" : $3 " ") (op == ">=" ? "≥ " : "≤ ") gg[2] (gg[1] == "ratio" ? "x" : "") (ok ? ": met" : ": **not met**")
		}
	}
	printf "| %s | %s | %s | %s | %s |\n", $1, ca, cb, rc, g
	if ($9 == "*")
		printf "| %s: %s | %s | %s | %s | %s |\n", short, $1, ca, cb, rc, g >> head
}')

meta()
{
	sed -n "s/^# $1: //p" "$tsv" | head -n1
}

{
	echo "# Benchmark results"
	echo
	echo "Written by \`make bench\` (bench/run.sh); \`make bench-plots\` rewrites this"
	echo "page and the plots from [results.tsv](results.tsv), the raw figures."
	echo "The lab is QEMU TCG on a shared 2-core machine: absolute figures mean"
	echo "little; the ratios, measured side by side in one boot, are what count."
	echo "Each cell: the median over the rounds (min-max); ratios are of the"
	echo "medians, with the range of the per-round ratios."
	echo
	echo "- date: $(meta date), commit $(meta commit), kernel $(meta kernel)"
	echo "- $(meta qemu); $(meta iperf3)"
	echo "- $(meta rounds) rounds, $(meta seconds_per_measurement) s a measurement;" \
		"make bench took $(meta total_s) s (boot 1: $(meta boot_iommu_s) s, boot 2 without IOMMU: $(meta boot_sw_s) s)"
	echo "- rounds alternate by block: one PF driver is loaded, its 7 contexts made and"
	echo "  every measurement taken once, then the other PF driver; round order"
	echo "  cdna, stock | stock, cdna | ... (a PF swap means tearing every context down,"
	echo "  so a swap per measurement would cost more than the measurements)"
	echo "$tables"
	echo
	echo "Reading the figures:"
	echo
	echo "- QEMU's 82576 model has no TX rate limiter (it emulates no RTT* register): the"
	echo "  max_tx_rate rows show what the contexts got with the limit programmed, not a"
	echo "  limit enforced.  igb programs it too (RTTBCNRC); cdna_pf also."
	echo "- The in-tree igb tells igbvf nothing when the host changes a VF's MAC (it logs"
	echo "  \"Reload the VF driver\"): the stock admin MAC row has no figure by design."
	echo "- Mailbox round trip: 20 MAC changes of a trusted VF in one \`ip -batch\`; igb"
	echo "  accepts them, cdna_pf refuses a change of a host-set MAC even when trusted"
	echo "  (a NACK is a reply all the same); see the notes for how many were refused."
	echo "- Software mode against no protection: the sw side is tests/tools/sw-client"
	echo "  (a userspace VMM and VF driver, polling frames off the mdev), the baseline a"
	echo "  UDP socket behind cdna_vf in a namespace; both get the same sender (cdna_vf,"
	echo "  sw-client udp-send unpaced), which bounds the packet rates.  The ratio is the"
	echo "  price of the trapped, validated data path as a client sees it, not of"
	echo "  validation alone."
	echo "- 7 contexts: TCG runs the 7 senders and receivers on 2 vCPUs; fairness is the"
	echo "  scheduler's as much as the NIC's."
	echo
	echo "Not measured: \`cdnactl attach\` to first packet in a guest (a nested guest"
	echo "boot, with libvirt, takes several minutes of the lab's TCG time: it does not fit"
	echo "the 20-minute budget)."
	if grep -q '^# note: ' "$tsv"; then
		echo
		echo "Notes of this run:"
		echo
		sed -n 's/^# note: /- /p' "$tsv"
	fi
	echo
	echo "![ratios](ratios.svg)"
	echo "![rounds](rounds.svg)"
	echo "![contexts](contexts.svg)"
	echo "![control path](control.svg)"
} > $md
echo "$tables"

# The plots.
if command -v gnuplot > /dev/null; then
	bash bench/plots.sh "$tsv" docs/bench
else
	echo "report: no gnuplot (make setup installs gnuplot-nox): plots not redrawn" >&2
fi

# The README's Performance section shows the headline table.
if grep -q '^<!-- bench-table:begin -->' README.md; then
	{
		sed '/^<!-- bench-table:begin -->/q' README.md
		echo
		echo "$(meta date), $(meta rounds) rounds, medians (min-max); all of it,"
		echo "with the plots: [docs/bench/results.md](docs/bench/results.md)."
		echo
		echo "| measure (A / B) | A | B | A / B | goal |"
		echo "|---|---|---|---|---|"
		cat "$head"
		echo
		sed -n '/^<!-- bench-table:end -->/,$p' README.md
	} > README.md.new && mv README.md.new README.md
fi
