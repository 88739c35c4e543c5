/* kexshim arm64: unpack compressed kernels.  Runs while a kernel is being
 * planned (shim init, CLI, host tests).  booting.rst: "The AArch64 kernel
 * does not currently provide a decompressor and therefore requires
 * decompression (gzip etc.) to be performed by the boot loader if a
 * compressed Image target (e.g. Image.gz) is used."  EFI zboot images carry
 * their own decompressor, but it runs only as an EFI application, so kexec
 * has to unwrap them here too (zboot-header.S says where the payload is). */
#include <errno.h>
#include <limits.h>
#include <lzma.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

#include "lib/error.h"
#include "load/load.h"
#include "arch/arm64/arm64.h"

static const uint8_t gzip_magic[] = { 0x1f, 0x8b };
static const uint8_t zstd_magic[] = { 0x28, 0xb5, 0x2f, 0xfd };
static const uint8_t xz_magic[] = { 0xfd, '7', 'z', 'X', 'Z', 0x00 };

/* Dictionaries larger than this are refused (xz -9 needs 64 MiB, zstd -22
 * --ultra a 128 MiB window). */
#define UNPACK_MEMLIMIT (512ull << 20)
#define ZSTD_WINDOWLOG_MAX 28

#define COUNT_CHUNK (1u << 20)

static uint32_t get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static bool has_magic(const uint8_t *buf, size_t len, const uint8_t *m,
		      size_t mlen)
{
	return len >= mlen && !memcmp(buf, m, mlen);
}

enum arm64_pack arm64_pack_detect(const uint8_t *buf, size_t len)
{
	if (len >= sizeof(struct zboot_header) && buf[0] == 'M' &&
	    buf[1] == 'Z' && !memcmp(buf + 4, ZBOOT_IMAGE_TYPE, 4))
		return ARM64_PACK_ZBOOT;
	if (has_magic(buf, len, gzip_magic, sizeof(gzip_magic)))
		return ARM64_PACK_GZIP;
	if (has_magic(buf, len, zstd_magic, sizeof(zstd_magic)))
		return ARM64_PACK_ZSTD;
	if (has_magic(buf, len, xz_magic, sizeof(xz_magic)))
		return ARM64_PACK_XZ;
	return ARM64_PACK_NONE;
}

