# test/fuzz/: libFuzzer targets, one per parser.  Each build/fuzz/fuzz_<t>
# is test/fuzz/fuzz_<t>.c plus exactly the sources listed in FUZZ_SRCS_<t>,
# built for the host with clang, libFuzzer, ASan and UBSan (UB aborts).
#   make check-fuzz                 build all, run each FUZZ_TIME (30) seconds,
#                                   FUZZ_JOBS (2) at a time
#   make check-fuzz FUZZ_TIME=60    longer
#   make check-fuzz FUZZ_TARGETS=bls_entry
#   build/fuzz/fuzz_bls_entry build/fuzz/bls_entry-crash-...   replay one
# Seeds: test/fuzz/corpus/<t>/ (written by test/fuzz/mkcorpus, committed) and
# build/fuzz/corpus/<t>/ (cut at build time from the Debian kernel).  Each
# run copies them into build/fuzz/run/<t>/corpus, so the repo is not touched.
FZ := build/fuzz
FUZZ_CC ?= clang
FUZZ_TIME ?= 30
FUZZ_RUN_FLAGS := -max_total_time=$(FUZZ_TIME) -timeout=5 -rss_limit_mb=2048
FUZZ_CFLAGS := -g -O1 -std=gnu11 $(WARN) $(COMMON_CPPFLAGS) -MMD -MP \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer

FUZZ_ALL := bzimage iomem bls_entry kcmdline shimconf plan arm64_image menu uki \
	grub syslinux debian pemem pins authenticode siglist tpm2 kmod dtb devpath zboot bli \
	dhcp url http netpkt
FUZZ_TARGETS ?= $(FUZZ_ALL)

# Parsers collect warnings (boot/lib/warn.c) instead of printing them, so
# each target links exactly the parser and what it needs.
FUZZ_SRCS_bzimage := boot/lib/error.c boot/arch/x86_64/bzimage.c
FUZZ_SRCS_iomem := boot/lib/error.c boot/kexec/memmap.c
FUZZ_SRCS_bls_entry := boot/lib/error.c boot/lib/warn.c boot/config/bls.c \
	boot/config/entry.c boot/config/kv.c boot/config/loaderconf.c common/utf8.c
FUZZ_SRCS_kcmdline := boot/lib/kcmdline.c boot/lib/warn.c boot/lib/readfile.c \
	boot/lib/error.c common/guid.c
FUZZ_SRCS_shimconf := efi/shimconf.c common/guid.c common/utf8.c
FUZZ_SRCS_pemem := efi/pemem.c
FUZZ_SRCS_pins := efi/pins.c
FUZZ_SRCS_plan := boot/lib/error.c boot/kexec/memmap.c boot/kexec/plan.c
FUZZ_SRCS_arm64_image := boot/lib/error.c boot/arch/arm64/image.c boot/image/pe.c
FUZZ_SRCS_menu := boot/lib/error.c boot/menu/key.c boot/menu/text.c \
	boot/menu/edit.c boot/menu/state.c boot/menu/password.c \
	boot/menu/render.c common/utf8.c common/sha256.c
# The whole probe table (the UKI row hands .linux on to the others).
FUZZ_SRCS_uki := boot/lib/error.c boot/lib/warn.c boot/lib/arena.c \
	boot/lib/readfile.c boot/image/pe.c boot/image/uki.c boot/image/image.c \
	boot/image/decompress.c boot/image/zboot.c boot/config/uki.c \
	boot/config/osrel.c \
	boot/config/entry.c boot/config/bls.c boot/config/kv.c common/utf8.c
FUZZ_LDLIBS_uki := -lz -lzstd -llzma
FUZZ_SRCS_grub := boot/lib/error.c boot/lib/warn.c boot/config/entry.c \
	boot/config/grub.c boot/config/grub_script.c boot/config/grub_test.c \
	boot/config/grub_menu.c boot/config/grubenv.c common/utf8.c
