#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The outer QEMU must be one whose igb model works for the lab: 10.0.13 or
# later (10.0.2 breaks VF registers above 4 GiB and in nested guests).  The
# VF register read that goes with it is tests/host/lab-82576.sh.
source "$(dirname "$0")/lib.sh"

v=$("$top/lab/qemu" --version | sed -n 's/^QEMU emulator version \([0-9.]*\).*/\1/p')
[ -n "$v" ] || { echo "FAIL: lab/qemu gives no version"; exit 1; }
echo "outer QEMU $v"
if [ "$(printf '%s\n%s\n' 10.0.13 "$v" | sort -V | head -n1)" != 10.0.13 ]; then
	fail "QEMU $v is older than 10.0.13"
fi
"$top/lab/qemu" -device help | grep -q '"igb"' || fail "QEMU has no igb device"
exit $status
