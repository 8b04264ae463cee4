#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vmm_guard, software mode, on a host with no IOMMU and without a guest:
# context 0 is bound to vmm_guard_sw and offers one mediated device that
# tests/tools/sw-client opens the way QEMU would and drives the way a
# guest's VF driver would (rings in its DMA-mapped memory, MSI-X through
# eventfds, the PF mailbox); context 1 is cdna_vf's netdev in a network
# namespace, the client's peer through the NIC's switch.  Checked: the
# ledger through a context's life (mode, state, descriptors validated,
# pages pinned, scrubs); the mdev's VFIO identity; the reset handshake and
# its MAC; PF messages on the mailbox vector; ping and a UDP pattern
# stream in both directions with no corruption, also with every buffer
# across a page boundary (the guard's RX bounce and TX split) and with
# rings above 4 GiB of IOVA; descriptors outside the VM's memory refused,
# never executed; an unmap of busy memory returns and leaves
# nothing pinned, an unmap of the TX buffers alone leaves RX running;
# closing with traffic in flight, and a VMM killed
# mid-stream, scrub the context and leave it reusable; a VM that floods
# the guard with bad descriptors has its context quarantined until it is
# rebound, and the other context goes on; frames the client sends with a
# MAC no longer the context's, or tagged with a VLAN it may not use, are
# dropped by the guard and counted.  The data path
# runs with both pinning strategies (guard/strategy per-desc and cache).
#
# lab-iommu: off
# lab: timeout=900 mem=2048
# Under the debug kernel (the debug tier) lockdep checks every test but
# the two that unmap memory the guard has pinned (sw_unmap_busy,
# sw_unmap_partial, in both strategies): they run last but for sw_remove,
# with lockdep's lock-order proving turned off meanwhile, as lockdep reports
# vfio_iommu_type1's own lock order there (and a report ends its checking
# for the rest of the boot).  type1 calls a driver's .dma_unmap holding
# its device_list_lock, which it takes under iommu->lock (registering a
# device, notifying an unmap), and the driver must unpin in that callback
# (vfio_unpin_pages takes iommu->lock): with the guard's sw->lock taken
# in the callback too, lockdep reports the cycle through sw->lock first;
# with the callback only try-locking sw->lock it reports type1's
# two-lock cycle (both seen in the debug tier).  KASAN, kmemleak, KFENCE,
# UBSAN and DMA-API debug check them as any other.
source /src/tests/lib.sh

TESTS="sw_bind_free sw_info sw_irq_model sw_reset sw_serve_ping sw_mbx_irq sw_strategy_busy
       sw_serve_udp sw_straddle sw_blast sw_refuse sw_unmap_busy
       sw_unmap_partial sw_inflight_close sw_kill_mid_stream sw_cache
       sw_spoof sw_vlan sw_wire sw_quarantine sw_remove"
# The data path again with guard/strategy "cache" (pins kept until release).
CACHE_TESTS="sw_serve_ping sw_strategy_busy sw_serve_udp sw_straddle
	     sw_unmap_busy sw_unmap_partial sw_inflight_close sw_kill_mid_stream"
# The tests that unmap memory in use, which lockdep cannot follow (above).
UNMAP_TESTS="sw_unmap_busy sw_unmap_partial"
STRAT=			# " [cache]" while sw_cache runs the tests again
PF=$(pf_dev)
SWC=$TOOLS/sw-client
MAC0=02:cd:0b:00:00:01		# context 0: the mdev
MAC1=02:cd:0b:00:00:02		# context 1: cdna_vf in $NS
MAC0B=02:cd:0b:00:00:03		# context 0's MAC for a while (sw_spoof)
IP0=198.18.7.1
IP1=198.18.7.2
IPPF=198.18.7.3			# the PF's netdev, for sw_quarantine
BCAST=198.18.7.255
NS=swns
UUID=$(cat /proc/sys/kernel/random/uuid)
SW_DRIVER=vmm_guard_sw
MDEV_TYPE=vmm_guard_sw-ctx
UDP_N=${UDP_N:-400}		# datagrams of a stream
UDP_RATE=${UDP_RATE:-100}	# per second: TCG, every register trapped
PFNET=
VF0=
VF1=
L=
BG=			# PIDs of background helpers this script started
SERVE=			# PID of the running sw-client serve
SERVE_LOG=

cleanup()
{
	sw_stop
	ip netns del $NS 2>/dev/null
	ip netns del peer 2>/dev/null
	rmmod cdna_vf 2>/dev/null
	guard_cleanup
}
trap cleanup EXIT

# kv FILE TAG KEY: the value of KEY on the last "TAG:" line of FILE (0
# when there is none).
kv()
{
	local v

	v=$(sed -n "s/^$2:.* $3=\([0-9]*\).*/\1/p" "$1" | tail -n1)
	echo "${v:-0}"
}

# show FILE: the client's lines worth keeping in the test log.
show()
{
	grep -E '^(ready|summary|straddle|FAIL|unmap|quiet|ledger|close|reset|serve|blast|udp-|inflight|warning|rx:|mbx)' "$1" |
		head -n 40 | sed 's/^/    /'
}

bg_kill()
{
	kill -TERM "$1" 2>/dev/null
	busy_wait 10 eval '! kill -0 '"$1"' 2>/dev/null' || kill -9 "$1" 2>/dev/null
	wait "$1" 2>/dev/null
	BG=$(echo "$BG" | tr ' ' '\n' | grep -vx "$1" | tr '\n' ' ')
}

pinging()
{
	in_ns $NS ping -c 1 -W 1 -q $IP0 > /dev/null 2>&1
}

# ping_check COUNT [ARGS...]: COUNT pings from $NS to the client, none
# lost; the summary lines go to the log.
ping_check()
{
	local n=$1 out

	shift
	out=$(in_ns $NS ping -c "$n" -i 0.2 -W 2 -q "$@" $IP0 2>&1)
	echo "$out" | grep -E 'packets|rtt' | sed 's/^/    ping: /'
	echo "$out" | grep -q " $n received, 0% packet loss"
}

