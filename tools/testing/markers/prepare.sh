#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Prepare out/src = pristine base + patches/series + overlay files.
#
# out/base is unpacked once per tarball (stamp out/base.stamp).  out/src is a
# copy of it; afterwards only "managed" paths (overlay files and files touched
# by hunk patches, now or in the previous run) are recomputed in a scratch
# directory and copied into out/src when their content differs, so unchanged
# files keep their mtimes and kbuild rebuilds only what really changed.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ -f "$BASE_TAR" ] || die "base tarball $BASE_TAR missing (run: make deps)"
mkdir -p "$REPO/patches"
[ -f "$REPO/patches/series" ] || : > "$REPO/patches/series"

# --- 1. pristine base, unpacked once per tarball version -------------------
base_key="$(basename "$BASE_TAR") $(stat -c '%s %Y' "$BASE_TAR")"
base_key+=" $(dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null || echo local)"
if [ ! -d "$BASE" ] || [ "$(cat "$OUT/base.stamp" 2>/dev/null)" != "$base_key" ]; then
	t0=$(date +%s)
	log "prepare: unpacking $BASE_TAR"
	rm -rf "$BASE" "$OUT/base.tmp" "$SRC" "$OUT/src.stamp" "$OUT/base-git"
	mkdir -p "$OUT/base.tmp"
	tar -xf "$BASE_TAR" -C "$OUT/base.tmp"
	mv "$OUT/base.tmp"/linux-source-* "$BASE"
	rmdir "$OUT/base.tmp"
	echo "$base_key" > "$OUT/base.stamp"
	log "prepare: unpacked in $(elapsed "$t0")"
fi
version=$(tree_version "$BASE")

# --- 2. out/src: a full copy of the base, made once per base ---------------
if [ ! -d "$SRC" ] || [ "$(cat "$OUT/src.stamp" 2>/dev/null)" != "$base_key" ]; then
	log "prepare: copying base to out/src"
	rm -rf "$SRC" "$SRC.tmp" "$OUT/src.key" "$OUT/src.files"
	cp -a "$BASE" "$SRC.tmp"
	mv "$SRC.tmp" "$SRC"
	echo "$base_key" > "$OUT/src.stamp"
fi

# --- 3. what the overlay and the patches want ------------------------------
mapfile -t overlay < <(overlay_files)
mapfile -t patches < <(series_patches)
for p in "${patches[@]}"; do
	[ -f "$REPO/patches/$p" ] || die "patches/series lists $p, which does not exist"
done
# files a patch touches (-p1 paths of its ---/+++ lines)
patched_paths() {
	awk '/^(---|\+\+\+) / { f = $2; sub(/\t.*/, "", f)
		if (f != "/dev/null") { sub(/^[^\/]*\//, "", f); print f } }' "$@"
}
key=$( {
	echo "$base_key"
	for p in "${patches[@]}"; do echo "patch $p"; cat "$REPO/patches/$p"; done
	for f in "${overlay[@]}"; do
		echo "file $f $(stat -c %a "$REPO/$f") $(sha256sum < "$REPO/$f")"
	done
} | sha256sum | cut -d' ' -f1)

echo "prepare: base $version, ${#patches[@]} hunk patch(es), ${#overlay[@]} overlay file(s)"
if [ "$key" = "$(cat "$OUT/src.key" 2>/dev/null)" ]; then
	log "prepare: out/src up to date (Linux $version)"
	exit 0
fi

# --- 4. recompute every managed path in a scratch tree ---------------------
new_managed=$( { printf '%s\n' "${overlay[@]}"
		 [ ${#patches[@]} -eq 0 ] || patched_paths "${patches[@]/#/$REPO/patches/}"; } |
	       grep -v '^$' | sort -u || true)
all_managed=$( { echo "$new_managed"; cat "$OUT/src.files" 2>/dev/null || true; } |
	       grep -v '^$' | sort -u || true)

stage="$OUT/src-stage"
rm -rf "$stage"; mkdir -p "$stage"
while IFS= read -r f; do
	[ -n "$f" ] && [ -e "$BASE/$f" ] && (cd "$BASE" && cp -a --parents "$f" "$stage/")
done <<< "$all_managed"

for p in "${patches[@]}"; do
	if ! out=$(cd "$stage" && patch -p1 --forward --batch --fuzz=0 \
			--no-backup-if-mismatch -r - < "$REPO/patches/$p" 2>&1); then
		echo "$out" | sed 's/^/    /' >&2
		die "patch patches/$p does not apply (files and hunks above)"
	fi
done

for f in "${overlay[@]}"; do
	[ -e "$BASE/$f" ] && warn "overlay file $f replaces a base file (prefer a hunk patch)"
	mkdir -p "$stage/$(dirname "$f")"
	cp --preserve=mode "$REPO/$f" "$stage/$f"
done

# --- 5. copy only what differs into out/src --------------------------------
changed=0
while IFS= read -r f; do
	[ -n "$f" ] || continue
	if [ -e "$stage/$f" ]; then
		if ! cmp -s "$stage/$f" "$SRC/$f"; then
			mkdir -p "$SRC/$(dirname "$f")"
			cp --preserve=mode "$stage/$f" "$SRC/$f.wbtmp"
			mv -f "$SRC/$f.wbtmp" "$SRC/$f"
			echo "  updated $f"; changed=$((changed + 1))
		fi
		chmod --reference="$stage/$f" "$SRC/$f"
	elif [ -e "$SRC/$f" ]; then
		rm -f "$SRC/$f"; echo "  removed $f"; changed=$((changed + 1))
	fi
done <<< "$all_managed"
rm -rf "$stage"

echo "$new_managed" > "$OUT/src.files"
echo "$key" > "$OUT/src.key"
log "prepare: out/src ready (Linux $version, $changed file(s) changed)"
