/* kexshim menu: the renderer (see render.h).  Pure: state in, bytes out.
 * Each row is built in full, hashed, and sent only when its hash differs
 * from what the terminal shows; building costs microseconds, a serial
 * line 87 us per byte. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/console.h"
#include "menu/render.h"
#include "menu/text.h"

/* Rows around the items: title, blank above; more, status, main, keys
 * below. */
#define ROWS_ABOVE 2
#define ROWS_BELOW 4

struct row {
	char b[RENDER_MAX_COLS * 4];
	size_t len;
	unsigned col;   /* characters so far */
	unsigned width; /* characters allowed: cols - 1 */
	bool reverse;
};

static unsigned clamp(unsigned v, unsigned dflt, unsigned lo, unsigned hi)
{
	if (!v)
		return dflt;
	return v < lo ? lo : v > hi ? hi : v;
}

void render_init(struct render *r, unsigned cols, unsigned rows)
{
	memset(r, 0, sizeof(*r));
	r->cols = clamp(cols, RENDER_DEFAULT_COLS, RENDER_MIN_COLS, RENDER_MAX_COLS);
	r->rows = clamp(rows, RENDER_DEFAULT_ROWS, RENDER_MIN_ROWS, RENDER_MAX_ROWS);
}

void render_reset(struct render *r)
{
	r->drawn = false;
}

size_t render_page(const struct render *r)
{
	return r->rows - ROWS_ABOVE - ROWS_BELOW;
}

void render_buf_free(struct render_buf *b)
{
	free(b->p);
	*b = (struct render_buf){ 0 };
}

static int put(struct render_buf *b, const char *s, size_t n)
{
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		char *p;

		while (cap < b->len + n)
			cap *= 2;
		p = realloc(b->p, cap);
		if (!p)
			return -ENOMEM;
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	return 0;
}

static int puts_(struct render_buf *b, const char *s)
{
	return put(b, s, strlen(s));
}

static int cup(struct render_buf *b, unsigned row, unsigned col)
{
	char seq[32];

	return put(b, seq, (size_t)snprintf(seq, sizeof(seq), "\x1b[%u;%uH", row, col));
}

/* Up to max characters of s[0..len): what a terminal would act on shows
 * as '?' (text.h). */
static void row_put_max(struct row *w, const char *s, size_t len, size_t max)
{
	size_t i = 0, u;
	bool shown;

	while (i < len && max && w->col < w->width) {
		u = text_unit(s + i, len - i, &shown);
		if (shown) {
			memcpy(w->b + w->len, s + i, u);
			w->len += u;
		} else {
			w->b[w->len++] = '?';
		}
		w->col++;
		max--;
		i += u;
	}
}

static void row_str(struct row *w, const char *s)
{
	row_put_max(w, s, strlen(s), (size_t)-1);
}

