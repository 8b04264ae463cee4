#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The lab's main job (make lab): boot the emulated host, split its 82576
# into contexts with cdnactl, put two of them to work in network namespaces
# and two more in a guest that libvirt manages (one from its domain XML,
# one hot-plugged), and show the NIC, the contexts and their counters.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)

make -s -C "$top" modules modules-guest userspace > /dev/null || exit 1
make -s -C "$top/tests/tools" || exit 1
"$here/run-vm.sh" -t 900 -m 3072 -o "$top/build/lab/demo" lab/demo/inside.sh
rc=$?
cat "$top/build/lab/demo/test.log"
echo
echo "(VM output: build/lab/demo/: console.log, dmesg.log, wire.pcap)"
exit $rc
