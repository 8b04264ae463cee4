#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Debug tier: the soak, bounded.  The KUnit suites built into the modules
# for the debug kernel first (make modules-debug: cdna_pf's filter
# allocators and the ring arithmetic the drivers share, vmm_guard's
# ledger state machine; they run when a module loads), each case relayed
# to the runner as one result.  Then four phases, each printing its
# figures, all of them under KASAN, lockdep, KFENCE, UBSAN and DMA-API
# debug, with the kmemleak scan after the job (lab/vm/stage2.sh) finding
# no leak:
#  cycles  load/unload cycles of the three modules with contexts in use:
#          cdna_vf on context 1 pinging the PF, vmm_guard holding context 0
#          (a VFIO holder with a DMA mapping), SIGKILLed, then everything
#          unloaded;
#  kills   SIGKILLs of a VMM mid-traffic: sw-client serve on context 0's
#          mediated device (software mode; its RX ring posted, guest pages
#          pinned) answers pings from context 1, and is killed while they
#          flow; each release scrubs the context, frees it and unpins every
#          page;
#  bytes   random data through a context pair (cdna_vf on contexts 1 and
#          2 in two namespaces, one TCP stream), checksummed at both ends;
#  mbx     a hostile raw VF (context 3) posts mailbox messages as fast as
#          it can (tests/tools/mbx-flood: garbage and replayed valid
#          requests, at least MBX_MSGS, until the figures are taken and MBX_S seconds more)
#          while a bystander raw VF's (context 4) mailbox round trips and
#          context 1's ping loss to the PF are measured, against the same
#          with no flood.
# `make check` runs the short version below; `make soak` runs
# `tests/debug/soak.sh full`: 100 cycles, 50 kills, 1 GiB, 1,000,000
# messages.
#
# lab: timeout=600 mem=3072 alone
source /src/tests/lib.sh

TESTS="kunit cycles kills bytes mbx"
PF=$(pf_dev)
if [ "${1:-}" = full ]; then
	CYCLES=100 KILLS=50 BYTES_MB=1024 MBX_MSGS=1000000 MBX_S=60
else
	CYCLES=${CYCLES:-2} KILLS=${KILLS:-2} BYTES_MB=${BYTES_MB:-8}
	MBX_MSGS=${MBX_MSGS:-20000} MBX_S=${MBX_S:-10}
fi
PF_IP=198.18.41.1
IP0=198.18.41.10		# sw-client on context 0
IP1=198.18.41.11		# cdna_vf, context 1, namespace sa
IP2=198.18.41.12		# cdna_vf, context 2, namespace sb
MAC=(02:cd:41:00:00:00 02:cd:41:00:00:01 02:cd:41:00:00:02 02:cd:41:00:00:03
     02:cd:41:00:00:04)
SWC=$TOOLS/sw-client
UUID=$(cat /proc/sys/kernel/random/uuid)
SW_DRIVER=vmm_guard_sw
MDEV_TYPE=vmm_guard_sw-ctx
SERVE=
SERVE_LOG=
BG=
L=

trap 'sw_stop; pf_cleanup cdna_vf vmm_guard' EXIT
need pf cdna_pf cdna_vf vmm_guard vfio-open
[ -x "$SWC" ] && [ -x "$TOOLS/mbx-flood" ] ||
	skip_all "tests/tools/sw-client or mbx-flood not built"
echo "soak: $CYCLES cycles, $KILLS kills, $BYTES_MB MiB, at least $MBX_MSGS mailbox messages"

