#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A stack trace taken at a marker whose function has its return address
# replaced, by function_graph (return_to_handler) or by a kretprobe (its
# trampoline), goes through the out-of-line block into the marked
# function once, then to the function's real caller, and the unwinder
# warns about nothing. The sample's example_open fires in
# marker_example_open(), called by proc_reg_open(), before that function
# makes any call. The stack traces come from a stacktrace trigger on the
# marker's event in an instance; function_graph runs in the top-level
# buffer.

T=/sys/kernel/tracing
I=$T/instances/mt_return_hooks
E=$I/events/markers/example_open
S=/modules/samples

. /lib/markers-ktap.sh

# the functions of the last stack trace in the instance's buffer
stack() {
	awk '/<stack trace>/ { n = 0; delete f; next }
	     /^ => / { sub(/^ => /, ""); sub(/[+ ].*/, ""); f[n++] = $0 }
	     END { for (i = 0; i < n; i++) print f[i] }' $I/trace
}

# Open the sample's proc file with a stacktrace trigger on example_open,
# and check the trace the trigger took; $1 names the hook.
open_and_check() {
	echo stacktrace > $E/trigger
	echo 1 > $E/enable
	: > $I/trace
	dmesg -c > /dev/null
	cat /proc/marker-example > /dev/null
	echo 0 > $E/enable
	echo '!stacktrace' > $E/trigger
	stack > /tmp/stack.$1
	is "$1_marked_function_once" \
		"$(grep -c '^marker_example_open$' /tmp/stack.$1)" 1
	is "$1_then_its_caller" \
		"$(grep -A1 '^marker_example_open$' /tmp/stack.$1 | sed -n 2p)" \
		proc_reg_open
	is "$1_no_trampoline_in_trace" \
		"$(grep -c -E 'return_to_handler|trampoline' /tmp/stack.$1)" 0
	is "$1_unwinder_quiet" "$(dmesg | grep -c -E 'WARNING|BUG:')" 0
}

checks() {
insmod $S/marker-example.ko
ok $? module_loaded
mkdir $I
ok $? instance_made

echo marker_example_open > $T/set_graph_function
echo function_graph > $T/current_tracer
ok $? function_graph_on
open_and_check function_graph
is function_graph_traced_the_function \
	"$(grep -c 'marker_example_open .*() {$' $T/trace)" 1
echo nop > $T/current_tracer
: > $T/set_graph_function
: > $T/trace

echo 'r:mt_return_hooks marker_example_open' >> $T/kprobe_events
ok $? kretprobe_made
echo 1 > $T/events/kprobes/mt_return_hooks/enable
open_and_check kretprobe
is kretprobe_hit "$(grep -c 'mt_return_hooks:' $T/trace)" 1
echo 0 > $T/events/kprobes/mt_return_hooks/enable
echo '-:mt_return_hooks' >> $T/kprobe_events
: > $T/trace

rmdir $I
ok $? instance_removed
rmmod marker_example
ok $? module_unloaded
}

checks > /tmp/return-hooks.out 2>&1
echo "KTAP version 1"
echo "1..$n"
cat /tmp/return-hooks.out
exit $fail
