/* kexshim: the probe table (see image.h).  Runs once per kernel file, in
 * load_prepare() before arch_ops.load.  Order matters only where magics
 * overlap: zboot is a PE file, so it goes before any PE-based row; the UKI
 * row matches a PE with a .linux section, which neither a zboot image nor
 * a plain EFI-stub kernel has. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "common/util.h"
#include "image/image.h"
#include "lib/error.h"

static const struct image_format *const formats[] = {
	&image_format_zboot,
	&image_format_uki,
	&image_format_gzip,
	&image_format_zstd,
	&image_format_xz,
};

static bool matches(const struct image_format *f, const uint8_t *buf,
		    size_t len)
{
	if (f->magic)
		return len >= f->magic_len && !memcmp(buf, f->magic, f->magic_len);
	return f->probe(buf, len);
}

void image_format_add(struct image *img, const char *fmt, ...)
{
	size_t n = strlen(img->format);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(img->format + n, sizeof(img->format) - n, fmt, ap);
	va_end(ap);
}

int image_unwrap(struct arena *ar, const char *path, const uint8_t *buf,
		 size_t len, size_t cap, int uki_profile, struct image *img)
{
	unsigned depth;
	size_t i;
	int err;

	memset(img, 0, sizeof(*img));
	img->uki_profile = uki_profile;
	img->kernel = buf;
	img->kernel_size = len;
	for (depth = 0;; depth++) {
		for (i = 0; i < ARRAY_SIZE(formats); i++)
			if (matches(formats[i], img->kernel, img->kernel_size))
				break;
		if (i == ARRAY_SIZE(formats))
			return 0;
		if (depth == IMAGE_MAX_DEPTH)
			return kx_fail(ELOOP, "image: %s: wrapped more than %d "
				       "times (%s ...)", path, IMAGE_MAX_DEPTH,
				       img->format);
		image_format_add(img, "%s%s", *img->format ? " > " : "",
				 formats[i]->name);
		err = formats[i]->unwrap(formats[i], ar, path, img->kernel,
					 img->kernel_size, cap, img,
					 &img->kernel, &img->kernel_size);
		if (err)
			return err;
	}
}
