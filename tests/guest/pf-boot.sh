#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# lab: timeout=600 mem=3072
# lab-boot: systemd
#
# The PF at boot, over a real reboot: the lab VM boots systemd twice on
# one disk (lab/vm/boot-systemd.sh), as a host does; one nested guest (the
# guest tier builds cdna_vf for it).
#
# Boot 1: udev gives the 82576 to igb.  The tree is installed the way
# `make install` and `make -C userspace install install-hooks` install it
# (modules under /lib/modules/KVER/updates, depmod; cdnactl, the udev
# rule, its units and cdna_pf's modprobe.d options; the hooks in qemu.d/
# and network.d/).  cdna_pf loaded by name takes no PF nobody gave it
# (autobind=N).  The operator claims the PF, creates 3 contexts with a
# MAC, a VLAN and a guard mode, and saves them; reboot.
#
# Boot 2: udev and the two units alone (nothing run by hand) put the PF
# on cdna_pf and bring back the contexts, their MACs and VLANs, and
# context 2 on vmm_guard.  Then libvirt starts a domain whose XML is what
# Nova writes for a neutron direct port (<interface type='hostdev'
# managed='yes'> with <mac> and <vlan>): libvirt's own choice of driver
# (modules.alias) is vmm_guard, the hook binds and owns the context, the
# guest's NIC has the port's MAC and reaches the host on the port's VLAN;
# after virsh destroy the guard has scrubbed it and it waits on vmm_guard
# for the next domain.  A port libvirt would give to vfio-pci is refused.
source /src/tests/lib.sh

PF=$(pf_dev)
KVER=$(uname -r)
STATE=/var/lib/cdna-lab/pf-boot
NOVA_MAC=52:54:00:cd:0e:01		# 198.18.14.1 on VLAN 100
MAC0=52:54:00:cd:0b:00
MAC1=52:54:00:cd:0b:01
drv_is() { [ "$(drv_of "$1")" = "$2" ]; }
guard_is() { [ "$(cat "/sys/bus/pci/devices/$1/guard/state" 2>/dev/null)" = "$2" ]; }
vf_lines() { ip link show "$(pci_netdev "$PF")" | grep -E '^ +vf ' | sed 's/, link-state.*//'; }

boot1_tests="udev_gave_igb install_tree autobind_off configure_and_save"
boot2_tests="pf_on_cdna_pf contexts_back nova_port vfio_pci_refused"

# --- boot 1 ---

udev_gave_igb()
{
	systemctl is-active -q systemd-udevd
	check_err $? "systemd-udevd not running: $(systemctl is-active systemd-udevd)"
	busy_wait 60 drv_is "$PF" igb
	check_err $? "$PF on '$(drv_of "$PF")' after boot, not igb"
	log_test "boot 1: systemd and udev up, igb has the 82576"
}

install_tree()
{
	local d=/lib/modules/$KVER/updates/cdna m

	mkdir -p "$d"
	for m in cdna-pf/cdna_pf cdna-vf/cdna_vf vmm-guard/vmm_guard; do
		install -m 0644 "$KMOD/$m.ko" "$d/" || check_err 1 "cannot install $m.ko"
	done
	depmod -a "$KVER"
	check_err $? "depmod failed"
	grep -q 'vfio_pci:v00008086d000010CAsv\*sd\*bc\*sc\*i\* vmm_guard' "/lib/modules/$KVER/modules.alias"
	check_err $? "modules.alias has no VFIO alias of vmm_guard"
	make -s -C /src/userspace PKG_CONFIG=true install-built install-hooks \
		PREFIX=/usr SBINDIR=/usr/sbin HOOKNAME=qemu.d/cdna \
		NETHOOKNAME=network.d/cdna > /tmp/install.log 2>&1
	check_err $? "make install-built install-hooks: $(tail -n 5 /tmp/install.log)"
	systemctl daemon-reload
	udevadm control --reload
	[ -x /usr/sbin/cdnactl ] && [ -f /usr/lib/udev/rules.d/90-cdna.rules ] &&
		[ -f /usr/lib/systemd/system/cdna-claim@.service ] &&
		[ -f /usr/lib/modprobe.d/cdna.conf ]
	check_err $? "installed files missing"
	log_test "boot 1: modules in /lib/modules (depmod), cdnactl, rule, units, hooks installed"
}

autobind_off()
{
	# igb lets go of the PF; cdna_pf, loaded by name, must not take it.
	echo "$PF" > /sys/bus/pci/drivers/igb/unbind
	modprobe cdna_pf
	check_err $? "modprobe cdna_pf failed"
	[ "$(cat /sys/module/cdna_pf/parameters/autobind)" = N ]
	check_err $? "autobind $(cat /sys/module/cdna_pf/parameters/autobind), not N from modprobe.d"
	[ -z "$(drv_of "$PF")" ]
	check_err $? "cdna_pf took $PF by itself"
	echo "$PF" > /sys/bus/pci/drivers_probe
	busy_wait 20 drv_is "$PF" igb
	check_err $? "$PF went to '$(drv_of "$PF")' on a reprobe, not igb"
	log_test "boot 1: cdna_pf (autobind=N) leaves an unnamed PF to igb"
}

