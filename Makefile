# kexshim — one build for every part.
#   make [ARCH=x86_64|arm64] [CROSS_COMPILE=...] [V=1]   build build/$(ARCH)/
#   make run   [ARCH=...]   install deps, build, make the ESP, boot it in QEMU
#   make check              every test (unit, fuzz smoke, packaging, QEMU chains)
#   make bundle / install / deb   one signed-able kexshim.efi, install, .deb
#                           (packaging/packaging.mk)
ARCH ?= x86_64
ifeq ($(ARCH),arm64)
CROSS_COMPILE ?= aarch64-linux-gnu-
EFI_ARCH := aarch64
else
CROSS_COMPILE ?=
EFI_ARCH := x86_64
endif

ifeq ($(V),1)
Q :=
else
Q := @
endif

CC      := $(CROSS_COMPILE)gcc
LD      := $(CROSS_COMPILE)ld
OBJCOPY := $(CROSS_COMPILE)objcopy
HOSTCC  ?= gcc

B := build/$(ARCH)
T := build/test

WARN := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wno-unused-parameter -Werror=implicit-function-declaration \
	-Werror=incompatible-pointer-types -Werror=int-conversion
COMMON_CPPFLAGS := -I. -Iinclude -Iboot -D_GNU_SOURCE

.PHONY: all clean run check check-layers check-unit check-cli check-fuzz \
	check-purgatory-arm64 check-qemu check-pkg bench deps shim-kernel
all: $(B)/kexshim $(B)/kexshim.efi

include purgatory/purgatory.mk
include boot/boot.mk
include efi/efi.mk
include test/unit/unit.mk
include test/cli/cli.mk
include test/fuzz/fuzz.mk
include test/purgatory/purgatory-test.mk
include test/qemu/qemu.mk
include bench/bench.mk
include kernel/kernel.mk
include packaging/packaging.mk
include test/pkg/pkg.mk

# Keep intermediate objects (test objects are built through pattern
# chains): a rebuild is then a relink, not a recompile.
.SECONDARY:

deps:
	tools/install-deps

# Every test, in order of cost; each suite prints its own "N passed, N failed";
# the first failing suite ends the run.  The minimal shim kernels (check-pkg
# and check-qemu boot them; 20+ min on 2 cores when not cached) build in the
# background from the start, so they use the core the serial builds leave
# idle and share the time-boxed fuzzing's; their users wait for them on
# tools/build-shim-kernel's lock.  Output: build/shim-kernels.log.
CHECK_SUITES := layers unit cli fuzz pkg purgatory-arm64 qemu
check: deps
	$(Q)mkdir -p build; \
	setsid sh -c 'for a in $(QEMU_ARCHS); do tools/build-shim-kernel $$a || exit 1; done' \
		>build/shim-kernels.log 2>&1 </dev/null & kpid=$$!; \
	trap 'kill -TERM -'$$kpid' 2>/dev/null' EXIT; trap 'exit 130' INT TERM; \
	echo "check: building the shim kernels in the background (build/shim-kernels.log)"; \
	for t in $(CHECK_SUITES); do \
		$(MAKE) check-$$t || exit 1; \
	done

check-layers:
	$(Q)test/layers/check.sh

clean:
	rm -rf build/x86_64 build/arm64 build/test build/fuzz build/qemu \
		build/deb-x86_64 build/deb-arm64 build/kexshim_*.deb

-include $(shell find build/x86_64 build/arm64 build/test build/fuzz build/qemu -type f -name '*.d' 2>/dev/null)
