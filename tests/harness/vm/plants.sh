#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Harness self-test payload: writes the first line of a kernel report of
# the kind named by its argument (KASAN, lockdep, kmemleak, UBSAN, DMA-API,
# KFENCE, hung task) into the kernel log, then exits 0; the runner must
# still fail the run.  The lines are those the debug kernel prints.
# With "print" as its second argument it prints them instead, as the
# kernel log would show them (the runner's verdict is then checked on a
# made-up run, no VM booted; tests/harness/vm-reports.sh).
kind=$1
mode=${2:-kmsg}

# lines: the kind's lines, each with its log level.
lines()
{
	case $kind in
	kasan)	echo '<3>BUG: KASAN: slab-use-after-free in planted_func+0x10/0x20' ;;
	lockdep) echo '<4>WARNING: possible circular locking dependency detected' ;;
	kmemleak) echo '<3>kmemleak: 1 new suspected memory leaks (see /sys/kernel/debug/kmemleak)' ;;
	# kmemleak switching itself off: the leak check after the job is void.
	leakoff) echo '<3>kmemleak: Kernel memory leak detector disabled' ;;
	ubsan)	echo '<3>UBSAN: array-index-out-of-bounds in planted.c:1:2' ;;
	dma)	echo '<4>DMA-API: cdna_pf 0000:01:00.0: device driver frees DMA memory with wrong function' ;;
	kfence)	echo '<3>BUG: KFENCE: out-of-bounds read in planted_func+0x10/0x20' ;;
	hung)	echo '<3>INFO: task planted:1 blocked for more than 120 seconds.' ;;
	# The debug kernel's boot lines that name a checker: no report, a pass.
	benign)	echo '<6>DMA-API: preallocated 65536 debug entries'
		echo '<6>DMA-API: debugging enabled by kernel config'
		echo '<6>kmemleak: Kernel memory leak detector initialized (mem pool available: 39000)'
		echo '<6>kmemleak: 0 objects after the job' ;;
	# A report whose first line no pattern knows: its Call Trace fails
	# the run.
	trace)	echo '<3>irq 11: nobody cared (try booting with the "irqpoll" option)'
		echo '<4>Call Trace:' ;;
	*)	return 1 ;;
	esac
}

# What the job-end kmemleak scan of the debug kernel leaves in /out
# (lab/vm/stage2.sh writes it only on a kernel with kmemleak).
if [ "$kind" = leakscan ]; then
	f=/out/kmemleak.log
	[ "$mode" = print ] && f=/dev/stdout
	printf '%s\n' 'unreferenced object 0xffff888012345600 (size 64):' \
		'  comm "insmod", pid 1, jiffies 4294667296' > "$f"
	exit 0
fi
lines > /dev/null || { echo "unknown plant '$kind'"; exit 3; }
if [ "$mode" = print ]; then
	lines | sed 's/^<[0-9]>/[    1.000000] /'
	exit 0
fi
lines | while IFS= read -r line; do
	echo "$line" > /dev/kmsg || exit 3
done || exit 3
exit 0
