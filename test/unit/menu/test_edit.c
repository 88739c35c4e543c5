/* Host unit tests: boot/menu/edit.c and text.c, the command-line editor.
 * Each case types a key script (real terminal bytes through the decoder)
 * into a line and checks the exact resulting line and cursor. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "menu/edit.h"
#include "menu/key.h"
#include "menu/text.h"

/* Type the bytes of script into e; the script ends idle (a final Esc
 * counts).  Return: the result of the last key. */
static enum edit_result type(struct edit *e, const char *script)
{
	enum edit_result r = EDIT_DONE;
	struct key_decoder d;
	struct key k[KEY_FEED_MAX];
	size_t n, i;

	key_decoder_init(&d);
	for (; *script; script++) {
		n = key_feed(&d, (uint8_t)*script, k);
		for (i = 0; i < n; i++)
			r = edit_key(e, &k[i]);
	}
	n = key_idle(&d, k);
	for (i = 0; i < n; i++)
		r = edit_key(e, &k[i]);
	return r;
}

/* Start from line, type script, expect want with the cursor at the '|'
 * in want. */
static void check(const char *line, const char *script, const char *want)
{
	const char *bar = strchr(want, '|');
	char got[EDIT_MAX + 1];
	struct edit e;

	assert_non_null(bar);
	assert_int_equal(edit_init(&e, line), 0);
	type(&e, script);
	assert_true(e.cur <= e.len && e.len < EDIT_MAX);
	assert_int_equal(e.buf[e.len], '\0');
	memcpy(got, e.buf, e.cur);
	got[e.cur] = '|';
	memcpy(got + e.cur + 1, e.buf + e.cur, e.len - e.cur + 1);
	assert_string_equal(got, want);
}

#define LEFT "\x1b[D"
#define RIGHT "\x1b[C"
#define HOME "\x1b[H"
#define END "\x1b[F"
#define DEL "\x1b[3~"
#define BS "\x7f"

static void test_insert_and_move(void **state)
{
	check("", "", "|");
	check("quiet", "", "quiet|");
	check("quiet", " foo=1", "quiet foo=1|");
	check("root=/dev/sda1", LEFT "2" LEFT LEFT, "root=/dev/sd|a21");
	check("ro", HOME "x" END "y", "xroy|");
	check("ro", "\x01" "a\x05" "b", "aro" "b|");
	check("ro", "\x02\x02\x02\x02" "x" "\x06\x06\x06\x06" "y", "xroy|");
	/* Every Home and End dialect. */
	check("ab", "\x1b[1~x\x1b[4~y\x1bOHz\x1bOF!\x1b[7~(\x1b[8~)",
	      "(zxaby!)|");
	/* Left at the start and Right at the end stay. */
	check("ab", HOME LEFT "x" END RIGHT "y", "xaby|");
}

static void test_delete(void **state)
{
	check("console=ttyS0", BS BS "1", "console=tty1|");
	check("abc", HOME DEL, "|bc");
	check("abc", HOME RIGHT "\x04", "a|c");
	check("abc", END DEL, "abc|");
	check("abc", HOME BS, "|abc");
	check("abc", "\x08", "ab|"); /* BS as Ctrl-H sends it */
}

static void test_kill(void **state)
{
	check("quiet splash", LEFT LEFT "\x15", "|sh");
	check("quiet splash", HOME RIGHT RIGHT "\x0b", "qu|");
	check("quiet splash", "\x15", "|");
	check("a=1 b=2  ", "\x17", "a=1 |");
	check("a=1 b=2", "\x17\x17", "|");
	check("a=1 b=2", LEFT "\x17", "a=1 |2");
	/* Ctrl-U, then retype: the whole line replaced. */
	check("root=/dev/sda1 ro", "\x15root=/dev/vda2", "root=/dev/vda2|");
}

