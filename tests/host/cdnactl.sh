#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# lab: timeout=600
#
# cdnactl (userspace/cdnactl) against cdna_pf and vmm_guard in the host VM:
# create and list contexts (text and JSON), the kernel's "0 first" rule
# explained, every setting applied and seen by ip link, every bad input
# refused with its exit status and nothing changed, an assigned context
# shown with its owner and kept from destroy, counters of list and stats
# against ethtool -S while cdna_vf contexts ping each other, the libvirt
# hook (prepare/release) without libvirtd, attach and its rollback through
# libvirt's test driver, save, then a simulated reboot (rmmod/insmod
# cdna_pf and the command the udev rule runs) that brings contexts and
# policy back, and a corrupt configuration refused with its line.
#
# With the argument "isolation" (tests/host/cdnactl-isolation.sh, on a
# topology without ACS): the guard's refusal of a context that is not
# isolated, as the hook and attach report it.
source /src/tests/lib.sh

cdnactl_work /tmp/cdnactl-test
RULES=/src/userspace/system/90-cdna.rules
PF=$(pf_dev)
DEV=
VF=()
TEST_URI=test://$NODE
export CDNACTL_CONF=$WORK/etc/contexts.conf
MAC=(52:54:00:cd:0c:00 52:54:00:cd:0c:01 52:54:00:cd:0c:02 52:54:00:cd:0c:03)
IP=(198.18.5.1 198.18.5.2)

if [ "${1:-}" = isolation ]; then
	TESTS="isolation_refused"
else
	TESTS="create_list create_busy set_each bad_inputs set_rollback stats_counters
	       assigned_refused hook_prepare_release hook_refusals hook_managed attach_testdriver
	       detach_choice save_restore corrupt_conf claim_pf help_pages"
fi

trap 'pf_cleanup cdna_vf' EXIT

# What a cdnactl command may change (tests/lib.sh's expect_fail compares
# it): the policy as ip link shows it, the number of contexts, who holds
# each, its override and its owner name.
snapshot()
{
	ctx_snapshot link
}

# json_field FILE VF KEY: the raw value of KEY in the object of VF.
json_field()
{
	perl -ne '
		while (/\{[^{}]*"vf":"'"$2"'"[^{}]*\}/g) {
			my $o = $&;
			print "$1\n" if $o =~ /"'"$3"'":("[^"]*"|[^,}]*)/;
		}' "$1" | head -n1
}

# list_col VF N: column N of VF's row in cdnactl list.
list_col()
{
	"$CDNACTL" list | awk -v vf="$1" -v n="$2" '$4 == vf { print $n }'
}

vf_line()
{
	ip link show "$DEV" | grep -E "^ +vf $1 "
}

setup()
{
	need udevadm
	cdnactl_setup
	mkdir -p "$WORK/etc"
	busy_wait 20 grep -qx 1 "/sys/class/net/$DEV/carrier" ||
		echo "note: $DEV has no carrier: its link speed is unknown"
}

create_list()
{
	local i n

	cdnactl create "$DEV" 4
	check_err $? "create $DEV 4 failed ($RC): $(cat "$ERR")"
	[ "$(cat "/sys/bus/pci/devices/$PF/sriov_numvfs")" = 4 ]
	check_err $? "sriov_numvfs is not 4"
	[ "$(cat "/sys/bus/pci/devices/$PF/sriov_drivers_autoprobe")" = 0 ]
	check_err $? "create did not turn sriov_drivers_autoprobe off"
	for i in 0 1 2 3; do
		VF[i]=$(vf_dev "$PF" "$i")
		[ ! -e "/sys/bus/pci/devices/${VF[i]}/driver" ]
		check_err $? "new context ${VF[i]} was bound to a driver"
		grep -q "${VF[i]}" "$OUT"
		check_err $? "create did not print ${VF[i]}"
	done
	cdnactl list
	check_err $? "list failed: $(cat "$ERR")"
	cat "$OUT"
	n=$(awk -v pf="$PF" '$2 == pf && $5 == "-" && $6 == "free"' "$OUT" | wc -l)
	[ "$n" -eq 4 ]
	check_err $? "list: $n free contexts without guard mode, want 4"
	cdnactl list -j
	check_err $? "list -j failed: $(cat "$ERR")"
	json_ok "$OUT"
	check_err $? "list -j is not JSON: $(cat "$OUT")"
	n=$(grep -o '"index":[0-9]' "$OUT" | wc -l)
	[ "$n" -eq 4 ]
	check_err $? "list -j: $n objects, want 4"
	grep -q "\"pf\":\"$DEV\",\"pf_pci\":\"$PF\",\"index\":0,\"vf\":\"${VF[0]}\",\"driver\":null,\"mode\":null,\"state\":\"free\",\"owner\":null," "$OUT"
	check_err $? "list -j: context 0 is not as expected: $(cat "$OUT")"
	[ "$(json_field "$OUT" "${VF[1]}" vlan)" = 0 ] &&
		[ "$(json_field "$OUT" "${VF[1]}" spoofchk)" = true ] &&
		[ "$(json_field "$OUT" "${VF[1]}" rx_packets)" = 0 ]
	check_err $? "list -j: numbers or booleans of context 1 are not JSON numbers/booleans"
	log_test "create 4 contexts, unbound; list and list -j show them free"
}

create_busy()
{
	expect_fail 5 "has 4 contexts.*EBUSY.*cdnactl destroy $DEV" -- create "$DEV" 2
	cdnactl create "$DEV" 4
	check_err $? "create with the count it has failed: $(cat "$ERR")"
	grep -q "already has 4 contexts" "$OUT"
	check_err $? "create with the same count did not say so"
	log_test "create while contexts exist: the kernel's 0-first rule explained"
}

