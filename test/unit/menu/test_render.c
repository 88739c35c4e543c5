/* Host unit tests: boot/menu/render.c.  The bytes are played on a small
 * VT100 screen (vt.h) and checked as a person sees them: the items with
 * the marker and reverse video, the countdown, the status and help rows,
 * the editor's line scrolled sideways with the cursor on the right
 * character, the password as stars; redraws send only what changed and
 * leave the same screen as drawing from scratch. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/console.h"
#include "menu/key.h"
#include "menu/render.h"
#include "menu/state.h"
#include "vt.h"

static const struct menu_item items3[] = {
	{ .title = "Debian 12", .id = "debian", .options = "root=/dev/vda2 quiet",
	  .note = "default" },
	{ .title = "Debian 12 (rescue)", .id = "rescue", .options = "root=/dev/vda2 single" },
	{ .title = NULL, .id = "old", .options = "ro", .broken = "bzimage: bad magic" },
};

static struct vt screen;

/* A terminal: what the renderer tracks and what the screen shows. */
struct term {
	struct render r;
	struct vt *vt;
	size_t last_bytes;
};

static void term_init(struct term *t, unsigned cols, unsigned rows)
{
	render_init(&t->r, cols, rows);
	t->vt = &screen;
	vt_init(t->vt, t->r.rows, t->r.cols);
}

static void draw(struct term *t, const struct menu_state *s)
{
	struct render_buf b = { 0 };

	assert_int_equal(render_frame(&t->r, s, &b), 0);
	vt_feed(t->vt, b.p, b.len);
	if (t->vt->error[0])
		fail_msg("vt: %s", t->vt->error);
	assert_false(t->vt->last_col);
	t->last_bytes = b.len;
	render_buf_free(&b);
}

static void press(struct menu_state *s, const char *bytes)
{
	struct key_decoder d;
	struct key k[KEY_FEED_MAX];
	size_t n, i;

	key_decoder_init(&d);
	for (; *bytes; bytes++) {
		n = key_feed(&d, (uint8_t)*bytes, k);
		for (i = 0; i < n; i++)
			menu_key(s, &k[i], 0);
	}
	n = key_idle(&d, k);
	for (i = 0; i < n; i++)
		menu_key(s, &k[i], 0);
}

static const char *row(struct term *t, unsigned r1)
{
	return vt_row(t->vt, r1 - 1);
}

static void test_small_terminal(void **state)
{
	struct menu_config cfg = { .timeout = 5, .editor = true };
	struct menu_state s;
	struct term t;

	assert_int_equal(menu_state_init(&s, items3, 3, &cfg), 0);
	term_init(&t, 60, 10);
	draw(&t, &s);
	assert_string_equal(row(&t, 1), "kexshim " KEXSHIM_VERSION " boot menu");
	assert_string_equal(row(&t, 2), "");
	assert_string_equal(row(&t, 3), "> 1. Debian 12 (default)");
	assert_string_equal(row(&t, 4), "  2. Debian 12 (rescue)");
	assert_string_equal(row(&t, 5), "  3. old [cannot boot]");
	assert_string_equal(row(&t, 7), "");
	assert_string_equal(row(&t, 8), "options: root=/dev/vda2 quiet");
	assert_string_equal(row(&t, 9), "Booting 'Debian 12' in 5 s; any key stops");
	assert_string_equal(row(&t, 10), "Up/Down, 1-9: choose  Enter: boot  e: edit");
	/* The selection is reversed across the row, the others are not. */
	assert_true(t.vt->rev[2][0] && t.vt->rev[2][58]);
	assert_false(t.vt->rev[2][59]);
	assert_false(t.vt->rev[3][0]);
	/* The cursor is hidden, parked on the selection. */
	assert_false(t.vt->cursor_shown);
	assert_int_equal(t.vt->row, 2);
	assert_int_equal(t.vt->col, 0);
	/* A whole screen fits a serial line's second many times over. */
	assert_true(t.last_bytes < 600);
}

