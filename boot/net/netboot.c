/* kexshim: the network's entries and their files (see netboot.h). */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <unistd.h>

#include "config/bls.h"
#include "config/syslinux.h"
#include "config/uki.h"
#include "lib/console.h"
#include "lib/error.h"
#include "lib/readfile.h"
#include "lib/warn.h"
#include "load/load.h"
#include "net/fetch.h"
#include "net/net.h"
#include "net/netboot.h"
#include "net/pxe.h"
#include "net/url.h"

/* A BLS entry or pxelinux.cfg is a few hundred bytes; a UKI is tens of
 * MiB and is kept for its entry (not fetched twice). */
#define CONFIG_MAX (1u << 20)
#define CACHE_MAX 4
/* What the shim itself needs besides the fetched files and their copy
 * in the kernel (kexec_load): page cache, the loader's own buffers. */
#define RESERVE (64ull << 20)

static struct {
	char url[URL_MAX];
	int fd;
	uint64_t size;
} cache[CACHE_MAX];

void netboot_forget(void)
{
	size_t i;

	for (i = 0; i < CACHE_MAX; i++)
		if (cache[i].url[0]) {
			close(cache[i].fd);
			cache[i].url[0] = '\0';
		}
}

static int cached(const char *url, uint64_t *size)
{
	size_t i;

	for (i = 0; i < CACHE_MAX; i++)
		if (cache[i].url[0] && !strcmp(cache[i].url, url)) {
			*size = cache[i].size;
			return cache[i].fd;
		}
	return -1;
}

static void keep(const char *url, int fd, uint64_t size)
{
	size_t i;

	for (i = 0; i < CACHE_MAX; i++)
		if (!cache[i].url[0]) {
			snprintf(cache[i].url, sizeof(cache[i].url), "%s", url);
			cache[i].fd = fd;
			cache[i].size = size;
			return;
		}
	close(fd); /* no room: fetched again when booted */
}

/* Half of what is free (the other half is kexec_load's copy of the
 * segments), less a reserve.  Return: bytes, 0 = unknown (no limit). */
static uint64_t budget(void)
{
	unsigned long kb;
	uint64_t avail;

	if (read_kb_field("/proc/meminfo", "MemAvailable", &kb))
		return 0;
	avail = (uint64_t)kb << 10;
	return avail > 2 * RESERVE ? (avail - RESERVE) / 2 : 1;
}

static void opts(struct fetch_opts *o, const char *ca, uint64_t max)
{
	fetch_opts_default(o);
	o->ca_file = ca;
	o->max_size = max;
}

/* The URL without query and fragment, with suffix added unless it ends
 * in it (the BLS and UKI parsers take their IDs from file names). */
static void file_name(const char *url, const char *suffix, char *out,
		      size_t size)
{
	size_t n = strcspn(url, "?#"), sl = strlen(suffix);

	snprintf(out, size, "%.*s%s", (int)n, url,
		 n >= sl && !strncasecmp(url + n - sl, suffix, sl) ? "" : suffix);
}

/* "scheme://authority" of url into out (no path).  Return: 0 or -EINVAL. */
static int origin(const char *url, char *out, size_t size)
{
	const char *p = strstr(url, "://");
	size_t n;

	if (!p)
		return -EINVAL;
	n = (size_t)(p + 3 - url) + strcspn(p + 3, "/?#");
	if (n >= size)
		return -EINVAL;
	memcpy(out, url, n);
	out[n] = '\0';
	return 0;
}

/* Make entries[from..) network entries: "net:" ids, ENTRY_NET, no boot
 * counting (the file is on a server).  Return: 0 or -ENOMEM. */
static int adopt(struct entry_list *out, size_t from)
{
	size_t i;

	for (i = from; i < out->n; i++) {
		struct boot_entry *e = &out->v[i];
		char *id;

		if (asprintf(&id, "net:%s", e->id ? e->id : "entry") < 0)
			return -ENOMEM;
		free(e->id);
		e->id = NULL;
		e->id = entry_unique_id(out, 0, id);
		free(id);
		if (!e->id)
			return -ENOMEM;
		e->source = ENTRY_NET;
		e->tries_left = -1;
		e->tries_done = 0;
		e->part = NULL;
	}
	return 0;
}

