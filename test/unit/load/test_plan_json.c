/* Host unit tests: `kexshim plan` JSON output, checked by parsing it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "kexec/plan.h"
#include "load/plan_json.h"
#include "common/sha256.h"
#include "load/load.h"

/* A minimal JSON reader: validates the text and records every member as
 * "path=value" (strings unquoted, numbers as text), in document order. */
struct kv {
	char key[64];
	char val[80];
};

static struct kv kvs[64];
static size_t nkv;
static const char *js;

static void ws(void)
{
	while (*js == ' ' || *js == '\n' || *js == '\t' || *js == '\r')
		js++;
}

static int jstring(char *out, size_t n)
{
	size_t i = 0;

	if (*js++ != '"')
		return -1;
	while (*js && *js != '"') {
		char c = *js++;

		if (c == '\\') {
			c = *js++;
			if (c == 'u') {
				js += 4;
				c = '?';
			}
		}
		if (i + 1 < n)
			out[i++] = c;
	}
	out[i] = '\0';
	return *js++ == '"' ? 0 : -1;
}

static int jvalue(const char *path);

static int jobject(const char *path)
{
	char key[64], sub[64];

	js++;
	ws();
	if (*js == '}')
		return js++, 0;
	for (;;) {
		ws();
		if (jstring(key, sizeof(key)))
			return -1;
		ws();
		if (*js++ != ':')
			return -1;
		if (snprintf(sub, sizeof(sub), "%s%s%s", path,
			     *path ? "." : "", key) >= (int)sizeof(sub) ||
		    jvalue(sub))
			return -1;
		ws();
		if (*js == ',') {
			js++;
			continue;
		}
		return *js++ == '}' ? 0 : -1;
	}
}

static int jarray(const char *path)
{
	char sub[64];
	int i = 0;

	js++;
	ws();
	if (*js == ']')
		return js++, 0;
	for (;; i++) {
		if (snprintf(sub, sizeof(sub), "%s[%d]", path, i) >=
			    (int)sizeof(sub) ||
		    jvalue(sub))
			return -1;
		ws();
		if (*js == ',') {
			js++;
			continue;
		}
		return *js++ == ']' ? 0 : -1;
	}
}

static int jvalue(const char *path)
{
	struct kv *kv;

	ws();
	if (*js == '{')
		return jobject(path);
	if (*js == '[')
		return jarray(path);
	if (nkv >= 64)
		return -1;
	kv = &kvs[nkv++];
	if (snprintf(kv->key, sizeof(kv->key), "%s", path) >=
	    (int)sizeof(kv->key))
		return -1;
	if (*js == '"')
		return jstring(kv->val, sizeof(kv->val));
	if (*js >= '0' && *js <= '9') {
		size_t i = 0;

		while (*js >= '0' && *js <= '9' && i + 1 < sizeof(kv->val))
			kv->val[i++] = *js++;
		kv->val[i] = '\0';
		return 0;
	}
	return -1;
}

static int json_parse(const char *text)
{
	nkv = 0;
	js = text;
	if (jvalue(""))
		return -1;
	ws();
	return *js ? -1 : 0;
}

static const char *get(const char *key)
{
	size_t i;

	for (i = 0; i < nkv; i++)
		if (!strcmp(kvs[i].key, key))
			return kvs[i].val;
	return NULL;
}

static void hex(const uint8_t *d, char *out)
{
	int i;

	for (i = 0; i < 32; i++)
		sprintf(out + 2 * i, "%02x", d[i]);
}

static struct load l;
static const char kernel[] = "pretend this is a bzImage";
static const char initrd[] = "070701 cpio \"with\" quotes";

static char *print(void)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	assert_int_equal(plan_print_json(f, &l), 0);
	fclose(f);
	return text;
}

static void test_small_plan(void **state)
{
	struct memmap m = { .n = 1 };
	struct plan_item k = { .name = "kernel", .buf = kernel,
			       .bufsz = sizeof(kernel), .memsz = 3 * 4096 + 1,
			       .flags = PLAN_FIXED, .fixed = 0x1000000 };
	struct plan_item i = { .name = "initrd\"x", .buf = initrd,
			       .bufsz = sizeof(initrd), .memsz = sizeof(initrd),
			       .flags = PLAN_HIGH };
	struct plan_item z = { .name = "bss", .memsz = 4096, .max = 0x200000 };
	uint8_t d[32];
	char want[65], *text;
	static const char *order[] = { "name", "mem", "memsz", "bufsz", "end",
				       "sha256" };
	size_t n;

	m.r[0] = (struct memmap_range){ 0x100000, 0x40000000, MEMMAP_RAM };
	memset(&l, 0, sizeof(l));
	assert_int_equal(plan_init(&l.plan, &m), 0);
	assert_int_equal(plan_add(&l.plan, &i), 0);
	assert_int_equal(plan_add(&l.plan, &k), 0);
	assert_int_equal(plan_add(&l.plan, &z), 0);
	assert_int_equal(plan_finish(&l.plan), 0);
	l.entry = 0x3fff0123;

	text = print();
	assert_int_equal(json_parse(text), 0);
	assert_string_equal(get("entry"), "0x3fff0123");
	/* Sorted by address: bss, kernel, initrd. */
	assert_string_equal(get("segments[0].name"), "bss");
	assert_string_equal(get("segments[0].mem"), "0x100000");
	assert_string_equal(get("segments[0].end"), "0x101000");
	assert_string_equal(get("segments[0].bufsz"), "0");
	assert_string_equal(get("segments[1].name"), "kernel");
	assert_string_equal(get("segments[1].mem"), "0x1000000");
	assert_string_equal(get("segments[1].memsz"), "16384");
	assert_string_equal(get("segments[1].end"), "0x1004000");
	sha256(kernel, sizeof(kernel), d);
	hex(d, want);
	assert_string_equal(get("segments[1].sha256"), want);
	assert_string_equal(get("segments[2].name"), "initrd\"x");
	assert_string_equal(get("segments[2].mem"), "0x3ffff000");
	assert_string_equal(get("segments[2].end"), "0x40000000");
	sha256(initrd, sizeof(initrd), d);
	hex(d, want);
	assert_string_equal(get("segments[2].sha256"), want);
	/* sha256 of nothing for a bufsz 0 segment. */
	assert_string_equal(get("segments[0].sha256"),
			    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	assert_null(get("segments[3].name"));
	/* Stable key order: entry, then each segment's keys in order. */
	assert_int_equal(nkv, 1 + 3 * 6);
	assert_string_equal(kvs[0].key, "entry");
	for (n = 0; n < 18; n++)
		assert_non_null(strstr(kvs[1 + n].key, order[n % 6]));
	free(text);
}

static void test_empty_plan(void **state)
{
	char *text;

	memset(&l, 0, sizeof(l));
	text = print();
	assert_int_equal(json_parse(text), 0);
	assert_string_equal(get("entry"), "0x0");
	assert_int_equal(nkv, 1);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_small_plan),
		cmocka_unit_test(test_empty_plan),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
