# test/cli/: the x86_64 kexshim binary driven as a user drives it on a host
# (plan/list/usage errors only; never the syscalls).
check-cli:
	$(Q)$(MAKE) --no-print-directory ARCH=x86_64 build/x86_64/kexshim
	$(Q)test/cli/run.sh build/x86_64/kexshim "$$(tools/fetch-kernel x86_64)"
