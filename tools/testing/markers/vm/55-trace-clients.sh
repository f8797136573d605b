#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The real tracing clients on the markers' trace events, in the booted
# test kernel: Debian's trace-cmd and perf (copied into the initramfs
# with their shared libraries by initramfs.sh) and /bin/mbpf
# (guest/mbpf.c: a BPF_PROG_TYPE_TRACEPOINT program through bpf() and
# perf_event_open()). Uses samples/markers/marker-example.ko: one read of
# /proc/marker-example fires example_open ("pid %d comm %s") once,
# example_tick (" ") once and example_loop ("i %d square %lu") 4 times,
# i = 0..3 (sum 6), square = i * i (sum 14).
#  - trace-cmd record -e 'markers:*' / trace-cmd report: the fields' values;
#  - perf list, perf stat (exact counts), perf record / perf script;
#  - mbpf: count and sum of a field computed by the BPF program, also for
#    hits on a CPU other than the one the perf event was opened on;
#  - a module in printk style (modules/mt_printk.c): its fields' names,
#    and its records, two strings in one of them, in the trace file, in
#    trace-cmd report and in perf script;
#  - rmmod / insmod of the sample while its event is enabled in tracefs
#    and while a perf descriptor is open on it: the event stays, keeps its
#    id and counts or records the hits after the insmod.
# A client missing from the guest is "not ok ... # client missing".

T=/sys/kernel/tracing
E=$T/events/markers
S=/modules/samples

. /lib/markers-ktap.sh
one_line() { head -c 300 | tr '\n' ' '; }
fire() { cat /proc/marker-example > /dev/null; }
# count REGEX FILE: the number of lines of FILE matching REGEX
count() { grep -c -- "$1" "$2"; }
# loop_values FILE PREFIX: "ok" if FILE has example_loop's 4 records,
# i 0..3 with their squares, and no other, else what it has
loop_values() {
	got=$(count "$2example_loop:" "$1")
	for i in 0 1 2 3; do
		grep -q "$2example_loop: *i $i square $((i * i))\$" "$1" ||
			got="$got, no i $i"
	done
	[ "$got" = 4 ] && echo ok || echo "$got records"
}
# bpf_sum FIELD -- CMD...: r = mbpf's result over example_loop's FIELD,
# or its messages
bpf_sum() {
	mbpf markers/example_loop "$@" > /tmp/bpf.out 2>&1
	r=$(grep '^count=' /tmp/bpf.out) || r=$(one_line < /tmp/bpf.out)
}
# has_client NAME CHECK...: true if NAME runs; else every CHECK fails
has_client() {
	c=$1; shift
	if command -v "$c" > /dev/null; then return 0; fi
	for chk in "$@"; do ok 1 "$chk" "client missing"; done
	return 1
}

