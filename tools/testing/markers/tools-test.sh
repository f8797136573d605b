#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The offline tool tools/markers/markers, on real objects: builds the marked
# module of tools/testing/markers/tools/ in variants against the x86 build
# (one change each: a marker added or removed, a field appended, removed,
# renamed, reordered or of another type, a site moved, added or removed),
# then checks the exact output and exit status of `markers list` on it and
# of `markers diff` from the base to each variant, `list` and `diff` on the
# built vmlinux, on a build tree and on directories, and wrong input:
# truncated and corrupted files (tools/corrupt.py, fixed seed), non-ELF
# files, ELF files and directories without markers, bad usage. The tool
# runs under python3 -X dev -W error. Prints KTAP; exits non-zero on failure.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

TOOL="$REPO/tools/markers/markers"
work="$OUT/tools-test"
VMLINUX="$BUILD_X86/vmlinux"
VARIANTS="added removed appended type renamed reordered fieldremoved moved
	siteadded siteremoved"

markers() { python3 -X dev -W error "$TOOL" "$@"; }
# json_summary list|sites|diff PATH...: markers list|list|diff --json
# PATH..., the document summed up by tools/summary.py; the tool's status
json_summary() {
	local mode=$1 rc=0; shift
	markers "$([ "$mode" = diff ] && echo diff || echo list)" --json "$@" \
		> "$work/doc.json" || rc=$?
	python3 -X dev -W error "$WB/tools/summary.py" "$mode" < "$work/doc.json" || return 99
	return $rc
}

