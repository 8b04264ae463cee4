#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot the lab VM (an emulated host with an 82576 behind a PCIe root port,
# VT-d, 2 vCPUs, QEMU TCG), run one script inside it, and turn what the VM
# did into a verdict.
#
# Usage: lab/run-vm.sh [-t SECONDS] [-m MIB] [-a ARGS] [-o DIR] [-q] SCRIPT [ARGS...]
#   SCRIPT   path relative to the project root, run with bash inside the VM
#   -t       time the script may take inside the VM (default 300); the VM
#            as a whole gets that plus LAB_BOOT_SLACK (default 180) before
#            it is killed as hung (LAB_VM_LIMIT overrides the total)
#   -m       VM memory in MiB (default 2048)
#   -a       more kernel command line (after the lab's; later wins)
#   -o       output directory (default build/lab/NAME); it receives
#            console.log, test.log, dmesg.log, wire.pcap, rc
#   -q       print nothing but the verdict line
#   -J       no boot: judge what a run left in the -o directory (the
#            runner's own tests plant kernel reports there)
#
# SCRIPT may ask for a different lab in header lines:
#   # lab-cmdline: ARGS     more kernel command line (as -a)
#   # lab-topology: no-acs  the root port above the NIC has no ACS, so the
#                           PF and its VFs share one IOMMU group
#   # lab-iommu: off        a host with no IOMMU at all: no VT-d device,
#                           intel_iommu=off (the guard's software mode)
#   # lab-debug-cmdline: ARGS   more kernel command line on the debug
#                           kernel only (LAB_KERNEL=debug)
#   # lab-boot: systemd     boot systemd (udev, units) on an overlay of the
#                           root kept on a disk image (disk.img in the
#                           output directory), and run SCRIPT as a unit;
#                           SCRIPT exiting 100 reboots the VM (a real
#                           reboot over the same disk), at most
#                           LAB_MAX_BOOTS (3) boots (lab/vm/boot-systemd.sh)
# LAB_QEMU_DEBUG=ITEMS adds QEMU's -d ITEMS, logged to qemu-debug.log.
# LAB_KERNEL=debug boots the debug kernel (lab/debug-kernel/: KASAN,
# lockdep, kmemleak, KUnit...) instead of Debian's, and the job loads the
# project's modules built for it (make modules-debug: build/debug/kmod);
# a kmemleak scan after the job fails the run on any suspected leak.
#
# Exit status: 0 pass, 4 skip (the script exited 4), 1 fail.  A run fails
# when the script fails, when the VM gives no verdict (panic, hang: killed
# at the limit), or when the kernel log shows a panic, oops, WARNING, BUG,
# lockdep, KASAN/UBSAN/KFENCE/kmemleak/DMA-API debug report, soft/hard
# lockup, hung task or DMA remapping fault.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
. "$here/lab.conf"

timeout_s=300
mem=2048
outdir=
quiet=
extra=
judge_only=
while getopts "t:m:a:o:qJ" opt; do
	case $opt in
	t) timeout_s=$OPTARG ;;
	m) mem=$OPTARG ;;
	a) extra=$OPTARG ;;
	o) outdir=$OPTARG ;;
	q) quiet=1 ;;
	J) judge_only=1 ;;
	*) sed -n '5,21p' "$0" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -ge 1 ] || { sed -n '5,21p' "$0" >&2; exit 2; }
script=$1
shift
[ -f "$top/$script" ] || { echo "run-vm: no such script: $script" >&2; exit 2; }
extra="$extra $(sed -n 's/^# lab-cmdline: //p' "$top/$script" | head -n1)"
rp_opts=
grep -q '^# lab-topology: no-acs' "$top/$script" && rp_opts=",disable-acs=on"
iommu_dev="-device intel-iommu,intremap=on,caching-mode=on"
iommu_cmdline="intel_iommu=on iommu.strict=1"
if grep -q '^# lab-iommu: off' "$top/$script"; then
	iommu_dev=
	iommu_cmdline="intel_iommu=off"
fi

say() { [ -n "$quiet" ] || echo "lab: $*"; }

