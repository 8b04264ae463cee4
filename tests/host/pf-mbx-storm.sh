#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# lab: timeout=600 alone
#
# A hostile VF cannot drive the host's CPU: VF1, driven from this script,
# writes its CTRL.RST and its mailbox REQ bit in a tight loop for 30 s.
# The PF throttles it (its resets and requests wait for their back-off,
# counted in cdna/ctx1/resets_throttled and mbx_throttled), and meanwhile
# the other contexts keep their service: VF2's mailbox round trips and
# VF0's (cdna_vf) ping to the PF stay within 2x of idle and of what they
# are under the same CPU load from a harmless writer (the same loop
# writing a mailbox data word), and the VM's own timers keep time.  Afterwards VF1
# recovers: its RESET handshake completes once it stops.  devlink's "mbx"
# health reporter recorded the flood, with VF1's counters.
source /src/tests/lib.sh

TESTS="setup idle control storm bounded recovers health"
PF=$(pf_dev)
DEV=
PF_IP=198.18.16.1
VF0_IP=198.18.16.10
VF=()
STORM_S=${STORM_S:-30}
CONTROL_S=${CONTROL_S:-15}
WRITER=
declare -A MBX PING LAG

cleanup()
{
	[ -n "$WRITER" ] && kill "$WRITER" 2>/dev/null
	pf_cleanup cdna_vf
}
trap cleanup EXIT

need pf cdna_pf cdna_vf cdna-regs

# writer WHAT: VF1's BAR0 written in a tight loop (500 register writes a
# process) until killed: "storm" resets it and raises REQ, "control"
# writes a mailbox data word (the PF never sees it).
writer()
{
	local args=() i

	for i in $(seq 250); do
		if [ "$1" = storm ]; then
			args+=(VF_CTRL=0x4000000 VF_V2PMAILBOX=0x1)
		else
			args+=("VF_VMBMEM(5)=0x0" "VF_VMBMEM(6)=0x0")
		fi
	done
	while :; do
		rvf_regs "${VF[1]}" "${args[@]}" > /dev/null
	done
}

# measure PHASE SECONDS: bystander figures while the writer runs.
measure()
{
	local phase=$1 secs=$2 end t0 t1 r lag=0 mbx=() n=0 pinger

	end=$(( $(date +%s) + secs ))
	in_ns a ping -c $((secs * 4)) -i 0.25 -W 2 "$PF_IP" > "/tmp/ping.$phase" 2>&1 &
	pinger=$!
	while [ "$(date +%s)" -lt "$end" ]; do
		t0=$(now_ms)
		r=$(rvf_req "${VF[2]}" 0x00010003 0x00000123)
		t1=$(now_ms)
		is_ack "$r" && mbx+=($((t1 - t0))) || n=$((n + 1))
		t0=$(now_ms)
		sleep 0.2
		t1=$(now_ms)
		[ $((t1 - t0 - 200)) -gt "$lag" ] && lag=$((t1 - t0 - 200))
	done
	wait "$pinger"
	MBX[$phase]=$(printf '%s\n' "${mbx[@]}" | median)
	PING[$phase]=$(sed -n 's/.*time=\([0-9.]*\) ms/\1/p' "/tmp/ping.$phase" |
		awk '{ printf "%d\n", $1 * 1000 }' | median)
	LAG[$phase]=$lag
	echo "$phase: mailbox round trip median ${MBX[$phase]} ms over ${#mbx[@]} (no answer: $n)," \
	     "ping median ${PING[$phase]} us ($(grep -o '[0-9]*% packet loss' "/tmp/ping.$phase")), timer lag max $lag ms"
	[ "$n" -eq 0 ]
}

setup()
{
	pf_up cdna_pf
	ip addr add "$PF_IP/24" dev "$DEV"
	vfs_make 3 02:cd:16:00:00:00 || fail_all "cannot enable 3 VFs"
	cdna_vf_bind "${VF[0]}" || fail_all "cdna_vf did not bind VF0"
	vf_into_ns "${VF[0]}" a eth0 "$VF0_IP" || fail_all "no cdna_vf netdev"
	busy_wait 60 in_ns a ping -c 1 -W 1 "$PF_IP" > /dev/null
	check_err $? "VF0 (cdna_vf) cannot ping the PF"
	raw_vf_take "${VF[1]}"
	raw_vf_take "${VF[2]}"
	rvf_reset "${VF[2]}"
	check_err $? "VF2: RESET handshake failed"
	log_test "setup: cdna_vf on VF0, hostile raw VF1, bystander raw VF2"
}

idle()
{
	measure idle "$CONTROL_S"
	check_err $? "bystander mailbox requests went unanswered with nothing else running"
	log_test "idle: bystanders' figures with no writer"
}