configure_and_save()
{
	local dev

	/usr/sbin/cdnactl claim "$PF"
	check_err $? "cdnactl claim $PF failed"
	busy_wait 30 has_netdev "$PF"
	# udev renames the new netdev (enp1s0): the name after that.
	udevadm settle -t 30
	dev=$(pci_netdev "$PF")
	# The rule starts the restore unit whenever cdna_pf's netdev comes
	# (no file yet: nothing to restore).
	busy_wait 60 unit_done "cdna-restore@$PF.service"
	check_err $? "cdna-restore@$PF.service did not run when cdna_pf registered $dev: $(udev_diag)"
	ip link set "$dev" up
	modprobe vmm_guard
	check_err $? "modprobe vmm_guard failed"
	/usr/sbin/cdnactl create "$dev" 3 &&
		/usr/sbin/cdnactl set "$dev/0" mac "$MAC0" vlan 10 &&
		/usr/sbin/cdnactl set "$dev/1" mac "$MAC1" &&
		/usr/sbin/cdnactl set "$dev/2" mode iommu
	check_err $? "configuring the contexts failed"
	/usr/sbin/cdnactl save
	check_err $? "cdnactl save failed"
	cat /etc/cdna/contexts.conf
	mkdir -p "$STATE"
	vf_lines > "$STATE/vf-lines"
	cat "$STATE/vf-lines"
	grep -q "^ctx $PF/2 .*mode iommu$" /etc/cdna/contexts.conf
	check_err $? "contexts.conf lacks context 2's mode"
	log_test "boot 1: claim, 3 contexts with MAC, VLAN and a mode, saved"
}

# --- boot 2 ---

# udev_diag: what udev and systemd know of the PF's netdev.
udev_diag()
{
	local dev

	dev=$(pci_netdev "$PF")
	udevadm info "/sys/class/net/$dev" | grep -E 'ID_NET_DRIVER|SYSTEMD_WANTS|TAGS|ID_PATH=' | tr '\n' ' '
	systemctl show -P Wants "sys-subsystem-net-devices-$dev.device"
	journalctl -q -b -o cat -u systemd-udevd | tail -n 5 | tr '\n' ' '
}

# unit_done UNIT: a oneshot unit ran to its end.
unit_done()
{
	[ "$(systemctl show -P Result "$1")" = success ] &&
		[ -n "$(systemctl show -P ExecMainExitTimestampMonotonic "$1" | grep -v '^0$')" ]
}

pf_on_cdna_pf()
{
	busy_wait 180 unit_done "cdna-restore@$PF.service"
	check_err $? "cdna-restore@$PF.service did not run: $(udev_diag)"
	drv_is "$PF" cdna_pf
	check_err $? "$PF on '$(drv_of "$PF")' after the reboot"
	echo "udev: driver_override $(cat "/sys/bus/pci/devices/$PF/driver_override")"
	journalctl -q -b -o cat -u "cdna-claim@$PF.service" -u "cdna-restore@$PF.service"
	log_test "boot 2: udev and cdna-claim@ gave the PF to cdna_pf"
}

contexts_back()
{
	local vf2

	[ "$(cat "/sys/bus/pci/devices/$PF/sriov_numvfs")" = 3 ]
	check_err $? "$(cat "/sys/bus/pci/devices/$PF/sriov_numvfs") contexts after the reboot, not 3"
	[ "$(vf_lines)" = "$(cat "$STATE/vf-lines")" ] ||
		check_err 1 "policy differs: $(show_diff "$(cat "$STATE/vf-lines")" "$(vf_lines)")"
	vf2=$(vf_dev "$PF" 2)
	drv_is "$vf2" vmm_guard && guard_is "$vf2" free
	check_err $? "context 2 ($vf2) on '$(drv_of "$vf2")', not free on vmm_guard"
	[ -z "$(drv_of "$(vf_dev "$PF" 1)")" ]
	check_err $? "context 1 taken by '$(drv_of "$(vf_dev "$PF" 1)")'"
	log_test "boot 2: 3 contexts, their MACs and VLANs, context 2 on vmm_guard"
}

# nova_xml NAME VF [MODEL]: a neutron direct port as Nova writes it.
nova_xml()
{
	domain_xml "$1" /tmp/agent.cpio count=5 "
	    <interface type='hostdev' managed='yes'>
	      <mac address='$NOVA_MAC'/>
	      ${3:+<driver name='vfio' model='$3'/>}
	      <source>$(pci_address_xml "$2")</source>
	      <vlan><tag id='100'/></vlan>
	    </interface>"
}

