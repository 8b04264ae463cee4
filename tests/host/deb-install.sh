#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# lab: timeout=900 mem=3072 cpu=all
#
# The Debian packages (`make deb`, i.e. lab/deb-build.sh, into build/deb)
# installed the way an operator installs them, `apt install ./*.deb`, in
# the lab VM, and used from there: DKMS builds the modules in the VM
# against the lab kernel's headers (in the lab root, with gcc-12 and dkms:
# lab/setup.sh), modprobe loads them from /lib/modules, cdnactl runs from
# /usr/sbin, the libvirt hooks are in qemu.d/ and network.d/, the udev rule
# is where udev reads it; apt remove takes the modules away again.  The
# lab root is read-only: /usr, /etc and /var get tmpfs overlays first.
source /src/tests/lib.sh
# tests/lib.sh's cdnactl() runs the tree's build for the cdnactl tests;
# this one runs the packaged /usr/sbin/cdnactl.
unset -f cdnactl

TESTS="apt_install dkms_built modprobe_loads cdnactl_runs hooks_and_rule
       apt_remove"
KVER=$(uname -r)
DEBS=/src/build/deb
VER=$(sed -n 's/^#define CDNA_VERSION[[:space:]]*"\(.*\)"/\1/p' \
	/src/kmod/include/cdna_version.h)
PF=$(pf_dev)

setup()
{
	local d

	ls "$DEBS"/cdna-dkms_*_all.deb "$DEBS"/cdnactl_*_amd64.deb > /dev/null 2>&1 ||
		skip_all "no packages in build/deb (make deb)"
	(cd /src && sha256sum --quiet -c "$DEBS/sources.sha256") > /tmp/stale 2>&1 ||
		fail_all "build/deb is of other sources than the tree (make deb): $(head -n 3 /tmp/stale | xargs)"
	[ -e "/lib/modules/$KVER/build/Makefile" ] ||
		skip_all "no $KVER headers in the lab root (make setup)"
	command -v dkms > /dev/null || skip_all "no dkms in the lab root (make setup)"
	for d in usr etc var; do
		mkdir -p "/tmp/ov/$d/up" "/tmp/ov/$d/work"
		mount -t overlay overlay -o \
			"lowerdir=/$d,upperdir=/tmp/ov/$d/up,workdir=/tmp/ov/$d/work" "/$d" ||
			fail_all "no overlay on /$d"
	done
	mkdir -p /var/log/apt /var/cache/apt/archives/partial /var/tmp
}

