#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# lab-iommu: off
# lab: timeout=1000 mem=3072
#
# Guest tier, vmm_guard in software mode with real guests, on a host with
# no IOMMU at all: context 0 is bound to vmm_guard_sw and offered as a
# mediated device, context 1 is cdna_vf's netdev in a host namespace.
#  1. guest A, cdna_vf on the mdev (QEMU -device vfio-pci,sysfsdev=):
#     the admin MAC, 10 pings each to the namespace and the PF, iperf3 TCP
#     both ways and UDP to the namespace, ECHO_MB (4) MiB of random data
#     sent back by the guest and compared byte for byte, XFER_MB (100) MiB
#     more hashed (sha256) by the guest and compared with the sender's
#     hash (MTU_A=9000: then iperf3 TCP again with jumbo frames); the
#     ledger counts at least one descriptor validated per packet the PF
#     counted for the context, none refused;
#  2. guest A's QEMU is SIGKILLed mid-stream: the context is free, no page
#     pinned, scrubbed once more (kernel reports fail the run anyway);
#  3. guest B, the in-tree igbvf, on the same context created again with
#     mdevctl (define -a, start) and started by libvirt through <hostdev
#     type='mdev'>: the host's new MAC, pings, iperf3, the same transfers
#     (XFER_B_MB, 100 MiB, in); igbvf's buffers are not page-aligned and
#     this guest's RAM has no huge pages behind it: rx_bounced and tx_split
#     are reported.  Then igbvf is unbound and tests/tools/bar-hostile
#     drives the context's BAR0 through the guest's resource0 as a hostile
#     driver: HOSTILE_N (1000) RX and as many TX descriptors at memory that
#     is not the guest's (past and across the end of its RAM, 1 TiB, 0,
#     the MSI doorbell, the host physical addresses of canary
#     pages locked in this host by tests/tools/canary), each refused and
#     counted, the canaries unchanged, a ring past the end of its RAM
#     stopped.
# Each part prints its duration: the guest boots dominate.
source /src/tests/lib.sh
source /src/lab/vm/guest.sh
source /src/lab/vm/libvirt.sh

TESTS="guest_a_traffic kill_mid_stream guest_b_igbvf"
PF=$(pf_dev)
MAC_A=52:54:00:cd:21:0a
MAC_B=52:54:00:cd:21:0b
MAC_PEER=52:54:00:cd:21:01
PF_IP=198.18.0.1
PEER_IP=198.18.0.2
GUEST_IP=198.18.0.10
NS=peer
SW_DRIVER=vmm_guard_sw
MDEV_TYPE=vmm_guard_sw-ctx
UUID_A=$(cat /proc/sys/kernel/random/uuid)
UUID_B=$(cat /proc/sys/kernel/random/uuid)
XFER_MB=${XFER_MB:-100}		# MiB the namespace sends guest a
XFER_B_MB=${XFER_B_MB:-100}	# and guest b
ECHO_MB=${ECHO_MB:-4}		# MiB each guest sends back
IPERF_S=${IPERF_S:-5}
HOSTILE_N=${HOSTILE_N:-1000}	# RX and TX descriptors guest b's bar-hostile posts
# MTU_A=9000: guest a runs iperf3 TCP both ways once more at that MTU (9 KiB
# RX buffers across pages; about 35 s more; measured 11-18 Mbit/s out,
# 46-70 in): off by default to keep the tier short.
MTU_A=${MTU_A:-}
# What the guests run besides busybox: iperf3, and for the transfers bash
# (its /dev/tcp) with coreutils, which move more than busybox's 1 KiB a call.
# shellcheck disable=SC2034 # read by guest_initrd
GUEST_BINS="iperf3 bash cat sha256sum"
PORT_A=5000			# guest a: 5000 in, 5001 echo out, 5002 back
PORT_B=5010			# guest b
PORT_HOLD=5020			# guest a's stream when it is killed
T0=$(date +%s)
BG=
GUEST_PID=
HOLD_PID=
LV_PID=
CANARY_PID=
CANARY_ARG=		# canary=ADDR:ADDR:... for guest b
THP=/sys/kernel/mm/transparent_hugepage/enabled

step()
{
	echo "[$(( $(date +%s) - T0 ))s] $*"
}

