/* Host unit tests: the arm64 Image header parser and the decompressors, on
 * the real Debian arm64 Image ($KEXSHIM_KERNEL_DIR_ARM64/vmlinuz), corrupted
 * copies of it, and small synthetic Images packed here with zlib, libzstd
 * and liblzma (plain and inside a synthetic EFI zboot wrapper). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <lzma.h>
#include <zlib.h>
#include <zstd.h>
#include <cmocka.h>

#include "arch/arm64/arm64.h"
#include "common/le.h"
#include "image/image.h"
#include "kexshim/pe.h"
#include "kexshim/zboot.h"
#include "lib/arena.h"
#include "lib/error.h"
#include "lib/readfile.h"

#define MiB (1024ull * 1024)

static uint8_t *debian;   /* the real Image, read whole */
static size_t debian_len;
static struct arena ar;
static struct image unwrapped;

/* What the load flow does with a kernel file: unwrap (boot/image/), then
 * parse the Image header (boot/arch/arm64/). */
static int open_image(const char *path, const uint8_t *buf, size_t len,
		      size_t cap, struct arm64_image *img)
{
	int err = image_unwrap(&ar, path, buf, len, cap, -1, &unwrapped);

	if (err)
		return err;
	return arm64_image_parse(path, unwrapped.kernel, unwrapped.kernel_size,
				 img);
}

/* A small plain Image: header + patterned body. */
#define SMALL_LEN (300 * 1024 + 17)
#define SMALL_IMAGE_SIZE (1 * MiB)
static uint8_t small[SMALL_LEN];

static void make_small(uint8_t *buf, size_t len, uint64_t text_offset,
		       uint64_t image_size, uint64_t flags)
{
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = (uint8_t)(i * 13 + (i >> 9));
	memset(buf, 0, ARM64_IMAGE_HEADER_SIZE);
	put_le32(buf + 0x00, 0x14000010); /* b +0x40, as code0 would */
	put_le64(buf + 0x08, text_offset);
	put_le64(buf + 0x10, image_size);
	put_le64(buf + 0x18, flags);
	put_le32(buf + 0x38, ARM64_IMAGE_MAGIC);
}

static int setup(void **state)
{
	const char *kdir = getenv("KEXSHIM_KERNEL_DIR_ARM64");
	char path[4096], *buf;

	make_small(small, sizeof(small), 0, SMALL_IMAGE_SIZE,
		   ARM64_IMAGE_PAGE_4K << ARM64_IMAGE_FLAG_PAGE_SHIFT |
		   ARM64_IMAGE_FLAG_PHYS_ANYWHERE);
	/* A missing kernel fails the tests that need it, never skips. */
	if (!kdir)
		return 0;
	snprintf(path, sizeof(path), "%s/vmlinuz", kdir);
	if (!read_file_whole("test", path, 0, &buf, &debian_len))
		debian = (uint8_t *)buf;
	return 0;
}

static int teardown(void **state)
{
	free(debian);
	return 0;
}

static int each_setup(void **state)
{
	memset(&ar, 0, sizeof(ar));
	memset(&unwrapped, 0, sizeof(unwrapped));
	return 0;
}

static int each_teardown(void **state)
{
	arena_release(&ar);
	return 0;
}

static void need_debian(void)
{
	if (!debian)
		fail_msg("KEXSHIM_KERNEL_DIR_ARM64/vmlinuz missing: run "
			 "tools/fetch-kernel arm64");
}

static void assert_error(int err, int want, const char *substr)
{
	assert_int_equal(err, want);
	if (!strstr(kx_last_error(), substr))
		fail_msg("error \"%s\" lacks \"%s\"", kx_last_error(), substr);
}

/* ---- the real Debian Image ---- */

static void test_debian_parse(void **state)
{
	struct arm64_image img;

	need_debian();
	assert_int_equal(arm64_image_parse("vmlinuz", debian, debian_len,
					   &img), 0);
	/* FACTS: image_size 0x2010000, an EFI-stub Image with a PE header. */
	assert_int_equal(img.text_offset, 0);
	assert_int_equal(img.image_size, 0x2010000);
	assert_true(img.has_pe);
	assert_false(img.old_header);
	assert_false(img.flags & ARM64_IMAGE_FLAG_BE);
	assert_int_equal((img.flags & ARM64_IMAGE_FLAG_PAGE_MASK) >>
			 ARM64_IMAGE_FLAG_PAGE_SHIFT, ARM64_IMAGE_PAGE_4K);
	assert_ptr_equal(img.buf, debian);
	assert_int_equal(img.len, debian_len);
	assert_string_equal(unwrapped.format, "");
}

