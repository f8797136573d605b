#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Every marker is a trace event markers:<name> (CONFIG_MARKER_EVENTS), in
# tracefs (/sys/kernel/tracing): the event files, in the top-level buffer
# and in an instance; available_events and set_event; the format (fields,
# offsets, sizes, signedness, print fmt); recording with exact values in
# trace and trace_pipe; filters, triggers and set_event_pid; the lifecycle
# across rmmod and insmod (an unused event goes, an enabled one stays with
# its id and records again; one name in two modules is one event); debugfs
# set_marker and control driving the top-level events; and every file we
# create opened every way (/bin/mseek, guest/mseek.c). Uses
# samples/markers/marker-example.ko, modules/mt_many.ko and
# modules/mt_adopt_{a,b}.ko (the marker mt_adopt in two modules), and
# /bin/mwrite (guest/mwrite.c).

D=/sys/kernel/debug/markers
T=/sys/kernel/tracing
M=$T/events/markers
I=$T/instances/mtest
IM=$I/events/markers
S=/modules/samples
X=/modules/extra

. /lib/markers-ktap.sh

# check NAME COMMAND...: one KTAP result from a command's status
check() {
	name=$1; shift
	"$@" > /tmp/check.out 2>&1
	ok $? "$name" "$(head -c 200 /tmp/check.out | tr '\n' ' ')"
}
# is NAME GOT WANT: one result from a comparison
has() { grep -q -- "$1" "$2"; }
fire() { cat /proc/marker-example > /dev/null; }
clear() { echo > $T/trace; echo > $I/trace; }
# the events of the lines of a trace, e.g. "example_loop: i 0 square 0|..."
events() { grep -o "$1.*" "${2:-$T/trace}" | tr '\n' '|'; }
count() { grep -c -- "$1" "${2:-$T/trace}"; }
en() { cat $M/$1/enable; }
enabled() { sort $D/set_marker | tr '\n' ' '; }
loops='example_loop: i 0 square 0|example_loop: i 1 square 1|'
loops=${loops}'example_loop: i 2 square 4|example_loop: i 3 square 9|'

# expect_format NAME 'PRINT FMT' 'DECLARATION|OFFSET|SIZE|SIGNED'...
expect_format() {
	name=$1 print=$2; shift 2
	{ echo "name: $name"; echo "ID: $(cat $M/$name/id)"; echo "format:"
	printf '\tfield:%s;\toffset:%s;\tsize:%s;\tsigned:%s;\n' \
		'unsigned short common_type' 0 2 0 \
		'unsigned char common_flags' 2 1 0 \
		'unsigned char common_preempt_count' 3 1 0 \
		'int common_pid' 4 4 1
	echo
	for f; do
		echo "$f" | { IFS='|' read -r decl off size sgn
		printf '\tfield:%s;\toffset:%s;\tsize:%s;\tsigned:%s;\n' \
			"$decl" "$off" "$size" "$sgn"; }
	done
	echo; echo "print fmt: $print"; } > /tmp/fmt.want
	diff /tmp/fmt.want $M/$name/format > /tmp/fmt.diff 2>&1
	ok $? "format_$name" "$(grep '^[-+][^-+]' /tmp/fmt.diff | tr '\n\t' '  ' |
		head -c 400)"
}

# untrigger FILE: remove every trigger of a trigger file, one by one
# (O_TRUNC removes only hist triggers)
untrigger() {
	grep -v '^#' "$1" | sed 's/ if .*//; s/:unlimited.*//; s/:count=[0-9]*.*//' |
	while read -r t; do echo "!$t" >> "$1"; done
}

