#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A marker hit is an RCU reader. In a kernel with lockdep (/proc/lockdep),
# a hit where RCU is not watching (between ct_idle_enter() and
# ct_idle_exit(), modules/mt_rcu_idle.ko) must warn once, naming the
# marker, and call no probe: its trace event records nothing, while hits
# before and after it are recorded. The dormant site is not checked: a
# hit of a marker nobody listens to costs the NOP alone, and warns about
# nothing. Without lockdep, only the recorded hits are checked.

T=/sys/kernel/tracing
E=$T/events/markers/mt_rcu_idle
P=/sys/module/mt_rcu_idle/parameters
X=/modules/extra
WARNED='markers: RCU not watching for marker mt_rcu_idle'

. /lib/markers-ktap.sh
# the values of mt_rcu_idle's records in the top-level buffer
recorded() { grep -o 'mt_rcu_idle: n [0-9]*' $T/trace | sed 's/.* //' | tr '\n' ' '; }

checks() {
insmod $X/mt_rcu_idle.ko
ok $? module_loaded
read -r loglevel _ < /proc/sys/kernel/printk
# the expected warning stays out of the console, where it would read as
# a failure; the script reads it from the kernel log
dmesg -n 1
dmesg -c > /dev/null
lockdep=0
[ -e /proc/lockdep ] && lockdep=1

if [ $lockdep = 1 ]; then
	echo 7 > $P/fire_idle
	is dormant_idle_hit_not_checked "$(dmesg | grep -c "$WARNED")" 0
else
	skip dormant_idle_hit_not_checked "no lockdep"
fi

: > $T/trace
echo 1 > $E/enable
ok $? event_enabled
echo 1 > $P/fire
if [ $lockdep = 1 ]; then
	echo 2 > $P/fire_idle
	echo 3 > $P/fire_idle
fi
echo 4 > $P/fire
echo 0 > $E/enable
if [ $lockdep = 1 ]; then
	is idle_hits_call_no_probe "$(recorded)" "1 4 "
	is idle_hit_warns_once "$(dmesg | grep -c "$WARNED")" 1
	# that warning, and no other: the harness then lets its taint (W) be
	ours=$(dmesg | grep 'WARNING:' | grep -c '__marker_rcu_not_watching')
	is only_that_warning "$ours/$(dmesg | grep -c 'WARNING:')" 1/1
	echo 512 > /tmp/taint.expected
	# lockdep's own report of RCU used in an extended quiescent state
	# would mean a probe ran there
	bad=$(dmesg | grep -E 'suspicious RCU usage|BUG:|Oops' | head -n 2 | tr '\n' ' ')
	ok "$([ -z "$bad" ]; echo $?)" no_other_report "$bad"
else
	is hits_recorded "$(recorded)" "1 4 "
	skip idle_hit_warns_once "no lockdep"
	skip only_that_warning "no lockdep"
	skip no_other_report "no lockdep"
fi
dmesg -n "$loglevel"
: > $T/trace
rmmod mt_rcu_idle
ok $? module_unloaded
}

checks > /tmp/rcu.out 2>&1
echo "KTAP version 1"
echo "1..$n"
cat /tmp/rcu.out
exit $fail