static void test_debian_open_plain(void **state)
{
	struct arm64_image img;

	need_debian();
	assert_int_equal(image_pack_detect(debian, debian_len),
			 IMAGE_PACK_NONE);
	assert_int_equal(open_image("vmlinuz", debian, debian_len,
					  IMAGE_UNPACK_MAX, &img), 0);
	/* Parsed in place: no copy of a 33 MB kernel. */
	assert_ptr_equal(img.buf, debian);
	assert_int_equal(ar.n, 0);
}

static uint8_t *copy_debian(void)
{
	uint8_t *c;

	need_debian();
	c = malloc(debian_len);
	assert_non_null(c);
	memcpy(c, debian, debian_len);
	return c;
}

static void test_debian_truncated(void **state)
{
	struct arm64_image img;

	need_debian();
	/* Half a kernel: the PE section table says the file is cut. */
	assert_error(arm64_image_parse("half", debian, debian_len / 2, &img),
		     -ENOEXEC, "truncated");
	/* Lost its last byte. */
	assert_error(arm64_image_parse("cut", debian, 0x1f6da00 - 1, &img),
		     -ENOEXEC, "truncated");
	/* Not even a header. */
	assert_error(arm64_image_parse("tiny", debian, 40, &img), -ENOEXEC,
		     "truncated");
	assert_error(arm64_image_parse("empty", debian, 0, &img), -ENOEXEC,
		     "truncated");
}

static void test_debian_bad_magic(void **state)
{
	uint8_t *c = copy_debian();
	struct arm64_image img;

	c[0x38] = 'X';
	assert_error(arm64_image_parse("bad", c, debian_len, &img), -ENOEXEC,
		     "bad: not an arm64 Image (no ARM\\x64 magic at 0x38)");
	/* The same through the format detector. */
	assert_error(open_image("bad", c, debian_len,
				      IMAGE_UNPACK_MAX, &img), -ENOEXEC,
		     "no ARM\\x64 magic");
	free(c);
}

static void test_debian_big_endian(void **state)
{
	uint8_t *c = copy_debian();
	struct arm64_image img;

	c[0x18] |= ARM64_IMAGE_FLAG_BE;
	assert_error(arm64_image_parse("be", c, debian_len, &img), -ENOEXEC,
		     "big-endian");
	free(c);
}

static void test_debian_bad_sizes(void **state)
{
	uint8_t *c = copy_debian();
	struct arm64_image img;

	/* image_size smaller than the file. */
	put_le64(c + 0x10, 0x1000000);
	assert_error(arm64_image_parse("small", c, debian_len, &img), -EINVAL,
		     "image_size is only 0x1000000");
	put_le64(c + 0x10, 0x4000000000ull);
	assert_error(arm64_image_parse("huge", c, debian_len, &img), -EINVAL,
		     "absurd");
	put_le64(c + 0x10, 0x2010000);
	put_le64(c + 0x08, 0x80010);
	assert_error(arm64_image_parse("off", c, debian_len, &img), -EINVAL,
		     "text_offset 0x80010");
	put_le64(c + 0x08, 0x200000);
	assert_error(arm64_image_parse("off", c, debian_len, &img), -EINVAL,
		     "text_offset");
	/* PE header pointer to nowhere. */
	put_le64(c + 0x08, 0);
	put_le32(c + 0x3c, 0x10);
	assert_error(arm64_image_parse("pe", c, debian_len, &img), -ENOEXEC,
		     "no PE header");
	free(c);
}

static void test_old_kernel(void **state)
{
	uint8_t *buf = malloc(SMALL_LEN);
	struct arm64_image img;

	assert_non_null(buf);
	/* Before v3.17: image_size 0, text_offset not to be trusted. */
	make_small(buf, SMALL_LEN, 0x12345678, 0, ARM64_IMAGE_FLAG_BE);
	assert_int_equal(arm64_image_parse("old", buf, SMALL_LEN, &img), 0);
	assert_true(img.old_header);
	assert_int_equal(img.text_offset, 0x80000);
	assert_int_equal(img.flags, 0);
	assert_true(img.image_size >= SMALL_LEN);
	assert_false(img.has_pe);
	/* The same from a big-endian kernel: its 0x80000 reads swapped. */
	put_le64(buf + 0x08, __builtin_bswap64(0x80000));
	assert_error(arm64_image_parse("old-be", buf, SMALL_LEN, &img),
		     -ENOEXEC, "big-endian");
	free(buf);
}

/* ---- packers (the test side) ---- */