# udp_stream N SIZE: N datagrams of the pattern from $NS to the client.
udp_stream()
{
	in_ns $NS "$SWC" udp-send --dst $IP0 --count "$1" --size "$2" \
		--rate $UDP_RATE | sed 's/^/    /'
}

# udp_wait N: the running serve counted N good datagrams (30 s at most).
udp_wait()
{
	wait_until 30 '[ "$(kv "$SERVE_LOG" frames udp_ok)" -ge '"$1"' ] 2>/dev/null'
}

setup()
{
	[ -n "$PF" ] || skip_all "no 82576 PF"
	[ -x "$SWC" ] || fail_all "no $SWC: make -C tests/tools"
	insmod "$KMOD/cdna-pf/cdna_pf.ko" || fail_all "cdna_pf does not load"
	busy_wait 20 has_netdev "$PF" || fail_all "cdna_pf gave no netdev"
	PFNET=$(pci_netdev "$PF")
	ip link set "$PFNET" up
	echo 0 > "/sys/bus/pci/devices/$PF/sriov_drivers_autoprobe"
	set_numvfs "$PF" 2 || fail_all "cdna_pf cannot create contexts"
	ip link set "$PFNET" vf 0 mac $MAC0
	ip link set "$PFNET" vf 1 mac $MAC1
	VF0=$(vf_dev "$PF" 0)
	VF1=$(vf_dev "$PF" 1)
	L=/sys/bus/pci/devices/$VF0/guard
	[ -n "$(ls /sys/class/iommu 2>/dev/null)" ] &&
		echo "note: this host has an IOMMU ($(ls /sys/class/iommu))"

	modprobe vfio && modprobe vfio_iommu_type1 && modprobe mdev ||
		fail_all "the VFIO modules do not load"
	load_guard || fail_all "vmm_guard does not load"

	# The peer: context 1 with cdna_vf, in its own namespace.
	insmod "$KMOD/cdna-vf/cdna_vf.ko" || fail_all "cdna_vf does not load"
	bind_driver "$VF1" cdna_vf || fail_all "cdna_vf did not bind $VF1"
	busy_wait 30 vf_mac_is "$VF1" $MAC1 ||
		fail_all "context 1 has not the admin MAC $MAC1"
	ip netns add $NS
	ip link set "$(pci_netdev "$VF1")" netns $NS name vf1 ||
		fail_all "cannot move context 1 into $NS"
	in_ns $NS ip addr add $IP1/24 dev vf1
	in_ns $NS ip link set lo up
	in_ns $NS ip link set vf1 up
	busy_wait 60 carrier_up $NS vf1 || fail_all "context 1 has no carrier"
	REPORTS0=$(kernel_reports)
}

sw_bind_free()
{
	local t=/sys/bus/pci/devices/$VF0/mdev_supported_types/$MDEV_TYPE

	bind_driver "$VF0" $SW_DRIVER
	check_err $? "$VF0 did not bind to $SW_DRIVER"
	[ "$(led mode)" = sw ] && state_is free && [ "$(led context)" = 0 ] &&
		[ "$(led scrubs)" = 0 ] && pinned_zero
	check_err $? "ledger after bind: $(ledger_dump)"
	[ -w "$t/create" ]
	check_err $? "no mdev type $MDEV_TYPE under $VF0: $(ls /sys/bus/pci/devices/$VF0/mdev_supported_types 2>&1)"
	echo "available_instances: $(cat "$t/available_instances" 2>/dev/null)"
	echo "$UUID" > "$t/create"
	check_err $? "cannot create mdev $UUID"
	[ -e "/sys/bus/mdev/devices/$UUID" ]
	check_err $? "no /sys/bus/mdev/devices/$UUID"
	[ -e "/dev/vfio/$(basename "$(readlink "/sys/bus/mdev/devices/$UUID/iommu_group")")" ]
	check_err $? "no VFIO group device for mdev $UUID"
	grep -q "$UUID" "$L/mdev" 2>/dev/null
	check_err $? "ledger mdev shows '$(led mdev)', want $UUID"
	echo "ledger: $(ledger_dump)"
	log_test "context binds to $SW_DRIVER, offers an mdev, ledger free"
	[ -e "/sys/bus/mdev/devices/$UUID" ] ||
		fail_all "no mediated device: nothing else can be checked"
}

sw_info()
{
	local out

	out=$(timeout 60 "$SWC" info "$UUID" 2>&1)
	check_err $? "sw-client info: $(echo "$out" | grep FAIL | tr '\n' ' ')"
	echo "$out" | sed 's/^/    /'
	busy_wait 20 state_is free
	check_err $? "state $(led state) after info, want free"
	log_test "mdev shows an 82576 VF: regions, config, MSI-X, irqs"
}

sw_irq_model()
{
	local out

	out=$(timeout 60 "$SWC" irq-model "$UUID" 2>&1)
	check_err $? "sw-client irq-model: $(echo "$out" | grep FAIL | tr '\n' ' ')"
	echo "$out" | grep -E '^(irq|FAIL)' | sed 's/^/    /'
	busy_wait 20 state_is free
	check_err $? "state $(led state) after irq-model, want free"
	log_test "EICS/EICR/EIMS/EIAC/EIAM as on an 82576, one eventfd each"
}

sw_reset()
{
	local out s0

	s0=$(led scrubs)
	out=$(timeout 120 "$SWC" reset "$UUID" 2>&1)
	check_err $? "sw-client reset: $(echo "$out" | grep FAIL | tr '\n' ' ')"
	echo "$out" | sed 's/^/    /'
	[ "$(echo "$out" | sed -n 's/^reset: CTRL.RST handshake: mac=//p')" = $MAC0 ]
	check_err $? "MAC after CTRL.RST is not the admin MAC $MAC0"
	[ "$(echo "$out" | sed -n 's/^reset: after VFIO_DEVICE_RESET: mac=//p')" = $MAC0 ]
	check_err $? "MAC after VFIO_DEVICE_RESET is not the admin MAC $MAC0"
	busy_wait 20 state_is free
	check_err $? "state $(led state) after reset, want free"
	[ "$(led scrubs)" -gt "$s0" ]
	check_err $? "scrubs $(led scrubs) did not grow from $s0 with a close"
	log_test "reset handshake gives the admin MAC; resets drop all pins"
}

