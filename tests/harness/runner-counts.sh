#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The runner counts what its tests did: a test that fails on purpose makes
# it exit non-zero and say so, a skip is a skip, and the summary line is
# exact.  Run on a fixture tree, so the real suite stays green.
source "$(dirname "$0")/lib.sh"

mkdir -p "$tmp/t/harness"
printf '#!/bin/bash\nexit 0\n' > "$tmp/t/harness/a-pass.sh"
printf '#!/bin/bash\necho "broken on purpose"\nexit 1\n' > "$tmp/t/harness/b-fail.sh"
printf '#!/bin/bash\necho "SKIP: no such hardware"\nexit 4\n' > "$tmp/t/harness/c-skip.sh"

out=$(TESTS_DIR=$tmp/t bash "$top/tests/run.sh" harness 2>&1)
rc=$?
[ $rc -ne 0 ] || fail "runner exited 0 with a failing test"
[ "$(printf '%s\n' "$out" | tail -n1)" = "1 passed, 1 failed, 1 skipped" ] ||
	fail "wrong summary: $(printf '%s\n' "$out" | tail -n1)"
expect_output "failing test named" '^FAIL +harness/b-fail' "$out"
expect_output "skip reason shown" '^SKIP +harness/c-skip.*no such hardware' "$out"

rm "$tmp/t/harness/b-fail.sh"
out=$(TESTS_DIR=$tmp/t bash "$top/tests/run.sh" harness 2>&1)
rc=$?
[ $rc -eq 0 ] || fail "runner exited $rc with no failing test"
[ "$(printf '%s\n' "$out" | tail -n1)" = "1 passed, 0 failed, 1 skipped" ] ||
	fail "wrong summary: $(printf '%s\n' "$out" | tail -n1)"

# A unit binary that crashes before reporting all its cases is a failure.
mkdir -p "$tmp/t/unit"
printf 'all:\n' > "$tmp/t/unit/Makefile"
printf '#!/bin/sh\necho 1..3\necho "ok 1 - first"\nkill -SEGV $$\n' > "$tmp/t/unit/test_crash"
chmod +x "$tmp/t/unit/test_crash"
out=$(TESTS_DIR=$tmp/t bash "$top/tests/run.sh" unit 2>&1)
rc=$?
[ $rc -ne 0 ] || fail "runner exited 0 when a unit binary crashed"
expect_output "crash reported" '^FAIL +unit/test_crash .*1/3 cases' "$out"
exit $status
