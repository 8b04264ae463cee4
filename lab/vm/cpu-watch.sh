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
# Each CPU gets a heartbeat loop pinned to it (bash builtins only: no
# fork, nothing read from the 9p root; the clock is /proc/uptime's).  Each
# loop also checks its peers.  A beat older than the limit (30 s, or
# lab.cpu_watch_s=N on the kernel command line) is reported on the console
# with what /proc/timer_list says of that CPU; the CPU is repaired when
# that shows the fault (its expires_next behind now) or when the beat is
# three times the limit old: the highest CPU is taken offline and online
# again, which resets its timer base and reprograms the CPU its timers
# move to.  A loop that finds itself late (the whole VM was paused)
# checks nothing that round; a peer loop that is gone is reported once;
# at most three repairs a job.  run-vm.sh shows the reports as notes of
# the run: the emulator's fault, not the job's.
dir=/run/lab-cpu-watch
stale=30
for a in $(< /proc/cmdline); do
	case $a in lab.cpu_watch_s=*) stale=${a#*=} ;; esac
done
mkdir -p "$dir" || exit 0
ncpu=$(nproc --all 2>/dev/null) || exit 0
[ "$ncpu" -gt 1 ] || exit 0
last=$(( ncpu - 1 ))
mkfifo "$dir/never" 2>/dev/null
echo 0 > "$dir/repairs"

# uptime VAR: whole seconds since boot, monotonic, into VAR.
uptime()
{
	local u

	read -r u _ < /proc/uptime
	printf -v "$1" '%s' "${u%%.*}"
}

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

# repair CPU AGE: the report; then, if the fault shows or AGE is three
# times the limit, the highest CPU offline and online, its heartbeat loop
# pinned to it again.
repair()
{
	local cpu=$1 age=$2 l pid st now n exp=0 t=0

	# One repair at a time, whichever CPU's loop saw it first; a lock
	# older than two minutes is a repair that never came back.
	uptime now
	if ! mkdir "$dir/repairing" 2> /dev/null; then
		read -r t < "$dir/repairing/since" 2> /dev/null
		[ $(( now - ${t:-0} )) -gt 120 ] || return 0
	fi
	echo "$now" > "$dir/repairing/since"
	read -r n < "$dir/repairs"
	st=$(timer_state "$cpu")
	# One line a record: the kernel rate-limits what /dev/kmsg takes.
	note "CPU $cpu gave no timer tick for ${age}s; $st"
	[[ $st =~ now\ ([0-9]+).*expires_next\ ([0-9]+) ]] &&
		(( BASH_REMATCH[2] < BASH_REMATCH[1] )) && exp=1
	if [ "${n:-0}" -ge 3 ]; then
		note "CPU $cpu not repaired: 3 repairs already"
	elif [ $exp = 0 ] && [ "$age" -lt $(( 3 * stale )) ]; then
		note "CPU $cpu: its next event is not behind the clock; waiting"
	else
		echo $(( ${n:-0} + 1 )) > "$dir/repairs"
		if echo 0 > "/sys/devices/system/cpu/cpu$last/online" &&
		   echo 1 > "/sys/devices/system/cpu/cpu$last/online"; then
			note "CPU $last taken offline and online again"
		else
			note "CPU $last could not be cycled offline and online"
		fi
		read -r pid < "$dir/pid.$last" &&
			taskset -pc "$last" "$pid" > /dev/null 2>&1
		uptime now
		for (( l = 0; l <= last; l++ )); do
			echo "$now" > "$dir/beat.$l"
		done
	fi
	rm -rf "$dir/repairing"
}

# beat CPU: the loop pinned to CPU.
beat()
{
	local cpu=$1 now mine b c pid gone=" " next=0

	exec 3<> "$dir/never"
	uptime mine
	while :; do
		uptime now
		echo "$now" > "$dir/beat.$cpu"
		# Late itself (the VM was paused): no verdict on the others.
		if [ $(( now - mine )) -le 10 ] && [ "$now" -ge "$next" ]; then
			for (( c = 0; c <= last; c++ )); do
				[ "$c" = "$cpu" ] && continue
				[[ $gone == *" $c "* ]] && continue
				read -r pid < "$dir/pid.$c" 2> /dev/null || continue
				if ! kill -0 "$pid" 2> /dev/null; then
					note "the heartbeat loop of CPU $c is gone"
					gone+="$c "
					continue
				fi
				read -r b < "$dir/beat.$c" 2> /dev/null || continue
				if [ $(( now - b )) -gt "$stale" ]; then
					repair "$c" $(( now - b ))
					# The next verdict a limit later.
					next=$(( now + stale ))
				fi
			done
		fi
		mine=$now
		read -r -t 2 -u 3
	done
}

uptime now
for (( c = 0; c <= last; c++ )); do
	echo "$now" > "$dir/beat.$c"
done
for (( c = 0; c <= last; c++ )); do
	beat "$c" &
	echo $! > "$dir/pid.$c"
	taskset -pc "$c" $! > /dev/null 2>&1
done
wait
