/* fuzz: debian_entry() with what the input says the partition has: byte
 * 0 the flags (bit 0 /vmlinuz, bit 1 /initrd.img, bit 2 a PARTUUID), then
 * the PARTUUID up to the first newline, then /etc/os-release.  Checks
 * debian.h's promises: no /vmlinuz, no entry; else exactly one
 * ENTRY_DEBIAN entry with kernel /vmlinuz, the initrd only when present,
 * options "root=PARTUUID=... ro" exactly when the PARTUUID is good (else
 * an error), a printable one-line title ending in " (/vmlinuz)". */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/debian.h"
#include "config/entry.h"
#include "lib/error.h"
#include "lib/warn.h"

#define CHECK(c) do { if (!(c)) { \
	fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #c); \
	abort(); } } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct debian_root root = { 0 };
	struct entry_list l = { 0 };
	struct warnings w = { 0 };
	const struct boot_entry *e;
	const char *p = (const char *)data + 1, *nl;
	char uuid[256];
	size_t rest, n, i;
	int rc;

	if (!size)
		return 0;
	root.has_vmlinuz = data[0] & 1;
	root.has_initrd = data[0] & 2;
	rest = size - 1;
	nl = memchr(p, '\n', rest);
	n = nl ? (size_t)(nl - p) : rest;
	if (data[0] & 4) {
		snprintf(uuid, sizeof(uuid), "%.*s", (int)(n < 255 ? n : 255), p);
		root.part_uuid = uuid;
	}
	if (nl) {
		root.os_release = nl + 1;
		root.os_release_len = rest - n - 1;
	}
	rc = debian_entry("sdz9", &root, &l, &w);
	for (i = 0; i < w.n; i++)
		CHECK(!strncmp(w.msg[i], "debian: sdz9", 12));
	if (!root.has_vmlinuz) {
		CHECK(rc == -ENOENT && l.n == 0);
		return 0;
	}
	CHECK(!rc && l.n == 1);
	e = &l.v[0];
	CHECK(e->source == ENTRY_DEBIAN);
	CHECK(!strcmp(e->kernel.path, "/vmlinuz"));
	CHECK(e->nr_initrd == (root.has_initrd ? 1u : 0u));
	CHECK(e->title && strlen(e->title) > 11 &&
	      !strcmp(e->title + strlen(e->title) - 11, " (/vmlinuz)"));
	for (i = 0; e->title[i]; i++)
		CHECK((unsigned char)e->title[i] >= 0x20 && e->title[i] != 0x7f);
	CHECK(!strncmp(e->id, "debian", 6));
	if (e->options) {
		CHECK(!e->error && root.part_uuid);
		CHECK(!strncmp(e->options, "root=PARTUUID=", 14));
		CHECK(!strcmp(e->options + 14 + strlen(root.part_uuid), " ro"));
		CHECK(!strchr(e->options, ' ') ||
		      strchr(e->options, ' ') == e->options + 14 + strlen(root.part_uuid));
	} else {
		CHECK(e->error && !strncmp(e->error, "debian: sdz9: ", 14));
	}
	entry_list_free(&l);
	return 0;
}
