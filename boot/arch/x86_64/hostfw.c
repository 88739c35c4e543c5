/* kexshim x86_64: what the running (shim) kernel tells about the firmware:
 * its own boot_params as the EFI stub or the BIOS loader handed them, and
 * the EFI system table summary.  Runs in arch_ops.load, under
 * ld->root. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/error.h"
#include "arch/arch.h"
#include "arch/x86_64/x86.h"

/* arch/x86/kernel/ksysfs.c exports the running kernel's boot_params. */
#define BOOT_PARAMS_DATA "/sys/kernel/boot_params/data"
#define EFI_DIR "/sys/firmware/efi"
/* drivers/firmware/efi/efi.c systab_show(): "ACPI20=0x...\nACPI=0x...\n
 * SMBIOS3=0x...\nSMBIOS=0x...\n" (+ "UGA=" on x86).  Since Linux 5.7 it no
 * longer names the system table itself. */
#define EFI_SYSTAB EFI_DIR "/systab"

/* Find "KEY=0x..." on its own line in text.  Return: 0 with *out set, or
 * -ENOENT (-EINVAL when the value is not a number). */
static int find_key(const char *text, const char *key, uint64_t *out)
{
	size_t klen = strlen(key);
	const char *p = text;

	while (p && *p) {
		if (!strncmp(p, key, klen) && p[klen] == '=') {
			char *end;

			errno = 0;
			*out = strtoull(p + klen + 1, &end, 0);
			if (!errno && end != p + klen + 1 &&
			    (*end == '\n' || !*end))
				return 0;
			return -EINVAL;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return -ENOENT;
}

static int read_boot_params(struct arch_load *ld, struct x86_hostfw *fw)
{
	char buf[sizeof(struct boot_params) + 1];
	long n;

	n = root_read_into("x86_64", ld->root, BOOT_PARAMS_DATA, buf, sizeof(buf));
	if (n == -ENOENT || n == -EACCES || n == -EPERM)
		return 0; /* older kernel or non-root CLI run */
	if (n < 0)
		return (int)n;
	if ((size_t)n != sizeof(struct boot_params))
		return kx_fail(EINVAL, "x86_64: %s%s: %ld bytes, want %zu",
			       ld->root, BOOT_PARAMS_DATA, n,
			       sizeof(struct boot_params));
	memcpy(&fw->bp, buf, sizeof(fw->bp));
	fw->have_bp = 1;
	return 0;
}

static int read_systab(struct arch_load *ld, struct x86_hostfw *fw)
{
	char text[1024];
	long n;

	n = root_read_into("x86_64", ld->root, EFI_SYSTAB, text, sizeof(text));
	/* The file is 0400: a non-root `kexshim plan` cannot read it. */
	if (n == -ENOENT || n == -EACCES || n == -EPERM)
		return 0;
	if (n < 0)
		return (int)n;
	fw->have_systab = 1;
	if (find_key(text, "ACPI20", &fw->acpi_rsdp) &&
	    find_key(text, "ACPI", &fw->acpi_rsdp))
		fw->acpi_rsdp = 0;
	/* Only the 32-bit entry point: efi_reuse_config() puts
	 * efi_setup_data.smbios into the SMBIOS_TABLE_GUID entry. */
	if (find_key(text, "SMBIOS", &fw->smbios))
		fw->smbios = 0;
	return 0;
}

/* Does the running kernel use 5-level paging?  Linux clears the "la57"
 * CPU flag when it does not (arch/x86/kernel/cpu/common.c:
 * "if (!pgtable_l5_enabled()) setup_clear_cpu_cap(X86_FEATURE_LA57)"), so
 * the flag in /proc/cpuinfo means the paging mode, not just the CPU. */
static int read_la57(struct arch_load *ld)
{
	char path[4096], line[4096];
	int found = 0;
	FILE *f;

	if (root_path("x86_64", ld->root, "/proc/cpuinfo", path, sizeof(path)))
		return 0;
	f = fopen(path, "re");
	if (!f)
		return 0; /* no /proc: plan as for 4-level */
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "flags", 5))
			continue;
		/* One CPU's flags are all we need: they agree. */
		found = strstr(line, " la57 ") || strstr(line, " la57\n");
		break;
	}
	fclose(f);
	return found;
}

int x86_hostfw_read(struct arch_load *ld, struct x86_hostfw *fw)
{
	int ret;

	memset(fw, 0, sizeof(*fw));
	fw->la57 = read_la57(ld);
	ret = read_boot_params(ld, fw);
	if (ret)
		return ret;
	fw->efi = root_exists(ld->root, EFI_DIR);
	if (!fw->efi)
		return 0;
	return read_systab(ld, fw);
}
