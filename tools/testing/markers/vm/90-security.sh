#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Security of the markers debugfs files, of their trace events' tracefs
# files and of the markers API, with markers enabled and events recorded:
# every file is root-only and refuses uid 65534 (/bin/mopen,
# guest/mopen.c); no file shows a kernel address;
# the kernel's module loader refuses a non-GPL module that calls the
# GPL-only API (/bin/mload, guest/mload.c; modpost refusing to build it is
# markers-off.sh's exports_are_gpl_only); the markers of a module with a
# bad taint stay off (sec/mt_sec_proprietary.ko against sec/mt_sec_clean.ko);
# and, last, under kernel lockdown (integrity) debugfs refuses every file
# with write permission while the read-only ones stay readable (tracefs is
# locked down only at "confidentiality": recording goes on).
# Raising lockdown cannot be undone, and a proprietary module leaves the
# kernel tainted: this script must run last in the boot.

D=/sys/kernel/debug/markers
T=/sys/kernel/tracing
E=$T/events/markers
S=/modules/samples
X=/modules/extra
LOCKDOWN=/sys/kernel/security/lockdown
SPLAT='WARNING:|BUG:|Oops|general protection|Call Trace|INFO: |Kernel panic|'
SPLAT=$SPLAT'lockdep|RCU usage|KASAN|UBSAN|corruption'

. /lib/markers-ktap.sh
one_line() { head -c "${1:-300}" | tr '\n' ' '; }
fire() {
	cat /proc/marker-example > /dev/null
	echo 3 > /sys/module/mt_marked/parameters/fire
	echo 1 > /sys/module/mt_many/parameters/fire
	echo 20 > /sys/module/mt_many/parameters/fire_irq
	sleep 1
}
# what lockdown may not change: the state columns of the read-only listings
state() {
	{ sed 's/ probes=[0-9]*//' $D/available_markers
	cut -d' ' -f1,2,5- $D/sites; } > "$1"
}
# every file under $D, relative to it
files() { (cd $D && find . -type f | sed 's|^\./||' | sort); }
# the tracefs files of the events of the loaded example markers, relative to $E
event_files() {
	for e in example_loop example_open example_tick mt_irq mt_many_100; do
		for f in enable filter trigger format id; do echo $e/$f; done
	done
}

checks() {
dmesg -c > /dev/null
insmod $S/marker-example.ko && insmod $X/mt_marked.ko &&
	insmod $X/mt_many.ko && insmod $X/mt_second_probe.ko
ok $? modules_loaded
echo 'example_* mt_many_1* mt_irq' > $D/set_marker
fire
nr_files=$(files | wc -l)
echo "# $nr_files files, $(grep -c . $D/set_marker) markers enabled," \
	"$(grep -vc '^#' $T/trace) events recorded"

# --- root only
# mode without group or other bits, owned by root: one line per offender
files | (cd $D && xargs stat -c '%a %u %g %n') > /tmp/modes
bad=$(grep -v '^[4620]00 0 0 ' /tmp/modes)
ok "$([ -z "$bad" ] && [ "$nr_files" -ge 6 ]; echo $?)" \
	files_root_only "$nr_files files; $(echo "$bad" | one_line)"
echo "# modes:" $(cut -d' ' -f1 /tmp/modes | sort | uniq -c | awk '{ print $2 "x" $1 }')
echo "# debugfs root $(stat -c %a /sys/kernel/debug), $D $(stat -c %a $D)," \
	"tracefs $(stat -c %a $T), $E $(stat -c %a $E)"
# tracefs's own modes: nothing for others, owned by root
event_files | (cd $E && xargs stat -c '%a %u %n') > /tmp/tmodes
bad=$(grep -v '^[46][40]0 0 ' /tmp/tmodes)
ok "$([ -z "$bad" ]; echo $?)" event_files_no_access_for_others \
	"$(echo "$bad" | one_line)"
echo "# tracefs modes:" $(cut -d' ' -f1 /tmp/tmodes | sort | uniq -c |
	awk '{ print $2 "x" $1 }')
state /tmp/before
# looked up from the markers directory opened as root: only the files'
# own modes (and those of events/ and events/NAME/) refuse uid 65534
files | (cd $D && xargs mopen -u 65534 -d $D) > /tmp/nobody 2>&1
bad=$(grep -v ' read=EACCES write=EACCES$' /tmp/nobody)
ok "$([ -z "$bad" ] && [ "$(grep -c . /tmp/nobody)" = "$nr_files" ]; echo $?)" \
	nonroot_open_refused_eacces "$(echo "$bad" | one_line)"
event_files | xargs mopen -u 65534 -d $E > /tmp/nobody 2>&1
bad=$(grep -v ' read=EACCES write=EACCES$' /tmp/nobody)
ok "$([ -z "$bad" ] && [ "$(grep -c . /tmp/nobody)" = 25 ]; echo $?)" \
	nonroot_event_files_refused_eacces "$(echo "$bad" | one_line)"
# by path: the debugfs and tracefs roots (mode 0700) already refuse
got=$(mopen -u 65534 $D/set_marker $E/example_loop/enable | tr '\n' ' ')
want="$D/set_marker read=EACCES write=EACCES"
want="$want $E/example_loop/enable read=EACCES write=EACCES "
ok "$([ "$got" = "$want" ]; echo $?)" nonroot_path_refused_eacces "$got"
state /tmp/after
ok "$(cmp -s /tmp/before /tmp/after; echo $?)" nonroot_changed_nothing

# --- no kernel address in any file
check_ptr=$(grep -q 'direct=mt_second_probe \[mt_second_probe\]$' $D/sites; echo $?)
ok "$check_ptr" sites_direct_probe_by_symbol "$(grep '^mt_mod_event ' $D/sites | one_line)"
timeout 2 cat $T/trace_pipe > /tmp/pipe 2> /dev/null
ok "$(grep -q ': mt_many_1[0-9]*: n ' /tmp/pipe &&
	grep -q ': example_open: ' /tmp/pipe; echo $?)" \
	events_recorded "$(grep -c . /tmp/pipe) lines from trace_pipe"
