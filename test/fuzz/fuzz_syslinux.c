/* fuzz: syslinux_parse() on an extlinux.conf / pxelinux.cfg cut from the
 * input (before the first "\n#INC\n"; what follows is what every INCLUDE
 * reads), once with the config's directory and once as pxelinux (dir "").
 * Checks syslinux.h's promises: entries are ENTRY_SYSLINUX with unique
 * ids and a title; every path is absolute with no "." or ".." component;
 * a bootable entry has a kernel, at most 8 initrds and 8 overlays, a
 * broken one a "syslinux: FILE:" reason; options hold no initrd=; the
 * default is one of ours; warnings come from syslinux. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/entry.h"
#include "config/syslinux.h"
#include "lib/error.h"
#include "lib/warn.h"

#define CHECK(c) do { if (!(c)) { \
	fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #c); \
	abort(); } } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *inc;
static size_t inc_len;
static unsigned reads;

static int read_inc(void *ctx, const char *path, char **buf, size_t *len)
{
	CHECK(path[0] == '/');
	reads++;
	if (!inc)
		return -ENOENT;
	*buf = malloc(inc_len + 1);
	if (!*buf)
		return -ENOMEM;
	memcpy(*buf, inc, inc_len);
	*len = inc_len;
	return 0;
}

static void check_path(const char *p, bool dir)
{
	const char *c;

	if (!p)
		return;
	CHECK(p[0] == '/');
	CHECK(!strstr(p, "//"));
	for (c = p; (c = strstr(c, "/.")); c++)
		CHECK(!(c[2] == '/' || c[2] == '\0' ||
			(c[2] == '.' && (c[3] == '/' || c[3] == '\0'))));
	if (!dir)
		CHECK(!p[1] || p[strlen(p) - 1] != '/');
}

static void check(const struct entry_list *l, const struct syslinux_result *r)
{
	size_t i, j;

	CHECK(l->n <= SYSLINUX_MAX_LABELS);
	CHECK(r->default_index >= -1 && r->default_index < (int)l->n);
	CHECK((r->default_index >= 0) == (l->n > 0));
	CHECK(r->timeout >= -1);
	for (i = 0; i < l->n; i++) {
		const struct boot_entry *e = &l->v[i];

		CHECK(e->source == ENTRY_SYSLINUX);
		CHECK(e->id && *e->id && e->title && e->config);
		for (j = 0; j < i; j++)
			CHECK(strcmp(e->id, l->v[j].id));
		check_path(e->kernel.path, false);
		check_path(e->devicetree.path, true);
		CHECK(e->nr_initrd <= ENTRY_MAX_INITRDS);
		CHECK(e->nr_overlay <= ENTRY_MAX_OVERLAYS);
		for (j = 0; j < e->nr_initrd; j++)
			check_path(e->initrd[j].path, false);
		for (j = 0; j < e->nr_overlay; j++)
			check_path(e->overlay[j].path, false);
		if (e->options) {
			CHECK(*e->options && !strchr(e->options, '\n'));
			CHECK(strncmp(e->options, "initrd=", 7) &&
			      !strstr(e->options, " initrd="));
		}
		if (e->error)
			CHECK(!strncmp(e->error, "syslinux: ", 10));
		else
			CHECK(e->kernel.path);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	const char *cut = memmem(buf, size, "\n#INC\n", 6);
	size_t len = cut ? (size_t)(cut - buf) : size, i;
	static const char *const dirs[] = { NULL, "" };
	struct syslinux_result r;
	struct warnings w;
	int pass;

	inc = cut ? cut + 6 : NULL;
	inc_len = cut ? size - len - 6 : 0;
	for (pass = 0; pass < 2; pass++) {
		struct entry_list l = { 0 };
		int rc;

		memset(&w, 0, sizeof(w));
		reads = 0;
		rc = syslinux_parse("/boot/extlinux/extlinux.conf", dirs[pass], buf,
				    len, pass ? read_inc : NULL, NULL, &l, &r, &w);
		CHECK(!rc);
		check(&l, &r);
		CHECK(reads < 64);
		if (!pass)
			CHECK(r.nr_include <= SYSLINUX_MAX_INCLUDES);
		else
			CHECK(!r.nr_include);
		for (i = 0; i < w.n; i++)
			CHECK(!strncmp(w.msg[i], "syslinux: ", 10));
		syslinux_result_free(&r);
		entry_list_free(&l);
	}
	return 0;
}
