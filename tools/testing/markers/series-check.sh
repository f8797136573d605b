#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make series-check: every patch of the exported series builds, as a
# maintainer who bisects needs it to.
#
# Exports the series (export.py, out/patches/), then applies it one patch
# at a time with git am to a worktree of the pristine base (out/base-git),
# and after each patch builds the tree in two configurations:
#   on   the test kernel's .config (out/kconfig-x86, made by make build)
#   off  the same with CONFIG_MARKERS=n
# Each configuration has one build directory (out/series/build-on|off),
# reused from one patch to the next, so that each step is an incremental
# build of what the patch touched; the first one is a full build. Prints
# KTAP, one result per patch and configuration; exits non-zero if one
# failed. Logs in out/series/.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

work="$OUT/series"
tree="$work/tree"
t0=$(date +%s)
[ -f "$OUT/kconfig-x86/.config" ] || die "no test kernel .config (run: make build)"
python3 "$WB/export.py" > "$LOGS/series-export.log" 2>&1 ||
	{ cat "$LOGS/series-export.log"; die "export failed"; }
mapfile -t patches < <(find "$OUT/patches" -name '[0-9]*.patch' ! -name '0000-*' | sort)
[ ${#patches[@]} -gt 0 ] || die "no patches in out/patches"

mkdir -p "$work"
git -C "$OUT/base-git" worktree remove --force "$tree" 2> /dev/null || rm -rf "$tree"
git -C "$OUT/base-git" worktree prune
git -C "$OUT/base-git" worktree add -q --detach "$tree" base

# configure DIR [extra Kconfig lines]: the test .config, adjusted, in DIR
configure() {
	local dir=$1; shift
	mkdir -p "$dir"
	cp "$OUT/kconfig-x86/.config" "$dir/.config.want"
	for line in "$@"; do
		sed -i "/^${line%%=*}=/d; /^# ${line#\# } is not set/d" "$dir/.config.want"
		echo "$line" >> "$dir/.config.want"
	done
	cmp -s "$dir/.config.want" "$dir/.config.in" 2> /dev/null ||
		{ cp "$dir/.config.want" "$dir/.config.in"; cp "$dir/.config.want" "$dir/.config"; }
	make -C "$tree" O="$dir" CC="$KCC" HOSTCC="$KCC" -s olddefconfig
}

n=0 fail=0
echo "KTAP version 1"
echo "1..$(( ${#patches[@]} * 2 ))"
for p in "${patches[@]}"; do
	name=$(basename "$p" .patch)
	if ! git -C "$tree" -c user.name=series -c user.email=series@check \
		am -q "$p" > "$work/$name.am.log" 2>&1; then
		for c in on off; do
			n=$((n + 1)); echo "not ok $n $name $c # does not apply"
		done
		fail=1
		break
	fi
	for c in on off; do
		n=$((n + 1))
		s=$(date +%s)
		dir="$work/build-$c"
		blog="$work/$name.$c.log"
		if [ $c = on ]; then extra=(); else extra=("# CONFIG_MARKERS is not set"); fi
		if configure "$dir" "${extra[@]}" > "$blog" 2>&1 &&
		   make -C "$tree" O="$dir" CC="$KCC" HOSTCC="$KCC" -j"$JOBS" \
			bzImage modules >> "$blog" 2>&1; then
			echo "ok $n $name $c # $(elapsed "$s")"
		else
			echo "not ok $n $name $c # build failed, see ${blog#$REPO/}"
			grep -m5 -E 'error:' "$blog" | sed 's/^/# /' || true
			fail=1
		fi
	done
done
echo "# series-check: ${#patches[@]} patches, two configurations, $(elapsed "$t0")"
exit $fail
