/* Host unit tests: boot/lib/error.c, the one-line messages every layer
 * records and wraps. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lib/error.h"

static void test_wrap(void **state)
{
	assert_int_equal(kx_fail(ENOENT, "gpt: %s: no header", "/dev/vda"),
			 -ENOENT);
	/* Wrapping the previous message with itself as an argument. */
	assert_int_equal(kx_fail(EINVAL, "esp: %s; then %s", kx_last_error(),
				 kx_last_error()), -EINVAL);
	assert_string_equal(kx_last_error(), "esp: gpt: /dev/vda: no header; "
			    "then gpt: /dev/vda: no header");
	/* errno 0 must not read as success; a negative errno is fine. */
	assert_int_equal(kx_fail(0, "x"), -EIO);
	assert_int_equal(kx_fail(-EPERM, "x"), -EPERM);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wrap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
