/* kexshim: GRUB's environment block (/boot/grub/grubenv, what grub-editenv
 * and save_env write: saved_entry, next_entry, ...).  Pure: its bytes in,
 * the variables out.  Runs when config/grub.c executes `load_env`. */
#ifndef KEXSHIM_CONFIG_GRUBENV_H
#define KEXSHIM_CONFIG_GRUBENV_H

#include <stddef.h>

struct warnings;

#define GRUBENV_MAX_FILE (64u << 10) /* grub writes 1024 bytes */
#define GRUBENV_MAX_VARS 64

struct grubenv {
	char *name[GRUBENV_MAX_VARS];
	char *value[GRUBENV_MAX_VARS];
	size_t n;
};

/* Parse an environment block.  grub-core/lib/envblk.c: it starts with
 * "# GRUB Environment Block\n", then "name=value\n" lines, '\\' escaping
 * a '\\' or a newline inside a value, then '#' padding to 1024 bytes.
 * A block without the signature is refused (grub ignores it too); lines
 * without '=' or a name, and more than GRUBENV_MAX_VARS variables, are
 * warnings "grubenv: NAME:LINE: reason".  A name set twice: the last wins.
 * Return: 0 with *env filled (grubenv_free), or -EINVAL / -EFBIG /
 * -ENOMEM with kx_fail() and *env empty. */
int grubenv_parse(const char *name, const char *buf, size_t len,
		  struct grubenv *env, struct warnings *w);

void grubenv_free(struct grubenv *env);

#endif
