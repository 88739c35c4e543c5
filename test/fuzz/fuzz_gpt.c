/* fuzz: gpt_parse() on the start of a disk.
 * Input: one control byte, then the disk bytes.
 *   bits 0-2  logical block size: 512 4096 1024 2048 65536 256 520 0
 *   bit 3     fix both CRC32s before parsing, so mutations get past them
 *   bit 4     zero-pad the disk to 2 blocks + 16 KiB (the standard 128 x 128
 *             entry array at LBA 2), so short inputs describe whole tables
 * The disk is a heap buffer of exactly its size, so ASan sees any read past
 * it.  Checks what gpt.h promises about an accepted table and the GUID
 * helpers' round trip. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/crc32.h"
#include "lib/error.h"
#include "common/guid.h"
#include "disk/gpt.h"
#include "lib/warn.h"

#define CHECK(c) do { if (!(c)) { \
	fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #c); \
	abort(); } } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint32_t block_sizes[8] = {
	512, 4096, 1024, 2048, 65536, 256, 520, 0,
};

static struct gpt_table t;

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint64_t get64(const uint8_t *p)
{
	return get32(p) | (uint64_t)get32(p + 4) << 32;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/* Make the entry array's and then the header's CRC32 match, where the
 * header's fields say where those bytes are. */
static void fix_crcs(uint8_t *disk, size_t len, uint32_t bs)
{
	uint8_t *hdr = disk + bs;
	uint32_t hsize, n, esz;
	uint64_t lba, bytes;

	if (!bs || len < 2 * (size_t)bs)
		return;
	hsize = get32(hdr + 0x0c);
	if (hsize < 92 || hsize > bs || hsize > 512)
		return;
	lba = get64(hdr + 0x48);
	n = get32(hdr + 0x50);
	esz = get32(hdr + 0x54);
	bytes = (uint64_t)n * esz;
	if (lba <= len / bs && bytes <= len - lba * bs && bytes <= (1u << 20))
		put32(hdr + 0x58, crc32_update(0, disk + lba * bs, bytes));
	put32(hdr + 0x10, 0);
	put32(hdr + 0x10, crc32_update(0, hdr, hsize));
}

static void check_table(size_t len, uint32_t bs)
{
	const struct gpt_header *h = &t.hdr;
	const struct gpt_part *p;
	static const uint8_t zero[16];
	char text[GUID_TEXT_LEN];
	uint8_t back[16];
	size_t i;

	CHECK(h->block_size == bs);
	CHECK(t.from_backup ? h->my_lba == len / bs - 1 : h->my_lba == 1);
	CHECK(h->entry_size >= 128 && !(h->entry_size & (h->entry_size - 1)));
	CHECK(h->nr_entries > 0);
	CHECK(gpt_entries_bytes(h) == (size_t)h->nr_entries * h->entry_size);
	CHECK(gpt_entries_bytes(h) <= GPT_MAX_ENTRIES_BYTES);
	CHECK(h->entries_lba >= 2 && h->entries_lba <= len / bs);
	CHECK(gpt_entries_bytes(h) <= len - h->entries_lba * bs);
	CHECK(t.n <= GPT_MAX_PARTS && t.n <= h->nr_entries);
	for (i = 0; i < t.n; i++) {
		p = &t.part[i];
		CHECK(p->number >= 1 && p->number <= h->nr_entries);
		if (i)
			CHECK(p->number > t.part[i - 1].number);
		CHECK(memcmp(p->type, zero, 16));

		guid_to_text(p->uuid, text);
		CHECK(strlen(text) == 36);
		CHECK(!guid_from_text(text, back));
		CHECK(!memcmp(back, p->uuid, 16));
		p = gpt_find_uuid(&t, text);
		CHECK(p && !memcmp(p->uuid, t.part[i].uuid, 16) && p <= &t.part[i]);
	}
	p = gpt_find_esp(&t);
	if (p)
		CHECK(!memcmp(p->type, gpt_esp_type, 16));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct warnings w = { 0 };
	uint32_t bs;
	size_t len, pad;
	uint8_t *disk;
	int ret;

	if (size < 1)
		return 0;
	bs = block_sizes[data[0] & 7];
	len = size - 1;
	pad = 2 * (size_t)bs + 16384;
	if ((data[0] & 0x10) && len < pad)
		len = pad;
	disk = calloc(1, len ? len : 1);
	if (!disk)
		return 0;
	memcpy(disk, data + 1, size - 1);
	if (data[0] & 0x08)
		fix_crcs(disk, len, bs);

	ret = gpt_parse("fuzz", disk, len, bs, &t, &w);
	CHECK(w.n <= WARN_MAX);
	CHECK(!t.from_backup || ret || w.n == 1);
	if (ret) {
		CHECK(ret == -EINVAL || ret == -ENOENT || ret == -EIO);
		CHECK(!strncmp(kx_last_error(), "gpt: fuzz: ", 11));
	} else {
		check_table(len, bs);
	}
	free(disk);
	return 0;
}
