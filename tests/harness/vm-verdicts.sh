#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# lab/run-vm.sh turns what happened in the VM into the right verdict: a
# passing script passes (and its output comes back), a failing one fails.
source "$(dirname "$0")/lib.sh"

out=$("$top/lab/run-vm.sh" -t 60 -o "$tmp/pass" tests/harness/vm/passes.sh 2>&1)
rc=$?
[ $rc -eq 0 ] || fail "passing VM test exited $rc: $out"
[ "$(cat "$tmp/pass/mark" 2>/dev/null)" = passes ] || fail "no output brought back from the VM"
grep -q '^6\.12\.' "$tmp/pass/test.log" || fail "VM did not run the lab kernel"

out=$("$top/lab/run-vm.sh" -t 60 -o "$tmp/fail" tests/harness/vm/fails.sh 2>&1)
rc=$?
[ $rc -eq 1 ] || fail "failing VM test exited $rc"
expect_output "failure reported" 'lab: FAIL fails .*script exited 1' "$out"
expect_output "test output shown" 'failing on purpose' "$out"
exit $status