static uint8_t *gzip_pack(const uint8_t *in, size_t len, size_t *out_len)
{
	size_t cap = len + len / 100 + 1024;
	uint8_t *out = malloc(cap);
	z_stream zs;

	assert_non_null(out);
	memset(&zs, 0, sizeof(zs));
	assert_int_equal(deflateInit2(&zs, 1, Z_DEFLATED, 16 + MAX_WBITS, 8,
				      Z_DEFAULT_STRATEGY), Z_OK);
	zs.next_in = (Bytef *)in;
	zs.avail_in = len;
	zs.next_out = out;
	zs.avail_out = cap;
	assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
	*out_len = zs.total_out;
	deflateEnd(&zs);
	return out;
}

static uint8_t *zstd_pack(const uint8_t *in, size_t len, size_t *out_len,
			  int with_size)
{
	size_t cap = ZSTD_compressBound(len);
	uint8_t *out = malloc(cap);
	ZSTD_CCtx *c = ZSTD_createCCtx();
	ZSTD_inBuffer ib = { in, len, 0 };
	ZSTD_outBuffer ob = { out, cap, 0 };

	assert_non_null(out);
	assert_non_null(c);
	ZSTD_CCtx_setParameter(c, ZSTD_c_compressionLevel, 3);
	/* As the zstd tool (and so the kernel's build) writes it. */
	ZSTD_CCtx_setParameter(c, ZSTD_c_checksumFlag, 1);
	ZSTD_CCtx_setParameter(c, ZSTD_c_contentSizeFlag, with_size);
	/* Streaming without a pledged size: no content size in the frame
	 * unless asked for. */
	if (with_size)
		ZSTD_CCtx_setPledgedSrcSize(c, len);
	assert_int_equal(ZSTD_compressStream2(c, &ob, &ib, ZSTD_e_end), 0);
	*out_len = ob.pos;
	ZSTD_freeCCtx(c);
	return out;
}

static uint8_t *xz_pack(const uint8_t *in, size_t len, size_t *out_len,
			int alone)
{
	size_t cap = lzma_stream_buffer_bound(len) + 64;
	uint8_t *out = malloc(cap);
	lzma_stream ls = LZMA_STREAM_INIT;
	lzma_options_lzma opt;

	assert_non_null(out);
	if (!alone) {
		size_t pos = 0;

		assert_int_equal(lzma_easy_buffer_encode(1, LZMA_CHECK_CRC32,
							 NULL, in, len, out,
							 &pos, cap), LZMA_OK);
		*out_len = pos;
		return out;
	}
	assert_false(lzma_lzma_preset(&opt, 1));
	assert_int_equal(lzma_alone_encoder(&ls, &opt), LZMA_OK);
	ls.next_in = in;
	ls.avail_in = len;
	ls.next_out = out;
	ls.avail_out = cap;
	assert_int_equal(lzma_code(&ls, LZMA_FINISH), LZMA_STREAM_END);
	*out_len = ls.total_out;
	lzma_end(&ls);
	return out;
}

/* An EFI zboot file: "MZ" + "zimg" header, then the payload at 0x1000
 * (and for non-gzip methods the le32 size trailer Makefile.zboot adds). */
static uint8_t *zboot_wrap(const char *comp, const uint8_t *payload,
			   size_t plen, uint32_t trailer, size_t *out_len)
{
	size_t len = 0x1000 + plen + (trailer ? 4 : 0) + 0x200;
	uint8_t *z = calloc(1, len);

	assert_non_null(z);
	z[0] = 'M';
	z[1] = 'Z';
	memcpy(z + 4, "zimg", 4);
	put_le32(z + 0x08, 0x1000);
	put_le32(z + 0x0c, plen);
	strcpy((char *)z + 0x18, comp);
	put_le32(z + 0x38, LINUX_PE_MAGIC);
	put_le32(z + 0x3c, 0x40);
	memcpy(z + 0x40, "PE\0\0", 4);
	memcpy(z + 0x1000, payload, plen);
	if (trailer)
		put_le32(z + 0x1000 + plen, trailer);
	*out_len = len;
	return z;
}

static void assert_small(const struct arm64_image *img, const char *format)
{
	assert_string_equal(unwrapped.format, format);
	assert_int_equal(img->len, SMALL_LEN);
	assert_memory_equal(img->buf, small, SMALL_LEN);
	assert_int_equal(img->image_size, SMALL_IMAGE_SIZE);
	assert_int_equal(img->text_offset, 0);
}

/* ---- compressed Images ---- */

