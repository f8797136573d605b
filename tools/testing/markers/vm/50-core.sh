#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Regression tests of the registry's core rules that need a booted system:
#  - a marker in built-in .exit.text, freed with the init memory, is never
#    patched once that text is gone (markers_site_test_exit, built in with
#    the KUnit suite markers_sites);
#  - a module's __markers_jump is read-only once the module is live;
#  - a site whose format differs from its probes' is warned about once,
#    not again at every unrelated connection;
#  - a probe registered without a format adopts the format of the first
#    site that comes, and no failed allocation on that path leaves the
#    format check off: the module load is swept with its N-th allocation
#    under the registry's module notifier failed (fail-nth, failslab's
#    stack filter), for every N until the load makes no more.
# Uses modules/mt_adopt_{probe,a,b}.ko, samples/markers/marker-example.ko
# and /bin/mfailnth (guest/mfailnth.c).

D=/sys/kernel/debug/markers
F=/sys/kernel/debug/failslab
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
insmod $X/mt_adopt_probe.ko && insmod $X/mt_adopt_a.ko && insmod $X/mt_adopt_b.ko
ok $? adopt_modules_loaded
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
rmmod mt_adopt_b mt_adopt_a mt_adopt_probe marker_example
ok $? adopt_modules_unloaded

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
echo 0 > $F/require-start
echo 0 > $F/require-end
}

checks > /tmp/core.out 2>&1
echo "KTAP version 1"
echo "1..$n"
cat /tmp/core.out
exit $fail
