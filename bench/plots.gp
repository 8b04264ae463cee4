# SPDX-License-Identifier: GPL-2.0
#
# The benchmark's plots; bench/plots.sh prepares the data in tmp and
# calls: gnuplot -e "tmp='DIR'; out='DIR'" bench/plots.gp
set terminal svg size 1100,600 dynamic font "sans,11" background rgb "white"
set termoption noenhanced
set datafile separator whitespace
set style fill solid 0.8 border -1
set grid ytics lc rgb "#dddddd"
set key top left

# Headline ratios, on a log axis centred on parity.
set output out."/ratios.svg"
set title "Headline ratios A / B (cdna / stock; sw mode: cache / per-desc, sw / none), of the medians; bars: range of the per-round ratios"
set datafile separator "\t"
stats tmp."/ratios" using 1 nooutput
set xrange [0.4:STATS_max + 0.6]
set logscale y 2
set yrange [0.25:4]
set ytics ("0.25" 0.25, "0.5" 0.5, "1" 1, "2" 2, "4" 4)
set xtics rotate by -40 left font ",9" nomirror
set bmargin 13
set rmargin 14
set boxwidth 0.7
set arrow 1 from graph 0, first 1 to graph 1, first 1 nohead lc rgb "black" lw 1.5
plot tmp."/ratios" using 1:(strcol(6) eq "higher" ? $3 : 1/0):xtic(2) with boxes lc rgb "#2e8b57" title "higher is better", \
     "" using 1:(strcol(6) eq "lower" ? $3 : 1/0) with boxes lc rgb "#4682b4" title "lower is better", \
     "" using 1:3:4:5 with yerrorbars lc rgb "black" pt 0 notitle
unset arrow 1
unset logscale y
set yrange [*:*]
set xrange [*:*]
set ytics auto
set bmargin
set rmargin
set xtics norotate font ",11"
set datafile separator whitespace

# Whole stack, round by round.
set output out."/rounds.svg"
set multiplot layout 1,3 title "Whole stack, each round: cdna_pf + cdna_vf against igb + igbvf"
set xlabel "round"
set xtics 1
set yrange [0:*]
set title "TCP, Mbit/s"
plot tmp."/r-tcp_mbps-cdna" using 1:2 with linespoints lw 2 pt 7 title "cdna", \
     tmp."/r-tcp_mbps-stock" using 1:2 with linespoints lw 2 pt 5 title "stock"
set title "UDP 64 B delivered, packets/s"
plot tmp."/r-udp64_pps-cdna" using 1:2 with linespoints lw 2 pt 7 title "cdna", \
     tmp."/r-udp64_pps-stock" using 1:2 with linespoints lw 2 pt 5 title "stock"
set title "ping round trip, ms (lower is better)"
plot tmp."/r-ping_ms-cdna" using 1:2 with linespoints lw 2 pt 7 title "cdna", \
     tmp."/r-ping_ms-stock" using 1:2 with linespoints lw 2 pt 5 title "stock"
unset multiplot
unset xlabel

# Seven contexts at once.
set output out."/contexts.svg"
set title "7 contexts at once: each context's TCP receive rate, Mbit/s (median of the rounds)"
set style data histogram
set style histogram clustered gap 1
set xtics ("ctx0" 0, "ctx1" 1, "ctx2" 2, "ctx3" 3, "ctx4" 4, "ctx5" 5, "ctx6" 6)
set yrange [0:*]
plot tmp."/ctx" using 2 title "cdna_pf + cdna_vf" lc rgb "#2e8b57", \
     "" using 3 title "igb + igbvf" lc rgb "#b22222"

# Control path.
set output out."/control.svg"
set title "Control path, ms (median of the rounds; log scale)"
set logscale y
set yrange [*:*]
set xtics rotate by -30 left font ",9"
set bmargin 8
set datafile missing "NaN"
plot tmp."/control" using 2:xtic(1) title "cdna" lc rgb "#2e8b57", \
     "" using 3 title "stock" lc rgb "#b22222"
