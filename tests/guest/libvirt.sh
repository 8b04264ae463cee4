#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# lab: timeout=1200 mem=3072
#
# Guest tier, contexts through a real libvirt (trixie's libvirtd in the lab
# VM), cdnactl and the project's qemu hook:
#  1. virsh start of a domain whose XML has <interface type='hostdev'> with
#     a <mac> and a <vlan>: the hook binds the context to vmm_guard and
#     names the domain as owner, the guest's cdna_vf has the XML's MAC and
#     talks on VLAN 10;
#  2. cdnactl attach / detach into the running domain, five times (the
#     last with --config, which also changes the persistent definition):
#     the guest sees the NIC appear and pass traffic, then go; the context
#     is scrubbed and free each time, nothing leaks;
#  3. after traffic, cdnactl list, cdnactl stats, ethtool -S on the PF and
#     the guest's own ethtool -S agree;
#  4. virsh destroy: the context is scrubbed, cdnactl list shows it free;
#  5. a <network> with <forward mode='hostdev'> hands contexts to two
#     domains at once and they talk to each other through the NIC;
#  6. bad input (unknown domain, PF or context, a context another domain
#     holds, an invalid MAC or VLAN) gets its error and changes nothing.
# Every step prints its duration: guest boots dominate this tier.
source /src/tests/lib.sh
source /src/lab/vm/guest.sh
source /src/lab/vm/libvirt.sh

TESTS="start_with_context hotplug_cycles destroy_frees pool_two_domains
       bad_input"
PF=$(pf_dev)
CDNACTL=$LV_CDNACTL
CYCLES=${CYCLES:-5}
MAC_A=52:54:00:cd:0a:0b		# 198.18.10.11 on VLAN 10
MAC_B=52:54:00:cd:00:41		# 198.18.0.65
MAC_C=52:54:00:cd:00:42		# 198.18.0.66
# Slow under nested TCG: the guest has to eject a device it is using.
DETACH_TIMEOUT=300
STEP_T=0

step()
{
	echo "[$(( $(date +%s) - STEP_T ))s] $*"
}

cleanup()
{
	local d

	for d in $(virsh -q list --name 2>/dev/null); do
		virsh -q destroy "$d" > /dev/null 2>&1
	done
	cp /tmp/guest-*.log /out/ 2>/dev/null
	libvirt_stop 2>/dev/null
}
trap cleanup EXIT

cdnactl() { "$CDNACTL" "$@"; }
ctx_field() { cdnactl list -j | ctx_json_field "$1" "$2"; }

# ctx_json_field VF KEY: KEY of context VF in cdnactl list -j on stdin.
ctx_json_field()
{
	tr '{' '\n' | grep "\"vf\":\"$1\"" |
		sed -n 's/.*"'"$2"'":\("[^"]*"\|[^,}]*\).*/\1/p' | tr -d '"'
}

# guest_line NAME KIND MAC: the last GUEST-NIC-KIND line for MAC.
guest_line()
{
	grep -a "GUEST-NIC-$2 [^ ]* $3" "$(guest_console "$1")" | tail -n1
}

# nic_seen NAME KIND MAC N: MAC was reported KIND at least N times.
nic_seen()
{
	local n

	n=$(grep -ac "GUEST-NIC-$2 [^ ]* $3" "$(guest_console "$1")" 2>/dev/null)
	[ "${n:-0}" -ge "$4" ]
}

# wait_nic NAME KIND MAC N SECONDS: until nic_seen.
wait_nic()
{
	busy_wait "$5" nic_seen "$1" "$2" "$3" "$4"
}

# ctx_is CTX STATE: cdnactl list shows CTX in STATE.
ctx_is()
{
	[ "$(ctx_field "$1" state)" = "$2" ]
}

# free_count N: N contexts are free.
free_count()
{
	[ "$(cdnactl list -j | grep -o '"state":"free"' | wc -l)" -eq "$1" ]
}

