/* kexshim: the module index (see modules.h): depmod's modules.dep,
 * modules.alias and modules.builtin parsed, matched and ordered; pure but
 * for reading those files (loading is load.c).  Runs in PID 1 before the
 * ESP is looked for.  Files are read whole and split in place; names are hashed,
 * aliases are scanned linearly with a literal-prefix test before fnmatch so
 * that a pass over all devices stays cheap even under TCG. */
#include <errno.h>
#include <fnmatch.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kmod/index.h"
#include "kmod/modules.h"
#include "lib/error.h"
#include "lib/readfile.h"

/* "kernel/fs/nls/nls_iso8859-1.ko.xz" -> "nls_iso8859_1" in place of
 * out (size > strlen(path)). */
static void name_from_path(const char *path, char *out, size_t outsz)
{
	const char *base = strrchr(path, '/');
	size_t n, i;
	const char *dot;

	base = base ? base + 1 : path;
	dot = strstr(base, ".ko");
	n = dot ? (size_t)(dot - base) : strlen(base);
	if (n >= outsz)
		n = outsz - 1;
	for (i = 0; i < n; i++)
		out[i] = base[i] == '-' ? '_' : base[i];
	out[n] = '\0';
}

static void normalise(const char *in, char *out, size_t outsz)
{
	size_t i;

	for (i = 0; in[i] && i + 1 < outsz; i++)
		out[i] = in[i] == '-' ? '_' : in[i];
	out[i] = '\0';
}

static uint32_t fnv1a(const char *s)
{
	uint32_t h = 2166136261u;

	while (*s)
		h = (h ^ (uint8_t)*s++) * 16777619u;
	return h;
}

uint32_t kmod_lookup(const struct modules *m, const char *name)
{
	size_t i;

	if (!m->hash)
		return NO_MOD;
	for (i = fnv1a(name) & m->hash_mask; m->hash[i]; i = (i + 1) & m->hash_mask)
		if (!strcmp(m->mods[m->hash[i] - 1].name, name))
			return m->hash[i] - 1;
	return NO_MOD;
}

uint32_t kmod_lookup_any(const struct modules *m, const char *name)
{
	char norm[256];

	normalise(name, norm, sizeof(norm));
	return kmod_lookup(m, norm);
}

static int parse_dep(struct modules *m, const char *file)
{
	size_t cap = 0, i;
	char *line, *next;

	for (line = m->dep_buf; *line; line = next) {
		char *colon, *nl = strchr(line, '\n'), name[256];
		struct mod *md;

		next = nl ? nl + 1 : line + strlen(line);
		if (nl)
			*nl = '\0';
		colon = strchr(line, ':');
		if (!colon)
			continue;
		*colon = '\0';
		if (m->n_mods == cap) {
			struct mod *nm;

			cap = cap ? cap * 2 : 1024;
			nm = realloc(m->mods, cap * sizeof(*nm));
			if (!nm)
				return kx_fail(ENOMEM, "modules: %s: out of memory",
					       file);
			m->mods = nm;
		}
		md = &m->mods[m->n_mods++];
		memset(md, 0, sizeof(*md));
		md->path = line;
		md->dep_text = colon + 1;
		name_from_path(line, name, sizeof(name));
		md->name = strdup(name);
		if (!md->name)
			return kx_fail(ENOMEM, "modules: %s: out of memory", file);
	}
	for (m->hash_mask = 1024; m->hash_mask < 2 * m->n_mods;)
		m->hash_mask *= 2;
	m->hash = calloc(m->hash_mask, sizeof(*m->hash));
	if (!m->hash)
		return kx_fail(ENOMEM, "modules: %s: out of memory", file);
	m->hash_mask--;
	for (i = 0; i < m->n_mods; i++) {
		size_t h = fnv1a(m->mods[i].name) & m->hash_mask;

		if (kmod_lookup(m, m->mods[i].name) != NO_MOD)
			continue; /* duplicate line: the first wins, as kmod */
		while (m->hash[h])
			h = (h + 1) & m->hash_mask;
		m->hash[h] = (uint32_t)i + 1;
	}
	/* Resolve dependency paths to indices. */
	for (i = 0; i < m->n_mods; i++) {
		struct mod *md = &m->mods[i];
		char *tok, *save = NULL, name[256];
		size_t n = 0, c;
		uint32_t *deps;

		for (c = 0, tok = md->dep_text; *tok; tok++)
			c += *tok == ' ';
		deps = calloc(c + 1, sizeof(*deps));
		if (!deps)
			return kx_fail(ENOMEM, "modules: %s: out of memory", file);
		for (tok = strtok_r(md->dep_text, " \t\r", &save); tok;
		     tok = strtok_r(NULL, " \t\r", &save)) {
			uint32_t d;

			name_from_path(tok, name, sizeof(name));
			d = kmod_lookup(m, name);
			if (d == NO_MOD) {
				free(deps);
				return kx_fail(EINVAL, "modules: %s: %s needs %s, "
					       "which has no line of its own",
					       file, md->path, tok);
			}
			if (n <= c)
				deps[n++] = d;
		}
		md->deps = deps;
		md->nr_deps = (uint32_t)n;
	}
	return 0;
}

