/* fuzz: modules_open() on depmod's files of any content, then every query
 * the shim makes of them.  The input is modules.dep, modules.alias,
 * modules.softdep and modules.builtin in that order, separated by lines
 * "%%" (a missing part: no such file; the last two are optional).
 * modules_open() reads a directory, so the parts are written to a private
 * one per process.  Checks modules.h's promises: an error says
 * "modules: ", a load order ends with the module and holds each module
 * once, after everything it depends on; matches are unique. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kmod/index.h"
#include "kmod/modules.h"
#include "lib/error.h"

#define CHECK(c) do { if (!(c)) { \
	fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #c); \
	abort(); } } while (0)

#define ORDER_MAX 64

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const part_name[] = {
	"modules.dep", "modules.alias", "modules.softdep", "modules.builtin",
};
static char dir[64];

static void remove_dir(void)
{
	char path[128];
	size_t i;

	for (i = 0; i < 4; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, part_name[i]);
		unlink(path);
	}
	rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	/* tmpfs: every run writes its files, a disk would make that the cost */
	snprintf(dir, sizeof(dir), "%s/fuzz_kmod.XXXXXX",
		 access("/dev/shm", W_OK) ? "/tmp" : "/dev/shm");
	if (!mkdtemp(dir))
		abort();
	atexit(remove_dir);
	return 0;
}

static void write_part(size_t i, const uint8_t *p, size_t n)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, part_name[i]);
	f = fopen(path, "wb");
	if (!f || fwrite(p, 1, n, f) != n || fclose(f))
		abort();
}

/* Split at "\n%%\n" (or a leading "%%\n"); parts not given are removed. */
static void write_parts(const uint8_t *data, size_t size)
{
	const uint8_t *p = data, *end = data + size;
	size_t i;

	for (i = 0; i < 4; i++) {
		const uint8_t *sep = p;
		char path[128];

		if (p > end) {
			snprintf(path, sizeof(path), "%s/%s", dir, part_name[i]);
			unlink(path);
			continue;
		}
		while ((sep = memchr(sep, '%', (size_t)(end - sep))) &&
		       !((sep == data || sep[-1] == '\n') &&
			 end - sep >= 3 && !memcmp(sep, "%%\n", 3)))
			sep++;
		write_part(i, p, sep ? (size_t)(sep - p) : (size_t)(end - p));
		p = sep ? sep + 3 : end + 1;
	}
}

static void check_order(const struct modules *m, uint32_t idx)
{
	uint32_t order[ORDER_MAX];
	size_t i, j, k;
	int n = kmod_order_of(m, idx, order, ORDER_MAX);

	if (n < 0) {
		CHECK(n == -ELOOP || n == -E2BIG || n == -ENOMEM);
		CHECK(!strncmp(kx_last_error(), "modules: ", 9));
		return;
	}
	CHECK(n >= 1 && order[n - 1] == idx);
	for (i = 0; i < (size_t)n; i++) {
		const struct mod *md = &m->mods[order[i]];

		CHECK(order[i] < m->n_mods);
		for (j = 0; j < i; j++)
			CHECK(order[j] != order[i]);
		/* every dependency comes earlier */
		for (k = 0; k < md->nr_deps; k++) {
			for (j = 0; j < i && order[j] != md->deps[k]; j++)
				;
			CHECK(j < i);
		}
	}
}

static void check_unique(const char **names, size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++)
		for (j = 0; j < i; j++)
			CHECK(names[i] != names[j]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const modalias[] = {
		"pci:v00001AF4d00001042sv00001AF4sd00001100bc01sc00i00",
		"virtio:d00000002v00001AF4", "acpi*:QEMU0002:*", "", "*",
		"fs-ext4", "crypto-crc32c",
	};
	const char *names[ORDER_MAX];
	struct modules *m = NULL;
	size_t i, k, n;
	int rc;

	write_parts(data, size);
	rc = modules_open(dir, &m);
	if (rc) {
		CHECK(rc < 0 && !m);
		CHECK(!strncmp(kx_last_error(), "modules: ", 9));
		return 0;
	}
	for (k = 0; k < sizeof(modalias) / sizeof(*modalias); k++) {
		n = modules_match(m, modalias[k], names, ORDER_MAX);
		CHECK(n <= ORDER_MAX);
		check_unique(names, n);
	}
	for (i = 0; i < m->n_mods && i < 256; i++) {
		const char *name = m->mods[i].name;

		CHECK(modules_known(m, name));
		modules_builtin(m, name);
		check_order(m, kmod_lookup(m, name));
		rc = modules_deps_of(m, name, names, ORDER_MAX);
		CHECK(rc >= 0 && rc <= ORDER_MAX);
		CHECK(modules_softdeps(m, name, true, names, ORDER_MAX) <= ORDER_MAX);
		CHECK(modules_softdeps(m, name, false, names, ORDER_MAX) <= ORDER_MAX);
		rc = modules_load_order(m, name, names, 4);
		CHECK(rc <= 4);
	}
	modules_close(m);
	return 0;
}
