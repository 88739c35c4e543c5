/* kexshim menu: the line editor (see edit.h).  Pure.  The line is at most
 * a few KiB, so positions are found by walking it from the start: simple,
 * and always the split into characters that the renderer sees. */
#include <errno.h>
#include <string.h>

#include "menu/edit.h"
#include "menu/text.h"

int edit_init(struct edit *e, const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (n >= EDIT_MAX)
		return -E2BIG;
	memcpy(e->buf, s ? s : "", n + 1);
	e->len = e->cur = n;
	return 0;
}

static size_t unit_at(const struct edit *e, size_t i)
{
	return text_unit(e->buf + i, e->len - i, NULL);
}

/* Return: the start of the character that ends at i (i > 0, at a start). */
static size_t prev_start(const struct edit *e, size_t i)
{
	size_t p = 0, u;

	for (;;) {
		u = unit_at(e, p);
		if (p + u >= i)
			return p;
		p += u;
	}
}

/* A deletion can join bytes on either side into one character (a lone
 * lead byte meets continuation bytes): put the cursor back on a start. */
static void snap(struct edit *e)
{
	size_t p = 0, u;

	while (p < e->cur) {
		u = unit_at(e, p);
		if (p + u > e->cur) {
			e->cur = p;
			return;
		}
		p += u;
	}
}

/* Remove [from, to) and leave the cursor at from. */
static void cut(struct edit *e, size_t from, size_t to)
{
	memmove(e->buf + from, e->buf + to, e->len - to + 1);
	e->len -= to - from;
	e->cur = from;
	snap(e);
}

static enum edit_result insert(struct edit *e, const struct key *k)
{
	if (e->len + k->len >= EDIT_MAX)
		return EDIT_FULL;
	memmove(e->buf + e->cur + k->len, e->buf + e->cur, e->len - e->cur + 1);
	memcpy(e->buf + e->cur, k->text, k->len);
	e->len += k->len;
	e->cur += k->len;
	return EDIT_DONE;
}

static size_t word_start(const struct edit *e)
{
	size_t p = e->cur;

	while (p && e->buf[p - 1] == ' ')
		p--;
	while (p && e->buf[p - 1] != ' ')
		p--;
	return p;
}

enum edit_result edit_key(struct edit *e, const struct key *k)
{
	enum key_code code = k->code;

	if (code == MKEY_CTRL) {
		switch (k->ctrl) {
		case 'a': code = MKEY_HOME; break;
		case 'e': code = MKEY_END; break;
		case 'b': code = MKEY_LEFT; break;
		case 'f': code = MKEY_RIGHT; break;
		case 'd': code = MKEY_DELETE; break;
		case 'u': cut(e, 0, e->cur); return EDIT_DONE;
		case 'k': cut(e, e->cur, e->len); return EDIT_DONE;
		case 'w': cut(e, word_start(e), e->cur); return EDIT_DONE;
		default: return EDIT_NOT_MINE;
		}
	}
	switch (code) {
	case MKEY_TEXT:
		return insert(e, k);
	case MKEY_BACKSPACE:
		if (e->cur)
			cut(e, prev_start(e, e->cur), e->cur);
		return EDIT_DONE;
	case MKEY_DELETE:
		if (e->cur < e->len)
			cut(e, e->cur, e->cur + unit_at(e, e->cur));
		return EDIT_DONE;
	case MKEY_LEFT:
		if (e->cur)
			e->cur = prev_start(e, e->cur);
		return EDIT_DONE;
	case MKEY_RIGHT:
		if (e->cur < e->len)
			e->cur += unit_at(e, e->cur);
		return EDIT_DONE;
	case MKEY_HOME:
		e->cur = 0;
		return EDIT_DONE;
	case MKEY_END:
		e->cur = e->len;
		return EDIT_DONE;
	default:
		return EDIT_NOT_MINE;
	}
}