static void test_redraws_are_small(void **state)
{
	struct menu_config cfg = { .timeout = 5, .editor = true };
	struct menu_state s;
	struct term t;

	assert_int_equal(menu_state_init(&s, items3, 3, &cfg), 0);
	term_init(&t, 80, 24);
	draw(&t, &s);
	/* Nothing changed: nothing sent. */
	draw(&t, &s);
	assert_int_equal(t.last_bytes, 0);
	/* A tick rewrites the countdown row only. */
	menu_tick(&s);
	draw(&t, &s);
	assert_string_equal(row(&t, 23), "Booting 'Debian 12' in 4 s; any key stops");
	assert_true(t.last_bytes > 0 && t.last_bytes < 80);
	/* Down: two items, the status and the countdown (gone). */
	press(&s, "\x1b[B");
	draw(&t, &s);
	assert_string_equal(row(&t, 3), "  1. Debian 12 (default)");
	assert_string_equal(row(&t, 4), "> 2. Debian 12 (rescue)");
	assert_string_equal(row(&t, 22), "options: root=/dev/vda2 single");
	assert_string_equal(row(&t, 23), "");
	assert_true(t.vt->rev[3][0]);
	assert_false(t.vt->rev[2][0]);
	assert_true(t.last_bytes < 300);
	/* A broken entry shows why in the status row. */
	press(&s, "\x1b[B");
	draw(&t, &s);
	assert_string_equal(row(&t, 5), "> 3. old [cannot boot]");
	assert_string_equal(row(&t, 22), "cannot boot: bzimage: bad magic");
	press(&s, "\r");
	draw(&t, &s);
	assert_string_equal(row(&t, 22), "cannot boot 'old': bzimage: bad magic");
}

static void test_repaint_is_a_fresh_draw(void **state)
{
	static struct vt fresh;
	struct menu_config cfg = { .timeout = 9, .editor = true };
	struct render_buf b = { 0 };
	struct menu_state s;
	struct render r2;
	struct term t;

	assert_int_equal(menu_state_init(&s, items3, 3, &cfg), 0);
	term_init(&t, 50, 12);
	draw(&t, &s);
	press(&s, "\x1b[Be\x1b[D\x1b[Dx");
	draw(&t, &s);
	render_reset(&t.r);
	draw(&t, &s);
	assert_true(t.last_bytes > 100);
	/* What an incremental terminal shows, one drawn once shows too. */
	render_init(&r2, 50, 12);
	vt_init(&fresh, 12, 50);
	assert_int_equal(render_frame(&r2, &s, &b), 0);
	vt_feed(&fresh, b.p, b.len);
	assert_true(vt_same(t.vt, &fresh));
	render_buf_free(&b);
}

static void test_sizes(void **state)
{
	struct render r;

	render_init(&r, 0, 0);
	assert_int_equal(r.cols, 80);
	assert_int_equal(r.rows, 24);
	assert_int_equal(render_page(&r), 18);
	render_init(&r, 3, 2);
	assert_int_equal(r.cols, RENDER_MIN_COLS);
	assert_int_equal(r.rows, RENDER_MIN_ROWS);
	assert_int_equal(render_page(&r), 2);
	render_init(&r, 10000, 10000);
	assert_int_equal(r.cols, RENDER_MAX_COLS);
	assert_int_equal(r.rows, RENDER_MAX_ROWS);
}

static void test_narrow_terminal_keeps_the_count(void **state)
{
	struct menu_item it = { .title = "A very long title that does not fit at all",
				.options = "" };
	struct menu_config cfg = { .timeout = 7 };
	struct menu_state s;
	struct term t;

	assert_int_equal(menu_state_init(&s, &it, 1, &cfg), 0);
	term_init(&t, 40, 8);
	draw(&t, &s);
	assert_string_equal(row(&t, 7), "Booting 'A very long title t...' in 7 s");
	assert_string_equal(row(&t, 3), "> 1. A very long title that does not fi");
	assert_string_equal(row(&t, 6), "options: (none)");
}