SCRUBS_BEFORE_SERVE=
VALIDATED_BEFORE_SERVE=
sw_serve_ping()
{
	SCRUBS_BEFORE_SERVE=$(led scrubs)
	VALIDATED_BEFORE_SERVE=$(led descriptors_validated)
	serve_start /tmp/serve1.log
	check_err $? "sw-client serve did not come up: $(tail -n 5 /tmp/serve1.log | tr '\n' ' ')"
	state_is assigned && [ "$(led owner_pid)" = "$SERVE" ] &&
		[ "$(led owner_comm)" = sw-client ]
	check_err $? "ledger while serving: $(ledger_dump)"
	[ "$(led pinned_pages)" -gt 0 ] 2>/dev/null
	check_err $? "no pages pinned with the RX ring posted ($(led pinned_pages))"
	busy_wait 60 pinging
	check_err $? "the namespace cannot ping the client"
	ping_check 20
	check_err $? "20 pings from the namespace lost some"
	[ "$(led descriptors_validated)" -gt "${VALIDATED_BEFORE_SERVE:-0}" ] 2>/dev/null
	check_err $? "descriptors_validated $(led descriptors_validated) did not grow from $VALIDATED_BEFORE_SERVE"
	echo "ledger: $(ledger_dump)"
	log_test "serve: the namespace pings the client, 20 of 20$STRAT"
}

# PF_CONTROL messages (the host takes the context's link away and gives
# it back) must reach the client through its mailbox vector (IVAR_MISC).
sw_mbx_irq()
{
	local m0

	[ -n "$SERVE" ]
	check_err $? "no serve running"
	m0=$(grep -c '^mbx: PF message' "$SERVE_LOG")
	ip link set "$PFNET" vf 0 state disable
	sleep 1
	ip link set "$PFNET" vf 0 state auto
	wait_until 15 '[ "$(grep -c "^mbx: PF message" "$SERVE_LOG")" -gt '"$m0"' ]'
	check_err $? "no PF message reached the client after a link state change"
	wait_until 15 '[ "$(kv "$SERVE_LOG" frames irq_mbx)" -gt 0 ]'
	check_err $? "PF messages raised no interrupt on the mailbox vector (irq_mbx $(kv "$SERVE_LOG" frames irq_mbx))"
	grep '^mbx:' "$SERVE_LOG" | sed 's/^/    /'
	busy_wait 30 pinging
	check_err $? "no ping once the link is back"
	log_test "PF messages reach the client on its mailbox vector"
}

# guard/strategy changes only while no VMM has the context open.
sw_strategy_busy()
{
	local cur other

	cur=$(led strategy)
	other=cache
	[ "$cur" = cache ] && other=per-desc
	[ -n "$SERVE" ] && state_is assigned
	check_err $? "no serve holding the context"
	echo $other > "$L/strategy" 2>/dev/null
	check_fail $? "strategy changed to $other while the context is assigned"
	[ "$(led strategy)" = "$cur" ]
	check_err $? "strategy reads $(led strategy) after a refused write, want $cur"
	log_test "strategy cannot change while the context is open$STRAT"
}

sw_serve_udp()
{
	local ok bad

	[ -n "$SERVE" ] || serve_start /tmp/serve1.log
	check_err $? "no serve running"
	udp_stream "$UDP_N" 1000
	udp_wait "$UDP_N"
	serve_stop
	check_err $? "sw-client serve failed: $(grep FAIL "$SERVE_LOG" | head -n 3 | tr '\n' ' ')"
	show "$SERVE_LOG"
	ok=$(kv "$SERVE_LOG" summary udp_ok)
	bad=$(( $(kv "$SERVE_LOG" summary udp_bad) + $(kv "$SERVE_LOG" summary bad) +
		$(kv "$SERVE_LOG" summary icmp_bad) ))
	[ "${ok:-0}" -ge $((UDP_N * 95 / 100)) ]
	check_err $? "the client got ${ok:-0} of $UDP_N datagrams"
	[ "$bad" -eq 0 ]
	check_err $? "$bad corrupt or bad frames"
	[ "$(kv "$SERVE_LOG" summary irq_rx)" -gt 0 ]
	check_err $? "no RX interrupt reached the client's eventfd"
	busy_wait 20 state_is free
	check_err $? "state $(led state) after the VMM closed, want free"
	busy_wait 20 pinned_zero
	check_err $? "pinned_pages $(led pinned_pages) after close, want 0"
	[ "$(led scrubs)" = $((SCRUBS_BEFORE_SERVE + 1)) ]
	check_err $? "scrubs $(led scrubs), want $((SCRUBS_BEFORE_SERVE + 1))"
	echo "ledger: $(ledger_dump)"
	log_test "serve: UDP pattern stream intact; close frees and unpins$STRAT"
}

