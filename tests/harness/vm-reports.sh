#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Every kind of kernel report a debug kernel prints fails a lab run even
# when the script exits 0: a KASAN, lockdep, kmemleak, UBSAN, DMA-API
# debug, KFENCE or hung-task line planted in the VM's kernel log, or a
# Call Trace under a first line no pattern knows; the console around the
# first report is printed, even with -q (the test runner's mode).  A leak
# the job-end kmemleak scan found fails it too; the debug kernel's boot
# lines that only name a checker do not.
source "$(dirname "$0")/lib.sh"

for kind in kasan lockdep kmemleak leakoff ubsan dma kfence hung trace; do
	mkdir -p "$tmp/$kind"
	out=$("$top/lab/run-vm.sh" -q -t 60 -o "$tmp/$kind" \
		tests/harness/vm/plants.sh "$kind" 2>&1)
	rc=$?
	[ $rc -eq 1 ] || fail "$kind: a VM run with a planted report exited $rc"
	expect_output "$kind report named" 'lab: FAIL plants .*kernel report: ' "$out"
	expect_output "$kind report's context shown" '^--- console around the first kernel report' "$out"
	[ "$(cat "$tmp/$kind/rc" 2>/dev/null)" = 0 ] ||
		fail "$kind: the payload itself should have exited 0 ($(cat "$tmp/$kind/rc" 2>/dev/null))"
done
expect_output "the unknown first line is in the context" 'irq 11: nobody cared' "$out"

mkdir -p "$tmp/leakscan"
out=$("$top/lab/run-vm.sh" -q -t 60 -o "$tmp/leakscan" tests/harness/vm/plants.sh leakscan 2>&1)
rc=$?
[ $rc -eq 1 ] || fail "leakscan: a VM run with a leak in kmemleak.log exited $rc"
expect_output "kmemleak scan's leak named" 'lab: FAIL plants .*kernel report: unreferenced object' "$out"

mkdir -p "$tmp/benign"
out=$("$top/lab/run-vm.sh" -q -t 60 -o "$tmp/benign" tests/harness/vm/plants.sh benign 2>&1)
rc=$?
[ $rc -eq 0 ] || fail "benign: a VM run with only the debug kernel's boot lines exited $rc: $out"
exit $status
