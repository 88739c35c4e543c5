/*
 * test/unit/net/test_url.c: host tests of boot/net/url.c: every example of
 * RFC 3986 section 5.4 (normal and abnormal), resolution the way fetched
 * configs use it (a BLS entry's "/vmlinuz" and "vmlinuz", a redirect's
 * Location), parsing of the four schemes with their default ports, IPv6
 * literals, and malformed URLs refused with one "net: URL: reason" line.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lib/error.h"
#include "net/url.h"

static void test_rfc3986_examples(void **state)
{
	/* RFC 3986 5.4.1 and 5.4.2, base "http://a/b/c/d;p?q". */
	static const char *const t[][2] = {
		{ "g:h", "g:h" }, { "g", "http://a/b/c/g" },
		{ "./g", "http://a/b/c/g" }, { "g/", "http://a/b/c/g/" },
		{ "/g", "http://a/g" }, { "//g", "http://g" },
		{ "?y", "http://a/b/c/d;p?y" }, { "g?y", "http://a/b/c/g?y" },
		{ "#s", "http://a/b/c/d;p?q" }, { "g#s", "http://a/b/c/g" },
		{ "g?y#s", "http://a/b/c/g?y" }, { ";x", "http://a/b/c/;x" },
		{ "g;x", "http://a/b/c/g;x" }, { "g;x?y#s", "http://a/b/c/g;x?y" },
		{ "", "http://a/b/c/d;p?q" }, { ".", "http://a/b/c/" },
		{ "./", "http://a/b/c/" }, { "..", "http://a/b/" },
		{ "../", "http://a/b/" }, { "../g", "http://a/b/g" },
		{ "../..", "http://a/" }, { "../../", "http://a/" },
		{ "../../g", "http://a/g" },
		{ "../../../g", "http://a/g" }, { "../../../../g", "http://a/g" },
		{ "/./g", "http://a/g" }, { "/../g", "http://a/g" },
		{ "g.", "http://a/b/c/g." }, { ".g", "http://a/b/c/.g" },
		{ "g..", "http://a/b/c/g.." }, { "..g", "http://a/b/c/..g" },
		{ "./../g", "http://a/b/g" }, { "./g/.", "http://a/b/c/g/" },
		{ "g/./h", "http://a/b/c/g/h" }, { "g/../h", "http://a/b/c/h" },
		{ "g;x=1/./y", "http://a/b/c/g;x=1/y" },
		{ "g;x=1/../y", "http://a/b/c/y" },
		{ "g?y/./x", "http://a/b/c/g?y/./x" },
		{ "g?y/../x", "http://a/b/c/g?y/../x" },
		{ "g#s/./x", "http://a/b/c/g" }, { "g#s/../x", "http://a/b/c/g" },
		{ "http:g", "http:g" },
	};
	char out[256];
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		assert_int_equal(url_resolve("http://a/b/c/d;p?q", t[i][0], out,
					     sizeof(out)), 0);
		if (strcmp(out, t[i][1]))
			fail_msg("'%s' resolved to '%s', want '%s'", t[i][0], out,
				 t[i][1]);
	}
}

static void test_resolve_like_configs(void **state)
{
	char out[URL_MAX];

	/* A BLS entry fetched from http://srv/lab/x86/entry.conf. */
	assert_int_equal(url_resolve("http://srv/lab/x86/entry.conf", "/vmlinuz",
				     out, sizeof(out)), 0);
	assert_string_equal(out, "http://srv/vmlinuz");
	assert_int_equal(url_resolve("http://srv/lab/x86/entry.conf",
				     "vmlinuz", out, sizeof(out)), 0);
	assert_string_equal(out, "http://srv/lab/x86/vmlinuz");
	assert_int_equal(url_resolve("http://srv/lab/x86/entry.conf",
				     "https://other:8443/k?x=1", out,
				     sizeof(out)), 0);
	assert_string_equal(out, "https://other:8443/k?x=1");
	/* The PXELINUX prefix with pxelinux.cfg/ names. */
	assert_int_equal(url_resolve("tftp://10.0.2.2/boot/",
				     "pxelinux.cfg/default", out, sizeof(out)), 0);
	assert_string_equal(out, "tftp://10.0.2.2/boot/pxelinux.cfg/default");
	/* An authority with an empty path: merge() puts "/" in. */
	assert_int_equal(url_resolve("http://h", "x", out, sizeof(out)), 0);
	assert_string_equal(out, "http://h/x");
	/* Too small an output buffer is an error, not a cut URL. */
	assert_int_equal(url_resolve("http://h/", "abcdefgh", out, 12),
			 -ENAMETOOLONG);
	/* A base without a scheme, a reference with a space. */
	assert_int_equal(url_resolve("/relative", "x", out, sizeof(out)), -EINVAL);
	assert_int_equal(url_resolve("http://h/", "a b", out, sizeof(out)),
			 -EINVAL);
	assert_non_null(strstr(kx_last_error(), "not allowed"));
}

