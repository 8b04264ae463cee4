#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The runner's VM tests run side by side (LAB_JOBS), each counted once: a
# test that fails among them fails the run, tests overlap only when they
# may (never a test marked alone or cpu=all: those run last), and a
# runner stopped with TERM leaves no VM running.  A stand-in for lab/run-vm.sh (LAB_RUN_VM)
# runs the fixture's scripts here and notes when each started and ended.
source "$(dirname "$0")/lib.sh"

mkdir -p "$tmp/t/host"
cat > "$tmp/fake-vm" <<'EOS'
#!/bin/bash
while getopts "qt:m:o:a:" o; do :; done
shift $((OPTIND - 1))
n=$(basename "$1" .sh)
echo "start $n $(date +%s%N)" >> "$EVENTS"
bash "$1"
rc=$?
echo "end $n $(date +%s%N)" >> "$EVENTS"
exit $rc
EOS
chmod +x "$tmp/fake-vm"
printf '#!/bin/bash\nsleep 2\nexit 0\n' > "$tmp/t/host/a-pass.sh"
printf '#!/bin/bash\nsleep 1\necho "lab: FAIL b-fail (1s): broken on purpose"\nexit 1\n' > "$tmp/t/host/b-fail.sh"
printf '#!/bin/bash\necho "SKIP: no such hardware"\nexit 4\n' > "$tmp/t/host/c-skip.sh"
printf '#!/bin/bash\n# lab: timeout=60 alone\nsleep 1\nexit 0\n' > "$tmp/t/host/d-alone.sh"
printf '#!/bin/bash\nsleep 1\nexit 0\n' > "$tmp/t/host/e-pass.sh"

# overlap A B: the runs of A and B overlapped in $tmp/events.
overlap()
{
	awk -v a="$1" -v b="$2" '
		{ t[$1 " " $2] = $3 }
		END { exit !(t["start " a] < t["end " b] && t["start " b] < t["end " a]) }
	' "$tmp/events"
}

run()
{
	: > "$tmp/events"
	out=$(EVENTS=$tmp/events LAB_RUN_VM=$tmp/fake-vm LAB_JOBS=$1 \
		TESTS_DIR=$tmp/t bash "$top/tests/run.sh" host 2>&1)
	rc=$?
}

run 2
[ $rc -ne 0 ] || fail "LAB_JOBS=2: runner exited 0 with a failing test"
[ "$(printf '%s\n' "$out" | tail -n1)" = "3 passed, 1 failed, 1 skipped" ] ||
	fail "LAB_JOBS=2: wrong summary: $(printf '%s\n' "$out" | tail -n1)"
expect_output "failing test named" '^FAIL +host/b-fail .*broken on purpose' "$out"
expect_output "skip reason shown" '^SKIP +host/c-skip.*no such hardware' "$out"
[ "$(grep -c ^start "$tmp/events")" = 5 ] || fail "LAB_JOBS=2: not 5 runs: $(cat "$tmp/events")"
overlap a-pass b-fail || fail "LAB_JOBS=2: a-pass and b-fail did not run side by side"
for n in a-pass b-fail c-skip e-pass; do
	! overlap d-alone $n || fail "LAB_JOBS=2: d-alone ran beside $n"
done
[ "$(grep ^start "$tmp/events" | tail -n1 | cut -d' ' -f2)" = d-alone ] ||
	fail "LAB_JOBS=2: the alone test did not run last: $(grep ^start "$tmp/events" | cut -d' ' -f2 | xargs)"

run 1
[ "$(printf '%s\n' "$out" | tail -n1)" = "3 passed, 1 failed, 1 skipped" ] ||
	fail "LAB_JOBS=1: wrong summary: $(printf '%s\n' "$out" | tail -n1)"
! overlap a-pass b-fail || fail "LAB_JOBS=1: a-pass and b-fail ran side by side"

# Stopped mid-run: its VMs end with it.
rm "$tmp/t/host/"*.sh
printf '#!/bin/bash\nexec sleep 300\n' > "$tmp/t/host/long.sh"
printf '#!/bin/bash\nexec sleep 301\n' > "$tmp/t/host/long2.sh"
: > "$tmp/events"
EVENTS=$tmp/events LAB_RUN_VM=$tmp/fake-vm LAB_JOBS=2 TESTS_DIR=$tmp/t \
	bash "$top/tests/run.sh" host > "$tmp/term.out" 2>&1 &
runner=$!
for _ in $(seq 50); do
	[ "$(grep -c ^start "$tmp/events")" = 2 ] && break
	sleep 0.1
done
[ "$(grep -c ^start "$tmp/events")" = 2 ] || fail "the two long tests did not start side by side"
kill -TERM "$runner"
wait "$runner"
rc=$?
[ $rc -ne 0 ] || fail "runner stopped with TERM exited 0"
sleep 0.5
! pgrep -f '^sleep 30[01]$' > /dev/null ||
	fail "a test's process outlived the runner: $(pgrep -af '^sleep 30[01]$')"
pkill -f '^sleep 30[01]$' 2> /dev/null
exit $status
