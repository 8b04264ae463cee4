#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The project's test runner: `make check` calls it.
#
# Usage: tests/run.sh [TIER...]     (default: build unit harness host guest debug)
#
#   build    the modules (W=1, no warning allowed) for the 6.12 lab kernel
#            and bookworm's 6.1, checkpatch, sparse, test tools, cdnactl,
#            DKMS (build/dkms) and the Debian packages (build/deb) that
#            host tests install
#   unit     cmocka tests of the pure-C logic (tests/unit), one count a case,
#            and the mailbox decoder under libFuzzer for 20 s
#   harness  tests/harness/*.sh on this machine: the lab and runner's own
#            checks (a failing test fails the run, a kernel WARNING fails
#            the run, a hung VM is killed)
#   host     tests/host/*.sh, each in a fresh lab VM (lab/run-vm.sh)
#   guest    tests/guest/*.sh, each in a lab VM that boots a guest inside
#   debug    the lab VM on the debug kernel (lab/debug-kernel/: KASAN,
#            lockdep, kmemleak, UBSAN, KFENCE, DMA-API debug, KUnit, fault
#            injection), with the modules built for it: tests/debug/*.sh
#            and the host tests tests/debug/host-tests lists; any report of
#            a checker, or a leak kmemleak finds after the job, fails the
#            test.  The kernel builds from the start of the run at idle
#            priority, in the CPU time the other tiers leave.  In a run
#            of both tiers, the host tests it runs run only here.
#
# A script test exits 0 (pass), 4 (skip, with its reason) or anything else
# (fail).  A script may set its VM's limits in header lines:
#   # lab: timeout=SECONDS mem=MIB cpu=all alone
# (cpu=all: the test keeps both CPUs busy, e.g. compiling in the VM; the
# debug kernel's background build is stopped while it runs.  alone: the
# test times a bystander against a control.  Either runs with no other VM
# beside it; the other VM tests of a tier run LAB_JOBS at a time, each
# result printed as its VM ends.)
# (and lab/run-vm.sh reads its own header lines: lab-cmdline, lab-topology)
# Environment: TESTS_DIR (default: this directory), ONLY (a regex: run only
# matching test names), LAB_JOBS (VMs at once; default one a CPU, within
# memory at 4 GiB a VM).
#
# Ends with the line "N passed, N failed, N skipped"; exits 1 if any failed.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
tests_dir=${TESTS_DIR:-$top/tests}
only=${ONLY:-}
tiers=("$@")
[ ${#tiers[@]} -gt 0 ] || tiers=(build unit harness host guest debug)

npass=0
nfail=0
nskip=0
failed=()
logdir="$top/build/test-logs"
mkdir -p "$logdir"

result()
{
	local verdict=$1 name=$2 secs=$3 why=${4:-}

	case $verdict in
	pass) npass=$((npass + 1)); printf 'PASS  %-48s %4ss\n' "$name" "$secs" ;;
	skip) nskip=$((nskip + 1)); printf 'SKIP  %-48s %4ss  %s\n' "$name" "$secs" "$why" ;;
	*)    nfail=$((nfail + 1)); failed+=("$name")
	      printf 'FAIL  %-48s %4ss  %s\n' "$name" "$secs" "$why" ;;
	esac
}

selected()
{
	[ -z "$only" ] || [[ $1 =~ $only ]]
}

# run_step NAME CMD...: a build step as one test; its output goes to a log.
run_step()
{
	local name=$1 log start rc

	shift
	selected "$name" || return 0
	log="$logdir/${name//\//_}.log"
	start=$(date +%s)
	"$@" > "$log" 2>&1
	rc=$?
	if [ $rc -eq 0 ] && grep -qi 'warning' "$log"; then
		rc=1
	fi
	if [ $rc -eq 0 ]; then
		result pass "$name" $(( $(date +%s) - start ))
	else
		result fail "$name" $(( $(date +%s) - start )) "see $log"
		sed 's/^/    /' "$log" | tail -n 20
	fi
	return $rc
}