static void test_titles_cannot_drive_the_terminal(void **state)
{
	struct menu_item it[2] = {
		{ .title = "evil\x1b[2J\r\nline\x07", .options = "a\tb\x9b" "c" },
		{ .title = "\xc2\x9b" "31m caf\xc3\xa9 \xf0\x9f\x90\xa7", .note = "x\x1b" },
	};
	struct menu_config cfg = { 0 };
	struct menu_state s;
	struct term t;

	assert_int_equal(menu_state_init(&s, it, 2, &cfg), 0);
	term_init(&t, 60, 10);
	draw(&t, &s); /* draw() fails on anything the vt does not know */
	assert_string_equal(row(&t, 3), "> 1. evil?[2J??line?");
	assert_string_equal(row(&t, 4), "  2. ?31m caf\xc3\xa9 \xf0\x9f\x90\xa7 (x?)");
	assert_string_equal(row(&t, 8), "options: a?b?c");
}

static void test_scrolling_list(void **state)
{
	static struct menu_item many[30];
	static char titles[30][24];
	struct menu_config cfg = { 0 };
	struct menu_state s;
	struct term t;

	for (int i = 0; i < 30; i++) {
		snprintf(titles[i], sizeof(titles[i]), "entry %d", i + 1);
		many[i] = (struct menu_item){ .title = titles[i] };
	}
	assert_int_equal(menu_state_init(&s, many, 30, &cfg), 0);
	term_init(&t, 40, 10); /* 4 items shown */
	draw(&t, &s);
	assert_string_equal(row(&t, 3), ">  1. entry 1");
	assert_string_equal(row(&t, 6), "   4. entry 4");
	assert_string_equal(row(&t, 7), "  (26 more below)");
	s.page = render_page(&t.r);
	press(&s, "\x1b[6~");
	draw(&t, &s);
	assert_string_equal(row(&t, 3), "   2. entry 2");
	assert_string_equal(row(&t, 6), ">  5. entry 5");
	assert_string_equal(row(&t, 7), "  (1 more above, 25 below)");
	assert_int_equal(t.vt->row, 5);
	press(&s, "\x1b[F");
	draw(&t, &s);
	assert_string_equal(row(&t, 6), "> 30. entry 30");
	assert_string_equal(row(&t, 7), "  (26 more above)");
	press(&s, "\x1b[H");
	draw(&t, &s);
	assert_string_equal(row(&t, 3), ">  1. entry 1");
}

static void test_editor_line(void **state)
{
	static char line[200];
	struct menu_item it = { .title = "Debian", .options = line };
	struct menu_config cfg = { .editor = true };
	struct menu_state s;
	struct term t;
	const char *r;

	/* 100 characters, 0123456789 repeated, in a 30-column terminal:
	 * 27 characters of text between the markers. */
	for (int i = 0; i < 100; i++)
		line[i] = (char)('0' + i % 10);
	assert_int_equal(menu_state_init(&s, &it, 1, &cfg), 0);
	term_init(&t, 30, 8);
	press(&s, "e");
	draw(&t, &s);
	assert_string_equal(row(&t, 6), "Edit 'Debian' (this boot only");
	assert_string_equal(row(&t, 8), "Enter: boot  Esc: cancel  Ctr");
	/* The cursor is at the end: the line's end shows, '<' before it. */
	r = row(&t, 7);
	assert_int_equal(r[0], '<');
	assert_string_equal(r + 1, "45678901234567890123456789"); /* 74..99 */
	assert_true(t.vt->cursor_shown);
	assert_int_equal(t.vt->row, 6);
	assert_int_equal(t.vt->col, 27);
	assert_string_equal(t.vt->cell[6][27], "");
	/* Home: the start, '>' in the last column but one. */
	press(&s, "\x1b[H");
	draw(&t, &s);
	assert_string_equal(row(&t, 7), " 012345678901234567890123456>");
	assert_int_equal(t.vt->col, 1);
	assert_string_equal(t.vt->cell[6][1], "0");
	/* Right to the edge and past it: the line moves one character. */
	for (int i = 0; i < 27; i++)
		press(&s, "\x1b[C");
	draw(&t, &s);
	assert_string_equal(row(&t, 7), "<123456789012345678901234567>");
	assert_string_equal(t.vt->cell[6][t.vt->col], "7");
	assert_int_equal(s.edit.cur, 27);
	/* Kill to the end: 27 characters and the cursor after them are one
	 * cell too many; one fewer and the whole line shows again. */
	press(&s, "\x0b");
	draw(&t, &s);
	assert_string_equal(row(&t, 7), "<12345678901234567890123456");
	assert_int_equal(t.vt->col, 27);
	press(&s, "\x7f");
	draw(&t, &s);
	assert_string_equal(row(&t, 7), " 01234567890123456789012345");
	assert_int_equal(t.vt->col, 27);
}

