/* kexshim: the PE/COFF section table of an image in memory (EFI-stub
 * kernels, UKIs, zboot).  Pure: bytes in, bounds-checked views out.  Runs
 * while a kernel is probed and planned (shim, CLI, host tests). */
#ifndef KEXSHIM_IMAGE_PE_H
#define KEXSHIM_IMAGE_PE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kexshim/pe.h"

#define PE_SECTION_NAME_MAX 8

struct pe_file {
	const uint8_t *buf;
	size_t len;
	uint32_t pe_offset;          /* of "PE\0\0" */
	uint16_t machine;            /* PE_MACHINE_* */
	uint16_t nr_sections;
	uint16_t opt_magic;          /* PE_OPT_MAGIC_PE32 / _PE32PLUS */
	size_t opt_offset;           /* of the optional header */
	size_t opt_size;
	size_t sections_offset;      /* of the section table */
};

struct pe_section {
	char name[PE_SECTION_NAME_MAX + 1]; /* NUL-terminated */
	uint32_t virtual_address, virtual_size;
	uint32_t raw_offset, raw_size;
};

/* Return: true when buf starts with "MZ" and its e_lfanew points at a
 * "PE\0\0" inside buf. */
bool pe_detect(const uint8_t *buf, size_t len);

/* Check the headers: signature, COFF header and section table inside buf
 * (the section data is not checked: see pe_check_sections).  Messages read
 * "WHO: PATH: reason".
 * Return: 0 with *pe filled, or -ENOEXEC (kx_fail). */
int pe_parse(const char *who, const char *path, const uint8_t *buf,
	     size_t len, struct pe_file *pe);

/* Section i (< pe->nr_sections) into *s. */
void pe_section(const struct pe_file *pe, unsigned i, struct pe_section *s);

/* The first section named name (".linux"), or -ENOENT.
 * Return: its index, or -ENOENT. */
int pe_find_section(const struct pe_file *pe, const char *name,
		    struct pe_section *s);

/* The data of section s as a loader sees it: VirtualSize bytes (the size
 * the linker or objcopy recorded) of its SizeOfRawData bytes in the file,
 * which are padded to FileAlignment.  PE Format 4: "If [VirtualSize] is
 * greater than SizeOfRawData, the section is zero-padded" -- for code; for
 * the data blobs a UKI carries the missing bytes were never written, so
 * that is refused here.  VirtualSize 0 (an object-file convention) means
 * the raw size.
 * Return: 0 with *data and *size (inside pe->buf), or -ENOEXEC "WHO: PATH:
 * PE section NAME ...". */
int pe_section_data(const char *who, const char *path,
		    const struct pe_file *pe, const struct pe_section *s,
		    const uint8_t **data, size_t *size);

/* Every section's file data lies inside the file: the one way to tell a
 * truncated image from a whole one.
 * Return: 0, or -ENOEXEC "WHO: PATH: truncated: PE section NAME ends at
 * 0x... but the file is 0x... bytes". */
int pe_check_sections(const char *who, const char *path,
		      const struct pe_file *pe);

#endif