set_each()
{
	cdnactl set "$DEV/0" mac "${MAC[0]}"
	check_err $? "set mac: $(cat "$ERR")"
	vf_line 0 | grep -q "link/ether ${MAC[0]}"
	check_err $? "ip link does not show vf 0 mac ${MAC[0]}: $(vf_line 0)"
	cdnactl set "$PF/1" vlan 10 qos 3
	check_err $? "set vlan qos (PF-PCI/N): $(cat "$ERR")"
	vf_line 1 | grep -q "vlan 10, qos 3"
	check_err $? "ip link does not show vf 1 vlan 10 qos 3: $(vf_line 1)"
	cdnactl set "${VF[2]}" trust on spoofchk off
	check_err $? "set trust spoofchk (VF address): $(cat "$ERR")"
	vf_line 2 | grep -q "spoof checking off, .*trust on"
	check_err $? "ip link does not show vf 2 spoofchk off trust on: $(vf_line 2)"
	cdnactl set "$DEV/3" state disable rate 100
	check_err $? "set state rate: $(cat "$ERR")"
	vf_line 3 | grep -q "max_tx_rate 100Mbps" && vf_line 3 | grep -q "link-state disable"
	check_err $? "ip link does not show vf 3 disabled at 100 Mbit/s: $(vf_line 3)"
	cdnactl set "$DEV/3" state enable rate 0 vlan 20 trust on spoofchk on mac "${MAC[3]}"
	check_err $? "six settings at once: $(cat "$ERR")"
	vf_line 3 | grep -q "link/ether ${MAC[3]} .*vlan 20, spoof checking on, link-state enable, trust on"
	check_err $? "ip link does not show all six settings on vf 3: $(vf_line 3)"
	vf_line 3 | grep -q max_tx_rate
	check_fail $? "rate 0 did not lift the limit: $(vf_line 3)"
	cdnactl list -j
	[ "$(json_field "$OUT" "${VF[1]}" vlan)" = 10 ] &&
		[ "$(json_field "$OUT" "${VF[1]}" qos)" = 3 ] &&
		[ "$(json_field "$OUT" "${VF[0]}" mac)" = "\"${MAC[0]}\"" ] &&
		[ "$(json_field "$OUT" "${VF[2]}" trust)" = true ] &&
		[ "$(json_field "$OUT" "${VF[3]}" link_state)" = '"enable"' ]
	check_err $? "list -j does not show the settings: $(cat "$OUT")"
	cdnactl set "$DEV/3" state auto
	log_test "set mac, vlan/qos, trust, spoofchk, state, rate: ip link agrees"
}

bad_inputs()
{
	local xml=$WORK/bad.xml

	expect_fail 4 "unknown context '$DEV/9': PF $DEV has contexts 0 to 3" -- set "$DEV/9" trust on
	expect_fail 4 "no PCI device 0000:09:00.0" -- set 0000:09:00.0 trust on
	expect_fail 4 "$PF is not a VF of a PF driven by cdna_pf" -- set "$PF" trust on
	expect_fail 4 "unknown PF 'nosuch0'" -- set nosuch0/0 trust on
	expect_fail 3 "a multicast address is not a unicast address" -- set "$DEV/0" mac 01:00:5e:00:00:01
	expect_fail 3 "the zero address" -- set "$DEV/0" mac 00:00:00:00:00:00
	expect_fail 3 "not a MAC address" -- set "$DEV/0" mac 52:54:00:zz:00:01
	expect_fail 3 "not a MAC address" -- set "$DEV/0" mac 52:54:00:00:01
	expect_fail 3 "invalid vlan '4095'" -- set "$DEV/0" vlan 4095
	expect_fail 3 "invalid vlan '5000'" -- set "$DEV/0" vlan 5000
	expect_fail 3 "invalid qos '8'" -- set "$DEV/0" vlan 10 qos 8
	expect_fail 3 "a priority needs a VLAN" -- set "$DEV/0" vlan 0 qos 3
	expect_fail 3 "invalid rate '-5'" -- set "$DEV/0" rate -5
	expect_fail 3 "invalid rate 'fast'" -- set "$DEV/0" rate fast
	expect_fail 3 "invalid rate '99999999'" -- set "$DEV/0" rate 99999999
	if [ "$(cat "/sys/class/net/$DEV/speed" 2>/dev/null)" = 1000 ]; then
		expect_fail 3 "above the link speed of $DEV \(1000 Mbit/s\)" -- set "$DEV/0" rate 5000
	fi
	expect_fail 3 "invalid state 'sideways'" -- set "$DEV/0" state sideways
	expect_fail 3 "invalid trust 'maybe'" -- set "$DEV/0" trust maybe
	# A good setting before a bad one is not applied either.
	expect_fail 3 "invalid vlan '5000'" -- set "$DEV/0" mac 52:54:00:cd:0c:99 vlan 5000
	expect_fail 2 "unknown setting 'mtu'" -- set "$DEV/0" mtu 1500
	expect_fail 2 "'trust' given twice" -- set "$DEV/0" trust on trust off
	expect_fail 2 "usage: cdnactl set" -- set "$DEV/0"
	expect_fail 2 "unknown command 'frobnicate'" -- frobnicate
	expect_fail 4 "unknown PF 'nosuch0'" -- create nosuch0 2
	expect_fail 3 "invalid count '0'" -- create "$DEV" 0
	expect_fail 3 "invalid count 'two'" -- create "$DEV" two
	expect_fail 3 "offers at most" -- create "$DEV" 99
	expect_fail 4 "unknown PF 'nosuch0'" -- destroy nosuch0
	expect_fail 3 "invalid mac '01:00:5e:00:00:01'" -- attach vm1 --mac 01:00:5e:00:00:01
	expect_fail 3 "invalid vlan '4095'" -- attach vm1 --vlan 4095
	expect_fail 3 "invalid interval '0'" -- stats -w 0
	expect_fail 3 "invalid timeout '0'" -- detach vm1 --timeout 0
	printf '<domain><devices>\n<hostdev type="pci">\n' > "$xml"
	expect_fail 3 "malformed domain XML \(line 3\)" "$xml" -- hook qemu vm1 prepare begin -
	printf '<domain><devices>\n<hostdev type="pci"><source><address bus="1" slot="0x10" function="9"/></source></hostdev>\n</devices></domain>\n' > "$xml"
	expect_fail 3 "domain XML line 2: <hostdev>: PCI function above 7" "$xml" -- hook qemu vm1 prepare begin -
	log_test "bad input: its own exit status and message, nothing changed"
}