static void test_editor_utf8_cursor(void **state)
{
	struct menu_item it = { .title = "x", .options = "\xc3\xa9t\xc3\xa9 \xe2\x82\xac" };
	struct menu_config cfg = { .editor = true };
	struct menu_state s;
	struct term t;

	assert_int_equal(menu_state_init(&s, &it, 1, &cfg), 0);
	term_init(&t, 40, 8);
	press(&s, "e\x1b[D\x1b[D");
	draw(&t, &s);
	assert_string_equal(row(&t, 7), " \xc3\xa9t\xc3\xa9 \xe2\x82\xac");
	/* One column per character: the cursor is on the blank. */
	assert_int_equal(t.vt->col, 4);
	assert_string_equal(t.vt->cell[6][4], " ");
}

static void test_password_prompt(void **state)
{
	struct menu_config cfg = { .editor = true, .has_password = true };
	struct menu_state s;
	struct term t;

	assert_int_equal(menu_state_init(&s, items3, 3, &cfg), 0);
	term_init(&t, 40, 10);
	draw(&t, &s);
	press(&s, "esecr\xc3\xa9t");
	draw(&t, &s);
	assert_string_equal(row(&t, 8), "Editing needs the password.");
	assert_string_equal(row(&t, 9), "Password: ******");
	assert_string_equal(row(&t, 10), "Enter: check  Esc: back");
	/* Never the password itself. */
	for (unsigned r = 0; r < t.vt->rows; r++)
		assert_null(strstr(vt_row(t.vt, r), "secr"));
	assert_true(t.vt->cursor_shown);
	assert_int_equal(t.vt->row, 8);
	assert_int_equal(t.vt->col, 16);
	press(&s, "\r");
	draw(&t, &s);
	assert_string_equal(row(&t, 8), "wrong password (2 tries left)");
	assert_string_equal(row(&t, 9), "Password:");
	/* Three times: no "e: edit" in the help any more. */
	press(&s, "\r\r");
	draw(&t, &s);
	assert_string_equal(row(&t, 10), "Up/Down, 1-9: choose  Enter: boot");
	assert_false(t.vt->cursor_shown);
}

static void test_leave(void **state)
{
	struct render_buf b = { 0 };

	assert_int_equal(render_leave(&b), 0);
	assert_int_equal(b.len, strlen("\x1b[m\x1b[?25h\x1b[H\x1b[2J"));
	assert_memory_equal(b.p, "\x1b[m\x1b[?25h\x1b[H\x1b[2J", b.len);
	render_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_small_terminal),
		cmocka_unit_test(test_redraws_are_small),
		cmocka_unit_test(test_repaint_is_a_fresh_draw),
		cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_narrow_terminal_keeps_the_count),
		cmocka_unit_test(test_titles_cannot_drive_the_terminal),
		cmocka_unit_test(test_scrolling_list),
		cmocka_unit_test(test_editor_line),
		cmocka_unit_test(test_editor_utf8_cursor),
		cmocka_unit_test(test_password_prompt),
		cmocka_unit_test(test_leave),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
