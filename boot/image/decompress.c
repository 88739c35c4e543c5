/* kexshim: compressed kernels.  Runs while a kernel is being planned
 * (shim init, CLI, host tests).  arm64's booting.rst: "The AArch64 kernel
 * does not currently provide a decompressor and therefore requires
 * decompression (gzip etc.) to be performed by the boot loader if a
 * compressed Image target (e.g. Image.gz) is used."  The streams are
 * decoded by zlib, libzstd and liblzma (linked statically). */
#include <errno.h>
#include <limits.h>
#include <lzma.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

#include "common/le.h"
#include "common/util.h"
#include "image/image.h"
#include "lib/error.h"

static const uint8_t gzip_magic[] = { 0x1f, 0x8b };
static const uint8_t zstd_magic[] = { 0x28, 0xb5, 0x2f, 0xfd };
static const uint8_t xz_magic[] = { 0xfd, '7', 'z', 'X', 'Z', 0x00 };

/* Dictionaries larger than this are refused (xz -9 needs 64 MiB, zstd -22
 * --ultra a 128 MiB window). */
#define UNPACK_MEMLIMIT (512ull << 20)
#define ZSTD_WINDOWLOG_MAX 28

#define COUNT_CHUNK (1u << 20)

static bool has_magic(const uint8_t *buf, size_t len, const uint8_t *m,
		      size_t mlen)
{
	return len >= mlen && !memcmp(buf, m, mlen);
}

enum image_pack image_pack_detect(const uint8_t *buf, size_t len)
{
	if (has_magic(buf, len, gzip_magic, sizeof(gzip_magic)))
		return IMAGE_PACK_GZIP;
	if (has_magic(buf, len, zstd_magic, sizeof(zstd_magic)))
		return IMAGE_PACK_ZSTD;
	if (has_magic(buf, len, xz_magic, sizeof(xz_magic)))
		return IMAGE_PACK_XZ;
	return IMAGE_PACK_NONE;
}

const char *image_pack_name(enum image_pack m)
{
	switch (m) {
	case IMAGE_PACK_GZIP: return "gzip";
	case IMAGE_PACK_ZSTD: return "zstd";
	case IMAGE_PACK_XZ: return "xz";
	case IMAGE_PACK_LZMA: return "lzma";
	default: return "none";
	}
}

/* Where decompressed bytes go: a real buffer, or (counting) a scratch
 * buffer reused over and over to measure a stream without a size hint. */
struct sink {
	uint8_t *buf;
	size_t cap;     /* bytes of buf */
	size_t pos;     /* next free byte of buf */
	size_t total;   /* bytes produced so far */
	size_t limit;   /* counting: most bytes allowed */
	bool counting;
};

/* Return: room for the next decoder call (never 0 when counting). */
static size_t sink_room(struct sink *s)
{
	if (s->counting && s->pos == s->cap)
		s->pos = 0;
	return s->cap - s->pos;
}

/* Return: 0, or -EFBIG once a counted stream passes the limit. */
static int sink_advance(struct sink *s, size_t made)
{
	s->pos += made;
	s->total += made;
	if (s->counting && s->total > s->limit)
		return -EFBIG;
	return 0;
}

/* The decoder made no progress: say why.  Return: -errno. */
static int stuck(const char *path, enum image_pack m, const struct sink *s,
		 bool input_left)
{
	if (!s->counting && s->pos == s->cap)
		return kx_fail(EFBIG, "image: %s: %s stream decompresses "
			       "to more than %zu bytes", path, image_pack_name(m),
			       s->cap);
	if (!input_left)
		return kx_fail(ENODATA, "image: %s: truncated %s stream "
			       "(input ended after %zu bytes of output)", path,
			       image_pack_name(m), s->total);
	return kx_fail(EINVAL, "image: %s: corrupt %s stream", path,
		       image_pack_name(m));
}

static int too_big(const char *path, enum image_pack m, size_t limit)
{
	return kx_fail(EFBIG, "image: %s: %s stream decompresses to more "
		       "than %zu MiB", path, image_pack_name(m), limit >> 20);
}

