/* test/unit: the purgatory, as far as a host can check it.  Link-level
 * checks on the blob kexshim embeds (build/x86_64/purgatory.bin, via
 * boot/kexec/purgatory_blob.S), and the blob's own verification code
 * (purgatory/verify.c, print.c) built for the host and run on buffers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kexshim/purgatory.h"
#include "common/sha256.h"
#include "purgatory/purgatory.h"

extern const unsigned char purgatory_blob[];
extern const unsigned long purgatory_blob_size;

static struct purgatory_args blob_args(void)
{
	struct purgatory_args a;

	assert_true(purgatory_blob_size >= sizeof(a));
	memcpy(&a, purgatory_blob, sizeof(a));
	return a;
}

static void test_blob_header(void **state)
{
	struct purgatory_args a = blob_args();

	assert_int_equal(a.magic, PURGATORY_MAGIC);
	assert_int_equal(a.version, PURGATORY_VERSION);
}

static void test_blob_size(void **state)
{
	struct purgatory_args a = blob_args();

	assert_true(purgatory_blob_size <= 16 * 1024);
	/* mem_size covers the file, its bss and the 8 KiB stack. */
	assert_true(a.mem_size >= purgatory_blob_size + 8192);
	assert_true(a.mem_size % 16 == 0);
}

static void test_blob_entry(void **state)
{
	struct purgatory_args a = blob_args();

	/* In the file, past the args the loader overwrites. */
	assert_true(a.entry_offset >= sizeof(struct purgatory_args));
	assert_true(a.entry_offset < purgatory_blob_size);
	/* x86_64: the entry starts with cli (0xfa). */
	assert_int_equal(purgatory_blob[a.entry_offset], 0xfa);
}

/* Everything after the link-time words is the loader's to fill: zero. */
static void test_blob_loader_part_zero(void **state)
{
	size_t i;

	for (i = offsetof(struct purgatory_args, entry);
	     i < sizeof(struct purgatory_args); i++)
		assert_int_equal(purgatory_blob[i], 0);
}

/* Output capture for struct pg_out. */
struct capture {
	char buf[1024];
	size_t len;
};

static void capture_putc(void *ctx, char c)
{
	struct capture *cap = ctx;

	assert_true(cap->len + 1 < sizeof(cap->buf));
	cap->buf[cap->len++] = c;
	cap->buf[cap->len] = '\0';
}

#define NR_TEST_REGIONS 4
static const size_t region_len[NR_TEST_REGIONS] = { 4096, 1, 100003, 0 };

struct fixture {
	struct purgatory_args args;
	uint8_t *mem[NR_TEST_REGIONS];
	struct capture cap;
	struct pg_out out;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	unsigned int i;
	size_t j;

	if (!f)
		return -1;
	f->args.nr_regions = NR_TEST_REGIONS;
	for (i = 0; i < NR_TEST_REGIONS; i++) {
		f->mem[i] = malloc(region_len[i] + 1);
		if (!f->mem[i])
			return -1;
		for (j = 0; j < region_len[i]; j++)
			f->mem[i][j] = (uint8_t)(j * 31 + i);
		f->args.regions[i].start = (uint64_t)(uintptr_t)f->mem[i];
		f->args.regions[i].len = region_len[i];
		sha256(f->mem[i], region_len[i], f->args.regions[i].sha256);
	}
	f->out.putc = capture_putc;
	f->out.ctx = &f->cap;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	unsigned int i;

	for (i = 0; i < NR_TEST_REGIONS; i++)
		free(f->mem[i]);
	free(f);
	return 0;
}

static void test_verify_all_good(void **state)
{
	struct fixture *f = *state;
	uint32_t bad = 12345;

	assert_int_equal(purgatory_verify(&f->args, &f->out, &bad), 0);
	assert_int_equal(bad, 12345);
	assert_string_equal(f->cap.buf, "purgatory: verifying 4 segments\n");
}

static void test_verify_corrupt_region_2(void **state)
{
	struct fixture *f = *state;
	uint32_t bad = 0;

	f->mem[2][77777] ^= 0x01;
	assert_int_equal(purgatory_verify(&f->args, &f->out, &bad), -1);
	assert_int_equal(bad, 2);
	assert_string_equal(f->cap.buf,
			    "purgatory: verifying 4 segments\n"
			    "purgatory: sha256 mismatch in segment 2\n");
}

/* A wrong stored digest is a mismatch too, and the first one wins. */
static void test_verify_first_mismatch_reported(void **state)
{
	struct fixture *f = *state;
	uint32_t bad = 0;

	f->args.regions[1].sha256[31] ^= 0x80;
	f->mem[2][0] ^= 0xff;
	assert_int_equal(purgatory_verify(&f->args, &f->out, &bad), -1);
	assert_int_equal(bad, 1);
	assert_non_null(strstr(f->cap.buf,
			       "purgatory: sha256 mismatch in segment 1\n"));
	assert_null(strstr(f->cap.buf, "segment 2"));
}

/* The length is the file-backed part only: a change past it is not seen. */
static void test_verify_only_len_bytes(void **state)
{
	struct fixture *f = *state;
	uint32_t bad = 0;

	f->mem[1][1] ^= 0xff;
	assert_int_equal(purgatory_verify(&f->args, &f->out, &bad), 0);
}

static void test_verify_no_regions(void **state)
{
	struct fixture *f = *state;
	uint32_t bad = 0;

	f->args.nr_regions = 0;
	assert_int_equal(purgatory_verify(&f->args, &f->out, &bad), 0);
	assert_string_equal(f->cap.buf, "purgatory: verifying 0 segments\n");
}

static void test_verify_too_many_regions(void **state)
{
	struct fixture *f = *state;
	uint32_t bad = 0;

	f->args.nr_regions = PURGATORY_MAX_REGIONS + 1;
	assert_int_equal(purgatory_verify(&f->args, &f->out, &bad), -1);
	assert_int_equal(bad, PURGATORY_MAX_REGIONS + 1);
	assert_string_equal(f->cap.buf,
			    "purgatory: verifying 17 segments\n"
			    "purgatory: bad segment count\n");
}

static void test_print_numbers(void **state)
{
	struct capture cap = { .len = 0 };
	struct pg_out out = { .putc = capture_putc, .ctx = &cap };

	pg_put_hex(&out, 0x1000200);
	pg_puts(&out, " ");
	pg_put_hex(&out, 0);
	pg_puts(&out, " ");
	pg_put_hex(&out, UINT64_MAX);
	pg_puts(&out, " ");
	pg_put_dec(&out, 0);
	pg_puts(&out, " ");
	pg_put_dec(&out, 15);
	pg_puts(&out, " ");
	pg_put_dec(&out, UINT64_MAX);
	assert_string_equal(cap.buf, "0x1000200 0x0 0xffffffffffffffff "
				     "0 15 18446744073709551615");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_blob_header),
		cmocka_unit_test(test_blob_size),
		cmocka_unit_test(test_blob_entry),
		cmocka_unit_test(test_blob_loader_part_zero),
		cmocka_unit_test_setup_teardown(test_verify_all_good,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_verify_corrupt_region_2,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_verify_first_mismatch_reported,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_verify_only_len_bytes,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_verify_no_regions,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_verify_too_many_regions,
						setup, teardown),
		cmocka_unit_test(test_print_numbers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
