/* kexshim: grub.cfg executed into boot entries (see grub.h).  Pure.  Runs
 * while entries are listed, on whatever grub-mkconfig, a distro or a user
 * wrote.  One recursive-descent walk both checks the structure and runs
 * what is active; an inactive branch is walked with active = false. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/utf8.h"
#include "config/entry.h"
#include "config/grub.h"
#include "config/grub_menu.h"
#include "config/grub_script.h"
#include "config/grubenv.h"
#include "lib/error.h"
#include "lib/warn.h"

#define MAX_DEPTH 32          /* nested blocks */
#define MAX_CALLS 8           /* nested function calls */
#define MAX_FUNCS 64
/* Commands run: Debian's grub.cfg runs ~150.  Loops are not run, but
 * functions calling functions ten times each explode. */
#define MAX_STEPS 10000u

/* Where `search --set=root` put the files, kept as variables so that
 * scopes copy it; no script can name them. */
#define VAR_UUID "\001fs_uuid"
#define VAR_LABEL "\001fs_label"

struct gfunc {
	char *name;
	size_t body, body_end;
};

struct grub {
	const char *name;
	struct gtokens t;
	struct gvars globals;
	struct gvars *vars;        /* the scope commands run in */
	const struct gargs *args;  /* positional parameters there */
	struct warnings *w;
	struct grub_result *res;
	const char *env;           /* grubenv bytes, NULL = none */
	size_t env_len;
	struct gitem *items;       /* at most GRUB_MAX_ENTRIES */
	size_t nr_items, cap_items;
	struct gfunc funcs[MAX_FUNCS];
	size_t nr_funcs;
	int parent;                /* menu level items are defined at */
	struct gitem *entry;       /* the menuentry body running, or NULL */
	size_t blscfg_items;       /* items defined before blscfg ran */
	unsigned depth, calls;
	unsigned long steps;
	bool warned_loops, warned_items, stop;
};

static const char *const ignored[] = {
	/* Screen, terminal, modules, devices, sound: grub's own business. */
	"insmod", "rmmod", "echo", "font", "loadfont", "terminal_output",
	"terminal_input", "terminal", "serial", "background_image",
	"background_color", "play", "sleep", "clear", "gettext", "save_env",
	"videoinfo", "hwmatch", "cutmem", "badram", "probe",
	"boot", "set_theme", "lsefi", "cryptomount", "nativedisk", "gfxmode",
	"load_video", "recordfail", "savedefault", "tpm", "smbios", "true",
	"return", "lsmod", "ls", "cat", "gptsync", "parttool",
	"drivemap", "loopback", "fakebios", "net_bootp", "shim_lock",
	"verify_detached", "trust", "distrust", "eval", "export", "fwsetup",
};

/* Report a syntax error the way grub would refuse the file.
 * Return: -EINVAL. */
static int syntax(struct grub *g, size_t i, const char *what)
{
	return kx_fail(EINVAL, "grub: %s:%u: %s", g->name, g->t.v[i].line, what);
}

static bool is_sep(const struct gtoken *t)
{
	return t->type == GT_SEP;
}

/* Find a function by name.  Return: it, or NULL. */
static struct gfunc *func(struct grub *g, const char *name)
{
	size_t i;

	for (i = 0; i < g->nr_funcs; i++)
		if (!strcmp(g->funcs[i].name, name))
			return &g->funcs[i];
	return NULL;
}

static int run_list(struct grub *g, size_t *i, const char *const *stops,
		    bool active, enum gtruth *status, int *stop);

/* '{' LIST '}' at *i, walked without running it (functions, bodies,
 * loops).  Return: 0 with the body's token range and *i after '}', or -EINVAL. */
static int skip_block(struct grub *g, size_t *i, size_t *body,
		      size_t *body_end)
{
	size_t open = *i;
	enum gtruth st;
	int stop, rc;

	/* grub's grammar allows newlines before the '{'. */
	while (is_sep(&g->t.v[*i]))
		(*i)++;
	if (g->t.v[*i].type != GT_LBRACE)
		return syntax(g, *i, "'{' expected");
	(*i)++;
	*body = *i;
	rc = run_list(g, i, NULL, false, &st, &stop);
	if (rc)
		return rc;
	if (g->t.v[*i].type != GT_RBRACE)
		return kx_fail(EINVAL, "grub: %s:%u: '{' is never closed by '}'",
			       g->name, g->t.v[open].line);
	*body_end = *i;
	(*i)++;
	return 0;
}

/* Expand tokens [from, to) into *out.  Return: 0 or -ENOMEM. */
static int expand(struct grub *g, size_t from, size_t to, struct gwords *out)
{
	bool cut = false;
	size_t i;
	int rc = 0;

	for (i = from; i < to && !rc; i++)
		rc = grub_expand(&g->t.v[i], g->vars, g->args, out, &cut);
	if (cut)
		warn_add(g->w, "grub: %s:%u: a word or value was cut at %u bytes",
			 g->name, g->t.v[from].line, GRUB_MAX_VALUE);
	return rc ? kx_fail(ENOMEM, "grub: %s: out of memory", g->name) : 0;
}

