# SPDX-License-Identifier: GPL-2.0
# Kernel markers workbench.  The scripts live in tools/testing/markers/.
WB := tools/testing/markers

.NOTPARALLEL:
.PHONY: help deps prepare build initramfs demo check run patches vm-test bench fuzz clean \
	series-check

help:
	@echo "make demo      build everything, boot the demo in QEMU (guest prints DEMO: OK)"
	@echo "make check     all tests and gates; last line: 'N passed, N failed'"
	@echo "make deps | prepare | build | initramfs | run | patches | bench | fuzz | clean"
	@echo "make series-check   every patch of the exported series builds (markers on, off)"
	@echo "make vm-test MODULES=\"dir...\" SCRIPT=file"
	@echo "ARCH=arm64 make build | initramfs | demo | run | vm-test | bench   the same for arm64"

deps:
	@$(WB)/deps.sh

prepare: deps
	@$(WB)/prepare.sh

build: prepare
	@$(WB)/build.sh

initramfs: build
	@$(WB)/initramfs.sh

demo: initramfs
	@$(WB)/vm.sh demo

check:
	@$(WB)/check.sh

run: initramfs
	@$(WB)/vm.sh shell

patches: prepare
	@python3 $(WB)/export.py

vm-test: build
	@$(WB)/vmtest.sh

# Every patch of the exported series builds, markers on and off.
series-check: build
	@$(WB)/series-check.sh

# Benchmarks (tools/testing/markers/bench.sh): one table, results in out/bench/.
bench: build
	@$(WB)/bench.sh

# Userspace fuzzing (tools/testing/markers/fuzz.sh), FUZZ_SECS per target.
FUZZ_SECS ?= 600
fuzz: prepare
	@$(WB)/fuzz.sh --long $(FUZZ_SECS)

clean:
	rm -rf out/build-x86 out/build-x86-debug out/build-um out/build-gates \
		out/kconfig-x86 out/kconfig-x86-debug out/initramfs out/patches \
		out/vm-test* out/test-modules out/test-modules-debug out/fuzz \
		out/series out/logs \
		out/build-arm64 out/kconfig-arm64 out/test-modules-arm64
