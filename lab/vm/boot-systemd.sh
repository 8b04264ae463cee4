#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# PID 1 of a lab VM whose job asked for systemd (# lab-boot: systemd, see
# lab/run-vm.sh): the read-only trixie root becomes the lower layer of an
# overlay whose upper layer is on the VM's disk (/dev/vda, made fresh for
# each run), so what the job installs or configures outlives a reboot;
# then systemd boots it into cdna-lab.target: sysinit (udev and its
# coldplug, modules-load), basic, and cdna-lab-job.service, which runs
# the job (lab/vm/systemd-job.sh).  Run from stage2.sh on every boot.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

fail()
{
	echo "CDNA-LAB-INIT-FAILED: $*" > /dev/console
	echo "$*" >> /out/test.log
	echo 125 > /out/rc
	sync
	exec busybox poweroff -f
}

# shellcheck source=/dev/null
. /out/job
for m in virtio_blk ext4 overlay; do
	modprobe "$m" || fail "modprobe $m"
done
for i in $(seq 50); do
	[ -b /dev/vda ] && break
	sleep 0.1
done
mkdir -p /mnt/disk /mnt/root
mount -t ext4 /dev/vda /mnt/disk || fail "no disk /dev/vda"
mkdir -p /mnt/disk/upper/var/lib/cdna-lab /mnt/disk/work
n=/mnt/disk/upper/var/lib/cdna-lab/boot
boot=$(( $(cat "$n" 2>/dev/null || echo 0) + 1 ))
echo "$boot" > "$n"
# panic=-1 reboots: a job that keeps crashing the VM ends here.
[ "$boot" -le "${JOB_MAX_BOOTS:-3}" ] ||
	fail "boot $boot: more than ${JOB_MAX_BOOTS:-3} boots (a crash or a reboot loop)"
[ "$boot" -gt 1 ] || : > /out/test.log
# A reboot the job did not ask for (a crash, a reset) fails the run.
asked=/mnt/disk/upper/var/lib/cdna-lab/reboot-asked
if [ "$boot" -gt 1 ]; then
	[ "$(cat "$asked" 2>/dev/null)" = $((boot - 1)) ] ||
		fail "boot $boot: an unexpected reboot after boot $((boot - 1))"
	rm -f "$asked"
fi
echo "CDNA-LAB-BOOT $boot $JOB_SCRIPT" > /dev/console
mount -t overlay overlay \
	-o lowerdir=/,upperdir=/mnt/disk/upper,workdir=/mnt/disk/work /mnt/root ||
	fail "overlay root"

# The unit that runs the job, and a target of only what it needs: the
# root's own services (libvirtd and its sockets, apt timers) stay off;
# tests start libvirtd themselves (lab/vm/libvirt.sh).
u=/mnt/root/etc/systemd/system
mkdir -p "$u"
cat > "$u/cdna-lab.target" <<-UNIT
	[Unit]
	Description=CDNA lab job
	Requires=basic.target cdna-lab-job.service
	After=basic.target cdna-lab-job.service
	AllowIsolate=yes
UNIT
cat > "$u/cdna-lab-job.service" <<-UNIT
	[Unit]
	Description=CDNA lab job $JOB_SCRIPT
	After=basic.target
	[Service]
	Type=oneshot
	ExecStart=/bin/bash /src/lab/vm/systemd-job.sh
	StandardOutput=journal+console
	StandardError=journal+console
	TimeoutStartSec=infinity
UNIT
for x in sockets.target.wants timers.target.wants; do
	rm -rf "${u:?}/$x"
	mkdir -p "$u/$x"
done
# Nor the first-boot rebuilds of caches the job does not use (a minute
# of TCG), nor a shell on the console that would wait for a login.
for x in getty@tty1.service serial-getty@ttyS0.service ldconfig.service \
	 systemd-journal-catalog-update.service systemd-hwdb-update.service \
	 systemd-update-done.service man-db.service \
	 emergency.service rescue.service; do
	ln -sf /dev/null "$u/$x"
done

cd /mnt/root || fail "cd /mnt/root"
for d in proc sys dev src out; do
	mkdir -p "$d"
	mount --move "/$d" "$d" || fail "move /$d"
done
mount --move . / || fail "move the root"
exec chroot . /lib/systemd/systemd --unit=cdna-lab.target \
	--log-target=console --log-level=notice
