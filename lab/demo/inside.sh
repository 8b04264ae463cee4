#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The demo, inside the lab VM: cdna_pf splits the 82576 into contexts
# (cdnactl), two contexts run cdna_vf in network namespaces, a guest that
# libvirt manages gets a third from its domain XML (the qemu hook binds it
# to vmm_guard) and a fourth hot-plugged with cdnactl attach, and the
# contexts' state and counters are shown the standard ways.
#
# Each step is a "### " line (lab/demo.sh streams this output and times the
# steps); shown() adds a line to /out/summary, printed at the end.
source /src/tests/lib.sh
source /src/lab/vm/guest.sh
source /src/lab/vm/libvirt.sh

step() { printf '\n### %s\n' "$*"; }
shown() { printf '%s\n' "$*" >> /out/summary; }
NS=(ctx0 ctx1)
ADDR=(198.18.0.2 198.18.0.3)
PF_IP=198.18.0.1
CDNACTL=$LV_CDNACTL
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
shown "the 82576 PF $PF is driven by cdna_pf ($PFNET, $(ethtool "$PFNET" | sed -n 's/^[[:space:]]*Speed: //p'))"

step "Split into $NCTX contexts with cdnactl, each with the MAC the host gives it"
"$CDNACTL" create "$PFNET" "$NCTX" || exit 1
for i in $(seq 0 $((NCTX - 1))); do
	"$CDNACTL" set "$PFNET/$i" mac "52:54:00:cd:00:0$i" || exit 1
done
"$CDNACTL" set "$PFNET/3" trust on
ip link show "$PFNET"
shown "cdnactl split it into $NCTX contexts (SR-IOV VFs, one VMDq pool each), MACs 52:54:00:cd:00:00..0$((NCTX - 1))"

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
in_ns ctx0 ping -c 3 -i 0.3 "${ADDR[1]}" | tee /tmp/ping.txt
in_ns ctx1 iperf3 -s -D
sleep 1
in_ns ctx0 iperf3 -c "${ADDR[1]}" -t 3 | tail -n 4 | tee /tmp/iperf.txt
shown "contexts 0 and 1 on cdna_vf in two namespaces: ping $(sed -n 's/.* = [^/]*\/\([^/]*\)\/.*/\1 ms average/p' /tmp/ping.txt), TCP $(awk '/receiver/ { print $(NF-2), $(NF-1) }' /tmp/iperf.txt) (TCG: only ratios mean anything)"

step "A guest managed by libvirt gets context 2 from its domain XML"
load_guard || exit 1
libvirt_start || { echo "libvirtd does not start"; exit 1; }
echo "libvirtd: $(virsh -q version | sed -n 's/^Using library: //p'), hooks: $(ls /etc/libvirt/hooks | xargs)"
GUEST_BINS=ethtool guest_initrd /tmp/demo.cpio /src/tests/guest/payload/agent.sh \
	"$GUEST_KMOD/cdna-vf/cdna_vf.ko" || exit 1
vf=$(vf_dev "$PF" 2)
# 52:54:00:cd:00:0c: the guest takes 198.18.0.12 and pings the PF.
domain_xml demo /tmp/demo.cpio count=5 "
    <interface type='hostdev' managed='no'>
      <mac address='52:54:00:cd:00:0c'/>
      <source>$(pci_address_xml "$vf")</source>
    </interface>" > /tmp/demo.xml
virsh -q define /tmp/demo.xml > /dev/null
start=$(date +%s)
virsh start demo
echo "the qemu hook bound $vf to $(basename "$(readlink "/sys/bus/pci/devices/$vf/driver")"), owner '$(cat "/sys/bus/pci/devices/$vf/guard/owner")'"
echo "booting the guest (nested TCG: a minute or two)..."
busy_wait 600 grep -qs "GUEST-NIC-UP .* 52:54:00:cd:00:0c" "$(guest_console demo)"
echo "after $(( $(date +%s) - start ))s the guest reports:"
grep -a GUEST-NIC "$(guest_console demo)" | cut -c1-110 | sed 's/^/  /'
shown "libvirt started guest 'demo' with context 2 from its domain XML: the qemu hook bound it to vmm_guard, the guest's cdna_vf had it up after $(( $(date +%s) - start ))s"

step "cdnactl attach: context 3 hot-plugged into the running guest, then detached"
"$CDNACTL" attach demo --mac 52:54:00:cd:00:0d
busy_wait 120 grep -qs "GUEST-NIC-UP .* 52:54:00:cd:00:0d" "$(guest_console demo)"
grep -a "GUEST-NIC-UP .* 52:54:00:cd:00:0d" "$(guest_console demo)" | cut -c1-110 | sed 's/^/  guest: /'
"$CDNACTL" list
"$CDNACTL" detach demo "$(vf_dev "$PF" 3)" --timeout 120
busy_wait 60 grep -qs "GUEST-NIC-GONE .* 52:54:00:cd:00:0d" "$(guest_console demo)"
grep -a "GUEST-NIC-GONE" "$(guest_console demo)" | sed 's/^/  guest: /'
grep -aq "GUEST-NIC-GONE .* 52:54:00:cd:00:0d" "$(guest_console demo)" &&
	shown "cdnactl attach hot-plugged context 3 into the running guest, detach took it back out"

step "Per-context state and counters"
"$CDNACTL" list
"$CDNACTL" stats -c 2 -w 1
ip -s link show "$PFNET"
echo "--- ethtool -S $PFNET (context blocks)"
ethtool -S "$PFNET" | grep -E 'ctx[0-3]_(rx|tx)_packets|ctx[0-3]_mbx'
shown "per-context state and counters: cdnactl list/stats, ip -s link (per VF), ethtool -S (ctxN_*), the guest's own ethtool -S"
echo "--- the guest's own ethtool -S (from its console)"
grep -a "GUEST-NIC-UP .* 52:54:00:cd:00:0c" "$(guest_console demo)" |
	sed 's/.*ethtool: //' | tr ' ' '\n' | grep -E '^hw_|^mbx_' | sed 's/^/  /'

step "virsh destroy: the guard scrubs context 2 and it is free again"
virsh destroy demo
busy_wait 30 grep -qx free "/sys/bus/pci/devices/$vf/guard/state"
L=/sys/bus/pci/devices/$vf/guard
echo "ledger: state $(cat $L/state), scrubs $(cat $L/scrubs), last scrub $(cat $L/last_scrub_us) us"
shown "virsh destroy: vmm_guard scrubbed context 2 in $(cat $L/last_scrub_us) us and the ledger shows it $(cat $L/state) again"
"$CDNACTL" list
cp "$(guest_console demo)" /out/ 2>/dev/null
libvirt_stop
exit 0
