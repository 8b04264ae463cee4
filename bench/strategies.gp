# SPDX-License-Identifier: GPL-2.0
#
# The protection-strategy plot; bench/strategies-report.sh prepares the
# data in tmp and calls: gnuplot -e "tmp='DIR'; out='FILE.svg'" bench/strategies.gp
#   plot.dat  label, then (ratio, low, high) for per-desc, cache (with the
#             IOMMU), per-desc, cache (IOMMU bypassed), per-desc, cache
#             (boot 2, no IOMMU)
#   time.dat  label, us per packet in its TX tail write, the rest of the
#             time per packet (64-byte frames out of the context)
set terminal svg size 1400,600 dynamic font "sans,11" background rgb "white"
set termoption noenhanced
set output out
set datafile missing "NaN"
set style fill solid 0.8 border -1
set grid ytics lc rgb "#dddddd"
set multiplot layout 1,2 title "Protection strategies on the 82576 guard (QEMU TCG lab; only the ratios mean something)"

set title "Software mode / IOMMU mode (direct map), medians (log scale); bars: range of per-round ratios"
set style data histogram
set style histogram errorbars gap 2 lw 1
set logscale y
set yrange [0.01:5]
set ytics ("0.01" 0.01, "0.02" 0.02, "0.05" 0.05, "0.1" 0.1, "0.2" 0.2, "0.5" 0.5, "0.85" 0.85, "1" 1, "2" 2, "4" 4)
set key below font ",9" maxrows 3
set arrow 1 from graph 0, first 1 to graph 1, first 1 nohead lc rgb "black" lw 1.5
set arrow 2 from graph 0, first 0.85 to graph 1, first 0.85 nohead lc rgb "#b22222" dt 2 lw 1.5
set label 1 "goal 0.85" at graph 0.01, first 0.78 tc rgb "#b22222" font ",9"
plot tmp."/plot.dat" using 2:3:4:xtic(1) title "sw + IOMMU, per-desc" lc rgb "#4682b4", \
     "" using 5:6:7 title "sw + IOMMU, cache" lc rgb "#2e8b57", \
     "" using 8:9:10 title "sw, IOMMU bypassed, per-desc" lc rgb "#d2691e", \
     "" using 11:12:13 title "sw, IOMMU bypassed, cache" lc rgb "#daa520", \
     "" using 14:15:16 title "sw, no IOMMU, per-desc (boot 2)" lc rgb "#9ab8d8", \
     "" using 17:18:19 title "sw, no IOMMU, cache (boot 2)" lc rgb "#98d4a8"
unset arrow 1
unset arrow 2
unset label 1
unset logscale y

set title "64-byte frames out of the context: time per packet sent (1 / rate), us"
set style histogram rowstacked
set boxwidth 0.6
set yrange [0:*]
set ytics auto
set xtics rotate by -25 left font ",9"
set bmargin 7
set key inside top right font ",9"
plot tmp."/time.dat" using 2:xtic(1) title "its TX tail write (sw: a trap into the guard)" lc rgb "#b22222", \
     "" using 3 title "the rest (client loop, copies, completions)" lc rgb "#cccccc"
unset multiplot
