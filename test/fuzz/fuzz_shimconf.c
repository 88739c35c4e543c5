/* fuzz: shimconf_parse() on arbitrary kexshim.conf bytes, then
 * shimconf_cmdline() / shimconf_format_error() on the result.  Checks
 * shimconf.h's promises: paths come out with '\' only, one leading '\',
 * no doubled separator and no trailing one; options_len is strlen(options);
 * the options always leave room for " kexshim.esp=PARTUUID=<guid>"; error
 * text is truncated, never overrun; the stub's LoadOptions (UCS-2) hold
 * the command line exactly, and any bytes convert without reading past
 * their NUL. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/guid.h"
#include "common/utf8.h"
#include "shimconf.h"

#define CHECK(c) do { if (!(c)) { \
	fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #c); \
	abort(); } } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct shimconf conf;

static void check_path(const char *p)
{
	size_t n = strnlen(p, SHIMCONF_PATH_MAX);

	CHECK(n < SHIMCONF_PATH_MAX && n >= 2);
	CHECK(p[0] == '\\' && p[n - 1] != '\\');
	CHECK(!strchr(p, '/') && !strstr(p, "\\\\"));
}

static void check_text(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		CHECK((unsigned char)s[i] >= 0x20 || s[i] == '\t');
}

/* The stub's LoadOptions from the command line (utf8_to_ucs2, as
 * efi/ucs2.c builds them): one unit per character, NUL-terminated, and
 * the text validated, so the same text when encoded back.  A U+FFFD
 * there is one the file spelled out (a bad byte replaced by it would not
 * encode back to the original). */
static void check_loadopts(const char *s)
{
	static uint16_t u[SHIMCONF_CMDLINE_MAX];
	static char back[3 * SHIMCONF_CMDLINE_MAX];
	size_t n = utf8_to_ucs2(s, u), i, o = 0;

	CHECK(n >= 1 && n <= strlen(s) + 1 && u[n - 1] == 0);
	for (i = 0; i + 1 < n; i++) {
		uint16_t c = u[i];

		CHECK(c != 0);
		if (c < 0x80) {
			back[o++] = (char)c;
		} else if (c < 0x800) {
			back[o++] = (char)(0xc0 | c >> 6);
			back[o++] = (char)(0x80 | (c & 0x3f));
		} else {
			back[o++] = (char)(0xe0 | c >> 12);
			back[o++] = (char)(0x80 | ((c >> 6) & 0x3f));
			back[o++] = (char)(0x80 | (c & 0x3f));
		}
	}
	back[o] = '\0';
	CHECK(!strcmp(back, s));
}

/* Any bytes, as a string: never past the NUL (ASan, exact-size copy). */
static void check_ucs2_any(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	uint16_t *u = malloc((size + 1) * sizeof(*u));
	size_t n;

	if (!s || !u)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	n = utf8_to_ucs2(s, u);
	CHECK(n >= 1 && n <= strlen(s) + 1 && u[n - 1] == 0);
	free(s);
	free(u);
}

static void check_cmdline(const uint8_t guid[16])
{
	char out[SHIMCONF_CMDLINE_MAX], want[SHIMCONF_CMDLINE_MAX];
	char g[GUID_TEXT_LEN];

	guid_to_text(guid, g);
	CHECK(strlen(g) == 36);
	snprintf(want, sizeof(want), "%s%skexshim.esp=PARTUUID=%s",
		 conf.options, conf.options_len ? " " : "", g);
	memset(out, 'x', sizeof(out));
	CHECK(shimconf_cmdline(&conf, guid, out, sizeof(out)) == SHIMCONF_OK);
	CHECK(!strcmp(out, want));
	check_loadopts(out);

	memset(out, 'x', sizeof(out));
	CHECK(shimconf_cmdline(&conf, NULL, out, conf.options_len + 1) ==
	      SHIMCONF_OK);
	CHECK(!strcmp(out, conf.options));
	CHECK(shimconf_cmdline(&conf, NULL, out, conf.options_len) ==
	      SHIMCONF_ESPACE);
	if (conf.options_len)
		CHECK(out[0] == '\0');
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct shimconf_error err;
	char msg[128], full[128];
	enum shimconf_err rc;
	size_t n, cut;
	unsigned i;

	check_ucs2_any(data, size);
	rc = shimconf_parse(data, size, &conf, &err);
	if (rc == SHIMCONF_OK) {
		check_path(conf.kernel);
		CHECK(conf.n_initrd <= SHIMCONF_INITRD_MAX);
		for (i = 0; i < conf.n_initrd; i++)
			check_path(conf.initrd[i]);
		CHECK(conf.options_len < SHIMCONF_OPTIONS_MAX);
		CHECK(strlen(conf.options) == conf.options_len);
		check_text(conf.options, conf.options_len);
		if (conf.options_len)
			CHECK(conf.options[0] != ' ' &&
			      conf.options[conf.options_len - 1] != ' ');
		check_cmdline(size >= 16 ? data : (const uint8_t *)"0123456789abcdef");
		return 0;
	}

	CHECK(rc > SHIMCONF_OK && rc < SHIMCONF_ESPACE);
	CHECK(err.code == rc && err.reason);
	CHECK(memchr(err.detail, '\0', sizeof(err.detail)));
	n = shimconf_format_error(&err, full, sizeof(full));
	CHECK(n == strlen(full) && n < sizeof(full));
	cut = size ? data[size - 1] % (n + 2) : 0;
	memset(msg, 'x', sizeof(msg));
	n = shimconf_format_error(&err, msg, cut);
	if (cut) {
		CHECK(n == strlen(msg) && n < cut);
		CHECK(!strncmp(msg, full, n));
	} else {
		CHECK(n == 0 && msg[0] == 'x');
	}
	return 0;
}
