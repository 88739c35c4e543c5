/*
 * efi/pemem.h: the named sections of a PE/COFF image as the firmware loaded
 * it into memory.  kexshim.efi reads its own .linux, .initrd, .cmdline and
 * .pins this way, from EFI_LOADED_IMAGE.ImageBase and ImageSize, when
 * tools/mkbundle made it a bundle.
 *
 * In memory an image is laid out by RVA, not by file offset (PE Format 4):
 * the headers at RVA 0, each section at its VirtualAddress, VirtualSize
 * bytes long.  A section's data is therefore ImageBase + VirtualAddress,
 * never PointerToRawData.
 *
 * Runs inside kexshim.efi before anything is loaded, and on the build host
 * in the unit tests and the fuzz target: pure and freestanding (bytes in,
 * bounds-checked views out; no libc, no gnu-efi).
 */
#ifndef KEXSHIM_EFI_PEMEM_H
#define KEXSHIM_EFI_PEMEM_H

#include <stddef.h>
#include <stdint.h>

#define PEMEM_NAME_MAX	8

enum pemem_err {
	PEMEM_OK = 0,
	PEMEM_ENOENT,		/* no section of that name */
	PEMEM_EHEADER,		/* headers or section table malformed */
	PEMEM_ESECTION,		/* the section lies outside the image */
};

/* A parsed image: where its section table is, inside [base, base + size). */
struct pemem_image {
	const uint8_t *base;
	size_t size;			/* bytes readable at base (ImageSize) */
	size_t sections;		/* offset of the section table */
	unsigned int nr_sections;	/* NumberOfSections */
};

struct pemem_section {
	char name[PEMEM_NAME_MAX + 1];	/* NUL-terminated */
	uint32_t rva;			/* VirtualAddress */
	const uint8_t *data;		/* base + rva */
	size_t size;			/* VirtualSize */
};

/*
 * pemem_parse() - check the DOS stub, the PE signature, the COFF file header
 * and that the whole section table lies inside @size bytes at @base.
 * @reason: out, static text naming what is wrong, on an error.
 *
 * Return: PEMEM_OK with @img filled, or PEMEM_EHEADER.
 */
enum pemem_err pemem_parse(const void *base, size_t size,
			   struct pemem_image *img, const char **reason);

/*
 * pemem_find() - the first section named @name (".linux"; at most 8 bytes,
 * compared as the 8-byte NUL-padded field).
 * @reason: out, static text, on PEMEM_ESECTION.
 *
 * Return: PEMEM_OK with @sec filled (its data inside the image),
 * PEMEM_ENOENT when there is none, or PEMEM_ESECTION when its
 * VirtualAddress + VirtualSize runs past the image.
 */
enum pemem_err pemem_find(const struct pemem_image *img, const char *name,
			  struct pemem_section *sec, const char **reason);

#endif /* KEXSHIM_EFI_PEMEM_H */
