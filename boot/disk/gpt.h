/* kexshim: GUID Partition Table parser.  Pure: bytes in, partitions out.
 * Runs in PID 1 while looking for the ESP (esp.c reads the sectors).
 * Spec: UEFI 2.10, 5.2.3 (protective MBR) and 5.3 (GPT header, entries). */
#ifndef KEXSHIM_GPT_H
#define KEXSHIM_GPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GPT_MAX_PARTS 256           /* non-empty entries we keep */
#define GPT_MAX_ENTRIES_BYTES (1u << 20)

struct gpt_header {
	uint64_t my_lba, alternate_lba;
	uint64_t first_usable_lba, last_usable_lba;
	uint8_t disk_guid[16];
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
	struct gpt_header hdr;
	struct gpt_part part[GPT_MAX_PARTS];
	size_t n;
};

/* EFI System Partition type C12A7328-F81F-11D2-BA4B-00A0C93EC93B. */
extern const uint8_t gpt_esp_type[16];

/* Check the protective MBR in LBA 0 and the primary header in LBA 1.
 * buf holds at least 2 * block_size bytes from the start of the disk.
 * name is the device for messages.  The backup header is not read: the
 * firmware booted us from this disk, so its primary table is good.
 * Return: 0 with *h filled, or -errno (kx_fail "gpt: NAME: reason");
 * -ENOENT means "no GPT here" (no protective MBR or no "EFI PART"). */
int gpt_parse_header(const char *name, const uint8_t *buf, size_t len,
		     uint32_t block_size, struct gpt_header *h);

/* Return: the bytes of the entry array, h->nr_entries * h->entry_size. */
size_t gpt_entries_bytes(const struct gpt_header *h);

/* Check the entry array's CRC32 and collect the used entries.  buf holds
 * gpt_entries_bytes(h) bytes read from LBA h->entries_lba.
 * Return: 0 with t->hdr = *h and t->part filled, or -errno (kx_fail). */
int gpt_parse_entries(const char *name, const struct gpt_header *h,
		      const uint8_t *buf, size_t len, struct gpt_table *t);

/* Both steps on a buffer holding the start of the disk (LBA 0 up to the
 * end of the entry array).  Return: 0 or -errno as above. */
int gpt_parse(const char *name, const uint8_t *disk, size_t len,
	      uint32_t block_size, struct gpt_table *t);

/* Return: the partition whose unique GUID is the text uuid (any case), or
 * NULL. */
const struct gpt_part *gpt_find_uuid(const struct gpt_table *t,
				     const char *uuid);

/* Return: the first partition of type ESP, or NULL. */
const struct gpt_part *gpt_find_esp(const struct gpt_table *t);

#endif
