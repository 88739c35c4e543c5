/*
 * test/unit/efi/test_pemem.c: host tests of efi/pemem.c, the parser that
 * finds kexshim.efi's own .linux/.initrd/.cmdline/.pins in its loaded image.
 * Images are built here in their in-memory (RVA) layout, as the firmware
 * leaves them: a good bundle first, then every header and section field
 * pushed past the image, each with its reason.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/le.h"
#include "kexshim/pe.h"
#include "pemem.h"

#define IMAGE_SIZE 0x8000u
#define PE_OFF 0x80u
#define OPT_SIZE 240u			/* PE32+ with 16 data directories */
#define TABLE_OFF (PE_OFF + 4 + 20 + OPT_SIZE)

static uint8_t image[IMAGE_SIZE];
static unsigned int nsect;

static void add_section(const char *name, uint32_t rva, uint32_t vsize,
			uint8_t fill)
{
	uint8_t *h = image + TABLE_OFF + nsect * 40;

	memset(h, 0, 40);
	memcpy(h, name, strnlen(name, 8));
	put_le32(h + 0x08, vsize);
	put_le32(h + 0x0c, rva);
	put_le32(h + 0x10, (vsize + 0x1ff) & ~0x1ffu);	/* file size: unused */
	put_le32(h + 0x14, 0x400 + nsect * 0x200);
	if ((uint64_t)rva + vsize <= IMAGE_SIZE)
		memset(image + rva, fill, vsize);
	nsect++;
	put_le16(image + PE_OFF + 4 + 2, (uint16_t)nsect);
}

/* An x86_64 bundle as the firmware leaves it in memory. */
static int setup_bundle(void **state)
{
	memset(image, 0, sizeof(image));
	nsect = 0;
	put_le16(image, PE_DOS_MAGIC);
	put_le32(image + PE_DOS_LFANEW, PE_OFF);
	put_le32(image + PE_OFF, PE_SIGNATURE);
	put_le16(image + PE_OFF + 4, PE_MACHINE_X86_64);
	put_le16(image + PE_OFF + 4 + 0x10, OPT_SIZE);
	put_le16(image + PE_OFF + 24, PE_OPT_MAGIC_PE32PLUS);
	add_section(".text", 0x1000, 0x800, 0xcc);
	add_section(".cmdline", 0x2000, 12, 'c');
	add_section(".initrd", 0x3000, 0x1001, 'i');
	add_section(".linux", 0x5000, 0x3000, 'L');
	memcpy(image + 0x2000, "console=ttyS", 12);
	return 0;
}

static struct pemem_image img;
static struct pemem_section sec;
static const char *reason;

static void test_finds_every_section(void **state)
{
	assert_int_equal(pemem_parse(image, IMAGE_SIZE, &img, &reason), PEMEM_OK);
	assert_int_equal(img.nr_sections, 4);
	assert_int_equal(img.sections, TABLE_OFF);

	assert_int_equal(pemem_find(&img, ".linux", &sec, &reason), PEMEM_OK);
	assert_string_equal(sec.name, ".linux");
	assert_int_equal(sec.rva, 0x5000);
	/* the data is at base + VirtualAddress, not PointerToRawData */
	assert_ptr_equal(sec.data, image + 0x5000);
	assert_int_equal(sec.size, 0x3000);
	assert_int_equal(sec.data[sec.size - 1], 'L');

	assert_int_equal(pemem_find(&img, ".initrd", &sec, &reason), PEMEM_OK);
	assert_int_equal(sec.size, 0x1001);
	assert_ptr_equal(sec.data, image + 0x3000);

	assert_int_equal(pemem_find(&img, ".cmdline", &sec, &reason), PEMEM_OK);
	assert_string_equal(sec.name, ".cmdline");	/* 8 chars, no NUL */
	assert_memory_equal(sec.data, "console=ttyS", 12);
}

static void test_absent_and_near_names(void **state)
{
	add_section(".linuxx", 0x1000, 1, 0);
	add_section(".pin", 0x1000, 1, 0);
	assert_int_equal(pemem_parse(image, IMAGE_SIZE, &img, &reason), PEMEM_OK);
	assert_int_equal(pemem_find(&img, ".pins", &sec, &reason), PEMEM_ENOENT);
	/* a name longer than the 8-byte field can never match */
	assert_int_equal(pemem_find(&img, ".cmdline1", &sec, &reason),
			 PEMEM_ENOENT);
	assert_int_equal(pemem_find(&img, ".cmdlin", &sec, &reason),
			 PEMEM_ENOENT);
	assert_int_equal(pemem_find(&img, ".linux", &sec, &reason), PEMEM_OK);
	assert_int_equal(sec.rva, 0x5000);
}

