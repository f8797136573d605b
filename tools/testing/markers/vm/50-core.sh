#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Regression tests of the registry's core rules that need a booted system:
#  - a marker in built-in .exit.text, freed with the init memory, is never
#    patched once that text is gone (markers_site_test_exit, built in with
#    the KUnit suite markers_sites);
#  - a module's __markers_jump is read-only once the module is live;
#  - a site whose format differs from its probes' is warned about once,
#    not again at every unrelated connection;
#  - debugfs "probes" shows a probe waiting for a marker no loaded code
#    has, connected, and refused by a site of another format;
#  - a probe registered without a format adopts the format of the first
#    site that comes, and no failed allocation on that path leaves the
#    format check off: the module load is swept with its N-th allocation
#    under the registry's module notifier failed (fail-nth, failslab's
#    stack filter), for every N until the load makes no more;
#  - disconnecting a probe never fails: module unloads whose exit
#    unregisters a direct probe (one of two on the marker: the array
#    loses an entry) and then the last probe are repeated with each
#    allocation under kernel/markers.c failed in turn; every probe must
#    be gone, and the remaining one still called; so must a probe whose
#    module left without unregistering it;
#  - a batch whose removal stubs its probe in place (no memory for the
#    smaller array) and that then stages a new array over the stubbed one
#    is undone, or kept, with every array freed once and the stub's
#    function given back (modules/mt_batch.ko, each allocation failed in
#    turn).
# Uses modules/mt_adopt_{probe,a,b}.ko, mt_batch.ko, marker-example.ko
# and /bin/mfailnth (guest/mfailnth.c).

D=/sys/kernel/debug/markers
F=/sys/kernel/debug/failslab
S=/modules/samples
X=/modules/extra

. /lib/markers-ktap.sh
one_line() { head -c 300 | tr '\n' ' '; }
site_of() { grep "^$1 .*\[$2\]" $D/sites; }

checks() {
# --- built-in .exit.text
exit_site=$(grep '^markers_site_test_exit ' $D/sites)
ok "$([ -n "$exit_site" ]; echo $?)" exit_text_marker_listed "$exit_site"
dmesg -c > /dev/null
echo markers_site_test_exit > $D/set_marker
ok $? exit_text_marker_enabled
exit_site=$(grep '^markers_site_test_exit ' $D/sites)
case "$exit_site" in
*armed* | *refused*) r=1 ;;
*) r=0 ;;
esac
ok $r exit_text_not_patched "$exit_site"
ok "$(! dmesg | grep -q 'marker markers_site_test_exit'; echo $?)" \
	exit_text_not_read "$(dmesg | grep markers_site_test_exit | one_line)"
echo '!markers_site_test_exit' > $D/set_marker
ok $? exit_text_marker_disabled

# --- one warning per mismatching site
insmod $S/marker-example.ko
insmod $X/mt_adopt_probe.ko
line=$(grep '^mt_adopt ' $D/probes)
ok "$([ "$line" = 'mt_adopt "" probes=1 sites=0 on=0 state=waiting' ]; echo $?)" \
	probe_waiting_listed "$line"
insmod $X/mt_adopt_a.ko && insmod $X/mt_adopt_b.ko
ok $? adopt_modules_loaded
line=$(grep '^mt_adopt ' $D/probes)
ok "$([ "$line" = 'mt_adopt "a %d" probes=1 sites=2 on=1 state=on' ]; echo $?)" \
	probe_connected_listed "$line"
a=$(site_of mt_adopt mt_adopt_a) b=$(site_of mt_adopt mt_adopt_b)
case "$a" in *" on"*) r=0 ;; *) r=1 ;; esac
ok $r adopted_format_connects "$a"
case "$b" in *" off"*) r=0 ;; *) r=1 ;; esac
ok $r other_format_refused "$b"
for i in 1 2 3; do
	echo example_loop > $D/set_marker
	echo '!example_loop' > $D/set_marker
done
jt=$(cat /sys/module/mt_adopt_a/parameters/jump_table)
ok "$([ "$jt" = read-only ]; echo $?)" module_jump_table_read_only "$jt"
warned=$(dmesg | grep -c 'marker mt_adopt: site .* has format "b %s", probes expect "a %d"')
ok "$([ "$warned" = 1 ]; echo $?)" mismatch_warned_once "$warned warnings"
rmmod mt_adopt_a
line=$(grep '^mt_adopt ' $D/probes)
ok "$([ "$line" = 'mt_adopt "a %d" probes=1 sites=1 on=0 state=mismatch' ]; echo $?)" \
	probe_mismatch_listed "$line"
rmmod mt_adopt_b mt_adopt_probe marker_example
ok $? adopt_modules_unloaded
ok "$(! grep -q '^mt_adopt ' $D/probes; echo $?)" probes_listing_emptied

