#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make bench, guest side: /script.sh of the bench initramfs (bench.sh).
#
# The kernel command line says what to do:
#   mb.phase=insn  (one vCPU, -icount shift=0) load mb_bench.ko, enable its
#                  recording marker, run every case, then the optimized
#                  kprobe case; mb.iters=N mb.reps=N; then the event
#                  cases one by one (ev_cases below)
#   mb.phase=prof  (one vCPU, -icount, gdb attached by bench.sh) only the
#                  event cases, for their instruction profile: with
#                  mb.iters=1 mb.reps=3, three calls each
#   mb.phase=arm   (two vCPUs) load mb_arm.ko; mb.arm_reps=N times: enable
#                  and disable its 1000 markers with one glob write to
#                  set_marker, its 1000 static keys one by one, and the
#                  1000 markers one by one (1000 writes), and every
#                  marker's event with one write to events/markers/enable
#                  and one to set_event
# Output, for tools/testing/markers/bench/report.py: "MB-K <kernel line>"
# for the modules' result lines, "MB-ARM ...", "MB-REC ...", "MB-PRINTK ...",
# "MB-EV ...", "MB-PERF ...", "MB-FMT ...", "MB-TAINT ...", and
# "MB-FAIL <what>" for each step that failed; exits 1 if one did.

D=/sys/kernel/debug/markers
T=/sys/kernel/tracing
X=/modules/extra
phase=insn iters=1000 reps=9 arm_reps=3
read -r cmdline < /proc/cmdline
for w in $cmdline; do
	case $w in
	mb.phase=*) phase=${w#mb.phase=} ;;
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
	put 0 /proc/sys/debug/kprobes-optimization
	put 4096 $T/buffer_size_kb
	insmod $X/mb_bench.ko iters="$iters" reps="$reps" || { fail insmod; return; }
	put mb_bench_rec $D/set_marker
	put 1 /sys/module/mb_bench/parameters/run
	put 1 /proc/sys/debug/kprobes-optimization
	put 1 /sys/module/mb_bench/parameters/run_optprobe
	# the marker's records are in the top-level trace buffer, with the
	# trace_printk() ones (one vCPU: cpu0's overrun counts what was lost)
	echo "MB-REC hits $(grep -c ': mb_bench_rec: ' $T/trace)" \
		"missed $(sed -n 's/^overrun: //p' $T/per_cpu/cpu0/stats)"
	echo "MB-PRINTK $(grep -E '^(entries|overrun):' $T/per_cpu/cpu0/stats | tr '\n' ' ')"
	ev_cases
	n=$(cat /sys/module/mb_bench/parameters/failures)
	[ "$n" = 0 ] || fail "$n case(s) of mb_bench"
	put '' $D/set_marker
	rmmod mb_bench || fail "rmmod mb_bench"
}

# The event cases of mb_bench.ko (see its header), each alone in the
# top-level buffer, cleared before it: one event per call.
P=/sys/module/mb_bench/parameters
EV=$T/events/markers/mb_bench_ev
TE=$T/events/mb_bench/mb_bench_te
IPM=$T/events/markers/mb_bench_ip
IPT=$T/events/mb_bench/mb_bench_ip

# ev_stats CASE: "MB-EV CASE entries N overrun N | <first record>"
ev_stats() {
	s=$(grep -E '^(entries|overrun):' $T/per_cpu/cpu0/stats | tr '\n' ' ')
	first=$(grep -v '^#' $T/trace | head -n 1)
	echo "MB-EV $1 $s| $first"
}

# ev_case CASE [ENABLE_FILE]: run CASE with the event of ENABLE_FILE on
ev_case() {
	: > $T/trace
	[ -z "${2:-}" ] || put 1 "$2"
	put "$1" $P/run_case
	[ -z "${2:-}" ] || put 0 "$2"
	ev_stats "$1"
}

# pf_case CASE ID_FILE: run CASE with a perf counting event open on the
# event of ID_FILE (its ftrace event off): "MB-PERF CASE count N"
pf_case() {
	: > $T/trace
	out=$(mbperf "$1=$2" -- sh -c "echo $1 > $P/run_case") ||
		fail "mbperf $1: $out"
	echo "MB-PERF $out"
	ev_stats "$1"
}

