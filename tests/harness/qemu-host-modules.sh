#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The lab's QEMU loads only the trixie root's modules, even on a machine
# that has its own QEMU installed.  QEMU looks a module up in
# QEMU_MODULE_DIR, then in its compiled-in directory
# (/usr/lib/x86_64-linux-gnu/qemu, which would be this machine's), then in
# /run/qemu/VERSION; a module of another build found there is refused
# ("Only modules from the same build can be loaded") after its constructors
# ran, and the next module load asserts in module_load_dso.
#
# The machine's own QEMU is faked without changing the machine: in a
# private mount namespace, /usr/lib/x86_64-linux-gnu gets an overlay whose
# qemu/ directory holds a "module of another build" under the name of every
# module the lab QEMU may look for.  It has a qemu_module_dummy symbol and
# no stamp, and its constructor registers an init function, as a real
# module of another build does.  HOST_QEMU_MODULES=DIR uses the modules in
# DIR instead (e.g. bookworm's, unpacked with apt-get download and
# dpkg-deb -x from qemu-system-common, -gui and qemu-block-extra).
source "$(dirname "$0")/lib.sh"

root=$(. "$top/lab/lab.conf" && echo "$LAB_CACHE/trixie")
libdir=/usr/lib/x86_64-linux-gnu
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root (a mount namespace)"; exit 4; }
grep -qw overlay /proc/filesystems ||
	{ echo "SKIP: no overlay filesystem in this kernel"; exit 4; }
[ -d "$root/$libdir/qemu" ] || { echo "SKIP: no lab root (lab/setup.sh)"; exit 4; }

cat > "$tmp/foreign.c" <<'EOF'
/* A QEMU module of another build: no stamp function, but the dummy symbol
 * QEMU looks for to say so, and a constructor that registers an init. */
void qemu_module_dummy(void) { }
extern void register_dso_module_init(void (*fn)(void), int type)
	__attribute__((weak));
static void foreign_init(void) { }
__attribute__((constructor)) static void foreign_ctor(void)
{
	if (register_dso_module_init)
		register_dso_module_init(foreign_init, 3);
}
EOF
gcc -shared -fPIC -o "$tmp/foreign.so" "$tmp/foreign.c" ||
	{ echo "FAIL: cannot build the foreign module"; exit 1; }

# Every module name of the root, and those of trixie packages the root
# does not hold (qemu-system-modules-opengl, the qtest accelerator): these
# are the ones looked up in the other directories.
mkdir -p "$tmp/up/qemu" "$tmp/work"
if [ -n "${HOST_QEMU_MODULES:-}" ]; then
	cp "$HOST_QEMU_MODULES"/*.so "$tmp/up/qemu/" ||
		{ echo "FAIL: no modules in $HOST_QEMU_MODULES"; exit 1; }
	echo "host modules: $(ls "$tmp/up/qemu" | wc -l) from $HOST_QEMU_MODULES"
else for m in "$root/$libdir/qemu/"*.so ui-opengl hw-display-virtio-gpu-gl \
	 hw-display-virtio-gpu-pci-gl hw-display-virtio-vga-gl ui-egl-headless \
	 ui-gtk ui-sdl ui-dbus accel-qtest-x86_64 block-curl block-iscsi \
	 block-nfs block-rbd block-ssh block-blkio audio-pa audio-spice; do
	m=$(basename "$m" .so)
	cp "$tmp/foreign.so" "$tmp/up/qemu/$m.so"
done
fi

# in_fake_host CMD...: CMD with this machine's QEMU module directory faked.
in_fake_host()
{
	unshare -m --propagation private bash -c '
		mount -t overlay overlay -o "lowerdir=$1,upperdir=$2/up,workdir=$2/work" "$1" ||
			exit 99
		shift 2
		exec "$@"' in_fake_host "$libdir" "$tmp" "$@"
}

# The fake must be in place where the root QEMU's compiled-in module
# directory points.
in_fake_host test -f "$libdir/qemu/ui-opengl.so" ||
	{ echo "FAIL: the fake host module directory is not in place"; exit 1; }

bad='failed to (open|initialize) module|same build|ssertion'
# check_run WHAT ARGS...: lab/qemu ARGS with the foreign module directory
# exits 0 and reports no module problem; its output is left in $tmp/out.
check_run()
{
	local what=$1 rc

	shift
	# (the subshell keeps bash's "Aborted" line out of the log)
	(in_fake_host timeout 60 "$top/lab/qemu" "$@" > "$tmp/out" 2>&1) 2> /dev/null
	rc=$?
	[ $rc -eq 0 ] || fail "lab/qemu $what exited $rc with a foreign module directory:
$(grep -v '^name "' "$tmp/out" | tail -n 8)"
	if grep -qiE "$bad" "$tmp/out"; then
		fail "lab/qemu $what reports a module problem:
$(grep -iE "$bad" "$tmp/out" | head -n 5)"
	fi
}

check_run "-device help" -device help
grep -q '"igb"' "$tmp/out" || fail "-device help lists no igb"
check_run "-display help" -display help
check_run "-accel help" -accel help
# A machine like the lab VM's starts and quits.
echo quit | check_run "(q35, intel-iommu, igb)" -M q35,kernel-irqchip=split \
	-accel tcg -display none -nodefaults -monitor stdio -S \
	-device intel-iommu,intremap=on -device igb
[ $status = 0 ] && echo "lab/qemu used none of the foreign modules"
exit $status
