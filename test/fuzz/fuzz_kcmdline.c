/* fuzz: kcmdline_next(), kcmdline_parse() and kcmdline_strip() on an
 * arbitrary command line (a NUL-terminated copy; a NUL ends it early, as
 * for /proc/cmdline).  Checks kcmdline.h's promises: parameters stay inside
 * the line and kcmdline_next's buffer of strlen(*p) + 1 bytes, the
 * returned count is the number of warnings, values are valid or defaults,
 * and strip output fits, is idempotent, holds no kexshim.* parameter, and
 * is cut only at a parameter boundary when the buffer is too small. */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/console.h"
#include "lib/kcmdline.h"
#include "lib/warn.h"

#define CHECK(c) do { if (!(c)) { \
	fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #c); \
	abort(); } } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_next(const char *line)
{
	const char *p = line, *end = line + strlen(line);
	struct kc_param prm;

	for (;;) {
		size_t room = strlen(p) + 1;
		char *buf = malloc(room); /* exactly what the contract asks */
		const char *before = p;

		if (!buf)
			return;
		if (!kcmdline_next(&p, buf, &prm)) {
			free(buf);
			break;
		}
		CHECK(p > before && p <= end);
		CHECK(prm.raw >= before && prm.raw_len > 0);
		CHECK(prm.raw + prm.raw_len == p);
		CHECK(prm.key == buf && strlen(prm.key) <= prm.raw_len);
		if (prm.value)
			CHECK(prm.value > buf && prm.value + strlen(prm.value) < buf + room);
		free(buf);
	}
}

static void check_kc(const struct kcmdline *kc)
{
	const char *uuid = kcmdline_esp_partuuid(kc);

	CHECK(memchr(kc->esp, '\0', sizeof(kc->esp)));
	CHECK(memchr(kc->entry, '\0', sizeof(kc->entry)));
	if (kc->esp[0])
		CHECK(uuid || !strncmp(kc->esp, "/dev/", 5));
	if (uuid)
		CHECK(uuid == kc->esp + 9 && strlen(uuid) == 36);
	CHECK(kc->emergency == KC_EMERGENCY_REBOOT ||
	      kc->emergency == KC_EMERGENCY_HALT);
	CHECK(kc->emergency_delay <= KC_MAX_EMERGENCY_DELAY);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line, *out, *again;
	struct warnings w = { 0 };
	struct kcmdline kc;
	size_t len, n, small;
	int ret;

	line = malloc(size + 1);
	if (!line)
		return 0;
	memcpy(line, data, size);
	line[size] = '\0';
	len = strlen(line);

	check_next(line);

	ret = kcmdline_parse(line, &kc, &w);
	CHECK(ret >= 0 && (unsigned)ret == warn_count(&w));
	CHECK(w.n <= WARN_MAX);
	check_kc(&kc);

	/* Stripping never lengthens the line. */
	out = malloc(len + 1);
	again = malloc(len + 1);
	if (!out || !again)
		goto done;
	CHECK(kcmdline_strip(line, out, len + 1) == 0);
	n = strlen(out);
	CHECK(n <= len);
	CHECK(kcmdline_strip(out, again, n + 1) == 0);
	CHECK(!strcmp(out, again));
	memset(&w, 0, sizeof(w));
	CHECK(kcmdline_parse(out, &kc, &w) == 0 && !warn_count(&w));
	CHECK(!kc.esp[0] && !kc.entry[0] && !kc.verbose &&
	      kc.emergency == KC_EMERGENCY_REBOOT &&
	      kc.emergency_delay == KC_DEFAULT_EMERGENCY_DELAY);

	/* A smaller buffer: a prefix of whole parameters, NUL-terminated. */
	small = size ? data[0] % (n + 2) : 0;
	ret = kcmdline_strip(line, again, small);
	if (small > n) {
		CHECK(ret == 0 && !strcmp(out, again));
	} else {
		CHECK(ret == -ENAMETOOLONG);
		if (small) {
			CHECK(strlen(again) < small);
			CHECK(!strncmp(out, again, strlen(again)));
			if (again[0])
				CHECK(out[strlen(again)] == ' ');
		}
	}
done:
	free(again);
	free(out);
	free(line);
	return 0;
}
