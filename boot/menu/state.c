/* kexshim menu: the state machine (see state.h).  Pure. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "menu/state.h"

const char *menu_item_title(const struct menu_item *it)
{
	if (it->title && it->title[0])
		return it->title;
	return it->id && it->id[0] ? it->id : "(no title)";
}

static const struct menu_item *selected(const struct menu_state *s)
{
	return &s->items[s->sel];
}

static void say(struct menu_state *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void say(struct menu_state *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s->msg, sizeof(s->msg), fmt, ap);
	va_end(ap);
}

static void say_broken(struct menu_state *s)
{
	say(s, "cannot boot '%s': %s", menu_item_title(selected(s)),
	    selected(s)->broken);
}

int menu_state_init(struct menu_state *s, const struct menu_item *items,
		    size_t n, const struct menu_config *cfg)
{
	if (!n)
		return -EINVAL;
	memset(s, 0, sizeof(*s));
	s->items = items;
	s->n = n;
	s->cfg = cfg;
	s->screen = MENU_SCREEN_LIST;
	s->sel = cfg->default_index < n ? cfg->default_index : 0;
	s->page = MENU_DEFAULT_PAGE;
	/* A broken default would boot nothing at the end: wait instead, and
	 * the status line says why. */
	s->counting = cfg->timeout > 0 && !selected(s)->broken;
	s->countdown = s->counting ? cfg->timeout : 0;
	return 0;
}

bool menu_can_edit(const struct menu_state *s)
{
	return s->cfg->editor &&
	       !(s->cfg->has_password && s->pw_failures >= MENU_PASSWORD_TRIES);
}

static enum menu_action boot(struct menu_state *s, const char *options,
			     bool edited)
{
	s->boot_index = s->sel;
	s->boot_options = options ? options : "";
	s->boot_edited = edited;
	return MENU_BOOT;
}

static enum menu_action move_to(struct menu_state *s, size_t i)
{
	if (i >= s->n)
		i = s->n - 1;
	if (i == s->sel)
		return MENU_NONE;
	s->sel = i;
	return MENU_REDRAW;
}

/* 1-9 select; a digit soon after the last extends the number while the
 * item exists.  Nothing boots until Enter. */
static enum menu_action digit(struct menu_state *s, unsigned d, uint64_t now)
{
	size_t v = d;

	if (s->number && now - s->number_ms < MENU_DIGIT_MS && d <= s->n &&
	    s->number <= (s->n - d) / 10)
		v = s->number * 10 + d;
	if (v < 1 || v > s->n) {
		s->number = 0;
		return MENU_NONE;
	}
	s->number = v;
	s->number_ms = now;
	return move_to(s, v - 1);
}

static void wipe_password(struct menu_state *s)
{
	explicit_bzero(s->pw, sizeof(s->pw));
	s->pw_len = 0;
}

static enum menu_action open_editor(struct menu_state *s)
{
	if (edit_init(&s->edit, selected(s)->options)) {
		say(s, "the options of '%s' are too long to edit (over %d bytes)",
		    menu_item_title(selected(s)), EDIT_MAX - 1);
		return MENU_REDRAW;
	}
	s->screen = MENU_SCREEN_EDIT;
	return MENU_REDRAW;
}

/* `e`: the editor, through the password prompt when there is one. */
static enum menu_action start_edit(struct menu_state *s)
{
	if (!s->cfg->editor) {
		say(s, "editing is disabled");
		return MENU_REDRAW;
	}
	if (selected(s)->broken) {
		say_broken(s);
		return MENU_REDRAW;
	}
	if (s->cfg->has_password && !s->pw_ok) {
		if (s->pw_failures >= MENU_PASSWORD_TRIES) {
			say(s, "editing refused for this boot: %d wrong passwords",
			    MENU_PASSWORD_TRIES);
			return MENU_REDRAW;
		}
		wipe_password(s);
		s->screen = MENU_SCREEN_PASSWORD;
		return MENU_REDRAW;
	}
	return open_editor(s);
}

