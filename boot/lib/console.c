/* kexshim: console lines (see console.h).  Runs everywhere; single-threaded.
 * Messages are formatted first and written with one write(2) so that they
 * do not interleave with kernel printk output on the serial console. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lib/console.h"
#include "lib/readfile.h"
#include "lib/warn.h"

static bool verbose, notes;
static int kmsg_fd = -1;
static unsigned n_warnings;
static char last_warning[256];

/* Emit prefix + formatted text + '\n', with any newline or other control
 * character in the text replaced by a space: one message, one line. */
static void emit(const char *prefix, const char *fmt, va_list ap)
{
	char buf[1024];
	size_t n, i;

	n = (size_t)snprintf(buf, sizeof(buf), "%s%s", prefix ? "kexshim: " : "",
			     prefix ? prefix : "");
	if (n >= sizeof(buf))
		n = sizeof(buf) - 1;
	vsnprintf(buf + n, sizeof(buf) - n, fmt, ap);
	for (i = n; buf[i]; i++)
		if ((unsigned char)buf[i] < 0x20 || buf[i] == 0x7f)
			buf[i] = ' ';
	n = strlen(buf);
	if (n > sizeof(buf) - 2)
		n = sizeof(buf) - 2;
	buf[n++] = '\n';
	fflush(stdout);
	if (write(STDERR_FILENO, buf, n) < 0) {
		/* Nowhere left to say it. */
	}
	if (kmsg_fd >= 0)
		dprintf(kmsg_fd, "<7>%.*s", (int)n, buf);
}

void con_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit("", fmt, ap);
	va_end(ap);
}

void con_line(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit(NULL, fmt, ap);
	va_end(ap);
}

void con_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(last_warning, sizeof(last_warning), fmt, ap);
	va_end(ap);
	n_warnings++;
	va_start(ap, fmt);
	emit("warning: ", fmt, ap);
	va_end(ap);
}

void con_warnings_print(const struct warnings *w)
{
	unsigned i;

	for (i = 0; i < w->n; i++)
		con_warn("%s", w->msg[i]);
	if (w->dropped)
		con_warn("... and %u more warnings", w->dropped);
}

void con_debug(const char *fmt, ...)
{
	va_list ap;

	if (!verbose)
		return;
	va_start(ap, fmt);
	emit("", fmt, ap);
	va_end(ap);
}

void con_note(const char *fmt, ...)
{
	va_list ap;

	if (!notes && !verbose)
		return;
	va_start(ap, fmt);
	emit("", fmt, ap);
	va_end(ap);
}

void con_set_verbose(bool on)
{
	verbose = on;
}

void con_set_notes(bool on)
{
	notes = on;
}

int con_kmsg_open(const char *path)
{
	kmsg_fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
	return kmsg_fd < 0 ? -errno : 0;
}

unsigned con_warnings(void)
{
	return n_warnings;
}

const char *con_last_warning(void)
{
	return last_warning;
}

int con_open(const char *path)
{
	int fd = open(path, O_RDWR | O_NOCTTY | O_CLOEXEC);
	int i;

	if (fd < 0)
		return -errno;
	for (i = 0; i < 3; i++)
		if (dup2(fd, i) < 0) {
			int err = errno;

			close(fd);
			return -err;
		}
	if (fd > 2)
		close(fd);
	return 0;
}

void con_peak_rss(void)
{
	unsigned long kb;

	if (!read_kb_field("/proc/self/status", "VmHWM", &kb))
		con_info("peak RSS %lu kB", kb);
	else
		con_info("peak RSS unknown (no VmHWM in /proc/self/status)");
}