static int run_gzip(const char *path, const uint8_t *in, size_t inlen,
		    struct sink *s)
{
	size_t in_pos = 0;
	z_stream zs;
	int ret, err = 0;

	memset(&zs, 0, sizeof(zs));
	/* 16 + MAX_WBITS: a gzip wrapper, not zlib's. */
	if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK)
		return kx_fail(ENOMEM, "image: %s: zlib: out of memory",
			       path);
	for (;;) {
		size_t in_chunk = inlen - in_pos, out_chunk = sink_room(s);

		/* zlib counts in uInt. */
		if (in_chunk > UINT_MAX)
			in_chunk = UINT_MAX;
		if (out_chunk > UINT_MAX)
			out_chunk = UINT_MAX;
		zs.next_in = (Bytef *)(in + in_pos);
		zs.avail_in = in_chunk;
		zs.next_out = s->buf + s->pos;
		zs.avail_out = out_chunk;
		ret = inflate(&zs, Z_NO_FLUSH);
		in_pos += in_chunk - zs.avail_in;
		if (sink_advance(s, out_chunk - zs.avail_out)) {
			err = too_big(path, IMAGE_PACK_GZIP, s->limit);
			break;
		}
		if (ret == Z_STREAM_END)
			break;
		if (ret == Z_DATA_ERROR || ret == Z_NEED_DICT) {
			err = kx_fail(EINVAL, "image: %s: corrupt gzip "
				      "stream (%s)", path,
				      zs.msg ? zs.msg : "bad data");
			break;
		}
		if (ret == Z_MEM_ERROR) {
			err = kx_fail(ENOMEM, "image: %s: zlib: out of "
				      "memory", path);
			break;
		}
		if (ret == Z_BUF_ERROR || (in_chunk == zs.avail_in &&
					   out_chunk == zs.avail_out)) {
			err = stuck(path, IMAGE_PACK_GZIP, s, in_pos < inlen);
			break;
		}
	}
	inflateEnd(&zs);
	return err;
}

static int run_zstd(const char *path, const uint8_t *in, size_t inlen,
		    struct sink *s)
{
	ZSTD_inBuffer ib = { in, inlen, 0 };
	ZSTD_DCtx *d = ZSTD_createDCtx();
	int err = 0;

	if (!d)
		return kx_fail(ENOMEM, "image: %s: zstd: out of memory",
			       path);
	ZSTD_DCtx_setParameter(d, ZSTD_d_windowLogMax, ZSTD_WINDOWLOG_MAX);
	for (;;) {
		ZSTD_outBuffer ob = { s->buf + s->pos, sink_room(s), 0 };
		size_t in_before = ib.pos;
		size_t ret = ZSTD_decompressStream(d, &ob, &ib);

		if (ZSTD_isError(ret)) {
			err = kx_fail(EINVAL, "image: %s: corrupt zstd "
				      "stream (%s)", path,
				      ZSTD_getErrorName(ret));
			break;
		}
		if (sink_advance(s, ob.pos)) {
			err = too_big(path, IMAGE_PACK_ZSTD, s->limit);
			break;
		}
		/* 0: a frame is done.  Another frame may follow (pzstd);
		 * anything else after it is padding. */
		if (ret == 0 && !has_magic(in + ib.pos, inlen - ib.pos,
					   zstd_magic, sizeof(zstd_magic)))
			break;
		if (ib.pos == in_before && ob.pos == 0) {
			err = stuck(path, IMAGE_PACK_ZSTD, s, ib.pos < inlen);
			break;
		}
	}
	ZSTD_freeDCtx(d);
	return err;
}

