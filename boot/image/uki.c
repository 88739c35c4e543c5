/* kexshim: Unified Kernel Images (see uki.h) and their row of the probe
 * table.  Pure; every section is checked against the file before a view of
 * it is handed out, since UKIs come from disks nobody vetted.  Runs while
 * entries are listed (config/uki.c) and while a kernel is planned. */
#include <errno.h>
#include <string.h>

#include "common/util.h"
#include "image/image.h"
#include "image/pe.h"
#include "image/uki.h"
#include "lib/arena.h"
#include "lib/error.h"

static const char *const names[UKI_NR_KINDS] = {
	[UKI_LINUX] = ".linux", [UKI_OSREL] = ".osrel",
	[UKI_CMDLINE] = ".cmdline", [UKI_INITRD] = ".initrd",
	[UKI_UCODE] = ".ucode", [UKI_DTB] = ".dtb", [UKI_UNAME] = ".uname",
	[UKI_SBAT] = ".sbat", [UKI_PROFILE] = ".profile",
};

const char *uki_section_name(enum uki_kind k)
{
	return (unsigned)k < UKI_NR_KINDS ? names[k] : "?";
}

const char *uki_arch_name(uint16_t machine)
{
	switch (machine) {
	case PE_MACHINE_X86_64: return "x64";
	case PE_MACHINE_ARM64: return "aa64";
	case PE_MACHINE_I386: return "ia32";
	case PE_MACHINE_ARM: return "arm";
	case 0x5064: return "riscv64";      /* IMAGE_FILE_MACHINE_RISCV64 */
	case 0x6264: return "loongarch64";  /* IMAGE_FILE_MACHINE_LOONGARCH64 */
	default: return NULL;
	}
}

/* Return: the kind named name, or UKI_NR_KINDS for sections not ours. */
static enum uki_kind kind_of(const char *name)
{
	unsigned k;

	for (k = 0; k < UKI_NR_KINDS; k++)
		if (!strcmp(name, names[k]))
			return (enum uki_kind)k;
	return UKI_NR_KINDS;
}

bool uki_detect(const uint8_t *buf, size_t len)
{
	struct pe_file pe;
	struct pe_section s;

	/* pe_detect first: pe_parse records a message on every non-PE file. */
	return pe_detect(buf, len) && !pe_parse("uki", "", buf, len, &pe) &&
	       pe_find_section(&pe, ".linux", &s) >= 0;
}

int uki_parse(const char *who, const char *path, const uint8_t *buf,
	      size_t len, struct uki *u)
{
	struct uki_part *cur;
	struct pe_file pe;
	struct pe_section s;
	bool linux_seen = false;
	unsigned i;
	int err;

	memset(u, 0, sizeof(*u));
	err = pe_parse(who, path, buf, len, &pe);
	if (!err)
		err = pe_check_sections(who, path, &pe);
	if (err)
		return err;
	u->machine = pe.machine;
	cur = &u->base;
	for (i = 0; i < pe.nr_sections; i++) {
		enum uki_kind k;
		struct uki_blob *b;

		pe_section(&pe, i, &s);
		k = kind_of(s.name);
		if (k == UKI_NR_KINDS)
			continue;
		/* UKI spec: .profile "acts as a separator between multiple
		 * profiles ... and carries meta-information about the profile
		 * it is introducing". */
		if (k == UKI_PROFILE) {
			if (u->nr_profiles == UKI_MAX_PROFILES)
				return kx_fail(E2BIG, "%s: %s: more than %d "
					       ".profile sections", who, path,
					       UKI_MAX_PROFILES);
			cur = &u->profile[u->nr_profiles++];
		}
		b = &cur->s[k];
		if (b->data)
			continue; /* a repeated singleton or .dtb: first wins */
		err = pe_section_data(who, path, &pe, &s, &b->data, &b->size);
		if (err)
			return err;
		/* An empty section is still there (the data pointer is what
		 * says so), so it still overrides the base's. */
		if (k == UKI_LINUX)
			linux_seen = true;
	}
	if (!linux_seen)
		return kx_fail(ENOEXEC, "%s: %s: not a UKI: no .linux section",
			       who, path);
	return 0;
}

