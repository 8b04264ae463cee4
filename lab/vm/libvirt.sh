# SPDX-License-Identifier: GPL-2.0
#
# libvirt inside the lab VM: sourced by tests that manage guests through a
# real libvirtd (Debian trixie's, from the lab root).  The root is
# read-only, so libvirt's state directories become tmpfs copies; the qemu
# driver runs QEMU as root without namespaces, cgroups or a security
# driver (the lab VM has none of those set up), under TCG.
#
#   libvirt_start          start libvirtd with the project's hooks (those
#                          the test installed: LV_HOOKS_INSTALLED=1)
#   libvirt_stop           stop it, keep its log in /out/libvirtd.log
#   domain_xml NAME INITRD ARGS DEVICES   a guest of lab/guest-kernel
#   guest_console NAME     path of a domain's serial log

LV_CDNACTL=${LV_CDNACTL:-/src/userspace/cdnactl/cdnactl}
LV_HOOKS=/src/libvirt-hooks
LV_GUEST_DIR=/boot/cdna-guest

# lv_writable DIR: a writable tmpfs copy of DIR of the read-only root.
lv_writable()
{
	local dir=$1 tmp

	tmp=$(mktemp -d)
	[ -d "$dir" ] && cp -a "$dir/." "$tmp/"
	mkdir -p "$dir" 2>/dev/null
	mount -t tmpfs -o mode=0755 tmpfs "$dir" || return 1
	cp -a "$tmp/." "$dir/"
	rm -rf "$tmp"
}

libvirt_start()
{
	local d

	for d in /etc/libvirt /var/lib/libvirt /var/cache/libvirt; do
		lv_writable "$d" || return 1
	done
	mkdir -p /var/log/libvirt/qemu /run/libvirt
	# No NAT network: nothing here may touch a firewall or run dnsmasq.
	rm -f /etc/libvirt/qemu/networks/autostart/default.xml \
	      /etc/libvirt/qemu/networks/default.xml
	cat > /etc/libvirt/qemu.conf <<-EOF
	user = "root"
	group = "root"
	dynamic_ownership = 0
	remember_owner = 0
	security_driver = "none"
	namespaces = [ ]
	cgroup_controllers = [ ]
	stdio_handler = "file"
	EOF
	cat > /etc/libvirt/libvirtd.conf <<-EOF
	log_outputs = "3:file:/var/log/libvirt/libvirtd.log"
	EOF
	# The project's hooks, installed as make install-hooks would, unless
	# the test installed them itself (LV_HOOKS_INSTALLED=1).
	mkdir -p /etc/libvirt/hooks
	for h in qemu network; do
		[ -n "${LV_HOOKS_INSTALLED:-}" ] && break
		sed "s|@CDNACTL@|$LV_CDNACTL|g" "$LV_HOOKS/$h" > "/etc/libvirt/hooks/$h"
		chmod 0755 "/etc/libvirt/hooks/$h"
	done
	libvirtd --daemon || return 1
	busy_wait 60 virsh -q -c qemu:///system version > /dev/null
}

libvirt_stop()
{
	pkill -TERM -x libvirtd
	busy_wait 20 sh -c '! pgrep -x libvirtd' > /dev/null
	cp /var/log/libvirt/libvirtd.log /out/libvirtd.log 2>/dev/null
	cp /var/log/libvirt/qemu/*.log /out/ 2>/dev/null
	return 0
}

# guest_console NAME: where a domain's serial console is written (tmpfs,
# copied to /out by the test when it ends).
guest_console()
{
	echo "/tmp/guest-$1.log"
}

# domain_xml NAME INITRD ARGS DEVICES: a one-vCPU, 256 MiB guest booting
# the lab's guest kernel directly (qboot, no disk), serial console to
# guest_console NAME.  ARGS (comma separated) reach the payload; DEVICES
# is XML put inside <devices>.
domain_xml()
{
	local name=$1 initrd=$2 args=$3 devices=$4

	cat <<-EOF
	<domain type='qemu'>
	  <name>$name</name>
	  <memory unit='MiB'>256</memory>
	  <vcpu>1</vcpu>
	  <os>
	    <type arch='x86_64' machine='pc'>hvm</type>
	    <loader type='rom'>/usr/share/qemu/qboot.rom</loader>
	    <kernel>$LV_GUEST_DIR/bzImage</kernel>
	    <initrd>$initrd</initrd>
	    <cmdline>console=ttyS0,115200 loglevel=6 panic=-1 tsc=reliable no_timer_check nokaslr cdna.args=$args</cmdline>
	  </os>
	  <features><acpi/></features>
	  <cpu mode='maximum'/>
	  <on_poweroff>destroy</on_poweroff>
	  <on_reboot>destroy</on_reboot>
	  <on_crash>destroy</on_crash>
	  <devices>
	    <emulator>/usr/bin/qemu-system-x86_64</emulator>
	    <serial type='file'>
	      <source path='$(guest_console "$name")'/>
	      <target port='0'/>
	    </serial>
	    <controller type='usb' model='none'/>
	    <memballoon model='none'/>
	    <video><model type='none'/></video>
	    $devices
	  </devices>
	</domain>
	EOF
}

# pci_address_xml BDF: <address> of a PCI function for <source>.
pci_address_xml()
{
	local bdf=$1

	printf "<address type='pci' domain='0x%s' bus='0x%s' slot='0x%s' function='0x%s'/>" \
		"${bdf%%:*}" "$(echo "$bdf" | cut -d: -f2)" \
		"$(echo "$bdf" | cut -d: -f3 | cut -d. -f1)" "${bdf##*.}"
}
