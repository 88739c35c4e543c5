/*
 * test/unit/test_gpt.c: host tests of boot/gpt.c (the GPT parser PID 1 runs
 * on each disk) and boot/esp.c's choice of the ESP, on GPT images built
 * here with their CRCs: find by PARTUUID, by the ESP type, corrupted
 * header CRC, wrong signature, entries CRC mismatch, no backup needed; then
 * esp_find() on a fake /sys/class/block + /dev tree in a temp directory.
 */
#include <errno.h>
#include <stdbool.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "lib/crc32.h"
#include "lib/error.h"
#include "disk/esp.h"
#include "disk/gpt.h"
#include "lib/kcmdline.h"
#include "lib/readfile.h"
#include "lib/warn.h"

#define NR_ENTRIES 128
#define ENTRY_SIZE 128

static const char *const uuid_esp = "0c6e0c4a-1b6d-4a4b-9e2d-0123456789ab";
static const char *const uuid_root = "F5D2B0A1-7C3E-4D6B-8A9F-FEDCBA987654";
static const char *const type_linux = "0fc63daf-8483-4772-8e79-3d69d8477de4";

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

static void fix_header_crc(uint8_t *hdr)
{
	put32(hdr + 0x10, 0);
	put32(hdr + 0x10, crc32_update(0, hdr, 92));
}

/* Write a GPT header into hdr for a copy at my_lba with entries at
 * entries_lba, the disk's last LBA being last. */
static void put_header(uint8_t *hdr, uint64_t my_lba, uint64_t alt_lba,
		       uint64_t entries_lba, uint64_t last, uint32_t entries_crc)
{
	memset(hdr, 0, 92);
	memcpy(hdr, "EFI PART", 8);
	put32(hdr + 0x08, 0x00010000);
	put32(hdr + 0x0c, 92);
	put64(hdr + 0x18, my_lba);
	put64(hdr + 0x20, alt_lba);
	put64(hdr + 0x28, 34);
	put64(hdr + 0x30, last - 33);
	put64(hdr + 0x48, entries_lba);
	put32(hdr + 0x50, NR_ENTRIES);
	put32(hdr + 0x54, ENTRY_SIZE);
	put32(hdr + 0x58, entries_crc);
	fix_header_crc(hdr);
}

/* A disk image: protective MBR, header at LBA 1, 128 entries at LBA 2,
 * partition 1 = ESP, partition 3 = Linux (2 unused: numbers are indices).
 * With backup, a 64-LBA gap and the backup GPT at the end, as UEFI lays it
 * out (entries, then the header in the last LBA); without, the image ends
 * after the primary entries.  Return: malloc'ed image of *len bytes. */
static uint8_t *make_disk_b(uint32_t bs, size_t *len, bool backup)
{
	size_t esec = (NR_ENTRIES * ENTRY_SIZE + bs - 1) / bs;
	uint64_t last;
	uint32_t crc;
	uint8_t *d, *ent;

	*len = (2 + esec + (backup ? 64 + esec + 1 : 0)) * bs;
	last = *len / bs - 1;
	d = calloc(1, *len);
	assert_non_null(d);
	/* Protective MBR: one record of type 0xEE covering the disk. */
	d[446 + 4] = 0xee;
	put32(d + 446 + 8, 1);
	put32(d + 446 + 12, 0xffffffff);
	d[510] = 0x55;
	d[511] = 0xaa;

	ent = d + 2 * bs;
	memcpy(ent, gpt_esp_type, 16);
	assert_int_equal(guid_from_text(uuid_esp, ent + 16), 0);
	put64(ent + 32, 2048);
	put64(ent + 40, 206847);
	ent += 2 * ENTRY_SIZE;
	assert_int_equal(guid_from_text(type_linux, ent), 0);
	assert_int_equal(guid_from_text(uuid_root, ent + 16), 0);
	put64(ent + 32, 206848);
	put64(ent + 40, 999999);
	crc = crc32_update(0, d + 2 * bs, NR_ENTRIES * ENTRY_SIZE);
	if (!backup) {
		/* The backup would be beyond this image. */
		put_header(d + bs, 1, 2000000 - 1, 2, 2000000 - 1, crc);
		return d;
	}
	put_header(d + bs, 1, last, 2, last, crc);
	memcpy(d + (last - esec) * bs, d + 2 * bs, NR_ENTRIES * ENTRY_SIZE);
	put_header(d + last * bs, last, 1, last - esec, last, crc);
	return d;
}

