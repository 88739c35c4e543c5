# kernel/: the minimal shim kernel, built from Debian's linux-source-6.1 with
# the fragments in kernel/*.config (tools/build-shim-kernel).
#   make shim-kernel [ARCH=x86_64|arm64]   build it into build/cache/ (cached
#                        by the fragments' hash; 19-36 min on 2 busy cores the first
#                        time) and print the image's path
#   make check-shim-kernel [ARCH=...]      boot it in QEMU: kernel/smoke.sh
# The bundle (packaging/), the QEMU suites and `make check` (which starts
# both builds in the background) use them; the Debian kernel + modules path
# stays for users who want a distro kernel.
.PHONY: shim-kernel check-shim-kernel

shim-kernel:
	$(Q)tools/build-shim-kernel $(ARCH)

check-shim-kernel:
	$(Q)kernel/smoke.sh $(ARCH)
