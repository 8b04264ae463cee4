#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# cdnactl, the libvirt qemu hook and the guard's software mode with a real
# libvirtd (the trixie root's) and QEMU, on a host with no IOMMU, guests
# without an OS (firmware only):
# - a domain names context 0 (unbound) by the stable UUID of its mediated
#   device, <hostdev type='mdev'>: the hook puts the context in sw mode
#   with that device, libvirt starts QEMU on it, the ledger records the
#   domain and QEMU;
# - cdnactl attach --mode sw hot-plugs context 1 as its mediated device;
# - detach finds it in the live XML and gives up in time (no guest OS
#   ejects it);
# - destroying the domain scrubs both, unpins everything, leaves them free
#   in sw mode with their mediated devices;
# - a domain with the PCI form of a context in sw mode is refused with the
#   hook's message.
#
# lab-iommu: off
# lab: timeout=600
source /src/tests/lib.sh
[ -f /src/lab/vm/libvirt.sh ] || { echo "SKIP: no lab/vm/libvirt.sh"; exit 4; }
source /src/lab/vm/libvirt.sh

TESTS="start_mdev attach_mdev detach_bounded destroy_scrubs pci_form_refused"
CDNACTL=$LV_CDNACTL
LVLOG=/var/log/libvirt/libvirtd.log
PF=$(pf_dev)
WORK=/tmp/cdnactl-sw-libvirt
DOM=cdna-sw
DEV=
VF=()
U=()

cleanup()
{
	vsh -q destroy "$DOM" > /dev/null 2>&1
	vsh -q destroy cdna-pci > /dev/null 2>&1
	declare -F libvirt_stop > /dev/null && libvirt_stop
}
trap cleanup EXIT

vsh()
{
	virsh -c qemu:///system "$@"
}