tier_build()
{
	run_step build/modules make -C "$top" modules
	run_step build/modules-6.1 make -C "$top" modules-stable
	run_step build/checkpatch make -C "$top" checkpatch
	run_step build/sparse make -C "$top" sparse
	run_step build/dkms make -C "$top" dkms-check
	run_step build/deb make -C "$top" deb
	run_step build/tools make -C "$top/tests/tools"
	run_step build/userspace make -C "$top" userspace
	run_step build/harness-kmod make -C "$top" harness-kmod
}

tier_unit()
{
	local t name log rc start line plan ran fails

	if ! make -C "$tests_dir/unit" > "$logdir/unit-build.log" 2>&1; then
		result fail unit/build 0 "see $logdir/unit-build.log"
		sed 's/^/    /' "$logdir/unit-build.log" | tail -n 20
		return
	fi
	for t in "$tests_dir"/unit/test_*; do
		[ -x "$t" ] && [ "${t%.c}" = "$t" ] || continue
		name=unit/$(basename "$t")
		selected "$name" || continue
		log="$logdir/${name//\//_}.log"
		start=$(date +%s)
		CMOCKA_MESSAGE_OUTPUT=TAP "$t" > "$log" 2>&1
		rc=$?
		plan=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' "$log" | head -n1)
		ran=0
		fails=0
		while IFS= read -r line; do
			case $line in
			"ok "*" # SKIP"*) ran=$((ran + 1))
				result skip "$name:${line#*- }" 0 ;;
			"ok "*) ran=$((ran + 1))
				result pass "$name:${line#*- }" 0 ;;
			"not ok "*" - "*) ran=$((ran + 1)) fails=$((fails + 1))
				result fail "$name:${line#*- }" 0 "see $log" ;;
			esac
		done < <(grep -E '^(not )?ok [0-9]+ - ' "$log")
		# A crash mid-suite leaves cases without a verdict.
		if [ -z "$plan" ] || [ "$ran" -lt "$plan" ] ||
		   { [ $rc -ne 0 ] && [ $fails -eq 0 ]; }; then
			result fail "$name" $(( $(date +%s) - start )) \
				"exit $rc, ${ran}/${plan:-?} cases reported; see $log"
			tail -n 20 "$log" | sed 's/^/    /'
		fi
	done
}

# Each libFuzzer target for a bounded time (clang only), one result each:
# the mailbox decoder and the software mode's shadow ring engine.
tier_fuzz()
{
	local f log start

	for f in fuzz_mbx fuzz_swring; do
		log="$logdir/unit_$f.log"
		selected "unit/$f" && [ -f "$tests_dir/unit/$f.c" ] || continue
		if ! command -v clang > /dev/null; then
			result skip "unit/$f" 0 "no clang for libFuzzer"
			continue
		fi
		start=$(date +%s)
		if make -s -C "$tests_dir/unit" "$f" > "$log" 2>&1 &&
		   "$tests_dir/unit/$f" -max_total_time="${FUZZ_SECONDS:-20}" \
			>> "$log" 2>&1; then
			result pass "unit/$f" $(( $(date +%s) - start ))
			grep -m1 '^Done' "$log" | sed 's/^/    /'
		else
			result fail "unit/$f" $(( $(date +%s) - start )) "see $log"
			tail -n 20 "$log" | sed 's/^/    /'
		fi
	done
}

# header_opt FILE KEY DEFAULT: a "# lab: key=value" setting of a script.
header_opt()
{
	local v

	v=$(sed -n 's/^# lab:.*\b'"$2"'=\([0-9]*\).*/\1/p' "$1" | head -n1)
	echo "${v:-$3}"
}