body="$work/ktap.body"
n=0 fail=0
rm -rf "$work" && mkdir -p "$work"
: > "$body"
note() { sed '/^$/d; s/^/# /' >> "$body"; }
check() {	# check STATUS NAME: STATUS 0 passes
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n $2" >> "$body"
	else echo "not ok $n $2" >> "$body"; fail=1; fi
}
T0=$SECONDS
part() { echo "$1: $((SECONDS - T0)) s from the start" | note; }

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
# line MESSAGE
wrong() {
	local name=$1 msg=$2 rc=0; shift 3
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

# --- the module in variants -------------------------------------------------
built=0
if [ -f "$BUILD_X86/Module.symvers" ]; then
	built=1
	for v in base $VARIANTS; do
		MT_TOOLS_VARIANT=$v build_ext_modules "$WB/tools" "$work/$v" \
			> "$work/build-$v.log" 2>&1 || { built=0; tail -20 "$work/build-$v.log" | note; }
	done
	# the base again, elsewhere: the same markers
	MT_TOOLS_VARIANT=base build_ext_modules "$WB/tools" "$work/base-again" \
		> "$work/build-base-again.log" 2>&1 || built=0
fi
check $((1 - built)) build_variants
ko() { echo "$work/$1/mt_tools.ko"; }

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
make -s -C "$REPO/tools/markers" install DESTDIR="$work/root" prefix=/usr > /dev/null 2>&1 &&
	python3 -X dev -W error -S "$work/root/usr/bin/markers" --help | grep -q '^usage: markers list' ||
	rc=1
check $rc make_install_and_help_without_site_packages

# --- list on the module -----------------------------------------------------
cat > "$work/list.want" <<'EOF'
mt_tools_event   "pid %d len %lu"                                                             1 site   mt_tools
mt_tools_gone    "x %d"                                                                       1 site   mt_tools
mt_tools_moving  "n %d"                                                                       1 site   mt_tools
mt_tools_names   "int %d common_pid %d x %d x %d 0x%x %s %.*s %%"                             1 site   mt_tools
mt_tools_stable  "n %d"                                                                       1 site   mt_tools
mt_tools_tick    " "                                                                          1 site   mt_tools
mt_tools_twice   "n %d"                                                                       2 sites  mt_tools
mt_tools_types   "a %hhd b %hhu c %hd d %hu e %ld f %lu g %lld h %llu i %zd j %zu k %c l %p"  1 site   mt_tools
EOF
run list_ko 0 "$work/list.want" -- markers list "$(ko base)"

# -v, two paths: the sites of a variant and of the sample module
cat > "$work/list-v.want" <<'EOF'
example_loop     "i %d square %lu"                                                            1 site   marker_example
    marker_example_show samples/markers/marker-example.c:25
example_open     "pid %d comm %s"                                                             1 site   marker_example
    marker_example_open samples/markers/marker-example.c:33
example_tick     " "                                                                          1 site   marker_example
    marker_example_show samples/markers/marker-example.c:22
mt_tools_event   "pid %d len %lu"                                                             1 site   mt_tools
    mt_tools_event_fn mt_tools.c:41
mt_tools_gone    "x %d"                                                                       1 site   mt_tools
    mt_tools_gone_fn mt_tools.c:48
mt_tools_moving  "n %d"                                                                       1 site   mt_tools
    mt_tools_moving_fn mt_tools.c:59
mt_tools_names   "int %d common_pid %d x %d x %d 0x%x %s %.*s %%"                             1 site   mt_tools
    mt_tools_names_fn mt_tools.c:88
mt_tools_stable  "n %d"                                                                       1 site   mt_tools
    mt_tools_stable_fn mt_tools.c:33
mt_tools_tick    " "                                                                          1 site   mt_tools
    mt_tools_stable_fn mt_tools.c:34
mt_tools_twice   "n %d"                                                                       3 sites  mt_tools
    mt_tools_twice_fn mt_tools.c:70
    mt_tools_twice_fn mt_tools.c:73
    mt_tools_other_fn mt_tools.c:80
mt_tools_types   "a %hhd b %hhu c %hd d %hu e %ld f %lu g %lld h %llu i %zd j %zu k %c l %p"  1 site   mt_tools
    mt_tools_names_fn mt_tools.c:90
EOF
sample=$(find "$BUILD_X86" -name marker-example.ko | head -1)
run list_verbose_two_paths 0 "$work/list-v.want" -- markers list -v "$(ko siteadded)" "$sample"

# --json: fields named by the "field %type" convention, with their types
cat > "$work/json.want" <<'EOF'
mt_tools_event pid:int len:unsigned_long | mt_tools_event_fn:mt_tools.c:41:2
mt_tools_gone x:int | mt_tools_gone_fn:mt_tools.c:48:1
mt_tools_moving n:int | mt_tools_moving_fn:mt_tools.c:59:1
mt_tools_names arg0:int arg1:int x:int arg3:int arg4:unsigned_int arg5:char[] arg6:int arg7:char[] | mt_tools_names_fn:mt_tools.c:88:8
mt_tools_stable n:int | mt_tools_stable_fn:mt_tools.c:33:1
mt_tools_tick | mt_tools_stable_fn:mt_tools.c:34:0
mt_tools_twice n:int | mt_tools_twice_fn:mt_tools.c:70:1 mt_tools_twice_fn:mt_tools.c:73:1
mt_tools_types a:signed_char b:unsigned_char c:short d:unsigned_short e:long f:unsigned_long g:long_long h:unsigned_long_long i:ssize_t j:size_t k:char l:void_* | mt_tools_names_fn:mt_tools.c:90:12
EOF
run list_json_fields 0 "$work/json.want" -- json_summary list "$(ko base)"

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
python3 "$WB/tools/as_arm64.py" "$(ko base)" "$work/arm64.ko" > "$work/arm64.log" 2>&1 || rc=1
note < "$work/arm64.log"
markers list "$work/arm64.ko" 2>&1 | cmp -s - "$work/plain.list" || rc=1
check $rc list_arm64_relocations

part "list"
# --- diff from the base to each variant ---------------------------------------
S=", 7 unchanged"
want() { printf '%s\n' "$@" > "$work/diff-$v.want"; }
for v in base-again $VARIANTS; do
	case $v in
	base-again) st=0; want "summary: 0 added, 0 removed, 0 changed, 8 unchanged: no change (exit 0)" ;;
	added) st=1; want 'mt_tools_new: added, "y %u", 1 site in mt_tools (compatible)' \
		"summary: 1 added, 0 removed, 0 changed, 8 unchanged: compatible changes only (exit 1)" ;;
	removed) st=2; want 'mt_tools_gone: removed, "x %d", 1 site in mt_tools (incompatible)' \
		"summary: 0 added, 1 removed, 0 changed$S: incompatible changes (exit 2)" ;;
	appended) st=1; want 'mt_tools_event: format "pid %d len %lu" -> "pid %d len %lu comm %s"' \
		'mt_tools_event: field comm (char[]) appended (compatible)' \
		"summary: 0 added, 0 removed, 1 changed$S: compatible changes only (exit 1)" ;;
	type) st=2; want 'mt_tools_event: format "pid %d len %lu" -> "pid %d len %ld"' \
		'mt_tools_event: field len type unsigned long -> long (incompatible)' \
		"summary: 0 added, 0 removed, 1 changed$S: incompatible changes (exit 2)" ;;
	renamed) st=2; want 'mt_tools_event: format "pid %d len %lu" -> "pid %d size %lu"' \
		'mt_tools_event: field len renamed to size (incompatible)' \
		"summary: 0 added, 0 removed, 1 changed$S: incompatible changes (exit 2)" ;;
	reordered) st=2; want 'mt_tools_event: format "pid %d len %lu" -> "len %lu pid %d"' \
		'mt_tools_event: fields reordered: pid len -> len pid (incompatible)' \
		"summary: 0 added, 0 removed, 1 changed$S: incompatible changes (exit 2)" ;;
	fieldremoved) st=2; want 'mt_tools_event: format "pid %d len %lu" -> "pid %d"' \
		'mt_tools_event: field len (unsigned long) removed (incompatible)' \
		"summary: 0 added, 0 removed, 1 changed$S: incompatible changes (exit 2)" ;;
	moved) st=1; want 'mt_tools_moving: site moved: mt_tools_moving_fn mt_tools.c:59 -> mt_tools.c:63 [mt_tools] (compatible)' \
		"summary: 0 added, 0 removed, 1 changed$S: compatible changes only (exit 1)" ;;
	siteadded) st=1; want 'mt_tools_twice: site added: mt_tools_other_fn mt_tools.c:80 [mt_tools] (compatible)' \
		"summary: 0 added, 0 removed, 1 changed$S: compatible changes only (exit 1)" ;;
	siteremoved) st=2; want 'mt_tools_twice: site removed: mt_tools_twice_fn mt_tools.c:73 [mt_tools] (incompatible)' \
		"summary: 0 added, 0 removed, 1 changed$S: incompatible changes (exit 2)" ;;
	esac
	run "diff_ko_$v" "$st" "$work/diff-$v.want" -- markers diff "$(ko base)" "$(ko "$v")"
