# packaging/: the bundle, `make install` and `make deb`.
#   make bundle [ARCH=]      build/$(ARCH)/kexshim-bundle.efi: kexshim.efi with
#                            the shim kernel, its initramfs and command line
#                            as .linux/.initrd/.cmdline (tools/mkbundle)
#       SHIM_KERNEL=FILE     the shim kernel (default the minimal one,
#                            tools/build-shim-kernel, from build/cache or
#                            built there first: ~14 min)
#       SHIM_MODULES=DIR     its modules (.../lib/modules/VER) for the
#                            initramfs; default none: the minimal kernel
#                            has its drivers built in.  Debian's kernel:
#                            SHIM_KERNEL=build/cache/kernel-x86_64/vmlinuz
#                            SHIM_MODULES=build/cache/kernel-x86_64/lib/modules/VER
#       SHIM_CMDLINE=TEXT    the shim's command line (default per arch below)
#       SIGN_KEY=K SIGN_CERT=C   sign the bundle with sbsign (then sbverify)
#   make install [DESTDIR=] [PREFIX=/usr/local]   the program, the bundle,
#                            kexshim-install, the kernel hooks (in /etc) and
#                            the manual pages
#   make deb [ARCH=]         build/kexshim_VERSION_DEBARCH.deb (packaging/mkdeb)
KEXSHIM_PKG_VERSION := $(shell sed -n 's/^\#define KEXSHIM_VERSION "\(.*\)"/\1/p' include/kexshim/version.h)
DEB_VERSION ?= $(KEXSHIM_PKG_VERSION)
DEB_ARCH_x86_64 := amd64
DEB_ARCH_arm64 := arm64
DEB_ARCH := $(DEB_ARCH_$(ARCH))
DEB_MAINTAINER ?= $(shell git config user.name 2>/dev/null || echo kexshim) <$(shell git config user.email 2>/dev/null || echo kexshim@localhost.invalid)>
DEB := build/kexshim_$(DEB_VERSION)_$(DEB_ARCH).deb
DEB_ROOT := build/deb-$(ARCH)

SHIM_KERNEL ?=
SHIM_MODULES ?=
ifeq ($(SHIM_KERNEL),)
# the cache path is known once the script ran (it builds on a miss)
PKG_KERNEL := $$(tools/build-shim-kernel $(ARCH))
PKG_KERNEL_DEP := tools/build-shim-kernel $(wildcard kernel/*.config)
else
PKG_KERNEL := $(SHIM_KERNEL)
PKG_KERNEL_DEP := $(SHIM_KERNEL)
endif
# The console a machine of that arch most likely has: x86 the screen and
# the first serial port (the last console= is /dev/console and the one the
# purgatory prints to); arm64 none, so the kernel takes SPCR or the device
# tree's stdout-path.
SHIM_CMDLINE_x86_64 := console=tty0 console=ttyS0,115200
SHIM_CMDLINE_arm64 :=
SHIM_CMDLINE ?= $(SHIM_CMDLINE_$(ARCH))
SIGN_KEY ?=
SIGN_CERT ?=

BUNDLE := $(B)/kexshim-bundle.efi
SHIM_INITRD := $(B)/shim-initramfs.img

PREFIX ?= /usr/local
SBINDIR ?= $(PREFIX)/sbin
PKGLIBDIR ?= $(PREFIX)/lib/kexshim
MANDIR ?= $(PREFIX)/share/man
# the kernel hooks only run from /etc/kernel, whatever the prefix
SYSCONFDIR ?= /etc
STRIP := $(CROSS_COMPILE)strip

.PHONY: bundle install deb

$(SHIM_INITRD): $(B)/kexshim tools/mkinitramfs $(PKG_KERNEL_DEP) packaging/packaging.mk
	@echo "  INITRD  $@"
	$(Q)tools/mkinitramfs -o $@ --init $(B)/kexshim \
		$(if $(SHIM_MODULES),--modules-dir $(SHIM_MODULES),--no-modules) >/dev/null

$(BUNDLE): $(B)/kexshim.efi $(SHIM_INITRD) tools/mkbundle $(PKG_KERNEL_DEP) \
		packaging/packaging.mk
	@echo "  BUNDLE  $@"
	$(Q)k="$(PKG_KERNEL)" && tools/mkbundle -o $@ --efi $(B)/kexshim.efi --linux "$$k" \
		--initrd $(SHIM_INITRD) --cmdline "$(SHIM_CMDLINE)" \
		$(if $(SIGN_KEY),--key $(SIGN_KEY) --cert $(SIGN_CERT))

bundle: $(BUNDLE)

# kexshim-install, kexshim-bls and the hooks name /usr/lib/kexshim; another
# prefix gets its own path written in.
PKG_SED := sed -e 's|/usr/lib/kexshim|$(PKGLIBDIR)|g'

install: $(B)/kexshim $(BUNDLE)
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(PKGLIBDIR) \
		$(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man8 \
		$(DESTDIR)$(SYSCONFDIR)/kernel/postinst.d \
		$(DESTDIR)$(SYSCONFDIR)/kernel/postrm.d \
		$(DESTDIR)$(SYSCONFDIR)/initramfs/post-update.d
	install -m 0755 $(B)/kexshim $(DESTDIR)$(SBINDIR)/kexshim
	$(STRIP) --strip-unneeded -R .comment $(DESTDIR)$(SBINDIR)/kexshim
	$(PKG_SED) tools/kexshim-install >$(DESTDIR)$(SBINDIR)/kexshim-install
	chmod 0755 $(DESTDIR)$(SBINDIR)/kexshim-install
	$(PKG_SED) tools/kexshim-bls >$(DESTDIR)$(PKGLIBDIR)/kexshim-bls
	chmod 0755 $(DESTDIR)$(PKGLIBDIR)/kexshim-bls
	install -m 0644 tools/kexshim-esp.sh $(DESTDIR)$(PKGLIBDIR)/kexshim-esp.sh
	install -m 0644 $(BUNDLE) $(DESTDIR)$(PKGLIBDIR)/kexshim.efi
	for h in kernel/postinst.d kernel/postrm.d initramfs/post-update.d; do \
		$(PKG_SED) packaging/$$h/zz-kexshim >$(DESTDIR)$(SYSCONFDIR)/$$h/zz-kexshim && \
		chmod 0755 $(DESTDIR)$(SYSCONFDIR)/$$h/zz-kexshim || exit 1; \
	done
	install -m 0644 man/kexshim.8 man/kexshim-install.8 $(DESTDIR)$(MANDIR)/man8/
	install -m 0644 man/kexshim.conf.5 $(DESTDIR)$(MANDIR)/man5/

deb: $(DEB)

$(DEB): $(B)/kexshim $(BUNDLE) packaging/mkdeb $(wildcard packaging/debian/*) \
		$(wildcard packaging/*/*/zz-kexshim) $(wildcard man/*) \
		tools/kexshim-install tools/kexshim-bls tools/kexshim-esp.sh
	@echo "  DEB     $@"
	$(Q)rm -rf $(DEB_ROOT)
	$(Q)$(MAKE) --no-print-directory install DESTDIR=$(CURDIR)/$(DEB_ROOT) PREFIX=/usr >/dev/null
	$(Q)packaging/mkdeb $(DEB_ROOT) $@ $(DEB_VERSION) $(DEB_ARCH) "$(DEB_MAINTAINER)"
