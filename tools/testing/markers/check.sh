#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make check: build, boot-test, KUnit on UML, quality gates; count results.
#
# Stages (each appends "NAME PASSED FAILED" to out/logs/check.counts):
#   setup       deps + prepare (a failure stops here, counted as 1 failure)
#   build-x86   the test kernel builds (warnings are counted by the gates)
#   pathlen     the dormant path of marked functions (pathlen.py on mt_pathlen.ko)
#   markers-off with CONFIG_MARKERS=n: no trace left, formats still checked
#   kunit-vm    KUnit cases run at boot of the x86 kernel (QEMU, -smp 4),
#               with call-depth tracking on (X86_VM_ARGS)
#   vm-scripts  tools/testing/markers/vm/*.sh in the same boot,
#               ftracetest among them (vm/56-ftracetest.sh)
#   vm-bpftrace vm/57-bpftrace.sh in a boot of its own (bpftrace's initramfs)
#   vm-boot-events  vm/59-boot-events.sh in a boot with trace_event=,
#               trace_trigger= and a bootconfig naming a marker of vmlinux
#   build-arm64 the arm64 test kernel and its packages (ARCH=arm64; a
#               warning fails it), built during the x86 vm stage
#   pathlen-arm64  pathlen.py on the arm64 mt_pathlen.ko
#   kunit-arm64 KUnit cases run at boot of the arm64 kernel (virt, -smp 2)
#   vm-arm64    in the same boot, the churn (fewer rounds), a shorter
#               stress, ftracetest and the RCU check (ARM64_TESTS, ARM64_ARGS)
#   build-debug the debug kernel (VARIANT=debug: KASAN on top of lockdep,
#               PROVE_RCU, DEBUG_ATOMIC_SLEEP and kmemleak)
#   kunit-debug, vm-debug  KUnit and the churn and stress scripts on it
#   kunit-um    kunit.py run --arch=um with tools/testing/markers/.kunitconfig
#   bench-smoke every benchmark case once (bench.sh --smoke)
#   fuzz        libFuzzer targets, ASan + UBSan, bounded (fuzz.sh --smoke)
#   docs        Sphinx on Documentation/trace, kernel-doc included (docs.sh)
#   gate:*      see gates.sh
# KTAP counting rules: see ktap.py.  The last line is "N passed, N failed";
# the exit status is non-zero if anything failed.
# Environment: KUNITCONFIG (default tools/testing/markers/.kunitconfig),
# ARM64_TESTS, ARM64_ARGS and ARM64_VM_TIMEOUT (the arm64 boot: its vm/*.sh,
# their guest environment, its time limit in seconds), plus those of
# build.sh and vm.sh.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

counts="$LOGS/check.counts"
: > "$counts"
KUNITCONFIG=${KUNITCONFIG:-$WB/.kunitconfig}
T0=$(date +%s)
stage() { STAGE_T0=$(date +%s); printf '\n=== %s\n' "$*"; }
took() { echo "    ($1 took $(elapsed "$STAGE_T0"))"; }

finish() {
	echo
	echo "=== summary (total $(elapsed "$T0"))"
	awk '{ printf "  %-28s %4d passed %4d failed\n", $1, $2, $3 }' "$counts"
	awk '{ p += $2; f += $3 } END { printf "%d passed, %d failed\n", p, f }' "$counts"
	awk '{ f += $3 } END { exit f > 0 }' "$counts"
}

stage "setup: deps, prepare"
if ! { "$WB/deps.sh" && "$WB/prepare.sh"; }; then
	echo "setup 0 1" >> "$counts"
	finish; exit 1
fi
echo "setup 1 0" >> "$counts"; took setup

stage "build: x86_64 test kernel"
built=0
if BUILD_ALLOW_WARNINGS=1 "$WB/build.sh"; then
	built=1; echo "build-x86 1 0" >> "$counts"
else
	echo "build-x86 0 1" >> "$counts"
fi
took build

