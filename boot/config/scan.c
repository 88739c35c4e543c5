/* kexshim: the entry sources of one file system (see scan.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/util.h"
#include "config/bls.h"
#include "config/debian.h"
#include "config/grub.h"
#include "config/scan.h"
#include "config/syslinux.h"
#include "config/uki.h"
#include "disk/part.h"
#include "lib/console.h"
#include "lib/error.h"
#include "lib/warn.h"

/* A UKI holds a kernel and initrds: tens of MiB, mapped, not read. */
#define UKI_MAX_FILE (1ull << 30)

/* Broken entry: its ID from the file name and the reason.  Return: 0 or
 * -ENOMEM. */
static int add_broken(struct entry_list *out, enum entry_source src,
		      const char *file, const char *suffix, struct part *p)
{
	struct boot_entry *e = entry_add(out, src);
	int left, done;

	if (!e)
		return -ENOMEM;
	e->part = p;
	if (bls_entry_id(file, suffix, &e->id, &left, &done) ||
	    entry_set(&e->config, file, (size_t)-1) ||
	    entry_set(&e->error, kx_last_error(), (size_t)-1))
		return -ENOMEM;
	e->tries_left = left;
	e->tries_done = done;
	return 0;
}

static int check_arch(struct boot_entry *e, const char *bls_arch)
{
	if (!bls_arch || !e->architecture ||
	    !strcasecmp(e->architecture, bls_arch))
		return 0;
	kx_fail(EINVAL, "entries: %s: for architecture '%s', this is '%s'",
		e->config, e->architecture, bls_arch);
	return entry_set(&e->error, kx_last_error(), (size_t)-1);
}

/* What one scan of one file system works with. */
struct scan {
	struct part *p;
	const char *bls_arch;
	struct entry_list *out;
	struct warnings *w;
};

/* Call fn for each file of dir on s->p whose name ends in suffix (any
 * case), with its path relative to the partition and under the mount
 * point; hidden files are editor and installer leftovers.  A missing dir
 * is no entries, another problem with it a warning.
 * Return: 0, or fn's first error (-ENOMEM). */
static int each_file(const struct scan *s, const char *dir, const char *suffix,
		     int (*fn)(const struct scan *s, const char *rel,
			       const char *name))
{
	size_t sl = strlen(suffix);
	char rel[512], name[1024];
	struct dirent *d;
	DIR *dh;
	int rc = 0;

	dh = part_opendir(s->p, dir);
	if (!dh) {
		if (errno != ENOENT && errno != ENOTDIR)
			warn_add(s->w, "entries: %s%s: %s", s->p->mnt, dir,
				 strerror(errno));
		return 0;
	}
	while (!rc && (d = readdir(dh))) {
		size_t nl = strlen(d->d_name);

		if (d->d_name[0] == '.' || nl <= sl ||
		    strcasecmp(d->d_name + nl - sl, suffix))
			continue;
		snprintf(rel, sizeof(rel), "%s/%s", dir, d->d_name);
		snprintf(name, sizeof(name), "%s%s", s->p->mnt, rel);
		rc = fn(s, rel, name);
	}
	closedir(dh);
	return rc;
}

/* One .conf file as a Type #1 entry. */
static int bls_file(const struct scan *s, const char *rel, const char *name)
{
	struct boot_entry *e;
	size_t len;
	char *buf;
	int rc;

	if (part_read(s->p, "entries", rel, BLS_MAX_FILE, &buf, &len))
		return add_broken(s->out, ENTRY_BLS, name, ".conf", s->p);
	e = entry_add(s->out, ENTRY_BLS);
	if (!e) {
		free(buf);
		return -ENOMEM;
	}
	if (bls_parse_entry(name, buf, len, e)) {
		entry_drop_last(s->out);
		rc = add_broken(s->out, ENTRY_BLS, name, ".conf", s->p);
	} else {
		e->part = s->p;
		rc = check_arch(e, s->bls_arch);
	}
	free(buf);
	return rc;
}

/* Map the UKI at rel on p.  Return: 0 with *buf and *len (munmap), or -errno
 * (kx_fail "entries: MNT/REL: reason"). */