cleanup()
{
	local p d

	for d in $(virsh -q list --name 2>/dev/null); do
		virsh -q destroy "$d" > /dev/null 2>&1
	done
	for p in $BG $CANARY_PID; do
		kill -9 "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	pkill -9 -f '^qemu-system-x86_64 .*guest-a\.log' 2>/dev/null
	cp /tmp/guest-*.log /out/ 2>/dev/null
	pgrep -x libvirtd > /dev/null && libvirt_stop
}
trap cleanup EXIT

ctx_stat() { ethtool -S "$PFNET" | awk -v k="ctx0_$1:" '$1 == k { print $2 }'; }

# relay LOG: the guest's report lines, into the test log.
relay()
{
	grep -a -E 'GUEST-|loads:|try [0-9]|iperf3 [a-z]*: |streaming|CDNA-GUEST' "$1" |
		cut -c1-220 | sed 's/^/  guest: /'
}

# guest_kv LOG TAG KEY: KEY=VALUE of the last TAG line of a guest log.
guest_kv()
{
	grep -a "^$2 " "$1" | tail -n1 | tr ' ' '\n' | sed -n "s/^$3=//p"
}

# xfer_listen TAG PORT MIB: in the namespace, a blob of MIB MiB of random
# data served on PORT for the guest to hash, one of ECHO_MB MiB on PORT+1
# for the guest to send back, what comes back on PORT+2 kept in
# /tmp/back-TAG.bin.  The busybox nc quits when its input ends: a FIFO
# nobody writes keeps the receiving one reading until the guest closes.
xfer_listen()
{
	local tag=$1 port=$2 mb=$3 t

	t=$(date +%s)
	head -c "${mb}M" /dev/urandom > "/tmp/blob-$tag" &&
		head -c "${ECHO_MB}M" /dev/urandom > "/tmp/echo-$tag" || return 1
	sha256sum "/tmp/blob-$tag" | cut -d' ' -f1 > "/tmp/blob-$tag.sha"
	mkfifo "/tmp/hold-$tag"
	sleep 100000 > "/tmp/hold-$tag" &
	bg_add $!
	# ip netns exec execs the command: $! is nc's PID.
	ip netns exec $NS busybox nc -l -p "$port" < "/tmp/blob-$tag" > /dev/null &
	XFER_OUT_PID=$!
	XFER_TAG=$tag
	bg_add $XFER_OUT_PID
	ip netns exec $NS busybox nc -l -p $((port + 1)) < "/tmp/echo-$tag" > /dev/null &
	bg_add $!
	ip netns exec $NS busybox nc -l -p $((port + 2)) < "/tmp/hold-$tag" \
		> "/tmp/back-$tag.bin" &
	XFER_BACK_PID=$!
	bg_add $XFER_BACK_PID
	echo "transfers $tag: $mb MiB in (sha256 $(cat "/tmp/blob-$tag.sha")), $ECHO_MB MiB echoed ($(( $(date +%s) - t ))s to make)"
}

# xfer_progress: bytes sent to the guest so far, and echoed back.
xfer_progress()
{
	echo "$XFER_TAG: in $(sed -n 's/^pos:[[:space:]]*//p' "/proc/$XFER_OUT_PID/fdinfo/0" 2>/dev/null || echo "all")," \
	     "echoed $(stat -c %s "/tmp/back-$XFER_TAG.bin" 2>/dev/null)"
}

# wait_guest LOG REGEX SECONDS: until the guest's console matches, with
# the transfers' progress every 30 s.
wait_guest()
{
	local end=$(( $(date +%s) + $3 )) next=$(( $(date +%s) + 30 ))

	until grep -qsaE "$2" "$1"; do
		[ "$(date +%s)" -lt "$end" ] || return 1
		if [ "$(date +%s)" -ge "$next" ]; then
			step "  $(xfer_progress); guest: $(grep -a -E 'GUEST|loads' "$1" | tail -n1 | cut -c1-90)"
			next=$(( $(date +%s) + 30 ))
		fi
		sleep 1
	done
}

