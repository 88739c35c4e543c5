/* fuzz: url_parse() and url_resolve() on text cut from the input (the
 * base before the first '\n', the reference after it).  Checks url.h's
 * promises: a parsed URL has a known scheme, a lower-case host without
 * brackets (empty only for file:), a path starting with '/', a port, and
 * formats back to a URL that parses the same; a resolved reference is
 * absolute, fits, keeps no fragment and has no "." or ".." segment in its
 * path when base's path had none to keep; errors are "net: " lines. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/error.h"
#include "net/url.h"

#define CHECK(c) do { if (!(c)) { \
	fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #c); \
	abort(); } } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_parsed(const char *s)
{
	struct url u, v;
	char text[URL_MAX + 300];
	size_t i;

	if (url_parse(s, &u)) {
		CHECK(!strncmp(kx_last_error(), "net: ", 5));
		return;
	}
	CHECK(u.scheme <= URL_FILE);
	CHECK(u.path[0] == '/');
	CHECK(!strchr(u.path, '#'));
	for (i = 0; u.host[i]; i++)
		CHECK(!(u.host[i] >= 'A' && u.host[i] <= 'Z') && u.host[i] != '[');
	CHECK(!u.host[0] == (u.scheme == URL_FILE));
	CHECK(u.scheme == URL_FILE || u.port);
	CHECK(!url_format(&u, text, sizeof(text)));
	CHECK(!url_parse(text, &v));
	CHECK(v.scheme == u.scheme && v.port == u.port && v.host_v6 == u.host_v6);
	CHECK(!strcmp(v.host, u.host) && !strcmp(v.path, u.path));
}

/* No "." or ".." segment in the path of an absolute URL (the authority
 * and query may hold dots). */
static void check_no_dots(const char *u)
{
	const char *p = strchr(u, ':') + 1, *end;

	if (p[0] == '/' && p[1] == '/')
		p = p + 2 + strcspn(p + 2, "/?");
	end = p + strcspn(p, "?");
	while (p < end) {
		const char *seg = *p == '/' ? p + 1 : p;
		const char *e = memchr(seg, '/', (size_t)(end - seg));
		size_t n;

		if (!e)
			e = end;
		n = (size_t)(e - seg);
		CHECK(!(n == 1 && seg[0] == '.'));
		CHECK(!(n == 2 && seg[0] == '.' && seg[1] == '.'));
		p = e;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1), *nl, out[URL_MAX];
	char base[URL_MAX];
	int rc;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	nl = strchr(buf, '\n');
	if (nl)
		*nl = '\0';
	check_parsed(buf);
	if (nl) {
		check_parsed(nl + 1);
		rc = url_resolve(buf, nl + 1, out, sizeof(out));
		if (!rc) {
			CHECK(url_is_absolute(out));
			CHECK(strlen(out) < sizeof(out));
			CHECK(!strchr(out, '#'));
		} else {
			CHECK(rc == -EINVAL || rc == -ENAMETOOLONG || rc == -ENOMEM);
			CHECK(!strncmp(kx_last_error(), "net: ", 5));
		}
		/* Against a known-good base, a reference always resolves or
		 * is refused for a character. */
		snprintf(base, sizeof(base), "http://h/a/b/c");
		rc = url_resolve(base, nl + 1, out, sizeof(out));
		if (!rc) {
			CHECK(url_is_absolute(out));
			check_no_dots(out);
		}
	}
	free(buf);
	return 0;
}
