#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The markers' trace events keep the rules every trace event keeps:
# - a marker name that comes back with another format never shows old
#   records through the new layout, and an unrelated rmmod afterwards
#   does not wipe the buffers;
# - an event kept for its records makes way for its name's new format
#   as soon as its last user leaves;
# - tp_printk prints string fields, and options/hash-ptr=0 prints %p raw;
# - set_marker enables an event that a trigger keeps soft-disabled, and
#   control shows the soft mode;
# - markers named as events/markers/'s own files (enable, filter) get no
#   event, and each marker that gets none is said once, at its load;
# - an event that an eprobe holds after its module is gone is tried for
#   removal 4 times (1, 2, 4, 8 s), then left alone until the loaded
#   sites change: no periodic work while nothing changes.
# Uses modules/mt_refmt_{a,b}.ko (mt_refmt as "val %d", then "name %s"),
# modules/mt_badname.ko, modules/mt_adopt_a.ko (an unrelated module) and
# modules/mt_rcu_idle.ko (a marker whose event this boot never enabled).

D=/sys/kernel/debug/markers
T=/sys/kernel/tracing
M=$T/events/markers
X=/modules/extra

. /lib/markers-ktap.sh
count() { grep -c -- "$1" "${2:-$T/trace}"; }
fire() { cat /sys/module/"$1"/parameters/fire > /dev/null; }
# wait_for COMMAND...: up to 3 s for the event code's work to catch up
wait_for() {
	i=0
	while ! "$@" 2> /dev/null && [ $i -lt 30 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	"$@" 2> /dev/null
}
has_field() { grep -q "$2" $M/"$1"/format; }

checks() {
echo > $T/trace
dmesg -c > /dev/null

# --- defect: old records shown through a new layout, then wiped later
insmod $X/mt_refmt_a.ko
echo 1 > $M/mt_refmt/enable
fire mt_refmt_a
echo 0 > $M/mt_refmt/enable
is refmt_recorded "$(count 'mt_refmt: val 7')" 1
rmmod mt_refmt_a
ok "$([ -d $M/mt_refmt ]; echo $?)" refmt_kept_for_its_records
insmod $X/mt_refmt_b.ko
wait_for has_field mt_refmt 'char\[\] name'
ok $? refmt_new_layout "$(grep field: $M/mt_refmt/format | tail -1)"
# the old record is gone, in any form: through the new layout if the new
# event took the old id, as "Unknown type" if not
is refmt_old_records_reset "$(grep -vc '^#' $T/trace)" 0
echo 1 > $M/mt_refmt/enable
fire mt_refmt_b
echo 0 > $M/mt_refmt/enable
is refmt_new_records "$(grep -o 'mt_refmt: .*' $T/trace)" 'mt_refmt: name hello'
insmod $X/mt_adopt_a.ko && rmmod mt_adopt_a
is unrelated_rmmod_keeps_records "$(count 'mt_refmt: name hello')" 1
rmmod mt_refmt_b

# --- defect: a kept event makes way when its last user leaves
insmod $X/mt_refmt_a.ko
wait_for has_field mt_refmt 'int val'
ok $? refmt_back_to_val
echo 1 > $M/mt_refmt/enable
rmmod mt_refmt_a
insmod $X/mt_refmt_b.ko
has_field mt_refmt 'int val'
ok $? refmt_enabled_keeps_layout
echo 0 > $M/mt_refmt/enable
wait_for has_field mt_refmt 'char\[\] name'
ok $? refmt_replaced_when_unused "$(grep field: $M/mt_refmt/format | tail -1)"
echo > $T/trace
echo 1 > $M/mt_refmt/enable
fire mt_refmt_b
echo 0 > $M/mt_refmt/enable
is refmt_records_new_format "$(grep -o 'mt_refmt: .*' $T/trace)" 'mt_refmt: name hello'

# --- tp_printk prints the string of a record
if grep -qw tp_printk /proc/cmdline; then
	dmesg -c > /dev/null
	echo 1 > /proc/sys/kernel/tracepoint_printk
	echo 1 > $M/mt_refmt/enable
	fire mt_refmt_b
	echo 0 > $M/mt_refmt/enable
	echo 0 > /proc/sys/kernel/tracepoint_printk
	is tp_printk_string "$(dmesg | grep -o 'mt_refmt: .*')" 'mt_refmt: name hello'
else
	skip tp_printk_string "boot without tp_printk"
fi
rmmod mt_refmt_b

# --- options/hash-ptr
insmod $X/mt_refmt_a.ko
echo > $T/trace
echo 1 > $M/mt_ptr/enable
echo 0 > $T/options/hash-ptr
fire mt_refmt_a
line=$(grep -o 'mt_ptr: .*' $T/trace)
echo 1 > $T/options/hash-ptr
echo 0 > $M/mt_ptr/enable
p=${line#*p } p=${p%% *} v=${line##* v }
ok "$([ -n "$v" ] && [ "$p" = "$v" ]; echo $?)" hash_ptr_off_prints_raw "$line"
line=$(grep -o 'mt_ptr: .*' $T/trace)
p=${line#*p } p=${p%% *}
ok "$([ -n "$v" ] && [ "$p" != "$v" ]; echo $?)" hash_ptr_on_hashes "$line"

# --- set_marker and control on an event in soft mode
echo 'enable_event:markers:mt_refmt' > $M/mt_ptr/trigger
is soft_mode_enable_file "$(cat $M/mt_refmt/enable)" '0*'
ok "$(grep -q 'mt_refmt =_\* "val' $D/control; echo $?)" soft_mode_control_listing \
	"$(grep ' mt_refmt ' $D/control)"
echo mt_refmt > $D/set_marker
is soft_mode_set_marker_enables "$(cat $M/mt_refmt/enable)" '1*'
ok "$(grep -q 'mt_refmt =r\* "val' $D/control; echo $?)" soft_mode_control_recording
grep -qx mt_refmt $D/set_marker
ok $? soft_mode_set_marker_lists
echo > $T/trace
fire mt_refmt_a
is soft_mode_records "$(count 'mt_refmt: val 7')" 1
: > $D/set_marker
is soft_mode_set_marker_disables "$(cat $M/mt_refmt/enable)" '0*'
echo '!enable_event:markers:mt_refmt' >> $M/mt_ptr/trigger
is soft_mode_trigger_removed "$(cat $M/mt_refmt/enable)" 0
rmmod mt_refmt_a

# --- names that cannot be events, and warnings said once
dmesg -c > /dev/null
insmod $X/mt_badname.ko
ok "$([ -f $M/enable ] && [ -f $M/filter ]; echo $?)" system_files_not_hidden
echo 0 > $M/enable
ok $? system_enable_writable
ok "$(! grep -qx 'markers:enable' $T/available_events; echo $?)" no_event_named_enable
is warned_name_enable "$(dmesg | grep -c 'marker enable: no trace event')" 1
is warned_name_filter "$(dmesg | grep -c 'marker filter: no trace event')" 1
is warned_long_name "$(dmesg | grep -c 'mt_long_name_x*: no trace event: the name is longer')" 1
ok "$(! grep -q 'markers:mt_long_name' $T/available_events; echo $?)" no_event_for_long_name
is warned_unsupported_once "$(dmesg | grep -c 'marker mt_unsupported: no trace event')" 1
fire mt_badname
ok $? badname_markers_fire
insmod $X/mt_refmt_a.ko && rmmod mt_refmt_a
is no_warning_at_unrelated_load "$(dmesg | grep -c 'mt_unsupported')" 1
rmmod mt_badname

# --- an eprobe on a marker's event that is not enabled, its module gone.
# mt_rcu_idle's marker: no script before this one loads it, so its event
# was never enabled (an event enabled once is kept for its records).
W=$T/events/workqueue/workqueue_execute_start
gc_runs() { count 'function marker_events_gc_work'; }
kept=$([ -d $M/mt_rcu_idle ] && echo "kept from before")
insmod $X/mt_rcu_idle.ko
if [ -z "$kept" ] && echo 'e:mt_ep markers.mt_rcu_idle n=$n' >> $T/dynamic_events; then
	echo > $T/trace
	echo 1 > $W/enable
	rmmod mt_rcu_idle
	sleep 17
	is gc_tried_4_times "$(gc_runs)" 4
	echo > $T/trace
	sleep 8
	is gc_then_stopped "$(gc_runs)" 0
	echo 0 > $W/enable
	ok "$([ -d $M/mt_rcu_idle ]; echo $?)" eprobe_keeps_event
	echo '-:mt_ep' >> $T/dynamic_events
	insmod $X/mt_adopt_a.ko && rmmod mt_adopt_a
	ok "$(wait_for test ! -d $M/mt_rcu_idle; echo $?)" event_goes_at_next_change
else
	rmmod mt_rcu_idle
	for c in gc_tried_4_times gc_then_stopped eprobe_keeps_event \
		 event_goes_at_next_change; do
		ok 1 $c "${kept:-no eprobes}"
	done
fi

dmesg | grep -E 'WARNING:|BUG:|Oops|general protection|Call Trace|UBSAN|KASAN' > /tmp/splat
ok "$([ ! -s /tmp/splat ]; echo $?)" no_kernel_splat "$(head -c 300 /tmp/splat | tr '\n' ' ')"
}

checks > /tmp/52-trace-lifecycle.ktap 2> /tmp/52-trace-lifecycle.err
echo "KTAP version 1"
echo "1..$n"
cat /tmp/52-trace-lifecycle.ktap
sed "s/^/# stderr: /" /tmp/52-trace-lifecycle.err
exit $fail