# xfer_check TAG LOG: the guest's hash of what it got matches the blob's,
# what it echoed matches what it was sent.
xfer_check()
{
	local tag=$1 log=$2 want got size secs esecs in

	want=$(cat "/tmp/blob-$tag.sha")
	got=$(guest_kv "$log" GUEST-XFER sha256)
	secs=$(guest_kv "$log" GUEST-XFER seconds)
	esecs=$(guest_kv "$log" GUEST-ECHO seconds)
	grep -qa '^GUEST-ECHO ' "$log" &&
		wait_until 60 '! kill -0 '"$XFER_BACK_PID"' 2>/dev/null'
	size=$(stat -c %s "/tmp/back-$tag.bin")
	in=$(stat -c %s "/tmp/blob-$tag")
	[ "${secs:-0}" -gt 0 ] 2>/dev/null || secs=1
	[ "${esecs:-0}" -gt 0 ] 2>/dev/null || esecs=1
	echo "$tag: $in bytes in, hashed by the guest, in ${secs}s ($(( in * 8 / secs / 1000 )) kbit/s)"
	echo "$tag: sha256 sent $want, guest's $got"
	echo "$tag: $size of $(stat -c %s "/tmp/echo-$tag") bytes echoed in ${esecs}s ($(( size * 8 / esecs / 1000 )) kbit/s each way)"
	[ "$got" = "$want" ]
	check_err $? "$tag: the guest received data with sha256 '$got', sent $want"
	cmp "/tmp/echo-$tag" "/tmp/back-$tag.bin" > /tmp/cmp.out 2>&1
	check_err $? "$tag: echoed data ($size bytes) differs: $(head -n1 /tmp/cmp.out)"
	rm -f "/tmp/back-$tag.bin" "/tmp/blob-$tag"
}

setup()
{
	local vf1 dev

	[ -n "$PF" ] || skip_all "no 82576 PF"
	[ -f "$GUEST_KMOD/cdna-vf/cdna_vf.ko" ] ||
		skip_all "no cdna_vf for the guest kernel (make modules-guest)"
	[ -n "$(ls /sys/class/iommu 2>/dev/null)" ] &&
		echo "note: this host has an IOMMU ($(ls /sys/class/iommu))"
	insmod "$KMOD/cdna-pf/cdna_pf.ko" || fail_all "cdna_pf does not load"
	busy_wait 20 has_netdev "$PF" || fail_all "cdna_pf gave no netdev"
	PFNET=$(pci_netdev "$PF")
	ip addr add "$PF_IP/24" dev "$PFNET"
	ip link set "$PFNET" up
	echo 0 > "/sys/bus/pci/devices/$PF/sriov_drivers_autoprobe"
	set_numvfs "$PF" 2 || fail_all "cdna_pf cannot create contexts"
	ip link set "$PFNET" vf 0 mac "$MAC_A"
	ip link set "$PFNET" vf 1 mac "$MAC_PEER"
	VF0=$(vf_dev "$PF" 0)
	L=/sys/bus/pci/devices/$VF0/guard

	# The peer: context 1 with cdna_vf in a namespace, with the servers.
	insmod "$KMOD/cdna-vf/cdna_vf.ko" || fail_all "cdna_vf does not load"
	vf1=$(vf_dev "$PF" 1)
	bind_driver "$vf1" cdna_vf || fail_all "cdna_vf did not bind $vf1"
	busy_wait 60 has_netdev "$vf1" || fail_all "cdna_vf gave $vf1 no netdev"
	dev=$(pci_netdev "$vf1")
	ip netns add $NS
	ip link set "$dev" netns $NS name vf1
	in_ns $NS ip addr add "$PEER_IP/24" dev vf1
	in_ns $NS ip link set vf1 up
	in_ns $NS ip link set lo up
	# Jumbo frames for guest a's last iperf3 (the guest sets its own MTU).
	[ -z "$MTU_A" ] || in_ns $NS ip link set vf1 mtu "$MTU_A" ||
		echo "note: the peer context refuses MTU $MTU_A"
	busy_wait 30 in_ns $NS ping -c 1 -W 1 "$PF_IP" > /dev/null ||
		fail_all "the peer context cannot reach the PF"
	# iperf3 3.18's server counts a test's receive idle time from its
	# previous test: a first test more than --rcv-timeout (120 s) after
	# the server started fails as "idle timeout for receiving data".
	in_ns $NS iperf3 -s -D -p 5201 --rcv-timeout 1800000 \
		--logfile /out/iperf3-server.log || echo "note: no iperf3 server in $NS"
	# Guest a's stream when it is killed lands here.
	ip netns exec $NS busybox nc -l -p $PORT_HOLD > /dev/null < /dev/zero &
	HOLD_PID=$!
	bg_add $HOLD_PID

	modprobe vfio && modprobe vfio_iommu_type1 && modprobe mdev ||
		fail_all "the VFIO modules do not load"
	load_guard || fail_all "vmm_guard does not load"
	bind_driver "$VF0" $SW_DRIVER || fail_all "$VF0 did not bind to $SW_DRIVER"
	[ "$(led mode)" = sw ] && state_is free ||
		fail_all "ledger after bind: $(ledger_dump)"
	echo "$UUID_A" > "/sys/bus/pci/devices/$VF0/mdev_supported_types/$MDEV_TYPE/create" ||
		fail_all "cannot create mdev $UUID_A on $VF0"
	echo "mdev $UUID_A on $VF0, IOMMU group $(basename "$(readlink "/sys/bus/mdev/devices/$UUID_A/iommu_group")")"
	# libvirtd takes most of a minute to come up here: for guest b, meanwhile.
	(libvirt_start; echo "rc=$?") > /tmp/libvirt-start.log 2>&1 &
	LV_PID=$!
	# Canary pages for guest b's hostile driver to aim at.
	"$TOOLS/canary" hold 8 /tmp/canary.txt > /tmp/canary.log 2>&1 &
	CANARY_PID=$!
	busy_wait 20 grep -q '^ready:' /tmp/canary.log ||
		fail_all "canary: $(cat /tmp/canary.log)"
	CANARY_ARG=canary=$(paste -sd: /tmp/canary.txt)
	REPORTS0=$(kernel_reports)
	step "setup done: cdna_pf, peer context in $NS, $VF0 on $SW_DRIVER"
}