sw_straddle()
{
	local rb0 ts0 ok bad n=$((UDP_N / 2))

	rb0=$(led rx_bounced)
	ts0=$(led tx_split)
	serve_start /tmp/serve-straddle.log --straddle
	check_err $? "sw-client serve --straddle did not come up: $(tail -n 5 /tmp/serve-straddle.log | tr '\n' ' ')"
	busy_wait 60 pinging
	check_err $? "the namespace cannot ping the straddling client"
	ping_check 10
	check_err $? "10 pings to the straddling client lost some"
	ping_check 10 -s 1400
	check_err $? "10 pings of 1400 bytes to the straddling client lost some"
	udp_stream $n 1400
	udp_wait $n
	serve_stop
	check_err $? "sw-client serve --straddle failed: $(grep FAIL "$SERVE_LOG" | head -n 3 | tr '\n' ' ')"
	show "$SERVE_LOG"
	ok=$(kv "$SERVE_LOG" summary udp_ok)
	bad=$(( $(kv "$SERVE_LOG" summary udp_bad) + $(kv "$SERVE_LOG" summary bad) +
		$(kv "$SERVE_LOG" summary icmp_bad) ))
	[ "${ok:-0}" -ge $((n * 95 / 100)) ]
	check_err $? "the straddling client got ${ok:-0} of $n datagrams"
	[ "$bad" -eq 0 ]
	check_err $? "$bad corrupt or bad frames with straddling buffers"
	echo "rx_bounced $rb0 -> $(led rx_bounced), tx_split $ts0 -> $(led tx_split)"
	[ "$(led rx_bounced)" -gt "${rb0:-0}" ] 2>/dev/null
	check_err $? "rx_bounced did not grow ($rb0 -> $(led rx_bounced))"
	[ "$(led tx_split)" -gt "${ts0:-0}" ] 2>/dev/null
	check_err $? "tx_split did not grow ($ts0 -> $(led tx_split))"
	busy_wait 20 pinned_zero
	check_err $? "pinned_pages $(led pinned_pages) after close, want 0"
	log_test "buffers across page boundaries: bounced, split, intact$STRAT"
}

sw_blast()
{
	local rx out rc n=300 ok

	# ip netns exec execs the helper: $! is its PID.
	ip netns exec $NS "$SWC" udp-recv --count $n --size 1000 --seconds 120 > /tmp/recv.log 2>&1 &
	rx=$!
	bg_add $rx
	busy_wait 20 grep -q '^ready:' /tmp/recv.log
	check_err $? "udp-recv did not start: $(cat /tmp/recv.log)"
	# Rings and buffers above 4 GiB of IOVA (RDBAH/TDBAH, 64-bit pins),
	# TX head write-back (TDWBAL) into guest memory.
	out=$(timeout 120 "$SWC" blast "$UUID" --dst $MAC1 --ip $IP0 --dst-ip $IP1 \
		--count $n --size 1000 --rate $UDP_RATE --iova 0x240000000 --head-wb 2>&1)
	rc=$?
	check_err $rc "sw-client blast: $(echo "$out" | grep FAIL | tr '\n' ' ')"
	echo "$out" | grep -E '^(ready|blast|summary|FAIL)' | sed 's/^/    /'
	wait_until 10 'grep -q "^udp-recv:" /tmp/recv.log'
	bg_kill $rx
	sed 's/^/    /' /tmp/recv.log | tail -n 5
	ok=$(sed -n 's/^udp-recv: ok=\([0-9]*\) bad=0.*/\1/p' /tmp/recv.log)
	[ "${ok:-0}" -ge $((n * 95 / 100)) ]
	check_err $? "the namespace got ${ok:-0} good of $n datagrams: $(grep '^udp-recv:' /tmp/recv.log)"
	busy_wait 20 pinned_zero
	check_err $? "pinned_pages $(led pinned_pages) after blast, want 0"
	log_test "blast (IOVA > 4 GiB, head WB): UDP pattern reaches the peer"
}

sw_refuse()
{
	local out rc r0

	r0=$(led descriptors_refused)
	out=$(timeout 60 "$SWC" refuse "$UUID" --ip $IP0 2>&1)
	rc=$?
	echo "$out" | grep -E '^(ready|refuse|summary|FAIL)' | sed 's/^/    /'
	check_err $rc "sw-client refuse: $(echo "$out" | grep FAIL | tr '\n' ' ')"
	[ "$(led descriptors_refused)" -ge $((r0 + 5)) ] 2>/dev/null
	check_err $? "descriptors_refused $r0 -> $(led descriptors_refused), want +5"
	busy_wait 20 state_is free && busy_wait 20 pinned_zero
	check_err $? "after refuse: $(ledger_dump)"
	log_test "descriptors outside the VM's memory refused, not executed"
}

sw_unmap_busy()
{
	local tx out rc r0

	r0=$(kernel_reports)
	# Broadcasts keep landing in the client's posted RX buffers.
	ip netns exec $NS "$SWC" udp-send --dst $BCAST --count 100000 --size 1000 \
		--rate $UDP_RATE > /tmp/bcast.log 2>&1 &
	tx=$!
	bg_add $tx
	out=$(timeout 120 "$SWC" unmap-busy "$UUID" --ip $IP0 2>&1)
	rc=$?
	bg_kill $tx
	echo "$out" | grep -E '^(ready|unmap|quiet|ledger|close|summary|FAIL)' | sed 's/^/    /'
	[ $rc -ne 124 ]
	check_err $? "sw-client unmap-busy hung (killed after 120 s)"
	check_err $rc "sw-client unmap-busy: $(echo "$out" | grep FAIL | tr '\n' ' ')"
	echo "$out" | grep -q '^unmap: UNMAP_DMA (busy) returned'
	check_err $? "UNMAP_DMA of busy memory did not return"
	busy_wait 20 state_is free
	check_err $? "state $(led state) after unmap-busy, want free"
	busy_wait 20 pinned_zero
	check_err $? "pinned_pages $(led pinned_pages) after unmap-busy, want 0"
	[ "$(kernel_reports)" = "$r0" ]
	check_err $? "kernel BUG/WARNING: $(dmesg | grep -E 'BUG:|WARNING:|Oops' | tail -n 2 | tr '\n' ' ')"
	log_test "UNMAP_DMA with descriptors in flight returns, unpins all$STRAT"
}