static size_t literal_prefix(const char *pattern)
{
	return strcspn(pattern, "*?[\\");
}

static int parse_alias(struct modules *m, const char *file)
{
	size_t cap = 0;
	char *line, *next;

	for (line = m->alias_buf; *line; line = next) {
		char *nl = strchr(line, '\n'), *pat, *name, *save = NULL;
		uint32_t idx;

		next = nl ? nl + 1 : line + strlen(line);
		if (nl)
			*nl = '\0';
		if (strncmp(line, "alias ", 6))
			continue; /* comments */
		pat = strtok_r(line + 6, " \t", &save);
		name = strtok_r(NULL, " \t\r", &save);
		if (!pat || !name)
			continue;
		/* Aliases of modules not in this tree (a trimmed initramfs
		 * keeps the full alias file) cannot be loaded anyway. */
		idx = kmod_lookup_any(m, name);
		if (idx == NO_MOD)
			continue;
		if (m->n_aliases == cap) {
			struct alias *na;

			cap = cap ? cap * 2 : 4096;
			na = realloc(m->aliases, cap * sizeof(*na));
			if (!na)
				return kx_fail(ENOMEM, "modules: %s: out of memory",
					       file);
			m->aliases = na;
		}
		m->aliases[m->n_aliases].pattern = pat;
		m->aliases[m->n_aliases].prefix = literal_prefix(pat);
		m->aliases[m->n_aliases].mod = idx;
		m->n_aliases++;
	}
	return 0;
}

/* modules.softdep: "softdep MODULE pre: NAME... post: NAME...".  The
 * name lists stay in the buffer, split by NUL where a keyword starts. */
