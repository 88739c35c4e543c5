/* kexshim arm64: the plain Image header (booting.rst, "Call the kernel
 * image").  Runs while a kernel is being planned, in the shim's init, the
 * CLI and host tests.  Pure: bytes in, struct arm64_image out. */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "arch/arm64/arm64.h"
#include "common/le.h"
#include "image/pe.h"
#include "lib/error.h"

/* An EFI-stub Image carries a PE header (res5 points at it).  Its section
 * table says how many bytes the file must have, which is the one way to
 * tell a truncated Image from a whole one.
 * Return: 0 (with *has_pe), or -ENOEXEC/-EINVAL with a message. */
static int check_pe(const char *path, const uint8_t *buf, size_t len,
		    bool *has_pe)
{
	uint32_t pe_off = get_le32(buf + offsetof(struct arm64_image_header,
						  res5));
	struct pe_file pe;
	int err;

	*has_pe = false;
	/* Without "MZ" in code0, res5 is just reserved (no EFI stub). */
	if (get_le16(buf) != PE_DOS_MAGIC || pe_off == 0)
		return 0;
	err = pe_parse("arm64-image", path, buf, len, &pe);
	if (err)
		return err;
	if (pe.machine != PE_MACHINE_ARM64)
		return kx_fail(ENOEXEC, "arm64-image: %s: PE machine 0x%x is "
			       "not arm64", path, pe.machine);
	err = pe_check_sections("arm64-image", path, &pe);
	if (err)
		return err;
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
