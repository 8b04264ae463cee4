#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The benchmark's SVG plots (gnuplot), from its raw figures and the
# ratios bench/report.sh derived from them.
#
# Usage: bench/plots.sh RESULTS.TSV OUTDIR     (OUTDIR holds ratios.tsv)
#   ratios.svg    the headline ratios A/B, with the range of the per-round
#                 ratios; 1.0 is parity
#   rounds.svg    whole stack, round by round: TCP, 64-byte UDP, ping
#   contexts.svg  7 contexts at once: each context's TCP rate
#   control.svg   control path times, cdna against stock
set -euo pipefail

tsv=$1
out=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Headline ratios: index, label, ratio, low, high, higher/lower better.
# The label: the table's short name and the measure up to its first comma.
awk -F'\t' '$7 == "*" { n++; g = $1; sub(/ \(.*\)$/, "", g); m = $2; sub(/,.*/, "", m)
	printf "%d\t\"%s: %s\"\t%s\t%s\t%s\t%s\n", n, g, m, $3, $4, $5, $6 }' \
	"$out/ratios.tsv" > "$tmp/ratios"

# One side's per-round values of a metric: "round value".
rounds()
{
	awk -F'\t' -v s="$1" -v m="$2" -v d="$3" '$1 == s && $2 == m && $3 == d { print $4, $5 }' "$tsv" | sort -n
}
for m in tcp_mbps udp64_pps ping_ms; do
	rounds whole $m cdna > "$tmp/r-$m-cdna"
	rounds whole $m stock > "$tmp/r-$m-stock"
done

# Median of each (section, metric, side): "metric side median".
awk -F'\t' '!/^#/ && $1 != "section" { k = $1 "\t" $2 "\t" $3; v[k] = v[k] " " $5 }
	END { for (k in v) { n = split(v[k], a, " ")
		for (i = 2; i <= n; i++) { t = a[i] + 0
			for (j = i - 1; j >= 1 && a[j] + 0 > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
		print k "\t" (n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2) } }' "$tsv" > "$tmp/med"
med()
{
	awk -F'\t' -v s="$1" -v m="$2" -v d="$3" '$1 == s && $2 == m && $3 == d { print $4 }' "$tmp/med"
}
for i in 0 1 2 3 4 5 6; do
	echo "$i $(med ring ctx${i}_mbps cdna) $(med ring ctx${i}_mbps stock)"
done | awk 'NF == 3' > "$tmp/ctx"
{
	echo "\"mailbox round trip\" $(med control mbx_rtt_ms cdna) $(med control mbx_rtt_ms stock)"
	f=$(med control flr_to_traffic_s cdna); g=$(med control flr_to_traffic_s stock)
	echo "\"FLR to traffic\" ${f:+$(awk -v x="$f" 'BEGIN { print x * 1000 }')} ${g:+$(awk -v x="$g" 'BEGIN { print x * 1000 }')}"
	f=$(med control admin_mac_to_traffic_s cdna); g=$(med control admin_mac_to_traffic_s stock)
	echo "\"admin MAC to traffic\" ${f:+$(awk -v x="$f" 'BEGIN { print x * 1000 }')} ${g:+$(awk -v x="$g" 'BEGIN { print x * 1000 }')}"
	echo "\"release by the VMM\" $(med control release_ms cdna) $(med control release_ms stock)"
	echo "\"guard scrub (IOMMU)\" $(med control scrub_iommu_ms cdna) NaN"
	echo "\"sw session open (cache)\" $(med sw session_open_ms cache) NaN"
	echo "\"guard scrub (sw, cache)\" $(med sw scrub_sw_ms cache) NaN"
} | awk '{ line = $0; n = split(line, f, "\" ") ; split(f[2], v, " ")
	printf "%s\" %s %s\n", f[1], v[1] == "" ? "NaN" : v[1], v[2] == "" ? "NaN" : v[2] }' > "$tmp/control"

gnuplot -e "tmp='$tmp'; out='$out'" "$(dirname "$0")/plots.gp"
echo "plots: $out/ratios.svg $out/rounds.svg $out/contexts.svg $out/control.svg"