fire
: > /tmp/ptrs
for p in $(files | sed "s|^|$D/|") $(event_files | sed "s|^|$E/|") /tmp/pipe $T/trace; do
	grep -HiE '0x[0-9a-f]{8}|ffff[0-9a-f]{8}|[0-9a-f]{16}' "$p" >> /tmp/ptrs
done
ok "$([ ! -s /tmp/ptrs ]; echo $?)" no_kernel_address_in_any_file \
	"$(grep -c . /tmp/ptrs) line(s): $(one_line < /tmp/ptrs)"

# --- the kernel's loader: GPL-only exports (markers-off.sh checks modpost)
rmmod mt_second_probe
got=$(mload $X/mt_legacy_probe.ko BSD)
dmesg > /tmp/dmesg
ok "$([ "$got" = ENOENT ] && ! grep -q '^mt_legacy_probe ' /proc/modules &&
	grep -q 'mt_legacy_probe: Unknown symbol marker_probe_register ' /tmp/dmesg; echo $?)" \
	non_gpl_module_using_api_refused "mload: $got; $(grep mt_legacy /tmp/dmesg | one_line)"

# --- a module with a bad taint (P): its marker stays off when enabled
insmod $X/mt_sec_clean.ko && insmod $X/mt_sec_proprietary.ko
ok $? sec_modules_loaded
dmesg > /tmp/dmesg
ok "$(grep -q 'module mt_sec_proprietary: taint 0x[0-9a-f]*, its 1 marker sites stay off' \
	/tmp/dmesg && ! grep -q 'module mt_sec_clean: taint' /tmp/dmesg; echo $?)" \
	bad_taint_warned "$(grep 'mt_sec' /tmp/dmesg | one_line)"
echo 'mt_sec_*' >> $D/set_marker
clean=$(grep '^mt_sec_clean_event ' $D/available_markers)
prop=$(grep '^mt_sec_proprietary_event ' $D/available_markers)
ok "$(echo "$clean" | grep -q ' state=on '; echo $?)" clean_module_marker_connects "$clean"
ok "$(grep -qx mt_sec_proprietary_event $D/set_marker &&
	echo "$prop" | grep -q ' state=off probes=0 ' &&
	grep -q '^mt_sec_proprietary_event .* off$' $D/sites; echo $?)" \
	bad_taint_module_marker_stays_off "$prop; $(grep '^mt_sec_proprietary' $D/sites)"
echo '!mt_sec_*' >> $D/set_marker
rmmod mt_sec_proprietary && rmmod mt_sec_clean
ok $? sec_modules_unloaded

# --- no splat so far, before the point of no return
dmesg > /tmp/dmesg
grep -E "$SPLAT" /tmp/dmesg > /tmp/splat
ok "$([ ! -s /tmp/splat ]; echo $?)" no_kernel_splat "$(one_line < /tmp/splat)"