apt_install()
{
	local start=$(date +%s)

	DEBIAN_FRONTEND=noninteractive apt-get install -y \
		-o Dpkg::Use-Pty=0 "$DEBS"/cdna-dkms_*_all.deb \
		"$DEBS"/cdnactl_*_amd64.deb > /tmp/apt.log 2>&1
	check_err $? "apt install failed: $(tail -n 15 /tmp/apt.log)
$(tail -n 15 /var/lib/dkms/cdna/*/build/make.log 2>/dev/null)"
	grep -E '^(Setting up|Building|Signing|Installing|depmod|dkms)|cdna' /tmp/apt.log | head -n 30
	echo "apt install took $(( $(date +%s) - start ))s"
	for p in cdna-dkms cdnactl; do
		[ "$(dpkg-query -W -f '${Status} ${Version}' "$p" 2>/dev/null)" = "install ok installed $VER" ]
		check_err $? "$p: $(dpkg-query -W -f '${Status} ${Version}' "$p" 2>&1)"
	done
	log_test "apt install ./cdna-dkms_${VER}_all.deb ./cdnactl_${VER}_amd64.deb"
}

dkms_built()
{
	local m

	dkms status cdna
	dkms status cdna -k "$KVER" | grep -q "cdna/$VER, $KVER, x86_64: installed"
	check_err $? "dkms status: $(dkms status cdna 2>&1)"
	for m in cdna_pf vmm_guard cdna_vf; do
		[[ $(modinfo -n "$m" 2>/dev/null) == /lib/modules/$KVER/updates/dkms/$m.ko* ]]
		check_err $? "$m: modinfo -n '$(modinfo -n "$m" 2>&1)', not DKMS's"
	done
	log_test "DKMS built and installed the three modules for $KVER"
}

modprobe_loads()
{
	modprobe vmm_guard
	check_err $? "modprobe vmm_guard failed"
	[ "$(cat /sys/module/cdna_pf/version 2>/dev/null)" = "$VER" ] &&
		[ "$(cat /sys/module/vmm_guard/version 2>/dev/null)" = "$VER" ]
	check_err $? "loaded: $(lsmod | grep -E '^(cdna|vmm)' | xargs)"
	# The package's modprobe.d: cdna_pf takes only the PFs it is given.
	[ "$(cat /sys/module/cdna_pf/parameters/autobind 2>/dev/null)" = N ]
	check_err $? "cdna_pf autobind is '$(cat /sys/module/cdna_pf/parameters/autobind 2>&1)', not N from /usr/lib/modprobe.d/cdna.conf"
	[ ! -e "/sys/bus/pci/devices/$PF/driver" ]
	check_err $? "cdna_pf took $PF without being given it"
	/usr/sbin/cdnactl claim "$PF"
	check_err $? "cdnactl claim $PF failed"
	busy_wait 20 has_netdev "$PF"
	check_err $? "cdna_pf registered no netdev for $PF"
	log_test "modprobe vmm_guard loads the packaged modules, cdnactl claim gives $PF to cdna_pf"
}

cdnactl_runs()
{
	local pfnet

	[ "$(command -v cdnactl)" = /usr/sbin/cdnactl ]
	check_err $? "cdnactl is '$(command -v cdnactl)', not /usr/sbin/cdnactl"
	pfnet=$(pci_netdev "$PF")
	cdnactl create "$pfnet" 2
	check_err $? "cdnactl create $pfnet 2 failed"
	cdnactl set "$pfnet/0" mac 52:54:00:cd:de:00
	check_err $? "cdnactl set failed"
	cdnactl list | tee /tmp/list.txt
	grep -q 52:54:00:cd:de:00 /tmp/list.txt
	check_err $? "cdnactl list does not show the context's MAC"
	man -w cdnactl > /dev/null 2>&1 || [ -e /usr/share/man/man8/cdnactl.8.gz ]
	check_err $? "no cdnactl(8)"
	log_test "the packaged cdnactl creates, sets and lists contexts"
}

hooks_and_rule()
{
	local h

	for h in qemu network; do
		[ -x "/etc/libvirt/hooks/$h.d/cdna" ] &&
			grep -q "exec /usr/sbin/cdnactl hook $h" "/etc/libvirt/hooks/$h.d/cdna"
		check_err $? "/etc/libvirt/hooks/$h.d/cdna missing or not calling /usr/sbin/cdnactl"
	done
	grep -q 'PROGRAM=="/usr/sbin/cdnactl claim --test' /usr/lib/udev/rules.d/90-cdna.rules &&
		grep -q 'SYSTEMD_WANTS}+="cdna-restore@' /usr/lib/udev/rules.d/90-cdna.rules
	check_err $? "no udev rule calling /usr/sbin/cdnactl"
	for u in cdna-claim@.service cdna-restore@.service; do
		grep -q '^ExecStart=/usr/sbin/cdnactl ' "/usr/lib/systemd/system/$u"
		check_err $? "no /usr/lib/systemd/system/$u running /usr/sbin/cdnactl"
	done
	grep -qx 'options cdna_pf autobind=0' /usr/lib/modprobe.d/cdna.conf
	check_err $? "no /usr/lib/modprobe.d/cdna.conf"
	dpkg-query -W -f '${Conffiles}\n' cdnactl | grep -q /etc/libvirt/hooks/qemu.d/cdna
	check_err $? "the hooks are not conffiles"
	log_test "libvirt hooks in qemu.d/ and network.d/, the udev rule, its units, modprobe.d"
}

apt_remove()
{
	local pfnet=$(pci_netdev "$PF")

	cdnactl destroy "$pfnet" > /dev/null 2>&1 || set_numvfs "$PF" 0
	modprobe -r vmm_guard cdna_pf
	check_err $? "modprobe -r failed: $(lsmod | grep -E '^(cdna|vmm)' | xargs)"
	DEBIAN_FRONTEND=noninteractive apt-get remove -y -o Dpkg::Use-Pty=0 \
		cdna-dkms cdnactl > /tmp/apt-remove.log 2>&1
	check_err $? "apt remove failed: $(tail -n 10 /tmp/apt-remove.log)"
	! ls /lib/modules/"$KVER"/updates/dkms/cdna_pf.ko* > /dev/null 2>&1 &&
		! modinfo cdna_pf > /dev/null 2>&1
	check_err $? "cdna_pf still installed after apt remove"
	[ ! -e /usr/sbin/cdnactl ]
	check_err $? "/usr/sbin/cdnactl still there"
	log_test "apt remove takes the modules and cdnactl away"
}

setup
run_tests
