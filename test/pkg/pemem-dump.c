/* test/pkg/pemem-dump.c: what kexshim.efi's own section parser (efi/pemem.c)
 * finds in a real bundle, on the host.  Loads FILE as firmware does (headers
 * at 0, each section's raw data at its VirtualAddress, SizeOfImage bytes),
 * then prints one line per section asked for:
 *   NAME SIZE SHA256        or        NAME absent / NAME error: REASON
 * test/pkg/bundle.sh compares them with sha256sum of mkbundle's inputs.
 * Usage: pemem-dump FILE NAME... */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/le.h"
#include "common/sha256.h"
#include "pemem.h"

static uint8_t *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long n;

	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET))
		return NULL;
	buf = malloc((size_t)n + 1);
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n)
		return NULL;
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/* The loader's part: a strict file-to-memory copy (no relocation needed
 * for reading data sections). */
static uint8_t *load(const uint8_t *f, size_t len, size_t *size)
{
	uint32_t pe, soi, soh, table;
	uint16_t n;
	uint8_t *m;

	if (len < 0x40 || (pe = get_le32(f + 0x3c)) > len - 24)
		return NULL;
	n = get_le16(f + pe + 6);
	table = pe + 24 + get_le16(f + pe + 20);
	if (table + 40ull * n > len || pe + 24 + 0x40 > len)
		return NULL;
	soi = get_le32(f + pe + 24 + 0x38);
	soh = get_le32(f + pe + 24 + 0x3c);
	if (soh > len || soh > soi)
		return NULL;
	m = calloc(1, soi);
	if (!m)
		return NULL;
	memcpy(m, f, soh);
	for (unsigned i = 0; i < n; i++) {
		const uint8_t *h = f + table + 40 * i;
		uint32_t vs = get_le32(h + 8), va = get_le32(h + 12);
		uint32_t rs = get_le32(h + 16), ro = get_le32(h + 20);
		uint32_t k = vs < rs ? vs : rs;

		if ((uint64_t)va + vs > soi || (uint64_t)ro + k > len)
			return NULL;
		memcpy(m + va, f + ro, k);
	}
	*size = soi;
	return m;
}

int main(int argc, char **argv)
{
	struct pemem_image img;
	struct pemem_section sec;
	const char *reason;
	uint8_t *f, *m, d[32];
	size_t len, size;

	if (argc < 3) {
		fprintf(stderr, "usage: pemem-dump FILE NAME...\n");
		return 2;
	}
	if (!(f = slurp(argv[1], &len)) || !(m = load(f, len, &size))) {
		fprintf(stderr, "pemem-dump: %s: cannot load\n", argv[1]);
		return 1;
	}
	if (pemem_parse(m, size, &img, &reason) != PEMEM_OK) {
		printf("headers error: %s\n", reason);
		return 1;
	}
	for (int i = 2; i < argc; i++) {
		enum pemem_err rc = pemem_find(&img, argv[i], &sec, &reason);

		if (rc == PEMEM_ENOENT) {
			printf("%s absent\n", argv[i]);
		} else if (rc != PEMEM_OK) {
			printf("%s error: %s\n", argv[i], reason);
		} else {
			sha256(sec.data, sec.size, d);
			printf("%s %zu ", argv[i], sec.size);
			for (int k = 0; k < 32; k++)
				printf("%02x", d[k]);
			printf("\n");
		}
	}
	free(m);
	free(f);
	return 0;
}