static void row_fmt(struct row *w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void row_fmt(struct row *w, const char *fmt, ...)
{
	char tmp[128];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	row_str(w, tmp);
}

/* s in quotes, shortened with "..." so that reserve more characters fit
 * after it, but never below a readable TITLE_MIN. */
#define TITLE_MIN 12
static void row_quoted(struct row *w, const char *s, size_t reserve)
{
	size_t room = w->width - w->col, len = strlen(s);
	size_t budget = room > reserve + 2 ? room - reserve - 2 : 0;

	if (budget < TITLE_MIN)
		budget = room - 2 < TITLE_MIN ? room - 2 : TITLE_MIN;
	row_str(w, "'");
	if (text_width(s, len) <= budget) {
		row_str(w, s);
	} else if (budget > 3) {
		row_put_max(w, s, len, budget - 3);
		row_str(w, "...");
	}
	row_str(w, "'");
}

/* Spaces up to column n (1-based), n <= width. */
static void row_pad_to(struct row *w, unsigned n)
{
	while (w->col < n) {
		w->b[w->len++] = ' ';
		w->col++;
	}
}

static unsigned digits(size_t n)
{
	unsigned d = 1;

	while (n >= 10) {
		n /= 10;
		d++;
	}
	return d;
}

static void item_row(struct row *w, const struct menu_state *s, size_t i)
{
	const struct menu_item *it = &s->items[i];
	bool sel = i == s->sel;

	row_fmt(w, "%c %*zu. ", sel ? '>' : ' ', (int)digits(s->n), i + 1);
	row_str(w, menu_item_title(it));
	if (it->note && it->note[0]) {
		row_str(w, " (");
		row_str(w, it->note);
		row_str(w, ")");
	}
	if (it->broken)
		row_str(w, " [cannot boot]");
	if (sel) {
		w->reverse = true;
		row_pad_to(w, w->width);
	}
}

static void more_row(struct row *w, const struct render *r, const struct menu_state *s)
{
	size_t below = s->n - r->top > render_page(r) ?
		       s->n - r->top - render_page(r) : 0;

	if (r->top && below)
		row_fmt(w, "  (%zu more above, %zu below)", r->top, below);
	else if (r->top)
		row_fmt(w, "  (%zu more above)", r->top);
	else if (below)
		row_fmt(w, "  (%zu more below)", below);
}

static void status_row(struct row *w, const struct menu_state *s)
{
	const struct menu_item *it = &s->items[s->sel];

	if (s->msg[0]) {
		row_str(w, s->msg);
		return;
	}
	switch (s->screen) {
	case MENU_SCREEN_LIST:
		if (it->broken) {
			row_str(w, "cannot boot: ");
			row_str(w, it->broken);
		} else {
			row_str(w, "options: ");
			row_str(w, it->options && it->options[0] ? it->options : "(none)");
		}
		break;
	case MENU_SCREEN_PASSWORD:
		row_str(w, "Editing needs the password.");
		break;
	case MENU_SCREEN_EDIT:
		row_str(w, "Edit ");
		row_quoted(w, menu_item_title(it), sizeof(" (this boot only):") - 1);
		row_str(w, " (this boot only):");
		break;
	}
}

/* The edited line from r->edit_left, with '<' and '>' where it goes on
 * past the edges.  Return: the cursor's column (1-based). */
static unsigned edit_row(struct row *w, struct render *r, const struct edit *e)
{
	size_t tw = w->width - 2; /* the markers take a column each */
	size_t total = text_width(e->buf, e->len);
	size_t c = text_width(e->buf, e->cur);
	size_t i = 0, k, fit;

	/* Keep the cursor inside; when the line got shorter, show as much
	 * of it as fits. */
	if (c < r->edit_left)
		r->edit_left = c;
	if (c >= r->edit_left + tw)
		r->edit_left = c - tw + 1;
	fit = total + 1 > tw ? total + 1 - tw : 0;
	if (fit < r->edit_left)
		r->edit_left = fit;
	for (k = 0; k < r->edit_left; k++)
		i += text_unit(e->buf + i, e->len - i, NULL);
	row_str(w, r->edit_left ? "<" : " ");
	row_put_max(w, e->buf + i, e->len - i, tw);
	if (total > r->edit_left + tw) {
		row_pad_to(w, w->width - 1);
		row_str(w, ">");
	}
	return (unsigned)(2 + c - r->edit_left);
}

/* Return: the cursor's column (1-based) on this row, 0 when hidden. */
static unsigned main_row(struct row *w, struct render *r, const struct menu_state *s)
{
	const char *title = menu_item_title(&s->items[s->sel]);
	size_t i, chars = 0;
	char count[32];

	switch (s->screen) {
	case MENU_SCREEN_LIST:
		if (!s->counting)
			return 0;
		/* The count must show; "any key stops" may be cut. */
		snprintf(count, sizeof(count), " in %u s", s->countdown);
		row_str(w, "Booting ");
		row_quoted(w, title, strlen(count));
		row_str(w, count);
		row_str(w, "; any key stops");
		return 0;
	case MENU_SCREEN_PASSWORD:
		row_str(w, "Password: ");
		for (i = 0; i < s->pw_len; i++)
			chars += (s->pw[i] & 0xc0) != 0x80;
		while (chars-- && w->col < w->width - 1)
			row_str(w, "*");
		return w->col + 1;
	default:
		return edit_row(w, r, &s->edit);
	}
}

static void help_row(struct row *w, const struct menu_state *s)
{
	switch (s->screen) {
	case MENU_SCREEN_LIST:
		row_str(w, "Up/Down, 1-9: choose  Enter: boot");
		if (menu_can_edit(s))
			row_str(w, "  e: edit");
		break;
	case MENU_SCREEN_PASSWORD:
		row_str(w, "Enter: check  Esc: back");
		break;
	case MENU_SCREEN_EDIT:
		row_str(w, "Enter: boot  Esc: cancel  Ctrl-A/E: start/end  Ctrl-U/K: kill");
		break;
	}
}

/* Build row `row` (1-based).  Return: the cursor's column when it
 * belongs on this row, else 0. */
static unsigned build_row(struct row *w, struct render *r,
			  const struct menu_state *s, unsigned row)
{
	unsigned below = r->rows - row; /* 0: the last row */

	w->len = 0;
	w->col = 0;
	w->width = r->cols - 1;
	w->reverse = false;
	if (row == 1)
		row_str(w, "kexshim " KEXSHIM_VERSION " boot menu");
	else if (row > ROWS_ABOVE && below >= ROWS_BELOW) {
		size_t i = r->top + (row - ROWS_ABOVE - 1);

		if (i < s->n)
			item_row(w, s, i);
	} else if (below == 3)
		more_row(w, r, s);
	else if (below == 2)
		status_row(w, s);
	else if (below == 1)
		return main_row(w, r, s);
	else if (below == 0)
		help_row(w, s);
	return 0;
}

/* FNV-1a: what a row shows, so a frame can skip rows already there. */
static uint64_t row_hash(const struct row *w)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t i;

	for (i = 0; i < w->len; i++)
		h = (h ^ (uint8_t)w->b[i]) * 0x100000001b3ULL;
	return (h ^ w->reverse) * 0x100000001b3ULL;
}

