#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The kernel's own ftrace selftests against a kernel with markers: the
# tree's tools/testing/selftests/ftrace (copied to /ftrace by initramfs.sh),
# its event, filter and trigger tests, and the markers' own tests in
# test.d/markers, with samples/markers/marker-example.ko loaded so that
# the "markers" system has events among the others. ftracetest's KTAP
# output (-K) is this script's: every .tc counts once, an unsupported one
# is a "# SKIP". The script fails if a test of test.d/markers did not run
# (a skip there means the sample's events were missing, not a feature).
# Loopback is brought up for the ping of the inter-event tests.
# Left out, for a reason that concerns the guest, not markers:
#  - trigger-synthetic-event-dynstring.tc: it expects sched_process_exec's
#    filename to name ping; busybox sh runs its applets through
#    /proc/self/exe, which is the filename the event then shows.
# Environment: FTRACETEST_DIRS (default: the four directories above).

FT=/ftrace
DIRS=${FTRACETEST_DIRS:-"test.d/event test.d/filter test.d/trigger test.d/markers"}
LEFT_OUT="test.d/trigger/inter-event/trigger-synthetic-event-dynstring.tc"
out=/tmp/ftracetest.out

if [ ! -x $FT/ftracetest ] && [ ! -f $FT/ftracetest ]; then
	echo "# no $FT/ftracetest in the initramfs"
	exit 1
fi
if ! insmod /modules/samples/marker-example.ko; then
	echo "# insmod marker-example.ko failed"
	exit 1
fi
ifconfig lo 127.0.0.1 up 2> /dev/null || echo "# no loopback: ping tests will fail"

cd $FT || exit 1
# shellcheck disable=SC2086 # DIRS is a list
echo "$LEFT_OUT" > /tmp/ftracetest.left-out
tests=$(find $DIRS -name '*.tc' | sort | grep -vxFf /tmp/ftracetest.left-out)
# -v: the log of a failed test is printed, as KTAP comments
# shellcheck disable=SC2086 # tests is a list
{ sh ./ftracetest -K -v $tests 2>&1; echo $? > /tmp/ftracetest.rc; } | tee $out
rc=$(cat /tmp/ftracetest.rc)
rmmod marker_example

skipped=$(grep -E '^ok [0-9]+ .*# SKIP' $out | grep -c ' markers - ')
if [ "$skipped" != 0 ]; then
	echo "# $skipped test(s) of test.d/markers did not run"
	exit 1
fi
exit $rc
