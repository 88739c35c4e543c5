# bench/: benchmarks against the peers (on the host, boots QEMU).
#   make bench   x86_64 chain wall time, kexshim vs Debian's kexec-tools
#                (bench/chain-kexec-tools.sh; RUNS=N boots each N times)
bench:
	$(Q)bench/chain-kexec-tools.sh
