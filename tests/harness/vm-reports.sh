#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Every kind of kernel report a debug kernel prints fails a lab run even
# when the script exits 0: a KASAN, lockdep, kmemleak, UBSAN, DMA-API
# debug, KFENCE or hung-task line planted in the VM's kernel log.
source "$(dirname "$0")/lib.sh"

for kind in kasan lockdep kmemleak ubsan dma kfence hung; do
	mkdir -p "$tmp/$kind"
	out=$("$top/lab/run-vm.sh" -t 60 -o "$tmp/$kind" \
		tests/harness/vm/plants.sh "$kind" 2>&1)
	rc=$?
	[ $rc -eq 1 ] || fail "$kind: a VM run with a planted report exited $rc"
	expect_output "$kind report named" 'lab: FAIL plants .*kernel report: ' "$out"
	[ "$(cat "$tmp/$kind/rc" 2>/dev/null)" = 0 ] ||
		fail "$kind: the payload itself should have exited 0 ($(cat "$tmp/$kind/rc" 2>/dev/null))"
done
exit $status
