/*
 * efi/shimconf.c: parse kexshim.conf and compose the shim's command line.
 *
 * Runs in kexshim.efi (boot services, before anything is loaded) and in the
 * host unit tests.  Freestanding on purpose: no libc, no gnu-efi, so the
 * compiler sees the same code in both places; the few string helpers are
 * local.
 */
#include "common/guid.h"
#include "common/utf8.h"
#include "shimconf.h"

#define STR_(x) #x
#define STR(x) STR_(x)

_Static_assert(SHIMCONF_PATH_MAX == 256, "fix the path reason text");
_Static_assert(SHIMCONF_OPTIONS_MAX == 1984, "fix the options reason text");
_Static_assert(SHIMCONF_INITRD_MAX == 8, "fix the initrd reason text");
/* options + " kexshim.esp=PARTUUID=" + GUID must always fit the cmdline */
_Static_assert(SHIMCONF_OPTIONS_MAX - 1 + 22 + 36 + 1 <= SHIMCONF_CMDLINE_MAX,
	       "options leave no room for kexshim.esp=");

struct span {
	const uint8_t *p;
	size_t len;
};

static void zero(void *dst, size_t len)
{
	uint8_t *d = dst;

	while (len--)
		*d++ = 0;
}

static void copy(void *dst, const void *src, size_t len)
{
	uint8_t *d = dst;
	const uint8_t *s = src;

	while (len--)
		*d++ = *s++;
}

static size_t cstrlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

