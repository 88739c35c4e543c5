/* kexshim menu: the menu state as terminal bytes.  Pure.  Plain VT100
 * that the Linux console and serial terminals understand: cursor position
 * (CUP), erase display and line (ED, EL), reverse video (SGR 7), plus the
 * VT220 cursor show/hide that both also know; no colours.  One struct
 * render per terminal, since each console has its own size: it remembers
 * what the terminal shows (a hash per row), so a redraw sends only the
 * rows that changed and a countdown tick costs one row at 115200 baud.
 * Nothing is written to the last column, so no terminal wraps or scrolls.
 *
 * Layout (rows from the top):
 *   1        kexshim VERSION boot menu
 *   3..H-4   the items, "> 2. Title (note)" on the selected one, reversed
 *   H-3      how many items are above and below the visible ones
 *   H-2      status: a message, why the selected item cannot boot, its
 *            options, or what the prompt or the editor is for
 *   H-1      the countdown, the password prompt ('*' per character) or
 *            the edited line, scrolled sideways to keep the cursor shown
 *   H        the keys */
#ifndef KEXSHIM_MENU_RENDER_H
#define KEXSHIM_MENU_RENDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "menu/state.h"

/* Serial lines report 0x0 (TIOCGWINSZ knows only what stty was told). */
#define RENDER_DEFAULT_COLS 80
#define RENDER_DEFAULT_ROWS 24
/* The layout needs 8 rows; 20 columns show a useful part of a line. */
#define RENDER_MIN_COLS 20
#define RENDER_MIN_ROWS 8
/* A 4K framebuffer with the 8x16 font is 480x135. */
#define RENDER_MAX_COLS 512
#define RENDER_MAX_ROWS 200

/* Bytes to write, grown as needed. */
struct render_buf {
	char *p;
	size_t len, cap;
};

struct render {
	unsigned cols, rows;      /* clamped to the limits above */
	bool drawn;               /* the terminal shows the last frame */
	size_t top;               /* first item shown */
	size_t edit_left;         /* first character of the edited line shown */
	uint64_t row_hash[RENDER_MAX_ROWS];
	unsigned cur_row, cur_col;/* where the last frame left the cursor */
	bool cur_shown;
};

/* For a terminal of cols x rows (0: the defaults).  The first frame
 * clears the screen. */
void render_init(struct render *r, unsigned cols, unsigned rows);

/* Forget what the terminal shows: the next frame draws everything. */
void render_reset(struct render *r);

/* Return: how many items the terminal shows at once (PgUp/PgDn). */
size_t render_page(const struct render *r);

/* Append to out what changes the terminal from the last frame to s.
 * Return: 0, or -ENOMEM. */
int render_frame(struct render *r, const struct menu_state *s,
		 struct render_buf *out);

/* Append what leaves the terminal for the boot messages that follow:
 * normal video, cursor shown, screen cleared.  Return: 0 or -ENOMEM. */
int render_leave(struct render_buf *out);

void render_buf_free(struct render_buf *b);

#endif
