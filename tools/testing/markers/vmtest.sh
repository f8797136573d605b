#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make vm-test MODULES="dir..." SCRIPT=file
#
# Builds each module directory (a kbuild Makefile with obj-m lines) against
# out/build-x86 (out/build-arm64 with ARCH=arm64) from a copy in
# out/vm-test/ (the user's directory stays clean), puts the .ko files in
# the guest's /modules/extra/, boots the test kernel, runs SCRIPT there as
# /script.sh and exits with its exit status (the guest prints
# "VM-TEST-STATUS: <n>"; 125 if it never did).
# VM_TAG=name keeps the work directory, initramfs and log of this run apart
# (out/vm-test-name/, out/logs/vm-script-name.log), so that runs can overlap.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

script=${SCRIPT:?usage: make vm-test MODULES=\"dir...\" SCRIPT=file}
[ -f "$script" ] || die "SCRIPT $script not found"
[ -f "$BUILD_DIR/Module.symvers" ] || die "no kernel built (run: make build)"
tag=${VM_TAG:+-$VM_TAG}
work="$OUT/vm-test$tag"
rm -rf "$work/ko"; mkdir -p "$work/ko"
i=0
for d in ${MODULES:-}; do
	i=$((i + 1))
	[ -d "$d" ] || die "MODULES: $d is not a directory"
	copy="$work/mod$i-$(basename "$(realpath "$d")")"
	log "vm-test: building $d (in ${copy#$REPO/})"
	build_ext_modules "$d" "$copy" > "$LOGS/vm-test$tag-build-$i.log" 2>&1 ||
		{ cat "$LOGS/vm-test$tag-build-$i.log"; die "module build failed in $d"; }
	if grep -E 'warning:' "$LOGS/vm-test$tag-build-$i.log"; then warn "warnings building $d"; fi
	find "$copy" -name '*.ko' -exec cp {} "$work/ko/" \;
done
"$WB/initramfs.sh" -o "$OUT/initramfs/vm-test$tag.cpio.gz" -m "$work/ko" -s "$script"
exec "$WB/vm.sh" script -i "$OUT/initramfs/vm-test$tag.cpio.gz"
