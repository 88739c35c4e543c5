/* fuzz: bls_parse_entry() and bls_parse_loader_conf() on the same bytes,
 * bls_entry_id() on the first line as a file name, and the comparators on
 * what was parsed.  Checks bls.h's promises: values trimmed, single-line,
 * ".."-free paths, at most 8 initrds, an empty struct after an error, and
 * version order antisymmetric. */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/bls.h"
#include "config/entry.h"
#include "lib/console.h"
#include "config/loaderconf.h"
#include "lib/error.h"
#include "lib/warn.h"

#define CHECK(c) do { if (!(c)) { \
	fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #c); \
	abort(); } } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int sign(int x)
{
	return (x > 0) - (x < 0);
}

static void check_value(const char *v)
{
	size_t n;

	if (!v)
		return;
	n = strlen(v);
	CHECK(n > 0);
	CHECK(!strchr(v, '\n'));
	CHECK(v[0] != ' ' && v[0] != '\t');
	CHECK(v[n - 1] != ' ' && v[n - 1] != '\t' && v[n - 1] != '\r');
}

static void check_path(const char *v)
{
	const char *p = v;

	check_value(v);
	if (!v)
		return;
	for (;;) {
		const char *slash = strchr(p, '/');
		size_t n = slash ? (size_t)(slash - p) : strlen(p);

		CHECK(!(n == 2 && p[0] == '.' && p[1] == '.'));
		if (!slash)
			break;
		p = slash + 1;
	}
}

static void check_version_order(const char *a, const char *b)
{
	CHECK(bls_version_cmp(a, a) == 0);
	CHECK(sign(bls_version_cmp(a, b)) == -sign(bls_version_cmp(b, a)));
}

static void check_id(const uint8_t *data, size_t size)
{
	char name[256];
	const uint8_t *nl = memchr(data, '\n', size);
	size_t n = nl ? (size_t)(nl - data) : size;
	char *id = NULL;
	int left = 7, done = 7, ret;

	if (n >= sizeof(name) || memchr(data, '\0', n))
		return;
	memcpy(name, data, n);
	name[n] = '\0';
	ret = bls_entry_id(name, (n & 1) ? ".efi" : ".conf", &id, &left, &done);
	if (ret) {
		CHECK(ret == -EINVAL || ret == -ENOMEM);
		return;
	}
	CHECK(id && strlen(id) < n);
	CHECK(!strchr(id, '/'));
	CHECK(left >= -1 && done >= 0);
	if (left < 0)
		CHECK(done == 0);
	free(id);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	struct boot_entry e, e2;
	struct warnings w = { 0 };
	struct loader_conf c;
	size_t i;
	int ret;

	check_id(data, size);

	ret = bls_parse_entry("/loader/entries/fuzz+3-1.conf", buf, size, &e);
	if (ret) {
		CHECK(ret < 0);
		CHECK(!strncmp(kx_last_error(), "bls: ", 5));
		CHECK(!e.id && !e.title && !e.version && !e.machine_id &&
		      !e.sort_key && !e.architecture && !e.kernel.path &&
		      !e.nr_initrd && !e.options && !e.devicetree.path &&
		      !e.nr_overlay && !e.config);
	} else {
		CHECK(e.id && !strcmp(e.id, "fuzz"));
		CHECK(e.tries_left == 3 && e.tries_done == 1);
		CHECK(e.kernel.path);
		check_path(e.kernel.path);
		check_path(e.devicetree.path);
		CHECK(e.nr_initrd <= ENTRY_MAX_INITRDS);
		for (i = 0; i < e.nr_initrd; i++) {
			CHECK(e.initrd[i].path);
			check_path(e.initrd[i].path);
		}
		for (; i < ENTRY_MAX_INITRDS; i++)
			CHECK(!e.initrd[i].path);
		check_value(e.title);
		check_value(e.version);
		check_value(e.machine_id);
		check_value(e.sort_key);
		check_value(e.architecture);
		check_value(e.options);

		check_version_order(e.version, e.title);
		check_version_order(e.kernel.path, e.options);
		CHECK(bls_compare(&e, &e) == 0);
		/* The same entry under another name. */
		CHECK(!bls_parse_entry("x.conf", buf, size, &e2));
		CHECK(sign(bls_compare(&e, &e2)) == -sign(bls_compare(&e2, &e)));
		entry_free(&e2);
		entry_free(&e);
	}

	ret = loader_conf_parse("loader.conf", buf, size, &c, &w);
	CHECK(w.n <= WARN_MAX);
	for (i = 0; i < w.n; i++)
		CHECK(!strncmp(w.msg[i], "loader.conf: ", 13));
	if (ret) {
		CHECK(ret < 0 && !c.default_pattern);
		CHECK(!strncmp(kx_last_error(), "loader.conf: ", 13));
	} else {
		check_value(c.default_pattern);
		if (c.default_pattern) {
			CHECK(c.default_pattern[0] != '@');
			bls_default_matches(c.default_pattern, "fuzz-6.1.0");
		}
		loader_conf_free(&c);
		CHECK(!c.default_pattern);
	}
	return 0;
}