stage "pathlen: dormant path of marked functions (objdump of mt_pathlen.ko)"
plog="$LOGS/pathlen.log"
ko=$(find "$TEST_MODULES" -name mt_pathlen.ko 2>/dev/null | head -1) || true
if [ $built = 1 ] && [ -n "$ko" ]; then
	"$WB/pathlen.py" "$ko" > "$plog" 2>&1 || true
	grep -E '^# ' "$plog" | sed 's/^/  /'
	"$WB/ktap.py" "$plog" --stage pathlen --counts "$counts" || true
else
	echo "  not run: no mt_pathlen.ko"
	echo "pathlen 0 1" >> "$counts"
fi
took pathlen

stage "markers-off: compile-time checks (markers off, GPL-only exports, typed probes)"
olog="$LOGS/markers-off.log"
if [ $built = 1 ]; then
	"$WB/markers-off.sh" > "$olog" 2>&1 || true
	"$WB/ktap.py" "$olog" --stage markers-off --counts "$counts" || true
else
	echo "  not run: no kernel"
	echo "markers-off 0 1" >> "$counts"
fi
took markers-off

stage "tools: markers list and diff offline (tools/markers/markers on modules and vmlinux)"
tlog="$LOGS/tools-test.log"
if [ $built = 1 ]; then
	"$WB/tools-test.sh" > "$tlog" 2>&1 || true
	grep -E '^not ok' "$tlog" | sed 's/^/  /' || true
	"$WB/ktap.py" "$tlog" --stage tools --counts "$counts" || true
else
	echo "  not run: no kernel"
	echo "tools 0 1" >> "$counts"
fi
took tools

# The arm64 kernel (its packages, then its build) is made in the background
# during the x86 vm stage: QEMU runs every vCPU of the x86 guest on one host
# thread (tcg,thread=single), so one of the two cores of the CI machine
# would idle for all of that stage. nice 19, so that the guest keeps its
# core. In a session of its own (setsid), so that the run's end can stop
# it; the build-arm64 stage below waits for it and counts it.
echo "    (arm64 kernel: building in the background, log ${LOGS#$REPO/}/build-arm64.out)"
setsid -w bash -c 't0=$SECONDS
	ARCH=arm64 "$1/deps.sh" && ARCH=arm64 nice -n 19 "$1/build.sh" &&
	echo "build-arm64: packages and build took $((SECONDS - t0)) s"' \
	arm64-build "$WB" > "$LOGS/build-arm64.out" 2>&1 < /dev/null &
abuild_pid=$!
trap 'kill -- -"$abuild_pid" 2> /dev/null || true' EXIT

stage "vm: x86_64 kernel in QEMU, test mode (KUnit at boot, then vm/*.sh)"
if [ $built = 1 ] && "$WB/initramfs.sh"; then
	# tp_printk for vm/52-trace-lifecycle.sh, which turns it on and off;
	# call-depth tracking as distributions enable it (X86_VM_ARGS)
	VM_SMP=${VM_SMP:-4} \
	KERNEL_ARGS="${KERNEL_ARGS:-} tp_printk tp_printk_stop_on_boot $X86_VM_ARGS" \
		"$WB/vm.sh" test > /dev/null || true
	vmlog="$LOGS/vm-test.log"
	grep -E '^(BUG|WARNING|Kernel panic|Oops)|^ *(not ok|# .*(FAIL|Expected))' "$vmlog" |
		head -40 | sed 's/^/  | /' || true
	"$WB/ktap.py" "$vmlog" --stage kunit-vm --end '^WORKBENCH: init started' \
		--require-end --min-tests 1 --counts "$counts" || true
	"$WB/ktap.py" "$vmlog" --stage vm-scripts --begin '^WORKBENCH: tests begin' \
		--end '^WORKBENCH: tests end' --require-end --counts "$counts" || true
else
	echo "  not run: no kernel"
	echo "kunit-vm 0 1" >> "$counts"
	echo "vm-scripts 0 1" >> "$counts"
fi
took vm

