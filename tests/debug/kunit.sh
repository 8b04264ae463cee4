#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Debug tier: the KUnit suites built into the modules for the debug kernel
# (make modules-debug: cdna_pf's filter allocators and the ring arithmetic
# the drivers share, vmm_guard's ledger state machine), each case relayed to the runner as one result.  The
# load/unload cycles are the soak's (tests/debug/soak.sh).
# lab: timeout=300
source /src/tests/lib.sh

TESTS="kunit_pf kunit_guard_ledger"
KUNIT_N=0
PF=$(pf_dev)

trap 'pf_cleanup vmm_guard' EXIT
need pf cdna_pf vmm_guard
[ -d /sys/kernel/debug/kunit ] || skip_all "this kernel has no KUnit (LAB_KERNEL=debug)"

# kunit_relay SUITE: the KTAP lines of SUITE in the kernel log, as the
# runner's "KUNIT: ok|not-ok|skip SUITE.CASE" lines; its case count.
kunit_relay()
{
	dmesg | sed 's/^\[[ 0-9.]*\] //' | awk -v s="$1" '
		$0 ~ "# Subtest: " s "$" { on = 1; next }
		on && /^ *ok [0-9]+ / && !/# SKIP/ {
			print "KUNIT: ok " s "." $3; n++; next }
		on && /^ *ok [0-9]+ .*# SKIP/ { print "KUNIT: skip " s "." $3; n++; next }
		on && /^ *not ok [0-9]+ / { print "KUNIT: not-ok " s "." $4; n++; next }
		on && $0 ~ "^ *# " s ": pass:" { print "KUNIT-SUMMARY " $0; on = 0 }
		END { print "KUNIT-CASES " n + 0 }'
}

# kunit_check SUITE: the cases of SUITE (which ran when its module was
# loaded) relayed one by one; none may fail, and debugfs must agree.
kunit_check()
{
	local out n

	out=$(kunit_relay "$1")
	printf '%s\n' "$out" | grep -v '^KUNIT-CASES'
	n=$(printf '%s\n' "$out" | sed -n 's/^KUNIT-CASES //p')
	[ "$n" -gt 0 ]
	check_err $? "no KUnit case of $1 in the kernel log"
	printf '%s\n' "$out" | grep -q '^KUNIT: not-ok'
	check_fail $? "a KUnit case of $1 failed"
	grep -q "# $1: pass:$n fail:0 " "/sys/kernel/debug/kunit/$1/results"
	check_err $? "debugfs kunit/$1/results: $(tail -n 3 \
		"/sys/kernel/debug/kunit/$1/results" 2>&1 | tr '\n' ' ')"
	KUNIT_N=$n
}

kunit_pf()
{
	local filters

	insmod "$PF_KO"
	check_err $? "insmod cdna_pf (with its KUnit suites) failed"
	kunit_check cdna_pf_filters
	filters=$KUNIT_N
	kunit_check cdna_rings
	rmmod cdna_pf
	check_err $? "rmmod cdna_pf after KUnit failed"
	log_test "KUnit cdna_pf_filters: $filters cases, cdna_rings: $KUNIT_N cases"
}

# The ledger's state machine (free, assigned, scrubbing, quarantined)
# against a fake PF: vmm_guard's suite runs when it loads.
kunit_guard_ledger()
{
	load_guard
	check_err $? "loading vmm_guard (with its KUnit suite) failed"
	kunit_check vmm_guard_ledger
	rmmod vmm_guard
	check_err $? "rmmod vmm_guard after KUnit failed"
	log_test "KUnit vmm_guard_ledger: $KUNIT_N cases"
}

run_tests
