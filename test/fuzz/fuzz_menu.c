/* fuzz: the menu's key decoder and state machine on random terminal bytes
 * and ticks.  Input layout:
 *   byte 0  bits 0-2: items - 1 (1..8); bits 3-4: password (0, 3: none,
 *           1: "kexshim", 2: a digest nobody can type); bit 5: editor on;
 *           bits 6-7: the terminal (0x0 = 80x24, 20x8, 33x9, 120x40)
 *   byte 1  default index (may be out of range)
 *   byte 2  timeout in seconds (mod 8)
 *   byte 3  bit i: item i is broken
 *   then    0xff a tick, 0xfe the decoder's idle timeout, 0xfd one second
 *           without keys, any other byte fed to the decoder
 * Checks after every event: decoded keys are what key.h promises; the
 * selection is in range; the editor's cursor is within the line and on a
 * character start; the countdown runs only until the first key; the
 * editor is never open without the password when one is set (and never
 * with the untypeable one); a boot names a bootable item with its own
 * options, or the editor's line when it was open.  Every state is drawn
 * on a VT100 model (test/unit/menu/vt.h): only known sequences, nothing
 * in the last column, the cursor on the character the editor's cursor
 * names; now and then and at the end the screen built from redraws must
 * equal one drawn from scratch (with the same scroll positions). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/sha256.h"
#include "common/utf8.h"
#include "menu/key.h"
#include "menu/menu.h"
#include "menu/render.h"
#include "menu/state.h"
#include "menu/text.h"
#include "test/unit/menu/vt.h"

#define CHECK(c) do { if (!(c)) { \
	fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #c); \
	abort(); } } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The portable rounds: what is fuzzed is the menu, not the CPU's SHA
 * instructions (boot/arch/x86_64's block function needs their assembly). */
void sha256_blocks(uint32_t h[8], const uint8_t *p, size_t nblocks)
{
	sha256_blocks_generic(h, p, nblocks);
}

/* printf %s kexshim | sha256sum */
static const uint8_t kexshim_sha256[MENU_DIGEST_SIZE] = {
	0x4e, 0xf6, 0xcf, 0x99, 0xca, 0xd7, 0xb2, 0xc3, 0x69, 0x03, 0x72,
	0x49, 0xe8, 0x95, 0x10, 0x3d, 0xdb, 0xde, 0x28, 0x0a, 0x99, 0x42,
	0x3b, 0x86, 0x17, 0xa6, 0x38, 0xe9, 0xdc, 0x52, 0x98, 0xb3,
};

static char long_options[EDIT_MAX + 8];  /* too long to edit */
static char full_options[EDIT_MAX - 2];  /* one byte short of full */

static struct menu_item items[8] = {
	{ .title = "Debian GNU/Linux 12", .id = "debian", .options = "root=/dev/vda2 ro quiet",
	  .note = "default" },
	{ .title = NULL, .id = "rescue", .options = NULL },
	{ .title = "", .id = NULL, .options = "a\xff" "b\xe2x\x82\xac \xc3\xa9", .note = "tries left 2" },
	{ .title = "t\x1b[2Jitle\n", .id = "ctl", .options = "console=ttyS0" },
	{ .title = "long", .id = "long", .options = long_options },
	{ .title = "full", .id = "full", .options = full_options },
	{ .title = "\xf0\x9f\x90\xa7 Tux", .id = "tux", .options = "init=/bin/sh" },
	{ .title = "last", .id = "last", .options = "" },
};

static void check_edit(const struct edit *e)
{
	size_t p = 0;

	CHECK(e->len < EDIT_MAX);
	CHECK(e->buf[e->len] == '\0');
	CHECK(e->cur <= e->len);
	while (p < e->cur)
		p += text_unit(e->buf + p, e->len - p, NULL);
	CHECK(p == e->cur);
}

static void check_key(const struct key *k)
{
	uint32_t cp;

	CHECK(k->code >= MKEY_TEXT && k->code <= MKEY_PGDN);
	if (k->code == MKEY_TEXT) {
		CHECK(k->len >= 1 && k->len <= 4);
		CHECK(utf8_decode(k->text, k->len, &cp) == k->len);
		CHECK(cp >= 0x20 && cp != 0x7f && (cp < 0x80 || cp >= 0xa0));
	}
	if (k->code == MKEY_CTRL)
		CHECK(k->ctrl >= 'a' && k->ctrl <= 'z');
}

struct run {
	struct menu_state s;
	const struct menu_config *cfg;
	size_t n;
	int password;        /* 0 none, 1 typeable, 2 not */
	bool key_seen;       /* since the last start */
	struct render r;     /* the terminal, redrawn after every event */
	struct vt vt;
	unsigned events;
};

static struct vt fresh;

/* The cell under the cursor shows the character the editor's cursor is
 * on (a blank at the end of the line). */
static void check_cursor(const struct run *r)
{
	const struct menu_state *s = &r->s;
	const struct edit *e = &s->edit;
	const char *cell = r->vt.cell[r->vt.row][r->vt.col];
	bool shown;
	size_t u;

	CHECK(r->vt.cursor_shown == (s->screen != MENU_SCREEN_LIST));
	if (s->screen != MENU_SCREEN_EDIT)
		return;
	CHECK(r->vt.row == r->r.rows - 2);
	if (e->cur == e->len) {
		CHECK(!cell[0] || !strcmp(cell, " "));
		return;
	}
	u = text_unit(e->buf + e->cur, e->len - e->cur, &shown);
	if (shown)
		CHECK(strlen(cell) == u && !memcmp(cell, e->buf + e->cur, u));
	else
		CHECK(!strcmp(cell, "?"));
}

