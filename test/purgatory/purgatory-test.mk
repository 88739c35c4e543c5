# test/purgatory/purgatory-test.mk: the arm64 purgatory run bare-metal
# under QEMU (test/purgatory/run-arm64.sh), included by the top Makefile.
#   make check-purgatory-arm64    build what it needs for arm64, run it
# Works from any ARCH: it calls make again with ARCH=arm64, passing this
# fragment explicitly (harmless when the Makefile includes it too: guarded).
ifndef PURGATORY_TEST_MK
PURGATORY_TEST_MK := 1

PT := build/arm64/test/purgatory
PT_MAKE := $(MAKE) --no-print-directory -f Makefile \
	-f test/purgatory/purgatory-test.mk ARCH=arm64

.PHONY: check-purgatory-arm64 purgatory-test-arm64
check-purgatory-arm64:
	$(Q)$(PT_MAKE) purgatory-test-arm64
	$(Q)test/purgatory/run-arm64.sh build/arm64/purgatory.bin \
		$(PT)/purgatory-generic.bin $(PT)/fake-kernel.bin \
		$(PT)/fp-trap.bin $(PT)

ifeq ($(ARCH),arm64)
purgatory-test-arm64: $(B)/purgatory.bin $(PT)/purgatory-generic.bin \
	$(PT)/fake-kernel.bin $(PT)/fp-trap.bin

# The portable-C purgatory: the same objects, except that sha256_blocks.c
# is built to never probe for the SHA-2 instructions.  Test-only: no QEMU
# CPU model lacks them, and the blob kexshim embeds stays the one above.
PT_GENERIC_OBJS := $(filter-out $(B)/pobj/purgatory/arch/arm64/sha256_blocks.o, \
	$(PURGATORY_OBJS)) $(PT)/sha256_blocks_generic.o

$(PT)/sha256_blocks_generic.o: purgatory/arch/arm64/sha256_blocks.c
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)$(CC) $(PURGATORY_CFLAGS) -DPURGATORY_SHA256_GENERIC -c -o $@ $<

$(PT)/purgatory-generic.elf: $(PT_GENERIC_OBJS) $(PURGATORY_LDS)
	@echo "  LD      $@"
	$(Q)$(LD) $(PURGATORY_LDFLAGS) -o $@ $(PT_GENERIC_OBJS)

$(PT)/purgatory-generic.bin: $(PT)/purgatory-generic.elf
	@echo "  OBJCOPY $@"
	$(Q)$(OBJCOPY) -O binary $< $@

# The stand-in kernel and the FP-trapping pre-entry stub: position
# independent, linked at 0, raw binaries.
$(PT)/%.elf: test/purgatory/%-arm64.S
	@mkdir -p $(dir $@)
	@echo "  AS      $@"
	$(Q)$(CC) -nostdlib -static -Wl,--build-id=none -Wl,-Ttext=0 -o $@ $<

$(PT)/fake-kernel.bin $(PT)/fp-trap.bin: $(PT)/%.bin: $(PT)/%.elf
	@echo "  OBJCOPY $@"
	$(Q)$(OBJCOPY) -O binary -j .text $< $@
endif

endif