relay()
{
	grep -a -E 'GUEST-|cdna_vf' "$(guest_console "$1")" | tail -n "${2:-5}" |
		cut -c1-200 | sed "s/^/  guest $1: /"
}

# guest_stat NAME MAC KEY: KEY=VAL from the guest's last NIC-UP line.
guest_stat()
{
	guest_line "$1" UP "$2" | tr ' ' '\n' | sed -n "s/^$3=//p"
}

pf_ctx_stat()
{
	ethtool -S "$PFNET" | awk -v k="ctx$1_$2:" '$1 == k { print $2 }'
}

guard_state()
{
	cat "/sys/bus/pci/devices/$1/guard/state" 2>/dev/null || echo unbound
}

setup()
{
	STEP_T=$(date +%s)
	[ -n "$PF" ] || skip_all "no 82576 PF"
	[ -x "$CDNACTL" ] || skip_all "cdnactl not built (make -C userspace)"
	[ -f "$GUEST_KMOD/cdna-vf/cdna_vf.ko" ] || skip_all "no cdna_vf for the guest kernel (make modules-guest)"
	command -v libvirtd > /dev/null || skip_all "no libvirtd in the lab root (make setup)"

	insmod "$KMOD/cdna-pf/cdna_pf.ko" || fail_all "cdna_pf does not load"
	busy_wait 20 has_netdev "$PF" || fail_all "cdna_pf gave no netdev"
	PFNET=$(pci_netdev "$PF")
	ip addr add 198.18.0.1/24 dev "$PFNET"
	ip link set "$PFNET" up
	ip link add link "$PFNET" name "$PFNET.10" type vlan id 10
	ip addr add 198.18.10.1/24 dev "$PFNET.10"
	ip link set "$PFNET.10" up
	load_guard || fail_all "vmm_guard does not load"
	cdnactl create "$PFNET" 4 || fail_all "cdnactl create $PFNET 4 failed"
	for i in 0 1 2 3; do
		VF[i]=$(vf_dev "$PF" "$i")
	done
	step "cdna_pf, vmm_guard, 4 contexts"
	libvirt_start || fail_all "libvirtd does not start"
	step "libvirtd $(virsh -q version | sed -n 's/^Using library: //p') up"
	GUEST_BINS=ethtool guest_initrd /tmp/agent.cpio \
		/src/tests/guest/payload/agent.sh "$GUEST_KMOD/cdna-vf/cdna_vf.ko" ||
		fail_all "cannot build the guest initramfs"
}

start_with_context()
{
	local dev up

	STEP_T=$(date +%s)
	domain_xml a /tmp/agent.cpio count=10 "
	    <interface type='hostdev' managed='no'>
	      <mac address='$MAC_A'/>
	      <vlan><tag id='10'/></vlan>
	      <source>$(pci_address_xml "${VF[0]}")</source>
	    </interface>" > /tmp/a.xml
	virsh -q define /tmp/a.xml > /dev/null && virsh -q start a
	check_err $? "virsh start a failed"
	step "virsh start a returned"
	[ "$(guard_state "${VF[0]}")" = assigned ] &&
	[ "$(cat "/sys/bus/pci/devices/${VF[0]}/guard/owner")" = a ]
	check_err $? "context 0: guard state $(guard_state "${VF[0]}"), owner '$(cat "/sys/bus/pci/devices/${VF[0]}/guard/owner" 2>/dev/null)'"
	ip link show "$PFNET" | grep -q "vf 0 .*link/ether $MAC_A.*vlan 10"
	check_err $? "the PF does not show the XML's MAC and VLAN on vf 0"
	[ "$(ctx_field "${VF[0]}" owner)" = a ] && [ "$(ctx_field "${VF[0]}" state)" = assigned ]
	check_err $? "cdnactl list: state $(ctx_field "${VF[0]}" state), owner $(ctx_field "${VF[0]}" owner)"
	wait_nic a UP "$MAC_A" 1 600
	check_err $? "the guest's NIC did not come up"
	step "guest a: NIC up"
	relay a 3
	up=$(guest_line a UP "$MAC_A")
	[ "$(echo "$up" | cut -d' ' -f4)" = ok ]
	check_err $? "guest a on VLAN 10: '$(echo "$up" | cut -d' ' -f4)'"
	log_test "virsh start: hook binds the context, guest has the XML's MAC and VLAN"
}

