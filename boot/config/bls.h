/* kexshim: Boot Loader Specification Type #1 entries (loader.conf is
 * config/loaderconf.h).
 * Pure: a file's bytes in, a struct out, nothing read from disk.  Runs in
 * PID 1 (boot) and in the CLI (list, boot).
 * Spec: UAPI.1 The Boot Loader Specification, and the UAPI Version Format
 * Specification for version order. */
#ifndef KEXSHIM_BLS_H
#define KEXSHIM_BLS_H

#include <stdbool.h>
#include <stddef.h>

#define BLS_MAX_FILE (1u << 20) /* entries are a few hundred bytes */

struct boot_entry;

/* Split a file name ("/x/debian-6.1+3-1.conf") into its entry ID
 * ("debian-6.1") and boot counters (3, 1; -1, 0 when not counted).
 * suffix is ".conf" (Type #1) or ".efi" (Type #2).
 * Return: 0, or -EINVAL when the name does not end in suffix, -ENOMEM. */
int bls_entry_id(const char *filename, const char *suffix, char **id,
		 int *tries_left, int *tries_done);

/* Boot counting (BLS "Boot counting"): the name a counted entry file gets
 * when it is booted: "NAME+L-D.conf" -> "NAME+(L-1)-(D+1).conf" ("+L" has
 * D = 0).  An uncounted name, or L = 0 (a "bad" entry still booted on
 * request), stays as it is.
 * Return: 1 with the new name in out, 0 when there is nothing to rename,
 * -ENAMETOOLONG when out (size bytes) is too small. */
int bls_counted_name(const char *name, const char *suffix, char *out,
		     size_t size);

/* Parse one Type #1 file into e (zeroed first: source ENTRY_BLS, config
 * = name).  name is the path used in messages and for the ID.  Rules: `#`
 * starts a comment line; key and value are separated by spaces or tabs;
 * CRLF is accepted; unknown keys are ignored; single-value keys repeated:
 * the last wins; `initrd` repeats (at most ENTRY_MAX_INITRDS); `options`
 * repeats and joins with one space; `devicetree-overlay` lists paths
 * separated by spaces.  Errors (kx_fail "bls: FILE:LINE: reason"): a NUL
 * byte, invalid UTF-8, a key without value, a line over KV_MAX_LINE, a
 * path with a ".." component, no `linux` line.
 * Return: 0 with *e filled (entry_free), or -errno with *e empty. */
int bls_parse_entry(const char *name, const char *buf, size_t len,
		    struct boot_entry *e);

/* Compare versions per the UAPI Version Format Specification.
 * Return: <0, 0, >0 as a is lower, equal, higher than b. */
int bls_version_cmp(const char *a, const char *b);

/* Menu order per the spec's "Sorting": entries that are "bad" (boot count
 * exhausted) last; both with sort-key: by sort-key, machine-id (ascending,
 * strcmp, unset/empty lowest), then version (descending); one with
 * sort-key: it goes first; finally the ID, descending version order.
 * Return: <0 when a goes before b, >0 after, 0 same place. */
int bls_compare(const struct boot_entry *a, const struct boot_entry *b);

/* Does `default` pattern (ID or fnmatch glob, optionally with ".conf")
 * select entry id?  Return: true on a match. */
bool bls_default_matches(const char *pattern, const char *id);

/* The Boot Loader Specification's `architecture` name for a kexshim arch
 * ("x86_64" -> "x64", "arm64" -> "aa64").  Return: the name, or arch. */
const char *bls_arch_name(const char *arch);

#endif