# judge: the run's verdict from what is in $outdir (console.log,
# dmesg.log, kmemleak.log, rc, stall.txt, hang.txt) and QEMU's exit $qrc;
# exits with it.
judge()
{
	verdict=pass
	why=
	if [ -s "$outdir/stall.txt" ]; then
		verdict=fail
		why="VM stalled (RCU stall report), stopped after ${secs}s"
	elif [ $qrc -eq 124 ] || [ $qrc -eq 137 ]; then
		verdict=fail
		why="VM hung: killed after ${limit}s"
	elif [ ! -s "$outdir/rc" ]; then
		verdict=fail
		why="no verdict from the VM (QEMU exit $qrc)"
		grep -q CDNA-LAB-INIT-FAILED "$outdir/console.log" 2>/dev/null &&
			why="$why: $(grep -m1 CDNA-LAB-INIT-FAILED "$outdir/console.log")"
	else
		rc=$(cat "$outdir/rc")
		case $rc in
		0) ;;
		4) verdict=skip; why=$(grep -m1 -i 'skip' "$outdir/test.log") ;;
		124) verdict=fail; why="script timed out after ${timeout_s}s" ;;
		*) verdict=fail; why="script exited $rc" ;;
		esac
	fi

	# The kernel's own reports fail a run whatever the script said.
	bad='Kernel panic|Oops|WARNING:|BUG:|general protection fault|'
	bad+='possible recursive locking|possible circular locking|'
	bad+='inconsistent lock state|KASAN:|UBSAN:|kmemleak: [0-9]+ new suspected|'
	bad+='unreferenced object 0x|kmemleak: scan failed|'
	bad+='kmemleak: .*(detector disabled|Cannot allocate|Memory pool empty)|'
	bad+='soft lockup|hard LOCKUP|hung_task|blocked for more than|'
	bad+='DMAR: \[DMA (Read|Write)|DMAR: DRHD: handling fault|'
	bad+='DMAR:.*[Ff]ault|call trace:|Call Trace:|KFENCE:|DMA-API:'
	# The debug kernel's own boot lines that name a checker are not reports.
	benign='DMA-API: (preallocated [0-9]+ debug entries|debugging enabled by kernel config)'
	if grep -Eh "$bad" "$outdir/console.log" "$outdir/dmesg.log" \
		"$outdir/kmemleak.log" 2>/dev/null | grep -Ev "$benign" |
		sort -u > "$outdir/kernel-reports"; [ -s "$outdir/kernel-reports" ]; then
		verdict=fail
		why="${why:+$why; }kernel report: $(head -n1 "$outdir/kernel-reports")"
	fi

	# The lab's own watchdog (lab/vm/cpu-watch.sh) repaired a CPU that had
	# stopped taking timer interrupts: a fault of the emulator, shown with the
	# verdict whatever it is.
	grep -ah 'lab-watchdog: ' "$outdir/console.log" "$outdir/dmesg.log" 2>/dev/null |
		tr -d '\r' | sed 's/.*lab-watchdog: /lab: note: /' | awk '!seen[$0]++'
	case $verdict in
	pass) echo "lab: PASS $name (${secs}s)"; exit 0 ;;
	skip) echo "lab: SKIP $name (${secs}s): ${why:-skipped}"; exit 4 ;;
	esac
	echo "lab: FAIL $name (${secs}s): $why"
	# A report's first line is often one the patterns do not know ("irq N:
	# nobody cared", an RCU stall): show the console around the first match,
	# quiet or not, so a failure in CI can be read from its output.
	if [ -s "$outdir/kernel-reports" ]; then
		first=$(grep -n -m1 -E "$bad" "$outdir/console.log" 2>/dev/null | cut -d: -f1)
		if [ -n "$first" ]; then
			echo "--- console around the first kernel report (line $first)"
			sed -n "$(( first > 6 ? first - 6 : 1 )),$(( first + 20 ))p" "$outdir/console.log"
		fi
	fi
	if grep -q '^unreferenced object' "$outdir/kmemleak.log" 2>/dev/null; then
		echo "--- kmemleak after the job ($(grep -c '^unreferenced object' "$outdir/kmemleak.log") objects; the first)"
		head -n 30 "$outdir/kmemleak.log"
	fi
	if [ -s "$outdir/stall.txt" ]; then
		echo "--- QEMU's monitor at the stall (CPUs, local APICs)"
		grep -E '^###|CPU #|halted|LVT|Timer|ISR|IRR|TPR|ESR|^ *[0-9]+:' "$outdir/stall.txt" | head -n 40
	fi
	# A VM killed at its limit: where it stood, quiet or not, so a hang in CI
	# can be read from the run's output.
	if [ "$why" != "${why#VM hung}" ]; then
		echo "--- QEMU's monitor before the kill (CPUs, local APICs)"
		grep -E '^###|CPU #|halted|LVT|Timer|ISR|IRR' "$outdir/hang.txt" 2>/dev/null | head -n 30
		echo "--- test.log (last 20 lines)"
		tail -n 20 "$outdir/test.log" 2>/dev/null
		echo "--- console (last 20 lines)"
		tail -n 20 "$outdir/console.log" 2>/dev/null
	fi
	if [ -z "$quiet" ]; then
		echo "--- $outdir/test.log (last 40 lines)"
		tail -n 40 "$outdir/test.log" 2>/dev/null
		if [ -s "$outdir/kernel-reports" ]; then
			echo "--- kernel reports"
			head -n 20 "$outdir/kernel-reports"
		fi
		echo "--- console (last 15 lines)"
		tail -n 15 "$outdir/console.log" 2>/dev/null
	fi
	exit 1
}

