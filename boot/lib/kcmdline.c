/* kexshim: kexshim.* parameters (see kcmdline.h).  Pure but for
 * kcmdline_read().  Runs in PID 1 right after the console is up, and in the
 * CLI. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/util.h"
#include "common/guid.h"
#include "lib/kcmdline.h"
#include "lib/readfile.h"
#include "lib/warn.h"

static bool is_space(char c)
{
	/* The kernel's isspace() (lib/ctype.c): space, \t \n \v \f \r and
	 * Latin-1 NBSP 0xa0, which next_arg() splits on too. */
	return c == ' ' || (c >= '\t' && c <= '\r') || c == (char)0xa0;
}

bool kcmdline_next(const char **p, char *buf, struct kc_param *prm)
{
	const char *s = *p, *start;
	bool in_quote = false, lead_quote = false;
	size_t i, n, eq = 0;
	bool has_eq = false;

	while (is_space(*s))
		s++;
	*p = s;
	if (!*s)
		return false;
	start = s;
	/* Find the end: the first whitespace outside quotes. */
	for (n = 0; s[n]; n++) {
		if (is_space(s[n]) && !in_quote)
			break;
		if (s[n] == '"')
			in_quote = !in_quote;
	}
	prm->raw = start;
	prm->raw_len = n;
	/* init/main.c + kernel/params.c parse_args(): a bare "--" (quoted
	 * or not) ends the parameters; the rest is init's argv.  Leave *p
	 * on it so kcmdline_init_args() finds it. */
	if ((n == 2 && !memcmp(s, "--", 2)) ||
	    (n == 4 && !memcmp(s, "\"--\"", 4)))
		return false;
	*p = s + n;

	memcpy(buf, s, n);
	buf[n] = '\0';
	/* A quote opening the whole parameter ("foo=a b") is dropped, and so
	 * is its closing quote at the very end. */
	if (buf[0] == '"') {
		lead_quote = true;
		memmove(buf, buf + 1, n--);
	}
	for (i = 0; i < n; i++)
		if (buf[i] == '=') {
			eq = i;
			has_eq = true;
			break;
		}
	prm->key = buf;
	prm->value = NULL;
	if (has_eq) {
		char *v = buf + eq + 1;

		buf[eq] = '\0';
		/* foo="a b": the value's quotes are not part of it. */
		if (*v == '"') {
			v++;
			if (n > 0 && buf[n - 1] == '"' && buf + n - 1 >= v)
				buf[--n] = '\0';
		}
		prm->value = v;
	}
	if (lead_quote && n > 0 && buf[n - 1] == '"')
		buf[n - 1] = '\0';
	return true;
}

const char *kcmdline_init_args(const char *cmdline)
{
	const char *p = cmdline ? cmdline : "";
	struct kc_param prm;
	char *buf = malloc(strlen(p) + 1);

	if (!buf)
		return NULL;
	while (kcmdline_next(&p, buf, &prm))
		;
	free(buf);
	return *p ? p : NULL;
}

int kcmdline_read(const char *root, char *buf, size_t size)
{
	long n = root_read_into("kcmdline", root, "/proc/cmdline", buf, size);

	if (n < 0)
		return (int)n;
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	return 0;
}

void kcmdline_defaults(struct kcmdline *kc)
{
	memset(kc, 0, sizeof(*kc));
	kc->emergency = KC_EMERGENCY_REBOOT;
	kc->emergency_delay = KC_DEFAULT_EMERGENCY_DELAY;
}

/* Parameter names compare like the kernel's parameq(): '-' == '_'. */
static bool key_is(const char *key, const char *name)
{
	for (; *key && *name; key++, name++) {
		char a = *key == '-' ? '_' : *key;
		char b = *name == '-' ? '_' : *name;

		if (a != b)
			return false;
	}
	return !*key && !*name;
}