# With the PF's link down its speed is unknown, so cdnactl leaves the
# rate to the driver, which refuses it: the MAC applied before goes back.
set_rollback()
{
	local before after

	ip link set "$DEV" down
	before=$(snapshot)
	cdnactl set "$DEV/2" mac 52:54:00:cd:0c:77 rate 5000
	after=$(snapshot)
	echo "set with the link down: exit $RC: $(cat "$ERR")"
	[ "$RC" -eq 1 ] && grep -q "rate 5000: refused by the kernel" "$ERR" &&
		grep -q "the settings applied before were put back" "$ERR"
	check_err $? "a setting the kernel refused: exit $RC, want 1: $(cat "$ERR")"
	[ "$before" = "$after" ] ||
		check_err 1 "the refused set left changes: $(show_diff "$before" "$after")"
	ip link set "$DEV" up
	busy_wait 20 grep -qx 1 "/sys/class/net/$DEV/carrier"
	check_err $? "$DEV has no carrier again"
	log_test "set: a setting the kernel refuses puts back the ones before it"
}

ctx_stat()
{
	ethtool -S "$DEV" | awk -v k="ctx$1_$2:" '$1 == k { print $2 }'
}

ns_up()
{
	cdna_vf_bind "${VF[0]}" "${VF[1]}" || return 1
	vfs_into_ns cdnactl "${IP[0]}" "${IP[1]}" &&
		busy_wait 60 in_ns cdnactl0 ping -c 1 -W 1 -q "${IP[1]}" > /dev/null
}

ns_down()
{
	ip netns del cdnactl0 2>/dev/null
	ip netns del cdnactl1 2>/dev/null
	echo "${VF[0]}" > /sys/bus/pci/drivers/cdna_vf/unbind
	echo "${VF[1]}" > /sys/bus/pci/drivers/cdna_vf/unbind
	echo > "/sys/bus/pci/devices/${VF[0]}/driver_override"
	echo > "/sys/bus/pci/devices/${VF[1]}/driver_override"
	rmmod cdna_vf
}

# counter_bracketed VF I KEY: ethtool's ctxI_KEY before <= list -j's KEY
# <= ethtool's after (both count the same pool registers).
counter_bracketed()
{
	local before after got

	before=$(ctx_stat "$2" "$3")
	cdnactl list -j
	got=$(json_field "$OUT" "$1" "$3")
	after=$(ctx_stat "$2" "$3")
	echo "ctx$2 $3: ethtool $before, cdnactl $got, ethtool $after"
	[ -n "$got" ] && [ "$before" -le "$got" ] && [ "$got" -le "$after" ]
}

stats_counters()
{
	local pid k n

	cdnactl set "$DEV/1" mac "${MAC[1]}" vlan 0
	ns_up
	check_err $? "cdna_vf contexts 0 and 1 do not ping each other"
	cdnactl list -j
	[ "$(json_field "$OUT" "${VF[0]}" state)" = '"host:cdna_vf"' ] &&
		[ "$(json_field "$OUT" "${VF[0]}" driver)" = '"cdna_vf"' ]
	check_err $? "list -j does not show context 0 as host:cdna_vf"
	[ "$(list_col "${VF[1]}" 6)" = host:cdna_vf ]
	check_err $? "list does not show context 1 as host:cdna_vf"
	expect_fail 5 "${VF[0]}\) is in use by the host's cdna_vf \(--force removes it\)" -- destroy "$DEV"
	in_ns cdnactl0 ping -c 40 -i 0.1 -q "${IP[1]}" > /dev/null 2>&1 &
	pid=$!
	cdnactl stats -c 2 -w 1 -j
	check_err $? "stats -c 2 -w 1 -j failed: $(cat "$ERR")"
	wait "$pid"
	cat "$OUT"
	n=$(wc -l < "$OUT")
	[ "$n" -eq 2 ]
	check_err $? "stats -c 2 printed $n lines, want 2"
	json_ok "$OUT"
	check_err $? "stats -j is not JSON lines"
	k=$(tail -n1 "$OUT" | perl -ne 'print "$1\n" if /"vf":"'"${VF[0]}"'"[^}]*"tx_packets_per_s":([0-9]+)/')
	[ -n "$k" ] && [ "$k" -gt 0 ]
	check_err $? "stats: context 0 sent ${k:-no} packets/s while pinging"
	cdnactl stats -c 2 -w 1
	check_err $? "stats -c 2 -w 1 failed: $(cat "$ERR")"
	[ "$(grep -c '^cdnactl stats: sample [12]/2' "$OUT")" -eq 2 ] &&
		grep -q "^total" "$OUT"
	check_err $? "stats text: no two samples with totals: $(cat "$OUT")"
	for k in rx_packets tx_packets rx_bytes tx_bytes; do
		counter_bracketed "${VF[0]}" 0 "$k"
		check_err $? "list -j $k of context 0 disagrees with ethtool -S"
		counter_bracketed "${VF[1]}" 1 "$k"
		check_err $? "list -j $k of context 1 disagrees with ethtool -S"
	done
	[ "$(ctx_stat 0 tx_packets)" -ge 40 ]
	check_err $? "ethtool ctx0_tx_packets did not count the pings"
	ns_down
	log_test "list and stats counters agree with ethtool -S under traffic"
}

