#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The debugfs interface and the built-in recording probe
# (/sys/kernel/debug/markers): listing, enabling by name, glob and query,
# recording, reading, and the refusal of every kind of bad input, each
# checked to change nothing. Uses samples/markers/marker-example.ko,
# modules/mt_many.ko (200 markers, and one fired from a hard interrupt)
# and /bin/mwrite (guest/mwrite.c), which prints the
# errno name of a refused write.

D=/sys/kernel/debug/markers
E=$D/events
S=/modules/samples
X=/modules/extra
n=0
fail=0

ok() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n $2"
	else
		echo "not ok $n $2${3:+ # $3}"
		fail=1
	fi
}

# check NAME COMMAND...: one KTAP result from a command's status
check() {
	name=$1; shift
	"$@" > /tmp/check.out 2>&1
	ok $? "$name" "$(head -c 200 /tmp/check.out | tr '\n' ' ')"
}
has() { grep -q -- "$1" "$2"; }
hasnt() { ! grep -q -- "$1" "$2"; }
fire() { cat /proc/marker-example > /dev/null; }
pipe() { timeout "${1:-1}" cat $D/trace_pipe > /tmp/pipe 2> /dev/null; true; }
enabled() { sort $D/set_marker | tr '\n' ' '; }
state() { { cat $D/set_marker; grep '=r' $D/control; cat $D/buffer_size_kb; } > "$1"; }

# refused NAME ERRNO FILE MWRITE-ARGS...: the write fails with ERRNO and
# the enabled set, the control listing and the buffer size stay the same
refused() {
	name=$1 want=$2 file=$3; shift 3
	state /tmp/before
	got=$(mwrite "$file" "$@")
	state /tmp/after
	if [ "$got" != "$want" ]; then
		ok 1 "$name" "got $got, expected $want"
	elif ! cmp -s /tmp/before /tmp/after; then
		ok 1 "$name" "state changed"
	else
		ok 0 "$name"
	fi
}
accepted() { got=$(mwrite "$@"); ok "$([ "$got" = ok ]; echo $?)" "write_${1##*/}_$2" "$got"; }

# The checks print their results here; the plan, which must come first,
# is their count.
checks() {
insmod $S/marker-example.ko
dmesg -c > /dev/null

# --- the files
perms=$(stat -c '%a %n' $D/available_markers $D/sites $D/stats \
	$D/set_marker $D/control $D/trace $D/trace_pipe $D/buffer_size_kb |
	grep -v '^[46]00 ')
ok "$([ -z "$perms" ]; echo $?)" files_root_only "$perms"
check available_lists_sample has \
	'^example_loop "i %d square %lu" sites=1 state=off probes=0 module=marker_example$' \
	$D/available_markers
check control_lists_sites has \
	'marker-example.c:[0-9]* \[marker_example\]marker_example_show example_loop =_ "i %d' \
	$D/control
check format_file sh -c "grep -q '^name: example_loop\$' $E/example_loop/format &&
	grep -q '^ID: [0-9]*\$' $E/example_loop/format &&
	grep -q '^format: \"i %d square %lu\"\$' $E/example_loop/format &&
	grep -q '^	int i;\$' $E/example_loop/format &&
	grep -q '^	unsigned long square;\$' $E/example_loop/format"
check format_fields_of_comm_string grep -q '^	string comm;$' $E/example_open/format
check no_raw_pointers sh -c "! grep -h 'ffff[0-9a-f]\{12\}' $D/available_markers $D/sites \
	$D/control $E/*/format"

# --- enabling by glob, recording, reading
echo 'example_*' > $D/set_marker
got=$(enabled)
ok "$([ "$got" = "example_loop example_open example_tick " ]; echo $?)" set_marker_glob "$got"
check enable_file_reads_1 grep -qx 1 $E/example_loop/enable
check available_state_on has '^example_loop .* state=on probes=1' $D/available_markers
fire
pipe
check trace_pipe_loop has \
	'^ *cat-[0-9]* *\[[0-9]*\] *[0-9]*\.[0-9]*: example_loop: i 3 square 9$' /tmp/pipe
check trace_pipe_open has ': example_open: pid [0-9]* comm cat$' /tmp/pipe
check trace_pipe_noargs has ': example_tick:$' /tmp/pipe
pipe
check trace_pipe_consumes sh -c "[ ! -s /tmp/pipe ]"
fire
cat $D/trace > /tmp/t1
cat $D/trace > /tmp/t2
check trace_snapshot sh -c "[ \$(grep -c example_ /tmp/t1) = 6 ] && cmp -s /tmp/t1 /tmp/t2"
check trace_header has '^#  *TASK-PID  *CPU  *TIMESTAMP  *MARKER: ARGUMENTS' /tmp/t1
check hits_counted sh -c "[ \$(cat $E/example_loop/hits) = 8 ] &&
	[ \$(cat $E/example_loop/missed) = 0 ]"
echo > $D/trace
check trace_cleared sh -c "[ \$(grep -vc '^#' $D/trace) = 0 ]"
fire
timeout 3 cat $D/trace_pipe > /tmp/pipe 2> /dev/null &
reader=$!
sleep 1
fire
wait $reader
check trace_pipe_blocks_then_wakes sh -c "[ \$(grep -c example_loop /tmp/pipe) = 8 ]"

# --- set_marker, enable and control requests
echo '!example_tick' >> $D/set_marker
got=$(enabled)
ok "$([ "$got" = "example_loop example_open " ]; echo $?)" set_marker_not_glob "$got"
echo example_open > $D/set_marker
got=$(enabled)
ok "$([ "$got" = "example_open " ]; echo $?)" set_marker_truncate "$got"
accepted "$E/example_tick/enable" 1
check enable_file_1 sh -c "grep -qx 1 $E/example_tick/enable && grep -qx example_tick $D/set_marker"
printf 'example_loop\n!example_open\texample_tick\n' >> $D/set_marker
got=$(enabled)
ok "$([ "$got" = "example_loop example_tick " ]; echo $?)" set_marker_several_tokens "$got"
mwrite -c 13 $D/set_marker 'example_open example_tick' > /tmp/chunks
got=$(enabled)
ok "$([ "$(cat /tmp/chunks)" = ok ] &&
	[ "$got" = "example_loop example_open example_tick " ]; echo $?)" \
	write_split_between_tokens "$(cat /tmp/chunks) $got"