# open_modes FILE KIND TEXT TEXT2 [reset]: /bin/mseek opens FILE every way;
# KIND rw (every write of TEXT/TEXT2 must be taken) or ro (every write
# refused); reset: FILE's triggers are removed after each way (a trigger
# set twice is EEXIST)
open_modes() {
	file=$1 kind=$2 t1=$3 t2=$4 bad=
	for mode in wrseek rdwr trunc append race; do
		out=$(mseek -n 100 $mode "$file" "$t1" "$t2" 2>&1)
		rc=$?
		[ "$5" != reset ] || untrigger "$file"
		echo "# ${file#/sys/kernel/}: $out"
		[ $rc = 0 ] || bad="$bad $mode:exit$rc"
		case "$kind/$out" in
		*E\?*) bad="$bad $mode:unnamed-errno" ;;
		rw/*write=E* | rw/*werr=[!-]*) bad="$bad $mode:write-refused" ;;
		ro/*write=ok* | ro/race*written=[1-9]*) bad="$bad $mode:write-taken" ;;
		esac
	done
	ok "$([ -z "$bad" ]; echo $?)" "open_modes_$(echo "$file" | sed "s|^$D/|debugfs_|
		s|^$IM/|instance_|; s|^$M/enable\$|system_enable|; s|^$M/||; s|/|_|g")" "$bad"
}

checks() {
insmod $S/marker-example.ko && insmod $X/mt_many.ko
ok $? modules_loaded
: > $D/set_marker
echo > $T/set_event
rmdir $I 2> /dev/null
mkdir $I
ok $? instance_created
dmesg -c > /dev/null
clear

# --- the files, top level and instance
for dir in $M $IM; do
	missing=
	for e in example_loop example_open example_tick mt_irq mt_many_100 \
		mt_many_299 markers_test_va; do
		for f in enable format filter trigger id; do
			[ -f $dir/$e/$f ] || missing="$missing $e/$f"
		done
	done
	[ -f $dir/enable ] || missing="$missing enable"
	[ "$(ls -d $dir/mt_many_* | wc -l)" = 200 ] || missing="$missing mt_many_*"
	where=top
	[ $dir = $M ] || where=instance
	ok "$([ -z "$missing" ]; echo $?)" "event_files_$where" "missing:$missing"
done
check instance_same_ids sh -c "cmp $M/example_loop/id $IM/example_loop/id &&
	! cmp -s $M/example_loop/id $M/example_open/id"
check available_events sh -c "grep -qx markers:example_loop $T/available_events &&
	grep -qx markers:example_open $T/available_events &&
	grep -qx markers:markers_test_direct $T/available_events &&
	[ \$(grep -c '^markers:mt_many_[12][0-9][0-9]\$' $T/available_events) = 200 ]"

# --- set_event
set_events() { grep '^markers:' $T/set_event | sort | tr '\n' ' '; }
three='markers:example_loop markers:example_open markers:example_tick '
printf 'markers:example_loop\nmarkers:example_open markers:example_tick\n' > $T/set_event
is set_event_names "$(set_events)$(en example_tick)" "${three}1"
echo '!markers:example_tick' >> $T/set_event
is set_event_not "$(set_events)$(en example_tick)" \
	"markers:example_loop markers:example_open 0"
echo > $T/set_event
# set_event's own syntax: "markers:*" is every marker (partial globs are
# set_marker's)
is set_event_system "$(mwrite -t $T/set_event 'markers:*')$(en example_tick)$(( \
	$(grep -c '^markers:' $T/set_event) == \
	$(grep -c '^markers:' $T/available_events) ))" "ok11"
is set_event_no_match "$(mwrite $T/set_event 'markers:nosuch')" EINVAL
echo > $T/set_event
is set_event_cleared "$(en example_loop)$(en example_open)$(enabled)" 00

# --- format: field N at the low-order end of u64 slot N (little-endian)
expect_format example_loop '"i %d square %lu", REC->i, REC->square' \
	'int i|8|4|1' 'unsigned long square|16|8|0'
expect_format example_open '"pid %d comm %s", REC->pid, __get_str(comm)' \
	'int pid|8|4|1' '__data_loc char[] comm|16|4|0'
expect_format example_tick '" "' 'unsigned char noargs|8|1|0'
expect_format markers_test_va '"a %d s %s c %llu", REC->a, __get_str(s), REC->c' \
	'int a|8|4|1' '__data_loc char[] s|16|4|0' 'unsigned long long c|24|8|0'
set --
recs=
for a in $(seq 0 11); do
	set -- "$@" "int arg$a|$((8 + 8 * a))|4|1"
	recs="$recs, REC->arg$a"
done
expect_format markers_test_many "\"%d %d %d %d %d %d %d %d %d %d %d %d\"$recs" "$@"
check instance_format_same cmp $M/example_open/format $IM/example_open/format

# --- recording: trace, trace_pipe, an instance on its own
for e in example_loop example_open example_tick; do echo 1 > $M/$e/enable; done
clear
fire
cat $T/trace > /tmp/t
open=$(sed -n 's/.*: \(example_open: pid [0-9]* comm cat\)$/\1/p' /tmp/t)
is trace_values "$(events example_ /tmp/t)" "$open|example_tick:  |$loops"
check trace_line_prefix has \
	'^ *cat-[0-9]* *\[[0-9]*\] [^ ]* *[0-9]*\.[0-9]*: example_loop: i 3 square 9$' /tmp/t
pids=$(sed -n 's/^ *cat-\([0-9]*\) .*: example_open: pid \([0-9]*\) comm cat$/\1 \2/p' /tmp/t)
ok "$([ -n "$pids" ] && [ "${pids% *}" = "${pids#* }" ]; echo $?)" trace_open_pid_is_task "$pids"
is trace_entries_count "$(grep -o 'entries-in-buffer/entries-written: [0-9/]*' /tmp/t)" \
	'entries-in-buffer/entries-written: 6/6'
clear
fire
timeout 1 cat $T/trace_pipe > /tmp/pipe 2> /dev/null
is trace_pipe_values "$(events 'example_[lt][a-z]*:' /tmp/pipe)" "example_tick:  |$loops"
timeout 1 cat $T/trace_pipe > /tmp/pipe 2> /dev/null
is trace_pipe_consumed "$(grep -c . /tmp/pipe)" 0
echo 0 > $M/enable
echo 1 > $IM/example_loop/enable
clear
fire
is instance_records_alone "$(count ': example_' $T/trace)/$(events example_ $I/trace)/$(
	en example_loop)/$(enabled)" "0/$loops/0/"
echo 1 > $M/example_loop/enable
clear
fire
is instance_and_top "$(events example_ $I/trace)/$(events example_)" "$loops/$loops"
echo 0 > $IM/example_loop/enable
clear
fire
is instance_disabled "$(count ': example_' $I/trace)/$(events example_)" "0/$loops"

# --- filters
echo 'i == 2' > $M/example_loop/filter
clear
fire
is filter_int "$(events example_)/$(cat $M/example_loop/filter)" \
	"example_loop: i 2 square 4|/i == 2"
echo 'square > 1 && i != 3' > $M/example_loop/filter
clear
fire
is filter_and "$(events example_)" "example_loop: i 2 square 4|"
echo 1 > $M/example_open/enable
echo 'comm ~ "ca*"' > $M/example_open/filter
echo 'comm == "nosuch"' > $IM/example_open/filter
echo 1 > $IM/example_open/enable
clear
fire
is filter_string "$(count ': example_open: pid')/$(count ': example_open' $I/trace)" 1/0
is filter_bad_field "$(mwrite $M/example_loop/filter 'nosuch == 1')" EINVAL
echo 0 > $M/example_loop/filter
echo 0 > $M/example_open/filter
echo 0 > $IM/example_open/enable
echo 0 > $M/example_open/enable
clear
fire
is filter_cleared "$(events example_)/$(cat $M/example_loop/filter)" "$loops/none"

# --- triggers
echo 'traceoff if i == 2' > $M/example_loop/trigger
clear
fire
is trigger_traceoff "$(events example_)/$(cat $T/tracing_on)" \
	"example_loop: i 0 square 0|example_loop: i 1 square 1|example_loop: i 2 square 4|/0"
echo '!traceoff' > $M/example_loop/trigger
echo 1 > $T/tracing_on
is trigger_removed "$(grep -vc '^#' $M/example_loop/trigger)" 0
echo 'enable_event:markers:example_tick' > $M/example_loop/trigger
t0=$(en example_tick)
# soft mode: set_event lists every registered event, set_marker those
# that record (example_tick reads 0*: its trigger holds it), and control
# marks both with '*' as their enable files do
is set_marker_soft_mode "$(en example_loop) $(en example_tick) $(enabled)|$(
	set_events)|$(grep -o 'example_[a-z]* =[r_]\*' $D/control | sort | tr '\n' ' ')" \
	"1* 0* example_loop |markers:example_loop markers:example_tick |$(
	)example_loop =r* example_tick =_* "
clear
fire
t1=$(en example_tick) c1=$(count ': example_tick:')
fire
is trigger_enable_event "$t0 $c1 $t1 $(count ': example_tick:')" "0* 0 1* 1"
is trigger_bad_command "$(mwrite $M/example_loop/trigger 'nosuch_trigger')" EINVAL
# removed, the trigger leaves the event it enabled as it is (tracefs's rule)
echo '!enable_event:markers:example_tick' >> $M/example_loop/trigger
is trigger_enable_event_removed "$(en example_tick) $(en example_loop) $(
	grep -vc '^#' $M/example_loop/trigger)" "1 1 0"
echo 0 > $M/example_tick/enable

# --- set_event_pid
echo $$ > $T/set_event_pid
clear
fire
c0=$(count ': example_loop:')
sh -c "echo \$\$ >> $T/set_event_pid; exec cat /proc/marker-example" > /dev/null
p=$(sed -n 's/^ *cat-\([0-9]*\) .*: example_loop: i 3 square 9$/\1/p' $T/trace)
echo > $T/set_event_pid
is set_event_pid "$c0 $(count ': example_loop:') $(count "^ *cat-$p .*: example_loop:")" \
	"0 4 4"

# --- lifecycle: an event nobody used goes with its last module
insmod $X/mt_adopt_a.ko
id=$(cat $M/mt_adopt/id 2> /dev/null)
check adopt_event_created sh -c "grep -q '^	field:int a;' $M/mt_adopt/format &&
	grep -qx markers:mt_adopt $T/available_events && [ -d $IM/mt_adopt ]"
insmod $X/mt_adopt_b.ko
is one_event_two_modules "$(grep -c '^markers:mt_adopt$' $T/available_events) $(
	find $M -maxdepth 1 -name mt_adopt | wc -l) $(cat $M/mt_adopt/id)" "1 1 $id"
rmmod mt_adopt_a
is event_stays_while_one_module "$(cat $M/mt_adopt/id 2>&1)" "$id"
exec 3< $M/mt_adopt/format 4> $M/mt_adopt/enable
rmmod mt_adopt_b
check unused_event_removed sh -c "[ ! -e $M/mt_adopt ] && [ ! -e $IM/mt_adopt ] &&
	! grep -q '^markers:mt_adopt\$' $T/available_events"
echo 1 >&4 2> /tmp/err
rc=$?
cat <&3 > /dev/null 2>> /tmp/err
ok "$([ $rc != 0 ]; echo $?)" removed_event_open_fds "write rc $rc; $(tr '\n' ' ' < /tmp/err)"
exec 3<&- 4>&-

# --- lifecycle: an enabled event stays, keeps its id, records again
echo 1 > $M/example_loop/enable
id=$(cat $M/example_loop/id)
clear
fire
rmmod marker_example
is enabled_event_kept "$(cat $M/example_loop/id)/$(en example_loop)/$(
	grep -c '^markers:example_loop$' $T/available_events)/$(cat $IM/example_loop/id)" \
	"$id/1/1/$id"
check records_outlive_module has ': example_loop: i 3 square 9$' $T/trace
insmod $S/marker-example.ko
clear
fire
is module_back_records "$(events example_)/$(cat $M/example_loop/id)" "$loops/$id"
rmmod marker_example
echo 0 > $M/example_loop/enable
is enable_while_module_gone "$(mwrite $M/example_loop/enable 1)" ok
insmod $S/marker-example.ko
clear
fire
is enabled_while_gone_records "$(events example_)" "$loops"
echo 0 > $M/example_loop/enable
# one event for mt_adopt "a %d" and mt_adopt_b's "b %s": only a's site records
insmod $X/mt_adopt_a.ko && echo 1 > $M/mt_adopt/enable && rmmod mt_adopt_a
clear
insmod $X/mt_adopt_a.ko && insmod $X/mt_adopt_b.ko
is shared_event_records "$(events 'mt_adopt:')" "mt_adopt: a 1|"
rmmod mt_adopt_a mt_adopt_b
echo 0 > $M/mt_adopt/enable

# --- debugfs set_marker and control drive the top-level events
: > $D/set_marker
echo example_loop > $D/set_marker
is set_marker_enables "$(en example_loop)$(cat $IM/example_loop/enable)" 10
echo 'example_*' >> $D/set_marker
is set_marker_glob "$(en example_loop)$(en example_open)$(en example_tick) $(
	grep -c '^markers:example_' $T/set_event)" "111 3"
echo '!example_t*' >> $D/set_marker
is set_marker_not "$(en example_loop)$(en example_open)$(en example_tick)" 110
echo example_tick > $D/set_marker
is set_marker_truncates "$(en example_loop)$(en example_open)$(en example_tick)" 001
: > $D/set_marker
is set_marker_empty "$(en example_loop)$(en example_open)$(en example_tick)" 000
echo 1 > $M/example_open/enable
echo 1 > $IM/example_tick/enable
is set_marker_reads_top_level "$(enabled)" "example_open "
echo 0 > $IM/example_tick/enable
echo 'name example_loop +' > $D/control
is control_enables "$(en example_loop) $(grep -c 'example_loop =r' $D/control)" "1 1"
echo 'module marker_example -' > $D/control
is control_disables "$(en example_loop)$(en example_open) $(grep -c '=r' $D/control)" "00 0"
echo example_loop > $D/set_marker
state() { cat $D/set_marker $T/set_event $IM/*/enable | md5sum; }
s0=$(state)
got="$(mwrite $D/set_marker 'example_open nosuch') $(mwrite $D/set_marker '!')"
got="$got $(mwrite $D/control 'name example_tick +; name nosuch +')"
is refused_all_or_nothing "$got $(state)" "ENOENT EINVAL ENOENT $s0"
check refused_warns sh -c \
	"dmesg | grep -q 'markers: set_marker: \"nosuch\" matches no loaded marker'"

