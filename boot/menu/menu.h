/* kexshim menu: the boot menu PID 1 shows on every console (serial and
 * framebuffer at once), with a countdown, a line editor for this boot's
 * command line and an optional editor password.  This is the interface
 * init/ uses. */
#ifndef KEXSHIM_MENU_H
#define KEXSHIM_MENU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MENU_DIGEST_SIZE 32 /* SHA-256 */

/* One line of the menu; the strings are the caller's and must outlive
 * the menu. */
struct menu_item {
	const char *title;   /* shown; NULL: id */
	const char *id;      /* NULL when there is none */
	const char *options; /* the entry's command line; NULL: "" */
	const char *note;    /* NULL, or e.g. "default", "tries left 2" */
	const char *broken;  /* NULL, or the one line why it cannot boot */
};

struct menu_config {
	unsigned timeout;     /* seconds before the default boots; 0: wait */
	size_t default_index; /* past the end: the first item */
	bool editor;          /* `e` may edit the command line */
	bool has_password;    /* editing needs the password */
	uint8_t password_sha256[MENU_DIGEST_SIZE];
};

/* `password-sha256 HEX` (kexshim.conf or loader.conf): exactly 64 hex
 * digits, either case, nothing around them.
 * Return: 0 with out set, or -EINVAL (kx_fail "menu: password-sha256 ..."). */
int menu_password_parse(const char *hex, uint8_t out[MENU_DIGEST_SIZE]);

/* Return: true when SHA-256(typed[0..len)) is digest; compares every
 * byte whatever the first difference. */
bool menu_password_matches(const void *typed, size_t len,
			   const uint8_t digest[MENU_DIGEST_SIZE]);

#endif
