# test/pkg/: host tests of the packaging, and the images of the bundle,
# Secure Boot and kexshim-install runs that test/qemu/chain-<arch>.sh boots.
#   make check-pkg   tools/mkbundle's output for both arches (sbsign/sbverify
#                    with a key made here, objdump -h, test/pkg/pecheck.py, the
#                    loader's own section parser on it), kexshim-install and
#                    kexshim-bls against a fake machine, `make deb` for both
#                    arches (contents, lintian, dpkg --root install, the kernel
#                    hooks run by run-parts against a fake /boot and ESP);
#                    each suite ends "<suite>: N passed, N failed"
PKG_T := $(T)/pkg

# The loader's efi/pemem.c on a real bundle laid out by RVA (host build).
$(PKG_T)/pemem-dump: test/pkg/pemem-dump.c efi/pemem.c efi/pemem.h common/sha256.c \
		boot/arch/x86_64/sha256_blocks.c common/arch/x86_64/sha256_ni.S
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	$(Q)$(HOSTCC) -O1 -g -std=gnu11 $(WARN) -I. -Iinclude -Iefi \
		-fsanitize=address,undefined -o $@ test/pkg/pemem-dump.c efi/pemem.c \
		common/sha256.c boot/arch/x86_64/sha256_blocks.c common/arch/x86_64/sha256_ni.S

check-pkg: $(PKG_T)/pemem-dump
	$(Q)$(MAKE) --no-print-directory ARCH=x86_64 all deb
	$(Q)$(MAKE) --no-print-directory ARCH=arm64 all deb
	$(Q)st=0; \
	test/pkg/bundle.sh $(PKG_T)/pemem-dump || st=1; \
	SIGNED_BUNDLE=$(PKG_T)/bundle/x86_64-signed.efi \
		test/pkg/install.sh build/x86_64/kexshim.efi || st=1; \
	test/pkg/deb.sh build/kexshim_$(DEB_VERSION)_amd64.deb \
		build/kexshim_$(DEB_VERSION)_arm64.deb || st=1; \
	exit $$st

# QEMU images (test/qemu/mkimages-pkg.sh), made with the chain's own.
# x86_64 also gets the kexshim-install test's disk, with the .deb in it.
PKG_QEMU_DEB := $(if $(filter x86_64,$(ARCH)),$(DEB))
$(QEMU_DIR)/images-pkg.stamp: $(QEMU_DIR)/images.stamp test/qemu/mkimages-pkg.sh \
		test/qemu/install-init.sh test/qemu/install-in-target.sh \
		tools/mkbundle tools/mkesp tools/mkdisk test/pkg/pkg.mk $(PKG_QEMU_DEB)
	@echo "  IMAGES  $(QEMU_DIR) (bundle, Secure Boot, kexshim-install)"
	$(Q)k="$$(tools/build-shim-kernel $(ARCH))" && \
		SHIM_KERNEL="$$k" test/qemu/mkimages-pkg.sh $(ARCH) $(B) $(QEMU_KDIR) $(QEMU_DIR) $(PKG_QEMU_DEB)
	$(Q)touch $@

qemu-images: $(QEMU_DIR)/images-pkg.stamp
