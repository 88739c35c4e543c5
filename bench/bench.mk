# bench/: benchmarks against the peers (on the host, boots QEMU).
#   make bench             every arch of BENCH_ARCHS (default x86_64 arm64)
#   make bench ARCH=arm64  only that arch
#   make bench-sha256      only bench/sha256.sh, each arch of BENCH_ARCHS
# Per arch, bench/chain.sh: one table, direct firmware boot of the target,
# the kexshim chain with the minimal shim kernel and with Debian's, and the
# chain with Debian's kexec-tools doing the load (total, ratio to direct,
# firmware / shim kernel / load / kexec split); RUNS=N boots each N times.
BENCH_ARCHS ?= $(if $(filter command line,$(origin ARCH)),$(ARCH),x86_64 arm64)

# Per arch, bench/sha256.sh: kexshim's SHA-256 (portable and with the CPU's
# instructions) next to `openssl speed` on the same CPU; arm64 under
# qemu-aarch64 user mode.
.PHONY: bench-sha256 bench-net
bench:
	$(Q)st=0; for a in $(BENCH_ARCHS); do \
		bench/sha256.sh $$a || st=1; \
		bench/chain.sh $$a || st=1; \
	done; exit $$st

bench-sha256:
	$(Q)st=0; for a in $(BENCH_ARCHS); do \
		bench/sha256.sh $$a || st=1; \
	done; exit $$st

# Static, so qemu-aarch64 runs the arm64 one without a sysroot; the SHA-256
# sources exactly as the loader links them (SHA256_SRCS, boot/boot.mk).
build/bench/$(ARCH)/sha256-bench: bench/sha256-bench.c $(SHA256_SRCS) common/sha256.h
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)$(CC) -static -O2 -std=gnu11 $(WARN) -I. -Iinclude -o $@ bench/sha256-bench.c $(SHA256_SRCS)

# bench/net.sh: N = 1, 2, 4 parallel `kexshim fetch` clients on loopback
# against one HTTP (python3 -m http.server), TFTP (dnsmasq) and HTTPS
# server, next to busybox wget/tftp and curl: aggregate throughput; then
# bench/net-guest.sh: the same clients inside one QEMU guest (TCG).
bench-net: build/x86_64/kexshim
	$(Q)bench/net.sh
	$(Q)$(MAKE) --no-print-directory ARCH=x86_64 qemu-images
	$(Q)bench/net-guest.sh
