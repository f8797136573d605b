#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# With CONFIG_MARKERS=n, markers compile to nothing but formats are still
# checked: build tools/testing/markers/off/ against the x86 build and check
# that the good object has no markers section and calls nothing, and that
# the mismatched one warns. Then check that the API is GPL-only: modpost
# refuses tools/testing/markers/gpl/, a non-GPL probe module. Last, the
# typed direct probes of tools/testing/markers/typed/: one whose
# parameters agree with its format builds without a warning, one with a
# wrong type does not build, and the compiler says which; and the common
# mistakes of typed/cf/, each one clear diagnostic (a misspelt
# trace_mark_enabled() name: a modpost warning naming it).
# Prints KTAP; exits non-zero on failure.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

work="$OUT/markers-off"
rm -rf "$work" && cp -r "$WB/off" "$work"
blog="$work/build.log"
kmake "$BUILD_X86" M="$work" modules > "$blog" 2>&1 || true

n=0 fail=0
check() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n $2"; else echo "not ok $n $2"; fail=1; fi
}
echo "KTAP version 1"
echo "1..13"
[ -f "$work/mt_off_good.o" ] && [ -f "$work/mt_off_bad.o" ]
check $? objects_build
! objdump -h "$work/mt_off_good.o" | grep -q '__markers'
check $? no_markers_section_when_off
# instruction and relocation lines only: no call into markers, and the
# argument with a side effect is not computed
! objdump -dr "$work/mt_off_good.o" | grep -E '^ +[0-9a-f]+:' |
	grep -qE '__marker|mt_off_side_effect'
check $? no_call_nor_argument_evaluation_when_off
grep -q "mt_off_bad.c:.*\[-Wformat=\]" "$blog"
check $? format_still_checked_when_off
gpl="$OUT/markers-gpl"
rm -rf "$gpl" && cp -r "$WB/gpl" "$gpl"
glog="$gpl/build.log"
! kmake "$BUILD_X86" M="$gpl" modules > "$glog" 2>&1 &&
	grep -q "uses GPL-only symbol 'marker_probe_register'" "$glog"
check $? exports_are_gpl_only
typed="$OUT/markers-typed"
rm -rf "$typed" && cp -r "$WB/typed" "$typed"
tlog="$typed/build.log"
kmake "$BUILD_X86" M="$typed" -k modules > "$tlog" 2>&1 || true
[ -f "$typed/mt_typed_good.o" ] && ! grep -q 'mt_typed_good.c:.*warning' "$tlog"
check $? typed_probe_builds_clean
[ ! -f "$typed/mt_typed_bad.o" ]
check $? typed_probe_wrong_type_refused
wrong="format .%d. expects argument of type .int., but argument 2 has type .long int."
grep -q "mt_typed_bad.c:.*error: $wrong" "$tlog" &&
	grep -q "In function .mt_typed_wrong_marker_check." "$tlog"
check $? typed_probe_error_names_conversion_and_type

# The common mistakes of typed/cf/: each gives one diagnostic, the first
# line of which says what is wrong (a string as the name gives the
# preprocessor's own error first, then others).
cf_build() {
	d="$OUT/markers-cf/$1"
	rm -rf "$d" && mkdir -p "$d"
	cp "$WB/typed/cf/$1.c" "$d/" && echo "obj-m += $1.o" > "$d/Makefile"
	kmake "$BUILD_X86" M="$d" modules > "$d/build.log" 2>&1 || true
}
# cf_one NAME REGEX: NAME does not build, with one diagnostic, REGEX
cf_one() {
	cf_build "$1"
	d="$OUT/markers-cf/$1"
	[ ! -f "$d/$1.o" ] &&
		[ "$(grep -cE '(error|warning):' "$d/build.log")" = 1 ] &&
		grep -qE "error: .*$2" "$d/build.log"
}
cf_one mt_cf_args13 'a marker takes at most 12 arguments'
check $? thirteen_arguments_one_error
cf_one mt_cf_struct 'marker argument 0 is a struct or union'
check $? struct_argument_one_error
cf_build mt_cf_format
d="$OUT/markers-cf/mt_cf_format"
[ "$(grep -cE '(error|warning):' "$d/build.log")" = 1 ] &&
	grep -qE "mt_cf_format.c:.*warning: $wrong" "$d/build.log"
check $? format_mismatch_one_warning
cf_build mt_cf_name
d="$OUT/markers-cf/mt_cf_name"
[ ! -f "$d/mt_cf_name.o" ] &&
	grep -E '(error|warning):' "$d/build.log" | head -1 |
	grep -q 'error: pasting "__marker_site_" and ""mt_cf_name""'
check $? string_name_first_error_says_it
cf_build mt_cf_enabled
typo_warning="trace_mark_enabled(mt_cf_enabled_mark_typo) has no trace_mark()"
typo_warning="$typo_warning in the module"
d="$OUT/markers-cf/mt_cf_enabled"
[ -f "$d/mt_cf_enabled.ko" ] &&
	[ "$(grep -cE '(error|warning|WARNING):' "$d/build.log")" = 1 ] &&
	grep -q "WARNING: modpost: .*mt_cf_enabled: $typo_warning" "$d/build.log"
check $? misspelt_enabled_name_one_warning
[ $fail = 0 ] || sed 's/^/# /' "$blog" "$glog" "$tlog" "$OUT"/markers-cf/*/build.log
exit $fail
