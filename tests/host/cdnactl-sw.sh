#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# cdnactl and the guard's two protection modes, on a host with no IOMMU:
# - set CTX mode sw binds a context to vmm_guard_sw and creates its
#   mediated device under the stable UUID cdnactl gives it
#   (cd0a0000-DDDD-80BB-8SSF-N from the PF's address and the context's
#   number); again is nothing to do;
# - list and list -j show the mode and, for sw, the mediated device and
#   the guard's counters (descriptors validated and refused, pinned pages,
#   RX bounces, TX splits), as the ledger has them, also while
#   tests/tools/sw-client holds the context open the way a VMM does;
# - set mode iommu is refused with the guard's reason (no IOMMU group)
#   and leaves the context as it was, for a context in sw mode (before
#   anything changes) and for an unbound one (the guard's own refusal);
# - with vmm_guard's allow_unsafe_isolation override, back and forth
#   between the modes twice: each mode change completes, or fails and
#   puts the context back in sw mode with the same mediated device;
# - a context a VMM holds: mode changes and destroy refused, nothing
#   changed; "mode sw" for it is nothing to do;
# - the qemu hook with a <hostdev type='mdev'> naming a context's stable
#   UUID: the unbound context goes to sw mode with that mediated device
#   and the domain as owner; release clears it; a PCI <hostdev> of a
#   context in sw mode is refused, and so is the mdev form of a context
#   the other way round;
# - attach --mode sw and detach of the mdev form through libvirt's test
#   driver, and attach's rollback (mode, mediated device, policy back);
# - destroy of contexts in sw mode takes their mediated devices along.
#
# With the argument "iommu" (tests/host/cdnactl-sw-iommu.sh, a host with
# an IOMMU): the same, where set mode iommu succeeds, so that the back and
# forth really changes modes.
#
# lab-iommu: off
# lab: timeout=900
source /src/tests/lib.sh

CDNACTL=/src/userspace/cdnactl/cdnactl
SWC=$TOOLS/sw-client
PF=$(pf_dev)
DEV=
VF=()
U=()			# the stable UUID of each context's mediated device
WORK=/tmp/cdnactl-sw
OUT=$WORK/out
ERR=$WORK/err
NODE=$WORK/node.xml
TEST_URI=test://$NODE
MAC=(02:cd:0c:00:00:01 02:cd:0c:00:00:02 02:cd:0c:00:00:03)
SERVE=
WITH_IOMMU=
[ "${1:-}" = iommu ] && WITH_IOMMU=1

TESTS="sw_set_mode sw_list sw_assigned_refused sw_iommu sw_back_and_forth
       sw_hook sw_attach_detach sw_destroy"

cleanup()
{
	[ -n "$SERVE" ] && kill -9 "$SERVE" 2>/dev/null
	sleep 0.5
	pf_cleanup vmm_guard
}
trap cleanup EXIT

