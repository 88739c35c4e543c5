/* fuzz: bli_take(), the shim reading what the OS asked for through the
 * Boot Loader Interface: the input is the efivarfs file (4 bytes of
 * attributes, then UTF-16LE) of each of the four variables it reads,
 * written under a private root per process (bli_take deletes the
 * one-shot ones, as it must).  Checks bli.h's promises: each request is
 * valid UTF-8 within its field, or empty, warnings say "bli: ", and
 * bli_utf16() gives the variable's own string back. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/utf8.h"
#include "config/bli.h"
#include "lib/warn.h"

#define CHECK(c) do { if (!(c)) { \
	fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #c); \
	abort(); } } while (0)

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const var[] = {
	"LoaderEntryOneShot", "LoaderEntryDefault",
	"LoaderConfigTimeoutOneShot", "LoaderConfigTimeout",
};
static char root[64], dir[128], path[4][256];

static void remove_root(void)
{
	size_t i;
	char d[128];

	for (i = 0; i < 4; i++)
		unlink(path[i]);
	rmdir(dir);
	snprintf(d, sizeof(d), "%s/sys/firmware/efi", root);
	rmdir(d);
	snprintf(d, sizeof(d), "%s/sys/firmware", root);
	rmdir(d);
	snprintf(d, sizeof(d), "%s/sys", root);
	rmdir(d);
	rmdir(root);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const char *const sub[] = {
		"/sys", "/sys/firmware", "/sys/firmware/efi",
		"/sys/firmware/efi/efivars",
	};
	char d[128];
	size_t i;

	/* tmpfs: every run writes its files, a disk would make that the cost */
	snprintf(root, sizeof(root), "%s/fuzz_bli.XXXXXX",
		 access("/dev/shm", W_OK) ? "/tmp" : "/dev/shm");
	if (!mkdtemp(root))
		abort();
	for (i = 0; i < 4; i++) {
		snprintf(d, sizeof(d), "%s%s", root, sub[i]);
		mkdir(d, 0700);
	}
	snprintf(dir, sizeof(dir), "%s%s", root, BLI_EFIVARS);
	for (i = 0; i < 4; i++)
		snprintf(path[i], sizeof(path[i]), "%s/%s-%s", dir, var[i],
			 BLI_VENDOR);
	atexit(remove_root);
	return 0;
}

/* s came from the string at data[4..size): bli_utf16 gives it back. */
static void check_field(const char *s, size_t field, const uint8_t *data,
			size_t size)
{
	uint8_t u16[2 * BLI_VALUE_MAX + 2];
	size_t n = strnlen(s, field), bytes;

	CHECK(n < field);
	CHECK(utf8_valid((const uint8_t *)s, n));
	if (!n)
		return;
	bytes = bli_utf16(s, u16, sizeof(u16));
	CHECK(bytes >= 4 && bytes - 2 <= size - 4);
	CHECK(!memcmp(u16, data + 4, bytes - 2));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct warnings w = { 0 };
	struct bli_ask ask;
	size_t i;
	FILE *f;

	for (i = 0; i < 4; i++) {
		f = fopen(path[i], "wb");
		if (!f || fwrite(data, 1, size, f) != size || fclose(f))
			abort();
	}
	CHECK(bli_take(root, &ask, &w) == 0);
	CHECK(w.n <= WARN_MAX);
	for (i = 0; i < w.n; i++)
		CHECK(!strncmp(w.msg[i], "bli: ", 5));
	check_field(ask.oneshot, sizeof(ask.oneshot), data, size);
	check_field(ask.dflt, sizeof(ask.dflt), data, size);
	check_field(ask.timeout_oneshot, sizeof(ask.timeout_oneshot), data, size);
	check_field(ask.timeout, sizeof(ask.timeout), data, size);
	/* the one-shot requests are gone, the others stay */
	CHECK(access(path[0], F_OK) && access(path[2], F_OK));
	CHECK(!access(path[1], F_OK) && !access(path[3], F_OK));
	return 0;
}
