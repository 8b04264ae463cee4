#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Harness self-test payload: CPU 1's heartbeat stops (as when the CPU's
# timer event is lost), lab/vm/cpu-watch.sh must report and repair it
# within a minute (its limit is 10 s here), and CPU 1 must be back with
# its loop pinned to it.
dir=/run/lab-cpu-watch
for i in $(seq 50); do [ -s $dir/pid.1 ] && break; sleep 0.2; done
read -r pid < $dir/pid.1 || { echo "no heartbeat loop for CPU 1"; exit 1; }
kill -STOP "$pid"
for i in $(seq 300); do
	dmesg | grep -q 'lab-watchdog: CPU 1 taken offline and online again' && break
	sleep 0.2
done
kill -CONT "$pid"
dmesg | grep 'lab-watchdog:'
[ "$(cat /sys/devices/system/cpu/cpu1/online)" = 1 ] || { echo "CPU 1 offline"; exit 1; }
taskset -pc "$pid" | grep -q 'list: 1$' || { echo "loop not pinned: $(taskset -pc "$pid")"; exit 1; }
dmesg | grep -q 'lab-watchdog: CPU 1 taken offline and online again' || exit 1
echo "repaired"
