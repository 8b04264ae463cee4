#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A VM that never gives a verdict is killed at its limit and reported as
# hung; the runner does not wait forever.
source "$(dirname "$0")/lib.sh"

start=$(date +%s)
out=$(LAB_VM_LIMIT=45 "$top/lab/run-vm.sh" -t 3600 -o "$tmp/hang" tests/harness/vm/hangs.sh 2>&1)
rc=$?
secs=$(( $(date +%s) - start ))
[ $rc -eq 1 ] || fail "hung VM test exited $rc"
expect_output "hang reported" 'lab: FAIL hangs .*VM hung: killed after 45s' "$out"
[ $secs -lt 75 ] || fail "killing the hung VM took ${secs}s"
pgrep -f "$tmp/hang" > /dev/null && fail "QEMU still running after the kill"
exit $status