# run_script TIER SCRIPT: one script test of TIER on this machine (the
# harness tier), or in a lab VM that runs beside others (lab_start).
run_script()
{
	local tier=$1 t=$2 name start out rc

	name=$tier/$(basename "$t" .sh)
	selected "$name" || return 0
	if [ "$tier" != harness ]; then
		lab_start "$tier" "$t"
		return
	fi
	start=$(date +%s)
	out=$(bash "$t" 2>&1)
	rc=$?
	printf '%s\n' "$out" > "$logdir/${name//\//_}.log"
	script_verdict "$tier" "$name" "$start" "$rc" "$out"
}

# script_verdict TIER NAME START RC OUTPUT: a script test's result lines.
script_verdict()
{
	local tier=$1 name=$2 start=$3 rc=$4 out=$5 why dir

	dir=$top/build/lab/$tier-${name#*/}
	why=$(printf '%s\n' "$out" | grep -m1 -E '^(SKIP|lab: (FAIL|SKIP))' |
		sed 's/^lab: [A-Z]* [^:]*: //; s/^SKIP: //')
	case $rc in
	0) result pass "$name" $(( $(date +%s) - start )) ;;
	4) result skip "$name" $(( $(date +%s) - start )) "${why:-skipped}" ;;
	*) result fail "$name" $(( $(date +%s) - start )) "${why:-exit $rc}"
	   printf '%s\n' "$out" | tail -n 30 | sed 's/^/    /'
	   if [ "$tier" != harness ]; then
		grep -E '^TEST:|^	' "$dir/test.log" 2>/dev/null |
			sed 's/^/    /' | tail -n 30
	   fi ;;
	esac
	# The lab's own notes (lab/vm/cpu-watch.sh), whatever the verdict.
	printf '%s\n' "$out" | grep '^lab: note: ' | sed 's/^/    /'
	[ "$tier" = harness ] && return 0
	# KUnit cases a script relayed ("KUNIT: ok|not ok SUITE.CASE"): one
	# result each.
	while read -r _ v c; do
		case $v in
		ok) result pass "$name:$c" 0 ;;
		skip) result skip "$name:$c" 0 "KUnit skipped it" ;;
		*) result fail "$name:$c" 0 "see $dir/test.log" ;;
		esac
	done < <(grep -E '^KUNIT: (ok|not-ok|skip) ' "$dir/test.log" 2>/dev/null)
}