static void draw(struct run *r, bool compare)
{
	struct render_buf b = { 0 };
	struct render again;

	CHECK(render_frame(&r->r, &r->s, &b) == 0);
	vt_feed(&r->vt, b.p, b.len);
	if (r->vt.error[0])
		fprintf(stderr, "vt: %s\n", r->vt.error);
	CHECK(!r->vt.error[0]);
	CHECK(!r->vt.last_col);
	CHECK(r->vt.row < r->r.rows && r->vt.col < r->r.cols - 1);
	check_cursor(r);
	if (!compare)
		goto out;
	/* The same scroll positions (they depend on the history), drawn
	 * from scratch. */
	b.len = 0;
	again = r->r;
	render_reset(&again);
	CHECK(render_frame(&again, &r->s, &b) == 0);
	CHECK(again.top == r->r.top && again.edit_left == r->r.edit_left);
	vt_init(&fresh, again.rows, again.cols);
	vt_feed(&fresh, b.p, b.len);
	CHECK(vt_same(&r->vt, &fresh));
out:
	render_buf_free(&b);
}

static void restart(struct run *r)
{
	CHECK(menu_state_init(&r->s, items, r->n, r->cfg) == 0);
	r->s.page = render_page(&r->r);
	r->key_seen = false;
}

static void check_state(const struct run *r)
{
	const struct menu_state *s = &r->s;

	CHECK(s->sel < r->n);
	CHECK(s->screen == MENU_SCREEN_LIST || s->screen == MENU_SCREEN_PASSWORD ||
	      s->screen == MENU_SCREEN_EDIT);
	CHECK(memchr(s->msg, '\0', sizeof(s->msg)));
	CHECK(s->pw_len <= sizeof(s->pw));
	CHECK(s->pw_failures <= MENU_PASSWORD_TRIES);
	if (s->counting) {
		CHECK(!r->key_seen);
		CHECK(s->countdown >= 1 && s->countdown <= r->cfg->timeout);
		CHECK(!items[s->sel].broken);
	}
	if (s->screen == MENU_SCREEN_PASSWORD)
		CHECK(r->password && !s->pw_ok &&
		      s->pw_failures < MENU_PASSWORD_TRIES);
	if (s->screen == MENU_SCREEN_EDIT) {
		CHECK(r->cfg->editor);
		CHECK(!r->password || s->pw_ok);
		CHECK(!items[s->sel].broken);
		check_edit(&s->edit);
	}
	if (r->password == 2)
		CHECK(!s->pw_ok && s->screen != MENU_SCREEN_EDIT);
}

static void act(struct run *r, enum menu_action a, enum menu_screen before)
{
	const struct menu_state *s = &r->s;
	const char *own;

	CHECK(a >= MENU_NONE && a <= MENU_BOOT);
	if (a != MENU_BOOT) {
		check_state(r);
		if (a == MENU_REPAINT)
			render_reset(&r->r);
		draw(r, ++r->events % 32 == 0);
		return;
	}
	CHECK(s->boot_index == s->sel && s->boot_index < r->n);
	CHECK(!items[s->boot_index].broken);
	own = items[s->boot_index].options;
	if (s->boot_edited) {
		CHECK(before == MENU_SCREEN_EDIT);
		CHECK(s->boot_options == s->edit.buf);
		check_edit(&s->edit);
	} else {
		CHECK(before == MENU_SCREEN_LIST);
		CHECK(own ? s->boot_options == own : !strcmp(s->boot_options, ""));
	}
	restart(r);
}

static void key(struct run *r, const struct key *k, uint64_t now)
{
	enum menu_screen before = r->s.screen;
	enum menu_action a;

	check_key(k);
	a = menu_key(&r->s, k, now);
	r->key_seen = true;
	act(r, a, before);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct menu_config cfg = { 0 };
	struct key_decoder d;
	struct key k[KEY_FEED_MAX];
	static const unsigned term[4][2] = { { 0, 0 }, { 20, 8 }, { 33, 9 }, { 120, 40 } };
	static struct run r;
	uint64_t now = 0;
	size_t i, j, got;

	if (size < 4)
		return 0;
	memset(long_options, 'L', sizeof(long_options) - 1);
	memset(full_options, 'F', sizeof(full_options) - 1);
	memset(&r, 0, sizeof(r));
	r.cfg = &cfg;
	render_init(&r.r, term[data[0] >> 6][0], term[data[0] >> 6][1]);
	vt_init(&r.vt, r.r.rows, r.r.cols);
	r.n = (data[0] & 7) + 1;
	r.password = (data[0] >> 3 & 3) % 3;
	cfg.editor = data[0] & 0x20;
	cfg.default_index = data[1];
	cfg.timeout = data[2] % 8;
	cfg.has_password = r.password;
	if (r.password == 1)
		memcpy(cfg.password_sha256, kexshim_sha256, MENU_DIGEST_SIZE);
	for (i = 0; i < 8; i++)
		items[i].broken = data[3] >> i & 1 ? "bzimage: bad magic" : NULL;
	restart(&r);
	check_state(&r);
	draw(&r, false);
	key_decoder_init(&d);

	for (i = 4; i < size; i++) {
		if (data[i] == 0xff) {
			enum menu_screen before = r.s.screen;

			act(&r, menu_tick(&r.s), before);
			continue;
		}
		if (data[i] == 0xfd) {
			now += 1000;
			continue;
		}
		if (data[i] == 0xfe)
			got = key_idle(&d, k);
		else
			got = key_feed(&d, data[i], k);
		CHECK(got <= (data[i] == 0xfe ? 1u : KEY_FEED_MAX));
		for (j = 0; j < got; j++)
			key(&r, &k[j], now += 7);
		if (data[i] == 0xfe)
			CHECK(!key_pending(&d));
	}
	draw(&r, true);
	return 0;
}