static int set_var(struct grub *g, const char *name, size_t n, const char *v,
		   unsigned line)
{
	int rc = gvar_set(g->vars, name, n, v, strlen(v));

	if (rc == -ENOSPC) {
		warn_add(g->w, "grub: %s:%u: more than %d variables; '%.*s' not "
			 "set", g->name, line, GRUB_MAX_VARS, (int)n, name);
		return 0;
	}
	if (rc)
		return kx_fail(ENOMEM, "grub: %s: out of memory", g->name);
	/* `set root=(hd0,gpt2)` names a grub device: what search said about
	 * the partition no longer holds. */
	if (n == 4 && !memcmp(name, "root", 4)) {
		gvar_unset(g->vars, VAR_UUID, strlen(VAR_UUID));
		gvar_unset(g->vars, VAR_LABEL, strlen(VAR_LABEL));
	}
	return 0;
}

/* "NAME=VALUE" into a variable.  Return: 1 when word was one, 0 when not,
 * -ENOMEM. */
static int assign(struct grub *g, const char *word, unsigned line)
{
	const char *eq = strchr(word, '=');
	int rc;

	if (!eq || !gvar_name_ok(word, (size_t)(eq - word)))
		return 0;
	rc = set_var(g, word, (size_t)(eq - word), eq + 1, line);
	return rc ? rc : 1;
}

/* load_env [-f FILE] [--skip-sig] [NAME...]: grubenv's variables. */
static int load_env(struct grub *g, char **argv, size_t argc, unsigned line)
{
	struct grubenv env;
	size_t i, j, first = 1;
	int rc = 0;

	for (; first < argc && argv[first][0] == '-'; first++)
		if ((!strcmp(argv[first], "-f") || !strcmp(argv[first], "--file")) &&
		    first + 1 < argc) {
			const char *f = argv[++first];
			size_t n = strlen(f);

			if (n < 7 || strcmp(f + n - 7, "grubenv"))
				return 0; /* another file: not ours to read */
		}
	if (!g->env)
		return 0;
	if (grubenv_parse("grubenv", g->env, g->env_len, &env, g->w)) {
		warn_add(g->w, "grub: %s:%u: %s; not loaded", g->name, line,
			 kx_last_error());
		return 0;
	}
	for (i = 0; i < env.n && !rc; i++) {
		bool wanted = first == argc;

		for (j = first; j < argc && !wanted; j++)
			wanted = !strcmp(argv[j], env.name[i]);
		if (wanted && gvar_name_ok(env.name[i], strlen(env.name[i])))
			rc = set_var(g, env.name[i], strlen(env.name[i]),
				     env.value[i], line);
	}
	grubenv_free(&env);
	return rc;
}

/* search [--no-floppy] (--fs-uuid|-u | --label|-l | --file|-f) [--set[=VAR]]
 * [--hint...] NAME, and search.fs_uuid / search.fs_label / search.file
 * NAME [VAR]: where VAR (root by default) points. */
static int search(struct grub *g, char **argv, size_t argc, unsigned line)
{
	const char *kind = NULL, *var = "root", *what = NULL;
	size_t i = 1;
	int rc;

	if (!strcmp(argv[0], "search.fs_uuid"))
		kind = "u";
	else if (!strcmp(argv[0], "search.fs_label"))
		kind = "l";
	else if (!strcmp(argv[0], "search.file"))
		kind = "f";
	if (kind) {
		if (argc < 2)
			return 0;
		what = argv[1];
		if (argc > 2)
			var = argv[2];
	} else {
		for (; i < argc; i++) {
			const char *a = argv[i];

			if (!strcmp(a, "--fs-uuid") || !strcmp(a, "-u"))
				kind = "u";
			else if (!strcmp(a, "--label") || !strcmp(a, "-l"))
				kind = "l";
			else if (!strcmp(a, "--file") || !strcmp(a, "-f"))
				kind = "f";
			else if (!strncmp(a, "--set=", 6))
				var = a + 6;
			else if ((!strcmp(a, "--set") || !strcmp(a, "-s")) &&
				 i + 1 < argc && argv[i + 1][0] != '-' &&
				 i + 2 < argc)
				var = argv[++i];
			else if (a[0] != '-')
				what = a;
		}
		if (!kind)
			kind = "f"; /* grub's default is --file */
	}
	if (!what)
		return 0;
	if (strcmp(var, "root"))
		return 0; /* another variable: a device name we do not have */
	rc = set_var(g, "root", 4, what, line);
	if (rc)
		return rc;
	if (*kind == 'f') {
		warn_add(g->w, "grub: %s:%u: search --file %s: the partition "
			 "holding it is not looked for; using the config's own",
			 g->name, line, what);
		return 0;
	}
	var = *kind == 'u' ? VAR_UUID : VAR_LABEL;
	rc = gvar_set(g->vars, var, strlen(var), what, strlen(what));
	if (rc == -ENOMEM)
		return kx_fail(ENOMEM, "grub: %s: out of memory", g->name);
	return 0;
}

