/* kexshim menu: bytes from a terminal -> keys.  Pure: the tty layer feeds
 * every byte it reads and tells the decoder when no byte came for
 * KEY_ESC_TIMEOUT_MS, which is the only way to tell the Esc key from the
 * start of an escape sequence.  Understands what the Linux console, xterm
 * and serial terminals (minicom, screen, picocom, QEMU's -serial stdio)
 * send: VT100/xterm CSI and SS3 sequences, DEL and BS for backspace, CR,
 * LF and CR LF for Enter, UTF-8 text. */
#ifndef KEXSHIM_MENU_KEY_H
#define KEXSHIM_MENU_KEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Long enough for a serial line that splits a sequence across two reads
 * (a full sequence at 9600 baud takes 4 ms), short enough that Esc feels
 * immediate. */
#define KEY_ESC_TIMEOUT_MS 100

/* Bytes of one key decode into at most this many keys (a byte that ends a
 * pending Esc is the Esc and then itself). */
#define KEY_FEED_MAX 2

/* MKEY_ ("menu key"): <linux/input.h> and <linux/keyboard.h> own KEY_
 * and K_. */
enum key_code {
	MKEY_TEXT = 1,  /* one printable character, text[0..len) in UTF-8 */
	MKEY_CTRL,      /* Ctrl + letter: ctrl is 'a'..'z' (not h, j, m) */
	MKEY_ENTER,     /* CR, LF, CR LF, SS3 M (keypad Enter) */
	MKEY_ESC,
	MKEY_BACKSPACE, /* DEL (0x7f) or BS (0x08, Ctrl-H) */
	MKEY_DELETE,
	MKEY_UP,
	MKEY_DOWN,
	MKEY_LEFT,
	MKEY_RIGHT,
	MKEY_HOME,
	MKEY_END,
	MKEY_PGUP,
	MKEY_PGDN,
};

struct key {
	enum key_code code;
	uint8_t len;     /* MKEY_TEXT: 1..4 */
	uint8_t text[4]; /* MKEY_TEXT: well-formed UTF-8, no control character */
	char ctrl;       /* MKEY_CTRL */
};

enum key_state {
	KS_GROUND,
	KS_ESC,     /* after ESC */
	KS_CSI,     /* after ESC [ */
	KS_CSI_FN,  /* after ESC [ [ (Linux console F1-F5) */
	KS_SS3,     /* after ESC O */
	KS_UTF8,    /* inside a multi-byte character */
};

struct key_decoder {
	enum key_state state;
	unsigned param;     /* CSI: the first parameter so far */
	bool param_done;    /* CSI: a ';' ended the first parameter */
	bool after_cr;      /* the last byte was CR: an LF now is the same Enter */
	uint8_t utf8[4];
	uint8_t utf8_len, utf8_want;
};

void key_decoder_init(struct key_decoder *d);

/* Feed one byte.  Unknown sequences (F-keys, Insert, mouse reports) and
 * malformed UTF-8 are dropped.  A control byte inside a sequence ends the
 * sequence and counts as itself, so line noise cannot swallow Enter.
 * Return: the number of keys written to out (0..KEY_FEED_MAX). */
size_t key_feed(struct key_decoder *d, uint8_t byte, struct key out[KEY_FEED_MAX]);

/* Return: true when the decoder waits on more bytes (an Esc, a sequence or
 * a character begun, or the LF that may follow a CR): call key_idle() if
 * none come for KEY_ESC_TIMEOUT_MS. */
bool key_pending(const struct key_decoder *d);

/* No byte came for KEY_ESC_TIMEOUT_MS: a lone ESC is the Esc key; a cut
 * sequence or character is dropped; a later LF is a new Enter.
 * Return: the number of keys written to out (0 or 1). */
size_t key_idle(struct key_decoder *d, struct key out[KEY_FEED_MAX]);

#endif