# Only the TX buffers unmapped while both queues run: RX goes on.
sw_unmap_partial()
{
	local tx out rc

	ip netns exec $NS "$SWC" udp-send --dst $BCAST --count 100000 --size 1000 \
		--rate $UDP_RATE > /tmp/bcast.log 2>&1 &
	tx=$!
	bg_add $tx
	out=$(timeout 120 "$SWC" unmap-busy "$UUID" --ip $IP0 --partial 2>&1)
	rc=$?
	bg_kill $tx
	echo "$out" | grep -E '^(ready|unmap|partial|ledger|close|summary|FAIL)' | sed 's/^/    /'
	check_err $rc "sw-client unmap-busy --partial: $(echo "$out" | grep FAIL | tr '\n' ' ')"
	busy_wait 20 state_is free && busy_wait 20 pinned_zero
	check_err $? "after unmap-busy --partial: $(ledger_dump)"
	log_test "TX buffers unmapped under traffic: RX goes on, TX refused$STRAT"
}

sw_inflight_close()
{
	local out rc s0

	s0=$(led scrubs)
	out=$(timeout 120 "$SWC" inflight-close "$UUID" --ip $IP0 2>&1)
	rc=$?
	echo "$out" | grep -E '^(ready|inflight|quiet|ledger|close|FAIL)' | sed 's/^/    /'
	check_err $rc "sw-client inflight-close: $(echo "$out" | grep FAIL | tr '\n' ' ')"
	busy_wait 20 state_is free
	check_err $? "state $(led state) after a close with queues running, want free"
	busy_wait 20 pinned_zero
	check_err $? "pinned_pages $(led pinned_pages) after the close, want 0"
	[ "$(led scrubs)" = $((s0 + 1)) ]
	check_err $? "scrubs $(led scrubs), want $((s0 + 1))"
	log_test "close with RX and TX in flight: scrubbed, unpinned, free$STRAT"
}

sw_kill_mid_stream()
{
	local tx s0 ok bad n=100

	s0=$(led scrubs)
	serve_start /tmp/serve-kill.log
	check_err $? "sw-client serve did not come up: $(tail -n 5 /tmp/serve-kill.log | tr '\n' ' ')"
	busy_wait 60 pinging
	ip netns exec $NS "$SWC" udp-send --dst $IP0 --count 100000 --size 1000 \
		--rate $UDP_RATE > /tmp/stream.log 2>&1 &
	tx=$!
	bg_add $tx
	udp_wait 50
	check_err $? "the stream did not reach the client before the kill"
	echo "    killing serve at: $(grep '^frames:' "$SERVE_LOG" | tail -n1)"
	kill -9 "$SERVE"
	wait "$SERVE" 2>/dev/null
	SERVE=
	busy_wait 30 state_is free
	check_err $? "state $(led state) after the VMM was killed, want free"
	busy_wait 20 pinned_zero
	check_err $? "pinned_pages $(led pinned_pages) after the kill, want 0"
	[ "$(led scrubs)" = $((s0 + 1)) ]
	check_err $? "scrubs $(led scrubs) after the kill, want $((s0 + 1))"
	bg_kill $tx
	dmesg | grep -iE 'released by sw-client|scrubbed' | tail -n 2 | sed 's/^/    /'

	# The next VMM finds the context clean.
	serve_start /tmp/serve-again.log
	check_err $? "serve after the kill did not come up: $(tail -n 5 /tmp/serve-again.log | tr '\n' ' ')"
	busy_wait 60 pinging
	check_err $? "no ping after the kill"
	ping_check 5
	check_err $? "pings to the second serve lost some"
	udp_stream $n 1000
	udp_wait $n
	serve_stop
	check_err $? "second serve failed: $(grep FAIL "$SERVE_LOG" | head -n 3 | tr '\n' ' ')"
	show "$SERVE_LOG"
	ok=$(kv "$SERVE_LOG" summary udp_ok)
	bad=$(( $(kv "$SERVE_LOG" summary udp_bad) + $(kv "$SERVE_LOG" summary bad) ))
	[ "${ok:-0}" -ge $((n * 95 / 100)) ] && [ "$bad" -eq 0 ]
	check_err $? "second serve: udp_ok ${ok:-0} of $n, $bad bad"
	busy_wait 20 state_is free && busy_wait 20 pinned_zero
	check_err $? "after the second serve: $(ledger_dump)"
	log_test "VMM killed mid-stream: scrubbed, free; next VMM clean$STRAT"
}

sw_cache()
{
	local t

	echo cache > "$L/strategy"
	check_err $? "cannot choose strategy cache on a free context"
	[ "$(led strategy)" = cache ]
	check_err $? "strategy reads '$(led strategy)', want cache"
	log_test "strategy cache chosen while the context is free"
	[ "$(led strategy)" = cache ] || return
	STRAT=" [cache]"
	for t in $CACHE_TESTS; do
		"$t"
	done
	STRAT=
	echo per-desc > "$L/strategy"
}