guest_a_traffic()
{
	local t qemu v0 v1 tx0 rx0 tx1 rx1 log=/out/guest-a.log

	t=$(date +%s)
	xfer_listen a $PORT_A "$XFER_MB" || fail_all "cannot set up the transfers"
	# One initramfs for both guests: the payload loads the driver named.
	guest_initrd /tmp/g.cpio /src/tests/guest/payload/sw-traffic.sh \
		"$GUEST_KMOD/cdna-vf/cdna_vf.ko" igbvf
	check_err $? "cannot build the guest initramfs"
	v0=$(led descriptors_validated)
	tx0=$(ctx_stat tx_packets)
	rx0=$(ctx_stat rx_packets)
	step "guest a: initramfs $(( $(stat -c %s /tmp/g.cpio) / 1024 )) KiB"
	guest_boot a /tmp/g.cpio 700 \
		"driver=cdna_vf,mac=$MAC_A,ip=$GUEST_IP,peer=$PEER_IP,pf=$PF_IP,iperf=$IPERF_S,xfer=$PORT_A${MTU_A:+,mtu=$MTU_A},hold=$PORT_HOLD" \
		"/sys/bus/mdev/devices/$UUID_A" &
	GUEST_PID=$!
	busy_wait 300 grep -qs CDNA-GUEST-START $log
	step "guest a: init started ($(grep -a -m1 CDNA-GUEST-START $log))"
	wait_guest $log 'GUEST-HOLDING|CDNA-GUEST-DONE' 1100
	check_err $? "guest a did not reach its streaming phase"
	step "guest a: streaming"
	relay $log
	grep -aq 'GUEST-TEST: .*\[FAIL\]' $log && check_err 1 "a check in guest a failed"
	grep -aq 'GUEST-HOLDING' $log || { cat /out/guest-a.qemu.log; check_err 1 "guest a ended early"; }
	grep -a 'GUEST-IPERF none' $log > /dev/null &&
		echo "note: guest a has no iperf3"
	xfer_check a $log
	qemu=$(pgrep -f '^qemu-system-x86_64 .*guest-a\.log' | head -n1)
	[ -n "$qemu" ] && state_is assigned && [ "$(led owner_pid)" = "$qemu" ]
	check_err $? "ledger: state $(led state), owner $(led owner_pid), QEMU $qemu"
	v1=$(led descriptors_validated)
	tx1=$(ctx_stat tx_packets)
	rx1=$(ctx_stat rx_packets)
	echo "context 0: tx $tx0 -> $tx1, rx $rx0 -> $rx1 packets; descriptors validated $v0 -> $v1, refused $(led descriptors_refused)"
	echo "ledger: $(ledger_dump)"
	[ "$(led descriptors_refused)" = 0 ]
	check_err $? "descriptors refused: $(led descriptors_refused)"
	# A packet takes at least one descriptor (TX, RX) of the guest's.
	[ $((v1 - v0)) -ge $(( (tx1 - tx0) + (rx1 - rx0) )) ] 2>/dev/null
	check_err $? "validated $((v1 - v0)) descriptors for $(( (tx1 - tx0) + (rx1 - rx0) )) packets"
	[ "$(led pinned_pages)" -gt 0 ] 2>/dev/null
	check_err $? "pinned_pages $(led pinned_pages) with the guest's RX ring posted"
	echo "guest a: $(( $(date +%s) - t ))s from boot to the streaming phase"
	log_test "guest a: cdna_vf on a sw-mode mdev: pings, iperf3, $XFER_MB MiB intact"
}

