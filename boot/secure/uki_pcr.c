/* kexshim: which UKI sections go into PCR 11 (see uki_pcr.h). */
#include <errno.h>
#include <string.h>

#include "common/util.h"
#include "image/pe.h"
#include "lib/error.h"
#include "secure/uki_pcr.h"

/* systemd's src/fundamental/uki.c unified_sections[], which the UKI spec
 * calls the canonical order.  PLEASE DO NOT REORDER there, and here. */
static const char *const canonical[] = {
	".linux", ".osrel", ".cmdline", ".initrd", ".ucode", ".splash",
	".dtb", ".uname", ".sbat", ".pcrsig", ".pcrpkey", ".profile",
	".dtbauto", ".hwids", ".efifw",
};
_Static_assert(ARRAY_SIZE(canonical) == UKI_PCR_MAX, "canonical sections");

static int index_of(const char *name)
{
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(canonical); i++)
		if (!strcmp(name, canonical[i]))
			return (int)i;
	return -1;
}

int uki_pcr_sections(const char *path, const uint8_t *buf, size_t len,
		     int profile, struct uki_pcr_section *out)
{
	struct pe_section base[UKI_PCR_MAX], own[UKI_PCR_MAX], s;
	bool have_base[UKI_PCR_MAX] = { 0 }, have_own[UKI_PCR_MAX] = { 0 };
	struct pe_file pe;
	int cur = -1, k, n = 0, nr_profiles = 0;
	unsigned i;

	if (pe_parse("tpm", path, buf, len, &pe) ||
	    pe_check_sections("tpm", path, &pe))
		return -ENOEXEC;
	if (profile < 0)
		profile = 0;
	for (i = 0; i < pe.nr_sections; i++) {
		pe_section(&pe, i, &s);
		k = index_of(s.name);
		if (k < 0)
			continue;
		if (!strcmp(s.name, ".profile"))
			cur = nr_profiles++;
		/* The first of a name wins, as systemd-stub's lookup does. */
		if (cur < 0 && !have_base[k]) {
			base[k] = s;
			have_base[k] = true;
		} else if (cur == profile && !have_own[k]) {
			own[k] = s;
			have_own[k] = true;
		}
	}
	if (nr_profiles && profile >= nr_profiles)
		return kx_fail(ENOENT, "tpm: %s: no profile @%d", path, profile);
	for (k = 0; k < UKI_PCR_MAX; k++) {
		const struct pe_section *p = have_own[k] ? &own[k] :
					     have_base[k] ? &base[k] : NULL;
		size_t vsize;

		if (!p || !strcmp(canonical[k], ".pcrsig"))
			continue;
		vsize = p->virtual_size ? p->virtual_size : p->raw_size;
		if (!vsize)
			continue;  /* systemd-stub skips empty sections */
		out[n].name = canonical[k];
		out[n].data = buf + p->raw_offset;
		out[n].size = vsize < p->raw_size ? vsize : p->raw_size;
		out[n].zeros = vsize - out[n].size;
		n++;
	}
	return n;
}