# Software anti-spoofing: the client sends a UDP stream with the MAC it
# got; midway the host gives context 0 another MAC.  From then on the
# client's frames are spoofed: the guard drops each before the NIC sees
# it, the namespace gets none of them, the ledger and the PF's ethtool -S
# count them alike, and every frame is either delivered or counted.
# With the MAC given back, a second stream arrives whole.
sw_spoof()
{
	local rx bl n=300 ok s0 p0 s1 p1 max

	s0=$(led spoof_dropped)
	p0=$(ethtool -S "$PFNET" | sed -n 's/^ *ctx0_spoof_dropped: //p')
	ip netns exec $NS "$SWC" udp-recv --count $n --size 200 --seconds 60 > /tmp/recv.log 2>&1 &
	rx=$!
	bg_add $rx
	busy_wait 20 grep -q '^ready:' /tmp/recv.log
	check_err $? "udp-recv did not start: $(cat /tmp/recv.log)"
	"$SWC" blast "$UUID" --dst $MAC1 --ip $IP0 --dst-ip $IP1 --count $n \
		--size 200 --rate $UDP_RATE > /tmp/blast.log 2>&1 &
	bl=$!
	bg_add $bl
	busy_wait 20 grep -q '^ready:' /tmp/blast.log
	check_err $? "blast did not start: $(cat /tmp/blast.log)"
	sleep 1
	ip link set "$PFNET" vf 0 mac $MAC0B
	check_err $? "cannot give context 0 the MAC $MAC0B"
	wait_until 60 '! kill -0 '"$bl"' 2>/dev/null'
	bg_kill $bl
	grep -E '^(ready|blast|summary|FAIL)' /tmp/blast.log | sed 's/^/    /'
	ip link set "$PFNET" vf 0 mac $MAC0
	wait_until 10 'grep -q "^udp-recv:" /tmp/recv.log'
	bg_kill $rx
	grep '^udp-recv:' /tmp/recv.log | tail -n 2 | sed 's/^/    /'
	ok=$(sed -n 's/^udp-recv: ok=\([0-9]*\) bad=0.*/\1/p' /tmp/recv.log)
	s1=$(led spoof_dropped)
	p1=$(ethtool -S "$PFNET" | sed -n 's/^ *ctx0_spoof_dropped: //p')
	echo "spoof: delivered ${ok:-0} of $n, spoof_dropped $s0 -> $s1, ctx0_spoof_dropped $p0 -> $p1, vlan_dropped $(led vlan_dropped)"
	[ $((s1 - s0)) -gt 0 ] && [ "${ok:-0}" -lt $n ] 2>/dev/null
	check_err $? "no frame dropped after the MAC change: delivered ${ok:-0} of $n, spoof_dropped $s0 -> $s1"
	[ $((p1 - p0)) = $((s1 - s0)) ] 2>/dev/null
	check_err $? "ethtool -S ctx0_spoof_dropped grew by $((p1 - p0)), the ledger by $((s1 - s0))"
	[ $(( ${ok:-0} + s1 - s0 )) -ge $((n * 95 / 100)) ] 2>/dev/null
	check_err $? "frames lost uncounted: ${ok:-0} delivered + $((s1 - s0)) dropped of $n"
	# What arrived is the stream's start: no frame after the change.
	max=$(sed -n 's/^udp-recv: ok=.* max_seq=\([0-9]*\).*/\1/p' /tmp/recv.log)
	[ $(( ${max:-0} + 1 )) -le $(( ${ok:-0} + 5 )) ] 2>/dev/null
	check_err $? "a frame sent after the MAC change arrived: max_seq ${max:-?}, ${ok:-0} delivered"

	# The MAC given back: nothing is dropped any more.
	ip netns exec $NS "$SWC" udp-recv --count 50 --size 200 --seconds 60 > /tmp/recv.log 2>&1 &
	rx=$!
	bg_add $rx
	busy_wait 20 grep -q '^ready:' /tmp/recv.log
	timeout 60 "$SWC" blast "$UUID" --dst $MAC1 --ip $IP0 --dst-ip $IP1 --count 50 \
		--size 200 --rate $UDP_RATE > /tmp/blast.log 2>&1
	check_err $? "blast with the context's MAC: $(grep FAIL /tmp/blast.log | head -n 2 | tr '\n' ' ')"
	wait_until 10 'grep -q "^udp-recv:" /tmp/recv.log'
	bg_kill $rx
	ok=$(sed -n 's/^udp-recv: ok=\([0-9]*\) bad=0.*/\1/p' /tmp/recv.log)
	[ "${ok:-0}" -ge 47 ] && [ "$(led spoof_dropped)" = "$s1" ]
	check_err $? "with its MAC back: ${ok:-0} of 50 delivered, spoof_dropped $s1 -> $(led spoof_dropped)"
	busy_wait 20 pinned_zero
	check_err $? "pinned_pages $(led pinned_pages) after the streams, want 0"
	log_test "spoofed frames dropped before the NIC, counted in the ledger and ethtool -S"
}

# estat NAME: the PF's ethtool -S counter NAME.
estat()
{
	ethtool -S "$PFNET" | sed -n "s/^ *$1: //p"
}

# Software VLAN enforcement: frames tagged with a VLAN context 0 never
# joined, and with no port VLAN, then its own tag under a port VLAN, are
# dropped by the guard (ledger vlan_dropped and ethtool -S alike), and the
# VF sends none of them (its pool's transmit counter stays); untagged
# frames go on.
sw_vlan()
{
	local v0 e0 t0 out n=60

	v0=$(led vlan_dropped)
	e0=$(estat ctx0_vlan_dropped)
	t0=$(estat ctx0_tx_packets)
	out=$(timeout 60 "$SWC" blast "$UUID" --dst $MAC1 --ip $IP0 --dst-ip $IP1 \
		--count $n --size 200 --rate $UDP_RATE --vlan 101 2>&1)
	check_err $? "blast tagged VLAN 101: $(echo "$out" | grep FAIL | head -n 2 | tr '\n' ' ')"
	echo "$out" | grep -E '^(blast|summary)' | sed 's/^/    /'
	echo "VLAN 101: vlan_dropped $v0 -> $(led vlan_dropped), ctx0_vlan_dropped $e0 -> $(estat ctx0_vlan_dropped), ctx0_tx_packets $t0 -> $(estat ctx0_tx_packets)"
	[ $(( $(led vlan_dropped) - v0 )) = $n ] &&
		[ $(( $(estat ctx0_vlan_dropped) - e0 )) = $n ] 2>/dev/null
	check_err $? "$n frames of VLAN 101 (not joined): vlan_dropped grew by $(( $(led vlan_dropped) - v0 )), ethtool by $(( $(estat ctx0_vlan_dropped) - e0 ))"
	[ $(( $(estat ctx0_tx_packets) - t0 )) -le 3 ] 2>/dev/null
	check_err $? "the VF sent $(( $(estat ctx0_tx_packets) - t0 )) frames while all $n were dropped"

	ip link set "$PFNET" vf 0 vlan 10
	check_err $? "cannot give context 0 the port VLAN 10"
	v0=$(led vlan_dropped)
	out=$(timeout 60 "$SWC" blast "$UUID" --dst $MAC1 --ip $IP0 --dst-ip $IP1 \
		--count 20 --size 200 --rate $UDP_RATE --vlan 10 2>&1)
	check_err $? "blast tagged under the port VLAN: $(echo "$out" | grep FAIL | head -n 2 | tr '\n' ' ')"
	ip link set "$PFNET" vf 0 vlan 0
	echo "port VLAN 10, frames tagged 10: vlan_dropped $v0 -> $(led vlan_dropped)"
	[ $(( $(led vlan_dropped) - v0 )) = 20 ] 2>/dev/null
	check_err $? "a tag of its own under a port VLAN: vlan_dropped grew by $(( $(led vlan_dropped) - v0 )), want 20"

	t0=$(estat ctx0_tx_packets)
	v0=$(led vlan_dropped)
	out=$(timeout 60 "$SWC" blast "$UUID" --dst $MAC1 --ip $IP0 --dst-ip $IP1 \
		--count 20 --size 200 --rate $UDP_RATE 2>&1)
	check_err $? "untagged blast: $(echo "$out" | grep FAIL | head -n 2 | tr '\n' ' ')"
	echo "untagged: vlan_dropped $v0 -> $(led vlan_dropped), ctx0_tx_packets +$(( $(estat ctx0_tx_packets) - t0 ))"
	# The pool counter the first check reads does count what is sent.
	[ "$(led vlan_dropped)" = "$v0" ] && [ $(( $(estat ctx0_tx_packets) - t0 )) -ge 19 ] 2>/dev/null
	check_err $? "untagged: vlan_dropped $v0 -> $(led vlan_dropped), ctx0_tx_packets +$(( $(estat ctx0_tx_packets) - t0 )) of 20"
	busy_wait 20 pinned_zero
	check_err $? "pinned_pages $(led pinned_pages) after the streams, want 0"
	log_test "frames of a VLAN the context may not use dropped before the NIC, counted"
}

