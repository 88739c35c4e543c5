/* fuzz: grub_parse() on a grub.cfg and a grubenv cut from the input (the
 * grub.cfg before the first "\n#ENV\n", the grubenv after it) and
 * grubenv_parse() on the second part.  Checks grub.h's promises: an error
 * names the file and leaves nothing behind; entries are ENTRY_GRUB with
 * unique, printable ids and titles, config = the file; a bootable one has
 * a kernel, at most 8 initrds and no ".." in any path, a broken one a
 * "grub: FILE:" reason; options are one line; the default is an index of
 * ours (or -1 with blscfg / no entries); warnings come from grub. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/entry.h"
#include "config/grub.h"
#include "config/grubenv.h"
#include "lib/error.h"
#include "lib/warn.h"

#define CHECK(c) do { if (!(c)) { \
	fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #c); \
	abort(); } } while (0)

#define NAME "/boot/grub/grub.cfg"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool starts(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

static void check_printable(const char *s)
{
	for (; s && *s; s++)
		CHECK((unsigned char)*s >= 0x20 && *s != 0x7f);
}

static void check_path(const struct entry_file *f)
{
	if (!f->path)
		return;
	CHECK(*f->path);
	CHECK(entry_path_ok(f->path, strlen(f->path)));
}

static void check_entries(const struct entry_list *l,
			  const struct grub_result *r)
{
	size_t i, j;

	CHECK(l->n <= GRUB_MAX_ENTRIES);
	for (i = 0; i < l->n; i++) {
		const struct boot_entry *e = &l->v[i];

		CHECK(e->source == ENTRY_GRUB);
		CHECK(e->id && e->title && e->config && !strcmp(e->config, NAME));
		check_printable(e->id);
		check_printable(e->title);
		check_printable(e->options);
		for (j = 0; j < i; j++)
			CHECK(strcmp(e->id, l->v[j].id));
		CHECK(e->nr_initrd <= ENTRY_MAX_INITRDS);
		check_path(&e->kernel);
		check_path(&e->devicetree);
		for (j = 0; j < e->nr_initrd; j++) {
			CHECK(e->initrd[j].path);
			check_path(&e->initrd[j]);
		}
		if (e->error)
			CHECK(starts(e->error, "grub: " NAME ":"));
		else
			CHECK(e->kernel.path);
		CHECK(e->uki_profile == -1 && e->tries_left == -1);
	}
	CHECK(r->default_index >= -1 && r->default_index < (int)l->n);
	if (l->n && !r->blscfg)
		CHECK(r->default_index >= 0);
	if (!l->n)
		CHECK(r->default_index == -1);
	CHECK(r->blscfg_index <= l->n);
	CHECK(r->timeout >= -1);
	CHECK(r->nr_include <= GRUB_MAX_INCLUDES);
	for (i = 0; i < r->nr_include; i++)
		CHECK(r->include[i]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data, *env = NULL;
	const char *cut = memmem(buf, size, "\n#ENV\n", 6);
	size_t len = cut ? (size_t)(cut - buf) : size, env_len = 0, i;
	struct entry_list l = { 0 };
	struct grub_result r;
	struct warnings w = { 0 };
	struct grubenv ge;
	int rc;

	if (cut) {
		env = cut + 6;
		env_len = size - len - 6;
	}
	rc = grub_parse(NAME, buf, len, env, env_len, &l, &r, &w);
	CHECK(w.n <= WARN_MAX);
	for (i = 0; i < w.n; i++)
		CHECK(starts(w.msg[i], "grub: " NAME) ||
		      starts(w.msg[i], "grubenv: grubenv"));
	if (rc) {
		CHECK(rc == -EINVAL || rc == -EFBIG);
		CHECK(starts(kx_last_error(), "grub: " NAME));
		CHECK(!l.n && !r.default_spec && !r.nr_include);
	} else {
		check_entries(&l, &r);
		grub_result_free(&r);
	}
	entry_list_free(&l);

	if (env) {
		memset(&w, 0, sizeof(w));
		rc = grubenv_parse("e", env, env_len, &ge, &w);
		if (rc) {
			CHECK(!ge.n);
			CHECK(starts(kx_last_error(), "grubenv: e: "));
		}
		CHECK(ge.n <= GRUBENV_MAX_VARS);
		for (i = 0; i < ge.n; i++)
			CHECK(ge.name[i] && *ge.name[i] && ge.value[i] &&
			      !strchr(ge.name[i], '='));
		grubenv_free(&ge);
	}
	return 0;
}
