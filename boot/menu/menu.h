/* kexshim menu: the boot menu PID 1 shows on every console (serial and
 * framebuffer at once), with a countdown, a line editor for this boot's
 * command line and an optional editor password.  This is the interface
 * init/ uses; inside, menu/ is a key decoder (key.c), a line editor
 * (edit.c), a pure state machine (state.c), a pure renderer (render.c),
 * the consoles (tty.c) and the loop that joins them (run.c).
 *
 * When it shows (mode.c): kexshim.menu=never: never, the default and its
 * fallbacks boot as without a menu.  force: always, before the default.
 * auto (the default): before the default when the timeout is > 0 or a key
 * comes within MENU_GRACE_MS.  Unless never, also when the default
 * failed: with the failure marked broken and the next fallback as the
 * default, counting down, so that a machine nobody watches still falls
 * back (a broken default never counts down: the menu would wait). */
#ifndef KEXSHIM_MENU_H
#define KEXSHIM_MENU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MENU_DIGEST_SIZE 32 /* SHA-256 */

/* With timeout 0, how long a key may take to ask for the menu.  Keys
 * typed earlier, while the kernel booted, are already queued and count
 * at once; this only catches the one typed as the shim starts. */
#define MENU_GRACE_MS 200

enum menu_mode {
	MENU_AUTO,
	MENU_FORCE,
	MENU_NEVER,
};

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

/* What the user chose.  options is this boot's command line: the item's
 * own, or the edited one (the item is unchanged). */
struct menu_choice {
	size_t index;
	bool edited;
	char *options; /* malloc'ed, menu_choice_free() */
};

/* kexshim.menu=VALUE: "auto", "force" or "never".
 * Return: 0 with *mode set, or -EINVAL (kx_fail "menu: ..."). */
int menu_mode_parse(const char *s, enum menu_mode *mode);

/* Before the default boots: should the menu come first?  In auto mode
 * with timeout 0 this waits up to MENU_GRACE_MS for a key.
 * Return: true to call menu_run(). */
bool menu_wanted(const char *root, enum menu_mode mode, unsigned timeout);

/* Show the menu on every console of root/sys/class/tty/console/active
 * (root "": the live system) until an item boots: Enter, or the end of
 * the countdown.  Consoles are in raw mode meanwhile and restored after,
 * the screen is cleared for the boot messages that follow.  A console
 * that hangs up or takes no output for 2 s is left out (a warning after).
 * Return: the chosen index with *out filled, or -ECANCELED (kx_fail) when
 * no console can show the menu (none listed or openable, or all of them
 * left out), -EINVAL when n is 0, -ENOMEM. */
int menu_run(const char *root, const struct menu_item *items, size_t n,
	     const struct menu_config *cfg, struct menu_choice *out);

void menu_choice_free(struct menu_choice *c);

/* Wait up to ms for a key on any console.  The key found is used up: it
 * asks for the menu, it does not act in it.  Line noise that decodes to
 * no key (NUL, stray bytes) does not count.
 * Return: true when a key came. */
bool menu_key_waiting(const char *root, unsigned ms);

/* `password-sha256 HEX` (kexshim.conf or loader.conf): exactly 64 hex
 * digits, either case, nothing around them.
 * Return: 0 with out set, or -EINVAL (kx_fail "menu: password-sha256 ..."). */
int menu_password_parse(const char *hex, uint8_t out[MENU_DIGEST_SIZE]);

/* Return: true when SHA-256(typed[0..len)) is digest; compares every
 * byte whatever the first difference. */
bool menu_password_matches(const void *typed, size_t len,
			   const uint8_t digest[MENU_DIGEST_SIZE]);

#endif