# wire_blast TAG ARGS...: 30 broadcast datagrams from the client, blast
# ARGS added, while tcpdump sniffs at the wire's far end (the virtio-net
# peer, into /tmp/wire-TAG.pcap) and in the bystander context (vf1 in
# $NS, /tmp/wire-TAG-bys.pcap); the frames' "SRC > DST" lines (tcpdump
# -e) go to /tmp/wire-TAG.txt and /tmp/wire-TAG-bys.txt.
wire_blast()
{
	local tag=$1 td tb out f

	shift
	in_ns peer tcpdump -i peer0 -n -U -w "/tmp/wire-$tag.pcap" udp or vlan \
		> "/tmp/wire-$tag.err" 2>&1 &
	td=$!
	bg_add $td
	in_ns $NS tcpdump -i vf1 -n -U -w "/tmp/wire-$tag-bys.pcap" udp or vlan \
		> "/tmp/wire-$tag-bys.err" 2>&1 &
	tb=$!
	bg_add $tb
	busy_wait 20 grep -q 'listening on' "/tmp/wire-$tag.err" &&
		busy_wait 20 grep -q 'listening on' "/tmp/wire-$tag-bys.err"
	check_err $? "tcpdump did not start: $(cat "/tmp/wire-$tag.err" "/tmp/wire-$tag-bys.err")"
	out=$(timeout 60 "$SWC" blast "$UUID" --dst ff:ff:ff:ff:ff:ff --ip $IP0 \
		--dst-ip $BCAST --count 30 --size 200 --rate $UDP_RATE "$@" 2>&1)
	check_err $? "blast $*: $(echo "$out" | grep FAIL | head -n 2 | tr '\n' ' ')"
	sleep 1
	kill -INT $td $tb
	wait_until 10 '! kill -0 '"$td"' 2>/dev/null && ! kill -0 '"$tb"' 2>/dev/null'
	bg_kill $td
	bg_kill $tb
	for f in "$tag" "$tag-bys"; do
		tcpdump -r "/tmp/wire-$f.pcap" -n -e 2> /dev/null > "/tmp/wire-$f.txt"
		echo "sniffed ($f): $(wc -l < "/tmp/wire-$f.txt") UDP frames; $(grep -m1 . "/tmp/wire-$f.txt")"
	done
}

# What the guard drops never leaves it.  Sniffers at the wire's far end
# and in the bystander context see the client's broadcast datagrams sent
# with the context's MAC (the control: they see what a software-mode
# context transmits); they see none of those sent with another source
# MAC, nor of those tagged with a VLAN the context never joined, and the
# guard counts each of them.
sw_wire()
{
	local spoof=02:cd:0b:00:00:99 s0 v0 n b

	ip netns list | grep -qw peer || peer_ns 198.18.9.9 noipv6
	check_err $? "no peer at the wire's far end"
	wire_blast own
	n=$(grep -c "^[^ ]* $MAC0 > ff:ff:ff:ff:ff:ff" /tmp/wire-own.txt)
	b=$(grep -c "^[^ ]* $MAC0 > ff:ff:ff:ff:ff:ff" /tmp/wire-own-bys.txt)
	[ "$n" -ge 28 ] && [ "$b" -ge 28 ]
	check_err $? "of 30 frames the context sent with its own MAC, the wire saw $n, the bystander $b"

	s0=$(led spoof_dropped)
	wire_blast spoof --src $spoof
	n=$(grep -ci "$spoof >" /tmp/wire-spoof.txt)
	b=$(grep -ci "$spoof >" /tmp/wire-spoof-bys.txt)
	[ "$n" = 0 ] && [ "$b" = 0 ] && [ $(( $(led spoof_dropped) - s0 )) = 30 ]
	check_err $? "with source $spoof: $n frames on the wire, $b in the bystander, spoof_dropped grew by $(( $(led spoof_dropped) - s0 )) of 30"

	v0=$(led vlan_dropped)
	wire_blast vlan --vlan 101
	n=$(grep -c "vlan 101" /tmp/wire-vlan.txt)
	b=$(grep -c . /tmp/wire-vlan-bys.txt)
	[ "$n" = 0 ] && [ "$b" = 0 ] && [ $(( $(led vlan_dropped) - v0 )) = 30 ]
	check_err $? "tagged VLAN 101: $n frames on the wire, $b in the bystander, vlan_dropped grew by $(( $(led vlan_dropped) - v0 )) of 30"
	busy_wait 20 pinned_zero
	check_err $? "pinned_pages $(led pinned_pages) after the streams, want 0"
	log_test "sniffers on the wire and in the bystander: own frames seen, spoofed and foreign-VLAN ones never, each counted"
}

