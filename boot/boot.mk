# boot/: the userspace program `kexshim` (PID 1 in the shim, a CLI anywhere).
# Every .c in the folders of boot/ (one per concern, see DESIGN.md), this
# arch's boot/arch/<arch>/ and common/ is part of it; the purgatory blob is
# embedded by boot/kexec/purgatory_blob.S.
BOOT_SRCS := $(wildcard boot/*/*.c boot/arch/$(ARCH)/*.c common/*.c)
# SHA-256 as the loader links it (also the QEMU target's checker): the
# portable rounds, this arch's block function and, on arm64, the SHA-2
# instruction rounds the purgatory uses too.
SHA256_SRCS := common/sha256.c boot/arch/$(ARCH)/sha256_blocks.c \
	$(wildcard common/arch/$(ARCH)/*.S)
BOOT_ASM_OBJS := $(patsubst %.S,$(B)/obj/%.o,$(wildcard common/arch/$(ARCH)/*.S))
BOOT_OBJS := $(patsubst %.c,$(B)/obj/%.o,$(BOOT_SRCS)) $(BOOT_ASM_OBJS) \
	$(B)/obj/boot/kexec/purgatory_blob.o
BOOT_MAIN := $(B)/obj/boot/cli/main.o
# Everything but main() in one archive: the link takes only what main()
# reaches, so x86_64 leaves out what only arm64's code calls (libfdt).
BOOT_CFLAGS := -O2 -g -std=gnu11 $(WARN) $(COMMON_CPPFLAGS) -MMD -MP
# Stripped: it is the whole initramfs userland; gdb can use the objects.
BOOT_LDFLAGS := -static -s
# mbedTLS: HTTPS in boot/net/tls.c; X.509, PKCS#7 signatures and
# SHA-1/384/512 in boot/secure/.
BOOT_LDLIBS := -lblkid -lfdt -lz -lzstd -llzma -lmbedtls -lmbedx509 -lmbedcrypto
ifeq ($(ARCH),arm64)
# libfdt.a comes from build/sysroot-arm64 (see tools/install-deps).
BOOT_LDFLAGS += -Lbuild/sysroot-arm64/usr/lib/aarch64-linux-gnu
endif

$(B)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)$(CC) $(BOOT_CFLAGS) -c -o $@ $<

$(B)/obj/%.o: %.S
	@mkdir -p $(dir $@)
	@echo "  AS      $@"
	$(Q)$(CC) -c -o $@ $<

$(B)/obj/boot/kexec/purgatory_blob.o: boot/kexec/purgatory_blob.S $(B)/purgatory.bin
	@mkdir -p $(dir $@)
	@echo "  AS      $@"
	$(Q)$(CC) -c -DPURGATORY_BIN='"$(B)/purgatory.bin"' -o $@ $<

$(B)/libkexshim.a: $(filter-out $(BOOT_MAIN),$(BOOT_OBJS))
	@rm -f $@
	$(Q)$(CROSS_COMPILE)ar rcs $@ $^

$(B)/kexshim: $(BOOT_MAIN) $(B)/libkexshim.a
	@echo "  LD      $@"
	$(Q)$(CC) $(BOOT_LDFLAGS) -o $@ $^ $(BOOT_LDLIBS)