static void parse_softdep(struct modules *m)
{
	char *line, *next;

	for (line = m->softdep_buf; *line; line = next) {
		char *nl = strchr(line, '\n'), *mod, *pre, *post, *end;
		uint32_t idx;

		next = nl ? nl + 1 : line + strlen(line);
		if (nl)
			*nl = '\0';
		if (strncmp(line, "softdep", 7) || (line[7] != ' ' && line[7] != '\t'))
			continue;
		mod = line + 8 + strspn(line + 8, " \t");
		end = mod + strcspn(mod, " \t");
		if (!*end)
			continue;
		*end++ = '\0';
		idx = kmod_lookup_any(m, mod);
		if (idx == NO_MOD)
			continue;
		pre = strstr(end, "pre:");
		post = strstr(end, "post:");
		if (pre)
			*pre = '\0';
		if (post)
			*post = '\0';
		m->mods[idx].pre = pre ? pre + 4 : NULL;
		m->mods[idx].post = post ? post + 5 : NULL;
	}
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int parse_builtin(struct modules *m)
{
	size_t cap = 0;
	char *line, *next, name[256];

	for (line = m->builtin_buf; *line; line = next) {
		char *nl = strchr(line, '\n');

		next = nl ? nl + 1 : line + strlen(line);
		if (nl)
			*nl = '\0';
		if (!*line)
			continue;
		if (m->n_builtin == cap) {
			char **nb;

			cap = cap ? cap * 2 : 512;
			nb = realloc(m->builtin, cap * sizeof(*nb));
			if (!nb)
				return -ENOMEM;
			m->builtin = nb;
		}
		name_from_path(line, name, sizeof(name));
		/* The name is never longer than the path: reuse the line. */
		strcpy(line, name);
		m->builtin[m->n_builtin++] = line;
	}
	if (m->n_builtin)
		qsort(m->builtin, m->n_builtin, sizeof(*m->builtin), cmp_str);
	return 0;
}

int modules_open(const char *dir, struct modules **out)
{
	struct modules *m = calloc(1, sizeof(*m));
	char path[4096];
	size_t len;
	int rc;

	if (!m || !(m->dir = strdup(dir))) {
		free(m);
		return kx_fail(ENOMEM, "modules: out of memory");
	}
	snprintf(path, sizeof(path), "%s/modules.dep", dir);
	rc = read_file_whole("modules", path, 0, &m->dep_buf, &len);
	if (!rc)
		rc = parse_dep(m, path);
	if (!rc) {
		snprintf(path, sizeof(path), "%s/modules.alias", dir);
		rc = read_file_whole("modules", path, 0, &m->alias_buf, &len);
		if (!rc)
			rc = parse_alias(m, path);
	}
	if (!rc) {
		snprintf(path, sizeof(path), "%s/modules.softdep", dir);
		/* Optional: old trees and hand-made ones have none. */
		if (!access(path, F_OK) &&
		    !read_file_whole("modules", path, 0, &m->softdep_buf, &len))
			parse_softdep(m);
	}
	if (!rc) {
		snprintf(path, sizeof(path), "%s/modules.builtin", dir);
		/* Optional: without it, built-in names are just unknown. */
		if (!access(path, F_OK) &&
		    !read_file_whole("modules", path, 0, &m->builtin_buf, &len))
			rc = parse_builtin(m);
		if (rc)
			rc = kx_fail(ENOMEM, "modules: %s: out of memory", path);
	}
	if (rc) {
		modules_close(m);
		return rc;
	}
	*out = m;
	return 0;
}

void modules_close(struct modules *m)
{
	size_t i;

	if (!m)
		return;
	for (i = 0; i < m->n_mods; i++) {
		free(m->mods[i].name);
		free(m->mods[i].deps);
	}
	free(m->mods);
	free(m->hash);
	free(m->aliases);
	free(m->builtin);
	free(m->dep_buf);
	free(m->alias_buf);
	free(m->builtin_buf);
	free(m->softdep_buf);
	free(m->loaded);
	free(m->dir);
	free(m);
}

bool modules_known(const struct modules *m, const char *name)
{
	return kmod_lookup_any(m, name) != NO_MOD;
}

bool modules_builtin(const struct modules *m, const char *name)
{
	char norm[256], *key = norm;

	normalise(name, norm, sizeof(norm));
	return m->n_builtin &&
	       bsearch(&key, m->builtin, m->n_builtin, sizeof(*m->builtin),
		       cmp_str);
}

size_t modules_match(const struct modules *m, const char *modalias,
		     const char **names, size_t max)
{
	size_t i, j, n = 0;

	for (i = 0; i < m->n_aliases && n < max; i++) {
		const struct alias *a = &m->aliases[i];
		bool dup = false;

		if (strncmp(modalias, a->pattern, a->prefix) ||
		    fnmatch(a->pattern, modalias, 0))
			continue;
		for (j = 0; j < n; j++)
			dup |= names[j] == m->mods[a->mod].name;
		if (!dup)
			names[n++] = m->mods[a->mod].name;
	}
	return n;
}

size_t modules_softdeps(const struct modules *m, const char *name, bool pre,
			const char **names, size_t max)
{
	uint32_t idx = kmod_lookup_any(m, name);
	const char *list, *p;
	size_t n = 0;

	if (idx == NO_MOD)
		return 0;
	list = pre ? m->mods[idx].pre : m->mods[idx].post;
	for (p = list; p && *p && n < max;) {
		char word[128];
		size_t len, k, j;
		uint32_t d;

		p += strspn(p, " \t");
		len = strcspn(p, " \t");
		if (!len)
			break;
		snprintf(word, sizeof(word), "%.*s", (int)len, p);
		p += len;
		d = kmod_lookup_any(m, word);
		if (d != NO_MOD) {
			names[n++] = m->mods[d].name;
			continue;
		}
		/* An alias ("crypto-crc32c"): every module it names. */
		k = modules_match(m, word, names + n, max - n);
		for (j = 0; j < k; j++)
			n++;
	}
	return n;
}

int modules_deps_of(const struct modules *m, const char *name,
		    const char **names, size_t max)
{
	uint32_t idx = kmod_lookup_any(m, name), i;
	size_t n = 0;

	if (idx == NO_MOD)
		return kx_fail(ENOENT, "modules: %s: not in %s/modules.dep", name,
			       m->dir);
	for (i = 0; i < m->mods[idx].nr_deps && n < max; i++)
		names[n++] = m->mods[m->mods[idx].deps[i]].name;
	return (int)n;
}

/* Depth-first: a module's dependencies, then the module.  modules.dep
 * lists them so that loading them last-to-first works (what modprobe
 * does), so visit in that order; recursing into each also makes the
 * result right when a list is incomplete. */
static int visit(const struct modules *m, uint32_t idx, uint8_t *mark,
		 uint32_t *order, size_t *n, size_t max, int depth)
{
	const struct mod *md = &m->mods[idx];
	uint32_t i;
	int rc;

	if (mark[idx] == 2)
		return 0;
	if (mark[idx] == 1 || depth > MAX_DEPTH)
		return kx_fail(ELOOP, "modules: %s: dependency loop in %s/modules.dep",
			       md->name, m->dir);
	mark[idx] = 1;
	for (i = md->nr_deps; i-- > 0;) {
		rc = visit(m, md->deps[i], mark, order, n, max, depth + 1);
		if (rc)
			return rc;
	}
	mark[idx] = 2;
	if (*n >= max)
		return kx_fail(E2BIG, "modules: %s: more than %zu modules to load",
			       md->name, max);
	order[(*n)++] = idx;
	return 0;
}

/* Return: count of indices in order, or -errno. */
int kmod_order_of(const struct modules *m, uint32_t idx, uint32_t *order,
		    size_t max)
{
	uint8_t *mark = calloc(m->n_mods, 1);
	size_t n = 0;
	int rc;

	if (!mark)
		return kx_fail(ENOMEM, "modules: out of memory");
	rc = visit(m, idx, mark, order, &n, max, 0);
	free(mark);
	return rc ? rc : (int)n;
}

int modules_load_order(const struct modules *m, const char *name,
		       const char **names, size_t max)
{
	uint32_t idx = kmod_lookup_any(m, name), *order;
	int n, i;

	if (idx == NO_MOD)
		return kx_fail(ENOENT, "modules: %s: not in %s/modules.dep", name,
			       m->dir);
	order = calloc(max ? max : 1, sizeof(*order));
	if (!order)
		return kx_fail(ENOMEM, "modules: out of memory");
	n = kmod_order_of(m, idx, order, max);
	for (i = 0; i < n; i++)
		names[i] = m->mods[order[i]].name;
	free(order);
	return n;
}
