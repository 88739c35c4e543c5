# bench/: benchmarks against the peers (on the host, boots QEMU).
#   make bench             every arch of BENCH_ARCHS (default x86_64 arm64)
#   make bench ARCH=arm64  only that arch
# Per arch, bench/chain-kexec-tools.sh: the chain with kexshim next to the
# same chain with Debian's kexec-tools doing the load (wall time, load time,
# and shim's last line -> target's first line: the purgatory's share);
# RUNS=N boots each N times.
BENCH_ARCHS ?= $(if $(filter command line,$(origin ARCH)),$(ARCH),x86_64 arm64)

bench:
	$(Q)st=0; for a in $(BENCH_ARCHS); do \
		bench/chain-kexec-tools.sh $$a || st=1; \
	done; exit $$st