static uint8_t *make_disk(uint32_t bs, size_t *len)
{
	return make_disk_b(bs, len, false);
}

static void test_guid_text(void **state)
{
	char text[GUID_TEXT_LEN];
	uint8_t g[16];

	guid_to_text(gpt_esp_type, text);
	assert_string_equal(text, "c12a7328-f81f-11d2-ba4b-00a0c93ec93b");
	/* Mixed endian: the first three fields are stored byte-swapped. */
	assert_int_equal(guid_from_text("00112233-4455-6677-8899-AABBCCDDEEFF", g), 0);
	assert_int_equal(g[0], 0x33);
	assert_int_equal(g[3], 0x00);
	assert_int_equal(g[4], 0x55);
	assert_int_equal(g[6], 0x77);
	assert_int_equal(g[8], 0x88);
	assert_int_equal(g[15], 0xff);
	guid_to_text(g, text);
	assert_string_equal(text, "00112233-4455-6677-8899-aabbccddeeff");
	assert_int_equal(guid_from_text("00112233-4455-6677-8899-AABBCCDDEEF", g), -1);
	assert_int_equal(guid_from_text("0011223304455-6677-8899-AABBCCDDEEFF", g), -1);
	assert_int_equal(guid_from_text("00112233-4455-6677-8899-AABBCCDDEEFG", g), -1);
}

static void test_parse_and_find(void **state)
{
	static const uint32_t sizes[] = { 512, 4096 };
	struct gpt_table *t = malloc(sizeof(*t));
	const struct gpt_part *p;
	char text[GUID_TEXT_LEN];
	size_t i, len;

	for (i = 0; i < 2; i++) {
		uint8_t *d = make_disk(sizes[i], &len);

		assert_int_equal(gpt_parse("/dev/vda", d, len, sizes[i], t, NULL), 0);
		assert_int_equal(t->n, 2);
		assert_int_equal(t->hdr.block_size, sizes[i]);
		/* By PARTUUID, any case. */
		p = gpt_find_uuid(t, uuid_root);
		assert_non_null(p);
		assert_int_equal(p->number, 3);
		assert_int_equal(p->first_lba, 206848);
		p = gpt_find_uuid(t, "0C6E0C4A-1B6D-4A4B-9E2D-0123456789AB");
		assert_non_null(p);
		assert_int_equal(p->number, 1);
		guid_to_text(p->uuid, text);
		assert_string_equal(text, uuid_esp);
		assert_null(gpt_find_uuid(t, "00000000-0000-0000-0000-000000000001"));
		assert_null(gpt_find_uuid(t, "garbage"));
		/* By type. */
		p = gpt_find_esp(t);
		assert_non_null(p);
		assert_int_equal(p->number, 1);
		assert_int_equal(p->last_lba, 206847);
		free(d);
	}
	free(t);
}

static void test_header_crc(void **state)
{
	struct gpt_table *t = malloc(sizeof(*t));
	size_t len;
	uint8_t *d = make_disk(512, &len);

	d[512 + 0x28] ^= 1; /* first usable LBA, CRC not updated */
	assert_int_equal(gpt_parse("/dev/vda", d, len, 512, t, NULL), -EINVAL);
	assert_non_null(strstr(kx_last_error(), "gpt: /dev/vda: header CRC32 mismatch"));
	free(d);
	free(t);
}

