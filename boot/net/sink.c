/* kexshim: the fetch's destination (see sink.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/console.h"
#include "lib/error.h"
#include "lib/readfile.h"
#include "net/sink.h"
#include "net/sock.h"

void sink_init(struct sink *s, int fd, const char *url, const char *name,
	       uint64_t limit, bool quiet)
{
	memset(s, 0, sizeof(*s));
	s->fd = fd;
	s->url = url;
	s->name = name;
	s->limit = limit;
	s->quiet = quiet;
	sha256_init(&s->sha);
	progress_start(&s->pr, 0, net_now_ms());
}

static int too_big(struct sink *s, uint64_t n)
{
	char a[32], b[32];

	progress_bytes(a, sizeof(a), n);
	progress_bytes(b, sizeof(b), s->limit);
	return kx_fail(EFBIG, "net: %s: %s do not fit in memory (at most %s "
		       "for one file)", s->url, a, b);
}

int sink_expect(struct sink *s, uint64_t total)
{
	if (s->limit && total > s->limit)
		return too_big(s, total);
	s->expect = total;
	s->pr.total = total;
	return 0;
}

/* In PID 1 the consoles are the kernel's active ones: /dev/console is the
 * last of them (stderr), the others get the line written to them too. */
static void say_elsewhere(const char *line, size_t n)
{
	char names[256], *tok, *save = NULL, *last = NULL;
	long r;

	if (getpid() != 1)
		return;
	r = read_file_into("net", "/sys/class/tty/console/active", names,
			   sizeof(names));
	if (r <= 0)
		return;
	for (tok = strtok_r(names, " \n", &save); tok;
	     tok = strtok_r(NULL, " \n", &save)) {
		char dev[64];
		int fd;

		if (last) {
			snprintf(dev, sizeof(dev), "/dev/%s", last);
			fd = open(dev, O_WRONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
			if (fd >= 0) {
				if (write(fd, line, n) < 0) {
					/* a console that takes nothing */
				}
				close(fd);
			}
		}
		last = tok;
	}
}

void sink_say(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (n > (int)sizeof(buf) - 2)
		n = sizeof(buf) - 2;
	con_info("%s", buf);
	memmove(buf + 9, buf, (size_t)n);
	memcpy(buf, "kexshim: ", 9);
	n += 9;
	if (n > (int)sizeof(buf) - 2)
		n = sizeof(buf) - 2;
	buf[n++] = '\n';
	say_elsewhere(buf, (size_t)n);
}

int sink_write(struct sink *s, const void *buf, size_t n)
{
	const char *p = buf;
	size_t left = n;

	if (s->limit && s->size + n > s->limit)
		return too_big(s, s->size + n);
	if (!s->started) {
		/* Rates count from the first byte, not from the DNS lookup. */
		s->pr.start_ms = net_now_ms();
		s->started = true;
	}
	while (left) {
		ssize_t w = write(s->fd, p, left);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return kx_fail(errno, "net: %s: storing it: %s", s->url,
				       strerror(errno));
		p += w;
		left -= (size_t)w;
	}
	sha256_update(&s->sha, buf, n);
	s->size += n;
	if (!s->quiet && progress_due(&s->pr, s->size, net_now_ms())) {
		char line[128];

		progress_format(line, sizeof(line), s->size, s->expect,
				net_now_ms() - s->pr.start_ms);
		sink_say("net: %s: %s", s->name, line);
	}
	return 0;
}

int sink_restart(struct sink *s)
{
	struct stat st;

	if (fstat(s->fd, &st))
		return kx_fail(errno, "net: %s: cannot start over: %s", s->url,
			       strerror(errno));
	/* A pipe cannot take back what it passed on; /dev/null can. */
	if (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode))
		return kx_fail(ESPIPE, "net: %s: cannot start over on a pipe",
			       s->url);
	if (S_ISREG(st.st_mode) &&
	    (lseek(s->fd, 0, SEEK_SET) < 0 || ftruncate(s->fd, 0)))
		return kx_fail(errno, "net: %s: cannot start over: %s", s->url,
			       strerror(errno));
	sha256_init(&s->sha);
	s->size = 0;
	/* The rate and ETA count from the new first byte, not the old. */
	s->started = false;
	return 0;
}

void sink_digest(struct sink *s, uint8_t out[SHA256_DIGEST_SIZE])
{
	sha256_final(&s->sha, out);
}
