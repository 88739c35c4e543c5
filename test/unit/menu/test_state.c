/* Host unit tests: boot/menu/state.c, the menu as a state machine.  Keys
 * are typed as terminal bytes through the decoder.  Scenarios: countdown
 * to the default, the first key stops it, arrows, PgUp/PgDn, Home/End,
 * numbers (one and two digits), broken entries, editing for this boot
 * only, the password (right, wrong, three times) and that no key sequence
 * reaches the editor without it. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "menu/key.h"
#include "menu/menu.h"
#include "menu/state.h"

/* printf %s kexshim | sha256sum */
#define KEXSHIM_HEX "4ef6cf99cad7b2c369037249e895103ddbde280a99423b8617a638e9dc5298b3"

static const struct menu_item items3[] = {
	{ .title = "Debian 12", .id = "debian", .options = "root=/dev/vda2 quiet",
	  .note = "default" },
	{ .title = "Debian 12 (rescue)", .id = "rescue", .options = "root=/dev/vda2 single" },
	{ .title = NULL, .id = "old", .options = "ro", .broken = "bzimage: bad magic" },
};

static uint64_t clock_ms;

/* Type bytes; the decoder's idle timeout at the end (a final Esc counts).
 * Keys come 10 ms apart.  Return: the last action that was not NONE. */
static enum menu_action type(struct menu_state *s, const char *bytes)
{
	enum menu_action last = MENU_NONE, a;
	struct key_decoder d;
	struct key k[KEY_FEED_MAX];
	size_t n, i;

	key_decoder_init(&d);
	for (; *bytes; bytes++) {
		n = key_feed(&d, (uint8_t)*bytes, k);
		for (i = 0; i < n; i++) {
			clock_ms += 10;
			a = menu_key(s, &k[i], clock_ms);
			if (a != MENU_NONE)
				last = a;
			if (a == MENU_BOOT)
				return a;
		}
	}
	n = key_idle(&d, k);
	for (i = 0; i < n; i++) {
		a = menu_key(s, &k[i], clock_ms);
		if (a != MENU_NONE)
			last = a;
	}
	return last;
}

static void start(struct menu_state *s, const struct menu_item *items, size_t n,
		  const struct menu_config *cfg)
{
	assert_int_equal(menu_state_init(s, items, n, cfg), 0);
	assert_int_equal(s->screen, MENU_SCREEN_LIST);
}

static void test_countdown_to_default(void **state)
{
	struct menu_config cfg = { .timeout = 3, .default_index = 1 };
	struct menu_state s;

	start(&s, items3, 3, &cfg);
	assert_int_equal(s.sel, 1);
	assert_true(s.counting);
	assert_int_equal(s.countdown, 3);
	assert_int_equal(menu_tick(&s), MENU_REDRAW);
	assert_int_equal(menu_tick(&s), MENU_REDRAW);
	assert_int_equal(s.countdown, 1);
	assert_int_equal(menu_tick(&s), MENU_BOOT);
	assert_int_equal(s.boot_index, 1);
	assert_string_equal(s.boot_options, "root=/dev/vda2 single");
	assert_ptr_equal(s.boot_options, items3[1].options);
	assert_false(s.boot_edited);
	assert_int_equal(menu_tick(&s), MENU_NONE);
}

static void test_no_timeout_waits(void **state)
{
	struct menu_config cfg = { .timeout = 0, .default_index = 7 };
	struct menu_state s;

	start(&s, items3, 3, &cfg);
	assert_int_equal(s.sel, 0); /* past the end: the first */
	assert_false(s.counting);
	for (int i = 0; i < 100; i++)
		assert_int_equal(menu_tick(&s), MENU_NONE);
	assert_int_equal(type(&s, "\r"), MENU_BOOT);
	assert_int_equal(s.boot_index, 0);
	assert_int_equal(menu_state_init(&s, items3, 0, &cfg), -EINVAL);
}

static void test_key_stops_countdown(void **state)
{
	struct menu_config cfg = { .timeout = 5 };
	struct menu_state s;

	start(&s, items3, 3, &cfg);
	assert_int_equal(menu_tick(&s), MENU_REDRAW);
	/* Any key stops it, even one that does nothing else. */
	assert_int_equal(type(&s, "x"), MENU_REDRAW);
	assert_false(s.counting);
	assert_int_equal(s.sel, 0);
	for (int i = 0; i < 10; i++)
		assert_int_equal(menu_tick(&s), MENU_NONE);
	/* The first key also acts. */
	start(&s, items3, 3, &cfg);
	assert_int_equal(type(&s, "\x1b[B"), MENU_REDRAW);
	assert_int_equal(s.sel, 1);
	assert_false(s.counting);
	start(&s, items3, 3, &cfg);
	assert_int_equal(type(&s, "\r"), MENU_BOOT);
	assert_int_equal(s.boot_index, 0);
}

