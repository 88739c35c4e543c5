/* Host unit tests: boot/menu/key.c, bytes as terminals send them -> keys.
 * Tables of what the Linux console, xterm and serial terminal programs
 * send, then the edge cases: lone Esc only after the idle timeout, CR LF
 * as one Enter, UTF-8, sequences broken by control bytes or line noise. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "menu/key.h"

#define MAXK 64

/* Feed s (len bytes) and, when idle, the timeout; keys into out.
 * Return: how many. */
static size_t decode(const char *s, size_t len, bool idle, struct key *out)
{
	struct key_decoder d;
	struct key k[KEY_FEED_MAX];
	size_t n = 0, i, j, got;

	key_decoder_init(&d);
	for (i = 0; i < len; i++) {
		got = key_feed(&d, (uint8_t)s[i], k);
		assert_true(got <= KEY_FEED_MAX);
		for (j = 0; j < got; j++) {
			assert_true(n < MAXK);
			out[n++] = k[j];
		}
	}
	if (idle) {
		got = key_idle(&d, k);
		assert_true(got <= 1);
		for (j = 0; j < got; j++)
			out[n++] = k[j];
		assert_false(key_pending(&d));
	}
	return n;
}

/* s must decode to exactly one key of code. */
static void one(const char *s, enum key_code code)
{
	struct key out[MAXK];
	size_t n = decode(s, strlen(s), true, out);

	if (n != 1 || out[0].code != code)
		fail_msg("\"%s\": %zu keys, first %d, want %d", s, n,
			 n ? (int)out[0].code : -1, (int)code);
}

static void none(const char *s)
{
	struct key out[MAXK];

	assert_int_equal(decode(s, strlen(s), true, out), 0);
}

static void test_sequences(void **state)
{
	static const struct {
		const char *bytes;
		enum key_code code;
	} table[] = {
		{ "\x1b[A", MKEY_UP }, { "\x1b[B", MKEY_DOWN },
		{ "\x1b[C", MKEY_RIGHT }, { "\x1b[D", MKEY_LEFT },
		/* Application cursor mode (DECCKM), xterm and the console. */
		{ "\x1bOA", MKEY_UP }, { "\x1bOB", MKEY_DOWN },
		{ "\x1bOC", MKEY_RIGHT }, { "\x1bOD", MKEY_LEFT },
		{ "\x1b[H", MKEY_HOME }, { "\x1b[1~", MKEY_HOME },
		{ "\x1bOH", MKEY_HOME }, { "\x1b[7~", MKEY_HOME },
		{ "\x1b[F", MKEY_END }, { "\x1b[4~", MKEY_END },
		{ "\x1bOF", MKEY_END }, { "\x1b[8~", MKEY_END },
		{ "\x1b[3~", MKEY_DELETE },
		{ "\x1b[5~", MKEY_PGUP }, { "\x1b[6~", MKEY_PGDN },
		/* Modifiers do not change the key. */
		{ "\x1b[1;5A", MKEY_UP }, { "\x1b[1;2H", MKEY_HOME },
		{ "\x1b[3;5~", MKEY_DELETE },
		{ "\x1bOM", MKEY_ENTER },
		{ "\x7f", MKEY_BACKSPACE }, { "\x08", MKEY_BACKSPACE },
		{ "\r", MKEY_ENTER }, { "\n", MKEY_ENTER }, { "\r\n", MKEY_ENTER },
		{ "\x1b", MKEY_ESC },
		{ "a", MKEY_TEXT }, { "~", MKEY_TEXT }, { " ", MKEY_TEXT },
		{ "\x01", MKEY_CTRL }, { "\x15", MKEY_CTRL },
	};

	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		one(table[i].bytes, table[i].code);
}

static void test_ignored(void **state)
{
	/* Insert, F-keys in their three dialects, a mouse-ish report,
	 * NUL and the unused controls, stray UTF-8 bytes. */
	none("\x1b[2~");
	none("\x1b[11~");
	none("\x1b[[A");
	none("\x1b[[E");
	none("\x1bOP");
	none("\x1b[?1;2c");
	none("\x1b[99999999999999999999~");
	none("\x1c\x1d\x1e\x1f");
	none("\x80\xbf\xc0\xc1\xf5\xff");
	/* A sequence cut short by the timeout is dropped, not Esc. */
	none("\x1b[");
	none("\x1b[1");
	none("\x1bO");
	none("\xe2\x82");
}

static void test_ctrl_letters(void **state)
{
	struct key out[MAXK];

	/* NUL (a serial BREAK, Ctrl-@) is dropped. */
	assert_int_equal(decode("\0x", 2, true, out), 1);
	assert_int_equal(out[0].text[0], 'x');

	assert_int_equal(decode("\x01\x05\x0b\x15\x17", 5, true, out), 5);
	assert_int_equal(out[0].ctrl, 'a');
	assert_int_equal(out[1].ctrl, 'e');
	assert_int_equal(out[2].ctrl, 'k');
	assert_int_equal(out[3].ctrl, 'u');
	assert_int_equal(out[4].ctrl, 'w');
}

