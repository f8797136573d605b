#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The documentation gate: the series' documentation builds with the
# kernel's Sphinx set-up, and says nothing wrong about our files.
#
# Runs sphinx-build on Documentation/trace of the prepared tree (out/src,
# or DOCS_SRC), with Documentation/conf.py and the kernel-doc extension,
# as make htmldocs SPHINXDIRS=trace does. It calls sphinx-build itself
# rather than make htmldocs, which also regenerates the netlink specs'
# reST inside the source tree: this script only reads the tree. Output in
# out/docs/ (html/, doctrees/), Sphinx's messages in out/logs/docs-sphinx.log.
#
# Prints KTAP (make check, stage docs):
#   1 sphinx_trace_builds     sphinx-build succeeds and writes markers.html
#   2 no_warning_on_our_files no warning or error names a file of the series
#                             (an overlay file, or a file a hunk patch
#                             touches), kernel-doc's included
#   3 kernel_doc_included     every identifier named by a ".. kernel-doc::"
#                             directive of our documents is in the HTML
# (scripts/kernel-doc -none -Wall on our sources is the kernel-doc gate of
# gates.sh.) Exits non-zero if a check failed.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

tree=${DOCS_SRC:-$SRC}
dout="$OUT/docs"
slog="$LOGS/docs-sphinx.log"
doc=Documentation/trace/markers.rst
n=0 failed=0

ok() {	# ok STATUS NAME [REASON]
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n $2"
	else
		echo "not ok $n $2${3:+ # $3}"; failed=1
	fi
}

echo "KTAP version 1"
echo "1..3"
command -v sphinx-build > /dev/null ||
	die "sphinx-build missing (python3-sphinx; run: make deps)"
[ -f "$tree/$doc" ] || die "no $doc in ${tree#$REPO/} (run: make prepare)"

# The series' files: the overlay and what the hunk patches touch.
mapfile -t ours < <( { overlay_files
	for p in $(series_patches); do
		awk '/^\+\+\+ / { f = $2; sub(/\t.*/, "", f); sub(/^[^\/]*\//, "", f); print f }' \
			"$REPO/patches/$p"
	done; } | sort -u)
ours_re=$(printf '%s\n' "${ours[@]}" | sed 's/[.[\*^$]/\\&/g' | paste -sd'|')
# an included file's messages may give its base name alone ("markers.txt:12:")
docs_re=$(printf '%s\n' "${ours[@]}" | { grep '^Documentation/' || true; } |
	  sed -e 's|.*/||' -e 's/[.[\*^$]/\\&/g' | paste -sd'|')

rm -rf "$dout"
mkdir -p "$dout"
t0=$(date +%s)
rc=0
# -q: warnings only; no .pyc files in the tree
(cd "$tree/Documentation" &&
	PYTHONDONTWRITEBYTECODE=1 sphinx-build -b html -q -j "$JOBS" -c . \
		-d "$dout/doctrees" -D kerneldoc_srctree="$tree" \
		-D kerneldoc_bin="$tree/scripts/kernel-doc" \
		trace "$dout/html") > "$slog" 2>&1 < /dev/null || rc=$?
echo "# sphinx-build: exit $rc, $(grep -c 'WARNING\|ERROR\|SEVERE' "$slog" || true)" \
	"message(s) in all, $(elapsed "$t0") (log: ${slog#$REPO/})"
html="$dout/html/markers.html"
built=1; [ $rc = 0 ] && [ -s "$html" ] && built=0
ok $built sphinx_trace_builds "exit $rc${html:+, ${html#$REPO/}}"

# Paths in Sphinx's messages are absolute, or relative to the tree.
bad=$(sed "s|$tree/||g" "$slog" | grep -E 'WARNING|ERROR|SEVERE|warning:|error:' |
	grep -E "(^|[ /])(${ours_re:-NO-FILES})([:( ]|$)|^(${docs_re:-NO-FILES}):[0-9]" || true)
if [ -n "$bad" ]; then
	echo "$bad" | head -20 | sed 's/^/# /'
fi
ok $(( rc != 0 || $(printf '%s' "$bad" | grep -c . || true) > 0 )) \
	no_warning_on_our_files "$(printf '%s' "$bad" | grep -c . || true) message(s)"

# Every identifier a directive asks for is documented in the page, under
# its own anchor (the kernel's C domain writes id="c.NAME").
missing=()
for f in "$tree/Documentation/markers.txt" "$tree/$doc"; do
	awk '/^\.\. kernel-doc::/ { d = 1; next }
	     d && /^ +:identifiers:/ { sub(/^ +:identifiers:/, ""); print; next }
	     !/^ +:/ { d = 0 }' "$f"
done | tr ' ' '\n' | grep -v '^$' | sort -u > "$dout/identifiers"
while IFS= read -r id; do
	grep -q "id=\"c\\.$id\"" "$html" 2>/dev/null || missing+=("$id")
done < "$dout/identifiers"
# the :export: directives: each exported function of those files
for f in $(awk '/^\.\. kernel-doc::/ { f = $3; next }
		/^ +:export:/ { print f }' "$tree/Documentation/markers.txt"); do
	for id in $(sed -n 's/^EXPORT_SYMBOL\(_GPL\)\?(\([a-z_0-9]*\));/\2/p' "$tree/$f"); do
		grep -q "id=\"c\\.$id\"" "$html" 2>/dev/null || missing+=("$id")
	done
done
[ ${#missing[@]} -eq 0 ] || echo "# not in ${html#$REPO/}: ${missing[*]}"
ok $(( ${#missing[@]} > 0 )) kernel_doc_included "${#missing[@]} missing"

exit $failed