checks() {
insmod $S/marker-example.ko
ok $? sample_loaded
id=$(cat $E/example_loop/id 2> /dev/null)
ok "$([ -n "$id" ]; echo $?)" event_has_id "$(ls $E 2>&1 | one_line)"

# --- trace-cmd
if has_client trace-cmd trace_cmd_runs trace_cmd_record trace_cmd_report_loop \
		trace_cmd_report_open trace_cmd_report_tick; then
	trace-cmd --version > /tmp/tc.out 2>&1
	ok "$(grep -q 'trace-cmd version' /tmp/tc.out; echo $?)" trace_cmd_runs \
		"$(one_line < /tmp/tc.out)"
	trace-cmd record -e 'markers:*' -o /tmp/x.dat \
		cat /proc/marker-example > /tmp/tc.out 2>&1
	ok $? trace_cmd_record "$(tail -n 5 /tmp/tc.out | one_line)"
	trace-cmd report -i /tmp/x.dat > /tmp/tc.rep 2> /tmp/tc.err
	echo "# trace-cmd report:"
	grep 'example_' /tmp/tc.rep | head -n 8 | sed 's/^/# /'
	r=$(loop_values /tmp/tc.rep)
	ok "$([ "$r" = ok ]; echo $?)" trace_cmd_report_loop \
		"$r; $(one_line < /tmp/tc.err)"
	ok "$(grep -q 'cat-\([0-9]*\) .*example_open: *pid \1 comm cat' \
		/tmp/tc.rep; echo $?)" trace_cmd_report_open \
		"$(grep example_open /tmp/tc.rep | one_line)"
	ok "$([ "$(count 'example_tick:' /tmp/tc.rep)" = 1 ]; echo $?)" \
		trace_cmd_report_tick "$(grep example_tick /tmp/tc.rep | one_line)"
fi

# --- perf
if has_client perf perf_runs perf_list perf_stat_loop perf_stat_open \
		perf_record perf_script_loop perf_script_open; then
	perf --version > /tmp/pf.out 2>&1
	ok "$(grep -q '^perf version' /tmp/pf.out; echo $?)" perf_runs \
		"$(one_line < /tmp/pf.out)"
	perf list tracepoint > /tmp/pf.out 2>&1
	ok "$(grep -q 'markers:example_loop .*Tracepoint event' /tmp/pf.out
		echo $?)" perf_list "$(grep -c markers: /tmp/pf.out) markers events"
	perf stat -x, -o /tmp/pf.csv -e markers:example_loop \
		-e markers:example_open -- cat /proc/marker-example > /dev/null 2>&1
	loops=$(awk -F, '$3 == "markers:example_loop" { print $1 }' /tmp/pf.csv)
	opens=$(awk -F, '$3 == "markers:example_open" { print $1 }' /tmp/pf.csv)
	ok "$([ "$loops" = 4 ]; echo $?)" perf_stat_loop \
		"counted '$loops'; $(one_line < /tmp/pf.csv)"
	ok "$([ "$opens" = 1 ]; echo $?)" perf_stat_open "counted '$opens'"
	perf record -N -e 'markers:*' -o /tmp/p.data -- \
		cat /proc/marker-example > /tmp/pf.out 2>&1
	ok $? perf_record "$(tail -n 5 /tmp/pf.out | one_line)"
	perf script -i /tmp/p.data > /tmp/pf.scr 2> /tmp/pf.err
	echo "# perf script:"
	grep 'example_' /tmp/pf.scr | head -n 8 | sed 's/^/# /'
	r=$(loop_values /tmp/pf.scr markers:)
	ok "$([ "$r" = ok ]; echo $?)" perf_script_loop \
		"$r; $(one_line < /tmp/pf.err)"
	ok "$(grep -q 'cat  *\([0-9]*\) .*markers:example_open: *pid \1 comm cat' \
		/tmp/pf.scr; echo $?)" perf_script_open \
		"$(grep example_open /tmp/pf.scr | one_line)"
fi

# --- BPF (mbpf is built into the initramfs: never missing)
fld=$(mbpf -f markers/example_loop i 2>&1)
ok "$([ "$fld" = "id=$id offset=8 size=4 signed=1" ]; echo $?)" bpf_field_i "$fld"
fld=$(mbpf -f markers/example_loop square 2>&1)
ok "$([ "$fld" = "id=$id offset=16 size=8 signed=0" ]; echo $?)" \
	bpf_field_square "$fld"
bpf_sum i -- cat /proc/marker-example
ok "$([ "$r" = "count=4 sum=6" ]; echo $?)" bpf_sum_i "$r"
bpf_sum square -- sh -c 'cat /proc/marker-example; cat /proc/marker-example'
ok "$([ "$r" = "count=8 sum=28" ]; echo $?)" bpf_sum_square_twice "$r"
# the perf event is opened on CPU 0; the hits come from the last CPU
last=$(($(nproc) - 1))
bpf_sum i -- taskset "$(printf %x $((1 << last)))" cat /proc/marker-example
ok "$([ "$r" = "count=4 sum=6" ]; echo $?)" bpf_sum_other_cpu "cpu $last: $r"

# --- rmmod / insmod while the event is enabled in tracefs
echo 1 > $T/tracing_on	# trace-cmd record may have left it off
r=0
echo 1 > $E/example_loop/enable && echo > $T/trace || r=1
ok $r event_enabled
rmmod marker_example
ok $? rmmod_while_enabled "$(dmesg | tail -n 3 | one_line)"
got="$(cat $E/example_loop/id 2>&1)/$(cat $E/example_loop/enable 2>&1)"
ok "$([ "$got" = "$id/1" ]; echo $?)" enabled_event_kept "id/enable: $got, was $id/1"
insmod $S/marker-example.ko
ok $? insmod_while_enabled
got=$(cat $E/example_loop/id 2>&1)
ok "$([ "$got" = "$id" ]; echo $?)" enabled_event_same_id "$got, was $id"
fire
cat $T/trace > /tmp/trace
r=$(loop_values /tmp/trace)
ok "$([ "$r" = ok ]; echo $?)" enabled_event_records_again \
	"$r: $(grep example_ /tmp/trace | one_line)"
