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
#   # lab: timeout=SECONDS mem=MIB cpu=all
# (cpu=all: the test keeps both CPUs busy, e.g. compiling in the VM; the
# debug kernel's background build is stopped while it runs)
# (and lab/run-vm.sh reads its own header lines: lab-cmdline, lab-topology)
# Environment: TESTS_DIR (default: this directory), ONLY (a regex: run only
# matching test names).
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

# run_script TIER SCRIPT: one script test of TIER, in a lab VM (on this
# machine for the harness tier); LAB_KERNEL picks the VM's kernel and
# TIMEOUT_X multiplies the script's time limit.
run_script()
{
	local tier=$1 t=$2 name rel start rc out why secs dir

	name=$tier/$(basename "$t" .sh)
	dir=$top/build/lab/$tier-$(basename "$t" .sh)
	selected "$name" || return 0
	start=$(date +%s)
	if [ "$tier" = harness ]; then
		out=$(bash "$t" 2>&1)
		rc=$?
		printf '%s\n' "$out" > "$logdir/${name//\//_}.log"
	else
		rel=${t#"$top"/}
		# An earlier run's log must not count for this one.
		rm -f "$dir/test.log"
		secs=$(( $(header_opt "$t" timeout 300) * ${TIMEOUT_X:-1} ))
		grep -q '^# lab:.*\bcpu=all\b' "$t" && debug_kernel_pause "$name"
		out=$("$top/lab/run-vm.sh" -q -t "$secs" \
			-m "$(header_opt "$t" mem 2048)" \
			-o "$dir" "$rel" 2>&1)
		rc=$?
		debug_kernel_resume
	fi
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

# VM tests use the freshly built modules and tools.
vm_build()
{
	local tier=$1

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
	local tier=$1 t n moved=

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
		run_script "$tier" "$t"
	done
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
	# Not left building after the run, however it ends.
	trap 'debug_kernel_stop' EXIT
	trap 'debug_kernel_stop; exit 130' INT TERM
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
	for t in "$tests_dir"/debug/*.sh; do
		[ -f "$t" ] || continue
		LAB_KERNEL=debug TIMEOUT_X=2 run_script debug "$t"
	done
	while read -r n; do
		case $n in ''|'#'*) continue ;; esac
		LAB_KERNEL=debug TIMEOUT_X=2 run_script debug "$tests_dir/host/$n.sh"
	done < "$tests_dir/debug/host-tests"
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
