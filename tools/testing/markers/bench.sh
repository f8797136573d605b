#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make bench: what markers cost, against tracepoints, classic markers,
# dynamic debug, kprobes and trace_printk; one table from one run.
#
#   bench.sh            full run: results in out/bench/ (table.txt,
#                       results.csv, results.json, bench.png, logs)
#   bench.sh --smoke    few iterations, results in out/bench/smoke/; for
#                       make check: every case must run, no target enforced
#
# ARCH=arm64: bench/arm64/bench.sh instead (dormant, active and arming
# cases against a tracepoint and static keys; out/bench/arm64/).
#
# Needs a built kernel (make build). Steps:
#   1. builds the modules of bench/ against out/build-x86 (mb_bench.ko,
#      mb_arm.ko, and the footprint objects mb_fp_*.o);
#   2. boots with one vCPU and -icount shift=0 (get_cycles() counts guest
#      instructions): mb_bench.ko runs every case (bench/guest.sh insn);
#      at the same time, if gdb is installed (and BENCH_PROFILE is not 0;
#      it is 0 by default with --smoke),
#      a second such boot with QEMU's gdb stub (guest.sh prof): gdb
#      (bench/prof_gdb.py) single-steps three calls of each event case,
#      and bench/prof.py counts their instructions per function;
#   3. boots with two vCPUs: arming 1000 markers with one glob write
#      against 1000 static keys one by one, with the IPIs of each; once
#      without -icount (wall time), once with (guest instructions);
#   4. builds and runs the userspace harness bench/native.c on the host;
#   5. bench/report.py prints the table and the targets, and writes the
#      CSV, JSON and PNG files; a full run where every case ran copies the
#      table to Documentation/markers-bench.txt, which the documentation
#      shows. Its last line is "bench: N of M targets met".
# Exit status: 0 when every case ran (a missed target is reported, not a
# failure), 1 when one did not.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

smoke=0
case ${1:-} in
--smoke) smoke=1 ;;
"") ;;
*) die "usage: bench.sh [--smoke]" ;;
esac
B="$WB/bench"
# ARCH=arm64: the arm64 cases, counted by the PMU in one boot (its own
# script, which shares mb_arm.c and the table's layout with this one)
[ "$ARCH" != arm64 ] || exec "$B/arm64/bench.sh" "$@"
if [ "$smoke" = 1 ]; then
	R="$OUT/bench/smoke"; iters=20 reps=3 arm_reps=1 rounds=11 niters=1000
else
	R="$OUT/bench"; iters=1000 reps=9 arm_reps=3 rounds=1001 niters=5000
