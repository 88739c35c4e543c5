/* kexshim: the entries of every file system (see entries.h).  Runs in PID 1
 * once the disks are mounted, and in the CLI. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "config/bls.h"
#include "config/entries.h"
#include "config/loaderconf.h"
#include "config/scan.h"
#include "disk/part.h"
#include "lib/console.h"
#include "lib/error.h"
#include "lib/warn.h"
#include "load/load.h"

_Static_assert(ENTRY_MAX_INITRDS <= LOAD_MAX_INITRDS, "initrd limits");
_Static_assert(ENTRY_MAX_OVERLAYS <= LOAD_MAX_OVERLAYS, "overlay limits");

/* Menu order: Boot Loader Specification entries (Type #1 and #2 sorted
 * together, as systemd-boot does), then each other source's entries in
 * the order their file lists them (a grub.cfg's order is its author's),
 * then the Debian fallback; broken entries last, by ID. */
static int source_rank(enum entry_source s)
{
	switch (s) {
	case ENTRY_BLS:
	case ENTRY_UKI:
		return 0;
	case ENTRY_GRUB:
		return 1;
	case ENTRY_SYSLINUX:
		return 2;
	case ENTRY_NET:
		return 3;
	default:
		return 4;
	}
}

struct ranked {
	struct boot_entry e;
	size_t scanned; /* position in scan order: keeps file order */
};

static int cmp_entries(const void *pa, const void *pb)
{
	const struct ranked *ra = pa, *rb = pb;
	const struct boot_entry *a = &ra->e, *b = &rb->e;
	int r;

	if (!a->error != !b->error)
		return a->error ? 1 : -1;
	if (a->error)
		return strcmp(a->id ? a->id : "", b->id ? b->id : "");
	r = source_rank(a->source) - source_rank(b->source);
	if (!r && source_rank(a->source) == 0)
		r = bls_compare(a, b);
	if (!r)
		r = ra->scanned < rb->scanned ? -1 : ra->scanned > rb->scanned;
	return r;
}

/* qsort() is not stable: sort copies that remember where they were. */
static int sort_entries(struct entry_list *l)
{
	struct ranked *r = calloc(l->n, sizeof(*r));
	size_t i;

	if (!r)
		return -ENOMEM;
	for (i = 0; i < l->n; i++) {
		r[i].e = l->v[i];
		r[i].scanned = i;
	}
	qsort(r, l->n, sizeof(*r), cmp_entries);
	for (i = 0; i < l->n; i++)
		l->v[i] = r[i].e;
	free(r);
	return 0;
}

static void read_loader_conf(const struct part *esp, struct entries *es)
{
	struct warnings w = { 0 };
	char *buf;
	size_t len;

	if (!esp || !part_exists(esp, "/loader/loader.conf"))
		return; /* optional */
	if (part_read(esp, "entries", "/loader/loader.conf", BLS_MAX_FILE,
		      &buf, &len)) {
		con_warn("%s; no default entry", kx_last_error());
		return;
	}
	if (loader_conf_parse("loader.conf", buf, len, &es->conf, &w))
		con_warn("%s; no default entry", kx_last_error());
	con_warnings_print(&w);
	free(buf);
}

int entries_scan(struct disk_set *set, const struct part *esp,
		 const char *bls_arch, struct entries *es)
{
	struct warnings w = { 0 };
	size_t i;
	int rc = 0;

	memset(es, 0, sizeof(*es));
	es->set = set;
	for (i = 0; i < set->n && !rc; i++)
		rc = scan_part(&set->v[i], bls_arch, &es->l, &w);
	con_warnings_print(&w);
	if (rc) {
		entries_free(es);
		return kx_fail(ENOMEM, "entries: out of memory");
	}
	if (es->l.n && sort_entries(&es->l)) {
		entries_free(es);
		return kx_fail(ENOMEM, "entries: out of memory");
	}
	read_loader_conf(esp, es);
	for (i = 0; i < es->l.n; i++) {
		const struct boot_entry *e = &es->l.v[i];
		const struct part *p = e->part;

		con_note("entry %zu: '%s' (%s on %s)%s%s", i + 1, e->id,
			 entry_source_name(e->source), p ? p->mnt : "?",
			 e->error ? ": " : "", e->error ? e->error : "");
	}
	return 0;
}

