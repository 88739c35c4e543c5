/* kexshim: extlinux.conf, syslinux.cfg and pxelinux.cfg into entries (see
 * syslinux.h).  Pure: INCLUDEs come through the caller's callback.  Runs
 * while entries are listed, and for network boot on a fetched file. */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/utf8.h"
#include "config/entry.h"
#include "config/syslinux.h"
#include "lib/error.h"
#include "lib/warn.h"

#define MAX_LINE (64u << 10)

/* What a label says that becomes the entry only at the end: the global
 * APPEND may come after the label. */
struct label {
	char *kernel_args;     /* words after KERNEL FILE */
	char *append;          /* its own APPEND; NULL: the global one */
	bool has_append;
	bool menu_default;
	char *config;          /* the file it is in */
	unsigned line;         /* of LABEL */
	char *dir;             /* relative paths start here */
	struct entry_pin_target pin; /* kexshim's "sha256" (entry.h) */
};

struct sx {
	syslinux_read_fn read;
	void *ctx;
	struct entry_list *out;
	size_t start;
	struct syslinux_result *res;
	struct warnings *w;
	struct label *labels;
	size_t nr, cap;
	int cur;               /* the label being filled, -1 = none */
	char *global_append;
	char *ontimeout, *deflt;
	unsigned menu_depth;
	unsigned reads;        /* INCLUDEs read so far */
	bool warned_labels;
};

/* Keywords that only concern syslinux's screen, keyboard or prompt. */
static const char *const ignored[] = {
	"prompt", "ui", "say", "serial", "console", "font", "kbdmap",
	"display", "implicit", "noescape", "nocomplete", "allowoptions",
	"totaltimeout", "onerror", "path", "kaslrseed", "nohalt", "f1", "f2",
	"f3", "f4", "f5", "f6", "f7", "f8", "f9", "f10", "f11", "f12",
};

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static struct boot_entry *cur_entry(struct sx *s)
{
	return &s->out->v[s->start + (size_t)s->cur];
}

static struct label *cur_label(struct sx *s)
{
	return &s->labels[s->cur];
}

/* Join dir and path and resolve "." and ".." the way the file system
 * would (symlinks aside: the file-opening layer handles those) into a
 * path from the partition root.  Return: 0 with *out malloc'ed, -EINVAL
 * when it climbs above the root, -ENOMEM. */
static int resolve(const char *dir, const char *path, char **out)
{
	size_t dl = *path == '/' ? 0 : strlen(dir), pl = strlen(path);
	char *buf = malloc(dl + pl + 3), *o;
	const char *p;

	if (!buf)
		return -ENOMEM;
	snprintf(buf, dl + pl + 3, "%.*s/%s", (int)dl, dir, path);
	o = buf; /* the result is never longer: written in place */
	for (p = buf; *p;) {
		const char *e = strchr(p, '/');
		size_t n = e ? (size_t)(e - p) : strlen(p);

		if (n == 2 && p[0] == '.' && p[1] == '.') {
			if (o == buf) {
				free(buf);
				return -EINVAL;
			}
			while (o > buf && *--o != '/')
				;
		} else if (n && !(n == 1 && *p == '.')) {
			*o++ = '/';
			memmove(o, p, n);
			o += n;
		}
		p += n + (e != NULL);
	}
	if (o == buf)
		*o++ = '/';
	*o = '\0';
	*out = buf;
	return 0;
}

/* Set *dst to the resolved path, or mark the entry.  Return: 0 or
 * -ENOMEM. */
static int set_path(struct sx *s, char **dst, const char *path,
		    const char *name, unsigned line)
{
	char *r;
	int rc = resolve(cur_label(s)->dir, path, &r);

	if (rc == -EINVAL) {
		if (!cur_entry(s)->error)
			return entry_fail(cur_entry(s), "syslinux: %s:%u: path "
					  "'%s' climbs above the partition root",
					  name, line, path);
		return 0;
	}
	if (rc)
		return rc;
	free(*dst);
	*dst = r;
	return 0;
}

