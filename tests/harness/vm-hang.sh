#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A VM that never gives a verdict is killed at its limit and reported as
# hung; the runner does not wait forever.  Even quiet (as tests/run.sh
# runs it), the report shows where it stood: the monitor's view of its
# CPUs, the end of the job's output and of the console.
source "$(dirname "$0")/lib.sh"

start=$(date +%s)
out=$(LAB_VM_LIMIT=45 "$top/lab/run-vm.sh" -q -t 3600 -o "$tmp/hang" tests/harness/vm/hangs.sh 2>&1)
rc=$?
secs=$(( $(date +%s) - start ))
[ $rc -eq 1 ] || fail "hung VM test exited $rc"
expect_output "hang reported" 'lab: FAIL hangs .*VM hung: killed after 45s' "$out"
expect_output "CPUs shown" '^### info cpus' "$out"
expect_output "CPU state shown" 'CPU #0' "$out"
expect_output "job output shown" '^hanging on purpose' "$out"
expect_output "console shown" 'CDNA-LAB-START tests/harness/vm/hangs.sh' "$out"
[ $secs -lt 75 ] || fail "killing the hung VM took ${secs}s"
pgrep -f "$tmp/hang" > /dev/null && fail "QEMU still running after the kill"
exit $status
