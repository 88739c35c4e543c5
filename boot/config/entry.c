/* kexshim: boot entries (see entry.h).  Pure. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/util.h"
#include "config/entry.h"

struct boot_entry *entry_add(struct entry_list *l, enum entry_source source)
{
	struct boot_entry *e;

	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		struct boot_entry *v = realloc(l->v, cap * sizeof(*v));

		if (!v)
			return NULL;
		l->v = v;
		l->cap = cap;
	}
	e = &l->v[l->n++];
	memset(e, 0, sizeof(*e));
	e->source = source;
	e->tries_left = -1;
	e->uki_profile = -1;
	return e;
}

void entry_drop_last(struct entry_list *l)
{
	if (l->n)
		entry_free(&l->v[--l->n]);
}

static void file_free(struct entry_file *f)
{
	free(f->path);
	free(f->sha256);
}

void entry_free(struct boot_entry *e)
{
	size_t i;

	free(e->id);
	free(e->title);
	free(e->version);
	free(e->machine_id);
	free(e->sort_key);
	free(e->architecture);
	free(e->config);
	free(e->fs_uuid);
	free(e->fs_label);
	file_free(&e->kernel);
	for (i = 0; i < e->nr_initrd; i++)
		file_free(&e->initrd[i]);
	free(e->options);
	file_free(&e->devicetree);
	for (i = 0; i < e->nr_overlay; i++)
		file_free(&e->overlay[i]);
	free(e->error);
	memset(e, 0, sizeof(*e));
	e->tries_left = -1;
	e->uki_profile = -1;
}

void entry_list_free(struct entry_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		entry_free(&l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

int entry_set(char **dst, const char *s, size_t n)
{
	char *c = n == (size_t)-1 ? strdup(s) : strndup(s, n);

	if (!c)
		return -ENOMEM;
	free(*dst);
	*dst = c;
	return 0;
}

int entry_append(char **dst, const char *s, size_t n)
{
	size_t old = *dst ? strlen(*dst) : 0;
	char *c;

	if (n == (size_t)-1)
		n = strlen(s);
	c = realloc(*dst, old + (old ? 1 : 0) + n + 1);
	if (!c)
		return -ENOMEM;
	if (old)
		c[old++] = ' ';
	memcpy(c + old, s, n);
	c[old + n] = '\0';
	*dst = c;
	return 0;
}

int entry_add_initrd(struct boot_entry *e, const char *path, size_t n)
{
	if (e->nr_initrd >= ENTRY_MAX_INITRDS)
		return -E2BIG;
	if (entry_set(&e->initrd[e->nr_initrd].path, path, n))
		return -ENOMEM;
	e->nr_initrd++;
	return 0;
}

int entry_fail(struct boot_entry *e, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return entry_set(&e->error, buf, (size_t)-1);
}

static bool id_taken(const struct entry_list *l, size_t from, const char *id)
{
	size_t i;

	for (i = from; i < l->n; i++)
		if (l->v[i].id && !strcmp(l->v[i].id, id))
			return true;
	return false;
}

char *entry_unique_id(const struct entry_list *l, size_t from, const char *id)
{
	size_t len = strlen(id), i;
	unsigned n = 1;
	char *s;

	if (!id_taken(l, from, id))
		return strdup(id);
	/* Start past the "id" and "id~..." already there: usually free at
	 * once, so n repeats cost n^2, not n^3; the loop covers the rest. */
	for (i = from; i < l->n; i++)
		if (l->v[i].id && !strncmp(l->v[i].id, id, len) &&
		    (!l->v[i].id[len] || l->v[i].id[len] == '~'))
			n++;
	for (;; n++) {
		if (asprintf(&s, "%s~%u", id, n) < 0)
			return NULL;
		if (!id_taken(l, from, s))
			return s;
		free(s);
	}
}

bool entry_path_ok(const char *v, size_t n)
{
	size_t i = 0;

	while (i < n) {
		size_t j = i;

		while (j < n && v[j] != '/')
			j++;
		if (j - i == 2 && v[i] == '.' && v[i + 1] == '.')
			return false;
		i = j + 1;
	}
	return true;
}