# A VM whose descriptors keep being refused loses the context: with
# sw_refused_limit at 200, sw-client flood posts bad RX descriptors until
# BAR0 answers EIO.  The context is quarantined (queues stopped, nothing
# pinned, scrubbed at release, opens refused) and context 1 goes on
# talking to the PF; a rebind gives it back, and it serves again.
sw_quarantine()
{
	local p=/sys/module/vmm_guard/parameters/sw_refused_limit
	local old out rc s0 r0

	old=$(cat $p)
	echo 200 > $p
	s0=$(led scrubs)
	r0=$(led refused_opens)
	out=$(timeout 60 "$SWC" flood "$UUID" --count 20000 2>&1)
	rc=$?
	echo "$out" | grep -E '^(ready|flood|close|FAIL)' | sed 's/^/    /'
	check_err $rc "sw-client flood: $(echo "$out" | grep FAIL | head -n 3 | tr '\n' ' ')"
	dmesg | grep -q "context 0 quarantined: its VM had [0-9]* descriptors refused (sw_refused_limit 200)"
	check_err $? "no quarantine message in the kernel log"
	busy_wait 20 pinned_zero && state_is quarantined &&
		[ "$(led scrubs)" = $((s0 + 1)) ]
	check_err $? "after the flood: $(ledger_dump)"
	out=$("$SWC" info "$UUID" 2>&1)
	check_fail $? "a quarantined context opened again: $out"
	[ "$(led refused_opens)" = $((r0 + 1)) ]
	check_err $? "refused_opens $r0 -> $(led refused_opens), want +1"
	dmesg | grep -q "context 0 refused to sw-client.*quarantined (its VM posted descriptors past sw_refused_limit)"
	check_err $? "the refused open names no reason"
	echo $old > $p

	ip addr add $IPPF/24 dev "$PFNET"
	out=$(in_ns $NS ping -c 5 -i 0.2 -W 2 -q $IPPF 2>&1)
	check_err $? "context 1 cannot reach the PF after the quarantine: $out"
	ip addr del $IPPF/24 dev "$PFNET"

	sw_rebind
	check_err $? "rebinding the quarantined context failed"
	state_is free
	check_err $? "after the rebind: $(ledger_dump)"
	serve_start /tmp/serve-q.log
	check_err $? "the rebound context does not serve: $(grep FAIL /tmp/serve-q.log | head -n 2)"
	ping_check 5
	check_err $? "no ping answered by the rebound context"
	serve_stop
	check_err $? "serve after the rebind: $(grep FAIL /tmp/serve-q.log | head -n 2)"
	log_test "a flood of refused descriptors quarantines the context, a rebind frees it"
}

sw_remove()
{
	echo 1 > "/sys/bus/mdev/devices/$UUID/remove"
	check_err $? "cannot remove mdev $UUID"
	[ ! -e "/sys/bus/mdev/devices/$UUID" ]
	check_err $? "mdev $UUID still there after remove"
	echo "$VF0" > "/sys/bus/pci/drivers/$SW_DRIVER/unbind"
	check_err $? "cannot unbind $VF0 from $SW_DRIVER"
	rmmod vmm_guard
	check_err $? "vmm_guard does not unload once its contexts are released"
	[ "$(kernel_reports)" = "$REPORTS0" ]
	check_err $? "kernel reports during the run: $(dmesg | grep -E 'BUG:|WARNING:|Oops' | head -n 2 | tr '\n' ' ')"
	log_test "mdev removed, context unbound, vmm_guard unloads"
}

# lockdep_proving: the kernel checks lock order (the debug kernel, unless
# booted with lockdep.prove_locking=0).
lockdep_proving()
{
	[ "$(cat /sys/module/lockdep/parameters/prove_locking 2>/dev/null)" = 1 ]
}

# sw_unmap_unproven: lockdep's lock-order proving off, the unmap tests in
# both strategies (under lockdep they run here, last but for sw_remove),
# and proving on again (lockdep decides at each acquisition).
sw_unmap_unproven()
{
	local t pl=/sys/module/lockdep/parameters/prove_locking

	echo 0 > $pl
	check_err $? "cannot turn lockdep's lock proving off"
	echo cache > "$L/strategy"
	check_err $? "cannot choose strategy cache for the unmap tests"
	echo per-desc > "$L/strategy"
	log_test "lockdep's lock proving off for the unmap tests (type1's .dma_unmap order)"
	for t in $UNMAP_TESTS; do
		"$t"
	done
	echo cache > "$L/strategy"
	STRAT=" [cache]"
	for t in $UNMAP_TESTS; do
		"$t"
	done
	STRAT=
	echo per-desc > "$L/strategy"
	echo 1 > $pl
	check_err $? "cannot turn lockdep's lock proving on again"
	log_test "lockdep's lock proving on again for the rest"
}

if lockdep_proving; then
	for t in $UNMAP_TESTS; do
		TESTS=$(echo $TESTS | tr ' ' '\n' | grep -vx "$t" | tr '\n' ' ')
		CACHE_TESTS=$(echo $CACHE_TESTS | tr ' ' '\n' | grep -vx "$t" | tr '\n' ' ')
	done
	TESTS=${TESTS/sw_remove/sw_unmap_unproven sw_remove}
fi
setup
run_tests