static void test_arrows_and_pages(void **state)
{
	static struct menu_item many[25];
	struct menu_config cfg = { 0 };
	struct menu_state s;

	for (size_t i = 0; i < 25; i++)
		many[i] = (struct menu_item){ .id = "x", .options = "" };
	start(&s, many, 25, &cfg);
	assert_int_equal(type(&s, "\x1b[A"), MENU_NONE); /* at the top */
	type(&s, "\x1b[B\x1b[B\x1bOB");
	assert_int_equal(s.sel, 3);
	type(&s, "\x1bOA");
	assert_int_equal(s.sel, 2);
	type(&s, "\x0e\x0e\x10"); /* Ctrl-N Ctrl-N Ctrl-P */
	assert_int_equal(s.sel, 3);
	s.page = 10;
	type(&s, "\x1b[6~");
	assert_int_equal(s.sel, 13);
	type(&s, "\x1b[6~\x1b[6~");
	assert_int_equal(s.sel, 24);
	assert_int_equal(type(&s, "\x1b[B"), MENU_NONE); /* at the bottom */
	type(&s, "\x1b[5~");
	assert_int_equal(s.sel, 14);
	type(&s, "\x1b[H");
	assert_int_equal(s.sel, 0);
	type(&s, "\x1b[4~");
	assert_int_equal(s.sel, 24);
	type(&s, "\x1b[5~\x1b[5~\x1b[5~");
	assert_int_equal(s.sel, 0);
	type(&s, "\x1bOF");
	assert_int_equal(s.sel, 24);
	type(&s, "\x1b[1~");
	assert_int_equal(s.sel, 0);
	assert_int_equal(type(&s, "\x0c"), MENU_REPAINT); /* Ctrl-L */
}

static void test_numbers(void **state)
{
	static struct menu_item many[12];
	struct menu_config cfg = { 0 };
	struct menu_state s;

	start(&s, items3, 3, &cfg);
	type(&s, "2");
	assert_int_equal(s.sel, 1);
	assert_int_equal(type(&s, "9"), MENU_NONE); /* no item 9 */
	assert_int_equal(s.sel, 1);
	assert_int_equal(type(&s, "0"), MENU_NONE);
	type(&s, "3");
	assert_int_equal(s.sel, 2);
	/* A number only selects; Enter boots. */
	assert_int_equal(s.screen, MENU_SCREEN_LIST);

	for (size_t i = 0; i < 12; i++)
		many[i] = (struct menu_item){ .id = "x" };
	start(&s, many, 12, &cfg);
	type(&s, "12");
	assert_int_equal(s.sel, 11);
	type(&s, "10");
	assert_int_equal(s.sel, 9);
	type(&s, "13"); /* no 13: the 3 starts again */
	assert_int_equal(s.sel, 2);
	/* Too slow for one number: two. */
	type(&s, "1");
	clock_ms += MENU_DIGIT_MS;
	type(&s, "2");
	assert_int_equal(s.sel, 1);
	/* Another key in between ends the number. */
	type(&s, "1\x1b[B" "2");
	assert_int_equal(s.sel, 1);
	/* Three digits never make a number past 12. */
	type(&s, "111");
	assert_int_equal(s.sel, 0);
}

static void test_broken_entry(void **state)
{
	struct menu_config cfg = { .timeout = 5, .editor = true, .default_index = 2 };
	struct menu_state s;

	/* A broken default does not count down: it would boot nothing. */
	start(&s, items3, 3, &cfg);
	assert_int_equal(s.sel, 2);
	assert_false(s.counting);
	assert_int_equal(menu_tick(&s), MENU_NONE);
	/* Enter says why, and stays. */
	assert_int_equal(type(&s, "\r"), MENU_REDRAW);
	assert_string_equal(s.msg, "cannot boot 'old': bzimage: bad magic");
	assert_int_equal(s.screen, MENU_SCREEN_LIST);
	/* So does e. */
	type(&s, "e");
	assert_string_equal(s.msg, "cannot boot 'old': bzimage: bad magic");
	assert_int_equal(s.screen, MENU_SCREEN_LIST);
	/* The message lasts until the next key. */
	assert_int_equal(type(&s, "\x1b[A"), MENU_REDRAW);
	assert_string_equal(s.msg, "");
	assert_int_equal(type(&s, "\r"), MENU_BOOT);
	assert_int_equal(s.boot_index, 1);
}

