/* kexshim x86_64: validate a bzImage before it is planned.  Runs in the
 * shim and the CLI on untrusted files (also fuzzed): every field is checked
 * against the file size before it is used. */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "lib/error.h"
#include "arch/x86_64/bzimage.h"

#define MIN_PROTOCOL 0x020cu /* 2.12: xloadflags and the ext_* fields */
/* A kernel that asks for more than this before it can read its memory map
 * is corrupt: Debian's 6.1 asks for 64 MiB. */
#define MAX_INIT_SIZE (1ull << 30)
#define MAX_ALIGNMENT (1ull << 30)
/* Offset of init_size's end: the last header field we read. */
#define HDR_MIN_END 0x264u
/* boot_params has room for the header up to 0x290 (edd_mbr_sig_buffer). */
#define HDR_MAX_END 0x290u

/* The setup header is read in place through struct setup_header (packed,
 * so any alignment will do); its fields are little-endian, as is every
 * CPU kexshim runs on. */
_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
	       "struct setup_header is read in place");

static int is_pow2(uint64_t x)
{
	return x && !(x & (x - 1));
}

/* Checks that need only the header bytes (all below 1 KiB). */
static int check_header(const char *path, const struct setup_header *h,
			struct bzimage *bz)
{
	uint32_t magic = h->header;
	uint16_t flag = h->boot_flag;

	if (magic != SETUP_HDR_MAGIC)
		return kx_fail(EINVAL, "bzimage: %s: bad magic 0x%08x (want HdrS)",
			       path, magic);
	if (flag != BOOT_FLAG_MAGIC)
		return kx_fail(EINVAL, "bzimage: %s: bad boot flag 0x%04x (want 0xaa55)",
			       path, flag);
	bz->version = h->version;
	if (bz->version < MIN_PROTOCOL)
		return kx_fail(EINVAL, "bzimage: %s: boot protocol %u.%02u too old (need 2.12)",
			       path, bz->version >> 8, bz->version & 0xff);
	/* boot.rst: "The end of setup header can be calculated as follow:
	 * 0x0202 + byte value at offset 0x0201": jump is a short jmp (0xeb)
	 * over the header. */
	bz->hdr_end = 0x202u + (h->jump >> 8);
	if ((h->jump & 0xff) != 0xeb || bz->hdr_end < HDR_MIN_END ||
	    bz->hdr_end > HDR_MAX_END)
		return kx_fail(EINVAL, "bzimage: %s: setup header ends at 0x%zx (jump %02x %02x), want 0x%x..0x%x",
			       path, bz->hdr_end, h->jump & 0xff, h->jump >> 8,
			       HDR_MIN_END, HDR_MAX_END);
	if (!(h->loadflags & LOADED_HIGH))
		return kx_fail(EINVAL, "bzimage: %s: not a bzImage (loadflags 0x%02x lack LOADED_HIGH)",
			       path, h->loadflags);
	bz->xloadflags = h->xloadflags;
	if (!(bz->xloadflags & XLF_KERNEL_64))
		return kx_fail(EINVAL, "bzimage: %s: no 64-bit entry point (xloadflags 0x%04x lack XLF_KERNEL_64)",
			       path, bz->xloadflags);
	return 0;
}