state_is()
{
	[ "$(cat "/sys/bus/pci/devices/$1/guard/state" 2>/dev/null)" = "$2" ]
}

assigned_refused()
{
	bind_driver "${VF[1]}" vmm_guard
	check_err $? "${VF[1]} does not bind to vmm_guard"
	echo vm-one > "/sys/bus/pci/devices/${VF[1]}/guard/owner"
	vfio_hold "${VF[1]}"
	check_err $? "vfio-open: $(cat "$HOLDER_OUT")"
	cdnactl list
	grep -E "^$DEV +$PF +1 +${VF[1]} +iommu +assigned +vm-one " "$OUT"
	check_err $? "list does not show context 1 assigned to vm-one: $(cat "$OUT")"
	cdnactl list -j
	grep -q "\"vf\":\"${VF[1]}\",\"driver\":\"vmm_guard\",\"mode\":\"iommu\",\"state\":\"assigned\",\"owner\":\"vm-one\"" "$OUT"
	check_err $? "list -j does not show context 1 assigned to vm-one"
	expect_fail 5 "${VF[1]}\) is assigned by vm-one: detach it first" -- destroy "$DEV"
	expect_fail 5 "${VF[1]}\) is assigned by vm-one" -- destroy "$DEV" --force
	vfio_drop
	busy_wait 20 state_is "${VF[1]}" free
	check_err $? "context 1 not free after its opener died"
	[ "$(list_col "${VF[1]}" 6)" = free ] && [ "$(list_col "${VF[1]}" 7)" = - ]
	check_err $? "list does not show context 1 free without owner after the release"
	log_test "assigned context: state and owner shown, destroy refused"
}

# domain_xml NAME HOSTDEV-VF INTERFACE-VF [MANAGED]: a domain passing
# through one context as <hostdev>, one as <interface type='hostdev'>,
# and two devices that are not contexts (the PF itself, a USB device).
domain_xml()
{
	cat <<-EOF
	<domain type='kvm'>
	  <name>$1</name>
	  <devices>
	    <hostdev mode='subsystem' type='pci' managed='${4:-no}'>
	      <source><address $(addr_attrs "$2")/></source>
	    </hostdev>
	    <interface type='hostdev'>
	      <mac address='52:54:00:cd:0d:01'/>
	      <source><address type='pci' $(addr_attrs "$3")/></source>
	      <vlan><tag id='42'/></vlan>
	    </interface>
	    <hostdev mode='subsystem' type='pci' managed='no'>
	      <source><address $(addr_attrs "$PF")/></source>
	    </hostdev>
	    <hostdev mode='subsystem' type='usb'><source><vendor id='0x1234'/><product id='0xbeef'/></source></hostdev>
	  </devices>
	</domain>
	EOF
}

hook_prepare_release()
{
	local xml=$WORK/vm-two.xml v

	domain_xml vm-two "${VF[2]}" "${VF[3]}" > "$xml"
	cdnactl hook qemu vm-two prepare begin - < "$xml"
	check_err $? "hook prepare failed ($RC): $(cat "$ERR")"
	for v in "${VF[2]}" "${VF[3]}"; do
		[ "$(basename "$(readlink -f "/sys/bus/pci/devices/$v/driver")")" = vmm_guard ]
		check_err $? "hook did not bind $v to vmm_guard"
		[ "$(cat "/sys/bus/pci/devices/$v/guard/owner")" = vm-two ]
		check_err $? "hook did not make vm-two the owner of $v"
		# What libvirt 11 looks for to take a VFIO variant driver.
		[ -d "/sys/bus/pci/devices/$v/vfio-dev" ]
		check_err $? "$v on vmm_guard has no vfio-dev/ directory"
	done
	[ "$(basename "$(readlink -f "/sys/bus/pci/devices/$PF/driver")")" = cdna_pf ]
	check_err $? "the hook touched the PF"
	[ "$(list_col "${VF[2]}" 7)" = vm-two ]
	check_err $? "list does not show vm-two as owner of context 2"
	expect_fail 0 "" "$xml" -- hook qemu vm-two started begin -
	expect_fail 5 "context $DEV/2 \(${VF[2]}\) is owned by domain 'vm-two'" "$xml" -- hook qemu vm-three prepare begin -
	# libvirt releases a domain whose start failed: vm-two's contexts stay.
	expect_fail 0 "" "$xml" -- hook --timeout 2 qemu vm-three release end -
	# Preparing again for the same domain (a retried start) is fine.
	cdnactl hook qemu vm-two prepare begin - < "$xml"
	check_err $? "a second prepare for the same domain failed: $(cat "$ERR")"
	# A VM has context 2 open: release waits for it, bounded.
	vfio_hold "${VF[2]}"
	check_err $? "vfio-open: $(cat "$HOLDER_OUT")"
	[ "$(cat "/sys/bus/pci/devices/${VF[2]}/guard/owner_comm")" = vfio-open ]
	check_err $? "the guard does not record the opener"
	cdnactl hook --timeout 2 qemu vm-two release end - < "$xml"
	[ "$RC" -eq 8 ] && grep -q "${VF[2]} still reads 'assigned'" "$ERR"
	check_err $? "release with a context held: exit $RC, want 8: $(cat "$ERR")"
	vfio_drop
	cdnactl hook qemu vm-two release end - < "$xml"
	check_err $? "hook release failed ($RC): $(cat "$ERR")"
	for v in "${VF[2]}" "${VF[3]}"; do
		state_is "$v" free && [ -z "$(cat "/sys/bus/pci/devices/$v/guard/owner")" ]
		check_err $? "$v not free without owner after release"
	done
	log_test "hook: prepare binds and owns, other ops nothing, release waits"
}