done
# backwards, an appended field is a removed one
v=appended-back
want 'mt_tools_event: format "pid %d len %lu comm %s" -> "pid %d len %lu"' \
	'mt_tools_event: field comm (char[]) removed (incompatible)' \
	"summary: 0 added, 0 removed, 1 changed$S: incompatible changes (exit 2)"
run diff_ko_appended_backwards 2 "$work/diff-$v.want" -- markers diff "$(ko appended)" "$(ko base)"

# --json: the same verdict, each change with its kind
v=json
want 'status 2 incompatible changes' \
	'mt_tools_event format True' 'mt_tools_event field-type False len unsigned long' \
	'mt_tools_twice site-removed False 73'
run diff_json 2 "$work/diff-$v.want" -- json_summary diff "$(ko type)" "$(ko siteremoved)"
# (the type variant against the siteremoved one: both changes at once)

part "diff"
# --- vmlinux ----------------------------------------------------------------------
rc=0
markers list "$VMLINUX" > "$work/vmlinux.list" 2> "$work/vmlinux.err" || rc=$?
[ -s "$work/vmlinux.list" ] && [ ! -s "$work/vmlinux.err" ] || rc=1
note < "$work/vmlinux.err"
check $rc list_vmlinux

# the sites listed are all there are: (__stop - __start) / sizeof(site)
sites=$(json_summary sites "$VMLINUX") || sites=-1
expected=$(nm -S "$VMLINUX" | python3 -c '
import sys
sym, size = {}, set()
for line in sys.stdin:
    f = line.split()
    sym[f[-1]] = int(f[0], 16)
    if f[-1].startswith("__marker_site_") and len(f) == 4:
        size.add(int(f[1], 16))
print((sym["__stop___markers"] - sym["__start___markers"]) // size.pop()
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
	grep -qE "^$name +$(printf '%s' "\"$fmt\"" | sed 's/[][\.*^$%]/\\&/g') +[0-9]+ sites? +vmlinux$" \
		"$work/vmlinux.list" || { rc=1; echo "missing: $name \"$fmt\" ($src)" | note; }
done < <(cd "$SRC" && grep -oE '\b_?trace_mark\([a-z0-9_]+, *"[^"]*"' -r kernel --include='*.c' |
	sed -E 's/^([^:]+):_?trace_mark\(([a-z0-9_]+), *"([^"]*)"$/\1\t\2\t\3/' | sort -u)
echo "vmlinux: $nknown built-in one-line markers found in the sources" | note
[ $nknown -gt 0 ] || rc=1
check $rc vmlinux_has_the_built_in_markers