echo 0 > $E/example_loop/enable && echo > $T/trace

# --- rmmod / insmod while a perf descriptor is open on the event
if has_client perf perf_open_started perf_open_rmmod perf_open_insmod \
		perf_open_same_id perf_open_counts_after_insmod; then
	rm -f /tmp/go /tmp/stop
	perf stat -a -x, -o /tmp/bg.csv -e markers:example_loop -- sh -c \
		'touch /tmp/go; while [ ! -e /tmp/stop ]; do sleep 0.1; done' \
		> /tmp/bg.out 2>&1 &
	bg=$!
	i=0
	while [ ! -e /tmp/go ] && [ $i -lt 600 ] && kill -0 $bg 2> /dev/null; do
		sleep 0.1
		i=$((i + 1))
	done
	ok "$([ -e /tmp/go ]; echo $?)" perf_open_started \
		"$(one_line < /tmp/bg.out)"
	fire
	rmmod marker_example 2> /tmp/rm.err
	rc=$?
	if [ $rc = 0 ]; then
		ok 0 perf_open_rmmod
	else
		# refusing is clean too, if it says why; then fire again
		echo "# rmmod refused while perf is open: $(one_line < /tmp/rm.err)"
		ok "$([ -s /tmp/rm.err ]; echo $?)" perf_open_rmmod "status $rc"
	fi
	[ $rc != 0 ] || insmod $S/marker-example.ko
	ok $? perf_open_insmod
	got=$(cat $E/example_loop/id 2>&1)
	ok "$([ "$got" = "$id" ]; echo $?)" perf_open_same_id "$got, was $id"
	fire
	touch /tmp/stop
	wait $bg
	loops=$(awk -F, '$3 == "markers:example_loop" { print $1 }' /tmp/bg.csv)
	ok "$([ "$loops" = 8 ]; echo $?)" perf_open_counts_after_insmod \
		"counted '$loops', expected 4 + 4; $(one_line < /tmp/bg.csv)"
fi

# --- printk style: "dev=%s len=%u flags: %#x", "dev=%s drv: %s err = %d"
insmod /modules/extra/mt_printk.ko
ok $? printk_module_loaded
pk_fire() { for v in "$@"; do echo "$v" > /sys/module/mt_printk/parameters/fire; done; }
# pk_fields EVENT: its fields' names, the common ones left out
pk_fields() {
	sed -n 's/^.field:[^;]* \([a-z0-9_]*\)\(\[[0-9]*\]\)*;.*/\1/p' $E/$1/format |
		grep -v '^common_' | tr '\n' ' '
}
# pk_lines FILE [EVENTS]: the records of the events in FILE (default: kv
# and two), one per '|'
pk_lines() {
	grep -E "mt_printk_(${2:-kv|two}):" "$1" |
		sed 's/.*\(mt_printk_[a-z0-9]*:\) */\1 /; s/ *$//' | tr '\n' '|'
}
pk_want="mt_printk_kv: dev=vda len=2 flags: 0x11|"
pk_want="${pk_want}mt_printk_two: dev=vda drv: virtio err = -2|"
pk_want="${pk_want}mt_printk_kv: dev=vda len=1 flags: 0x11|"
pk_want="${pk_want}mt_printk_two: dev=vda drv: (null) err = -1|"
# %pe: the trace file prints the error's name, the clients the long
pk_addr="mt_printk_addr: src=192.168.0.2 mac=52:54:00:12:34:02 err=-ENOENT|"
pk_addr="${pk_addr}mt_printk_addr: src=192.168.0.1 mac=52:54:00:12:34:01 err=-EPERM|"
pk_addr_ld=$(echo "$pk_addr" | sed 's/-ENOENT/-2/; s/-EPERM/-1/')
pk_addr6="mt_printk_addr6: dst=fe80::2 id=00010203-0405-0607-0809-0a0b0c0d0e02|"
pk_addr6="${pk_addr6}mt_printk_addr6: dst=fe80::1 id=00010203-0405-0607-0809-0a0b0c0d0e01|"
pk_hex="mt_printk_hex: hdr=de ad be 02|mt_printk_hex: hdr=de ad be 01|"
is printk_fields_kv "$(pk_fields mt_printk_kv)" "dev len flags "
is printk_fields_two "$(pk_fields mt_printk_two)" "dev drv err "
is printk_fields_addr "$(pk_fields mt_printk_addr)" "src mac err "
pk_copies=" field:u8 src[4]; offset:32; size:4|"
pk_copies="$pk_copies field:u8 mac[6]; offset:36; size:6|"
pk_copies="$pk_copies field:long err; offset:24; size:8|"
is printk_format_copies "$(grep -E 'field:(u8|long) ' $E/mt_printk_addr/format |
	tr -s '\t ' ' ' | cut -d';' -f1-3 | tr '\n' '|')" "$pk_copies"
