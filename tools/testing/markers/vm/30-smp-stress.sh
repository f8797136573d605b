#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# SMP stress of marker patching, meant for 4 vCPUs (VM_SMP=4). The module
# modules/mt_stress.ko fires three markers in a loop on every online CPU
# while two of its kthreads connect and disconnect probes to them (direct
# and va_list, singly and in marker_probes_change() batches: 0 -> 1 -> N
# -> 1 -> 0 probes, direct call <-> dispatcher, one direct probe for
# another); meanwhile this script enables and disables the markers' trace
# events (debugfs set_marker globs and control queries, tracefs
# events/markers/*/enable) in background loops, samples the sites, and
# drains the top-level trace_pipe.
# STRESS_SECS seconds (default 30; STRESS_SECS=300 for a soak).
# STRESS_KMEMLEAK=0 skips the kmemleak check (about 15 s in TCG).
# STRESS_FAULT=1|2|3 injects a fault to check the checks (mt_stress.c,
# "fault"): lost hits, late calls, foreign private data; the run must fail.
#
# The module checks every registration ("session") with sequence counters
# (see the top of mt_stress.c); this script asserts its figures, the
# patching done under load (stats), clean unloading, and a quiet kernel.

D=/sys/kernel/debug/markers
TR=/sys/kernel/tracing
E=$TR/events/markers
X=/modules/extra
P=/sys/module/mt_stress/parameters
T=/tmp/stress
KMEMLEAK=/sys/kernel/debug/kmemleak
SECS=${STRESS_SECS:-30}

. /lib/markers-ktap.sh
eq() { [ "$1" = "$2" ]; }
param() { cat "$P/$1" 2>/dev/null || echo missing; }
stat_of() { sed -n "s/^$1 //p" $D/stats; }
# Uptime in hundredths of a second.
now() { read -r up _ < /proc/uptime; echo "${up%.*}${up#*.}"; }

# --- the background loops: each runs until $T.stop exists, then writes
# "writes failures" (or its samples) to $T.<name>

running() { [ ! -e $T.stop ]; }
# put FILE TEXT truncates (set_marker: disables every marker first);
# add FILE TEXT appends.
put() { writes=$((writes + 1)); echo "$2" > "$1" || fails=$((fails + 1)); }
add() { writes=$((writes + 1)); echo "$2" >> "$1" || fails=$((fails + 1)); }

loop_set_marker() {
	writes=0 fails=0
	while running; do
		add $D/set_marker 'mt_stress_*'
		sleep 0.05
		add $D/set_marker '!mt_stress_[ab]'
		put $D/set_marker 'mt_stress_a mt_stress_c'
		sleep 0.05
		add $D/set_marker '!mt_stress_*'
		sleep 0.1
	done
	echo "$writes $fails" > $T.set_marker
}

loop_control() {
	writes=0 fails=0 by_file='file mt_stress.c name mt_stress_a +'
	while running; do
		add $D/control 'module mt_stress name mt_stress_b +'
		# two queries in one request
		add $D/control "module mt_stress func mt_fire_c +; $by_file"
		sleep 0.05
		add $D/control 'module mt_stress func mt_fire_a* -'
		add $D/control 'module mt_stress -'
		sleep 0.1
	done
	echo "$writes $fails" > $T.control
}

loop_enable() {
	writes=0 fails=0
	while running; do
		for m in a b c; do add $E/mt_stress_$m/enable 1; done
		sleep 0.05
		for m in c a b; do add $E/mt_stress_$m/enable 0; done
		sleep 0.1
	done
	echo "$writes $fails" > $T.enable
}

# Samples the sites: how often a site of the module was seen calling a
# direct probe, and calling the dispatcher. Reads the other listings too.
loop_sample() {
	direct=0 dispatch=0 samples=0
	while running; do
		while read -r line; do
			case "$line" in
			'mt_stress_'*' on armed direct='*) direct=$((direct + 1)) ;;
			'mt_stress_'*' on armed') dispatch=$((dispatch + 1)) ;;
			esac
		done < $D/sites
		read -r _ < $D/available_markers
		read -r _ < $D/control
		read -r _ < $D/set_marker
		samples=$((samples + 1))
		sleep 0.05
	done
	echo "$samples $direct $dispatch" > $T.sample
}

# kmemleak reports an object that a scan finds unreferenced, older than 5 s
# and unchanged since the previous scan: scan, wait, scan again.
leak_scans() { echo scan > $KMEMLEAK && sleep 6 && echo scan > $KMEMLEAK; }
leaks() { grep -c '^unreferenced object' $KMEMLEAK; [ $? -le 1 ]; }
kmemleak=${STRESS_KMEMLEAK:-1}
[ -w $KMEMLEAK ] || kmemleak=0

