/* kexshim: boot entries on a mounted ESP (see entries.h).  Runs in PID 1
 * once the ESP is mounted, and in the CLI. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/console.h"
#include "config/entries.h"
#include "config/loaderconf.h"
#include "lib/error.h"
#include "load/load.h"
#include "lib/readfile.h"
#include "lib/warn.h"

_Static_assert(BLS_MAX_INITRDS <= LOAD_MAX_INITRDS, "initrd limits");

/* A BLS file: regular (a FIFO or device would block or never end) and at
 * most BLS_MAX_FILE bytes.  Return: 0 with *buf (malloc'ed, NUL-terminated)
 * and *len, or -errno with kx_fail(). */
static int read_small(const char *path, char **buf, size_t *len)
{
	struct stat st;

	if (!stat(path, &st) && !S_ISREG(st.st_mode))
		return kx_fail(EINVAL, "entries: %s: not a regular file", path);
	return read_file_whole("entries", path, BLS_MAX_FILE, buf, len);
}

/* ESP root + a BLS path ("/vmlinuz" or "vmlinuz"). */
static char *esp_path(const char *esp, const char *rel)
{
	char *s;

	while (*rel == '/')
		rel++;
	if (asprintf(&s, "%s/%s", esp, rel) < 0)
		return NULL;
	return s;
}

static void entry_free(struct entry *e)
{
	size_t i;

	free(e->id);
	free(e->path);
	free(e->error);
	bls_entry_free(&e->bls);
	free(e->kernel);
	for (i = 0; i < BLS_MAX_INITRDS; i++)
		free(e->initrd[i]);
	free(e->dtb);
	memset(e, 0, sizeof(*e));
}

/* Mark e broken with the current kx_last_error().  Return: 0 or -ENOMEM. */
static int set_broken(struct entry *e)
{
	bls_entry_free(&e->bls);
	free(e->error);
	e->error = strdup(kx_last_error());
	return e->error ? 0 : -ENOMEM;
}

static int load_entry(const char *esp, const char *bls_arch, struct entry *e)
{
	char *buf = NULL;
	size_t len, i;
	int rc;

	rc = read_small(e->path, &buf, &len);
	if (!rc)
		rc = bls_parse_entry(e->path, buf, len, &e->bls);
	free(buf);
	if (rc)
		return set_broken(e);
	if (bls_arch && e->bls.architecture &&
	    strcasecmp(e->bls.architecture, bls_arch)) {
		kx_fail(EINVAL, "entries: %s: for architecture '%s', this is '%s'",
			e->path, e->bls.architecture, bls_arch);
		return set_broken(e);
	}
	e->kernel = esp_path(esp, e->bls.kernel);
	if (!e->kernel)
		return -ENOMEM;
	for (i = 0; i < e->bls.nr_initrd; i++)
		if (!(e->initrd[i] = esp_path(esp, e->bls.initrd[i])))
			return -ENOMEM;
	if (e->bls.devicetree && !(e->dtb = esp_path(esp, e->bls.devicetree)))
		return -ENOMEM;
	return 0;
}

static int cmp_entries(const void *pa, const void *pb)
{
	const struct entry *a = pa, *b = pb;

	if (!a->error != !b->error)
		return a->error ? 1 : -1;
	if (a->error)
		return strcmp(a->id, b->id);
	return bls_compare(&a->bls, &b->bls);
}

static void read_loader_conf(struct entries *es)
{
	struct loader_conf c;
	char *path, *buf;
	size_t len;

	if (asprintf(&path, "%s/loader/loader.conf", es->esp) < 0)
		return;
	if (access(path, F_OK)) {
		free(path);
		return; /* optional */
	}
	if (read_small(path, &buf, &len)) {
		con_warn("%s; no default entry", kx_last_error());
	} else {
		struct warnings w = { 0 };

		if (loader_conf_parse(path, buf, len, &c, &w))
			con_warn("%s; no default entry", kx_last_error());
		else
			es->default_pattern = c.default_pattern;
		con_warnings_print(&w);
		free(buf);
	}
	free(path);
}