static void test_utf8_moves_by_character(void **state)
{
	/* "é€🐧": Left, Backspace and Delete take whole characters. */
	check("\xc3\xa9\xe2\x82\xac\xf0\x9f\x90\xa7", BS,
	      "\xc3\xa9\xe2\x82\xac|");
	check("\xc3\xa9\xe2\x82\xac\xf0\x9f\x90\xa7", LEFT LEFT BS,
	      "|\xe2\x82\xac\xf0\x9f\x90\xa7");
	check("\xc3\xa9\xe2\x82\xac", HOME DEL, "|\xe2\x82\xac");
	check("a", "\xc3\xa9", "a\xc3\xa9|");
	/* A byte that is not UTF-8 is a character of its own. */
	check("a\xff" "b", LEFT LEFT "x", "ax|\xff" "b");
	check("a\xff" "b", LEFT BS, "a|b");
}

static void test_deletion_cannot_split_a_character(void **state)
{
	struct edit e;

	/* E2 'x' 82 AC: deleting x joins a euro sign; the cursor that was
	 * after E2 moves to the start of the joined character. */
	assert_int_equal(edit_init(&e, "\xe2x\x82\xac"), 0);
	type(&e, HOME RIGHT DEL);
	assert_int_equal(e.len, 3);
	assert_int_equal(e.cur, 0);
	assert_int_equal(text_width(e.buf, e.len), 1);
}

static void test_full_line(void **state)
{
	static char big[EDIT_MAX + 1];
	struct edit e;

	memset(big, 'a', EDIT_MAX);
	big[EDIT_MAX] = '\0';
	assert_int_equal(edit_init(&e, big), -E2BIG);
	big[EDIT_MAX - 1] = '\0';
	assert_int_equal(edit_init(&e, big), 0);
	assert_int_equal(type(&e, "b"), EDIT_FULL);
	assert_int_equal(e.len, EDIT_MAX - 1);
	assert_int_equal(type(&e, BS), EDIT_DONE);
	assert_int_equal(type(&e, "\xe2\x82\xac"), EDIT_FULL);
	assert_int_equal(type(&e, "b"), EDIT_DONE);
	assert_int_equal(e.buf[EDIT_MAX - 2], 'b');
	assert_int_equal(e.buf[EDIT_MAX - 1], '\0');
}

static void test_not_editing_keys(void **state)
{
	struct edit e;

	assert_int_equal(edit_init(&e, NULL), 0);
	assert_int_equal(e.len, 0);
	assert_int_equal(type(&e, "\r"), EDIT_NOT_MINE);
	assert_int_equal(type(&e, "\x1b"), EDIT_NOT_MINE);
	assert_int_equal(type(&e, "\x1b[A"), EDIT_NOT_MINE);
	assert_int_equal(type(&e, "\x1b[5~"), EDIT_NOT_MINE);
	assert_int_equal(type(&e, "\x0c"), EDIT_NOT_MINE);
	assert_int_equal(e.len, 0);
}

static void test_text_units(void **state)
{
	bool shown;

	assert_int_equal(text_unit("a", 1, &shown), 1);
	assert_true(shown);
	assert_int_equal(text_unit("\t", 1, &shown), 1);
	assert_false(shown);
	assert_int_equal(text_unit("\x7f", 1, &shown), 1);
	assert_false(shown);
	assert_int_equal(text_unit("\xc2\x9b", 2, &shown), 2);
	assert_false(shown);
	assert_int_equal(text_unit("\xc2\xa0", 2, &shown), 2);
	assert_true(shown);
	assert_int_equal(text_unit("\xe2\x82", 2, &shown), 1);
	assert_false(shown);
	assert_int_equal(text_width("\xc3\xa9t\xc3\xa9", 5), 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_insert_and_move),
		cmocka_unit_test(test_delete),
		cmocka_unit_test(test_kill),
		cmocka_unit_test(test_utf8_moves_by_character),
		cmocka_unit_test(test_deletion_cannot_split_a_character),
		cmocka_unit_test(test_full_line),
		cmocka_unit_test(test_not_editing_keys),
		cmocka_unit_test(test_text_units),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
