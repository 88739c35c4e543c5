# boot/: the userspace program `kexshim` (PID 1 in the shim, a CLI anywhere).
# Every .c under boot/, boot/kexec/ and this arch's boot/arch/<arch>/ is part
# of it; the purgatory blob is embedded by boot/kexec/purgatory_blob.S.
BOOT_SRCS := $(wildcard boot/*.c boot/kexec/*.c boot/arch/$(ARCH)/*.c) \
	purgatory/sha256.c
BOOT_OBJS := $(patsubst %.c,$(B)/obj/%.o,$(BOOT_SRCS)) \
	$(B)/obj/boot/kexec/purgatory_blob.o
BOOT_CFLAGS := -O2 -g -std=gnu11 $(WARN) $(COMMON_CPPFLAGS) -MMD -MP
# Stripped: it is the whole initramfs userland; gdb can use the objects.
BOOT_LDFLAGS := -static -s
BOOT_LDLIBS :=
ifeq ($(ARCH),arm64)
# libfdt.a comes from build/sysroot-arm64 (see tools/install-deps).
BOOT_LDFLAGS += -Lbuild/sysroot-arm64/usr/lib/aarch64-linux-gnu
BOOT_LDLIBS += -lfdt -lz -lzstd -llzma
endif

$(B)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)$(CC) $(BOOT_CFLAGS) -c -o $@ $<

$(B)/obj/boot/kexec/purgatory_blob.o: boot/kexec/purgatory_blob.S $(B)/purgatory.bin
	@mkdir -p $(dir $@)
	@echo "  AS      $@"
	$(Q)$(CC) -c -DPURGATORY_BIN='"$(B)/purgatory.bin"' -o $@ $<

$(B)/kexshim: $(BOOT_OBJS)
	@echo "  LD      $@"
	$(Q)$(CC) $(BOOT_LDFLAGS) -o $@ $^ $(BOOT_LDLIBS)
