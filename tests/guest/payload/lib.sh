# SPDX-License-Identifier: GPL-2.0
# Helpers for guest payloads (busybox sh, inside a guest in the lab VM).
# Each check prints one "GUEST-TEST:" line that the lab VM side relays.
GUEST_FAILED=0

# check NAME CMD...: run CMD, report NAME as ok or failed.
check()
{
	local name=$1

	shift
	if "$@"; then
		echo "GUEST-TEST: $name [ OK ]"
	else
		echo "GUEST-TEST: $name [FAIL]"
		GUEST_FAILED=1
	fi
}

# arg KEY: the value of KEY=VALUE among the payload's arguments ($ARGS).
arg()
{
	local kv

	for kv in $ARGS; do
		case $kv in "$1="*) echo "${kv#*=}"; return 0 ;; esac
	done
	return 1
}

# pci_find VENDOR DEVICE: first matching PCI function.
pci_find()
{
	local d

	for d in /sys/bus/pci/devices/*; do
		if [ "$(cat "$d/vendor")" = "0x$1" ] &&
		   [ "$(cat "$d/device")" = "0x$2" ]; then
			basename "$d"
			return 0
		fi
	done
	return 1
}

# wait_for SECONDS CMD...: poll CMD every half second.
wait_for()
{
	local n=$(( $1 * 2 ))

	shift
	while ! "$@"; do
		n=$((n - 1))
		[ $n -gt 0 ] || return 1
		sleep 0.5
	done
}

# irq_count PATTERN: total interrupts on /proc/interrupts lines matching.
irq_count()
{
	grep -E "$1" /proc/interrupts |
		awk '{ for (i = 2; i <= NF && $i ~ /^[0-9]+$/; i++) s += $i } END { print s + 0 }'
}
