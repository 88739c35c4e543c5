/* kexshim: Boot Loader Specification Type #1 entries and loader.conf (see
 * bls.h).  Pure.  Runs in PID 1 after the ESP is mounted and in the CLI. */
#include <errno.h>
#include <fnmatch.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/utf8.h"
#include "config/bls.h"
#include "config/entry.h"
#include "config/kv.h"
#include "lib/error.h"

int bls_entry_id(const char *filename, const char *suffix, char **id,
		 int *tries_left, int *tries_done)
{
	const char *base = strrchr(filename, '/');
	size_t n, sn = strlen(suffix);
	const char *plus;

	base = base ? base + 1 : filename;
	n = strlen(base);
	if (n <= sn || strcasecmp(base + n - sn, suffix))
		return kx_fail(EINVAL, "bls: %s: not a %s file", filename,
			       suffix);
	/* The id goes into menus, JSON and LoaderEntries (UTF-16): a name
	 * that is no text would be mangled or dropped there, later. */
	if (!utf8_valid((const uint8_t *)base, n))
		return kx_fail(EINVAL, "bls: %s: the file name is not UTF-8",
			       filename);
	n -= sn;
	*tries_left = -1;
	*tries_done = 0;
	/* Boot counting (spec, "Boot counting"): NAME+LEFT[-DONE].conf. */
	plus = memrchr(base, '+', n);
	if (plus && plus > base) {
		const char *p = plus + 1, *e = base + n;
		long left = 0, done = 0;
		bool ok = p < e && *p >= '0' && *p <= '9';

		while (ok && p < e && *p >= '0' && *p <= '9' && left < 100000)
			left = left * 10 + (*p++ - '0');
		if (ok && p < e && *p == '-') {
			p++;
			ok = p < e && *p >= '0' && *p <= '9';
			while (ok && p < e && *p >= '0' && *p <= '9' &&
			       done < 100000)
				done = done * 10 + (*p++ - '0');
		}
		if (ok && p == e) {
			*tries_left = (int)left;
			*tries_done = (int)done;
			n = (size_t)(plus - base);
		}
	}
	*id = strndup(base, n);
	return *id ? 0 : kx_fail(ENOMEM, "bls: %s: out of memory", filename);
}

int bls_counted_name(const char *name, const char *suffix, char *out,
		     size_t size)
{
	int left, done, n;
	char *id;

	if (bls_entry_id(name, suffix, &id, &left, &done))
		return 0;
	if (left <= 0) {
		free(id);
		return 0;
	}
	n = snprintf(out, size, "%s+%d-%d%s", id, left - 1, done + 1, suffix);
	free(id);
	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 1;
}

/* Add the space-separated paths of a devicetree-overlay line. */
static int add_overlays(struct boot_entry *e, const char *name, unsigned line,
			const char *v, size_t n)
{
	size_t i = 0, j;

	while (i < n) {
		while (i < n && (v[i] == ' ' || v[i] == '\t'))
			i++;
		for (j = i; j < n && v[j] != ' ' && v[j] != '\t'; j++)
			;
		if (j == i)
			break;
		if (e->nr_overlay >= ENTRY_MAX_OVERLAYS)
			return kx_fail(E2BIG, "bls: %s:%u: more than %d device "
				       "tree overlays", name, line,
				       ENTRY_MAX_OVERLAYS);
		if (!entry_path_ok(v + i, j - i))
			return kx_fail(EINVAL, "bls: %s:%u: path '%.*s' leaves "
				       "its partition", name, line,
				       (int)(j - i), v + i);
		if (entry_set(&e->overlay[e->nr_overlay].path, v + i, j - i))
			return -ENOMEM;
		e->nr_overlay++;
		i = j;
	}
	return 0;
}

int bls_parse_entry(const char *name, const char *buf, size_t len,
		    struct boot_entry *e)
{
	struct kv_iter it = { .who = "bls", .name = name, .p = buf,
			      .end = buf + len };
	const char *k, *v;
	size_t klen, vlen;
	bool saw_efi = false;
	struct entry_pin_target pin = { PIN_NONE, 0 };
	char why[160];
	int rc;