hook_refusals()
{
	local xml=$WORK/vm-four.xml

	# The tree's vmm_guard is not in modules.alias: libvirt would take
	# vfio_pci (its catch-all alias), and so would it with a model that
	# is not the guard.
	domain_xml vm-four "${VF[0]}" "${VF[3]}" yes > "$xml"
	expect_fail 3 "${VF[0]}\) is managed='yes' and libvirt would bind it to vfio_pci \(the best VFIO driver [^ ]*/modules.alias offers for it\), around the guard" "$xml" -- hook qemu vm-four prepare begin -
	nova_xml vm-four "${VF[0]}" vfio-pci > "$xml"
	expect_fail 3 "${VF[0]}\) is managed='yes' and libvirt would bind it to vfio_pci \(<driver model='vfio-pci'/>\)" "$xml" -- hook qemu vm-four prepare begin -
	# model='' is a model to libvirt (it skips its own choice), not none.
	nova_xml vm-four "${VF[0]}" "" empty > "$xml"
	expect_fail 3 "${VF[0]}\) is managed='yes' and libvirt would bind it to '' \(<driver model=''/>\)" "$xml" -- hook qemu vm-four prepare begin -
	[ ! -e "/sys/bus/pci/devices/${VF[0]}/driver" ]
	check_err $? "${VF[0]} bound after a refusal"
	# Context 1 is held by a VM: nothing is bound for the domain.
	domain_xml vm-four "${VF[0]}" "${VF[1]}" > "$xml"
	vfio_hold "${VF[1]}"
	expect_fail 5 "${VF[1]}\) is assigned by vfio-open\[" "$xml" -- hook qemu vm-four prepare begin -
	# Held by another VFIO user, not by vm-four: release does not wait.
	expect_fail 0 "" "$xml" -- hook --timeout 2 qemu vm-four release end -
	vfio_drop
	busy_wait 20 state_is "${VF[1]}" free
	log_test "hook: managed='yes' to another driver and a held context refused, nothing bound"
}

# nova_xml NAME VF [MODEL [empty]]: a neutron direct port as Nova writes
# it (managed='yes', MAC and VLAN), with <driver model='MODEL'/> if given
# (model='' with "empty").
nova_xml()
{
	cat <<-EOF
	<domain type='kvm'>
	  <name>$1</name>
	  <devices>
	    <interface type='hostdev' managed='yes'>
	      <mac address='52:54:00:cd:0e:01'/>
	      ${3:+<driver name='vfio' model='$3'/>}${4:+<driver name='vfio' model=''/>}
	      <source><address type='pci' $(addr_attrs "$2")/></source>
	      <vlan><tag id='100'/></vlan>
	    </interface>
	  </devices>
	</domain>
	EOF
}

# managed='yes' with the guard as libvirt's driver: prepared as
# managed='no' (bound, owned), so libvirt has nothing to bind or unbind.
hook_managed()
{
	local xml=$WORK/vm-nova.xml

	nova_xml vm-nova "${VF[0]}" vmm_guard > "$xml"
	cdnactl hook qemu vm-nova prepare begin - < "$xml"
	check_err $? "hook prepare of a managed='yes' vmm_guard port failed ($RC): $(cat "$ERR")"
	[ "$(basename "$(readlink "/sys/bus/pci/devices/${VF[0]}/driver")")" = vmm_guard ] &&
		[ "$(cat "/sys/bus/pci/devices/${VF[0]}/guard/owner")" = vm-nova ]
	check_err $? "${VF[0]} not on vmm_guard owned by vm-nova"
	cdnactl hook qemu vm-nova release end - < "$xml"
	check_err $? "hook release failed ($RC): $(cat "$ERR")"
	state_is "${VF[0]}" free && [ -z "$(cat "/sys/bus/pci/devices/${VF[0]}/guard/owner")" ]
	check_err $? "${VF[0]} not free without owner after release"
	echo "${VF[0]}" > /sys/bus/pci/drivers/vmm_guard/unbind
	echo > "/sys/bus/pci/devices/${VF[0]}/driver_override"
	log_test "hook: managed='yes' with <driver model='vmm_guard'/> bound and owned"
}

# The libvirt test driver (no libvirtd): a running domain with two
# contexts, and a stopped one.
node_xml()
{
	cat > "$NODE" <<-EOF
	<node>
	  <domain type='test'>
	    <name>cdna-vm</name>
	    <memory>65536</memory>
	    <os><type>hvm</type></os>
	    <devices>
	      <hostdev mode='subsystem' type='pci' managed='no'>
	        <source><address $(addr_attrs "${VF[2]}")/></source>
	      </hostdev>
	      <interface type='hostdev'>
	        <source><address type='pci' $(addr_attrs "${VF[3]}")/></source>
	      </interface>
	    </devices>
	  </domain>
	  <domain type='test' xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>
	    <name>cdna-off</name>
	    <memory>65536</memory>
	    <os><type>hvm</type></os>
	    <test:runstate>5</test:runstate>
	  </domain>
	</node>
	EOF
}