# Lab VMs run side by side: a QEMU under TCG keeps about one CPU busy, so
# two at a time use a two-CPU machine.  LAB_JOBS sets how many (default:
# one a CPU, at most as many as memory holds at 4 GiB each).  A test whose
# header says cpu=all (it keeps both CPUs busy) or alone (it measures
# timing against a bystander, which a neighbour's load would skew) runs
# with no other VM.  LAB_RUN_VM stands in for lab/run-vm.sh (the runner's
# own tests: nothing is built then).
run_vm=${LAB_RUN_VM:-$top/lab/run-vm.sh}
lab_jobs_default()
{
	local cpus mem

	cpus=$(nproc)
	mem=$(awk '/^MemAvailable:/ { print int($2 / 4194304) }' /proc/meminfo)
	[ "$mem" -ge 1 ] 2> /dev/null || mem=1
	echo $(( cpus < mem ? cpus : mem ))
}
lab_jobs=${LAB_JOBS:-$(lab_jobs_default)}
[[ $lab_jobs =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: LAB_JOBS must be a count, not '$lab_jobs'" >&2; exit 2; }
jobdir=$(mktemp -d "${TMPDIR:-/tmp}/cdna-run.XXXXXX")
slots_used=0
declare -A job_name=() job_start=() job_slots=() job_paused=()

# kill_tree PID: PID and its descendants, leaves first (timeout(1) passes
# the signal on to its QEMU).
kill_tree()
{
	local c

	for c in $(pgrep -P "$1"); do
		kill_tree "$c"
	done
	kill -TERM "$1" 2> /dev/null
}

# However the run ends: no VM and no debug kernel build left running.
run_exit()
{
	local pid

	for pid in "${!job_name[@]}"; do
		kill_tree "$pid"
	done
	debug_kernel_stop
	rm -rf "$jobdir"
}
trap run_exit EXIT
trap 'exit 130' INT TERM

# exclusive SCRIPT: its header says it runs with no other VM beside it.
exclusive()
{
	grep -qE '^# lab:.*\b(cpu=all|alone)\b' "$1"
}

# lab_start TIER SCRIPT: its VM started in the background once it has
# room; LAB_KERNEL and TIMEOUT_X (a multiplier of its time limit) come
# from the caller's environment.
lab_start()
{
	local tier=$1 t=$2 name rel secs dir slots=1 pid paused=

	name=$tier/$(basename "$t" .sh)
	dir=$top/build/lab/$tier-$(basename "$t" .sh)
	exclusive "$t" && slots=$lab_jobs
	while [ $(( slots_used + slots )) -gt "$lab_jobs" ]; do
		lab_reap
	done
	rel=${t#"$top"/}
	# An earlier run's log must not count for this one.
	rm -f "$dir/test.log"
	secs=$(( $(header_opt "$t" timeout 300) * ${TIMEOUT_X:-1} ))
	# Beside another VM a test runs up to a third slower (guest/guard-sw-vm:
	# 731 s against 541 s alone): its limit grows by half.
	[ "$slots" -lt "$lab_jobs" ] && secs=$(( secs * 3 / 2 ))
	if grep -q '^# lab:.*\bcpu=all\b' "$t"; then
		debug_kernel_pause "$name"
		paused=$debug_paused
	fi
	"$run_vm" -q -t "$secs" -m "$(header_opt "$t" mem 2048)" \
		-o "$dir" "$rel" < /dev/null > "$jobdir/${name//\//_}" 2>&1 &
	pid=$!
	job_name[$pid]=$name
	job_start[$pid]=$(date +%s)
	job_slots[$pid]=$slots
	job_paused[$pid]=$paused
	slots_used=$(( slots_used + slots ))
}

# lab_reap: wait for one running VM test and give its verdict.
lab_reap()
{
	local pid rc out name

	[ ${#job_name[@]} -gt 0 ] || return 0
	wait -n -p pid "${!job_name[@]}"
	rc=$?
	if [ -z "${pid:-}" ] && [ $rc -eq 127 ]; then
		# None of them is a child any more (reaped elsewhere): each
		# that is gone is a failure, not a slot held for ever.
		for pid in "${!job_name[@]}"; do
			kill -0 "$pid" 2> /dev/null && continue
			break
		done
		kill -0 "$pid" 2> /dev/null && return 0
	fi
	[ -n "${pid:-}" ] && [ -n "${job_name[$pid]:-}" ] || return 0
	name=${job_name[$pid]}
	out=$(cat "$jobdir/${name//\//_}" 2>/dev/null)
	rm -f "$jobdir/${name//\//_}"
	[ -n "${job_paused[$pid]}" ] && debug_kernel_resume
	script_verdict "${name%%/*}" "$name" "${job_start[$pid]}" "$rc" "$out"
	slots_used=$(( slots_used - job_slots[$pid] ))
	unset "job_name[$pid]" "job_start[$pid]" "job_slots[$pid]" \
		"job_paused[$pid]"
}

# lab_drain: every VM test of the tier has its verdict.
lab_drain()
{
	while [ ${#job_name[@]} -gt 0 ]; do
		lab_reap
	done
}

# VM tests use the freshly built modules and tools.
vm_build()
{
	local tier=$1

	[ -z "${LAB_RUN_VM:-}" ] || return 0
	if [ "$tier" != harness ] &&
	   ! make -s -C "$top" modules harness-kmod > "$logdir/$tier-build.log" 2>&1 ||
	   ! make -s -C "$top/tests/tools" >> "$logdir/$tier-build.log" 2>&1 ||
	   ! make -s -C "$top" userspace >> "$logdir/$tier-build.log" 2>&1; then
		result fail "$tier/build" 0 "see $logdir/$tier-build.log"
		return 1
	fi
	if [ "$tier" = guest ] &&
	   ! make -s -C "$top" modules-guest >> "$logdir/$tier-build.log" 2>&1; then
		result fail "$tier/build" 0 "see $logdir/$tier-build.log"
		return 1
	fi
}

# debug_wanted: the debug tier is in this run and ONLY lets it run.
debug_wanted()
{
	[[ " ${tiers[*]} " == *" debug "* ]] &&
		{ [ -z "$only" ] || [[ $only == *debug* ]]; }
}

# debug_runs NAME: the debug tier runs host test NAME in this run.
debug_runs()
{
	debug_wanted && selected "debug/$1" &&
		grep -qx "$1" "$tests_dir/debug/host-tests" 2> /dev/null
}

tier_scripts()
{
	local tier=$1 t n moved= last=()

	vm_build "$tier" || return
	for t in "$tests_dir/$tier"/*.sh; do
		[ -f "$t" ] && [ "$(basename "$t")" != lib.sh ] || continue
		n=$(basename "$t" .sh)
		# Run once, under the debug kernel, when the debug tier runs
		# it (ONLY=host/NAME alone keeps it here).
		if [ "$tier" = host ] && debug_runs "$n"; then
			moved="$moved $n"
			continue
		fi
		# The tests that run with no VM beside them come last, one
		# after the other: no slot waits idle for one of them.
		if [ "$tier" != harness ] && exclusive "$t"; then
			last+=("$t")
			continue
		fi
		run_script "$tier" "$t"
	done
	for t in "${last[@]}"; do
		run_script "$tier" "$t"
	done
	lab_drain
	[ -z "$moved" ] || echo "   (in the debug tier, under the debug kernel:$moved)"
}

# The debug kernel builds in the background from the start of the run, at
# idle priority: it takes only the CPU time the other tiers leave.
debug_kernel_start()
{
	[ -z "${debug_pid:-}" ] || return 0
	debug_log="$logdir/debug-kernel.log"
	# Its own process group (setsid, no fork: $! is its leader), so that
	# the whole build can be stopped and continued.
	setsid chrt --idle 0 bash "$top/lab/debug-kernel/build.sh" > "$debug_log" 2>&1 &
	debug_pid=$!
	# Should this runner die without its traps (SIGKILL, its process
	# group killed), the build, stopped or not, must not go on alone: a
	# watcher in a session of its own ends it.
	setsid bash -c 'while kill -0 "$1" && kill -0 "$2"; do sleep 5; done
		kill -0 "$2" || exit 0
		kill -TERM -- "-$2"; kill -CONT -- "-$2"' _ $$ "$debug_pid" \
		> /dev/null 2>&1 &
}

debug_kernel_stop()
{
	[ -n "${debug_pid:-}" ] && kill -0 "$debug_pid" 2> /dev/null || return 0
	kill -TERM -- "-$debug_pid" 2> /dev/null
	kill -CONT -- "-$debug_pid" 2> /dev/null
}

# debug_kernel_pause NAME: the background build stopped while test NAME
# needs both CPUs: at idle priority it still slowed a CPU-bound test by
# a third (the in-VM DKMS build of host/deb-install: 598 s, against 458 s
# without it), and it has time to spare before the debug tier.
debug_paused=
debug_kernel_pause()
{
	[ -n "${debug_pid:-}" ] && kill -0 "$debug_pid" 2> /dev/null || return 0
	pgrep -P "$debug_pid" > /dev/null || return 0
	kill -STOP -- "-$debug_pid" 2> /dev/null || return 0
	debug_paused=1
	echo "   (the debug kernel build waits while $1 runs: cpu=all)"
}

debug_kernel_resume()
{
	[ -n "$debug_paused" ] || return 0
	debug_paused=
	kill -CONT -- "-$debug_pid" 2> /dev/null
}

# debug_not_run WHY: every test of the debug tier a failure, as it could
# not run (the moved host tests would otherwise run nowhere).
debug_not_run()
{
	local t n

	for t in "$tests_dir"/debug/*.sh; do
		[ -f "$t" ] && selected "debug/$(basename "$t" .sh)" &&
			result fail "debug/$(basename "$t" .sh)" 0 "not run: $1"
	done
	while read -r n; do
		case $n in ''|'#'*) continue ;; esac
		selected "debug/$n" && result fail "debug/$n" 0 "not run: $1"
	done < "$tests_dir/debug/host-tests"
}

# boost_tree PID: PID and its descendants back to the normal scheduling
# policy.
boost_tree()
{
	local c

	chrt --other -a -p 0 "$1" > /dev/null 2>&1
	for c in $(pgrep -P "$1"); do
		boost_tree "$c"
	done
}

# tests/debug/*.sh, then the host tests tests/debug/host-tests names, under
# the debug kernel (LAB_KERNEL=debug), with twice their time limits; when
# both tiers run, the host tier leaves those to this one.
tier_debug()
{
	local t n start

	debug_wanted || return 0
	start=$(date +%s)
	debug_kernel_start
	# What it has left to do, now at normal priority: the build and
	# every process under it (make's new children inherit).
	boost_tree "$debug_pid"
	kill -CONT -- "-$debug_pid" 2> /dev/null
	pgrep -P "$debug_pid" > /dev/null &&
		echo "debug: waiting for the debug kernel build (started with the run)"
	if ! wait "$debug_pid"; then
		debug_pid=
		result fail debug/kernel $(( $(date +%s) - start )) "see $debug_log"
		tail -n 20 "$debug_log" | sed 's/^/    /'
		debug_not_run "no debug kernel"
		return
	fi
	debug_pid=
	selected debug/kernel && result pass debug/kernel $(( $(date +%s) - start ))
	sed 's/^/    /' "$debug_log"
	if ! vm_build debug; then
		debug_not_run "the test tools did not build"
		return
	fi
	if ! make -s -C "$top" modules-debug >> "$logdir/debug-build.log" 2>&1; then
		result fail debug/build 0 "see $logdir/debug-build.log"
		tail -n 20 "$logdir/debug-build.log" | sed 's/^/    /'
		debug_not_run "the modules did not build for the debug kernel"
		return
	fi
	# The host tests first, the longest first (host-tests' order), so
	# that the short ones fill in beside it.
	while read -r n; do
		case $n in ''|'#'*) continue ;; esac
		LAB_KERNEL=debug TIMEOUT_X=2 run_script debug "$tests_dir/host/$n.sh"
	done < "$tests_dir/debug/host-tests"
	for t in "$tests_dir"/debug/*.sh; do
		[ -f "$t" ] || continue
		LAB_KERNEL=debug TIMEOUT_X=2 run_script debug "$t"
	done
	lab_drain
}

# Only when the debug tier can select something.
debug_wanted && debug_kernel_start

for tier in "${tiers[@]}"; do
	tstart=$(date +%s)
	echo "== tier $tier"
	case $tier in
	build) tier_build ;;
	unit) tier_unit; tier_fuzz ;;
	harness|host|guest) tier_scripts "$tier" ;;
	debug) tier_debug ;;
	*) echo "run.sh: unknown tier '$tier'" >&2; exit 2 ;;
	esac
	echo "== tier $tier took $(( $(date +%s) - tstart ))s"
done

if [ ${#failed[@]} -gt 0 ]; then
	echo "failed: ${failed[*]}"
fi
echo "$npass passed, $nfail failed, $nskip skipped"
[ "$nfail" -eq 0 ]