static void test_parse_schemes(void **state)
{
	struct url u;
	char text[URL_MAX];

	assert_int_equal(url_parse("HTTP://Boot.Lab.Example:8080/a/b?x=1#frag",
				   &u), 0);
	assert_int_equal(u.scheme, URL_HTTP);
	assert_string_equal(u.host, "boot.lab.example");
	assert_int_equal(u.port, 8080);
	assert_string_equal(u.path, "/a/b?x=1");
	assert_int_equal(url_format(&u, text, sizeof(text)), 0);
	assert_string_equal(text, "http://boot.lab.example:8080/a/b?x=1");

	assert_int_equal(url_parse("https://h", &u), 0);
	assert_int_equal(u.port, 443);
	assert_string_equal(u.path, "/");
	assert_int_equal(url_parse("http://h:/x", &u), 0); /* empty port */
	assert_int_equal(u.port, 80);
	assert_int_equal(url_parse("tftp://10.0.2.2/pxelinux.cfg/default", &u), 0);
	assert_int_equal(u.scheme, URL_TFTP);
	assert_int_equal(u.port, 69);
	assert_string_equal(u.host, "10.0.2.2");
	assert_false(u.host_v6);

	assert_int_equal(url_parse("tftp://[fec0::2]:1069/x", &u), 0);
	assert_true(u.host_v6);
	assert_string_equal(u.host, "fec0::2");
	assert_int_equal(u.port, 1069);
	assert_int_equal(url_format(&u, text, sizeof(text)), 0);
	assert_string_equal(text, "tftp://[fec0::2]:1069/x");

	assert_int_equal(url_parse("file:///esp/ca.pem", &u), 0);
	assert_int_equal(u.scheme, URL_FILE);
	assert_string_equal(u.path, "/esp/ca.pem");
	assert_int_equal(url_parse("file:/esp/x", &u), 0);
	assert_int_equal(url_parse("file://localhost/esp/x", &u), 0);
	assert_string_equal(url_scheme_name(URL_HTTPS), "https");
}

static void test_parse_refused(void **state)
{
	static const struct {
		const char *url, *why;
	} bad[] = {
		{ "ftp://h/x", "scheme 'ftp' not supported" },
		{ "/just/a/path", "not an absolute URL" },
		{ "http:/x", "no host" },
		{ "http:///x", "no host" },
		{ "http://user:pw@h/x", "user names or passwords" },
		{ "http://h:0/", "bad port" },
		{ "http://h:65536/", "bad port" },
		{ "http://h:8o/", "bad port" },
		{ "http://h_h%41/", "bad host name" },
		{ "http://1.2.3/", "bad IPv4 address" },
		{ "http://[fe80::1%25eth0]/", "zone" },
		{ "http://[::g]/", "bad IPv6 literal" },
		{ "http://[::1]x/", "junk after the IPv6 literal" },
		{ "http://h/a\tb", "not allowed" },
		{ "http://h/\x80", "not allowed" },
		{ "tftp://h/", "no file name" },
		{ "tftp://h/x?y", "a query means nothing" },
		{ "file://other/x", "must name this machine" },
		{ "file:x", "absolute path" },
	};
	struct url u;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(url_parse(bad[i].url, &u), -EINVAL);
		if (strncmp(kx_last_error(), "net: ", 5) ||
		    !strstr(kx_last_error(), bad[i].why))
			fail_msg("'%s': '%s' does not say '%s'", bad[i].url,
				 kx_last_error(), bad[i].why);
	}
}

static void test_long_url(void **state)
{
	static char s[URL_MAX + 10];
	struct url u;

	memset(s, 'a', sizeof(s) - 1);
	memcpy(s, "http://h/", 9);
	assert_int_equal(url_parse(s, &u), -EINVAL);
	assert_non_null(strstr(kx_last_error(), "longer than"));
}

static void test_path_decode(void **state)
{
	char out[32];

	assert_int_equal(url_path_decode("a%20b/%7e", out, sizeof(out)), 0);
	assert_string_equal(out, "a b/~");
	assert_int_equal(url_path_decode("a%00b", out, sizeof(out)), -EINVAL);
	assert_int_equal(url_path_decode("a%zz", out, sizeof(out)), -EINVAL);
	assert_int_equal(url_path_decode("a%2", out, sizeof(out)), -EINVAL);
	assert_int_equal(url_path_decode("a?b", out, sizeof(out)), -EINVAL);
	assert_int_equal(url_path_decode("abcdef", out, 4), -ENAMETOOLONG);
}

static void test_basename(void **state)
{
	char out[32];

	assert_int_equal(url_basename("http://h/a/vmlinuz?x=1", out, sizeof(out)), 7);
	assert_string_equal(out, "vmlinuz");
	assert_int_equal(url_basename("http://h/a/", out, sizeof(out)), 0);
	assert_string_equal(out, "");
	assert_int_equal(url_basename("tftp://h/initrd.img", out, 5), 10);
	assert_string_equal(out, "init");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc3986_examples),
		cmocka_unit_test(test_resolve_like_configs),
		cmocka_unit_test(test_parse_schemes),
		cmocka_unit_test(test_parse_refused),
		cmocka_unit_test(test_long_url),
		cmocka_unit_test(test_path_decode),
		cmocka_unit_test(test_basename),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