if [ -n "$judge_only" ]; then
	[ -n "$outdir" ] && [ -d "$outdir" ] ||
		{ echo "run-vm: -J needs the directory of a run (-o DIR)" >&2; exit 2; }
	name=$(basename "$script" .sh)
	qrc=0 secs=0 limit=0
	judge
fi

kver=$(lab_kver) || { echo "run-vm: no 6.12 headers; run lab/setup.sh" >&2; exit 2; }
kernel="$LAB_CACHE/kernel/$kver/boot/vmlinuz-$kver"
root="$LAB_CACHE/trixie"
[ -f "$kernel" ] && [ -e "$root/.done" ] ||
	{ echo "run-vm: lab not installed; run lab/setup.sh" >&2; exit 2; }
initrd="$LAB_CACHE/initramfs-$kver.cpio"
job_kmod=/src/kmod
case ${LAB_KERNEL:-lab} in
lab) ;;
debug)
	kver=-
	kernel="$root/boot/cdna-debug/bzImage"
	initrd="$LAB_CACHE/initramfs-debug.cpio"
	job_kmod=/src/build/debug/kmod
	extra="$extra $(sed -n 's/^# lab-debug-cmdline: //p' "$top/$script" | head -n1)"
	# 4-level paging: KASAN once reported a wild access at a 5-level
	# direct-map address in an interrupt during early CPU setup, under
	# TCG's -cpu max, before any of the project's code had loaded.
	extra="no5lvl $extra"
	[ -f "$kernel" ] ||
		{ echo "run-vm: no debug kernel; run lab/debug-kernel/build.sh" >&2; exit 2; }
	[ -f "$top/build/debug/kmod/cdna-pf/cdna_pf.ko" ] ||
		{ echo "run-vm: no modules for the debug kernel; run make modules-debug" >&2; exit 2; }
	! grep -q '^# lab-boot: systemd' "$top/$script" ||
		{ echo "run-vm: the debug kernel runs stage2 jobs only, not lab-boot: systemd" >&2; exit 2; }
	;;
*) echo "run-vm: LAB_KERNEL is lab or debug, not '$LAB_KERNEL'" >&2; exit 2 ;;
esac

# The initramfs is cheap; rebuild it whenever its inputs are newer (one
# VM at a time: tests/run.sh starts several at once).
{
	flock 8
	if [ ! -f "$initrd" ] || [ "$here/vm/init" -nt "$initrd" ] ||
	   [ "$here/mkinitramfs.sh" -nt "$initrd" ]; then
		"$here/mkinitramfs.sh" "$kver" "$initrd" || exit 1
	fi
} 8> "$LAB_CACHE/initramfs.lock"

name=$(basename "$script" .sh)
[ -n "$outdir" ] || outdir="$top/build/lab/$name"
rm -rf "$outdir"
mkdir -p "$outdir"
outdir=$(cd "$outdir" && pwd)
boot=stage2
reboot_opt=-no-reboot
disk_opt=
if grep -q '^# lab-boot: systemd' "$top/$script"; then
	command -v mkfs.ext4 > /dev/null || PATH=$PATH:/sbin:/usr/sbin
	truncate -s 2G "$outdir/disk.img" &&
		mkfs.ext4 -q -F -L cdna-lab "$outdir/disk.img" ||
		{ echo "run-vm: cannot make $outdir/disk.img (mkfs.ext4: e2fsprogs)" >&2; exit 2; }
	boot=systemd
	reboot_opt=
	disk_opt="-drive file=$outdir/disk.img,if=virtio,format=raw,cache=unsafe"