/* Turn a path into a URL: against base (RFC 3986) for BLS, or as a path
 * on origin for pxelinux (the parser resolved it already). */
static int to_url(char **path, const char *base, const char *org,
		  struct boot_entry *e)
{
	char u[URL_MAX];
	int rc;

	if (!*path)
		return 0;
	if (org)
		rc = snprintf(u, sizeof(u), "%s%s", org, *path) >= (int)sizeof(u) ?
		     kx_fail(ENAMETOOLONG, "net: %s: path too long", *path) : 0;
	else
		rc = url_resolve(base, *path, u, sizeof(u));
	if (rc)
		return e->error ? 0 : entry_fail(e, "%s", kx_last_error());
	return entry_set(path, u, (size_t)-1);
}

static int urls_of(struct boot_entry *e, const char *base, const char *org)
{
	size_t i;
	int rc = to_url(&e->kernel.path, base, org, e);

	for (i = 0; !rc && i < e->nr_initrd; i++)
		rc = to_url(&e->initrd[i].path, base, org, e);
	/* FDTDIR ("dir/"): U-Boot's fdtfile; the machine's tree stays. */
	if (!rc && e->devicetree.path && *e->devicetree.path &&
	    e->devicetree.path[strlen(e->devicetree.path) - 1] == '/') {
		free(e->devicetree.path);
		e->devicetree.path = NULL;
	}
	if (!rc)
		rc = to_url(&e->devicetree.path, base, org, e);
	for (i = 0; !rc && i < e->nr_overlay; i++)
		rc = to_url(&e->overlay[i].path, base, org, e);
	return rc;
}

/* Fetch a config (or UKI) at url.  Return: 0 with *buf and *len: text
 * (malloc'ed), or for a UKI (*uki) its mapping (the memfd stays in the
 * cache for its entry); or -errno. */
static int fetch_config(const char *url, const char *ca, unsigned attempts,
			bool quiet, char **buf, size_t *len, bool *uki)
{
	struct fetch_result res;
	struct fetch_opts o;
	char magic[2] = "";
	int fd, rc;

	*buf = NULL;
	*uki = false;
	opts(&o, ca, budget());
	o.attempts = attempts;
	o.quiet = quiet;
	fd = fetch_to_memfd(url, &o, &res);
	if (fd < 0)
		return fd;
	if (res.size >= 2 && pread(fd, magic, 2, 0) == 2 && !memcmp(magic, "MZ", 2)) {
		void *p = mmap(NULL, res.size, PROT_READ, MAP_PRIVATE, fd, 0);

		if (p == MAP_FAILED) {
			rc = kx_fail(errno, "net: %s: mmap: %s", url, strerror(errno));
			close(fd);
			return rc;
		}
		*buf = p;
		*len = res.size;
		*uki = true;
		keep(url, fd, res.size);
		return 0;
	}
	if (res.size > CONFIG_MAX) {
		close(fd);
		return kx_fail(EFBIG, "net: %s: %llu bytes: neither a UKI nor a "
			       "config (at most %u bytes)", url,
			       (unsigned long long)res.size, CONFIG_MAX);
	}
	if (lseek(fd, 0, SEEK_SET) < 0) {
		rc = kx_fail(errno, "net: %s: %s", url, strerror(errno));
		close(fd);
		return rc;
	}
	rc = read_fd_whole(fd, "net", url, CONFIG_MAX, buf, len);
	close(fd);
	return rc;
}

static void release_config(char *buf, size_t len, bool uki)
{
	if (uki)
		munmap(buf, len);
	else
		free(buf);
}

/* A LABEL line: syslinux's syntax, not BLS's. */
static bool looks_syslinux(const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));

		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (end - p > 6 && !strncasecmp(p, "label", 5) &&
		    (p[5] == ' ' || p[5] == '\t'))
			return true;
		p = nl ? nl + 1 : end;
	}
	return false;
}

/* A binary that is no UKI (a PXE NBP such as pxelinux.0)? */
static bool looks_binary(const char *buf, size_t len)
{
	return memchr(buf, '\0', len < 512 ? len : 512) != NULL;
}