# --- every file we create, opened every way
echo 1 > $M/example_loop/enable
( i=0; while [ $i -lt 100 ]; do fire; i=$((i + 1)); done ) &
firing=$!
open_modes $D/set_marker rw example_loop '!example_loop'
open_modes $D/control rw 'name example_loop +' 'name example_loop -'
for f in available_markers sites stats probes; do open_modes $D/$f ro x x; done
for dir in $M/example_loop $IM/example_loop; do
	open_modes $dir/enable rw 1 0
	open_modes $dir/filter rw 'i == 2' 0
	open_modes $dir/trigger rw stacktrace '!stacktrace' reset
	open_modes $dir/format ro x x
	open_modes $dir/id ro x x
done
open_modes $M/enable rw 0 0
wait $firing

# --- clean up, and the kernel said nothing
: > $D/set_marker
for dir in $M/example_loop $IM/example_loop; do
	untrigger $dir/trigger
	echo 0 > $dir/filter
done
echo 0 > $M/enable
echo 1 > $T/tracing_on
clear
rmdir $I
ok $? instance_removed
rmmod marker_example mt_many
ok $? modules_unloaded
dmesg | grep -E 'WARNING:|BUG:|Oops|general protection|Call Trace|UBSAN|KASAN' > /tmp/splat
ok "$([ ! -s /tmp/splat ]; echo $?)" no_kernel_splat "$(head -c 300 /tmp/splat | tr '\n' ' ')"
}

checks > /tmp/50-trace-events.ktap 2> /tmp/50-trace-events.err
echo "KTAP version 1"
echo "1..$n"
cat /tmp/50-trace-events.ktap
sed "s/^/# stderr: /" /tmp/50-trace-events.err
exit $fail