control()
{
	writer control &
	WRITER=$!
	sleep 2
	measure control "$CONTROL_S"
	check_err $? "bystander mailbox requests went unanswered under the harmless writer"
	kill "$WRITER"
	wait "$WRITER" 2>/dev/null
	WRITER=
	[ "$(ctx 1 resets_throttled)" = 0 ] && [ "$(ctx 1 throttled)" = 0 ]
	check_err $? "the harmless writer was throttled"
	log_test "control: bystanders under a harmless writer's CPU load"
}

storm()
{
	local r0 m0

	r0=$(ctx 1 resets)
	m0=$(ctx 1 mbx_msgs)
	writer storm &
	WRITER=$!
	sleep 2
	measure storm "$STORM_S"
	check_err $? "bystander mailbox requests went unanswered during the storm"
	# Each back-off is short (1/rate s): look while the writer still runs,
	# not at one instant that a loaded host may place between two.
	busy_wait 15 eval '[ "$(ctx 1 throttled)" = 1 ]'
	check_err $? "VF1 not throttled during its storm (15 s of looking)"
	kill "$WRITER"
	wait "$WRITER" 2>/dev/null
	WRITER=
	echo "VF1: resets $r0 -> $(ctx 1 resets) handled, $(ctx 1 resets_throttled) throttled;" \
	     "messages $m0 -> $(ctx 1 mbx_msgs) read, $(ctx 1 mbx_throttled) held back"
	[ "$(ctx 1 resets_throttled)" -gt 0 ]
	check_err $? "no reset was throttled"
	[ $(( $(ctx 1 resets) - r0 )) -le $(( 16 + 4 * (STORM_S + 4) )) ]
	check_err $? "the PF handled $(( $(ctx 1 resets) - r0 )) resets of VF1 in ${STORM_S}s"
	log_test "storm: VF1 resets and posts in a loop for ${STORM_S}s, throttled"
}

# within2x WHAT STORM CONTROL
within2x()
{
	[ "$2" -ge 0 ] && [ "$3" -ge 0 ] && [ "$2" -le $((2 * $3)) ]
	check_err $? "$1: $2 during the storm against $3 under the harmless writer (more than 2x)"
}

bounded()
{
	within2x "bystander mailbox round trip (ms)" "${MBX[storm]:--1}" "${MBX[control]:--1}"
	within2x "cdna_vf ping to the PF (us)" "${PING[storm]:--1}" "${PING[control]:--1}"
	within2x "bystander mailbox round trip against idle (ms)" "${MBX[storm]:--1}" "${MBX[idle]:--1}"
	within2x "cdna_vf ping to the PF against idle (us)" "${PING[storm]:--1}" "${PING[idle]:--1}"
	echo "against idle: mailbox ${MBX[storm]:-?}/${MBX[idle]:-?} ms, ping ${PING[storm]:-?}/${PING[idle]:-?} us"
	[ "${LAG[storm]:-9999}" -le 1000 ]
	check_err $? "the VM's timers lagged ${LAG[storm]:-?} ms during the storm"
	log_test "bystanders' mailbox and traffic within 2x, host responsive"
}

recovers()
{
	wait_until 10 'test "$(ctx 1 throttled)" = 0'
	check_err $? "VF1 still throttled 10 s after its storm"
	rvf_reset "${VF[1]}"
	check_err $? "VF1 cannot complete a RESET handshake after its storm"
	[ "$(ctx 1 cts)" = 1 ]
	check_err $? "VF1 has no CTS after its RESET"
	log_test "VF1 recovers once it stops"
}

# jtrue JSON EXPR: the Perl expression EXPR holds of $d, the decoded JSON.
jtrue()
{
	perl -MJSON::PP -e '$d = decode_json($ARGV[0]); exit(!('"$2"'))' "$1" 2>/dev/null
}

# devlink health: the storm was reported (VF1, throttled), diagnose lists
# every context's counters.
health()
{
	local out

	out=$(devlink health show "pci/$PF" reporter mbx 2>&1)
	echo "    $out"
	[[ $out =~ error\ ([0-9]+) ]] && [ "${BASH_REMATCH[1]}" -ge 1 ]
	check_err $? "reporter mbx counted no error: $out"
	out=$(devlink -j health dump show "pci/$PF" reporter mbx 2>&1)
	echo "    dump: $out"
	jtrue "$out" '$d->{context} == 1 && $d->{throttled} && $d->{mbx_throttled} + $d->{resets_throttled} > 0'
	check_err $? "the dump is not VF1's flood: $out"
	out=$(devlink -j health diagnose "pci/$PF" reporter mbx 2>&1)
	echo "    diagnose: $out"
	jtrue "$out" '@{$d->{contexts}} == 3 && $d->{contexts}[1]{resets_throttled} > 0 && $d->{contexts}[2]{resets_throttled} == 0'
	check_err $? "diagnose does not list the three contexts as they are: $out"
	log_test "devlink health reporter mbx: the flood reported, diagnose per context"
}

run_tests
