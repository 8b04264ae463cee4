#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# lab: timeout=420
#
# cdnactl and the libvirt qemu hook with a real libvirtd (the trixie
# root's 11.3) and QEMU in the host VM, guests without an OS (firmware
# only): libvirt starts a domain whose context is a managed='no' hostdev
# only because the hook bound it to vmm_guard (libvirt takes the VFIO
# variant driver), the guard records the domain; cdnactl attach hot-plugs
# a second context; detach names the contexts when it is not told which,
# and gives up in time when the guest does not eject (there is no guest
# OS to do it); destroying the domain scrubs both; a second domain that
# wants a context the first holds is refused with the hook's message.
source /src/tests/lib.sh
[ -f /src/lab/vm/libvirt.sh ] || { echo "SKIP: no lab/vm/libvirt.sh"; exit 4; }
source /src/lab/vm/libvirt.sh

TESTS="start_binds attach_hotplug detach_bounded destroy_scrubs
       second_domain_refused"
CDNACTL=$LV_CDNACTL
LVLOG=/var/log/libvirt/libvirtd.log
PF=$(pf_dev)
WORK=/tmp/cdnactl-libvirt
DOM=cdna-real
DEV=
VF=()

cleanup()
{
	vsh -q destroy "$DOM" > /dev/null 2>&1
	vsh -q destroy cdna-two > /dev/null 2>&1
	declare -F libvirt_stop > /dev/null && libvirt_stop
}
trap cleanup EXIT

vsh()
{
	virsh -c qemu:///system "$@"
}

# fw_domain_xml NAME VF: firmware only, the context as a managed='no' hostdev.
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
	    <hostdev mode='subsystem' type='pci' managed='no'>
	      <source>$(pci_address_xml "$2")</source>
	    </hostdev>
	  </devices>
	</domain>
	EOF
}

setup()
{
	[ -n "$PF" ] || skip_all "no 82576 PF"
	[ -x "$CDNACTL" ] || skip_all "userspace/cdnactl not built (make -C userspace)"
	if ! command -v libvirtd > /dev/null || ! command -v virsh > /dev/null; then
		skip_all "no libvirtd in the lab root"
	fi
	[ -f /usr/share/qemu/qboot.rom ] || skip_all "no qboot.rom for firmware-only guests"
	mkdir -p "$WORK"
	pf_up cdna_pf
	load_guard || fail_all "vmm_guard does not load"
	modprobe vfio_iommu_type1
	"$CDNACTL" create "$DEV" 3 || fail_all "cdnactl create failed"
	VF=("$(vf_dev "$PF" 0)" "$(vf_dev "$PF" 1)" "$(vf_dev "$PF" 2)")
	# libvirt's PCI and hook messages too, to see how it takes the context.
	LIBVIRT_LOG_OUTPUTS="1:file:$LVLOG" LIBVIRT_LOG_FILTERS="1:pci 1:hostdev 1:hook 3:*" \
		libvirt_start || fail_all "libvirtd does not start here"
	vsh version
}

start_binds()
{
	local out

	fw_domain_xml "$DOM" "${VF[0]}" > "$WORK/dom.xml"
	vsh define "$WORK/dom.xml" > /dev/null
	out=$(vsh start "$DOM" 2>&1)
	check_err $? "virsh start: $out"
	[ "$(basename "$(readlink -f "/sys/bus/pci/devices/${VF[0]}/driver")")" = vmm_guard ]
	check_err $? "the hook did not bind ${VF[0]} to vmm_guard"
	[ "$(ledger "${VF[0]}" state)" = assigned ] && [ "$(ledger "${VF[0]}" owner)" = "$DOM" ] &&
		[ "$(ledger "${VF[0]}" owner_comm)" = qemu-system-x86 ]
	check_err $? "ledger of ${VF[0]}: $(ledger "${VF[0]}" state) $(ledger "${VF[0]}" owner) $(ledger "${VF[0]}" owner_comm)"
	grep -q "Driver vmm_guard is a vfio_pci driver" "$LVLOG"
	check_err $? "libvirt did not log that it takes vmm_guard for a VFIO driver"
	"$CDNACTL" list
	log_test "libvirt starts a domain whose context the hook gave to vmm_guard"
}