	memset(e, 0, sizeof(*e));
	e->source = ENTRY_BLS;
	e->tries_left = -1;
	e->uki_profile = -1;
	if (len > BLS_MAX_FILE)
		return kx_fail(EFBIG, "bls: %s: larger than %u bytes", name,
			       BLS_MAX_FILE);
	rc = bls_entry_id(name, ".conf", &e->id, &e->tries_left,
			  &e->tries_done);
	if (!rc)
		rc = entry_set(&e->config, name, (size_t)-1);
	if (rc)
		goto fail;
	while ((rc = kv_next(&it, &k, &klen, &v, &vlen)) > 0) {
		int err = 0;

		bool is_path = key_eq(k, klen, "linux") ||
			       key_eq(k, klen, "initrd") ||
			       key_eq(k, klen, "devicetree");

		if (is_path && !entry_path_ok(v, vlen)) {
			rc = kx_fail(EINVAL, "bls: %s:%u: path '%.*s' leaves "
				     "its partition", name, it.lineno,
				     (int)vlen, v);
			goto fail;
		}
		/* kexshim's "sha256" pins (config/entry.h). */
		err = entry_pin_line(e, &pin, k, klen, v, vlen, why, sizeof(why));
		if (err == -EINVAL) {
			rc = kx_fail(EINVAL, "bls: %s:%u: %s", name, it.lineno, why);
			goto fail;
		}
		if (err > 0)
			continue;
		if (key_eq(k, klen, "title"))
			err = entry_set(&e->title, v, vlen);
		else if (key_eq(k, klen, "version"))
			err = entry_set(&e->version, v, vlen);
		else if (key_eq(k, klen, "machine-id"))
			err = entry_set(&e->machine_id, v, vlen);
		else if (key_eq(k, klen, "sort-key"))
			err = entry_set(&e->sort_key, v, vlen);
		else if (key_eq(k, klen, "architecture"))
			err = entry_set(&e->architecture, v, vlen);
		else if (key_eq(k, klen, "linux"))
			err = entry_set(&e->kernel.path, v, vlen);
		else if (key_eq(k, klen, "devicetree"))
			err = entry_set(&e->devicetree.path, v, vlen);
		else if (key_eq(k, klen, "devicetree-overlay"))
			err = add_overlays(e, name, it.lineno, v, vlen);
		else if (key_eq(k, klen, "options"))
			err = entry_append(&e->options, v, vlen);
		else if (key_eq(k, klen, "initrd")) {
			err = entry_add_initrd(e, v, vlen);
			if (err == -E2BIG) {
				rc = kx_fail(E2BIG, "bls: %s:%u: more than %d "
					     "initrd lines", name, it.lineno,
					     ENTRY_MAX_INITRDS);
				goto fail;
			}
		} else if (key_eq(k, klen, "efi") || key_eq(k, klen, "uki")) {
			saw_efi = true;
		}
		if (err == -ENOMEM) {
			rc = kx_fail(ENOMEM, "bls: %s: out of memory", name);
			goto fail;
		}
		if (err) {
			rc = err;
			goto fail;
		}
	}
	if (rc < 0)
		goto fail;
	if (!e->kernel.path) {
		rc = kx_fail(EINVAL, "bls: %s: no 'linux' line%s", name,
			     saw_efi ? " (efi/uki entries are not supported)" : "");
		goto fail;
	}
	return 0;
fail:
	entry_free(e);
	return rc;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_vchar(char c)
{
	return is_digit(c) || is_alpha(c) || c == '-' || c == '.' ||
	       c == '~' || c == '^';
}

/* Steps refer to "Version Comparison" in the Version Format Spec. */
int bls_version_cmp(const char *a, const char *b)
{
	a = a ? a : "";
	b = b ? b : "";
	for (;;) {
		/* 1: other characters are skipped. */
		while (*a && !is_vchar(*a))
			a++;
		while (*b && !is_vchar(*b))
			b++;
		/* 3 before 2: '~' sorts lower, even than the end of the
		 * other string ("249~rc1" < "249"), as the spec's "always
		 * sorts lower" and systemd-analyze compare-versions have it;
		 * the numbered steps would make it higher. */
		if (*a == '~' || *b == '~') {
			if (*a != '~')
				return 1;
			if (*b != '~')
				return -1;
			a++;
			b++;
		}
		/* 2, 4: the one with characters left is higher. */
		if (!*a || !*b)
			return (*a != 0) - (*b != 0);
		/* 5: '-' sorts lower. */
		if (*a == '-' || *b == '-') {
			if (*a != '-')
				return 1;
			if (*b != '-')
				return -1;
			a++;
			b++;
		}
		/* 6: '^' sorts higher. */
		if (*a == '^' || *b == '^') {
			if (*a != '^')
				return -1;
			if (*b != '^')
				return 1;
			a++;
			b++;
		}
		/* 6 (second): '.' sorts lower. */
		if (*a == '.' || *b == '.') {
			if (*a != '.')
				return 1;
			if (*b != '.')
				return -1;
			a++;
			b++;
		}
		/* 7: numbers, leading zeros skipped, empty = 0. */
		if (is_digit(*a) || is_digit(*b)) {
			size_t na = 0, nb = 0;
			int r;

			while (*a == '0')
				a++;
			while (*b == '0')
				b++;
			while (is_digit(a[na]))
				na++;
			while (is_digit(b[nb]))
				nb++;
			if (na != nb)
				return na < nb ? -1 : 1;
			r = memcmp(a, b, na);
			if (r)
				return r < 0 ? -1 : 1;
			a += na;
			b += nb;
			continue;
		}
		/* 8: letters, 'A' < 'a'; the longer run is higher. */
		while (is_alpha(*a) && is_alpha(*b)) {
			if (*a != *b)
				return *a < *b ? -1 : 1;
			a++;
			b++;
		}
		if (is_alpha(*a) != is_alpha(*b))
			return is_alpha(*a) ? 1 : -1;
	}
}

/* "Alphanumerical Order": strcmp, unset or empty lowest. */
static int str_order(const char *a, const char *b)
{
	bool ha = a && *a, hb = b && *b;

	if (!ha || !hb)
		return ha - hb;
	return strcmp(a, b);
}

int bls_compare(const struct boot_entry *a, const struct boot_entry *b)
{
	bool bad_a = a->tries_left == 0, bad_b = b->tries_left == 0;
	bool sk_a = a->sort_key && *a->sort_key;
	bool sk_b = b->sort_key && *b->sort_key;
	int r;

	if (bad_a != bad_b)
		return bad_a ? 1 : -1;
	if (sk_a && sk_b) {
		r = str_order(a->sort_key, b->sort_key);
		if (!r)
			r = str_order(a->machine_id, b->machine_id);
		if (!r)
			r = -bls_version_cmp(a->version, b->version);
		if (r)
			return r;
	} else if (sk_a != sk_b) {
		return sk_a ? -1 : 1;
	}
	r = -bls_version_cmp(a->id, b->id);
	if (!r && a->tries_done != b->tries_done)
		r = a->tries_done < b->tries_done ? -1 : 1;
	if (!r)
		r = strcmp(a->id ? a->id : "", b->id ? b->id : "");
	return r;
}

bool bls_default_matches(const char *pattern, const char *id)
{
	char with_suffix[512];

	if (!fnmatch(pattern, id, 0))
		return true;
	if (snprintf(with_suffix, sizeof(with_suffix), "%s.conf", id) >=
	    (int)sizeof(with_suffix))
		return false;
	return !fnmatch(pattern, with_suffix, 0);
}

const char *bls_arch_name(const char *arch)
{
	if (!strcmp(arch, "x86_64"))
		return "x64";
	if (!strcmp(arch, "arm64"))
		return "aa64";
	if (!strcmp(arch, "i386"))
		return "ia32";
	return arch;
}
