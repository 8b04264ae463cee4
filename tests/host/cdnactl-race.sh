#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# lab: timeout=900
#
# cdnactl and the libvirt hooks against each other and against bad owner
# names, in the host VM with cdna_pf and vmm_guard:
# - the guard's ledger owner file takes at most 63 bytes of printable
#   ASCII (one trailing newline from echo stripped) and refuses anything
#   else, 64 and 200 bytes, control characters, bytes above 0x7e, with the
#   old value kept;
# - cdnactl refuses a domain name the ledger cannot hold (hook qemu, hook
#   network, attach) with exit status 10 before it changes anything,
#   instead of cutting or folding it into another domain's name;
# - two "hook qemu DOMAIN prepare begin" runs for two domains naming one
#   context, started together, again and again: exactly one wins, the
#   other is refused with the winner's name, the ledger shows the winner
#   (the check-and-claim runs under the lock /run/cdna/lock);
# - the same for an attach (libvirt's test driver) and a hook wanting the
#   only free context;
# - a lock held too long: cdnactl gives up in bounded time, exit 8,
#   nothing changed;
# - no file of the guard's ledger or of the PF's cdna/ directory takes a
#   write from a user other than root.
source /src/tests/lib.sh

cdnactl_work /tmp/cdnactl-race
PF=$(pf_dev)
DEV=
VF=()
LOCK=/run/cdna/lock
ROUNDS=${RACE_ROUNDS:-10}
NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups)
LOCKER=

# Names of exactly 63, 64 and 200 bytes.
N63=vm-$(printf 'a%.0s' $(seq 1 60))
N64=${N63}b
N200=$N64$(printf 'c%.0s' $(seq 1 136))

TESTS="ledger_owner_names hook_owner_names attach_owner_names
       concurrent_prepare attach_vs_hook lock_bounded nonroot_writes"

cleanup()
{
	[ -n "$LOCKER" ] && kill "$LOCKER" 2>/dev/null
	wait 2>/dev/null
}
trap cleanup EXIT

driver_of()
{
	basename "$(readlink -f "/sys/bus/pci/devices/$1/driver")"
}

# unbind VF: no driver, no override (no ledger, so no owner).
unbind()
{
	local d=/sys/bus/pci/devices/$1

	[ -e "$d/driver" ] && echo "$1" > "$d/driver/unbind"
	echo > "$d/driver_override"
}

# raw_write FILE VALUE: one write(2) of VALUE's bytes; prints "ok" or the
# errno's name.
raw_write()
{
	perl -e '
		use Fcntl;
		sysopen(my $f, $ARGV[0], O_WRONLY) or do { print((grep { $!{$_} } keys %!)[0], "\n"); exit };
		if (defined syswrite($f, $ARGV[1])) { print "ok\n" }
		else { print((grep { $!{$_} } keys %!)[0], "\n") }' -- "$1" "$2"
}

# hostdev_xml VF...: a domain passing the contexts through (libvirt's
# qemu hook takes the domain's name from argv, not from here).
hostdev_xml()
{
	local v

	echo "<domain type='kvm'><name>x</name><devices>"
	for v in "$@"; do
		echo "<hostdev mode='subsystem' type='pci' managed='no'><source><address $(addr_attrs "$v")/></source></hostdev>"
	done
	echo "</devices></domain>"
}

# port_xml OWNER VF: what libvirt's network hook gets for a port.
port_xml()
{
	cat <<-EOF
	<hookData>
	  <network><name>pool</name><forward mode='hostdev' managed='no'><pf dev='$DEV'/></forward></network>
	  <networkport>
	    <owner><name>$1</name></owner>
	    <plug type='hostdev-pci' managed='no'><address $(addr_attrs "$2")/></plug>
	  </networkport>
	</hookData>
	EOF
}

setup()
{
	local i

	need setpriv flock
	cdnactl_setup
	"$CDNACTL" create "$DEV" 4 > /dev/null || fail_all "cdnactl create $DEV 4 failed"
	for i in 0 1 2 3; do
		VF[i]=$(vf_dev "$PF" "$i")
	done
}

# One write to the ledger's owner file: WANT is "ok" or the errno's name;
# a refused write leaves the old value.
owner_write()
{
	local want=$1 val=$2 keep got now

	keep=$(ledger "${VF[0]}" owner)
	got=$(raw_write "/sys/bus/pci/devices/${VF[0]}/guard/owner" "$val")
	now=$(ledger "${VF[0]}" owner)
	if [ "$got" != "$want" ]; then
		check_err 1 "owner '$(printable "$val")' ($(printf %s "$val" | wc -c) bytes): $got, want $want"
	elif [ "$want" != ok ] && [ "$now" != "$keep" ]; then
		check_err 1 "refused owner '$(printable "$val")' changed the owner from '$keep' to '$(printable "$now")'"
	fi
}