int entries_scan(const char *esp, const char *bls_arch, struct entries *es)
{
	struct dirent *d;
	char *dirpath;
	size_t cap = 0;
	DIR *dir;
	int rc = 0;

	memset(es, 0, sizeof(*es));
	es->esp = strdup(esp);
	if (!es->esp || asprintf(&dirpath, "%s/loader/entries", esp) < 0) {
		entries_free(es);
		return kx_fail(ENOMEM, "entries: out of memory");
	}
	dir = opendir(dirpath);
	if (!dir) {
		rc = kx_fail(errno, "entries: %s: %s", dirpath, strerror(errno));
		free(dirpath);
		entries_free(es);
		return rc;
	}
	while ((d = readdir(dir))) {
		size_t nl = strlen(d->d_name);
		struct entry *e;
		int tl, td;

		/* Hidden files are editor and installer leftovers. */
		if (d->d_name[0] == '.' || nl <= 5 ||
		    strcasecmp(d->d_name + nl - 5, ".conf"))
			continue;
		if (es->n == cap) {
			struct entry *nv;

			cap = cap ? cap * 2 : 16;
			nv = realloc(es->v, cap * sizeof(*nv));
			if (!nv) {
				rc = -ENOMEM;
				break;
			}
			es->v = nv;
		}
		e = &es->v[es->n];
		memset(e, 0, sizeof(*e));
		e->bls.tries_left = -1;
		es->n++;
		if (asprintf(&e->path, "%s/%s", dirpath, d->d_name) < 0) {
			e->path = NULL;
			rc = -ENOMEM;
			break;
		}
		rc = bls_entry_id(d->d_name, &e->id, &tl, &td);
		if (!rc)
			rc = load_entry(esp, bls_arch, e);
		if (rc)
			break;
	}
	closedir(dir);
	free(dirpath);
	if (rc) {
		entries_free(es);
		return kx_fail(ENOMEM, "entries: %s: out of memory", esp);
	}
	if (es->n)
		qsort(es->v, es->n, sizeof(*es->v), cmp_entries);
	read_loader_conf(es);
	return 0;
}

void entries_free(struct entries *es)
{
	size_t i;

	for (i = 0; i < es->n; i++)
		entry_free(&es->v[i]);
	free(es->v);
	free(es->esp);
	free(es->default_pattern);
	memset(es, 0, sizeof(*es));
}

/* Return: the first entry in menu order matching pattern, or -1. */
static int find(const struct entries *es, const char *pattern)
{
	size_t i;

	for (i = 0; i < es->n; i++)
		if (bls_default_matches(pattern, es->v[i].id))
			return (int)i;
	return -1;
}

int entries_pick(const struct entries *es, const char *arg,
		 const char *kc_entry)
{
	int i;

	if (!es->n)
		return kx_fail(ENOENT, "entries: no entries in %s/loader/entries",
			       es->esp);
	if (arg && *arg) {
		i = find(es, arg);
		if (i < 0)
			return kx_fail(ENOENT, "entries: no entry matches '%s' in "
				       "%s/loader/entries", arg, es->esp);
		return i;
	}
	if (kc_entry && *kc_entry) {
		i = find(es, kc_entry);
		if (i >= 0)
			return i;
		con_warn("entries: kexshim.entry=%s matches no entry; using the "
			 "default", kc_entry);
	}
	if (es->default_pattern) {
		i = find(es, es->default_pattern);
		if (i >= 0)
			return i;
		con_warn("entries: loader.conf default '%s' matches no entry; "
			 "using the first", es->default_pattern);
	}
	return 0;
}

size_t entries_order(const struct entries *es, size_t first, size_t *order)
{
	size_t i, n = 0;

	if (first < es->n)
		order[n++] = first;
	for (i = 0; i < es->n; i++)
		if (i != first)
			order[n++] = i;
	return n;
}

void entries_request(const struct entry *e, struct load_request *req)
{
	size_t i;

	memset(req, 0, sizeof(*req));
	req->kernel = e->kernel;
	for (i = 0; i < e->bls.nr_initrd; i++)
		req->initrd[i] = e->initrd[i];
	req->nr_initrd = e->bls.nr_initrd;
	req->cmdline = e->bls.options ? e->bls.options : "";
	req->dtb = e->dtb;
	req->memmap = NULL;
	req->root = "";
}

int entries_try(const struct entries *es, size_t first, entries_try_fn try,
		void *ctx)
{
	size_t *order, n, i;
	int rc;

	if (!es->n)
		return kx_fail(ENOENT, "entries: no entries in %s/loader/entries",
			       es->esp);
	order = calloc(es->n, sizeof(*order));
	if (!order)
		return kx_fail(ENOMEM, "entries: out of memory");
	n = entries_order(es, first, order);
	for (i = 0; i < n; i++) {
		const struct entry *e = &es->v[order[i]];

		if (e->error) {
			kx_fail(EINVAL, "%s", e->error);
			kx_report(-EINVAL);
			continue;
		}
		rc = try(e, ctx);
		if (!rc) {
			free(order);
			return 0;
		}
		kx_report(rc);
	}
	free(order);
	return kx_fail(ENOENT, "entries: all %zu entr%s in %s/loader/entries "
		       "failed", n, n == 1 ? "y" : "ies", es->esp);
}
