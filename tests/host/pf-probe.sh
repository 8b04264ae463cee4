#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# cdna_pf takes the 82576 PF: netdev with the NVM MAC, link up, ping to the
# virtio-net peer on the same wire (in its own namespace), ethtool basics,
# the NVM version as the in-tree igb shows it (ethtool -i, devlink dev
# info), clean rmmod/insmod.
source /src/tests/lib.sh

TESTS="igb_fw_version pf_binds pf_mac_from_nvm pf_link_up pf_ping_peer
       pf_ethtool pf_devlink pf_mtu pf_reload"
PF=$(pf_dev)
NVM_MAC=52:54:00:12:34:56
PF_IP=198.18.0.1
PEER_IP=198.18.0.2
DEV=
IGB_FW=

trap pf_cleanup EXIT
need pf cdna_pf

# What the in-tree igb says of the NVM, to compare cdna_pf with.
igb_fw_version()
{
	local dev

	modprobe igb
	busy_wait 10 has_netdev "$PF"
	dev=$(pci_netdev "$PF")
	IGB_FW=$(ethtool -i "$dev" 2>/dev/null | sed -n 's/^firmware-version: //p')
	rmmod igb
	[ -n "$IGB_FW" ]
	check_err $? "igb shows no firmware-version for $PF"
	echo "igb: firmware-version $IGB_FW"
	log_test "the in-tree igb's firmware-version read"
}

pf_binds()
{
	insmod "$PF_KO"
	check_err $? "insmod cdna_pf failed"
	busy_wait 10 has_netdev "$PF"
	check_err $? "no netdev for $PF"
	DEV=$(pci_netdev "$PF")
	[ "$(basename "$(readlink -f /sys/bus/pci/devices/$PF/driver)")" = cdna_pf ]
	check_err $? "$PF is not bound to cdna_pf"
	log_test "cdna_pf binds $PF (netdev ${DEV:-none})"
}

pf_mac_from_nvm()
{
	local mac

	[ -n "$DEV" ] || { log_skip "NVM MAC" "no netdev"; return; }
	mac=$(cat "/sys/class/net/$DEV/address")
	[ "$mac" = "$NVM_MAC" ]
	check_err $? "netdev MAC $mac, NVM has $NVM_MAC"
	log_test "netdev MAC is the NVM's ($NVM_MAC)"
}

pf_link_up()
{
	[ -n "$DEV" ] || { log_skip "link up" "no netdev"; return; }
	ip link set "$DEV" up
	check_err $? "ip link set up failed"
	busy_wait 15 grep -qx 1 "/sys/class/net/$DEV/carrier"
	check_err $? "no carrier after 15 s"
	log_test "link comes up (carrier)"
}

pf_ping_peer()
{
	[ -n "$DEV" ] || { log_skip "ping peer" "no netdev"; return; }
	peer_ns "$PEER_IP"
	check_err $? "no virtio-net peer with $PEER_MAC"
	ip addr add "$PF_IP/24" dev "$DEV"
	ping -c 3 -W 2 "$PEER_IP" > /out/ping-peer.log 2>&1 ||
		ping -c 3 -W 2 "$PEER_IP" >> /out/ping-peer.log 2>&1
	check_err $? "PF cannot ping the peer $PEER_IP"
	in_ns peer ping -c 2 -W 2 "$PF_IP" >> /out/ping-peer.log 2>&1
	check_err $? "the peer cannot ping the PF $PF_IP"
	log_test "ping between the PF and the virtio peer"
}

