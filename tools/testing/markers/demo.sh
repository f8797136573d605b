#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The markers tour, run inside the guest by `make demo` (busybox sh).
# Exit 0 on success; /init then prints "DEMO: OK", or "DEMO: FAILED (...)"
# on a non-zero exit or a kernel warning.
set -e
D=/sys/kernel/debug/markers
T=/sys/kernel/tracing
S=/modules/samples

say() { printf '\n### %s\n' "$*"; }
run() { echo "# $*"; "$@"; }
expect() {
	if ! grep -q "$1" "$2"; then
		echo "demo: expected '$1' in $2"; exit 1
	fi
}

say "Kernel $(uname -r). /sys/kernel/debug/markers has:"
run ls $D
run cat $D/available_markers

say "Load a module with markers. Its sites are NOPs: nobody listens."
run insmod $S/marker-example.ko
run grep example_ $D/available_markers
run cat /proc/marker-example >/dev/null

say "No module needed to watch them: every marker is a trace event, markers:<name>."
run grep '^markers:example_' $T/available_events
run cat $T/events/markers/example_loop/format
say "Enable them by glob (debugfs set_marker drives the top-level trace buffer):"
run sh -c "echo 'example_*' > $D/set_marker"
run cat $D/set_marker
run cat $T/events/markers/example_loop/enable
run cat /proc/marker-example >/dev/null
run sh -c "timeout 1 cat $T/trace_pipe > /tmp/pipe 2>/dev/null; cat /tmp/pipe"
expect ": example_loop: i 3 square 9" /tmp/pipe
say "Filters work as for any event:"
run sh -c "echo 'i == 2' > $T/events/markers/example_loop/filter"
run cat /proc/marker-example >/dev/null
run sh -c "timeout 1 cat $T/trace_pipe > /tmp/pipe 2>/dev/null; cat /tmp/pipe"
expect ": example_loop: i 2 square 4" /tmp/pipe
run sh -c "echo 0 > $T/events/markers/example_loop/filter"
run sh -c "echo > $D/set_marker"
say "Triggers too: a histogram of one field keyed on another (a hist trigger):"
run sh -c "echo 'hist:keys=i:vals=square' > $T/events/markers/example_loop/trigger"
run cat /proc/marker-example >/dev/null
run cat /proc/marker-example >/dev/null
run sh -c "grep -e '^{' -e 'Hits' $T/events/markers/example_loop/hist | tee /tmp/hist"
expect "^{ i: *3 } hitcount: *2  *square: *18$" /tmp/hist
run sh -c "echo '!hist:keys=i:vals=square' > $T/events/markers/example_loop/trigger"

say "The kernel's own clients see them: trace-cmd records them, perf counts them."
# The initramfs has the host's trace-cmd and perf, x86_64 binaries: an
# initramfs for another architecture has neither (x86_64 requires them)
if [ "$(uname -m)" != x86_64 ] &&
   ! { command -v trace-cmd && command -v perf; } >/dev/null; then
	echo "(no trace-cmd or perf in this initramfs ($(uname -m)): skipped)"
else
	run trace-cmd record -q -o /tmp/demo.dat -e 'markers:example_*' \
		cat /proc/marker-example >/dev/null
	run sh -c "trace-cmd report -i /tmp/demo.dat 2>/dev/null | grep example_ | tee /tmp/report"
	expect "example_loop: *i 3 square 9" /tmp/report
	run sh -c "echo 1 > $T/tracing_on"
	stat="perf stat -x, -e markers:example_loop -e markers:example_open"
	run sh -c "$stat cat /proc/marker-example 2>&1 >/dev/null | tee /tmp/stat"
	expect "^4,,markers:example_loop" /tmp/stat
fi

say "Queries in the style of dynamic debug select sites by module, file, function..."
run sh -c "echo 'module marker_example func marker_example_open -' > $D/control"
run grep marker_example $D/control
say "...and bad requests are refused whole, with a warning:"
echo "# echo 'example_loop nosuch' >> $D/set_marker"
if echo 'example_loop nosuch' >> $D/set_marker; then
	echo "demo: a bad request was accepted"; exit 1
fi
dmesg | tail -1
run sh -c "echo > $D/set_marker"

say "Load a probe module: it connects to the markers by name."
dmesg -c >/dev/null
run insmod $S/probe-example.ko
run grep example_ $D/sites
# Without a patching backend for the architecture (arm64 for now) every
# site is generic and dispatches: the direct probe is called, not patched in
if [ "$(uname -m)" != x86_64 ] && grep -q '^example_loop .* generic' $D/sites; then
	echo "(example_loop has one direct probe: its generic site calls it through the dispatcher)"
else
	expect "example_loop .* on\( [a-z-]*\)* direct=probe_example_loop" $D/sites
	echo "(example_loop has one direct probe: its site now calls it directly)"
fi

say "Fire the markers by reading /proc/marker-example:"
run cat /proc/marker-example
dmesg | grep probe-example | tee /tmp/events
expect "example_open: pid" /tmp/events
expect "example_tick:" /tmp/events
expect "example_loop (direct): i=3 square=9" /tmp/events

say "Unload in the other order: marked module first, then the probes."
run rmmod marker_example
run insmod $S/marker-example.ko
echo "(the probes were kept and reconnect when the marked module returns)"
run grep example_loop $D/sites
run rmmod probe_example
run rmmod marker_example
dmesg | grep 'probe-example: .* events'
say "Done."
