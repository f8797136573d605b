#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Build the x86_64 test kernel (bzImage + modules) in out/build-x86.
#
#   tinyconfig + configs/x86_64.config (merge_config.sh -m, olddefconfig),
#   + configs/debug.config with VARIANT=debug (in out/build-x86-debug),
#   every fragment line verified in the final .config, build with ccache,
#   full log in out/logs/build-x86.log, any "warning:" line is a failure.
#   ARCH=arm64: the same for arm64 (configs/arm64.config, Image + modules,
#   cross-compiled) in out/build-arm64, log out/logs/build-arm64.log.
#
# Environment:
#   MARKERS_ALLOW_MISSING=1  report dropped config options but go on
#   EXTRA_CONFIG="CONFIG_X=y ..."  extra (unchecked) options, for experiments
#   BUILD_ALLOW_WARNINGS=1   report warnings but exit 0 (make check counts
#                            them as quality gates instead)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

FRAGMENTS=("$WB/configs/$ARCH.config")
[ -z "$VARIANT" ] || FRAGMENTS+=("$WB/configs/$VARIANT.config")
name=$BUILD_NAME
KCONF=$KCONF_DIR                           # scratch: .config made here
LOG="$LOGS/$name.log"
WARN="$LOGS/$name.warnings"
t0=$(date +%s)

# --- configuration, generated aside, copied only when it changed -----------
mkdir -p "$KCONF" "$BUILD_DIR"
kmake "$KCONF" -s tinyconfig >/dev/null
frags=("${FRAGMENTS[@]}")
if [ -n "${EXTRA_CONFIG:-}" ]; then
	tr ' ' '\n' <<< "$EXTRA_CONFIG" > "$KCONF/extra.config"
	frags+=("$KCONF/extra.config")
fi
(cd "$SRC" && scripts/kconfig/merge_config.sh -m -O "$KCONF" "$KCONF/.config" "${frags[@]}") \
	> "$LOGS/kconfig-${name#build-}.log" 2>&1 ||
	{ cat "$LOGS/kconfig-${name#build-}.log"; die "merge_config.sh failed"; }
kmake "$KCONF" -s olddefconfig >> "$LOGS/kconfig-${name#build-}.log" 2>&1

missing=()
while IFS= read -r line; do
	case "$line" in
	CONFIG_*=*) grep -qxF -- "$line" "$KCONF/.config" || missing+=("$line") ;;
	"# CONFIG_"*" is not set")
		sym=${line#\# }; sym=${sym%% *}
		! grep -q "^$sym=" "$KCONF/.config" || missing+=("$line") ;;
	esac
done < <(cat "${FRAGMENTS[@]}")
if [ ${#missing[@]} -gt 0 ]; then
	echo "build: requested options not in the final .config (dropped by Kconfig or unknown):"
	for m in "${missing[@]}"; do
		sym=${m%%=*}; sym=${sym#\# }; sym=${sym%% *}
		got=$(grep -E "^$sym=|^# $sym is not set" "$KCONF/.config" ||
		      echo "absent (unknown symbol or unmet dependency)")
		echo "    $m    -> $got"
	done
	if [ "${MARKERS_ALLOW_MISSING:-0}" = 1 ]; then
		warn "MARKERS_ALLOW_MISSING=1: going on without them"
	else
		die "config check failed (fix ${FRAGMENTS[*]#$REPO/} or the Kconfig)"
	fi
fi
if ! cmp -s "$KCONF/.config" "$BUILD_DIR/.config"; then
	cp "$KCONF/.config" "$BUILD_DIR/.config"
	log "build: new .config"
fi

# --- build ------------------------------------------------------------------
log "build: make $KIMAGE modules -j$JOBS (log: ${LOG#$REPO/})"
if ! kmake "$BUILD_DIR" -j"$JOBS" "$KIMAGE" modules > "$LOG" 2>&1; then
	grep -E -A3 'error:' "$LOG" | head -60 >&2 || tail -30 "$LOG" >&2
	die "build failed after $(elapsed "$t0"), see ${LOG#$REPO/}"
fi

# --- test modules (tools/testing/markers/{modules,sec}), out of tree ----------
for d in modules sec; do
	[ -f "$WB/$d/Makefile" ] && [ "${WB_NO_OVERLAY:-0}" != 1 ] || continue
	log "build: test modules from ${WB#$REPO/}/$d (in ${TEST_MODULES#$REPO/}/$d)"
	if ! build_ext_modules "$WB/$d" "$TEST_MODULES/$d" >> "$LOG" 2>&1; then
		tail -30 "$LOG" >&2
		die "test modules build failed, see ${LOG#$REPO/}"
	fi
done

# --- warnings -----------------------------------------------------------------
# Objects that warned are deleted so that the next build compiles them again
# (ccache replays the warning): an incremental build cannot hide a warning.
grep -E 'warning:|WARNING: modpost' "$LOG" | sed "s|$SRC/||g" > "$WARN" || true
if [ -s "$WARN" ]; then
	echo "build: $(wc -l < "$WARN") warning line(s):"
	sed 's/^/    /' "$WARN"
	grep -B30 -E 'warning:' "$LOG" | sed "s|$SRC/||g" |
		grep -oE '^(In file included from )?[A-Za-z0-9_./-]+\.(c|S|o)[:]' |
		sed -E 's/^In file included from //; s/:$//; s/\.(c|S)$/.o/' | sort -u |
		while IFS= read -r o; do
			case $o in /*) rm -f "$o" ;; *) rm -f "$BUILD_DIR/$o" ;; esac
		done
	if [ "${BUILD_ALLOW_WARNINGS:-0}" != 1 ] &&
	   grep -qvE "$EXPECTED_WARNINGS" "$WARN"; then
		die "build has warnings (treated as errors)"
	fi
fi
build_time=$(elapsed "$t0")
# "|| true": a failed count must not abort the script (set -e), as before
bz_size=$(ls -l "$KIMAGE_PATH" | awk '{print $5}') || true
n_ko=$(cd "$BUILD_DIR" && find . -name '*.ko' | wc -l) || true
n_test_ko=$(find "$TEST_MODULES" -name '*.ko' 2>/dev/null | wc -l) || true
log "build: done in $build_time: $bz_size bytes $KIMAGE, $n_ko module(s), $n_test_ko test module(s)"
