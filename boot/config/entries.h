/* kexshim: every boot entry on the machine's file systems, in one list:
 * scanned from each mounted file system (scan.c says where), ordered as
 * the Boot Loader Specification says, the one to boot picked and the
 * fallback sequence walked.  Runs in PID 1 (boot) and in the CLI (list,
 * boot); tests run it on fixture directories. */
#ifndef KEXSHIM_ENTRIES_H
#define KEXSHIM_ENTRIES_H

#include <limits.h>
#include <stddef.h>

#include "config/entry.h"
#include "config/loaderconf.h"
#include "disk/disk.h"

struct load_request;

struct entries {
	struct entry_list l;     /* menu order; broken entries last */
	struct loader_conf conf; /* the ESP's loader/loader.conf */
	struct disk_set *set;    /* the file systems (not owned) */
};

/* Scan every mounted file system of set (part->dirfd >= 0) for entries,
 * and esp (may be NULL) for loader/loader.conf.  An entry that does not
 * parse, or is for another architecture than bls_arch (NULL: any), stays
 * in the list with ->error set, so `list` shows it and `boot` says why it
 * skips it.  A bad loader.conf is a warning (no default).
 * Return: 0 (possibly with no entries), or -ENOMEM (kx_fail). */
int entries_scan(struct disk_set *set, const struct part *esp,
		 const char *bls_arch, struct entries *es);

void entries_free(struct entries *es);

/* Who asks for which entry, strongest first; NULL or "" = nobody. */
struct entries_prefs {
	const char *arg;         /* the CLI's `boot ENTRY` */
	const char *oneshot;     /* LoaderEntryOneShot (systemctl reboot
				  * --boot-loader-entry=): this boot only */
	const char *kc_entry;    /* kexshim.entry= */
	const char *efi_default; /* LoaderEntryDefault (bootctl set-default) */
	/* then loader.conf's default, then the first entry */
};

/* Which entry to boot first: the first preference of pf that matches,
 * else loader.conf's default, else the first entry (or, when that one
 * comes from a grub.cfg or extlinux.conf, that file's default).  Each
 * preference is an ID or a glob (with or without ".conf"/".efi", or as
 * entry_bli_id() names it); the first match in menu order
 * wins.  One that matches nothing is warned about and skipped; an arg
 * that matches nothing is an error.
 * Return: the index, or -ENOENT (kx_fail) when there is nothing to boot. */
int entries_pick(const struct entries *es, const struct entries_prefs *pf);

/* The fallback sequence: first, then every other entry in menu order.
 * order has es->l.n slots.  Return: the number written (es->l.n). */
size_t entries_order(const struct entries *es, size_t first, size_t *order);

/* Where an entry's files really are: absolute paths under the mount
 * points, each resolved inside its own file system. */
struct entry_paths {
	char kernel[PATH_MAX];
	char initrd[ENTRY_MAX_INITRDS][PATH_MAX];
	char dtb[PATH_MAX];
	char overlay[ENTRY_MAX_OVERLAYS][PATH_MAX];
};

/* Resolve e's files (on its file system, or the one grub's search named)
 * into paths and fill req (zeroed first) with them, the options as the
 * command line and the live system for the rest.
 * Return: 0, or -errno (kx_fail "entries: ID: ..." naming the file). */
int entries_request(const struct entries *es, const struct boot_entry *e,
		    struct entry_paths *paths, struct load_request *req);

/* Called for each bootable entry in turn.  Return: 0 when it worked (stop
 * trying), -errno with kx_fail() when not. */
typedef int (*entries_try_fn)(const struct entries *es,
			      const struct boot_entry *e, void *ctx);

/* After a failure: which entry next.  failed[i] is the reason entry i
 * failed this boot (NULL: not tried, or broken: see ->error); next is
 * the next one of the fallback sequence, or -1 when none is left.
 * Return: the index to try (next, or what a menu chose), -1 to stop. */
typedef int (*entries_next_fn)(const struct entries *es,
			       char *const *failed, int next, void *ctx);

/* Walk the fallback sequence from first: a broken entry, or a failing
 * try, prints its one line (kx_report) and the next entry is tried (or
 * the one next() picks, when next is not NULL).  Broken entries never
 * reach try.
 * Return: 0 once try succeeded, or -ENOENT (kx_fail "entries: all N
 * entries failed") when none did. */
int entries_try(const struct entries *es, size_t first, entries_try_fn try,
		entries_next_fn next, void *ctx);

#endif