static void test_signature(void **state)
{
	struct gpt_table *t = malloc(sizeof(*t));
	size_t len;
	uint8_t *d = make_disk(512, &len);

	memcpy(d + 512, "EFI PARX", 8);
	fix_header_crc(d + 512);
	assert_int_equal(gpt_parse("/dev/vda", d, len, 512, t, NULL), -ENOENT);
	assert_string_equal(kx_last_error(),
			    "gpt: /dev/vda: no 'EFI PART' signature in LBA 1");
	free(d);

	/* No protective MBR: not a GPT disk either. */
	d = make_disk(512, &len);
	d[446 + 4] = 0x83;
	assert_int_equal(gpt_parse("/dev/vda", d, len, 512, t, NULL), -ENOENT);
	assert_non_null(strstr(kx_last_error(), "no protective MBR"));
	d[446 + 4] = 0xee;
	d[511] = 0;
	assert_int_equal(gpt_parse("/dev/vda", d, len, 512, t, NULL), -ENOENT);
	/* A 512-byte GPT read as 4096-byte sectors has no header in LBA 1. */
	d[511] = 0xaa;
	assert_int_equal(gpt_parse("/dev/vda", d, len, 4096, t, NULL), -ENOENT);
	free(d);
	free(t);
}

static void test_entries_crc(void **state)
{
	struct gpt_table *t = malloc(sizeof(*t));
	size_t len;
	uint8_t *d = make_disk(512, &len);

	d[1024 + 16] ^= 0x80; /* flip a bit of partition 1's GUID */
	assert_int_equal(gpt_parse("/dev/vda", d, len, 512, t, NULL), -EINVAL);
	assert_non_null(strstr(kx_last_error(),
			       "gpt: /dev/vda: partition entries CRC32 mismatch"));
	free(d);
	free(t);
}

static void test_header_fields(void **state)
{
	struct gpt_table *t = malloc(sizeof(*t));
	struct gpt_header h;
	size_t len;
	uint8_t *d = make_disk(512, &len);

	/* The two-step API on separate buffers. */
	assert_int_equal(gpt_parse_header("/dev/vda", d + 512, 512, 1, &h), 0);
	assert_int_equal(h.entries_lba, 2);
	assert_int_equal(gpt_entries_bytes(&h), NR_ENTRIES * ENTRY_SIZE);
	assert_int_equal(gpt_parse_entries("/dev/vda", &h, d + 1024,
					   gpt_entries_bytes(&h), t), 0);
	assert_int_equal(t->n, 2);
	assert_int_equal(gpt_parse_entries("/dev/vda", &h, d + 1024, 100, t), -EINVAL);
	/* Read from another LBA than it says, bad block size. */
	assert_int_equal(gpt_parse_header("/dev/vda", d + 512, 512, 7, &h), -EINVAL);
	assert_non_null(strstr(kx_last_error(), "header in LBA 7 says it is at LBA 1"));
	assert_int_equal(gpt_parse_header("/dev/vda", d + 512, 768, 1, &h), -EINVAL);

	/* Entry size not 128 * 2^n. */
	put32(d + 512 + 0x54, 100);
	fix_header_crc(d + 512);
	assert_int_equal(gpt_parse("/dev/vda", d, len, 512, t, NULL), -EINVAL);
	assert_non_null(strstr(kx_last_error(), "bad partition entry size 100"));
	put32(d + 512 + 0x54, ENTRY_SIZE);
	/* A header that says it is the backup. */
	put64(d + 512 + 0x18, 5);
	fix_header_crc(d + 512);
	assert_int_equal(gpt_parse("/dev/vda", d, len, 512, t, NULL), -EINVAL);
	put64(d + 512 + 0x18, 1);
	/* Entries beyond the disk. */
	put64(d + 512 + 0x48, 100);
	fix_header_crc(d + 512);
	assert_int_equal(gpt_parse("/dev/vda", d, len, 512, t, NULL), -EINVAL);
	assert_non_null(strstr(kx_last_error(), "reading the partition entries at LBA 100"));
	/* Absurd entry count. */
	put64(d + 512 + 0x48, 2);
	put32(d + 512 + 0x50, 1u << 20);
	fix_header_crc(d + 512);
	assert_int_equal(gpt_parse("/dev/vda", d, len, 512, t, NULL), -EINVAL);
	free(d);
	free(t);
}

/* A FAT32 boot sector as mformat -F writes it (the fields we look at). */
static void make_fat(uint8_t *s)
{
	memset(s, 0, 512);
	s[0] = 0xeb;
	s[1] = 0x58;
	s[2] = 0x90;
	memcpy(s + 3, "MTOO4043", 8);
	s[11] = 0x00;
	s[12] = 0x02; /* 512 bytes per sector */
	memcpy(s + 82, "FAT32   ", 8);
	s[510] = 0x55;
	s[511] = 0xaa;
}

