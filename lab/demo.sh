#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The lab's main job (make lab): boot the emulated host, split its 82576
# into contexts with cdnactl, put two of them to work in network namespaces
# and two more in a guest that libvirt manages (one from its domain XML,
# one hot-plugged), and show the NIC, the contexts and their counters.
#
# Progress as it happens: each step is printed when it starts and when it
# ends, with its duration; the VM's output (lab/demo/inside.sh, whose steps
# are its "### " lines) is streamed from build/lab/demo/test.log while the
# VM runs; a quiet step says every 30 s that it is still running.  At the
# end, the steps with their times and a summary of what was shown
# (build/lab/demo/summary, written by inside.sh).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
out="$top/build/lab/demo"
script=lab/demo/inside.sh

t0=$(date +%s)
nsteps=$(( $(grep -c '^step "' "$top/$script") + 2 ))
cur=
cur_start=
nstep=0
steps=()

clock() { local s=$(( $(date +%s) - t0 )); printf '%2d:%02d' $((s / 60)) $((s % 60)); }
dur() { local s=$1; [ "$s" -ge 60 ] && printf '%dm%02ds' $((s / 60)) $((s % 60)) || printf '%ds' "$s"; }

# begin TITLE: a new step (the one running ends first).
begin()
{
	[ -z "$cur" ] || end ok
	nstep=$((nstep + 1))
	cur=$1
	cur_start=$(date +%s)
	printf '\n[%s] step %d/%d: %s\n' "$(clock)" "$nstep" "$nsteps" "$cur"
}

# end ok|failed: the running step ends.
end()
{
	local s=$(( $(date +%s) - cur_start ))

	[ -n "$cur" ] || return 0
	printf '[%s] step %d/%d %s (%s): %s\n' "$(clock)" "$nstep" "$nsteps" \
		"$([ "$1" = ok ] && echo done || echo FAILED)" "$(dur $s)" "$cur"
	steps+=("$(printf '%7s  %-6s %s' "$(dur $s)" "$1" "$cur")")
	cur=
}

# stream: print the VM's test.log as it grows, its "### " lines as steps.
stream()
{
	local line rc quiet=0

	while :; do
		IFS= read -r -t 30 line
		rc=$?
		if [ $rc -gt 128 ]; then
			quiet=$((quiet + 30))
			[ -n "$line" ] && printf '    %s\n' "$line"
			kill -0 "$vm" 2>/dev/null || break
			printf '    ... still running (%s so far, %s without output)\n' \
				"$(dur $(( $(date +%s) - cur_start )))" "$(dur $quiet)"
			continue
		fi
		[ $rc -eq 0 ] || [ -n "$line" ] || break
		quiet=0
		case $line in
		'### '*) begin "${line#\#\#\# }" ;;
		'') ;;
		*) printf '    %s\n' "$line" ;;
		esac
		[ $rc -eq 0 ] || break
	done
}

begin "build the modules (lab and guest kernels), cdnactl and the test tools"
if ! make -s -C "$top" modules modules-guest userspace > "$top/build/demo-build.log" 2>&1 ||
   ! make -s -C "$top/tests/tools" >> "$top/build/demo-build.log" 2>&1; then
	tail -n 20 "$top/build/demo-build.log"
	end failed
	exit 1
fi

begin "boot the lab VM (QEMU TCG: the emulated host with its 82576)"
rm -rf "$out"
"$here/run-vm.sh" -t 900 -m 3072 -o "$out" "$script" > "$top/build/demo-vm.log" 2>&1 &
vm=$!
# run-vm.sh recreates $out; test.log appears once the VM runs the script.
while kill -0 "$vm" 2>/dev/null && [ ! -e "$out/job" ]; do sleep 0.2; done
stream < <(tail -n +1 -F --pid="$vm" "$out/test.log" 2>/dev/null)
wait "$vm"
rc=$?
if [ $rc -eq 0 ]; then
	end ok
else
	end failed
	# run-vm.sh's report, less what was streamed (test.log) and its verdict
	echo
	awk '/^--- .*test\.log/ { skip = 1; next } /^--- / { skip = 0 }
	     !skip && !/^lab: /' "$top/build/demo-vm.log"
fi

echo
echo "== The steps ($(dur $(( $(date +%s) - t0 ))) in all)"
printf '%s\n' "${steps[@]}"
if [ -s "$out/summary" ]; then
	echo
	echo "== What was shown"
	sed 's/^/  - /' "$out/summary"
fi
echo
grep -m1 -E '^lab: (PASS|FAIL|SKIP)' "$top/build/demo-vm.log" || echo "lab: exit $rc"
echo "(all of it: build/lab/demo/: test.log, console.log, dmesg.log, wire.pcap)"
exit $rc