/* A path as the entry keeps it: without grub's "(device)" prefix.
 * Return: 0 with *out set (into s), or -EINVAL (the entry is marked). */
static int entry_path(struct grub *g, const char *s, unsigned line,
		      const char **out)
{
	struct boot_entry *e = &g->entry->e;

	if (*s == '(') {
		const char *c = strchr(s, ')');

		if (c)
			s = c + 1;
	}
	if (!*s) {
		if (!e->error)
			entry_fail(e, "grub: %s:%u: no file after the device",
				   g->name, line);
		return -EINVAL;
	}
	if (!entry_path_ok(s, strlen(s))) {
		if (!e->error)
			entry_fail(e, "grub: %s:%u: path '%s' leaves the partition",
				   g->name, line, s);
		return -EINVAL;
	}
	*out = s;
	return 0;
}

/* The kernel's command line from linux's arguments.  grub joins them with
 * blanks, so quoting in grub.cfg only groups words; an argument that holds
 * a blank is passed in double quotes, which the kernel understands.  A
 * control character (a quoted newline) is a blank to the kernel: it
 * becomes one, so the options stay one line. */
static int join_args(char **dst, char **argv, size_t argc)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < argc; i++) {
		char *c;

		for (c = argv[i]; *c; c++)
			if ((unsigned char)*c < 0x20 || *c == 0x7f)
				*c = ' ';
	}
	for (i = 0; i < argc && !rc; i++) {
		if (strpbrk(argv[i], " \t")) {
			char *q;

			if (asprintf(&q, "\"%s\"", argv[i]) < 0)
				return -ENOMEM;
			rc = entry_append(dst, q, (size_t)-1);
			free(q);
		} else if (*argv[i]) {
			rc = entry_append(dst, argv[i], (size_t)-1);
		}
	}
	return rc;
}

/* Commands inside a menuentry body that load or refuse a kernel.
 * Return: 1 when cmd was one, 0 when not, -ENOMEM. */
static int entry_command(struct grub *g, char **argv, size_t argc,
			 unsigned line)
{
	struct boot_entry *e = &g->entry->e;
	const char *cmd = argv[0], *path;
	size_t i;

	if (!strcmp(cmd, "linux") || !strcmp(cmd, "linuxefi") ||
	    !strcmp(cmd, "linux16")) {
		if (argc < 2) {
			if (!e->error)
				entry_fail(e, "grub: %s:%u: %s without a file",
					   g->name, line, cmd);
			return 1;
		}
		if (entry_path(g, argv[1], line, &path))
			return 1;
		/* A new kernel: grub drops the initrd loaded for the old. */
		for (i = 0; i < e->nr_initrd; i++) {
			free(e->initrd[i].path);
			e->initrd[i].path = NULL;
		}
		e->nr_initrd = 0;
		free(e->options);
		e->options = NULL;
		if (entry_set(&e->kernel.path, path, (size_t)-1) ||
		    join_args(&e->options, argv + 2, argc - 2))
			return -ENOMEM;
		return 1;
	}
	if (!strcmp(cmd, "initrd") || !strcmp(cmd, "initrdefi") ||
	    !strcmp(cmd, "initrd16")) {
		if (!e->kernel.path) {
			if (!e->error)
				entry_fail(e, "grub: %s:%u: %s before linux (grub: "
					   "\"you need to load the kernel first\")",
					   g->name, line, cmd);
			return 1;
		}
		for (i = 0; i < e->nr_initrd; i++) {
			free(e->initrd[i].path);
			e->initrd[i].path = NULL;
		}
		e->nr_initrd = 0;
		for (i = 1; i < argc; i++) {
			int rc;

			if (entry_path(g, argv[i], line, &path))
				return 1;
			rc = entry_add_initrd(e, path, (size_t)-1);
			if (rc == -E2BIG) {
				if (!e->error)
					entry_fail(e, "grub: %s:%u: more than %d "
						   "initrds", g->name, line,
						   ENTRY_MAX_INITRDS);
				return 1;
			}
			if (rc)
				return rc;
		}
		return 1;
	}
	if (!strcmp(cmd, "devicetree")) {
		if (argc >= 2 && !entry_path(g, argv[1], line, &path) &&
		    entry_set(&e->devicetree.path, path, (size_t)-1))
			return -ENOMEM;
		return 1;
	}
	if (!strcmp(cmd, "chainloader") || !strcmp(cmd, "fwsetup") ||
	    !strcmp(cmd, "reboot") || !strcmp(cmd, "halt") ||
	    !strcmp(cmd, "exit")) {
		/* fwsetup --is-supported only asks. */
		if (argc > 1 && !strcmp(argv[1], "--is-supported"))
			return 1;
		if (!e->error)
			entry_fail(e, "grub: %s:%u: runs '%s', not a Linux kernel",
				   g->name, line, cmd);
		return 1;
	}
	return 0;
}