static int set_string(struct warnings *w, char *dst, const char *key,
		      const char *v)
{
	if (!v || !*v) {
		warn_add(w, "kcmdline: '%s' needs a value; ignored", key);
		return 1;
	}
	if (strlen(v) >= KC_VALUE_MAX) {
		warn_add(w, "kcmdline: '%s' value longer than %d bytes; ignored",
			 key, KC_VALUE_MAX - 1);
		return 1;
	}
	strcpy(dst, v);
	return 0;
}

static int parse_bool(struct warnings *w, const char *key, const char *v,
		      bool *out)
{
	static const char *const yes[] = { "1", "y", "yes", "true", "on" };
	static const char *const no[] = { "0", "n", "no", "false", "off" };
	size_t i;

	if (!v) {
		*out = true; /* a bare flag */
		return 0;
	}
	for (i = 0; i < ARRAY_SIZE(yes); i++) {
		if (!strcasecmp(v, yes[i])) {
			*out = true;
			return 0;
		}
		if (!strcasecmp(v, no[i])) {
			*out = false;
			return 0;
		}
	}
	warn_add(w, "kcmdline: %s=%s is not a boolean; ignored", key, v);
	return 1;
}

static int parse_one(struct warnings *w, struct kcmdline *kc, const char *key,
		     const char *v)
{
	const char *name = key + strlen("kexshim.");

	if (key_is(name, "esp")) {
		char tmp[KC_VALUE_MAX];

		if (set_string(w, tmp, key, v))
			return 1;
		if (!strncasecmp(tmp, "PARTUUID=", 9)) {
			if (guid_from_text(tmp + 9, NULL)) {
				warn_add(w, "kcmdline: %s=%s: not a PARTUUID "
					 "(8-4-4-4-12 hex digits); ignored",
					 key, v);
				return 1;
			}
		} else if (strncmp(tmp, "/dev/", 5)) {
			warn_add(w, "kcmdline: %s=%s: want PARTUUID=<uuid> or "
				 "/dev/<name>; ignored", key, v);
			return 1;
		}
		strcpy(kc->esp, tmp);
		return 0;
	}
	if (key_is(name, "entry"))
		return set_string(w, kc->entry, key, v);
	if (key_is(name, "emergency")) {
		if (v && !strcmp(v, "reboot"))
			kc->emergency = KC_EMERGENCY_REBOOT;
		else if (v && !strcmp(v, "halt"))
			kc->emergency = KC_EMERGENCY_HALT;
		else {
			warn_add(w, "kcmdline: %s=%s: want reboot or halt; "
				 "ignored", key, v ? v : "");
			return 1;
		}
		return 0;
	}
	if (key_is(name, "emergency_delay")) {
		char *end;
		unsigned long s;

		errno = 0;
		s = v && *v >= '0' && *v <= '9' ? strtoul(v, &end, 10) : 0;
		if (!v || !(*v >= '0' && *v <= '9') || *end || errno ||
		    s > KC_MAX_EMERGENCY_DELAY) {
			warn_add(w, "kcmdline: %s=%s: want seconds 0..%d; ignored",
				 key, v ? v : "", KC_MAX_EMERGENCY_DELAY);
			return 1;
		}
		kc->emergency_delay = (unsigned)s;
		return 0;
	}
	if (key_is(name, "verbose"))
		return parse_bool(w, key, v, &kc->verbose);
	if (key_is(name, "menu")) {
		if (v && (!strcmp(v, "auto") || !strcmp(v, "force") ||
			  !strcmp(v, "never"))) {
			strcpy(kc->menu, v);
			return 0;
		}
		warn_add(w, "kcmdline: %s=%s: want auto, force or never; "
			 "ignored", key, v ? v : "");
		return 1;
	}
	if (key_is(name, "netboot")) {
		static const char *const modes[] = { "first", "last", "only",
						     "off" };
		size_t i;

		for (i = 0; v && i < ARRAY_SIZE(modes); i++)
			if (!strcmp(v, modes[i])) {
				kc->netboot = (enum kc_netboot)(KC_NETBOOT_FIRST + i);
				return 0;
			}
		warn_add(w, "kcmdline: %s=%s: want first, last, only or off; "
			 "ignored", key, v ? v : "");
		return 1;
	}
	if (key_is(name, "url")) {
		if (!v || !*v || strlen(v) >= KC_URL_MAX) {
			warn_add(w, "kcmdline: '%s' needs a URL of at most %d "
				 "bytes; ignored", key, KC_URL_MAX - 1);
			return 1;
		}
		strcpy(kc->url, v);
		return 0;
	}
	if (key_is(name, "net"))
		return set_string(w, kc->net, key, v);
	if (key_is(name, "ip"))
		return set_string(w, kc->ip, key, v);
	if (key_is(name, "ca"))
		return set_string(w, kc->ca, key, v);
	if (key_is(name, "net_timeout")) {
		char *end;
		unsigned long s;

		errno = 0;
		s = v && *v >= '0' && *v <= '9' ? strtoul(v, &end, 10) : 0;
		if (!v || !(*v >= '0' && *v <= '9') || *end || errno || !s ||
		    s > 3600) {
			warn_add(w, "kcmdline: %s=%s: want seconds 1..3600; "
				 "ignored", key, v ? v : "");
			return 1;
		}
		kc->net_timeout = (unsigned)s;
		return 0;
	}
	warn_add(w, "kcmdline: unknown parameter '%s' ignored", key);
	return 1;
}

