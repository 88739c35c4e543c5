/* kexshim: the boot sequence, shared by PID 1 and `kexshim boot`: pick a
 * Boot Loader Specification entry, load it, kexec into it, and fall back to
 * the next entry on any failure.  An entry whose load_prepare() failed
 * never reaches kexec_load. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch/arch.h"
#include "config/bls.h"
#include "config/entries.h"
#include "init/init.h"
#include "kexec/kexec.h"
#include "lib/console.h"
#include "lib/error.h"
#include "lib/kcmdline.h"
#include "lib/warn.h"
#include "load/load.h"

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

struct boot_ctx {
	bool dry_run;
};

static int try_entry(const struct entries *es, const struct boot_entry *e,
		     void *ctx)
{
	const struct boot_ctx *bc = ctx;
	struct entry_paths *paths;
	struct load_request req;
	struct load *l;
	int rc;

	con_info("booting entry '%s' (%s)", e->id, e->title ? e->title : e->id);
	l = calloc(1, sizeof(*l));
	paths = calloc(1, sizeof(*paths));
	if (!l || !paths) {
		free(l);
		free(paths);
		return kx_fail(ENOMEM, "boot: %s: out of memory", e->id);
	}
	rc = entries_request(es, e, paths, &req);
	if (!rc)
		rc = load_prepare(l, &req);
	free(paths); /* load_prepare() has opened the files */
	if (rc) {
		free(l);
		return rc;
	}
	if (bc->dry_run) {
		con_info("dry run: %zu segments, entry 0x%llx, not loaded",
			 l->plan.n, (unsigned long long)l->entry);
		load_release(l);
		free(l);
		return 0;
	}
	con_info("kexec_load: %zu segments, entry 0x%llx", l->plan.n,
		 (unsigned long long)l->entry);
	rc = kexec_load_plan(l->entry, &l->plan);
	/* The kernel has copied the segments: our mappings can go. */
	load_release(l);
	free(l);
	if (rc)
		return rc;
	con_peak_rss();
	return kexec_reboot(); /* returns only on failure */
}

int boot_entries(struct disk_set *set, const struct part *esp, const char *arg,
		 const struct kcmdline *kc, bool dry_run)
{
	struct boot_ctx bc = { .dry_run = dry_run };
	struct entries es;
	int first, rc;

	rc = entries_scan(set, esp, bls_arch_name(arch_ops.name), &es);
	if (rc)
		return rc;
	first = entries_pick(&es, arg, kc->entry);
	if (first < 0) {
		entries_free(&es);
		return first;
	}
	rc = entries_try(&es, (size_t)first, try_entry, &bc);
	entries_free(&es);
	return rc;
}
