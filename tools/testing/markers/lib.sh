# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034
# Common settings for the markers workbench scripts (sourced, not run).
# Every path is absolute; the repository root is two levels above tools/.

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
WB="$REPO/tools/testing/markers"          # the workbench (this directory)
OUT="$REPO/out"
LOGS="$OUT/logs"
BASE_TAR=${BASE_TAR:-/usr/src/linux-source-6.12.tar.xz}
BASE="$OUT/base"                           # pristine unpack of BASE_TAR
SRC="$OUT/src"                             # base + patches/series + overlay
# VARIANT=debug: the debug kernel (configs/debug.config on top, KASAN) in
# its own directories; empty: the test kernel
VARIANT=${VARIANT:-}
BUILD_X86="$OUT/build-x86${VARIANT:+-$VARIANT}"
TEST_MODULES="$OUT/test-modules${VARIANT:+-$VARIANT}"
BUILD_UM="$OUT/build-um"
JOBS=${JOBS:-$(nproc)}
export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/ccache}
KCC="ccache gcc"                           # the host's compiler

# ARCH=arm64: build.sh, initramfs.sh and vm.sh work on the arm64 test
# kernel instead (cross-compiled, booted on QEMU's virt machine). ARCH is
# not left in the environment, where kbuild would read it: the x86 kernel
# has always been built without it, and only kmake passes it, for arm64.
# MARKERS_ARCH carries the choice to the scripts these scripts run.
ARCH=${ARCH:-${MARKERS_ARCH:-x86_64}}
export -n ARCH
case $ARCH in
x86_64|x86)
	ARCH=x86_64
	ARCH_TAG=                          # no suffix: x86 names as before
	BUILD_DIR=$BUILD_X86
	KCONF_DIR="$OUT/kconfig-x86${VARIANT:+-$VARIANT}"
	KIMAGE=bzImage                     # make target, in arch/$SRCARCH/boot
	KIMAGE_PATH="$BUILD_DIR/arch/x86/boot/bzImage"
	TARGET_CC=$KCC
	KARCH=()
	GUEST_CC=gcc                       # static guest helpers
	BUSYBOX=/bin/busybox               # busybox-static
	;;
arm64|aarch64)
	ARCH=arm64
	ARCH_TAG=arm64
	BUILD_DIR="$OUT/build-arm64${VARIANT:+-$VARIANT}"
	KCONF_DIR="$OUT/kconfig-arm64${VARIANT:+-$VARIANT}"
	TEST_MODULES="$OUT/test-modules-arm64${VARIANT:+-$VARIANT}"
	KIMAGE=Image
	KIMAGE_PATH="$BUILD_DIR/arch/arm64/boot/Image"
	CROSS_COMPILE=aarch64-linux-gnu-
	TARGET_CC="ccache ${CROSS_COMPILE}gcc"
	KARCH=(ARCH=arm64 CROSS_COMPILE="$CROSS_COMPILE")
	GUEST_CC=${CROSS_COMPILE}gcc
	BUSYBOX="$OUT/busybox-arm64/bin/busybox" # unpacked by deps.sh
	;;
*)
	printf 'ERROR: ARCH=%s: the workbench knows x86_64 and arm64\n' "$ARCH" >&2
	exit 1 ;;
esac
export MARKERS_ARCH=$ARCH
# build-x86, build-arm64, build-x86-debug ...: names of logs and dirs
BUILD_NAME=$(basename "$BUILD_DIR")
VM_TIMEOUT=${VM_TIMEOUT:-1800}             # seconds, for batch QEMU runs
mkdir -p "$LOGS"
# behave the same whether run by the top Makefile or by hand
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES

log()  { printf '== %s\n' "$*"; }
warn() { printf 'WARNING: %s\n' "$*" >&2; }
die()  { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

# The x86 test boot's mitigations: retbleed=stuff gives calls call thunks
# and call-depth accounting (CALL_DEPTH_TRACKING), as distribution kernels
# do on the CPUs that need it; force, because QEMU's CPU model does not
# report the bug, and stuffing needs retpolines.
X86_VM_ARGS="retbleed=stuff,force spectre_v2=retpoline"

# vm/*.sh scripts left out of the default initramfs: they need a boot of
# their own (57-bpftrace: bpftrace and its libraries, about 70 MB
# compressed; 59-boot-events: boot-time options, BOOT_EVENTS_ARGS, and a
# bootconfig, BOOT_EVENTS_BCONF)
OWN_BOOT_TESTS="57-bpftrace 59-boot-events"
BOOT_EVENTS_ARGS="trace_event=markers:markers_site_test_early"
BOOT_EVENTS_ARGS="$BOOT_EVENTS_ARGS trace_trigger=markers_site_test_early.stacktrace"
BOOT_EVENTS_ARGS="$BOOT_EVENTS_ARGS bootconfig"
BOOT_EVENTS_BCONF="$WB/configs/boot-events.bconf"

# Warnings expected by design (an extended regex over warning lines), and
# the only ones: mt_legacy_probe.c is written as 2.6.31 probe modules were,
# with global probe functions and no prototypes, which warns since 6.8.
EXPECTED_WARNINGS='mt_legacy_probe\.c:[0-9]+:[0-9]+: warning: no previous prototype'

# make in the prepared source tree, building into $1
kmake() {
	local objdir=$1; shift
	make -C "$SRC" O="$objdir" CC="$TARGET_CC" HOSTCC="$KCC" "${KARCH[@]}" "$@"
}

# Overlay files: everything in the repository except the workbench's own
# top-level files; tracked and untracked files alike (ignored ones are not).
# WB_NO_OVERLAY=1 (workbench self-test only): the plain base, no patches,
# only the workbench's own directory as overlay.
overlay_files() {
	if [ "${WB_NO_OVERLAY:-0}" = 1 ]; then
		(cd "$REPO" && find tools/testing/markers -type f \
			! -path '*/modules/*' ! -path '*/vm/*' | sort)
		return
	fi
	git -C "$REPO" ls-files --cached --others --exclude-standard -z |
	tr '\0' '\n' |
	grep -Ev '^(Makefile|README\.md|\.ci/|patches/|out/|\.git)' |
	while IFS= read -r f; do [ -f "$REPO/$f" ] && printf '%s\n' "$f"; done |
	sort -u
}

# Hunk patches listed in patches/series, in order (comments, blanks ignored)
series_patches() {
	[ "${WB_NO_OVERLAY:-0}" != 1 ] || return 0
	[ -f "$REPO/patches/series" ] || return 0
	sed -e 's/#.*//' -e 's/[[:space:]]*$//' "$REPO/patches/series" | grep -v '^$' || true
}

# Base kernel version of an unpacked tree (from its top Makefile)
tree_version() {
	awk -F' = ' '/^VERSION =/{v=$2} /^PATCHLEVEL =/{p=$2} /^SUBLEVEL =/{s=$2}
		/^EXTRAVERSION =/{e=$2} END{print v "." p "." s e}' "$1/Makefile"
}

# Build the out-of-tree modules of directory $1 (kbuild Makefile with obj-m
# lines) against $BUILD_DIR (out/build-x86, or out/build-arm64 with
# ARCH=arm64), from a copy in $2 so that $1 stays clean.
# The make output goes to stdout.
build_ext_modules() {
	local from=$1 copy=$2
	mkdir -p "$copy"
	rsync -rlpc --delete --exclude '*.o' --exclude '*.ko' --exclude '*.mod*' \
		--exclude '.*' --exclude 'Module.symvers' --exclude 'modules.order' \
		"$from/" "$copy/"
	make -C "$BUILD_DIR" M="$copy" CC="$TARGET_CC" "${KARCH[@]}" -j"$JOBS" modules
}

elapsed() { echo "$(( $(date +%s) - $1 ))s"; }