kill_mid_stream()
{
	local qemu s0 t tx0 tx1

	qemu=$(pgrep -f '^qemu-system-x86_64 .*guest-a\.log' | head -n1)
	[ -n "$qemu" ] || { check_err 1 "no guest QEMU to kill"; log_test "SIGKILL"; return; }
	s0=$(led scrubs)
	tx0=$(ctx_stat tx_packets)
	sleep 2
	tx1=$(ctx_stat tx_packets)
	echo "before the kill: context 0 sent $((tx1 - tx0)) packets in 2 s, pinned_pages $(led pinned_pages), scrubs $s0"
	[ $((tx1 - tx0)) -gt 0 ]
	check_err $? "no traffic through context 0 when the VMM was killed"
	t=$(date +%s%N)
	kill -KILL "$qemu"
	wait "$GUEST_PID" 2>/dev/null
	busy_wait 30 state_is free
	check_err $? "state $(led state) after SIGKILL, want free"
	busy_wait 20 pinned_zero
	check_err $? "pinned_pages $(led pinned_pages) after SIGKILL, want 0"
	echo "free and unpinned $(( ($(date +%s%N) - t) / 1000000 )) ms after the kill; scrub took $(led last_scrub_us) us"
	[ "$(led scrubs)" = $((s0 + 1)) ] && [ "$(led owner_pid)" = 0 ]
	check_err $? "ledger: scrubs $(led scrubs) (want $((s0 + 1))), owner $(led owner_pid)"
	[ "$(kernel_reports)" = "$REPORTS0" ]
	check_err $? "kernel reports: $(dmesg | grep -E 'BUG:|WARNING:|Oops' | head -n 2 | tr '\n' ' ')"
	dmesg | grep -E 'vmm_guard' | tail -n 4 | sed 's/^/  dmesg: /'
	guest_log_reports a && check_err 1 "kernel report in guest a's log"
	# Guest b gets guest a's address: no stale connection to reset.
	kill "$HOLD_PID" 2>/dev/null
	wait "$HOLD_PID" 2>/dev/null
	echo "ledger: $(ledger_dump)"
	log_test "guest a's QEMU SIGKILLed mid-stream: free, unpinned, scrubbed"
}

# mdev_b: context 0's mdev again, now with mdevctl (persistent), or
# through sysfs when the lab root has no mdevctl.
mdev_b()
{
	echo 1 > "/sys/bus/mdev/devices/$UUID_A/remove"
	check_err $? "cannot remove mdev $UUID_A"
	if ! command -v mdevctl > /dev/null; then
		echo "note: no mdevctl in the lab root; mdev through sysfs"
		echo "$UUID_B" > "/sys/bus/pci/devices/$VF0/mdev_supported_types/$MDEV_TYPE/create"
		check_err $? "cannot create mdev $UUID_B"
		return
	fi
	lv_writable /etc/mdevctl.d
	mdevctl define -a -u "$UUID_B" -p "$VF0" -t $MDEV_TYPE
	check_err $? "mdevctl define failed"
	mdevctl start -u "$UUID_B"
	check_err $? "mdevctl start failed"
	echo "mdevctl list -d: $(mdevctl list -d | tr '\n' ' ')"
	echo "mdevctl list: $(mdevctl list | tr '\n' ' ')"
	[ -f "/etc/mdevctl.d/$VF0/$UUID_B" ] && mdevctl list -d | grep -q "$UUID_B.*auto"
	check_err $? "mdevctl keeps no persistent auto-start definition of $UUID_B"
	[ -e "/sys/bus/mdev/devices/$UUID_B" ]
	check_err $? "mdevctl start made no /sys/bus/mdev/devices/$UUID_B"
}

