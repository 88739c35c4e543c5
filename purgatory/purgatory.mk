# purgatory/: the flat, position-independent blob kexec runs between the shim
# kernel and the target ($(B)/purgatory.bin, embedded in kexshim by
# boot/kexec/purgatory_blob.S).  Every purgatory/*.c plus this arch's
# purgatory/arch/$(ARCH)/*.{c,S} and the freestanding common/ code, linked at
# 0 by linker/purgatory-$(ARCH).lds.  Objects go to $(B)/pobj/ (built with
# the purgatory's flags, apart from the kexshim program's $(B)/obj/).
PURGATORY_SRCS := $(wildcard purgatory/*.c purgatory/arch/$(ARCH)/*.c \
	purgatory/arch/$(ARCH)/*.S common/arch/$(ARCH)/*.S) common/sha256.c
PURGATORY_OBJS := $(patsubst %,$(B)/pobj/%.o,$(basename $(PURGATORY_SRCS)))
PURGATORY_LDS := linker/purgatory-$(ARCH).lds
PURGATORY_ELF := $(B)/purgatory/purgatory.elf
READELF := $(CROSS_COMPILE)readelf

# Per-arch flags first: PURGATORY_CFLAGS below expands them at once (:=).
PURGATORY_CFLAGS_x86_64 := -mno-red-zone -mcmodel=small
# arm64 starts with the MMU off (and stays so when it cannot map what it
# hashes), where every data access is Device-nGnRnE and an unaligned one
# faults: -mstrict-align keeps GCC from merging byte
# accesses (the packed args, load_be32) into unaligned wider ones.  The
# small code model's adrp needs the 4 KiB-aligned load that entry.S checks.
# No outline atomics: they would call libgcc helpers that are not there.
PURGATORY_CFLAGS_arm64 := -mstrict-align -mcmodel=small -mno-outline-atomics \
	-mbranch-protection=none
# As Linux's purgatory: no libc, no SSE/FP state, no stack protector (no TLS
# canary to read), everything hidden so code reaches data RIP-/PC-relative,
# no jump tables (tables of absolute addresses) and no unwind tables.
# -fno-tree-loop-distribute-patterns keeps GCC from turning string.c's loops
# into calls to themselves.
PURGATORY_CFLAGS := -std=gnu11 -O2 -g $(WARN) -I. -Iinclude -Ipurgatory \
	-include purgatory/hidden.h -MMD -MP \
	-ffreestanding -fno-builtin -nostdlib -fno-stack-protector \
	-fpic -fvisibility=hidden -mgeneral-regs-only \
	-fno-asynchronous-unwind-tables -fno-unwind-tables -fno-jump-tables \
	-fno-tree-loop-distribute-patterns -fno-common -fcf-protection=none \
	$(PURGATORY_CFLAGS_$(ARCH))
# -pie makes ld turn any absolute address into a .rela.dyn entry, which the
# linker script then rejects; a plain static link would silently bake in
# link-time (address 0) values.
# arm64: Cortex-A53 erratum 843419 (an adrp in one of a page's last two
# words, then a load or store through it, may use a wrong address): ld
# rewrites any such sequence, as arch/arm64/Makefile has it do for Linux.
# Today it finds none: the blob is the same bytes with or without.
PURGATORY_LDFLAGS_arm64 := --fix-cortex-a53-843419
PURGATORY_LDFLAGS := -static -pie --no-dynamic-linker -z noexecstack \
	-z norelro --no-warn-rwx-segments --build-id=none --no-undefined \
	$(PURGATORY_LDFLAGS_$(ARCH)) -T $(PURGATORY_LDS)

$(B)/pobj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)$(CC) $(PURGATORY_CFLAGS) -c -o $@ $<

$(B)/pobj/%.o: %.S
	@mkdir -p $(dir $@)
	@echo "  AS      $@"
	$(Q)$(CC) $(PURGATORY_CFLAGS) -c -o $@ $<

# The ASSERTs in the linker script are the first line of defence; readelf
# double-checks that no relocation section of any kind survived.
$(PURGATORY_ELF): $(PURGATORY_OBJS) $(PURGATORY_LDS)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	$(Q)$(LD) $(PURGATORY_LDFLAGS) -o $@ $(PURGATORY_OBJS)
	$(Q)if $(READELF) -r $@ | grep -q 'Relocation section'; then \
		echo "purgatory: $@ has relocations:" >&2; \
		$(READELF) -r $@ >&2; rm -f $@; exit 1; fi

$(B)/purgatory.bin: $(PURGATORY_ELF)
	@echo "  OBJCOPY $@"
	$(Q)$(OBJCOPY) -O binary $< $@
