#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Fuzzing of the markers debugfs files (/sys/kernel/debug/markers) and of
# the tracefs files of their trace events (events/markers/*/{enable,filter,
# trigger,format,id}, in the top-level buffer and in an instance), with
# /bin/mfuzz (guest/mfuzz.c). Phase 1: FUZZ_PROCS processes (default 4)
# write random, textual and grammar-made input to every writable file, on
# descriptors opened every way (O_WRONLY and lseek(), O_RDWR, O_TRUNC,
# O_APPEND, while another one reads), and read every readable one for
# FUZZ_SECS seconds (default 20), while the markers of modules/mt_many.ko
# and mt_marked.ko fire and mt_marked is unloaded and reloaded (every
# 0.3 s; FUZZ_CHURN=0: not). Phase 2: FUZZ_CHECKS writes (default 1000, at
# most FUZZ_CHECK_SECS seconds, default 60) one at a time; each refused one
# must leave the state (set_marker, events/markers/*/enable, the state of
# available_markers and sites) exactly as it was. Then: no splat in the
# kernel log, no new taint, no leak (kmemleak, FUZZ_KMEMLEAK=0 to skip),
# set_marker and the top-level enable files agree, and "> set_marker"
# turns all off. FUZZ_SEED (default: the time) makes a run repeatable, as
# far as concurrency allows.

D=/sys/kernel/debug/markers
T=/sys/kernel/tracing
E=$T/events/markers
I=$T/instances/fuzz
X=/modules/extra
KMEMLEAK=/sys/kernel/debug/kmemleak
FUZZ_SECS=${FUZZ_SECS:-20}
FUZZ_PROCS=${FUZZ_PROCS:-4}
FUZZ_CHECKS=${FUZZ_CHECKS:-1000}
FUZZ_CHECK_SECS=${FUZZ_CHECK_SECS:-60}
FUZZ_KMEMLEAK=${FUZZ_KMEMLEAK:-1}
FUZZ_CHURN=${FUZZ_CHURN:-1}
FUZZ_SEED=${FUZZ_SEED:-$(date +%s)}
# What must not appear in the kernel log. The warnings about refused
# requests ("markers: set_marker: ...") are expected.
SPLAT='WARNING:|BUG:|Oops|general protection|Call Trace|INFO: |Kernel panic|'
SPLAT=$SPLAT'lockdep|RCU usage|KASAN|UBSAN|kmemleak|corruption|stack-protector'
# the recorder's and the registry's warnings, with or without a timestamp
OURS='^(\[ *[0-9.]*\] )?markers: '
# taint bits allowed to appear: O (out-of-tree module), E (unsigned module)
TAINT_OK=$(( (1 << 12) | (1 << 13) ))

. /lib/markers-ktap.sh

# Uptime in hundredths of a second, and such a duration in seconds.
now() { read -r up _ < /proc/uptime; echo "${up%.*}${up#*.}"; }
secs() { printf '%d.%02d s' $(($1 / 100)) $(($1 % 100)); }

# The kernel log, drained every 0.2 s while fuzzing so that the recorder's
# warnings about refused input cannot push a splat out of the ring: its
# own lines are counted, all others kept in /tmp/klog.
drain_log() {
	dmesg -c > /tmp/klog.new
	grep -cE "$OURS" /tmp/klog.new >> /tmp/klog.count
	grep -vE "$OURS" /tmp/klog.new >> /tmp/klog
	# a few of the recorder's lines, as examples
	[ "$(wc -l < /tmp/klog.examples)" -ge 12 ] ||
		grep -E "$OURS" /tmp/klog.new | head -n 3 >> /tmp/klog.examples
}
watch_log() {
	while [ ! -e /tmp/watch.stop ]; do
		drain_log
		usleep 200000
	done
}

# mt_marked unloaded and loaded again while the fuzzers run.
churn() {
	i=0
	while [ "$FUZZ_CHURN" = 1 ] && [ ! -e /tmp/fuzz.stop ]; do
		rmmod mt_marked 2> /dev/null
		insmod $X/mt_marked.ko 2> /dev/null
		i=$((i + 1))
		usleep 300000
	done
	echo "$i" > /tmp/churn.rounds
}

leak_scans() {
	echo scan > $KMEMLEAK || return
	sleep 6
	echo scan > $KMEMLEAK
}
leaks() { grep -c '^unreferenced object' $KMEMLEAK; [ $? -le 1 ]; }

# A removal command for each trigger a trigger file reads back. A hist
# trigger reads back with " [active]" or " [paused]" and is matched with
# its filter (hist_trigger_match()); the others are matched by command
# and target alone, without count or filter.
untrigger_cmds() {
	grep -v '^#' "$1" | sed 's/ \[[a-z]*\]$//; /^hist/b
		s/ if .*//; s/:unlimited.*//; s/:count=[0-9]*.*//; s/^/!/' |
		sed 's/^hist/!hist/'
}

