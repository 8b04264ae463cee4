# SPDX-License-Identifier: GPL-2.0
#
# Helpers for the lab's host-VM and guest-tier test scripts, in the manner
# of the kernel selftests' lib.sh: each test is a function, check_err
# records the first failure with a message, log_test prints the verdict,
# run_tests runs $TESTS and exits 0, 1 or 4 (skip).
#
# Sourced by scripts running inside the lab VM (bash, trixie root).

KSFT_SKIP=4
RET=0
RETMSG=
EXIT_STATUS=0
NTESTS=0
NSKIP=0
TOOLS=/src/tests/tools
KMOD=${LAB_KMOD:-/src/kmod}
PF_KO=$KMOD/cdna-pf/cdna_pf.ko
VF_KO=$KMOD/cdna-vf/cdna_vf.ko
# The far end of the lab's wire (lab/run-vm.sh): a virtio-net NIC.
PEER_MAC=52:54:00:00:00:fe

check_err()
{
	local err=$1 msg=$2

	if [ "$RET" -eq 0 ] && [ "$err" -ne 0 ]; then
		RET=$err
		RETMSG=$msg
	fi
}

check_fail()
{
	local err=$1 msg=$2

	if [ "$RET" -eq 0 ] && [ "$err" -eq 0 ]; then
		RET=1
		RETMSG=$msg
	fi
}

log_test()
{
	local name=$1

	NTESTS=$((NTESTS + 1))
	if [ "$RET" -ne 0 ]; then
		EXIT_STATUS=1
		printf 'TEST: %-60s [FAIL]\n\t%s\n' "$name" "$RETMSG"
	else
		printf 'TEST: %-60s [ OK ]\n' "$name"
	fi
	RET=0
	RETMSG=
}

log_skip()
{
	NSKIP=$((NSKIP + 1))
	printf 'TEST: %-60s [SKIP]\n\t%s\n' "$1" "$2"
}

# skip_all REASON: the whole script cannot run here.
skip_all()
{
	echo "SKIP: $*"
	exit $KSFT_SKIP
}

run_tests()
{
	local t

	for t in $TESTS; do
		"$t"
	done
	# A script whose every test skipped is a skip, not a pass.
	if [ "$EXIT_STATUS" -eq 0 ] && [ "$NTESTS" -eq 0 ] && [ "$NSKIP" -gt 0 ]; then
		echo "SKIP: every test skipped"
		exit $KSFT_SKIP
	fi
	exit $EXIT_STATUS
}

# busy_wait TIMEOUT_S CMD...: poll CMD every 0.2 s until it succeeds.
busy_wait()
{
	local deadline=$(( $(date +%s) + $1 ))

	shift
	until "$@"; do
		[ "$(date +%s)" -lt "$deadline" ] || return 1
		sleep 0.2
	done
}

# wait_until TIMEOUT_S 'EXPR': busy_wait on a shell expression, evaluated
# afresh each time.  busy_wait CMD ARGS expands ARGS once, before the
# first try: busy_wait 10 test "$(cat f)" = 1 never sees f change.
wait_until()
{
	local t=$1

	shift
	busy_wait "$t" eval "$*"
}

