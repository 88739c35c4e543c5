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

#define BLS_MAX_INITRDS 8       /* = LOAD_MAX_INITRDS */
#define BLS_MAX_FILE (1u << 20) /* entries are a few hundred bytes */

struct bls_entry {
	char *id;          /* file name without ".conf" and boot counter */
	int tries_left;    /* boot counting "+L-D": L, or -1 when not counted */
	int tries_done;    /* D (0 when absent) */
	char *title;
	char *version;
	char *machine_id;
	char *sort_key;
	char *architecture;
	char *kernel;      /* the `linux` key (`linux` is a GNU C macro) */
	char *initrd[BLS_MAX_INITRDS];
	size_t nr_initrd;
	char *options;     /* every `options` line joined by one space */
	char *devicetree;
};

/* Split a file name ("/x/debian-6.1+3-1.conf") into its entry ID ("debian-
 * 6.1") and boot counters (3, 1; -1, 0 when not counted).
 * Return: 0, or -EINVAL when the name does not end in ".conf", -ENOMEM. */
int bls_entry_id(const char *filename, char **id, int *tries_left,
		 int *tries_done);

/* The same for any suffix (".efi" for Type #2 entries, which the spec's
 * boot counting covers too).  who prefixes the message.
 * Return: 0, or -EINVAL when the name does not end in suffix (matched
 * without case) or is only the suffix, -ENOMEM. */
int bls_name_id(const char *who, const char *filename, const char *suffix,
		char **id, int *tries_left, int *tries_done);

/* Parse one entry file.  name is the path used in messages and for the ID.
 * Rules: `#` starts a comment line; key and value are separated by spaces
 * or tabs; CRLF is accepted; unknown keys are ignored; single-value keys
 * repeated: the last wins; `initrd` repeats (at most 8); `options` repeats
 * and joins with one space.  Errors (kx_fail "bls: FILE:LINE: reason"):
 * a NUL byte, invalid UTF-8, a key without value, a line over KV_MAX_LINE,
 * a path with a ".." component, no `linux` line.
 * Return: 0 with *e filled (free with bls_entry_free), or -errno with *e
 * empty. */
int bls_parse_entry(const char *name, const char *buf, size_t len,
		    struct bls_entry *e);

void bls_entry_free(struct bls_entry *e);

/* Compare versions per the UAPI Version Format Specification.
 * Return: <0, 0, >0 as a is lower, equal, higher than b. */
int bls_version_cmp(const char *a, const char *b);

/* Menu order per the spec's "Sorting": entries that are "bad" (boot count
 * exhausted) last; both with sort-key: by sort-key, machine-id (ascending,
 * strcmp, unset/empty lowest), then version (descending); one with
 * sort-key: it goes first; finally the ID, descending version order.
 * Return: <0 when a goes before b, >0 after, 0 same place. */
int bls_compare(const struct bls_entry *a, const struct bls_entry *b);

/* Does `default` pattern (ID or fnmatch glob, optionally with ".conf")
 * select entry id?  Return: true on a match. */
bool bls_default_matches(const char *pattern, const char *id);

/* The Boot Loader Specification's `architecture` name for a kexshim arch
 * ("x86_64" -> "x64", "arm64" -> "aa64").  Return: the name, or arch. */
const char *bls_arch_name(const char *arch);

#endif