FUZZ_SRCS_syslinux := boot/lib/error.c boot/lib/warn.c boot/config/entry.c \
	boot/config/syslinux.c common/utf8.c
FUZZ_SRCS_debian := boot/lib/error.c boot/lib/warn.c boot/config/entry.c \
	boot/config/debian.c boot/config/osrel.c common/utf8.c
FUZZ_SRCS_dhcp := boot/lib/warn.c boot/net/dhcp4_msg.c boot/net/dhcp6_msg.c \
	boot/net/ipudp.c
FUZZ_SRCS_url := boot/lib/error.c boot/net/url.c
FUZZ_SRCS_http := boot/lib/warn.c boot/net/http_resp.c
FUZZ_SRCS_netpkt := boot/net/dns_msg.c boot/net/tftp_pkt.c
# Authenticode and the signature lists: the verifier with mbedTLS, and
# what it pulls in (the live-state code it links is never called).
FUZZ_SRCS_secure := boot/lib/error.c boot/lib/console.c boot/lib/warn.c \
	boot/lib/readfile.c boot/image/pe.c boot/secure/authenticode.c \
	boot/secure/pkcs7.c boot/secure/siglist.c boot/secure/sigdb.c \
	boot/secure/verify.c boot/secure/efivar.c boot/secure/lockdown.c \
	common/sha256.c common/guid.c boot/arch/x86_64/sha256_blocks.c \
	common/arch/x86_64/sha256_ni.S
FUZZ_SRCS_authenticode := $(FUZZ_SRCS_secure)
FUZZ_SRCS_siglist := $(FUZZ_SRCS_secure)
FUZZ_LDLIBS_authenticode := -lmbedx509 -lmbedcrypto
FUZZ_LDLIBS_siglist := -lmbedx509 -lmbedcrypto
FUZZ_SRCS_kmod := boot/lib/error.c boot/lib/readfile.c boot/kmod/index.c
# The target's tree from a hostile firmware one: the live tree under a
# private root (fuzz_dtb.c), then /chosen/stdout-path of the result.
FUZZ_SRCS_dtb := boot/lib/error.c boot/lib/readfile.c boot/lib/arena.c \
	boot/lib/console.c boot/fdt/build.c boot/fdt/chosen.c boot/fdt/console.c
FUZZ_LDLIBS_dtb := -lfdt
FUZZ_SRCS_devpath := efi/devnodes.c
# The Boot Loader Interface requests, as efivarfs files under a private
# root (entry.c only for what bli_publish links).
FUZZ_SRCS_bli := boot/lib/error.c boot/lib/warn.c boot/lib/readfile.c \
	boot/config/bli.c boot/config/entry.c common/utf8.c
# EFI zboot and every decompressor through the probe table, then the
# arm64 Image parser on what comes out.
FUZZ_SRCS_zboot := boot/lib/error.c boot/lib/warn.c boot/lib/arena.c \
	boot/lib/readfile.c boot/image/pe.c boot/image/uki.c boot/image/image.c \
	boot/image/decompress.c boot/image/zboot.c boot/arch/arm64/image.c
FUZZ_LDLIBS_zboot := -lz -lzstd -llzma
FUZZ_SRCS_tpm2 := boot/lib/error.c boot/secure/tpm2.c boot/secure/cel.c \
	boot/secure/cpio.c common/utf8.c

FUZZ_BINS := $(patsubst %,$(FZ)/fuzz_%,$(FUZZ_TARGETS))

.PHONY: fuzz-build fuzz-corpus
fuzz-build: $(FUZZ_BINS)

$(FZ)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  FUZZCC  $@"
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -c -o $@ $<

$(FZ)/obj/%.o: %.S
	@mkdir -p $(dir $@)
	@echo "  FUZZAS  $@"
	$(Q)$(FUZZ_CC) -c -o $@ $<

