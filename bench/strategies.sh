#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench-strategies: the protection-strategy table (USENIX ATC 2008,
# "Protection Strategies for Direct Access to Virtualized I/O Devices")
# on Linux/KVM, in the lab.  Two lab boots of bench/strat.sh:
#   1. with VT-d: one context in IOMMU mode (direct map) and in software
#      mode with per-desc and cache mappings through the IOMMU, the same
#      client program driving each (bench/swc), alternating rounds;
#   2. without an IOMMU (bench/strat-noiommu.sh): software mode's two
#      strategies, reported beside the first boot's.
# Then bench/swring's engine figures on this machine (native), the merge
# into docs/bench/strategies.tsv and bench/strategies-report.sh (the
# table, docs/bench/strategies.md, docs/bench/strategies.svg).
#
# "bench/strategies.sh collect" only merges what build/lab/bench-strat{,-sw}
# hold and writes the report.  Each boot takes the lab lock
# (/tmp/cdna-vm.lock) unless CDNA_VM_LOCKED=1 says the caller holds it.
# Environment: BENCH_ROUNDS (3), BENCH_SECS (3: seconds a measurement),
# BENCH_SW (1: 0 skips the second boot), BENCH_KMOD (head: the modules of
# the committed tree, built in build/bench/head; worktree: kmod/ as built).  About 15 minutes.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
rounds=${BENCH_ROUNDS:-3}
secs=${BENCH_SECS:-3}
out=build/lab
tsv=docs/bench/strategies.tsv
rc=0

locked()
{
	if [ "${CDNA_VM_LOCKED:-0}" = 1 ]; then
		"$@"
	else
		flock /tmp/cdna-vm.lock "$@"
	fi
}

t0=$(date +%s)
if [ "${1:-}" = collect ]; then
	# The boots' times as the run that made them saw them.
	read -r b1 b2 < $out/strat-times 2>/dev/null || { b1=0; b2=0; }
	t1=$((t0 + b1)); t2=$((t1 + b2))
else
	mkdir -p $out
	git rev-parse --short HEAD > $out/strat-commit
	make -C bench/swc > /dev/null || exit 1
	make -C bench/swring > /dev/null || exit 1
	# The modules of the commit measured, built apart from the work tree
	# (where others may have changes in progress); BENCH_KMOD=worktree
	# takes the work tree's kmod/ as it is built.
	kmoddir=kmod
	if [ "${BENCH_KMOD:-head}" = head ]; then
		kver=$(. lab/lab.conf && lab_kver) || exit 1
		rm -rf build/bench/head && mkdir -p build/bench/head
		git archive HEAD Kbuild kmod | tar -x -C build/bench/head || exit 1
		flock /tmp/cdna-build.lock make -s -C "/usr/src/linux-headers-$kver" \
			M="$top/build/bench/head" CDNA_WERROR=y -j2 modules > build/bench/head.log 2>&1 ||
			{ tail -n 20 build/bench/head.log; exit 1; }
		kmoddir=build/bench/head/kmod
	fi
	# About 35 s a side and round on a busy machine, 6 sides, 2 without IOMMU.
	locked bash lab/run-vm.sh -t $((rounds * 6 * 50 + 240)) -o $out/bench-strat \
		bench/strat.sh iommu "$rounds" "$secs" "$kmoddir" || rc=1
	t1=$(date +%s)
	if [ "${BENCH_SW:-1}" = 1 ]; then
		locked bash lab/run-vm.sh -t $((rounds * 2 * 50 + 240)) -o $out/bench-strat-sw \
			bench/strat-noiommu.sh "$rounds" "$secs" "$kmoddir" || rc=1
	fi
	t2=$(date +%s)
	if [ "${BENCH_SW:-1}" != 1 ]; then
		# BENCH_SW=0: the second boot's figures, and time, from before.
		read -r b1 b2 < $out/strat-times 2>/dev/null || b2=0
		t2=$((t2 + b2))
	fi
	echo "$((t1 - t0)) $((t2 - t1))" > $out/strat-times
	# The ring engine alone at native speed (no TCG), for scale.
	bench/swring/swring-bench 7 2>&1 | awk '
		/^  rx validate/ { print "swring\trx_validate_ns\tnative\t1\t" $3 }
		/^  tx validate/ { print "swring\ttx_validate_ns\tnative\t1\t" $3 }
		/^  rx post\+complete/ { print "swring\trx_post_ns\tnative\t1\t" $3 }
		/^  tx post\+complete/ { print "swring\ttx_post_ns\tnative\t1\t" $3 }' > $out/swring-native.tsv
fi

mkdir -p docs/bench
{
	echo "# CDNA protection-strategy benchmark: raw figures (bench/strategies.sh)"
	echo "# date: $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "# commit: $(cat $out/strat-commit 2>/dev/null || git rev-parse --short HEAD)"
	sed -n 's/^modules: /# modules: /p' $out/bench-strat/test.log 2>/dev/null | head -n 1
	echo "# rounds: $rounds"
	echo "# seconds_per_measurement: $secs"
	echo "# boot_iommu_s: $((t1 - t0))"
	echo "# boot_sw_s: $((t2 - t1))"
	echo "# qemu: $(lab/qemu --version 2>/dev/null | head -n1)"
	sed -n 's/^\(kernel\|cpus\): /# \1: /p' $out/bench-strat/test.log 2>/dev/null | head -n 2
	[ "${BENCH_SW:-1}" != 1 ] && [ -s $out/bench-strat-sw/raw.tsv ] &&
		echo "# note: the boot without IOMMU is an earlier one's (BENCH_SW=0): $(date -u -r $out/bench-strat-sw/raw.tsv '+%Y-%m-%d %H:%M UTC')"
	for d in bench-strat bench-strat-sw; do
		[ -s $out/$d/notes.txt ] && sed "s/^/# note: $d: /" $out/$d/notes.txt
		[ -f $out/$d/rc ] && [ "$(cat $out/$d/rc)" != 0 ] &&
			echo "# note: boot $d: the script exited $(cat $out/$d/rc)"
		grep -q . $out/$d/kernel-reports 2>/dev/null &&
			echo "# note: boot $d: kernel report: $(head -n1 $out/$d/kernel-reports)"
	done
	printf 'section\tmetric\tside\tround\tvalue\n'
	cat $out/bench-strat/raw.tsv 2>/dev/null | grep .
	# The second boot's sides carry its name.
	awk -F'\t' -v OFS='\t' '$1 == "strat" { $3 = "nommu-" $3 } { print }' \
		$out/bench-strat-sw/raw.tsv 2>/dev/null | grep .
	cat $out/swring-native.tsv 2>/dev/null
} > $tsv.new && mv $tsv.new $tsv

bash bench/strategies-report.sh || rc=1
echo "bench-strategies: $((t2 - t0)) s (boot 1: $((t1 - t0)) s, boot 2: $((t2 - t1)) s); logs in $out/bench-strat{,-sw}/test.log"
exit $rc