# The KUnit suites, from the first load of each module (every later load
# runs them again).
kunit()
{
	local pf

	if [ ! -d /sys/kernel/debug/kunit ]; then
		log_skip "KUnit suites" "this kernel has no KUnit (LAB_KERNEL=debug)"
		return
	fi
	insmod "$PF_KO"
	check_err $? "insmod cdna_pf (with its KUnit suites) failed"
	kunit_check cdna_pf_filters
	pf=$KUNIT_N
	kunit_check cdna_rings
	pf="cdna_pf_filters $pf, cdna_rings $KUNIT_N"
	load_guard
	check_err $? "loading vmm_guard (with its KUnit suite) failed"
	kunit_check vmm_guard_ledger
	rmmod vmm_guard && rmmod cdna_pf
	check_err $? "the modules do not unload after KUnit"
	log_test "KUnit: $pf, vmm_guard_ledger $KUNIT_N cases"
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
	in_ns cyc ip addr add "$IP1/24" dev "$dev"
	in_ns cyc ip link set "$dev" up
	busy_wait 30 in_ns cyc ping -c 1 -W 1 -q "$PF_IP" > /dev/null || return 9
	in_ns cyc ping -c 20 -i 0.05 -q "$PF_IP" > /dev/null || return 10
	load_guard || return 11
	bind_driver "$vf0" vmm_guard || return 12
	vfio_hold "$vf0" || return 13
	# The VMM killed while it holds the context: released, scrubbed.
	vfio_drop KILL
	busy_wait 20 eval '[ "$(cat /sys/bus/pci/devices/'"$vf0"'/guard/state 2>/dev/null)" = free ]' ||
		return 14
	ip netns delete cyc
	echo 0 > "/sys/bus/pci/devices/$PF/sriov_numvfs" || return 15
	rmmod vmm_guard && rmmod cdna_vf && rmmod cdna_pf || return 16
}

cycles()
{
	local i rc=0 start=$SECONDS

	for ((i = 1; i <= CYCLES; i++)); do
		cycle
		rc=$?
		[ $rc -eq 0 ] && continue
		check_err 1 "cycle $i failed at step $rc"
		break
	done
	echo "cycles: $((i - 1)) of $CYCLES in $((SECONDS - start)) s"
	log_test "$CYCLES load/unload cycles with contexts in use"
	[ $rc -eq 0 ] || fail_all "the modules did not survive the cycles"
}

# The PF with 5 contexts: 0 on vmm_guard_sw with a mediated device, 1 and
# 2 on cdna_vf in namespaces sa and sb, 3 and 4 raw (no driver).
setup()
{
	local t

	pf_up cdna_pf
	ip addr add "$PF_IP/24" dev "$DEV"
	vfs_make 5 "${MAC[@]}" || fail_all "cannot enable 5 contexts"
	modprobe vfio && modprobe vfio_iommu_type1 && modprobe mdev ||
		fail_all "the VFIO modules do not load"
	load_guard || fail_all "vmm_guard does not load"
	bind_driver "${VF[0]}" $SW_DRIVER || fail_all "${VF[0]} did not bind to $SW_DRIVER"
	L=/sys/bus/pci/devices/${VF[0]}/guard
	t=/sys/bus/pci/devices/${VF[0]}/mdev_supported_types/$MDEV_TYPE
	echo "$UUID" > "$t/create" || fail_all "cannot create mdev $UUID"
	cdna_vf_bind "${VF[1]}" "${VF[2]}" || fail_all "cdna_vf did not bind contexts 1 and 2"
	vf_into_ns "${VF[1]}" sa vf1 "$IP1" noipv6 || fail_all "no cdna_vf netdev on context 1"
	vf_into_ns "${VF[2]}" sb vf2 "$IP2" noipv6 || fail_all "no cdna_vf netdev on context 2"
	busy_wait 60 carrier_up sa vf1 && busy_wait 60 carrier_up sb vf2 ||
		fail_all "contexts 1 and 2 have no carrier"
	busy_wait 60 in_ns sa ping -c 1 -W 1 -q "$IP2" > /dev/null ||
		fail_all "context 1 cannot reach context 2"
	raw_vf_take "${VF[3]}"
	raw_vf_take "${VF[4]}"
	rvf_reset "${VF[4]}" || fail_all "context 4: RESET handshake failed"
}