static int send_row(struct render_buf *out, const struct row *w, unsigned row)
{
	int rc = cup(out, row, 1);

	if (w->reverse)
		rc |= puts_(out, "\x1b[7m");
	rc |= put(out, w->b, w->len);
	if (w->reverse)
		rc |= puts_(out, "\x1b[m");
	rc |= puts_(out, "\x1b[K");
	return rc;
}

int render_frame(struct render *r, const struct menu_state *s,
		 struct render_buf *out)
{
	size_t page = render_page(r);
	unsigned row, col, cur_row = 0, cur_col = 0;
	bool moved = false, force = !r->drawn;
	struct row row_buf, *w = &row_buf;
	uint64_t h;
	int rc = 0;

	if (force) {
		rc |= puts_(out, "\x1b[m\x1b[H\x1b[2J");
		w->len = 0;
		w->reverse = false;
		h = row_hash(w);
		for (row = 0; row < r->rows; row++)
			r->row_hash[row] = h;
		r->drawn = true;
	}
	/* Scroll the items so that the selection is shown. */
	if (s->sel < r->top)
		r->top = s->sel;
	if (s->sel >= r->top + page)
		r->top = s->sel - page + 1;
	if (r->top && r->top + page > s->n)
		r->top = s->n > page ? s->n - page : 0;

	for (row = 1; row <= r->rows; row++) {
		col = build_row(w, r, s, row);
		if (col) {
			cur_row = row;
			cur_col = col;
		}
		h = row_hash(w);
		if (h == r->row_hash[row - 1])
			continue;
		rc |= send_row(out, w, row);
		r->row_hash[row - 1] = h;
		moved = true;
	}
	/* On the list the cursor is hidden, parked on the selection. */
	if (!cur_row) {
		cur_row = (unsigned)(ROWS_ABOVE + 1 + s->sel - r->top);
		cur_col = 1;
	}
	if (moved || force || cur_row != r->cur_row || cur_col != r->cur_col)
		rc |= cup(out, cur_row, cur_col);
	if (force || r->cur_shown != (s->screen != MENU_SCREEN_LIST))
		rc |= puts_(out, s->screen != MENU_SCREEN_LIST ? "\x1b[?25h" : "\x1b[?25l");
	r->cur_row = cur_row;
	r->cur_col = cur_col;
	r->cur_shown = s->screen != MENU_SCREEN_LIST;
	return rc ? -ENOMEM : 0;
}

int render_leave(struct render_buf *out)
{
	return puts_(out, "\x1b[m\x1b[?25h\x1b[H\x1b[2J");
}
