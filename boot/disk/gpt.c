/* kexshim: GPT parser (see gpt.h).  Pure: the disk is read through the
 * caller's function; every field is read with explicit little-endian
 * loads, so it does not care about host endianness or alignment.  Runs in
 * PID 1 for each disk while looking for the ESP. */
#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "common/guid.h"
#include "common/le.h"
#include "lib/crc32.h"
#include "lib/error.h"
#include "lib/warn.h"
#include "disk/gpt.h"

/* UEFI 5.3.2 GPT header, offsets in LBA 1. */
#define HDR_SIGNATURE 0x00   /* "EFI PART" */
#define HDR_REVISION 0x08
#define HDR_SIZE 0x0c
#define HDR_CRC32 0x10
#define HDR_MY_LBA 0x18
#define HDR_ALTERNATE_LBA 0x20
#define HDR_FIRST_USABLE 0x28
#define HDR_LAST_USABLE 0x30
#define HDR_ENTRIES_LBA 0x48
#define HDR_NR_ENTRIES 0x50
#define HDR_ENTRY_SIZE 0x54
#define HDR_ENTRIES_CRC32 0x58
#define HDR_MIN_SIZE 92

/* UEFI 5.3.3 partition entry. */
#define ENT_TYPE 0x00
#define ENT_UUID 0x10
#define ENT_FIRST_LBA 0x20
#define ENT_LAST_LBA 0x28

/* UEFI 5.2.3 protective MBR: 4 records at 446, signature at 510. */
#define MBR_RECORDS 446
#define MBR_RECORD_SIZE 16
#define MBR_OS_TYPE 4
#define MBR_SIGNATURE 510
#define MBR_GPT_PROTECTIVE 0xee

const uint8_t gpt_esp_type[16] = {
	0x28, 0x73, 0x2a, 0xc1, 0x1f, 0xf8, 0xd2, 0x11,
	0xba, 0x4b, 0x00, 0xa0, 0xc9, 0x3e, 0xc9, 0x3b,
};

static bool block_size_ok(uint32_t bs)
{
	return bs >= 512 && bs <= 65536 && !(bs & (bs - 1));
}

int gpt_check_mbr(const char *name, const uint8_t *mbr, size_t len)
{
	int i;

	if (len < 512 || mbr[MBR_SIGNATURE] != 0x55 ||
	    mbr[MBR_SIGNATURE + 1] != 0xaa)
		return kx_fail(ENOENT, "gpt: %s: no MBR signature in LBA 0", name);
	/* Hybrid MBRs put the 0xEE record anywhere among the four. */
	for (i = 0; i < 4; i++)
		if (mbr[MBR_RECORDS + i * MBR_RECORD_SIZE + MBR_OS_TYPE] ==
		    MBR_GPT_PROTECTIVE)
			return 0;
	return kx_fail(ENOENT, "gpt: %s: no protective MBR (type 0xEE)", name);
}

