/* kexshim arm64: the plain Image header (booting.rst, "Call the kernel
 * image").  Runs while a kernel is being planned, in the shim's init, the
 * CLI and host tests.  Pure: bytes in, struct arm64_image out. */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "lib/error.h"
#include "arch/arm64/arm64.h"

static uint32_t get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint64_t get_le64(const uint8_t *p)
{
	return (uint64_t)get_le32(p) | (uint64_t)get_le32(p + 4) << 32;
}

/* PE/COFF: "PE\0\0", then the COFF file header, the optional header and
 * the section table (40-byte entries). */
#define PE_COFF_MACHINE 4          /* u16 */
#define PE_COFF_NR_SECTIONS 6      /* u16 */
#define PE_COFF_OPT_SIZE 20        /* u16 SizeOfOptionalHeader */
#define PE_OPT_HEADER 24
#define PE_SECTION_SIZE 40
#define PE_SECTION_RAW_SIZE 16     /* u32 SizeOfRawData */
#define PE_SECTION_RAW_PTR 20      /* u32 PointerToRawData */
#define PE_MACHINE_ARM64 0xaa64

/* An EFI-stub Image carries a PE header (res5 points at it).  Its section
 * table says how many bytes the file must have, which is the one way to
 * tell a truncated Image from a whole one.
 * Return: 0 (with *has_pe), or -ENOEXEC/-EINVAL with a message. */
static int check_pe(const char *path, const uint8_t *buf, size_t len,
		    bool *has_pe)
{
	uint32_t pe = get_le32(buf + offsetof(struct arm64_image_header, res5));
	uint64_t table, i, nr;

	*has_pe = false;
	/* Without "MZ" in code0, res5 is just reserved (no EFI stub). */
	if (buf[0] != 'M' || buf[1] != 'Z' || pe == 0)
		return 0;
	if ((uint64_t)pe + PE_OPT_HEADER > len ||
	    get_le32(buf + pe) != ARM64_PE_MAGIC)
		return kx_fail(ENOEXEC, "arm64-image: %s: truncated or corrupt: "
			       "no PE header at 0x%x", path, pe);
	if ((buf[pe + PE_COFF_MACHINE] | buf[pe + PE_COFF_MACHINE + 1] << 8) !=
	    PE_MACHINE_ARM64)
		return kx_fail(ENOEXEC, "arm64-image: %s: PE machine 0x%x is "
			       "not arm64", path, buf[pe + PE_COFF_MACHINE] |
			       buf[pe + PE_COFF_MACHINE + 1] << 8);
	nr = buf[pe + PE_COFF_NR_SECTIONS] |
	     buf[pe + PE_COFF_NR_SECTIONS + 1] << 8;
	table = (uint64_t)pe + PE_OPT_HEADER +
		(buf[pe + PE_COFF_OPT_SIZE] | buf[pe + PE_COFF_OPT_SIZE + 1] << 8);
	if (table + nr * PE_SECTION_SIZE > len)
		return kx_fail(ENOEXEC, "arm64-image: %s: truncated: %zu bytes "
			       "end inside the PE section table", path, len);
	for (i = 0; i < nr; i++) {
		const uint8_t *s = buf + table + i * PE_SECTION_SIZE;
		uint64_t end = (uint64_t)get_le32(s + PE_SECTION_RAW_PTR) +
			       get_le32(s + PE_SECTION_RAW_SIZE);

		if (end > len)
			return kx_fail(ENOEXEC, "arm64-image: %s: truncated: "
				       "PE section %.8s ends at 0x%llx but the "
				       "file is 0x%zx bytes", path,
				       (const char *)s,
				       (unsigned long long)end, len);
	}
	*has_pe = true;
	return 0;
}

/* An Image bigger than this is no kernel: the header is corrupt. */
#define ARM64_IMAGE_SIZE_MAX (1ull << 30)

int arm64_image_parse(const char *path, const uint8_t *buf, size_t len,
		      struct arm64_image *out)
{
	uint64_t text_offset, image_size, flags;
	int err;

	memset(out, 0, sizeof(*out));
	out->format = "Image";
	if (len < ARM64_IMAGE_HEADER_SIZE)
		return kx_fail(ENOEXEC, "arm64-image: %s: truncated: %zu bytes, "
			       "the Image header alone is %d", path, len,
			       ARM64_IMAGE_HEADER_SIZE);
	if (get_le32(buf + offsetof(struct arm64_image_header, magic)) !=
	    ARM64_IMAGE_MAGIC)
		return kx_fail(ENOEXEC, "arm64-image: %s: not an arm64 Image "
			       "(no ARM\\x64 magic at 0x38)", path);

	text_offset = get_le64(buf + offsetof(struct arm64_image_header,
					      text_offset));
	image_size = get_le64(buf + offsetof(struct arm64_image_header,
					     image_size));
	flags = get_le64(buf + offsetof(struct arm64_image_header, flags));

	if (image_size == 0) {
		/* booting.rst: "Prior to v3.17 ... image_size is zero and
		 * text_offset is 0x80000 in the endianness of the kernel.
		 * Where image_size is zero, text_offset can be assumed to be
		 * 0x80000."  Such kernels have no flags field either. */
		out->old_header = true;
		if (text_offset == __builtin_bswap64(ARM64_IMAGE_OLD_TEXT_OFFSET))
			return kx_fail(ENOEXEC, "arm64-image: %s: big-endian "
				       "kernel (text_offset 0x80000 stored "
				       "big-endian), only little-endian is "
				       "supported", path);
		text_offset = ARM64_IMAGE_OLD_TEXT_OFFSET;
		flags = 0;
		/* booting.rst: "a bootloader should attempt to keep as much
		 * memory as possible free for use by the kernel immediately
		 * after the end of the kernel image": reserve the file plus
		 * a margin for its bss and early allocations. */
		image_size = ((uint64_t)len + ARM64_IMAGE_BASE_ALIGN - 1) &
			     ~(uint64_t)(ARM64_IMAGE_BASE_ALIGN - 1);
		image_size += 16u << 20;
	} else {
		if (flags & ARM64_IMAGE_FLAG_BE)
			return kx_fail(ENOEXEC, "arm64-image: %s: big-endian "
				       "kernel (flags bit 0), only little-"
				       "endian is supported", path);
		if (image_size > ARM64_IMAGE_SIZE_MAX)
			return kx_fail(EINVAL, "arm64-image: %s: image_size "
				       "0x%llx is absurd (over 1 GiB)", path,
				       (unsigned long long)image_size);
		/* image_size counts the bss too, so a file longer than it
		 * is not the Image the header describes. */
		if (image_size < len)
			return kx_fail(EINVAL, "arm64-image: %s: file is %zu "
				       "bytes but image_size is only 0x%llx",
				       path, len,
				       (unsigned long long)image_size);
	}
	/* The Image starts text_offset above a 2 MiB boundary, and kexec
	 * segments start on pages. */
	if (text_offset >= ARM64_IMAGE_BASE_ALIGN || (text_offset & 0xfff))
		return kx_fail(EINVAL, "arm64-image: %s: text_offset 0x%llx "
			       "is not a page offset inside 2 MiB", path,
			       (unsigned long long)text_offset);

	err = check_pe(path, buf, len, &out->has_pe);
	if (err)
		return err;
	out->buf = buf;
	out->len = len;
	out->text_offset = text_offset;
	out->image_size = image_size;
	out->flags = flags;
	return 0;
}