fi
[ -f "$BUILD_X86/Module.symvers" ] || die "no kernel built (run: make build)"
t0=$(date +%s)
mkdir -p "$R"
rm -f "$R"/*.log "$R"/native.json
# Every boot must run the same kernel, the one the modules are built
# against and whose symbols the profile uses: a rebuild during the run
# (make build elsewhere) is detected at the end.
kernel_id() {
	cat "$BUILD_X86/arch/x86/boot/bzImage" "$BUILD_X86/Module.symvers" |
		sha256sum | cut -c1-16
}
kid=$(kernel_id)
cp "$BUILD_X86/System.map" "$R/System.map"

# --- 1. modules ---------------------------------------------------------------
log "bench: building the modules of ${B#"$REPO"/} (in ${R#"$REPO"/}/modules)"
if ! build_ext_modules "$B" "$R/modules" > "$R/modules-build.log" 2>&1; then
	tail -30 "$R/modules-build.log" >&2
	die "bench modules build failed, see ${R#"$REPO"/}/modules-build.log"
fi
if grep -E 'warning:' "$R/modules-build.log"; then
	die "warnings building the bench modules"
fi
rm -rf "$R/ko" "$R/extra"
mkdir -p "$R/ko" "$R/extra/bin"
cp "$R/modules/mb_bench.ko" "$R/modules/mb_arm.ko" "$R/ko/"

# --- initramfs: the workbench's, plus /bin/mbtime and /bin/mbperf appended
# as a second cpio -----------------------------------------------------------
for t in mbtime mbperf; do
	gcc -static -O2 -Wall -Werror -o "$R/extra/bin/$t" "$B/$t.c"
done
initrd="$OUT/initramfs/bench$([ "$smoke" = 0 ] || echo -smoke).cpio.gz"
"$WB/initramfs.sh" -o "$initrd" -m "$R/ko" -s "$B/guest.sh"
(cd "$R/extra" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet |
	gzip -9n) >> "$initrd"

# --- 2. and 3. the boots ------------------------------------------------------
# boot NAME SMP QEMU_EXTRA KERNEL_ARGS: console in $R/vm-NAME.log
boot() {
	local name=$1 smp=$2 qemu=$3 args=$4 rc=0 t=$SECONDS
	log "bench: boot '$name' (VM_SMP=$smp${qemu:+, $qemu})"
	VM_SMP=$smp QEMU_EXTRA=$qemu VM_TIMEOUT=${BENCH_VM_TIMEOUT:-1200} \
	KERNEL_ARGS="kunit.enable=0 $args" \
		"$WB/vm.sh" script -i "$initrd" > "$R/vm-$name.log" 2>&1 || rc=$?
	log "bench: boot '$name' exited $rc after $((SECONDS - t))s"
}
# The profile boot: QEMU waits (-S) for gdb; gdb's end ends nothing else,
# so a QEMU left waiting is stopped by its pid file.
profile() {
	local port rc=0
	port=$(python3 -c 'import socket; s = socket.socket()
s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	rm -f "$R/prof.raw" "$R/prof-qemu.pid" "$R/profile.json"
	VM_TAG=bench-prof boot prof 1 \
		"-icount shift=0 -S -gdb tcp:127.0.0.1:$port -pidfile $R/prof-qemu.pid" \
		"mb.phase=prof mb.iters=1 mb.reps=3" &
	MBPROF_PORT=$port MBPROF_KO="$R/modules/mb_bench.ko" \
	MBPROF_MAP="$R/System.map" MBPROF_OUT="$R/prof.raw" \
		timeout -k 10 "${BENCH_VM_TIMEOUT:-1200}" \
		gdb -batch -nx -x "$B/prof_gdb.py" 2>&1 |
		sed '/^0x[0-9a-f]* in ?? ()$/d' > "$R/gdb-prof.log" || rc=$?
	if [ "$rc" != 0 ]; then
		warn "profile: gdb exited $rc, see ${R#"$REPO"/}/gdb-prof.log"
		for _ in $(seq 60); do
			[ -s "$R/prof-qemu.pid" ] && break
			sleep 0.5
		done
		[ ! -s "$R/prof-qemu.pid" ] ||
			kill "$(cat "$R/prof-qemu.pid")" 2> /dev/null || true
	fi
	wait
	python3 "$B/prof.py" "$R/prof.raw" --ko "$R/modules/mb_bench.ko" \
		--map "$R/System.map" --out "$R/profile.json" \
		> "$R/profile.txt" 2>&1 ||
		warn "profile: no call profiled, see ${R#"$REPO"/}/profile.txt"
}
rm -f "$R/profile.json"
prof_pid=
if [ "${BENCH_PROFILE:-$((1 - smoke))}" != 0 ] && command -v gdb > /dev/null; then
	profile > "$R/profile-run.log" 2>&1 &
	prof_pid=$!
else
	log "bench: no instruction profile (no gdb, or BENCH_PROFILE=0)"
fi
boot insn 1 "-icount shift=0" "mb.phase=insn mb.iters=$iters mb.reps=$reps"
if [ -n "$prof_pid" ]; then
	wait "$prof_pid" || true
	cat "$R/profile-run.log"
fi
boot arm 2 "" "mb.phase=arm mb.arm_reps=$arm_reps"
[ "$smoke" = 1 ] ||
	boot armi 2 "-icount shift=0" "mb.phase=arm mb.arm_reps=$arm_reps"

# --- 4. native ----------------------------------------------------------------------
# The real <linux/markers.h>, <linux/markers_internal.h> (the section
# symbols) and <asm/markers.h>; the kernel headers they include become
# empty files or the system's (native_shim.h has the rest).
inc="$R/native-inc"
rm -rf "$inc"
mkdir -p "$inc/linux" "$inc/asm" "$inc/generated"
for h in markers markers_internal args stringify compiler_attributes kconfig; do
	ln -s "$SRC/include/linux/$h.h" "$inc/linux/$h.h"
done
ln -s "$SRC/arch/x86/include/asm/markers.h" "$inc/asm/markers.h"
for h in linux/compiler linux/err linux/preempt linux/rcupdate linux/list \
	 linux/context_tracking_state \
	 asm/asm generated/autoconf; do
	: > "$inc/$h.h"
done
echo '#include_next <linux/errno.h>' > "$inc/linux/errno.h"
echo '#include_next <linux/types.h>' > "$inc/linux/types.h"
echo '#include <stdarg.h>' > "$inc/linux/stdarg.h"
NATIVE_CFLAGS="-O2 -falign-functions=64 -falign-loops=64 -fno-pie -no-pie -Wall -Wextra"
NATIVE_CFLAGS+=" -Wno-unused-parameter"
log "bench: native harness (gcc $NATIVE_CFLAGS, $rounds rounds of $niters calls)"
# shellcheck disable=SC2086 # flags
if gcc $NATIVE_CFLAGS -I"$inc" -o "$R/native" "$B/native.c" 2> "$R/native-build.log"; then
	"$R/native" -r "$rounds" -n "$niters" > "$R/native.json" ||
		warn "native harness failed"
else
	cat "$R/native-build.log" >&2
	warn "native harness did not build"
fi

# --- 5. report ------------------------------------------------------------------------
py=python3
for p in python3 /usr/bin/python3; do
	if command -v "$p" > /dev/null && "$p" -c 'import matplotlib' 2> /dev/null; then
		py=$p; break
	fi
done
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
meta=$(printf '{"date": "%s", "host": "%s, %s CPUs, %s", "kernel": "%s", "cpu": "%s", "cc": "%s"}' \
	"$(date -u '+%Y-%m-%d %H:%M UTC')" "$(uname -n)" "$(nproc)" \
	"$(qemu-system-x86_64 --version | head -1 | sed 's/ *(.*//')" \
	"$(tree_version "$SRC") ($(git -C "$REPO" describe --always --dirty))" \
	"$cpu" "$(gcc --version | head -1)")