static int note_include(struct grub *g, const char *file, bool configfile,
			unsigned line)
{
	struct grub_result *r = g->res;

	if (r->nr_include == GRUB_MAX_INCLUDES) {
		warn_add(g->w, "grub: %s:%u: more than %d source/configfile; "
			 "'%s' not noted", g->name, line, GRUB_MAX_INCLUDES, file);
		return 0;
	}
	r->include[r->nr_include] = strdup(file);
	if (!r->include[r->nr_include])
		return kx_fail(ENOMEM, "grub: %s: out of memory", g->name);
	r->include_is_configfile[r->nr_include++] = configfile;
	return 0;
}

/* A function's body with its own $1 ... (variables are shared, as in
 * grub: savedefault sets saved_entry for the caller). */
static int call(struct grub *g, struct gfunc *f, char **argv, size_t argc,
		unsigned line, enum gtruth *status)
{
	const struct gargs *saved = g->args;
	struct gargs args = { argv + 1, argc - 1 };
	size_t i = f->body;
	int stop, rc;

	if (g->calls == MAX_CALLS) {
		warn_add(g->w, "grub: %s:%u: functions nested deeper than %d; "
			 "'%s' not run", g->name, line, MAX_CALLS, f->name);
		return 0;
	}
	g->calls++;
	g->args = &args;
	rc = run_list(g, &i, NULL, true, status, &stop);
	g->args = saved;
	g->calls--;
	return rc;
}

/* Run one command, expanded into argv[0..argc).  Return: 0 or -errno. */
static int command(struct grub *g, char **argv, size_t argc, unsigned line,
		   enum gtruth *status)
{
	struct gwords wd = { argv, argc, argc };
	struct gfunc *f;
	const char *cmd = argv[0];
	size_t i;
	int rc = 0;

	*status = G_TRUE;
	/* "! COMMAND": the negation of its truth. */
	if (!strcmp(cmd, "!") && argc > 1) {
		rc = command(g, argv + 1, argc - 1, line, status);
		if (*status != G_UNKNOWN)
			*status = *status == G_TRUE ? G_FALSE : G_TRUE;
		return rc;
	}
	if (wd.n == 1 && (rc = assign(g, cmd, line)) != 0) {
		rc = rc < 0 ? rc : 0;
	} else if (!strcmp(cmd, "set")) {
		for (i = 1; i < wd.n && !rc; i++)
			rc = assign(g, wd.v[i], line) < 0 ? -ENOMEM : 0;
	} else if (!strcmp(cmd, "[") || !strcmp(cmd, "test")) {
		size_t n = wd.n - 1;

		if (cmd[0] == '[' && (n == 0 || strcmp(wd.v[wd.n - 1], "]")))
			*status = G_UNKNOWN; /* grub: "] expected" */
		else
			*status = grub_test(wd.v + 1, cmd[0] == '[' ? n - 1 : n,
					    g->env != NULL && g->env_len > 0);
	} else if (!strcmp(cmd, "false") || !strcmp(cmd, "keystatus")) {
		/* Nobody holds a key while kexshim reads the file (Ubuntu's
		 * hidden menu: "if keystatus --shift; then set timeout=-1"). */
		*status = G_FALSE;
	} else if (!strcmp(cmd, "unset")) {
		for (i = 1; i < wd.n; i++)
			gvar_unset(g->vars, wd.v[i], strlen(wd.v[i]));
	} else if (!strcmp(cmd, "load_env")) {
		rc = load_env(g, wd.v, wd.n, line);
	} else if (!strncmp(cmd, "search", 6) &&
		   (!cmd[6] || !strcmp(cmd + 6, ".fs_uuid") ||
		    !strcmp(cmd + 6, ".fs_label") || !strcmp(cmd + 6, ".file"))) {
		rc = search(g, wd.v, wd.n, line);
		*status = G_UNKNOWN; /* whether it found one */
	} else if (!strcmp(cmd, "source") || !strcmp(cmd, ".") ||
		   !strcmp(cmd, "configfile")) {
		if (wd.n > 1)
			rc = note_include(g, wd.v[1], cmd[0] == 'c', line);
	} else if (!strcmp(cmd, "blscfg")) {
		if (!g->res->blscfg)
			g->blscfg_items = g->nr_items;
		g->res->blscfg = true;
	} else if (g->entry && (rc = entry_command(g, wd.v, wd.n, line)) != 0) {
		rc = rc < 0 ? kx_fail(ENOMEM, "grub: %s: out of memory", g->name) : 0;
	} else if ((f = func(g, cmd))) {
		rc = call(g, f, wd.v, wd.n, line, status);
	} else {
		for (i = 0; i < sizeof(ignored) / sizeof(ignored[0]); i++)
			if (!strcmp(cmd, ignored[i]))
				break;
		if (i == sizeof(ignored) / sizeof(ignored[0])) {
			if (!strncmp(cmd, "linux", 5) || !strncmp(cmd, "initrd", 6))
				warn_add(g->w, "grub: %s:%u: '%s' outside a "
					 "menuentry; ignored", g->name, line, cmd);
			else
				warn_add(g->w, "grub: %s:%u: unknown command "
					 "'%.40s' skipped", g->name, line, cmd);
			*status = G_UNKNOWN;
		}
	}
	return rc;
}

