#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench: the benchmark's two lab boots, then the report.
#
#   1. bench/stack.sh in the lab VM (VT-d on): the whole stack against the
#      stock drivers, the VF drivers alone, 7 contexts, the PF's own
#      traffic, the control path, the guard's IOMMU-mode scrub;
#   2. bench/sw.sh in a lab VM with no IOMMU (# lab-iommu: off): the
#      guard's software mode, per pinning strategy, against a context
#      without protection.
# Their raw figures are merged into docs/bench/results.tsv, from which
# bench/report.sh writes docs/bench/results.md, the plots and the README's
# table, and prints the table.  About 20 minutes with the defaults.
#
# "bench/run.sh collect" skips the boots: it merges what build/lab/bench
# and build/lab/bench-sw hold and writes the report (the times given are
# then the scripts' own, without the boots).
# Environment: BENCH_ROUNDS (3), BENCH_SECS (3: seconds a measurement),
# BENCH_BUDGET (840: seconds of rounds in the first boot), BENCH_SW (1: 0
# skips the second boot).  Take the lab lock around it
# (flock /tmp/cdna-vm.lock make bench); it does not take it itself.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
rounds=${BENCH_ROUNDS:-3}
secs=${BENCH_SECS:-3}
budget=${BENCH_BUDGET:-840}
out=build/lab
tsv=docs/bench/results.tsv
rc=0

t0=$(date +%s)
if [ "${1:-}" = collect ]; then
	# Only the merge and the report, from the boots' output directories
	# (after a boot that ran on its own): the times are the scripts'.
	t1=$((t0 + $(cat $out/bench/seconds 2>/dev/null || echo 0)))
	t2=$((t1 + $(cat $out/bench-sw/seconds 2>/dev/null || echo 0)))
else
	bash lab/run-vm.sh -t $((budget + 240)) -o $out/bench bench/stack.sh "$rounds" "$secs" "$budget" || rc=1
	t1=$(date +%s)
	if [ "${BENCH_SW:-1}" = 1 ]; then
		bash lab/run-vm.sh -t 480 -o $out/bench-sw bench/sw.sh "$rounds" "$secs" || rc=1
	fi
	t2=$(date +%s)
fi

# The figures of both boots, with what is needed to read them.
mkdir -p docs/bench
{
	echo "# CDNA benchmark: raw figures of one make bench (bench/run.sh)"
	echo "# date: $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "# commit: $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- kmod 2>/dev/null || echo ' (kmod/ modified)')"
	echo "# rounds: $rounds"
	echo "# seconds_per_measurement: $secs"
	echo "# boot_iommu_s: $((t1 - t0))"
	echo "# boot_sw_s: $((t2 - t1))"
	echo "# total_s: $((t2 - t0))"
	echo "# qemu: $(lab/qemu --version 2>/dev/null | head -n1)"
	sed -n 's/^\(iperf3\|kernel\): /# \1: /p' $out/bench/test.log 2>/dev/null
	for d in bench bench-sw; do
		[ -s $out/$d/notes.txt ] && sed "s/^/# note: /" $out/$d/notes.txt
		[ -f $out/$d/rc ] && [ "$(cat $out/$d/rc)" != 0 ] &&
			echo "# note: boot $d: the script exited $(cat $out/$d/rc)"
		grep -q . $out/$d/kernel-reports 2>/dev/null &&
			echo "# note: boot $d: kernel report: $(head -n1 $out/$d/kernel-reports)"
	done
	printf 'section\tmetric\tside\tround\tvalue\n'
	cat $out/bench/raw.tsv $out/bench-sw/raw.tsv 2>/dev/null | grep .
} > $tsv.new && mv $tsv.new $tsv

bash bench/report.sh || rc=1
echo "bench: $((t2 - t0)) s in all (boot 1: $((t1 - t0)) s, boot 2: $((t2 - t1)) s); logs in $out/bench{,-sw}/test.log"
exit $rc
