/* kexshim: the probe table (see image.h).  Runs once per kernel file, in
 * load_prepare() before arch_ops.load.  Order matters only where magics
 * overlap: zboot is a PE file, so it goes before any PE-based row. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "common/util.h"
#include "image/image.h"
#include "lib/error.h"

static const struct image_format *const formats[] = {
	&image_format_zboot,
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

int image_unwrap(struct arena *ar, const char *path, const uint8_t *buf,
		 size_t len, size_t cap, struct image *img)
{
	unsigned depth;
	size_t i, n;
	int err;

	memset(img, 0, sizeof(*img));
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
		n = strlen(img->format);
		snprintf(img->format + n, sizeof(img->format) - n, "%s%s",
			 n ? " > " : "", formats[i]->name);
		err = formats[i]->unwrap(formats[i], ar, path, img->kernel,
					 img->kernel_size, cap, &img->kernel,
					 &img->kernel_size, img->format,
					 sizeof(img->format));
		if (err)
			return err;
	}
}
