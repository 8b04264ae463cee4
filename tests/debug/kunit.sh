#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Debug tier: the KUnit suites built into the modules for the debug kernel
# (make modules-debug), each case relayed to the runner as one result, then
# CYCLES (5) load/unload cycles of all three modules with contexts in use
# (cdna_vf on one, pinging the PF; vmm_guard holding another, its opener
# SIGKILLed), which the kmemleak scan after the job (lab/vm/stage2.sh)
# checks for leaks.
# lab: timeout=600
source /src/tests/lib.sh

TESTS="kunit_pf_filters load_cycles"
PF=$(pf_dev)
CYCLES=${CYCLES:-5}
PF_IP=198.18.40.1
VF_IP=198.18.40.2

trap 'pf_cleanup cdna_vf vmm_guard' EXIT
need pf cdna_pf cdna_vf vmm_guard
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

kunit_pf_filters()
{
	local out n

	insmod "$PF_KO"
	check_err $? "insmod cdna_pf (with its KUnit suites) failed"
	out=$(kunit_relay cdna_pf_filters)
	printf '%s\n' "$out" | grep -v '^KUNIT-CASES'
	n=$(printf '%s\n' "$out" | sed -n 's/^KUNIT-CASES //p')
	[ "$n" -gt 0 ]
	check_err $? "no KUnit case of cdna_pf_filters in the kernel log"
	printf '%s\n' "$out" | grep -q '^KUNIT: not-ok'
	check_fail $? "a KUnit case failed"
	grep -q "# cdna_pf_filters: pass:$n fail:0 " \
		/sys/kernel/debug/kunit/cdna_pf_filters/results
	check_err $? "debugfs kunit/cdna_pf_filters/results: $(tail -n 3 \
		/sys/kernel/debug/kunit/cdna_pf_filters/results 2>&1 | tr '\n' ' ')"
	rmmod cdna_pf
	check_err $? "rmmod cdna_pf after KUnit failed"
	log_test "KUnit cdna_pf_filters: $n cases"
}

# One cycle: the PF with 2 contexts, cdna_vf on context 1 pinging the PF,
# vmm_guard holding context 0 open, then everything unloaded.
cycle()
{
	local vf0 vf1 dev

	insmod "$PF_KO" || return 1
	busy_wait 20 has_netdev "$PF" || return 2
	DEV=$(pci_netdev "$PF")
	ip addr add "$PF_IP/24" dev "$DEV" && ip link set "$DEV" up || return 3
	echo 0 > "/sys/bus/pci/devices/$PF/sriov_drivers_autoprobe"
	set_numvfs "$PF" 2 || return 4
	vf0=$(vf_dev "$PF" 0)
	vf1=$(vf_dev "$PF" 1)
	insmod "$VF_KO" || return 5
	bind_driver "$vf1" cdna_vf || return 6
	busy_wait 30 has_netdev "$vf1" || return 7
	dev=$(pci_netdev "$vf1")
	ip netns add cyc && ip link set "$dev" netns cyc || return 8
	in_ns cyc ip addr add "$VF_IP/24" dev "$dev"
	in_ns cyc ip link set "$dev" up
	busy_wait 30 in_ns cyc ping -c 1 -W 1 -q "$PF_IP" > /dev/null || return 9
	in_ns cyc ping -c 20 -i 0.05 -q "$PF_IP" > /dev/null || return 10
	load_guard || return 11
	bind_driver "$vf0" vmm_guard || return 12
	vfio_hold "$vf0" || return 13
	# The VMM killed while it holds the context: released, scrubbed.
	vfio_drop KILL
	busy_wait 20 state_free "$vf0" || return 14
	ip netns delete cyc
	echo 0 > "/sys/bus/pci/devices/$PF/sriov_numvfs" || return 15
	rmmod vmm_guard && rmmod cdna_vf && rmmod cdna_pf || return 16
}

state_free()
{
	[ "$(cat "/sys/bus/pci/devices/$1/guard/state" 2>/dev/null)" = free ]
}

load_cycles()
{
	local i rc start=$SECONDS

	for i in $(seq 1 "$CYCLES"); do
		cycle
		rc=$?
		if [ $rc -ne 0 ]; then
			check_err 1 "cycle $i failed at step $rc"
			break
		fi
	done
	echo "cycles: $((i)) of $CYCLES in $((SECONDS - start)) s"
	log_test "$CYCLES load/unload cycles with contexts in use"
}

run_tests
