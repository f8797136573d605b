#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Markers across module load and unload, with real modules
# (tools/testing/markers/modules): a 2.6.31-style probe module, a direct
# probe module and a marked module, loaded and unloaded in every order.
# ITERATIONS load/unload rounds per order (default 200, so 400 in all: 500
# per order took over 15 minutes of the emulated guest on the CI machine,
# past /init's 900 s limit, and 300 took 11), then CHURN_ROUNDS more
# (default 100) in all four load and unload orders;
# a background writer enables and disables the markers in debugfs all the
# while.
# kmemleak (CONFIG_DEBUG_KMEMLEAK, no automatic scan) must find no leak in
# the whole script: what boot and the KUnit suites left is cleared first.

M=/modules/extra
ITERATIONS=${ITERATIONS:-200}
CHURN_ROUNDS=${CHURN_ROUNDS:-100}
D=/sys/kernel/debug/markers
P=/sys/module
KMEMLEAK=/sys/kernel/debug/kmemleak

. /lib/markers-ktap.sh

param() { cat "$P/$1/parameters/$2" 2>/dev/null || echo missing; }
fire() { echo "$1" > $P/mt_marked/parameters/fire; }
load() { m=$1; shift; insmod "$M/$m.ko" "$@"; }
unload() { rmmod "$1"; }
eq() { [ "$1" = "$2" ]; }

# Uptime in hundredths of a second, and such a duration in seconds.
now() { read -r up _ < /proc/uptime; echo "${up%.*}${up#*.}"; }
secs() { printf '%d.%02d s' $(($1 / 100)) $(($1 % 100)); }

# kmemleak reports an object that a scan finds unreferenced, older than 5 s
# and unchanged since the previous scan: scan, wait, scan again.
leak_scans() {
	t=$(now)
	echo scan > $KMEMLEAK || return
	t1=$(($(now) - t))
	sleep 6
	t=$(now)
	echo scan > $KMEMLEAK || return
	echo "# kmemleak: $1: scans took $(secs $t1) and $(secs $(($(now) - t)))"
}
# How many objects kmemleak reports (grep -c exits 1 for none, 2 on error).
leaks() { grep -c '^unreferenced object' $KMEMLEAK; [ $? -le 1 ]; }

echo "KTAP version 1"
echo "1..15"
# what the kernel says from here on is this script's (the boot's, built-in
# KUnit cases that provoke warnings on purpose included, is init's check)
echo "10-module-lifecycle: begins" > /dev/kmsg

# 0: forget the objects kmemleak suspects before the test.
leak_scans before && echo "# kmemleak: $(leaks) object(s) cleared" &&
	echo clear > $KMEMLEAK && eq "$(leaks)" 0
ok $? kmemleak_cleared

# 1: a probe registered before its marker's module exists connects when
# the module arrives; even the marker in the module's init function fires.
load mt_legacy_probe && load mt_marked
ok $? load_probe_then_marked
got=$(param mt_legacy_probe init_hits)
ok "$(eq "$got" 1; echo $?)" init_marker_connected_at_load "init_hits=$got"
fire 3
got=$(param mt_legacy_probe hits)/$(param mt_legacy_probe last_seq)
ok "$(eq "$got" 3/3; echo $?)" probe_gets_events_and_args "hits/last_seq=$got"

# 2: the 2.6.31 error codes: -EPERM for another format, -EBUSY twice.
got=$(param mt_legacy_probe bad_format_ret)/$(param mt_legacy_probe duplicate_ret)
ok "$(eq "$got" -1/-16; echo $?)" legacy_error_codes "$got"

# 3: several probes on one marker, of both forms.
load mt_second_probe
fire 2
got=$(param mt_legacy_probe hits)/$(param mt_second_probe hits)
ok "$(eq "$got" 5/2; echo $?)" two_probes_both_called "$got"

# 4: the probe module leaves while connected; the other probe goes on.
unload mt_legacy_probe
fire 1
ok "$(eq "$(param mt_second_probe hits)" 3; echo $?)" probe_module_removed_while_connected

# 5: the marked module leaves while connected, and comes back: the probe
# reconnects; its init site, freed after loading, is never patched again.
unload mt_marked && load mt_marked && fire 1
ok "$(eq "$(param mt_second_probe hits)" 4; echo $?)" marked_module_removed_and_reloaded
load mt_legacy_probe probe_errors=0 && fire 1 &&
	eq "$(param mt_legacy_probe init_hits)/$(param mt_legacy_probe hits)" 0/1 &&
	unload mt_legacy_probe
