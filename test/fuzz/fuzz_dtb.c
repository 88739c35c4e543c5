/* fuzz: dt_build() on a hostile firmware device tree, as the arm64 load
 * flow calls it (boot/arch/arm64/dtb.c): the input after its first byte
 * is the running kernel's tree (ROOT/sys/firmware/fdt, what the EFI stub
 * made of the firmware's), written under a private root per process; the
 * first byte's bit 0 also passes it as --dtb (base and live the same
 * bytes), bit 1 gives no usable RAM.  Then dt_console() on the result.
 * Checks dt.h's promises: an error says "dtb: ", a result is a whole
 * tree within max_size whose /chosen has our bootargs and initrd. */
#include <errno.h>
#include <libfdt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fdt/dt.h"
#include "lib/error.h"

#define CHECK(c) do { if (!(c)) { \
	fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #c); \
	abort(); } } while (0)

#define MAX_SIZE (64u << 10)
#define CMDLINE "console=ttyAMA0 root=/dev/vda2"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char root[64], live_path[128];

static void remove_root(void)
{
	char d[128];

	unlink(live_path);
	snprintf(d, sizeof(d), "%s/sys/firmware", root);
	rmdir(d);
	snprintf(d, sizeof(d), "%s/sys", root);
	rmdir(d);
	rmdir(root);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char d[128];

	/* tmpfs: every run writes its files, a disk would make that the cost */
	snprintf(root, sizeof(root), "%s/fuzz_dtb.XXXXXX",
		 access("/dev/shm", W_OK) ? "/tmp" : "/dev/shm");
	if (!mkdtemp(root))
		abort();
	snprintf(d, sizeof(d), "%s/sys", root);
	mkdir(d, 0700);
	snprintf(d, sizeof(d), "%s/sys/firmware", root);
	mkdir(d, 0700);
	snprintf(live_path, sizeof(live_path), "%s%s", root, DT_LIVE_FDT);
	atexit(remove_root);
	return 0;
}

/* Properties sit at any 4-byte offset: read 64-bit ones by copy. */
static uint64_t prop_u64(const void *v)
{
	fdt64_t x;

	memcpy(&x, v, sizeof(x));
	return fdt64_to_cpu(x);
}

static void check_chosen(const void *fdt)
{
	int chosen = fdt_path_offset(fdt, "/chosen"), len;
	const char *args;
	const void *v;

	CHECK(chosen >= 0);
	args = fdt_getprop(fdt, chosen, "bootargs", &len);
	CHECK(args && len == sizeof(CMDLINE) && !strcmp(args, CMDLINE));
	v = fdt_getprop(fdt, chosen, "linux,initrd-start", &len);
	CHECK(v && len == 8 && prop_u64(v) == 0x48000000);
	v = fdt_getprop(fdt, chosen, "linux,initrd-end", &len);
	CHECK(v && len == 8 && prop_u64(v) == 0x48100000);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct memmap usable = { .n = 1, .r = { { 0x40000000, 0xc0000000,
						  MEMMAP_RAM } } };
	struct purgatory_console con;
	struct arena ar = { 0 };
	struct dt_request r = {
		.root = root,
		.cmdline = CMDLINE,
		.initrd_start = 0x48000000,
		.initrd_end = 0x48100000,
		.usable = &usable,
		.max_size = MAX_SIZE,
		.arena = &ar,
	};
	void *fdt = NULL;
	size_t out_size = 0;
	FILE *f;
	int rc;

	if (!size)
		return 0;
	f = fopen(live_path, "wb");
	if (!f || fwrite(data + 1, 1, size - 1, f) != size - 1 || fclose(f))
		abort();
	if (data[0] & 1) {
		r.dtb = data + 1;
		r.dtb_size = size - 1;
	}
	if (data[0] & 2)
		usable.n = 0;
	rc = dt_build(&r, &fdt, &out_size);
	if (rc) {
		CHECK(rc < 0);
		CHECK(!strncmp(kx_last_error(), "dtb: ", 5));
	} else {
		CHECK(fdt && out_size <= MAX_SIZE);
		CHECK(!fdt_check_header(fdt) && fdt_totalsize(fdt) == out_size);
		check_chosen(fdt);
		rc = dt_console(fdt, &con);
		CHECK(rc == 0 || rc == -ENOENT);
	}
	arena_release(&ar);
	return 0;
}