nova_port()
{
	local vf1 pfnet up

	. /src/lab/vm/guest.sh
	. /src/lab/vm/libvirt.sh
	if [ ! -f "$GUEST_KERNEL" ]; then
		check_err 1 "no guest kernel $GUEST_KERNEL (make setup)"
		log_test "boot 2: Nova's managed='yes' port"
		return
	fi
	vf1=$(vf_dev "$PF" 1)
	pfnet=$(pci_netdev "$PF")
	# The host's network configuration brings the PF up (libvirt
	# refuses to set a VF's MAC on a PF that is down).
	ip link set "$pfnet" up
	ip link add link "$pfnet" name "$pfnet.100" type vlan id 100
	ip addr add 198.18.14.1/24 dev "$pfnet.100"
	ip link set "$pfnet.100" up
	if ! LV_CDNACTL=/usr/sbin/cdnactl LV_HOOKS_INSTALLED=1 libvirt_start; then
		check_err 1 "libvirtd does not start"
		log_test "boot 2: Nova's managed='yes' port"
		return
	fi
	if ! GUEST_BINS=ethtool guest_initrd /tmp/agent.cpio \
		/src/tests/guest/payload/agent.sh "$GUEST_KMOD/cdna-vf/cdna_vf.ko"; then
		check_err 1 "cannot build the guest's initramfs (cdna_vf for the guest kernel: make modules-guest)"
		log_test "boot 2: Nova's managed='yes' port"
		return
	fi
	nova_xml nova "$vf1" > /tmp/nova.xml
	if ! virsh -q define /tmp/nova.xml > /dev/null ||
	   ! virsh -q start nova > /tmp/nova.out 2>&1; then
		check_err 1 "virsh start of the Nova-style domain failed: $(cat /tmp/nova.out)"
		log_test "boot 2: Nova's managed='yes' port"
		return
	fi
	drv_is "$vf1" vmm_guard && guard_is "$vf1" assigned &&
		[ "$(cat "/sys/bus/pci/devices/$vf1/guard/owner")" = nova ]
	check_err $? "context 1: '$(drv_of "$vf1")', $(cat "/sys/bus/pci/devices/$vf1/guard/state" 2>/dev/null), owner '$(cat "/sys/bus/pci/devices/$vf1/guard/owner" 2>/dev/null)'"
	ip link show "$pfnet" | grep -q "vf 1 .*link/ether $NOVA_MAC.*vlan 100"
	check_err $? "the PF does not show the port's MAC and VLAN on vf 1"
	grep -E "vmm_guard|vfio" /var/log/libvirt/libvirtd.log | grep -i "$vf1" | tail -n 3
	busy_wait 600 grep -aq "GUEST-NIC-UP [^ ]* $NOVA_MAC" "$(guest_console nova)"
	check_err $? "the guest's NIC did not come up"
	up=$(grep -a "GUEST-NIC-UP [^ ]* $NOVA_MAC" "$(guest_console nova)" | tail -n1)
	echo "guest: $up"
	[ "$(echo "$up" | cut -d' ' -f4)" = ok ]
	check_err $? "guest on the port's VLAN 100: '$(echo "$up" | cut -d' ' -f4)'"
	virsh -q destroy nova
	busy_wait 60 guard_is "$vf1" free
	check_err $? "context 1 not free after destroy: $(cat "/sys/bus/pci/devices/$vf1/guard/state" 2>/dev/null)"
	drv_is "$vf1" vmm_guard && [ -z "$(cat "/sys/bus/pci/devices/$vf1/guard/owner")" ]
	check_err $? "context 1 after destroy: on '$(drv_of "$vf1")', owner '$(cat "/sys/bus/pci/devices/$vf1/guard/owner" 2>/dev/null)'"
	ip link show "$pfnet" | grep -q "vf 1 .*link/ether $MAC1"
	check_err $? "libvirt did not put back context 1's MAC: $(ip link show "$pfnet" | grep 'vf 1 ')"
	cp "$(guest_console nova)" /out/ 2>/dev/null
	log_test "boot 2: Nova's managed='yes' port: vmm_guard, owned, MAC and VLAN 100, scrubbed after"
}

vfio_pci_refused()
{
	local vf0

	vf0=$(vf_dev "$PF" 0)
	nova_xml nova2 "$vf0" vfio-pci > /tmp/nova2.xml
	virsh -q define /tmp/nova2.xml > /dev/null
	virsh -q start nova2 > /tmp/nova2.out 2>&1
	check_fail $? "a port libvirt would give to vfio-pci started"
	grep -q "libvirt would bind it to vfio_pci (<driver model='vfio-pci'/>), around the guard" /tmp/nova2.out
	check_err $? "virsh start said: $(cat /tmp/nova2.out)"
	[ -z "$(drv_of "$vf0")" ]
	check_err $? "context 0 went to '$(drv_of "$vf0")'"
	libvirt_stop
	log_test "boot 2: a managed='yes' port for vfio-pci refused, context untouched"
}

case ${LAB_BOOT:-} in
1) TESTS=$boot1_tests ;;
2) TESTS=$boot2_tests ;;
'') skip_all "not in a systemd lab boot (# lab-boot: systemd)" ;;
*) echo "boot $LAB_BOOT: this test reboots once"; exit 1 ;;
esac
[ -n "$PF" ] || skip_all "no 82576 PF"
# A clean first boot asks for the second (exit 100: reboot).
if [ "$LAB_BOOT" = 1 ]; then
	for t in $TESTS; do
		"$t"
	done
	[ "$EXIT_STATUS" -eq 0 ] && exit 100
	exit "$EXIT_STATUS"
fi
run_tests
