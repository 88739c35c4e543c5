/* kexshim menu: the loop that runs the menu on the consoles (see menu.h).
 * Runs in PID 1.  One poll(2) over every console: bytes go through each
 * console's decoder into the one state machine, every console is redrawn
 * from it (each only by the rows it lacks), a tick comes once a second
 * while the countdown runs, and the decoders get their idle timeout. */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "lib/console.h"
#include "lib/error.h"
#include "menu/menu.h"
#include "menu/render.h"
#include "menu/state.h"
#include "menu/tty.h"

static size_t live(const struct ttys *ts)
{
	size_t n = 0;

	for (size_t i = 0; i < ts->n; i++)
		n += ts->t[i].fd >= 0;
	return n;
}

/* A new size (a framebuffer console after a mode change, `stty rows` on
 * a serial line) means a new layout: draw it from scratch. */
static void update_size(struct tty *t)
{
	struct winsize ws = { 0 };

	if (ioctl(t->fd, TIOCGWINSZ, &ws))
		ws.ws_col = ws.ws_row = 0;
	if (t->r.cols && ws.ws_col == t->ws_cols && ws.ws_row == t->ws_rows)
		return;
	t->ws_cols = ws.ws_col;
	t->ws_rows = ws.ws_row;
	render_init(&t->r, ws.ws_col, ws.ws_row);
}

static void draw_all(struct ttys *ts, struct menu_state *s, struct render_buf *b)
{
	size_t page = 0;

	for (size_t i = 0; i < ts->n; i++) {
		struct tty *t = &ts->t[i];

		if (t->fd < 0)
			continue;
		update_size(t);
		b->len = 0;
		/* Out of memory: this frame is skipped, the next one retried. */
		if (!render_frame(&t->r, s, b) && b->len)
			tty_write(ts, i, b->p, b->len);
		if (!page || render_page(&t->r) < page)
			page = render_page(&t->r);
	}
	/* PgUp/PgDn by what the smallest console shows. */
	s->page = page ? page : MENU_DEFAULT_PAGE;
}

static void repaint_all(struct ttys *ts)
{
	for (size_t i = 0; i < ts->n; i++)
		render_reset(&ts->t[i].r);
}

/* Apply keys.  Return: MENU_BOOT as soon as one boots, else MENU_NONE
 * (a repaint is done here). */
static enum menu_action apply(struct ttys *ts, struct menu_state *s,
			      const struct key *k, size_t nk, uint64_t now)
{
	for (size_t j = 0; j < nk; j++) {
		enum menu_action a = menu_key(s, &k[j], now);

		if (a == MENU_BOOT)
			return a;
		if (a == MENU_REPAINT)
			repaint_all(ts);
	}
	return MENU_NONE;
}

/* Read what tty i has.  Return: MENU_BOOT when a key booted. */
static enum menu_action read_keys(struct ttys *ts, size_t i,
				  struct menu_state *s, uint64_t now)
{
	struct tty *t = &ts->t[i];
	struct key k[KEY_FEED_MAX];
	uint8_t buf[256];
	ssize_t n;

	n = read(t->fd, buf, sizeof(buf));
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return MENU_NONE;
	if (n <= 0) {
		tty_drop(ts, i); /* EOF or EIO: hung up */
		return MENU_NONE;
	}
	t->last_byte_ms = now;
	for (ssize_t j = 0; j < n; j++)
		if (apply(ts, s, k, key_feed(&t->dec, buf[j], k), now) == MENU_BOOT)
			return MENU_BOOT;
	return MENU_NONE;
}

/* Return: how long poll() may sleep: until the next tick while the
 * countdown runs, until a decoder's idle timeout while it waits; else
 * -1 (forever). */
static int poll_timeout(const struct ttys *ts, const struct menu_state *s,
			uint64_t now, uint64_t next_tick)
{
	uint64_t wait = UINT64_MAX, at;

	if (s->counting)
		wait = next_tick > now ? next_tick - now : 0;
	for (size_t i = 0; i < ts->n; i++) {
		const struct tty *t = &ts->t[i];

		if (t->fd < 0 || !key_pending(&t->dec))
			continue;
		at = t->last_byte_ms + KEY_ESC_TIMEOUT_MS;
		at = at > now ? at - now : 0;
		if (at < wait)
			wait = at;
	}
	return wait == UINT64_MAX ? -1 : (int)wait;
}

/* Return: 0 when an item boots, -ECANCELED (kx_fail) when every console
 * was left out. */
