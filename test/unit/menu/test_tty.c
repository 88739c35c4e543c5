/* Host unit tests: boot/menu/run.c, tty.c and mode.c, end to end on
 * pseudo-terminals standing in for consoles.  A fake root has
 * sys/class/tty/console/active and dev/<name> -> /dev/pts/N; menu_run()
 * runs in a thread while the test types into the master side, as a
 * person on a serial line would, and reads back what was drawn. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "lib/error.h"
#include "menu/menu.h"
#include "menu/tty.h"
#include "vt.h"

static const struct menu_item items3[] = {
	{ .title = "Debian 12", .id = "debian", .options = "root=/dev/vda2 quiet",
	  .note = "default" },
	{ .title = "Debian 12 (rescue)", .id = "rescue", .options = "root=/dev/vda2 single" },
	{ .title = NULL, .id = "old", .options = "ro", .broken = "bzimage: bad magic" },
};

struct pty {
	int master, slave;
	char path[64];
	char out[65536]; /* what the menu drew */
	size_t out_len;
};

static char root[64];

static void write_file(const char *rel, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s%s", root, rel);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void make_root(void)
{
	char path[256];

	strcpy(root, "/tmp/kexshim-menu-XXXXXX");
	assert_non_null(mkdtemp(root));
	const char *dirs[] = { "/sys", "/sys/class", "/sys/class/tty",
			       "/sys/class/tty/console", "/dev" };
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(path, sizeof(path), "%s%s", root, dirs[i]);
		assert_int_equal(mkdir(path, 0755), 0);
	}
}

static void remove_root(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	assert_int_equal(system(cmd), 0);
}

/* A pty named root/dev/<name>, cols x rows (0 x 0 as a serial line). */
static void pty_open(struct pty *p, const char *name, unsigned cols, unsigned rows)
{
	struct winsize ws = { .ws_row = (unsigned short)rows,
			      .ws_col = (unsigned short)cols };
	char link[256];

	memset(p, 0, sizeof(*p));
	p->master = posix_openpt(O_RDWR | O_NOCTTY);
	assert_true(p->master >= 0);
	assert_int_equal(grantpt(p->master), 0);
	assert_int_equal(unlockpt(p->master), 0);
	assert_int_equal(ptsname_r(p->master, p->path, sizeof(p->path)), 0);
	/* Held open so that the menu's close is not a hang-up. */
	p->slave = open(p->path, O_RDWR | O_NOCTTY);
	assert_true(p->slave >= 0);
	assert_int_equal(ioctl(p->master, TIOCSWINSZ, &ws), 0);
	assert_int_equal(fcntl(p->master, F_SETFL, O_NONBLOCK), 0);
	snprintf(link, sizeof(link), "%s/dev/%s", root, name);
	assert_int_equal(symlink(p->path, link), 0);
}

static void pty_close(struct pty *p)
{
	if (p->master >= 0)
		close(p->master);
	close(p->slave);
}

static void pty_drain(struct pty *p)
{
	ssize_t n;

	while (p->out_len < sizeof(p->out) &&
	       (n = read(p->master, p->out + p->out_len,
			 sizeof(p->out) - p->out_len)) > 0)
		p->out_len += (size_t)n;
}

static bool pty_raw(const struct pty *p)
{
	struct termios t;

	return !tcgetattr(p->slave, &t) && !(t.c_lflag & (ICANON | ECHO));
}