# bpftrace needs about 70 MB more of initramfs (LLVM, clang): a boot of its
# own, with more memory, so that the other stages keep their small image.
stage "vm-bpftrace: bpftrace on the markers' events (its own x86_64 boot)"
binitrd="$OUT/initramfs/bpftrace.cpio.gz"
blog="$LOGS/vm-test-bpftrace.log"
rm -f "$blog"
if [ $built = 1 ] &&
   VM_TESTS="57-bpftrace" "$WB/initramfs.sh" -o "$binitrd" \
	-c /usr/bin/bpftrace > /dev/null; then
	VM_TAG=bpftrace VM_SMP=2 VM_MEM=1G "$WB/vm.sh" test -i "$binitrd" > /dev/null || true
	grep -E '^(BUG|WARNING|Kernel panic|Oops)|^ *not ok' "$blog" |
		head -40 | sed 's/^/  | /' || true
	"$WB/ktap.py" "$blog" --stage vm-bpftrace --begin '^WORKBENCH: tests begin' \
		--end '^WORKBENCH: tests end' --require-end --min-tests 10 \
		--counts "$counts" || true
else
	echo "  not run: no kernel or no bpftrace initramfs"
	echo "vm-bpftrace 0 1" >> "$counts"
fi
took vm-bpftrace

# trace_event=, trace_trigger= and a bootconfig name a marker of vmlinux: a
# boot of their own (KUnit off), so that the other stages start with
# nothing enabled.
stage "vm-boot-events: markers' events enabled by boot-time options (own x86_64 boot)"
einitrd="$OUT/initramfs/boot-events.cpio.gz"
elog="$LOGS/vm-test-boot-events.log"
rm -f "$elog"
if [ $built = 1 ] &&
   VM_TESTS="59-boot-events" "$WB/initramfs.sh" -o "$einitrd" \
	-b "$BOOT_EVENTS_BCONF" > /dev/null; then
	VM_TAG=boot-events VM_SMP=2 VM_TIMEOUT=300 \
		KERNEL_ARGS="$BOOT_EVENTS_ARGS kunit.enable=0" \
		"$WB/vm.sh" test -i "$einitrd" > /dev/null || true
	grep -E '^(BUG|WARNING|Kernel panic|Oops)|^ *not ok' "$elog" |
		head -40 | sed 's/^/  | /' || true
	"$WB/ktap.py" "$elog" --stage vm-boot-events --begin '^WORKBENCH: tests begin' \
		--end '^WORKBENCH: tests end' --require-end --min-tests 10 \
		--counts "$counts" || true
else
	echo "  not run: no kernel or no initramfs"
	echo "vm-boot-events 0 1" >> "$counts"
fi
took vm-boot-events

# The arm64 test kernel: built as on x86 but cross-compiled (above, in the
# background), then booted on QEMU's virt machine with two vCPUs: four
# pass too, but on one host thread they take longer. Its stages cost
# about what is left of the build and two short scripts; the time budget
# of the whole run is in tools/testing/markers/README.
stage "build-arm64: arm64 test kernel (ARCH=arm64, cross-compiled, since the vm stage)"
# Its packages are installed with it, not in setup: without them the x86
# stages still run. This stage's time is what is left of the build.
abuilt=0
if wait "$abuild_pid"; then
	abuilt=1; echo "build-arm64 1 0" >> "$counts"
	tail -1 "$LOGS/build-arm64.out" | sed 's/^/    /'
else
	tail -20 "$LOGS/build-arm64.out" | sed 's/^/  | /'
	echo "  FAILED (log: ${LOGS#$REPO/}/build-arm64.out)"
	echo "build-arm64 0 1" >> "$counts"
fi
took build-arm64

