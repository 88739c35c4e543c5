/* kexshim x86_64: the EFI state a kexec'ed kernel needs to keep its EFI
 * runtime services (efivars, RTC, reset).  Runs in arch_ops.load in the
 * shim, reading what the shim kernel exports under /sys/firmware/efi.
 *
 * Why these pieces (Linux 6.1, arch/x86/platform/efi/ and
 * arch/x86/kernel/setup.c):
 *  - efi_info.efi_loader_signature "EL64" sets EFI_BOOT | EFI_64BIT;
 *  - efi_info.efi_systab(_hi) is read by efi_init(); sysfs no longer shows
 *    it, so it comes from the shim's own boot_params
 *    (/sys/kernel/boot_params/data, as the EFI stub filled them);
 *  - efi_info.efi_memmap* must describe the runtime regions with the
 *    virtual addresses the shim kernel gave them through
 *    SetVirtualAddressMap(), which firmware allows once per boot: that is
 *    /sys/firmware/efi/runtime-map/N (drivers/firmware/efi/runtime-map.c);
 *  - a SETUP_EFI node makes the target call kexec_enter_virtual_mode()
 *    (efi_map_region_fixed() on those virtual addresses) instead of
 *    SetVirtualAddressMap(), and efi_systab_init() takes fw_vendor and the
 *    config tables from it, because the system table now holds virtual
 *    pointers for them; efi_reuse_config() writes its smbios into the
 *    SMBIOS entry of the config tables. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/console.h"
#include "lib/error.h"
#include "arch/arch.h"
#include "arch/x86_64/x86.h"

#define EFI_DIR "/sys/firmware/efi"
#define RUNTIME_MAP EFI_DIR "/runtime-map"
#define EFI_PAGE_SIZE 4096ull
#define MAX_DESC_SIZE 1024u

static int is_number(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

/* How many runtime-map entries there are.  They are named 0..n-1.
 * Return: n >= 0, or -errno (kx_fail). */
static int count_entries(struct arch_load *ld)
{
	char dir[4096];
	struct dirent *de;
	long max = -1;
	int n = 0, ret;
	DIR *d;

	ret = root_path("x86_64", ld->root, RUNTIME_MAP, dir, sizeof(dir));
	if (ret)
		return ret;
	d = opendir(dir);
	if (!d)
		return kx_fail(errno, "x86_64: %s: %s (is CONFIG_EFI_RUNTIME_MAP on?)",
			       dir, strerror(errno));
	while ((de = readdir(d))) {
		if (!is_number(de->d_name))
			continue;
		n++;
		if (atol(de->d_name) > max)
			max = atol(de->d_name);
	}
	closedir(d);
	if (max + 1 != n)
		return kx_fail(EINVAL, "x86_64: %s: entries are not numbered 0..%d",
			       dir, n - 1);
	if (n > X86_EFI_MAX_DESC)
		return kx_fail(E2BIG, "x86_64: %s: %d entries, at most %d supported",
			       dir, n, X86_EFI_MAX_DESC);
	return n;
}

static int read_desc(struct arch_load *ld, int i, struct efi_memory_desc *md)
{
	static const char *const names[] = {
		"type", "phys_addr", "virt_addr", "num_pages", "attribute",
	};
	uint64_t v[5];
	char path[128];
	size_t k;
	int ret;

	for (k = 0; k < 5; k++) {
		snprintf(path, sizeof(path), RUNTIME_MAP "/%d/%s", i, names[k]);
		ret = root_read_u64("x86_64", ld->root, path, &v[k]);
		if (ret)
			return ret;
	}
	if (v[0] > UINT32_MAX || v[1] % EFI_PAGE_SIZE || !v[3] ||
	    v[3] > (UINT64_MAX - v[1]) / EFI_PAGE_SIZE)
		return kx_fail(EINVAL, "x86_64: %s%s/%d: bad descriptor type 0x%llx phys 0x%llx pages 0x%llx",
			       ld->root, RUNTIME_MAP, i,
			       (unsigned long long)v[0], (unsigned long long)v[1],
			       (unsigned long long)v[3]);
	memset(md, 0, sizeof(*md));
	md->type = (uint32_t)v[0];
	md->phys_addr = v[1];
	md->virt_addr = v[2];
	md->num_pages = v[3];
	md->attribute = v[4];
	return 0;
}

