#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The offline tool tools/markers/markers, on real objects: builds the marked
# module of tools/testing/markers/tools/ in variants against the x86 build
# (one change each: a marker added or removed, a field appended, removed,
# renamed, reordered or of another type, a site moved, added or removed),
# then checks the exact output (tools/expected/) and exit status of
# `markers list` on it and of `markers diff` from the base to each variant,
# `list` and `diff` on the built vmlinux, on a build tree and on
# directories, the Module.markers files that modpost writes for the kernel
# and for external modules against `list`, and wrong input: truncated and
# corrupted files (tools/corrupt.py, fixed seed), non-ELF files, ELF files
# and directories without markers, bad usage. The tool runs under python3 -X dev -W error.
# Prints KTAP; exits non-zero on failure.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

# MARKERS_TOOL: another copy of the tool to test (default: this tree's)
TOOL=${MARKERS_TOOL:-$REPO/tools/markers/markers}
EXPECTED="$WB/tools/expected"
work="$OUT/tools-test"
VMLINUX="$BUILD_X86/vmlinux"
# variant:status of markers diff from the base (tools/mt_tools.c)
VARIANTS="base-again:0 added:1 removed:2 appended:1 type:2 renamed:2
	reordered:2 fieldremoved:2 moved:1 siteadded:1 siteremoved:2"

markers() { python3 -X dev -W error "$TOOL" "$@"; }

body="$work/ktap.body"
n=0 fail=0
rm -rf "$work" && mkdir -p "$work"
: > "$body"
T0=$SECONDS
note() { sed '/^$/d; s/^/# /' >> "$body"; }
part() { echo "$1: $((SECONDS - T0)) s from the start" | note; }
check() {	# check STATUS NAME: STATUS 0 passes
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n $2" >> "$body"
	else echo "not ok $n $2" >> "$body"; fail=1; fi
}

# run NAME STATUS EXPECTED -- COMMAND...: COMMAND must exit with STATUS and
# print EXPECTED (a file) exactly, and nothing on stderr.
run() {
	local name=$1 want=$2 expected=$3 rc=0; shift 4
	"$@" > "$work/$name.out" 2> "$work/$name.err" || rc=$?
	if [ "$rc" = "$want" ] && [ ! -s "$work/$name.err" ] &&
	   cmp -s "$expected" "$work/$name.out"; then
		check 0 "$name"
	else
		check 1 "$name"
		{ echo "exit $rc (expected $want); stderr:"; cat "$work/$name.err"
		  diff -u "$expected" "$work/$name.out" || true; } | note
	fi
}

# wrong NAME MESSAGE -- COMMAND...: exit 3, stdout empty, stderr is the one
# line "markers: MESSAGE"
wrong() {
	local name=$1 msg="markers: $2" rc=0; shift 3
	"$@" > "$work/$name.out" 2> "$work/$name.err" || rc=$?
	if [ "$rc" = 3 ] && [ ! -s "$work/$name.out" ] &&
	   [ "$(cat "$work/$name.err")" = "$msg" ] &&
	   [ "$(wc -l < "$work/$name.err")" = 1 ]; then
		check 0 "$name"
	else
		check 1 "$name"
		{ echo "exit $rc (expected 3), stderr (expected: $msg):"
		  cat "$work/$name.err"; } | note
	fi
}

# json_summary list|sites|diff PATH...: markers list|list|diff --json
# PATH..., the document summed up by tools/summary.py; the tool's status
json_summary() {
	local mode=$1 rc=0; shift
	markers "$([ "$mode" = diff ] && echo diff || echo list)" --json "$@" \
		> "$work/doc.json" || rc=$?
	python3 -X dev -W error "$WB/tools/summary.py" "$mode" \
		< "$work/doc.json" || return 99
	return $rc
}

# --- the module in variants -------------------------------------------------
built=0
if [ -f "$BUILD_X86/Module.symvers" ]; then
	built=1
	for vs in base $VARIANTS; do
		v=${vs%:*}
		MT_TOOLS_VARIANT=${v%-again} build_ext_modules "$WB/tools" "$work/$v" \
			> "$work/build-$v.log" 2>&1 ||
			{ built=0; tail -20 "$work/build-$v.log" | note; }
	done
fi
check $((1 - built)) build_variants
ko() { echo "$work/$1/mt_tools.ko"; }
sample=$(find "$BUILD_X86" -name marker-example.ko 2>/dev/null | head -1) || true
part "built"

