/* kexshim: Unified Kernel Images (UAPI "Unified Kernel Image" spec, Boot
 * Loader Specification Type #2): a PE file whose sections carry the kernel
 * (.linux), os-release (.osrel), command line, initrds, devicetree and
 * uname, optionally in several profiles.  Pure: bytes in, bounded views
 * into them out.  Used by the probe table (image_format_uki, to plan the
 * kernel) and by config/uki.c (menu entries); runs in the shim, the CLI
 * and host tests. */
#ifndef KEXSHIM_IMAGE_UKI_H
#define KEXSHIM_IMAGE_UKI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* More .profile sections than this are refused (systemd's own UKIs have
 * a handful). */
#define UKI_MAX_PROFILES 32

/* The sections kexshim reads; every other one (.text, .reloc, .splash,
 * .pcrsig, .sdmagic, ...) belongs to the stub or to measurement. */
enum uki_kind {
	UKI_LINUX,
	UKI_OSREL,
	UKI_CMDLINE,
	UKI_INITRD,
	UKI_UCODE,
	UKI_DTB,
	UKI_UNAME,
	UKI_SBAT,
	UKI_PROFILE,  /* the .profile text (ID=, TITLE=); never in the base */
	UKI_NR_KINDS,
};

/* A section's data: VirtualSize bytes inside the file, or absent. */
struct uki_blob {
	const uint8_t *data;   /* NULL = the section is absent */
	size_t size;
};

/* One profile's sections (or the base's). */
struct uki_part {
	struct uki_blob s[UKI_NR_KINDS];
};

struct uki {
	uint16_t machine;          /* PE_MACHINE_* of the stub */
	struct uki_part base;      /* the sections before the first .profile */
	struct uki_part profile[UKI_MAX_PROFILES]; /* @0, @1, ... */
	unsigned nr_profiles;      /* 0: not a multi-profile UKI */
};

/* Return: true when buf is a PE file with a .linux section (a UKI by the
 * spec: "Only the .linux section is required"). */
bool uki_detect(const uint8_t *buf, size_t len);

/* Split a UKI into its base and profiles.  Every section must lie inside
 * the file (a truncated UKI is refused) and each known one's VirtualSize
 * inside its raw data.  The spec makes sections singletons within a
 * profile (.dtb may repeat): like systemd-stub, the first one wins.
 * Messages read "WHO: PATH: reason".
 * Return: 0 with *u filled, or -ENOEXEC (not a PE, truncated, no .linux),
 * -E2BIG (more than UKI_MAX_PROFILES) with kx_fail(). */
int uki_parse(const char *who, const char *path, const uint8_t *buf,
	      size_t len, struct uki *u);

/* The sections profile sees (UKI spec, "Multi-Profile UKIs"): the base's,
 * each replaced by the profile's own of the same name.  profile -1 is the
 * default: @0 ("If a multi-profile UKI is invoked without specification of
 * a profile selector ... profile @0 is automatically selected"), or the
 * base of a UKI without profiles, which @0 also names.
 * Return: 0 with *out, or -ENOENT (no such profile), -ENOEXEC (the
 * profile has no .linux) with kx_fail(). */
int uki_select(const char *who, const char *path, const struct uki *u,
	       int profile, struct uki_part *out);

/* The .cmdline as the kernel gets it, into dst (b->size + 1 bytes): up to
 * the first NUL, control characters as blanks and no blanks at the ends,
 * as systemd-stub's mangle_stub_cmdline() does (ukify copies the file it
 * is given, final newline included).  Return: dst. */
char *uki_cmdline_copy(const struct uki_blob *b, char *dst);

/* Return: the section name of kind k (".linux"). */
const char *uki_section_name(enum uki_kind k);

/* Return: the Boot Loader Specification name of a PE machine ("x64",
 * "aa64", "ia32", "arm", "riscv64", "loongarch64"), or NULL. */
const char *uki_arch_name(uint16_t machine);

#endif