static void test_gzip(void **state)
{
	struct arm64_image img;
	size_t n;
	uint8_t *gz = gzip_pack(small, SMALL_LEN, &n);

	assert_int_equal(image_pack_detect(gz, n), IMAGE_PACK_GZIP);
	assert_int_equal(open_image("Image.gz", gz, n,
					  IMAGE_UNPACK_MAX, &img), 0);
	assert_small(&img, "gzip");
	free(gz);
}

static void test_gzip_lying_isize(void **state)
{
	struct arm64_image img;
	size_t n;
	uint8_t *gz = gzip_pack(small, SMALL_LEN, &n);

	/* Padding after the member puts a wrong "ISIZE" at the end of the
	 * file: the loader must notice the overflow and measure instead. */
	gz = realloc(gz, n + 4);
	assert_non_null(gz);
	put_le32(gz + n, 1000);
	assert_int_equal(open_image("Image.gz", gz, n + 4,
					  IMAGE_UNPACK_MAX, &img), 0);
	assert_small(&img, "gzip");
	free(gz);
}

static void test_gzip_real_kernel(void **state)
{
	struct arm64_image img;
	uint8_t *gz;
	size_t n;

	need_debian();
	gz = gzip_pack(debian, debian_len, &n);
	assert_int_equal(open_image("Image.gz", gz, n,
					  IMAGE_UNPACK_MAX, &img), 0);
	assert_string_equal(unwrapped.format, "gzip");
	assert_int_equal(img.len, debian_len);
	assert_memory_equal(img.buf, debian, debian_len);
	assert_int_equal(img.image_size, 0x2010000);
	assert_true(img.has_pe);
	free(gz);
}

static void test_gzip_corrupt_truncated(void **state)
{
	struct arm64_image img;
	size_t n;
	uint8_t *gz = gzip_pack(small, SMALL_LEN, &n);

	/* Cut in half: the stream ends early. */
	assert_error(open_image("cut.gz", gz, n / 2,
				      IMAGE_UNPACK_MAX, &img), -ENODATA,
		     "cut.gz: truncated gzip stream");
	/* Garbage in the deflate data. */
	memset(gz + 20, 0xff, 64);
	assert_error(open_image("bad.gz", gz, n, IMAGE_UNPACK_MAX,
				      &img), -EINVAL,
		     "bad.gz: corrupt gzip stream");
	free(gz);
}

static void test_cap(void **state)
{
	struct arm64_image img;
	size_t n;
	uint8_t *gz = gzip_pack(small, SMALL_LEN, &n);

	/* With a recorded size over the cap, the measuring pass refuses. */
	assert_error(open_image("big.gz", gz, n, 64 * 1024, &img),
		     -EFBIG, "more than");
	/* The bare decompressor into a buffer too small. */
	{
		uint8_t out[4096];
		size_t got;

		assert_int_equal(image_decompress("x", IMAGE_PACK_GZIP, gz, n,
						  out, sizeof(out), &got),
				 -EFBIG);
	}
	free(gz);
}

static void test_zstd(void **state)
{
	struct arm64_image img;
	size_t n;
	uint8_t *zs;

	for (int with_size = 0; with_size < 2; with_size++) {
		zs = zstd_pack(small, SMALL_LEN, &n, with_size);
		assert_int_equal(image_pack_detect(zs, n), IMAGE_PACK_ZSTD);
		assert_int_equal(open_image("Image.zst", zs, n,
						  IMAGE_UNPACK_MAX, &img), 0);
		assert_small(&img, "zstd");
		assert_error(open_image("cut.zst", zs, n - 9,
					      IMAGE_UNPACK_MAX, &img),
			     -ENODATA, "truncated zstd stream");
		memset(zs + 12, 0x55, 32);
		assert_error(open_image("bad.zst", zs, n,
					      IMAGE_UNPACK_MAX, &img),
			     -EINVAL, "corrupt zstd stream");
		free(zs);
		arena_release(&ar);
	}
}

static void test_xz(void **state)
{
	struct arm64_image img;
	size_t n;
	uint8_t *xz = xz_pack(small, SMALL_LEN, &n, 0);

	assert_int_equal(image_pack_detect(xz, n), IMAGE_PACK_XZ);
	assert_int_equal(open_image("Image.xz", xz, n,
					  IMAGE_UNPACK_MAX, &img), 0);
	assert_small(&img, "xz");
	/* Cut off the index and footer: no size hint, stream ends early. */
	assert_error(open_image("cut.xz", xz, n / 2,
				      IMAGE_UNPACK_MAX, &img), -ENODATA,
		     "truncated xz stream");
	memset(xz + n / 3, 0xaa, 16);
	assert_error(open_image("bad.xz", xz, n, IMAGE_UNPACK_MAX,
				      &img), -EINVAL, "bad.xz: corrupt xz");
	free(xz);
}

