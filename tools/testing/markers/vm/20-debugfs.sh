#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The debugfs interface (/sys/kernel/debug/markers): listing, enabling
# the markers' trace events in the top-level trace buffer by name, glob and
# query, recording them there (/sys/kernel/tracing: trace, trace_pipe,
# events/markers/NAME/enable), the refusal of every kind of bad input, each
# checked to change nothing, and every file opened every way. Uses
# samples/markers/marker-example.ko, modules/mt_many.ko (200 markers, and
# one fired from a hard interrupt), /bin/mwrite (guest/mwrite.c), which
# prints the errno name of a refused write, and /bin/mseek
# (guest/mseek.c), which opens a file every way.

D=/sys/kernel/debug/markers
T=/sys/kernel/tracing
E=$T/events/markers
S=/modules/samples
X=/modules/extra

. /lib/markers-ktap.sh

# check NAME COMMAND...: one KTAP result from a command's status
check() {
	name=$1; shift
	"$@" > /tmp/check.out 2>&1
	ok $? "$name" "$(head -c 200 /tmp/check.out | tr '\n' ' ')"
}
has() { grep -q -- "$1" "$2"; }
hasnt() { ! grep -q -- "$1" "$2"; }
fire() { cat /proc/marker-example > /dev/null; }
pipe() { timeout 1 cat $T/trace_pipe > /tmp/pipe 2> /dev/null; true; }
enabled() { sort $D/set_marker | tr '\n' ' '; }
state() { { cat $D/set_marker; grep '=r' $D/control; cat $T/set_event; } > "$1"; }

# refused NAME ERRNO FILE MWRITE-ARGS...: the write fails with ERRNO and
# the enabled set, the control listing and the enabled trace events stay
# the same
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
echo > $T/trace

# --- the files: no recorder of its own any more
perms=$(stat -c '%a %n' $D/available_markers $D/sites $D/stats $D/probes \
	$D/set_marker $D/control | grep -v '^[46]00 ')
ok "$([ -z "$perms" ]; echo $?)" files_root_only "$perms"
# (a symlink to tracefs would do)
gone=$(for f in trace trace_pipe buffer_size_kb events; do
	[ ! -e $D/$f ] || [ -L $D/$f ] || echo $f; done)
ok "$([ -z "$gone" ]; echo $?)" no_private_recorder "$gone"
check available_lists_sample has \
	'^example_loop "i %d square %lu" sites=1 state=off probes=0 module=marker_example$' \
	$D/available_markers
check control_lists_sites has \
	'marker-example.c:[0-9]* \[marker_example\]marker_example_show example_loop =_ "i %d' \
	$D/control
check format_file sh -c "grep -q '^name: example_loop\$' $E/example_loop/format &&
	grep -q '^ID: [0-9]*\$' $E/example_loop/format &&
	grep -q '^	field:int i;	' $E/example_loop/format &&
	grep -q '^	field:unsigned long square;	' $E/example_loop/format &&
	grep -q '^print fmt: \"i %d square %lu\", REC->i, REC->square\$' \
		$E/example_loop/format"
check format_fields_of_comm_string grep -q '^	field:__data_loc char\[\] comm;' \
	$E/example_open/format
check no_raw_pointers sh -c "! grep -h 'ffff[0-9a-f]\{12\}' $D/available_markers $D/sites \
	$D/control $D/probes $E/*/format"

# --- enabling by glob, recording, reading
echo 'example_*' > $D/set_marker
got=$(enabled)
ok "$([ "$got" = "example_loop example_open example_tick " ]; echo $?)" set_marker_glob "$got"
check enable_file_reads_1 grep -qx 1 $E/example_loop/enable
check available_state_on has '^example_loop .* state=on probes=1' $D/available_markers
fire
pipe
check trace_pipe_loop has \
	'^ *cat-[0-9]* *\[[0-9]*\] [^ ]* *[0-9]*\.[0-9]*: example_loop: i 3 square 9$' /tmp/pipe
