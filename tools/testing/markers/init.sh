#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# /init of the markers test initramfs (installed by initramfs.sh).
#
# Mode from the kernel command line: workbench.mode=demo|test|shell|script
#   demo    runs /demo.sh, then prints "DEMO: OK" if it exited 0 and the
#           kernel did not warn/oops meanwhile nor while booting, else
#           "DEMO: FAILED (...)"
#   test    runs every /tests/*.sh in order as one KTAP document: first
#           "ok 1 boot" if the boot left no W/D/L taint and no WARNING:,
#           BUG:, UBSAN:, Oops: or panic line; then each script's own KTAP
#           output, indented as its subtests, and "ok N name" / "not ok N
#           name" from its exit status (and taint: a script that warns on
#           purpose, and checks that its warning is the only one, writes
#           the taint bits it expects to /tmp/taint.expected)
#   shell   an interactive shell
#   script  runs /script.sh, then prints "VM-TEST-STATUS: <exit status>"
#           (124 if the script succeeded but the boot warned)
# Modules: /lib/modules/$(uname -r) (modprobe works), and flat copies in
# /modules/samples/*.ko (samples/markers) and /modules/extra/*.ko (vm-test).
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
mkdir -p /proc /sys /dev /tmp
# mount_fs TYPE DIR: mount a pseudo filesystem, with TYPE as the source name
mount_fs() { mount -t "$1" "$1" "$2"; }
mount_fs proc /proc
mount_fs sysfs /sys
mount_fs devtmpfs /dev 2>/dev/null
mount_fs debugfs /sys/kernel/debug
[ -d /sys/kernel/tracing ] && mount_fs tracefs /sys/kernel/tracing
echo "WORKBENCH: init started"

mode=shell
for w in $(cat /proc/cmdline); do
	case "$w" in workbench.mode=*) mode=${w#workbench.mode=} ;; esac
done

# taint bits that mean the kernel complained: D (oops) W (warning) L (lockup)
BAD_TAINT=$(( (1 << 7) | (1 << 9) | (1 << 14) ))
new_taint() { echo $(( $(cat /proc/sys/kernel/tainted) & ~$1 & BAD_TAINT )); }

# show_session SID: pid, state, kernel wait channel and command of every
# process of session SID
show_session() {
	for p in /proc/[0-9]*; do
		read -r _ _ st _ _ sid _ < "$p/stat" 2> /dev/null || continue
		[ "$sid" = "$1" ] || continue
		echo "    # ${p#/proc/} $st $(cat "$p/wchan" 2> /dev/null)" \
			"$(tr '\0' ' ' < "$p/cmdline" 2> /dev/null | head -c 120)"
	done
}

# run_script SCRIPT: run it, its output indented as KTAP subtests; return
# its exit status, or 124 if it was still running after TEST_TIMEOUT
# seconds. The script runs in its own session, so that a timeout kills its
# background jobs too, first dumping the blocked tasks, the CPUs'
# backtraces (sysrq w, l) and its processes, to say where it hung or
# spins. Its output goes through a FIFO whose reader is not waited for
# long: a task stuck in the kernel that holds it open cannot stop the run.
run_script() {
	fifo=/tmp/script-out.$i
	rm -f "$fifo"
	mkfifo "$fifo"
	sed 's/^/    /' < "$fifo" &
	reader=$!
	setsid sh "$1" > "$fifo" 2>&1 &
	pid=$!
	(
		sleep "${TEST_TIMEOUT:-900}"
		echo "    # $1: still running after ${TEST_TIMEOUT:-900} s, blocked tasks:"
		echo w > /proc/sysrq-trigger
		echo "    # and what the CPUs run (a script that spins):"
		echo l > /proc/sysrq-trigger
		echo "    # and where the script's processes sleep:"
		show_session "$pid"
		kill -KILL -"$pid"
	) &
	watchdog=$!
	wait "$pid"
	rc=$?
	kill "$watchdog" 2> /dev/null && timed_out=0 || timed_out=1
	n=0
	while kill -0 "$reader" 2> /dev/null && [ $n -lt 10 ]; do
		sleep 1
		n=$((n + 1))
	done
	rm -f "$fifo"
	[ "$timed_out" = 0 ] || return 124
	return "$rc"
}

# The boot itself, built-in KUnit suites included, must not have complained:
# the per-script checks below only see what changes while a script runs.
# Sets boot_bad to "" or to why the boot failed, and prints the evidence.
boot_check() {
	boot_bad=
	taint=$(( $(cat /proc/sys/kernel/tainted) & BAD_TAINT ))
	[ "$taint" = 0 ] || boot_bad="taint $taint"
	dmesg | grep -E -m 5 '(WARNING:|BUG:|UBSAN:|Oops:|Kernel panic)' > /tmp/boot.bad
	[ ! -s /tmp/boot.bad ] ||
		boot_bad="${boot_bad:+$boot_bad, }$(head -n 1 /tmp/boot.bad)"
	[ -z "$boot_bad" ] && return
	echo "WORKBENCH: boot FAILED: $boot_bad"
	sed 's/^/WORKBENCH: | /' /tmp/boot.bad
}
boot_check

case "$mode" in
demo)
	t0=$(cat /proc/sys/kernel/tainted)
	sh /demo.sh
	rc=$?
	bad=$(new_taint "$t0")
	if [ "$rc" = 0 ] && [ "$bad" = 0 ] && [ -z "$boot_bad" ]; then
		echo "DEMO: OK"
	else
		echo "DEMO: FAILED (exit $rc, new taint $bad${boot_bad:+, boot: $boot_bad})"
	fi
	;;
test)
	dmesg -n 5	# KERN_WARNING and worse still reach the console
	echo "WORKBENCH: tests begin"
	echo "KTAP version 1"
	set -- /tests/*.sh
	[ -e "$1" ] || set --
	echo "1..$(($# + 1))"
	if [ -z "$boot_bad" ]; then
		echo "ok 1 boot"
	else
		echo "not ok 1 boot # $boot_bad"
	fi
	i=1
	for t in "$@"; do
		i=$((i + 1))
		name=$(basename "$t" .sh)
		t0=$(cat /proc/sys/kernel/tainted)
		read -r up0 _ < /proc/uptime
		rm -f /tmp/taint.expected
		run_script "$t"
		rc=$?
		read -r up _ < /proc/uptime
		echo "    # $name took $(( ${up%.*} - ${up0%.*} )) s"
		# a script that provokes a warning on purpose, and has checked
		# that it is the only one, names its taint bits there
		bad=$(( $(new_taint "$t0") & ~$(cat /tmp/taint.expected 2> /dev/null || echo 0) ))
		if [ "$rc" = 0 ] && [ "$bad" = 0 ]; then
			echo "ok $i $name"
		else
			echo "not ok $i $name # exit $rc, new taint $bad"
		fi
	done
	echo "WORKBENCH: tests end"
	;;
script)
	sh /script.sh
	rc=$?
	# A boot that warned fails the run, whatever the script found.
	[ -z "$boot_bad" ] || [ "$rc" != 0 ] || rc=124
	echo "VM-TEST-STATUS: $rc"
	;;
*)
	echo "WORKBENCH: shell; leave with 'reboot -f' (or Ctrl-A x)"
	setsid cttyhack sh -l
	;;
esac
echo "WORKBENCH: done"
sync
reboot -f