int kcmdline_parse(const char *cmdline, struct kcmdline *kc,
		   struct warnings *w)
{
	const char *p = cmdline ? cmdline : "";
	struct kc_param prm;
	int warnings = 0;
	char *buf;

	kcmdline_defaults(kc);
	buf = malloc(strlen(p) + 1);
	if (!buf) {
		warn_add(w, "kcmdline: out of memory; using defaults");
		return 1;
	}
	while (kcmdline_next(&p, buf, &prm))
		if (!strncmp(prm.key, "kexshim.", 8))
			warnings += parse_one(w, kc, prm.key, prm.value);
	free(buf);
	return warnings;
}

const char *kcmdline_esp_partuuid(const struct kcmdline *kc)
{
	if (!strncasecmp(kc->esp, "PARTUUID=", 9))
		return kc->esp + 9;
	return NULL;
}

/* Parameters that describe the running shim, not the target. */
static bool shim_only(const char *key)
{
	return !strncmp(key, "kexshim.", 8) || !strcmp(key, "BOOT_IMAGE") ||
	       !strcmp(key, "initrd");
}

/* Append " " (unless first) and s[0..len) to out.  Return: 0 or
 * -ENAMETOOLONG. */
static int append(char *out, size_t outsz, size_t *n, const char *s,
		  size_t len)
{
	if (*n + (*n > 0) + len + 1 > outsz)
		return -ENAMETOOLONG;
	if (*n > 0)
		out[(*n)++] = ' ';
	memcpy(out + *n, s, len);
	*n += len;
	out[*n] = '\0';
	return 0;
}

int kcmdline_strip(const char *cmdline, char *out, size_t outsz)
{
	const char *p = cmdline ? cmdline : "";
	struct kc_param prm;
	size_t n = 0;
	char *buf;
	int rc = 0;

	if (!outsz)
		return -ENAMETOOLONG;
	out[0] = '\0';
	buf = malloc(strlen(p) + 1);
	if (!buf)
		return -ENOMEM;
	while (kcmdline_next(&p, buf, &prm)) {
		if (shim_only(prm.key))
			continue;
		rc = append(out, outsz, &n, prm.raw, prm.raw_len);
		if (rc)
			break;
	}
	/* Init's arguments go with it as written: they are the same init's. */
	if (!rc && *p)
		rc = append(out, outsz, &n, p, strlen(p));
	free(buf);
	return rc;
}
