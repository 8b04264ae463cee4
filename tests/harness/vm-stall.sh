#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A VM that reports an RCU stall is stopped about 30 s later, not at its
# limit: the run fails as stalled, with what QEMU's monitor says of the
# CPUs and their local APICs, and no QEMU is left running.
source "$(dirname "$0")/lib.sh"

start=$(date +%s)
out=$(LAB_VM_LIMIT=600 "$top/lab/run-vm.sh" -q -t 3600 -o "$tmp/stall" tests/harness/vm/stalls.sh 2>&1)
rc=$?
secs=$(( $(date +%s) - start ))
[ $rc -eq 1 ] || fail "stalled VM test exited $rc"
expect_output "stall reported" 'lab: FAIL stalls .*VM stalled \(RCU stall report\), stopped after' "$out"
expect_output "local APICs shown" '^### info lapic 0' "$out"
grep -q 'CPU #0' "$tmp/stall/stall.txt" 2> /dev/null ||
	fail "no CPU state in stall.txt: $(head -c 300 "$tmp/stall/stall.txt" 2>&1)"
[ $secs -lt 120 ] || fail "stopping the stalled VM took ${secs}s"
pgrep -f "$tmp/stall" > /dev/null && fail "QEMU still running after the stop"
exit $status
