/* kexshim menu: the key decoder (see key.h).  Pure.  Sequences as ECMA-48
 * frames them (CSI: ESC [, parameter bytes 0x30-0x3f, intermediate bytes
 * 0x20-0x2f, one final byte 0x40-0x7e), with the keys xterm's
 * ctlseqs.txt and the Linux console (console_codes(4)) assign. */
#include "common/utf8.h"
#include "menu/key.h"

/* Past any key number a terminal sends; keeps the parameter bounded. */
#define PARAM_MAX 1000

void key_decoder_init(struct key_decoder *d)
{
	*d = (struct key_decoder){ .state = KS_GROUND };
}

static size_t put(struct key *out, size_t n, enum key_code code)
{
	out[n] = (struct key){ .code = code };
	return n + 1;
}

/* The final byte of ESC [ ... or ESC O ...  Return: the key, or 0. */
static enum key_code final_key(uint8_t byte)
{
	switch (byte) {
	case 'A': return MKEY_UP;
	case 'B': return MKEY_DOWN;
	case 'C': return MKEY_RIGHT;
	case 'D': return MKEY_LEFT;
	case 'H': return MKEY_HOME;
	case 'F': return MKEY_END;
	default: return 0;
	}
}

/* ESC [ N ~: the VT220 editing keys.  1 and 4 are what the Linux console
 * and screen send for Home/End, 7 and 8 rxvt's.  Return: the key, or 0. */
static enum key_code tilde_key(unsigned param)
{
	switch (param) {
	case 1: case 7: return MKEY_HOME;
	case 4: case 8: return MKEY_END;
	case 3: return MKEY_DELETE;
	case 5: return MKEY_PGUP;
	case 6: return MKEY_PGDN;
	default: return 0; /* 2 Insert, 11.. function keys */
	}
}

static bool is_final(uint8_t byte)
{
	return byte >= 0x40 && byte <= 0x7e;
}

/* Inside a sequence only printable ASCII continues it. */
static bool ends_sequence(uint8_t byte)
{
	return byte < 0x20 || byte >= 0x7f;
}

static size_t ground(struct key_decoder *d, uint8_t byte, bool after_cr,
		     struct key *out, size_t n)
{
	if (byte == 0x1b) {
		d->state = KS_ESC;
		return n;
	}
	if (byte == '\r') {
		d->after_cr = true;
		return put(out, n, MKEY_ENTER);
	}
	if (byte == '\n')
		return after_cr ? n : put(out, n, MKEY_ENTER);
	if (byte == 0x7f || byte == 0x08)
		return put(out, n, MKEY_BACKSPACE);
	if (byte >= 0x01 && byte <= 0x1a) {
		n = put(out, n, MKEY_CTRL);
		out[n - 1].ctrl = (char)('a' + byte - 1);
		return n;
	}
	if (byte >= 0x20 && byte < 0x7f) {
		n = put(out, n, MKEY_TEXT);
		out[n - 1].text[0] = byte;
		out[n - 1].len = 1;
		return n;
	}
	/* RFC 3629: 0xc0, 0xc1 and 0xf5.. never start a character. */
	if (byte >= 0xc2 && byte <= 0xf4) {
		d->state = KS_UTF8;
		d->utf8[0] = byte;
		d->utf8_len = 1;
		d->utf8_want = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2;
	}
	/* NUL, 0x1c-0x1f, stray continuation bytes: dropped. */
	return n;
}

/* A complete multi-byte character.  Return: n, plus one text key unless
 * it is malformed or a C1 control (U+0080-U+009F), which a terminal may
 * act on. */
static size_t utf8_done(struct key_decoder *d, struct key *out, size_t n)
{
	uint32_t cp;
	size_t len = utf8_decode(d->utf8, d->utf8_len, &cp);

	d->state = KS_GROUND;
	if (len != d->utf8_len || cp < 0xa0)
		return n;
	n = put(out, n, MKEY_TEXT);
	for (size_t i = 0; i < len; i++)
		out[n - 1].text[i] = d->utf8[i];
	out[n - 1].len = (uint8_t)len;
	return n;
}

size_t key_feed(struct key_decoder *d, uint8_t byte, struct key out[KEY_FEED_MAX])
{
	bool after_cr = d->after_cr;
	enum key_code k;
	size_t n = 0;

	d->after_cr = false;
	switch (d->state) {
	case KS_GROUND:
		break;
	case KS_ESC:
		if (byte == '[') {
			d->state = KS_CSI;
			d->param = 0;
			d->param_done = false;
			return 0;
		}
		if (byte == 'O') {
			d->state = KS_SS3;
			return 0;
		}
		/* Esc, then what was typed right after it (Alt+key too). */
		n = put(out, n, MKEY_ESC);
		d->state = KS_GROUND;
		break;
	case KS_CSI:
		if (ends_sequence(byte)) {
			d->state = KS_GROUND;
			break;
		}
		if (byte >= '0' && byte <= '9' && !d->param_done) {
			d->param = d->param * 10 + (unsigned)(byte - '0');
			if (d->param > PARAM_MAX)
				d->param = PARAM_MAX;
			return 0;
		}
		if (byte == ';')
			d->param_done = true;
		if (!is_final(byte))
			return 0; /* more parameters, intermediates */
		/* ESC [ [ A..E: the Linux console's F1-F5. */
		d->state = byte == '[' ? KS_CSI_FN : KS_GROUND;
		/* ESC [ 1 ; 5 A (Ctrl+Up) is still Up. */
		k = byte == '~' ? tilde_key(d->param) : final_key(byte);
		return k ? put(out, 0, k) : 0;
	case KS_CSI_FN:
	case KS_SS3:
		if (ends_sequence(byte)) {
			d->state = KS_GROUND;
			break;
		}
		if (!is_final(byte))
			return 0; /* xterm's ESC O 1 ; 2 P modifiers */
		k = d->state == KS_SS3 ? final_key(byte) : 0;
		if (d->state == KS_SS3 && byte == 'M')
			k = MKEY_ENTER; /* the keypad's Enter in application mode */
		d->state = KS_GROUND;
		return k ? put(out, 0, k) : 0;
	case KS_UTF8:
		if ((byte & 0xc0) != 0x80) {
			d->state = KS_GROUND; /* cut short: dropped */
			break;
		}
		d->utf8[d->utf8_len++] = byte;
		return d->utf8_len == d->utf8_want ? utf8_done(d, out, 0) : 0;
	}
	return ground(d, byte, after_cr, out, n);
}

bool key_pending(const struct key_decoder *d)
{
	return d->state != KS_GROUND || d->after_cr;
}

size_t key_idle(struct key_decoder *d, struct key out[KEY_FEED_MAX])
{
	bool esc = d->state == KS_ESC;

	d->state = KS_GROUND;
	d->after_cr = false;
	return esc ? put(out, 0, MKEY_ESC) : 0;
}
