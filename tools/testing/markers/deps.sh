#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Install the Debian packages the workbench needs, only if some are missing.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

PKGS=(linux-source-6.12 flex bison bc libelf-dev libssl-dev cpio dwarves
      rsync kmod qemu-system-x86 busybox-static sparse ccache python3
      gcc libc6-dev binutils make perl git xz-utils patch
      python3-matplotlib
      clang libclang-rt-14-dev   # fuzz.sh: libFuzzer (libclang_rt.fuzzer)
      trace-cmd linux-perf       # vm/55-trace-clients.sh: copied into the guest
      bpftrace                   # vm/57-bpftrace.sh: its own boot (check.sh)
      python3-sphinx)            # docs.sh: sphinx-build, the documentation gate
# ARCH=arm64: the cross compiler, its libc for the static guest helpers
# (only recommended by gcc-aarch64-linux-gnu), QEMU's aarch64 system
if [ "$ARCH" = arm64 ]; then
	PKGS+=(gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-system-arm)
fi
SUDO=; [ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive

# The arm64 guest's busybox: busybox-static:arm64 cannot be installed beside
# the amd64 one (same path), so its package is only unpacked, into out/.
# apt-get download needs the arm64 package lists, hence the architecture.
updated=0
if [ "$ARCH" = arm64 ] && [ ! -x "$BUSYBOX" ] &&
   ! dpkg --print-foreign-architectures | grep -qx arm64; then
	log "deps: dpkg --add-architecture arm64 (for busybox-static:arm64)"
	$SUDO dpkg --add-architecture arm64
	$SUDO apt-get update -qq </dev/null
	updated=1
fi

missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
	log "deps: all ${#PKGS[@]} packages present"
else
	log "deps: installing ${missing[*]}"
	[ "$updated" = 1 ] || $SUDO apt-get update -qq </dev/null
	$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null >/dev/null
	log "deps: done"
fi

if [ "$ARCH" = arm64 ] && [ ! -x "$BUSYBOX" ]; then
	dl="$OUT/busybox-arm64.dl"
	rm -rf "$dl" "$OUT/busybox-arm64"
	mkdir -p "$dl"
	# as root, apt would drop to _apt, which cannot write here; package
	# lists older than the architecture have no arm64: update, once
	busybox_download() {
		(cd "$dl" && apt-get download -qq -o APT::Sandbox::User=root \
			busybox-static:arm64 </dev/null >/dev/null)
	}
	busybox_download ||
		{ $SUDO apt-get update -qq </dev/null && busybox_download; } ||
		die "apt-get download busybox-static:arm64 failed"
	dpkg -x "$dl"/busybox-static_*_arm64.deb "$OUT/busybox-arm64"
	[ -x "$BUSYBOX" ] || die "no $BUSYBOX in busybox-static:arm64"
	log "deps: ${BUSYBOX#$REPO/} from busybox-static:arm64" \
	    "$(dpkg-deb -f "$dl"/busybox-static_*_arm64.deb Version)"
	rm -rf "$dl"
fi
