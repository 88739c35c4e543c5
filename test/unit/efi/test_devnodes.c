/* Host unit tests: efi/devnodes.c, the loader's own device path read as
 * bytes (LoaderDevicePartUUID, LoaderImageIdentifier), on paths shaped
 * as OVMF gives them and on malformed ones. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "devnodes.h"

static uint8_t path[512];
static size_t len;

static void node(uint8_t type, uint8_t sub, const void *body, size_t n)
{
	path[len] = type;
	path[len + 1] = sub;
	path[len + 2] = (uint8_t)(n + 4);
	path[len + 3] = (uint8_t)((n + 4) >> 8);
	if (n)
		memcpy(path + len + 4, body, n);
	len += n + 4;
}

/* A FilePath node of ASCII name (n bytes of it, NULs included). */
static void file(const char *name, size_t n)
{
	uint8_t u[128] = { 0 };
	size_t i;

	for (i = 0; i < n; i++)
		u[2 * i] = (uint8_t)name[i];
	node(4, 4, u, 2 * n);
}

static void end(void)
{
	node(0x7f, 0xff, NULL, 0);
}

static void hd(uint8_t mbr_type, uint8_t sig_type, uint8_t fill)
{
	uint8_t b[38] = { 0 };

	memset(b + 20, fill, 16);
	b[36] = mbr_type;
	b[37] = sig_type;
	node(4, 1, b, sizeof(b));
}

static void ascii(const uint16_t *u, char *out)
{
	while ((*out++ = (char)*u++))
		;
}

static int setup(void **state)
{
	len = 0;
	memset(path, 0, sizeof(path));
	return 0;
}

static void test_ovmf_gpt(void **state)
{
	uint8_t pci[2] = { 0, 1 }, guid[16], want[16];
	uint16_t name[64];
	char s[64];

	node(1, 1, pci, 2);
	hd(2, 2, 0xab);
	file("\\EFI\\BOOT\\BOOTX64.EFI", 22);
	end();
	assert_true(devnodes_partuuid(path, len, guid));
	memset(want, 0xab, 16);
	assert_memory_equal(guid, want, 16);
	assert_int_equal(devnodes_file_path(path, len, name, 64), 21);
	ascii(name, s);
	assert_string_equal(s, "\\EFI\\BOOT\\BOOTX64.EFI");
	/* too small for the name and its NUL: none */
	assert_int_equal(devnodes_file_path(path, len, name, 21), 0);
	assert_int_equal(name[0], 0);
}

static void test_mbr_and_split_names(void **state)
{
	uint8_t guid[16];
	uint16_t name[64];
	char s[64];

	hd(1, 1, 0x12);
	file("\\EFI\\kexshim", 13);
	file("\\kexshim.efi", 13);
	end();
	assert_false(devnodes_partuuid(path, len, guid));
	assert_int_equal(devnodes_file_path(path, len, name, 64), 24);
	ascii(name, s);
	assert_string_equal(s, "\\EFI\\kexshim\\kexshim.efi");
}

/* PathName is NUL-terminated: what a node holds after its NUL is not
 * part of the name (fuzz_devpath found names with a NUL inside, which
 * LoaderImageIdentifier would have cut short). */
static void test_name_ends_at_nul(void **state)
{
	uint16_t name[64];
	char s[64];

	file("\\A\0junk", 8);
	file("\\B", 3);
	end();
	assert_int_equal(devnodes_file_path(path, len, name, 64), 4);
	ascii(name, s);
	assert_string_equal(s, "\\A\\B");
}

static void test_malformed(void **state)
{
	uint8_t guid[16];
	uint16_t name[64];

	/* a node longer than the path */
	file("\\x", 3);
	path[2] = 200;
	assert_int_equal(devnodes_file_path(path, len, name, 64), 0);
	/* a node shorter than its header would loop forever */
	setup(NULL);
	file("\\x", 3);
	path[2] = 2;
	assert_int_equal(devnodes_file_path(path, len, name, 64), 0);
	assert_false(devnodes_partuuid(path, len, guid));
	/* no End node: the path ends where the bytes do */
	setup(NULL);
	hd(2, 2, 0xcd);
	assert_true(devnodes_partuuid(path, len, guid));
	/* a HardDrive node cut short is no partition */
	assert_false(devnodes_partuuid(path, len - 1, guid));
	assert_int_equal(devnodes_file_path(path, 0, name, 64), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_ovmf_gpt, setup),
		cmocka_unit_test_setup(test_mbr_and_split_names, setup),
		cmocka_unit_test_setup(test_name_ends_at_nul, setup),
		cmocka_unit_test_setup(test_malformed, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