static void test_first_of_duplicates_wins(void **state)
{
	add_section(".linux", 0x4000, 0x10, 'X');
	assert_int_equal(pemem_parse(image, IMAGE_SIZE, &img, &reason), PEMEM_OK);
	assert_int_equal(pemem_find(&img, ".linux", &sec, &reason), PEMEM_OK);
	assert_int_equal(sec.rva, 0x5000);
}

static void test_no_sections(void **state)
{
	put_le16(image + PE_OFF + 4 + 2, 0);
	assert_int_equal(pemem_parse(image, IMAGE_SIZE, &img, &reason), PEMEM_OK);
	assert_int_equal(pemem_find(&img, ".linux", &sec, &reason), PEMEM_ENOENT);
}

static void test_section_ends_at_image_end(void **state)
{
	add_section(".pins", IMAGE_SIZE - 0x100, 0x100, 'p');
	assert_int_equal(pemem_parse(image, IMAGE_SIZE, &img, &reason), PEMEM_OK);
	assert_int_equal(pemem_find(&img, ".pins", &sec, &reason), PEMEM_OK);
	assert_int_equal(sec.size, 0x100);
	/* one byte less of image and it runs past */
	assert_int_equal(pemem_parse(image, IMAGE_SIZE - 1, &img, &reason),
			 PEMEM_OK);
	assert_int_equal(pemem_find(&img, ".pins", &sec, &reason), PEMEM_ESECTION);
	assert_string_equal(reason, "section runs past the image");
}

static void test_section_rva_wraps(void **state)
{
	/* 32-bit VirtualAddress + VirtualSize wraps to 0x100: still refused */
	add_section(".pins", 0xffffff00u, 0x200, 0);
	assert_int_equal(pemem_parse(image, IMAGE_SIZE, &img, &reason), PEMEM_OK);
	assert_int_equal(pemem_find(&img, ".pins", &sec, &reason), PEMEM_ESECTION);
}

static void expect_header_error(size_t size, const char *why)
{
	assert_int_equal(pemem_parse(image, size, &img, &reason), PEMEM_EHEADER);
	assert_string_equal(reason, why);
	assert_int_equal(img.nr_sections, 0);
}

static void test_truncated_headers(void **state)
{
	expect_header_error(0, "image smaller than its MS-DOS header");
	expect_header_error(PE_DOS_LFANEW + 3,
			    "image smaller than its MS-DOS header");
	/* cut inside the COFF header */
	expect_header_error(PE_OFF + 4 + 19, "e_lfanew points past the image");
	/* cut inside the section table (its last byte missing) */
	expect_header_error(TABLE_OFF + 4 * 40 - 1,
			    "section table runs past the image");
	assert_int_equal(pemem_parse(image, TABLE_OFF + 4 * 40, &img, &reason),
			 PEMEM_OK);
}

static void test_bad_signatures(void **state)
{
	image[0] = 'Z';
	expect_header_error(IMAGE_SIZE, "no MZ signature");
	image[0] = 'M';
	image[PE_OFF + 1] = 'X';
	expect_header_error(IMAGE_SIZE, "no PE signature at e_lfanew");
}

static void test_hostile_offsets(void **state)
{
	/* e_lfanew near 4 GiB: the 64-bit sum cannot wrap */
	put_le32(image + PE_DOS_LFANEW, 0xfffffff0u);
	expect_header_error(IMAGE_SIZE, "e_lfanew points past the image");
	put_le32(image + PE_DOS_LFANEW, PE_OFF);
	/* 65535 sections */
	put_le16(image + PE_OFF + 4 + 2, 0xffff);
	expect_header_error(IMAGE_SIZE, "section table runs past the image");
	put_le16(image + PE_OFF + 4 + 2, 4);
	/* SizeOfOptionalHeader pushes the table out */
	put_le16(image + PE_OFF + 4 + 0x10, 0xffff);
	expect_header_error(IMAGE_SIZE, "section table runs past the image");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_finds_every_section, setup_bundle),
		cmocka_unit_test_setup(test_absent_and_near_names, setup_bundle),
		cmocka_unit_test_setup(test_first_of_duplicates_wins, setup_bundle),
		cmocka_unit_test_setup(test_no_sections, setup_bundle),
		cmocka_unit_test_setup(test_section_ends_at_image_end, setup_bundle),
		cmocka_unit_test_setup(test_section_rva_wraps, setup_bundle),
		cmocka_unit_test_setup(test_truncated_headers, setup_bundle),
		cmocka_unit_test_setup(test_bad_signatures, setup_bundle),
		cmocka_unit_test_setup(test_hostile_offsets, setup_bundle),
	};

	return cmocka_run_group_tests_name("pemem", tests, NULL, NULL);
}
