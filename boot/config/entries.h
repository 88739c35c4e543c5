/* kexshim: the boot entries on a mounted ESP: discover loader/entries/
 * *.conf, order them as the Boot Loader Specification says, pick the one
 * to boot and the fallback sequence.  Runs in PID 1 (boot) and in the CLI
 * (list, boot); tests run it on a fixture directory. */
#ifndef KEXSHIM_ENTRIES_H
#define KEXSHIM_ENTRIES_H

#include <stddef.h>

#include "config/bls.h"

struct load_request;

struct entry {
	char *id;      /* file name minus ".conf" (and boot counter) */
	char *path;    /* the .conf file, for messages */
	char *error;   /* NULL, or the one-line reason it cannot boot */
	struct bls_entry bls; /* parsed (all NULL when error is set) */
	/* bls paths joined to the ESP mount point. */
	char *kernel;
	char *initrd[BLS_MAX_INITRDS];
	char *dtb;
};

struct entries {
	char *esp;             /* mount point */
	struct entry *v;       /* in menu order; broken entries last */
	size_t n;
	char *default_pattern; /* loader.conf `default`, NULL when unset */
};

/* Read the .conf files in ESP/loader/entries and ESP/loader/loader.conf.
 * A file that does not parse, or whose `architecture` is not bls_arch
 * (NULL: any), stays in the list with ->error set, so `list` shows it and
 * `boot` says why it skips it.  A bad loader.conf is a warning (no
 * default).
 * Return: 0 (possibly with n == 0), or -errno with kx_fail() when the
 * entries directory cannot be read. */
int entries_scan(const char *esp, const char *bls_arch, struct entries *es);

void entries_free(struct entries *es);

/* Which entry to boot first: arg (the CLI's `boot ENTRY`) if given, else
 * kc_entry (kexshim.entry=) if it matches, else loader.conf's default if it
 * matches, else the first entry.  Each is an ID or a glob; the first match
 * in menu order wins.  A kc_entry or default that matches nothing is
 * warned about and skipped; an arg that matches nothing is an error.
 * Return: the index, or -ENOENT (kx_fail) when there is nothing to boot. */
int entries_pick(const struct entries *es, const char *arg,
		 const char *kc_entry);

/* The fallback sequence: first, then every other entry in menu order.
 * order has es->n slots.  Return: the number written (es->n). */
size_t entries_order(const struct entries *es, size_t first, size_t *order);

/* Fill req (zeroed first) from entry e: kernel, initrds, options as the
 * command line, devicetree; the live system for everything else. */
void entries_request(const struct entry *e, struct load_request *req);

/* Called for each bootable entry in turn.  Return: 0 when it worked (stop
 * trying), -errno with kx_fail() when not. */
typedef int (*entries_try_fn)(const struct entry *e, void *ctx);

/* Walk the fallback sequence from first: a broken entry, or a failing
 * try, prints its one line (kx_report) and the next entry is tried.
 * Broken entries never reach try.
 * Return: 0 once try succeeded, or -ENOENT (kx_fail "entries: all N
 * entries failed") when none did. */
int entries_try(const struct entries *es, size_t first, entries_try_fn try,
		void *ctx);

#endif
