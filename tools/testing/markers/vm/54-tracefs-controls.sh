#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The markers' controls in tracefs: set_marker and marker_control at the
# top level and in every instance, each acting on its own instance's
# buffer with the languages of debugfs's set_marker and control (which
# act on the top level); an open file holds its instance; the control
# language's line ranges, warnings that name what was refused, and
# requests that wait for a module (GLOB:mod:MODULE, "module MODULE").
# (Under lockdown=integrity, where debugfs refuses writes, vm/90-security.sh
# writes these files.) Uses samples/markers/marker-example.ko,
# modules/mt_adopt_a.ko and mt_marked.ko (markers fired by their init),
# and /bin/mwrite (guest/mwrite.c).

D=/sys/kernel/debug/markers
T=/sys/kernel/tracing
M=$T/events/markers
I=$T/instances/mctl
IM=$I/events/markers
S=/modules/samples

. /lib/markers-ktap.sh
fire() { cat /proc/marker-example > /dev/null; }
list() { sort "$1" | tr '\n' ' '; }
# the enable files of example_loop, example_open and example_tick in $1
enables() {
	echo "$(cat $1/example_loop/enable)$(cat $1/example_open/enable)$(
		)$(cat $1/example_tick/enable)"
}
last_warning() { dmesg | grep 'markers: ' | tail -1 | sed 's/^\[[^]]*\] //'; }

checks() {
insmod $S/marker-example.ko
ok $? module_loaded
: > $D/set_marker
rmdir $I 2> /dev/null
mkdir $I
ok $? instance_created

# --- the files, their modes, and the same language at the top level
ok "$([ -f $T/set_marker ] && [ -f $T/marker_control ] &&
	[ -f $I/set_marker ] && [ -f $I/marker_control ]; echo $?)" files_exist
is files_mode "$(ls -l $T/set_marker $T/marker_control $I/set_marker $I/marker_control |
	cut -c1-10 | tr '\n' ' ')" '-rw-r----- -rw-r----- -rw-r----- -rw-r----- '
echo 'example_lo*' > $T/set_marker
is top_set_marker_enables "$(enables $M)" 100
is top_and_debugfs_agree "$(list $D/set_marker)" 'example_loop '
is instance_untouched "$(enables $IM)" 000

# --- an instance's set_marker acts on that instance only
: > $T/set_marker
echo 'example_open example_tick' > $I/set_marker
is instance_set_marker_enables "$(enables $IM)" 011
is instance_set_marker_lists "$(list $I/set_marker)" 'example_open example_tick '
is top_untouched "$(enables $M)" 000
is top_set_marker_empty "$(list $T/set_marker)" ''
echo '!example_tick' >> $I/set_marker
is instance_not_glob "$(enables $IM)" 010
echo > $I/trace
echo > $T/trace
fire
ok "$(grep -q 'example_open: pid' $I/trace && ! grep -q example_ $T/trace; echo $?)" \
	instance_records_alone

# --- marker_control in an instance
echo 'module marker_example func marker_example_show +' > $I/marker_control
is instance_control_enables "$(enables $IM)" 111
ok "$(grep -q 'example_loop =r "' $I/marker_control &&
	grep -q 'example_loop =_ "' $T/marker_control; echo $?)" control_listing_per_instance
echo 'name example_* -' > $I/marker_control
is instance_control_disables "$(enables $IM)" 000

# --- line ranges, as dynamic debug takes them
line=$(grep ' example_loop =' $T/marker_control | sed 's/^[^:]*:\([0-9]*\) .*/\1/')
echo "file marker-example.c line $((line - 1))-$((line + 1)) +" > $T/marker_control
is control_line_range "$(enables $M)" 100
echo "line $line -" > $T/marker_control
is control_line_single "$(enables $M)" 000
echo "module marker_example line -$line +" > $T/marker_control
ok "$(grep -q '^example_loop$' $T/set_marker; echo $?)" control_line_open_start
echo "module marker_example line $((line + 1))- +" > $T/marker_control
ok "$(grep -q '^example_open$' $T/set_marker; echo $?)" control_line_open_end
: > $T/set_marker

# --- refused requests: errno, a warning naming what, nothing changed
echo example_open > $I/set_marker
dmesg -c > /dev/null
is instance_enoent "$(mwrite $I/set_marker 'example_tick nosuch')" ENOENT
ok "$(last_warning | grep -q '"nosuch" matches no loaded marker'; echo $?)" \
	warning_names_token "$(last_warning)"
