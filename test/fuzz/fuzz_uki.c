/* fuzz: Unified Kernel Images end to end: uki_entries() (config/uki.c:
 * menu entries, os-release), uki_parse()/uki_select() (image/uki.c) and
 * the probe table's image_unwrap() on the same bytes; osrel_parse() on
 * them as text.  Checks: every view lies inside the input; a profile's
 * sections are the base's or its own; entries are complete, one per
 * profile, with ids "NAME" / "NAME@N" and trimmed control-free options;
 * errors name the file; os-release values are non-empty, single-line
 * UTF-8 without control characters. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/utf8.h"
#include "config/entry.h"
#include "config/osrel.h"
#include "config/uki.h"
#include "image/image.h"
#include "image/uki.h"
#include "lib/arena.h"
#include "lib/error.h"
#include "lib/warn.h"

#define CHECK(c) do { if (!(c)) { \
	fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #c); \
	abort(); } } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t *lo, *hi;

static bool starts(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

static void check_view(const uint8_t *p, size_t n)
{
	if (!p)
		return;
	CHECK(p >= lo && p <= hi && n <= (size_t)(hi - p));
}

/* Menu text: no control characters; a command line also trimmed. */
static void check_text(const char *s, bool is_cmdline)
{
	size_t i, n;

	if (!s)
		return;
	n = strlen(s);
	for (i = 0; i < n; i++)
		CHECK((unsigned char)s[i] >= 0x20 && s[i] != 0x7f);
	if (is_cmdline && n)
		CHECK(s[0] != ' ' && s[n - 1] != ' ');
}

static void check_parts(const struct uki *u)
{
	struct uki_part p;
	unsigned i, k, n = u->nr_profiles ? u->nr_profiles : 1;

	CHECK(u->nr_profiles <= UKI_MAX_PROFILES);
	CHECK(!u->base.s[UKI_PROFILE].data);
	for (k = 0; k < UKI_NR_KINDS; k++)
		check_view(u->base.s[k].data, u->base.s[k].size);
	for (i = 0; i < n; i++) {
		const struct uki_part *own = u->nr_profiles ? &u->profile[i] : NULL;
		int rc = uki_select("f", "x.efi", u, (int)i, &p);

		if (rc) {
			CHECK(rc == -ENOEXEC);
			continue;
		}
		CHECK(p.s[UKI_LINUX].data && p.s[UKI_LINUX].size);
		for (k = 0; k < UKI_NR_KINDS; k++) {
			check_view(own ? own->s[k].data : NULL,
				   own ? own->s[k].size : 0);
			if (own && own->s[k].data)
				CHECK(p.s[k].data == own->s[k].data);
			else if (k != UKI_PROFILE)
				CHECK(p.s[k].data == u->base.s[k].data);
		}
	}
	CHECK(uki_select("f", "x.efi", u, (int)n, &p) == -ENOENT);
}

static void check_entries(const struct entry_list *l, const struct uki *u,
			  bool parsed)
{
	size_t i;

	CHECK(l->n == (parsed && u->nr_profiles ? u->nr_profiles : 1));
	for (i = 0; i < l->n; i++) {
		const struct boot_entry *e = &l->v[i];
		char want[32];

		CHECK(e->source == ENTRY_UKI);
		CHECK(e->uki_profile == (int)i);
		if (i)
			snprintf(want, sizeof(want), "fuzz@%zu", i);
		else
			snprintf(want, sizeof(want), "fuzz");
		CHECK(e->id && !strcmp(e->id, want));
		CHECK(e->tries_left == 3 && e->tries_done == 0);
		CHECK(e->kernel.path && !strcmp(e->kernel.path, "/EFI/Linux/fuzz+3.efi"));
		if (!parsed)
			CHECK(e->error);
		if (e->error)
			CHECK(starts(e->error, "uki: /EFI/Linux/fuzz+3.efi: "));
		else
			CHECK(e->architecture && e->title);
		check_text(e->title, false);
		check_text(e->version, false);
		check_text(e->sort_key, false);
		check_text(e->options, true);
		CHECK(!e->options || *e->options);
		CHECK(!e->nr_initrd);
	}
}

static void check_unwrap(const uint8_t *data, size_t size)
{
	struct arena ar = { 0 };
	struct image img;
	size_t i;
	int rc;

	/* A small cap: the stream rows must refuse, not allocate, more. */
	rc = image_unwrap(&ar, "k", data, size, 1 << 20, 1, &img);
	if (!rc && uki_detect(data, size)) {
		CHECK(starts(img.format, "uki"));
		CHECK(img.nr_initrd <= IMAGE_MAX_UKI_INITRDS);
		for (i = 0; i < img.nr_initrd; i++) {
			check_view(img.initrd[i], img.initrd_size[i]);
			CHECK(img.initrd_size[i] > 0);
		}
		if (img.nr_initrd == 2)
			CHECK(!strcmp(img.initrd_name[0], ".ucode"));
		check_view(img.dtb, img.dtb_size);
		check_text(img.cmdline, true);
	}
	if (rc)
		CHECK(starts(kx_last_error(), "image: k: "));
	arena_release(&ar);
}

static void check_osrel(const uint8_t *data, size_t size)
{
	static const char *const keys[] = { "ID", "NAME", "PRETTY_NAME" };
	struct warnings w = { 0 };
	char *v[3];
	size_t i;

	CHECK(!osrel_parse("os", "f", (const char *)data, size, keys, v, 3, &w));
	for (i = 0; i < 3; i++) {
		if (!v[i])
			continue;
		CHECK(*v[i]);
		CHECK(utf8_valid((const uint8_t *)v[i], strlen(v[i])));
		CHECK(!strchr(v[i], '\n') && !strchr(v[i], '\r'));
		CHECK(!strchr(v[i], '\t'));
	}
	for (i = 0; i < w.n; i++)
		CHECK(starts(w.msg[i], "os: f:"));
	osrel_free(v, 3);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct entry_list l = { 0 };
	struct warnings w = { 0 };
	struct uki u;
	bool parsed;
	unsigned i;

	lo = data;
	hi = data + size;
	parsed = !uki_parse("f", "x.efi", data, size, &u);
	CHECK(parsed || starts(kx_last_error(), "f: x.efi: "));
	if (parsed)
		check_parts(&u);

	CHECK(!uki_entries("/EFI/Linux/fuzz+3.efi", data, size, "x64", &l, &w));
	check_entries(&l, &u, parsed);
	for (i = 0; i < w.n; i++)
		CHECK(starts(w.msg[i], "uki: /EFI/Linux/fuzz+3.efi:."));
	entry_list_free(&l);

	check_unwrap(data, size);
	if (size <= OSREL_MAX_FILE)
		check_osrel(data, size);
	return 0;
}