# pci_find VENDOR DEVICE: PCI addresses of the matching functions.
pci_find()
{
	local d

	for d in /sys/bus/pci/devices/*; do
		[ "$(cat "$d/vendor")" = "0x$1" ] &&
			[ "$(cat "$d/device")" = "0x$2" ] && basename "$d"
	done
	return 0
}

# pf_dev: the 82576 PF's PCI address.
pf_dev()
{
	pci_find 8086 10c9 | head -n1
}

# pci_netdev DEV: the netdev a driver registered for PCI function DEV.
pci_netdev()
{
	ls "/sys/bus/pci/devices/$1/net" 2>/dev/null | head -n1
}

# has_netdev DEV: a driver registered a netdev for PCI function DEV.
has_netdev()
{
	[ -n "$(pci_netdev "$1")" ]
}

# ctx N FILE: one file of cdna_pf's context N (cdna/ctxN/ of the PF).
ctx()
{
	cat "/sys/bus/pci/devices/$PF/cdna/ctx$1/$2"
}

# vf_dev PF N: the PCI address of VF N of PF.
vf_dev()
{
	basename "$(readlink -f "/sys/bus/pci/devices/$1/virtfn$2")"
}

regs()
{
	"$TOOLS/cdna-regs" "$@"
}

# pf_reg NAME: register NAME of the PF $PF (function 0), in decimal.
pf_reg()
{
	printf '%d' "$(regs "$PF" 0 "$1")"
}

# drv_of DEV: the name of the driver PCI function DEV is bound to, or ""
# (readlink, not readlink -f: that names a missing link's path).
drv_of()
{
	local l

	l=$(readlink "/sys/bus/pci/devices/$1/driver" 2>/dev/null) && basename "$l"
}

# now_ms: the wall clock in milliseconds.
now_ms()
{
	echo $(( $(date +%s%N) / 1000000 ))
}

# median: the median of the numbers on stdin, one a line (-1 for none).
median()
{
	sort -n | awk '{ v[NR] = $1 } END { print (NR ? v[int((NR + 1) / 2)] : -1) }'
}

# set_numvfs PF N: through sysfs, the kernel convention (0 first).
set_numvfs()
{
	local f=/sys/bus/pci/devices/$1/sriov_numvfs

	[ "$(cat "$f")" = "$2" ] && return 0
	[ "$(cat "$f")" = 0 ] || echo 0 > "$f" || return 1
	[ "$2" = 0 ] || echo "$2" > "$f"
}

# in_ns NS CMD...: run CMD in network namespace NS.
in_ns()
{
	local ns=$1

	shift
	ip netns exec "$ns" "$@"
}

# fail_all REASON: the script cannot go on; a failure, not a skip.
fail_all()
{
	echo "FAIL: $*"
	exit 1
}

# need WHAT...: skip the whole script unless each WHAT is here: pf (an
# 82576 PF in $PF), a module of this tree (cdna_pf, cdna_vf, vmm_guard), a
# program of tests/tools (cdna-regs, vfio-open) or a command.
need()
{
	local w

	for w in "$@"; do
		case $w in
		pf) [ -n "${PF:-}" ] || skip_all "no 82576 PF" ;;
		cdna_pf) [ -f "$PF_KO" ] || skip_all "cdna_pf.ko not built" ;;
		cdna_vf) [ -f "$VF_KO" ] || skip_all "cdna_vf.ko not built" ;;
		vmm_guard) [ -f "$KMOD/vmm-guard/vmm_guard.ko" ] ||
			skip_all "vmm_guard.ko not built" ;;
		cdna-regs|vfio-open) [ -x "$TOOLS/$w" ] ||
			skip_all "tests/tools/$w not built" ;;
		*) command -v "$w" > /dev/null || skip_all "no $w in the lab root" ;;
		esac
	done
}

# guard_cleanup: the guard tests' exit trap: openers killed, contexts
# and modules gone, whatever the test got to.
guard_cleanup()
{
	pkill -9 vfio-open 2>/dev/null
	sleep 0.5
	pf_cleanup vmm_guard
}

# load_guard [PARAM...]: vmm_guard with the VFIO modules it links to.
load_guard()
{
	modprobe vfio-pci-core && modprobe mdev && modprobe vfio_iommu_type1 || return 1
	insmod "$KMOD/vmm-guard/vmm_guard.ko" "$@"
}

# pf_load [DRIVER]: drive the PF with DRIVER, by default $PF_DRIVER:
# cdna_pf (this project's), or the in-tree igb (the default: an
# independent counterpart for VF tests).
pf_load()
{
	local drv=${1:-${PF_DRIVER:-igb}}

	case $drv in
	cdna_pf) insmod "$PF_KO" ;;
	igb) modprobe igb ;;
	*) echo "unknown PF driver $drv"; return 1 ;;
	esac
}

# bind_driver DEV DRIVER: hand a PCI function to DRIVER through its
# driver_override, the way contexts are given to cdna_vf or vmm_guard.
bind_driver()
{
	local d=/sys/bus/pci/devices/$1

	[ -e "$d/driver" ] && echo "$1" > "$d/driver/unbind"
	echo "$2" > "$d/driver_override"
	echo "$1" > /sys/bus/pci/drivers_probe
	[ "$(basename "$(readlink -f "$d/driver")")" = "$2" ]
}

# bind_igbvf VF MAC: the in-tree igbvf on VF until it has the host's MAC.
# Its reset handshake has millisecond timeouts that TCG stalls sometimes
# exceed, so it is bound up to IGBVF_TRIES (default 4) times.
bind_igbvf()
{
	local vf=$1 mac=$2 try dev

	for try in $(seq 1 "${IGBVF_TRIES:-4}"); do
		bind_driver "$vf" igbvf
		busy_wait 10 has_netdev "$vf"
		dev=$(pci_netdev "$vf")
		if [ -n "$dev" ] &&
		   [ "$(cat "/sys/class/net/$dev/address")" = "$mac" ]; then
			echo "$vf: igbvf bound, try $try"
			return 0
		fi
		echo "$vf: igbvf try $try: netdev '$dev' without the host's MAC"
		echo "$vf" > /sys/bus/pci/drivers/igbvf/unbind 2>/dev/null
	done
	return 1
}

# Setup and cleanup of the host tests, step by step.

# pf_up [DRIVER]: the PF on DRIVER (pf_load's default: $PF_DRIVER), its
# netdev in DEV and up.  The script fails if either does not come.
pf_up()
{
	local drv=${1:-${PF_DRIVER:-igb}}

	pf_load "$drv" || fail_all "$drv does not load"
	busy_wait 30 has_netdev "$PF" || fail_all "$drv registered no netdev for $PF"
	DEV=$(pci_netdev "$PF")
	ip link set "$DEV" up
}

# vfs_make [-p] N [MAC...]: N VFs (with cdna_pf: contexts) on the PF, their
# PCI addresses in VF[0] to VF[N-1], the I-th MAC set by the host on VF I.
# No driver probes them unless the test binds one (sriov_drivers_autoprobe
# 0); with -p the VF drivers loaded afterwards take them.
vfs_make()
{
	local probe=0 i

	[ "$1" = -p ] && { probe=1; shift; }
	echo $probe > "/sys/bus/pci/devices/$PF/sriov_drivers_autoprobe"
	set_numvfs "$PF" "$1" || return 1
	VF=()
	for ((i = 0; i < $1; i++)); do
		VF[i]=$(vf_dev "$PF" "$i")
	done
	shift
	for ((i = 0; $# > 0; i++)); do
		ip link set "$DEV" vf "$i" mac "$1" || return 1
		shift
	done
}

# cdna_vf_bind VF...: cdna_vf on each VF, loaded first if it is not (the
# script fails if it cannot be); fails at the first VF it does not take.
cdna_vf_bind()
{
	local v

	[ -d /sys/module/cdna_vf ] || insmod "$VF_KO" || fail_all "insmod cdna_vf failed"
	for v in "$@"; do
		bind_driver "$v" cdna_vf || return 1
	done
}

# ns_no_ipv6 NS: IPv6 off in network namespace NS, for the interfaces in
# it and those moved in later (no MLD or ND traffic of their own); the
# debug kernel has no IPv6 at all.
ns_no_ipv6()
{
	[ -d /proc/sys/net/ipv6 ] || return 0
	in_ns "$1" sh -c 'echo 1 > /proc/sys/net/ipv6/conf/all/disable_ipv6;
			  echo 1 > /proc/sys/net/ipv6/conf/default/disable_ipv6'
}

# vf_into_ns VF NS NAME IP [noipv6]: VF's netdev (waited for, 20 s) into a
# new network namespace NS as NAME with IP/24, up, and NS's lo up; with
# noipv6, NS without IPv6 (ns_no_ipv6).
vf_into_ns()
{
	local vf=$1 ns=$2 name=$3 dev

	busy_wait 20 has_netdev "$vf" || return 1
	dev=$(pci_netdev "$vf")
	ip netns add "$ns" || return 1
	[ "${5:-}" = noipv6 ] && ns_no_ipv6 "$ns"
	ip link set "$dev" netns "$ns" name "$name" || return 1
	in_ns "$ns" ip addr add "$4/24" dev "$name"
	in_ns "$ns" ip link set lo up
	in_ns "$ns" ip link set "$name" up
}

# vfs_into_ns PREFIX IP...: VF[I] into namespace PREFIXI as vfI with the
# I-th IP (vf_into_ns), as many VFs as IPs; then each with carrier within
# 60 s.
vfs_into_ns()
{
	local prefix=$1 i=0 ip

	shift
	for ip in "$@"; do
		vf_into_ns "${VF[i]}" "$prefix$i" "vf$i" "$ip" || return 1
		i=$((i + 1))
	done
	for ((i = 0; i < $#; i++)); do
		busy_wait 60 carrier_up "$prefix$i" "vf$i" || return 1
	done
}

# peer_ns IP [noipv6]: the virtio-net NIC at the wire's far end (PEER_MAC)
# into namespace "peer" as peer0 with IP/24, up; with noipv6, "peer"
# without IPv6.
peer_ns()
{
	local d

	modprobe virtio_net 2>/dev/null
	ip netns add peer || return 1
	[ "${2:-}" = noipv6 ] && ns_no_ipv6 peer
	for d in /sys/class/net/*; do
		[ "$(cat "$d/address")" = "$PEER_MAC" ] || continue
		ip link set "$(basename "$d")" netns peer name peer0 || return 1
		in_ns peer ip addr add "$1/24" dev peer0
		in_ns peer ip link set lo up
		in_ns peer ip link set peer0 up
		return 0
	done
	return 1
}

# pf_peer_up PF_IP PEER_IP [noipv6]: cdna_pf up (pf_up) with PF_IP/24, and
# the peer at the far end of its wire in namespace "peer" (peer_ns); fails
# unless the PF has carrier within 15 s.
pf_peer_up()
{
	pf_up cdna_pf
	ip addr add "$1/24" dev "$DEV"
	peer_ns "$2" "${3:-}"
	busy_wait 15 grep -qx 1 "/sys/class/net/$DEV/carrier"
}

# vf_pair_bind MAC0 MAC1: the vf-* tests' start: the PF up on $PF_DRIVER,
# two VFs given MAC0 and MAC1 by the host, both on cdna_vf.
vf_pair_bind()
{
	pf_up
	vfs_make 2 "$1" "$2"
	check_err $? "cannot enable 2 VFs"
	cdna_vf_bind "${VF[0]}" "${VF[1]}"
	check_err $? "cdna_vf did not bind the VFs"
}

# vf_pair_up MAC0 MAC1 IP0 IP1: vf_pair_bind, then VF I in namespace vfnsI
# as vfI with IP I (vfs_into_ns), and VF0 pinging VF1 within 60 s.
vf_pair_up()
{
	vf_pair_bind "$1" "$2"
	vfs_into_ns vfns "$3" "$4"
	check_err $? "VFs got no carrier"
	busy_wait 60 in_ns vfns0 ping -c 1 -W 1 -q "$4" > /dev/null 2>&1
	check_err $? "VF0 cannot ping VF1"
}

# vfio_hold VF: tests/tools/vfio-open holds VF open through VFIO, the way
# a VM does, in the background (its pid in HOLDER, its output in
# HOLDER_OUT) until vfio_drop; fails unless it opened within 20 s.
HOLDER=
HOLDER_OUT=/tmp/holder.out
vfio_hold()
{
	"$TOOLS/vfio-open" "$1" hold > "$HOLDER_OUT" 2>&1 &
	HOLDER=$!
	busy_wait 20 grep -q opened "$HOLDER_OUT"
}

# vfio_drop [SIGNAL]: the holder, if any, killed (SIGNAL, default KILL)
# and reaped.
vfio_drop()
{
	[ -n "$HOLDER" ] || return 0
	kill -"${1:-KILL}" "$HOLDER" 2>/dev/null
	wait "$HOLDER" 2>/dev/null
	HOLDER=
}

# pf_cleanup [MODULE...]: the exit trap of the tests on a PF, whatever
# the test got to: the holder gone (vfio_drop), every network namespace
# deleted, the MODULEs (VF drivers, vmm_guard) unloaded, the VFs removed
# and cdna_pf unloaded.
pf_cleanup()
{
	local m

	vfio_drop
	ip -all netns delete 2>/dev/null
	for m in "$@"; do
		rmmod "$m" 2>/dev/null
	done
	[ -n "${PF:-}" ] && [ -e "/sys/bus/pci/devices/$PF/sriov_numvfs" ] &&
		echo 0 > "/sys/bus/pci/devices/$PF/sriov_numvfs" 2>/dev/null
	rmmod cdna_pf 2>/dev/null
}

# guard_refused_bind WHY: binding VF0 to vmm_guard fails with EPERM, the
# kernel log says VF0 is "not isolated: WHY", VF0 is left without driver.
guard_refused_bind()
{
	local err

	err=$(echo "$VF0" 2>&1 > /sys/bus/pci/drivers/vmm_guard/bind)
	check_fail $? "vmm_guard took a context although $1"
	echo "bind: $err"
	[[ $err == *"Operation not permitted"* ]]
	check_err $? "bind did not fail with EPERM: $err"
	dmesg | grep -q "$VF0: not taking the context: not isolated: $1"
	check_err $? "no clear refusal message in the kernel log"
	[ ! -e "/sys/bus/pci/devices/$VF0/driver" ]
	check_err $? "$VF0 is bound to $(basename "$(readlink -f "/sys/bus/pci/devices/$VF0/driver")")"
}

# guard_override: vmm_guard loaded again with the allow_unsafe_isolation
# override; loading it probes VF0 (its driver_override), which it takes.
guard_override()
{
	rmmod vmm_guard
	load_guard allow_unsafe_isolation=1
	check_err $? "vmm_guard does not load with the override"
	[ "$(basename "$(readlink -f "/sys/bus/pci/devices/$VF0/driver")")" = vmm_guard ]
	check_err $? "the override did not take the context"
}

# guard_setup [MAC]: the guard tests' start: cdna_pf up with 2 contexts,
# the first (given MAC by the host) in VF0 and its ledger directory in L,
# vmm_guard and vfio-pci loaded.
guard_setup()
{
	pf_up cdna_pf
	vfs_make 2 "$@" || fail_all "cdna_pf cannot create contexts"
	VF0=${VF[0]}
	L=/sys/bus/pci/devices/$VF0/guard
	load_guard || fail_all "vmm_guard does not load"
	modprobe vfio-pci
}

# carrier_up NS DEV: DEV in network namespace NS has carrier.
carrier_up()
{
	[ "$(in_ns "$1" cat "/sys/class/net/$2/carrier" 2>/dev/null)" = 1 ]
}

# ns_stat NS DEV KEY: one ethtool -S counter of DEV in namespace NS.
ns_stat()
{
	in_ns "$1" ethtool -S "$2" | awk -v k="$3:" '$1 == k { print $2 }'
}

# counter_grew NS DEV KEY BEFORE: check_err unless that counter (ns_stat)
# went above BEFORE.
counter_grew()
{
	local now

	now=$(ns_stat "$1" "$2" "$3")
	[ -n "$now" ] && [ "$now" -gt "$4" ]
	check_err $? "$2 $3 did not increase ($4 -> $now)"
}

# vf_iperf ADDR PORT [IPERF3-ARG...]: iperf3 from namespace vfns0 to a
# one-off server on PORT in vfns1 at ADDR, 60 s at most; its summary
# printed, its whole output in IPERF_OUT; fails when iperf3 does.
vf_iperf()
{
	local addr=$1 port=$2 rc

	shift 2
	in_ns vfns1 iperf3 -s -1 -D -p "$port" || true
	sleep 1
	IPERF_OUT=$(in_ns vfns0 timeout 60 iperf3 -c "$addr" -p "$port" "$@" -f m 2>&1)
	rc=$?
	echo "$IPERF_OUT" | grep -E 'sender|receiver'
	return $rc
}

# Raw contexts: a VF driven by the test itself through its BAR0 (its
# VF_VMBMEM, VF_V2PMAILBOX and VF_CTRL registers, by the names of
# kmod/include/cdna_vf_regs.h), no driver bound: a hostile or scripted
# guest.  Mailbox answers carry these flags in word 0.
MBX_ACK=$((1 << 31))
MBX_NACK=$((1 << 30))
MBX_CTS=$((1 << 29))

# raw_vf_take VF: unbind VF's driver and let the test drive its BAR0.
raw_vf_take()
{
	local d=/sys/bus/pci/devices/$1

	[ -e "$d/driver" ] && echo "$1" > "$d/driver/unbind"
	setpci -s "$1" COMMAND=0x0006
}

# rvf_regs VF OFFSET[=VALUE]...: read or write VF's BAR0 registers.
rvf_regs()
{
	local vf=$1

	shift
	"$TOOLS/cdna-regs" "$vf" 0 "$@"
}

# mac_words MAC: the two mailbox words that carry MAC.
mac_words()
{
	local b

	IFS=: read -ra b <<< "$1"
	printf '0x%s%s%s%s 0x0000%s%s\n' "${b[3]}" "${b[2]}" "${b[1]}" \
		"${b[0]}" "${b[5]}" "${b[4]}"
}

# rvf_send VF W0 [W1...]: write the words into VF's VMBMEM, then REQ.
rvf_send()
{
	local vf=$1 args=() i=0 w

	shift
	for w in "$@"; do
		args+=("VF_VMBMEM($i)=$w")
		i=$((i + 1))
	done
	rvf_regs "$vf" "${args[@]}" VF_V2PMAILBOX=0x1 > /dev/null
}

# rvf_req VF W0 [W1...]: post a request, wait (5 s at most) for word 0 to
# carry ACK or NACK, print it.  Fails on no answer.
rvf_req()
{
	local vf=$1 deadline v

	shift
	rvf_send "$vf" "$@" || return 1
	deadline=$(( $(date +%s) + 5 ))
	while :; do
		v=$(rvf_regs "$vf" "VF_VMBMEM(0)")
		if (( v & (MBX_ACK | MBX_NACK) )); then
			echo "$v"
			return 0
		fi
		[ "$(date +%s)" -lt "$deadline" ] || { echo "$v"; return 1; }
		sleep 0.05
	done
}

# is_ack WORD / is_nack WORD: an answer's verdict (an empty WORD: neither).
is_ack()
{
	(( ${1:-0} & MBX_ACK )) && ! (( ${1:-0} & MBX_NACK ))
}

is_nack()
{
	(( ${1:-0} & MBX_NACK )) && ! (( ${1:-0} & MBX_ACK ))
}

# rvf_reset VF: VF CTRL.RST, then the RESET handshake; fails unless the
# PF answered RESET with ACK (and the MAC the host set) or NACK (no MAC).
rvf_reset()
{
	local r

	rvf_regs "$1" VF_CTRL=0x4000000 > /dev/null
	sleep 0.3
	r=$(rvf_req "$1" 0x1) && [ $((r & 0xffff)) -eq 1 ]
}

# raw_vfs_take [reset]: every VF of VF[] raw (raw_vf_take), each through
# its RESET handshake (rvf_reset) with "reset"; fails at the first that
# does not complete it.
raw_vfs_take()
{
	local v

	for v in "${VF[@]}"; do
		raw_vf_take "$v"
		[ "${1:-}" = reset ] || continue
		rvf_reset "$v" || return 1
	done
}

# rvf_set_mac VF MAC: SET_MAC (primary); print the answer's word 0.
rvf_set_mac()
{
	# shellcheck disable=SC2046
	rvf_req "$1" 0x2 $(mac_words "$2")
}

# rvf_set_vlan VF VID [add|del]: SET_VLAN; print the answer's word 0.
rvf_set_vlan()
{
	local info=0x00010004

	[ "${3:-add}" = del ] && info=0x4
	rvf_req "$1" "$info" "$2"
}

# rars PF: the valid receive address entries, "INDEX MAC POOLS" per line.
rars()
{
	local i args=() lo hi

	for i in $(seq 0 23); do
		args+=("RAL($i)" "RAH($i)")
	done
	i=0
	regs "$1" 0 "${args[@]}" | paste - - | while read -r lo hi; do
		if (( hi >> 31 )); then
			printf '%d %02x:%02x:%02x:%02x:%02x:%02x %d\n' $i \
				$((lo & 0xff)) $((lo >> 8 & 0xff)) \
				$((lo >> 16 & 0xff)) $((lo >> 24 & 0xff)) \
				$((hi & 0xff)) $((hi >> 8 & 0xff)) \
				$((hi >> 18 & 0xff))
		fi
		i=$((i + 1))
	done
}

# rar_pools PF MAC: the pool masks of the valid RAR entries holding MAC,
# one a line (none: the address steers nowhere).
rar_pools()
{
	rars "$1" | awk -v m="$2" '$2 == m { print $3 }'
}

# vlvf PF: the valid VLVF entries, "VID POOLMASK" per line.
vlvf()
{
	local i args=() v

	for i in $(seq 0 31); do
		args+=("VLVF($i)")
	done
	regs "$1" 0 "${args[@]}" | while read -r v; do
		(( v >> 31 )) && printf '%d %d\n' $((v & 0xfff)) $((v >> 12 & 0xff))
	done
}

# The software-mode tests (tests/host/guard-sw*.sh,
# tests/guest/guard-sw-vm.sh): the ledger of their context in L, the
# PIDs of their background helpers in BG.
led() { cat "$L/$1" 2>/dev/null; }
state_is() { [ "$(led state)" = "$1" ]; }
pinned_zero() { [ "$(led pinned_pages)" = 0 ]; }
ledger_dump() { grep -H . "$L"/* 2>/dev/null | sed "s|^$L/||" | tr '\n' ' '; }
bg_add() { BG="$BG $1"; }

# serve_start LOG [ARGS...]: sw-client ($SWC) serve on mdev $UUID with
# address $IP0 in the background, ready; its PID in SERVE.
serve_start()
{
	SERVE_LOG=$1
	shift
	"$SWC" serve "$UUID" --ip $IP0 --count-frames "$@" > "$SERVE_LOG" 2>&1 &
	SERVE=$!
	busy_wait 60 grep -q '^ready:' "$SERVE_LOG" && return 0
	kill -0 "$SERVE" 2>/dev/null || SERVE=
	return 1
}

# serve_stop: SIGTERM, wait (bounded) for the summary; the client's rc.
serve_stop()
{
	local rc

	[ -n "$SERVE" ] || return 1
	kill -TERM "$SERVE" 2>/dev/null
	if ! busy_wait 30 eval '! kill -0 "$SERVE" 2>/dev/null'; then
		echo "sw-client serve ignored SIGTERM for 30 s"
		kill -9 "$SERVE"
	fi
	wait "$SERVE"
	rc=$?
	SERVE=
	return $rc
}

# sw_stop [PID...]: the sw-client serve ($SERVE), the background helpers
# ($BG) and the PIDs given killed, and the mediated device $UUID removed:
# what every software-mode test's exit trap does first.
sw_stop()
{
	local p

	for p in $SERVE $BG "$@"; do
		kill -9 "$p" 2>/dev/null
	done
	sleep 0.5
	[ -n "${UUID:-}" ] && [ -e "/sys/bus/mdev/devices/$UUID" ] &&
		echo 1 > "/sys/bus/mdev/devices/$UUID/remove" 2>/dev/null
}

# sw_rebind: the mediated device $UUID removed, VF0 unbound from and bound
# again to $SW_DRIVER, the mdev created again: what clears a quarantine.
sw_rebind()
{
	echo 1 > "/sys/bus/mdev/devices/$UUID/remove" &&
		echo "$VF0" > "/sys/bus/pci/drivers/$SW_DRIVER/unbind" &&
		bind_driver "$VF0" "$SW_DRIVER" &&
		echo "$UUID" > "/sys/bus/pci/devices/$VF0/mdev_supported_types/$MDEV_TYPE/create"
}

# vf_mac_is DEV MAC: the netdev of PCI function DEV has address MAC.
vf_mac_is()
{
	local dev

	dev=$(pci_netdev "$1")
	[ -n "$dev" ] && [ "$(cat "/sys/class/net/$dev/address")" = "$2" ]
}

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

# kernel_reports: how many lines of the kernel log fail a lab run.
kernel_reports()
{
	dmesg | grep -cE 'BUG:|WARNING:|Oops|general protection|Call Trace:'
}

# The cdnactl tests (tests/host/cdnactl*.sh).

# cdnactl_work DIR: their globals: the cdnactl under test in CDNACTL, the
# scratch directory DIR in WORK, cdnactl's stdout and stderr in the files
# OUT and ERR, a node for libvirt's test driver in NODE.
cdnactl_work()
{
	CDNACTL=/src/userspace/cdnactl/cdnactl
	WORK=$1
	OUT=$WORK/out
	ERR=$WORK/err
	NODE=$WORK/node.xml
}

# cdnactl_setup: their start: cdnactl runs here, $WORK exists, cdna_pf is
# up (DEV) and vmm_guard loaded.
cdnactl_setup()
{
	need pf perl
	[ -x "$CDNACTL" ] || skip_all "userspace/cdnactl not built (make -C userspace)"
	"$CDNACTL" --help > /dev/null 2>&1 ||
		fail_all "cdnactl does not run here: $("$CDNACTL" --help 2>&1 | head -n 3)"
	mkdir -p "$WORK"
	pf_up cdna_pf
	load_guard || fail_all "vmm_guard does not load"
}

# cdnactl ARGS...: stdout in $OUT, stderr in $ERR, exit status in $RC.
cdnactl()
{
	"$CDNACTL" "$@" > "$OUT" 2> "$ERR"
	RC=$?
	return $RC
}

# ctx_snapshot [link]: what a cdnactl command may change: for each context
# of the PF its VF, driver, driver_override and ledger owner name; with
# "link", first the policy as ip link shows it and the PF's sriov_numvfs
# and sriov_drivers_autoprobe.  Two programs at most: every exec from the
# lab's 9p root costs.
ctx_snapshot()
{
	local prog='
		sub rd {
			open(my $h, "<", $_[0]) or return "-";
			my $v = <$h> // "";
			chomp $v;
			return $v;
		}
		my $d = "/sys/bus/pci/devices/$ARGV[0]";
		if ($ARGV[1]) {
			print grep { /^\s+vf / } <STDIN>;
			print rd("$d/sriov_numvfs"), " ", rd("$d/sriov_drivers_autoprobe"), "\n";
		}
		opendir(my $dh, $d) or die;
		for my $l (sort grep { /^virtfn[0-9]+$/ } readdir($dh)) {
			(my $vf = readlink("$d/$l") // "") =~ s|.*/||;
			my $v = "/sys/bus/pci/devices/$vf";
			(my $drv = readlink("$v/driver") // "") =~ s|.*/||;
			print join(" ", $vf, $drv, rd("$v/driver_override"),
				   rd("$v/guard/owner")), "\n";
		}'

	if [ "${1:-}" = link ]; then
		ip link show "$DEV" | perl -e "$prog" "$PF" 1
	else
		perl -e "$prog" "$PF" 0
	fi
}

