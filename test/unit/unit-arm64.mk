# test/unit/unit-arm64.mk: host unit tests of the arm64 loader (cmocka),
# included by the top Makefile (or: make -f Makefile -f test/unit/unit-arm64.mk).
# Each test/unit/arm64/test_*.c is one binary linked against
# libkexshim-arm64-test.a: the generic boot/ sources (minus main.c),
# boot/kexec/, boot/arch/arm64/ and the purgatory's sha256, built for the
# host with ASan/UBSan.  The embedded purgatory blob is the x86_64 one, as in
# unit.mk: these tests never run it, they only need the loader to link.
# Tests find the real Debian arm64 kernel through $KEXSHIM_KERNEL_DIR_ARM64.
UA := build/test/arm64
# The host is x86_64: it links x86_64's (portable) SHA-256 block function in
# place of arm64's, whose instructions it lacks.
UNIT_ARM64_LIB_SRCS := $(filter-out boot/main.c boot/arch/arm64/sha256_blocks.c, \
	$(wildcard boot/*.c boot/kexec/*.c boot/arch/arm64/*.c)) purgatory/sha256.c \
	boot/arch/x86_64/sha256_blocks.c
UNIT_ARM64_CFLAGS := -O1 -g -std=gnu11 $(WARN) $(COMMON_CPPFLAGS) -MMD -MP \
	-fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=all
UNIT_ARM64_LIBS := -lcmocka -lfdt -lz -lzstd -llzma
UNIT_ARM64_LIB_OBJS := $(patsubst %.c,$(UA)/obj/%.o,$(UNIT_ARM64_LIB_SRCS)) \
	$(UA)/obj/boot/kexec/purgatory_blob.o
UNIT_ARM64_TESTS := $(patsubst test/unit/arm64/%.c,$(UA)/%, \
	$(wildcard test/unit/arm64/test_*.c))

.PHONY: check-unit-arm64

$(UA)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	$(Q)$(HOSTCC) $(UNIT_ARM64_CFLAGS) -c -o $@ $<

$(UA)/obj/boot/kexec/purgatory_blob.o: boot/kexec/purgatory_blob.S \
		build/x86_64/purgatory.bin
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) -c -DPURGATORY_BIN='"build/x86_64/purgatory.bin"' -o $@ $<

$(UA)/libkexshim-arm64-test.a: $(UNIT_ARM64_LIB_OBJS)
	@rm -f $@
	$(Q)ar rcs $@ $^

$(UA)/test_%: $(UA)/obj/test/unit/arm64/test_%.o $(UA)/libkexshim-arm64-test.a
	@echo "  HOSTLD  $@"
	$(Q)$(HOSTCC) -fsanitize=address,undefined -o $@ $^ $(UNIT_ARM64_LIBS)

check-unit-arm64: $(UNIT_ARM64_TESTS)
	@KEXSHIM_KERNEL_DIR_ARM64="$$(tools/fetch-kernel arm64)" \
		KEXSHIM_TOP="$(CURDIR)" test/unit/run $(UNIT_ARM64_TESTS)