struct inc_ctx {
	const char *origin, *ca;
};

static int read_include(void *ctx, const char *path, char **buf, size_t *len)
{
	struct inc_ctx *c = ctx;
	char url[URL_MAX];
	bool uki;
	int rc;

	if (snprintf(url, sizeof(url), "%s%s", c->origin, path) >= (int)sizeof(url))
		return -ENAMETOOLONG;
	rc = fetch_config(url, c->ca, 2, true, buf, len, &uki);
	if (!rc && uki) {
		release_config(*buf, *len, uki);
		return -EINVAL;
	}
	return rc;
}

/* A pxelinux.cfg at url, paths from prefix ("tftp://srv/dir/"). */
static int from_syslinux(const char *url, const char *prefix, const char *buf,
			 size_t len, const char *ca, struct entry_list *out,
			 struct warnings *w)
{
	struct syslinux_result res;
	struct inc_ctx ctx = { .ca = ca };
	char org[URL_MAX], dir[URL_MAX];
	size_t from = out->n, i;
	int rc;

	if (origin(prefix, org, sizeof(org)))
		return kx_fail(EINVAL, "net: %s: not a URL", prefix);
	snprintf(dir, sizeof(dir), "%s", prefix + strlen(org));
	if (!dir[0])
		strcpy(dir, "/");
	ctx.origin = org;
	rc = syslinux_parse(url, dir, buf, len, read_include, &ctx, out, &res, w);
	if (rc)
		return rc;
	rc = adopt(out, from);
	for (i = from; !rc && i < out->n; i++)
		rc = urls_of(&out->v[i], NULL, org) ? -ENOMEM : 0;
	if (!rc && res.default_index >= 0)
		out->v[from + (size_t)res.default_index].config_default = true;
	syslinux_result_free(&res);
	if (rc)
		return kx_fail(ENOMEM, "net: out of memory");
	return (int)(out->n - from);
}

static int check_arch(struct boot_entry *e, const char *bls_arch)
{
	if (e->error || !bls_arch || !e->architecture ||
	    !strcasecmp(e->architecture, bls_arch))
		return 0;
	return entry_fail(e, "net: %s: for architecture '%s', this is '%s'",
			  e->config, e->architecture, bls_arch);
}

/* The directory PXELINUX paths of a file at url start from: url's own,
 * or the one above it when that is "pxelinux.cfg/". */
static void pxe_dir(const char *url, char *out, size_t size)
{
	size_t n = strcspn(url, "?#");

	while (n && url[n - 1] != '/')
		n--;
	if (n >= 14 && !strncmp(url + n - 14, "/pxelinux.cfg/", 14))
		n -= 13;
	snprintf(out, size, "%.*s", (int)n, url);
}

static int pxe_lookup(const char *prefix, const struct net_info *info,
		      const char *ca, struct entry_list *out, struct warnings *w);

/* Whatever url holds.  Return: entries appended, or -errno. */
static int from_url(const char *url, const struct net_info *info,
		    const char *ca, const char *bls_arch, struct entry_list *out,
		    struct warnings *w)
{
	char name[URL_MAX + 8], dir[URL_MAX], *buf;
	size_t len, from = out->n, i;
	bool uki;
	int rc;