static void test_is_fat(void **state)
{
	uint8_t s[512];

	make_fat(s);
	assert_true(esp_is_fat(s, sizeof(s)));
	/* FAT12/16 put the type at 54. */
	memset(s + 82, 0, 8);
	memcpy(s + 54, "FAT16   ", 8);
	assert_true(esp_is_fat(s, sizeof(s)));
	s[12] = 0x03; /* 768 bytes per sector */
	assert_false(esp_is_fat(s, sizeof(s)));
	make_fat(s);
	s[0] = 0;
	assert_false(esp_is_fat(s, sizeof(s)));
	make_fat(s);
	s[510] = 0;
	assert_false(esp_is_fat(s, sizeof(s)));
	make_fat(s);
	memcpy(s + 82, "NTFS    ", 8);
	assert_false(esp_is_fat(s, sizeof(s)));
	assert_false(esp_is_fat(s, 100));
}

/* The fake tree: ROOT/sys/class/block/<name>/... and ROOT/dev/<name>. */
static char root[64];

static void put_file(const char *rel, const void *data, size_t len)
{
	char path[256], cmd[300];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	snprintf(cmd, sizeof(cmd), "mkdir -p \"$(dirname '%s')\"", path);
	assert_int_equal(system(cmd), 0);
	f = fopen(path, "w");
	assert_non_null(f);
	if (len)
		assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
}

static void put_text(const char *rel, const char *text)
{
	put_file(rel, text, strlen(text));
}

static void add_disk(const char *name, const uint8_t *img, size_t len,
		     const char *bs)
{
	char rel[128];

	snprintf(rel, sizeof(rel), "sys/class/block/%s/size", name);
	put_text(rel, len ? "2000000\n" : "0\n");
	snprintf(rel, sizeof(rel), "sys/class/block/%s/queue/logical_block_size",
		 name);
	put_text(rel, bs);
	snprintf(rel, sizeof(rel), "dev/%s", name);
	put_file(rel, img, len);
}

static void add_part(const char *disk, const char *part, const char *number)
{
	char rel[128];

	/* As sysfs: in the disk's directory and in /sys/class/block. */
	snprintf(rel, sizeof(rel), "sys/class/block/%s/%s/partition", disk, part);
	put_text(rel, number);
	snprintf(rel, sizeof(rel), "sys/class/block/%s/partition", part);
	put_text(rel, number);
	snprintf(rel, sizeof(rel), "sys/class/block/%s/size", part);
	put_text(rel, "1000\n");
}

static int make_root(void **state)
{
	strcpy(root, "/tmp/kexshim-test-gpt-XXXXXX");
	assert_non_null(mkdtemp(root));
	return 0;
}

static int remove_root(void **state)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	return system(cmd);
}

