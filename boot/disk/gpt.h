/* kexshim: GUID Partition Table parser.  Pure: bytes in, partitions out.
 * Runs in PID 1 while looking for the ESP (esp.c provides the reads).
 * Spec: UEFI 2.10, 5.2.3 (protective MBR) and 5.3 (GPT header, entries). */
#ifndef KEXSHIM_GPT_H
#define KEXSHIM_GPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct warnings;

#define GPT_MAX_PARTS 256           /* non-empty entries we keep */
#define GPT_MAX_ENTRIES_BYTES (1u << 20)

struct gpt_header {
	uint64_t my_lba, alternate_lba;
	uint64_t first_usable_lba, last_usable_lba;
	uint64_t entries_lba;
	uint32_t nr_entries, entry_size, entries_crc32;
	uint32_t block_size;
};

struct gpt_part {
	uint32_t number;   /* 1-based index in the entry array = Linux's
			    * partition number (/sys/.../partition) */
	uint8_t type[16];  /* on-disk (mixed-endian) bytes */
	uint8_t uuid[16];  /* unique partition GUID = PARTUUID */
	uint64_t first_lba, last_lba;
};

struct gpt_table {
	struct gpt_header hdr;   /* of the copy in use */
	bool from_backup;        /* the primary was damaged */
	struct gpt_part part[GPT_MAX_PARTS];
	size_t n;
};

/* EFI System Partition type C12A7328-F81F-11D2-BA4B-00A0C93EC93B. */
extern const uint8_t gpt_esp_type[16];

/* Check the protective MBR in LBA 0 (buf: at least 512 bytes).
 * Return: 0, or -ENOENT (kx_fail) when there is none: no GPT here. */
int gpt_check_mbr(const char *name, const uint8_t *buf, size_t len);

/* Check one header: buf is the block_size bytes of LBA lba, where a valid
 * header says it is (MyLBA; the primary's is 1, the backup's the disk's
 * last).  Return: 0 with *h filled, -ENOENT when there is no "EFI PART",
 * or -EINVAL (kx_fail "gpt: NAME: reason"). */
int gpt_parse_header(const char *name, const uint8_t *buf, uint32_t block_size,
		     uint64_t lba, struct gpt_header *h);

/* Return: the bytes of the entry array, h->nr_entries * h->entry_size. */
size_t gpt_entries_bytes(const struct gpt_header *h);

/* Check the entry array's CRC32 and collect the used entries.  buf holds
 * gpt_entries_bytes(h) bytes read from LBA h->entries_lba.
 * Return: 0 with t->hdr = *h and t->part filled, or -errno (kx_fail). */
int gpt_parse_entries(const char *name, const struct gpt_header *h,
		      const uint8_t *buf, size_t len, struct gpt_table *t);

/* How gpt_read() reads the disk: len bytes at byte offset off.
 * Return: 0 or -errno. */
typedef int (*gpt_read_fn)(void *ctx, uint64_t off, void *buf, size_t len);

/* The partition table of a disk of nr_blocks blocks: protective MBR, then
 * the primary header and entries; when either is damaged, the backup
 * header in the last LBA and its entries (UEFI 2.10, 5.3.2: "If the
 * primary GPT is corrupt, software must check the last LBA of the device
 * to see if it has a valid GPT Header").  A table taken from the backup
 * has t->from_backup set and a warning in w saying what was wrong with the
 * primary.  Return: 0, -ENOENT when the disk has no GPT, or -errno
 * (kx_fail "gpt: NAME: reason" of the primary) when both copies are bad. */
int gpt_read(const char *name, uint32_t block_size, uint64_t nr_blocks,
	     gpt_read_fn read, void *ctx, struct gpt_table *t,
	     struct warnings *w);

/* gpt_read() on a buffer holding the whole disk (tests, fuzzing). */
int gpt_parse(const char *name, const uint8_t *disk, size_t len,
	      uint32_t block_size, struct gpt_table *t, struct warnings *w);

/* Return: the partition whose unique GUID is the text uuid (any case), or
 * NULL. */
const struct gpt_part *gpt_find_uuid(const struct gpt_table *t,
				     const char *uuid);

/* Return: the first partition of type ESP, or NULL. */
const struct gpt_part *gpt_find_esp(const struct gpt_table *t);

#endif