# The EFI parsers include their headers from their own directory.
$(FZ)/obj/efi/%.o $(FZ)/obj/test/fuzz/fuzz_shimconf.o \
	$(FZ)/obj/test/fuzz/fuzz_pemem.o $(FZ)/obj/test/fuzz/fuzz_pins.o \
	$(FZ)/obj/test/fuzz/fuzz_devpath.o: FUZZ_CFLAGS += -Iefi

define fuzz_target
$(FZ)/fuzz_$(1): $(FZ)/obj/test/fuzz/fuzz_$(1).o \
		$(patsubst %.c,$(FZ)/obj/%.o,$(FUZZ_SRCS_$(1)))
	@echo "  FUZZLD  $$@"
	$$(Q)$$(FUZZ_CC) -fsanitize=fuzzer,address,undefined -o $$@ $$^ \
		$$(FUZZ_LDLIBS_$(1))
endef
$(foreach t,$(FUZZ_ALL),$(eval $(call fuzz_target,$(t))))

# Seeds from the real kernel: its setup code and header, and the same with
# the protected-mode part cut to 4 KiB (syssize patched), so that one seed
# parses and one hits "truncated".  Never the whole 8 MB file.
# And a UKI made by test/unit/mkuki from systemd's real stub around a 4 KiB
# head of that kernel.
# And the head of the real arm64 Image in each zboot/stream wrapper, a
# slice of the real modules.dep/alias/softdep/builtin, QEMU virt's own
# tree (as it is, and as the EFI stub leaves it: uefi-* properties, the
# initrd, a /memreserve/) behind fuzz_dtb's mode byte.
# And for Authenticode, what test/unit/mksigned signed: systemd's stub
# alone (84 KB), cut inside its signature too, and the signature lists.
$(FZ)/corpus/.stamp: test/fuzz/mkcorpus test/unit/mkuki $(T)/signed/.stamp
	@echo "  CORPUS  $(FZ)/corpus"
	$(Q)rm -rf $(FZ)/corpus
	$(Q)kernel="$$(tools/fetch-kernel x86_64)" && \
		test/fuzz/mkcorpus --kernel "$$kernel/vmlinuz" $(FZ)/corpus/bzimage && \
		mkdir -p $(FZ)/corpus/uki && \
		head -c 4096 "$$kernel/vmlinuz" >$(FZ)/corpus/linux-head && \
		printf 'console=ttyS0\n' >$(FZ)/corpus/cmdline && \
		test/unit/mkuki objcopy /usr/lib/systemd/boot/efi/linuxx64.efi.stub \
			$(FZ)/corpus/uki/systemd-stub .osrel=/usr/lib/os-release \
			.cmdline=$(FZ)/corpus/cmdline .linux=$(FZ)/corpus/linux-head
	$(Q)mkdir -p $(FZ)/corpus/authenticode $(FZ)/corpus/siglist && \
		cp $(T)/signed/signed-stub.efi $(FZ)/corpus/authenticode/ && \
		head -c -300 $(T)/signed/signed-stub.efi >$(FZ)/corpus/authenticode/cut && \
		cp /usr/lib/systemd/boot/efi/linuxx64.efi.stub $(FZ)/corpus/authenticode/unsigned && \
		cp $(T)/signed/db.esl $(T)/signed/dbx-hash.esl $(T)/signed/dbx-leaf.esl \
			$(FZ)/corpus/siglist/
	$(Q)kernel="$$(tools/fetch-kernel arm64)" && \
		test/fuzz/mkcorpus --arm64 "$$kernel/vmlinuz" $(FZ)/corpus/zboot && \
		test/fuzz/mkcorpus --modules "$$(echo $$kernel/lib/modules/*)" \
			$(FZ)/corpus/kmod
	$(Q)mkdir -p $(FZ)/corpus/dtb && cd $(FZ)/corpus/dtb && \
		qemu-system-aarch64 -machine virt,dumpdtb=virt.dtb -cpu cortex-a57 \
			-nographic >/dev/null 2>&1 && \
		dtc -q -I dtb -O dts virt.dtb >virt.dts && \
		sed 's|chosen {|chosen {\n\t\tlinux,uefi-system-table = /bits/ 64 <0x7f000000>;\n\t\tlinux,uefi-mmap-start = /bits/ 64 <0x7e000000>;\n\t\tlinux,uefi-mmap-size = <0x1000>;\n\t\tlinux,uefi-mmap-desc-size = <0x30>;\n\t\tlinux,uefi-mmap-desc-ver = <1>;\n\t\tlinux,initrd-start = /bits/ 64 <0x44000000>;\n\t\tlinux,initrd-end = /bits/ 64 <0x45000000>;|' \
			virt.dts | sed '1a /memreserve/ 0x44000000 0x1000000;' >efi.dts && \
		dtc -q -I dts -O dtb virt.dts >packed && \
		dtc -q -I dts -O dtb efi.dts >efi && \
		for f in packed efi; do \
			printf '\000' | cat - $$f >live-$$f; \
			printf '\001' | cat - $$f >dtb-$$f; \
			printf '\002' | cat - $$f >noram-$$f; \
		done && rm -f virt.dtb virt.dts efi.dts packed efi
	$(Q)touch $@
