#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The demo, inside the lab VM: cdna_pf splits the 82576 into contexts,
# two contexts run cdna_vf in network namespaces, a third goes through
# vmm_guard to a real guest (nested QEMU) that runs cdna_vf too, and the
# contexts' state and counters are shown the standard ways.
source /src/tests/lib.sh
source /src/lab/vm/guest.sh

step() { printf '\n### %s\n' "$*"; }
NS=(ctx0 ctx1)
ADDR=(198.18.0.2 198.18.0.3)
PF_IP=198.18.0.1
GUEST_IP=198.18.0.10
NCTX=4

step "The NIC: an emulated Intel 82576 behind a PCIe root port, VT-d on"
PF=$(pf_dev)
[ -n "$PF" ] || { echo "no 82576 found"; exit 1; }
lspci -nn -s "$PF"
echo "IOMMU groups: $(ls /sys/kernel/iommu_groups | wc -l)"

step "cdna_pf drives the PF"
insmod "$KMOD/cdna-pf/cdna_pf.ko" || exit 1
busy_wait 20 has_netdev "$PF" || { echo "no PF netdev"; exit 1; }
PFNET=$(pci_netdev "$PF")
ip addr add "$PF_IP/24" dev "$PFNET"
ip link set "$PFNET" up
ethtool -i "$PFNET" | head -n 3
busy_wait 20 grep -q 1 "/sys/class/net/$PFNET/carrier"
echo "link: $(ethtool "$PFNET" | grep -E 'Speed|Link detected' | xargs)"

step "Split into $NCTX contexts, each with the MAC the host gives it"
echo 0 > "/sys/bus/pci/devices/$PF/sriov_drivers_autoprobe"
set_numvfs "$PF" "$NCTX" || exit 1
for i in $(seq 0 $((NCTX - 1))); do
	ip link set "$PFNET" vf "$i" mac "52:54:00:cd:00:0$i"
done
ip link set "$PFNET" vf 3 trust on
ip link show "$PFNET"

step "Contexts 0 and 1: cdna_vf in two network namespaces"
insmod "$KMOD/cdna-vf/cdna_vf.ko" || exit 1
for i in 0 1; do
	vf=$(vf_dev "$PF" "$i")
	echo cdna_vf > "/sys/bus/pci/devices/$vf/driver_override"
	echo "$vf" > /sys/bus/pci/drivers_probe
	busy_wait 30 has_netdev "$vf"
	dev=$(pci_netdev "$vf")
	ip netns add "${NS[$i]}"
	ip link set "$dev" netns "${NS[$i]}"
	in_ns "${NS[$i]}" ip link set lo up
	in_ns "${NS[$i]}" ip addr add "${ADDR[$i]}/24" dev "$dev"
	in_ns "${NS[$i]}" ip link set "$dev" up
	echo "context $i: $vf -> $dev in netns ${NS[$i]}, $(in_ns "${NS[$i]}" cat /sys/class/net/$dev/address)"
done
busy_wait 30 in_ns ctx0 ping -c 1 -W 1 "${ADDR[1]}" > /dev/null
in_ns ctx0 ping -c 3 -i 0.3 "${ADDR[1]}"
in_ns ctx1 iperf3 -s -D
sleep 1
in_ns ctx0 iperf3 -c "${ADDR[1]}" -t 3 | tail -n 4

step "Context 2: through vmm_guard (VFIO, IOMMU mode) to a guest running cdna_vf"
load_guard || exit 1
vf=$(vf_dev "$PF" 2)
echo vmm_guard > "/sys/bus/pci/devices/$vf/driver_override"
echo "$vf" > /sys/bus/pci/drivers_probe
L=/sys/bus/pci/devices/$vf/guard
echo "ledger before: state $(cat $L/state), mode $(cat $L/mode), isolation $(cat $L/isolation)"
if [ -f "$GUEST_KMOD/cdna-vf/cdna_vf.ko" ]; then
	guest_initrd /tmp/demo.cpio /src/tests/guest/payload/context.sh \
		"$GUEST_KMOD/cdna-vf/cdna_vf.ko"
	echo "booting the guest (nested TCG: a minute or two)..."
	guest_boot demo /tmp/demo.cpio 600 \
		"driver=cdna_vf,mac=52:54:00:cd:00:02,ip=$GUEST_IP,peer=${ADDR[0]},pf=$PF_IP" "$vf"
	echo "guest finished (exit $?) after ${GUEST_SECONDS}s; what it saw:"
	grep -E 'GUEST-TEST|loads:' /out/guest-demo.log | sed 's/^/  /'
	echo "ledger after: state $(cat $L/state), scrubs $(cat $L/scrubs), last scrub $(cat $L/last_scrub_us) us"
else
	echo "(no cdna_vf built for the guest kernel: make modules-guest)"
fi

step "Per-context state and counters"
ip -s link show "$PFNET"
echo "--- ethtool -S $PFNET (context blocks)"
ethtool -S "$PFNET" | grep -E 'ctx[0-3]_(rx|tx)_packets|ctx[0-3]_mbx'
echo "--- /sys/bus/pci/devices/$PF/cdna/ctx2"
grep -H . /sys/bus/pci/devices/$PF/cdna/ctx2/* | sed 's|.*/ctx2/||'
for i in 0 1; do
	dev=$(in_ns "${NS[$i]}" ls /sys/class/net | grep -v '^lo$' | head -n1)
	echo "--- context $i ($dev, in its namespace), ethtool -S:"
	in_ns "${NS[$i]}" ethtool -S "$dev" | head -n 8
done
exit 0
