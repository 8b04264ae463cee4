#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# lab: timeout=600
#
# The failure paths, through the fault injection knobs of cdna_pf
# (/sys/kernel/debug/cdna_pf/fail_*) and of the guard (vmm_guard/fail_flr):
# each injected failure gives a clear error, leaves the device usable, and
# the next try succeeds.  A context whose quiesce, scrub or function reset
# fails after its VM let go is quarantined by the guard (ledger
# "quarantined"), refused to the next VM, and back in service after a
# rebind.
source /src/tests/lib.sh

TESTS="setup msix_at_probe reset_at_probe ring_alloc dma_map sriov_enable
       mbx_reply_lost quiesce_quarantines scrub_quarantines scrub_before_open
       scrub_wipes flr_retried flr_quarantines"
PF=$(pf_dev)
DEV=
K=/sys/kernel/debug/cdna_pf
PF_IP=198.18.17.1
VF0_IP=198.18.17.10
PEER_IP=198.18.17.2

trap 'pf_cleanup cdna_vf vmm_guard' EXIT
need pf cdna_pf cdna_vf

# knob NAME N: fail the next N tries of NAME (-1: every try, 0: none);
# NAME is one of cdna_pf's knobs, or MODULE/KNOB for another module's.
knob()
{
	local f=$K/$1

	[[ $1 != */* ]] || f=/sys/kernel/debug/$1
	echo "$2" > "$f"
	check_err $? "knob $1 refused $2"
}

pf_bound()
{
	[ "$(basename "$(readlink -f "/sys/bus/pci/devices/$PF/driver")")" = cdna_pf ]
}

setup()
{
	mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug
	pf_up cdna_pf
	for f in fail_msix fail_sriov_enable fail_quiesce fail_scrub fail_mbx_reply \
		 fail_reset fail_ring_alloc fail_dma_map; do
		[ "$(cat "$K/$f" 2>/dev/null)" = 0 ]
		check_err $? "knob $K/$f missing or not 0"
	done
	load_guard
	check_err $? "vmm_guard did not load"
	[ "$(cat /sys/kernel/debug/vmm_guard/fail_flr 2>/dev/null)" = 0 ]
	check_err $? "knob vmm_guard/fail_flr missing or not 0"
	log_test "setup: cdna_pf with its fault knobs, all off"
}

# probe_fails KNOB WHAT MESSAGE: with KNOB failing once, the probe fails
# with MESSAGE in the log and leaves nothing behind; the next one works.
probe_fails()
{
	echo "$PF" > /sys/bus/pci/drivers/cdna_pf/unbind
	knob "$1" 1
	echo "$PF" > /sys/bus/pci/drivers/cdna_pf/bind 2>/dev/null
	check_fail $? "probe succeeded with $2"
	! pf_bound && ! has_netdev "$PF"
	check_err $? "a failed probe left the PF bound or a netdev behind"
	dmesg | grep -q "cdna_pf $PF: $3"
	check_err $? "no clear message for $2 ('$3')"
	[ "$(cat "$K/$1")" = 0 ]
	check_err $? "the knob did not count down"
	echo "$PF" > /sys/bus/pci/drivers/cdna_pf/bind
	check_err $? "the next probe failed"
	busy_wait 10 has_netdev "$PF"
	check_err $? "no netdev after the next probe"
	DEV=$(pci_netdev "$PF")
	ip link set "$DEV" up
	ip addr add "$PF_IP/24" dev "$DEV"
}

msix_at_probe()
{
	probe_fails fail_msix "MSI-X failing" "MSI-X: -28"
	log_test "MSI-X failure at probe: clean failure, next probe works"
}

reset_at_probe()
{
	probe_fails fail_reset "the device reset timing out" \
		"device does not answer after reset"
	log_test "device reset timeout at probe: clean failure, next probe works"
}

peer_pings()
{
	ping -c 1 -W 1 -q "$PEER_IP" > /dev/null 2>&1
}

# The PF netdev's rings cannot be allocated: opening it fails; rebuilding
# them (ethtool -G, an MTU change) with every allocation failing closes it
# (no hang, no double stop); the next open works.
ring_alloc()
{
	local rc

	peer_ns "$PEER_IP"
	check_err $? "no peer namespace on the virtio-net NIC"
	busy_wait 15 peer_pings
	check_err $? "the PF cannot ping its peer before the faults"

	ip link set "$DEV" down
	knob fail_ring_alloc 1
	ip link set "$DEV" up 2> /tmp/up.err
	check_fail $? "the PF netdev opened with its ring allocation failing"
	grep -q 'Cannot allocate memory' /tmp/up.err
	check_err $? "open failed without ENOMEM: $(cat /tmp/up.err)"
	[ "$(cat $K/fail_ring_alloc)" = 0 ]
	check_err $? "the knob did not count down"
	ip link set "$DEV" up
	check_err $? "the next open failed"
	busy_wait 15 peer_pings
	check_err $? "no ping to the peer after the failed open"

	knob fail_ring_alloc -1
	timeout -k 5 60 ethtool -G "$DEV" rx 512 tx 512 2> /dev/null
	rc=$?
	[ $rc -ne 0 ] && [ $rc -lt 124 ]
	check_err $? "ethtool -G with no memory for any ring: exit $rc (124 and up: it hung)"
	[ "$(cat "/sys/class/net/$DEV/operstate")" = down ]
	check_err $? "the netdev is not closed after its rings were lost"
	knob fail_ring_alloc 0
	ip link set "$DEV" up
	check_err $? "open after the failed ethtool -G failed"
	# No memory for the new MTU's rings: the old MTU stays, and runs.
	knob fail_ring_alloc 1
	ip link set "$DEV" mtu 3000 2> /dev/null
	check_fail $? "the MTU changed with no memory for its rings"
	[ "$(cat "/sys/class/net/$DEV/mtu")" = 1500 ] &&
		[ "$(cat "/sys/class/net/$DEV/operstate")" = up ]
	check_err $? "after a failed MTU change: mtu $(cat "/sys/class/net/$DEV/mtu"), $(cat "/sys/class/net/$DEV/operstate"); want 1500, up"
	busy_wait 15 peer_pings
	check_err $? "no ping at the old MTU after the failed change"
	# No memory for any: closed, the old MTU kept.
	knob fail_ring_alloc -1
	timeout -k 5 60 ip link set "$DEV" mtu 3000 2> /dev/null
	rc=$?
	[ $rc -ne 0 ] && [ $rc -lt 124 ]
	check_err $? "an MTU change with no memory for any ring: exit $rc (124 and up: it hung)"
	[ "$(cat "/sys/class/net/$DEV/mtu")" = 1500 ] &&
		[ "$(cat "/sys/class/net/$DEV/operstate")" = down ]
	check_err $? "after losing every ring: mtu $(cat "/sys/class/net/$DEV/mtu"), $(cat "/sys/class/net/$DEV/operstate"); want 1500, down"
	knob fail_ring_alloc 0
	ip link set "$DEV" up
	check_err $? "open after the failed MTU change failed"
	busy_wait 15 peer_pings
	check_err $? "no ping to the peer after the ring faults"
	log_test "ring allocation failures: open fails, a rebuild closes the netdev, no hang"
}

stat_of()
{
	ethtool -S "$DEV" | awk -v k="$1:" '$1 == k { print $2 }'
}

# DMA mappings of the PF's buffers fail: the frames are dropped and
# counted (TX dropped, RX buffers not refilled), nothing is lost for good.
dma_map()
{
	local tx0 rx0 tx1 rx1

	tx0=$(stat_of tx_dropped)
	rx0=$(stat_of rx_alloc_failed)
	knob fail_dma_map 6
	ping -c 12 -i 0.2 -W 1 -q "$PEER_IP" > /dev/null 2>&1
	wait_until 20 'test "$(cat '"$K"'/fail_dma_map)" = 0'
	check_err $? "the mappings were never tried ($(cat $K/fail_dma_map) left)"
	tx1=$(stat_of tx_dropped)
	rx1=$(stat_of rx_alloc_failed)
	echo "tx_dropped $tx0 -> $tx1, rx_alloc_failed $rx0 -> $rx1"
	# Each failed mapping drops one frame or stops one refill: 6 in all.
	[ $(( tx1 - tx0 + rx1 - rx0 )) -eq 6 ]
	check_err $? "$(( tx1 - tx0 + rx1 - rx0 )) failed mappings counted, 6 injected"
	busy_wait 15 peer_pings
	check_err $? "no ping to the peer after the mapping failures"
	ping -c 20 -i 0.05 -W 1 -q "$PEER_IP" > /tmp/ping.out 2>&1
	check_err $? "lost pings after the mapping failures: $(grep loss /tmp/ping.out)"
	log_test "DMA mapping failures: counted, dropped, the PF recovers"
}

sriov_enable()
{
	knob fail_sriov_enable 1
	echo 2 > "/sys/bus/pci/devices/$PF/sriov_numvfs" 2>/dev/null
	check_fail $? "sriov_numvfs=2 succeeded with pci_enable_sriov failing"
	[ "$(cat "/sys/bus/pci/devices/$PF/sriov_numvfs")" = 0 ] &&
		[ "$(cat "/sys/bus/pci/devices/$PF/cdna/num_ctx")" = 0 ]
	check_err $? "contexts left after the failure"
	dmesg | grep -q "pci_enable_sriov: -5"
	check_err $? "no clear message for the SR-IOV failure"
	echo 0 > "/sys/bus/pci/devices/$PF/sriov_drivers_autoprobe"
	echo 2 > "/sys/bus/pci/devices/$PF/sriov_numvfs"
	check_err $? "the next sriov_numvfs=2 failed"
	[ "$(cat "/sys/bus/pci/devices/$PF/cdna/num_ctx")" = 2 ]
	check_err $? "num_ctx $(cat "/sys/bus/pci/devices/$PF/cdna/num_ctx") after the retry"
	log_test "pci_enable_sriov failure: no contexts, the retry works"
}

# The PF reads two of cdna_vf's requests and never answers them: the VF
# driver gives up on them, resets, and is back in service.
mbx_reply_lost()
{
	local vf0 resets

	vf0=$(vf_dev "$PF" 0)
	ip link set "$DEV" vf 0 mac 02:cd:17:00:00:00
	cdna_vf_bind "$vf0"
	check_err $? "cdna_vf did not bind VF0"
	vf_into_ns "$vf0" f0 eth0 "$VF0_IP"
	busy_wait 60 in_ns f0 ping -c 1 -W 1 "$PF_IP" > /dev/null
	check_err $? "cdna_vf cannot ping the PF before the fault"
	resets=$(cat "/sys/bus/pci/devices/$PF/cdna/ctx0/resets")
	knob fail_mbx_reply 2
	in_ns f0 ip maddr add 01:00:5e:11:22:33 dev eth0
	wait_until 30 'test "$(cat '"$K"'/fail_mbx_reply)" = 0'
	check_err $? "the VF's requests never reached the PF ($(cat $K/fail_mbx_reply) left)"
	wait_until 60 'test "$(cat /sys/bus/pci/devices/'"$PF"'/cdna/ctx0/resets)" -gt '"$resets"
	check_err $? "cdna_vf did not reset after its requests went unanswered"
	busy_wait 60 in_ns f0 ping -c 1 -W 1 "$PF_IP" > /dev/null
	check_err $? "cdna_vf does not ping the PF again after the lost replies"
	in_ns f0 dmesg 2>/dev/null | grep -q 'request not answered' ||
		dmesg | grep -q 'PF link to the VF lost (request not answered)'
	check_err $? "cdna_vf did not say why it reset"
	log_test "lost mailbox replies: cdna_vf resets and is back in service"
}

L=
VF1=

# quarantine_after KNOB [N]: KNOB fails (once, or N: -1 every time) as
# the holder's VM goes away.
quarantine_after()
{
	local out rc

	vfio_hold "$VF1"
	check_err $? "cannot open VF1 through the guard: $(cat "$HOLDER_OUT")"
	knob "$1" "${2:-1}"
	vfio_drop
	wait_until 20 'test "$(cat '"$L"'/state)" = quarantined'
	check_err $? "state $(cat "$L/state") after a failed $1, want quarantined"
	out=$("$TOOLS/vfio-open" "$VF1" 2>&1)
	rc=$?
	[ $rc -eq 3 ] && [[ $out == *EIO* ]]
	check_err $? "a quarantined context was not refused (exit $rc: $out)"
	dmesg | grep -q "context 1 refused to vfio-open.*quarantined"
	check_err $? "no message for the refused open"
	[ "$(cat "/sys/bus/pci/devices/$PF/cdna/ctx1/held")" = 0 ]
	check_err $? "the PF still counts the quarantined context as held"
	knob "$1" 0
	# The admin's way back: rebind it.
	echo "$VF1" > /sys/bus/pci/drivers/vmm_guard/unbind
	echo "$VF1" > /sys/bus/pci/drivers/vmm_guard/bind
	[ "$(cat "$L/state")" = free ]
	check_err $? "state $(cat "$L/state") after the rebind, want free"
	"$TOOLS/vfio-open" "$VF1" > /dev/null 2>&1
	check_err $? "the rebound context cannot be opened"
}

quiesce_quarantines()
{
	VF1=$(vf_dev "$PF" 1)
	L=/sys/bus/pci/devices/$VF1/guard
	modprobe vfio-pci
	bind_driver "$VF1" vmm_guard
	check_err $? "VF1 did not bind to vmm_guard"
	quarantine_after fail_quiesce
	log_test "quiesce failure on release: quarantined, refused, rebind recovers"
}

scrub_quarantines()
{
	quarantine_after fail_scrub
	log_test "scrub failure on release: quarantined, refused, rebind recovers"
}

# The scrub before an open fails: that open is refused, nothing held.
scrub_before_open()
{
	local out rc

	knob fail_scrub 1
	out=$("$TOOLS/vfio-open" "$VF1" 2>&1)
	rc=$?
	[ $rc -ne 0 ]
	check_err $? "the open succeeded although its scrub failed"
	echo "open with a failing scrub: exit $rc: $out"
	[ "$(cat "$L/state")" = free ] && [ "$(cat "/sys/bus/pci/devices/$PF/cdna/ctx1/held")" = 0 ]
	check_err $? "after the refused open: state $(cat "$L/state"), held $(cat "/sys/bus/pci/devices/$PF/cdna/ctx1/held")"
	"$TOOLS/vfio-open" "$VF1" > /dev/null 2>&1
	check_err $? "the next open failed"
	log_test "scrub failure before an open: that open refused, the next works"
}

# Register level (QEMU does not enforce mailbox ownership, so only the
# sequence can be checked): what the last VM left in the mailbox buffer is
# wiped by the scrub, and the PF lets go of the buffer afterwards.
scrub_wipes()
{
	local i w args=() dirty=0

	vfio_hold "$VF1"
	check_err $? "cannot open VF1: $(cat "$HOLDER_OUT")"
	for i in $(seq 0 15); do
		args+=("VF_VMBMEM($i)=0xdeadbeef")
	done
	rvf_regs "$VF1" VF_V2PMAILBOX=0x4 "${args[@]}" VF_V2PMAILBOX=0x0 > /dev/null
	[ "$(rvf_regs "$VF1" "VF_VMBMEM(7)")" = 0xdeadbeef ]
	check_err $? "the VM's message did not reach the buffer"
	vfio_drop
	wait_until 20 'test "$(cat '"$L"'/state)" = free'
	check_err $? "state $(cat "$L/state") after the release"
	for i in $(seq 0 15); do
		w=$(rvf_regs "$VF1" "VF_VMBMEM($i)")
		[ "$w" = 0x00000000 ] || dirty=$((dirty + 1))
	done
	[ $dirty -eq 0 ]
	check_err $? "$dirty mailbox words of the last VM survived the scrub"
	(( ! ($(regs "$PF" 0 "P2VMAILBOX(1)") & 0x8) ))
	check_err $? "the PF still owns VF1's buffer (P2VMAILBOX $(regs "$PF" 0 "P2VMAILBOX(1)"))"
	log_test "the scrub wipes the last VM's mailbox words and releases the buffer"
}

# resets_of: the resets of context 1 the PF has seen (each FLR of VF1).
resets_of()
{
	stat_of ctx1_resets
}

# flr_hold: VF1 held through the guard, its open's FLR counted; RESETS
# is the count after it.
RESETS=
flr_hold()
{
	local n

	n=$(resets_of)
	vfio_hold "$VF1"
	check_err $? "cannot open VF1: $(cat "$HOLDER_OUT")"
	wait_until 10 '[ "$(resets_of)" -gt '"$n"' ]'
	check_err $? "the open's FLR did not reach the PF (ctx1_resets stays $n)"
	RESETS=$(resets_of)
}

# VFIO's reset on release fails once (fail_flr: it finds the device lock
# taken, as when two contexts close at once): the guard resets the
# function itself, and the context is free again.
flr_retried()
{
	flr_hold
	knob vmm_guard/fail_flr 1
	vfio_drop
	wait_until 20 'test "$(cat '"$L"'/state)" = free'
	check_err $? "state $(cat "$L/state") after a retried reset, want free"
	wait_until 10 '[ "$(resets_of)" -gt '"$RESETS"' ]'
	check_err $? "no FLR of VF1 after its release (ctx1_resets stays $RESETS)"
	dmesg | grep -q "context 1: reset by the guard (try 1), VFIO could not"
	check_err $? "no message for the guard's own reset"
	log_test "VFIO's reset on release fails once: the guard resets the context"
}

# Every reset on release fails: the context is not handed on as the last
# VM left it: quarantined, refused, and back in service after a rebind.
flr_quarantines()
{
	quarantine_after vmm_guard/fail_flr -1
	dmesg | grep -q "context 1: its function was not reset after its VM"
	check_err $? "no message for the context left unreset"
	dmesg | grep -q "context 1 refused to vfio-open.*quarantined (its function reset failed)"
	check_err $? "the refusal does not say the reset failed"
	dmesg | grep -q "context 1 released by .* and scrubbed; it stays quarantined (its function reset failed)"
	check_err $? "the release after the failed reset did not scrub the context"
	log_test "reset failure on release: quarantined, refused, rebind recovers"
}

run_tests