rc=0
args=(--insn "$R/vm-insn.log" --arm "$R/vm-arm.log" --native "$R/native.json"
      --objs "$R/modules" --out "$R" --meta "$meta")
[ ! -f "$R/profile.json" ] || args+=(--profile "$R/profile.json")
if [ "$smoke" = 1 ]; then
	args+=(--smoke --no-plot)
else
	args+=(--arm-icount "$R/vm-armi.log")
fi
if [ "$(kernel_id)" != "$kid" ]; then
	warn "the kernel was rebuilt during this run: its boots may have run different kernels"
	args+=(--failed "the kernel was rebuilt during the run")
fi
"$py" "$B/report.py" "${args[@]}" > "$R/report.txt" || rc=$?
# the table, then the run time, then report.py's last line
head -n -1 "$R/report.txt"
echo "bench: run time $(elapsed "$t0")$([ "$smoke" = 0 ] || echo ' (smoke)')"
# The documentation shows the table of the last full run that ran every
# case: regenerated, never edited by hand.
if [ "$smoke" = 0 ] && [ "$rc" = 0 ]; then
	cp "$R/table.txt" "$REPO/Documentation/markers-bench.txt"
	log "bench: table written to Documentation/markers-bench.txt"
fi
tail -1 "$R/report.txt"
exit "$rc"