# stable_uuid PF N: the UUID cdnactl gives context N of PF.
stable_uuid()
{
	local dom=${1%%:*} rest=${1#*:}
	local bus=${rest%%:*} dev=${rest#*:}

	printf 'cd0a0000-%s-80%s-8%s%s-%012x' "$dom" "$bus" "${dev%.*}" "${dev#*.}" "$2"
}

# The contexts as ctx_snapshot has them, their ledger mode and mediated
# device, and every mediated device of the host: what a refused command
# must leave alone.
snapshot()
{
	local v

	ctx_snapshot
	for v in "${VF[@]}"; do
		echo "$v $(ledger "$v" mode) $(ledger "$v" mdev)"
	done
	ls /sys/bus/mdev/devices 2>/dev/null | tr '\n' ' '
	echo
}

# in_sw VF UUID: VF is bound to vmm_guard_sw and offers mediated device UUID.
in_sw()
{
	[ "$(drv_of "$1")" = vmm_guard_sw ] && [ "$(ledger "$1" mode)" = sw ] &&
		[ "$(ledger "$1" mdev)" = "$2" ] &&
		[ "$(basename "$(readlink -f "/sys/bus/mdev/devices/$2/..")")" = "$1" ]
}

in_iommu()
{
	[ "$(drv_of "$1")" = vmm_guard ] && [ "$(ledger "$1" mode)" = iommu ]
}

unbound()
{
	[ ! -e "/sys/bus/pci/devices/$1/driver" ] &&
		[ "$(cat "/sys/bus/pci/devices/$1/driver_override")" = "(null)" ]
}

# json_ok FILE: one JSON value per line (RFC 8259 in Perl: the lab root
# has no JSON tool).
json_ok()
{
	perl -ne '
		BEGIN {
			$re = qr{
				(?(DEFINE)
				(?<v> \s* (?: (?&o) | (?&a) | (?&s) | (?&n) | true | false | null ) \s* )
				(?<o> \{ \s* (?: (?&p) (?: , (?&p) )* )? \} )
				(?<p> \s* (?&s) \s* : (?&v) )
				(?<a> \[ \s* (?: (?&v) (?: , (?&v) )* )? \] )
				(?<s> " (?: [^"\\\x00-\x1f] | \\ ["\\/bfnrt] | \\u[0-9a-fA-F]{4} )* " )
				(?<n> -? (?: 0 | [1-9][0-9]* ) (?: \.[0-9]+ )? (?: [eE][+-]?[0-9]+ )? ) )
				\A (?&v) \z
			}x;
			$bad = 0; $lines = 0;
		}
		chomp; $lines++;
		$bad++ unless /$re/;
		END { exit($bad || !$lines) }' "$1"
}

# json_obj FILE VF: the object of VF in list -j (the "sw" object nested).
json_obj()
{
	perl -ne 'while (/\{(?:[^{}]|\{[^{}]*\})*"vf":"'"$2"'"(?:[^{}]|\{[^{}]*\})*\}/g) { print "$&\n" }' "$1" |
		head -n1
}

# json_sw FILE VF KEY: KEY of the "sw" object of VF ("null" when it is null).
json_sw()
{
	json_obj "$1" "$2" | perl -ne '
		if (/"sw":null/) { print "null\n"; exit }
		print "$1\n" if /"sw":\{[^}]*"'"$3"'":("[^"]*"|[^,}]*)/'
}

serve_start()
{
	"$SWC" serve "${U[0]}" --ip 10.9.9.9 --seconds "${1:-30}" > "$WORK/serve.log" 2>&1 &
	SERVE=$!
	busy_wait 60 grep -q '^ready:' "$WORK/serve.log"
}

serve_stop()
{
	[ -n "$SERVE" ] || return 0
	kill -TERM "$SERVE" 2>/dev/null
	busy_wait 30 eval '! kill -0 "$SERVE" 2>/dev/null' || kill -9 "$SERVE"
	wait "$SERVE" 2>/dev/null
	SERVE=
	busy_wait 20 eval '[ "$(ledger "${VF[0]}" state)" = free ]'
}

setup()
{
	local i

	cdnactl_setup
	[ -x "$SWC" ] || skip_all "tests/tools/sw-client not built (make -C tests/tools)"
	[ -d /sys/bus/pci/drivers/vmm_guard_sw ] ||
		fail_all "vmm_guard has no vmm_guard_sw driver: $(ls /sys/bus/pci/drivers | tr '\n' ' ')"
	if [ -n "$(ls /sys/class/iommu 2>/dev/null)" ]; then
		[ -n "$WITH_IOMMU" ] || fail_all "this host has an IOMMU ($(ls /sys/class/iommu)): lab-iommu: off did not apply"
	else
		[ -z "$WITH_IOMMU" ] || fail_all "no IOMMU on this host"
	fi
	cdnactl create "$DEV" 3 || fail_all "create $DEV 3: $(cat "$ERR")"
	for i in 0 1 2; do
		VF[i]=$(vf_dev "$PF" "$i")
		U[i]=$(stable_uuid "$PF" "$i")
		cdnactl set "$DEV/$i" mac "${MAC[i]}" ||
			fail_all "set $DEV/$i mac: $(cat "$ERR")"
	done
	echo "contexts: ${VF[*]}; stable UUIDs: ${U[*]}"
}

sw_set_mode()
{
	local before after

	cdnactl set "$DEV/0" mode sw
	check_err $? "set $DEV/0 mode sw: exit $RC: $(cat "$ERR")"
	cat "$OUT"
	in_sw "${VF[0]}" "${U[0]}"
	check_err $? "${VF[0]} not in sw mode with mdev ${U[0]}: driver $(drv_of "${VF[0]}"), mode '$(ledger "${VF[0]}" mode)', mdev '$(ledger "${VF[0]}" mdev)'"
	grep -q "mode sw, mediated device ${U[0]}" "$OUT"
	check_err $? "set did not say the mode and the UUID: $(cat "$OUT")"
	[ "$(ledger "${VF[0]}" state)" = free ]
	check_err $? "ledger state '$(ledger "${VF[0]}" state)', want free"
	[ -e "/dev/vfio/$(basename "$(readlink "/sys/bus/mdev/devices/${U[0]}/iommu_group")")" ]
	check_err $? "no VFIO group device for mdev ${U[0]}"
	# Again: nothing to do, nothing changed.
	before=$(snapshot)
	cdnactl set "${VF[0]}" mode sw
	check_err $? "set mode sw again: exit $RC: $(cat "$ERR")"
	after=$(snapshot)
	grep -q "already in mode sw, mediated device ${U[0]}" "$OUT"
	check_err $? "a second set mode sw did not say it had nothing to do: $(cat "$OUT")"
	[ "$before" = "$after" ] ||
		check_err 1 "a second set mode sw changed things: $(show_diff "$before" "$after")"
	# Bad words, nothing changed.
	expect_fail 3 "invalid mode 'fast': the mode is iommu or sw" -- set "$DEV/1" mode fast
	expect_fail 2 "'mode' needs a value" -- set "$DEV/1" mode
	expect_fail 2 "'mode' given twice" -- set "$DEV/1" mode sw mode iommu
	expect_fail 3 "invalid vlan '5000'" -- set "$DEV/1" mode sw vlan 5000
	log_test "set mode sw: vmm_guard_sw, stable mdev UUID; again is nothing"
}

sw_list()
{
	local row next

	cdnactl list
	check_err $? "list: $(cat "$ERR")"
	cat "$OUT"
	row=$(grep -nE "^$DEV +$PF +0 +${VF[0]} +sw +free +- " "$OUT")
	check_err $? "list has no row for ${VF[0]} in sw mode, free"
	next=$(sed -n "$(( ${row%%:*} + 1 ))p" "$OUT")
	[[ $next =~ ^\ +sw:\ mdev\ ${U[0]}\ strategy\ [a-z-]+\ validated\ [0-9]+\ refused\ [0-9]+\ pinned_pages\ 0\ rx_bounced\ [0-9]+\ tx_split\ [0-9]+\ spoof_dropped\ [0-9]+\ vlan_dropped\ [0-9]+$ ]]
	check_err $? "the line under ${VF[0]}'s row is not its sw line: '$next'"
	grep -qE "^$DEV +$PF +1 +${VF[1]} +- +free " "$OUT"
	check_err $? "list does not show ${VF[1]} unbound and free"
	[ "$(grep -c '^ *sw:' "$OUT")" -eq 1 ]
	check_err $? "sw lines for contexts not in sw mode"
	cdnactl list -j
	check_err $? "list -j: $(cat "$ERR")"
	json_ok "$OUT"
	check_err $? "list -j is not JSON: $(cat "$OUT")"
	json_obj "$OUT" "${VF[0]}" | grep -q "\"driver\":\"vmm_guard_sw\",\"mode\":\"sw\",\"state\":\"free\",\"owner\":null,"
	check_err $? "list -j: ${VF[0]} not vmm_guard_sw, sw, free: $(json_obj "$OUT" "${VF[0]}")"
	[ "$(json_sw "$OUT" "${VF[0]}" mdev)" = "\"${U[0]}\"" ] &&
		[ "$(json_sw "$OUT" "${VF[0]}" strategy)" = "\"$(ledger "${VF[0]}" strategy)\"" ] &&
		[ "$(json_sw "$OUT" "${VF[0]}" pinned_pages)" = 0 ] &&
		[ "$(json_sw "$OUT" "${VF[0]}" descriptors_refused)" = "$(ledger "${VF[0]}" descriptors_refused)" ] &&
		[ "$(json_sw "$OUT" "${VF[0]}" rx_bounced)" = "$(ledger "${VF[0]}" rx_bounced)" ] &&
		[ "$(json_sw "$OUT" "${VF[0]}" tx_split)" = "$(ledger "${VF[0]}" tx_split)" ]
	check_err $? "list -j's sw object of ${VF[0]} disagrees with the ledger: $(json_obj "$OUT" "${VF[0]}")"
	[ "$(json_sw "$OUT" "${VF[1]}" mdev)" = null ]
	check_err $? "list -j: unbound ${VF[1]} has a sw object: $(json_obj "$OUT" "${VF[1]}")"
	log_test "list and list -j: mode sw, its mdev and the guard's counters"
}

# With sw-client serving (RX ring posted), the counters move and list
# shows what the ledger shows; every mode change is refused meanwhile.
sw_assigned_refused()
{
	local v0 v1 got pinned

	serve_start 60
	check_err $? "sw-client serve did not come up: $(tail -n 5 "$WORK/serve.log" | tr '\n' ' ')"
	busy_wait 20 eval '[ "$(ledger "${VF[0]}" pinned_pages)" -gt 0 ] 2>/dev/null'
	check_err $? "no page pinned with sw-client serving: $(ledger "${VF[0]}" pinned_pages)"
	v0=$(ledger "${VF[0]}" descriptors_validated)
	pinned=$(ledger "${VF[0]}" pinned_pages)
	cdnactl list -j
	v1=$(ledger "${VF[0]}" descriptors_validated)
	got=$(json_sw "$OUT" "${VF[0]}" descriptors_validated)
	echo "descriptors_validated: ledger $v0, list -j $got, ledger $v1; pinned_pages $pinned"
	[ -n "$got" ] && [ "$got" -gt 0 ] && [ "$v0" -le "$got" ] && [ "$got" -le "$v1" ]
	check_err $? "list -j descriptors_validated $got is not between the ledger's $v0 and $v1"
	[ "$(json_sw "$OUT" "${VF[0]}" pinned_pages)" -gt 0 ]
	check_err $? "list -j shows no pinned pages while serving"
	json_obj "$OUT" "${VF[0]}" | grep -q "\"state\":\"assigned\",\"owner\":\"sw-client\[$SERVE\]\""
	check_err $? "list -j does not show ${VF[0]} assigned to sw-client[$SERVE]: $(json_obj "$OUT" "${VF[0]}")"
	cdnactl list
	grep -E "^$DEV +$PF +0 +${VF[0]} +sw +assigned +sw-client\[$SERVE\] " "$OUT"
	check_err $? "list does not show ${VF[0]} assigned to sw-client"
	grep -qE "^ +sw: mdev ${U[0]} .* pinned_pages [1-9]" "$OUT"
	check_err $? "list's sw line shows no pinned pages while serving: $(grep '^ *sw:' "$OUT")"
	expect_fail 5 "${VF[0]}\) is assigned by sw-client\[$SERVE\]: its mode changes only while it is free; nothing changed" -- set "$DEV/0" mode iommu
	expect_fail 5 "${VF[0]}\) is assigned by sw-client" -- destroy "$DEV" --force
	expect_fail 0 "" -- set "$DEV/0" mode sw
	grep -q "already in mode sw" "$OUT"
	check_err $? "set mode sw of the assigned sw context: $(cat "$OUT")"
	serve_stop
	check_err $? "context 0 not free after sw-client stopped: $(ledger "${VF[0]}" state)"
	busy_wait 20 eval '[ "$(ledger "${VF[0]}" pinned_pages)" = 0 ]'
	check_err $? "pinned_pages $(ledger "${VF[0]}" pinned_pages) after close"
	in_sw "${VF[0]}" "${U[0]}"
	check_err $? "context 0 left sw mode or its mdev"
	log_test "held by a VMM: counters move, mode change and destroy refused"
}

sw_iommu()
{
	local before after

	if [ -n "$WITH_IOMMU" ]; then
		cdnactl set "$DEV/0" mode iommu
		check_err $? "set mode iommu with an IOMMU: exit $RC: $(cat "$ERR")"
		in_iommu "${VF[0]}" && [ ! -e "/sys/bus/mdev/devices/${U[0]}" ]
		check_err $? "${VF[0]} not in iommu mode without its mdev: driver $(drv_of "${VF[0]}")"
		cdnactl set "$DEV/0" mode sw
		check_err $? "set mode sw back: exit $RC: $(cat "$ERR")"
		in_sw "${VF[0]}" "${U[0]}"
		check_err $? "${VF[0]} not back in sw mode with ${U[0]}"
		log_test "set mode iommu with an IOMMU, and back to sw"
		return
	fi
	# A context in sw mode: refused before anything changes.
	expect_fail 7 "vmm_guard would refuse $DEV/0 \(${VF[0]}\): not isolated: no IOMMU group .*; it stays in sw mode" -- set "$DEV/0" mode iommu
	cat "$ERR"
	in_sw "${VF[0]}" "${U[0]}"
	check_err $? "the refused set mode iommu moved ${VF[0]}"
	# An unbound one: the guard's own refusal, reported, nothing left.
	before=$(snapshot)
	cdnactl set "$DEV/1" mode iommu
	after=$(snapshot)
	cat "$ERR"
	[ "$RC" -eq 7 ] && grep -q "vmm_guard refused $DEV/1 (${VF[1]}): not isolated: no IOMMU group" "$ERR"
	check_err $? "set mode iommu of an unbound context without IOMMU: exit $RC: $(cat "$ERR")"
	unbound "${VF[1]}"
	check_err $? "${VF[1]} not left unbound without override: $(drv_of "${VF[1]}") $(cat "/sys/bus/pci/devices/${VF[1]}/driver_override")"
	[ "$before" = "$after" ] ||
		check_err 1 "the refused set mode iommu changed things: $(show_diff "$before" "$after")"
	log_test "no IOMMU: set mode iommu refused with the reason, nothing changed"
}

# One mode change of the back and forth: done, or refused and put back.
flip()
{
	local want=$1 i=$2

	cdnactl set "$DEV/0" mode "$want"
	echo "set mode $want ($i): exit $RC: $(tr '\n' ' ' < "$OUT") $(tr '\n' ' ' < "$ERR")"
	if [ "$RC" -eq 0 ]; then
		if [ "$want" = sw ]; then
			in_sw "${VF[0]}" "${U[0]}"
		else
			in_iommu "${VF[0]}" && [ ! -e "/sys/bus/mdev/devices/${U[0]}" ]
		fi
		check_err $? "set mode $want ($i) succeeded but ${VF[0]} is on '$(drv_of "${VF[0]}")', mdev '$(ledger "${VF[0]}" mdev)'"
		return 0
	fi
	[ -z "$WITH_IOMMU" ] && [ "$want" = iommu ] &&
		grep -q "put back on vmm_guard_sw with mediated device ${U[0]}" "$ERR"
	check_err $? "set mode $want ($i): exit $RC: $(cat "$ERR")"
	in_sw "${VF[0]}" "${U[0]}"
	check_err $? "after the failed set mode $want ($i), ${VF[0]} is not back in sw mode with ${U[0]}"
	return 1
}

sw_back_and_forth()
{
	local i ok=0

	if [ -z "$WITH_IOMMU" ]; then
		# Past the isolation gate: the change gets as far as the bind.
		rmmod vmm_guard
		check_err $? "rmmod vmm_guard"
		load_guard allow_unsafe_isolation=1
		check_err $? "vmm_guard does not load with the override"
		# Its driver_override stayed: the reload may have bound it.
		cdnactl set "$DEV/0" mode sw
		check_err $? "set mode sw after the reload: exit $RC: $(cat "$ERR")"
		in_sw "${VF[0]}" "${U[0]}"
		check_err $? "${VF[0]} not in sw mode with its stable UUID again"
	fi
	for i in 1 2; do
		flip iommu "$i" && ok=$((ok + 1))
		flip sw "$i"
	done
	echo "$ok of 2 changes to iommu mode went through"
	[ -z "$WITH_IOMMU" ] || [ "$ok" -eq 2 ]
	check_err $? "with an IOMMU only $ok of 2 changes to iommu went through"
	if [ -z "$WITH_IOMMU" ]; then
		rmmod vmm_guard
		load_guard
		check_err $? "vmm_guard does not load again"
		cdnactl set "$DEV/0" mode sw
		check_err $? "set mode sw after the reload: $(cat "$ERR")"
	fi
	in_sw "${VF[0]}" "${U[0]}"
	check_err $? "${VF[0]} not in sw mode at the end"
	log_test "back and forth between the modes twice: done or put back"
}

# mdev_xml NAME UUID [PCI-VF]: a domain with one mediated device, and a
# PCI hostdev of PCI-VF if given.
mdev_xml()
{
	echo "<domain type='kvm'><name>$1</name><devices>"
	echo "<hostdev mode='subsystem' type='mdev' model='vfio-pci' managed='no'><source><address uuid='$2'/></source></hostdev>"
	[ -n "${3:-}" ] &&
		echo "<hostdev mode='subsystem' type='pci' managed='no'><source><address $(addr_attrs "$3")/></source></hostdev>"
	echo "</devices></domain>"
}

pci_xml()
{
	echo "<domain type='kvm'><name>$1</name><devices>"
	echo "<hostdev mode='subsystem' type='pci' managed='no'><source><address $(addr_attrs "$2")/></source></hostdev>"
	echo "</devices></domain>"
}

sw_hook()
{
	local xml=$WORK/vm-sw.xml before after

	# Without IOMMU: context 1 goes to sw mode for the mdev form, then the
	# PCI form of context 2 fails at the guard: context 1 is put back.
	if [ -z "$WITH_IOMMU" ]; then
		mdev_xml vm-two "${U[1]}" "${VF[2]}" > "$WORK/vm-two.xml"
		expect_fail 7 "vmm_guard refused $DEV/2 \(${VF[2]}\): not isolated" "$WORK/vm-two.xml" -- hook qemu vm-two prepare begin -
		grep -q "the contexts prepared before were put back" "$ERR"
		check_err $? "the hook did not say it put context 1 back: $(cat "$ERR")"
		unbound "${VF[1]}" && [ ! -e "/sys/bus/mdev/devices/${U[1]}" ]
		check_err $? "context 1 not put back unbound without mdev"
	fi
	# Context 2 is unbound: prepare puts it in sw mode under its UUID.
	mdev_xml vm-sw "${U[2]}" > "$xml"
	cdnactl hook qemu vm-sw prepare begin - < "$xml"
	check_err $? "hook prepare with an mdev hostdev: exit $RC: $(cat "$ERR")"
	in_sw "${VF[2]}" "${U[2]}" && [ "$(ledger "${VF[2]}" owner)" = vm-sw ]
	check_err $? "the hook did not put ${VF[2]} in sw mode with ${U[2]}, owned by vm-sw: $(drv_of "${VF[2]}") '$(ledger "${VF[2]}" mdev)' '$(ledger "${VF[2]}" owner)'"
	# A retried start is fine; another domain is refused.
	cdnactl hook qemu vm-sw prepare begin - < "$xml"
	check_err $? "a second prepare for vm-sw: exit $RC: $(cat "$ERR")"
	expect_fail 5 "context $DEV/2 \(${VF[2]}\) is owned by domain 'vm-sw'" "$xml" -- hook qemu vm-other prepare begin -
	# The PCI form of a context in sw mode.
	pci_xml vm-pci "${VF[0]}" > "$WORK/vm-pci.xml"
	expect_fail 5 "${VF[0]}\) is in software mode: pass its mediated device, .*uuid='${U[0]}'" "$WORK/vm-pci.xml" -- hook qemu vm-pci prepare begin -
	# One context as its VF and as its mediated device.
	mdev_xml vm-twice "${U[1]}" "${VF[1]}" > "$WORK/vm-twice.xml"
	expect_fail 3 "${VF[1]} is passed through twice" "$WORK/vm-twice.xml" -- hook qemu vm-twice prepare begin -
	cdnactl hook qemu vm-sw release end - < "$xml"
	check_err $? "hook release: exit $RC: $(cat "$ERR")"
	in_sw "${VF[2]}" "${U[2]}" && [ -z "$(ledger "${VF[2]}" owner)" ] &&
		[ "$(ledger "${VF[2]}" state)" = free ]
	check_err $? "after release ${VF[2]} is not free in sw mode without owner"
	# A UUID that is no context's: none of cdnactl's business.
	mdev_xml vm-else 0b5e7ad1-5a0e-4c0c-9b44-5f2e7b6a0c11 > "$WORK/vm-else.xml"
	expect_fail 0 "" "$WORK/vm-else.xml" -- hook qemu vm-else prepare begin -
	log_test "hook: mdev hostdev prepares sw mode, PCI form of sw refused"
}

# The test driver's node: cdna-vm running with one context in each form
# (or only the mdev one on a host without IOMMU).
node_xml()
{
	cat > "$NODE" <<-EOF
	<node>
	  <domain type='test'>
	    <name>cdna-vm</name>
	    <memory>65536</memory>
	    <os><type>hvm</type></os>
	    <devices>
	      <hostdev mode='subsystem' type='mdev' model='vfio-pci' managed='no'>
	        <source><address uuid='${U[2]}'/></source>
	      </hostdev>
	      $1
	    </devices>
	  </domain>
	</node>
	EOF
}

# reserve VF NAME: an owner name in VF's ledger ("" clears it).
reserve()
{
	echo "$2" > "/sys/bus/pci/devices/$1/guard/owner"
}

sw_attach_detach()
{
	local before after v

	node_xml ""
	# A free context in sw mode is taken first: context 0.
	cdnactl -c "$TEST_URI" attach cdna-vm --mode sw --vlan 7
	echo "attach --mode sw: exit $RC: $(cat "$OUT" "$ERR")"
	if [ "$RC" -eq 0 ]; then
		v=$(grep -o '(0000:[^)]*)' "$OUT" | tr -d '()')
		[ "$v" = "${VF[0]}" ] &&
			grep -q "attached to cdna-vm (mode sw, mediated device ${U[0]})" "$OUT" &&
			in_sw "$v" "${U[0]}" && [ "$(ledger "$v" owner)" = cdna-vm ]
		check_err $? "attach --mode sw: not ${VF[0]} in sw mode owned by cdna-vm: $(cat "$OUT")"
		reserve "${VF[0]}" ""
		cdnactl set "$DEV/0" vlan 0
	else
		grep -q "libvirt did not attach ${VF[0]} (mediated device ${U[0]}) to cdna-vm" "$ERR" &&
			grep -q "put back as it was" "$ERR"
		check_err $? "attach --mode sw failed otherwise than in libvirt: $(cat "$ERR")"
	fi
	# Contexts 0 and 2 reserved: attach --mode sw takes unbound context
	# 1, puts it in sw mode, and when libvirt refuses (the test driver
	# has no --config) puts it back: unbound, no mediated device, VLAN.
	reserve "${VF[0]}" someone
	reserve "${VF[2]}" someone
	before=$(snapshot; ip link show "$DEV" | grep -E '^ +vf ')
	cdnactl -c "$TEST_URI" attach cdna-vm --mode sw --pf "$DEV" --vlan 8 --config
	after=$(snapshot; ip link show "$DEV" | grep -E '^ +vf ')
	[ "$RC" -eq 1 ] &&
		grep -q "libvirt did not attach ${VF[1]} (mediated device ${U[1]}) to cdna-vm: .*unsupported flags" "$ERR" &&
		grep -q "put back as it was" "$ERR"
	check_err $? "a refused attach --mode sw: exit $RC, want 1: $(cat "$ERR")"
	[ "$before" = "$after" ] ||
		check_err 1 "a refused attach --mode sw left changes: $(show_diff "$before" "$after")"
	unbound "${VF[1]}"
	check_err $? "${VF[1]} not unbound after the rollback"
	# No free context of sw mode nor unbound: the message says why.
	if [ -n "$WITH_IOMMU" ]; then
		cdnactl set "$DEV/1" mode iommu
		expect_fail 6 "no free context on $DEV for sw mode: 1 free in iommu mode" -- -c "$TEST_URI" attach cdna-vm --mode sw --pf "$DEV"
		echo "${VF[1]}" > /sys/bus/pci/drivers/vmm_guard/unbind
		echo > "/sys/bus/pci/devices/${VF[1]}/driver_override"
	fi
	reserve "${VF[0]}" ""
	reserve "${VF[2]}" ""
	expect_fail 3 "invalid mode 'hw': the mode is iommu or sw" -- -c "$TEST_URI" attach cdna-vm --mode hw
	# detach finds the mdev form in the live XML; the test driver cannot
	# unplug, and says so.
	expect_fail 1 "libvirt did not detach the context from cdna-vm: this function is not supported" -- -c "$TEST_URI" detach cdna-vm "$DEV/2"
	expect_fail 1 "libvirt did not detach the context from cdna-vm: this function is not supported" -- -c "$TEST_URI" detach cdna-vm
	expect_fail 4 "${VF[0]} is not attached to cdna-vm" -- -c "$TEST_URI" detach cdna-vm "$DEV/0"
	node_xml "<hostdev mode='subsystem' type='pci' managed='no'><source><address $(addr_attrs "${VF[1]}")/></source></hostdev>"
	expect_fail 2 "cdna-vm has 2 cdna contexts: (${VF[2]} ${VF[1]}|${VF[1]} ${VF[2]}); name the one to detach" -- -c "$TEST_URI" detach cdna-vm
	log_test "attach --mode sw, its rollback, detach of the mdev form"
}

sw_destroy()
{
	local u

	cdnactl destroy "$DEV"
	check_err $? "destroy with contexts in sw mode: exit $RC: $(cat "$ERR")"
	for u in "${U[@]}"; do
		[ ! -e "/sys/bus/mdev/devices/$u" ]
		check_err $? "mediated device $u still there after destroy"
	done
	[ "$(cat "/sys/bus/pci/devices/$PF/sriov_numvfs")" = 0 ]
	check_err $? "contexts still there after destroy"
	VF=()
	log_test "destroy: contexts in sw mode go with their mediated devices"
}

setup
run_tests