check trace_pipe_open has ': example_open: pid [0-9]* comm cat$' /tmp/pipe
check trace_pipe_noargs has ': example_tick: *$' /tmp/pipe
pipe
check trace_pipe_consumes sh -c "[ ! -s /tmp/pipe ]"
fire
cat $T/trace > /tmp/t1
cat $T/trace > /tmp/t2
check trace_snapshot sh -c "[ \$(grep -c example_ /tmp/t1) = 6 ] && cmp -s /tmp/t1 /tmp/t2"
check trace_header has '^# *TASK-PID *CPU# *||||| *TIMESTAMP *FUNCTION$' /tmp/t1
check entries_counted has '^# entries-in-buffer/entries-written: 6/6 ' /tmp/t1
echo > $T/trace
check trace_cleared sh -c "[ \$(grep -vc '^#' $T/trace) = 0 ]"
fire
timeout 3 cat $T/trace_pipe > /tmp/pipe 2> /dev/null &
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
refused control_no_match ENOENT $D/control 'name nosuch +'
refused control_glob_module_no_match ENOENT $D/control 'module nosuch* +'
refused control_all_or_nothing ENOENT $D/control 'name example_loop +; name nosuch +'
refused control_too_long E2BIG $D/control -n 5000
# tracefs's own rules for enable (kstrtoul: "01" and "1\0" are 1)
for v in 2 yes '\n' '1 1' ' 1' -1; do
	refused "enable_rejects_'$v'" EINVAL $E/example_loop/enable -- "$v"
done
dmesg > /tmp/dmesg
check refusals_warn grep -q \
	'markers: set_marker: "nosuch\*" matches no loaded marker' /tmp/dmesg

# --- the trace buffer full: the oldest records are overwritten
read -r size0 _ < $T/buffer_size_kb
accepted $T/buffer_size_kb 4
echo example_loop > $D/set_marker
echo > $T/trace
# all on CPU 0, so that one CPU's buffer fills up whatever the CPU count
taskset 1 sh -c "i=0; while [ \$i -lt 100 ]; do
	cat /proc/marker-example > /dev/null; i=\$((i + 1)); done"
overrun=$(sed -n 's/^overrun: //p' $T/per_cpu/cpu0/stats)
recorded=$(grep -c example_loop $T/trace)
last=$(grep ': example_loop: ' $T/trace | tail -n 1)
ok "$([ "$overrun" -gt 0 ] && [ "$recorded" -gt 0 ] && [ "$recorded" -lt 400 ] &&
	echo "$last" | grep -q ': example_loop: i 3 square 9$'; echo $?)" \
	overwritten_when_full "overrun=$overrun recorded=$recorded"
accepted $T/buffer_size_kb "$size0"
echo > $T/trace

# --- enabling 200 markers with one glob is one patching sequence: its
# batches of up to 256 pokes (each site's jump, and its call of the event's
# direct probe)
: > $D/set_marker
insmod $X/mt_many.ko
stat_of() { sed -n "s/^$1 //p" $D/stats; }
seq0=$(stat_of sequences) batch0=$(stat_of batches) poke0=$(stat_of pokes)
echo 'mt_many_*' >> $D/set_marker
seq=$(($(stat_of sequences) - seq0)) batch=$(($(stat_of batches) - batch0))
poke=$(($(stat_of pokes) - poke0))
ok "$([ $seq = 1 ] && [ $batch = $(((poke + 255) / 256)) ] && [ $poke -ge 200 ]
	echo $?)" glob_200_markers_one_sequence "sequences +$seq, batches +$batch, pokes +$poke"
echo "# enabling 200 markers: $seq sequence, $batch batch(es), $poke pokes"
echo 1 > /sys/module/mt_many/parameters/fire
check glob_200_markers_recorded \
	sh -c "[ \$(grep -c ': mt_many_\([0-9]*\): n \1\$' $T/trace) = 200 ]"
: > $D/set_marker
echo > $T/trace

# --- so is enabling every marker's event through tracefs's own files (the
# registry's batch): events/markers/enable, and set_event, each way
seq0=$(stat_of sequences)
echo 1 > $T/events/markers/enable
is system_enable_one_sequence "+$(($(stat_of sequences) - seq0))" +1
echo 2 > /sys/module/mt_many/parameters/fire
check system_enable_recorded \
	sh -c "[ \$(grep -c ': mt_many_\([0-9]*\): n \1\$' $T/trace) = 200 ]"
