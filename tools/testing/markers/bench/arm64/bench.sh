#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# ARCH=arm64 make bench: what an arm64 marker costs, against a tracepoint
# and static keys measured in the same boot; one table. Run by
# tools/testing/markers/bench.sh when ARCH=arm64.
#
#   bench.sh            full run: results in out/bench/arm64/ (table.txt,
#                       results.csv, results.json, logs)
#   bench.sh --smoke    few iterations, results in out/bench/arm64/smoke/;
#                       every case must run, no target enforced
#
# Needs a built arm64 kernel (ARCH=arm64 make build). Steps:
#   1. builds mb_pmu.ko (bench/arm64/mb_pmu.c) and mb_arm.ko (the x86
#      bench's bench/mb_arm.c) against out/build-arm64;
#   2. one boot, one vCPU, -icount shift=0 (bench/arm64/guest.sh): the
#      per-call cases counted by the PMU's instruction counter, which QEMU
#      implements only under -icount and then counts exactly (the generic
#      timer ticks once per 16 instructions there, too coarse); then
#      arming 1000 markers with one glob write against 1000 static keys
#      one by one, every instruction counted (guest tool mbinsn);
#   3. bench/arm64/report.py prints the table and the targets. Its last
#      line is "bench: N of M targets met".
# Exit status: 0 when every case ran (a missed target is reported, not a
# failure), 1 when one did not.
set -euo pipefail
. "$(dirname "$0")/../../lib.sh"

[ "$ARCH" = arm64 ] || die "bench/arm64/bench.sh is for ARCH=arm64"
smoke=0
case ${1:-} in
--smoke) smoke=1 ;;
"") ;;
*) die "usage: ARCH=arm64 bench.sh [--smoke]" ;;
esac
B="$WB/bench"
A="$B/arm64"
if [ "$smoke" = 1 ]; then
	R="$OUT/bench/arm64/smoke"; iters=20 reps=3 arm_reps=1
else
	R="$OUT/bench/arm64"; iters=1000 reps=9 arm_reps=3
fi
[ -f "$BUILD_DIR/Module.symvers" ] || die "no arm64 kernel built (run: ARCH=arm64 make build)"
t0=$(date +%s)
mkdir -p "$R"
rm -f "$R"/*.log
# Every step must use the kernel the modules are built against: a rebuild
# during the run (make build elsewhere) is detected at the end.
kernel_id() {
	cat "$KIMAGE_PATH" "$BUILD_DIR/Module.symvers" | sha256sum | cut -c1-16
}
kid=$(kernel_id)

# --- 1. modules: this directory's, plus the shared mb_arm.c ------------------
log "bench: building the modules of ${A#"$REPO"/} (in ${R#"$REPO"/}/modules)"
rm -rf "$R/src"
mkdir -p "$R/src"
cp "$A/Makefile" "$A/mb_pmu.c" "$B/mb_arm.c" "$B/mb_connect.h" "$R/src/"
if ! build_ext_modules "$R/src" "$R/modules" > "$R/modules-build.log" 2>&1; then
	tail -30 "$R/modules-build.log" >&2
	die "bench modules build failed, see ${R#"$REPO"/}/modules-build.log"
fi
if grep -E 'warning:' "$R/modules-build.log"; then
	die "warnings building the bench modules"
fi
rm -rf "$R/ko" "$R/extra"
mkdir -p "$R/ko" "$R/extra/bin"
cp "$R/modules/mb_pmu.ko" "$R/modules/mb_arm.ko" "$R/ko/"

# --- initramfs: the workbench's (no vm/*.sh), plus /bin/mbinsn appended as
# a second cpio -------------------------------------------------------------
$GUEST_CC -static -O2 -Wall -Werror -o "$R/extra/bin/mbinsn" "$A/mbinsn.c"
initrd="$OUT/initramfs/bench-arm64$([ "$smoke" = 0 ] || echo -smoke).cpio.gz"
VM_TESTS=none "$WB/initramfs.sh" -o "$initrd" -m "$R/ko" -s "$A/guest.sh"
(cd "$R/extra" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet |
	gzip -9n) >> "$initrd"

# --- 2. the boot ------------------------------------------------------------
log "bench: boot (VM_SMP=1, -icount shift=0)"
rc=0
VM_SMP=1 QEMU_EXTRA="-icount shift=0" VM_TAG=bench \
VM_TIMEOUT=${BENCH_VM_TIMEOUT:-1200} \
KERNEL_ARGS="kunit.enable=0 mb.iters=$iters mb.reps=$reps mb.arm_reps=$arm_reps" \
	"$WB/vm.sh" script -i "$initrd" > "$R/vm-insn.log" 2>&1 || rc=$?
log "bench: boot exited $rc after $(elapsed "$t0") in all"

# --- 3. report --------------------------------------------------------------
meta=$(printf '{"date": "%s", "host": "%s, %s CPUs, %s", "kernel": "%s", "cc": "%s"}' \
	"$(date -u '+%Y-%m-%d %H:%M UTC')" "$(uname -n)" "$(nproc)" \
	"$(qemu-system-aarch64 --version | head -1 | sed 's/ *(.*//')" \
	"$(tree_version "$SRC") ($(git -C "$REPO" rev-parse --short HEAD))" \
	"$(${CROSS_COMPILE}gcc --version | head -1)")
args=(--log "$R/vm-insn.log" --out "$R" --meta "$meta")
[ "$smoke" = 0 ] || args+=(--smoke)
if [ "$(kernel_id)" != "$kid" ]; then
	warn "the kernel was rebuilt during this run: the boot may have run another kernel"
	args+=(--failed "the kernel was rebuilt during the run")
fi
rc=0
python3 "$A/report.py" "${args[@]}" > "$R/report.txt" || rc=$?
# the table, then the run time, then report.py's last line
head -n -1 "$R/report.txt"
echo "bench: run time $(elapsed "$t0")$([ "$smoke" = 0 ] || echo ' (smoke)')"
tail -1 "$R/report.txt"
exit "$rc"
