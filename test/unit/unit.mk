# test/unit/: host unit tests (cmocka), laid out like the sources: one
# folder per source folder (config/, disk/, kexec/, ...) plus x86_64/ and
# arm64/ for the arch code.  Each test/unit/<dir>/test_*.c is one binary,
# build/test/<dir>/test_*, linked against the host build of kexshim's code
# for its arch (ASan/UBSan):
#   build/test/x86_64/libkexshim-test.a  every boot/ source but main.c, the
#       x86_64 arch code, common/, the purgatory's verify/print/uart8250
#       and x86_64 page-table code, efi/'s pure parsers (shimconf,
#       devnodes); for arm64/ tests none of x86_64 ...
#   build/test/arm64/libkexshim-test.a   ... but the arm64 arch code (with
#       the portable SHA-256 block function: the host lacks arm64's), and
#       the arm64 purgatory's pure identity-map builder (pgtable, idmap).
# Both carry the x86_64 SHA-NI rounds (common/arch/x86_64/*.S), which the
# x86_64 block function calls when the host CPU has them.
# The embedded purgatory blob is the x86_64 one for both: these tests
# never run it, the loader only needs it to link.  Tests find fixtures
# through $KEXSHIM_TOP and the real Debian kernels through
# $KEXSHIM_KERNEL_DIR / $KEXSHIM_KERNEL_DIR_ARM64 (tools/fetch-kernel),
# payloads nobody here made through $KEXSHIM_MEMTEST_DIR (tools/fetch-deb)
# and UKIs built from systemd's stubs through $KEXSHIM_UKI_DIR (below).
#   make check-unit      every test of both arches
UNIT_CFLAGS := -O1 -g -std=gnu11 $(WARN) $(COMMON_CPPFLAGS) -Iefi -MMD -MP \
	-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
UNIT_LDLIBS := -lcmocka -lblkid -lfdt -lz -lzstd -llzma -lmbedtls -lmbedx509 -lmbedcrypto
UNIT_GENERIC_SRCS := $(filter-out boot/cli/main.c,$(wildcard boot/*/*.c)) \
	$(wildcard common/*.c) purgatory/verify.c purgatory/print.c purgatory/uart8250.c \
	efi/shimconf.c efi/devnodes.c efi/pemem.c efi/pins.c
UNIT_SRCS_x86_64 := $(UNIT_GENERIC_SRCS) $(wildcard boot/arch/x86_64/*.c) \
	purgatory/arch/x86_64/pgtable.c
UNIT_SRCS_arm64 := $(UNIT_GENERIC_SRCS) boot/arch/x86_64/sha256_blocks.c \
	$(filter-out boot/arch/arm64/sha256_blocks.c,$(wildcard boot/arch/arm64/*.c)) \
	purgatory/arch/arm64/pgtable.c purgatory/arch/arm64/idmap.c
UNIT_ASM_SRCS := $(wildcard common/arch/x86_64/*.S)

UNIT_ARM64_TESTS := $(patsubst test/unit/%.c,$(T)/%,$(wildcard test/unit/arm64/test_*.c))
UNIT_X86_64_TESTS := $(patsubst test/unit/%.c,$(T)/%, \
	$(filter-out test/unit/arm64/%,$(wildcard test/unit/*/test_*.c)))

define unit_arch
$(T)/$(1)/obj/%.o: %.c
	@mkdir -p $$(dir $$@)
	@echo "  HOSTCC  $$@"
	$$(Q)$$(HOSTCC) $$(UNIT_CFLAGS) -c -o $$@ $$<

$(T)/$(1)/obj/%.o: %.S
	@mkdir -p $$(dir $$@)
	@echo "  HOSTAS  $$@"
	$$(Q)$$(HOSTCC) -c -o $$@ $$<

$(T)/$(1)/obj/boot/kexec/purgatory_blob.o: boot/kexec/purgatory_blob.S build/x86_64/purgatory.bin
	@mkdir -p $$(dir $$@)
	$$(Q)$$(HOSTCC) -c -DPURGATORY_BIN='"build/x86_64/purgatory.bin"' -o $$@ $$<