ledger_owner_names()
{
	local c

	bind_driver "${VF[0]}" vmm_guard
	check_err $? "${VF[0]} does not bind to vmm_guard"
	owner_write ok "$N63"
	[ "$(ledger "${VF[0]}" owner)" = "$N63" ]
	check_err $? "a 63-byte owner reads back as '$(ledger "${VF[0]}" owner)'"
	owner_write ok $'vm-base\n'
	[ "$(ledger "${VF[0]}" owner)" = vm-base ]
	check_err $? "echo's newline was not stripped: '$(printable "$(ledger "${VF[0]}" owner)")'"
	owner_write ENAMETOOLONG "$N64"
	owner_write ENAMETOOLONG "$N64"$'\n'
	owner_write ENAMETOOLONG "$N200"
	for c in $'\t' $'\n' $'\r' $'\e' $'\x7f' $'\x85' $'\x9b' $'\xa0' $'\xe9' \
		 $'\xc3\xa9' $'\xe2\x82\xac'; do
		owner_write EINVAL "vm${c}x"
	done
	owner_write EINVAL $'vm-x\n\n'
	owner_write EINVAL $'\e[31mvm'
	[ "$(ledger "${VF[0]}" owner)" = vm-base ]
	check_err $? "the owner is '$(printable "$(ledger "${VF[0]}" owner)")' after the refused writes, want vm-base"
	unbind "${VF[0]}"
	log_test "ledger owner: 63 bytes of printable ASCII, the rest refused"
}

hook_owner_names()
{
	local xml=$WORK/one.xml port=$WORK/port.xml name

	hostdev_xml "${VF[0]}" > "$xml"
	for name in "$N64" "$N200" $'vm\tx' $'vm\nx' $'\e[31mvm' $'vm\x7f' \
		    $'vm-\xc3\xa9'; do
		expect_fail 10 "domain name .*(longer than the 63 bytes|control character|printable ASCII)" "$xml" -- hook qemu "$name" prepare begin -
	done
	# A domain without contexts is none of cdnactl's business.
	hostdev_xml > "$WORK/none.xml"
	expect_fail 0 "" "$WORK/none.xml" -- hook qemu "$N200" prepare begin -
	expect_fail 0 "" "$WORK/none.xml" -- hook qemu $'vm\tx' prepare begin -
	# A name that only differs after byte 63 is not another domain's.
	cdnactl hook qemu "$N63" prepare begin - < "$xml"
	check_err $? "prepare for a 63-byte name failed ($RC): $(cat "$ERR")"
	[ "$(ledger "${VF[0]}" owner)" = "$N63" ]
	check_err $? "the 63-byte name was recorded as '$(ledger "${VF[0]}" owner)'"
	expect_fail 10 "longer than the 63 bytes" "$xml" -- hook qemu "$N64" prepare begin -
	expect_fail 0 "" "$xml" -- hook --timeout 2 qemu "$N64" release end -
	[ "$(ledger "${VF[0]}" owner)" = "$N63" ]
	check_err $? "release of the 64-byte name touched the 63-byte name's context"
	cdnactl hook qemu "$N63" release end - < "$xml"
	check_err $? "release for the 63-byte name failed ($RC): $(cat "$ERR")"
	unbind "${VF[0]}"
	port_xml "$N64" "${VF[0]}" > "$port"
	expect_fail 10 "domain name .*longer than the 63 bytes" "$port" -- hook network pool port-created begin -
	port_xml "$N200" "${VF[0]}" > "$port"
	expect_fail 10 "domain name .*longer than the 63 bytes" "$port" -- hook network pool port-created begin -
	printf '<hookData><networkport><owner><name>vm&#x9;x</name></owner><plug type="hostdev-pci" managed="no"><address %s/></plug></networkport></hookData>\n' \
		"$(addr_attrs "${VF[0]}")" > "$port"
	expect_fail 10 "domain name .*control character" "$port" -- hook network pool port-created begin -
	log_test "hooks refuse domain names the ledger cannot hold (exit 10)"
}

attach_owner_names()
{
	local name

	test_node_xml
	for name in "$N64" "$N200" $'vm\tx' $'vm-\xc3\xa9'; do
		expect_fail 10 "domain name .*(longer than the 63 bytes|control character|printable ASCII)" /dev/null -- -c "test://$NODE" attach "$name"
	done
	log_test "attach refuses domain names the ledger cannot hold (exit 10)"
}

