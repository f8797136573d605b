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
      trace-cmd linux-perf)      # vm/55-trace-clients.sh: copied into the guest

missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
	log "deps: all ${#PKGS[@]} packages present"
	exit 0
fi
log "deps: installing ${missing[*]}"
SUDO=; [ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq </dev/null
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null >/dev/null
log "deps: done"
