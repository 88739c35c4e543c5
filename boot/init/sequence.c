/* kexshim: the boot sequence, shared by PID 1 and `kexshim boot`: pick a
 * Boot Loader Specification entry, load it, kexec into it, and fall back to
 * the next entry on any failure.  An entry whose load_prepare() failed
 * never reaches kexec_load. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch/arch.h"
#include "config/bli.h"
#include "config/bls.h"
#include "config/counting.h"
#include "config/entries.h"
#include "config/loaderconf.h"
#include "init/init.h"
#include "kexec/kexec.h"
#include "lib/console.h"
#include "lib/error.h"
#include "lib/kcmdline.h"
#include "lib/warn.h"
#include "load/load.h"
#include "menu/menu.h"
#include "secure/secure.h"

void boot_read_params(struct kcmdline *kc)
{
	static char buf[KC_CMDLINE_MAX];
	struct warnings w = { 0 };

	/* Unreadable (no /proc in a chroot): the defaults. */
	if (kcmdline_read("", buf, sizeof(buf)))
		buf[0] = '\0';
	kcmdline_parse(buf, kc, &w);
	con_warnings_print(&w);
}

/* After a default that failed, the menu counts down this long (at
 * least) before it boots the next fallback: someone at the console can
 * pick, a machine nobody watches still falls back. */
#define MENU_RETRY_SECONDS 3

struct boot_ctx {
	bool dry_run;
	bool menu;                     /* PID 1 with a menu allowed */
	bool bli;                      /* tell the OS through EFI variables */
	bool measure;                  /* PID 1: into the TPM, if any */
	struct menu_config cfg;
	struct menu_choice choice;     /* what the menu returned */
	const struct boot_entry *edited; /* whose options choice holds */
};

static int try_entry(const struct entries *es, const struct boot_entry *e,
		     void *ctx)
{
	const struct boot_ctx *bc = ctx;
	struct secure_opts so = { .dry_run = bc->dry_run, .measure = bc->measure };
	struct entry_paths *paths;
	struct load_request req;
	int rc;

	con_info("booting entry '%s' (%s)", e->id, e->title ? e->title : e->id);
	paths = calloc(1, sizeof(*paths));
	if (!paths)
		return kx_fail(ENOMEM, "boot: %s: out of memory", e->id);
	rc = e->source == ENTRY_NET ? init_net_request(e, paths, &req) :
	     entries_request(es, e, paths, &req);
	if (!rc && e == bc->edited && bc->choice.options) {
		req.cmdline = bc->choice.options;
		con_info("command line edited for this boot");
	}
	/* kexec_load, or kexec_file_load under lockdown (boot/secure/). */
	if (!rc)
		rc = secure_load(&req, &so);
	init_net_release(); /* loaded (the kernel has its copy), or not needed */
	free(paths);
	if (rc || bc->dry_run)
		return rc;
	/* Loaded: tell the target what it is (bootctl, systemd-analyze)... */
	if (bc->bli && bli_publish("", es, e))
		con_warn("%s", kx_last_error());
	/* ...and only now does this boot count against the entry. */
	if (counting_before_boot(e) < 0)
		con_warn("%s", kx_last_error());
	con_peak_rss();
	return kexec_reboot(); /* returns only on failure */
}

/* Show the menu over es with dflt as the default (failed[i]: why entry i
 * failed this boot).  Return: the chosen index, or dflt when no console
 * could show it (or on error). */
static int show_menu(const struct entries *es, char *const *failed, int dflt,
		     struct boot_ctx *bc, unsigned timeout)
{
	struct menu_config cfg = bc->cfg;
	struct menu_item *items;
	char (*notes)[32];
	size_t i;
	int rc;

	items = calloc(es->l.n, sizeof(*items));
	notes = calloc(es->l.n, sizeof(*notes));
	if (!items || !notes) {
		free(items);
		free(notes);
		return dflt;
	}
	for (i = 0; i < es->l.n; i++) {
		const struct boot_entry *e = &es->l.v[i];

		items[i].title = e->title;
		items[i].id = e->id;
		items[i].options = e->options;
		items[i].broken = e->error ? e->error :
				  failed ? failed[i] : NULL;
		if ((int)i == dflt)
			snprintf(notes[i], sizeof(notes[i]), "default");
		else if (e->tries_left >= 0)
			snprintf(notes[i], sizeof(notes[i]), "tries left %d",
				 e->tries_left);
		items[i].note = notes[i][0] ? notes[i] : NULL;
	}
	cfg.default_index = dflt >= 0 ? (size_t)dflt : es->l.n;
	cfg.timeout = timeout;
	menu_choice_free(&bc->choice);
	rc = menu_run("", items, es->l.n, &cfg, &bc->choice);
	free(items);
	free(notes);
	if (rc < 0) {
		if (rc != -ECANCELED)
			kx_report(rc);
		return dflt;
	}
	bc->edited = bc->choice.edited ? &es->l.v[rc] : NULL;
	con_info("menu: '%s' chosen%s", es->l.v[rc].id,
		 bc->edited ? " with an edited command line" : "");
	return rc;
}