# together ROUND A-INPUT B-INPUT: cdnactl "${A[@]}" (stdin A-INPUT) and
# cdnactl "${B[@]}" (stdin B-INPUT) run at once, their output in
# $WORK/{a,b}.{out,err}, exit statuses in RA and RB; then the owner of
# context 0 in OWNER.  Even rounds start with the context unbound, odd ones
# with it on vmm_guard and free.
together()
{
	local pa pb

	unbind "${VF[0]}"
	[ $(($1 % 2)) -eq 1 ] && bind_driver "${VF[0]}" vmm_guard
	"$CDNACTL" "${A[@]}" < "$2" > "$WORK/a.out" 2> "$WORK/a.err" &
	pa=$!
	"$CDNACTL" "${B[@]}" < "$3" > "$WORK/b.out" 2> "$WORK/b.err" &
	pb=$!
	wait "$pa"
	RA=$?
	wait "$pb"
	RB=$?
	OWNER=$(ledger "${VF[0]}" owner)
}

# race_round ROUND: hooks for vm-a and vm-b, both naming context 0, run
# together.
race_round()
{
	local r=$1 ra rb rl owner win lose

	A=(hook qemu vm-a prepare begin -)
	B=(hook qemu vm-b prepare begin -)
	together "$r" "$WORK/a.xml" "$WORK/b.xml"
	ra=$RA rb=$RB owner=$OWNER
	echo "round $r: vm-a exit $ra, vm-b exit $rb, owner '$owner'"
	if [ "$ra" -eq 0 ] && [ "$rb" -ne 0 ]; then
		win=a lose=b
	elif [ "$rb" -eq 0 ] && [ "$ra" -ne 0 ]; then
		win=b lose=a
	else
		check_err 1 "round $r: vm-a exit $ra, vm-b exit $rb: want exactly one winner ($(cat "$WORK/a.err" "$WORK/b.err"))"
		return
	fi
	[ "$owner" = "vm-$win" ]
	check_err $? "round $r: vm-$win won but the ledger says '$owner'"
	[ "$(driver_of "${VF[0]}")" = vmm_guard ]
	check_err $? "round $r: the context is on '$(driver_of "${VF[0]}")' after vm-$win won"
	[ "$lose" = a ] && rl=$ra || rl=$rb
	[ "$rl" -eq 5 ]
	check_err $? "round $r: vm-$lose exit $rl, want 5: $(cat "$WORK/$lose.err")"
	grep -q "context $DEV/0 (${VF[0]}) is owned by domain 'vm-$win'" "$WORK/$lose.err"
	check_err $? "round $r: vm-$lose did not name the winner: $(cat "$WORK/$lose.err")"
}

concurrent_prepare()
{
	local r

	hostdev_xml "${VF[0]}" > "$WORK/a.xml"
	hostdev_xml "${VF[0]}" > "$WORK/b.xml"
	for r in $(seq 1 "$ROUNDS"); do
		race_round "$r"
	done
	unbind "${VF[0]}"
	log_test "two prepare hooks for one context, $ROUNDS rounds: one wins"
}

# attach_round ROUND: attach (any free context of the PF: only context 0
# is) and the hook for vm-b (context 0), run together.
attach_round()
{
	local r=$1 ra rb owner

	A=(-c "test://$NODE" attach cdna-vm --pf "$DEV")
	B=(hook qemu vm-b prepare begin -)
	together "$r" /dev/null "$WORK/b.xml"
	ra=$RA rb=$RB owner=$OWNER
	echo "round $r: attach exit $ra, hook vm-b exit $rb, owner '$owner'"
	if [ "$ra" -eq 0 ] && [ "$rb" -eq 5 ]; then
		[ "$owner" = cdna-vm ] &&
			grep -q "is owned by domain 'cdna-vm'" "$WORK/b.err"
		check_err $? "round $r: attach won, owner '$owner', the hook said: $(cat "$WORK/b.err")"
	elif [ "$rb" -eq 0 ] && [ "$ra" -eq 6 ]; then
		[ "$owner" = vm-b ] && grep -q "no free context on $DEV" "$WORK/a.err"
		check_err $? "round $r: the hook won, owner '$owner', attach said: $(cat "$WORK/a.err")"
	else
		check_err 1 "round $r: attach exit $ra, hook exit $rb, owner '$owner': want exactly one winner ($(cat "$WORK/a.err" "$WORK/b.err"))"
	fi
}