static int span_is(struct span s, const char *word)
{
	size_t n = cstrlen(word);

	if (s.len != n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (s.p[i] != (uint8_t)word[i])
			return 0;
	return 1;
}

static int is_blank(uint8_t c)
{
	return c == ' ' || c == '\t';
}

static struct span trim(struct span s)
{
	while (s.len && is_blank(s.p[0])) {
		s.p++;
		s.len--;
	}
	while (s.len && is_blank(s.p[s.len - 1]))
		s.len--;
	return s;
}

static enum shimconf_err fail(struct shimconf_error *err, enum shimconf_err code,
			      unsigned int line, const char *reason,
			      struct span detail)
{
	size_t n = detail.len;

	err->code = code;
	err->line = line;
	err->reason = reason;
	if (n > sizeof(err->detail) - 1)
		n = sizeof(err->detail) - 1;
	copy(err->detail, detail.p, n);
	err->detail[n] = '\0';
	return code;
}

static const struct span no_detail = { (const uint8_t *)"", 0 };
static const char beyond_bmp[] =
	"character beyond U+FFFF (firmware strings are UCS-2)";

/*
 * Reject what the firmware's UCS-2 strings and the kernel's command line
 * cannot carry: NUL (it would cut the string short), control characters,
 * malformed UTF-8 and anything beyond U+FFFF (no surrogates in UCS-2).
 */
static enum shimconf_err check_text(struct span s, unsigned int line,
				    struct shimconf_error *err)
{
	static const char hex[] = "0123456789abcdef";

	for (size_t i = 0; i < s.len; ) {
		uint8_t c = s.p[i];
		uint32_t cp;
		size_t n;

		if (c == 0)
			return fail(err, SHIMCONF_ENUL, line, "NUL byte",
				    no_detail);
		if ((c < 0x20 && c != '\t') || c == 0x7f) {
			char esc[4] = { '\\', 'x', hex[c >> 4], hex[c & 15] };

			return fail(err, SHIMCONF_ECTRL, line,
				    "control character",
				    (struct span){ (const uint8_t *)esc, 4 });
		}
		n = utf8_decode(s.p + i, s.len - i, &cp);
		if (!n)
			return fail(err, SHIMCONF_EUTF8, line, "invalid UTF-8",
				    no_detail);
		if (cp > 0xffff)
			return fail(err, SHIMCONF_EUTF8, line, beyond_bmp,
				    no_detail);
		i += n;
	}
	return SHIMCONF_OK;
}

/*
 * EFI_FILE_PROTOCOL.Open() takes '\' separators; users write '/' as often.
 * Make one leading '\', no doubled separators, and refuse paths that name a
 * directory rather than a file.
 */
static enum shimconf_err set_path(char *out, struct span key, struct span val,
				  unsigned int line, struct shimconf_error *err)
{
	size_t n = 0;
	int sep = 1;

	out[n++] = '\\';
	for (size_t i = 0; i < val.len; i++) {
		uint8_t c = val.p[i];

		if (c == '/' || c == '\\') {
			if (sep)
				continue;
			c = '\\';
			sep = 1;
		} else {
			sep = 0;
		}
		if (n >= SHIMCONF_PATH_MAX - 1)
			return fail(err, SHIMCONF_EPATHLONG, line,
				    "path longer than 255 bytes for key", key);
		out[n++] = (char)c;
	}
	if (sep)
		return fail(err, SHIMCONF_EPATH, line,
			    "path names a directory, not a file, for key", key);
	out[n] = '\0';
	return SHIMCONF_OK;
}

static enum shimconf_err add_options(struct shimconf *conf, struct span val,
				     unsigned int line,
				     struct shimconf_error *err)
{
	size_t sep = conf->options_len ? 1 : 0;

	if (conf->options_len + sep + val.len + 1 > SHIMCONF_OPTIONS_MAX)
		return fail(err, SHIMCONF_EOPTIONS, line,
			    "options longer than 1983 bytes in total", no_detail);
	if (sep)
		conf->options[conf->options_len++] = ' ';
	copy(conf->options + conf->options_len, val.p, val.len);
	conf->options_len += val.len;
	conf->options[conf->options_len] = '\0';
	return SHIMCONF_OK;
}

static enum shimconf_err parse_line(struct shimconf *conf, struct span s,
				    unsigned int line, int *have_kernel,
				    struct shimconf_error *err)
{
	struct span key, val;
	size_t k = 0;

	s = trim(s);
	if (s.len == 0 || s.p[0] == '#')
		return SHIMCONF_OK;

	while (k < s.len && !is_blank(s.p[k]))
		k++;
	key = (struct span){ s.p, k };
	val = trim((struct span){ s.p + k, s.len - k });

	if (!span_is(key, "kernel") && !span_is(key, "initrd") &&
	    !span_is(key, "options"))
		return fail(err, SHIMCONF_EUNKNOWNKEY, line, "unknown key", key);
	if (val.len == 0)
		return fail(err, SHIMCONF_ENOVALUE, line,
			    "missing value for key", key);

	if (span_is(key, "kernel")) {
		if (*have_kernel)
			return fail(err, SHIMCONF_EDUPKERNEL, line,
				    "duplicate key", key);
		*have_kernel = 1;
		return set_path(conf->kernel, key, val, line, err);
	}
	if (span_is(key, "initrd")) {
		if (conf->n_initrd == SHIMCONF_INITRD_MAX)
			return fail(err, SHIMCONF_EINITRDS, line,
				    "more than 8 initrd lines", no_detail);
		return set_path(conf->initrd[conf->n_initrd++], key, val,
				line, err);
	}
	return add_options(conf, val, line, err);
}

enum shimconf_err shimconf_parse(const void *buf, size_t len,
				 struct shimconf *conf,
				 struct shimconf_error *err)
{
	const uint8_t *p = buf;
	unsigned int line = 0;
	int have_kernel = 0;
	size_t pos = 0;

	zero(conf, sizeof(*conf));
	zero(err, sizeof(*err));

	/* Windows editors may start the file with a UTF-8 byte order mark */
	if (len >= 3 && p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf)
		pos = 3;

	while (pos < len) {
		size_t eol = pos;
		struct span s;
		enum shimconf_err rc;

		while (eol < len && p[eol] != '\n')
			eol++;
		s = (struct span){ p + pos, eol - pos };
		pos = eol + 1;
		line++;

		/* CRLF files: the '\r' belongs to the line break */
		if (s.len && s.p[s.len - 1] == '\r')
			s.len--;
		if (s.len > SHIMCONF_LINE_MAX)
			return fail(err, SHIMCONF_ELINE, line,
				    "line longer than " STR(SHIMCONF_LINE_MAX)
				    " bytes", no_detail);
		rc = check_text(s, line, err);
		if (rc)
			return rc;
		rc = parse_line(conf, s, line, &have_kernel, err);
		if (rc)
			return rc;
	}
	if (!have_kernel)
		return fail(err, SHIMCONF_ENOKERNEL, 0, "no 'kernel' line",
			    no_detail);
	return SHIMCONF_OK;
}

enum shimconf_err shimconf_set_options(struct shimconf *conf, const void *buf,
				       size_t len, struct shimconf_error *err)
{
	struct span s = { buf, len };
	enum shimconf_err rc;

	zero(conf, sizeof(*conf));
	zero(err, sizeof(*err));
	while (s.len && (s.p[s.len - 1] == '\0' || s.p[s.len - 1] == '\n' ||
			 s.p[s.len - 1] == '\r' || is_blank(s.p[s.len - 1])))
		s.len--;
	s = trim(s);
	rc = check_text(s, 0, err);
	if (rc)
		return rc;
	if (!s.len)
		return SHIMCONF_OK;
	return add_options(conf, s, 0, err);
}

/* Appends what fits, keeps @out NUL-terminated; returns the new length. */
static size_t append(char *out, size_t size, size_t n, const char *s)
{
	while (*s && n + 1 < size)
		out[n++] = *s++;
	if (size)
		out[n] = '\0';
	return n;
}

size_t shimconf_format_error(const struct shimconf_error *err, char *out,
			     size_t size)
{
	size_t n = 0;

	if (size)
		out[0] = '\0';
	if (err->line) {
		char num[12];
		unsigned int v = err->line;
		size_t i = sizeof(num) - 1;

		num[i] = '\0';
		do {
			num[--i] = (char)('0' + v % 10);
			v /= 10;
		} while (v);
		n = append(out, size, n, "line ");
		n = append(out, size, n, num + i);
		n = append(out, size, n, ": ");
	}
	n = append(out, size, n, err->reason ? err->reason : "no error");
	if (err->detail[0]) {
		n = append(out, size, n, " '");
		n = append(out, size, n, err->detail);
		n = append(out, size, n, "'");
	}
	return n;
}

/* Return: 1 when a parameter of opts starts with "kexshim.esp=". */
static int names_esp(const char *opts, size_t len)
{
	static const char key[] = "kexshim.esp=";
	size_t i, k;

	for (i = 0; i < len; i++) {
		if (i && opts[i - 1] != ' ' && opts[i - 1] != '\t')
			continue;
		for (k = 0; k < sizeof(key) - 1 && i + k < len &&
		     opts[i + k] == key[k]; k++)
			;
		if (k == sizeof(key) - 1)
			return 1;
	}
	return 0;
}

enum shimconf_err shimconf_cmdline(const struct shimconf *conf,
				   const uint8_t *partuuid,
				   char *out, size_t size)
{
	static const char esp[] = "kexshim.esp=PARTUUID=";
	char guid[GUID_TEXT_LEN];
	size_t need = conf->options_len + 1;

	if (names_esp(conf->options, conf->options_len))
		partuuid = NULL;
	if (partuuid)
		need += (conf->options_len ? 1 : 0) + sizeof(esp) - 1 +
			GUID_TEXT_LEN - 1;
	if (size < need) {
		if (size)
			out[0] = '\0';
		return SHIMCONF_ESPACE;
	}

	copy(out, conf->options, conf->options_len + 1);
	if (partuuid) {
		size_t n = conf->options_len;

		guid_to_text(partuuid, guid);
		if (n)
			n = append(out, size, n, " ");
		n = append(out, size, n, esp);
		append(out, size, n, guid);
	}
	return SHIMCONF_OK;
}
