#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The markers' trace events enabled at boot, by the kernel's own boot-time
# options: make check boots the test kernel for this script alone with
#   trace_event=markers:markers_site_test_early
#   trace_trigger=markers_site_test_early.stacktrace
# and the bootconfig (configs/boot-events.bconf, with "bootconfig")
#   ftrace.event.markers.markers_site_test_early.filter = "v < 5"
# markers_site_test_early is a marker of vmlinux (kernel/markers_site_test.c)
# hit once at arch_initcall time with v 0, long before any tracefs write
# could enable it. Its event must exist when event_trace_enable() applies
# those options (trace_init(), before the registry adds vmlinux's sites at
# core_initcall), so that:
#  - the boot did not say "Failed to enable trace event" or "Failed to
#    register trigger";
#  - the event reads enabled, with the trigger, and its site is armed;
#  - the buffer holds the arch_initcall hit, v 0, and the trigger's stack
#    trace names the function that fired it (mst_fire_at_boot);
#  - the filter that bootconfig set, at core_initcall_sync, is the event's;
#  - disabling it and removing the trigger take the event's probe away.

T=/sys/kernel/tracing
E=$T/events/markers/markers_site_test_early
D=/sys/kernel/debug/markers

. /lib/markers-ktap.sh
one_line() { head -c 300 | tr '\n' ' '; }

checks() {
refused=$(dmesg | grep -E 'Failed to (enable trace event|register trigger)' | one_line)
ok "$([ -z "$refused" ]; echo $?)" boot_options_taken "$refused"
ok "$(grep -q 'markers_site_test_early' /proc/cmdline; echo $?)" booted_with_options \
	"$(one_line < /proc/cmdline)"
is enabled_at_boot "$(cat $E/enable)" "1*"
is trigger_set_at_boot "$(grep -v '^#' $E/trigger)" "stacktrace:unlimited"
site=$(grep '^markers_site_test_early ' $D/sites | one_line)
case "$site" in *" armed "*) r=0 ;; *) r=1 ;; esac
ok $r site_armed "$site"

cat $T/trace > /tmp/boot.trace
first=$(grep -o 'markers_site_test_early: v [0-9]*' /tmp/boot.trace | head -n 1)
is earliest_hit_recorded "$first" "markers_site_test_early: v 0"
ok "$(grep -A 12 '<stack trace>' /tmp/boot.trace | grep -q 'mst_fire_at_boot'
	echo $?)" trigger_stack_trace_recorded "$(grep -c '<stack trace>' /tmp/boot.trace) trace(s)"

is bootconfig_filter_set "$(cat $E/filter)" "v < 5"

echo 0 > $E/filter
echo 0 > $E/enable
echo '!stacktrace' >> $E/trigger
is disabled "$(cat $E/enable)" 0
# the KUnit suite's own probe, registered at early_initcall, stays (KUnit
# is off in this boot: its case would remove it): a direct call to it
site=$(grep '^markers_site_test_early ' $D/sites | one_line)
case "$site" in *" direct=mst_early_probe "*) r=0 ;; *) r=1 ;; esac
ok $r event_probe_gone_after "$site"
}

checks > /tmp/boot-events.out 2>&1
echo "KTAP version 1"
echo "1..$n"
cat /tmp/boot-events.out
exit $fail