/* xz and legacy lzma through liblzma. */
static int run_lzma(const char *path, enum image_pack m, const uint8_t *in,
		    size_t inlen, struct sink *s)
{
	lzma_stream ls = LZMA_STREAM_INIT;
	lzma_ret ret;
	int err = 0;

	if (m == IMAGE_PACK_XZ)
		ret = lzma_stream_decoder(&ls, UNPACK_MEMLIMIT, 0);
	else
		ret = lzma_alone_decoder(&ls, UNPACK_MEMLIMIT);
	if (ret != LZMA_OK)
		return kx_fail(ENOMEM, "image: %s: liblzma: cannot start "
			       "the decoder (%d)", path, (int)ret);
	ls.next_in = in;
	ls.avail_in = inlen;
	for (;;) {
		size_t room = sink_room(s);

		ls.next_out = s->buf + s->pos;
		ls.avail_out = room;
		/* All input is there from the start, so FINISH: liblzma then
		 * reports a cut stream as LZMA_BUF_ERROR instead of waiting. */
		ret = lzma_code(&ls, LZMA_FINISH);
		if (sink_advance(s, room - ls.avail_out)) {
			err = too_big(path, m, s->limit);
			break;
		}
		if (ret == LZMA_STREAM_END)
			break;
		if (ret == LZMA_OK)
			continue;
		if (ret == LZMA_BUF_ERROR) {
			err = stuck(path, m, s, ls.avail_in > 0);
			break;
		}
		if (ret == LZMA_MEM_ERROR || ret == LZMA_MEMLIMIT_ERROR)
			err = kx_fail(ENOMEM, "image: %s: %s stream needs "
				      "more than %llu MiB to decode", path,
				      image_pack_name(m), UNPACK_MEMLIMIT >> 20);
		else if (ret == LZMA_OPTIONS_ERROR)
			err = kx_fail(EINVAL, "image: %s: %s stream uses "
				      "options liblzma does not support", path,
				      image_pack_name(m));
		else
			err = kx_fail(EINVAL, "image: %s: corrupt %s "
				      "stream (liblzma error %d)", path,
				      image_pack_name(m), (int)ret);
		break;
	}
	lzma_end(&ls);
	return err;
}

static int run(const char *path, enum image_pack m, const uint8_t *in,
	       size_t inlen, struct sink *s)
{
	switch (m) {
	case IMAGE_PACK_GZIP:
		return run_gzip(path, in, inlen, s);
	case IMAGE_PACK_ZSTD:
		return run_zstd(path, in, inlen, s);
	case IMAGE_PACK_XZ:
	case IMAGE_PACK_LZMA:
		return run_lzma(path, m, in, inlen, s);
	default:
		return kx_fail(EINVAL, "image: %s: no decompressor for "
			       "%s", path, image_pack_name(m));
	}
}

int image_decompress(const char *path, enum image_pack method,
		     const uint8_t *in, size_t inlen,
		     uint8_t *out, size_t cap, size_t *outlen)
{
	struct sink s = { .buf = out, .cap = cap };
	int err = run(path, method, in, inlen, &s);

	*outlen = s.total;
	return err;
}

/* Measure a stream by decompressing it into a scratch buffer.
 * Return: 0 with *size, or -errno (kx_fail). */
static int count(const char *path, enum image_pack m, const uint8_t *in,
		 size_t inlen, size_t limit, size_t *size)
{
	struct sink s = { .cap = COUNT_CHUNK, .limit = limit,
			  .counting = true };
	int err;

	s.buf = malloc(COUNT_CHUNK);
	if (!s.buf)
		return kx_fail(ENOMEM, "image: %s: out of memory", path);
	err = run(path, m, in, inlen, &s);
	free(s.buf);
	*size = s.total;
	return err;
}

/* The uncompressed size an .xz file records in its index (last stream).
 * Return: the size, 0 when it cannot be read. */
static uint64_t xz_size_hint(const uint8_t *in, size_t inlen)
{
	lzma_stream_flags flags;
	lzma_index *idx = NULL;
	uint64_t memlimit = UNPACK_MEMLIMIT, size;
	size_t pos = 0;

	/* Stream padding: zero bytes in groups of four after the footer. */
	while (inlen >= 4 && !get_le32(in + inlen - 4))
		inlen -= 4;
	if (inlen < 2 * LZMA_STREAM_HEADER_SIZE ||
	    lzma_stream_footer_decode(&flags, in + inlen -
				      LZMA_STREAM_HEADER_SIZE) != LZMA_OK ||
	    flags.backward_size > inlen - 2 * LZMA_STREAM_HEADER_SIZE)
		return 0;
	if (lzma_index_buffer_decode(&idx, &memlimit, NULL,
				     in + inlen - LZMA_STREAM_HEADER_SIZE -
				     flags.backward_size, &pos,
				     flags.backward_size) != LZMA_OK)
		return 0;
	size = lzma_index_uncompressed_size(idx);
	lzma_index_end(idx, NULL);
	return size;
}