: > $D/set_marker
got=$(enabled)
ok "$([ -z "$got" ]; echo $?)" set_marker_empty_truncate "$got"
line=$(sed -n 's/^[^ ]*marker-example.c:\([0-9]*\) .* example_loop .*/\1/p' $D/control)
accepted $D/control \
	"module marker_example func marker_example_open +; file marker-example.c:$line +"
got=$(enabled)
ok "$([ "$got" = "example_loop example_open " ]; echo $?)" control_module_func_file_line "$got"
accepted $D/control 'format "square" -'
accepted $D/control 'name example_t* +'
got=$(enabled)
ok "$([ "$got" = "example_open example_tick " ]; echo $?)" control_format_name "$got"
check control_shows_state has 'example_tick =r' $D/control

# --- bad input: an errno, a warning, and nothing changed
dmesg -c > /dev/null
refused set_marker_no_match ENOENT $D/set_marker 'nosuch*'
refused set_marker_all_or_nothing ENOENT $D/set_marker 'example_loop nosuch'
refused set_marker_bare_bang EINVAL $D/set_marker '!'
refused set_marker_too_long E2BIG $D/set_marker -n 4097
refused set_marker_binary EINVAL $D/set_marker 'example_loop\x01'
refused write_split_inside_token ENOENT $D/set_marker -c 4 'example_loop'
refused control_unknown_keyword EINVAL $D/control 'modul marker_example +'
refused control_no_flag EINVAL $D/control 'name example_loop'
refused control_bad_line EINVAL $D/control 'file marker-example.c:x1 +'
refused control_open_quote EINVAL $D/control 'format "square +'
refused control_trailing_word EINVAL $D/control 'name example_loop + more'
refused control_no_match ENOENT $D/control 'module nosuch +'
refused control_all_or_nothing ENOENT $D/control 'name example_loop +; module nosuch +'
refused control_too_long E2BIG $D/control -n 5000
for v in 2 yes 01 '\n' '1 1' '1\x00'; do
	refused "enable_rejects_'$v'" EINVAL $E/example_loop/enable "$v"
done
for v in 0 abc -1 99999999999; do
	refused "buffer_size_rejects_'$v'" EINVAL $D/buffer_size_kb -- "$v"
done
refused trace_rejects_text EINVAL $D/trace 'x'
dmesg > /tmp/dmesg
check refusals_warn sh -c \
	"grep -q 'markers: set_marker: \"nosuch\\*\" matches no loaded marker' /tmp/dmesg &&
	grep -q 'markers: marker example_loop: enable takes 0 or 1' /tmp/dmesg"