static void test_edit_for_this_boot(void **state)
{
	struct menu_config cfg = { .timeout = 5, .editor = true };
	struct menu_state s;

	/* Pick the second entry, append " foo=1", boot. */
	start(&s, items3, 3, &cfg);
	assert_int_equal(type(&s, "\x1b[B" "e foo=1\r"), MENU_BOOT);
	assert_int_equal(s.boot_index, 1);
	assert_true(s.boot_edited);
	assert_string_equal(s.boot_options, "root=/dev/vda2 single foo=1");
	/* The entry is unchanged. */
	assert_string_equal(items3[1].options, "root=/dev/vda2 single");

	/* Esc leaves the editor without the edits; Enter then boots the
	 * entry as it is. */
	start(&s, items3, 3, &cfg);
	type(&s, "e\x15init=/bin/sh");
	assert_int_equal(s.screen, MENU_SCREEN_EDIT);
	assert_string_equal(s.edit.buf, "init=/bin/sh");
	assert_int_equal(type(&s, "\x1b"), MENU_REDRAW);
	assert_int_equal(s.screen, MENU_SCREEN_LIST);
	assert_int_equal(type(&s, "\r"), MENU_BOOT);
	assert_false(s.boot_edited);
	assert_string_equal(s.boot_options, "root=/dev/vda2 quiet");
	/* Editing starts again from the entry's options. */
	start(&s, items3, 3, &cfg);
	type(&s, "e\x15x\x1b" "e");
	assert_string_equal(s.edit.buf, "root=/dev/vda2 quiet");
	/* Keys the editor does not use do nothing there. */
	assert_int_equal(type(&s, "\x1b[A\x1b[5~"), MENU_NONE);
	assert_int_equal(s.sel, 0);
	assert_int_equal(type(&s, "\x0c"), MENU_REPAINT);
	/* Ctrl-C leaves too. */
	type(&s, "\x03");
	assert_int_equal(s.screen, MENU_SCREEN_LIST);
}

static void test_edit_limits(void **state)
{
	static char big[EDIT_MAX + 1], full[EDIT_MAX];
	struct menu_item it[2] = { { .id = "big", .options = big },
				   { .id = "full", .options = full } };
	struct menu_config cfg = { .editor = true };
	struct menu_state s;

	memset(big, 'a', EDIT_MAX);
	memset(full, 'b', EDIT_MAX - 1);
	start(&s, it, 2, &cfg);
	type(&s, "e");
	assert_int_equal(s.screen, MENU_SCREEN_LIST);
	assert_string_equal(s.msg, "the options of 'big' are too long to edit "
			    "(over 4095 bytes)");
	type(&s, "\x1b[Be");
	assert_int_equal(s.screen, MENU_SCREEN_EDIT);
	type(&s, "x");
	assert_string_equal(s.msg, "the command line is full (4095 bytes)");
	assert_int_equal(type(&s, "\x7fy\r"), MENU_BOOT);
	assert_int_equal(strlen(s.boot_options), EDIT_MAX - 1);
	assert_int_equal(s.boot_options[EDIT_MAX - 2], 'y');
}

static void test_editor_disabled(void **state)
{
	struct menu_config cfg = { .editor = false };
	struct menu_state s;

	start(&s, items3, 3, &cfg);
	assert_false(menu_can_edit(&s));
	type(&s, "e");
	assert_int_equal(s.screen, MENU_SCREEN_LIST);
	assert_string_equal(s.msg, "editing is disabled");
}

static void password_cfg(struct menu_config *cfg)
{
	*cfg = (struct menu_config){ .editor = true, .has_password = true,
				     .timeout = 5 };
	assert_int_equal(menu_password_parse(KEXSHIM_HEX, cfg->password_sha256), 0);
}

static void test_password_right(void **state)
{
	struct menu_config cfg;
	struct menu_state s;

	password_cfg(&cfg);
	start(&s, items3, 3, &cfg);
	type(&s, "e");
	assert_int_equal(s.screen, MENU_SCREEN_PASSWORD);
	type(&s, "kexshX\x7fim");
	assert_int_equal(s.pw_len, 7);
	assert_int_equal(type(&s, "\r"), MENU_REDRAW);
	assert_int_equal(s.screen, MENU_SCREEN_EDIT);
	/* What was typed is gone from memory. */
	assert_int_equal(s.pw_len, 0);
	for (size_t i = 0; i < sizeof(s.pw); i++)
		assert_int_equal(s.pw[i], 0);
	/* Once given, not asked again this boot. */
	type(&s, "\x1b\x1b[Be");
	assert_int_equal(s.screen, MENU_SCREEN_EDIT);
	assert_int_equal(type(&s, " foo=1\r"), MENU_BOOT);
	assert_string_equal(s.boot_options, "root=/dev/vda2 single foo=1");
}