# snapshot: what expect_fail compares; a script may redefine it.
snapshot()
{
	ctx_snapshot
}

# show_diff A B: what changed from A to B (the lab's /dev has no /dev/fd
# for <(...)).
show_diff()
{
	echo "$1" > "$WORK/diff.a"
	echo "$2" > "$WORK/diff.b"
	diff "$WORK/diff.a" "$WORK/diff.b" | tr '\n' ' '
}

# printable STRING: STRING with bytes outside printable ASCII as \xNN.
printable()
{
	perl -e '(my $s = $ARGV[0]) =~ s/([^\x20-\x7e])/sprintf("\\x%02x", ord($1))/ge; print $s' -- "$1"
}

# expect_fail STATUS REGEX [FILE] -- ARGS...: cdnactl ARGS (stdin from
# FILE) exits with STATUS, says REGEX on stderr (nothing when REGEX is
# empty), and changes nothing that snapshot shows.
expect_fail()
{
	local want=$1 re=$2 input=/dev/null before after

	shift 2
	if [ "$1" != -- ]; then
		input=$1
		shift
	fi
	shift
	before=$(snapshot)
	cdnactl "$@" < "$input"
	after=$(snapshot)
	if [ "$RC" -ne "$want" ]; then
		check_err 1 "cdnactl $(printable "$*"): exit $RC, want $want: $(cat "$ERR")"
	elif [ -z "$re" ] && [ -s "$ERR" ]; then
		check_err 1 "cdnactl $(printable "$*"): unexpected stderr '$(cat "$ERR")'"
	elif [ -n "$re" ] && ! grep -qE -- "$re" "$ERR"; then
		check_err 1 "cdnactl $(printable "$*"): stderr '$(cat "$ERR")' does not match '$re'"
	elif [ "$before" != "$after" ]; then
		check_err 1 "cdnactl $(printable "$*") (exit $RC) changed the system: $(show_diff "$before" "$after")"
	fi
}