/* Everything but the decision; a failure means "no EFI for the target". */
static int collect(struct arch_load *ld, const struct x86_hostfw *fw,
		   struct x86_efi *efi)
{
	const struct efi_info *cur = &fw->bp.efi_info;
	uint64_t systab, fw_vendor, tables, runtime;
	int n, i, ret;

	if (!fw->have_bp)
		return kx_fail(ENOENT, "x86_64: %s/sys/kernel/boot_params/data is unreadable: no EFI system table address",
			       ld->root);
	if (cur->efi_loader_signature != EFI64_LOADER_SIGNATURE)
		return kx_fail(EINVAL, "x86_64: the shim was not booted by 64-bit EFI (loader signature 0x%08x)",
			       cur->efi_loader_signature);
	systab = cur->efi_systab | (uint64_t)cur->efi_systab_hi << 32;
	if (!systab)
		return kx_fail(EINVAL, "x86_64: the shim's boot_params have no EFI system table");

	/* arch/x86/platform/efi/efi.c: "0x%lx\n" each. */
	ret = root_read_u64("x86_64", ld->root, EFI_DIR "/fw_vendor", &fw_vendor);
	if (!ret)
		ret = root_read_u64("x86_64", ld->root, EFI_DIR "/config_table", &tables);
	if (!ret)
		ret = root_read_u64("x86_64", ld->root, EFI_DIR "/runtime", &runtime);
	if (ret)
		return ret;
	efi->esd.fw_vendor = fw_vendor;
	efi->esd.tables = tables;
	/* Kernels before 5.7 read runtime from here; later ones ignore it. */
	efi->esd.runtime = runtime;
	efi->esd.smbios = fw->smbios;

	n = count_entries(ld);
	if (n < 0)
		return n;
	if (!n)
		return kx_fail(ENOENT, "x86_64: %s%s is empty (efi=noruntime?)",
			       ld->root, RUNTIME_MAP);
	for (i = 0; i < n; i++) {
		ret = read_desc(ld, i, &efi->desc[i]);
		if (ret)
			return ret;
	}
	efi->nr_desc = n;

	/* The kernel walks the map with efi_memdesc_size as the stride;
	 * keep the firmware's (OVMF: 48), which the shim got too. */
	efi->desc_size = cur->efi_memdesc_size;
	if (efi->desc_size < sizeof(struct efi_memory_desc) ||
	    efi->desc_size > MAX_DESC_SIZE || efi->desc_size % 8)
		efi->desc_size = sizeof(struct efi_memory_desc);

	efi->info.efi_loader_signature = EFI64_LOADER_SIGNATURE;
	efi->info.efi_systab = (uint32_t)systab;
	efi->info.efi_systab_hi = (uint32_t)(systab >> 32);
	efi->info.efi_memdesc_size = efi->desc_size;
	/* Linux warns about anything but version 1. */
	efi->info.efi_memdesc_version = cur->efi_memdesc_version ?
					cur->efi_memdesc_version :
					EFI_MEMORY_DESC_VERSION;
	efi->info.efi_memmap_size = (uint32_t)(efi->nr_desc * efi->desc_size);
	efi->secure_boot = fw->bp.secure_boot;
	return 0;
}

int x86_efi_read(struct arch_load *ld, const struct bzimage *bz,
		 const struct x86_hostfw *fw, struct x86_efi *efi)
{
	memset(efi, 0, sizeof(*efi));
	if (!fw->efi)
		return 0; /* BIOS boot: nothing to pass */
	if (!(bz->xloadflags & XLF_EFI_KEXEC)) {
		con_warn("x86_64: %s lacks XLF_EFI_KEXEC: it boots without EFI runtime services",
			 bz->path);
		return 0;
	}
	if (collect(ld, fw, efi)) {
		con_warn("%s; the target boots without EFI runtime services",
			 kx_last_error());
		memset(efi, 0, sizeof(*efi));
		return 0;
	}
	efi->present = 1;
	return 0;
}