is instance_unchanged "$(enables $IM)" 010
is query_enoent "$(mwrite $I/marker_control 'name nosuch* +')" ENOENT
ok "$(last_warning | grep -q 'query "name nosuch\* +" matches no loaded marker'; echo $?)" \
	warning_names_query "$(last_warning)"
is query_einval "$(mwrite $I/marker_control 'name example_loop nonsense +')" EINVAL
ok "$(last_warning | grep -q 'at "nonsense"'; echo $?)" warning_names_word "$(last_warning)"
is line_range_einval "$(mwrite $T/marker_control 'line 20-10 +')" EINVAL
is line_twice_einval "$(mwrite $T/marker_control 'file marker-example.c:20 line 20 +')" EINVAL
is instance_still_unchanged "$(enables $IM)" 010

# --- an open file holds its instance
exec 3< $I/set_marker
rmdir $I 2> /dev/null
ok "$([ -d $I ]; echo $?)" open_file_holds_instance
exec 3<&-
: > $I/set_marker
rmdir $I
ok $? instance_removed
ok "$([ ! -d $I ] && [ "$(enables $M)" = 000 ]; echo $?)" top_level_after_removal

rmmod marker_example
ok $? module_unloaded

# --- requests that wait for their module, recorded from its init on
X=/modules/extra
: > $T/set_marker
echo > $T/trace
echo 'mt_adopt:mod:mt-adopt-a' > $T/set_marker
ok $? mod_request_accepted
is mod_request_listed "$(cat $T/set_marker)" 'mt_adopt:mod:mt_adopt_a'
is plain_name_still_refused "$(mwrite $T/set_marker 'mt_adopt')" ENOENT
is mod_request_kept_after_refusal "$(cat $T/set_marker)" 'mt_adopt:mod:mt_adopt_a'
echo 'module mt_marked name mt_mod_init_event +' > $T/marker_control
ok $? mod_query_accepted
ok "$(grep -qx '# waiting for mt_marked: module mt_marked name mt_mod_init_event +' \
	$T/marker_control; echo $?)" mod_query_listed
is glob_module_still_refused "$(mwrite $T/marker_control 'module mt_mark* +')" ENOENT
insmod $X/mt_adopt_a.ko && insmod $X/mt_marked.ko
ok "$(grep -q 'mt_adopt: a 1' $T/trace; echo $?)" mod_request_records_init \
	"$(grep -c mt_adopt $T/trace) mt_adopt records"
ok "$(grep -q 'mt_mod_init_event: stage 1' $T/trace; echo $?)" mod_query_records_init
is mod_enabled_after_load "$(sort $T/set_marker | tr '\n' ' ')" \
	'mt_adopt mt_adopt:mod:mt_adopt_a mt_mod_init_event '
rmmod mt_adopt_a mt_marked
echo '!mt_adopt:mod:mt_adopt_a' >> $T/set_marker
is mod_request_forgotten "$(grep -c ':mod:' $T/set_marker)" 0
is forget_nothing_enoent "$(mwrite $T/set_marker '!mt_adopt:mod:mt_adopt_a')" ENOENT
: > $T/marker_control
is mod_query_forgotten_by_truncation "$(grep -c '^# waiting' $T/marker_control)" 0
echo > $T/trace
: > $T/set_marker
insmod $X/mt_adopt_a.ko
is forgotten_not_recorded "$(grep -c 'mt_adopt:' $T/trace)" 0
rmmod mt_adopt_a
mkdir $I
echo 'mt_adopt:mod:mt_adopt_a' > $I/set_marker
rmdir $I
ok $? instance_with_waiting_request_removed
insmod $X/mt_adopt_a.ko && rmmod mt_adopt_a
ok $? module_loaded_after_its_instance_went
dmesg | grep -E 'WARNING:|BUG:|Oops|general protection|Call Trace|UBSAN|KASAN' > /tmp/splat
ok "$([ ! -s /tmp/splat ]; echo $?)" no_kernel_splat "$(head -c 300 /tmp/splat | tr '\n' ' ')"
}

checks > /tmp/54-tracefs-controls.ktap 2> /tmp/54-tracefs-controls.err
echo "KTAP version 1"
echo "1..$n"
cat /tmp/54-tracefs-controls.ktap
sed "s/^/# stderr: /" /tmp/54-tracefs-controls.err
exit $fail