/* ---- EFI zboot ---- */

static void test_zboot_gzip(void **state)
{
	struct arm64_image img;
	size_t n, zn;
	uint8_t *gz = gzip_pack(small, SMALL_LEN, &n);
	uint8_t *z = zboot_wrap("gzip", gz, n, 0, &zn);

	assert_true(image_format_zboot.probe(z, zn));
	assert_int_equal(open_image("vmlinuz.efi", z, zn,
					  IMAGE_UNPACK_MAX, &img), 0);
	assert_small(&img, "zboot (gzip)");
	free(z);
	free(gz);
}

static void test_zboot_others(void **state)
{
	struct arm64_image img;
	size_t n, zn;
	uint8_t *p, *z;

	/* zstd22 with the appended size, as Makefile.zboot builds it. */
	p = zstd_pack(small, SMALL_LEN, &n, 0);
	z = zboot_wrap("zstd22", p, n, SMALL_LEN, &zn);
	assert_int_equal(open_image("z", z, zn, IMAGE_UNPACK_MAX,
					  &img), 0);
	assert_small(&img, "zboot (zstd22)");
	free(z);
	free(p);

	p = xz_pack(small, SMALL_LEN, &n, 0);
	z = zboot_wrap("xzkern", p, n, SMALL_LEN, &zn);
	assert_int_equal(open_image("z", z, zn, IMAGE_UNPACK_MAX,
					  &img), 0);
	assert_small(&img, "zboot (xzkern)");
	free(z);
	free(p);

	p = xz_pack(small, SMALL_LEN, &n, 1);
	z = zboot_wrap("lzma", p, n, SMALL_LEN, &zn);
	assert_int_equal(open_image("z", z, zn, IMAGE_UNPACK_MAX,
					  &img), 0);
	assert_small(&img, "zboot (lzma)");
	free(z);
	free(p);
}

static void test_zboot_unknown_and_truncated(void **state)
{
	static const uint8_t junk[64] = { 1, 2, 3 };
	struct arm64_image img;
	size_t n, zn;
	uint8_t *z, *gz;

	z = zboot_wrap("lzo", junk, sizeof(junk), 64, &zn);
	assert_error(open_image("lzo.efi", z, zn, IMAGE_UNPACK_MAX,
				      &img), -EINVAL,
		     "lzo.efi: zboot compression \"lzo\" is not supported");
	free(z);

	gz = gzip_pack(small, SMALL_LEN, &n);
	z = zboot_wrap("gzip", gz, n, 0, &zn);
	/* The file ends before the payload the header announces. */
	assert_error(open_image("cut.efi", z, 0x1000 + n / 2,
				      IMAGE_UNPACK_MAX, &img), -ENODATA,
		     "outside the");
	/* A zboot whose payload is no Image. */
	free(z);
	free(gz);
	gz = gzip_pack(junk, sizeof(junk), &n);
	z = zboot_wrap("gzip", gz, n, 0, &zn);
	assert_error(open_image("junk.efi", z, zn,
				      IMAGE_UNPACK_MAX, &img), -ENOEXEC,
		     "junk.efi: not an arm64 Image");
	free(z);
	free(gz);
}

static void test_not_an_image(void **state)
{
	static const uint8_t text[200] = "#!/bin/sh\necho not a kernel\n";
	static const uint8_t bz2[200] = "BZh91AY&SY";
	struct arm64_image img;

	assert_error(open_image("script", text, sizeof(text),
				      IMAGE_UNPACK_MAX, &img), -ENOEXEC,
		     "script: not an arm64 Image (no ARM\\x64 magic at 0x38)");
	assert_error(open_image("x.bz2", bz2, sizeof(bz2),
				      IMAGE_UNPACK_MAX, &img), -ENOEXEC,
		     "not an arm64 Image");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, each_setup, each_teardown)
		T(test_debian_parse),
		T(test_debian_open_plain),
		T(test_debian_truncated),
		T(test_debian_bad_magic),
		T(test_debian_big_endian),
		T(test_debian_bad_sizes),
		T(test_old_kernel),
		T(test_gzip),
		T(test_gzip_lying_isize),
		T(test_gzip_real_kernel),
		T(test_gzip_corrupt_truncated),
		T(test_cap),
		T(test_zstd),
		T(test_xz),
		T(test_zboot_gzip),
		T(test_zboot_others),
		T(test_zboot_unknown_and_truncated),
		T(test_not_an_image),
#undef T
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