static void test_esp_find(void **state)
{
	struct esp_found f;
	struct kcmdline kc;
	uint8_t fat[1024];
	size_t len;
	uint8_t *d = make_disk(512, &len);

	/* vda: GPT (ESP = vda1, Linux = vda3); vdb: whole-disk FAT;
	 * vdc: no medium; sr0-like junk is skipped by its size. */
	add_disk("vda", d, len, "512\n");
	add_part("vda", "vda1", "1\n");
	add_part("vda", "vda3", "3\n");
	make_fat(fat);
	memset(fat + 512, 0, 512);
	add_disk("vdb", fat, sizeof(fat), "512\n");
	add_disk("vdc", NULL, 0, "512\n");

	/* No parameter: the ESP type. */
	kcmdline_defaults(&kc);
	assert_int_equal(esp_find(root, &kc, false, &f), 0);
	assert_string_equal(f.dev, "/dev/vda1");
	assert_string_equal(f.partuuid, uuid_esp);
	assert_string_equal(f.how, "ESP type");

	/* kexshim.esp=PARTUUID= names the partition, whatever its type. */
	kcmdline_parse("kexshim.esp=PARTUUID=f5d2b0a1-7c3e-4d6b-8a9f-fedcba987654", &kc, NULL);
	assert_int_equal(esp_find(root, &kc, false, &f), 0);
	assert_string_equal(f.dev, "/dev/vda3");
	assert_string_equal(f.partuuid, "f5d2b0a1-7c3e-4d6b-8a9f-fedcba987654");
	assert_string_equal(f.how, "PARTUUID");

	/* A PARTUUID not (yet) there: wait, then fall back to the type. */
	kcmdline_parse("kexshim.esp=PARTUUID=00000000-0000-0000-0000-000000000001", &kc, NULL);
	assert_int_equal(esp_find(root, &kc, false, &f), -EAGAIN);
	assert_int_equal(esp_find(root, &kc, true, &f), 0);
	assert_string_equal(f.dev, "/dev/vda1");

	/* kexshim.esp=/dev/NAME is taken as is once it exists. */
	kcmdline_parse("kexshim.esp=/dev/vdb", &kc, NULL);
	assert_int_equal(esp_find(root, &kc, false, &f), 0);
	assert_string_equal(f.dev, "/dev/vdb");
	assert_string_equal(f.partuuid, "");
	kcmdline_parse("kexshim.esp=/dev/sda9", &kc, NULL);
	assert_int_equal(esp_find(root, &kc, false, &f), -EAGAIN);
	assert_int_equal(esp_find(root, &kc, true, &f), -ENOENT);
	assert_non_null(strstr(kx_last_error(), "/dev/sda9"));

	/* Corrupt vda's GPT: the whole-disk FAT on vdb is next. */
	d[512 + 0x28] ^= 1;
	add_disk("vda", d, len, "512\n");
	kcmdline_defaults(&kc);
	assert_int_equal(esp_find(root, &kc, false, &f), 0);
	assert_string_equal(f.dev, "/dev/vdb");
	assert_string_equal(f.how, "whole-disk FAT");

	/* Nothing usable: one line saying what was looked for. */
	memset(fat, 0, sizeof(fat));
	add_disk("vdb", fat, sizeof(fat), "512\n");
	assert_int_equal(esp_find(root, &kc, true, &f), -ENOENT);
	assert_string_equal(kx_last_error(), "esp: no ESP: no partition with the "
			    "ESP type GUID and no whole-disk FAT on 2 disks");
	free(d);
}

static void test_esp_find_4k_and_late_partition(void **state)
{
	struct esp_found f;
	struct kcmdline kc;
	size_t len;
	uint8_t *d = make_disk(4096, &len);

	add_disk("nvme0n1", d, len, "4096\n");
	kcmdline_defaults(&kc);
	/* The GPT says partition 1, but the kernel has not added it yet. */
	assert_int_equal(esp_find(root, &kc, false, &f), -EAGAIN);
	add_part("nvme0n1", "nvme0n1p1", "1\n");
	assert_int_equal(esp_find(root, &kc, false, &f), 0);
	assert_string_equal(f.dev, "/dev/nvme0n1p1");
	free(d);
}

/* UEFI 2.10 5.3.2: a damaged primary falls back to the backup in the
 * last LBA, whichever part of the primary is damaged. */