ok $? register_after_init_freed
unload mt_second_probe && unload mt_marked

# 6, 7: churn in both orders; every round's event is counted. From here
# on, a background writer keeps enabling and disabling mt_marked's markers
# into the top-level trace buffer, whether the module is loaded or not.
# Its writes are refused while mt_marked is gone, and the warnings would
# crowd the (emulated, slow) serial console: keep them in the log only.
toggle_markers() {
	while [ ! -e /tmp/churn.stop ]; do
		echo 'mt_mod_*' >> $D/set_marker
		echo '!mt_mod_*' >> $D/set_marker
		echo mt_mod_event >> $D/set_marker
		echo > /sys/kernel/tracing/trace
		sleep 0.05
	done 2> /dev/null
}
rm -f /tmp/churn.stop
dmesg -n 4
toggle_markers &
toggler=$!
i=0
while [ $i -lt "$ITERATIONS" ]; do
	load mt_second_probe && load mt_marked && fire 1 &&
		eq "$(param mt_second_probe hits)" 1 &&
		unload mt_second_probe && unload mt_marked || break
	i=$((i + 1))
done
ok "$(eq $i "$ITERATIONS"; echo $?)" "churn_probe_first_${ITERATIONS}" "stopped at round $i"
i=0
while [ $i -lt "$ITERATIONS" ]; do
	load mt_marked && load mt_legacy_probe probe_errors=0 && fire 1 &&
		eq "$(param mt_legacy_probe hits)" 1 &&
		unload mt_marked && unload mt_legacy_probe || break
	i=$((i + 1))
done
ok "$(eq $i "$ITERATIONS"; echo $?)" "churn_marked_first_${ITERATIONS}" "stopped at round $i"

# 8: churn in every load and unload order, the writer still going; after
# each round the listing shows exactly what is loaded: mt_marked's marker
# on while both modules are there, and nothing of mt_marked once it is gone.
listed() { grep -c "^$1 .* module=mt_marked\$" $D/available_markers; }
i=0
why=
while [ $i -lt "$CHURN_ROUNDS" ]; do
	case $((i % 4)) in
	0) p=mt_second_probe; load $p && load mt_marked ;;
	1) p=mt_legacy_probe; load $p probe_errors=0 && load mt_marked ;;
	2) p=mt_second_probe; load mt_marked && load $p ;;
	3) p=mt_legacy_probe; load mt_marked && load $p probe_errors=0 ;;
	esac || { why="load failed"; break; }
	fire 1
	got=$(param $p hits)
	eq "$got" 1 || { why="$p hits=$got"; break; }
	grep -q '^mt_mod_event .* state=on .* module=mt_marked$' $D/available_markers ||
		{ why="mt_mod_event not listed on"; break; }
	if [ $((i / 4 % 2)) = 0 ]; then
		unload $p && unload mt_marked
	else
		unload mt_marked && unload $p
	fi || { why="unload failed"; break; }
	got=$(listed mt_mod_event)/$(grep -c ' module=mt_marked$' $D/available_markers)
	eq "$got" 0/0 || { why="still listed after unload: $got"; break; }
	i=$((i + 1))
done
touch /tmp/churn.stop
wait $toggler
dmesg -n 5
echo '!mt_mod_*' >> $D/set_marker 2> /dev/null
ok "$(eq $i "$CHURN_ROUNDS"; echo $?)" "churn_all_orders_debugfs_${CHURN_ROUNDS}" \
	"stopped at round $i: $why"

# 9: nothing left loaded, and the kernel did not complain.
ok "$(! grep -q '^mt_' /proc/modules; echo $?)" all_modules_unloaded
ok "$(! dmesg | sed -n '/10-module-lifecycle: begins/,$p' |
	grep -qE 'BUG:|WARNING:|Oops|general protection|markers: .*unexpected'; echo $?)" \
	no_kernel_warning

# 10: nothing the script allocated is left unreferenced.
got=
leak_scans after && got=$(leaks) && eq "$got" 0
rc=$?
[ $rc = 0 ] || sed 's/^/# /' $KMEMLEAK | head -n 400
ok $rc no_leak "${got:-kmemleak unavailable} unreferenced object(s)"
exit $fail