int gpt_parse_header(const char *name, const uint8_t *hdr, uint32_t block_size,
		     uint64_t lba, struct gpt_header *h)
{
	uint8_t copy[512];
	uint32_t size, crc;

	if (!block_size_ok(block_size))
		return kx_fail(EINVAL, "gpt: %s: bad logical block size %u",
			       name, block_size);
	if (memcmp(hdr + HDR_SIGNATURE, "EFI PART", 8))
		return kx_fail(ENOENT, "gpt: %s: no 'EFI PART' signature in LBA "
			       "%llu", name, (unsigned long long)lba);
	size = get_le32(hdr + HDR_SIZE);
	if (size < HDR_MIN_SIZE || size > block_size || size > sizeof(copy))
		return kx_fail(EINVAL, "gpt: %s: bad header size %u in LBA %llu",
			       name, size, (unsigned long long)lba);
	/* HeaderCRC32 is computed with its own field zeroed. */
	memcpy(copy, hdr, size);
	memset(copy + HDR_CRC32, 0, 4);
	crc = crc32_update(0, copy, size);
	if (crc != get_le32(hdr + HDR_CRC32))
		return kx_fail(EINVAL, "gpt: %s: header CRC32 mismatch in LBA "
			       "%llu (stored 0x%08x, computed 0x%08x)", name,
			       (unsigned long long)lba, get_le32(hdr + HDR_CRC32),
			       crc);

	memset(h, 0, sizeof(*h));
	h->block_size = block_size;
	h->my_lba = get_le64(hdr + HDR_MY_LBA);
	h->alternate_lba = get_le64(hdr + HDR_ALTERNATE_LBA);
	h->first_usable_lba = get_le64(hdr + HDR_FIRST_USABLE);
	h->last_usable_lba = get_le64(hdr + HDR_LAST_USABLE);
	h->entries_lba = get_le64(hdr + HDR_ENTRIES_LBA);
	h->nr_entries = get_le32(hdr + HDR_NR_ENTRIES);
	h->entry_size = get_le32(hdr + HDR_ENTRY_SIZE);
	h->entries_crc32 = get_le32(hdr + HDR_ENTRIES_CRC32);

	/* UEFI 5.3.2: "Check that the MyLBA entry points to the LBA that
	 * contains the GUID Partition Table". */
	if (h->my_lba != lba)
		return kx_fail(EINVAL, "gpt: %s: header in LBA %llu says it is "
			       "at LBA %llu", name, (unsigned long long)lba,
			       (unsigned long long)h->my_lba);
	/* UEFI: SizeOfPartitionEntry is 128 * 2^n. */
	if (h->entry_size < 128 || (h->entry_size & (h->entry_size - 1)))
		return kx_fail(EINVAL, "gpt: %s: bad partition entry size %u",
			       name, h->entry_size);
	if (!h->nr_entries ||
	    (uint64_t)h->nr_entries * h->entry_size > GPT_MAX_ENTRIES_BYTES)
		return kx_fail(EINVAL, "gpt: %s: bad partition entry count %u",
			       name, h->nr_entries);
	/* The array lies outside the usable area, next to its header:
	 * after LBA 1 for the primary, before the last LBA for the backup. */
	if (h->entries_lba < 2 || h->entries_lba > (1ull << 40) ||
	    (lba > 1 && h->entries_lba >= lba))
		return kx_fail(EINVAL, "gpt: %s: bad partition entry LBA %llu",
			       name, (unsigned long long)h->entries_lba);
	if (h->first_usable_lba > h->last_usable_lba)
		return kx_fail(EINVAL, "gpt: %s: first usable LBA %llu after "
			       "the last %llu", name,
			       (unsigned long long)h->first_usable_lba,
			       (unsigned long long)h->last_usable_lba);
	return 0;
}

size_t gpt_entries_bytes(const struct gpt_header *h)
{
	return (size_t)h->nr_entries * h->entry_size;
}

int gpt_parse_entries(const char *name, const struct gpt_header *h,
		      const uint8_t *buf, size_t len, struct gpt_table *t)
{
	size_t need = gpt_entries_bytes(h);
	static const uint8_t unused[16];
	uint32_t crc, i;

	if (len < need)
		return kx_fail(EINVAL, "gpt: %s: partition entries need %zu "
			       "bytes, have %zu", name, need, len);
	crc = crc32_update(0, buf, need);
	if (crc != h->entries_crc32)
		return kx_fail(EINVAL, "gpt: %s: partition entries CRC32 mismatch "
			       "(stored 0x%08x, computed 0x%08x)", name,
			       h->entries_crc32, crc);
	t->hdr = *h;
	t->n = 0;
	for (i = 0; i < h->nr_entries; i++) {
		const uint8_t *e = buf + (size_t)i * h->entry_size;
		struct gpt_part *p;

		if (!memcmp(e + ENT_TYPE, unused, 16))
			continue;
		if (t->n >= GPT_MAX_PARTS)
			break; /* keep the first ones; the ESP is near the front */
		p = &t->part[t->n++];
		p->number = i + 1;
		memcpy(p->type, e + ENT_TYPE, 16);
		memcpy(p->uuid, e + ENT_UUID, 16);
		p->first_lba = get_le64(e + ENT_FIRST_LBA);
		p->last_lba = get_le64(e + ENT_LAST_LBA);
	}
	return 0;
}

/* One copy: the header in LBA lba, then its entries.
 * Return: 0 with *t, or -errno (kx_fail). */
static int read_copy(const char *name, uint32_t bs, uint64_t lba,
		     gpt_read_fn read, void *ctx, uint8_t *blk,
		     struct gpt_table *t)
{
	struct gpt_header h;
	uint8_t *ents;
	int rc;

