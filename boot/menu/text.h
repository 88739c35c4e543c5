/* kexshim menu: a command line or title as characters on a terminal.  The
 * command line is bytes; a well-formed UTF-8 sequence is one character,
 * any other byte one character of its own that shows as '?'.  The editor
 * moves by these characters and the renderer draws them one column each,
 * so the cursor the editor keeps is the one the screen shows.  Pure. */
#ifndef KEXSHIM_MENU_TEXT_H
#define KEXSHIM_MENU_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* The character at s[0..len), len > 0.  *shown (may be NULL) is false when
 * it must be drawn as '?': a control character (C0, DEL, C1), which a
 * terminal would act on, or a byte that is not UTF-8.
 * Return: its length in bytes, 1..4. */
size_t text_unit(const char *s, size_t len, bool *shown);

/* Return: the number of characters in s[0..len). */
size_t text_width(const char *s, size_t len);

#endif