# src_addr BDF: how libvirt's XML writes BDF's bus, slot and function.
src_addr()
{
	echo "bus='0x$(echo "$1" | cut -d: -f2)' slot='0x$(echo "$1" | cut -d: -f3 | cut -d. -f1)' function='0x${1##*.}'"
}

# One attach/detach cycle; the first one also compares the counters, the
# last one uses --config.
hotplug_once()
{
	local n=$1 mac out ctx t0 st ow config=

	mac=52:54:00:cd:00:2$n
	# The last cycle also changes the persistent definition.
	[ "$n" = "$CYCLES" ] && config=--config
	t0=$(date +%s)
	out=$(cdnactl attach a --mac "$mac" $config 2>&1)
	check_err $? "cdnactl attach a $config (cycle $n): $out" || return 1
	ctx=$(echo "$out" | grep -o '0000:[0-9a-f:.]*' | grep -v "^$PF$" | tail -n1)
	echo "cycle $n: attach $config gave $ctx: $out ($(( $(date +%s) - t0 ))s)"
	if [ -n "$config" ]; then
		virsh dumpxml --inactive a | grep -q "$(src_addr "$ctx")"
		check_err $? "cycle $n: attach --config left $ctx out of the persistent XML"
	fi
	[ "$(guard_state "$ctx")" = assigned ]
	check_err $? "cycle $n: $ctx is $(guard_state "$ctx") after attach"
	wait_nic a UP "$mac" 1 300
	check_err $? "cycle $n: the guest did not bring up $mac" || return 1
	echo "cycle $n: NIC up in the guest after $(( $(date +%s) - t0 ))s: $(guest_line a UP "$mac" | cut -d' ' -f2-5)"
	[ "$(guest_line a UP "$mac" | cut -d' ' -f4)" = ok ]
	check_err $? "cycle $n: the hot-plugged NIC passed no traffic"
	[ "$n" = 1 ] && counters_agree "$ctx" "$mac"
	t0=$(date +%s)
	out=$(cdnactl detach a "$ctx" --timeout $DETACH_TIMEOUT $config 2>&1)
	check_err $? "cdnactl detach a $ctx (cycle $n): $out"
	echo "cycle $n: detach took $(( $(date +%s) - t0 ))s"
	wait_nic a GONE "$mac" 1 60
	check_err $? "cycle $n: the guest still has $mac"
	st=$(ctx_field "$ctx" state)
	ow=$(ctx_field "$ctx" owner)
	[ "$st" = free ] && { [ "$ow" = null ] || [ -z "$ow" ]; }
	check_err $? "cycle $n: cdnactl list: $ctx $st, owner '$ow'"
	! virsh dumpxml a | grep -q "$(src_addr "$ctx")"
	check_err $? "cycle $n: $ctx still in the domain XML"
	if [ -n "$config" ]; then
		! virsh dumpxml --inactive a | grep -q "$(src_addr "$ctx")"
		check_err $? "cycle $n: detach --config left $ctx in the persistent XML"
	fi
}

