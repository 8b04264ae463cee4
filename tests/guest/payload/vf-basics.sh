#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Guest payload: an 82576 VF passed through VFIO answers from inside the
# guest as the host PF set it up.  Arguments: status=0x... (the PF's STATUS
# as the host read it), mbx=0x... (a word the host wrote into this VF's
# mailbox memory), mac=... (the MAC the host gave the VF).
ARGS="$*"
. /guest-lib.sh

VF=$(pci_find 8086 10ca)
check "VF 8086:10ca visible in the guest" test -n "$VF"
[ -n "$VF" ] || exit 1
echo 1 > "/sys/bus/pci/devices/$VF/enable"

st=$(cdna-regs "$VF" 0 0x8)
echo "VF STATUS $st, host PF STATUS $(arg status)"
check "VF STATUS reads as the host PF's" test "$st" = "$(arg status)"

mbx=$(cdna-regs "$VF" 0 0x800)
echo "VF mailbox word 0: $mbx, host wrote $(arg mbx)"
check "VF mailbox memory holds what the host PF wrote" test "$mbx" = "$(arg mbx)"
echo 0 > "/sys/bus/pci/devices/$VF/enable"

# The stock igbvf: the reset handshake over the mailbox gives it the MAC
# the host set.  Its millisecond timeouts sometimes lose to TCG stalls
# ("PF still in reset state", random MAC): reload a bounded number of times.
want=$(arg mac)
got=
for try in 1 2 3; do
	for m in $(cat /modules); do
		insmod "/lib/modules/$m.ko"
	done
	if wait_for 60 test -e /sys/bus/pci/devices/"$VF"/net; then
		dev=$(ls /sys/bus/pci/devices/"$VF"/net)
		got=$(cat /sys/class/net/"$dev"/address)
		[ "$got" = "$want" ] && break
	fi
	echo "igbvf try $try: MAC '$got', want $want; reloading"
	rmmod igbvf
done
echo "igbvf tries: $try"
check "igbvf took the host-set MAC over the mailbox ($got)" test "$got" = "$want"

if [ -n "$dev" ]; then
	ip link set "$dev" up
	sleep 2
	before=$(irq_count "$dev")
	# VTEICS: raise all three of the VF's interrupt causes.
	cdna-regs "$VF" 0 0x1520=0x7 > /dev/null
	sleep 2
	after=$(irq_count "$dev")
	grep -E "$dev" /proc/interrupts
	echo "MSI-X interrupts on $dev: $before -> $after"
	check "MSI-X interrupts arrive through VFIO" test "$after" -gt "$before"
fi
exit $GUEST_FAILED
