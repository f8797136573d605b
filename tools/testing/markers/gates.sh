#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Quality gates, each one test: gates.sh [COUNTS_FILE]
#   build-warnings  no compiler/linker/modpost warning in the x86 build log
#   objtool         no objtool warning in the x86 build log
#   sparse-w1       make C=2 W=1 on every overlay .c: no message on an overlay file
#   kernel-doc      scripts/kernel-doc -none -Wall on overlay .c/.h: no output
#   checkpatch      checkpatch.pl --strict on the exported series: no message
#                   outside checkpatch.allow (per file and type, with reasons)
#   series-applies  the exported series git-am's onto the pristine base
# Logs: out/logs/gate-*.log.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
counts=${1:-/dev/null}
failed=0

gate() {	# gate NAME FUNCTION: run, report, count
	local name=$1 fn=$2 glog="$LOGS/gate-$1.log"
	if "$fn" > "$glog" 2>&1; then
		echo "  ok     gate $name"; echo "gate:$name 1 0" >> "$counts"
	else
		echo "  FAILED gate $name (${glog#$REPO/}):"
		tail -15 "$glog" | sed 's/^/      /'
		echo "gate:$name 0 1" >> "$counts"; failed=$((failed + 1))
	fi
}

mapfile -t overlay < <(overlay_files)
overlay_re=$(printf '%s\n' "${overlay[@]}" | sed 's/[.[\*^$]/\\&/g' | paste -sd'|')
overlay_re="^(${overlay_re:-NO-OVERLAY-FILES}):"

build_warnings() {
	[ -f "$LOGS/build-x86.log" ] || { echo "no build log"; return 1; }
	# the expected ones: see EXPECTED_WARNINGS in lib.sh
	! grep -v -e 'objtool:' "$LOGS/build-x86.warnings" |
		grep -vE "$EXPECTED_WARNINGS"
}
objtool_warnings() {
	[ -f "$LOGS/build-x86.log" ] || { echo "no build log"; return 1; }
	! grep 'objtool:' "$LOGS/build-x86.warnings"
}

# sparse and W=1 in their own build directory (same .config), so that the
# W=1 objects never replace out/build-x86's and force a relink there; the
# objects are deleted first so that every run shows every warning.
sparse_w1() {
	local gdir="$OUT/build-gates" objs=() f
	for f in "${overlay[@]}"; do
		case $f in
		# the gate builds the x86 test kernel: other architectures'
		# files are built by their own kernels (ARCH=arm64 make build)
		tools/*|Documentation/*|scripts/*|arch/arm64/*) ;;
		*.c) objs+=("${f%.c}.o") ;;
		esac
	done
	[ ${#objs[@]} -gt 0 ] || { echo "no overlay C files"; return 0; }
	mkdir -p "$gdir"
	cmp -s "$BUILD_X86/.config" "$gdir/.config" || cp "$BUILD_X86/.config" "$gdir/.config"
	kmake "$gdir" -s -j"$JOBS" olddefconfig modules_prepare
	for f in "${objs[@]}"; do rm -f "$gdir/$f"; done
	local out rc=0
	out=$(kmake "$gdir" -j"$JOBS" C=2 W=1 "${objs[@]}" 2>&1 | sed "s|$SRC/||g") || rc=$?
	echo "$out"
	[ $rc -eq 0 ] || { echo "make failed ($rc)"; return 1; }
	echo "== messages on overlay files:"
	! echo "$out" | grep -E "$overlay_re"
}

kernel_doc() {
	local files=() f
	for f in "${overlay[@]}"; do
		case $f in include/*.[ch]|kernel/*.[ch]|arch/*.[ch]) files+=("$f") ;; esac
	done
	[ ${#files[@]} -gt 0 ] ||
		{ echo "no overlay .c/.h under include/ kernel/ arch/"; return 0; }
	local out
	out=$(cd "$SRC" && scripts/kernel-doc -none -Wall "${files[@]}" 2>&1) || true
	echo "${#files[@]} file(s) checked"
	[ -z "$out" ] || { echo "$out"; return 1; }
}

checkpatch_series() {
	python3 "$WB/export.py" || return 1
	local p bad=0 out
	for p in "$OUT"/patches/*.patch; do
		case $p in */0000-cover-letter.patch) continue ;; esac
		echo "== ${p##*/}"
		# checkpatch exits 1 on any message; the filter decides
		(cd "$SRC" && scripts/checkpatch.pl --strict --show-types \
			--color=never "$p" 2>&1 || true) |
			"$WB/checkpatch-filter.py" "$WB/checkpatch.allow" || bad=1
	done
	return $bad
}

series_applies() {
	ls "$OUT"/patches/0001-*.patch >/dev/null 2>&1 ||
		{ echo "no exported series (see gate checkpatch)"; return 1; }
	local wt="$OUT/am-check" rc=0
	git -C "$OUT/base-git" worktree remove --force "$wt" 2>/dev/null || rm -rf "$wt"
	git -C "$OUT/base-git" worktree prune
	git -C "$OUT/base-git" worktree add -q --detach "$wt" base
	local series=()
	mapfile -t series < <(ls "$OUT"/patches/*.patch | grep -v '/0000-cover-letter\.patch$')
	(cd "$wt" && git -c user.name=check -c user.email=check@localhost \
		am "${series[@]}" 2>&1 || { git am --abort; exit 1; }) < /dev/null || rc=1
	[ $rc -ne 0 ] || (cd "$wt" && git log --oneline base..HEAD)
	git -C "$OUT/base-git" worktree remove --force "$wt"
	return $rc
}

gate build-warnings build_warnings
gate objtool objtool_warnings
gate sparse-w1 sparse_w1
gate kernel-doc kernel_doc
gate checkpatch checkpatch_series
gate series-applies series_applies
exit $(( failed > 0 ))
