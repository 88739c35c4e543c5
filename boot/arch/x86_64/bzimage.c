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

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint64_t get64(const uint8_t *p)
{
	return get32(p) | (uint64_t)get32(p + 4) << 32;
}

static int is_pow2(uint64_t x)
{
	return x && !(x & (x - 1));
}

/* Checks that need only the header bytes (all below 1 KiB). */
static int check_header(const char *path, const uint8_t *buf,
			struct bzimage *bz)
{
	uint32_t magic = get32(buf + 0x202);
	uint16_t flag = get16(buf + 0x1fe);

	if (magic != SETUP_HDR_MAGIC)
		return kx_fail(EINVAL, "bzimage: %s: bad magic 0x%08x (want HdrS)",
			       path, magic);
	if (flag != BOOT_FLAG_MAGIC)
		return kx_fail(EINVAL, "bzimage: %s: bad boot flag 0x%04x (want 0xaa55)",
			       path, flag);
	bz->version = get16(buf + 0x206);
	if (bz->version < MIN_PROTOCOL)
		return kx_fail(EINVAL, "bzimage: %s: boot protocol %u.%02u too old (need 2.12)",
			       path, bz->version >> 8, bz->version & 0xff);
	/* boot.rst: "The end of setup header can be calculated as follow:
	 * 0x0202 + byte value at offset 0x0201" */
	bz->hdr_end = 0x202u + buf[SETUP_HDR_JUMP_LEN];
	if (buf[0x200] != 0xeb || bz->hdr_end < HDR_MIN_END ||
	    bz->hdr_end > HDR_MAX_END)
		return kx_fail(EINVAL, "bzimage: %s: setup header ends at 0x%zx (jump %02x %02x), want 0x%x..0x%x",
			       path, bz->hdr_end, buf[0x200], buf[0x201],
			       HDR_MIN_END, HDR_MAX_END);
	if (!(buf[0x211] & LOADED_HIGH))
		return kx_fail(EINVAL, "bzimage: %s: not a bzImage (loadflags 0x%02x lack LOADED_HIGH)",
			       path, buf[0x211]);
	bz->xloadflags = get16(buf + 0x236);
	if (!(bz->xloadflags & XLF_KERNEL_64))
		return kx_fail(EINVAL, "bzimage: %s: no 64-bit entry point (xloadflags 0x%04x lack XLF_KERNEL_64)",
			       path, bz->xloadflags);
	return 0;
}

/* The protected-mode part: where it starts and that the file holds it. */
static int check_sizes(const char *path, const uint8_t *buf, size_t len,
		       struct bzimage *bz)
{
	unsigned sects = buf[0x1f1];
	uint64_t syssize = get32(buf + 0x1f4);

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
	 * of 16-byte paragraphs".  Bytes after it (an appended signature) are
	 * not part of the kernel. */
	if (syssize * 16 > len - bz->setup_size)
		return kx_fail(EINVAL, "bzimage: %s: truncated: syssize says %llu bytes, file has %zu",
			       path, (unsigned long long)syssize * 16,
			       len - bz->setup_size);
	bz->kernel = buf + bz->setup_size;
	bz->kernel_size = (size_t)syssize * 16;

	bz->init_size = get32(buf + 0x260);
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
static int check_placement(const char *path, const uint8_t *buf,
			   struct bzimage *bz)
{
	bz->relocatable = buf[0x234] != 0;
	bz->kernel_alignment = get32(buf + 0x230);
	bz->pref_address = get64(buf + 0x258);

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
	struct bzimage bz;
	int ret;

	memset(&bz, 0, sizeof(bz));
	/* The boot sector and the header's sector: boot.rst lets a loader
	 * "load only the first two sectors (1K) and then examine" them. */
	if (!buf || len < 2 * SETUP_SECT_SIZE)
		return kx_fail(EINVAL, "bzimage: %s: too small for a bzImage: %zu bytes",
			       path, len);
	ret = check_header(path, buf, &bz);
	if (!ret)
		ret = check_sizes(path, buf, len, &bz);
	if (!ret)
		ret = check_placement(path, buf, &bz);
	if (ret)
		return ret;

	bz.cmdline_size = get32(buf + 0x238);
	if (!bz.cmdline_size)
		return kx_fail(EINVAL, "bzimage: %s: cmdline_size is 0", path);
	bz.initrd_addr_max = get32(buf + 0x22c);
	/* Below 1 MiB nothing fits an initrd next to the kernel. */
	if (bz.initrd_addr_max < 0xfffff)
		return kx_fail(EINVAL, "bzimage: %s: initrd_addr_max 0x%x is below 1 MiB",
			       path, bz.initrd_addr_max);

	bz.path = path;
	bz.buf = buf;
	bz.len = len;
	bz.hdr = (const struct setup_header *)(buf + SETUP_HDR_OFFSET);
	*out = bz;
	return 0;
}
