#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# ARCH=arm64 make bench, guest side: /script.sh of the arm64 bench
# initramfs (bench/arm64/bench.sh), one boot with one vCPU under -icount
# shift=0, where the PMU's instruction counter is exact.
#
# The kernel command line says how much: mb.iters=N mb.reps=N (per-call
# cases of mb_pmu.ko) and mb.arm_reps=N (arming). Steps:
#   1. load mb_pmu.ko and run its cases;
#   2. load mb_arm.ko; mb.arm_reps times: enable and disable its 1000
#      markers with one glob write to set_marker, and its 1000 static keys
#      one by one, each counted by mbinsn (every instruction the CPU ran).
# Output, for bench/arm64/report.py: "MB-K <kernel line>" for the modules'
# result lines, "MB-ARM <op> <rep> insn <n> ... before <stats> after
# <stats>", and "MB-FAIL <what>" for each step that failed; exits 1 if one
# did.

D=/sys/kernel/debug/markers
X=/modules/extra
iters=1000 reps=9 arm_reps=3
read -r cmdline < /proc/cmdline
for w in $cmdline; do
	case $w in
	mb.iters=*) iters=${w#mb.iters=} ;;
	mb.reps=*) reps=${w#mb.reps=} ;;
	mb.arm_reps=*) arm_reps=${w#mb.arm_reps=} ;;
	esac
done
status=0
fail() { echo "MB-FAIL $*"; status=1; }
# put VALUE FILE: write VALUE to FILE, a failure is reported
put() { echo "$1" > "$2" || fail "write '$1' to $2"; }
stats() { tr '\n' ' ' < $D/stats; }

insn_phase() {
	insmod $X/mb_pmu.ko iters="$iters" reps="$reps" || { fail "insmod mb_pmu"; return; }
	put 1 /sys/module/mb_pmu/parameters/run
	n=$(cat /sys/module/mb_pmu/parameters/failures)
	[ "$n" = 0 ] || fail "$n case(s) of mb_pmu"
	rmmod mb_pmu || fail "rmmod mb_pmu"
}

# arm_one NAME FILE TEXT...: count one mbinsn run, with the registry's stats
arm_one() {
	name=$1; shift
	s0=$(stats)
	out=$(mbinsn "$@" 2>&1) || fail "$name: $out"
	echo "MB-ARM $name $r $out before $s0 after $(stats)"
}

arm_phase() {
	insmod $X/mb_arm.ko || { fail "insmod mb_arm"; return; }
	put 1 /sys/module/mb_arm/parameters/fire
	for r in $(seq "$arm_reps"); do
		arm_one glob_on $D/set_marker 'mb_arm_*'
		n=$(grep -c '^mb_arm_' $D/set_marker)
		[ "$n" = 1000 ] || fail "glob enabled $n markers, not 1000"
		arm_one glob_off $D/set_marker '!mb_arm_*'
		n=$(grep -c '^mb_arm_' $D/set_marker)
		[ "$n" = 0 ] || fail "glob left $n markers enabled"
		arm_one keys_on /sys/module/mb_arm/parameters/keys 1
		arm_one keys_off /sys/module/mb_arm/parameters/keys 0
	done
	put 1 /sys/module/mb_arm/parameters/fire
	rmmod mb_arm || fail "rmmod mb_arm"
}

dmesg -n 5	# keep the console for this script's lines and warnings
echo "MB-CPUS $(nproc)"
insn_phase
arm_phase
# the modules' lines (with or without printk timestamps)
dmesg | sed 's/^\[[^]]*\] //' | grep -E '^(mb_pmu|mb_arm): ' | sed 's/^/MB-K /'
exit $status
