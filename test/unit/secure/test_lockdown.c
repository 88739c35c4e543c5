/* Host unit tests: boot/secure/lockdown.c (the lockdown file's text, the
 * SecureBoot/SetupMode variables on a fake tree), policy.c (which kexec
 * syscall) and the kexec_file_load errno words of boot/kexec/kexec.c. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "kexec/kexec.h"
#include "lib/error.h"
#include "secure/efivar.h"
#include "secure/lockdown.h"
#include "secure/secure.h"
#include "tree.h"

#define BS_RT (EFI_VARIABLE_BOOTSERVICE_ACCESS | EFI_VARIABLE_RUNTIME_ACCESS)

static void test_parse(void **state)
{
	assert_int_equal(lockdown_parse("[none] integrity confidentiality\n"),
			 LOCKDOWN_NONE);
	assert_int_equal(lockdown_parse("none [integrity] confidentiality\n"),
			 LOCKDOWN_INTEGRITY);
	assert_int_equal(lockdown_parse("none integrity [confidentiality]"),
			 LOCKDOWN_CONFIDENTIALITY);
	/* Not the LSM's format: nothing is assumed. */
	assert_int_equal(lockdown_parse("none integrity confidentiality"),
			 LOCKDOWN_UNKNOWN);
	assert_int_equal(lockdown_parse("[integ] x"), LOCKDOWN_UNKNOWN);
	assert_int_equal(lockdown_parse("[integrityx]"), LOCKDOWN_UNKNOWN);
	assert_int_equal(lockdown_parse("[ integrity"), LOCKDOWN_UNKNOWN);
	assert_int_equal(lockdown_parse(""), LOCKDOWN_UNKNOWN);
	assert_true(lockdown_active(LOCKDOWN_INTEGRITY));
	assert_true(lockdown_active(LOCKDOWN_CONFIDENTIALITY));
	assert_false(lockdown_active(LOCKDOWN_NONE));
	assert_false(lockdown_active(LOCKDOWN_UNKNOWN));
}

static void test_state(void **state)
{
	char *root = tree_new(), line[128];
	struct secure_state st;
	uint8_t one = 1, zero = 0;

	assert_non_null(root);
	/* Nothing there (a BIOS boot, no securityfs): unknown, not an error. */
	secure_state_read(root, &st);
	assert_int_equal(st.lockdown, LOCKDOWN_UNKNOWN);
	assert_int_equal(st.secure_boot, -1);
	assert_int_equal(st.setup_mode, -1);
	secure_state_describe(&st, line, sizeof(line));
	assert_string_equal(line, "lockdown unknown, SecureBoot -, SetupMode -");

	/* Debian's kernel under Secure Boot. */
	assert_int_equal(tree_lockdown(root, "none [integrity] confidentiality\n"), 0);
	assert_int_equal(tree_var(root, "SecureBoot", EFI_GLOBAL_VARIABLE_GUID,
				  BS_RT, &one, 1), 0);
	assert_int_equal(tree_var(root, "SetupMode", EFI_GLOBAL_VARIABLE_GUID,
				  BS_RT, &zero, 1), 0);
	secure_state_read(root, &st);
	assert_int_equal(st.lockdown, LOCKDOWN_INTEGRITY);
	assert_int_equal(st.secure_boot, 1);
	assert_int_equal(st.setup_mode, 0);
	secure_state_describe(&st, line, sizeof(line));
	assert_string_equal(line, "lockdown integrity, SecureBoot 1, SetupMode 0");

	/* A variable of the wrong size, or one without attributes: absent. */
	assert_int_equal(tree_var(root, "SecureBoot", EFI_GLOBAL_VARIABLE_GUID,
				  BS_RT, "\1\1", 2), 0);
	assert_int_equal(tree_write(root, "sys/firmware/efi/efivars/SetupMode-"
				    EFI_GLOBAL_VARIABLE_GUID, "\6", 1, NULL, 0), 0);
	secure_state_read(root, &st);
	assert_int_equal(st.secure_boot, -1);
	assert_int_equal(st.setup_mode, -1);
	tree_free(root);
}