nv=$(wc -l < "$work/vmlinux.list")
v=vmlinux
want "summary: 0 added, 0 removed, 0 changed, $nv unchanged: no change (exit 0)"
run diff_vmlinux_itself 0 "$work/diff-$v.want" -- markers diff "$VMLINUX" "$VMLINUX"

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
	mkdir -p "$d/kernel/drivers" "$d/extra"
	# (without a build, the checks fail rather than this script)
	cp "$(ko "$([ $side = old ] && echo base || echo appended)")" "$d/kernel/drivers/" || true
	cp "$sample" "$d/extra/" || true
	find "$BUILD_X86" -name probe-example.ko -exec cp {} "$d/extra/" \; || true
	echo "kernel/drivers/mt_tools.ko" > "$d/modules.order"
	echo "not a module" > "$d/extra/notes.ko"
	ln -s "$VMLINUX" "$d/vmlinux"
done
v=dirs
want 'mt_tools_event: format "pid %d len %lu" -> "pid %d len %lu comm %s"' \
	'mt_tools_event: field comm (char[]) appended (compatible)' \
	"summary: 0 added, 0 removed, 1 changed, $((7 + 3 + nv)) unchanged: compatible changes only (exit 1)"
run diff_directories 1 "$work/diff-$v.want" -- markers diff "$work/dir-old" "$work/dir-new"

part "vmlinux"
# --- wrong input: exit 3 and one line on stderr ---------------------------------
echo "plain text" > "$work/text.ko"
: > "$work/empty.ko"
mkdir -p "$work/nothing/sub" && echo x > "$work/nothing/sub/vmlinux"
mkdir -p "$work/broken/sub" "$work/nomarkers"
head -c 3000 "$(ko base)" > "$work/broken/sub/mt_tools.ko" || true
find "$BUILD_X86" -name probe-example.ko -exec cp {} "$work/nomarkers/" \; || true
head -c 64 "$(ko base)" > "$work/header-only.ko" || true
printf '\177ELF\001\001\001' | dd of="$work/elf32.ko" bs=64 conv=sync status=none
wrong not_elf "markers: $work/text.ko: not an ELF file" -- markers list "$work/text.ko"
wrong empty_file "markers: $work/empty.ko: empty file" -- markers list "$work/empty.ko"
wrong no_such_file "markers: $work/none.ko: cannot read: No such file or directory" -- \
	markers list "$work/none.ko"
wrong elf32 "markers: $work/elf32.ko: not a 64-bit ELF file (class 1)" -- markers list "$work/elf32.ko"
wrong header_only "markers: $work/header-only.ko: truncated: section header 0 past the end of the file" -- \
	markers list "$work/header-only.ko"
wrong elf_without_markers \
	"markers: $work/nomarkers/probe-example.ko: no marker section (__markers): no marker in it, or built without CONFIG_MARKERS" -- \
	markers list "$work/nomarkers/probe-example.ko"
wrong directory_without_markers "markers: $work/nothing: no vmlinux or module with markers in it" -- \
	markers list "$work/nothing"
wrong directory_of_modules_without_markers "markers: $work/nomarkers: no vmlinux or module with markers in it" -- \
	markers diff "$(ko base)" "$work/nomarkers"
wrong directory_with_a_truncated_module \
	"markers: $work/broken/sub/mt_tools.ko: truncated: section header 0 past the end of the file" -- \
	markers list "$work/broken"
wrong diff_not_elf "markers: $work/text.ko: not an ELF file" -- markers diff "$work/text.ko" "$(ko base)"
wrong usage_no_command "markers: a command is needed: list or diff (markers --help)" -- markers
wrong usage_diff_one_path "markers: the following arguments are required: NEW (markers --help)" -- \
	markers diff "$(ko base)"

part "wrong input"
# --- corrupted copies (tools/corrupt.py) ------------------------------------------
for kind in truncate header shdrs markers; do
	rc=0
	python3 "$WB/tools/corrupt.py" "$TOOL" "$work/corrupt" $kind "$(ko base)" \
		> "$work/corrupt-$kind.log" 2>&1 || rc=1
	note < "$work/corrupt-$kind.log"
	check $rc "corrupted_ko_$kind"
done
part "corrupted modules"
for kind in truncate header shdrs; do
	rc=0
	python3 "$WB/tools/corrupt.py" --max 10 "$TOOL" "$work/corrupt" $kind "$VMLINUX" \
		> "$work/corrupt-vmlinux-$kind.log" 2>&1 || rc=1
	note < "$work/corrupt-vmlinux-$kind.log"
	check $rc "corrupted_vmlinux_$kind"
done

part "corrupted vmlinux"
echo "KTAP version 1"
echo "1..$n"
cat "$body"
exit $fail
