#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The job of a lab VM booted with systemd (lab/vm/boot-systemd.sh), run by
# cdna-lab-job.service once the system is up: the script runs with
# LAB_BOOT set to the boot's number (1, 2, ...), its output appended to
# /out/test.log, JOB_TIMEOUT for all boots together.  Exit 100 asks for a
# reboot (systemctl reboot: a real
# one, units stopped, the disk kept); any other status is the verdict,
# stored in /out as stage2.sh does, then the VM powers off.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root LANG=C

JOB_TIMEOUT=600
JOB_SCRIPT=
JOB_ARGS=()
# shellcheck source=/dev/null
. /out/job
LAB_BOOT=$(cat /var/lib/cdna-lab/boot)
export LAB_BOOT
# JOB_TIMEOUT is for all boots together: what is left of it.
[ -s /var/lib/cdna-lab/start ] || date +%s > /var/lib/cdna-lab/start
left=$(( JOB_TIMEOUT - $(date +%s) + $(cat /var/lib/cdna-lab/start) ))
[ "$left" -gt 10 ] || left=10
mkdir -p /sys/kernel/debug
mountpoint -q /sys/kernel/debug || mount -t debugfs debugfs /sys/kernel/debug
hostname cdna-lab
# A CPU that stops taking timer interrupts is reported and repaired.
bash /src/lab/vm/cpu-watch.sh < /dev/null > /dev/null 2>&1 &
start=$(date +%s)
echo "CDNA-LAB-START $JOB_SCRIPT boot $LAB_BOOT" > /dev/console
echo "=== boot $LAB_BOOT" >> /out/test.log
cd /src || exit 1
timeout -k 5 "$left" bash "$JOB_SCRIPT" "${JOB_ARGS[@]}" \
	>> /out/test.log 2>&1 < /dev/null
rc=$?
dmesg > "/out/dmesg-boot$LAB_BOOT.log"
if [ "$rc" -eq 100 ]; then
	echo "CDNA-LAB-REBOOT after boot $LAB_BOOT" > /dev/console
	# The next boot checks that this reboot was asked for.
	echo "$LAB_BOOT" > /var/lib/cdna-lab/reboot-asked
	sync
	systemctl --no-block reboot
	exit 0
fi
cp "/out/dmesg-boot$LAB_BOOT.log" /out/dmesg.log
echo "$(( $(date +%s) - start ))" > /out/seconds
echo "$rc" > /out/rc
sync
echo "CDNA-LAB-DONE rc=$rc" > /dev/console
systemctl --force --force poweroff