# json_ok FILE: FILE holds one JSON value per line (checked with a
# grammar of RFC 8259 in Perl: the lab root has no JSON tool).
json_ok()
{
	perl -ne '
		BEGIN {
			$re = qr{
				(?(DEFINE)
				(?<v> \s* (?: (?&o) | (?&a) | (?&s) | (?&n) | true | false | null ) \s* )
				(?<o> \{ \s* (?: (?&p) (?: , (?&p) )* )? \} )
				(?<p> \s* (?&s) \s* : (?&v) )
				(?<a> \[ \s* (?: (?&v) (?: , (?&v) )* )? \] )
				(?<s> " (?: [^"\\\x00-\x1f] | \\ ["\\/bfnrt] | \\u[0-9a-fA-F]{4} )* " )
				(?<n> -? (?: 0 | [1-9][0-9]* ) (?: \.[0-9]+ )? (?: [eE][+-]?[0-9]+ )? ) )
				\A (?&v) \z
			}x;
			$bad = 0; $lines = 0;
		}
		chomp; $lines++;
		$bad++ unless /$re/;
		END { exit($bad || !$lines) }' "$1"
}

# ledger VF FILE: one file of VF's guard ledger (nothing without one).
ledger()
{
	cat "/sys/bus/pci/devices/$1/guard/$2" 2>/dev/null
}

# addr_attrs DDDD:BB:SS.F: the PCI address as libvirt's attributes.
addr_attrs()
{
	local dom=${1%%:*} rest=${1#*:}
	local bus=${rest%%:*} dev=${rest#*:}

	printf "domain='0x%s' bus='0x%s' slot='0x%s' function='0x%s'" \
		"$dom" "$bus" "${dev%.*}" "${dev#*.}"
}

# test_node_xml: $NODE for libvirt's test driver (no libvirtd): one
# running domain, cdna-vm, without devices.
test_node_xml()
{
	cat > "$NODE" <<-EOT
	<node>
	  <domain type='test'><name>cdna-vm</name><memory>65536</memory><os><type>hvm</type></os></domain>
	</node>
	EOT
}