/* One simple command: tokens [from, to).  Return: 0 or -errno. */
static int simple(struct grub *g, size_t from, size_t to, enum gtruth *status)
{
	struct gwords wd = { 0 };
	unsigned line = g->t.v[from].line;
	int rc;

	*status = G_TRUE;
	rc = expand(g, from, to, &wd);
	if (!rc && wd.n)
		rc = command(g, wd.v, wd.n, line, status);
	if (!rc)
		rc = set_var(g, "?", 1, *status == G_FALSE ? "1" : "0", line);
	gwords_free(&wd);
	return rc;
}

/* menuentry / submenu TITLE [--class C] [--id ID] [--users U] [--hotkey K]
 * [--unrestricted] [ARG...] { ... }: define an item (when active). */
static int menu_item(struct grub *g, size_t *i, bool active, bool submenu)
{
	size_t from = ++*i, to, body, body_end, k;
	unsigned line = g->t.v[from - 1].line;
	struct gwords wd = { 0 };
	struct gitem *it;
	int rc;

	while (g->t.v[*i].type == GT_WORD)
		(*i)++;
	to = *i;
	rc = skip_block(g, i, &body, &body_end);
	if (rc || !active)
		return rc;
	if (g->entry) {
		warn_add(g->w, "grub: %s:%u: a menu item inside a menuentry; "
			 "ignored", g->name, line);
		return 0;
	}
	if (g->nr_items == GRUB_MAX_ENTRIES) {
		if (!g->warned_items)
			warn_add(g->w, "grub: %s:%u: more than %d menu items; the "
				 "rest ignored", g->name, line, GRUB_MAX_ENTRIES);
		g->warned_items = true;
		return 0;
	}
	rc = expand(g, from, to, &wd);
	if (rc)
		return rc;
	if (g->nr_items == g->cap_items) {
		size_t cap = g->cap_items ? g->cap_items * 2 : 16;
		struct gitem *v = realloc(g->items, cap * sizeof(*v));

		if (!v) {
			gwords_free(&wd);
			return kx_fail(ENOMEM, "grub: %s: out of memory", g->name);
		}
		g->items = v;
		g->cap_items = cap;
	}
	it = &g->items[g->nr_items++];
	memset(it, 0, sizeof(*it));
	it->submenu = submenu;
	it->parent = g->parent;
	it->line = line;
	it->body = body;
	it->body_end = body_end;
	it->out = -1;
	it->e.tries_left = -1;
	it->e.uki_profile = -1;
	it->args.v = calloc(wd.n ? wd.n : 1, sizeof(char *));
	if (!it->args.v)
		goto nomem;
	for (k = 0; k < wd.n; k++) {
		const char *a = wd.v[k];
		bool has_value = !strcmp(a, "--class") || !strcmp(a, "--users") ||
				 !strcmp(a, "--hotkey") || !strcmp(a, "--id");

		if (has_value && k + 1 < wd.n) {
			if (!strcmp(a, "--id") && !it->id &&
			    !(it->id = strdup(wd.v[k + 1])))
				goto nomem;
			k++;
		} else if (!strncmp(a, "--id=", 5)) {
			if (!it->id && !(it->id = strdup(a + 5)))
				goto nomem;
		} else if (!strncmp(a, "--", 2) && a[2]) {
			/* --unrestricted, --class=..., and whatever else. */
		} else if (!it->title) {
			if (!(it->title = strdup(a)))
				goto nomem;
		} else {
			it->args.v[it->args.n++] = wd.v[k];
			wd.v[k] = NULL;
		}
	}
	gwords_free(&wd);
	if (!it->title && !(it->title = strdup("")))
		return kx_fail(ENOMEM, "grub: %s: out of memory", g->name);
	return 0;
nomem:
	gwords_free(&wd);
	return kx_fail(ENOMEM, "grub: %s: out of memory", g->name);
}