fuzz-corpus: $(FZ)/corpus/.stamp

# One make rule per target, two at a time on CI's two cores (FUZZ_JOBS):
# FUZZ_TIME seconds each.  One line per target as it finishes, with
# libFuzzer's count of executed units, then "fuzz: N passed, N failed";
# fails on any crash, leak, timeout or OOM (the reproducer's name starts
# with which one it was).  A target's rule always succeeds and leaves its
# verdict in run/<t>/result, so one failure does not stop the others.
FUZZ_JOBS ?= 2
FUZZ_RUNS := $(patsubst %,fuzz-run-%,$(FUZZ_TARGETS))
.PHONY: $(FUZZ_RUNS)

$(FUZZ_RUNS): fuzz-run-%: $(FZ)/fuzz_% $(FZ)/corpus/.stamp
	@t=$*; run=$(FZ)/run/$$t; \
	rm -rf $$run && mkdir -p $$run/corpus; \
	for d in test/fuzz/corpus/$$t $(FZ)/corpus/$$t; do \
		[ -d $$d ] && cp $$d/* $$run/corpus/ 2>/dev/null; \
	done; \
	$(FZ)/fuzz_$$t $(FUZZ_RUN_FLAGS) -artifact_prefix=$(FZ)/$$t- \
		$$run/corpus >$$run/log 2>&1; \
	rc=$$?; \
	runs=$$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' $$run/log); \
	if [ $$rc -eq 0 ] && [ -n "$$runs" ]; then \
		echo "ok - fuzz_$$t: $$runs executions in $(FUZZ_TIME) s" | \
			tee $$run/result; \
	else \
		art=$$(sed -n 's/.*Test unit written to \(.*\)$$/\1/p' \
			$$run/log | tail -1); \
		kind="exit $$rc"; \
		[ -n "$$art" ] && kind=$$(basename "$$art" | cut -d- -f2); \
		{ echo "not ok - fuzz_$$t: $$kind, reproducer $${art:-none} (log $$run/log)"; \
		  grep -m2 -E 'invariant failed|^SUMMARY:' $$run/log | \
			sed 's/^/#   /'; } | tee $$run/result; \
	fi

check-fuzz: $(FUZZ_BINS) $(FZ)/corpus/.stamp
	@rm -f $(patsubst %,$(FZ)/run/%/result,$(FUZZ_TARGETS))
	@$(MAKE) --no-print-directory -j$(FUZZ_JOBS) $(FUZZ_RUNS)
	@pass=0; fail=0; \
	for t in $(FUZZ_TARGETS); do \
		if grep -q '^ok ' $(FZ)/run/$$t/result 2>/dev/null; then \
			pass=$$((pass + 1)); \
		else \
			fail=$$((fail + 1)); \
		fi; \
	done; \
	echo "fuzz: $$pass passed, $$fail failed"; \
	[ $$fail -eq 0 ]
