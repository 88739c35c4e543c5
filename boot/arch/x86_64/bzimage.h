/* kexshim x86_64: bzImage header parsing and validation.  Runs in the shim
 * (and the CLI) before anything is planned: a bad image never reaches
 * kexec_load. */
#ifndef KEXSHIM_X86_BZIMAGE_H
#define KEXSHIM_X86_BZIMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "kexshim/bootparam.h"

/* What the loader needs from a validated bzImage.  Pointers point into the
 * caller's buffer. */
struct bzimage {
	const char *path;
	const uint8_t *buf;          /* whole file */
	size_t len;
	const struct setup_header *hdr; /* buf + 0x1f1, unaligned (packed) */
	size_t hdr_end;              /* 0x202 + buf[0x201]: bytes to copy end here */
	uint16_t version;            /* protocol, e.g. 0x020f */
	size_t setup_size;           /* (setup_sects + 1) * 512, 0 sects -> 4 */
	const uint8_t *kernel;       /* protected-mode part: buf + setup_size */
	size_t kernel_size;          /* syssize * 16, <= len - setup_size */
	uint32_t init_size;          /* memory the kernel needs from its start */
	int relocatable;
	uint32_t kernel_alignment;   /* power of two when relocatable */
	uint64_t pref_address;       /* where a non-relocatable kernel must go */
	uint32_t cmdline_size;       /* max command line length without NUL */
	uint32_t initrd_addr_max;    /* highest byte an initrd may occupy */
	uint16_t xloadflags;
};

/* Validate the bzImage in buf[0..len) (named path in messages) and fill out.
 * Pure: no I/O.  Accepts protocol >= 2.12 64-bit bzImages only.
 * Return: 0, or -EINVAL with a kx_fail() message
 * ("bzimage: PATH: bad magic 0x... (want HdrS)"). */
int bzimage_parse(const char *path, const uint8_t *buf, size_t len,
		  struct bzimage *out);

#endif