# hostile_initrd BASE OUT: guest b's initramfs: BASE with a payload that
# runs sw-traffic.sh, then tests/tools/bar-hostile on the context (a later
# archive's files replace the earlier one's when the kernel unpacks them).
hostile_initrd()
{
	local d

	d=$(mktemp -d)
	mkdir -p "$d/bin"
	cp /src/tests/guest/payload/sw-traffic.sh "$d/payload-traffic.sh"
	cp "$TOOLS/bar-hostile" "$d/bin/" || return 1
	cat > "$d/payload.sh" <<-'EOT'
	#!/bin/sh
	# sw-traffic.sh's checks, then a hostile driver on the same context.
	sh /payload-traffic.sh "$@"
	rc=$?
	ARGS="$*"
	. /guest-lib.sh
	VF=$(pci_find 8086 10ca)
	[ -e "/sys/bus/pci/devices/$VF/driver" ] &&
		echo "$VF" > "/sys/bus/pci/devices/$VF/driver/unbind"
	set --
	for a in $(arg canary | tr : ' '); do
		set -- "$@" --canary "$a"
	done
	check "a hostile driver on resource0: every descriptor refused" \
		/bin/bar-hostile "$VF" --count "$(arg hostile)" "$@"
	[ "$GUEST_FAILED" = 0 ] || rc=1
	exit $rc
	EOT
	chmod 0755 "$d/payload.sh" "$d/payload-traffic.sh"
	{ cat "$1"; (cd "$d" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0); } > "$2"
	rm -rf "$d"
}

# policy_drops: TX frames the guard dropped for the context's policy
# (spoof_dropped, vlan_dropped, where the ledger has them).
policy_drops()
{
	echo $(( $(led spoof_dropped 2>/dev/null || echo 0) + $(led vlan_dropped 2>/dev/null || echo 0) ))
}

# hostile_check LOG REFUSED0 POLICY0: what guest b's bar-hostile posted was
# all refused (or dropped by policy) and counted, the canaries unchanged.
hostile_check()
{
	local log=$1 rx tx n got

	rx=$(guest_kv "$log" GUEST-HOSTILE rx)
	tx=$(guest_kv "$log" GUEST-HOSTILE tx)
	n=$(( ${rx:-0} + ${tx:-0} ))
	got=$(( $(led descriptors_refused) - $2 + $(policy_drops) - $3 ))
	echo "guest b's hostile driver: $(grep -a -E '^(bar-hostile|GUEST-HOSTILE|FAIL)' "$log" | tr '\n' ' ')"
	echo "descriptors_refused $2 -> $(led descriptors_refused), policy drops $3 -> $(policy_drops)"
	[ "$n" -ge $((2 * HOSTILE_N)) ] && [ "$got" = "$n" ]
	check_err $? "guest b's hostile driver posted ${n} bad descriptors, the ledger counted $got refused"
	kill -USR1 "$CANARY_PID"
	wait_until 10 'grep -q "^check:" /tmp/canary.log'
	grep '^check:' /tmp/canary.log | tail -n 1 | grep -q 'changed_bytes=0 moved=0$'
	check_err $? "canary pages: $(grep '^check:' /tmp/canary.log | tail -n 1)"
	echo "canary pages: $(grep '^check:' /tmp/canary.log | tail -n 1)"
}