/* if LIST; then LIST [elif LIST; then LIST]... [else LIST] fi */
static int if_clause(struct grub *g, size_t *i, bool active)
{
	static const char *const then_kw[] = { "then", NULL };
	static const char *const branch_end[] = { "elif", "else", "fi", NULL };
	static const char *const fi_kw[] = { "fi", NULL };
	size_t start = *i;
	bool taken = false;
	enum gtruth cond, st;
	int stop, rc;

	(*i)++;
	for (;;) {
		bool run;

		rc = run_list(g, i, then_kw, active && !taken, &cond, &stop);
		if (rc)
			return rc;
		if (stop != 0)
			return syntax(g, start, "'if' without 'then'");
		(*i)++;
		/* A condition kexshim cannot evaluate takes the then branch. */
		run = active && !taken && cond != G_FALSE;
		rc = run_list(g, i, branch_end, run, &st, &stop);
		if (rc)
			return rc;
		taken = taken || run;
		if (stop < 0)
			return syntax(g, start, "'if' without 'fi'");
		(*i)++;
		if (stop == 0)
			continue; /* elif */
		if (stop == 1) {
			rc = run_list(g, i, fi_kw, active && !taken, &st, &stop);
			if (rc)
				return rc;
			if (stop != 0)
				return syntax(g, start, "'if' without 'fi'");
			(*i)++;
		}
		return 0;
	}
}

/* while/until LIST; do LIST; done and for NAME in WORDS; do LIST; done:
 * walked, never run (a generated grub.cfg has none). */
static int loop(struct grub *g, size_t *i, bool active)
{
	static const char *const do_kw[] = { "do", NULL };
	static const char *const done_kw[] = { "done", NULL };
	size_t start = *i;
	enum gtruth st;
	int stop, rc;

	(*i)++;
	rc = run_list(g, i, do_kw, false, &st, &stop);
	if (rc)
		return rc;
	if (stop != 0)
		return syntax(g, start, "loop without 'do'");
	(*i)++;
	rc = run_list(g, i, done_kw, false, &st, &stop);
	if (rc)
		return rc;
	if (stop != 0)
		return syntax(g, start, "loop without 'done'");
	(*i)++;
	if (active && !g->warned_loops)
		warn_add(g->w, "grub: %s:%u: loops are not run", g->name,
			 g->t.v[start].line);
	g->warned_loops = g->warned_loops || active;
	return 0;
}

/* function NAME { LIST } */
static int function(struct grub *g, size_t *i, bool active)
{
	size_t at = (*i)++, body, body_end;
	struct gwords wd = { 0 };
	struct gfunc *f;
	int rc;

	if (g->t.v[*i].type != GT_WORD)
		return syntax(g, at, "function without a name");
	(*i)++;
	rc = skip_block(g, i, &body, &body_end);
	if (rc || !active)
		return rc;
	rc = expand(g, at + 1, at + 2, &wd);
	if (rc || !wd.n)
		goto out;
	f = func(g, wd.v[0]);
	if (!f && g->nr_funcs == MAX_FUNCS) {
		warn_add(g->w, "grub: %s:%u: more than %d functions; '%s' not "
			 "defined", g->name, g->t.v[at].line, MAX_FUNCS, wd.v[0]);
		goto out;
	}
	if (!f) {
		f = &g->funcs[g->nr_funcs++];
		f->name = wd.v[0];
		wd.v[0] = NULL;
	}
	f->body = body;
	f->body_end = body_end;
out:
	gwords_free(&wd);
	return rc;
}

/* Return: the index in stops of the reserved word at t, or -1. */
static int stop_at(const struct gtoken *t, const char *const *stops)
{
	int k;

	for (k = 0; stops && stops[k]; k++)
		if (gtok_is(t, stops[k]))
			return k;
	return -1;
}

/* Run (or, inactive, walk) commands until one of the reserved words in
 * stops, a '}' or the end; *i is left on it.  *status is the last
 * command's truth, *stop the index in stops (-1: '}' or the end).
 * Return: 0 or -errno. */