void entries_free(struct entries *es)
{
	entry_list_free(&es->l);
	loader_conf_free(&es->conf);
	memset(es, 0, sizeof(*es));
}

/* Return: the first entry in menu order matching pattern, or -1. */
static int find(const struct entries *es, const char *pattern)
{
	char bli[512];
	size_t i;

	for (i = 0; i < es->l.n; i++) {
		const struct boot_entry *e = &es->l.v[i];

		if (!e->id)
			continue;
		if (bls_default_matches(pattern, e->id))
			return (int)i;
		/* What bootctl and systemctl call it ("foo.efi@1"). */
		if (!entry_bli_id(e, bli, sizeof(bli)) &&
		    !fnmatch(pattern, bli, 0))
			return (int)i;
	}
	return -1;
}

int entries_pick(const struct entries *es, const struct entries_prefs *pf)
{
	const struct {
		const char *pattern, *what;
	} asks[] = {
		{ pf->oneshot, "LoaderEntryOneShot" },
		{ pf->kc_entry, "kexshim.entry" },
		{ pf->efi_default, "LoaderEntryDefault" },
		{ es->conf.default_pattern, "loader.conf default" },
	};
	size_t k;
	int i;

	if (!es->l.n)
		return kx_fail(ENOENT, "entries: no boot entries on %zu file "
			       "system%s", es->set->n, es->set->n == 1 ? "" : "s");
	if (pf->arg && *pf->arg) {
		i = find(es, pf->arg);
		if (i < 0)
			return kx_fail(ENOENT, "entries: no entry matches '%s'",
				       pf->arg);
		return i;
	}
	for (k = 0; k < ARRAY_SIZE(asks); k++) {
		if (!asks[k].pattern || !*asks[k].pattern)
			continue;
		i = find(es, asks[k].pattern);
		if (i >= 0)
			return i;
		con_warn("entries: %s '%s' matches no entry; using the next "
			 "choice", asks[k].what, asks[k].pattern);
	}
	/* Nobody asked: the first entry, or when it comes from a grub.cfg
	 * or extlinux.conf, that file's own default. */
	for (k = 0; k < es->l.n; k++) {
		const struct boot_entry *e = &es->l.v[k];

		if (e->source != es->l.v[0].source || e->part != es->l.v[0].part)
			break;
		if (e->config_default && !e->error)
			return (int)k;
	}
	return 0;
}

size_t entries_order(const struct entries *es, size_t first, size_t *order)
{
	size_t i, n = 0;

	if (first < es->l.n)
		order[n++] = first;
	for (i = 0; i < es->l.n; i++)
		if (i != first)
			order[n++] = i;
	return n;
}

/* The file system e's files are on.  Return: it, or NULL (kx_fail). */
static const struct part *files_part(const struct entries *es,
				     const struct boot_entry *e)
{
	const struct part *p = e->part;

	if (e->fs_uuid) {
		p = disk_find_uuid(es->set, e->fs_uuid);
		if (!p)
			kx_fail(ENOENT, "entries: %s: no file system with "
				"UUID=%s", e->id, e->fs_uuid);
	} else if (e->fs_label) {
		p = disk_find_label(es->set, e->fs_label);
		if (!p)
			kx_fail(ENOENT, "entries: %s: no file system labelled "
				"'%s'", e->id, e->fs_label);
	} else if (!p) {
		kx_fail(ENOENT, "entries: %s: on no file system", e->id);
	}
	if (p && p->dirfd < 0) {
		kx_fail(ENOENT, "entries: %s: /dev/%s is not mounted", e->id,
			p->name);
		p = NULL;
	}
	return p;
}

/* One file.  Type #1 entries in /boot/loader/entries of a root file
 * system name their files relative to /boot when /boot is a directory
 * (Fedora's kernel-install writes "linux /vmlinuz-..." there): try both. */
static int resolve(const struct part *p, const struct boot_entry *e,
		   const char *path, char *out, size_t size)
{
	char boot[PATH_MAX];

	if (e->source == ENTRY_BLS && p->role == PART_OTHER &&
	    !part_exists(p, path)) {
		snprintf(boot, sizeof(boot), "/boot/%s",
			 path + (*path == '/'));
		if (part_exists(p, boot))
			path = boot;
	}
	return part_realpath(p, "entries", path, out, size);
}

