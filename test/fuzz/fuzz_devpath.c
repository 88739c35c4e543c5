/* fuzz: devnodes_partuuid() and devnodes_file_path() on arbitrary bytes
 * as the firmware's device path (efi/devnodes.c, what kexshim.efi reads
 * of its own LoadedImage).  Checks devnodes.h's promises: reads stay
 * inside the buffer (ASan, on an exact-size copy), the GUID is one
 * HardDrive node's signature, the name is NUL-terminated within max and
 * never holds a NUL, a smaller max never gives a longer name. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "devnodes.h"

#define CHECK(c) do { if (!(c)) { \
	fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #c); \
	abort(); } } while (0)

#define NAME_MAX16 512

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *copy = malloc(size ? size : 1), guid[16];
	uint16_t name[NAME_MAX16], small[NAME_MAX16];
	size_t n, m, i;

	if (!copy)
		return 0;
	memcpy(copy, data, size);
	memset(guid, 0xa5, sizeof(guid));
	if (devnodes_partuuid(copy, size, guid))
		CHECK(size >= 42 && memmem(copy, size, guid, 16));
	else
		for (i = 0; i < 16; i++)
			CHECK(guid[i] == 0xa5);

	n = devnodes_file_path(copy, size, name, NAME_MAX16);
	CHECK(n < NAME_MAX16 && name[n] == 0);
	for (i = 0; i < n; i++)
		CHECK(name[i] != 0);
	m = devnodes_file_path(copy, size, small, n / 2 + 1);
	CHECK(m <= n / 2);
	if (m)
		CHECK(!memcmp(small, name, m * sizeof(*name)));
	CHECK(devnodes_file_path(copy, size, small, 0) == 0);
	free(copy);
	return 0;
}
