# test/qemu/: end-to-end chains under QEMU + UEFI firmware, and `make run`.
#   make run          install deps, fetch the Debian kernel, build, make the
#                     ESP and boot it (serial on this terminal, 1 GiB)
#   make check-qemu   the x86_64 chain tests (test/qemu/chain-x86_64.sh);
#                     QUICK=1 skips the whole-disk run, TIMEOUT=s per boot
#   make qemu-images  only the images, in build/qemu/$(ARCH)/
QEMU_DIR := build/qemu/$(ARCH)
QEMU_KDIR := build/cache/kernel-$(ARCH)
TARGET_INIT := $(QEMU_DIR)/target-init
# SHA-256 is the project's own; the expected digest comes from coreutils'
# sha256sum (test/qemu/mkimages.sh), an independent implementation.
TARGET_INIT_SRCS := test/qemu/target-init.c purgatory/sha256.c boot/kexec/sha256_blocks.c

.PHONY: qemu-images

$(QEMU_KDIR)/.done:
	$(Q)tools/fetch-kernel $(ARCH) >/dev/null

# The target's /init: static, no libraries in the target initramfs.
$(TARGET_INIT): $(TARGET_INIT_SRCS) include/kexshim/sha256.h
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)$(CC) -static -O2 -std=gnu11 $(WARN) -Iinclude -o $@ $(TARGET_INIT_SRCS)

$(QEMU_DIR)/images.stamp: $(B)/kexshim.efi $(B)/kexshim $(TARGET_INIT) \
		$(QEMU_KDIR)/.done tools/mkinitramfs tools/mkesp test/qemu/mkimages.sh
	@echo "  IMAGES  $(QEMU_DIR)"
	$(Q)test/qemu/mkimages.sh $(ARCH) $(B) $(QEMU_KDIR) $(TARGET_INIT) $(QEMU_DIR)
	$(Q)touch $@

qemu-images: $(QEMU_DIR)/images.stamp

check-qemu:
	$(Q)$(MAKE) --no-print-directory ARCH=x86_64 qemu-images
	$(Q)test/qemu/chain-x86_64.sh build/qemu/x86_64

run:
	$(Q)tools/install-deps
	$(Q)tools/fetch-kernel $(ARCH) >/dev/null
	$(Q)$(MAKE) --no-print-directory ARCH=$(ARCH) qemu-images
	@echo "run: booting $(QEMU_DIR)/esp-gpt.img (QEMU exits when the target powers off)"
	$(Q)tools/run-qemu --arch $(ARCH) --disk $(QEMU_DIR)/esp-gpt.img --mem 1G --smp 2