static void test_efivar(void **state)
{
	char *root = tree_new();
	uint8_t *d;
	size_t n;
	uint32_t a;

	assert_non_null(root);
	assert_int_equal(efivar_read(root, "db", EFI_IMAGE_SECURITY_DATABASE_GUID,
				     &d, &n, &a), -ENOENT);
	assert_int_equal(tree_var(root, "db", EFI_IMAGE_SECURITY_DATABASE_GUID,
				  0x27, "abc", 3), 0);
	assert_int_equal(efivar_read(root, "db", EFI_IMAGE_SECURITY_DATABASE_GUID,
				     &d, &n, &a), 0);
	assert_int_equal(a, 0x27);
	assert_int_equal(n, 3);
	assert_memory_equal(d, "abc", 3);
	free(d);
	/* Attributes only: an empty variable. */
	assert_int_equal(tree_var(root, "dbx", EFI_IMAGE_SECURITY_DATABASE_GUID,
				  0x27, NULL, 0), 0);
	assert_int_equal(efivar_read(root, "dbx", EFI_IMAGE_SECURITY_DATABASE_GUID,
				     &d, &n, &a), 0);
	assert_int_equal(n, 0);
	free(d);
	tree_free(root);
}

static void test_pick(void **state)
{
	struct secure_state locked = { LOCKDOWN_INTEGRITY, 1, 0 };
	struct secure_state open = { LOCKDOWN_NONE, 0, 0 };
	struct secure_state unknown = { LOCKDOWN_UNKNOWN, -1, -1 };
	enum secure_method m;

	assert_int_equal(secure_pick_method(&open, SECURE_FILE_AUTO, false, &m), 0);
	assert_int_equal(m, SECURE_VIA_LOAD);
	assert_int_equal(secure_pick_method(&unknown, SECURE_FILE_AUTO, false, &m), 0);
	assert_int_equal(m, SECURE_VIA_LOAD);
	assert_int_equal(secure_pick_method(&locked, SECURE_FILE_AUTO, false, &m), 0);
	assert_int_equal(m, SECURE_VIA_FILE);
	/* kexec_load said EPERM once: the file path from then on. */
	assert_int_equal(secure_pick_method(&open, SECURE_FILE_AUTO, true, &m), 0);
	assert_int_equal(m, SECURE_VIA_FILE);
	/* -s */
	assert_int_equal(secure_pick_method(&open, SECURE_FILE_FORCE, false, &m), 0);
	assert_int_equal(m, SECURE_VIA_FILE);
	assert_int_equal(secure_pick_method(&locked, SECURE_FILE_FORCE, false, &m), 0);
	assert_int_equal(m, SECURE_VIA_FILE);
	/* --no-file-load */
	assert_int_equal(secure_pick_method(&open, SECURE_FILE_NEVER, false, &m), 0);
	assert_int_equal(m, SECURE_VIA_LOAD);
	assert_int_equal(secure_pick_method(&locked, SECURE_FILE_NEVER, false, &m),
			 -EPERM);
	assert_string_equal(kx_last_error(), "secure: the kernel is locked down "
			    "(integrity): kexec_load is refused and --no-file-load "
			    "forbids kexec_file_load");
	assert_int_equal(secure_pick_method(&open, SECURE_FILE_NEVER, true, &m),
			 -EPERM);
}

static void test_reasons(void **state)
{
	static const int refused[] = { EPERM, EKEYREJECTED, ENOKEY, EBADMSG, ENODATA };
	size_t i;

	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
		assert_true(kexec_file_refused(refused[i]));
	assert_false(kexec_file_refused(ENOEXEC));
	assert_false(kexec_file_refused(ENOMEM));
	assert_string_equal(kexec_file_reason(ENODATA), "it is not signed (ENODATA)");
	assert_non_null(strstr(kexec_file_reason(ENOKEY), "db or MOK"));
	assert_non_null(strstr(kexec_file_reason(EKEYREJECTED), "EKEYREJECTED"));
	assert_non_null(strstr(kexec_file_reason(EBADMSG), "malformed"));
	assert_non_null(strstr(kexec_file_reason(EPERM), "lockdown"));
	assert_non_null(strstr(kexec_file_reason(ENOSYS), "CONFIG_KEXEC_FILE"));
	assert_string_equal(kexec_file_reason(ENOMEM), strerror(ENOMEM));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_state),
		cmocka_unit_test(test_efivar),
		cmocka_unit_test(test_pick),
		cmocka_unit_test(test_reasons),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