/* Return: what the stream itself says it decompresses to, 0 if unknown.
 * trailer: zboot's appended le32 size, 0 when absent. */
static uint64_t size_hint(enum image_pack m, const uint8_t *in, size_t inlen,
			  uint32_t trailer)
{
	unsigned long long zs;
	uint64_t v;

	if (trailer)
		return trailer;
	switch (m) {
	case IMAGE_PACK_GZIP:
		/* RFC 1952: ISIZE, the size modulo 2^32, ends the member. */
		return inlen >= 18 ? get_le32(in + inlen - 4) : 0;
	case IMAGE_PACK_ZSTD:
		zs = ZSTD_getFrameContentSize(in, inlen);
		return (zs == ZSTD_CONTENTSIZE_UNKNOWN ||
			zs == ZSTD_CONTENTSIZE_ERROR) ? 0 : zs;
	case IMAGE_PACK_XZ:
		return xz_size_hint(in, inlen);
	case IMAGE_PACK_LZMA:
		/* .lzma header: props (1), dict size (4), size (8, ~0 =
		 * unknown). */
		if (inlen < 13)
			return 0;
		v = (uint64_t)get_le32(in + 5) | (uint64_t)get_le32(in + 9) << 32;
		return v == UINT64_MAX ? 0 : v;
	default:
		return 0;
	}
}

int image_unpack(struct arena *ar, const char *path, enum image_pack m,
		 const uint8_t *in, size_t inlen, uint32_t trailer, size_t cap,
		 const uint8_t **out, size_t *outlen)
{
	size_t size;
	uint64_t hint;
	uint8_t *dst;
	int err;

	/* Decompress once into a buffer of the recorded size; measure first
	 * only when the stream does not say (or lied, below). */
	hint = size_hint(m, in, inlen, trailer);
	if (hint && hint <= cap) {
		size = hint;
	} else {
		err = count(path, m, in, inlen, cap, &size);
		if (err)
			return err;
		hint = 0;
	}
	dst = arena_alloc(ar, size);
	if (!dst)
		return kx_fail(ENOMEM, "image: %s: cannot allocate %zu bytes for "
			       "the decompressed kernel", path, size);
	err = image_decompress(path, m, in, inlen, dst, size, outlen);
	if (err == -EFBIG && hint) {
		/* The recorded size was wrong (gzip's ISIZE is only modulo
		 * 4 GiB, and trailing bytes can mimic it).  The first buffer
		 * stays with the arena until it is released. */
		err = count(path, m, in, inlen, cap, &size);
		if (err)
			return err;
		dst = arena_alloc(ar, size);
		if (!dst)
			return kx_fail(ENOMEM, "image: %s: cannot allocate %zu "
				       "bytes for the decompressed kernel",
				       path, size);
		err = image_decompress(path, m, in, inlen, dst, size, outlen);
	}
	if (err)
		return err;
	*out = dst;
	return 0;
}

/* A bare compressed stream: three rows of the probe table. */
static int unwrap_stream(const struct image_format *f, struct arena *ar,
			 const char *path, const uint8_t *buf, size_t len,
			 size_t cap, struct image *img, const uint8_t **out,
			 size_t *outlen)
{
	(void)img;
	return image_unpack(ar, path, f->pack, buf, len, 0, cap, out, outlen);
}

const struct image_format image_format_gzip = {
	.name = "gzip", .magic = gzip_magic, .magic_len = sizeof(gzip_magic),
	.pack = IMAGE_PACK_GZIP, .unwrap = unwrap_stream,
};
const struct image_format image_format_zstd = {
	.name = "zstd", .magic = zstd_magic, .magic_len = sizeof(zstd_magic),
	.pack = IMAGE_PACK_ZSTD, .unwrap = unwrap_stream,
};
const struct image_format image_format_xz = {
	.name = "xz", .magic = xz_magic, .magic_len = sizeof(xz_magic),
	.pack = IMAGE_PACK_XZ, .unwrap = unwrap_stream,
};
