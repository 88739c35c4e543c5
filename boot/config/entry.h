/* kexshim: one boot entry, whatever file described it (a Boot Loader
 * Specification Type #1 file, a UKI, a grub.cfg menuentry, an extlinux
 * label, a network config, the Debian /vmlinuz fallback), and the growing
 * list the sources append to.  Pure data and helpers: the sources
 * (config/bls.c, uki.c, grub.c, syslinux.c, ...) fill entries from bytes,
 * config/entries.c merges, orders and resolves them.  Runs in PID 1 and in
 * the CLI; tests build entries by hand. */
#ifndef KEXSHIM_CONFIG_ENTRY_H
#define KEXSHIM_CONFIG_ENTRY_H

#include <stdbool.h>
#include <stddef.h>

#define ENTRY_MAX_INITRDS 8    /* = LOAD_MAX_INITRDS */
#define ENTRY_MAX_OVERLAYS 8

enum entry_source {
	ENTRY_BLS,       /* Type #1: a .conf in loader/entries */
	ENTRY_UKI,       /* Type #2: an .efi in EFI/Linux (one per .profile) */
	ENTRY_GRUB,      /* grub.cfg menuentry */
	ENTRY_SYSLINUX,  /* extlinux.conf / syslinux.cfg / pxelinux.cfg label */
	ENTRY_DEBIAN,    /* /vmlinuz + /initrd.img on a root file system */
	ENTRY_NET,       /* fetched over the network */
};

/* A file an entry names.  path is relative to the root of the partition
 * it lives on: the partition the config came from, unless part_uuid or
 * part_label name another one (grub's "search --fs-uuid --set=root"). */
struct entry_file {
	char *path;        /* "/vmlinuz-6.1.0-56-amd64"; NULL = unset */
	char *sha256;      /* pinned digest (64 hex digits) or NULL */
};

struct boot_entry {
	enum entry_source source;
	char *id;          /* unique in the list: BLS file name minus ".conf"
			    * and counter; UKI file name minus ".efi" (+"@N"
			    * for profile N > 0); grub/syslinux: derived from
			    * the title/label */
	char *title;       /* shown in the menu; NULL: the id is shown */
	char *version;
	char *machine_id;
	char *sort_key;
	char *architecture;/* BLS name ("x64", "aa64"), NULL = any */
	char *config;      /* the file it came from, for messages */

	/* Where the files are: NULL = the config's own partition. */
	char *fs_uuid;     /* file system UUID (grub --fs-uuid) */
	char *fs_label;    /* file system label (grub --label) */

	struct entry_file kernel;  /* `linux`; for a UKI the .efi itself */
	struct entry_file initrd[ENTRY_MAX_INITRDS];
	size_t nr_initrd;
	char *options;     /* the command line, every `options` joined */
	struct entry_file devicetree;
	struct entry_file overlay[ENTRY_MAX_OVERLAYS];
	size_t nr_overlay;
	int uki_profile;   /* UKI .profile index (0 = the base), else -1 */

	bool config_default; /* its grub.cfg's or extlinux.conf's default */
	int tries_left;    /* BLS boot counting "+L-D": L, or -1 */
	int tries_done;    /* D (0 when absent) */

	char *error;       /* NULL, or the one line why it cannot boot */
	void *part;        /* the partition it came from (config/entries.c) */
};

struct entry_list {
	struct boot_entry *v;
	size_t n, cap;
};

/* A zeroed entry appended to l (tries_left and uki_profile -1).
 * Return: it, or NULL (ENOMEM). */
struct boot_entry *entry_add(struct entry_list *l, enum entry_source source);

/* Remove and free the last entry (a source that gives up on it). */
void entry_drop_last(struct entry_list *l);

/* Free every string of e and zero it. */
void entry_free(struct boot_entry *e);

void entry_list_free(struct entry_list *l);

/* Replace *dst by a copy of [s, s + n) (n == (size_t)-1: strlen).
 * Return: 0 or -ENOMEM. */
int entry_set(char **dst, const char *s, size_t n);

/* Append " s" (or s to an empty string) to *dst.  Return: 0 or -ENOMEM. */
int entry_append(char **dst, const char *s, size_t n);

/* Add an initrd path.  Return: 0, -E2BIG past ENTRY_MAX_INITRDS, -ENOMEM. */
int entry_add_initrd(struct boot_entry *e, const char *path, size_t n);

/* Mark e broken with a formatted reason (the usual one-line message).
 * Return: 0 or -ENOMEM. */
int entry_fail(struct boot_entry *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* An id for a new entry that no entry of l from index from on has: id
 * itself, else id + "~2", "~3", ... (the sources whose names may repeat:
 * grub titles, syslinux labels).  Return: it malloc'ed, or NULL (ENOMEM). */
char *entry_unique_id(const struct entry_list *l, size_t from, const char *id);

/* Return: true when a path names a file inside its partition as a BLS path
 * must: no ".." component (symlinks are handled where files are opened). */
bool entry_path_ok(const char *path, size_t n);

/* The ID the Boot Loader Interface speaks (LoaderEntries, bootctl,
 * `systemctl reboot --boot-loader-entry=`): systemd-boot names a Type #1
 * entry by its file name ("debian.conf"), a UKI by its file name plus
 * "@N" for profile N > 0; other sources by their id.
 * Return: 0, or -ENAMETOOLONG when out is too small. */
int entry_bli_id(const struct boot_entry *e, char *out, size_t size);

/* kexshim's extension to BLS Type #1 and syslinux/pxelinux files:
 * "sha256 HEX[,HEX...]" pins the files the last file line before it named
 * (linux/kernel, initrd, devicetree/fdt, devicetree-overlay/fdtoverlays),
 * one digest each, in order; one pin line per file line.  Other boot loaders ignore the
 * unknown key; network boot enforces the pins (boot/net/netboot.c). */
enum entry_pin_kind { PIN_NONE, PIN_KERNEL, PIN_INITRD, PIN_DTB, PIN_OVERLAY };

/* The files of the line before: a parser's state, zeroed per entry. */
struct entry_pin_target {
	enum entry_pin_kind kind;
	size_t first;             /* initrd[]/overlay[] index before it */
};

/* Call with every line's key (any case) before the line takes effect.
 * For "sha256": pin the files of the line before with the digests of
 * v[0..n) (64 hex digits each, comma separated, as many as it named).
 * Return: 1 when the line was a pin (done), 0 for another key, -ENOMEM,
 * or -EINVAL with the reason in why (no file line before it, one already
 * pinned, a count that differs, a bad digest). */
int entry_pin_line(struct boot_entry *e, struct entry_pin_target *t,
		   const char *key, size_t klen, const char *v, size_t n,
		   char *why, size_t whysz);

/* Return: "bls", "uki", "grub", "syslinux", "debian", "net". */
const char *entry_source_name(enum entry_source s);

#endif