kills()
{
	local i answered=0 scrubs0 worst=0 t0 ms pinned=0 n p

	setup
	scrubs0=$(led scrubs)
	for ((i = 1; i <= KILLS; i++)); do
		if ! serve_start "/tmp/serve.$i.log"; then
			check_err 1 "kill $i: serve did not start: $(grep FAIL "/tmp/serve.$i.log" | head -n 2)"
			[ -n "$SERVE" ] && kill -9 "$SERVE" 2>/dev/null
			SERVE=
			break
		fi
		in_ns sa ping -c 3 -i 0.2 -W 2 -q "$IP0" > /tmp/ping.kill 2>&1
		n=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' /tmp/ping.kill)
		answered=$((answered + ${n:-0}))
		n=$(led pinned_pages)
		[ "${n:-0}" -gt "$pinned" ] && pinned=${n:-0}
		# Mid-traffic: a ping stream runs while the VMM dies.
		in_ns sa ping -c 20 -i 0.05 -W 1 -q "$IP0" > /dev/null 2>&1 &
		bg_add $!
		sleep 0.3
		t0=$(now_ms)
		kill -KILL "$SERVE"
		wait "$SERVE" 2>/dev/null
		SERVE=
		if ! busy_wait 30 eval 'state_is free && pinned_zero'; then
			check_err 1 "kill $i: after the SIGKILL: $(ledger_dump)"
			break
		fi
		ms=$(( $(now_ms) - t0 ))
		[ $ms -gt $worst ] && worst=$ms
	done
	for p in $BG; do
		wait "$p" 2>/dev/null
	done
	BG=
	echo "kills: $((i - 1)) of $KILLS; pings answered before each $answered of $((3 * KILLS));" \
	     "scrubs $scrubs0 -> $(led scrubs); up to $pinned pages pinned, 0 after each;" \
	     "slowest release to free $worst ms"
	[ "$(led scrubs)" = $(( ${scrubs0:-0} + KILLS )) ]
	check_err $? "scrubs $scrubs0 -> $(led scrubs) for $KILLS kills"
	[ $answered -ge $((3 * KILLS * 9 / 10)) ]
	check_err $? "only $answered of $((3 * KILLS)) pings answered by the VMMs before their kill"
	log_test "$KILLS SIGKILLs of a VMM mid-traffic: each release scrubbed, freed, unpinned"
}

# A TCP server and client in Perl (the lab root has no netcat): the server
# writes what it receives to stdout, the client sends stdin.
RECV='use IO::Socket::INET; $s = IO::Socket::INET->new(LocalPort => 5301,
	Listen => 1, ReuseAddr => 1) or die "listen: $!"; $c = $s->accept or die;
	while (($n = sysread($c, $b, 65536))) { syswrite(STDOUT, $b) == $n or die }'
# The sender tries for 60 s: the receiver may be slow to start.
SEND='use IO::Socket::INET; for (1 .. 60) { $c = IO::Socket::INET->new(
	PeerAddr => $ARGV[0], PeerPort => 5301) and last; sleep 1 }
	$c or die "connect: $!";
	while (($n = sysread(STDIN, $b, 65536))) { $o = 0;
	while ($o < $n) { $w = syswrite($c, $b, $n - $o, $o); defined $w or die; $o += $w } }'

bytes()
{
	local rx tx start secs

	local sum

	# Bounded: a receiver nobody reaches must not hold the soak.
	in_ns sb timeout $(( 120 + BYTES_MB )) perl -e "$RECV" 2> /tmp/recv.err |
		sha256sum > /tmp/rx.sum &
	rx=$!
	bg_add $rx
	# What is sent is summed on its way (the lab VM has no /dev/fd).
	rm -f /tmp/tx.fifo /tmp/tx.sum
	mkfifo /tmp/tx.fifo
	sha256sum < /tmp/tx.fifo > /tmp/tx.sum &
	sum=$!
	sleep 1
	start=$(now_ms)
	head -c "$((BYTES_MB << 20))" /dev/urandom | tee /tmp/tx.fifo |
		in_ns sa perl -e "$SEND" "$IP2" 2> /tmp/send.err
	tx=$?
	wait "$sum"
	[ $tx -eq 0 ] || pkill -f 'LocalPort => 5301'
	wait "$rx"
	secs=$(( ($(now_ms) - start + 500) / 1000 ))
	BG=
	echo "bytes: $BYTES_MB MiB in ${secs} s ($(( BYTES_MB * 8 / (secs > 0 ? secs : 1) )) Mbit/s);" \
	     "sent $(cut -c1-16 /tmp/tx.sum), received $(cut -c1-16 /tmp/rx.sum)"
	[ $tx -eq 0 ]
	check_err $? "the sender failed: $(cat /tmp/send.err)"
	[ -s /tmp/tx.sum ] && cmp -s /tmp/tx.sum /tmp/rx.sum
	check_err $? "checksums differ: sent $(cat /tmp/tx.sum), received $(cat /tmp/rx.sum); $(cat /tmp/recv.err)"
	log_test "$BYTES_MB MiB through a context pair, checksums equal"
}