static enum menu_action list_key(struct menu_state *s, const struct key *k,
				 uint64_t now)
{
	enum key_code code = k->code;

	if (code == MKEY_TEXT && k->text[0] >= '0' && k->text[0] <= '9')
		return digit(s, (unsigned)(k->text[0] - '0'), now);
	s->number = 0;
	if (code == MKEY_CTRL) {
		switch (k->ctrl) {
		case 'p': code = MKEY_UP; break;
		case 'n': code = MKEY_DOWN; break;
		case 'l': return MENU_REPAINT;
		default: return MENU_NONE;
		}
	}
	switch (code) {
	case MKEY_UP:
		return move_to(s, s->sel ? s->sel - 1 : 0);
	case MKEY_DOWN:
		return move_to(s, s->sel + 1);
	case MKEY_PGUP:
		return move_to(s, s->sel > s->page ? s->sel - s->page : 0);
	case MKEY_PGDN:
		return move_to(s, s->n - s->sel > s->page ? s->sel + s->page : s->n);
	case MKEY_HOME:
		return move_to(s, 0);
	case MKEY_END:
		return move_to(s, s->n);
	case MKEY_ENTER:
		if (selected(s)->broken) {
			say_broken(s);
			return MENU_REDRAW;
		}
		return boot(s, selected(s)->options, false);
	case MKEY_TEXT:
		if (k->len == 1 && (k->text[0] == 'e' || k->text[0] == 'E'))
			return start_edit(s);
		return MENU_NONE;
	default:
		return MENU_NONE;
	}
}

static enum menu_action check_password(struct menu_state *s)
{
	bool ok = menu_password_matches(s->pw, s->pw_len, s->cfg->password_sha256);

	wipe_password(s);
	if (ok) {
		s->pw_ok = true;
		return open_editor(s);
	}
	s->pw_failures++;
	if (s->pw_failures >= MENU_PASSWORD_TRIES) {
		s->screen = MENU_SCREEN_LIST;
		say(s, "wrong password; editing refused for this boot");
	} else {
		say(s, "wrong password (%u %s left)",
		    MENU_PASSWORD_TRIES - s->pw_failures,
		    MENU_PASSWORD_TRIES - s->pw_failures == 1 ? "try" : "tries");
	}
	return MENU_REDRAW;
}

static enum menu_action password_key(struct menu_state *s, const struct key *k)
{
	switch (k->code) {
	case MKEY_TEXT:
		if (s->pw_len + k->len > sizeof(s->pw))
			return MENU_NONE;
		memcpy(s->pw + s->pw_len, k->text, k->len);
		s->pw_len += k->len;
		return MENU_REDRAW;
	case MKEY_BACKSPACE:
		/* One character: the prompt shows one '*' per character. */
		while (s->pw_len && (s->pw[--s->pw_len] & 0xc0) == 0x80)
			;
		return MENU_REDRAW;
	case MKEY_ENTER:
		return check_password(s);
	case MKEY_ESC:
		wipe_password(s);
		s->screen = MENU_SCREEN_LIST;
		return MENU_REDRAW;
	case MKEY_CTRL:
		if (k->ctrl == 'u') {
			wipe_password(s);
			return MENU_REDRAW;
		}
		if (k->ctrl == 'c') {
			wipe_password(s);
			s->screen = MENU_SCREEN_LIST;
			return MENU_REDRAW;
		}
		return k->ctrl == 'l' ? MENU_REPAINT : MENU_NONE;
	default:
		return MENU_NONE;
	}
}

static enum menu_action editor_key(struct menu_state *s, const struct key *k)
{
	if (k->code == MKEY_ENTER)
		return boot(s, s->edit.buf, true);
	/* Esc and Ctrl-C leave the entry as it was. */
	if (k->code == MKEY_ESC || (k->code == MKEY_CTRL && k->ctrl == 'c')) {
		s->screen = MENU_SCREEN_LIST;
		return MENU_REDRAW;
	}
	if (k->code == MKEY_CTRL && k->ctrl == 'l')
		return MENU_REPAINT;
	switch (edit_key(&s->edit, k)) {
	case EDIT_DONE:
		return MENU_REDRAW;
	case EDIT_FULL:
		say(s, "the command line is full (%d bytes)", EDIT_MAX - 1);
		return MENU_REDRAW;
	default:
		return MENU_NONE;
	}
}

enum menu_action menu_key(struct menu_state *s, const struct key *k,
			  uint64_t now_ms)
{
	bool changed = s->counting || s->msg[0];
	enum menu_action a;

	s->counting = false;
	s->msg[0] = '\0';
	switch (s->screen) {
	case MENU_SCREEN_LIST:
		a = list_key(s, k, now_ms);
		break;
	case MENU_SCREEN_PASSWORD:
		a = password_key(s, k);
		break;
	default:
		a = editor_key(s, k);
		break;
	}
	return a == MENU_NONE && changed ? MENU_REDRAW : a;
}

enum menu_action menu_tick(struct menu_state *s)
{
	if (!s->counting)
		return MENU_NONE;
	if (--s->countdown)
		return MENU_REDRAW;
	s->counting = false;
	return boot(s, selected(s)->options, false);
}
