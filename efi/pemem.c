/*
 * efi/pemem.c: named sections of a loaded PE/COFF image (see pemem.h).
 *
 * Runs in kexshim.efi on its own image and on the host in tests and the
 * fuzz target.  The firmware has loaded and (under Secure Boot) verified
 * these headers, but nothing here trusts that: every offset is checked
 * against the image size before it is read, with 64-bit sums so no 32-bit
 * field can wrap.
 */
#include "common/le.h"
#include "kexshim/pe.h"
#include "pemem.h"

#define COFF_OFFSET(field) offsetof(struct pe_coff_header, field)
#define SECT_OFFSET(field) offsetof(struct pe_section_header, field)

static enum pemem_err bad(const char **reason, const char *why)
{
	*reason = why;
	return PEMEM_EHEADER;
}

enum pemem_err pemem_parse(const void *base, size_t size,
			   struct pemem_image *img, const char **reason)
{
	const uint8_t *p = base;
	uint64_t pe, coff, table, end;
	uint16_t opt_size;

	img->base = p;
	img->size = size;
	img->sections = 0;
	img->nr_sections = 0;
	*reason = "";

	if (size < PE_DOS_LFANEW + 4)
		return bad(reason, "image smaller than its MS-DOS header");
	if (get_le16(p) != PE_DOS_MAGIC)
		return bad(reason, "no MZ signature");
	pe = get_le32(p + PE_DOS_LFANEW);
	coff = pe + 4;
	if (coff + sizeof(struct pe_coff_header) > size)
		return bad(reason, "e_lfanew points past the image");
	if (get_le32(p + pe) != PE_SIGNATURE)
		return bad(reason, "no PE signature at e_lfanew");
	opt_size = get_le16(p + coff + COFF_OFFSET(opt_header_size));
	table = coff + sizeof(struct pe_coff_header) + opt_size;
	end = table + (uint64_t)get_le16(p + coff + COFF_OFFSET(nr_sections)) *
		      sizeof(struct pe_section_header);
	if (end > size)
		return bad(reason, "section table runs past the image");

	img->sections = (size_t)table;
	img->nr_sections = get_le16(p + coff + COFF_OFFSET(nr_sections));
	return PEMEM_OK;
}

/* Return: 1 when the 8-byte NUL-padded field @field spells @name. */
static int name_is(const uint8_t *field, const char *name)
{
	unsigned int i;

	for (i = 0; i < PEMEM_NAME_MAX && name[i]; i++)
		if (field[i] != (uint8_t)name[i])
			return 0;
	if (name[i])
		return 0;		/* @name is longer than the field */
	return i == PEMEM_NAME_MAX || field[i] == 0;
}

enum pemem_err pemem_find(const struct pemem_image *img, const char *name,
			  struct pemem_section *sec, const char **reason)
{
	unsigned int i, k;

	*reason = "";
	for (i = 0; i < img->nr_sections; i++) {
		const uint8_t *h = img->base + img->sections +
				   (size_t)i * sizeof(struct pe_section_header);
		uint32_t rva, vsize;

		if (!name_is(h, name))
			continue;
		rva = get_le32(h + SECT_OFFSET(virtual_address));
		vsize = get_le32(h + SECT_OFFSET(virtual_size));
		/* PE Format 4: in memory a section is VirtualSize bytes at
		 * VirtualAddress; the file's SizeOfRawData does not matter */
		if ((uint64_t)rva + vsize > img->size) {
			*reason = "section runs past the image";
			return PEMEM_ESECTION;
		}
		for (k = 0; k < PEMEM_NAME_MAX; k++)
			sec->name[k] = (char)h[k];
		sec->name[PEMEM_NAME_MAX] = '\0';
		sec->rva = rva;
		sec->data = img->base + rva;
		sec->size = vsize;
		return PEMEM_OK;
	}
	return PEMEM_ENOENT;
}
