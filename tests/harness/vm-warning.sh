#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A kernel WARNING in the lab VM fails the run even when the script itself
# exits 0: a module that WARNs on load is loaded.
source "$(dirname "$0")/lib.sh"

[ -f "$top/tests/harness/kmod/lab_warn.ko" ] ||
	{ echo "SKIP: lab_warn.ko not built (make harness-kmod)"; exit 4; }
out=$("$top/lab/run-vm.sh" -t 60 -o "$tmp/warn" tests/harness/vm/warns.sh 2>&1)
rc=$?
[ $rc -eq 1 ] || fail "VM test with a WARNING exited $rc"
expect_output "WARNING named" 'lab: FAIL warns .*kernel report: .*WARNING:' "$out"
[ "$(cat "$tmp/warn/rc" 2>/dev/null)" = 0 ] || fail "the payload itself should have exited 0"
exit $status
