# efi/: kexshim.efi, the gnu-efi 3.0.15 loader that starts the shim Linux.
# Every efi/*.c is part of it (shimconf.c is also built into the host unit
# tests, see test/unit/unit.mk).  Objects go to $(B)/efi/.
#
# gnu-efi builds a shared ELF object against its own linker script and crt0,
# then objcopy turns it into a PE/COFF image (see shared/reference/FACTS.md):
#   x86_64  objcopy --target efi-app-x86_64 writes the PE header.
#   arm64   crt0 carries a handmade PE header (two sections, .text and
#           .data, no base relocations: crt0 relocates itself from .rela.*);
#           objcopy -O binary the sections and pad to a multiple of 512 bytes
#           or AAVMF says Unsupported.  gnu-efi:arm64 collides with the amd64
#           package, so tools/install-deps unpacks it (dpkg-deb -x) into
#           build/cache/gnu-efi-arm64; point GNUEFI elsewhere to override.

# common/'s freestanding helpers are built with the loader's flags.
EFI_SRCS := $(wildcard efi/*.c) common/guid.c common/utf8.c common/sha256.c
EFI_OBJS := $(patsubst %.c,$(B)/efi/%.o,$(EFI_SRCS))

ifeq ($(ARCH),arm64)
GNUEFI ?= build/cache/gnu-efi-arm64/usr
else
GNUEFI ?= /usr
endif
GNUEFI_INC := $(GNUEFI)/include/efi
GNUEFI_LIB := $(GNUEFI)/lib
EFI_CRT0 := $(GNUEFI_LIB)/crt0-efi-$(EFI_ARCH).o
EFI_LDS := $(GNUEFI_LIB)/elf_$(EFI_ARCH)_efi.lds
EFI_LIBGCC = $(shell $(CC) -print-libgcc-file-name)

# -isystem: gnu-efi's headers are not warning-clean under $(WARN)
EFI_CFLAGS := -O2 -g -std=gnu11 $(WARN) -MMD -MP -I. -Iinclude -Iefi \
	-isystem $(GNUEFI_INC) -isystem $(GNUEFI_INC)/$(EFI_ARCH) \
	-fpic -ffreestanding -fno-stack-protector -fno-stack-check \
	-fshort-wchar
EFI_LDFLAGS := -shared -Bsymbolic -nostdlib -znocombreloc \
	-T $(EFI_LDS) -L$(GNUEFI_LIB)
EFI_SECTIONS := -j .text -j .sdata -j .data -j .dynamic -j .dynsym \
	-j '.rel*' -j '.rela*' -j .reloc

ifeq ($(ARCH),arm64)
EFI_LDFLAGS += --defsym=EFI_SUBSYSTEM=0xa --no-warn-rwx-segments
EFI_SECTIONS += -j .rodata
else
# the firmware calls with the Microsoft x64 convention: EFIAPI is ms_abi,
# and no red zone, since interrupts run on our stack
EFI_CFLAGS += -mno-red-zone -maccumulate-outgoing-args -DGNU_EFI_USE_MS_ABI
endif

$(B)/efi/%.o: %.c
	@mkdir -p $(dir $@)
	@test -f $(GNUEFI_INC)/efi.h || { echo "efi: no gnu-efi headers for" \
		"$(EFI_ARCH) in $(GNUEFI_INC) (run tools/install-deps or" \
		"set GNUEFI=)"; exit 1; }
	@echo "  CC      $@"
	$(Q)$(CC) $(EFI_CFLAGS) -c -o $@ $<

$(B)/kexshim.so: $(EFI_OBJS)
	@test -f $(EFI_CRT0) || { echo "efi: no $(EFI_CRT0) (gnu-efi for" \
		"$(EFI_ARCH); run tools/install-deps or set GNUEFI=)"; exit 1; }
	@echo "  LD      $@"
	$(Q)$(LD) $(EFI_LDFLAGS) -o $@ $(EFI_CRT0) $(EFI_OBJS) \
		-lefi -lgnuefi $(EFI_LIBGCC)

$(B)/kexshim.efi: $(B)/kexshim.so
	@echo "  OBJCOPY $@"
ifeq ($(ARCH),arm64)
	$(Q)$(OBJCOPY) $(EFI_SECTIONS) -O binary $< $@
	$(Q)truncate -s %512 $@
else
	$(Q)$(OBJCOPY) $(EFI_SECTIONS) --target efi-app-$(EFI_ARCH) \
		--subsystem=10 $< $@
endif