# --- the script itself --------------------------------------------------------
rc=0
if command -v pyflakes3 > /dev/null; then
	lint=pyflakes
	pyflakes3 "$TOOL" "$WB"/tools/*.py > "$work/lint.log" 2>&1 || rc=1
else
	lint=py_compile
	python3 -m py_compile "$TOOL" > "$work/lint.log" 2>&1 || rc=1
fi
note < "$work/lint.log"
check $rc $lint
rc=0
make -s -C "$REPO/tools/markers" install DESTDIR="$work/root" prefix=/usr \
	> /dev/null 2>&1 &&
	python3 -X dev -W error -S "$work/root/usr/bin/markers" --help |
	grep -q '^usage: markers list' || rc=1
check $rc make_install_and_help_without_site_packages

# --- list on the module -----------------------------------------------------
run list_ko 0 "$EXPECTED/list.txt" -- markers list "$(ko base)"
# -v, two paths: the sites of a variant and those of the sample module
run list_verbose_two_paths 0 "$EXPECTED/list-v.txt" -- \
	markers list -v "$(ko siteadded)" "$sample"
# --json: fields named by the "field %type" convention, with their types
run list_json_fields 0 "$EXPECTED/fields.txt" -- json_summary list "$(ko base)"

# compressed modules (as distributions install them) list the same
markers list "$(ko base)" > "$work/plain.list" 2>&1 || true
rc=0
for z in xz gzip; do
	command -v $z > /dev/null || continue
	$z -c "$(ko base)" > "$work/mt_tools.ko.${z%ip}" || rc=1
	markers list "$work/mt_tools.ko.${z%ip}" 2>&1 | cmp -s - "$work/plain.list" ||
		{ rc=1; echo "mt_tools.ko.${z%ip} lists otherwise" | note; }
done
check $rc list_compressed_modules

# arm64: R_AARCH64_ABS64 relocations (tools/as_arm64.py) list the same
rc=0
python3 "$WB/tools/as_arm64.py" "$(ko base)" "$work/arm64.ko" \
	> "$work/arm64.log" 2>&1 || rc=1
note < "$work/arm64.log"
markers list "$work/arm64.ko" 2>&1 | cmp -s - "$work/plain.list" || rc=1
check $rc list_arm64_relocations
part "list"

# --- diff from the base to each variant ---------------------------------------
for vs in $VARIANTS; do
	v=${vs%:*}
	run "diff_ko_$v" "${vs#*:}" "$EXPECTED/diff-$v.txt" -- \
		markers diff "$(ko base)" "$(ko "$v")"
done
# backwards, an appended field is a removed one
run diff_ko_appended_backwards 2 "$EXPECTED/diff-appended-back.txt" -- \
	markers diff "$(ko appended)" "$(ko base)"
# --json: the type variant against the siteremoved one, both changes at once
run diff_json 2 "$EXPECTED/diff-json.txt" -- \
	json_summary diff "$(ko type)" "$(ko siteremoved)"
part "diff"

# --- vmlinux ----------------------------------------------------------------------
rc=0
markers list "$VMLINUX" > "$work/vmlinux.list" 2> "$work/vmlinux.err" || rc=$?
[ -s "$work/vmlinux.list" ] && [ ! -s "$work/vmlinux.err" ] || rc=1
note < "$work/vmlinux.err"
check $rc list_vmlinux

# the sites listed are all there are: (__stop - __start) / sizeof(site),
# less the trace_mark_enabled() tests (__marker_query_*), which are none
sites=$(json_summary sites "$VMLINUX") || sites=-1
expected=$(nm -S "$VMLINUX" | python3 -c '
import sys
sym, size, queries = {}, set(), 0
for line in sys.stdin:
    f = line.split()
    sym[f[-1]] = int(f[0], 16)
    if f[-1].startswith(("__marker_site_", "__marker_query_")) and len(f) == 4:
        size.add(int(f[1], 16))
    queries += f[-1].startswith("__marker_query_")
print((sym["__stop___markers"] - sym["__start___markers"]) // size.pop() - queries
      if len(size) == 1 else f"site sizes {size}")') || expected=none
echo "vmlinux: $sites sites listed, $expected in __markers" | note
rc=0; [ "$sites" = "$expected" ] && [ "$sites" -gt 0 ] || rc=1
check $rc vmlinux_every_site

# the one-line markers of the built-in code built into this vmlinux are
# listed with their format
rc=0 nknown=0
while IFS=$'\t' read -r src name fmt; do
	o="$BUILD_X86/${src%.c}.o"
	if [ ! -f "$o" ] || [ "$o" -nt "$VMLINUX" ]; then continue; fi
	nknown=$((nknown + 1))
	re="^$name +$(printf '%s' "\"$fmt\"" | sed 's/[][\.*^$%]/\\&/g') +[0-9]+ sites? +vmlinux$"
	grep -qE "$re" "$work/vmlinux.list" ||
		{ rc=1; echo "missing: $name \"$fmt\" ($src)" | note; }
done < <(cd "$SRC" && grep -oE '\b_?trace_mark\([a-z0-9_]+, *"[^"]*"' -r kernel --include='*.c' |
	sed -E 's/^([^:]+):_?trace_mark\(([a-z0-9_]+), *"([^"]*)"$/\1\t\2\t\3/' | sort -u)
echo "vmlinux: $nknown built-in one-line markers found in the sources" | note
[ $nknown -gt 0 ] || rc=1
check $rc vmlinux_has_the_built_in_markers

# lines of the listing (one per module, name and format); names (diff)
nv=$(wc -l < "$work/vmlinux.list")
names=$(awk '{ print $1 }' "$work/vmlinux.list" | sort -u | wc -l)
echo "summary: 0 added, 0 removed, 0 changed, $names unchanged: no change (exit 0)" \
	> "$work/diff-vmlinux.want"
run diff_vmlinux_itself 0 "$work/diff-vmlinux.want" -- markers diff "$VMLINUX" "$VMLINUX"

# a build tree: vmlinux and the sample modules (the decompressor's
# vmlinux and modules without markers are skipped)
markers list "$BUILD_X86" > "$work/tree.list" 2> "$work/tree.err" || true
rc=0
[ ! -s "$work/tree.err" ] || { rc=1; note < "$work/tree.err"; }
grep -qE '^example_loop +"i %d square %lu" +1 site +marker_example$' "$work/tree.list" || rc=1
[ "$(grep -c ' vmlinux$' "$work/tree.list")" = "$nv" ] || rc=1
check $rc list_build_tree

# directories as /lib/modules/VERSION has them: modules in subdirectories,
# one without markers, files that are no module (one named like a module);
# and vmlinux
for side in old new; do
	d="$work/dir-$side"
	v=$([ $side = old ] && echo base || echo appended)
	mkdir -p "$d/kernel/drivers" "$d/extra"
	# (without a build, the checks fail rather than this script)
	cp "$(ko "$v")" "$d/kernel/drivers/" || true
	cp "$sample" "$d/extra/" || true
	find "$BUILD_X86" -name probe-example.ko -exec cp {} "$d/extra/" \; || true
	echo "kernel/drivers/mt_tools.ko" > "$d/modules.order"
	echo "not a module" > "$d/extra/notes.ko"
	ln -s "$VMLINUX" "$d/vmlinux"
done
{ head -n 2 "$EXPECTED/diff-appended.txt"
  echo "summary: 0 added, 0 removed, 1 changed, $((8 + 3 + names)) unchanged:" \
	"compatible changes only (exit 1)"; } > "$work/diff-dirs.want"
run diff_directories 1 "$work/diff-dirs.want" -- \
	markers diff "$work/dir-old" "$work/dir-new"
part "vmlinux"

# --- Module.markers (modpost -k) -----------------------------------------------
# module_markers NAME FILE MODULES PATH...: FILE, written by modpost, has one
# line "name<TAB>module<TAB>format" per marker and module that markers list
# PATH... shows with a format (trace_mark_enabled() tests have none), sorted
# by name, then module, and no other; each of MODULES has a line.
module_markers() {
	local name=$1 file=$2 mods=$3 rc=0; shift 3
	{ markers list --json "$@" > "$work/$name.json" &&
	  python3 -X dev -W error - "$work/$name.json" "$file" "$mods" <<'PY'
import json
import sys
with open(sys.argv[1]) as f:
    doc = json.load(f)
want = sorted({(m['name'], m['module'], m['format'])
               for m in doc['markers'] if m['format']})
try:
    with open(sys.argv[2]) as f:
        got = [tuple(line.split('\t', 2)) for line in f.read().splitlines()]
except OSError as e:
    sys.exit(f'{sys.argv[2]}: {e.strerror}')
bad = [line for line in got if len(line) != 3]
for line in bad:
    print('not name<TAB>module<TAB>format:', *line)
for m in sorted(set(want) - set(got)):
    print('missing:', *m)
for m in sorted(set(got) - set(want)):
    print('extra:', *m)
if got != want and set(got) == set(want):
    print('lines repeated or not sorted by name, then module')
mods = {m[1] for m in got if len(m) == 3}
absent = [m for m in sys.argv[3].split() if m not in mods]
if absent:
    print('no line of', *absent)
print(f'{len(got)} lines, {len(want)} markers listed, {len(mods)} modules')
sys.exit(bool(bad or absent or got != want))
PY
	} > "$work/$name.log" 2>&1 || rc=1
	note < "$work/$name.log"
	check $rc "$name"
}
# the kernel build: vmlinux (from vmlinux.o) and the in-tree modules
module_markers module_markers_kernel "$BUILD_X86/Module.markers" \
	"vmlinux marker_example" "$BUILD_X86"
# external builds (make M=DIR): the test modules of build.sh, and this
# script's base variant, each in its own directory
module_markers module_markers_external "$TEST_MODULES/modules/Module.markers" \
	"mt_pathlen mt_stress" "$TEST_MODULES/modules"
module_markers module_markers_external_variant "$work/base/Module.markers" \
	mt_tools "$(ko base)"
part "Module.markers"

# --- wrong input: exit 3 and one line on stderr ---------------------------------
echo "plain text" > "$work/text.ko"
: > "$work/empty.ko"
mkdir -p "$work/nothing/sub" "$work/broken/sub" "$work/nomarkers"
echo x > "$work/nothing/sub/vmlinux"
head -c 3000 "$(ko base)" > "$work/broken/sub/mt_tools.ko" || true
find "$BUILD_X86" -name probe-example.ko -exec cp {} "$work/nomarkers/" \; || true
head -c 64 "$(ko base)" > "$work/header-only.ko" || true
printf '\177ELF\001\001\001' | dd of="$work/elf32.ko" bs=64 conv=sync status=none
truncated="truncated: section header 0 past the end of the file"
none="no vmlinux or module with markers in it"
wrong not_elf "$work/text.ko: not an ELF file" -- markers list "$work/text.ko"
wrong empty_file "$work/empty.ko: empty file" -- markers list "$work/empty.ko"
wrong no_such_file "$work/none.ko: cannot read: No such file or directory" -- \
	markers list "$work/none.ko"
wrong elf32 "$work/elf32.ko: not a 64-bit ELF file (class 1)" -- \
	markers list "$work/elf32.ko"
wrong header_only "$work/header-only.ko: $truncated" -- \
	markers list "$work/header-only.ko"
wrong elf_without_markers "$work/nomarkers/probe-example.ko: no marker section\
 (__markers): no marker in it, or built without CONFIG_MARKERS" -- \
	markers list "$work/nomarkers/probe-example.ko"
wrong directory_without_markers "$work/nothing: $none" -- markers list "$work/nothing"
wrong directory_of_modules_without_markers "$work/nomarkers: $none" -- \
	markers diff "$(ko base)" "$work/nomarkers"
wrong directory_with_a_truncated_module "$work/broken/sub/mt_tools.ko: $truncated" -- \
	markers list "$work/broken"
wrong diff_not_elf "$work/text.ko: not an ELF file" -- \
	markers diff "$work/text.ko" "$(ko base)"
wrong usage_no_command "a command is needed: list or diff (markers --help)" -- markers
wrong usage_diff_one_path \
	"the following arguments are required: NEW (markers --help)" -- \
	markers diff "$(ko base)"
part "wrong input"

# --- corrupted copies (tools/corrupt.py) ------------------------------------------
corrupt() {	# corrupt NAME [--max N] CASE FILE
	local name=$1 rc=0; shift
	python3 "$WB/tools/corrupt.py" "${@:1:$#-2}" "$TOOL" "$work/corrupt" \
		"${@:$#-1}" > "$work/$name.log" 2>&1 || rc=1
	note < "$work/$name.log"
	check $rc "$name"
}
for kind in truncate header shdrs markers; do
	corrupt "corrupted_ko_$kind" $kind "$(ko base)"
done
part "corrupted modules"
for kind in truncate header shdrs; do
	corrupt "corrupted_vmlinux_$kind" --max 10 $kind "$VMLINUX"
done
part "corrupted vmlinux"

echo "KTAP version 1"
echo "1..$n"
cat "$body"
exit $fail
