# test/unit/: host unit tests (cmocka).  Each test/unit/test_*.c is one
# binary linked against libkexshim-test.a: every boot/ source except main.c,
# built for the host with ASan/UBSan, plus the shared parsers of efi/ and
# the purgatory's sha256.  Tests find fixtures through $KEXSHIM_TOP and the
# real Debian kernel through $KEXSHIM_KERNEL_DIR (tools/fetch-kernel).
UNIT_ARCH := x86_64
UNIT_LIB_SRCS := $(filter-out boot/main.c,$(wildcard boot/*.c boot/kexec/*.c \
	boot/arch/$(UNIT_ARCH)/*.c)) purgatory/sha256.c purgatory/verify.c purgatory/print.c $(wildcard efi/shimconf.c)
UNIT_CFLAGS := -O1 -g -std=gnu11 $(WARN) $(COMMON_CPPFLAGS) -Iefi -MMD -MP \
	-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
UNIT_LIB_OBJS := $(patsubst %.c,$(T)/obj/%.o,$(UNIT_LIB_SRCS)) \
	$(T)/obj/boot/kexec/purgatory_blob.o
UNIT_TESTS := $(patsubst test/unit/%.c,$(T)/%,$(wildcard test/unit/test_*.c))

$(T)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	$(Q)$(HOSTCC) $(UNIT_CFLAGS) -c -o $@ $<

$(T)/obj/boot/kexec/purgatory_blob.o: boot/kexec/purgatory_blob.S build/$(UNIT_ARCH)/purgatory.bin
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) -c -DPURGATORY_BIN='"build/$(UNIT_ARCH)/purgatory.bin"' -o $@ $<

build/$(UNIT_ARCH)/purgatory.bin: $(if $(filter $(UNIT_ARCH),$(ARCH)),,unit-purgatory)
.PHONY: unit-purgatory
unit-purgatory:
	$(MAKE) ARCH=$(UNIT_ARCH) build/$(UNIT_ARCH)/purgatory.bin

$(T)/libkexshim-test.a: $(UNIT_LIB_OBJS)
	@rm -f $@
	$(Q)ar rcs $@ $^

$(T)/test_%: $(T)/obj/test/unit/test_%.o $(T)/libkexshim-test.a
	@echo "  HOSTLD  $@"
	$(Q)$(HOSTCC) -fsanitize=address,undefined -o $@ $^ -lcmocka

check-unit: $(UNIT_TESTS)
	@KEXSHIM_KERNEL_DIR="$$(tools/fetch-kernel x86_64)" KEXSHIM_TOP="$(CURDIR)" \
		test/unit/run $(UNIT_TESTS)
