/* kexshim: Type #2 entries (see uki.h).  Pure.  Runs while entries are
 * listed, once per EFI/Linux/NAME.efi file the partition scanner read. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config/bls.h"
#include "config/entry.h"
#include "config/osrel.h"
#include "config/uki.h"
#include "image/uki.h"
#include "lib/error.h"
#include "lib/warn.h"

enum { OS_PRETTY_NAME, OS_NAME, OS_VERSION_ID, OS_IMAGE_ID, OS_ID, NR_OS };
static const char *const os_keys[NR_OS] = {
	[OS_PRETTY_NAME] = "PRETTY_NAME", [OS_NAME] = "NAME",
	[OS_VERSION_ID] = "VERSION_ID", [OS_IMAGE_ID] = "IMAGE_ID",
	[OS_ID] = "ID",
};
/* UKI spec: "Currently, two fields are defined: ID= ... TITLE=". */
enum { PR_ID, PR_TITLE, NR_PR };
static const char *const profile_keys[NR_PR] = {
	[PR_ID] = "ID", [PR_TITLE] = "TITLE",
};

/* What every profile's entry shares. */
struct uki_file {
	const char *path;
	const char *id;          /* file name minus ".efi" and counter */
	int tries_left, tries_done;
	const char *bls_arch;
	struct warnings *w;
	const uint8_t *warned[2]; /* .osrel / .profile data already parsed
				   * with warnings: the base's repeats */
};

/* Parse a section's key=value text.  Warnings once per section data. */
static int parse_section(struct uki_file *f, enum uki_kind k,
			 const struct uki_blob *b, const char *const *keys,
			 char **values, size_t n)
{
	const uint8_t **warned = &f->warned[k == UKI_PROFILE];
	char name[600];

	snprintf(name, sizeof(name), "%s:%s", f->path, uki_section_name(k));
	if (!b->data) {
		memset(values, 0, n * sizeof(*values));
		return 0;
	}
	if (*warned == b->data)
		return osrel_parse("uki", name, (const char *)b->data, b->size,
				   keys, values, n, NULL);
	*warned = b->data;
	return osrel_parse("uki", name, (const char *)b->data, b->size, keys,
			   values, n, f->w);
}

/* The blob as one line of text, trimmed, into *out (malloc'ed; NULL when
 * absent or empty).  Return: 0 or -ENOMEM. */
static int blob_line(const struct uki_blob *b, char **out)
{
	char *s;

	*out = NULL;
	if (!b->data || !b->size)
		return 0;
	s = malloc(b->size + 1);
	if (!s)
		return -ENOMEM;
	uki_cmdline_copy(b, s);
	if (*s)
		*out = s;
	else
		free(s);
	return 0;
}

/* Fill entry e for profile prof (-1: a UKI without profiles) from p.
 * Return: 0 or -ENOMEM. */
static int fill(struct uki_file *f, struct boot_entry *e, int prof,
		const struct uki *u, const struct uki_part *p)
{
	char *os[NR_OS], *pr[NR_PR], *uname = NULL;
	const char *name, *arch = uki_arch_name(u->machine);
	int rc;

	rc = parse_section(f, UKI_OSREL, &p->s[UKI_OSREL], os_keys, os, NR_OS);
	if (rc)
		return rc;
	rc = parse_section(f, UKI_PROFILE, &p->s[UKI_PROFILE], profile_keys,
			   pr, NR_PR);
	if (rc) {
		osrel_free(os, NR_OS);
		return rc;
	}
	name = os[OS_PRETTY_NAME] ? os[OS_PRETTY_NAME] :
	       os[OS_NAME] ? os[OS_NAME] : e->id;
	if (pr[PR_TITLE] || pr[PR_ID] || prof > 0) {
		char *t;

		if (pr[PR_TITLE] || pr[PR_ID])
			rc = asprintf(&t, "%s (%s)", name,
				      pr[PR_TITLE] ? pr[PR_TITLE] : pr[PR_ID]);
		else
			rc = asprintf(&t, "%s (@%d)", name, prof);
		rc = rc < 0 ? -ENOMEM : 0;
		if (!rc)
			e->title = t;
	} else {
		rc = entry_set(&e->title, name, (size_t)-1);
	}
	if (!rc && os[OS_VERSION_ID])
		rc = entry_set(&e->version, os[OS_VERSION_ID], (size_t)-1);
	else if (!rc && !(rc = blob_line(&p->s[UKI_UNAME], &uname)) && uname)
		rc = entry_set(&e->version, uname, (size_t)-1);
	/* systemd-boot: "good_sort_key = os_image_id ?: os_id". */
	if (!rc && (os[OS_IMAGE_ID] || os[OS_ID]))
		rc = entry_set(&e->sort_key, os[OS_IMAGE_ID] ? os[OS_IMAGE_ID] :
			       os[OS_ID], (size_t)-1);
	if (!rc)
		rc = blob_line(&p->s[UKI_CMDLINE], &e->options);
	if (!rc && arch)
		rc = entry_set(&e->architecture, arch, (size_t)-1);
	free(uname);
	osrel_free(os, NR_OS);
	osrel_free(pr, NR_PR);
	if (rc || e->error)
		return rc;
	if (!arch)
		return entry_fail(e, "uki: %s: for architecture 0x%04x (PE "
				  "machine), this is '%s'", f->path, u->machine,
				  f->bls_arch ? f->bls_arch : "?");
	if (f->bls_arch && strcasecmp(arch, f->bls_arch))
		return entry_fail(e, "uki: %s: for architecture '%s', this is "
				  "'%s'", f->path, arch, f->bls_arch);
	return 0;
}

