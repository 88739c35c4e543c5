/* kexshim: PE/COFF headers and section table (see pe.h).  Pure; every
 * offset is checked against the buffer before it is read, since these are
 * files from disks and networks nobody vetted. */
#include <errno.h>
#include <string.h>

#include "common/le.h"
#include "image/pe.h"
#include "lib/error.h"

bool pe_detect(const uint8_t *buf, size_t len)
{
	uint32_t off;

	if (len < PE_DOS_LFANEW + 4 || get_le16(buf) != PE_DOS_MAGIC)
		return false;
	off = get_le32(buf + PE_DOS_LFANEW);
	return off && (uint64_t)off + 4 <= len &&
	       get_le32(buf + off) == PE_SIGNATURE;
}

int pe_parse(const char *who, const char *path, const uint8_t *buf,
	     size_t len, struct pe_file *pe)
{
	uint64_t coff, table;

	memset(pe, 0, sizeof(*pe));
	if (len < PE_DOS_LFANEW + 4 || get_le16(buf) != PE_DOS_MAGIC)
		return kx_fail(ENOEXEC, "%s: %s: no MZ header", who, path);
	pe->pe_offset = get_le32(buf + PE_DOS_LFANEW);
	coff = (uint64_t)pe->pe_offset + 4;
	if (coff + sizeof(struct pe_coff_header) > len ||
	    get_le32(buf + pe->pe_offset) != PE_SIGNATURE)
		return kx_fail(ENOEXEC, "%s: %s: truncated or corrupt: no PE "
			       "header at 0x%x", who, path, pe->pe_offset);
	pe->machine = get_le16(buf + coff +
			       offsetof(struct pe_coff_header, machine));
	pe->nr_sections = get_le16(buf + coff +
				   offsetof(struct pe_coff_header, nr_sections));
	pe->opt_size = get_le16(buf + coff +
				offsetof(struct pe_coff_header, opt_header_size));
	pe->opt_offset = coff + sizeof(struct pe_coff_header);
	if (pe->opt_size >= 2 && pe->opt_offset + 2 <= len)
		pe->opt_magic = get_le16(buf + pe->opt_offset + PE_OPT_MAGIC);
	table = pe->opt_offset + pe->opt_size;
	if (table + (uint64_t)pe->nr_sections *
		    sizeof(struct pe_section_header) > len)
		return kx_fail(ENOEXEC, "%s: %s: truncated: %zu bytes end inside "
			       "the PE section table", who, path, len);
	pe->sections_offset = table;
	pe->buf = buf;
	pe->len = len;
	return 0;
}

void pe_section(const struct pe_file *pe, unsigned i, struct pe_section *s)
{
	const uint8_t *h = pe->buf + pe->sections_offset +
			   (size_t)i * sizeof(struct pe_section_header);

	memset(s, 0, sizeof(*s));
	memcpy(s->name, h, PE_SECTION_NAME_MAX);
	s->virtual_size = get_le32(h + offsetof(struct pe_section_header,
						virtual_size));
	s->virtual_address = get_le32(h + offsetof(struct pe_section_header,
						   virtual_address));
	s->raw_size = get_le32(h + offsetof(struct pe_section_header,
					    raw_size));
	s->raw_offset = get_le32(h + offsetof(struct pe_section_header,
					      raw_offset));
}

int pe_find_section(const struct pe_file *pe, const char *name,
		    struct pe_section *s)
{
	unsigned i;

	for (i = 0; i < pe->nr_sections; i++) {
		pe_section(pe, i, s);
		if (!strcmp(s->name, name))
			return (int)i;
	}
	return -ENOENT;
}

int pe_check_sections(const char *who, const char *path,
		      const struct pe_file *pe)
{
	struct pe_section s;
	unsigned i;

	for (i = 0; i < pe->nr_sections; i++) {
		uint64_t end;

		pe_section(pe, i, &s);
		end = (uint64_t)s.raw_offset + s.raw_size;
		if (end > pe->len)
			return kx_fail(ENOEXEC, "%s: %s: truncated: PE section "
				       "%s ends at 0x%llx but the file is 0x%zx "
				       "bytes", who, path, s.name,
				       (unsigned long long)end, pe->len);
	}
	return 0;
}

int pe_section_data(const char *who, const char *path,
		    const struct pe_file *pe, const struct pe_section *s,
		    const uint8_t **data, size_t *size)
{
	uint64_t end = (uint64_t)s->raw_offset + s->raw_size;
	uint32_t n = s->virtual_size ? s->virtual_size : s->raw_size;

	if (end > pe->len)
		return kx_fail(ENOEXEC, "%s: %s: truncated: PE section %s ends at "
			       "0x%llx but the file is 0x%zx bytes", who, path,
			       s->name, (unsigned long long)end, pe->len);
	if (n > s->raw_size)
		return kx_fail(ENOEXEC, "%s: %s: PE section %s: VirtualSize 0x%x "
			       "is larger than its 0x%x bytes in the file", who,
			       path, s->name, n, s->raw_size);
	*data = pe->buf + s->raw_offset;
	*size = n;
	return 0;
}