# --- the buffer: size, and records dropped when it is full
accepted $D/buffer_size_kb 4
got=$(cat $D/buffer_size_kb)
ok "$([ "$got" -ge 4 ] && [ "$got" -le 8 ]; echo $?)" buffer_size_read "$got"
echo example_loop > $D/set_marker
echo > $D/trace
# all on CPU 0, so that one CPU's buffer fills up whatever the CPU count
taskset 1 sh -c "i=0; while [ \$i -lt 100 ]; do
	cat /proc/marker-example > /dev/null; i=\$((i + 1)); done"
hits=$(cat $E/example_loop/hits) missed=$(cat $E/example_loop/missed)
recorded=$(grep -c example_loop $D/trace)
ok "$([ "$missed" -gt 0 ] && [ $((hits - missed)) -ge "$recorded" ] &&
	[ "$recorded" -gt 0 ]; echo $?)" \
	missed_when_full "hits=$hits missed=$missed recorded=$recorded"
accepted $D/buffer_size_kb 64
echo > $D/trace

# --- enabling 200 markers with one glob is one patching sequence
: > $D/set_marker
insmod $X/mt_many.ko
seq0=$(sed -n 's/^sequences //p' $D/stats)
batch0=$(sed -n 's/^batches //p' $D/stats)
echo 'mt_many_*' >> $D/set_marker
seq1=$(sed -n 's/^sequences //p' $D/stats)
batch1=$(sed -n 's/^batches //p' $D/stats)
ok "$([ $((seq1 - seq0)) = 1 ] && [ $((batch1 - batch0)) = 1 ]; echo $?)" \
	glob_200_markers_one_sequence "sequences +$((seq1 - seq0)), batches +$((batch1 - batch0))"
echo "# enabling 200 markers: $((seq1 - seq0)) sequence, $((batch1 - batch0)) batch"
echo 1 > /sys/module/mt_many/parameters/fire
check glob_200_markers_recorded \
	sh -c "[ \$(grep -c ': mt_many_[0-9]*: n [0-9]*\$' $D/trace) = 200 ]"
: > $D/set_marker
echo > $D/trace

# --- a marker fired in hard interrupt context is recorded
echo mt_irq > $D/set_marker
echo 100 > /sys/module/mt_many/parameters/fire_irq
sleep 1
check irq_context_recorded \
	sh -c "[ \$(grep -c ': mt_irq: left [0-9]* hardirq 1\$' $D/trace) = 100 ]"
: > $D/set_marker
rmmod mt_many
echo > $D/trace

# --- records outlive their module
echo example_loop > $D/set_marker
fire
rmmod marker_example
check module_gone_dir_removed sh -c "[ ! -e $E/example_loop ]"
check module_gone_records_readable has ': example_loop: i 3 square 9$' $D/trace
check module_gone_still_enabled grep -qx example_loop $D/set_marker
insmod $S/marker-example.ko
echo > $D/trace
fire
check module_back_recorded has ': example_loop: i 2 square 4$' $D/trace

# --- concurrent writers and a firing reader; the state stays consistent
: > $D/set_marker
( i=0; while [ $i -lt 100 ]; do echo example_loop >> $D/set_marker
	echo '!example_loop' >> $D/set_marker; i=$((i + 1)); done ) &
( i=0; while [ $i -lt 100 ]; do echo 'name example_tick +' > $D/control
	echo 'name example_tick -' > $D/control; i=$((i + 1)); done ) &
( i=0; while [ $i -lt 200 ]; do fire; i=$((i + 1)); done ) &
timeout 20 cat $D/trace_pipe > /dev/null 2>&1 &
wait
got="$(enabled)|$(cat $E/example_loop/enable $E/example_tick/enable | tr '\n' ' ')"
ok "$([ "$got" = "|0 0 " ] &&
	has '^example_loop .* state=off probes=0' $D/available_markers; echo $?)" \
	concurrent_writers "$got"

rmmod marker_example
echo > $D/trace
}

checks > /tmp/20-debugfs.ktap 2> /tmp/20-debugfs.err
echo "KTAP version 1"
echo "1..$n"
cat /tmp/20-debugfs.ktap
sed "s/^/# stderr: /" /tmp/20-debugfs.err
exit $fail
