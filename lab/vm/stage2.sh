#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# PID 1 of the lab VM on the trixie root: run the job the host wrote into
# /out/job (a test script, its arguments and time limit), store its output
# and exit status in /out, print a marker on the console, power off.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root LANG=C

mkdir -p /dev/pts /dev/shm /sys/kernel/debug
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /dev/shm
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
hostname cdna-lab
ip link set lo up

JOB_TIMEOUT=600
JOB_SCRIPT=
JOB_ARGS=()
JOB_BOOT=stage2
JOB_KMOD=/src/kmod
# shellcheck source=/dev/null
. /out/job
# Where tests/lib.sh loads the project's modules from (KMOD).
export LAB_KMOD=$JOB_KMOD
# A job that needs systemd and a disk that outlives a reboot.
[ "$JOB_BOOT" = systemd ] && exec bash /src/lab/vm/boot-systemd.sh

# A CPU that stops taking timer interrupts is reported and repaired.
bash /src/lab/vm/cpu-watch.sh < /dev/null > /dev/null 2>&1 &

echo "CDNA-LAB-START $JOB_SCRIPT" > /dev/console
start=$(date +%s)
cd /src
if [ -z "$JOB_SCRIPT" ]; then
	rc=125
	echo "no job" > /out/test.log
else
	timeout -k 5 "$JOB_TIMEOUT" bash "$JOB_SCRIPT" "${JOB_ARGS[@]}" \
		> /out/test.log 2>&1 < /dev/null
	rc=$?
	# A job that timed out: what is still blocked in the kernel after
	# the kill (SysRq-w, where the kernel has it), for the log.
	[ $rc -ge 124 ] && [ -w /proc/sysrq-trigger ] && echo w > /proc/sysrq-trigger
fi
# Any leftover child (a guest QEMU, iperf3) must not hold the run.
pkill -KILL -P $$ 2>/dev/null
# A kernel with kmemleak (the debug kernel): what the job left unreferenced.
# Two scans, as kmemleak reports an object only once it has stayed
# unreferenced across scans; its report lines go to the kernel log.
if [ -w /sys/kernel/debug/kmemleak ]; then
	# A scan kmemleak refuses (it switched itself off) is a failed check.
	{ echo scan > /sys/kernel/debug/kmemleak && sleep 6 &&
	  echo scan > /sys/kernel/debug/kmemleak; } 2> /dev/null ||
		echo "kmemleak: scan failed after the job" > /dev/kmsg
	cat /sys/kernel/debug/kmemleak > /out/kmemleak.log
	echo "kmemleak: $(grep -c '^unreferenced object' /out/kmemleak.log) objects after the job" > /dev/kmsg
fi
dmesg > /out/dmesg.log
echo "$(( $(date +%s) - start ))" > /out/seconds
echo "$rc" > /out/rc
sync
echo "CDNA-LAB-DONE rc=$rc" > /dev/console
# reboot(2) straight away: once devices shut down nothing more can be read
# from the 9p root, so nothing may run after it.
exec busybox poweroff -f