pf_ethtool()
{
	local out

	[ -n "$DEV" ] || { log_skip "ethtool" "no netdev"; return; }
	ethtool -i "$DEV" | grep -q "driver: cdna_pf"
	check_err $? "ethtool -i does not say cdna_pf"
	ethtool "$DEV" | grep -q "Speed: 1000Mb/s"
	check_err $? "ethtool does not show 1000Mb/s"
	ethtool -G "$DEV" rx 512 tx 128
	check_err $? "ethtool -G failed"
	out=$(ethtool -g "$DEV" | sed -n '/Current/,$p')
	echo "$out" | grep -q "RX:[[:space:]]*512" && echo "$out" | grep -q "TX:[[:space:]]*128"
	check_err $? "ring sizes not changed: $out"
	ethtool -S "$DEV" | grep -q "rx_packets"
	check_err $? "ethtool -S has no rx_packets"
	ethtool -d "$DEV" > /dev/null
	check_err $? "ethtool -d failed"
	ethtool -l "$DEV" > /dev/null && ethtool -k "$DEV" > /dev/null
	check_err $? "ethtool -l/-k failed"
	ping -c 2 -W 2 "$PEER_IP" > /dev/null
	check_err $? "no ping after ring resize"
	log_test "ethtool -i/-g/-G/-S/-d/-l/-k"
}

pf_devlink()
{
	local fw info

	[ -n "$DEV" ] || { log_skip "devlink" "no netdev"; return; }
	fw=$(ethtool -i "$DEV" | sed -n 's/^firmware-version: //p')
	echo "cdna_pf: firmware-version $fw"
	[ -n "$fw" ] && [ "$fw" = "$IGB_FW" ]
	check_err $? "ethtool -i firmware-version '$fw', igb says '$IGB_FW'"
	info=$(devlink dev info "pci/$PF" 2>&1)
	echo "$info" | sed 's/^/    /'
	echo "$info" | grep -q "driver cdna_pf"
	check_err $? "devlink dev info names no driver cdna_pf"
	# "fw" is the version before igb's ", 0x<eTrack>"
	echo "$info" | grep -qE "^ +fw ${IGB_FW%%,*}$"
	check_err $? "devlink dev info has no running fw ${IGB_FW%%,*}"
	if [[ $IGB_FW == *", 0x"* ]]; then
		echo "$info" | grep -qE "^ +fw.bundle_id ${IGB_FW##*, }$"
		check_err $? "devlink dev info has no fw.bundle_id ${IGB_FW##*, }"
	fi
	devlink health show "pci/$PF" reporter mbx > /tmp/health.txt 2>&1
	check_err $? "no devlink health reporter mbx: $(cat /tmp/health.txt)"
	grep -q "state healthy error 0" /tmp/health.txt
	check_err $? "reporter mbx not healthy at start: $(cat /tmp/health.txt)"
	log_test "ethtool -i and devlink dev info show the NVM version as igb does"
}

pf_mtu()
{
	[ -n "$DEV" ] || { log_skip "MTU" "no netdev"; return; }
	ip link set "$DEV" mtu 4000
	check_err $? "MTU 4000 refused"
	in_ns peer ip link set peer0 mtu 4000 2>/dev/null
	ping -c 2 -W 2 -s 3500 -M do "$PEER_IP" > /dev/null
	check_err $? "no 3500-byte ping at MTU 4000"
	ip link set "$DEV" mtu 1500
	in_ns peer ip link set peer0 mtu 1500 2>/dev/null
	ping -c 2 -W 2 "$PEER_IP" > /dev/null
	check_err $? "no ping back at MTU 1500"
	log_test "MTU change (4000 with jumbo ping, back to 1500)"
}

pf_reload()
{
	[ -n "$DEV" ] || { log_skip "reload" "no netdev"; return; }
	rmmod cdna_pf
	check_err $? "rmmod failed"
	[ -z "$(pci_netdev "$PF")" ]
	check_err $? "netdev still there after rmmod"
	insmod "$PF_KO"
	check_err $? "second insmod failed"
	busy_wait 10 has_netdev "$PF"
	DEV=$(pci_netdev "$PF")
	ip link set "$DEV" up
	ip addr add "$PF_IP/24" dev "$DEV"
	busy_wait 15 grep -qx 1 "/sys/class/net/$DEV/carrier"
	check_err $? "no carrier after reload"
	ping -c 3 -W 2 "$PEER_IP" > /dev/null ||
		ping -c 3 -W 2 "$PEER_IP" > /dev/null
	check_err $? "no ping after reload"
	log_test "rmmod/insmod clean, ping again"
}

run_tests