# stable_uuid PF N: the UUID cdnactl gives context N of PF.
stable_uuid()
{
	local dom=${1%%:*} rest=${1#*:}
	local bus=${rest%%:*} dev=${rest#*:}

	printf 'cd0a0000-%s-80%s-8%s%s-%012x' "$dom" "$bus" "${dev%.*}" "${dev#*.}" "$2"
}

# fw_domain_xml NAME HOSTDEV: firmware only, with one <hostdev>.
fw_domain_xml()
{
	cat <<-EOF
	<domain type='qemu'>
	  <name>$1</name>
	  <memory unit='MiB'>64</memory>
	  <vcpu>1</vcpu>
	  <os>
	    <type arch='x86_64' machine='pc'>hvm</type>
	    <loader type='rom'>/usr/share/qemu/qboot.rom</loader>
	  </os>
	  <features><acpi/></features>
	  <devices>
	    <emulator>/usr/bin/qemu-system-x86_64</emulator>
	    <controller type='usb' model='none'/>
	    <memballoon model='none'/>
	    $2
	  </devices>
	</domain>
	EOF
}

mdev_hostdev()
{
	echo "<hostdev mode='subsystem' type='mdev' model='vfio-pci' managed='no'><source><address uuid='$1'/></source></hostdev>"
}

in_sw()
{
	[ "$(drv_of "$1")" = vmm_guard_sw ] && [ "$(ledger "$1" mdev)" = "$2" ] &&
		[ -e "/sys/bus/mdev/devices/$2" ]
}

setup()
{
	local i

	[ -n "$PF" ] || skip_all "no 82576 PF"
	[ -x "$CDNACTL" ] || skip_all "userspace/cdnactl not built (make -C userspace)"
	if ! command -v libvirtd > /dev/null || ! command -v virsh > /dev/null; then
		skip_all "no libvirtd in the lab root"
	fi
	[ -f /usr/share/qemu/qboot.rom ] || skip_all "no qboot.rom for firmware-only guests"
	[ -z "$(ls /sys/class/iommu 2>/dev/null)" ] ||
		fail_all "this host has an IOMMU: lab-iommu: off did not apply"
	mkdir -p "$WORK"
	pf_up cdna_pf
	load_guard || fail_all "vmm_guard does not load"
	"$CDNACTL" create "$DEV" 3 || fail_all "cdnactl create failed"
	for i in 0 1 2; do
		VF[i]=$(vf_dev "$PF" "$i")
		U[i]=$(stable_uuid "$PF" "$i")
		"$CDNACTL" set "$DEV/$i" mac "02:cd:0d:00:00:0$i" > /dev/null ||
			fail_all "cdnactl set $DEV/$i mac failed"
	done
	LIBVIRT_LOG_OUTPUTS="1:file:$LVLOG" LIBVIRT_LOG_FILTERS="1:mdev 1:hostdev 1:hook 3:*" \
		libvirt_start || fail_all "libvirtd does not start here"
	vsh version
}

start_mdev()
{
	local out

	fw_domain_xml "$DOM" "$(mdev_hostdev "${U[0]}")" > "$WORK/dom.xml"
	vsh define "$WORK/dom.xml" > /dev/null
	check_err $? "virsh define of a domain with an mdev hostdev failed"
	out=$(vsh start "$DOM" 2>&1)
	check_err $? "virsh start: $out"
	in_sw "${VF[0]}" "${U[0]}"
	check_err $? "the hook did not put ${VF[0]} in sw mode with ${U[0]}: $(drv_of "${VF[0]}") '$(ledger "${VF[0]}" mdev)'"
	[ "$(ledger "${VF[0]}" state)" = assigned ] && [ "$(ledger "${VF[0]}" owner)" = "$DOM" ] &&
		[ "$(ledger "${VF[0]}" owner_comm)" = qemu-system-x86 ]
	check_err $? "ledger of ${VF[0]}: $(ledger "${VF[0]}" state) $(ledger "${VF[0]}" owner) $(ledger "${VF[0]}" owner_comm)"
	"$CDNACTL" list
	log_test "libvirt starts a domain with a context's mdev the hook created"
}

attach_mdev()
{
	local out

	out=$("$CDNACTL" attach "$DOM" --mode sw --pf "$DEV" 2>&1)
	check_err $? "cdnactl attach --mode sw: $out"
	echo "$out"
	[[ $out == *"(${VF[1]}) attached to $DOM (mode sw, mediated device ${U[1]})"* ]]
	check_err $? "attach did not take ${VF[1]}: $out"
	in_sw "${VF[1]}" "${U[1]}" && [ "$(ledger "${VF[1]}" state)" = assigned ] &&
		[ "$(ledger "${VF[1]}" owner)" = "$DOM" ]
	check_err $? "ledger of ${VF[1]}: $(ledger "${VF[1]}" state) $(ledger "${VF[1]}" owner) '$(ledger "${VF[1]}" mdev)'"
	[ "$(vsh dumpxml "$DOM" | grep -c "<hostdev mode='subsystem' type='mdev'")" -eq 2 ] &&
		vsh dumpxml "$DOM" | grep -q "uuid='${U[1]}'"
	check_err $? "the live XML does not have both mediated devices: $(vsh dumpxml "$DOM" | grep -A2 '<hostdev')"
	log_test "cdnactl attach --mode sw hot-plugs a context's mdev"
}

detach_bounded()
{
	local out rc

	out=$("$CDNACTL" detach "$DOM" 2>&1)
	rc=$?
	[ $rc -eq 2 ] && [[ $out == *"has 2 cdna contexts: "*"; name the one to detach"* ]]
	check_err $? "detach without a context: exit $rc: $out"
	out=$("$CDNACTL" detach "$DOM" "$DEV/1" --timeout 10 2>&1)
	rc=$?
	echo "$out"
	[ $rc -eq 8 ] && [[ $out == *"did not release ${VF[1]} within 10 s"* ]]
	check_err $? "detach with no guest to eject: exit $rc, want 8: $out"
	[ "$(ledger "${VF[1]}" state)" = assigned ]
	check_err $? "context 1 changed state while the guest kept it"
	log_test "detach: the mdev form found, gives up in time without a guest"
}

destroy_scrubs()
{
	local i v

	vsh destroy "$DOM" > /dev/null
	check_err $? "virsh destroy failed"
	for i in 0 1; do
		v=${VF[i]}
		wait_until 20 'test "$(ledger "$v" state)" = free'
		check_err $? "$v is $(ledger "$v" state) after the domain was destroyed"
		[ -z "$(ledger "$v" owner)" ] && [ "$(ledger "$v" scrubs)" -ge 1 ] &&
			[ "$(ledger "$v" pinned_pages)" = 0 ]
		check_err $? "$v: owner '$(ledger "$v" owner)', scrubs $(ledger "$v" scrubs), pinned $(ledger "$v" pinned_pages)"
		in_sw "$v" "${U[i]}"
		check_err $? "$v left sw mode or its mediated device"
	done
	"$CDNACTL" list
	log_test "destroyed domain: contexts scrubbed, free, still in sw mode"
}

pci_form_refused()
{
	local out

	fw_domain_xml cdna-pci "<hostdev mode='subsystem' type='pci' managed='no'><source>$(pci_address_xml "${VF[0]}")</source></hostdev>" > "$WORK/pci.xml"
	vsh define "$WORK/pci.xml" > /dev/null
	out=$(vsh start cdna-pci 2>&1)
	check_fail $? "cdna-pci started with the PCI form of ${VF[0]}, in sw mode"
	echo "$out"
	[[ $out == *"Hook script execution failed"*"(${VF[0]}) is in software mode: pass its mediated device"* ]]
	check_err $? "libvirt does not show the hook's reason: $out"
	in_sw "${VF[0]}" "${U[0]}" && [ "$(ledger "${VF[0]}" state)" = free ]
	check_err $? "the refused start changed ${VF[0]}"
	log_test "a domain with the PCI form of a sw context is refused by the hook"
}

setup
run_tests
