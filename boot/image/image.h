/* kexshim: kernel files as they come, unwrapped to the arch's own format.
 * One probe table, like Linux's kexec_file_loaders[]: each row recognises
 * a wrapper by its magic and unwraps it (a compressed stream, an EFI zboot
 * image, a Unified Kernel Image), until no row matches and what is left
 * goes to arch_ops.load (bzImage, Image).  A UKI also brings an initrd,
 * a command line and a devicetree: struct image hands them to the load
 * flow, which decides how they combine with the request's.  Runs while a kernel is planned, in the
 * shim's init, the CLI and host tests. */
#ifndef KEXSHIM_IMAGE_H
#define KEXSHIM_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/arena.h"

/* An unwrapped kernel larger than this is refused rather than allocated:
 * Debian's arm64 Image is 33 MiB, so this leaves room for debug kernels. */
#define IMAGE_UNPACK_MAX (256u << 20)
/* Wrappers inside wrappers (a zboot holding a gzip stream) end here. */
#define IMAGE_MAX_DEPTH 4

/* Compressed stream formats (decompress.c). */
enum image_pack {
	IMAGE_PACK_NONE = 0,
	IMAGE_PACK_GZIP,
	IMAGE_PACK_ZSTD,
	IMAGE_PACK_XZ,
	IMAGE_PACK_LZMA,      /* legacy .lzma ("lzma_alone"), zboot only */
};

/* A UKI's initrd parts: .ucode, then .initrd (UKI spec: the microcode
 * initrd is "handed to the kernel before any other initrd"). */
#define IMAGE_MAX_UKI_INITRDS 2

/* What a kernel file turned into. */
struct image {
	const uint8_t *kernel;  /* the arch's own format; in the file or in
				 * memory owned by the arena */
	size_t kernel_size;
	char format[48];        /* "" when the file was not wrapped, else what
				 * was unwrapped: "gzip", "uki@1 > zboot (gzip)" */
	int uki_profile;        /* in: the UKI profile to use, -1 = the
				 * default (@0, or the base when it has none) */
	/* Out, from a UKI (views into the file; all empty otherwise): */
	const uint8_t *initrd[IMAGE_MAX_UKI_INITRDS];
	size_t initrd_size[IMAGE_MAX_UKI_INITRDS];
	const char *initrd_name[IMAGE_MAX_UKI_INITRDS]; /* ".ucode" */
	size_t nr_initrd;
	const char *cmdline;    /* .cmdline cleaned up (arena), or NULL */
	const uint8_t *dtb;     /* the first .dtb, or NULL */
	size_t dtb_size;
};

/* A row of the probe table. */
struct image_format {
	const char *name;            /* goes into struct image's format */
	const uint8_t *magic;        /* at offset 0: the row matches ... */
	size_t magic_len;
	bool (*probe)(const uint8_t *buf, size_t len); /* ... or this says so */
	enum image_pack pack;        /* for the stream rows */
	/* Set *out and *outlen to the inner bytes (allocated from ar, or inside
	 * buf); may append a detail to img->format with image_format_add()
	 * ("zboot" + " (zstd22)") and fill img's UKI extras.  At most cap
	 * bytes are produced.
	 * Return: 0 or -errno with an "image: PATH: ..." kx_fail(). */
	int (*unwrap)(const struct image_format *f, struct arena *ar,
		      const char *path, const uint8_t *buf, size_t len,
		      size_t cap, struct image *img, const uint8_t **out,
		      size_t *outlen);
};

/* Unwrap buf row by row until no row matches.  A file no row matches is
 * returned as it is (the arch code then says what is wrong with it).
 * uki_profile picks a UKI's profile (-1: its default).
 * Return: 0 with *img filled, or -errno with an "image: PATH: ..." message. */
int image_unwrap(struct arena *ar, const char *path, const uint8_t *buf,
		 size_t len, size_t cap, int uki_profile, struct image *img);

/* Append printf text to img->format (cut at its size). */
void image_format_add(struct image *img, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* decompress.c */

/* Return: the stream format of buf by its magic bytes, or NONE. */
enum image_pack image_pack_detect(const uint8_t *buf, size_t len);

/* Return: "gzip", "zstd", "xz", "lzma" ("none"). */
const char *image_pack_name(enum image_pack m);

/* Decompress one stream of method m into out[0..cap).
 * Return: 0 with *outlen set; -EFBIG when the output would exceed cap;
 * -EINVAL (corrupt) / -ENODATA (truncated) with an "image: PATH:" message. */
int image_decompress(const char *path, enum image_pack m, const uint8_t *in,
		     size_t inlen, uint8_t *out, size_t cap, size_t *outlen);

/* Decompress a whole stream into memory owned by ar, sized by what the
 * stream records (or trailer, zboot's appended size, when not 0), measured
 * first when it records nothing or lies.  At most cap bytes.
 * Return: 0 with *out and *outlen, or -errno (kx_fail). */
int image_unpack(struct arena *ar, const char *path, enum image_pack m,
		 const uint8_t *in, size_t inlen, uint32_t trailer, size_t cap,
		 const uint8_t **out, size_t *outlen);

/* The rows, for image.c's table. */
extern const struct image_format image_format_gzip, image_format_zstd,
	image_format_xz, image_format_zboot, image_format_uki;

#endif
