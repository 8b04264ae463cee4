# SPDX-License-Identifier: GPL-2.0
#
# Guests inside the lab VM: sourced by guest-tier tests running in the lab
# VM.  A guest is the lab's small guest kernel (lab/guest-kernel/, built by
# lab/setup.sh) with a busybox initramfs holding one payload script, booted
# by the lab root's QEMU under TCG with contexts passed through VFIO.
# Nested TCG is slow, so a test boots as few guests as it can and runs all
# its checks in each.

GUEST_DIR=/boot/cdna-guest
GUEST_KERNEL=$GUEST_DIR/bzImage
# This project's modules built for the guest kernel (make modules-guest).
GUEST_KMOD=/src/build/guest/kmod

# guest_initrd OUT PAYLOAD [MODULE...]: build a guest initramfs.  MODULE
# is a module name of the guest kernel or a path to a .ko built for it;
# they are listed in load order in /modules.  The test tools go in /bin.
guest_initrd()
{
	local out=$1 payload=$2 dir m f a

	shift 2
	dir=$(mktemp -d)
	mkdir -p "$dir"/{bin,sbin,dev,proc,sys,lib/modules}
	cp /usr/bin/busybox "$dir/bin/busybox"
	for a in $(busybox --list); do
		[ "$a" = busybox ] || ln -s busybox "$dir/bin/$a"
	done
	cp "$TOOLS"/cdna-regs "$dir/bin/"
	for m in "$@"; do
		if [ -f "$m" ]; then
			cp "$m" "$dir/lib/modules/"
			basename "$m" .ko >> "$dir/modules"
			continue
		fi
		cp "$GUEST_DIR/modules/$m.ko" "$dir/lib/modules/" || return 1
		echo "$m" >> "$dir/modules"
	done
	for b in ${GUEST_BINS:-}; do
		guest_add_bin "$dir" "$b" || return 1
	done
	install -m 0755 /src/lab/vm/guest-init "$dir/init"
	install -m 0755 "$payload" "$dir/payload.sh"
	cp /src/tests/guest/payload/lib.sh "$dir/guest-lib.sh"
	(cd "$dir" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) > "$out"
	rm -rf "$dir"
}

# guest_add_bin DIR PROGRAM: copy a dynamically linked program of the lab
# root and the libraries it needs into a guest tree (GUEST_BINS="..." for
# guest_initrd).
guest_add_bin()
{
	local dir=$1 bin lib

	bin=$(command -v "$2") || return 1
	mkdir -p "$dir/usr/bin"
	cp "$bin" "$dir/usr/bin/"
	# glibc dlopen()s libgcc_s for pthread_cancel (iperf3 uses it).
	for lib in $(ldd "$bin" | grep -o '/[^ ]*') \
		   /lib/x86_64-linux-gnu/libgcc_s.so.1; do
		mkdir -p "$dir$(dirname "$lib")"
		cp -L "$lib" "$dir$lib"
	done
}

# vfio_bind DEV: hand a PCI function to vfio-pci (the stock driver).
vfio_bind()
{
	modprobe vfio-pci || return 1
	bind_driver "$1" vfio-pci
}

# guest_boot NAME INITRD TIMEOUT ARGS HOSTDEV...: boot a guest with the
# given functions passed through VFIO (a PCI address, or the sysfs path of
# a mediated device), wait for it to finish, leave its
# console in /out/guest-NAME.log.  ARGS (comma separated) reach the
# payload.  Returns the payload's exit status, 124 on timeout, 125 when the
# guest gave no verdict.
guest_boot()
{
	local name=$1 initrd=$2 limit=$3 args=$4 log=/out/guest-$1.log
	local devs=() h start rc

	shift 4
	for h in "$@"; do
		case $h in
		/sys/*) devs+=(-device "vfio-pci,sysfsdev=$h") ;;	# an mdev
		*) devs+=(-device "vfio-pci,host=$h") ;;
		esac
	done
	start=$(date +%s)
	echo "guest $name: booting (limit ${limit}s)"
	timeout -k 5 "$limit" qemu-system-x86_64 \
		-M pc -accel tcg -cpu max -smp 1 -m 256 -nodefaults \
		-display none -no-reboot -bios /usr/share/qemu/qboot.rom \
		-kernel "$GUEST_KERNEL" -initrd "$initrd" \
		-append "console=ttyS0,115200 loglevel=6 panic=-1 iomem=relaxed tsc=reliable no_timer_check nokaslr cdna.args=$args" \
		-serial file:"$log" "${devs[@]}" > "/out/guest-$name.qemu.log" 2>&1
	rc=$?
	GUEST_SECONDS=$(( $(date +%s) - start ))
	echo "guest $name: QEMU exited $rc after ${GUEST_SECONDS}s"
	[ $rc -eq 124 ] && return 124
	rc=$(sed -n 's/.*CDNA-GUEST-DONE rc=\([0-9]*\).*/\1/p' "$log" | tail -n1)
	[ -n "$rc" ] || return 125
	return "$rc"
}

# guest_log_reports NAME: kernel reports in the guest's console.
guest_log_reports()
{
	grep -E 'Kernel panic|Oops|WARNING:|BUG:|Call Trace:|DMAR:.*[Ff]ault' \
		"/out/guest-$1.log"
}
