#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The demo, inside the lab VM.  The PF is driven by the in-tree igb and
# the contexts by igbvf until cdna_pf and cdna_vf drive them; the
# project's modules are loaded alongside to show they load.
source /src/tests/lib.sh

step() { printf '\n### %s\n' "$*"; }
NS=(ctx0 ctx1)
ADDR=(198.18.0.1 198.18.0.2)
NCTX=4

step "The NIC: an emulated Intel 82576 behind a PCIe root port, VT-d on"
PF=$(pf_dev)
[ -n "$PF" ] || { echo "no 82576 found"; exit 1; }
lspci -nn -s "$PF"
echo "IOMMU groups: $(ls /sys/kernel/iommu_groups | wc -l)"

step "The project's modules"
for m in cdna-pf/cdna_pf cdna-vf/cdna_vf vmm-guard/vmm_guard; do
	insmod "$KMOD/$m.ko" || exit 1
done
lsmod | grep -E '^(cdna|vmm)'

step "The PF's netdev"
modprobe igb
busy_wait 20 test -n "$(pci_netdev "$PF")" || { echo "no PF netdev"; exit 1; }
PFNET=$(pci_netdev "$PF")
ip link set "$PFNET" up
ethtool -i "$PFNET" | head -n 3

step "Split into $NCTX contexts (SR-IOV VFs), each with an administrative MAC"
set_numvfs "$PF" "$NCTX" || exit 1
for i in $(seq 0 $((NCTX - 1))); do
	ip link set "$PFNET" vf "$i" mac "52:54:00:cd:00:0$i"
done
ip link show "$PFNET"

step "Contexts 0 and 1 in their own network namespaces"
modprobe igbvf
for i in 0 1; do
	vf=$(vf_dev "$PF" "$i")
	busy_wait 30 test -n "$(pci_netdev "$vf")"
	dev=$(pci_netdev "$vf")
	ip netns add "${NS[$i]}"
	ip link set "$dev" netns "${NS[$i]}"
	in_ns "${NS[$i]}" ip addr add "${ADDR[$i]}/24" dev "$dev"
	in_ns "${NS[$i]}" ip link set "$dev" up
	echo "context $i: $vf -> $dev in netns ${NS[$i]}, $(in_ns "${NS[$i]}" cat /sys/class/net/$dev/address)"
done
sleep 3
echo
in_ns ctx0 ping -c 5 -i 0.3 "${ADDR[1]}"

step "Per-context state and counters on the PF"
ip -s link show "$PFNET"
for i in 0 1; do
	dev=$(in_ns "${NS[$i]}" ls /sys/class/net | grep -v '^lo$' | head -n1)
	echo "--- context $i ($dev), ethtool -S:"
	in_ns "${NS[$i]}" ethtool -S "$dev" | head -n 12
done
exit 0