attach_testdriver()
{
	local v before after

	node_xml
	cdnactl -c "$TEST_URI" attach cdna-vm --pf "$DEV" --mac 52:54:00:cd:0e:00 --vlan 7
	check_err $? "attach through the test driver failed ($RC): $(cat "$ERR")"
	cat "$OUT"
	v=$(grep -o '(0000:[^)]*)' "$OUT" | tr -d '()')
	[ -n "$v" ] && grep -q "attached to cdna-vm" "$OUT"
	check_err $? "attach did not name the context it took: $(cat "$OUT")"
	[ "$(basename "$(readlink -f "/sys/bus/pci/devices/$v/driver")")" = vmm_guard ] &&
		[ "$(cat "/sys/bus/pci/devices/$v/guard/owner")" = cdna-vm ]
	check_err $? "attached context $v is not on vmm_guard owned by cdna-vm"
	ip link show "$DEV" | grep -qE "vf [0-9] +link/ether 52:54:00:cd:0e:00 .*vlan 7,"
	check_err $? "attach did not apply --mac and --vlan"
	# libvirt refuses (the test driver has no --config): everything back.
	before=$(snapshot)
	cdnactl -c "$TEST_URI" attach cdna-vm --pf "$DEV" --mac 52:54:00:cd:0e:01 --vlan 8 --config
	after=$(snapshot)
	[ "$RC" -eq 1 ] && grep -q "libvirt did not attach .*: unsupported flags" "$ERR" &&
		grep -q "put back as it was" "$ERR"
	check_err $? "a refused attach: exit $RC, want 1: $(cat "$ERR")"
	[ "$before" = "$after" ] ||
		check_err 1 "a refused attach left changes: $(show_diff "$before" "$after")"
	expect_fail 4 "unknown domain 'nosuch'" -- -c "$TEST_URI" attach nosuch
	expect_fail 9 "domain 'cdna-off' is not running" -- -c "$TEST_URI" attach cdna-off
	expect_fail 4 "unknown PF 'nosuch0'" -- -c "$TEST_URI" attach cdna-vm --pf nosuch0
	# Every other context reserved: none left.
	free_xml > "$WORK/hold.xml"
	cdnactl hook qemu hold prepare begin - < "$WORK/hold.xml"
	check_err $? "reserving the free contexts failed: $(cat "$ERR")"
	expect_fail 6 "no free context on $DEV" -- -c "$TEST_URI" attach cdna-vm --pf "$DEV"
	free_xml_all > "$WORK/hold.xml"
	cdnactl hook qemu hold release end - < "$WORK/hold.xml"
	check_err $? "releasing the reserved contexts failed: $(cat "$ERR")"
	echo "$v" > /sys/bus/pci/drivers/vmm_guard/unbind
	echo > "/sys/bus/pci/devices/$v/driver_override"
	log_test "attach via libvirt's test driver, its rollback, bad domains"
}

# A domain holding every free context, as <hostdev>s.
free_xml()
{
	"$CDNACTL" list | awk -v pf="$PF" '$2 == pf && $6 == "free" && $7 == "-" { print $4 }' |
		pci_hostdevs
}

free_xml_all()
{
	local i

	for i in 0 1 2 3; do
		echo "${VF[i]}"
	done | pci_hostdevs
}

pci_hostdevs()
{
	local v

	echo "<domain><devices>"
	while read -r v; do
		echo "<hostdev mode='subsystem' type='pci'><source><address $(addr_attrs "$v")/></source></hostdev>"
	done
	echo "</devices></domain>"
}

detach_choice()
{
	node_xml
	expect_fail 2 "cdna-vm has 2 cdna contexts: (${VF[2]} ${VF[3]}|${VF[3]} ${VF[2]}); name the one to detach" -- -c "$TEST_URI" detach cdna-vm
	expect_fail 4 "${VF[0]} is not attached to cdna-vm" -- -c "$TEST_URI" detach cdna-vm "$DEV/0"
	expect_fail 4 "unknown context '$DEV/7'" -- -c "$TEST_URI" detach cdna-vm "$DEV/7"
	expect_fail 9 "domain 'cdna-off' is not running" -- -c "$TEST_URI" detach cdna-off
	# The test driver cannot unplug: libvirt's refusal is reported.
	expect_fail 1 "libvirt did not detach the context from cdna-vm: this function is not supported" -- -c "$TEST_URI" detach cdna-vm "${VF[2]}"
	log_test "detach: picks the context from the live XML, refuses ambiguity"
}