static void test_password_wrong(void **state)
{
	struct menu_config cfg;
	struct menu_state s;

	password_cfg(&cfg);
	start(&s, items3, 3, &cfg);
	type(&s, "eKexshim\r");
	assert_int_equal(s.screen, MENU_SCREEN_PASSWORD);
	assert_string_equal(s.msg, "wrong password (2 tries left)");
	/* Esc in the prompt is not a failure. */
	type(&s, "\x1b" "e");
	assert_int_equal(s.pw_failures, 1);
	/* Ctrl-U clears what was typed. */
	type(&s, "nonsense\x15kexshim\r");
	assert_int_equal(s.screen, MENU_SCREEN_EDIT);
}

static void test_password_three_times(void **state)
{
	struct menu_config cfg;
	struct menu_state s;

	password_cfg(&cfg);
	start(&s, items3, 3, &cfg);
	assert_true(menu_can_edit(&s));
	type(&s, "e\r");
	assert_string_equal(s.msg, "wrong password (2 tries left)");
	type(&s, "a\r");
	assert_string_equal(s.msg, "wrong password (1 try left)");
	type(&s, "kexshim!\r");
	assert_string_equal(s.msg, "wrong password; editing refused for this boot");
	assert_int_equal(s.screen, MENU_SCREEN_LIST);
	assert_false(menu_can_edit(&s));
	/* Even the right password is not asked for any more. */
	type(&s, "e");
	assert_int_equal(s.screen, MENU_SCREEN_LIST);
	assert_string_equal(s.msg, "editing refused for this boot: 3 wrong passwords");
	type(&s, "kexshim\r");
	assert_int_equal(s.screen, MENU_SCREEN_LIST);
	/* The menu still works: choose and boot as the entry is. */
	assert_int_equal(type(&s, "2\r"), MENU_BOOT);
	assert_int_equal(s.boot_index, 1);
	assert_false(s.boot_edited);
	assert_string_equal(s.boot_options, "root=/dev/vda2 single");
}

/* Random keys, every kind the decoder makes plus the password's own
 * letters, never reach the editor, nor boot an edited line, when the
 * digest is one nobody can type. */
static void test_password_cannot_be_skipped(void **state)
{
	static const char *const keys[] = {
		"e", "E", "\r", "\n", "\x1b", "\x1b[A", "\x1b[B", "\x1b[5~",
		"\x1b[6~", "\x1b[H", "\x1b[F", "\x1b[3~", "\x7f", "\x08", "\x03",
		"\x15", "\x0c", "\x01", "\x05", "1", "2", "3", "0", "k", " ",
		"\xc3\xa9", "\x1bOM", "\x1b" "e", "\x0b", "\x17",
	};
	struct menu_config cfg = { .editor = true, .has_password = true,
				   .timeout = 3 };
	struct menu_item it[3];
	struct menu_state s;
	unsigned seed = 1;

	/* Not even the entry's options nor an empty password open it. */
	memcpy(it, items3, sizeof(it));
	it[2].broken = NULL;
	memset(cfg.password_sha256, 0, sizeof(cfg.password_sha256));
	for (int round = 0; round < 2000; round++) {
		start(&s, it, 3, &cfg);
		for (int i = 0; i < 60; i++) {
			enum menu_action a;

			seed = seed * 1103515245 + 12345;
			if ((seed >> 16) % 8 == 0)
				a = menu_tick(&s);
			else
				a = type(&s, keys[(seed >> 16) % (sizeof(keys) / sizeof(keys[0]))]);
			assert_int_not_equal(s.screen, MENU_SCREEN_EDIT);
			assert_false(s.pw_ok);
			assert_true(s.pw_failures <= MENU_PASSWORD_TRIES);
			assert_true(s.sel < 3);
			if (a == MENU_BOOT) {
				assert_false(s.boot_edited);
				assert_ptr_equal(s.boot_options, it[s.boot_index].options);
				break;
			}
		}
	}
}

static void test_password_backspace_utf8(void **state)
{
	struct menu_config cfg;
	struct menu_state s;

	password_cfg(&cfg);
	start(&s, items3, 3, &cfg);
	type(&s, "eka\xc3\xa9");
	assert_int_equal(s.pw_len, 4);
	type(&s, "\x7f");
	assert_int_equal(s.pw_len, 2);
	type(&s, "\x7f\x7f\x7f");
	assert_int_equal(s.pw_len, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_countdown_to_default),
		cmocka_unit_test(test_no_timeout_waits),
		cmocka_unit_test(test_key_stops_countdown),
		cmocka_unit_test(test_arrows_and_pages),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_broken_entry),
		cmocka_unit_test(test_edit_for_this_boot),
		cmocka_unit_test(test_edit_limits),
		cmocka_unit_test(test_editor_disabled),
		cmocka_unit_test(test_password_right),
		cmocka_unit_test(test_password_wrong),
		cmocka_unit_test(test_password_three_times),
		cmocka_unit_test(test_password_cannot_be_skipped),
		cmocka_unit_test(test_password_backspace_utf8),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
