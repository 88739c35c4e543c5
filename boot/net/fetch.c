/* kexshim: fetch a URL with retries (see fetch.h). */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/hex.h"
#include "lib/error.h"
#include "net/fetch.h"
#include "net/proto.h"
#include "net/sink.h"
#include "net/sock.h"

#define BACKOFF_FIRST_MS 500
#define BACKOFF_MAX_MS 8000
#define RETRY_AFTER_MAX_MS 30000

void fetch_opts_default(struct fetch_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->connect_ms = FETCH_CONNECT_MS;
	o->idle_ms = FETCH_IDLE_MS;
	o->attempts = FETCH_ATTEMPTS;
}

int fetch_pin(struct fetch_opts *o, const char *hex)
{
	if (hex_decode(hex, strlen(hex), o->sha256, SHA256_DIGEST_SIZE))
		return -EINVAL;
	o->has_sha256 = true;
	return 0;
}

/* file: a local file, copied (and hashed) like any other, so what was
 * checked is what is loaded even if the file changes afterwards. */
static int file_fetch(struct fetch_ctx *f)
{
	char path[URL_MAX];
	static char buf[64 << 10];
	struct url u;
	struct stat st;
	int fd, rc;

	f->retry = false;
	rc = url_parse(f->cur, &u);
	if (rc)
		return rc;
	if (url_path_decode(u.path, path, sizeof(path)))
		return kx_fail(EINVAL, "net: %s: bad path", f->url);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return kx_fail(errno, "net: %s: %s", f->url, strerror(errno));
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return kx_fail(EINVAL, "net: %s: not a regular file", f->url);
	}
	rc = f->s->size ? sink_restart(f->s) : 0;
	if (!rc)
		rc = sink_expect(f->s, (uint64_t)st.st_size);
	while (!rc) {
		ssize_t n = read(fd, buf, sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			rc = kx_fail(errno, "net: %s: %s", f->url, strerror(errno));
		if (n <= 0)
			break;
		rc = sink_write(f->s, buf, (size_t)n);
	}
	close(fd);
	return rc;
}

static unsigned backoff_ms(unsigned attempt, unsigned asked)
{
	unsigned ms = BACKOFF_FIRST_MS << (attempt < 5 ? attempt : 5);
	uint16_t r = 0;

	if (asked)
		return asked > RETRY_AFTER_MAX_MS ? RETRY_AFTER_MAX_MS : asked;
	if (ms > BACKOFF_MAX_MS)
		ms = BACKOFF_MAX_MS;
	/* A quarter of jitter, so a lab's machines do not retry in step. */
	if (getrandom(&r, sizeof(r), GRND_NONBLOCK) != sizeof(r))
		r = (uint16_t)net_now_ms();
	return ms + (unsigned)(r % (ms / 4 + 1));
}

static void hex(const uint8_t *d, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = digits[d[i] >> 4];
		out[2 * i + 1] = digits[d[i] & 15];
	}
	out[2 * n] = '\0';
}

int fetch_to_fd(const char *url, const struct fetch_opts *o, int fd,
		struct fetch_result *res)
{
	struct fetch_ctx f = { .url = url, .o = o };
	char name[128], a[32], b[32], want[65], got[65];
	struct sink s;
	struct url u;
	uint64_t t0 = net_now_ms();
	unsigned attempt, tries = 0;
	int rc = 0;

	memset(res, 0, sizeof(*res));
	rc = url_parse(url, &u);
	if (rc)
		return rc;
	snprintf(f.cur, sizeof(f.cur), "%s", url);
	if (!url_basename(url, name, sizeof(name)))
		snprintf(name, sizeof(name), "%.100s", u.host);
	sink_init(&s, fd, url, name, o->max_size, o->quiet);
	f.s = &s;
	for (attempt = 0; attempt < (o->attempts ? o->attempts : 1); attempt++) {
		unsigned wait;

		if (attempt) {
			wait = backoff_ms(attempt - 1, f.retry_after_ms);
			sink_say("%s; retrying in %u.%u s (attempt %u of %u)",
				 kx_last_error(), wait / 1000, wait % 1000 / 100,
				 attempt + 1, o->attempts);
			net_sleep_ms(wait);
		}
		tries++;
		switch (u.scheme) {
		case URL_TFTP:
			rc = tftp_fetch(&f);
			break;
		case URL_HTTP:
		case URL_HTTPS:
			rc = http_fetch(&f);
			break;
		case URL_FILE:
			rc = file_fetch(&f);
			break;
		}
		if (!rc || !f.retry)
			break;
	}
	res->attempts = tries;
	res->resumed = f.resumed;
	if (rc)
		return rc;
	sink_digest(&s, res->sha256);
	res->size = s.size;
	res->ms = net_now_ms() - t0;
	hex(res->sha256, SHA256_DIGEST_SIZE, got);
	if (o->has_sha256 && memcmp(res->sha256, o->sha256, SHA256_DIGEST_SIZE)) {
		hex(o->sha256, SHA256_DIGEST_SIZE, want);
		return kx_fail(EBADMSG, "net: %s: sha256 %s does not match the "
			       "pinned %s", url, got, want);
	}
	if (!o->quiet) {
		progress_bytes(a, sizeof(a), s.size);
		if (res->ms) {
			progress_bytes(b + 2, sizeof(b) - 6, s.size * 1000 / res->ms);
			memcpy(b, " (", 2);
			strcat(b, "/s)");
		} else {
			b[0] = '\0';
		}
		sink_say("net: %s: %s in %" PRIu64 ".%02" PRIu64 " s%s%s, "
			 "sha256 %.16s...%s", url, a, res->ms / 1000,
			 res->ms % 1000 / 10, b,
			 f.resumed ? ", resumed" : "", got,
			 o->has_sha256 ? " (pinned: ok)" : "");
	}
	return 0;
}

int fetch_to_memfd(const char *url, const struct fetch_opts *o,
		   struct fetch_result *res)
{
	char name[64];
	int fd, rc;

	if (!url_basename(url, name, sizeof(name)))
		snprintf(name, sizeof(name), "kexshim-fetch");
	fd = memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0)
		return kx_fail(errno, "net: %s: memfd_create: %s", url,
			       strerror(errno));
	rc = fetch_to_fd(url, o, fd, res);
	if (rc) {
		close(fd);
		return rc;
	}
	/* What was hashed is what the loader maps: nobody writes it now. */
	if (fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE |
		  F_SEAL_SEAL)) {
		rc = kx_fail(errno, "net: %s: sealing: %s", url, strerror(errno));
		close(fd);
		return rc;
	}
	return fd;
}
