#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The lab VM's watchdog for a CPU that stops taking timer interrupts
# (lab/vm/cpu-watch.sh, its limit 10 s here): a CPU whose heartbeat stops
# is reported with its timer state; as that shows no lost event, the
# watchdog waits, and repairs it by a CPU offline/online cycle once the
# beat is three limits old.  run-vm.sh shows the reports as notes of the
# run, whose verdict stays the job's.
source "$(dirname "$0")/lib.sh"

out=$("$top/lab/run-vm.sh" -q -t 240 -a lab.cpu_watch_s=10 -o "$tmp/watch" tests/harness/vm/cpu-stops.sh 2>&1)
rc=$?
[ $rc -eq 0 ] || fail "watchdog test VM exited $rc: $(tail -n 20 "$tmp/watch/test.log" 2>&1)"
expect_output "stopped CPU reported" '^lab: note: CPU 1 gave no timer tick for [0-9]+s; now [0-9]+ ' "$out"
expect_output "timer state shown" '^lab: note: CPU 1 gave no .* expires_next [0-9]+ .*device_next_event [0-9]+' "$out"
expect_output "no lost event: waits" '^lab: note: CPU 1: its next event is not behind the clock; waiting' "$out"
expect_output "repair reported" '^lab: note: CPU 1 taken offline and online again' "$out"
expect_output "verdict is the job's" '^lab: PASS cpu-stops' "$out"
grep -q '^repaired' "$tmp/watch/test.log" || fail "job did not see the repair: $(cat "$tmp/watch/test.log")"
exit $status