int entry_bli_id(const struct boot_entry *e, char *out, size_t size)
{
	const char *id = e->id ? e->id : "";
	int n;

	if (e->source == ENTRY_BLS)
		n = snprintf(out, size, "%s.conf", id);
	else if (e->source == ENTRY_UKI && e->uki_profile > 0)
		n = snprintf(out, size, "%.*s.efi%s", (int)strcspn(id, "@"), id,
			     id + strcspn(id, "@"));
	else if (e->source == ENTRY_UKI)
		n = snprintf(out, size, "%s.efi", id);
	else
		n = snprintf(out, size, "%s", id);
	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

const char *entry_source_name(enum entry_source s)
{
	static const char *const names[] = {
		[ENTRY_BLS] = "bls", [ENTRY_UKI] = "uki", [ENTRY_GRUB] = "grub",
		[ENTRY_SYSLINUX] = "syslinux", [ENTRY_DEBIAN] = "debian",
		[ENTRY_NET] = "net",
	};

	return (unsigned)s < ARRAY_SIZE(names) && names[s] ?
	       names[s] : "?";
}

static bool key_is(const char *k, size_t n, const char *name)
{
	return strlen(name) == n && !strncasecmp(k, name, n);
}

int entry_pin_line(struct boot_entry *e, struct entry_pin_target *t,
		   const char *key, size_t klen, const char *v, size_t n,
		   char *why, size_t whysz)
{
	struct entry_file *f[ENTRY_MAX_INITRDS + ENTRY_MAX_OVERLAYS];
	size_t nf = 0, count = 1, i, off = 0;
	enum entry_pin_kind kind = t->kind;

	if (!key_is(key, klen, "sha256")) {
		kind = key_is(key, klen, "linux") || key_is(key, klen, "kernel") ?
		       PIN_KERNEL : key_is(key, klen, "initrd") ? PIN_INITRD :
		       key_is(key, klen, "devicetree") || key_is(key, klen, "fdt") ?
		       PIN_DTB : key_is(key, klen, "devicetree-overlay") ||
		       key_is(key, klen, "fdtoverlays") ? PIN_OVERLAY : PIN_NONE;
		/* Other lines (options, append, title) leave it be. */
		if (kind != PIN_NONE) {
			t->kind = kind;
			t->first = kind == PIN_INITRD ? e->nr_initrd :
				   e->nr_overlay;
		}
		return 0;
	}
	t->kind = PIN_NONE; /* one pin line per file line */
	if (kind == PIN_KERNEL)
		f[nf++] = &e->kernel;
	else if (kind == PIN_DTB)
		f[nf++] = &e->devicetree;
	for (i = t->first; kind == PIN_INITRD && i < e->nr_initrd; i++)
		f[nf++] = &e->initrd[i];
	for (i = t->first; kind == PIN_OVERLAY && i < e->nr_overlay; i++)
		f[nf++] = &e->overlay[i];
	if (!nf) {
		snprintf(why, whysz, "sha256 must follow the file line it pins");
		return -EINVAL;
	}
	for (i = 0; i < n; i++)
		count += v[i] == ',';
	if (count != nf) {
		snprintf(why, whysz, "sha256 gives %zu digest%s for %zu file%s",
			 count, count == 1 ? "" : "s", nf, nf == 1 ? "" : "s");
		return -EINVAL;
	}
	for (i = 0; i < nf; i++) {
		size_t len = 0, k;

		while (off + len < n && v[off + len] != ',')
			len++;
		for (k = 0; k < len; k++)
			if (!strchr("0123456789abcdefABCDEF", v[off + k]) ||
			    !v[off + k])
				break;
		if (len != 64 || k != len) {
			snprintf(why, whysz, "sha256 '%.*s' is not 64 hex digits",
				 (int)(len > 70 ? 70 : len), v + off);
			return -EINVAL;
		}
		if (f[i]->sha256) {
			snprintf(why, whysz, "sha256 given twice for a file");
			return -EINVAL;
		}
		if (entry_set(&f[i]->sha256, v + off, len))
			return -ENOMEM;
		for (k = 0; k < len; k++)
			if (f[i]->sha256[k] >= 'A' && f[i]->sha256[k] <= 'F')
				f[i]->sha256[k] = (char)(f[i]->sha256[k] - 'A' + 'a');
		off += len + 1;
	}
	return 1;
}
