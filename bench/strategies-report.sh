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
	per-desc-pt|sw, IOMMU bypassed, per-desc
	cache-pt|sw, IOMMU bypassed, cache
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
		for (i = 2; i <= 7; i++) {
			ratio(pm[k], sname[i])
			if (RATIO == "") printf " NaN NaN NaN" > P
			else printf " %.4f %.4f %.4f", RATIO, RLO, RHI > P
		}
		printf "\n" > P
	}
	# Where the time goes, 64 B out: the time per packet sent (1e6 / pps)
	# as its one TX tail write (the client makes one a frame: the mean time
	# of a tail write) and the rest.
	for (i = 1; i <= ns; i++) {
		p = med("tx64_sent_pps", sname[i]); b = med("tx64_tdt_us", sname[i])
		if (p == "" || b == "") continue
		lab = slabel[i]; gsub(/ †| ‡/, "", lab)
		printf "\"%s\" %.2f %.2f\n", lab, b, (1e6 / p - b > 0 ? 1e6 / p - b : 0) > W
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
	echo "| sw, IOMMU bypassed, per-desc / cache | the same, in the same boot, VF0's IOMMU group switched to an identity default domain (\`iommu_group/type\`) | validation alone: the DMA API's mappings are direct, as on a host without an IOMMU |"
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
	echo "  met** where the guard is the bottleneck: out of the context.  64-byte frames:"
	echo "  IOMMU mode sends $(fig tx64_sent_pps iommu)/s; sw mode with the IOMMU $(fig tx64_sent_pps per-desc)/s per-desc"
	echo "  ($(ratio tx64_sent_pps per-desc)x) and $(fig tx64_sent_pps cache)/s cache ($(ratio tx64_sent_pps cache)x); with the IOMMU bypassed $(fig tx64_sent_pps per-desc-pt)/s"
	echo "  ($(ratio tx64_sent_pps per-desc-pt)x) and $(fig tx64_sent_pps cache-pt)/s ($(ratio tx64_sent_pps cache-pt)x); in the boot without an IOMMU $(fig tx64_sent_pps nommu-per-desc)/s and"
	echo "  $(fig tx64_sent_pps nommu-cache)/s (†).  1472-byte goodput out: $(fig tx_big_sent_mbps iommu) Mbit/s against $(fig tx_big_sent_mbps per-desc) / $(fig tx_big_sent_mbps cache)"
	echo "  (per-desc / cache with the IOMMU) and $(fig tx_big_sent_mbps per-desc-pt) / $(fig tx_big_sent_mbps cache-pt) (bypassed)."
	echo "- Into the context the sender limits IOMMU mode (the peer's udp-send through"
	echo "  cdna_vf, unpaced, on the same 2 vCPUs), so those ratios say only that sw mode"
	echo "  keeps up with that sender: 64 B in, $(ratio rx64_pps per-desc)x / $(ratio rx64_pps cache)x with the IOMMU, $(ratio rx64_pps per-desc-pt)x / $(ratio rx64_pps cache-pt)x"
	echo "  bypassed; 1472 B in, $(ratio rx_big_mbps per-desc)x / $(ratio rx_big_mbps cache)x and $(ratio rx_big_mbps per-desc-pt)x / $(ratio rx_big_mbps cache-pt)x.  It keeps up by batching:"
	echo "  the client gives RX buffers back with one tail write every several packets"
	echo "  ($(fig rx64_rdt_per_pkt per-desc) a packet in sw mode), at the price of host CPU ($(fig rx64_cpu_us_pkt per-desc) / $(fig rx64_cpu_us_pkt cache) us a packet"
	echo "  against $(fig rx64_cpu_us_pkt iommu))."
	echo "  Out of the context, what the peer's socket gets is limited by the peer (cdna_vf"
	echo "  and a socket under TCG drop most of what IOMMU mode sends): the \"delivered\""
	echo "  rows understate IOMMU mode's lead."
	echo "- **Where the time goes: the tail write.**  The client sends with one descriptor"
	echo "  and one TX tail write a frame (sw-client does not batch), and in sw mode those"
	echo "  tail writes fill its sending time.  (Per packet, the table below reads"
	echo "  $(fig tx64_tdt_per_pkt iommu) tail writes in IOMMU mode and $(fig tx64_tdt_per_pkt per-desc) in sw mode per-desc where the client's"
	echo "  code makes exactly one: the window's packet"
	echo "  count is estimated from blast's average rate, low by that much on every side;"
	echo "  the per-packet times and shares carry that bias, the time of one write does"
	echo "  not.)  One TX tail write, in us, all in one boot:"
	echo
	echo "  | IOMMU mode, mapped | trapped (syscall, ‡) | sw bypassed, cache | sw bypassed, per-desc | sw + IOMMU, cache | sw + IOMMU, per-desc |"
	echo "  |---|---|---|---|---|---|"
	echo "  | $(fig tx64_tdt_us iommu) | $(fig tx64_tdt_us iommu-rw) | $(fig tx64_tdt_us cache-pt) | $(fig tx64_tdt_us per-desc-pt) | $(fig tx64_tdt_us cache) | $(fig tx64_tdt_us per-desc) |"
	echo
	echo "  - mapped: the device's own work; under TCG QEMU's 82576 model sends the frame"
	echo "    inside the MMIO write of the tail, which is why even IOMMU mode spends"
	echo "    $(fig tx64_bar0_share iommu) of its sending window in tail writes;"
	echo "  - trapped (‡): plus the trap, a system call into VFIO;"
	echo "  - sw, IOMMU bypassed, cache: plus the guard's fixed work per write with direct"
	echo "    DMA mappings and pins already held: the descriptor copied out of guest"
	echo "    memory (\`vfio_dma_rw\`), the frame's first bytes copied and checked"
	echo "    (anti-spoofing), validation, the shadow descriptor, a \`dma_map_page\` that"
	echo "    is a direct translation, the real tail write; the ring engine's share of it"
	echo "    (bench/swring, below) is $(fig eng:tx_post_ns tcg-iommu) ns a descriptor under TCG: validation is"
	echo "    not where the time goes;"
	echo "  - per-desc instead of cache: plus \`vfio_pin_pages\` and the unpin at"
	echo "    completion, every descriptor (bypassed: $(fig tx64_tdt_us cache-pt) -> $(fig tx64_tdt_us per-desc-pt) us);"
	echo "  - with the IOMMU: plus a DMA map and unmap through VT-d per descriptor, in"
	echo "    both strategies (cache: $(fig tx64_tdt_us cache-pt) -> $(fig tx64_tdt_us cache) us; per-desc: $(fig tx64_tdt_us per-desc-pt) -> $(fig tx64_tdt_us per-desc) us), with"
	echo "    \`iommu.strict=1\` and QEMU's caching-mode VT-d: an emulated IOTLB"
	echo "    invalidation per map and per unmap."
	echo "- Host CPU per packet sent, 64 B: $(fig tx64_cpu_us_pkt iommu) us in IOMMU mode, $(fig tx64_cpu_us_pkt per-desc) / $(fig tx64_cpu_us_pkt cache) us with the"
	echo "  IOMMU, $(fig tx64_cpu_us_pkt per-desc-pt) / $(fig tx64_cpu_us_pkt cache-pt) us bypassed; sw mode also relays one TX interrupt a packet"
	echo "  ($(fig tx64_irq_per_pkt per-desc); IOMMU mode $(fig tx64_irq_per_pkt iommu)): at this rate each completion comes alone, so"
	echo "  moderation (GUARD_SW_EITR_MIN_US, 20 us) does not merge them."
	echo "- Latency: ping $(fig ping_ms iommu) ms in IOMMU mode against $(fig ping_ms per-desc) / $(fig ping_ms cache) ms in sw mode with"
	echo "  the IOMMU and $(fig ping_ms per-desc-pt) / $(fig ping_ms cache-pt) ms bypassed.  A request takes the guard's relay (the"
	echo "  real interrupt, its worker's completion pass, the eventfd), the reply a"
	echo "  trapped, validated tail write, the buffer's return another."
	echo "- Levers, not tried here (kmod/ and sw-client belong to others now): batching"
	echo "  TX tail writes (one per burst divides the trap and the guard's per-write cost"
	echo "  by the burst; the figures above are sw mode's unbatched worst case); a cache"
	echo "  that keeps the DMA mappings too (the paper's persistent strategy: this guard's"
	echo "  cache keeps only the pins, so with an IOMMU every descriptor still pays a map"
	echo "  and an unmap); and, in the lab only, VT-d without caching mode (a real IOMMU"
	echo "  does not need an invalidation after a map)."
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