static const char *pack_name(enum arm64_pack m)
{
	switch (m) {
	case ARM64_PACK_GZIP: return "gzip";
	case ARM64_PACK_ZSTD: return "zstd";
	case ARM64_PACK_XZ: return "xz";
	case ARM64_PACK_LZMA: return "lzma";
	case ARM64_PACK_ZBOOT: return "zboot";
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
static int stuck(const char *path, enum arm64_pack m, const struct sink *s,
		 bool input_left)
{
	if (!s->counting && s->pos == s->cap)
		return kx_fail(EFBIG, "arm64-image: %s: %s stream decompresses "
			       "to more than %zu bytes", path, pack_name(m),
			       s->cap);
	if (!input_left)
		return kx_fail(ENODATA, "arm64-image: %s: truncated %s stream "
			       "(input ended after %zu bytes of output)", path,
			       pack_name(m), s->total);
	return kx_fail(EINVAL, "arm64-image: %s: corrupt %s stream", path,
		       pack_name(m));
}

static int too_big(const char *path, enum arm64_pack m, size_t limit)
{
	return kx_fail(EFBIG, "arm64-image: %s: %s stream decompresses to more "
		       "than %zu MiB", path, pack_name(m), limit >> 20);
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
		return kx_fail(ENOMEM, "arm64-image: %s: zlib: out of memory",
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
			err = too_big(path, ARM64_PACK_GZIP, s->limit);
			break;
		}
		if (ret == Z_STREAM_END)
			break;
		if (ret == Z_DATA_ERROR || ret == Z_NEED_DICT) {
			err = kx_fail(EINVAL, "arm64-image: %s: corrupt gzip "
				      "stream (%s)", path,
				      zs.msg ? zs.msg : "bad data");
			break;
		}
		if (ret == Z_MEM_ERROR) {
			err = kx_fail(ENOMEM, "arm64-image: %s: zlib: out of "
				      "memory", path);
			break;
		}
		if (ret == Z_BUF_ERROR || (in_chunk == zs.avail_in &&
					   out_chunk == zs.avail_out)) {
			err = stuck(path, ARM64_PACK_GZIP, s, in_pos < inlen);
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
		return kx_fail(ENOMEM, "arm64-image: %s: zstd: out of memory",
			       path);
	ZSTD_DCtx_setParameter(d, ZSTD_d_windowLogMax, ZSTD_WINDOWLOG_MAX);
	for (;;) {
		ZSTD_outBuffer ob = { s->buf + s->pos, sink_room(s), 0 };
		size_t in_before = ib.pos;
		size_t ret = ZSTD_decompressStream(d, &ob, &ib);

		if (ZSTD_isError(ret)) {
			err = kx_fail(EINVAL, "arm64-image: %s: corrupt zstd "
				      "stream (%s)", path,
				      ZSTD_getErrorName(ret));
			break;
		}
		if (sink_advance(s, ob.pos)) {
			err = too_big(path, ARM64_PACK_ZSTD, s->limit);
			break;
		}
		/* 0: a frame is done.  Another frame may follow (pzstd);
		 * anything else after it is padding. */
		if (ret == 0 && !has_magic(in + ib.pos, inlen - ib.pos,
					   zstd_magic, sizeof(zstd_magic)))
			break;
		if (ib.pos == in_before && ob.pos == 0) {
			err = stuck(path, ARM64_PACK_ZSTD, s, ib.pos < inlen);
			break;
		}
	}
	ZSTD_freeDCtx(d);
	return err;
}

/* xz and legacy lzma through liblzma. */
static int run_lzma(const char *path, enum arm64_pack m, const uint8_t *in,
		    size_t inlen, struct sink *s)
{
	lzma_stream ls = LZMA_STREAM_INIT;
	lzma_ret ret;
	int err = 0;

	if (m == ARM64_PACK_XZ)
		ret = lzma_stream_decoder(&ls, UNPACK_MEMLIMIT, 0);
	else
		ret = lzma_alone_decoder(&ls, UNPACK_MEMLIMIT);
	if (ret != LZMA_OK)
		return kx_fail(ENOMEM, "arm64-image: %s: liblzma: cannot start "
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
			err = kx_fail(ENOMEM, "arm64-image: %s: %s stream needs "
				      "more than %llu MiB to decode", path,
				      pack_name(m), UNPACK_MEMLIMIT >> 20);
		else if (ret == LZMA_OPTIONS_ERROR)
			err = kx_fail(EINVAL, "arm64-image: %s: %s stream uses "
				      "options liblzma does not support", path,
				      pack_name(m));
		else
			err = kx_fail(EINVAL, "arm64-image: %s: corrupt %s "
				      "stream (liblzma error %d)", path,
				      pack_name(m), (int)ret);
		break;
	}
	lzma_end(&ls);
	return err;
}

static int run(const char *path, enum arm64_pack m, const uint8_t *in,
	       size_t inlen, struct sink *s)
{
	switch (m) {
	case ARM64_PACK_GZIP:
		return run_gzip(path, in, inlen, s);
	case ARM64_PACK_ZSTD:
		return run_zstd(path, in, inlen, s);
	case ARM64_PACK_XZ:
	case ARM64_PACK_LZMA:
		return run_lzma(path, m, in, inlen, s);
	default:
		return kx_fail(EINVAL, "arm64-image: %s: no decompressor for "
			       "%s", path, pack_name(m));
	}
}

int arm64_decompress(const char *path, enum arm64_pack method,
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
static int count(const char *path, enum arm64_pack m, const uint8_t *in,
		 size_t inlen, size_t limit, size_t *size)
{
	struct sink s = { .cap = COUNT_CHUNK, .limit = limit,
			  .counting = true };
	int err;

	s.buf = malloc(COUNT_CHUNK);
	if (!s.buf)
		return kx_fail(ENOMEM, "arm64-image: %s: out of memory", path);
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
static uint64_t size_hint(enum arm64_pack m, const uint8_t *in, size_t inlen,
			  uint32_t trailer)
{
	unsigned long long zs;
	uint64_t v;

	if (trailer)
		return trailer;
	switch (m) {
	case ARM64_PACK_GZIP:
		/* RFC 1952: ISIZE, the size modulo 2^32, ends the member. */
		return inlen >= 18 ? get_le32(in + inlen - 4) : 0;
	case ARM64_PACK_ZSTD:
		zs = ZSTD_getFrameContentSize(in, inlen);
		return (zs == ZSTD_CONTENTSIZE_UNKNOWN ||
			zs == ZSTD_CONTENTSIZE_ERROR) ? 0 : zs;
	case ARM64_PACK_XZ:
		return xz_size_hint(in, inlen);
	case ARM64_PACK_LZMA:
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

/* zboot: find the payload and its method from the "zimg" header.
 * Return: 0 or -errno (kx_fail). */
static int zboot_unwrap(const char *path, const uint8_t *buf, size_t len,
			enum arm64_pack *m, const uint8_t **in, size_t *inlen,
			uint32_t *trailer, const char **format)
{
	static const struct {
		const char *name;
		enum arm64_pack m;
		const char *format;
	} methods[] = {
		/* Makefile.zboot comp-type-y names (zstd was "zstd22" when
		 * first merged and "zstd" in some trees). */
		{ "gzip", ARM64_PACK_GZIP, "zboot (gzip)" },
		{ "zstd22", ARM64_PACK_ZSTD, "zboot (zstd22)" },
		{ "zstd", ARM64_PACK_ZSTD, "zboot (zstd)" },
		{ "xzkern", ARM64_PACK_XZ, "zboot (xzkern)" },
		{ "xz", ARM64_PACK_XZ, "zboot (xz)" },
		{ "lzma", ARM64_PACK_LZMA, "zboot (lzma)" },
	};
	char comp[ZBOOT_COMP_TYPE_LEN + 1];
	uint32_t off, size;
	size_t i;

	memcpy(comp, buf + offsetof(struct zboot_header, comp_type),
	       ZBOOT_COMP_TYPE_LEN);
	comp[ZBOOT_COMP_TYPE_LEN] = '\0';
	for (i = 0; comp[i]; i++)
		if (comp[i] < 0x20 || comp[i] > 0x7e)
			comp[i] = '?';
	for (i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
		if (!strcmp(comp, methods[i].name))
			break;
	if (i == sizeof(methods) / sizeof(methods[0]))
		return kx_fail(EINVAL, "arm64-image: %s: zboot compression "
			       "\"%s\" is not supported (gzip, zstd, xz and "
			       "lzma are)", path, comp);

	off = get_le32(buf + offsetof(struct zboot_header, payload_offset));
	size = get_le32(buf + offsetof(struct zboot_header, payload_size));
	if (off < sizeof(struct zboot_header) || size == 0 ||
	    (uint64_t)off + size > len)
		return kx_fail(ENODATA, "arm64-image: %s: zboot payload "
			       "[0x%x, +0x%x) is outside the %zu-byte file "
			       "(truncated?)", path, off, size, len);
	*m = methods[i].m;
	*in = buf + off;
	*inlen = size;
	*format = methods[i].format;
	/* Makefile.zboot: for methods other than gzip the uncompressed size
	 * is appended as a le32 after the payload ("_with_size"). */
	*trailer = 0;
	if (*m != ARM64_PACK_GZIP && (uint64_t)off + size + 4 <= len)
		*trailer = get_le32(buf + off + size);
	return 0;
}

int arm64_image_open(struct load *l, const char *path, const uint8_t *buf,
		     size_t len, size_t cap, struct arm64_image *out)
{
	enum arm64_pack m = arm64_pack_detect(buf, len);
	const uint8_t *in = buf;
	size_t inlen = len, size, outlen;
	const char *format = "Image";
	uint32_t trailer = 0;
	uint64_t hint;
	uint8_t *dst;
	int err;

	switch (m) {
	case ARM64_PACK_NONE:
		return arm64_image_parse(path, buf, len, out);
	case ARM64_PACK_ZBOOT:
		err = zboot_unwrap(path, buf, len, &m, &in, &inlen, &trailer,
				   &format);
		if (err)
			return err;
		break;
	case ARM64_PACK_GZIP:
		format = "Image.gz";
		break;
	case ARM64_PACK_ZSTD:
		format = "Image.zst";
		break;
	default:
		format = "Image.xz";
		break;
	}

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
	dst = load_alloc(l, size ? size : 1);
	if (!dst)
		return kx_fail(ENOMEM, "arm64-image: %s: cannot allocate %zu "
			       "bytes for the decompressed kernel", path, size);
	err = arm64_decompress(path, m, in, inlen, dst, size, &outlen);
	if (err == -EFBIG && hint) {
		/* The recorded size was wrong (gzip's ISIZE is only modulo
		 * 4 GiB, and trailing bytes can mimic it).  The first buffer
		 * stays with l until load_release(). */
		err = count(path, m, in, inlen, cap, &size);
		if (err)
			return err;
		dst = load_alloc(l, size ? size : 1);
		if (!dst)
			return kx_fail(ENOMEM, "arm64-image: %s: cannot "
				       "allocate %zu bytes for the "
				       "decompressed kernel", path, size);
		err = arm64_decompress(path, m, in, inlen, dst, size, &outlen);
	}
	if (err)
		return err;
	err = arm64_image_parse(path, dst, outlen, out);
	if (err)
		return err;
	out->format = format;
	return 0;
}
