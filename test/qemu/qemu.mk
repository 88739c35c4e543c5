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
#                     passed, N failed"; QUICK=1 skips the x86_64
#                     whole-disk run, TIMEOUT=s per boot
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

# The arches' suites run side by side (TCG leaves much of a boot on one
# host thread: 24.7 -> 19.1 min on this loaded 2-core host), each line
# prefixed with its arch and kept in build/qemu/check-<arch>.out; every
# suite runs even when an earlier one failed, and the status is the worst.
# The interleaved output buries a failure far above the last line, so the
# end repeats every suite's tally and every failed check, with the serial
# logs (build/qemu/logs/) the failed runs left.
QEMU_SUITES := chain secure tpm corrupt net
check-qemu:
	$(Q)for a in $(QEMU_ARCHS); do \
		$(MAKE) --no-print-directory ARCH=$$a qemu-images || exit 1; \
	done
	$(Q)for a in $(QEMU_ARCHS); do \
		rm -f build/qemu/status-$$a; \
		( st=0; for t in $(QEMU_SUITES); do \
			[ ! -x test/qemu/$$t-$$a.sh ] || \
				test/qemu/$$t-$$a.sh build/qemu/$$a || \
				{ echo "$$t-$$a: exit $$?"; st=1; }; \
		done; echo $$st >build/qemu/status-$$a ) 2>&1 | \
			sed -u "s/^/[$$a] /" | tee build/qemu/check-$$a.out & \
	done; wait
	$(Q)st=0; echo "check-qemu summary:"; for a in $(QEMU_ARCHS); do \
		[ "$$(cat build/qemu/status-$$a 2>/dev/null)" = 0 ] || st=1; \
		grep -E '^\[[a-z0-9_]+\] [a-z0-9_-]+: ([0-9]+ passed, [0-9]+ failed|exit [0-9]+)$$' \
			build/qemu/check-$$a.out; \
	done; \
	for a in $(QEMU_ARCHS); do grep '^\[[a-z0-9_]*\] not ok ' build/qemu/check-$$a.out; done | \
		awk 'NR <= 12; END { if (NR > 12) print "... " NR - 12 " more not ok in build/qemu/check-*.out" }'; \
	exit $$st

run:
	$(Q)tools/install-deps
	$(Q)tools/fetch-kernel $(ARCH) >/dev/null
	$(Q)$(MAKE) --no-print-directory ARCH=$(ARCH) qemu-images
	@echo "run: booting $(QEMU_DIR)/esp-bundle.img: the one-file kexshim.efi (QEMU exits when the target powers off)"
	$(Q)tools/run-qemu --arch $(ARCH) --disk $(QEMU_DIR)/esp-bundle.img --mem 1G --smp 2
