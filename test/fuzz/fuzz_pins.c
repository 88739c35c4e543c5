/* fuzz: pins_parse() on arbitrary .pins section bytes.  Checks pins.h's
 * promises: at most PINS_MAX pins; every pin parsed matches itself; an
 * error names a line (1-based) and a reason and has a known code. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pins.h"

#define CHECK(c) do { if (!(c)) { \
	fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #c); \
	abort(); } } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct pins pins;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pins_error err;
	enum pins_err rc = pins_parse(data, size, &pins, &err);
	unsigned int i, lines = 1;

	if (rc != PINS_OK) {
		CHECK(rc > PINS_OK && rc <= PINS_ETEXT);
		CHECK(err.code == rc && err.reason && err.reason[0]);
		for (size_t k = 0; k < size; k++)
			lines += data[k] == '\n';
		CHECK(err.line >= 1 && err.line <= lines);
		return 0;
	}
	CHECK(pins.n <= PINS_MAX);
	for (i = 0; i < pins.n; i++)
		CHECK(pins_match(&pins, pins.sha256[i]));
	return 0;
}