# The fuzzers' triggers (one by one: O_TRUNC removes only hist triggers;
# in up to three rounds, as a trigger may keep another's target busy)
# and filters removed, the instance's events off, tracing on again (a
# traceoff trigger may have stopped it).
reset_tracefs() {
	for round in 1 2 3; do
		for f in $(grep -l -v '^#' $E/*/trigger $I/events/markers/*/trigger); do
			untrigger_cmds "$f" |
			while read -r t; do echo "$t" >> "$f"; done
		done
	done
	for f in $E/*/filter $E/filter $I/events/markers/*/filter \
		$I/events/markers/filter; do
		echo 0 > "$f"
	done
	echo 0 > $I/events/markers/enable
	echo 1 > $T/tracing_on
	echo 1 > $I/tracing_on
} 2> /dev/null

# The markers named in set_marker and by the top-level enable files that
# read 1 must be the same; of those, the ones loaded must be the markers
# available_markers shows on (an enabled event outlives its module).
consistent() {
	# requests waiting for a module (GLOB:mod:MODULE) enable nothing yet
	grep -v ':mod:' $D/set_marker | sort > /tmp/set
	for f in $E/*/enable; do
		[ "$(cat "$f" 2> /dev/null)" = 1 ] || continue
		m=${f%/enable}
		echo "${m##*/}"
	done | sort > /tmp/enabled
	# a marker with a refused site (a KUnit case makes one) cannot be on;
	# "#", which no marker is named, keeps busybox's grep -f from an
	# empty pattern file, which would match nothing
	{ echo '#'; grep ' refused' $D/sites | cut -d' ' -f1; } | sort -u > /tmp/refused
	cut -d' ' -f1 $D/available_markers | sort -u | grep -Fxv -f /tmp/refused > /tmp/loaded
	grep -Fx -f /tmp/loaded /tmp/enabled > /tmp/enabled.loaded
	grep ' state=on ' $D/available_markers | cut -d' ' -f1 | sort -u > /tmp/on
	if ! cmp -s /tmp/set /tmp/enabled || ! cmp -s /tmp/enabled.loaded /tmp/on; then
		# what differs first: the lists are long
		echo "set_marker/enable=1: $(diff /tmp/set /tmp/enabled | grep '^[-+][^-+]' |
			tr '\n' ' ')"
		echo "enable=1/state=on: $(diff /tmp/enabled.loaded /tmp/on |
			grep '^[-+][^-+]' | tr '\n' ' ')"
		echo "set_marker: $(tr '\n' ' ' < /tmp/set)"
		echo "enable=1: $(tr '\n' ' ' < /tmp/enabled)"
		echo "state=on: $(tr '\n' ' ' < /tmp/on)"
		# how each marker that differs is held: enable files, triggers
		{ diff /tmp/set /tmp/enabled; diff /tmp/enabled.loaded /tmp/on; } |
		sed -n 's/^[-+]\([^-+].*\)/\1/p' | sort -u | head -n 3 |
		while read -r m; do
			im=$I/events/markers/$m
			echo "$m: enable $(cat $E/$m/enable 2> /dev/null)," \
			     "instance $(cat $im/enable 2> /dev/null)," \
			     "triggers: $(cat $E/$m/trigger $im/trigger 2> /dev/null |
					  grep -v '^#' | tr '\n' ' ')"
		done
		return 1
	fi
}

checks() {
rm -f /tmp/fuzz.stop /tmp/watch.stop /tmp/klog /tmp/klog.count /tmp/churn.rounds
: > /tmp/klog.examples
t_start=$(now)

# 0: kmemleak forgets what boot and earlier tests left.
if [ "$FUZZ_KMEMLEAK" = 1 ]; then
	leak_scans && echo clear > $KMEMLEAK && [ "$(leaks)" = 0 ]
	ok $? kmemleak_cleared
fi

insmod $X/mt_many.ko && insmod $X/mt_marked.ko && mkdir -p $I
ok $? modules_loaded
# the reset of the fuzzers' triggers removes a hist trigger with a
# filter, and the event it held in soft mode lets its site go
h=$E/mt_many_101
echo 'hist:keys=n if n > 3' > $h/trigger && reset_tracefs
ok "$(! grep -q '^hist' $h/trigger && [ "$(cat $h/enable)" = 0 ] &&
	grep -q "^mt_many_101 .* state=off " $D/available_markers; echo $?)" \
	reset_removes_filtered_hist "$(cat $h/trigger $h/enable | grep -v '^#' | tr '\n' ' ')"
nr=$(grep -c . $D/available_markers)
echo "# $nr markers loaded, $(grep -c . $D/sites) sites, $(ls $E | wc -l) event" \
	"files and directories, seed $FUZZ_SEED"