static void test_backup(void **state)
{
	struct gpt_table *t = malloc(sizeof(*t));
	struct warnings w = { 0 };
	size_t len, last;
	uint8_t *d = make_disk_b(512, &len, true);

	last = len / 512 - 1;
	/* Both good: the primary, no warning. */
	assert_int_equal(gpt_parse("/dev/vda", d, len, 512, t, &w), 0);
	assert_false(t->from_backup);
	assert_int_equal(t->hdr.my_lba, 1);
	assert_int_equal(w.n, 0);
	/* The primary header's CRC broken: the backup, with a warning. */
	d[512 + 0x28] ^= 1;
	assert_int_equal(gpt_parse("/dev/vda", d, len, 512, t, &w), 0);
	assert_true(t->from_backup);
	assert_int_equal(t->hdr.my_lba, last);
	assert_int_equal(t->n, 2);
	assert_non_null(gpt_find_uuid(t, uuid_root));
	assert_int_equal(gpt_find_esp(t)->first_lba, 2048);
	assert_int_equal(w.n, 1);
	assert_non_null(strstr(w.msg[0], "gpt: /dev/vda: header CRC32 mismatch "
			       "in LBA 1"));
	assert_non_null(strstr(w.msg[0], "using the backup GPT in LBA"));
	/* The primary header wiped (no signature at all). */
	memset(d + 512, 0, 512);
	assert_int_equal(gpt_parse("/dev/vda", d, len, 512, t, NULL), 0);
	assert_true(t->from_backup);
	free(d);
	/* Only the primary entries damaged. */
	d = make_disk_b(512, &len, true);
	d[1024 + 16] ^= 0x80;
	memset(&w, 0, sizeof(w));
	assert_int_equal(gpt_parse("/dev/vda", d, len, 512, t, &w), 0);
	assert_true(t->from_backup);
	assert_non_null(strstr(w.msg[0], "partition entries CRC32 mismatch"));
	/* Both damaged: one line naming both, no table. */
	d[(last) * 512 + 0x28] ^= 1;
	assert_int_equal(gpt_parse("/dev/vda", d, len, 512, t, NULL), -EINVAL);
	assert_non_null(strstr(kx_last_error(), "gpt: /dev/vda: partition entries "
			       "CRC32 mismatch"));
	assert_non_null(strstr(kx_last_error(), "; the backup too: gpt: /dev/vda: "
			       "header CRC32 mismatch in LBA"));
	free(d);
	/* 4 KiB sectors. */
	d = make_disk_b(4096, &len, true);
	memset(d + 4096, 0, 4096);
	assert_int_equal(gpt_parse("/dev/nvme0n1", d, len, 4096, t, NULL), 0);
	assert_true(t->from_backup);
	assert_int_equal(t->n, 2);
	free(d);
	free(t);
}

/* The same on a GPT nobody here made: util-linux's sfdisk writes the
 * image, the test corrupts its primary header. */
static void test_backup_sfdisk(void **state)
{
	struct gpt_table *t = malloc(sizeof(*t));
	char img[] = "/tmp/kexshim-sfdisk-XXXXXX", cmd[512], *buf;
	const struct gpt_part *p;
	struct warnings w = { 0 };
	size_t len;
	int fd;

	fd = mkstemp(img);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, 64 << 20), 0);
	close(fd);
	snprintf(cmd, sizeof(cmd), "printf 'label: gpt\nstart=2048, size=65536, "
		 "type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, uuid=%s\n"
		 "type=0FC63DAF-8483-4772-8E79-3D69D8477DE4\n' | "
		 "sfdisk -q %s >/dev/null 2>&1", uuid_esp, img);
	if (system(cmd))
		fail_msg("sfdisk failed (util-linux's fdisk package: tools/install-deps)");
	if (read_file_whole("test", img, 0, &buf, &len))
		fail_msg("%s", kx_last_error());
	unlink(img);
	assert_int_equal(gpt_parse("img", (uint8_t *)buf, len, 512, t, &w), 0);
	assert_false(t->from_backup);
	assert_int_equal(t->n, 2);
	/* Overwrite LBA 1 as a stray dd would. */
	memset(buf + 512, 0xa5, 512);
	assert_int_equal(gpt_parse("img", (uint8_t *)buf, len, 512, t, &w), 0);
	assert_true(t->from_backup);
	assert_int_equal(t->hdr.my_lba, len / 512 - 1);
	p = gpt_find_esp(t);
	assert_non_null(p);
	assert_int_equal(p->number, 1);
	assert_int_equal(p->first_lba, 2048);
	assert_int_equal(p->last_lba, 2048 + 65536 - 1);
	assert_ptr_equal(gpt_find_uuid(t, uuid_esp), p);
	assert_int_equal(w.n, 1);
	assert_non_null(strstr(w.msg[0], "no 'EFI PART' signature in LBA 1"));
	free(buf);
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_guid_text),
		cmocka_unit_test(test_parse_and_find),
		cmocka_unit_test(test_header_crc),
		cmocka_unit_test(test_signature),
		cmocka_unit_test(test_entries_crc),
		cmocka_unit_test(test_header_fields),
		cmocka_unit_test(test_backup),
		cmocka_unit_test(test_backup_sfdisk),
		cmocka_unit_test(test_is_fat),
		cmocka_unit_test_setup_teardown(test_esp_find, make_root, remove_root),
		cmocka_unit_test_setup_teardown(test_esp_find_4k_and_late_partition,
						make_root, remove_root),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