# --- the adoption under allocation failure
notify=$(grep ' markers_module_notify$' /proc/kallsyms | cut -d' ' -f1)
end=$(sort /proc/kallsyms | grep -A1 " markers_module_notify\$" | tail -1 | cut -d' ' -f1)
if [ -z "$notify" ] || [ ! -d $F ]; then
	ok 1 failslab_ready "no markers_module_notify in kallsyms, or no $F"
	return
fi
echo "0x$notify" > $F/require-start && echo "0x$end" > $F/require-end &&
	echo N > $F/ignore-gfp-wait && echo 0 > $F/verbose
ok $? failslab_ready
dmesg -c > /dev/null
nth=1 injected=0 refused=0 broken=
while [ $nth -le 200 ]; do
	insmod $X/mt_adopt_probe.ko
	r=$(mfailnth $nth $X/mt_adopt_a.ko)
	case "$r" in
	"ok injected" | "ok clean")
		insmod $X/mt_adopt_b.ko
		case "$(site_of mt_adopt mt_adopt_b)" in
		*" off"*) ;;
		*) broken="$broken $nth" ;;
		esac
		rmmod mt_adopt_b mt_adopt_a ;;
	"ENOMEM injected") refused=$((refused + 1)) ;;
	*) broken="$broken $nth($r)" ;;
	esac
	rmmod mt_adopt_probe
	case "$r" in *injected) injected=$((injected + 1)) ;; *) break ;; esac
	nth=$((nth + 1))
done
echo "# $injected allocations under markers_module_notify failed in turn;" \
	"$refused of those loads were refused (ENOMEM)"
ok "$([ $injected -gt 0 ] && [ $nth -le 200 ]; echo $?)" failslab_swept \
	"$injected injected, stopped at $nth"
ok "$([ -z "$broken" ]; echo $?)" no_failure_turns_format_check_off \
	"broken at N =$broken"
ok "$(! grep -q '^mt_adopt' $D/available_markers; echo $?)" adopt_sweep_left_nothing

# --- disconnection under allocation failure: it must never fail
# Any allocation under kernel/markers.c: from its lowest exported function
# to the symbol after its highest (the file's text is contiguous).
syms='marker_probe_register marker_probe_unregister marker_probe_register_direct
marker_probe_unregister_direct marker_probes_change markers_module_notify
marker_probe_unregister_private_data marker_get_private_data
marker_synchronize_unregister markers_walk_sites markers_text_reserved
__marker_call_generic marker_call_direct markers_read_stats'
sort /proc/kallsyms > /tmp/kallsyms
lo= hi=
for f in $syms; do
	a=$(grep -m1 " $f\$" /tmp/kallsyms | cut -d' ' -f1)
	[ -n "$a" ] || continue
	{ [ -z "$lo" ] || [ "$a" \< "$lo" ]; } && lo=$a
	{ [ -z "$hi" ] || [ "$a" \> "$hi" ]; } && hi=$a
done
end=$(grep -A1 "^$hi " /tmp/kallsyms | tail -1 | cut -d' ' -f1)
echo "0x$lo" > $F/require-start && echo "0x$end" > $F/require-end
ok $? failslab_markers_range "0x$lo-0x$end"
fire_marked() { echo 1 > /sys/module/mt_marked/parameters/fire; }
hits_of() { cat /sys/module/$1/parameters/hits; }
nth=1 injected=0 broken=
while [ $nth -le 200 ]; do
	insmod $X/mt_marked.ko && insmod $X/mt_legacy_probe.ko probe_errors=0 &&
		insmod $X/mt_second_probe.ko || { broken="$broken $nth(load)"; break; }
	fire_marked
	# the direct probe goes while the 2.6.31-style one stays
	r1=$(mfailnth $nth --rm mt_second_probe)
	line=$(grep '^mt_mod_event ' $D/available_markers)
	h0=$(hits_of mt_legacy_probe)
	fire_marked
	case "$r1/$line" in
	ok\ */*probes=1\ *) [ "$(hits_of mt_legacy_probe)" -gt "$h0" ] ||
		broken="$broken $nth(no hit)" ;;
	*) broken="$broken $nth($r1: $line)" ;;
	esac
	# and the last probe of the marker goes
	r2=$(mfailnth $nth --rm mt_legacy_probe)
	line=$(grep '^mt_mod_event ' $D/available_markers)
	case "$r2/$line" in
	ok\ */*state=off\ probes=0\ *) ;;
	*) broken="$broken $nth($r2: $line)" ;;
	esac
	fire_marked
	rmmod mt_second_probe mt_legacy_probe 2> /dev/null
	rmmod mt_marked
	case "$r1 $r2" in *injected*) injected=$((injected + 1)) ;; *) break ;; esac
	nth=$((nth + 1))
done
echo "# disconnections: $injected rounds with an allocation under" \
	"kernel/markers.c failed"
ok "$([ $injected -gt 0 ] && [ $nth -le 200 ]; echo $?)" failslab_removal_swept \
	"$injected injected, stopped at $nth"
ok "$([ -z "$broken" ]; echo $?)" disconnection_never_fails "broken at N =$broken"

