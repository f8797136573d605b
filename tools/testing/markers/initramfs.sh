#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Build a gzip'd newc initramfs for the x86_64 test kernel (ARCH=arm64:
# for the arm64 one, out/initramfs/markers-arm64.cpio.gz by default).
#
#   initramfs.sh [-o OUT.cpio.gz] [-m DIR_WITH_KO]... [-s SCRIPT] [-c BIN]...
#                [-b BOOTCONFIG]
#
# Contents: static busybox (+ applet links), /init (init.sh), guest/*.c
# built as /bin/* (mwrite, ...), modules_install of out/build-x86 (or
# out/build-x86-VARIANT) in /lib/modules, samples/markers/*.ko in
# /modules/samples, out/test-modules/*/*.ko (tools/testing/markers/modules
# and sec, built by build.sh) and -m modules in /modules/extra, vm/*.sh in
# /tests
# (only those named in VM_TESTS, if set), demo.sh as /demo.sh, -s SCRIPT as
# /script.sh, selftests' ktap_helpers.sh as /lib/ktap_helpers.sh, the
# tree's tools/testing/selftests/ftrace as /ftrace, and the host's
# trace-cmd and perf with their shared libraries (12 MB more compressed,
# 36 MB more unpacked in the guest's RAM). For arm64: busybox from
# busybox-static:arm64 (unpacked by deps.sh), the helpers built with
# aarch64-linux-gnu-gcc, the modules of out/build-arm64 and
# out/test-modules-arm64, and no trace-cmd or perf (the host's are x86
# binaries: the demo skips them, vm/55-trace-clients.sh reports them missing).
# -c BIN: one more host program, with its libraries, at the same path (the
# bpftrace boot of make check: -c /usr/bin/bpftrace).
# -b FILE: bootconfig FILE appended to the initramfs, as tools/bootconfig
# -a does (the kernel reads it with "bootconfig" on its command line).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

out="$OUT/initramfs/markers${ARCH_TAG:+-$ARCH_TAG}.cpio.gz"
extra=() script= clients=() bconf=
while getopts o:m:s:c:b: opt; do
	case $opt in
	o) out=$OPTARG ;;
	m) extra+=("$OPTARG") ;;
	s) script=$OPTARG ;;
	c) clients+=("$OPTARG") ;;
	b) bconf=$OPTARG ;;
	*) die "usage: $0 [-o out.cpio.gz] [-m dir]... [-s script] [-c bin]... [-b bootconfig]" ;;
	esac
done
[ -f "$KIMAGE_PATH" ] || die "no kernel built (run: make build)"
[ -x "$BUSYBOX" ] || die "no $BUSYBOX (run: make deps)"

root="$OUT/initramfs/root-$(basename "$out" .cpio.gz)"
rm -rf "$root"
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,lib,proc,sys,dev,tmp,tests} \
	"$root"/modules/{samples,extra}
cp "$BUSYBOX" "$root/bin/busybox"
# The applets are listed by the host's busybox: the arm64 one does not run
# here, and Debian builds both from one source and configuration.
for a in $(/bin/busybox --list-full); do
	[ -e "$root/$a" ] || ln -s /bin/busybox "$root/$a"