	rc = read(ctx, lba * bs, blk, bs);
	if (rc)
		return kx_fail(-rc, "gpt: %s: reading LBA %llu: %s", name,
			       (unsigned long long)lba, strerror(-rc));
	rc = gpt_parse_header(name, blk, bs, lba, &h);
	if (rc)
		return rc;
	ents = malloc(gpt_entries_bytes(&h));
	if (!ents)
		return kx_fail(ENOMEM, "gpt: %s: out of memory", name);
	rc = read(ctx, h.entries_lba * bs, ents, gpt_entries_bytes(&h));
	if (rc)
		rc = kx_fail(-rc, "gpt: %s: reading the partition entries at "
			     "LBA %llu: %s", name,
			     (unsigned long long)h.entries_lba, strerror(-rc));
	else
		rc = gpt_parse_entries(name, &h, ents, gpt_entries_bytes(&h), t);
	free(ents);
	return rc;
}

int gpt_read(const char *name, uint32_t bs, uint64_t nr_blocks,
	     gpt_read_fn read, void *ctx, struct gpt_table *t,
	     struct warnings *w)
{
	char primary[256];
	uint8_t *blk;
	int rc, rc2;

	if (!block_size_ok(bs))
		return kx_fail(EINVAL, "gpt: %s: bad logical block size %u",
			       name, bs);
	if (nr_blocks < 3)
		return kx_fail(ENOENT, "gpt: %s: %llu blocks hold no GPT", name,
			       (unsigned long long)nr_blocks);
	blk = malloc(bs);
	if (!blk)
		return kx_fail(ENOMEM, "gpt: %s: out of memory", name);
	rc = read(ctx, 0, blk, bs);
	if (rc)
		rc = kx_fail(-rc, "gpt: %s: reading LBA 0: %s", name,
			     strerror(-rc));
	else
		rc = gpt_check_mbr(name, blk, bs);
	if (rc)
		goto out;
	t->from_backup = false;
	rc = read_copy(name, bs, 1, read, ctx, blk, t);
	if (!rc)
		goto out;
	/* The firmware found the backup if it booted us from this disk;
	 * it may also have repaired the primary, or not (read-only media). */
	snprintf(primary, sizeof(primary), "%s", kx_last_error());
	rc2 = read_copy(name, bs, nr_blocks - 1, read, ctx, blk, t);
	if (rc2 == -ENOENT && rc == -ENOENT) {
		/* No signature in either place: no GPT (a protective MBR
		 * alone, or a disk read with the wrong block size). */
		kx_fail(ENOENT, "%s", primary);
		goto out;
	}
	if (rc2) {
		rc = kx_fail(EINVAL, "%s; the backup too: %s", primary,
			     kx_last_error());
		goto out;
	}
	t->from_backup = true;
	warn_add(w, "%s; using the backup GPT in LBA %llu", primary,
		 (unsigned long long)(nr_blocks - 1));
	rc = 0;
out:
	free(blk);
	return rc;
}

struct mem_disk {
	const uint8_t *p;
	size_t len;
};

static int read_mem(void *ctx, uint64_t off, void *buf, size_t len)
{
	const struct mem_disk *d = ctx;

	if (off > d->len || d->len - off < len)
		return -EIO;
	memcpy(buf, d->p + off, len);
	return 0;
}

int gpt_parse(const char *name, const uint8_t *disk, size_t len,
	      uint32_t block_size, struct gpt_table *t, struct warnings *w)
{
	struct mem_disk d = { disk, len };

	return gpt_read(name, block_size, block_size ? len / block_size : 0,
			read_mem, &d, t, w);
}

const struct gpt_part *gpt_find_uuid(const struct gpt_table *t,
				     const char *uuid)
{
	uint8_t g[16];
	size_t i;

	if (guid_from_text(uuid, g))
		return NULL;
	for (i = 0; i < t->n; i++)
		if (!memcmp(t->part[i].uuid, g, 16))
			return &t->part[i];
	return NULL;
}

const struct gpt_part *gpt_find_esp(const struct gpt_table *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (!memcmp(t->part[i].type, gpt_esp_type, 16))
			return &t->part[i];
	return NULL;
}
