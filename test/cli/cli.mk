# test/cli/: the x86_64 kexshim binary driven as a user drives it on a host
# (plan/list/usage errors only; never the syscalls).  Valgrind cannot see
# malloc in a static binary, so its runs use kexshim-dynamic: the same
# objects and archive as build/x86_64/kexshim, linked dynamically and
# unstripped.
check-cli:
	$(Q)$(MAKE) --no-print-directory ARCH=x86_64 build/x86_64/kexshim \
		build/x86_64/kexshim-dynamic
	$(Q)test/cli/run.sh build/x86_64/kexshim "$$(tools/fetch-kernel x86_64)" \
		build/x86_64/kexshim-dynamic

build/x86_64/kexshim-dynamic: build/x86_64/obj/boot/cli/main.o build/x86_64/libkexshim.a
	@echo "  LD      $@"
	$(Q)$(HOSTCC) -o $@ $^ $(BOOT_LDLIBS)