dirs="-d $D -d $E -d $I/events/markers"
echo 100 > /sys/module/mt_many/parameters/fire_irq
taint0=$(cat /proc/sys/kernel/tainted)
read -r loglevel _ < /proc/sys/kernel/printk
# the refused requests' warnings stay out of the (slow) console
dmesg -n 4
dmesg -c > /dev/null

# 1: several fuzzers at once, modules firing and coming and going.
watch_log &
watcher=$!
churn &
churner=$!
t=$(now)
mfuzz fuzz -t "$FUZZ_SECS" -p "$FUZZ_PROCS" -s "$FUZZ_SEED" $dirs > /tmp/fuzz.out 2>&1
rc=$?
t_fuzz=$(($(now) - t))
touch /tmp/fuzz.stop
wait $churner
cat /tmp/fuzz.out
echo "# fuzz: mt_marked unloaded and reloaded $(cat /tmp/churn.rounds) times"
ok $rc fuzz_workers_finished "$(grep stuck /tmp/fuzz.out | head -n 2 | tr '\n' ' ')"
[ -e /sys/module/mt_marked ] || insmod $X/mt_marked.ko
reset_tracefs
summary=$(grep '^# fuzz: [0-9]* writes, ' /tmp/fuzz.out)
accepted=$(echo "$summary" | sed -n 's/.* \([0-9]*\) accepted.*/\1/p')
rejected=$(echo "$summary" | sed -n 's/.* \([0-9]*\) rejected.*/\1/p')
ok "$([ "${accepted:-0}" -gt 0 ] && [ "${rejected:-0}" -gt 0 ]; echo $?)" \
	fuzz_accept_and_reject_paths "accepted ${accepted:-?}, rejected ${rejected:-?}"
check_consistent=$(consistent)
rc=$?
[ $rc = 0 ] || echo "$check_consistent" | sed 's/^/# /'
ok $rc state_consistent_after_fuzz "$(echo "$check_consistent" | tr '\n' ' ' | head -c 300)"

# 2: one write at a time; a refused write changes nothing.
t=$(now)
mfuzz check -n "$FUZZ_CHECKS" -t "$FUZZ_CHECK_SECS" -s "$FUZZ_SEED" $dirs \
	> /tmp/check.out 2>&1
rc=$?
t_check=$(($(now) - t))
touch /tmp/watch.stop
wait $watcher
cat /tmp/check.out
ok $rc refused_writes_change_nothing "$(grep -c VIOLATION /tmp/check.out) violation(s)"
reset_tracefs
check_consistent=$(consistent)
rc=$?
[ $rc = 0 ] || echo "$check_consistent" | sed 's/^/# /'
ok $rc state_consistent_after_check "$(echo "$check_consistent" | tr '\n' ' ' | head -c 300)"

# 3: one empty truncating write turns everything off.
: > $D/set_marker
off=$( { [ ! -s $D/set_marker ] || echo "set_marker: $(cat $D/set_marker | head -n 3)"
	grep -l '^1$' $E/*/enable | head -n 3
	grep ' state=on ' $D/available_markers | head -n 3
	awk '$5 == "on"' $D/sites | head -n 3; } | tr '\n' ' ')
ok "$([ -z "$off" ]; echo $?)" truncate_disables_all "$off"

# 4: the kernel did not complain, and nothing leaked.
drain_log
dmesg -n "$loglevel"
total=0
for c in $(cat /tmp/klog.count); do total=$((total + c)); done
echo "# kernel log: $total warning(s) from the recorder about refused input, e.g.:"
sed 's/^/#   /' /tmp/klog.examples
grep -E "$SPLAT" /tmp/klog > /tmp/splat
rc=$?
[ $rc != 0 ] || sed 's/^/# /' /tmp/klog | head -n 200
ok "$([ $rc = 1 ]; echo $?)" no_kernel_splat "$(head -n 2 /tmp/splat | tr '\n' ' ')"
taint=$(cat /proc/sys/kernel/tainted)
new=$(( taint & ~taint0 & ~TAINT_OK ))
ok "$([ "$new" = 0 ]; echo $?)" no_new_taint "tainted $taint, new bits $new"

rmmod mt_marked && rmmod mt_many && rmdir $I
ok $? modules_unloaded
echo > $T/trace
if [ "$FUZZ_KMEMLEAK" = 1 ]; then
	got=
	leak_scans && got=$(leaks) && [ "$got" = 0 ]
	rc=$?
	[ $rc = 0 ] || sed 's/^/# /' $KMEMLEAK | head -n 200
	ok $rc no_leak "${got:-kmemleak unavailable} unreferenced object(s)"
fi
echo "# times: fuzz $(secs "$t_fuzz"), check $(secs "$t_check"), all $(secs $(($(now) - t_start)))"
}

checks > /tmp/40-fuzz.ktap 2> /tmp/40-fuzz.err
echo "KTAP version 1"
echo "1..$n"
cat /tmp/40-fuzz.ktap
sed "s/^/# stderr: /" /tmp/40-fuzz.err
exit $fail