attach_vs_hook()
{
	local r

	test_node_xml
	hostdev_xml "${VF[1]}" "${VF[2]}" "${VF[3]}" > "$WORK/hold.xml"
	cdnactl hook qemu hold prepare begin - < "$WORK/hold.xml"
	check_err $? "reserving contexts 1 to 3 failed: $(cat "$ERR")"
	hostdev_xml "${VF[0]}" > "$WORK/b.xml"
	for r in $(seq 1 "$ROUNDS"); do
		attach_round "$r"
	done
	unbind "${VF[0]}"
	cdnactl hook qemu hold release end - < "$WORK/hold.xml"
	for r in 1 2 3; do
		unbind "${VF[r]}"
	done
	log_test "attach and a prepare hook for the only free context: one wins"
}

lock_bounded()
{
	local xml=$WORK/one.xml start took

	hostdev_xml "${VF[0]}" > "$xml"
	mkdir -p /run/cdna
	# One process holding it (flock(1) would leave it to its child).
	perl -e 'use Fcntl qw(:flock); open(my $f, ">>", $ARGV[0]) or die; flock($f, LOCK_EX) or die; sleep 60' -- "$LOCK" &
	LOCKER=$!
	busy_wait 10 eval '! flock -n "$LOCK" true'
	check_err $? "the lock holder did not take $LOCK"
	start=$(date +%s)
	export CDNACTL_LOCK_TIMEOUT=3
	expect_fail 8 "$LOCK" "$xml" -- hook qemu vm-lock prepare begin -
	unset CDNACTL_LOCK_TIMEOUT
	took=$(( $(date +%s) - start ))
	echo "gave up after ${took}s: $(cat "$ERR")"
	[ "$took" -lt 30 ]
	check_err $? "cdnactl waited ${took}s for a lock it was told to wait 3 s for"
	kill "$LOCKER"
	wait "$LOCKER" 2>/dev/null
	LOCKER=
	cdnactl hook qemu vm-lock prepare begin - < "$xml"
	check_err $? "prepare once the lock is free failed ($RC): $(cat "$ERR")"
	[ "$(ledger "${VF[0]}" owner)" = vm-lock ]
	check_err $? "prepare once the lock is free did not record vm-lock"
	[ "$(stat -c %a /run/cdna)" = 755 ]
	check_err $? "/run/cdna has mode $(stat -c %a /run/cdna), want 755"
	cdnactl hook qemu vm-lock release end - < "$xml"
	unbind "${VF[0]}"
	log_test "a lock held too long: cdnactl gives up in time (exit 8)"
}

# dump FILE...: "file=value" as root, to compare before and after.
dump()
{
	perl -e 'for (@ARGV) { open(my $h, "<", $_) or do { print "$_ unreadable\n"; next }; local $/; my $v = <$h> // ""; print "$_=$v\n" }' "$@"
}

nonroot_writes()
{
	local files before after res bad

	bind_driver "${VF[0]}" vmm_guard
	check_err $? "${VF[0]} does not bind to vmm_guard"
	echo vm-root > "/sys/bus/pci/devices/${VF[0]}/guard/owner"
	# No <(...): the lab's /dev has no /dev/fd.
	files=($(find "/sys/bus/pci/devices/${VF[0]}/guard/" \
		      "/sys/bus/pci/devices/$PF/cdna/" -type f | sort))
	echo "${#files[@]} files"
	[ "${#files[@]}" -gt 20 ]
	check_err $? "only ${#files[@]} files under guard/ and cdna/"
	before=$(dump "${files[@]}")
	res=$("${NOBODY[@]}" perl -e '
		use Fcntl;
		for my $f (@ARGV) {
			my $r;
			if (sysopen(my $h, $f, O_WRONLY)) {
				$r = defined(syswrite($h, "intruder\n")) ? "WRITTEN" : "write " . (grep { $!{$_} } keys %!)[0];
			} else {
				$r = "open " . (grep { $!{$_} } keys %!)[0];
			}
			print "$f $r\n";
		}' "${files[@]}" 2>&1)
	after=$(dump "${files[@]}")
	bad=$(echo "$res" | grep -vE ' (open|write) (EACCES|EPERM)$')
	[ -z "$bad" ]
	check_err $? "writes as nobody not refused with EACCES/EPERM: $(echo "$bad" | tr '\n' ' ')"
	[ "$before" = "$after" ] ||
		check_err 1 "writes as nobody changed values: $(show_diff "$before" "$after")"
	[ "$(ledger "${VF[0]}" owner)" = vm-root ]
	check_err $? "the owner is '$(ledger "${VF[0]}" owner)' after nobody's writes"
	unbind "${VF[0]}"
	log_test "no ledger or cdna/ sysfs file takes a write from a non-root user"
}

setup
run_tests