static int map_uki(const struct part *p, const char *rel, uint8_t **buf,
		   size_t *len)
{
	struct stat st;
	void *m;
	int fd = part_openat(p, rel, O_RDONLY), err;

	if (fd < 0)
		return kx_fail(-fd, "entries: %s%s: %s", p->mnt, rel,
			       strerror(-fd));
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || !st.st_size ||
	    (unsigned long long)st.st_size > UKI_MAX_FILE) {
		err = errno && !S_ISREG(st.st_mode) ? errno : EINVAL;
		close(fd);
		return kx_fail(err, "entries: %s%s: not a regular file of 1 "
			       "byte to 1 GiB", p->mnt, rel);
	}
	m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	err = errno;
	close(fd);
	if (m == MAP_FAILED)
		return kx_fail(err, "entries: %s%s: mmap: %s", p->mnt, rel,
			       strerror(err));
	*buf = m;
	*len = (size_t)st.st_size;
	return 0;
}

/* One .efi file as Type #2 entries (one per profile). */
static int uki_file(const struct scan *s, const char *rel, const char *name)
{
	size_t len = 0, from = s->out->n, i;
	uint8_t *buf = NULL;
	int rc;

	if (map_uki(s->p, rel, &buf, &len))
		return add_broken(s->out, ENTRY_UKI, name, ".efi", s->p);
	rc = uki_entries(rel, buf, len, s->bls_arch, s->out, s->w);
	munmap(buf, len);
	/* config names the file under the mount point, as for Type #1
	 * (messages, boot counting); kernel.path stays relative. */
	for (i = from; !rc && i < s->out->n; i++) {
		s->out->v[i].part = s->p;
		rc = entry_set(&s->out->v[i].config, name, (size_t)-1);
	}
	return rc;
}

/* The first of paths that exists on p, or NULL. */
static const char *first_existing(const struct part *p,
				  const char *const *paths, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (part_exists(p, paths[i]))
			return paths[i];
	return NULL;
}

/* Mark the config's default among the entries appended from index from. */
static void mark_default(struct entry_list *out, size_t from, int index)
{
	if (index >= 0 && from + (size_t)index < out->n)
		out->v[from + (size_t)index].config_default = true;
}

/* Fedora's grub.cfg runs blscfg: its `default` may name a Type #1 entry
 * (scanned from the same partition already). */
static void mark_bls_default(struct entry_list *out, const struct part *p,
			     const char *spec)
{
	size_t i;

	for (i = 0; spec && i < out->n; i++)
		if (out->v[i].part == p && out->v[i].source == ENTRY_BLS &&
		    out->v[i].id && !strcmp(out->v[i].id, spec)) {
			out->v[i].config_default = true;
			return;
		}
}

/* grub.cfg where Debian, Ubuntu (/boot/grub) and Fedora (/boot/grub2)
 * put it, on a root file system or a separate /boot; grubenv from the
 * same directory (saved_entry). */
static int scan_grub(struct part *p, struct entry_list *out,
		     struct warnings *w)
{
	static const char *const cfgs[] = {
		"/boot/grub/grub.cfg", "/grub/grub.cfg",
		"/boot/grub2/grub.cfg", "/grub2/grub.cfg",
	};
	const char *cfg = first_existing(p, cfgs, ARRAY_SIZE(cfgs));
	char env[64], name[512], *buf, *envbuf = NULL;
	struct grub_result res;
	size_t len, envlen = 0, from = out->n, i;
	int rc;

	if (!cfg)
		return 0;
	snprintf(name, sizeof(name), "%s%s", p->mnt, cfg);
	if (part_read(p, "entries", cfg, GRUB_MAX_FILE, &buf, &len)) {
		warn_add(w, "%s", kx_last_error());
		return 0;
	}
	snprintf(env, sizeof(env), "%.*sgrubenv",
		 (int)(strrchr(cfg, '/') - cfg + 1), cfg);
	if (part_exists(p, env) &&
	    part_read(p, "entries", env, 4096, &envbuf, &envlen))
		warn_add(w, "%s; no saved_entry", kx_last_error());
	/* The parser names its entries after cfg, relative to p. */
	rc = grub_parse(cfg, buf, len, envbuf, envlen, out, &res, w);
	free(buf);
	free(envbuf);
	if (rc == -ENOMEM)
		return rc;
	if (rc) {
		warn_add(w, "%s (in %s)", kx_last_error(), name);
		return 0;
	}
	for (i = from; i < out->n; i++)
		out->v[i].part = p;
	mark_default(out, from, res.default_index);
	if (res.default_index < 0 && res.blscfg)
		mark_bls_default(out, p, res.default_spec);
	/* Debian's 41_custom sources custom.cfg "if it exists", which the
	 * parser cannot know: only one that is there is worth a word. */
	for (i = 0; i < res.nr_include; i++)
		if (part_exists(p, res.include[i]))
			warn_add(w, "entries: %s: '%s %s' not followed", name,
				 res.include_is_configfile[i] ? "configfile" :
				 "source", res.include[i]);
	grub_result_free(&res);
	return 0;
}

