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
KMOD=/src/kmod

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

# vf_dev PF N: the PCI address of VF N of PF.
vf_dev()
{
	basename "$(readlink -f "/sys/bus/pci/devices/$1/virtfn$2")"
}

regs()
{
	"$TOOLS/cdna-regs" "$@"
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

# guard_cleanup: the guard tests' exit trap: openers killed, contexts
# and modules gone, whatever the test got to.
guard_cleanup()
{
	pkill -9 vfio-open 2>/dev/null
	sleep 0.5
	rmmod vmm_guard 2>/dev/null
	[ -n "${PF:-}" ] && [ -e "/sys/bus/pci/devices/$PF/sriov_numvfs" ] &&
		echo 0 > "/sys/bus/pci/devices/$PF/sriov_numvfs" 2>/dev/null
	rmmod cdna_pf 2>/dev/null
}

# load_guard [PARAM...]: vmm_guard with the VFIO modules it links to.
load_guard()
{
	modprobe vfio-pci-core || return 1
	insmod "$KMOD/vmm-guard/vmm_guard.ko" "$@"
}

# pf_load: drive the PF with $PF_DRIVER: cdna_pf (this project's), or the
# in-tree igb (the default: an independent counterpart for VF tests).
pf_load()
{
	case ${PF_DRIVER:-igb} in
	cdna_pf) insmod "$KMOD/cdna-pf/cdna_pf.ko" ;;
	igb) modprobe igb ;;
	*) echo "unknown PF_DRIVER $PF_DRIVER"; return 1 ;;
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

# is_ack WORD / is_nack WORD: an answer's verdict.
is_ack()
{
	(( $1 & MBX_ACK )) && ! (( $1 & MBX_NACK ))
}

is_nack()
{
	(( $1 & MBX_NACK )) && ! (( $1 & MBX_ACK ))
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