# the fields of an event's format, "type name" separated by ";"
fields() {
	sed -n 's/^[[:space:]]*field:\([^;]*\);.*/\1/p' "$1/format" |
		grep -v ' common_' | tr '\n' ';'
}

ev_cases() {
	for e in $EV $TE $IPM $IPT; do
		[ -d "$e" ] || fail "no event directory $e"
	done
	echo "MB-FMT ev_mark $(fields $EV)"
	echo "MB-FMT ev_te $(fields $TE)"
	echo "MB-FMT ip_mark $(fields $IPM)"
	echo "MB-FMT ip_te $(fields $IPT)"
	ev_case ev_mark $EV/enable
	ev_case ev_te $TE/enable
	ev_case ev_prk
	pf_case pf_mark $EV/id
	pf_case pf_te $TE/id
	ev_case ip_mark $IPM/enable
	ev_case ip_te $IPT/enable
	pf_case ip_pf_mark $IPM/id
	pf_case ip_pf_te $IPT/id
	: > $T/trace
	# trace_printk()'s banner at insmod must be no warning (W: bit 9)
	echo "MB-TAINT $(cat /proc/sys/kernel/tainted)" \
		"banner $(dmesg | grep -c 'trace_printk() being used')"
}

# only the event cases, for bench.sh's gdb profile of their calls
prof_phase() {
	insmod $X/mb_bench.ko iters="$iters" reps="$reps" || { fail insmod; return; }
	ev_cases
	n=$(cat $P/failures)
	[ "$n" = 0 ] || fail "$n case(s) of mb_bench"
	rmmod mb_bench || fail "rmmod mb_bench"
}

# arm_one NAME FILE TEXT...: time one mbtime run, with the registry's stats
arm_one() {
	name=$1; shift
	s0=$(stats)
	out=$(mbtime "$@") || fail "$name"
	echo "MB-ARM $name $r $out before $s0 after $(stats)"
}

arm_phase() {
	insmod $X/mb_arm.ko || { fail insmod; return; }
	put 1 /sys/module/mb_arm/parameters/fire
	names=$(seq 1000 1999 | sed 's/^/mb_arm_/')
	for r in $(seq "$arm_reps"); do
		arm_one glob_on $D/set_marker 'mb_arm_*'
		n=$(grep -c '^mb_arm_' $D/set_marker)
		[ "$n" = 1000 ] || fail "glob enabled $n markers, not 1000"
		arm_one glob_off $D/set_marker '!mb_arm_*'
		arm_one keys_on /sys/module/mb_arm/parameters/keys 1
		arm_one keys_off /sys/module/mb_arm/parameters/keys 0
		# shellcheck disable=SC2086 # one argument per name
		arm_one each_on $D/set_marker $names
		n=$(grep -c '^mb_arm_' $D/set_marker)
		[ "$n" = 1000 ] || fail "1000 writes enabled $n markers, not 1000"
		# shellcheck disable=SC2086,SC2046
		arm_one each_off $D/set_marker $(echo "$names" | sed 's/^/!/')
		# tracefs's own files: every marker's event, mb_arm's and the
		# kernel's, in one write each
		arm_one system_on $T/events/markers/enable 1
		n=$(grep -c '^markers:mb_arm_' $T/set_event)
		[ "$n" = 1000 ] || fail "events/markers/enable enabled $n mb_arm markers, not 1000"
		arm_one system_off $T/events/markers/enable 0
		arm_one set_event_on $T/set_event 'markers:*'
		arm_one set_event_off $T/set_event '!markers:*'
	done
	put 1 /sys/module/mb_arm/parameters/fire
	rmmod mb_arm || fail "rmmod mb_arm"
}

dmesg -n 5	# keep the console for this script's lines and warnings
case $phase in
insn) insn_phase ;;
prof) prof_phase ;;
arm) arm_phase ;;
*) fail "unknown phase $phase" ;;
esac
# the modules' lines (with or without printk timestamps)
dmesg | sed 's/^\[[^]]*\] //' | grep -E '^(mb_bench|mb_arm): ' | sed 's/^/MB-K /'
exit $status
