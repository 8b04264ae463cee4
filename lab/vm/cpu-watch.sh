#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run in the background of every lab VM job (stage2.sh, systemd-job.sh):
# the watchdog for a CPU of the VM that stops taking timer interrupts.
#
# Under TCG, CI runs have lost a lab VM to a CPU whose next timer event
# never came: the CPU idles in safe_halt, every sleep queued on it (a test's
# `sleep 0.2`, the job's own timeout) never ends, and when nothing else
# wakes it RCU does not notice either, so the VM sits until the host kills
# it, with nothing in its log.  A lost event leaves the CPU's hrtimer base
# believing its clock event device is already programmed for a time in the
# past, so no later timer re-arms it and waking the CPU does not help.
#
# Each CPU gets a heartbeat loop pinned to it (bash builtins only: no fork,
# nothing read from the 9p root).  Each loop also checks its peers: a beat
# older than LAB_CPU_WATCH_S (30 s) is reported on the console with what
# /proc/timer_list says of that CPU (the evidence: expires_next behind now)
# and repaired by taking the highest CPU offline and online again, which
# resets that CPU's timer base and re-programs the other CPUs' (the timers
# it hands over trigger a reprogram where they land).  run-vm.sh shows the
# report as a note of the run; it is the emulator's fault, not the job's.
dir=/run/lab-cpu-watch
stale=${LAB_CPU_WATCH_S:-30}
mkdir -p "$dir" || exit 0
ncpu=$(nproc --all 2>/dev/null) || exit 0
[ "$ncpu" -gt 1 ] || exit 0
last=$(( ncpu - 1 ))
mkfifo "$dir/never" 2>/dev/null

note()
{
	echo "lab-watchdog: $*" > /dev/kmsg
}

# timer_state CPU: what /proc/timer_list says of CPU, on one line ("now
# N expires_next N ..."): whether its next event is behind the clock.
timer_state()
{
	local line key val sect= out=

	while IFS= read -r line; do
		case $line in
		'now at '*) line=${line#now at }; out+="now ${line%% *} " ;;
		'cpu: '*) sect=${line#cpu: } ;;
		'Per CPU device: '*) sect=dev${line#Per CPU device: } ;;
		*expires_next*|*nr_events*|*nr_hangs*|*tick_stopped*|*next_timer*)
			[ "$sect" = "$1" ] || continue
			key=${line%%:*}
			val=${line#*: }
			key=${key//[ .]/}
			out+="$key ${val%% *} " ;;
		*' next_event:'*)
			[ "$sect" = "dev$1" ] || continue
			val=${line#*: }
			val=${val#"${val%%[! ]*}"}
			out+="device_next_event ${val%% *} " ;;
		esac
	done < /proc/timer_list
	echo "${out% }"
}

# repair CPU: the report, then the highest CPU offline and online; its
# heartbeat loop is pinned to it again.
repair()
{
	local cpu=$1 age=$2 l pid

	# One repair at a time, whichever CPU's loop saw it first.
	mkdir "$dir/repairing" 2> /dev/null || return 0
	# One line a record: the kernel rate-limits what /dev/kmsg takes.
	note "CPU $cpu gave no timer tick for ${age}s; $(timer_state "$cpu")"
	if echo 0 > "/sys/devices/system/cpu/cpu$last/online" &&
	   echo 1 > "/sys/devices/system/cpu/cpu$last/online"; then
		note "CPU $last taken offline and online again"
	else
		note "CPU $last could not be cycled offline and online"
	fi
	read -r pid < "$dir/pid.$last" &&
		taskset -pc "$last" "$pid" > /dev/null 2>&1
	for (( l = 0; l <= last; l++ )); do
		printf '%(%s)T\n' -1 > "$dir/beat.$l"
	done
	rmdir "$dir/repairing"
}

# beat CPU: the loop pinned to CPU.
beat()
{
	local cpu=$1 now b c

	exec 3<> "$dir/never"
	while :; do
		printf -v now '%(%s)T' -1
		echo "$now" > "$dir/beat.$cpu"
		for (( c = 0; c <= last; c++ )); do
			[ "$c" = "$cpu" ] && continue
			read -r b < "$dir/beat.$c" 2> /dev/null || continue
			[ $(( now - b )) -gt "$stale" ] && repair "$c" $(( now - b ))
		done
		read -r -t 2 -u 3
	done
}

for (( c = 0; c <= last; c++ )); do
	printf '%(%s)T\n' -1 > "$dir/beat.$c"
done
for (( c = 0; c <= last; c++ )); do
	beat "$c" &
	echo $! > "$dir/pid.$c"
	taskset -pc "$c" $! > /dev/null 2>&1
done
wait