static void test_esc_needs_the_timeout(void **state)
{
	struct key_decoder d;
	struct key k[KEY_FEED_MAX];

	key_decoder_init(&d);
	assert_false(key_pending(&d));
	assert_int_equal(key_feed(&d, 0x1b, k), 0);
	assert_true(key_pending(&d));
	/* Without the timeout nothing comes out... */
	assert_int_equal(key_feed(&d, '[', k), 0);
	assert_int_equal(key_feed(&d, 'B', k), 1);
	assert_int_equal(k[0].code, MKEY_DOWN);
	assert_false(key_pending(&d));
	/* ... with it, Esc. */
	assert_int_equal(key_feed(&d, 0x1b, k), 0);
	assert_int_equal(key_idle(&d, k), 1);
	assert_int_equal(k[0].code, MKEY_ESC);
	assert_int_equal(key_idle(&d, k), 0);
}

static void test_esc_then_key(void **state)
{
	struct key out[MAXK];

	/* Esc and a letter in one read: both (Alt+x, or a fast typist). */
	assert_int_equal(decode("\x1bx", 2, false, out), 2);
	assert_int_equal(out[0].code, MKEY_ESC);
	assert_int_equal(out[1].code, MKEY_TEXT);
	assert_int_equal(out[1].text[0], 'x');
	/* Esc Esc [ A: Esc, then Up. */
	assert_int_equal(decode("\x1b\x1b[A", 4, true, out), 2);
	assert_int_equal(out[0].code, MKEY_ESC);
	assert_int_equal(out[1].code, MKEY_UP);
	/* Esc then Enter. */
	assert_int_equal(decode("\x1b\r", 2, true, out), 2);
	assert_int_equal(out[0].code, MKEY_ESC);
	assert_int_equal(out[1].code, MKEY_ENTER);
}

static void test_enter_forms(void **state)
{
	struct key_decoder d;
	struct key out[MAXK], k[KEY_FEED_MAX];

	/* Two Enters each way a terminal may send them. */
	assert_int_equal(decode("\r\n\r\n", 4, true, out), 2);
	assert_int_equal(decode("\r\r", 2, true, out), 2);
	assert_int_equal(decode("\n\n", 2, true, out), 2);
	assert_int_equal(decode("\n\r", 2, true, out), 2);
	/* An LF after the idle timeout is a key of its own. */
	key_decoder_init(&d);
	assert_int_equal(key_feed(&d, '\r', k), 1);
	assert_true(key_pending(&d));
	assert_int_equal(key_idle(&d, k), 0);
	assert_int_equal(key_feed(&d, '\n', k), 1);
	assert_int_equal(k[0].code, MKEY_ENTER);
	/* CR x LF: the LF is not swallowed. */
	assert_int_equal(decode("\rx\n", 3, true, out), 3);
}

static void test_utf8(void **state)
{
	struct key out[MAXK];
	const char *s = "\xc3\xa9\xe2\x82\xac\xf0\x9f\x90\xa7";

	assert_int_equal(decode(s, strlen(s), true, out), 3);
	assert_int_equal(out[0].len, 2);
	assert_memory_equal(out[0].text, "\xc3\xa9", 2);
	assert_int_equal(out[1].len, 3);
	assert_memory_equal(out[1].text, "\xe2\x82\xac", 3);
	assert_int_equal(out[2].len, 4);
	assert_memory_equal(out[2].text, "\xf0\x9f\x90\xa7", 4);
	/* Overlong, surrogate, C1 control (U+009B is an 8-bit CSI). */
	none("\xe0\x80\xaf");
	none("\xed\xa0\x80");
	none("\xc2\x9b");
	/* A character cut by an ASCII byte: the byte survives. */
	assert_int_equal(decode("\xe2\x82z", 3, true, out), 1);
	assert_int_equal(out[0].text[0], 'z');
	/* ... and by an escape sequence. */
	assert_int_equal(decode("\xe2\x1b[A", 4, true, out), 1);
	assert_int_equal(out[0].code, MKEY_UP);
}

static void test_noise_cannot_swallow_enter(void **state)
{
	struct key out[MAXK];

	/* A control byte ends a sequence and counts as itself. */
	assert_int_equal(decode("\x1b[12\r", 5, true, out), 1);
	assert_int_equal(out[0].code, MKEY_ENTER);
	assert_int_equal(decode("\x1bO\x7f", 3, true, out), 1);
	assert_int_equal(out[0].code, MKEY_BACKSPACE);
	assert_int_equal(decode("\x1b[[\x1b[B", 6, true, out), 1);
	assert_int_equal(out[0].code, MKEY_DOWN);
	/* A high byte too (then dropped as a stray continuation). */
	assert_int_equal(decode("\x1b[1\xa0" "a", 5, true, out), 1);
	assert_int_equal(out[0].text[0], 'a');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sequences),
		cmocka_unit_test(test_ignored),
		cmocka_unit_test(test_ctrl_letters),
		cmocka_unit_test(test_esc_needs_the_timeout),
		cmocka_unit_test(test_esc_then_key),
		cmocka_unit_test(test_enter_forms),
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_noise_cannot_swallow_enter),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
