/* fuzz: pemem_parse() and pemem_find() on arbitrary bytes taken as a loaded
 * PE image (kexshim.efi reading its own sections).  Checks pemem.h's
 * promises: a parsed section table lies inside the image; a found section's
 * data is base + VirtualAddress and all VirtualSize bytes of it are inside
 * the image (every byte is read, so ASan sees any overrun); its name is the
 * one asked for; errors carry a reason. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pemem.h"

#define CHECK(c) do { if (!(c)) { \
	fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #c); \
	abort(); } } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const names[] = {
	".linux", ".initrd", ".cmdline", ".pins", ".text", "", ".cmdline1",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pemem_image img;
	struct pemem_section sec;
	const char *reason;
	volatile uint8_t sink = 0;
	unsigned int i;
	size_t k;

	if (pemem_parse(data, size, &img, &reason) != PEMEM_OK) {
		CHECK(reason && reason[0]);
		return 0;
	}
	CHECK(img.base == data && img.size == size);
	CHECK(img.sections + (size_t)img.nr_sections * 40 <= size);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		enum pemem_err rc = pemem_find(&img, names[i], &sec, &reason);

		if (rc == PEMEM_ESECTION) {
			CHECK(reason && reason[0]);
			continue;
		}
		if (rc == PEMEM_ENOENT)
			continue;
		CHECK(rc == PEMEM_OK);
		CHECK(strlen(names[i]) <= 8);
		CHECK(!strncmp(sec.name, names[i], 8));
		CHECK(sec.data == data + sec.rva);
		CHECK((uint64_t)sec.rva + sec.size <= size);
		for (k = 0; k < sec.size; k++)
			sink ^= sec.data[k];
	}
	(void)sink;
	return 0;
}