/* entries_try()'s next(): after a failure, the menu again (unless
 * kexshim.menu=never), counting down to the next fallback. */
static int next_entry(const struct entries *es, char *const *failed,
		      int next, void *ctx)
{
	struct boot_ctx *bc = ctx;
	unsigned t = bc->cfg.timeout;

	if (next < 0)
		return next; /* nothing left: the emergency path */
	return show_menu(es, failed, next, bc,
			 t > MENU_RETRY_SECONDS ? t : MENU_RETRY_SECONDS);
}

/* The menu's settings from loader.conf and kexshim.menu=. */
static enum menu_mode menu_setup(const struct entries *es,
				 const struct kcmdline *kc,
				 struct menu_config *cfg)
{
	enum menu_mode mode = MENU_AUTO;

	if (kc->menu[0] && menu_mode_parse(kc->menu, &mode))
		con_warn("%s; using auto", kx_last_error());
	memset(cfg, 0, sizeof(*cfg));
	cfg->timeout = es->conf.timeout;
	cfg->editor = es->conf.editor;
	cfg->has_password = es->conf.has_password;
	memcpy(cfg->password_sha256, es->conf.password_sha256,
	       sizeof(cfg->password_sha256));
	/* kexshim.menu= is the machine's owner speaking; loader.conf's
	 * menu-force/-disabled apply when it says nothing. */
	if (!kc->menu[0] && es->conf.timeout_mode == LOADER_MENU_FORCE)
		mode = MENU_FORCE;
	if (!kc->menu[0] && es->conf.timeout_mode == LOADER_MENU_DISABLED)
		mode = MENU_NEVER;
	return mode;
}

/* What the OS asked for through the Boot Loader Interface: a one-shot
 * entry and timeout (taken: they act once), a default and a timeout
 * (bootctl set-default, set-timeout), over loader.conf's.
 * Return: true when there are EFI variables to answer through. */
static bool bli_ask(struct entries *es, struct bli_ask *ask,
		    struct entries_prefs *pf)
{
	struct warnings w = { 0 };
	const char *t;
	int rc = bli_take("", ask, &w);

	con_warnings_print(&w);
	if (rc)
		return false;
	pf->oneshot = ask->oneshot;
	pf->efi_default = ask->dflt;
	t = ask->timeout_oneshot[0] ? ask->timeout_oneshot : ask->timeout;
	if (*t && loader_timeout_parse(t, strlen(t), &es->conf))
		con_warn("bli: timeout '%s' is not seconds or menu-force/"
			 "-hidden/-disabled; loader.conf's applies", t);
	return true;
}

int boot_entries(struct disk_set *set, const struct part *esp, const char *arg,
		 const struct kcmdline *kc, bool dry_run, bool interactive)
{
	/* PID 1 measures (with a TPM); `kexshim boot` on a running system
	 * leaves its PCRs alone. */
	struct boot_ctx bc = { .dry_run = dry_run, .measure = interactive };
	struct entries_prefs pf = { .arg = arg, .kc_entry = kc->entry };
	const char *net_first;
	struct bli_ask ask;
	enum menu_mode mode;
	struct entries es;
	int first, rc;

	rc = entries_scan(set, esp, bls_arch_name(arch_ops.name), &es);
	if (rc)
		return rc;
	net_first = init_net_entries(&es, kc, interactive && !dry_run);
	if (net_first && !kc->entry[0])
		pf.kc_entry = net_first;
	/* PID 1 only: `kexshim boot` on a running system must not take the
	 * firmware boot loader's one-shot requests. */
	if (interactive && !dry_run)
		bc.bli = bli_ask(&es, &ask, &pf);
	first = entries_pick(&es, &pf);
	if (first < 0) {
		entries_free(&es);
		return first;
	}
	mode = menu_setup(&es, kc, &bc.cfg);
	bc.menu = interactive && !dry_run && mode != MENU_NEVER;
	con_info("%zu entr%s, default '%s'%s", es.l.n, es.l.n == 1 ? "y" : "ies",
		 es.l.v[first].id, bc.menu ? "" : ", no menu");
	if (bc.menu && menu_wanted("", mode, bc.cfg.timeout))
		first = show_menu(&es, NULL, first, &bc, bc.cfg.timeout);
	rc = entries_try(&es, (size_t)first, try_entry,
			 bc.menu ? next_entry : NULL, &bc);
	menu_choice_free(&bc.choice);
	entries_free(&es);
	return rc;
}
