#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# bpftrace on the markers' trace events, in the booted test kernel, with
# Debian's bpftrace (copied into its own initramfs with its libraries by
# make check's bpftrace stage: initramfs.sh -c). It compiles its programs
# against the kernel's own headers, from /sys/kernel/kheaders.tar.xz
# (CONFIG_IKHEADERS): the guest has no /lib/modules/$(uname -r)/build.
# bpftrace would unpack them itself with "tar xf", through /bin/sh; the
# guest's busybox sh runs its own tar applet, which has no xz, so they are
# unpacked here and named by BPFTRACE_KERNEL_SOURCE. Uses samples/markers/marker-example.ko:
# each read of /proc/marker-example fires example_open ("pid %d comm %s")
# once and example_loop ("i %d square %lu") for i = 0..3, square = i * i.
#  - bpftrace -l and -lv list the events and their fields;
#  - one program over three reads by one process (bpftrace -c): count and
#    sum of a field (12 hits, sum 42), a hist() of it (3 in each of the
#    buckets of 0, 1, 4 and 9), and the string field printed with the pid;
#  - after bpftrace exits, the events are off and the sites dormant.
# A missing bpftrace is "not ok ... # client missing".

T=/sys/kernel/tracing
D=/sys/kernel/debug/markers

. /lib/markers-ktap.sh
one_line() { head -c 400 | tr '\n' ' '; }
# has LINE_REGEX FILE: 0 if FILE has a line matching the extended regex
has() { grep -Eq -- "$1" "$2"; echo $?; }

checks() {
insmod /modules/samples/marker-example.ko
ok $? sample_loaded

if ! command -v bpftrace > /dev/null; then
	for c in headers_from_kernel list list_fields ran count sum hist_0 \
		 hist_1 hist_4 hist_9 string_field event_off_after site_off_after; do
		ok 1 "$c" "client missing"
	done
	return
fi

# the headers come from the kernel, not from a build tree on the host
K=/tmp/kheaders
mkdir -p $K
unxz -c /sys/kernel/kheaders.tar.xz | tar x -C $K
ok "$([ ! -d "/lib/modules/$(uname -r)/build" ] && [ -f $K/include/linux/types.h ];
	echo $?)" headers_from_kernel "no build dir, and kheaders unpacked"
export BPFTRACE_KERNEL_SOURCE=$K BPFTRACE_KERNEL_BUILD=$K

bpftrace -l 'tracepoint:markers:*' > /tmp/bt.list 2>&1
ok "$(grep -cx 'tracepoint:markers:example_\(loop\|open\|tick\)' /tmp/bt.list |
	grep -qx 3; echo $?)" list "$(one_line < /tmp/bt.list)"

bpftrace -lv 'tracepoint:markers:example_loop' > /tmp/bt.lv 2>&1
ok "$(grep -q '^ *int i$' /tmp/bt.lv && grep -q '^ *unsigned long square$' /tmp/bt.lv;
	echo $?)" list_fields "$(one_line < /tmp/bt.lv)"

cat > /tmp/bt.prog <<'PROG'
tracepoint:markers:example_loop /pid == cpid/
{
	@n = count();
	@s = sum(args->square);
	@h = hist(args->square);
}
tracepoint:markers:example_open /pid == cpid/
{
	printf("open pid=%d comm=%s cpid=%d\n", args->pid, str(args->comm), cpid);
}
PROG
# three reads by one process: /bin/busybox is an ELF binary, as -c wants
f=/proc/marker-example
bpftrace -c "/bin/busybox cat $f $f $f" /tmp/bt.prog > /tmp/bt.out 2> /tmp/bt.err
rc=$?
sed 's/^/# bpftrace: /' /tmp/bt.out /tmp/bt.err | head -40
ok $rc ran "exit status $rc"
ok "$(has '^@n: 12$' /tmp/bt.out)" count "expected @n: 12"
ok "$(has '^@s: 42$' /tmp/bt.out)" sum "expected @s: 42 (3 * (0 + 1 + 4 + 9))"
ok "$(has '^\[0\] +3 \|' /tmp/bt.out)" hist_0 "bucket [0] should hold 3"
ok "$(has '^\[1\] +3 \|' /tmp/bt.out)" hist_1 "bucket [1] should hold 3"
ok "$(has '^\[4, 8\) +3 \|' /tmp/bt.out)" hist_4 "bucket [4, 8) should hold 3"
ok "$(has '^\[8, 16\) +3 \|' /tmp/bt.out)" hist_9 "bucket [8, 16) should hold 3"
opens=$(grep -c '^open pid=\([0-9]*\) comm=busybox cpid=\1$' /tmp/bt.out)
ok "$([ "$opens" = 3 ]; echo $?)" string_field "$opens open lines with comm and pid right"

en=$(cat $T/events/markers/example_loop/enable)
ok "$([ "$en" = 0 ]; echo $?)" event_off_after "enable reads $en"
ok "$(has '^example_loop .* state=off ' $D/available_markers)" site_off_after \
	"$(grep '^example_loop ' $D/available_markers)"
}

checks > /tmp/57-bpftrace.ktap 2> /tmp/57-bpftrace.err
rmmod marker_example
echo "KTAP version 1"
echo "1..$n"
cat /tmp/57-bpftrace.ktap
sed "s/^/# stderr: /" /tmp/57-bpftrace.err
exit $fail
