/* purgatory: text output helpers, runs between two kernels (and in the host
 * unit tests).  No printf in a freestanding blob: strings and numbers only. */
#include "purgatory.h"

void pg_puts(const struct pg_out *out, const char *s)
{
	while (*s)
		out->putc(out->ctx, *s++);
}

/* Digits are produced backwards into buf, then emitted in order. */
static void put_num(const struct pg_out *out, uint64_t v, unsigned int base)
{
	char buf[20]; /* 2^64 - 1 has 20 decimal digits */
	unsigned int n = 0;

	do {
		buf[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	while (n)
		out->putc(out->ctx, buf[--n]);
}

void pg_put_dec(const struct pg_out *out, uint64_t v)
{
	put_num(out, v, 10);
}

void pg_put_hex(const struct pg_out *out, uint64_t v)
{
	pg_puts(out, "0x");
	put_num(out, v, 16);
}
