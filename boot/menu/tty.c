/* kexshim menu: the consoles (see tty.h).  Runs in PID 1 before the
 * boot; the terminal is only borrowed: its mode goes back as it was, and
 * input typed meanwhile stays queued for whoever reads next. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "lib/error.h"
#include "lib/readfile.h"
#include "menu/tty.h"

#define ACTIVE "/sys/class/tty/console/active"

uint64_t tty_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Raw input, as cfmakeraw(3) makes it, but the output side and the line
 * settings (speed, parity, flow control) stay as the kernel or the user
 * set them: the renderer never sends a bare '\n', and the boot messages
 * after the menu still want ONLCR. */
static int make_raw(int fd, const struct termios *saved)
{
	struct termios t = *saved;

	t.c_iflag &= ~(tcflag_t)(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR |
				 IGNCR | ICRNL | IXON);
	t.c_lflag &= ~(tcflag_t)(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
	t.c_cc[VMIN] = 1;
	t.c_cc[VTIME] = 0;
	return tcsetattr(fd, TCSANOW, &t);
}

/* Return: true for a plain device name ("ttyS0", "hvc0"), nothing that
 * could leave /dev. */
static bool name_ok(const char *name, size_t len)
{
	if (!len || len >= TTY_NAME_MAX || name[0] == '.')
		return false;
	return !memchr(name, '/', len);
}

static bool already(const struct ttys *ts, const char *name)
{
	for (size_t i = 0; i < ts->n; i++)
		if (!strcmp(ts->t[i].name, name))
			return true;
	return false;
}

/* Open one console.  Return: 0, or -errno when it cannot be used. */
static int open_one(const char *root, const char *name, struct tty *t)
{
	char dev[TTY_NAME_MAX + 8], path[4096];
	int fd, rc;

	snprintf(dev, sizeof(dev), "/dev/%s", name);
	rc = root_path("menu", root, dev, path, sizeof(path));
	if (rc)
		return rc;
	fd = open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	memset(t, 0, sizeof(*t));
	if (tcgetattr(fd, &t->saved) || make_raw(fd, &t->saved)) {
		rc = -errno;
		close(fd);
		return rc;
	}
	memcpy(t->name, name, strlen(name));
	t->fd = fd;
	key_decoder_init(&t->dec);
	return 0;
}

int tty_open_all(const char *root, struct ttys *ts)
{
	char active[256], name[TTY_NAME_MAX];
	const char *p, *end;
	long len;

	ts->n = 0;
	ts->dropped[0] = '\0';
	len = root_read_into("menu", root, ACTIVE, active, sizeof(active));
	if (len < 0)
		return (int)len;
	for (p = active; *p; p = end) {
		while (*p == ' ' || *p == '\n' || *p == '\t')
			p++;
		for (end = p; *end && *end != ' ' && *end != '\n' && *end != '\t'; end++)
			;
		if (end == p || !name_ok(p, (size_t)(end - p)) || ts->n == TTY_MAX)
			continue;
		memcpy(name, p, (size_t)(end - p));
		name[end - p] = '\0';
		/* A console the kernel lists but userspace cannot open (no
		 * device node, not a terminal) just does not get the menu. */
		if (!already(ts, name) && !open_one(root, name, &ts->t[ts->n]))
			ts->n++;
	}
	return (int)ts->n;
}

static void close_one(struct tty *t)
{
	tcsetattr(t->fd, TCSANOW, &t->saved);
	close(t->fd);
	t->fd = -1;
}

void tty_drop(struct ttys *ts, size_t i)
{
	struct tty *t = &ts->t[i];
	size_t used = strlen(ts->dropped);

	if (t->fd < 0)
		return;
	close_one(t);
	snprintf(ts->dropped + used, sizeof(ts->dropped) - used, "%s%s",
		 used ? " " : "", t->name);
}

void tty_close_all(struct ttys *ts)
{
	for (size_t i = 0; i < ts->n; i++)
		if (ts->t[i].fd >= 0)
			close_one(&ts->t[i]);
}

int tty_write(struct ttys *ts, size_t i, const char *buf, size_t len)
{
	struct tty *t = &ts->t[i];
	struct pollfd pfd = { .fd = t->fd, .events = POLLOUT };
	ssize_t n;

	while (len) {
		n = write(t->fd, buf, len);
		if (n > 0) {
			buf += n;
			len -= (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		/* Full (the fd is non-blocking for the reads' sake): wait a
		 * while for the line to drain. */
		if (n < 0 && errno == EAGAIN && poll(&pfd, 1, TTY_STALL_MS) > 0 &&
		    !(pfd.revents & (POLLERR | POLLHUP | POLLNVAL)))
			continue;
		tty_drop(ts, i);
		return -EIO;
	}
	return 0;
}