echo "KTAP version 1"
echo "1..18"
t_start=$(now)
taint0=$(cat /proc/sys/kernel/tainted)
rm -f $T.*
if [ "$kmemleak" = 1 ]; then
	# Forget what boot and the earlier tests left.
	leak_scans && echo clear > $KMEMLEAK
fi
dmesg -c > /dev/null
cpus=$(nproc)
echo "# $cpus CPUs online, $SECS s of stress"
[ "$cpus" -ge 2 ] || echo "# a single CPU: this is no SMP stress (VM_SMP=4)"

# 1: the module and its markers (mt_stress_a has two sites)
insmod $X/mt_stress.ko ${STRESS_FAULT:+fault=$STRESS_FAULT} &&
	grep -q '^mt_stress_a "cpu %u seq %lu" sites=2 state=off probes=0 module=mt_stress$' \
		$D/available_markers &&
	grep -q '^mt_stress_c "cpu %u seq %lu a %d b %d c %d check %lx" sites=1 ' \
		$D/available_markers
ok $? stress_module_loaded

seq0=$(stat_of sequences) batch0=$(stat_of batches) poke0=$(stat_of pokes)
gp0=$(stat_of grace_periods)

# 2: a firing thread per online CPU, two changing threads
echo 1 > $P/run
ok "$(eq "$(param workers)" "$cpus"; echo $?)" stress_started \
	"workers=$(param workers), CPUs=$cpus"

# The reader is killed at the end; timeout ends it anyway, should that fail.
echo > $TR/trace
sh -c "echo \$\$ > $T.catpid; exec timeout $((SECS + 300)) cat $TR/trace_pipe" |
	wc -c > $T.pipe &
loop_set_marker 2> $T.set_marker.err &
l1=$!
loop_control 2> $T.control.err &
l2=$!
loop_enable 2> $T.enable.err &
l3=$!
loop_sample &
l4=$!

# The stress itself, with progress every 10 s (30 s for long runs).
step=10
[ "$SECS" -le 60 ] || step=30
left=$SECS
while [ "$left" -gt 0 ]; do
	s=$step
	[ "$s" -le "$left" ] || s=$left
	sleep "$s"
	left=$((left - s))
	echo "# $((SECS - left)) s: fired $(param fired), sessions checked" \
		"$(param sessions), patching sequences $(($(stat_of sequences) - seq0))"
done

touch $T.stop
wait $l1 $l2 $l3 $l4
for c in $TR/per_cpu/cpu*; do
	echo "# trace buffer ${c##*/}: $(grep -E '^(entries|overrun|dropped events):' \
		$c/stats | tr '\n' ' ')"
done

# 3: stopping disconnects every probe, under load, and checks each session
t=$(now)
echo 0 > $P/run
ok "$(eq "$(param run)" 0; echo $?)" stress_stopped
t=$(($(now) - t))
echo "# stopping took $((t / 100)).$((t % 100 / 10)) s"
seq1=$(stat_of sequences) batch1=$(stat_of batches) poke1=$(stat_of pokes)
gp1=$(stat_of grace_periods)

fired=$(param fired) counted=$(param counted) expected=$(param expected)
possible=$(param possible) sessions=$(param sessions)
echo "# hits fired $fired, counted by the probes $counted" \
	"(expected at least $expected, at most $possible)"
echo "# sessions $sessions ($(param direct_sessions) of direct probes)," \
	"registry calls: $(param batches) batches, $(param singles) single"
echo "# patching under load: sequences $((seq1 - seq0)), batches $((batch1 - batch0))," \
	"pokes $((poke1 - poke0)), grace periods $((gp1 - gp0))"

# 4: the load happened: hits, sessions of both forms, batches
[ "$fired" -gt 0 ] && [ "$expected" -gt 0 ] && [ "$sessions" -gt 0 ] &&
	[ "$(param direct_sessions)" -gt 0 ] &&
	[ "$(param direct_sessions)" -lt "$sessions" ] &&
	[ "$(param batches)" -gt 0 ] && [ "$(param singles)" -gt 0 ]
ok $? load_applied "fired=$fired expected=$expected sessions=$sessions"

# 5-10: the checks of the sessions
ok "$(eq "$(param lost)" 0; echo $?)" no_lost_hit \
	"lost=$(param lost): hits fired while connected and not counted"
ok "$(eq "$(param late)" 0; echo $?)" no_call_after_synchronize_unregister \
	"late=$(param late)"