/* syslinux's INCLUDE, read from the same partition. */
static int read_include(void *ctx, const char *path, char **buf, size_t *len)
{
	return part_read(ctx, "entries", path, BLS_MAX_FILE, buf, len);
}

/* extlinux.conf as U-Boot's distro boot looks for it (and syslinux.cfg
 * on BIOS-era disks). */
static int scan_syslinux(struct part *p, struct entry_list *out,
			 struct warnings *w)
{
	static const char *const cfgs[] = {
		"/boot/extlinux/extlinux.conf", "/extlinux/extlinux.conf",
		"/boot/syslinux/syslinux.cfg", "/syslinux/syslinux.cfg",
	};
	const char *cfg = first_existing(p, cfgs, ARRAY_SIZE(cfgs));
	struct syslinux_result res;
	size_t len, from = out->n, i;
	char *buf;
	int rc;

	if (!cfg)
		return 0;
	if (part_read(p, "entries", cfg, BLS_MAX_FILE, &buf, &len)) {
		warn_add(w, "%s", kx_last_error());
		return 0;
	}
	rc = syslinux_parse(cfg, NULL, buf, len, read_include, p, out, &res, w);
	free(buf);
	if (rc == -ENOMEM)
		return rc;
	if (rc) {
		warn_add(w, "%s (in %s)", kx_last_error(), p->mnt);
		return 0;
	}
	for (i = from; i < out->n; i++)
		out->v[i].part = p;
	mark_default(out, from, res.default_index);
	syslinux_result_free(&res);
	return 0;
}

/* A root file system nothing above configures: Debian's /vmlinuz. */
static int scan_debian(struct part *p, struct entry_list *out,
		       struct warnings *w)
{
	struct debian_root r = { 0 };
	char *osrel = NULL;
	size_t len = 0, from = out->n;
	int rc;

	r.has_vmlinuz = part_exists(p, "/vmlinuz");
	if (!r.has_vmlinuz)
		return 0;
	r.has_initrd = part_exists(p, "/initrd.img");
	r.part_uuid = p->partuuid[0] ? p->partuuid : NULL;
	if (!part_exists(p, "/etc/os-release") ||
	    part_read(p, "entries", "/etc/os-release", 65536, &osrel, &len))
		osrel = NULL;
	r.os_release = osrel;
	r.os_release_len = len;
	rc = debian_entry(p->mnt, &r, out, w);
	free(osrel);
	if (rc == -ENOMEM)
		return rc;
	if (out->n > from)
		out->v[from].part = p;
	return 0;
}

int scan_part(struct part *p, const char *bls_arch, struct entry_list *out,
	      struct warnings *w)
{
	const struct scan s = { p, bls_arch, out, w };
	size_t from = out->n;
	int rc;

	if (p->dirfd < 0)
		return 0;
	if (p->role == PART_ESP || p->role == PART_XBOOTLDR) {
		rc = each_file(&s, "/loader/entries", ".conf", bls_file);
		if (!rc)
			rc = each_file(&s, "/EFI/Linux", ".efi", uki_file);
	} else {
		/* A root file system, or a separate /boot (Fedora's). */
		rc = each_file(&s, "/boot/loader/entries", ".conf", bls_file);
		if (!rc)
			rc = each_file(&s, "/loader/entries", ".conf", bls_file);
		if (!rc)
			rc = scan_grub(p, out, w);
	}
	if (!rc)
		rc = scan_syslinux(p, out, w);
	if (!rc && out->n == from && p->role == PART_OTHER)
		rc = scan_debian(p, out, w);
	if (!rc)
		con_note("entries: %s (%s): %zu entr%s", p->mnt,
			 p->fstype[0] ? p->fstype : "dir", out->n - from,
			 out->n - from == 1 ? "y" : "ies");
	return rc;
}