static void sleep_ms(unsigned ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* Wait (reading what is drawn) until the menu has put the pty in raw
 * mode and drawn something. */
static void wait_menu(struct pty *p)
{
	for (int i = 0; i < 500; i++) {
		pty_drain(p);
		if (pty_raw(p) && p->out_len)
			return;
		sleep_ms(10);
	}
	fail_msg("the menu did not start");
}

static bool drew(const struct pty *p, const char *text)
{
	return memmem(p->out, p->out_len, text, strlen(text)) != NULL;
}

/* Wait until text was drawn (all keys of one read are applied before
 * the next frame, so a test that wants to see a step waits for it). */
static void wait_drawn(struct pty *p, const char *text)
{
	for (int i = 0; i < 500; i++) {
		pty_drain(p);
		if (drew(p, text))
			return;
		sleep_ms(10);
	}
	fail_msg("never drawn: \"%s\"", text);
}

static void type(struct pty *p, const char *bytes)
{
	assert_int_equal(write(p->master, bytes, strlen(bytes)), (ssize_t)strlen(bytes));
}

struct run {
	pthread_t thread;
	const struct menu_item *items;
	size_t n;
	struct menu_config cfg;
	struct menu_choice choice;
	int rc;
	volatile bool done;
};

static void *run_thread(void *arg)
{
	struct run *r = arg;

	r->rc = menu_run(root, r->items, r->n, &r->cfg, &r->choice);
	r->done = true;
	return NULL;
}

static void start(struct run *r)
{
	r->done = false;
	assert_int_equal(pthread_create(&r->thread, NULL, run_thread, r), 0);
}

/* Join, reading what is drawn meanwhile (the pty buffer must not fill). */
static void finish(struct run *r, struct pty *p, size_t np)
{
	for (int i = 0; !r->done; i++) {
		for (size_t j = 0; j < np; j++)
			pty_drain(&p[j]);
		if (i == 1000)
			fail_msg("menu_run did not return");
		sleep_ms(10);
	}
	pthread_join(r->thread, NULL);
	for (size_t j = 0; j < np; j++)
		pty_drain(&p[j]);
}

/* Play everything drawn on a VT100 model: only known sequences, nothing
 * in the last column, and a clear screen at the end. */
static void check_screen(const struct pty *p, unsigned rows, unsigned cols)
{
	static struct vt vt;

	vt_init(&vt, rows, cols);
	vt_feed(&vt, p->out, p->out_len);
	if (vt.error[0])
		fail_msg("vt: %s", vt.error);
	assert_false(vt.last_col);
	assert_true(vt.cursor_shown);
	for (unsigned r = 0; r < rows; r++)
		assert_string_equal(vt_row(&vt, r), "");
}

static int setup(void **state)
{
	make_root();
	return 0;
}

static int teardown(void **state)
{
	remove_root();
	return 0;
}

static void test_pick_second_edit_boot(void **state)
{
	struct run r = { .items = items3, .n = 3,
			 .cfg = { .timeout = 10, .editor = true } };
	struct termios before, after;
	struct pty p;

	pty_open(&p, "ttyS0", 0, 0);
	write_file("/sys/class/tty/console/active", "ttyS0\n");
	assert_int_equal(tcgetattr(p.slave, &before), 0);
	start(&r);
	wait_menu(&p);
	assert_true(drew(&p, "Booting 'Debian 12' in 10 s; any key stops"));
	/* Down, e, End, " foo=1", Enter. */
	type(&p, "\x1b[B");
	wait_drawn(&p, "> 2. Debian 12 (rescue)");
	type(&p, "e");
	wait_drawn(&p, "Edit 'Debian 12 (rescue)' (this boot only):");
	type(&p, "\x1b[F" " foo=1");
	wait_drawn(&p, " root=/dev/vda2 single foo=1");
	type(&p, "\r");
	finish(&r, &p, 1);
	assert_int_equal(r.rc, 1);
	assert_int_equal(r.choice.index, 1);
	assert_true(r.choice.edited);
	assert_string_equal(r.choice.options, "root=/dev/vda2 single foo=1");
	menu_choice_free(&r.choice);
	assert_null(r.choice.options);
	/* 80x24 when the terminal says 0x0; the screen is clear for the
	 * boot messages. */
	check_screen(&p, 24, 80);
	/* The terminal is back in the mode it had. */
	assert_int_equal(tcgetattr(p.slave, &after), 0);
	assert_int_equal(after.c_lflag, before.c_lflag);
	assert_int_equal(after.c_iflag, before.c_iflag);
	pty_close(&p);
}

static void test_countdown_boots_default(void **state)
{
	struct run r = { .items = items3, .n = 3,
			 .cfg = { .timeout = 1, .default_index = 1 } };
	struct pty p;

	pty_open(&p, "ttyS0", 40, 12);
	write_file("/sys/class/tty/console/active", "ttyS0");
	start(&r);
	finish(&r, &p, 1);
	assert_int_equal(r.rc, 1);
	assert_false(r.choice.edited);
	assert_string_equal(r.choice.options, "root=/dev/vda2 single");
	menu_choice_free(&r.choice);
	assert_true(drew(&p, "Booting 'Debian 12 (rescue)' in 1 s"));
	check_screen(&p, 12, 40);
	pty_close(&p);
}

static void test_broken_then_esc_in_editor(void **state)
{
	struct run r = { .items = items3, .n = 3, .cfg = { .editor = true } };
	struct pty p;

	pty_open(&p, "ttyS0", 60, 12);
	write_file("/sys/class/tty/console/active", "ttyS0");
	start(&r);
	wait_menu(&p);
	type(&p, "3\r");
	wait_drawn(&p, "cannot boot 'old': bzimage: bad magic");
	/* Esc alone: only the idle timeout tells it from a sequence. */
	type(&p, "1e\x15init=/bin/sh");
	wait_drawn(&p, " init=/bin/sh");
	p.out_len = 0; /* from here on: what the Esc redraws */
	type(&p, "\x1b");
	wait_drawn(&p, "options: root=/dev/vda2 quiet");
	type(&p, "\r");
	finish(&r, &p, 1);
	assert_int_equal(r.rc, 0);
	assert_false(r.choice.edited);
	assert_string_equal(r.choice.options, "root=/dev/vda2 quiet");
	menu_choice_free(&r.choice);
	pty_close(&p);
}

static void test_password_on_the_line(void **state)
{
	struct run r = { .items = items3, .n = 3,
			 .cfg = { .editor = true, .has_password = true } };
	struct pty p;

	/* printf %s kexshim | sha256sum */
	assert_int_equal(menu_password_parse(
		"4ef6cf99cad7b2c369037249e895103ddbde280a99423b8617a638e9dc5298b3",
		r.cfg.password_sha256), 0);
	pty_open(&p, "ttyS0", 60, 12);
	write_file("/sys/class/tty/console/active", "ttyS0");
	start(&r);
	wait_menu(&p);
	type(&p, "e");
	wait_drawn(&p, "Editing needs the password.");
	type(&p, "wrong");
	wait_drawn(&p, "Password: *****");
	type(&p, "\r");
	wait_drawn(&p, "wrong password (2 tries left)");
	type(&p, "kexshim");
	wait_drawn(&p, "Password: *******");
	type(&p, "\r\x15" "quiet\r");
	finish(&r, &p, 1);
	assert_int_equal(r.rc, 0);
	assert_true(r.choice.edited);
	assert_string_equal(r.choice.options, "quiet");
	menu_choice_free(&r.choice);
	/* Stars, never the password, and nothing echoed by the terminal. */
	assert_false(drew(&p, "ewrong"));
	assert_false(drew(&p, "Password: w"));
	assert_false(drew(&p, "Password: k"));
	assert_false(drew(&p, "kexshim\r"));
	pty_close(&p);
}

static void test_every_console(void **state)
{
	struct run r = { .items = items3, .n = 3, .cfg = { .timeout = 30 } };
	struct pty p[2];

	pty_open(&p[0], "tty0", 100, 30);
	pty_open(&p[1], "ttyS0", 0, 0);
	/* Listed twice and with a name that is not there: each once. */
	write_file("/sys/class/tty/console/active", "tty0 ttyS0 ttyS0 ttyAMA7\n");
	start(&r);
	wait_menu(&p[0]);
	wait_menu(&p[1]);
	/* A key on either console drives the one menu on both. */
	type(&p[0], "\x1b[B");
	wait_drawn(&p[1], "> 2. Debian 12 (rescue)");
	type(&p[1], "\x1b[B\x1b[A\r");
	finish(&r, p, 2);
	assert_int_equal(r.rc, 1);
	menu_choice_free(&r.choice);
	assert_true(drew(&p[0], "> 2. Debian 12 (rescue)"));
	check_screen(&p[0], 30, 100);
	check_screen(&p[1], 24, 80);
	pty_close(&p[0]);
	pty_close(&p[1]);
}

static void test_no_console(void **state)
{
	struct menu_config cfg = { .timeout = 3 };
	struct menu_choice c;

	/* No list at all (no sysfs): nothing to show it on. */
	assert_int_equal(menu_run(root, items3, 3, &cfg, &c), -ECANCELED);
	assert_non_null(strstr(kx_last_error(), "menu: "));
	assert_null(c.options);
	/* Listed but missing, or not a terminal. */
	write_file("/sys/class/tty/console/active", "ttyS0 ../null netcon0\n");
	write_file("/dev/netcon0", "");
	assert_int_equal(menu_run(root, items3, 3, &cfg, &c), -ECANCELED);
	assert_string_equal(kx_last_error(), "menu: no console to show it on "
			    "(none in /sys/class/tty/console/active opens as a terminal)");
	assert_int_equal(menu_run(root, items3, 0, &cfg, &c), -EINVAL);
	assert_false(menu_key_waiting(root, 0));
}

static void test_hang_up(void **state)
{
	struct run r = { .items = items3, .n = 3, .cfg = { 0 } };
	struct pty p;

	pty_open(&p, "ttyS0", 0, 0);
	write_file("/sys/class/tty/console/active", "ttyS0");
	start(&r);
	wait_menu(&p);
	close(p.master);
	p.master = -1;
	finish(&r, &p, 0);
	assert_int_equal(r.rc, -ECANCELED);
	assert_non_null(strstr(kx_last_error(), "every console hung up"));
	pty_close(&p);
}

/* Nobody reads the other end: once the pty's buffer is full, writes
 * wait TTY_STALL_MS and the console is left out, so the boot goes on. */
static void test_stalled_console(void **state)
{
	struct run r = { .items = items3, .n = 3, .cfg = { 0 } };
	struct pty p;

	pty_open(&p, "ttyS0", 0, 0);
	write_file("/sys/class/tty/console/active", "ttyS0");
	start(&r);
	/* Ctrl-L repaints the whole screen, about 1 KiB each. */
	for (int i = 0; i < 400 && !r.done; i++) {
		type(&p, "\x0c");
		sleep_ms(2);
	}
	for (int i = 0; i < 1000 && !r.done; i++)
		sleep_ms(10);
	assert_true(r.done);
	pthread_join(r.thread, NULL);
	assert_int_equal(r.rc, -ECANCELED);
	pty_close(&p);
}

static void test_key_waiting(void **state)
{
	struct timespec a, b;
	struct pty p;
	long ms;

	pty_open(&p, "ttyS0", 0, 0);
	write_file("/sys/class/tty/console/active", "ttyS0");
	clock_gettime(CLOCK_MONOTONIC, &a);
	assert_false(menu_key_waiting(root, 150));
	clock_gettime(CLOCK_MONOTONIC, &b);
	ms = (b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000;
	assert_true(ms >= 140 && ms < 1000);
	/* A key typed before (in the canonical mode the kernel left) counts. */
	type(&p, "x");
	assert_true(menu_key_waiting(root, 0));
	/* ... and is used up. */
	assert_false(menu_key_waiting(root, 0));
	/* Noise is not a key; a lone Esc is. */
	assert_int_equal(write(p.master, "\0\xff", 2), 2);
	assert_false(menu_key_waiting(root, 50));
	type(&p, "\x1b");
	assert_true(menu_key_waiting(root, 50));
	/* The mode is back as it was: canonical, echo. */
	assert_false(pty_raw(&p));
	pty_drain(&p);
	pty_close(&p);
}

static void test_mode(void **state)
{
	enum menu_mode m;
	struct pty p;

	assert_int_equal(menu_mode_parse("auto", &m), 0);
	assert_int_equal(m, MENU_AUTO);
	assert_int_equal(menu_mode_parse("force", &m), 0);
	assert_int_equal(m, MENU_FORCE);
	assert_int_equal(menu_mode_parse("never", &m), 0);
	assert_int_equal(m, MENU_NEVER);
	assert_int_equal(menu_mode_parse("yes", &m), -EINVAL);
	assert_string_equal(kx_last_error(),
			    "menu: kexshim.menu=yes: want auto, force or never");
	assert_int_equal(menu_mode_parse("", &m), -EINVAL);

	pty_open(&p, "ttyS0", 0, 0);
	write_file("/sys/class/tty/console/active", "ttyS0");
	assert_true(menu_wanted(root, MENU_FORCE, 0));
	assert_true(menu_wanted(root, MENU_AUTO, 5));
	assert_false(menu_wanted(root, MENU_AUTO, 0));
	type(&p, "\r");
	assert_false(menu_wanted(root, MENU_NEVER, 5));
	assert_true(menu_wanted(root, MENU_AUTO, 0));
	pty_drain(&p);
	pty_close(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_pick_second_edit_boot, setup, teardown),
		cmocka_unit_test_setup_teardown(test_countdown_boots_default, setup, teardown),
		cmocka_unit_test_setup_teardown(test_broken_then_esc_in_editor, setup, teardown),
		cmocka_unit_test_setup_teardown(test_password_on_the_line, setup, teardown),
		cmocka_unit_test_setup_teardown(test_every_console, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_console, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hang_up, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stalled_console, setup, teardown),
		cmocka_unit_test_setup_teardown(test_key_waiting, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mode, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