$(T)/$(1)/libkexshim-test.a: $$(patsubst %.c,$(T)/$(1)/obj/%.o,$$(UNIT_SRCS_$(1))) \
		$$(patsubst %.S,$(T)/$(1)/obj/%.o,$$(UNIT_ASM_SRCS)) \
		$(T)/$(1)/obj/boot/kexec/purgatory_blob.o
	@rm -f $$@
	$$(Q)ar rcs $$@ $$^
endef
$(eval $(call unit_arch,x86_64))
$(eval $(call unit_arch,arm64))

# A test's own object is built with its arch's rule; arm64/ tests link the
# arm64 library, every other folder the x86_64 one.
$(T)/arm64/test_%: $(T)/arm64/obj/test/unit/arm64/test_%.o $(T)/arm64/libkexshim-test.a
	@echo "  HOSTLD  $@"
	$(Q)$(HOSTCC) -fsanitize=address,undefined -o $@ $^ $(UNIT_LDLIBS)

$(T)/%: $(T)/x86_64/obj/test/unit/%.o $(T)/x86_64/libkexshim-test.a
	@mkdir -p $(dir $@)
	@echo "  HOSTLD  $@"
	$(Q)$(HOSTCC) -fsanitize=address,undefined -o $@ $^ $(UNIT_LDLIBS)

build/x86_64/purgatory.bin: $(if $(filter x86_64,$(ARCH)),,unit-purgatory)
.PHONY: unit-purgatory
unit-purgatory:
	$(MAKE) ARCH=x86_64 build/x86_64/purgatory.bin

check-unit: $(UNIT_X86_64_TESTS) $(UNIT_ARM64_TESTS) $(T)/uki/.stamp $(T)/signed/.stamp \
		$(T)/measured/.stamp
	@KEXSHIM_UKI_DIR="$(CURDIR)/$(T)/uki" KEXSHIM_KERNEL_DIR="$$(tools/fetch-kernel x86_64)" \
		KEXSHIM_SIGNED_DIR="$(CURDIR)/$(T)/signed" \
		KEXSHIM_MEASURED_DIR="$(CURDIR)/$(T)/measured" \
		KEXSHIM_KERNEL_DIR_ARM64="$$(tools/fetch-kernel arm64)" \
		KEXSHIM_MEMTEST_DIR="$$(tools/fetch-deb memtest86+:amd64)" \
		KEXSHIM_TOP="$(CURDIR)" test/unit/run $(UNIT_X86_64_TESTS) $(UNIT_ARM64_TESTS)

