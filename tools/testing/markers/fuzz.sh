#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Userspace fuzzing of the markers' trace events (their fields, records
# and debugfs requests), with libFuzzer, AddressSanitizer and UBSan, on the
# unchanged kernel sources of out/src (fuzz/Makefile, fuzz/shim/kshim.h):
#
#   fuzz_fields    marker_fields_parse(): the fields, layout and print fmt
#                  of events/markers/<name>/format, against a model
#   fuzz_record    marker_fields_measure/write/print(): records as the
#                  trace file shows them, against vsnprintf(), and with
#                  corrupted string locations
#   fuzz_requests  set_marker and control writes (trace_markers_control.c)
#                  over fake events, all or nothing
#   fields_tools   not a fuzzer: the fields of fuzz_fields' seeds are
#                  tools/markers/markers' (fuzz/fields_tools.py)
#
#   fuzz.sh --smoke       each target for FUZZ_SMOKE_SECS (default 25 s)
#   fuzz.sh --long SECS   each target for SECS seconds
#   fuzz.sh --build       only build the targets
#
# Builds into out/fuzz/; each run starts from the committed seeds of
# fuzz/corpus/<target>/ plus what earlier runs found (out/fuzz/corpus/).
# Prints KTAP, one result per target and one for fields_tools; a crash,
# leak, sanitizer report, failed check or build failure is "not ok" with
# the reproducer's path (replay: out/fuzz/<target> FILE, with
# KSHIM_VERBOSE=1 for the kernel's messages, FUZZ_RECORD_SHOW=1 or
# FUZZ_REQUESTS_SHOW=1 for what fuzz_record prints or fuzz_requests
# writes). Exit status 1 if any test failed.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

case ${1:-} in
--smoke) secs=${FUZZ_SMOKE_SECS:-25} ;;
--long) secs=${2:-}; [[ $secs =~ ^[0-9]+$ ]] || die "usage: fuzz.sh --long SECS" ;;
--build) secs= ;;
*) die "usage: fuzz.sh --smoke | --long SECS | --build" ;;
esac
F="$WB/fuzz"
FOUT="$OUT/fuzz"
TARGETS=(fuzz_fields fuzz_record fuzz_requests)
[ -f "$SRC/kernel/trace/trace_markers_fields.c" ] || die "no prepared tree (run: make prepare)"
command -v clang > /dev/null || die "no clang (run: make deps)"
mkdir -p "$FOUT"
t0=$(date +%s)

log "fuzz: building ${TARGETS[*]} into ${FOUT#"$REPO"/}" >&2
built=1
if ! make -C "$F" SRC="$SRC" O="$FOUT" -j2 > "$LOGS/fuzz-build.log" 2>&1; then
	tail -20 "$LOGS/fuzz-build.log" >&2
	built=0
fi
if [ -z "$secs" ]; then
	[ "$built" = 1 ] || die "fuzz build failed, see ${LOGS#"$REPO"/}/fuzz-build.log"
	exit 0
fi

echo "KTAP version 1"
echo "1..$((${#TARGETS[@]} + 1))"
n=0
fail=0
for t in "${TARGETS[@]}"; do
	n=$((n + 1))
	if [ "$built" = 0 ]; then
		echo "not ok $n $t # build failed, see ${LOGS#"$REPO"/}/fuzz-build.log"
		fail=1
		continue
	fi
	corpus="$FOUT/corpus/$t" art="$FOUT/artifacts/$t" tlog="$LOGS/fuzz-$t.log"
	mkdir -p "$corpus" "$art"
	rm -f "$art"/*
	# The first directory gets what the run finds; the seeds stay as
	# committed. Leaks are checked (LeakSanitizer) after every input.
	rc=0
	"$FOUT/$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
		-max_len=8192 -print_final_stats=1 -artifact_prefix="$art/" \
		"$corpus" "$F/corpus/$t" > "$tlog" 2>&1 || rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$tlog" | tail -1)
	# none of them if it crashed on a seed
	cov=$(grep -ao 'cov: [0-9]*' "$tlog" | tail -1 | cut -d' ' -f2 || true)
	ft=$(grep -ao 'ft: [0-9]*' "$tlog" | tail -1 | cut -d' ' -f2 || true)
	crashes=$(find "$art" -type f | wc -l)
	echo "# $t: ${execs:-0} executions, ${cov:-0} coverage, ${ft:-0} features, $crashes crashes"
	if [ "$rc" = 0 ] && [ "$crashes" = 0 ]; then
		echo "ok $n $t"
		continue
	fi
	fail=1
	repro=$(find "$art" -type f | head -1)
	found='ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer): [a-z-]+'
	found+='|runtime error: .*|check failed: [^:]*'
	why=$(grep -aom1 -E "$found" "$tlog" || true)
	grep -a -E 'check failed|runtime error|ERROR:|SUMMARY:|^    #[0-9] ' "$tlog" |
		head -15 | sed 's/^/# /'
	echo "not ok $n $t # ${why:-exit $rc}; reproducer ${repro:-none}; log ${tlog#"$REPO"/}"
done

# The kernel's fields of the seeds, as tools/markers sees them.
n=$((n + 1))
tlog="$LOGS/fuzz-fields_tools.log"
if [ "$built" = 0 ]; then
	echo "not ok $n fields_tools # build failed, see ${LOGS#"$REPO"/}/fuzz-build.log"
	fail=1
elif python3 "$F/fields_tools.py" "$FOUT/fuzz_fields" "$REPO/tools/markers/markers" \
	"$F"/corpus/fuzz_fields/* > "$tlog" 2>&1; then
	echo "# fields_tools: $(grep -c 'agree$' "$tlog") seeds agree with tools/markers"
	echo "ok $n fields_tools"
else
	grep -v -e 'agree$' -e 'not compared$' "$tlog" | head -5 | sed 's/^/# /'
	echo "not ok $n fields_tools # kernel and tools/markers differ; log ${tlog#"$REPO"/}"
	fail=1
fi
log "fuzz: $n tests in $(elapsed "$t0")" >&2
exit "$fail"