done
install -m 755 "$WB/init.sh" "$root/init"
# guest tools (guest/NAME.c -> /bin/NAME), e.g. mwrite: writes and reports
# errno by name, for the debugfs tests
for c in "$WB"/guest/*.c; do
	$GUEST_CC -static -O2 -Wall -Werror -o "$root/bin/$(basename "$c" .c)" "$c"
done
cp "$SRC/tools/testing/selftests/kselftest/ktap_helpers.sh" "$root/lib/"
# ok(), is() and skip() for the vm/*.sh scripts
install -m 644 "$WB/guest/ktap.sh" "$root/lib/markers-ktap.sh"
# the tree's ftrace selftests, ftracetest and its test.d (with the markers'
# own test.d/markers), for vm/56-ftracetest.sh: shell scripts only
cp -r "$SRC/tools/testing/selftests/ftrace" "$root/ftrace"

# copy_client BIN [AS]: a host binary at the same path in the guest (or at
# AS), with its shared-library closure (ldd) and the dynamic loader, for
# vm/55-trace-clients.sh; a missing client is logged and left out (the
# test then reports it "not ok ... # client missing")
copy_client() {
	local bin=$1 as=${2:-$1} lib
	if [ ! -x "$bin" ]; then
		log "initramfs: $bin missing on the host, not in the guest"
		return 0
	fi
	mkdir -p "$root$(dirname "$as")"
	rm -f "$root$as"	# never write through a busybox applet link
	cp -L "$bin" "$root$as"
	ldd "$bin" | grep 'not found' | sed "s|^|== initramfs: $bin: |" || true
	for lib in $(ldd "$bin" | grep -o '/[^ ]*'); do
		[ -e "$root$lib" ] && continue
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
	done
}
if [ "$ARCH" = x86_64 ]; then
	copy_client /usr/bin/trace-cmd
	# perf: Debian 12's linux-perf ships the binary as /usr/bin/perf; older
	# packages have a shell wrapper there that runs /usr/bin/perf_VERSION
	perf=/usr/bin/perf
	if [ -f $perf ] && [ "$(head -c 4 $perf | tail -c 3)" != ELF ]; then
		perf=$(ls /usr/bin/perf_[0-9]* 2>/dev/null | sort -V | tail -n 1)
	fi
	copy_client "${perf:-/usr/bin/perf_VERSION}" /usr/bin/perf
else
	log "initramfs: no trace-cmd or perf for $ARCH (the host's are x86_64)"
fi
for c in "${clients[@]}"; do
	[ -x "$c" ] || die "-c $c: no such program on the host"
	copy_client "$c"
done

if grep -q '^CONFIG_MODULES=y' "$BUILD_DIR/.config"; then
	kmake "$BUILD_DIR" -s INSTALL_MOD_PATH="$root" modules_install >/dev/null
	find "$BUILD_DIR/samples/markers" -name '*.ko' \
		-exec cp {} "$root/modules/samples/" \; 2>/dev/null || true
fi
for d in "$TEST_MODULES" "${extra[@]}"; do
	[ -d "$d" ] || continue
	find "$d" -name '*.ko' -exec cp {} "$root/modules/extra/" \;
done
# VM_TESTS="10-module-lifecycle ...": only these vm/*.sh scripts (default
# all but those of OWN_BOOT_TESTS, which need an initramfs of their own)
for t in "$WB"/vm/*.sh; do
	name=$(basename "$t" .sh)
	if [ -n "${VM_TESTS:-}" ]; then
		case " $VM_TESTS " in *" $name "*) ;; *) continue ;; esac
	else
		case " $OWN_BOOT_TESTS " in *" $name "*) continue ;; esac
	fi
	install -m 755 "$t" "$root/tests/"
done
install -m 755 "$WB/demo.sh" "$root/demo.sh"
[ -z "$script" ] || install -m 755 "$script" "$root/script.sh"

mkdir -p "$(dirname "$out")"
# gzip -6: with perf's libraries (43 MB in all), -9 takes 25 s for 0.7% less
(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet | gzip -6n) > "$out.tmp"
# bootconfig's trailer (init/main.c, get_boot_config_from_initrd()): the
# text, NUL-terminated and padded with NULs to end 4-byte aligned, its size
# and byte sum as little-endian u32, then the magic
[ -z "$bconf" ] || python3 - "$bconf" "$out.tmp" <<'PY'
import struct, sys
text = open(sys.argv[1], 'rb').read() + b'\0'
with open(sys.argv[2], 'ab') as f:
    text += b'\0' * (-(f.tell() + len(text)) % 4)
    f.write(text + struct.pack('<II', len(text), sum(text)) + b'#BOOTCONFIG\n')
PY
mv "$out.tmp" "$out"
size=$(stat -c %s "$out")
n_tests=$(ls "$root/tests" | wc -l)
n_samples=$(ls "$root/modules/samples" | wc -l)
n_extra=$(ls "$root/modules/extra" | wc -l)
log "initramfs: ${out#$REPO/} ($size bytes; $n_tests test script(s)," \
    "$n_samples sample + $n_extra extra module(s))"