# UKIs for test/unit/config/test_uki.c and test/unit/image/test_uki.c, made
# by test/unit/mkuki (objcopy, as the UKI spec says one can) from
# systemd-boot-efi's stubs and the real Debian kernels, with Debian's own
# os-release and a devicetree from Debian's arm64 kernel package:
#   x64.efi           .osrel .cmdline .uname .ucode .initrd .linux
#   x64-profiles.efi  the spec's multi-profile example: a base with .osrel,
#                     .cmdline, .initrd, .linux, then @0 (ID, TITLE), @1 and
#                     @2 with their own .cmdline (@2 its own .initrd too),
#                     @3 with an empty .profile
#   image.efi         .osrel with NAME, IMAGE_ID (an image-based OS), a
#                     stand-in .linux
#   aa64.efi          .osrel (Ubuntu's) .cmdline .dtb .linux (arm64 Image)
UKI_DIR := $(T)/uki
UKI_OSREL := test/unit/fixtures/osrel
$(UKI_DIR)/.stamp: test/unit/mkuki test/unit/unit.mk $(wildcard $(UKI_OSREL)/*)
	@echo "  MKUKI   $(UKI_DIR)"
	$(Q)rm -rf $(UKI_DIR) && mkdir -p $(UKI_DIR)/in && cd $(UKI_DIR)/in && \
	x64="$$($(CURDIR)/tools/fetch-kernel x86_64)" && \
	a64="$$($(CURDIR)/tools/fetch-kernel arm64)" && \
	stub64="$$($(CURDIR)/tools/fetch-deb systemd-boot-efi:arm64)/usr/lib/systemd/boot/efi/linuxaa64.efi.stub" && \
	mk="$(CURDIR)/test/unit/mkuki" osrel="$(CURDIR)/$(UKI_OSREL)" && \
	printf 'console=ttyS0 root=/dev/vda2 ro\n' >cmdline && \
	cat "$$x64/version" >uname && \
	head -c 4096 /dev/zero | tr '\0' U >ucode && \
	head -c 100000 /dev/zero | tr '\0' I >initrd && \
	head -c 5000 /dev/zero | tr '\0' J >initrd2 && \
	printf 'quiet' >quiet && \
	printf 'ID=regular\nTITLE="Regular boot"\n' >p0 && \
	printf 'ID=factory-reset\nTITLE="Reset Device to Factory Defaults"\n' >p1 && \
	printf 'quiet systemd.unit=factory-reset.target\n' >c1 && \
	printf 'ID=storagetm\n' >p2 && \
	printf 'quiet rd.systemd.unit=storage-target-mode.target\n' >c2 && \
	printf '# a profile without metadata\n' >p3 && \
	"$$mk" objcopy /usr/lib/systemd/boot/efi/linuxx64.efi.stub ../x64.efi \
		.osrel="$$osrel/debian-12" .cmdline=cmdline .uname=uname \
		.ucode=ucode .initrd=initrd .linux="$$x64/vmlinuz" && \
	"$$mk" objcopy /usr/lib/systemd/boot/efi/linuxx64.efi.stub ../x64-profiles.efi \
		.osrel="$$osrel/debian-12" .cmdline=quiet .initrd=initrd \
		.linux="$$x64/vmlinuz" .profile=p0 .profile=p1 .cmdline=c1 \
		.profile=p2 .cmdline=c2 .initrd=initrd2 .profile=p3 && \
	"$$mk" objcopy /usr/lib/systemd/boot/efi/linuxx64.efi.stub ../image.efi \
		.osrel="$$osrel/image-os" .linux=ucode && \
	"$$mk" aarch64-linux-gnu-objcopy "$$stub64" ../aa64.efi \
		.osrel="$$osrel/ubuntu-24.04" .cmdline=cmdline \
		.dtb="$$(ls $$a64/usr/lib/linux-image-*/broadcom/bcm2711-rpi-4-b.dtb)" \
		.linux="$$a64/vmlinuz"
	$(Q)touch $@

# Authenticode-signed images and signature lists for
# test/unit/secure/test_verify.c (and the fuzz seeds), made by
# test/unit/mksigned with fresh openssl keys, sbsign and efitools from
# x64.efi above, systemd's x64 stub and the Debian kernel.
$(T)/signed/.stamp: test/unit/mksigned $(UKI_DIR)/.stamp
	@echo "  MKSIGN  $(T)/signed"
	$(Q)rm -rf $(T)/signed && test/unit/mksigned $(UKI_DIR)/x64.efi \
		/usr/lib/systemd/boot/efi/linuxx64.efi.stub \
		"$$(tools/fetch-kernel x86_64)/vmlinuz" $(T)/signed
	$(Q)touch $@

# A UKI of only the sections Debian's systemd-measure (252) knows, from the
# x64 stub without its .sbat, and systemd-measure's prediction of PCR 11
# for it before any boot phase (--phase=): test/unit/secure/test_tpm.c
# replays our section list against it.
$(T)/measured/.stamp: test/unit/mkuki test/unit/unit.mk $(UKI_DIR)/.stamp
	@echo "  MEASURE $(T)/measured"
	$(Q)rm -rf $(T)/measured && mkdir -p $(T)/measured && cd $(T)/measured && \
	x64="$$($(CURDIR)/tools/fetch-kernel x86_64)" && \
	objcopy --remove-section .sbat /usr/lib/systemd/boot/efi/linuxx64.efi.stub stub && \
	printf 'console=ttyS0 quiet' >cmdline && \
	head -c 70000 /dev/zero | tr '\0' R >initrd && \
	$(CURDIR)/test/unit/mkuki objcopy stub measure.efi \
		.osrel=$(CURDIR)/$(UKI_OSREL)/debian-12 .cmdline=cmdline \
		.initrd=initrd .linux="$$x64/vmlinuz" && \
	/usr/lib/systemd/systemd-measure calculate --bank=sha256 --phase= \
		--linux="$$x64/vmlinuz" --osrel=$(CURDIR)/$(UKI_OSREL)/debian-12 \
		--cmdline=cmdline --initrd=initrd >expected
	$(Q)touch $@
