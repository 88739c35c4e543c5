/* kexshim: GRUB 2 configurations (grub.cfg) as grub-mkconfig and distros
 * write them: /boot/grub/grub.cfg and /grub/grub.cfg (Debian, Ubuntu; the
 * second on a separate /boot), /boot/grub2/grub.cfg (Fedora, whose menu
 * comes from BLS files through `blscfg`).  Pure: the file's bytes (and
 * grubenv's) in, boot entries out; the script is executed the way grub
 * would at boot, as far as it can be without grub's devices.  Runs in PID 1
 * and the CLI while entries are listed. */
#ifndef KEXSHIM_CONFIG_GRUB_H
#define KEXSHIM_CONFIG_GRUB_H

#include <stdbool.h>
#include <stddef.h>

struct entry_list;
struct warnings;

#define GRUB_MAX_FILE (1u << 20)
#define GRUB_MAX_ENTRIES 256     /* menu entries and submenus */
#define GRUB_MAX_INCLUDES 8

/* What a grub.cfg says besides its entries. */
struct grub_result {
	/* The default entry: an index into the entries this call appended
	 * (0 = the first of them), or -1 when it names none of them (no
	 * entries, or a default that only blscfg's entries can match). */
	int default_index;
	char *default_spec;  /* `default` as grub reads it, expanded
				("0", "1>2", an id, a title), NULL = unset */
	int timeout;         /* `timeout` in seconds, -1 = unset */
	/* Fedora: `blscfg` ran, so the menu also holds the Boot Loader
	 * Specification entries in /boot/loader/entries, inserted where
	 * blscfg ran: before entry blscfg_index of ours.  A default_spec
	 * that matched none of ours is then a BLS id or an index counting
	 * them too. */
	bool blscfg;
	size_t blscfg_index;
	/* `source FILE` (runs FILE here) and `configfile FILE` (a new menu)
	 * are not followed: they are noted, expanded, for the caller. */
	char *include[GRUB_MAX_INCLUDES];
	bool include_is_configfile[GRUB_MAX_INCLUDES];
	size_t nr_include;
};

/* Execute grub.cfg (name for messages and entry->config) and append one
 * ENTRY_GRUB entry per menuentry, in menu order, submenus flattened:
 * title "Parent>Child" (grub's own syntax for `default` into a submenu),
 * id = the --id (or $menuentry_id_option) given, else the title, made
 * unique with "~N".  In an entry: linux/linuxefi/linux16 (kernel, then
 * its arguments joined as the options), initrd/initrdefi/initrd16 (every
 * file of the last one, in order), devicetree, search (--fs-uuid/-u and
 * --label/-l set fs_uuid/fs_label; --file is noted), a "(device)" prefix
 * on a path is dropped.  An entry without linux, or with chainloader /
 * fwsetup / a path with "..", keeps its place (numeric defaults count it)
 * with ->error "grub: NAME:LINE: reason".
 * The script: set / NAME=VALUE / unset / export, $var and ${var} at run
 * time; if/elif/else/fi with `[ ]`/test conditions (grub_test); the
 * features grub 2.06 announces (feature_*=y) and grub_platform=efi are
 * set, and so are config_file (NAME), config_directory and prefix (its
 * directory: pass NAME relative to the partition, "/boot/grub/grub.cfg",
 * so that noted includes are too); `load_env` loads grubenv (NULL: none,
 * so [ -s $prefix/grubenv ] is false); functions are defined and run when called (load_video,
 * gfxmode, recordfail), loops are not run; menuentry bodies run after the
 * whole file, each with its own copy of the variables, as at boot.  A
 * condition kexshim cannot evaluate (a file on grub's device, a command
 * like loadfont or keystatus) takes its `then` branch: generated
 * configs put the path for a working, modern grub there.  Commands that
 * only concern grub's screen, modules or devices (insmod, echo, font,
 * terminal_output, gfxmode, ...) are ignored; unknown ones are warnings.
 * Errors: NUL bytes and invalid UTF-8 are warnings (replaced by '?');
 * an unterminated quote or brace, or a file over GRUB_MAX_FILE, is an
 * error (grub would refuse the file too).
 * Return: 0 with *res filled (grub_result_free), or -errno with kx_fail()
 * "grub: NAME:LINE: reason" and nothing appended. */
int grub_parse(const char *name, const char *buf, size_t len,
	       const char *grubenv, size_t grubenv_len, struct entry_list *out,
	       struct grub_result *res, struct warnings *w);

void grub_result_free(struct grub_result *res);

#endif
