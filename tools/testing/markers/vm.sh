#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Boot out/build-x86's bzImage in QEMU (TCG, -smp 2, qboot, -nographic);
# ARCH=arm64: out/build-arm64's Image on the virt machine (console ttyAMA0),
# initramfs markers-arm64.cpio.gz, logs out/logs/vm-MODE-arm64.log.
#
#   vm.sh demo   [-i initrd]   transcript to stdout + out/logs/vm-demo.log;
#                              exit 0 only on the guest's "DEMO: OK" line
#   vm.sh test   [-i initrd]   console log to out/logs/vm-test.log (make
#                              check parses it); exit status of QEMU
#   vm.sh script -i initrd     out/logs/vm-script.log; exits with the
#                              guest's "VM-TEST-STATUS: <n>" (125 if missing)
#   vm.sh shell  [-i initrd]   interactive; quit with `reboot -f` or Ctrl-A x
#
# Environment: VM_TIMEOUT (s, batch modes), RUN_TIMEOUT (s, shell),
# VM_MEM (default 512M), VM_SMP (default 2), QEMU_EXTRA (more QEMU options,
# e.g. "-icount shift=0" with VM_SMP=1), KERNEL_ARGS (appended to the
# kernel command line), VM_TAG (batch modes: log out/logs/vm-MODE-TAG.log).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

mode=${1:?usage: vm.sh demo|test|script|shell [-i initrd]}; shift
initrd="$OUT/initramfs/markers${ARCH_TAG:+-$ARCH_TAG}.cpio.gz"
while getopts i: opt; do
	case $opt in i) initrd=$OPTARG ;; *) die "bad option" ;; esac
done
kernel=$KIMAGE_PATH
[ -f "$kernel" ] || die "no kernel: run make build"
[ -f "$initrd" ] || die "no initramfs $initrd: run make initramfs"
if [ "$ARCH" = x86_64 ]; then
	bios=/usr/share/qemu/qboot.rom
	[ -f "$bios" ] || bios=$(dpkg -L qemu-system-data | grep -m1 '/qboot.rom$')
	console=ttyS0
else
	console=ttyAMA0
fi

append="console=$console panic=-1 workbench.mode=$mode"
case $mode in demo|shell) append+=" quiet" ;; esac
append+=" ${KERNEL_ARGS:-}"
# Two vCPUs, run by one host thread: QEMU 7.2's multi-threaded TCG lets a
# vCPU execute a stale INT3 after text_poke_bp() has removed it and synced
# every CPU, which oopses a stock static key toggled while another vCPU
# runs through it (measured 2026-11-23; fine with thread=single).
if [ "$ARCH" = x86_64 ]; then
	qemu=(qemu-system-x86_64 -M pc -accel "${VM_ACCEL:-tcg,thread=single}"
	      -m "${VM_MEM:-512M}" -smp "${VM_SMP:-2}"
	      -bios "$bios" -nographic -no-reboot
	      -device isa-debug-exit,iobase=0xf4,iosize=0x04
	      -kernel "$kernel" -initrd "$initrd" -append "$append"
	      ${QEMU_EXTRA:-})
else
	# arm64 too keeps one host thread until patching under MTTCG is shown
	# sound there; pauth-impdef=on: QEMU 7.2's architected pointer
	# authentication is very slow. virt boots the Image directly (no
	# firmware) and leaves on reboot -f (PSCI) with -no-reboot.
	qemu=(qemu-system-aarch64 -M virt -cpu max,pauth-impdef=on
	      -accel "${VM_ACCEL:-tcg,thread=single}"
	      -m "${VM_MEM:-512M}" -smp "${VM_SMP:-2}"
	      -nographic -no-reboot
	      -kernel "$kernel" -initrd "$initrd" -append "$append"
	      ${QEMU_EXTRA:-})
fi

if [ "$mode" = shell ]; then
	log "vm: interactive shell (quit: reboot -f, or Ctrl-A x)"
	exec timeout --foreground "${RUN_TIMEOUT:-14400}" "${qemu[@]}"
fi

logf="$LOGS/vm-$mode${ARCH_TAG:+-$ARCH_TAG}${VM_TAG:+-$VM_TAG}.log"
t0=$(date +%s)
log "vm: booting ($mode mode, timeout ${VM_TIMEOUT}s, log ${logf#$REPO/})"
set +e
# tr line-buffered: to a pipe it would hold the last 4 KiB back, and a
# guest that prints nothing for minutes (the module churn) would look hung
timeout -k 10 "$VM_TIMEOUT" "${qemu[@]}" < /dev/null 2>&1 |
	stdbuf -oL tr -d '\r' | tee "$logf"
rc=${PIPESTATUS[0]}
set -e
log "vm: QEMU exited with status $rc after $(elapsed "$t0")"
[ "$rc" != 124 ] || echo "vm: TIMEOUT after ${VM_TIMEOUT}s" | tee -a "$logf"
grep -q '^WORKBENCH: done' "$logf" ||
	echo "vm: the guest never finished /init (crash, panic or timeout)"

case $mode in
demo)
	if grep -q '^DEMO: OK$' "$logf"; then log "demo: OK"; exit 0; fi
	log "demo: FAILED"; exit 1 ;;
script)
	st=$(sed -n 's/^VM-TEST-STATUS: \([0-9]*\)$/\1/p' "$logf" | tail -1)
	if [ -z "$st" ]; then
		log "vm-test: no VM-TEST-STATUS line (guest crashed or timed out)"
		exit 125
	fi
	log "vm-test: script exited with status $st"
	exit "$st" ;;
*)	exit "$rc" ;;
esac