/* Append the resolved files of a comma list to the entry's initrds. */
static int add_initrds(struct sx *s, struct boot_entry *e, const char *list,
		       const char *name, unsigned line)
{
	const char *p = list;
	int rc = 0;

	while (*p && !rc) {
		size_t n = strcspn(p, ",");
		char *one = strndup(p, n), *t = one, *r = NULL;

		if (!one)
			return -ENOMEM;
		while (is_blank(*t))
			t++;
		t[strcspn(t, " \t")] = '\0';
		if (*t) {
			rc = set_path(s, &r, t, name, line);
			if (!rc && r) {
				rc = entry_add_initrd(e, r, (size_t)-1);
				if (rc == -E2BIG) {
					rc = e->error ? 0 :
					     entry_fail(e, "syslinux: %s:%u: more "
							"than %d initrds", name, line,
							ENTRY_MAX_INITRDS);
				}
			}
		}
		free(r);
		free(one);
		p += n + (p[n] == ',');
	}
	return rc;
}

static int new_label(struct sx *s, const char *label, const char *name,
		     unsigned line, const char *dir)
{
	struct boot_entry *e;
	struct label *lb;
	char *id;

	if (s->nr == SYSLINUX_MAX_LABELS) {
		if (!s->warned_labels)
			warn_add(s->w, "syslinux: %s:%u: more than %d labels; the "
				 "rest ignored", name, line, SYSLINUX_MAX_LABELS);
		s->warned_labels = true;
		s->cur = -1;
		return 0;
	}
	if (s->nr == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		struct label *v = realloc(s->labels, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		s->labels = v;
		s->cap = cap;
	}
	id = entry_unique_id(s->out, s->start, label);
	if (!id)
		return -ENOMEM;
	e = entry_add(s->out, ENTRY_SYSLINUX);
	if (!e) {
		free(id);
		return -ENOMEM;
	}
	e->id = id;
	lb = &s->labels[s->nr];
	memset(lb, 0, sizeof(*lb));
	lb->line = line;
	s->cur = (int)s->nr++;
	if (!(lb->dir = strdup(dir)) || !(lb->config = strdup(name)) ||
	    entry_set(&e->config, name, (size_t)-1))
		return -ENOMEM;
	return 0;
}

/* Words of a MENU LABEL without the '^' that marks a hotkey. */
static int set_title(struct boot_entry *e, const char *v)
{
	char *t = strdup(v), *o = t;
	const char *p;

	if (!t)
		return -ENOMEM;
	for (p = v; *p; p++)
		if (*p != '^')
			*o++ = *p;
	*o = '\0';
	free(e->title);
	e->title = t;
	return 0;
}

/* KERNEL/LINUX FILE [ARGS] and the other ways a label says what runs. */
static int kernel(struct sx *s, const char *kw, const char *v,
		  const char *name, unsigned line)
{
	struct boot_entry *e = cur_entry(s);
	size_t n = strcspn(v, " \t");
	const char *args = v + n;
	char *file;
	int rc;

	if (strcasecmp(kw, "kernel") && strcasecmp(kw, "linux"))
		return e->error ? 0 :
		       entry_fail(e, "syslinux: %s:%u: %s runs a syslinux module, "
				  "not a Linux kernel", name, line, kw);
	if (!n)
		return e->error ? 0 :
		       entry_fail(e, "syslinux: %s:%u: %s without a file", name,
				  line, kw);
	/* KERNEL picks the loader by extension; a .c32 is a COM32 module
	 * (menu.c32, chain.c32, hdt.c32). */
	if (!strcasecmp(kw, "kernel") && n > 4 &&
	    !strncasecmp(v + n - 4, ".c32", 4))
		return e->error ? 0 :
		       entry_fail(e, "syslinux: %s:%u: KERNEL %.*s is a COM32 "
				  "module, not a Linux kernel", name, line,
				  (int)n, v);
	file = strndup(v, n);
	if (!file)
		return -ENOMEM;
	rc = set_path(s, &e->kernel.path, file, name, line);
	free(file);
	while (is_blank(*args))
		args++;
	if (!rc && *args)
		rc = entry_set(&cur_label(s)->kernel_args, args, (size_t)-1);
	return rc;
}

static int include(struct sx *s, const char *file, const char *name,
		   unsigned line, const char *dir, unsigned depth);

static int parse_file(struct sx *s, const char *name, const char *dir,
		      const char *buf, size_t len, unsigned depth);

/* One "KEYWORD value" line.  Return: 0 or -ENOMEM. */
static int keyword(struct sx *s, char *kw, const char *v, const char *name,
		   unsigned line, const char *dir, unsigned depth)
{
	bool in_label = s->cur >= 0;
	size_t i;

	if (!strcasecmp(kw, "menu")) {
		size_t n = strcspn(v, " \t");
		const char *arg = v + n;

		while (is_blank(*arg))
			arg++;
		if (n == 5 && !strncasecmp(v, "label", 5) && in_label)
			return set_title(cur_entry(s), arg);
		if (n == 7 && !strncasecmp(v, "default", 7) && in_label) {
			cur_label(s)->menu_default = true;
			return 0;
		}
		if (n == 5 && !strncasecmp(v, "title", 5) && !s->menu_depth)
			return entry_set(&s->res->menu_title, arg, (size_t)-1);
		if (n == 5 && !strncasecmp(v, "begin", 5))
			s->menu_depth++;
		else if (n == 3 && !strncasecmp(v, "end", 3) && s->menu_depth)
			s->menu_depth--;
		else if (n == 7 && !strncasecmp(v, "include", 7) && *arg)
			return include(s, arg, name, line, dir, depth);
		return 0; /* colors, sizes, messages: the menu's looks */
	}
	if (!strcasecmp(kw, "label")) {
		if (!*v) {
			warn_add(s->w, "syslinux: %s:%u: LABEL without a name; "
				 "ignored", name, line);
			s->cur = -1;
			return 0;
		}
		return new_label(s, v, name, line, dir);
	}
	if (!strcasecmp(kw, "default"))
		return entry_set(&s->deflt, v, (size_t)-1);
	if (!strcasecmp(kw, "ontimeout"))
		return entry_set(&s->ontimeout, v, (size_t)-1);
	if (!strcasecmp(kw, "timeout")) {
		char *end;
		long t = strtol(v, &end, 10);

		if (end == v || t < 0 || t > 1000000)
			warn_add(s->w, "syslinux: %s:%u: TIMEOUT '%.40s' is not a "
				 "number of tenths of a second", name, line, v);
		else
			s->res->timeout = (int)t;
		return 0;
	}
	if (!strcasecmp(kw, "include"))
		return include(s, v, name, line, dir, depth);
	if (!strcasecmp(kw, "append")) {
		char **dst = in_label ? &cur_label(s)->append : &s->global_append;

		if (in_label)
			cur_label(s)->has_append = true;
		/* syslinux: "APPEND -" means no options at all. */
		if (!strcmp(v, "-")) {
			free(*dst);
			*dst = NULL;
			return 0;
		}
		return entry_set(dst, v, (size_t)-1);
	}
	if (!strcasecmp(kw, "ipappend") || !strcasecmp(kw, "sysappend")) {
		warn_add(s->w, "syslinux: %s:%u: %s (network options added by "
			 "pxelinux) is not supported; ignored", name, line, kw);
		return 0;
	}
	for (i = 0; i < sizeof(ignored) / sizeof(ignored[0]); i++)
		if (!strcasecmp(kw, ignored[i]))
			return 0;
	if (in_label) {
		struct boot_entry *e = cur_entry(s);
		char why[160];
		int pr = entry_pin_line(e, &cur_label(s)->pin, kw, strlen(kw), v,
					strlen(v), why, sizeof(why));

		if (pr == -EINVAL)
			return e->error ? 0 : entry_fail(e, "syslinux: %s:%u: %s",
							 name, line, why);
		if (pr)
			return pr > 0 ? 0 : pr;

		if (!strcasecmp(kw, "kernel") || !strcasecmp(kw, "linux") ||
		    !strcasecmp(kw, "com32") || !strcasecmp(kw, "comboot") ||
		    !strcasecmp(kw, "boot") || !strcasecmp(kw, "bss") ||
		    !strcasecmp(kw, "pxe") || !strcasecmp(kw, "fdimage") ||
		    !strcasecmp(kw, "config"))
			return kernel(s, kw, v, name, line);
		if (!strcasecmp(kw, "initrd"))
			return add_initrds(s, e, v, name, line);
		if (!strcasecmp(kw, "fdt") || !strcasecmp(kw, "devicetree"))
			return set_path(s, &e->devicetree.path, v, name, line);
		if (!strcasecmp(kw, "fdtdir") || !strcasecmp(kw, "devicetreedir")) {
			char *d = NULL;
			int rc = set_path(s, &d, v, name, line);

			/* A final '/' marks the directory for the caller. */
			if (!rc && d) {
				free(e->devicetree.path);
				if (asprintf(&e->devicetree.path, "%s%s", d,
					     d[1] ? "/" : "") < 0) {
					e->devicetree.path = NULL;
					rc = -ENOMEM;
				}
			}
			free(d);
			return rc;
		}
		if (!strcasecmp(kw, "fdtoverlays") ||
		    !strcasecmp(kw, "devicetree-overlay")) {
			const char *p = v;
			int rc = 0;

			while (*p && !rc) {
				size_t n = strcspn(p, " \t");
				char *one = strndup(p, n);

				if (!one)
					return -ENOMEM;
				if (n && e->nr_overlay == ENTRY_MAX_OVERLAYS) {
					rc = e->error ? 0 :
					     entry_fail(e, "syslinux: %s:%u: more "
							"than %d overlays", name,
							line, ENTRY_MAX_OVERLAYS);
				} else if (n) {
					rc = set_path(s, &e->overlay[e->nr_overlay].path,
						      one, name, line);
					if (!rc && e->overlay[e->nr_overlay].path)
						e->nr_overlay++;
				}
				free(one);
				p += n;
				while (is_blank(*p))
					p++;
			}
			return rc;
		}
		if (!strcasecmp(kw, "localboot"))
			return e->error ? 0 :
			       entry_fail(e, "syslinux: %s:%u: LOCALBOOT boots the "
					  "local disk through the firmware, not a "
					  "Linux kernel", name, line);
	}
	if (!strcasecmp(kw, "kernel") || !strcasecmp(kw, "linux") ||
	    !strcasecmp(kw, "initrd") || !strcasecmp(kw, "fdt") ||
	    !strcasecmp(kw, "localboot"))
		warn_add(s->w, "syslinux: %s:%u: %s outside a LABEL; ignored",
			 name, line, kw);
	else
		warn_add(s->w, "syslinux: %s:%u: unknown keyword '%.40s' "
			 "skipped", name, line, kw);
	return 0;
}

static int include(struct sx *s, const char *file, const char *name,
		   unsigned line, const char *dir, unsigned depth)
{
	struct syslinux_result *r = s->res;
	char *path, *buf;
	size_t len;
	int rc;

	rc = resolve(dir, file, &path);
	if (rc == -EINVAL) {
		warn_add(s->w, "syslinux: %s:%u: INCLUDE %s climbs above the "
			 "partition root; skipped", name, line, file);
		return 0;
	}
	if (rc)
		return rc;
	if (!s->read) {
		if (r->nr_include == SYSLINUX_MAX_INCLUDES) {
			warn_add(s->w, "syslinux: %s:%u: more than %d INCLUDEs; "
				 "%s not noted", name, line,
				 SYSLINUX_MAX_INCLUDES, path);
			free(path);
			return 0;
		}
		r->include[r->nr_include++] = path;
		return 0;
	}
	if (depth + 1 >= SYSLINUX_MAX_DEPTH || s->reads == SYSLINUX_MAX_READS) {
		warn_add(s->w, "syslinux: %s:%u: INCLUDE nested deeper than %d "
			 "or more than %d in all; %s skipped", name, line,
			 SYSLINUX_MAX_DEPTH, SYSLINUX_MAX_READS, path);
		free(path);
		return 0;
	}
	s->reads++;
	rc = s->read(s->ctx, path, &buf, &len);
	if (rc) {
		warn_add(s->w, "syslinux: %s:%u: INCLUDE %s: %s; skipped", name,
			 line, path, strerror(-rc));
		free(path);
		return 0;
	}
	rc = parse_file(s, path, dir, buf, len, depth + 1);
	if (rc == -EFBIG) {
		warn_add(s->w, "syslinux: %s:%u: INCLUDE %s is larger than %u "
			 "bytes; skipped", name, line, path, SYSLINUX_MAX_FILE);
		rc = 0;
	}
	free(buf);
	free(path);
	return rc;
}

static int parse_file(struct sx *s, const char *name, const char *dir,
		      const char *buf, size_t len, unsigned depth)
{
	const char *p = buf, *end = buf + len;
	unsigned lineno = 0;
	bool in_text = false;
	int rc = 0;

	if (len > SYSLINUX_MAX_FILE)
		return kx_fail(EFBIG, "syslinux: %s: larger than %u bytes", name,
			       SYSLINUX_MAX_FILE);
	while (p < end && !rc) {
		const char *line = p, *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end, *v;
		char kw[33], *val;
		size_t n;

		p = nl ? nl + 1 : end;
		lineno++;
		n = (size_t)(e - line);
		if (n > MAX_LINE || memchr(line, '\0', n) ||
		    !utf8_valid((const uint8_t *)line, n)) {
			warn_add(s->w, "syslinux: %s:%u: %s; line skipped", name,
				 lineno, n > MAX_LINE ? "line too long" :
				 memchr(line, '\0', n) ? "NUL byte" :
				 "invalid UTF-8");
			continue;
		}
		while (e > line && (e[-1] == '\r' || is_blank(e[-1])))
			e--;
		while (line < e && is_blank(*line))
			line++;
		for (n = 0; line + n < e && !is_blank(line[n]); n++)
			;
		if (in_text) {
			/* TEXT HELP ... ENDTEXT: the help shown for a label. */
			in_text = !(n == 7 && !strncasecmp(line, "endtext", 7));
			continue;
		}
		if (line == e || *line == '#')
			continue;
		snprintf(kw, sizeof(kw), "%.*s", (int)n, line);
		for (v = line + n; v < e && is_blank(*v); v++)
			;
		if (!strcasecmp(kw, "text")) {
			in_text = true;
			continue;
		}
		val = strndup(v, (size_t)(e - v));
		if (!val)
			return -ENOMEM;
		rc = keyword(s, kw, val, name, lineno, dir, depth);
		free(val);
	}
	return rc;
}

/* Options: KERNEL's extra words, then APPEND (the label's, or the global
 * one); initrd= (in either) taken out into the entry's initrds. */
static int finish_label(struct sx *s, size_t k)
{
	struct label *lb = &s->labels[k];
	struct boot_entry *e = &s->out->v[s->start + k];
	const char *append = lb->has_append ? lb->append : s->global_append;
	char *copy, *p, *tok;
	int saved = s->cur, rc = 0;

	if (!e->title && entry_set(&e->title, e->id, (size_t)-1))
		return -ENOMEM;
	if (asprintf(&copy, "%s %s", lb->kernel_args ? lb->kernel_args : "",
		     append ? append : "") < 0)
		return -ENOMEM;
	s->cur = (int)k;
	for (tok = strtok_r(copy, " \t", &p); tok && !rc;
	     tok = strtok_r(NULL, " \t", &p)) {
		if (!strncmp(tok, "initrd=", 7))
			rc = add_initrds(s, e, tok + 7, lb->config, lb->line);
		else
			rc = entry_append(&e->options, tok, (size_t)-1);
	}
	s->cur = saved;
	free(copy);
	if (!rc && !e->kernel.path && !e->error)
		rc = entry_fail(e, "syslinux: %s:%u: label '%s' has no KERNEL or "
				"LINUX", lb->config, lb->line, e->id);
	return rc;
}

/* Return: the index of the label named v, or -1.  U-Boot and anaconda
 * write labels with blanks ("Fedora (4.18.16-300.fc29.armv7hl) 29"), so
 * the whole value is tried before its first word (syslinux's "DEFAULT
 * label options"); exact matches before ones that ignore case. */
static int find_label(const struct sx *s, const char *v)
{
	size_t lens[2] = { strlen(v), strcspn(v, " \t") }, i;
	int pass;

	for (pass = 0; pass < 4; pass++) {
		size_t n = lens[pass / 2];

		for (i = 0; i < s->nr; i++) {
			const char *id = s->out->v[s->start + i].id;

			if (strlen(id) == n && (pass % 2 ? !strncasecmp(id, v, n) :
						!strncmp(id, v, n)))
				return (int)i;
		}
	}
	return -1;
}

static int pick_default(struct sx *s, const char *name)
{
	struct syslinux_result *r = s->res;
	const char *want = NULL, *why = NULL;
	size_t i;
	int k = -1;

	if (!s->nr)
		return 0;
	if (s->ontimeout) {
		want = s->ontimeout;
		why = "ONTIMEOUT";
	}
	for (i = 0; !want && i < s->nr; i++)
		if (s->labels[i].menu_default) {
			k = (int)i;
			want = s->out->v[s->start + i].id;
		}
	if (!want && s->deflt) {
		size_t n = strcspn(s->deflt, " \t");

		/* "DEFAULT menu.c32" starts the menu: not a label. */
		if (!(n > 4 && !strncasecmp(s->deflt + n - 4, ".c32", 4)) ||
		    find_label(s, s->deflt) >= 0) {
			want = s->deflt;
			why = "DEFAULT";
		}
	}
	if (want && k < 0)
		k = find_label(s, want);
	if (want && k < 0) {
		warn_add(s->w, "syslinux: %s: %s '%.60s' names no label; using "
			 "the first", name, why, want);
		want = NULL;
	}
	if (k < 0)
		k = 0;
	r->default_index = k;
	return want ? entry_set(&r->default_label, s->out->v[s->start + k].id,
				(size_t)-1) : 0;
}

void syslinux_result_free(struct syslinux_result *res)
{
	size_t i;

	free(res->default_label);
	free(res->menu_title);
	for (i = 0; i < res->nr_include; i++)
		free(res->include[i]);
	memset(res, 0, sizeof(*res));
	res->default_index = -1;
	res->timeout = -1;
}

int syslinux_parse(const char *name, const char *dir, const char *buf,
		   size_t len, syslinux_read_fn read, void *ctx,
		   struct entry_list *out, struct syslinux_result *res,
		   struct warnings *w)
{
	struct sx s = { .read = read, .ctx = ctx, .out = out, .start = out->n,
			.res = res, .w = w, .cur = -1 };
	char *mydir = NULL;
	size_t k;
	int rc;

	memset(res, 0, sizeof(*res));
	res->default_index = -1;
	res->timeout = -1;
	if (!dir) {
		const char *slash = strrchr(name, '/');

		mydir = strndup(name, slash ? (size_t)(slash - name) : 0);
		if (!mydir)
			return kx_fail(ENOMEM, "syslinux: %s: out of memory", name);
		dir = mydir;
	}
	rc = parse_file(&s, name, dir, buf, len, 0);
	for (k = 0; !rc && k < s.nr; k++)
		rc = finish_label(&s, k);
	if (!rc)
		rc = pick_default(&s, name);
	for (k = 0; k < s.nr; k++) {
		free(s.labels[k].kernel_args);
		free(s.labels[k].append);
		free(s.labels[k].dir);
		free(s.labels[k].config);
	}
	free(s.labels);
	free(s.global_append);
	free(s.ontimeout);
	free(s.deflt);
	free(mydir);
	if (rc) {
		while (out->n > s.start)
			entry_drop_last(out);
		syslinux_result_free(res);
		if (rc == -ENOMEM)
			rc = kx_fail(ENOMEM, "syslinux: %s: out of memory", name);
	}
	return rc;
}