int entries_request(const struct entries *es, const struct boot_entry *e,
		    struct entry_paths *paths, struct load_request *req)
{
	const struct part *p = files_part(es, e);
	bool dtb;
	size_t i;
	int rc;

	memset(req, 0, sizeof(*req));
	if (!p)
		return -ENOENT;
	rc = resolve(p, e, e->kernel.path, paths->kernel, sizeof(paths->kernel));
	for (i = 0; !rc && i < e->nr_initrd; i++)
		rc = resolve(p, e, e->initrd[i].path, paths->initrd[i],
			     sizeof(paths->initrd[i]));
	/* extlinux's FDTDIR ("dir/"): U-Boot appends its own fdtfile, which
	 * only U-Boot knows; the machine's device tree stays. */
	dtb = e->devicetree.path && *e->devicetree.path &&
	      e->devicetree.path[strlen(e->devicetree.path) - 1] != '/';
	if (!rc && dtb)
		rc = resolve(p, e, e->devicetree.path, paths->dtb,
			     sizeof(paths->dtb));
	for (i = 0; !rc && i < e->nr_overlay; i++)
		rc = resolve(p, e, e->overlay[i].path, paths->overlay[i],
			     sizeof(paths->overlay[i]));
	if (rc)
		return rc;
	for (i = 0; i < e->nr_overlay; i++)
		req->overlay[i] = paths->overlay[i];
	req->nr_overlay = e->nr_overlay;
	req->kernel = paths->kernel;
	for (i = 0; i < e->nr_initrd; i++)
		req->initrd[i] = paths->initrd[i];
	req->nr_initrd = e->nr_initrd;
	/* A UKI's options are its .cmdline already; NULL lets a UKI without
	 * one boot with none. */
	req->cmdline = e->options ? e->options :
		       e->source == ENTRY_UKI ? NULL : "";
	req->uki_profile = e->source == ENTRY_UKI ? e->uki_profile : -1;
	req->dtb = dtb ? paths->dtb : NULL;
	req->memmap = NULL;
	req->root = "";
	return 0;
}

/* The first entry of the fallback sequence neither broken nor failed;
 * the broken ones passed on the way say why, once (said[]).
 * Return: its index, or -1. */
static int next_untried(const struct entries *es, const size_t *order,
			size_t n, char *const *failed, bool *said)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const struct boot_entry *e = &es->l.v[order[i]];

		if (failed[order[i]])
			continue;
		if (!e->error)
			return (int)order[i];
		if (!said[order[i]]) {
			kx_fail(EINVAL, "%s", e->error);
			kx_report(-EINVAL);
			said[order[i]] = true;
		}
	}
	return -1;
}

int entries_try(const struct entries *es, size_t first, entries_try_fn try,
		entries_next_fn next, void *ctx)
{
	size_t *order, n, i;
	char **failed;
	bool *said;
	int cur, rc = -ENOENT;

	if (!es->l.n)
		return kx_fail(ENOENT, "entries: no boot entries");
	order = calloc(es->l.n, sizeof(*order));
	failed = calloc(es->l.n, sizeof(*failed));
	said = calloc(es->l.n, sizeof(*said));
	if (!order || !failed || !said) {
		rc = kx_fail(ENOMEM, "entries: out of memory");
		goto out;
	}
	n = entries_order(es, first, order);
	cur = next_untried(es, order, n, failed, said);
	while (cur >= 0) {
		const struct boot_entry *e = &es->l.v[cur];

		if (e->error) {
			/* Only a menu picks a broken entry: say why again. */
			kx_fail(EINVAL, "%s", e->error);
		} else {
			rc = try(es, e, ctx);
			if (!rc)
				break;
			free(failed[cur]);
			failed[cur] = strdup(kx_last_error());
			if (!failed[cur]) {
				rc = kx_fail(ENOMEM, "entries: out of memory");
				break;
			}
		}
		kx_report(-EINVAL);
		cur = next_untried(es, order, n, failed, said);
		if (next)
			cur = next(es, failed, cur, ctx);
	}
	if (rc && rc != -ENOMEM)
		rc = kx_fail(ENOENT, "entries: all %zu entr%s failed", n,
			     n == 1 ? "y" : "ies");
out:
	if (failed)
		for (i = 0; i < es->l.n; i++)
			free(failed[i]);
	free(failed);
	free(said);
	free(order);
	return rc;
}