static int loop(struct ttys *ts, struct menu_state *s, struct render_buf *b)
{
	uint64_t now = tty_now_ms(), next_tick = now + 1000;
	struct pollfd pfd[TTY_MAX];
	struct key k[KEY_FEED_MAX];
	size_t i;

	for (;;) {
		draw_all(ts, s, b);
		if (!live(ts))
			return kx_fail(ECANCELED, "menu: every console hung up or "
				       "stalled (%s)", ts->dropped);
		for (i = 0; i < ts->n; i++)
			pfd[i] = (struct pollfd){ .fd = ts->t[i].fd, .events = POLLIN };
		/* Drawing on a slow line takes its time. */
		now = tty_now_ms();
		if (poll(pfd, ts->n, poll_timeout(ts, s, now, next_tick)) < 0 &&
		    errno != EINTR)
			return kx_fail(errno, "menu: poll: %s", strerror(errno));
		now = tty_now_ms();
		for (i = 0; i < ts->n; i++) {
			if (ts->t[i].fd < 0 || !pfd[i].revents)
				continue;
			/* A hang-up with bytes left is read first. */
			if (read_keys(ts, i, s, now) == MENU_BOOT)
				return 0;
		}
		for (i = 0; i < ts->n; i++) {
			struct tty *t = &ts->t[i];

			if (t->fd < 0 || !key_pending(&t->dec) ||
			    now - t->last_byte_ms < KEY_ESC_TIMEOUT_MS)
				continue;
			if (apply(ts, s, k, key_idle(&t->dec, k), now) == MENU_BOOT)
				return 0;
		}
		/* Catch up when something (a slow write) held us past a
		 * second. */
		while (s->counting && now >= next_tick) {
			next_tick += 1000;
			if (menu_tick(s) == MENU_BOOT)
				return 0;
		}
	}
}

int menu_run(const char *root, const struct menu_item *items, size_t n,
	     const struct menu_config *cfg, struct menu_choice *out)
{
	struct render_buf b = { 0 };
	struct menu_state *s;
	struct ttys *ts;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!n)
		return kx_fail(EINVAL, "menu: no entries to show");
	s = malloc(sizeof(*s));
	ts = malloc(sizeof(*ts));
	if (!s || !ts) {
		rc = kx_fail(ENOMEM, "menu: out of memory");
		goto free_state;
	}
	menu_state_init(s, items, n, cfg);
	rc = tty_open_all(root, ts);
	if (rc < 0) {
		rc = kx_fail(ECANCELED, "%s", kx_last_error());
		goto free_state;
	}
	if (!rc) {
		rc = kx_fail(ECANCELED, "menu: no console to show it on "
			     "(none in /sys/class/tty/console/active opens as a terminal)");
		goto free_state;
	}
	rc = loop(ts, s, &b);
	for (size_t i = 0; i < ts->n; i++) {
		if (ts->t[i].fd < 0)
			continue;
		b.len = 0;
		if (!render_leave(&b))
			tty_write(ts, i, b.p, b.len);
	}
	tty_close_all(ts);
	if (ts->dropped[0])
		con_warn("menu: left out %s: it hung up or took no output", ts->dropped);
	if (!rc) {
		out->index = s->boot_index;
		out->edited = s->boot_edited;
		out->options = strdup(s->boot_options);
		rc = out->options ? (int)out->index : kx_fail(ENOMEM, "menu: out of memory");
	}
free_state:
	render_buf_free(&b);
	free(ts);
	free(s);
	return rc;
}

void menu_choice_free(struct menu_choice *c)
{
	free(c->options);
	c->options = NULL;
}

bool menu_key_waiting(const char *root, unsigned ms)
{
	struct pollfd pfd[TTY_MAX];
	struct key k[KEY_FEED_MAX];
	uint64_t now, end;
	struct ttys *ts;
	bool got = false;
	uint8_t buf[64];
	ssize_t n;
	size_t i;

	ts = malloc(sizeof(*ts));
	if (!ts || tty_open_all(root, ts) <= 0) {
		free(ts);
		return false;
	}
	ms = ms > INT_MAX ? INT_MAX : ms;
	now = tty_now_ms();
	end = now + ms;
	do {
		for (i = 0; i < ts->n; i++)
			pfd[i] = (struct pollfd){ .fd = ts->t[i].fd, .events = POLLIN };
		if (poll(pfd, ts->n, (int)(end - now)) < 0 && errno != EINTR)
			break;
		for (i = 0; i < ts->n && !got; i++) {
			if (ts->t[i].fd < 0 || !pfd[i].revents)
				continue;
			n = read(ts->t[i].fd, buf, sizeof(buf));
			if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
				tty_drop(ts, i);
			for (ssize_t j = 0; j < n && !got; j++)
				got = key_feed(&ts->t[i].dec, buf[j], k) > 0;
		}
		now = tty_now_ms();
	} while (!got && now < end && live(ts));
	/* A lone Esc at the very end is a key too. */
	for (i = 0; i < ts->n && !got; i++)
		got = ts->t[i].fd >= 0 && key_idle(&ts->t[i].dec, k) > 0;
	tty_close_all(ts);
	free(ts);
	return got;
}
