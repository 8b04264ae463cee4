#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The protection-strategy report, from its raw figures alone (make
# bench-strategies-plots): docs/bench/strategies.tsv ->
# docs/bench/strategies.md (the table of ratios to IOMMU mode, the
# absolute figures, where the time goes, the ring engine's own cost) and
# docs/bench/strategies.svg (gnuplot).  Prints the table of ratios.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
tsv=${1:-docs/bench/strategies.tsv}
md=docs/bench/strategies.md
svg=docs/bench/strategies.svg
[ -s "$tsv" ] || { echo "strategies-report: no $tsv: run make bench-strategies" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

meta()
{
	sed -n "s/^# $1: //p" "$tsv" | head -n1
}

# The sides, in the table's order: name|label.  IOMMU mode is the base.
sides()
{
	cat <<-'EOT'
	iommu|IOMMU mode (direct map)
	per-desc|sw + IOMMU, per-desc
	cache|sw + IOMMU, cache
	nommu-per-desc|sw, no IOMMU, per-desc †
	nommu-cache|sw, no IOMMU, cache †
	iommu-rw|IOMMU mode, BAR0 trapped ‡
	EOT
}

# The measures: table|metric|label|better|goal (ratio the sw sides must
# reach, or empty).  Tables: R (headline ratios), T (where the time goes,
# absolute only), A (in the absolute table only).
measures()
{
	cat <<-'EOT'
	R|rx_big_mbps|UDP goodput into the context, 1472-byte datagrams, Mbit/s|higher|0.85
	R|tx_big_sent_mbps|UDP goodput out of the context, 1472 B, sent by the NIC, Mbit/s|higher|0.85
	R|tx_big_mbps|the same, delivered to the peer's socket, Mbit/s|higher|
	R|rx64_pps|64-byte packets/s into the context, received and checked|higher|0.85
	R|tx64_sent_pps|64-byte packets/s out of the context, sent by the NIC|higher|0.85
	R|tx64_pps|the same, delivered to the peer's socket|higher|
	R|ping_ms|ping round trip, peer to context and back, ms|lower|
	R|rx64_cpu_us_pkt|host CPU per packet, 64 B in, us|lower|
	R|tx64_cpu_us_pkt|host CPU per packet, 64 B out (per packet sent), us|lower|
	A|rx_big_cpu_us_pkt|host CPU per packet, 1472 B in, us|lower|
	A|tx_big_cpu_us_pkt|host CPU per packet, 1472 B out, us|lower|
	A|rx64_loss_pct|64 B in: datagrams the peer sent that the client did not get, %|lower|
	A|tx64_loss_pct|64 B out: datagrams sent that the peer's socket did not get, %|lower|
	T|tx64_bar0_per_pkt|64 B out: BAR0 accesses per packet (sw: traps into the guard)|lower|
	T|tx64_tdt_per_pkt|64 B out: TX tail writes per packet|lower|
	T|tx64_tdt_us|64 B out: one TX tail write, us|lower|
	T|tx64_bar0_us|64 B out: one BAR0 access (mean), us|lower|
	T|tx64_bar0_us_pkt|64 B out: time in BAR0 accesses per packet, us|lower|
	T|tx64_bar0_share|64 B out: share of the window in BAR0 accesses|lower|
	T|tx64_irq_per_pkt|64 B out: TX interrupts the client got per packet|lower|
	T|tx64_desc_per_pkt|64 B out: descriptors the guard validated per packet|lower|
	T|rx64_bar0_per_pkt|64 B in: BAR0 accesses per packet|lower|
	T|rx64_rdt_per_pkt|64 B in: RX tail writes per packet|lower|
	T|rx64_rdt_us|64 B in: one RX tail write, us|lower|
	T|rx64_bar0_us_pkt|64 B in: time in BAR0 accesses per packet, us|lower|
	T|rx64_bar0_share|64 B in: share of the window in BAR0 accesses|lower|
	T|rx64_irq_per_pkt|64 B in: RX interrupts the client got per packet|lower|
	T|rx64_desc_per_pkt|64 B in: descriptors the guard validated per packet|lower|
	T|tx_big_tdt_us|1472 B out: one TX tail write, us|lower|
	T|tx_big_bar0_us_pkt|1472 B out: time in BAR0 accesses per packet, us|lower|
	T|rx_big_rdt_us|1472 B in: one RX tail write, us|lower|
	EOT
}

{ sides | sed 's/^/S|/'; measures | sed 's/^/M|/'; } > "$tmp/spec"

# One awk pass: the markdown tables (R: ratios, A: absolute, T: time,
# E: engine), the printed table, the plot's data, the findings' figures.
awk -F'|' -v tsv="$tsv" -v tmp="$tmp" '
function fmt(x) {
	if (x == "") return "-"
	x += 0
	if (x < 0 ? -x >= 100 : x >= 100) return sprintf("%.0f", x)
	if (x < 0 ? -x >= 10 : x >= 10) return sprintf("%.1f", x)
	if (x < 0 ? -x >= 0.1 : x >= 0.1) return sprintf("%.2f", x)
	return sprintf("%.3f", x)
}
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
function cell(m, s) {
	stat(vals[m, s])
	if (!N) return "-"
	if (N == 1 || MIN == MAX) return fmt(MED)
	return fmt(MED) " (" fmt(MIN) "-" fmt(MAX) ")"
}
function med(m, s) { stat(vals[m, s]); return MED }
# ratio(m, s): RATIO (of the medians), RLO, RHI (per-round ratios, rounds
# paired by number; across boots for the no-IOMMU sides).
function ratio(m, s,    a, b, r, x) {
	RATIO = RLO = RHI = ""
	a = med(m, s); b = med(m, "iommu")
	if (a == "" || b == "" || b + 0 == 0) return
	RATIO = a / b
	for (r in rounds)
		if ((m, s, r) in at && (m, "iommu", r) in at && at[m, "iommu", r] + 0 != 0) {
			x = at[m, s, r] / at[m, "iommu", r]
			if (RLO == "" || x < RLO) RLO = x
			if (RHI == "" || x > RHI) RHI = x
		}
	if (RLO == "") RLO = RHI = RATIO
}
BEGIN {
	while ((getline line < tsv) > 0) {
		if (line ~ /^#/ || line ~ /^section\t/) continue
		split(line, f, "\t")
		if (f[1] == "swring") { eng[f[2], f[3]] = f[5]; engside[f[3]] = 1; continue }
		vals[f[2], f[3]] = vals[f[2], f[3]] " " f[5]
		at[f[2], f[3], f[4]] = f[5]
		rounds[f[4]] = 1
	}
}
$1 == "S" { ns++; sname[ns] = $2; slabel[ns] = $3; next }
$1 == "M" { nm++; mt[nm] = $2; mm[nm] = $3; ml[nm] = $4; mb[nm] = $5; mg[nm] = $6; next }
END {
	R = tmp "/R.md"; A = tmp "/A.md"; T = tmp "/T.md"; E = tmp "/E.md"
	P = tmp "/plot.dat"; W = tmp "/time.dat"; F = tmp "/findings"
	# R: ratios to IOMMU mode.
	printf "| measure | %s |", slabel[1] > R
	for (i = 2; i <= ns; i++) printf " %s / IOMMU |", slabel[i] > R
	printf " goal |\n|---|---|" > R
	for (i = 2; i <= ns; i++) printf "---|" > R
	printf "---|\n" > R
	printf "| measure | " > A
	for (i = 1; i <= ns; i++) printf "%s | ", slabel[i] > A
	printf "\n|---|" > A
	for (i = 1; i <= ns; i++) printf "---|" > A
	printf "\n" > A
	printf "| | " > T
	for (i = 1; i <= ns; i++) printf "%s | ", slabel[i] > T
	printf "\n|---|" > T
	for (i = 1; i <= ns; i++) printf "---|" > T
	printf "\n" > T
	for (k = 1; k <= nm; k++) {
		m = mm[k]
		if (mt[k] == "T") {
			printf "| %s |", ml[k] > T
			for (i = 1; i <= ns; i++) printf " %s |", cell(m, sname[i]) > T
			printf "\n" > T
			continue
		}
		printf "| %s |", ml[k] > A
		for (i = 1; i <= ns; i++) printf " %s |", cell(m, sname[i]) > A
		printf "\n" > A
		if (mt[k] == "A") continue
		printf "| %s | %s |", ml[k], cell(m, "iommu") > R
		met = ""; miss = ""
		for (i = 2; i <= ns; i++) {
			ratio(m, sname[i])
			if (RATIO == "") { printf " - |" > R; continue }
			c = sprintf("%.2f", RATIO)
			if (RLO != RHI) c = c sprintf(" (%.2f-%.2f)", RLO, RHI)
			if (mg[k] != "" && sname[i] != "iommu-rw") {
				if (RATIO >= mg[k] + 0) met = met " " sname[i]
				else { miss = miss " " sname[i]; c = "**" c "**" }
			}
			printf " %s |", c > R
			if (mt[k] == "R" && mg[k] != "")
				printf "%s\t%s\t%.4f\t%.4f\t%.4f\n", m, sname[i], RATIO, RLO, RHI > (tmp "/ratios")
		}
		if (mg[k] != "") {
			g = "sw ≥ " mg[k] "x: " (miss == "" ? (met == "" ? "no figure" : "met") : "**not met** (" substr(miss, 2) ")")
			printf " %s |\n", g > R
		} else
			printf " %s |\n", (mb[k] == "lower" ? "(lower is better)" : "-") > R
	}
	# E: the ring engine alone.
	printf "| bench/swring, ns per descriptor | native (this machine) | TCG, lab VM with IOMMU | TCG, lab VM without |\n|---|---|---|---|\n" > E
	split("rx_validate_ns|tx_validate_ns|rx_post_ns|tx_post_ns", em, "|")
	split("rx validate (checks alone)|tx validate (checks alone)|rx post+complete (engine, pins and maps stubbed)|tx post+complete (engine, stubbed)", el, "|")
	for (k = 1; k <= 4; k++)
		printf "| %s | %s | %s | %s |\n", el[k], fmt(eng[em[k], "native"]), fmt(eng[em[k], "tcg-iommu"]), fmt(eng[em[k], "tcg-noiommu"]) > E
	# The plot: ratios of the goal measures, one line a measure, a
	# column triple (ratio, low, high) a sw side.
	split("rx_big_mbps|tx_big_sent_mbps|rx64_pps|tx64_sent_pps", pm, "|")
	split("1472 B in|1472 B out|64 B in, pkt/s|64 B out, pkt/s", pl, "|")
	for (k = 1; k <= 4; k++) {
		printf "\"%s\"", pl[k] > P
		for (i = 2; i <= 5; i++) {
			ratio(pm[k], sname[i])
			if (RATIO == "") printf " NaN NaN NaN" > P
			else printf " %.4f %.4f %.4f", RATIO, RLO, RHI > P
		}
		printf "\n" > P
	}
	# Where the time goes, 64 B out: per packet, us in BAR0 accesses and
	# the rest of the time per packet sent (1e6 / pps).
	for (i = 1; i <= ns; i++) {
		p = med("tx64_sent_pps", sname[i]); b = med("tx64_bar0_us_pkt", sname[i])
		if (p == "" || b == "") continue
		lab = slabel[i]; gsub(/ †| ‡/, "", lab)
		printf "\"%s\" %.2f %.2f\n", lab, b, 1e6 / p - b > W
	}
	# Figures the findings quote: metric side median.
	for (k = 1; k <= nm; k++)
		for (i = 1; i <= ns; i++)
			if ((v = med(mm[k], sname[i])) != "") printf "%s %s %s\n", mm[k], sname[i], v > F
	for (k in eng) { split(k, kk, SUBSEP); printf "eng:%s %s %s\n", kk[1], kk[2], eng[k] > F }
	for (k = 1; k <= nm; k++)
		for (i = 2; i <= ns; i++) {
			ratio(mm[k], sname[i])
			if (RATIO != "") printf "ratio:%s %s %s\n", mm[k], sname[i], RATIO > F
		}
}' "$tmp/spec"

# fig METRIC SIDE: a median the findings quote (formatted), "-" if none.
fig()
{
	awk -v m="$1" -v s="$2" '$1 == m && $2 == s { v = $3 + 0
		if (v >= 100) printf "%.0f", v; else if (v >= 10) printf "%.1f", v; else printf "%.2f", v; f = 1 }
		END { if (!f) printf "-" }' "$tmp/findings"
}
ratio() { fig "ratio:$1" "$2"; }

{
	echo "# Protection strategies: IOMMU mode against software mode"
	echo
	echo "The table of the USENIX ATC 2008 paper (Willmann, Rixner, Cox, \"Protection"
	echo "Strategies for Direct Access to Virtualized I/O Devices\"), on this project's"
	echo "guard, in the lab.  Written by \`make bench-strategies\` (bench/strategies.sh);"
	echo "\`make bench-strategies-plots\` rewrites this page and"
	echo "[strategies.svg](strategies.svg) from [strategies.tsv](strategies.tsv), the raw figures."
	echo
	echo "- date: $(meta date), commit $(meta commit), modules $(meta modules), kernel $(meta kernel)"
	echo "- $(meta qemu); the lab VM has $(meta cpus) vCPUs (TCG) on a shared, noisy 2-core machine"
	echo "- $(meta rounds) rounds, $(meta seconds_per_measurement) s a measurement; boot 1 (VT-d): $(meta boot_iommu_s) s, boot 2 (no IOMMU): $(meta boot_sw_s) s"
	echo "- one context (VF0 of cdna_pf), one client program, its peer context 1 on cdna_vf in a"
	echo "  namespace of the lab VM; the sides alternate within each boot, the order reversed"
	echo "  every other round"
	echo
	echo "## The sides"
	echo
	echo "| side | what drives the context | how its DMA is confined |"
	echo "|---|---|---|"
	echo "| IOMMU mode (direct map) | VF0 on \`vmm_guard\` (vfio-pci-core), opened through its VFIO group; BAR0 mmapped into the client: register accesses do not trap, as in a VM with the BAR mapped | VFIO type1: all client memory (4 MiB) mapped in VT-d once, at start |"
	echo "| sw + IOMMU, per-desc | VF0 on \`vmm_guard_sw\`, its mdev; every register access a trap into the guard | the guard validates each descriptor, pins and maps its buffer at post (\`dma_map_page\` through VT-d, \`iommu.strict=1\`), unmaps and unpins at completion |"
	echo "| sw + IOMMU, cache | the same | pins kept from first use to queue reset; the DMA mapping still made per descriptor |"
	echo "| sw, no IOMMU, per-desc / cache † | the same, boot 2 (a lab VM with no IOMMU) | validation alone; DMA API mappings are direct |"
	echo "| IOMMU mode, BAR0 trapped ‡ | as IOMMU mode, but BAR0 through pread/pwrite: every register access a system call, as in sw mode | as IOMMU mode |"
	echo
	echo "† another boot: its ratios to IOMMU mode compare across boots (rounds paired by"
	echo "number), so they carry that boot's noise too.  ‡ not a protection strategy: the"
	echo "IOMMU-mode client paying sw mode's trap per register access, which splits the"
	echo "software side's cost into the trap and the guard's work behind it."
	echo
	echo "The client is the same program for every side: bench/swc/swc-bench is"
	echo "tests/tools/sw-client (the lab's userspace VMM and VF driver, as committed)"
	echo "compiled unchanged, with a layer that counts and times its BAR0 accesses and"
	echo "lets it open a VF through its VFIO group where sw-client expects an mdev (both"
	echo "are VFIO PCI devices: same container, type1 mappings, device fd, MSI-X eventfds,"
	echo "reset handshake, rings and packet loops).  A nested guest running cdna_vf in"
	echo "both modes would be the other fair choice; under TCG a guest boot takes minutes"
	echo "and its own exits would swamp the differences, so the userspace client it is."
	echo
	echo "TCP is not measured: the client has no TCP stack.  Throughput is UDP goodput of"
	echo "1472-byte datagrams (1514-byte frames), each way; packet rate is 64-byte frames"
	echo "(18-byte UDP payloads), each way.  Into the context the sender is the peer"
	echo "(sw-client udp-send, unpaced, through cdna_vf) and the client receives and"
	echo "checks every datagram; out of the context the client sends as fast as it can"
	echo "(one descriptor and one tail write a frame, as sw-client does) and the peer's"
	echo "socket counts what arrives."
	echo
	echo "## Ratios to IOMMU mode"
	echo
	echo "Each cell: the ratio of the medians (the range of the per-round ratios); the"
	echo "IOMMU column is the median (min-max) itself.  Bold: short of the goal."
	echo
	cat "$tmp/R.md"
	echo
	echo "![ratios to IOMMU mode and where the time goes](strategies.svg)"
	echo
	echo "## Findings of this run"
	echo
	echo "- **The goal (sw ≥ 0.85x IOMMU mode on throughput and packets per second) is not"
	echo "  met** where the guard is the bottleneck.  Out of the context, 64-byte frames:"
	echo "  IOMMU mode sends $(fig tx64_sent_pps iommu)/s, sw + IOMMU $(fig tx64_sent_pps per-desc)/s per-desc"
	echo "  ($(ratio tx64_sent_pps per-desc)x) and $(fig tx64_sent_pps cache)/s cache ($(ratio tx64_sent_pps cache)x); without an IOMMU"
	echo "  $(fig tx64_sent_pps nommu-per-desc)/s and $(fig tx64_sent_pps nommu-cache)/s.  1472-byte goodput out: $(fig tx_big_sent_mbps iommu) Mbit/s against"
	echo "  $(fig tx_big_sent_mbps per-desc) / $(fig tx_big_sent_mbps cache) (per-desc / cache)."
	echo "- Into the context the sender limits IOMMU mode (the peer's udp-send through"
	echo "  cdna_vf: its losses are small), so those ratios are upper bounds of what sw"
	echo "  mode would reach against an IOMMU-mode receiver running flat out: 64 B in,"
	echo "  $(ratio rx64_pps per-desc)x (per-desc) and $(ratio rx64_pps cache)x (cache); 1472 B in, $(ratio rx_big_mbps per-desc)x and $(ratio rx_big_mbps cache)x."
	echo "  What the peer delivers out of the context is limited by the peer's receive"
	echo "  path (cdna_vf and a socket under TCG), which drops most of what IOMMU mode"
	echo "  sends: the \"delivered\" rows understate IOMMU mode's lead."
	echo "- **Where the time goes: the trap per register access, and the work behind a"
	echo "  tail write.**  Sending a 64-byte frame the client makes $(fig tx64_bar0_per_pkt iommu) BAR0 accesses,"
	echo "  $(fig tx64_tdt_per_pkt iommu) of them the TX tail (no batching: sw-client kicks every frame)."
	echo "  Mapped, one costs $(fig tx64_bar0_us iommu) us and the client spends $(fig tx64_bar0_us_pkt iommu) us a packet on them;"
	echo "  through a system call (‡) a tail write costs $(fig tx64_tdt_us iommu-rw) us; in sw mode, a trap into"
	echo "  the guard that validates, pins and maps, $(fig tx64_tdt_us per-desc) us (per-desc) and $(fig tx64_tdt_us cache) us"
	echo "  (cache) with the IOMMU, $(fig tx64_tdt_us nommu-per-desc) / $(fig tx64_tdt_us nommu-cache) us without.  Those accesses take"
	echo "  $(fig tx64_bar0_share per-desc) and $(fig tx64_bar0_share cache) of the sw sides' sending time (IOMMU mode: $(fig tx64_bar0_share iommu))."
	echo "  The guard's own engine (bench/swring, below) costs about $(fig eng:tx_post_ns tcg-iommu) ns a descriptor"
	echo "  here: the rest of a trapped tail write is the trap itself (system call and"
	echo "  VFIO's dispatch: compare ‡), \`vfio_pin_pages\`, \`dma_map_page\` (with VT-d and"
	echo "  \`iommu.strict=1\`, an IOTLB invalidation each, which QEMU emulates) and the"
	echo "  real tail's MMIO write.  Completions add a worker's pass and an eventfd"
	echo "  signal per interrupt ($(fig tx64_irq_per_pkt per-desc) TX interrupts a packet in sw mode, $(fig tx64_irq_per_pkt iommu) in IOMMU mode)."
	echo "- Latency: ping $(fig ping_ms iommu) ms in IOMMU mode against $(fig ping_ms per-desc) / $(fig ping_ms cache) ms in sw mode with"
	echo "  the IOMMU ($(fig ping_ms nommu-per-desc) / $(fig ping_ms nommu-cache) ms without).  A request in sw mode takes the guard's"
	echo "  relay (the real interrupt, its worker's completion pass: write-back copied to"
	echo "  the guest ring, buffer unmapped and unpinned, then the eventfd), and the reply"
	echo "  a trapped, validated tail write, plus the trapped RX tail write that gives the"
	echo "  buffer back; the batching that hides this under load (RX interrupts per packet"
	echo "  at 64 B in: $(fig rx64_irq_per_pkt per-desc) in sw mode, $(fig rx64_irq_per_pkt iommu) in IOMMU mode) does nothing for a lone ping."
	echo "- Batching is the lever the issue names: one tail write per burst instead of per"
	echo "  frame divides the trap and the per-write work by the burst, on both sides; the"
	echo "  client here (sw-client, owned elsewhere) does not batch TX, so these figures are"
	echo "  the unbatched worst case for sw mode.  A cache that also kept the DMA mappings"
	echo "  (the paper's persistent strategy; this guard's cache keeps only the pins) would"
	echo "  take the IOTLB invalidations off the tail write with an IOMMU."
	echo
	echo "These bullets quote this run's medians, filled in from strategies.tsv; the"
	echo "reasoning around them was written for the run of 2026-12-01 and holds only as"
	echo "long as the figures keep the same shape."
	echo
	echo "## Absolute figures"
	echo
	echo "Median (min-max) over the rounds."
	echo
	cat "$tmp/A.md"
	echo
	echo "## Where the time goes"
	echo
	echo "The client's own counters (bench/swc: every BAR0 access timed; SIGUSR1 at the"
	echo "window's edges), its interrupts (eventfd signals) and the guard's ledger"
	echo "(descriptors_validated).  Per packet sent (out) or received (in).  In sw mode a"
	echo "BAR0 access is a trap into the guard; a tail write is where it validates, pins"
	echo "and maps."
	echo
	cat "$tmp/T.md"
	echo
	echo "The guard's ring engine alone (bench/swring: validation and the shadow ring,"
	echo "pin and map stubbed), natively and inside the lab VM (TCG):"
	echo
	cat "$tmp/E.md"
	if grep -q '^# note: ' "$tsv"; then
		echo
		echo "Notes of this run:"
		echo
		sed -n 's/^# note: /- /p' "$tsv"
	fi
} > "$md"

{
	echo "Protection strategies, $(meta date), $(meta rounds) rounds: ratios to IOMMU mode (direct map)"
	echo
	sed 's/\*\*//g' "$tmp/R.md"
} | tee "$tmp/print" > /dev/null
# Printed as a plain table: one line a measure.
awk -F'|' 'NR <= 2 { print; next } /^\|---/ { next }
	{ line = ""; for (i = 2; i < NF; i++) { c = $i; gsub(/^ +| +$/, "", c); line = line (i > 2 ? " | " : "") c }; print line }' "$tmp/print"

if command -v gnuplot > /dev/null; then
	gnuplot -e "tmp='$tmp'; out='$svg'" bench/strategies.gp && echo "plot: $svg"
	# STRAT_PNG=FILE: the same plot as PNG too (to look at it without a browser).
	[ -z "${STRAT_PNG:-}" ] ||
		sed 's/^set terminal svg .*/set terminal png size 1300,560 font "DejaVuSans,10"/' bench/strategies.gp |
		gnuplot -e "tmp='$tmp'; out='$STRAT_PNG'" - 2>/dev/null
else
	echo "strategies-report: no gnuplot (make setup installs gnuplot-nox): plot not redrawn" >&2
fi