static int run_list(struct grub *g, size_t *i, const char *const *stops,
		    bool active, enum gtruth *status, int *stop)
{
	static const char *const reserved[] = { "then", "else", "elif", "fi",
						"do", "done", NULL };
	int rc = 0;

	*status = G_TRUE;
	*stop = -1;
	if (g->depth == MAX_DEPTH)
		return syntax(g, *i, "blocks nested too deep");
	g->depth++;
	while (!rc) {
		const struct gtoken *t = &g->t.v[*i];
		size_t from;

		if (is_sep(t)) {
			(*i)++;
			continue;
		}
		if (t->type == GT_EOF || t->type == GT_RBRACE)
			break;
		if ((*stop = stop_at(t, stops)) >= 0)
			break;
		if (stop_at(t, reserved) >= 0) {
			rc = kx_fail(EINVAL, "grub: %s:%u: unexpected '%.*s'",
				     g->name, t->line, (int)t->n, t->s);
			break;
		}
		if (active && ++g->steps > MAX_STEPS) {
			if (!g->stop)
				warn_add(g->w, "grub: %s:%u: more than %u commands "
					 "run; stopped", g->name, t->line,
					 MAX_STEPS);
			g->stop = true;
		}
		if (g->stop)
			active = false;
		if (gtok_is(t, "if")) {
			rc = if_clause(g, i, active);
		} else if (gtok_is(t, "while") || gtok_is(t, "until") ||
			   gtok_is(t, "for")) {
			rc = loop(g, i, active);
		} else if (gtok_is(t, "function")) {
			rc = function(g, i, active);
		} else if (gtok_is(t, "menuentry") || gtok_is(t, "submenu")) {
			rc = menu_item(g, i, active, gtok_is(t, "submenu"));
		} else if (t->type == GT_LBRACE) {
			size_t b, be;

			warn_add(g->w, "grub: %s:%u: a block without a command; "
				 "skipped", g->name, t->line);
			rc = skip_block(g, i, &b, &be);
		} else if (t->type != GT_WORD) {
			rc = syntax(g, *i, "unexpected token");
		} else {
			for (from = *i; g->t.v[*i].type == GT_WORD; (*i)++)
				;
			if (active)
				rc = simple(g, from, *i, status);
		}
	}
	g->depth--;
	return rc;
}

/* Run one item's body after the whole file, in a copy of the variables of
 * its menu level, as grub does when it is chosen (or its submenu opened).
 * Return: 0 or -errno. */
static int run_item(struct grub *g, size_t k)
{
	/* A submenu's body adds items, which may move g->items: it is
	 * looked up again after the body ran, and $1 ... are copied. */
	struct gitem *it = &g->items[k];
	struct gargs args = it->args;
	struct gvars *scope = calloc(1, sizeof(*scope));
	const struct gvars *from = it->parent < 0 ? &g->globals :
				   g->items[it->parent].vars;
	enum gtruth st;
	size_t i = it->body;
	int stop, rc;

	if (!scope || gvars_copy(scope, from)) {
		free(scope);
		return kx_fail(ENOMEM, "grub: %s: out of memory", g->name);
	}
	g->vars = scope;
	g->args = &args;
	g->parent = (int)k;
	g->entry = it->submenu ? NULL : it;
	rc = run_list(g, &i, NULL, true, &st, &stop);
	it = &g->items[k];
	if (!rc && !it->submenu) {
		const char *uuid = gvar_get(scope, VAR_UUID, strlen(VAR_UUID));
		const char *label = gvar_get(scope, VAR_LABEL, strlen(VAR_LABEL));

		if ((uuid && entry_set(&it->e.fs_uuid, uuid, (size_t)-1)) ||
		    (label && entry_set(&it->e.fs_label, label, (size_t)-1)))
			rc = kx_fail(ENOMEM, "grub: %s: out of memory", g->name);
		if (!rc && !it->e.kernel.path && !it->e.error)
			entry_fail(&it->e, "grub: %s:%u: menuentry '%s' loads no "
				   "kernel (no linux command)", g->name, it->line,
				   it->title);
	}
	if (it->submenu && !rc) {
		it->vars = scope;
	} else {
		gvars_free(scope);
		free(scope);
	}
	g->entry = NULL;
	return rc;
}

/* The file as the lexer reads it: NUL and invalid UTF-8 as '?'.
 * Return: the copy (malloc'ed), or NULL. */
static char *clean_copy(const char *name, const char *buf, size_t len,
			struct warnings *w)
{
	char *c = malloc(len + 1);
	unsigned line = 1, bad_line = 0;
	size_t i = 0;

	if (!c)
		return NULL;
	while (i < len) {
		uint32_t cp;
		size_t n = buf[i] ? utf8_decode((const uint8_t *)buf + i,
						len - i, &cp) : 0;

		if (!n) {
			c[i++] = '?';
			if (!bad_line)
				bad_line = line;
			continue;
		}
		memcpy(c + i, buf + i, n);
		line += buf[i] == '\n';
		i += n;
	}
	c[len] = '\0';
	if (bad_line)
		warn_add(w, "grub: %s:%u: NUL or invalid UTF-8 read as '?'",
			 name, bad_line);
	return c;
}