seq0=$(stat_of sequences)
echo 0 > $T/events/markers/enable
is system_disable_one_sequence "+$(($(stat_of sequences) - seq0))" +1
seq0=$(stat_of sequences)
echo 'markers:*' >> $T/set_event
is set_event_enable_one_sequence "+$(($(stat_of sequences) - seq0))" +1
seq0=$(stat_of sequences)
echo '!markers:*' >> $T/set_event
is set_event_disable_one_sequence "+$(($(stat_of sequences) - seq0))" +1
check set_event_left_none sh -c "! grep -q '^markers:' $T/set_event"
echo > $T/trace

# --- a marker fired in hard interrupt context is recorded
echo mt_irq > $D/set_marker
echo 100 > /sys/module/mt_many/parameters/fire_irq
sleep 1
# in hard interrupt context: the flags column shows h (or H)
got=$(grep -c ' [^ ]*[hH][^ ]* *[0-9.]*: mt_irq: left [0-9]* hardirq 1$' $T/trace)
ok "$([ "$got" = 100 ]; echo $?)" irq_context_recorded "$got of $(grep -c ': mt_irq: ' \
	$T/trace) records; $(grep -m1 ': mt_irq: ' $T/trace)"
: > $D/set_marker
rmmod mt_many
echo > $T/trace

# --- records outlive their module, whose enabled event stays
echo example_loop > $D/set_marker
fire
rmmod marker_example
check module_gone_event_kept grep -qx 1 $E/example_loop/enable
check module_gone_records_readable has ': example_loop: i 3 square 9$' $T/trace
check module_gone_still_enabled grep -qx example_loop $D/set_marker
insmod $S/marker-example.ko
echo > $T/trace
fire
check module_back_recorded has ': example_loop: i 2 square 4$' $T/trace

# --- concurrent writers and a firing reader; the state stays consistent
: > $D/set_marker
( i=0; while [ $i -lt 100 ]; do echo example_loop >> $D/set_marker
	echo '!example_loop' >> $D/set_marker; i=$((i + 1)); done ) &
( i=0; while [ $i -lt 100 ]; do echo 'name example_tick +' > $D/control
	echo 'name example_tick -' > $D/control; i=$((i + 1)); done ) &
( i=0; while [ $i -lt 100 ]; do echo 1 > $E/example_open/enable
	echo 0 > $E/example_open/enable; i=$((i + 1)); done ) &
( i=0; while [ $i -lt 200 ]; do fire; i=$((i + 1)); done ) &
timeout 20 cat $T/trace_pipe > /dev/null 2>&1 &
wait
got="$(enabled)|$(cat $E/example_loop/enable $E/example_open/enable \
	$E/example_tick/enable | tr '\n' ' ')"
ok "$([ "$got" = "|0 0 0 " ] &&
	has '^example_loop .* state=off probes=0' $D/available_markers; echo $?)" \
	concurrent_writers "$got"

# --- every file opened every way: write-only and lseek(), read-write,
# truncating, appending, and read while another descriptor writes
for f in set_marker control available_markers sites stats probes; do
	case $f in
	set_marker) t1=example_tick t2='!example_tick' ;;
	control) t1='name example_tick +' t2='name example_tick -' ;;
	*) t1=x t2=x ;;
	esac
	bad=
	for mode in wrseek rdwr trunc append race; do
		out=$(mseek -n 100 $mode $D/$f "$t1" "$t2" 2>&1) || bad="$bad $mode:exit$?"
		echo "# $f: $out"
		case "$t1/$out" in
		*E\?*) bad="$bad $mode:unnamed-errno" ;;
		x/*write=ok* | x/race*written=[1-9]*) bad="$bad $mode:write-taken" ;;
		x/*) ;;
		*write=E* | *werr=[!-]*) bad="$bad $mode:write-refused" ;;
		esac
	done
	ok "$([ -z "$bad" ]; echo $?)" "open_modes_$f" "$bad"
done
: > $D/set_marker

rmmod marker_example
echo > $T/trace
}

checks > /tmp/20-debugfs.ktap 2> /tmp/20-debugfs.err
echo "KTAP version 1"
echo "1..$n"
cat /tmp/20-debugfs.ktap
sed "s/^/# stderr: /" /tmp/20-debugfs.err
exit $fail