	con_info("net: reading %s", url);
	rc = fetch_config(url, ca, FETCH_ATTEMPTS, false, &buf, &len, &uki);
	if (rc)
		return rc;
	if (uki) {
		file_name(url, ".efi", name, sizeof(name));
		rc = uki_entries(name, (const uint8_t *)buf, len, bls_arch, out, w);
		release_config(buf, len, true);
		if (!rc)
			rc = adopt(out, from);
		for (i = from; !rc && i < out->n; i++) {
			struct boot_entry *e = &out->v[i];

			rc = entry_set(&e->kernel.path, url, (size_t)-1);
			if (!rc)
				rc = entry_set(&e->config, url, (size_t)-1);
		}
		if (rc)
			return kx_fail(ENOMEM, "net: out of memory");
		return (int)(out->n - from);
	}
	if (looks_syslinux(buf, len)) {
		pxe_dir(url, dir, sizeof(dir));
		rc = from_syslinux(url, dir, buf, len, ca, out, w);
	} else if (looks_binary(buf, len)) {
		/* A boot program for firmware (pxelinux.0): PXELINUX would
		 * look for its config next to it; so do we. */
		pxe_dir(url, dir, sizeof(dir));
		con_info("net: %s is a boot program, not a config; looking "
			 "for pxelinux.cfg/ in %s", url, dir);
		rc = pxe_lookup(dir, info, ca, out, w);
	} else {
		struct boot_entry e, *slot;

		file_name(url, ".conf", name, sizeof(name));
		rc = bls_parse_entry(name, buf, len, &e);
		if (!rc) {
			slot = entry_add(out, ENTRY_NET);
			if (!slot) {
				entry_free(&e);
				rc = kx_fail(ENOMEM, "net: out of memory");
			} else {
				*slot = e;
				rc = entry_set(&slot->config, url, (size_t)-1);
				if (!rc)
					rc = adopt(out, from);
				if (!rc)
					rc = urls_of(slot, url, NULL);
				if (!rc)
					rc = check_arch(slot, bls_arch);
				rc = rc ? kx_fail(ENOMEM, "net: out of memory") : 1;
			}
		}
	}
	release_config(buf, len, false);
	return rc;
}

static int pxe_lookup(const char *prefix, const struct net_info *info,
		      const char *ca, struct entry_list *out, struct warnings *w)
{
	char names[PXE_MAX_NAMES][PXE_NAME_MAX], url[URL_MAX], *buf;
	struct in_addr ip = { 0 };
	size_t n, i, len;
	bool uki;
	int rc;

	if (!info)
		return 0;
	if (info->has_v4)
		ip = info->v4;
	n = pxe_config_names(info->mac, info->uuid, ip, names, PXE_MAX_NAMES);
	for (i = 0; i < n; i++) {
		if (snprintf(url, sizeof(url), "%s%s", prefix, names[i]) >=
		    (int)sizeof(url))
			return kx_fail(ENAMETOOLONG, "net: %s: too long", prefix);
		rc = fetch_config(url, ca, 2, true, &buf, &len, &uki);
		if (rc == -ENOENT) {
			con_note("net: pxelinux: %s: not there", url);
			continue;
		}
		if (rc)
			return rc;
		if (uki) {
			release_config(buf, len, true);
			return kx_fail(EINVAL, "net: %s: a UKI, not a pxelinux "
				       "config", url);
		}
		con_info("net: pxelinux: using %s", url);
		rc = from_syslinux(url, prefix, buf, len, ca, out, w);
		release_config(buf, len, false);
		return rc;
	}
	con_info("net: pxelinux: none of the %zu configs under %s", n, prefix);
	return 0;
}

/* What DHCP (v4, then v6) says to boot.  Return: entries, or -errno. */
static int from_dhcp(const struct net_info *info, const char *ca,
		     const char *bls_arch, struct entry_list *out,
		     struct warnings *w)
{
	const struct dhcp4_lease *l = &info->lease;
	char server[64] = "", prefix[URL_MAX], url[URL_MAX];
	int rc;

	if (info->has_lease && dhcp4_has_boot_info(l)) {
		/* The TFTP server: next-server, else option 66, else the
		 * DHCP server itself. */
		if (l->siaddr.s_addr)
			inet_ntop(AF_INET, &l->siaddr, server, sizeof(server));
		else if (l->tftp_server[0])
			snprintf(server, sizeof(server), "%.63s", l->tftp_server);
		else
			inet_ntop(AF_INET, &l->server_id, server, sizeof(server));
		if (!l->pxe_config[0] && url_is_absolute(l->bootfile))
			return from_url(l->bootfile, info, ca, bls_arch, out, w);
		rc = pxe_prefix_url(server, l->bootfile, l->pxe_prefix, prefix,
				    sizeof(prefix));
		if (rc)
			return rc;
		if (!l->pxe_config[0])
			return pxe_lookup(prefix, info, ca, out, w);
		/* RFC 5071 option 209: this config file, no search. */
		rc = url_resolve(prefix, l->pxe_config, url, sizeof(url));
		if (rc)
			return rc;
		return from_url(url, info, ca, bls_arch, out, w);
	}
	if (info->has_dhcp6 && info->dhcp6.bootfile_url[0])
		return from_url(info->dhcp6.bootfile_url, info, ca, bls_arch, out,
				w);
	con_info("net: %s: DHCP names nothing to boot (no boot file, no "
		 "kexshim.url=)", info->ifname[0] ? info->ifname : "network");
	return 0;
}