attach_hotplug()
{
	local out

	out=$("$CDNACTL" attach "$DOM" --pf "$DEV" --mac 52:54:00:cd:aa:01 --vlan 5 2>&1)
	check_err $? "cdnactl attach: $out"
	echo "$out"
	[[ $out == *"(${VF[1]}) attached to $DOM"* ]]
	check_err $? "attach did not take ${VF[1]}: $out"
	[ "$(ledger "${VF[1]}" state)" = assigned ] && [ "$(ledger "${VF[1]}" owner)" = "$DOM" ]
	check_err $? "ledger of ${VF[1]}: $(ledger "${VF[1]}" state) $(ledger "${VF[1]}" owner)"
	[ "$(vsh dumpxml "$DOM" | grep -c "<hostdev ")" -eq 2 ]
	check_err $? "the live XML does not have two hostdevs"
	ip link show "$DEV" | grep -qE "vf 1 .*52:54:00:cd:aa:01.*vlan 5,"
	check_err $? "attach did not apply MAC and VLAN to context 1"
	log_test "cdnactl attach hot-plugs a context into the running domain"
}

detach_bounded()
{
	local out rc

	out=$("$CDNACTL" detach "$DOM" 2>&1)
	rc=$?
	[ $rc -eq 2 ] && [[ $out == *"has 2 cdna contexts: "*"; name the one to detach"* ]]
	check_err $? "detach without a context: exit $rc: $out"
	# No guest OS ejects the device: detach gives up in time.
	out=$("$CDNACTL" detach "$DOM" "$DEV/1" --timeout 10 2>&1)
	rc=$?
	echo "$out"
	[ $rc -eq 8 ] && [[ $out == *"did not release ${VF[1]} within 10 s"* ]]
	check_err $? "detach with no guest to eject: exit $rc, want 8: $out"
	[ "$(ledger "${VF[1]}" state)" = assigned ]
	check_err $? "context 1 changed state while the guest kept it"
	log_test "detach: names the contexts, gives up in time without a guest"
}

destroy_scrubs()
{
	local v

	vsh destroy "$DOM" > /dev/null
	check_err $? "virsh destroy failed"
	for v in "${VF[0]}" "${VF[1]}"; do
		wait_until 20 'test "$(ledger "$v" state)" = free'
		check_err $? "$v is $(ledger "$v" state) after the domain was destroyed"
		[ -z "$(ledger "$v" owner)" ] && [ "$(ledger "$v" scrubs)" -ge 1 ]
		check_err $? "$v: owner '$(ledger "$v" owner)', scrubs $(ledger "$v" scrubs)"
	done
	grep -q "id=$DOM op=release subop=end" "$LVLOG"
	check_err $? "libvirt did not run the release hook"
	"$CDNACTL" list
	log_test "destroyed domain: contexts scrubbed and free"
}

second_domain_refused()
{
	local out start end

	vsh start "$DOM" > /dev/null
	check_err $? "second start of $DOM failed"
	fw_domain_xml cdna-two "${VF[0]}" > "$WORK/two.xml"
	vsh define "$WORK/two.xml" > /dev/null
	start=$(date +%s)
	out=$(vsh start cdna-two 2>&1)
	check_fail $? "cdna-two started with ${VF[0]}, which $DOM holds"
	end=$(date +%s)
	echo "$out"
	[[ $out == *"Hook script execution failed"*"cdnactl: cdna-two: context $DEV/0 (${VF[0]}) is assigned by $DOM"* ]]
	check_err $? "libvirt does not show the hook's reason: $out"
	[ "$(ledger "${VF[0]}" owner)" = "$DOM" ] && [ "$(ledger "${VF[0]}" state)" = assigned ]
	check_err $? "the refused domain changed ${VF[0]}"
	# libvirt runs "release end" for the failed start: it must not wait
	# for the context the other domain holds.
	[ $((end - start)) -lt 20 ]
	check_err $? "the failed start took $((end - start)) s"
	vsh destroy "$DOM" > /dev/null
	log_test "a domain wanting a held context is refused with the hook's message"
}

setup
run_tests
