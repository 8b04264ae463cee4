#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Every kind of kernel report a debug kernel prints fails a lab run even
# when the script exits 0: a KASAN, lockdep, kmemleak, UBSAN, DMA-API
# debug, KFENCE or hung-task line planted in the VM's kernel log, or a
# Call Trace under a first line no pattern knows; the console around the
# first report is printed, even with -q (the test runner's mode).
source "$(dirname "$0")/lib.sh"

for kind in kasan lockdep kmemleak ubsan dma kfence hung trace; do
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
exit $status