int netboot_entries(const char *url, const struct net_info *info,
		    const char *ca, const char *bls_arch,
		    struct entry_list *out, struct warnings *w)
{
	if (url && *url)
		return from_url(url, info, ca, bls_arch, out, w);
	if (!info)
		return 0;
	return from_dhcp(info, ca, bls_arch, out, w);
}

void netboot_release(struct netboot_files *f)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		close(f->fd[i]);
	f->n = 0;
}

/* One file of e into f and path.  Return: 0 or -errno. */
static int one_file(const struct entry_file *ef, const char *ca,
		    uint64_t limit, uint64_t *used, struct netboot_files *f,
		    char *path, size_t size)
{
	struct fetch_result res;
	struct fetch_opts o;
	uint64_t csize;
	int fd = cached(ef->path, &csize);

	if (fd >= 0) {
		/* Fetched while entries were read (a UKI); a pin still
		 * holds: check it on the copy in memory. */
		fd = dup(fd);
		if (fd < 0)
			return kx_fail(errno, "net: %s: %s", ef->path, strerror(errno));
		if (ef->sha256) {
			close(fd);
			fd = -1; /* fetch again, through the pin */
		} else {
			*used += csize;
		}
	}
	if (fd < 0) {
		opts(&o, ca, limit ? (limit > *used ? limit - *used : 1) : 0);
		if (ef->sha256 && fetch_pin(&o, ef->sha256))
			return kx_fail(EINVAL, "net: %s: bad pinned sha256", ef->path);
		fd = fetch_to_memfd(ef->path, &o, &res);
		if (fd < 0)
			return fd;
		*used += res.size;
	}
	f->fd[f->n++] = fd;
	snprintf(path, size, "/proc/self/fd/%d", fd);
	return 0;
}

int netboot_request(const struct boot_entry *e, const char *ca,
		    struct entry_paths *paths, struct load_request *req,
		    struct netboot_files *f)
{
	uint64_t limit = budget(), used = 0;
	size_t i;
	int rc;

	memset(req, 0, sizeof(*req));
	f->n = 0;
	if (!e->kernel.path)
		return kx_fail(EINVAL, "net: %s: no kernel", e->id);
	rc = one_file(&e->kernel, ca, limit, &used, f, paths->kernel,
		      sizeof(paths->kernel));
	for (i = 0; !rc && i < e->nr_initrd; i++)
		rc = one_file(&e->initrd[i], ca, limit, &used, f, paths->initrd[i],
			      sizeof(paths->initrd[i]));
	if (!rc && e->devicetree.path)
		rc = one_file(&e->devicetree, ca, limit, &used, f, paths->dtb,
			      sizeof(paths->dtb));
	for (i = 0; !rc && i < e->nr_overlay; i++)
		rc = one_file(&e->overlay[i], ca, limit, &used, f, paths->overlay[i],
			      sizeof(paths->overlay[i]));
	if (rc) {
		netboot_release(f);
		return rc;
	}
	req->kernel = paths->kernel;
	for (i = 0; i < e->nr_initrd; i++)
		req->initrd[i] = paths->initrd[i];
	req->nr_initrd = e->nr_initrd;
	req->dtb = e->devicetree.path ? paths->dtb : NULL;
	for (i = 0; i < e->nr_overlay; i++)
		req->overlay[i] = paths->overlay[i];
	req->nr_overlay = e->nr_overlay;
	/* A UKI's options are its .cmdline; NULL lets one without boot
	 * with none. */
	req->cmdline = e->options ? e->options : e->uki_profile >= 0 ? NULL : "";
	req->uki_profile = e->uki_profile;
	req->memmap = NULL;
	req->root = "";
	return 0;
}
