/* kexshim: loading modules (see modules.h): which ones the devices present
 * want (their sysfs modalias), and finit_module(2) in dependency order.
 * Runs in PID 1 while the disks appear; modules_wanted() also in host
 * tests on a fake sysfs tree. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "kmod/index.h"
#include "kmod/modules.h"
#include "lib/console.h"
#include "lib/error.h"

#ifndef MODULE_INIT_COMPRESSED_FILE
#define MODULE_INIT_COMPRESSED_FILE 4 /* include/uapi/linux/module.h */
#endif

/* Read ROOT/sys/bus/<bus>/devices/<dev>/modalias.  Return: true if set. */
static bool read_modalias(const char *path, char *buf, size_t sz)
{
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return false;
	n = read(fd, buf, sz - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return buf[0] != '\0';
}

static void want_device(struct modules *m, const char *devdir,
			const char **names, size_t *n, size_t max)
{
	char path[4096 + 16], alias[1024];
	const char *match[16];
	size_t k, i, j;

	/* A bound device already has its driver. */
	snprintf(path, sizeof(path), "%s/driver", devdir);
	if (!access(path, F_OK))
		return;
	snprintf(path, sizeof(path), "%s/modalias", devdir);
	if (!read_modalias(path, alias, sizeof(alias)))
		return;
	k = modules_match(m, alias, match, 16);
	for (i = 0; i < k && *n < max; i++) {
		uint32_t idx = kmod_lookup(m, match[i]);
		bool dup = false;

		if (idx == NO_MOD || m->mods[idx].state != MOD_NEW)
			continue;
		for (j = 0; j < *n; j++)
			dup |= names[j] == match[i];
		if (!dup) {
			con_debug("modules: %s wants %s", alias, match[i]);
			names[(*n)++] = match[i];
		}
	}
}

size_t modules_wanted(struct modules *m, const char *root, const char **names,
		      size_t max)
{
	char path[4096];
	struct dirent *b, *d;
	DIR *buses, *devs;
	size_t n = 0;

	snprintf(path, sizeof(path), "%s/sys/bus", root);
	buses = opendir(path);
	if (!buses)
		return 0;
	while ((b = readdir(buses)) && n < max) {
		if (b->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/sys/bus/%s/devices", root,
			 b->d_name);
		devs = opendir(path);
		if (!devs)
			continue;
		while ((d = readdir(devs)) && n < max) {
			if (d->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/sys/bus/%s/devices/%s",
				 root, b->d_name, d->d_name);
			want_device(m, path, names, &n, max);
		}
		closedir(devs);
	}
	closedir(buses);
	return n;
}

static void note_loaded(struct modules *m, const char *name)
{
	size_t need = m->loaded_len + strlen(name) + 2;

	if (need > m->loaded_cap) {
		size_t cap = need * 2;
		char *p = realloc(m->loaded, cap);

		if (!p)
			return; /* only the summary line suffers */
		m->loaded = p;
		m->loaded_cap = cap;
	}
	if (m->loaded_len)
		m->loaded[m->loaded_len++] = ' ';
	strcpy(m->loaded + m->loaded_len, name);
	m->loaded_len += strlen(name);
}

/* finit_module one module.  Return: 1 loaded, 0 already there, -errno. */
static int load_one(struct modules *m, struct mod *md)
{
	char path[4096];
	int fd, flags = 0, err;
	long r;

	if (md->state == MOD_LOADED)
		return 0;
	if (md->state == MOD_FAILED)
		return kx_fail(EIO, "modules: %s failed to load before", md->name);
	snprintf(path, sizeof(path), "%s/%s", m->dir, md->path);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		md->state = MOD_FAILED;
		return kx_fail(errno, "modules: %s: %s", path, strerror(errno));
	}
	/* The kernel decompresses .xz/.zst/.gz itself when built to. */
	if (!strstr(md->path, ".ko") || strcmp(strstr(md->path, ".ko"), ".ko"))
		flags |= MODULE_INIT_COMPRESSED_FILE;
	r = syscall(SYS_finit_module, fd, "", flags);
	err = r ? errno : 0;
	close(fd);
	if (err == EEXIST) {
		/* Loaded by someone else (or built in under another name). */
		md->state = MOD_LOADED;
		return 0;
	}
	if (err) {
		md->state = MOD_FAILED;
		return kx_fail(err, "modules: %s: finit_module: %s", path,
			       strerror(err));
	}
	md->state = MOD_LOADED;
	note_loaded(m, md->name);
	return 1;
}

static int load_module(struct modules *m, const char *name, unsigned depth);

/* The soft dependencies of one kind; failures are reported, not passed
 * on (the module itself may do without, or use another provider). */
static int load_softdeps(struct modules *m, const char *name, bool pre,
			 unsigned depth)
{
	const char *names[8];
	size_t n = modules_softdeps(m, name, pre, names, 8), i;
	int loaded = 0, rc;

	for (i = 0; i < n && depth < MAX_DEPTH; i++) {
		if (!strcmp(names[i], name))
			continue; /* an alias of itself */
		rc = load_module(m, names[i], depth + 1);
		if (rc > 0)
			loaded += rc;
	}
	return loaded;
}

static int load_module(struct modules *m, const char *name, unsigned depth)
{
	uint32_t idx, *order;
	int n, i, rc, loaded = 0;

	if (modules_builtin(m, name))
		return 0;
	idx = kmod_lookup_any(m, name);
	if (idx == NO_MOD)
		return kx_fail(ENOENT, "modules: %s: not in %s/modules.dep", name,
			       m->dir);
	if (m->mods[idx].state == MOD_LOADED)
		return 0;
	order = calloc(m->n_mods, sizeof(*order));
	if (!order)
		return kx_fail(ENOMEM, "modules: out of memory");
	n = kmod_order_of(m, idx, order, m->n_mods);
	for (i = 0; i < n; i++) {
		struct mod *md = &m->mods[order[i]];

		if (md->state == MOD_NEW)
			loaded += load_softdeps(m, md->name, true, depth);
		rc = load_one(m, md);
		if (rc < 0) {
			m->mods[idx].state = MOD_FAILED;
			free(order);
			return rc;
		}
		loaded += rc;
		if (rc > 0)
			loaded += load_softdeps(m, md->name, false, depth);
	}
	free(order);
	return n < 0 ? n : loaded;
}

int modules_load(struct modules *m, const char *name)
{
	return load_module(m, name, 0);
}

const char *modules_loaded(const struct modules *m)
{
	return m->loaded ? m->loaded : "";
}