# The udev rule's command, with this tree's cdnactl, for this PF.
# udev_command: what udev runs for the PF's netdev appearing, with the
# rule installed as make install would (into /run/udev/rules.d: the
# lab root is read-only).  udevadm test matches the rules against the
# device and expands them without running anything.
udev_command()
{
	local want inst

	mkdir -p /run/udev/rules.d
	sed "s|@CDNACTL@|$CDNACTL|g" "$RULES" > /run/udev/rules.d/90-cdna.rules
	udevadm test --action=add "/sys/class/net/$DEV" > "$WORK/udev-test" 2>&1
	want=$(sed -n 's/^[[:space:]]*SYSTEMD_WANTS=//p' "$WORK/udev-test" |
		tr ' ' '\n' | grep '^cdna-' | head -n1)
	if [ -z "$want" ]; then
		grep -iE 'wants|cdna' "$WORK/udev-test" | head -n 10 >&2
		return 1
	fi
	# What systemd runs for that unit: the template's ExecStart.
	inst=${want#*@}
	inst=${inst%.service}
	sed -n 's/^ExecStart=//p' "/src/userspace/system/${want%%@*}@.service" |
		sed "s|@CDNACTL@|$CDNACTL|g; s|%I|$inst|g"
}

vf_policy_lines()
{
	ip link show "$(pci_netdev "$PF")" | grep -E '^ +vf '
}

save_restore()
{
	local want cmd i

	for i in 0 1 2 3; do
		echo "${VF[i]}" > /sys/bus/pci/drivers/vmm_guard/unbind 2>/dev/null
		echo > "/sys/bus/pci/devices/${VF[i]}/driver_override"
	done
	cdnactl set "$DEV/0" mac "${MAC[0]}" vlan 100 qos 5 rate 200
	cdnactl set "$DEV/1" mac "${MAC[1]}" trust on spoofchk off vlan 0
	cdnactl set "$DEV/2" state disable mac "${MAC[2]}"
	cdnactl set "$DEV/3" vlan 4094 qos 7 state enable
	cdnactl set "$DEV/3" mode iommu
	check_err $? "set mode iommu failed: $(cat "$ERR")"
	want=$(vf_policy_lines)
	cdnactl save
	check_err $? "save failed: $(cat "$ERR")"
	cat "$CDNACTL_CONF"
	grep -qx "pf $PF contexts 4" "$CDNACTL_CONF" &&
		grep -qx "ctx $PF/0 mac ${MAC[0]} vlan 100 qos 5 spoofchk on trust off state auto rate 200" "$CDNACTL_CONF" &&
		grep -qx "ctx $PF/1 mac ${MAC[1]} vlan 0 qos 0 spoofchk off trust on state auto rate 0" "$CDNACTL_CONF" &&
		grep -qx "ctx $PF/3 .*vlan 4094 qos 7 .*state enable rate 0 mode iommu" "$CDNACTL_CONF"
	check_err $? "the saved file does not hold the contexts' policy and mode"
	cdnactl destroy "$DEV"
	check_err $? "destroy of free contexts failed: $(cat "$ERR")"
	[ "$(cat "/sys/bus/pci/devices/$PF/sriov_numvfs")" = 0 ]
	check_err $? "contexts still there after destroy"
	# A reboot: the module goes and comes back, udev runs the rule.
	rmmod cdna_pf
	check_err $? "rmmod cdna_pf failed"
	insmod "$PF_KO"
	busy_wait 20 has_netdev "$PF"
	check_err $? "cdna_pf gave no netdev after the reload"
	DEV=$(pci_netdev "$PF")
	ip link set "$DEV" up
	cmd=$(udev_command)
	echo "udev rule runs: $cmd"
	[[ $cmd == "$CDNACTL restore --pf $PF" ]]
	check_err $? "unexpected udev command: $cmd"
	$cmd > "$OUT" 2> "$ERR"
	check_err $? "the udev rule's restore failed: $(cat "$ERR")"
	cat "$OUT"
	[ "$(cat "/sys/bus/pci/devices/$PF/sriov_numvfs")" = 4 ]
	check_err $? "restore did not bring back 4 contexts"
	[ "$(vf_policy_lines)" = "$want" ] ||
		check_err 1 "policy after restore differs: $(show_diff "$want" "$(vf_policy_lines)")"
	[ "$(basename "$(readlink "/sys/bus/pci/devices/${VF[3]}/driver")")" = vmm_guard ] &&
		state_is "${VF[3]}" free
	check_err $? "restore did not put context 3 back on vmm_guard, free"
	grep -q "4 contexts, 4 with settings, 1 in a guard mode" "$OUT"
	check_err $? "restore's summary: $(cat "$OUT")"
	# Again, with the contexts there: the same count is fine.
	cdnactl restore
	check_err $? "restore over the same contexts failed: $(cat "$ERR")"
	[ "$(vf_policy_lines)" = "$want" ]
	check_err $? "a second restore changed the policy"
	log_test "save, reboot (reload + udev rule), restore: count, policy and mode back"
}

corrupt_conf()
{
	local bad=$WORK/bad.conf

	printf 'pf %s contexts 3\nctx %s/0 trust on\nctx %s/1 vlan 5000\n' \
		"$PF" "$PF" "$PF" > "$bad"
	expect_fail 3 "$bad:3: context '$PF/1': invalid vlan '5000'.*nothing restored" -- restore --conf "$bad"
	printf '# ok\nvf %s contexts 2\n' "$PF" > "$bad"
	expect_fail 3 "$bad:2: unknown keyword 'vf'" -- restore --conf "$bad"
	# Valid, but not for this system.
	printf 'pf %s contexts 2\n' "$PF" > "$bad"
	expect_fail 5 "$bad:1: PF $PF has 4 contexts, the file 2: run 'cdnactl destroy $PF' first" -- restore --conf "$bad"
	printf 'pf 0000:42:00.0 contexts 2\n' > "$bad"
	expect_fail 4 "$bad:1: PF 0000:42:00.0 is not driven by cdna_pf" -- restore --conf "$bad"
	expect_fail 0 "" -- restore --conf "$bad" --pf "$DEV"
	grep -q "nothing saved for $PF" "$OUT"
	check_err $? "restore --pf of a PF the file does not name: $(cat "$OUT")"
	expect_fail 4 "cannot read $WORK/none.conf" -- restore --conf "$WORK/none.conf"
	# With no contexts: the bad file creates none.
	cdnactl destroy "$DEV"
	printf 'pf %s contexts 3\nctx %s/0 trust on\nctx %s/2 rate fast\n' \
		"$PF" "$PF" "$PF" > "$bad"
	expect_fail 3 "$bad:3: context '$PF/2': invalid rate 'fast'" -- restore --conf "$bad"
	[ "$(cat "/sys/bus/pci/devices/$PF/sriov_numvfs")" = 0 ]
	check_err $? "a refused file created contexts"
	log_test "corrupt or mismatched configuration refused with its line"
}

# drv_of PCI: the driver a PCI function is bound to, "" when none.
# cdnactl claim: the PF taken from igb, errors that give it back.
claim_pf()
{
	local conf=$WORK/claim.conf other oid

	cdnactl destroy "$DEV"
	rmmod cdna_pf
	modprobe igb
	busy_wait 20 sh -c "[ \"\$(basename \"\$(readlink /sys/bus/pci/devices/$PF/driver)\")\" = igb ]"
	check_err $? "igb did not take $PF"
	# The lab loads the tree's cdna_pf: /lib/modules has none.
	expect_fail 1 "$PF: cdna_pf is not installed \(modprobe cdna_pf failed\); $PF is on igb" -- claim "$PF"
	[ "$(drv_of "$PF")" = igb ] &&
		[ "$(cat "/sys/bus/pci/devices/$PF/driver_override")" = "(null)" ]
	check_err $? "a failed claim did not give $PF back to igb: $(drv_of "$PF"), override $(cat "/sys/bus/pci/devices/$PF/driver_override")"
	# cdna_pf loaded after igb took the PF, as at a boot without the rule.
	insmod "$PF_KO"
	[ "$(drv_of "$PF")" = igb ]
	check_err $? "insmod took $PF from igb by itself"
	cdnactl claim "$PF"
	check_err $? "claim failed ($RC): $(cat "$ERR")"
	grep -qx "$PF: on cdna_pf (was igb)" "$OUT"
	check_err $? "claim said: $(cat "$OUT")"
	busy_wait 20 has_netdev "$PF"
	[ "$(drv_of "$PF")" = cdna_pf ] && has_netdev "$PF"
	check_err $? "$PF not on cdna_pf with a netdev after claim"
	expect_fail 0 "" -- claim "$PF"
	grep -qx "$PF: on cdna_pf already" "$OUT"
	check_err $? "a second claim said: $(cat "$OUT")"
	# --test: what udev's PROGRAM asks, nothing changed.
	# The q35 host bridge: a PCI function, not an 82576.
	other=0000:00:00.0
	oid=$(sed 's/^0x//' "/sys/bus/pci/devices/$other/vendor"):$(sed 's/^0x//' "/sys/bus/pci/devices/$other/device")
	printf 'pf %s contexts 2\npf %s contexts 0\n' "$PF" "$other" > "$conf"
	expect_fail 0 "" -- claim --test --conf "$conf" "$PF"
	expect_fail 1 "" -- claim --test --conf "$conf" 0000:00:1f.0
	expect_fail 1 "$other is $oid, not an 82576 PF" -- claim --test --conf "$conf" "$other"
	expect_fail 1 "cannot read $WORK/none.conf" -- claim --test --conf "$WORK/none.conf" "$PF"
	expect_fail 3 "$other is $oid, not an 82576 PF: cdna_pf drives none other" -- claim "$other"
	expect_fail 4 "no PCI function 0000:7f:1f.7" -- claim 0000:7f:1f.7
	expect_fail 3 "PF 'eth0': .*\(a PCI address\)" -- claim eth0
	expect_fail 2 "usage: cdnactl claim" -- claim
	DEV=$(pci_netdev "$PF")
	ip link set "$DEV" up
	log_test "claim takes the PF from igb; refusals give it back or change nothing"
}

help_pages()
{
	local c

	for c in list stats create destroy set attach detach hook save restore claim; do
		cdnactl "$c" --help
		[ "$RC" -eq 0 ] && grep -q "^usage: cdnactl $c" "$OUT"
		check_err $? "cdnactl $c --help: exit $RC: $(head -n 2 "$OUT")"
	done
	cdnactl --help
	check_err $? "cdnactl --help: exit $RC"
	log_test "--help for every command"
}

isolation_refused()
{
	local xml=$WORK/iso.xml before after

	cdnactl create "$DEV" 2
	check_err $? "create: $(cat "$ERR")"
	VF[0]=$(vf_dev "$PF" 0)
	VF[1]=$(vf_dev "$PF" 1)
	echo "IOMMU group of ${VF[0]}: $(ls "/sys/bus/pci/devices/${VF[0]}/iommu_group/devices" | tr '\n' ' ')"
	domain_xml vm-iso "${VF[0]}" "${VF[1]}" > "$xml"
	expect_fail 7 "vmm_guard refused $DEV/0 \(${VF[0]}\): not isolated: its IOMMU group holds other devices: .*$PF" "$xml" -- hook qemu vm-iso prepare begin -
	cat "$ERR"
	[ "$(cat "/sys/bus/pci/devices/${VF[0]}/driver_override")" = "(null)" ]
	check_err $? "the refused bind left a driver_override"
	test_node_xml
	before=$(snapshot)
	cdnactl -c "test://$NODE" attach cdna-vm --mac 52:54:00:cd:0f:00 --vlan 9
	after=$(snapshot)
	[ "$RC" -eq 7 ] && grep -q "not isolated" "$ERR"
	check_err $? "attach of a context that is not isolated: exit $RC, want 7: $(cat "$ERR")"
	[ "$before" = "$after" ] ||
		check_err 1 "the refused attach left changes: $(show_diff "$before" "$after")"
	log_test "not isolated: hook and attach refuse with the guard's reason"
}

setup
run_tests