ok "$(eq "$(param early)/$(param excess)" 0/0; echo $?)" no_call_outside_session \
	"early/excess=$(param early)/$(param excess)"
ok "$(eq "$(param foreign)" 0; echo $?)" no_foreign_private_data \
	"foreign=$(param foreign)"
ok "$(eq "$(param bad_args)" 0; echo $?)" probe_arguments_intact \
	"bad_args=$(param bad_args)"
ok "$(eq "$(param api_errors)" 0; echo $?)" registry_calls_succeeded \
	"api_errors=$(param api_errors)"

# 11: every write (debugfs set_marker and control, tracefs enable) was
# accepted
writes=0 fails=0
for l in set_marker control enable; do
	w=0 f=1
	read -r w f < $T.$l
	echo "# debugfs $l: $w writes, $f refused"
	writes=$((writes + w)) fails=$((fails + f))
	sed "s/^/# $l: /" $T.$l.err | head -n 5
done
echo "# debugfs enable/disable writes: $writes"
ok "$([ "$writes" -gt 0 ] && [ "$fails" = 0 ]; echo $?)" debugfs_writes_accepted \
	"$fails of $writes refused"

# 12: the recorder recorded, and trace_pipe was read
kill "$(cat $T.catpid)" && wait
echo "# trace_pipe: $(cat $T.pipe) bytes read"
ok "$([ "$(cat $T.pipe)" -gt 0 ] 2>/dev/null; echo $?)" trace_pipe_drained

# 13: the sites called probes both directly and through the dispatcher
samples=0 direct=0 dispatch=0
read -r samples direct dispatch < $T.sample
echo "# sites listing sampled $samples times: $direct sites seen calling a direct probe," \
	"$dispatch the dispatcher"
dcalls=$(param direct_calls)
echo "# probe calls straight from a site: $dcalls of $counted"
ok "$([ "$dcalls" -gt 0 ] && [ "$dcalls" -lt "$counted" ]; echo $?)" \
	direct_and_dispatcher_calls

# 14: text was patched, in batches, while the markers fired
[ $((seq1 - seq0)) -gt 0 ] && [ $((batch1 - batch0)) -gt 0 ] &&
	[ $((poke1 - poke0)) -gt 0 ]
ok $? patched_under_load

# 15: nothing left behind: no probe, no enabled marker, no module, no
# record (the events stay, disabled: they were enabled once)
echo '!mt_stress_*' >> $D/set_marker
on=$(grep '^mt_stress_' $D/available_markers | grep -v 'state=off probes=0 ')
rmmod mt_stress
echo > $TR/trace
left=$(grep -h 'mt_stress' /proc/modules $D/available_markers $D/set_marker $TR/trace \
	$TR/set_event
	grep -l -v '^0$' $E/mt_stress_*/enable 2> /dev/null)
ok "$([ -z "$on$left" ]; echo $?)" nothing_left_behind "$(echo $on $left | head -c 200)"

# 16, 17: the kernel did not complain
dmesg > $T.dmesg
bad='WARNING:|BUG:|Oops|general protection|possible recursive locking|circular locking'
bad="$bad|inconsistent lock state|suspicious RCU usage|sleeping function called"
bad="$bad|KASAN|rcu_.*stall|hung_task|INFO: task|markers: |mt_stress: (probe |registry )"
grep -E "$bad" $T.dmesg > $T.bad
if [ -r /proc/lockdep_stats ] && ! grep -q 'debug_locks: *1' /proc/lockdep_stats; then
	echo "lockdep: debug_locks is off" >> $T.bad
fi
[ -s $T.bad ] && sed 's/^/# /' $T.dmesg | tail -n 150
ok "$([ ! -s $T.bad ]; echo $?)" no_kernel_complaint "$(head -n 1 $T.bad)"
# taint bits: B (bad page, KASAN), D (oops), W (warning), L (soft lockup)
new=$(( $(cat /proc/sys/kernel/tainted) & ~taint0 & ((1 << 5) | (1 << 7) | (1 << 9) | (1 << 14)) ))
ok "$(eq $new 0; echo $?)" no_new_taint "new taint $new"

# 18: nothing the run allocated is left unreferenced
if [ "$kmemleak" = 1 ]; then
	got=
	leak_scans && got=$(leaks) && eq "$got" 0
	rc=$?
	[ $rc = 0 ] || sed 's/^/# /' $KMEMLEAK | head -n 200
	ok $rc no_leak "${got:-kmemleak unavailable} unreferenced object(s)"
else
	skip no_leak "kmemleak not checked"
fi

t=$(($(now) - t_start))
echo "# wall time $((t / 100)) s"
rm -f $T.*
exit $fail