stage "pathlen-arm64: dormant path of marked functions (aarch64 objdump of mt_pathlen.ko)"
plog="$LOGS/pathlen-arm64.log"
ko=$(find "$OUT/test-modules-arm64" -name mt_pathlen.ko 2>/dev/null | head -1) || true
if [ $abuilt = 1 ] && [ -n "$ko" ]; then
	"$WB/pathlen.py" "$ko" > "$plog" 2>&1 || true
	grep -E '^# |^not ok' "$plog" | sed 's/^/  /' || true
	"$WB/ktap.py" "$plog" --stage pathlen-arm64 --counts "$counts" || true
else
	echo "  not run: no arm64 mt_pathlen.ko"
	echo "pathlen-arm64 0 1" >> "$counts"
fi
took pathlen-arm64

stage "vm-arm64: arm64 kernel in QEMU (virt, -smp 2): KUnit at boot, churn, stress, ftracetest"
# Fewer churn rounds and a shorter stress than on x86: under TCG a round
# of the churn takes about three times as long in the arm64 guest, and
# the whole stage must fit the run's time budget (the stage times in
# tools/testing/markers/README). The same scripts, the same checks.
arm64_tests="10-module-lifecycle 30-smp-stress 56-ftracetest 58-rcu-watching"
ARM64_TESTS=${ARM64_TESTS:-"$arm64_tests 60-return-hooks"}
# ftracetest: the markers' tests and the tree's event and filter ones; its
# trigger tests (about 40, 5 minutes in this guest) run on x86-64
ftd="test.d/event test.d/filter test.d/markers"
ARM64_ARGS=${ARM64_ARGS:-"ITERATIONS=10 CHURN_ROUNDS=5 STRESS_SECS=15 FTRACETEST_DIRS=\"$ftd\""}
ainitrd="$OUT/initramfs/check-arm64.cpio.gz"
alog="$LOGS/vm-test-arm64.log"
rm -f "$alog"	# a run that fails before the boot must not count an old log
if [ $abuilt = 1 ] &&
   ARCH=arm64 VM_TESTS="$ARM64_TESTS" "$WB/initramfs.sh" -o "$ainitrd" > /dev/null; then
	ARCH=arm64 VM_SMP=2 VM_TIMEOUT=${ARM64_VM_TIMEOUT:-900} \
		KERNEL_ARGS="${KERNEL_ARGS:-} $ARM64_ARGS" \
		"$WB/vm.sh" test -i "$ainitrd" > /dev/null || true
	bad='^(BUG|WARNING|Kernel panic|Oops)|^vm: TIMEOUT|^ *(not ok|# .*(FAIL|Expected))'
	grep -E "$bad" "$alog" | head -40 | sed 's/^/  | /' || true
	"$WB/ktap.py" "$alog" --stage kunit-arm64 --end '^WORKBENCH: init started' \
		--require-end --min-tests 1 --counts "$counts" || true
	"$WB/ktap.py" "$alog" --stage vm-arm64 --begin '^WORKBENCH: tests begin' \
		--end '^WORKBENCH: tests end' --require-end --min-tests 1 \
		--counts "$counts" || true
else
	echo "  not run: no arm64 kernel or initramfs"
	echo "kunit-arm64 0 1" >> "$counts"
	echo "vm-arm64 0 1" >> "$counts"
fi
took vm-arm64