int uki_select(const char *who, const char *path, const struct uki *u,
	       int profile, struct uki_part *out)
{
	const struct uki_part *p;
	unsigned k;

	if (profile < 0)
		profile = 0;
	*out = u->base;
	out->s[UKI_PROFILE] = (struct uki_blob){ 0 };
	if (u->nr_profiles == 0 && profile == 0)
		p = NULL; /* "@0" of a plain UKI is the UKI */
	else if ((unsigned)profile >= u->nr_profiles)
		return kx_fail(ENOENT, "%s: %s: no profile @%d (the UKI has %u)",
			       who, path, profile, u->nr_profiles);
	else
		p = &u->profile[profile];
	/* "sections associated with specific profiles comprehensively
	 * override those of the same name in the base profile". */
	for (k = 0; p && k < UKI_NR_KINDS; k++)
		if (p->s[k].data)
			out->s[k] = p->s[k];
	if (!out->s[UKI_LINUX].data || !out->s[UKI_LINUX].size)
		return kx_fail(ENOEXEC, "%s: %s: profile @%d has no .linux "
			       "section (or an empty one)", who, path, profile);
	return 0;
}

char *uki_cmdline_copy(const struct uki_blob *b, char *dst)
{
	const uint8_t *s = b->data, *e;
	char *o = dst;

	*dst = '\0';
	if (!s)
		return dst;
	e = memchr(s, '\0', b->size);
	if (!e)
		e = s + b->size;
	while (s < e && (*s <= 0x20 || *s == 0x7f))
		s++;
	while (e > s && (e[-1] <= 0x20 || e[-1] == 0x7f))
		e--;
	for (; s < e; s++)
		*o++ = *s < 0x20 || *s == 0x7f ? ' ' : (char)*s;
	*o = '\0';
	return dst;
}

static int unwrap_uki(const struct image_format *f, struct arena *ar,
		      const char *path, const uint8_t *buf, size_t len,
		      size_t cap, struct image *img, const uint8_t **out,
		      size_t *outlen)
{
	static const enum uki_kind initrds[] = { UKI_UCODE, UKI_INITRD };
	struct uki_part p;
	struct uki u;
	size_t i;
	int err;

	(void)f;
	(void)cap; /* the kernel is a view into the file: nothing is made */
	/* The extras have room for one UKI's. */
	if (img->nr_initrd || img->cmdline || img->dtb)
		return kx_fail(EINVAL, "image: %s: a UKI inside a UKI", path);
	err = uki_parse("image", path, buf, len, &u);
	if (!err)
		err = uki_select("image", path, &u, img->uki_profile, &p);
	if (err)
		return err;
	if (u.nr_profiles)
		image_format_add(img, "@%d", img->uki_profile < 0 ? 0 :
				 img->uki_profile);
	for (i = 0; i < ARRAY_SIZE(initrds); i++) {
		const struct uki_blob *b = &p.s[initrds[i]];

		if (!b->data || !b->size)
			continue;
		img->initrd[img->nr_initrd] = b->data;
		img->initrd_size[img->nr_initrd] = b->size;
		img->initrd_name[img->nr_initrd++] = names[initrds[i]];
	}
	if (p.s[UKI_CMDLINE].data) {
		char *c = arena_alloc(ar, p.s[UKI_CMDLINE].size + 1);

		if (!c)
			return kx_fail(ENOMEM, "image: %s: out of memory", path);
		img->cmdline = uki_cmdline_copy(&p.s[UKI_CMDLINE], c);
	}
	if (p.s[UKI_DTB].data && p.s[UKI_DTB].size) {
		img->dtb = p.s[UKI_DTB].data;
		img->dtb_size = p.s[UKI_DTB].size;
	}
	*out = p.s[UKI_LINUX].data;
	*outlen = p.s[UKI_LINUX].size;
	return 0;
}

const struct image_format image_format_uki = {
	.name = "uki",
	.probe = uki_detect,
	.unwrap = unwrap_uki,
};