/* The protected-mode part: where it starts and that the file holds it. */
static int check_sizes(const char *path, const uint8_t *buf, size_t len,
		       const struct setup_header *h, struct bzimage *bz)
{
	unsigned sects = h->setup_sects;
	uint64_t syssize = h->syssize, have;

	/* boot.rst: "If this field is 0, the real value is 4." */
	if (!sects)
		sects = 4;
	bz->setup_size = (size_t)(sects + 1) * SETUP_SECT_SIZE;
	if (bz->setup_size >= len)
		return kx_fail(EINVAL, "bzimage: %s: truncated: setup is %zu bytes (setup_sects %u), file has %zu",
			       path, bz->setup_size, sects, len);
	if (!syssize)
		return kx_fail(EINVAL, "bzimage: %s: syssize is 0", path);
	/* boot.rst: syssize is "the size of the protected-mode code in units
	 * of 16-byte paragraphs", so it rounds up: an image linked by other
	 * tools than Linux's own (memtest86+ 6.10: syssize 142784, 142776
	 * bytes) ends up to 15 bytes before it.  Bytes after it (an appended
	 * signature) are not part of the kernel. */
	have = len - bz->setup_size;
	if (syssize * 16 > have + 15)
		return kx_fail(EINVAL, "bzimage: %s: truncated: syssize says %llu bytes, file has %llu",
			       path, (unsigned long long)syssize * 16,
			       (unsigned long long)have);
	bz->kernel = buf + bz->setup_size;
	bz->kernel_size = syssize * 16 < have ? (size_t)syssize * 16 : have;

	bz->init_size = h->init_size;
	if (!bz->init_size)
		return kx_fail(EINVAL, "bzimage: %s: init_size is 0", path);
	if (bz->init_size < bz->kernel_size)
		return kx_fail(EINVAL, "bzimage: %s: init_size 0x%x is smaller than the %zu-byte kernel",
			       path, bz->init_size, bz->kernel_size);
	if (bz->init_size > MAX_INIT_SIZE)
		return kx_fail(EINVAL, "bzimage: %s: absurd init_size 0x%x (more than 1 GiB)",
			       path, bz->init_size);
	return 0;
}

/* Placement rules: relocatable_kernel, kernel_alignment, pref_address. */
static int check_placement(const char *path, const struct setup_header *h,
			   struct bzimage *bz)
{
	bz->relocatable = h->relocatable_kernel != 0;
	bz->kernel_alignment = h->kernel_alignment;
	bz->pref_address = h->pref_address;

	if (bz->relocatable) {
		/* boot.rst: a relocatable kernel "can be loaded at any
		 * address that satisfies the kernel_alignment field". */
		if (!is_pow2(bz->kernel_alignment) ||
		    bz->kernel_alignment > MAX_ALIGNMENT)
			return kx_fail(EINVAL, "bzimage: %s: kernel_alignment 0x%x is not a power of two up to 1 GiB",
				       path, bz->kernel_alignment);
	} else if (bz->pref_address & 0xfff) {
		/* boot.rst: "A non-relocatable kernel will unconditionally
		 * move itself and to run at this address." */
		return kx_fail(EINVAL, "bzimage: %s: non-relocatable kernel with unaligned pref_address 0x%llx",
			       path, (unsigned long long)bz->pref_address);
	}
	if (bz->pref_address > UINT64_MAX - bz->init_size ||
	    (!(bz->xloadflags & XLF_CAN_BE_LOADED_ABOVE_4G) &&
	     bz->pref_address + bz->init_size > (1ull << 32)))
		return kx_fail(EINVAL, "bzimage: %s: pref_address 0x%llx + init_size 0x%x is out of reach",
			       path, (unsigned long long)bz->pref_address,
			       bz->init_size);
	return 0;
}

int bzimage_parse(const char *path, const uint8_t *buf, size_t len,
		  struct bzimage *out)
{
	const struct setup_header *h;
	struct bzimage bz;
	int ret;

	memset(&bz, 0, sizeof(bz));
	/* The boot sector and the header's sector: boot.rst lets a loader
	 * "load only the first two sectors (1K) and then examine" them. */
	if (!buf || len < 2 * SETUP_SECT_SIZE)
		return kx_fail(EINVAL, "bzimage: %s: too small for a bzImage: %zu bytes",
			       path, len);
	h = (const struct setup_header *)(buf + SETUP_HDR_OFFSET);
	ret = check_header(path, h, &bz);
	if (!ret)
		ret = check_sizes(path, buf, len, h, &bz);
	if (!ret)
		ret = check_placement(path, h, &bz);
	if (ret)
		return ret;

	bz.cmdline_size = h->cmdline_size;
	if (!bz.cmdline_size)
		return kx_fail(EINVAL, "bzimage: %s: cmdline_size is 0", path);
	bz.initrd_addr_max = h->initrd_addr_max;
	/* Below 1 MiB nothing fits an initrd next to the kernel. */
	if (bz.initrd_addr_max < 0xfffff)
		return kx_fail(EINVAL, "bzimage: %s: initrd_addr_max 0x%x is below 1 MiB",
			       path, bz.initrd_addr_max);

	bz.path = path;
	bz.buf = buf;
	bz.len = len;
	bz.hdr = h;
	*out = bz;
	return 0;
}
