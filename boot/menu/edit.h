/* kexshim menu: the command-line editor, one line of bytes with a cursor.
 * Pure: keys in, line out; the renderer decides what part of the line a
 * terminal shows.  Keys as readline's emacs mode has them, which is what
 * people type on a serial console: Ctrl-A/E start/end, Ctrl-B/F left/
 * right, Ctrl-D delete, Ctrl-U kill to the start, Ctrl-K kill to the end,
 * Ctrl-W kill the word before the cursor. */
#ifndef KEXSHIM_MENU_EDIT_H
#define KEXSHIM_MENU_EDIT_H

#include <stddef.h>

#include "menu/key.h"

/* Bytes with the NUL: twice COMMAND_LINE_SIZE of x86 and arm64 (2048), so
 * that an over-long line reaches the loader, which says why it is too
 * long, instead of being cut here. */
#define EDIT_MAX 4096

/* Invariants: len < EDIT_MAX, buf[len] == '\0', cur <= len and cur is at
 * the start of a character (text.h). */
struct edit {
	char buf[EDIT_MAX];
	size_t len;
	size_t cur; /* byte offset */
};

enum edit_result {
	EDIT_NOT_MINE, /* not an editing key (Enter, Esc, Up, ...) */
	EDIT_DONE,     /* applied (the line or cursor may be unchanged) */
	EDIT_FULL,     /* text refused: the line holds EDIT_MAX - 1 bytes */
};

/* Start editing s (NULL: ""), the cursor at the end.
 * Return: 0, or -E2BIG when s has EDIT_MAX bytes or more. */
int edit_init(struct edit *e, const char *s);

/* Apply one key.  Return: what it did. */
enum edit_result edit_key(struct edit *e, const struct key *k);

#endif