/* A new entry with what every profile's has.  Return: it, or NULL. */
static struct boot_entry *add(struct uki_file *f, struct entry_list *out,
			      int prof)
{
	struct boot_entry *e = entry_add(out, ENTRY_UKI);
	char *id;

	if (!e)
		return NULL;
	e->uki_profile = prof < 0 ? 0 : prof;
	e->tries_left = f->tries_left;
	e->tries_done = f->tries_done;
	if (prof > 0) {
		if (asprintf(&id, "%s@%d", f->id, prof) < 0)
			id = NULL;
		e->id = id;
	} else {
		e->id = strdup(f->id);
	}
	if (!e->id || entry_set(&e->config, f->path, (size_t)-1) ||
	    entry_set(&e->kernel.path, f->path, (size_t)-1)) {
		entry_drop_last(out);
		return NULL;
	}
	return e;
}

int uki_entries(const char *path, const uint8_t *buf, size_t len,
		const char *bls_arch, struct entry_list *out,
		struct warnings *w)
{
	struct uki_file f = { .path = path, .bls_arch = bls_arch, .w = w };
	size_t start = out->n;
	struct boot_entry *e;
	struct uki_part p;
	struct uki *u;
	char *id = NULL;
	int i, n, rc;

	rc = bls_entry_id(path, ".efi", &id, &f.tries_left,
			 &f.tries_done);
	if (rc == -EINVAL) {
		/* Not named *.efi: the whole file name is the id. */
		const char *base = strrchr(path, '/');

		id = strdup(base ? base + 1 : path);
		f.tries_left = -1;
		f.tries_done = 0;
	}
	if (!id)
		return kx_fail(ENOMEM, "uki: %s: out of memory", path);
	f.id = id;
	u = malloc(sizeof(*u));
	if (!u) {
		free(id);
		return kx_fail(ENOMEM, "uki: %s: out of memory", path);
	}
	rc = uki_parse("uki", path, buf, len, u);
	if (rc) {
		e = add(&f, out, -1);
		rc = !e || entry_set(&e->error, kx_last_error(), (size_t)-1) ?
		     -ENOMEM : 0;
		goto done;
	}
	n = u->nr_profiles ? (int)u->nr_profiles : 1;
	for (i = 0; i < n && !rc; i++) {
		int prof = u->nr_profiles ? i : -1;

		e = add(&f, out, prof);
		if (!e) {
			rc = -ENOMEM;
			break;
		}
		if (uki_select("uki", path, u, prof, &p)) {
			rc = entry_set(&e->error, kx_last_error(), (size_t)-1);
			/* Still a title for the menu: the base's. */
			p = u->base;
		}
		if (!rc)
			rc = fill(&f, e, prof, u, &p);
	}
done:
	free(u);
	free(id);
	if (rc) {
		while (out->n > start)
			entry_drop_last(out);
		return kx_fail(ENOMEM, "uki: %s: out of memory", path);
	}
	return 0;
}
