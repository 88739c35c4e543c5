/* Tests of boot/menu: a small VT100 screen that understands exactly the
 * sequences the renderer may send (CUP, ED 2, EL, SGR 0/7, DECTCEM) and
 * notes anything else, a control byte, a write into the last column or
 * past the edge.  The renderer's output is then checked as a person sees
 * it: rows of text, reverse video, the cursor.  Header-only, shared by
 * the unit tests and fuzz_menu. */
#ifndef KEXSHIM_TEST_MENU_VT_H
#define KEXSHIM_TEST_MENU_VT_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "menu/text.h"

#define VT_ROWS 64
#define VT_COLS 200

struct vt {
	unsigned rows, cols;
	char cell[VT_ROWS][VT_COLS][5]; /* UTF-8, "" blank */
	bool rev[VT_ROWS][VT_COLS];
	unsigned row, col;              /* cursor, 0-based */
	bool reverse;                   /* SGR 7 in effect */
	bool cursor_shown;
	bool last_col;                  /* something went into the last column */
	char error[120];                /* the first thing not understood */
};

static inline void vt_fail(struct vt *v, const char *what, size_t at)
{
	if (!v->error[0])
		snprintf(v->error, sizeof(v->error), "%s at byte %zu", what, at);
}

static inline void vt_clear(struct vt *v, unsigned row, unsigned from)
{
	for (unsigned c = from; c < v->cols; c++) {
		v->cell[row][c][0] = '\0';
		v->rev[row][c] = v->reverse; /* what a bce terminal does */
	}
}

static inline void vt_init(struct vt *v, unsigned rows, unsigned cols)
{
	memset(v, 0, sizeof(*v));
	v->rows = rows;
	v->cols = cols;
	v->cursor_shown = true;
}

/* ESC [ ... at s[i]: Return: the index after it. */
static inline size_t vt_csi(struct vt *v, const char *s, size_t n, size_t i)
{
	unsigned p[4] = { 0 }, np = 0;
	bool priv = false, any = false;
	size_t at = i;

	i += 2;
	if (i < n && s[i] == '?') {
		priv = true;
		i++;
	}
	for (; i < n && ((s[i] >= '0' && s[i] <= '9') || s[i] == ';'); i++) {
		if (s[i] == ';') {
			if (++np == 4)
				np = 3;
		} else {
			p[np] = p[np] * 10 + (unsigned)(s[i] - '0');
			any = true;
		}
	}
	if (i >= n) {
		vt_fail(v, "cut sequence", at);
		return n;
	}
	if (priv) {
		if (p[0] == 25 && (s[i] == 'h' || s[i] == 'l'))
			v->cursor_shown = s[i] == 'h';
		else
			vt_fail(v, "private sequence", at);
		return i + 1;
	}
	switch (s[i]) {
	case 'H':
		if (!p[0])
			p[0] = 1;
		if (!p[1])
			p[1] = 1;
		if (p[0] > v->rows || p[1] > v->cols)
			vt_fail(v, "cursor off the screen", at);
		else {
			v->row = p[0] - 1;
			v->col = p[1] - 1;
		}
		break;
	case 'J':
		if (p[0] != 2)
			vt_fail(v, "ED other than 2", at);
		for (unsigned r = 0; r < v->rows; r++)
			vt_clear(v, r, 0);
		break;
	case 'K':
		if (p[0])
			vt_fail(v, "EL other than 0", at);
		vt_clear(v, v->row, v->col);
		break;
	case 'm':
		if (!any || p[0] == 0)
			v->reverse = false;
		else if (p[0] == 7 && !np)
			v->reverse = true;
		else
			vt_fail(v, "SGR other than 0 and 7", at);
		break;
	default:
		vt_fail(v, "unknown sequence", at);
	}
	return i + 1;
}

static inline void vt_feed(struct vt *v, const char *s, size_t n)
{
	size_t i = 0, u;
	bool shown;

	while (i < n) {
		if (s[i] == 0x1b) {
			if (i + 1 < n && s[i + 1] == '[')
				i = vt_csi(v, s, n, i);
			else {
				vt_fail(v, "ESC without [", i);
				i++;
			}
			continue;
		}
		u = text_unit(s + i, n - i, &shown);
		if (!shown)
			vt_fail(v, "control or non-UTF-8 byte", i);
		if (v->col >= v->cols) {
			vt_fail(v, "text past the right edge", i);
		} else {
			if (v->col == v->cols - 1)
				v->last_col = true;
			memcpy(v->cell[v->row][v->col], s + i, u);
			v->cell[v->row][v->col][u] = '\0';
			v->rev[v->row][v->col] = v->reverse;
			v->col++;
		}
		i += u;
	}
}

/* Row r (0-based) as text, trailing blanks dropped. */
static inline const char *vt_row(const struct vt *v, unsigned r)
{
	static char out[VT_COLS * 4 + 1];
	size_t len = 0, keep = 0;

	for (unsigned c = 0; c < v->cols; c++) {
		const char *ch = v->cell[r][c][0] ? v->cell[r][c] : " ";

		memcpy(out + len, ch, strlen(ch));
		len += strlen(ch);
		if (v->cell[r][c][0] && ch[0] != ' ')
			keep = len;
	}
	out[keep] = '\0';
	return out;
}

/* Return: true when both screens show the same cells in the same video. */
static inline bool vt_same(const struct vt *a, const struct vt *b)
{
	for (unsigned r = 0; r < a->rows; r++)
		for (unsigned c = 0; c < a->cols; c++) {
			const char *x = a->cell[r][c][0] ? a->cell[r][c] : " ";
			const char *y = b->cell[r][c][0] ? b->cell[r][c] : " ";

			if (strcmp(x, y) || a->rev[r][c] != b->rev[r][c])
				return false;
		}
	return true;
}

#endif