# --- lockdown, last: it cannot be lowered again
[ -e $LOCKDOWN ] || mount -t securityfs security /sys/kernel/security
echo "# lockdown before: $(cat $LOCKDOWN 2>&1)"
fire
timeout 1 cat $T/trace_pipe > /dev/null 2>&1
state /tmp/before
stats0=$(cat $D/stats | tr '\n' ' ')
echo integrity > $LOCKDOWN
got=$(cat $LOCKDOWN 2>&1)
ok "$(echo "$got" | grep -q '\[integrity\]'; echo $?)" lockdown_raised "$got"

rw="set_marker control"
got=$(cd $D && mopen $rw | tr '\n' ' ')
want=
for f in $rw; do want="${want}$f read=EPERM write=EPERM "; done
ok "$([ "$got" = "$want" ]; echo $?)" lockdown_writable_files_refused_eperm "$got"
got=$(mwrite -t $D/set_marker '' ; mwrite $D/set_marker '!example_*';
	mwrite $D/control '* -')
ok "$([ "$(echo $got)" = "open:EPERM open:EPERM open:EPERM" ]; echo $?)" \
	lockdown_writes_refused_eperm "$(echo $got)"
ro="available_markers sites stats probes"
got=$(cd $D && mopen $ro | sed 's/ write=.*//' | tr '\n' ' ')
want=
for f in $ro; do want="${want}$f read=ok "; done
ok "$([ "$got" = "$want" ]; echo $?)" lockdown_readonly_files_open "$got"
got=$(mopen -d $D $ro | sed -n 's/.* write=//p' | sort -u | tr '\n' ' ')
ok "$([ "$got" = "EPERM " ]; echo $?)" lockdown_readonly_files_write_open_eperm "$got"
ok "$(grep -q '^example_loop "i %d square %lu" sites=1 state=on' $D/available_markers &&
	grep -q '^example_loop .* on' $D/sites &&
	grep -q '^sequences [0-9]' $D/stats; echo $?)" lockdown_readonly_files_read
state /tmp/after
ok "$(cmp -s /tmp/before /tmp/after; echo $?)" lockdown_enabled_set_unchanged \
	"$(diff /tmp/before /tmp/after | grep '^[-+][^-+]' | one_line)"
ok "$([ "$(cat $D/stats | tr '\n' ' ')" = "$stats0" ]; echo $?)" lockdown_no_patching \
	"$stats0 -> $(cat $D/stats | tr '\n' ' ')"
fire
timeout 2 cat $T/trace_pipe > /tmp/pipe 2> /dev/null
ok "$([ "$(grep -c ': example_loop: ' /tmp/pipe)" = 4 ] &&
	grep -q ': example_loop: i 3 square 9$' /tmp/pipe; echo $?)" \
	lockdown_recording_goes_on "$(grep -c ': example_loop: ' /tmp/pipe) example_loop events"
# tracefs is locked down at "confidentiality" only: its enable files work
echo 0 > $E/example_loop/enable && [ "$(cat $E/example_loop/enable)" = 0 ] &&
	echo 1 > $E/example_loop/enable && [ "$(cat $E/example_loop/enable)" = 1 ]
ok $? lockdown_integrity_tracefs_still_writable
# and so do the markers' own controls in tracefs, where debugfs's are refused
got=$(mwrite -t $T/set_marker 'example_loop'; mwrite $T/marker_control 'name example_tick +'
	mwrite $T/marker_control 'name example_* -')
ok "$([ "$(echo $got)" = "ok ok ok" ] && [ "$(cat $E/example_loop/enable)" = 0 ]; echo $?)" \
	lockdown_integrity_tracefs_controls_writable "$(echo $got)"
echo example_loop > $T/set_marker
dmesg > /tmp/dmesg
notices=$(grep -c 'Lockdown: .*debugfs access is restricted' /tmp/dmesg)
echo "# $notices lockdown notice(s), e.g.:" \
	"$(grep -m1 'Lockdown:' /tmp/dmesg)"
grep -E "$SPLAT" /tmp/dmesg > /tmp/splat
ok "$([ ! -s /tmp/splat ]; echo $?)" no_kernel_splat_under_lockdown "$(one_line < /tmp/splat)"
# the markers stay enabled: set_marker can no longer be written
rmmod mt_many && rmmod mt_marked && rmmod marker_example
ok $? modules_unloaded_under_lockdown
}

checks > /tmp/90-security.ktap 2> /tmp/90-security.err
echo "KTAP version 1"
echo "1..$n"
cat /tmp/90-security.ktap
sed "s/^/# stderr: /" /tmp/90-security.err
exit $fail
