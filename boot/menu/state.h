/* kexshim menu: the menu as a pure state machine.  Events in (a decoded
 * key with the time it came, a one-second tick), state changes and one
 * action out.  No I/O and no clock of its own, so host tests and the fuzz
 * target drive it key by key; tty.c feeds it and render.c draws it.
 *
 * Screens: the list (choose, countdown), the password prompt (only when
 * a digest is configured) and the editor.  The editor is reached only
 * through the prompt when there is a password: no key, parameter or
 * option skips it. */
#ifndef KEXSHIM_MENU_STATE_H
#define KEXSHIM_MENU_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "menu/edit.h"
#include "menu/key.h"
#include "menu/menu.h"

#define MENU_PASSWORD_TRIES 3
#define MENU_PASSWORD_MAX 128   /* bytes typed; longer passwords never match */
/* A digit within this time of the last extends the number ("1", "2" ->
 * item 12 when there are 12), as a phone menu does. */
#define MENU_DIGIT_MS 1000
#define MENU_MSG_MAX 256
#define MENU_DEFAULT_PAGE 10

enum menu_screen {
	MENU_SCREEN_LIST,
	MENU_SCREEN_PASSWORD,
	MENU_SCREEN_EDIT,
};

enum menu_action {
	MENU_NONE,    /* nothing visible changed */
	MENU_REDRAW,  /* draw the changes */
	MENU_REPAINT, /* Ctrl-L: draw everything again (kernel messages
		       * may have scribbled over the menu) */
	MENU_BOOT,    /* boot_index with boot_options */
};

struct menu_state {
	const struct menu_item *items;
	size_t n;                   /* >= 1 */
	const struct menu_config *cfg;

	enum menu_screen screen;
	size_t sel;                 /* < n */
	bool counting;              /* the countdown runs */
	unsigned countdown;         /* seconds left while counting */
	size_t page;                /* PgUp/PgDn step (tty.c: rows shown) */
	size_t number;              /* digits typed so far, 0: none */
	uint64_t number_ms;         /* when the last digit came */

	char pw[MENU_PASSWORD_MAX]; /* the prompt's input, wiped after use */
	size_t pw_len;
	unsigned pw_failures;       /* MENU_PASSWORD_TRIES: editing refused */
	bool pw_ok;                 /* the password was given this boot */

	struct edit edit;           /* the line being edited */
	char msg[MENU_MSG_MAX];     /* status line, "" none; until the next key */

	/* After MENU_BOOT: */
	size_t boot_index;
	const char *boot_options;   /* the item's, or edit.buf */
	bool boot_edited;
};

/* Start on the list with default_index selected and the countdown
 * running when cfg->timeout > 0 and the default can boot.
 * Return: 0, or -EINVAL when n is 0. */
int menu_state_init(struct menu_state *s, const struct menu_item *items,
		    size_t n, const struct menu_config *cfg);

/* One key at now_ms (any monotonic clock).  The first key stops the
 * countdown and also acts.  Return: what to do. */
enum menu_action menu_key(struct menu_state *s, const struct key *k,
			  uint64_t now_ms);

/* One second passed.  Return: MENU_BOOT when the countdown ends,
 * MENU_REDRAW while it runs, else MENU_NONE. */
enum menu_action menu_tick(struct menu_state *s);

/* Return: the item's title, else its id, else "(no title)". */
const char *menu_item_title(const struct menu_item *it);

/* Return: true when `e` can open the editor (or its password prompt). */
bool menu_can_edit(const struct menu_state *s);

#endif
