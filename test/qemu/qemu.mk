# test/qemu/: end-to-end chains under QEMU + UEFI firmware, and `make run`.
#   make run          install deps, fetch the Debian kernel, build, bundle,
#                     make the ESP and boot it (serial on this terminal, 1 GiB)
#   make run ARCH=arm64   the same on arm64 (virt + AAVMF)
#   make check-qemu   the chain tests of every arch in QEMU_ARCHS (default
#                     x86_64 arm64): test/qemu/chain-<arch>.sh, then
#                     secure-<arch>.sh (Secure Boot), tpm-<arch>.sh (TPM
#                     measurement), corrupt-<arch>.sh (purgatory refuses a
#                     bad digest) and net-<arch>.sh (network boot) where
#                     the arch has them, each ending with "<suite>-<arch>: N
#                     passed, N failed", in two lanes side by side
#                     (QEMU_LANES) and a summary at the end; QUICK=1 skips
#                     the x86_64 whole-disk run, TIMEOUT=s per boot
#   make qemu-images  only the images, in build/qemu/$(ARCH)/
QEMU_DIR := build/qemu/$(ARCH)
QEMU_KDIR := build/cache/kernel-$(ARCH)
TARGET_INIT := $(QEMU_DIR)/target-init
# SHA-256 is the project's own; the expected digest comes from coreutils'
# sha256sum (test/qemu/mkimages.sh), an independent implementation.
TARGET_INIT_SRCS := test/qemu/target-init.c test/qemu/target-bli.c test/qemu/target-tpm.c \
	test/qemu/target-bootvars.c $(SHA256_SRCS)

.PHONY: qemu-images

$(QEMU_KDIR)/.done:
	$(Q)tools/fetch-kernel $(ARCH) >/dev/null

# The target's /init: static, no libraries in the target initramfs.
$(TARGET_INIT): $(TARGET_INIT_SRCS) common/sha256.h test/qemu/target.h
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)$(CC) -static -O2 -std=gnu11 $(WARN) -I. -Iinclude -o $@ $(TARGET_INIT_SRCS)

$(QEMU_DIR)/images.stamp: $(B)/kexshim.efi $(B)/kexshim $(TARGET_INIT) \
		$(QEMU_KDIR)/.done tools/mkinitramfs tools/mkesp tools/mkdisk \
		test/qemu/mkimages.sh test/qemu/mkdisks.sh test/unit/mkuki \
		test/qemu/qemu.mk tools/build-shim-kernel $(wildcard kernel/*.config)
	@echo "  IMAGES  $(QEMU_DIR)"
	$(Q)k="$$(tools/build-shim-kernel $(ARCH))" && \
		SHIM_KERNEL="$$k" test/qemu/mkimages.sh $(ARCH) $(B) $(QEMU_KDIR) $(TARGET_INIT) $(QEMU_DIR)
	$(Q)touch $@

# The test build of kexshim: kexshim plus test/qemu/test_hooks.c, which
# defines the hooks (kexshim_test.corrupt_digest=N) that kexshim lacks.
$(B)/kexshim-test: $(BOOT_MAIN) $(B)/obj/test/qemu/test_hooks.o $(B)/libkexshim.a
	@echo "  LD      $@"
	$(Q)$(CC) $(BOOT_LDFLAGS) -o $@ $^ $(BOOT_LDLIBS)

# Secure Boot, TPM and purgatory-corruption images (test/qemu/mksecure.sh).
$(QEMU_DIR)/secure.stamp: $(QEMU_DIR)/images.stamp $(B)/kexshim-test \
		test/qemu/mksecure.sh tools/sign-efi tools/mkbundle test/unit/mkuki
	@echo "  SECURE  $(QEMU_DIR)"
	$(Q)k="$$(tools/build-shim-kernel $(ARCH))" && \
		SHIM_KERNEL="$$k" test/qemu/mksecure.sh $(ARCH) $(B) $(QEMU_KDIR) $(TARGET_INIT) $(QEMU_DIR)
	$(Q)touch $@

# Network boot (test/qemu/net-<arch>.sh): the minimal shim kernel with
# the lab CA in its initramfs, the servers' trees, certificates and ESPs,
# from mkimages.sh's images.
$(QEMU_DIR)/net/images.stamp: $(QEMU_DIR)/images.stamp test/qemu/mknetimages.sh \
		test/unit/mkuki
	@echo "  NETIMG  $(QEMU_DIR)/net"
	$(Q)k="$$(tools/build-shim-kernel $(ARCH))" && \
		SHIM_KERNEL="$$k" test/qemu/mknetimages.sh $(ARCH) $(B) $(QEMU_KDIR) $(QEMU_DIR) $(QEMU_DIR)/net
	$(Q)touch $@

qemu-images: $(QEMU_DIR)/images.stamp $(QEMU_DIR)/secure.stamp \
	$(QEMU_DIR)/net/images.stamp

QEMU_ARCHS ?= x86_64 arm64

# Two lanes side by side (test/qemu/run-suites.sh), each a list run in
# order, balanced by the runs' time (about 9 min each here; the arches as
# lanes left x86_64 alone for its last 5 of 11.5 min).  Suites that share
# an image or the TPM state stay in one lane: x86_64's chain and secure
# boot esp-gpt.img, secure and tpm share the swtpm state.
QEMU_LANES := "x86_64:chain x86_64:secure x86_64:tpm" \
	"arm64:chain arm64:secure arm64:corrupt arm64:net x86_64:corrupt x86_64:net"
check-qemu:
	$(Q)for a in $(QEMU_ARCHS); do \
		$(MAKE) --no-print-directory ARCH=$$a qemu-images || exit 1; \
	done
	$(Q)test/qemu/run-suites.sh "$(QEMU_ARCHS)" $(QEMU_LANES)

run:
	$(Q)tools/install-deps
	$(Q)tools/fetch-kernel $(ARCH) >/dev/null
	$(Q)$(MAKE) --no-print-directory ARCH=$(ARCH) qemu-images
	@echo "run: booting $(QEMU_DIR)/esp-bundle.img: the one-file kexshim.efi (QEMU exits when the target powers off)"
	$(Q)tools/run-qemu --arch $(ARCH) --disk $(QEMU_DIR)/esp-bundle.img --mem 1G --smp 2