guest_b_igbvf()
{
	local t rb0 ts0 rb1 ts1 v0 v1 s0 r0 p0 log thp rc=0

	t=$(date +%s)
	ip link set "$PFNET" vf 0 mac "$MAC_B"
	mdev_b
	[ -e "/sys/bus/mdev/devices/$UUID_B" ] ||
		{ log_test "guest b: igbvf through libvirt"; return; }
	step "guest b: mdev $UUID_B from mdevctl"
	xfer_listen b $PORT_B "$XFER_B_MB" || fail_all "cannot set up the transfers"
	rb0=$(led rx_bounced)
	ts0=$(led tx_split)
	v0=$(led descriptors_validated)
	s0=$(led scrubs)
	r0=$(led descriptors_refused)
	p0=$(policy_drops)
	# Guest RAM in 4 KiB pages, no transparent huge pages behind it: a
	# buffer of igbvf's that crosses a page crosses host pages that are
	# not contiguous, and the guard must bounce (RX) or split (TX) it.
	thp=$(sed -n 's/.*\[\(.*\)\].*/\1/p' $THP)
	echo never > $THP
	wait "$LV_PID"
	grep -q '^rc=0$' /tmp/libvirt-start.log
	check_err $? "libvirtd does not start: $(tail -n 3 /tmp/libvirt-start.log | tr '\n' ' ')"
	step "guest b: libvirtd $(virsh -q version | sed -n 's/^Using library: //p') up"
	log=$(guest_console b)
	hostile_initrd /tmp/g.cpio /tmp/gb.cpio
	check_err $? "cannot build guest b's initramfs"
	domain_xml b /tmp/gb.cpio \
		"driver=igbvf,mac=$MAC_B,ip=$GUEST_IP,peer=$PEER_IP,pf=$PF_IP,iperf=$IPERF_S,xfer=$PORT_B,hostile=$HOSTILE_N,$CANARY_ARG" "
	    <hostdev mode='subsystem' type='mdev' model='vfio-pci' managed='no'>
	      <source><address uuid='$UUID_B'/></source>
	    </hostdev>" > /tmp/b.xml
	virsh -q create /tmp/b.xml
	check_err $? "virsh create b (mdev hostdev) failed: $(tail -n 5 /var/log/libvirt/qemu/b.log 2>/dev/null)"
	step "guest b: started by libvirt; ledger state $(led state), owner $(led owner_comm)/$(led owner_pid)"
	wait_guest "$log" CDNA-GUEST-DONE 700
	check_err $? "guest b gave no verdict"
	step "guest b: done"
	relay "$log"
	rc=$(sed -n 's/.*CDNA-GUEST-DONE rc=\([0-9]*\).*/\1/p' "$log" | tail -n1)
	[ "${rc:-1}" = 0 ]
	check_err $? "guest b's payload failed (rc ${rc:-none})"
	busy_wait 60 eval '! virsh -q list --name | grep -qx b'
	check_err $? "domain b still running after its guest powered off"
	echo "$thp" > $THP
	xfer_check b "$log"
	busy_wait 30 state_is free && busy_wait 20 pinned_zero
	check_err $? "after guest b: $(ledger_dump)"
	[ "$(led scrubs)" = $((s0 + 1)) ]
	check_err $? "scrubs $(led scrubs) after guest b, want $((s0 + 1))"
	hostile_check "$log" "$r0" "$p0"
	rb1=$(led rx_bounced)
	ts1=$(led tx_split)
	v1=$(led descriptors_validated)
	echo "igbvf: descriptors validated $v0 -> $v1, rx_bounced $rb0 -> $rb1, tx_split $ts0 -> $ts1 (guest RAM without huge pages)"
	[ "$rb1" -gt "$rb0" ] || echo "note: no RX buffer of igbvf's was bounced"
	! grep -a -E 'Kernel panic|Oops|WARNING:|BUG:|Call Trace:' "$log"
	check_err $? "kernel report in guest b's console"
	echo "ledger: $(ledger_dump)"
	echo "guest b: $(( $(date +%s) - t ))s"
	log_test "guest b: igbvf, mdevctl, libvirt <hostdev type='mdev'>, clean"
}

setup
for t in $TESTS; do
	ts=$(date +%s)
	"$t"
	step "$t took $(( $(date +%s) - ts ))s"
done
echo "guard sw guest tier: $(( $(date +%s) - T0 ))s"
exit $EXIT_STATUS