# counters_agree CTX MAC: the guest's counters, cdnactl list, cdnactl
# stats and the PF's ethtool -S block agree (traffic has stopped).
counters_agree()
{
	local ctx=$1 mac=$2 idx g_rx g_tx l_rx l_tx e_rx e_tx s_rx s_tx

	idx=$(ctx_field "$ctx" index)
	g_rx=$(guest_stat a "$mac" hw_rx_packets)
	g_tx=$(guest_stat a "$mac" hw_tx_packets)
	l_rx=$(ctx_field "$ctx" rx_packets)
	l_tx=$(ctx_field "$ctx" tx_packets)
	e_rx=$(pf_ctx_stat "$idx" rx_packets)
	e_tx=$(pf_ctx_stat "$idx" tx_packets)
	s_rx=$(cdnactl stats -c 1 -j | ctx_json_field "$ctx" rx_packets)
	s_tx=$(cdnactl stats -c 1 -j | ctx_json_field "$ctx" tx_packets)
	echo "context $idx packets rx/tx: guest $g_rx/$g_tx, cdnactl list $l_rx/$l_tx, cdnactl stats $s_rx/$s_tx, ethtool -S PF $e_rx/$e_tx"
	[ "${g_tx:-0}" -ge 10 ] && near "$g_rx" "$l_rx" && near "$g_tx" "$l_tx" &&
		near "$l_rx" "$e_rx" && near "$l_tx" "$e_tx" &&
		near "$s_rx" "$e_rx" && near "$s_tx" "$e_tx"
	check_err $? "counters disagree"
}

# near A B: within 3 packets (an ARP may cross while they are read).
near()
{
	[ -n "$1" ] && [ -n "$2" ] && [ $(( $1 - $2 )) -le 3 ] && [ $(( $2 - $1 )) -le 3 ]
}

hotplug_cycles()
{
	local n scrubs0 scrubs1 total0 total1 i

	STEP_T=$(date +%s)
	total0=0
	for i in 1 2 3; do
		total0=$(( total0 + $(cat "/sys/bus/pci/devices/${VF[i]}/guard/scrubs" 2>/dev/null || echo 0) ))
	done
	for n in $(seq 1 "$CYCLES"); do
		hotplug_once "$n" || break
		step "cycle $n done"
	done
	total1=0
	for i in 1 2 3; do
		total1=$(( total1 + $(cat "/sys/bus/pci/devices/${VF[i]}/guard/scrubs" 2>/dev/null || echo 0) ))
	done
	[ $((total1 - total0)) -eq "$CYCLES" ]
	check_err $? "scrubs went $total0 -> $total1 over $CYCLES cycles"
	for i in 1 2 3; do
		[ "$(ctx_field "${VF[i]}" state)" = free ]
		check_err $? "context $i is $(ctx_field "${VF[i]}" state) after the cycles"
	done
	[ "$(grep -ac 'GUEST-NIC-UP' "$(guest_console a)")" -eq $((CYCLES + 1)) ]
	check_err $? "the guest brought up $(grep -ac 'GUEST-NIC-UP' "$(guest_console a)") NICs, want $((CYCLES + 1))"
	relay a 4
	log_test "cdnactl attach/detach x$CYCLES into a running domain"
}

destroy_frees()
{
	STEP_T=$(date +%s)
	virsh -q destroy a > /dev/null
	check_err $? "virsh destroy a failed"
	busy_wait 60 ctx_is "${VF[0]}" free
	check_err $? "context 0 is $(ctx_field "${VF[0]}" state) after destroy"
	[ "$(cat "/sys/bus/pci/devices/${VF[0]}/guard/scrubs")" -ge 1 ] &&
	[ -z "$(cat "/sys/bus/pci/devices/${VF[0]}/guard/owner")" ]
	check_err $? "context 0 ledger: scrubs $(cat "/sys/bus/pci/devices/${VF[0]}/guard/scrubs"), owner '$(cat "/sys/bus/pci/devices/${VF[0]}/guard/owner")'"
	step "destroyed, context 0 $(ctx_field "${VF[0]}" state)"
	guest_log_reports_file a
	log_test "virsh destroy: context scrubbed and free"
}

# guest_log_reports_file NAME: no kernel report in a guest's console.
guest_log_reports_file()
{
	! grep -a -E 'Kernel panic|Oops|WARNING:|BUG:|Call Trace:' "$(guest_console "$1")"
	check_err $? "kernel report in guest $1's console"
}