# A probe module that leaves without unregistering: the module notifier
# disconnects its probe, and must manage without memory too.
nth=1 injected=0 broken=
while [ $nth -le 200 ]; do
	insmod $X/mt_marked.ko && insmod $X/mt_legacy_probe.ko probe_errors=0 &&
		insmod $X/mt_second_probe.ko forget=1 ||
		{ broken="$broken $nth(load)"; break; }
	r1=$(mfailnth $nth --rm mt_second_probe)
	line=$(grep '^mt_mod_event ' $D/available_markers)
	fire_marked
	case "$r1/$line" in
	ok\ */*probes=1\ *) ;;
	*) broken="$broken $nth($r1: $line)" ;;
	esac
	rmmod mt_legacy_probe mt_marked
	case "$r1" in *injected) injected=$((injected + 1)) ;; *) break ;; esac
	nth=$((nth + 1))
done
echo "# unloads with a probe left connected: $injected rounds with an" \
	"allocation under kernel/markers.c failed"
ok "$([ $injected -gt 0 ] && [ $nth -le 200 ]; echo $?)" failslab_forgotten_swept \
	"$injected injected, stopped at $nth"
ok "$([ -z "$broken" ]; echo $?)" forgotten_probe_always_disconnected \
	"broken at N =$broken"
ok "$(! dmesg | grep -q 'cannot disconnect'; echo $?)" no_failed_disconnection \
	"$(dmesg | grep 'cannot disconnect' | one_line)"

# Mixed batches (modules/mt_batch.ko) with each allocation failed in turn:
# a removal that stubs its probe in place, then a connection that stages a
# new array over the stubbed one, then a failure (fail) or the end (swap).
# Undone, A and C must be called and not B; kept, B and C and not A.
B=/sys/module/mt_batch/parameters
batch_hits() {
	a0=$(cat $B/hits_a) b0=$(cat $B/hits_b) c0=$(cat $B/hits_c)
	echo 1 > $B/fire
	echo "$(($(cat $B/hits_a) - a0))$(($(cat $B/hits_b) - b0))$(($(cat $B/hits_c) - c0))"
}
K=/sys/kernel/debug/kmemleak
# kmemleak reports an object unreferenced at two scans 5 s apart
leak_scans() { echo scan > $K && sleep 6 && echo scan > $K; }
leaks() { grep -c '^unreferenced object' $K; }
leak_scans && echo clear > $K
insmod $X/mt_batch.ko
ok $? batch_module_loaded
for what in fail swap; do
	nth=1 injected=0 broken=
	while [ $nth -le 200 ]; do
		r=$(mfailnth $nth --write $B/$what 1)
		got=$(batch_hits)
		case "$what $r $got" in
		"fail EPERM "*" 101" | "fail ENOMEM injected 101") ;;
		"swap ok "*" 011" | "swap ENOMEM injected 101") ;;
		*) broken="$broken $nth($r: $got)" ;;
		esac
		echo 1 > $B/reset && [ "$(batch_hits)" = 101 ] ||
			broken="$broken $nth(reset)"
		case "$r" in *injected) injected=$((injected + 1)) ;; *) break ;; esac
		nth=$((nth + 1))
	done
	echo "# batch $what: $injected rounds with an allocation failed"
	ok "$([ $injected -gt 0 ] && [ $nth -le 200 ] && [ -z "$broken" ]; echo $?)" \
		"batch_${what}_under_failslab" "$injected injected, broken at N =$broken"
done
rmmod mt_batch
ok $? batch_module_unloaded
# every array a batch staged was freed, or is in use
leak_scans
got=$(leaks)
[ "$got" = 0 ] || sed 's/^/# /' $K | head -n 60
ok "$([ "$got" = 0 ]; echo $?)" batch_arrays_not_leaked "$got unreferenced object(s)"
echo 0 > $F/require-start
echo 0 > $F/require-end

# --- a misspelt name: the probe waits, and the registry says so once the
# module's init is done; the strict registration is refused
dmesg -c > /dev/null
insmod $X/mt_typo_probe.ko
ok $? typo_probe_loaded
is typo_strict_refused "$(cat /sys/module/mt_typo_probe/parameters/strict)" -2
typo='marker exmaple_loop: '
ok "$(dmesg | grep -q "$typo"'no loaded code has it, strict registration of mt_typo_probe'
	echo $?)" typo_strict_warns
waits='probe mt_typo_probe \[mt_typo_probe\] still waits after its module.s init'
is typo_waiting_said_once "$(dmesg | grep -c "$typo$waits")" 1
ok "$(grep -q '^exmaple_loop .* state=waiting' $D/probes; echo $?)" typo_probe_listed_waiting \
	"$(grep exmaple_loop $D/probes)"
rmmod mt_typo_probe
ok $? typo_probe_unloaded
}

checks > /tmp/core.out 2>&1
echo "KTAP version 1"
echo "1..$n"
cat /tmp/core.out
exit $fail
