#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Every kind of kernel report a debug kernel prints fails a lab run even
# when the script exits 0: a KASAN, lockdep, kmemleak, UBSAN, DMA-API
# debug, KFENCE or hung-task line in the VM's kernel log, or a Call Trace
# under a first line no pattern knows; the console around the first report
# is printed, even with -q (the test runner's mode).  A leak the job-end
# kmemleak scan found fails it too; the debug kernel's boot lines that only
# name a checker do not.  One VM plants a report in its kernel log (the
# path from there to the verdict); each kind is then judged on a made-up
# run (lab/run-vm.sh -J), with no boot.
source "$(dirname "$0")/lib.sh"

plants=$top/tests/harness/vm/plants.sh

mkdir -p "$tmp/boot"
out=$("$top/lab/run-vm.sh" -q -t 60 -o "$tmp/boot" \
	tests/harness/vm/plants.sh kasan 2>&1)
rc=$?
[ $rc -eq 1 ] || fail "kasan, booted: a VM run with a planted report exited $rc"
expect_output "kasan report named, booted" 'lab: FAIL plants .*kernel report: .*BUG: KASAN: slab-use-after-free' "$out"
expect_output "kasan report's context shown, booted" '^--- console around the first kernel report' "$out"
[ "$(cat "$tmp/boot/rc" 2>/dev/null)" = 0 ] ||
	fail "kasan, booted: the payload itself should have exited 0 ($(cat "$tmp/boot/rc" 2>/dev/null))"

# judge KIND: a made-up run whose payload exited 0 and whose kernel log
# (or job-end kmemleak scan, for leakscan) holds KIND's lines; $out and
# $rc are the verdict.
judge()
{
	local d=$tmp/$1

	mkdir -p "$d"
	echo 0 > "$d/rc"
	echo "TEST: planted" > "$d/test.log"
	printf '[    0.000000] Linux version 6.12\n' > "$d/console.log"
	if [ "$1" = leakscan ]; then
		bash "$plants" leakscan print > "$d/kmemleak.log"
	else
		bash "$plants" "$1" print >> "$d/console.log"
	fi
	printf '[    2.000000] reboot: Power down\n' >> "$d/console.log"
	out=$("$top/lab/run-vm.sh" -q -J -o "$d" tests/harness/vm/plants.sh 2>&1)
	rc=$?
}

for kind in kasan lockdep kmemleak leakoff ubsan dma kfence hung trace; do
	judge "$kind"
	[ $rc -eq 1 ] || fail "$kind: a run with a planted report exited $rc"
	expect_output "$kind report named" 'lab: FAIL plants .*kernel report: ' "$out"
	expect_output "$kind report's context shown" '^--- console around the first kernel report' "$out"
done
expect_output "the unknown first line is in the context" 'irq 11: nobody cared' "$out"

judge leakscan
[ $rc -eq 1 ] || fail "leakscan: a run with a leak in kmemleak.log exited $rc"
expect_output "kmemleak scan's leak named" 'lab: FAIL plants .*kernel report: unreferenced object' "$out"

judge benign
[ $rc -eq 0 ] || fail "benign: a run with only the debug kernel's boot lines exited $rc: $out"

# The judge itself: a clean made-up run passes, a failed payload fails.
mkdir -p "$tmp/clean"
echo 0 > "$tmp/clean/rc"
printf '[    1.000000] clean boot\n' > "$tmp/clean/console.log"
"$top/lab/run-vm.sh" -q -J -o "$tmp/clean" tests/harness/vm/plants.sh > /dev/null 2>&1 ||
	fail "a clean made-up run did not pass"
echo 1 > "$tmp/clean/rc"
! "$top/lab/run-vm.sh" -q -J -o "$tmp/clean" tests/harness/vm/plants.sh > /dev/null 2>&1 ||
	fail "a made-up run whose payload exited 1 passed"
exit $status