# rtt_sample N: N mailbox round trips of the bystander, context 4 (a
# SET_MULTICAST request, its answer waited for), their median in ms on
# stdout; nothing when one goes unanswered.
rtt_sample()
{
	local i t0 r out=()

	for ((i = 0; i < $1; i++)); do
		t0=$(now_ms)
		r=$(rvf_req "${VF[4]}" 0x00010003 0x00000123)
		is_ack "$r" || return 1
		out+=($(( $(now_ms) - t0 )))
	done
	printf '%s\n' "${out[@]}" | median
}

# loss_sample: context 1's ping loss to the PF over 5 s, in percent.
loss_sample()
{
	in_ns sa ping -c 50 -i 0.1 -W 1 -q "$PF_IP" 2>&1 |
		sed -n 's/.* \([0-9.]*\)% packet loss.*/\1/p' | cut -d. -f1
}

mbx()
{
	local rtt0 loss0 rtt1 loss1 fl m0 m1

	rtt0=$(rtt_sample 5)
	loss0=$(loss_sample)
	m0=$(ctx 3 mbx_msgs)
	# It floods until the bystander's figures are taken (SIGTERM), and
	# MBX_S seconds more.
	"$TOOLS/mbx-flood" "${VF[3]}" "$MBX_MSGS" 1 3600 > /tmp/flood.log 2>&1 &
	fl=$!
	bg_add $fl
	sleep 1
	rtt1=$(rtt_sample 5)
	loss1=$(loss_sample)
	# The figures above are the flood's only if it still runs.
	kill -0 "$fl" 2>/dev/null
	check_err $? "the flood ended before the bystander's figures were taken: $(cat /tmp/flood.log)"
	sleep "$MBX_S"
	kill -TERM "$fl"
	wait "$fl"
	check_err $? "mbx-flood failed: $(cat /tmp/flood.log)"
	BG=
	m1=$(ctx 3 mbx_msgs)
	echo "mbx: $(tail -n 1 /tmp/flood.log); the PF read $((m1 - m0)) of them," \
	     "throttled $(ctx 3 mbx_throttled), resets $(ctx 3 resets) ($(ctx 3 resets_throttled) throttled)"
	echo "mbx: context 4 (bystander) mailbox round trip median ${rtt0:-unanswered} ms idle, ${rtt1:-unanswered} ms during the flood;" \
	     "ping loss ${loss0:-?}% idle, ${loss1:-?}% during the flood"
	[ $(( ${m1:-0} - ${m0:-0} )) -gt 0 ]
	check_err $? "the PF read none of the hostile context's messages"
	[ "$(ctx 3 mbx_throttled)" -gt 0 ] 2>/dev/null
	check_err $? "the PF never throttled the hostile context (mbx_throttled $(ctx 3 mbx_throttled))"
	[ "$(sed -n 's/^mbx-flood: sent=\([0-9]*\) .*/\1/p' /tmp/flood.log)" -ge "$MBX_MSGS" ] 2>/dev/null
	check_err $? "the flood posted fewer than $MBX_MSGS messages: $(cat /tmp/flood.log)"
	[ -n "$rtt1" ] && [ -n "$rtt0" ] && [ "$rtt1" -le $(( 2 * rtt0 + 50 )) ]
	check_err $? "the bystander's mailbox round trip ${rtt1:-unanswered} ms during the flood against ${rtt0:-unanswered} ms idle"
	[ "${loss1:-100}" -le $(( ${loss0:-0} + 5 )) ]
	check_err $? "context 1 lost ${loss1:-?}% of its pings during the flood (${loss0:-?}% idle)"
	# The hostile context recovers once it stops.
	wait_until 10 'test "$(ctx 3 throttled)" = 0'
	rvf_reset "${VF[3]}"
	check_err $? "context 3 cannot complete a RESET handshake after its flood"
	log_test "at least $MBX_MSGS hostile mailbox messages: a bystander's mailbox and traffic kept"
}

run_tests