fi
{
	printf 'JOB_BOOT=%q\n' "$boot"
	printf 'JOB_MAX_BOOTS=%q\n' "${LAB_MAX_BOOTS:-3}"
	printf 'JOB_SCRIPT=%q\n' "$script"
	printf 'JOB_TIMEOUT=%q\n' "$timeout_s"
	printf 'JOB_KMOD=%q\n' "$job_kmod"
	printf 'JOB_ARGS=('
	for a in "$@"; do printf '%q ' "$a"; done
	printf ')\n'
} > "$outdir/job"

# Each boot of a systemd job boots the kernel and systemd again.
boots=1
[ "$boot" = systemd ] && boots=${LAB_MAX_BOOTS:-3}
limit=${LAB_VM_LIMIT:-$((timeout_s + boots * ${LAB_BOOT_SLACK:-180}))}
cmdline="console=ttyS0,115200 loglevel=6 panic=-1 $iommu_cmdline
	 iomem=relaxed tsc=reliable no_timer_check nokaslr
	 $extra"
p9="security_model=none,multidevs=remap"

say "booting $name (limit ${limit}s)"
start=$(date +%s)
rm -f "$outdir/stall.txt"
timeout -k 10 "$limit" "$here/qemu" \
	-M q35,kernel-irqchip=split -accel tcg,thread=multi -smp 2 -m "$mem" \
	-cpu max -nodefaults -display none $reboot_opt \
	$iommu_dev $disk_opt \
	-device pcie-root-port,id=rp1,slot=1,chassis=1$rp_opts \
	-netdev hubport,id=wire,hubid=0 \
	-device igb,netdev=wire,bus=rp1,mac=52:54:00:12:34:56 \
	-object filter-dump,id=dump0,netdev=wire,file="$outdir/wire.pcap" \
	-netdev hubport,id=peer,hubid=0 \
	-device virtio-net-pci,netdev=peer,mac=52:54:00:00:00:fe \
	-fsdev local,id=root,path="$root",readonly=on,$p9 \
	-device virtio-9p-pci,fsdev=root,mount_tag=root \
	-fsdev local,id=src,path="$top",readonly=on,$p9 \
	-device virtio-9p-pci,fsdev=src,mount_tag=src \
	-fsdev local,id=out,path="$outdir",$p9 \
	-device virtio-9p-pci,fsdev=out,mount_tag=out \
	-serial file:"$outdir/console.log" \
	-monitor unix:"$outdir/monitor.sock",server=on,wait=off \
	${LAB_QEMU_DEBUG:+-d "$LAB_QEMU_DEBUG" -D "$outdir/qemu-debug.log"} \
	-kernel "$kernel" -initrd "$initrd" -append "$(echo $cmdline)" \
	> "$outdir/qemu.log" 2>&1 &
qpid=$!
# An RCU stall report fails the run anyway (its Call Trace is a kernel
# report), and a VM whose CPU stopped taking timer interrupts never ends
# by itself: 30 s after the first report, keep what QEMU's monitor says
# of the CPUs and their local APICs, and stop the VM instead of waiting
# for the limit.
# A VM about to reach its limit: what the monitor says of its CPUs goes
# to hang.txt 15 s before the kill, for the failure's report.
stall_re='rcu: INFO: rcu_(preempt|sched) (self-)?detected stalls|rcu_(preempt|sched) kthread (timer wakeup didn.t happen|starved)'
rm -f "$outdir/hang.txt"
(
	waited=0
	while sleep 5; do
		grep -qE "$stall_re" "$outdir/console.log" 2> /dev/null && break
		waited=$(( waited + 5 ))
		if [ $waited -ge $(( limit - 15 )) ]; then
			"$here/monitor-cmd" "$outdir/monitor.sock" 'info cpus' \
				'info lapic 0' 'info lapic 1' > "$outdir/hang.txt" 2>&1
			exit 0
		fi
	done
	sleep 30
	"$here/monitor-cmd" "$outdir/monitor.sock" 'info cpus' \
		'info lapic 0' 'info lapic 1' 'info irq' > "$outdir/stall.txt" 2>&1
	echo "lab: RCU stall in $name: VM stopped" >> "$outdir/stall.txt"
	"$here/monitor-cmd" "$outdir/monitor.sock" quit > /dev/null 2>&1
	sleep 5
	pkill -P "$qpid" 2> /dev/null
) &
watcher=$!
wait "$qpid"
qrc=$?
kill "$watcher" 2> /dev/null
wait "$watcher" 2> /dev/null
secs=$(( $(date +%s) - start ))

judge