for e in kv two addr addr6 hex long; do echo 1 > $E/mt_printk_$e/enable; done
echo > $T/trace
pk_fire 2 1
is printk_trace "$(pk_lines $T/trace)" "$pk_want"
is printk_trace_addr "$(pk_lines $T/trace addr)" "$pk_addr"
is printk_trace_addr6 "$(pk_lines $T/trace addr6)" "$pk_addr6"
is printk_trace_hex "$(pk_lines $T/trace hex)" "$pk_hex"
# "path=%.1000s" of 1499 bytes: the record keeps the 1000 printed
is printk_trace_long "$(sed -n 's/.*mt_printk_long: path=//p' $T/trace |
	awk '{ print length($0) }' | tr '\n' ' ')" "1000 1000 "
for e in kv two addr addr6 hex long; do echo 0 > $E/mt_printk_$e/enable; done
fld=$(mbpf -f markers/mt_printk_kv len 2>&1)
ok "$(echo "$fld" | grep -q ' offset=16 size=4 signed=0$'; echo $?)" \
	printk_bpf_field_len "$fld"
if has_client trace-cmd printk_trace_cmd_report printk_trace_cmd_report_addr \
		printk_trace_cmd_report_addr6 printk_trace_cmd_report_hex; then
	trace-cmd record -e markers:mt_printk_kv -e markers:mt_printk_two \
		-e markers:mt_printk_addr -e markers:mt_printk_addr6 \
		-e markers:mt_printk_hex -o /tmp/pk.dat sh -c \
		'for v in 2 1; do echo $v > /sys/module/mt_printk/parameters/fire; done' \
		> /tmp/tc.out 2>&1
	trace-cmd report -i /tmp/pk.dat > /tmp/pk.rep 2>&1
	echo "# trace-cmd report:"
	grep 'mt_printk_' /tmp/pk.rep | sed 's/^/# /'
	is printk_trace_cmd_report "$(pk_lines /tmp/pk.rep)" "$pk_want"
	is printk_trace_cmd_report_addr "$(pk_lines /tmp/pk.rep addr)" "$pk_addr_ld"
	is printk_trace_cmd_report_addr6 "$(pk_lines /tmp/pk.rep addr6)" "$pk_addr6"
	is printk_trace_cmd_report_hex "$(pk_lines /tmp/pk.rep hex)" "$pk_hex"
fi
if has_client perf printk_perf_script printk_perf_script_addr \
		printk_perf_script_addr6 printk_perf_script_hex; then
	perf record -N -e markers:mt_printk_kv -e markers:mt_printk_two \
		-e markers:mt_printk_addr -e markers:mt_printk_addr6 \
		-e markers:mt_printk_hex -o /tmp/pk.data -- sh -c \
		'for v in 2 1; do echo $v > /sys/module/mt_printk/parameters/fire; done' \
		> /tmp/pf.out 2>&1
	perf script -i /tmp/pk.data > /tmp/pk.scr 2>&1
	echo "# perf script:"
	grep 'mt_printk_' /tmp/pk.scr | sed 's/^/# /'
	is printk_perf_script "$(pk_lines /tmp/pk.scr)" "$pk_want"
	is printk_perf_script_addr "$(pk_lines /tmp/pk.scr addr)" "$pk_addr_ld"
	is printk_perf_script_addr6 "$(pk_lines /tmp/pk.scr addr6)" "$pk_addr6"
	is printk_perf_script_hex "$(pk_lines /tmp/pk.scr hex)" "$pk_hex"
fi
rmmod mt_printk
ok $? printk_module_unloaded

rmmod marker_example
ok $? sample_unloaded
}

checks > /tmp/55-trace-clients.ktap 2> /tmp/55-trace-clients.err
echo "KTAP version 1"
echo "1..$n"
cat /tmp/55-trace-clients.ktap
sed "s/^/# stderr: /" /tmp/55-trace-clients.err
exit $fail