stage "vm-debug: the debug kernel (KASAN, lockdep, PROVE_RCU, kmemleak), -smp 4"
# The churn (fewer rounds per fixed order: KASAN under TCG is slow) and the
# stress scripts; the KUnit suites run at boot as on the test kernel.
DEBUG_TESTS=${DEBUG_TESTS:-"10-module-lifecycle 30-smp-stress"}
DEBUG_ARGS=${DEBUG_ARGS:-"ITERATIONS=25 CHURN_ROUNDS=40 STRESS_SECS=30"}
dinitrd="$OUT/initramfs/debug.cpio.gz"
if [ $built = 1 ] &&
   VARIANT=debug "$WB/build.sh" > "$LOGS/build-debug.out" 2>&1 &&
   VARIANT=debug VM_TESTS="$DEBUG_TESTS" "$WB/initramfs.sh" -o "$dinitrd" > /dev/null; then
	echo "build-debug 1 0" >> "$counts"
	VARIANT=debug VM_TAG=debug VM_SMP=4 VM_MEM=${VM_MEM:-1G} \
		KERNEL_ARGS="${KERNEL_ARGS:-} $DEBUG_ARGS" \
		"$WB/vm.sh" test -i "$dinitrd" > /dev/null || true
	dlog="$LOGS/vm-test-debug.log"
	grep -E '^(BUG|WARNING|Kernel panic|Oops)|KASAN|^ *(not ok|# .*(FAIL|Expected))' "$dlog" |
		head -40 | sed 's/^/  | /' || true
	"$WB/ktap.py" "$dlog" --stage kunit-debug --end '^WORKBENCH: init started' \
		--require-end --min-tests 1 --counts "$counts" || true
	"$WB/ktap.py" "$dlog" --stage vm-debug --begin '^WORKBENCH: tests begin' \
		--end '^WORKBENCH: tests end' --require-end --min-tests 1 \
		--counts "$counts" || true
else
	[ $built = 1 ] && tail -20 "$LOGS/build-debug.out" | sed 's/^/  | /'
	echo "  not run: no debug kernel (log: ${LOGS#$REPO/}/build-debug.out)"
	echo "build-debug 0 1" >> "$counts"
fi
took vm-debug

stage "kunit-um: kunit.py run --arch=um --kunitconfig=${KUNITCONFIG#$REPO/}"
umlog="$LOGS/kunit-um.log"
rc=0
(cd "$SRC" && python3 tools/testing/kunit/kunit.py run --arch=um \
	--kunitconfig="$KUNITCONFIG" --build_dir="$BUILD_UM" \
	--make_options "CC=$KCC" --jobs "$JOBS" --raw_output=kunit) \
	> "$umlog" 2>&1 < /dev/null || rc=$?
grep -E '^ *(not ok|# .*(FAIL|Expected))|ERROR|rror:' "$umlog" | head -40 | sed 's/^/  | /' || true
ktap_ok=1
"$WB/ktap.py" "$umlog" --stage kunit-um --min-tests 1 --counts "$counts" || ktap_ok=0
if [ $rc -ne 0 ] && [ $ktap_ok = 1 ]; then
	echo "  FAILED: kunit.py exited with status $rc (log: ${umlog#$REPO/})"
	echo "kunit-um-run 0 1" >> "$counts"
fi
took kunit-um

stage "bench-smoke: every benchmark case runs (bench.sh --smoke, no target enforced)"
blog="$LOGS/bench-smoke.log"
if [ -f "$BUILD_X86/Module.symvers" ] && "$WB/bench.sh" --smoke > "$blog" 2>&1; then
	echo "  ok: $(tail -1 "$blog") (log: ${blog#$REPO/})"
	echo "bench-smoke 1 0" >> "$counts"
else
	tail -20 "$blog" | sed 's/^/  | /'
	echo "  FAILED (log: ${blog#$REPO/})"
	echo "bench-smoke 0 1" >> "$counts"
fi
took bench-smoke

stage "fuzz: libFuzzer on the events' fields, records and requests (fuzz.sh --smoke)"
flog="$LOGS/fuzz-smoke.log"
"$WB/fuzz.sh" --smoke > "$flog" 2>&1 || true
grep -E '^(# fuzz_|not ok)' "$flog" | sed 's/^/  /' || true
"$WB/ktap.py" "$flog" --stage fuzz --min-tests 4 --counts "$counts" || true
took fuzz

stage "docs: Sphinx on Documentation/trace, no warning on our files (docs.sh)"
doclog="$LOGS/docs.log"
"$WB/docs.sh" > "$doclog" 2>&1 || true
grep -E '^(# |not ok)' "$doclog" | sed 's/^/  /' || true
"$WB/ktap.py" "$doclog" --stage docs --min-tests 3 --counts "$counts" || true
took docs

stage "quality gates"
"$WB/gates.sh" "$counts" || true
took gates

finish
