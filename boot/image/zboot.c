/* kexshim: EFI zboot images (CONFIG_EFI_ZBOOT).  Their decompressor runs
 * only as an EFI application, so kexec has to unwrap them itself;
 * zboot-header.S says where the payload is and how it is packed.  Runs
 * while a kernel is being planned (shim init, CLI, host tests). */
#include <errno.h>
#include <string.h>

#include "common/le.h"
#include "common/util.h"
#include "image/image.h"
#include "kexshim/pe.h"
#include "kexshim/zboot.h"
#include "lib/error.h"

static bool probe_zboot(const uint8_t *buf, size_t len)
{
	return len >= sizeof(struct zboot_header) &&
	       get_le16(buf) == PE_DOS_MAGIC &&
	       !memcmp(buf + offsetof(struct zboot_header, image_type),
		       ZBOOT_IMAGE_TYPE, 4);
}

static int unwrap_zboot(const struct image_format *f, struct arena *ar,
			const char *path, const uint8_t *buf, size_t len,
			size_t cap, struct image *img, const uint8_t **out,
			size_t *outlen)
{
	/* Makefile.zboot comp-type-y names (zstd was "zstd22" when first
	 * merged and "zstd" in some trees). */
	static const struct {
		const char *name;
		enum image_pack m;
	} methods[] = {
		{ "gzip", IMAGE_PACK_GZIP },
		{ "zstd22", IMAGE_PACK_ZSTD },
		{ "zstd", IMAGE_PACK_ZSTD },
		{ "xzkern", IMAGE_PACK_XZ },
		{ "xz", IMAGE_PACK_XZ },
		{ "lzma", IMAGE_PACK_LZMA },
	};
	char comp[ZBOOT_COMP_TYPE_LEN + 1];
	uint32_t off, size, trailer = 0;
	size_t i;

	(void)f;
	memcpy(comp, buf + offsetof(struct zboot_header, comp_type),
	       ZBOOT_COMP_TYPE_LEN);
	comp[ZBOOT_COMP_TYPE_LEN] = '\0';
	for (i = 0; comp[i]; i++)
		if (comp[i] < 0x20 || comp[i] > 0x7e)
			comp[i] = '?';
	for (i = 0; i < ARRAY_SIZE(methods); i++)
		if (!strcmp(comp, methods[i].name))
			break;
	if (i == ARRAY_SIZE(methods))
		return kx_fail(EINVAL, "image: %s: zboot compression \"%s\" is "
			       "not supported (gzip, zstd, xz and lzma are)",
			       path, comp);

	off = get_le32(buf + offsetof(struct zboot_header, payload_offset));
	size = get_le32(buf + offsetof(struct zboot_header, payload_size));
	if (off < sizeof(struct zboot_header) || size == 0 ||
	    (uint64_t)off + size > len)
		return kx_fail(ENODATA, "image: %s: zboot payload [0x%x, +0x%x) "
			       "is outside the %zu-byte file (truncated?)", path,
			       off, size, len);
	/* Makefile.zboot: for methods other than gzip the uncompressed size
	 * is appended as a le32 after the payload ("_with_size"). */
	if (methods[i].m != IMAGE_PACK_GZIP && (uint64_t)off + size + 4 <= len)
		trailer = get_le32(buf + off + size);
	image_format_add(img, " (%s)", methods[i].name);
	return image_unpack(ar, path, methods[i].m, buf + off, size, trailer,
			    cap, out, outlen);
}

const struct image_format image_format_zboot = {
	.name = "zboot",
	.probe = probe_zboot,
	.unwrap = unwrap_zboot,
};