static void grub_free(struct grub *g)
{
	size_t k;

	for (k = 0; k < g->nr_items; k++) {
		struct gitem *it = &g->items[k];
		size_t j;

		free(it->title);
		free(it->id);
		for (j = 0; j < it->args.n; j++)
			free(it->args.v[j]);
		free(it->args.v);
		if (it->vars) {
			gvars_free(it->vars);
			free(it->vars);
		}
		entry_free(&it->e);
	}
	free(g->items);
	for (k = 0; k < g->nr_funcs; k++)
		free(g->funcs[k].name);
	gvars_free(&g->globals);
	grub_tokens_free(&g->t);
}

void grub_result_free(struct grub_result *res)
{
	size_t i;

	free(res->default_spec);
	for (i = 0; i < res->nr_include; i++)
		free(res->include[i]);
	memset(res, 0, sizeof(*res));
	res->default_index = -1;
	res->timeout = -1;
}

int grub_parse(const char *name, const char *buf, size_t len,
	       const char *grubenv, size_t grubenv_len, struct entry_list *out,
	       struct grub_result *res, struct warnings *w)
{
	/* What grub 2.06's normal.mod announces, and an EFI grub. */
	static const char *const features[] = {
		"feature_200_final", "feature_all_video_module",
		"feature_chainloader_bpb", "feature_default_font_path",
		"feature_menuentry_id", "feature_menuentry_options",
		"feature_nativedisk_cmd", "feature_ntldr",
		"feature_platform_search_hint", "feature_timeout_style",
	};
	struct grub *g;
	size_t start = out->n, i = 0, k, dlen;
	const char *dir;
	const char *v;
	enum gtruth st;
	char *text;
	int stop, rc = 0;

	memset(res, 0, sizeof(*res));
	res->default_index = -1;
	res->timeout = -1;
	if (len > GRUB_MAX_FILE)
		return kx_fail(EFBIG, "grub: %s: larger than %u bytes", name,
			       GRUB_MAX_FILE);
	g = calloc(1, sizeof(*g));
	text = clean_copy(name, buf, len, w);
	if (!g || !text)
		goto nomem;
	g->name = name;
	g->w = w;
	g->res = res;
	g->env = grubenv;
	g->env_len = grubenv ? grubenv_len : 0;
	g->vars = &g->globals;
	g->parent = -1;
	for (k = 0; k < sizeof(features) / sizeof(features[0]) && !rc; k++)
		rc = gvar_set(&g->globals, features[k], strlen(features[k]), "y", 1);
	if (rc || gvar_set(&g->globals, "grub_platform", 13, "efi", 3))
		goto nomem;
	/* grub sets config_file and config_directory when it reads a
	 * config; $prefix is its own directory, which holds grub.cfg and
	 * grubenv in every layout distros use. */
	dir = strrchr(name, '/');
	dlen = dir ? (size_t)(dir - name) : 0;
	if (gvar_set(&g->globals, "config_file", 11, name, strlen(name)) ||
	    gvar_set(&g->globals, "config_directory", 16, name, dlen) ||
	    gvar_set(&g->globals, "prefix", 6, name, dlen))
		goto nomem;
	rc = grub_lex(name, text, len, &g->t);
	if (!rc)
		rc = run_list(g, &i, NULL, true, &st, &stop);
	if (!rc && g->t.v[i].type == GT_RBRACE)
		rc = syntax(g, i, "'}' without '{'");
	/* Bodies run in the order they were defined; a submenu's body adds
	 * items, which this loop then reaches too. */
	for (k = 0; !rc && k < g->nr_items; k++)
		rc = run_item(g, k);
	if (!rc)
		rc = grub_menu_emit(g->items, g->nr_items, g->name,
				    res->blscfg ? g->blscfg_items : SIZE_MAX,
				    out, &res->blscfg_index);
	if (rc == -ENOMEM)
		rc = kx_fail(ENOMEM, "grub: %s: out of memory", name);
	v = gvar_get(&g->globals, "default", 7);
	if (!rc && v && !(res->default_spec = strdup(v)))
		rc = kx_fail(ENOMEM, "grub: %s: out of memory", name);
	if (!rc && out->n > start) {
		/* grub: an unset or unknown default is entry 0. */
		res->default_index = v ? grub_menu_default(g->items,
							   g->nr_items, v,
							   res->blscfg) : 0;
		if (v && res->default_index < 0 && !res->blscfg) {
			warn_add(w, "grub: %s: default '%s' names no entry; using "
				 "the first", name, v);
			res->default_index = 0;
		}
	}
	v = gvar_get(&g->globals, "timeout", 7);
	if (v && *v && strspn(v, "0123456789") == strlen(v) && strlen(v) < 6)
		res->timeout = atoi(v);
	if (rc) {
		while (out->n > start)
			entry_drop_last(out);
		grub_result_free(res);
	}
	grub_free(g);
	free(g);
	free(text);
	return rc;
nomem:
	if (g)
		grub_free(g);
	free(g);
	free(text);
	return kx_fail(ENOMEM, "grub: %s: out of memory", name);
}
