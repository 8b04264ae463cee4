#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Harness self-test payload: writes the first line of a kernel report of
# the kind named by its argument (KASAN, lockdep, kmemleak, UBSAN, DMA-API,
# KFENCE, hung task) into the kernel log, then exits 0; the runner must
# still fail the run.  The lines are those the debug kernel prints.
kind=$1
case $kind in
kasan)	line='BUG: KASAN: slab-use-after-free in planted_func+0x10/0x20' ;;
lockdep) line='WARNING: possible circular locking dependency detected' ;;
kmemleak) line='kmemleak: 1 new suspected memory leaks (see /sys/kernel/debug/kmemleak)' ;;
# kmemleak switching itself off: the leak check after the job is void.
leakoff) line='kmemleak: Kernel memory leak detector disabled' ;;
ubsan)	line='UBSAN: array-index-out-of-bounds in planted.c:1:2' ;;
dma)	line='DMA-API: cdna_pf 0000:01:00.0: device driver frees DMA memory with wrong function' ;;
kfence)	line='BUG: KFENCE: out-of-bounds read in planted_func+0x10/0x20' ;;
hung)	line='INFO: task planted:1 blocked for more than 120 seconds.' ;;
# What the job-end kmemleak scan of the debug kernel leaves in /out
# (lab/vm/stage2.sh writes it only on a kernel with kmemleak).
leakscan) printf '%s\n' 'unreferenced object 0xffff888012345600 (size 64):' \
		'  comm "insmod", pid 1, jiffies 4294667296' > /out/kmemleak.log
	exit 0 ;;
# The debug kernel's boot lines that name a checker: no report, a pass.
benign)	echo '<6>DMA-API: preallocated 65536 debug entries' > /dev/kmsg
	echo '<6>DMA-API: debugging enabled by kernel config' > /dev/kmsg
	echo '<6>kmemleak: Kernel memory leak detector initialized (mem pool available: 39000)' > /dev/kmsg
	echo '<6>kmemleak: 0 objects after the job' > /dev/kmsg
	exit 0 ;;
# A report whose first line no pattern knows: its Call Trace fails the run.
trace)	echo '<3>irq 11: nobody cared (try booting with the "irqpoll" option)' > /dev/kmsg
	line='Call Trace:' ;;
*)	echo "unknown plant '$kind'"; exit 3 ;;
esac
echo "<3>$line" > /dev/kmsg || exit 3
exit 0