pool_two_domains()
{
	local d

	STEP_T=$(date +%s)
	cat > /tmp/pool.xml <<-EOF
	<network>
	  <name>cdnapool</name>
	  <forward mode='hostdev' managed='no'>
	    <pf dev='$PFNET'/>
	  </forward>
	</network>
	EOF
	virsh -q net-define /tmp/pool.xml > /dev/null && virsh -q net-start cdnapool > /dev/null
	check_err $? "cannot start the hostdev network" || { log_test "network pool"; return; }
	domain_xml b /tmp/agent.cpio "count=10,peer=198.18.0.66" "
	    <interface type='network'>
	      <mac address='$MAC_B'/>
	      <source network='cdnapool'/>
	    </interface>" > /tmp/b.xml
	domain_xml c /tmp/agent.cpio "count=10,peer=198.18.0.65" "
	    <interface type='network'>
	      <mac address='$MAC_C'/>
	      <source network='cdnapool'/>
	    </interface>" > /tmp/c.xml
	for d in b c; do
		virsh -q define /tmp/$d.xml > /dev/null && virsh -q start $d
		check_err $? "virsh start $d failed"
	done
	step "b and c started"
	cdnactl list
	[ "$(cdnactl list -j | grep -o '"state":"assigned"' | wc -l)" -eq 2 ]
	check_err $? "cdnactl list does not show two assigned contexts"
	wait_nic b UP "$MAC_B" 1 600 && wait_nic c UP "$MAC_C" 1 600
	check_err $? "the pool's guests did not bring their NICs up"
	step "b and c: NICs up"
	relay b 2
	relay c 2
	[ "$(guest_line b UP "$MAC_B" | cut -d' ' -f4)" = ok ] &&
	[ "$(guest_line c UP "$MAC_C" | cut -d' ' -f4)" = ok ]
	check_err $? "b and c did not reach each other"
	log_test "a hostdev <network> pool gives two domains contexts; they talk"
}

# expect_refusal WHY CMD...: CMD fails, says something, changes nothing.
expect_refusal()
{
	local why=$1 before after out

	shift
	before=$(cdnactl list -j | sed 's/"[rt]x_[a-z]*":[0-9]*//g'; ip link show "$PFNET")
	out=$("$@" 2>&1)
	[ $? -ne 0 ] && [ -n "$out" ]
	check_err $? "$why: accepted ($*)"
	after=$(cdnactl list -j | sed 's/"[rt]x_[a-z]*":[0-9]*//g'; ip link show "$PFNET")
	[ "$before" = "$after" ]
	check_err $? "$why: state changed"
	echo "  $why: $(echo "$out" | tr -s '\n' ' ' | cut -c1-240)"
}

bad_input()
{
	local held

	STEP_T=$(date +%s)
	expect_refusal "unknown domain" cdnactl attach nosuchdomain
	expect_refusal "unknown PF" cdnactl attach b --pf lo
	expect_refusal "unknown context" cdnactl detach b "$PFNET/9"
	expect_refusal "invalid MAC" cdnactl attach b --mac 01:00:5e:00:00:01
	expect_refusal "invalid VLAN" cdnactl attach b --vlan 4095
	# A domain whose XML names a context domain b holds: the hook stops it.
	held=$(cdnactl list -j | tr '{' '\n' | grep '"owner":"b"' |
		sed -n 's/.*"vf":"\([^"]*\)".*/\1/p')
	domain_xml d /tmp/agent.cpio count=1 "
	    <hostdev mode='subsystem' type='pci' managed='no'>
	      <source>$(pci_address_xml "$held")</source>
	    </hostdev>" > /tmp/d.xml
	virsh -q define /tmp/d.xml > /dev/null
	expect_refusal "context held by b" virsh start d
	virsh -q undefine d > /dev/null
	virsh -q destroy b > /dev/null
	virsh -q destroy c > /dev/null
	busy_wait 60 free_count 4
	check_err $? "contexts not all free after the pool's domains ended"
	cdnactl list
	guest_log_reports_file b
	guest_log_reports_file c
	log_test "bad input is refused with a message and changes nothing"
}

setup
start=$(date +%s)
for t in $TESTS; do "$t"; done
echo "libvirt guest tier: $(( $(date +%s) - start ))s"
exit $EXIT_STATUS
