/* kexshim x86_64: fill the target's boot_params (the "zero page") per
 * boot.rst's 64-bit boot protocol.  Runs in arch_ops.load; the e820 table,
 * setup_data chain and addresses are added by the caller. */
#include <string.h>

#include "arch/x86_64/x86.h"

void x86_bp_init(struct boot_params *bp, const struct bzimage *bz,
		 const struct x86_hostfw *fw, const struct x86_efi *efi)
{
	struct setup_header *h = &bp->hdr;

	/* boot.rst: "The memory for struct boot_params ... initialized to
	 * all zero. Then, the setup header at offset 0x01f1 of kernel image
	 * on should be loaded into struct boot_params" up to
	 * 0x0202 + buf[0x201].  sentinel (0x1ef) stays 0: we are not a
	 * loader that copied too much. */
	memset(bp, 0, sizeof(*bp));
	memcpy((uint8_t *)bp + SETUP_HDR_OFFSET, bz->buf + SETUP_HDR_OFFSET,
	       bz->hdr_end - SETUP_HDR_OFFSET);

	/* boot.rst: "Otherwise, enter 0xFF here" (no assigned loader id). */
	h->type_of_loader = TYPE_OF_LOADER_UNDEFINED;
	/* The heap belongs to the 16-bit setup code, which the 64-bit entry
	 * skips: no heap_end_ptr, so no CAN_USE_HEAP. */
	h->loadflags = (h->loadflags | LOADED_HIGH) & ~CAN_USE_HEAP;
	h->heap_end_ptr = 0;
	/* The image's own value must not leak in as a list pointer. */
	h->setup_data = 0;

	if (fw->have_bp) {
		/* Keep the firmware framebuffer the shim was given (efifb /
		 * simpledrm), as Linux's own kexec_file does. */
		bp->screen_info = fw->bp.screen_info;
		h->hardware_subarch = fw->bp.hdr.hardware_subarch;
		h->hardware_subarch_data = fw->bp.hdr.hardware_subarch_data;
	}
	/* 0 is fine: the target then searches for the RSDP itself. */
	bp->acpi_rsdp_addr = fw->acpi_rsdp;

	if (efi && efi->present) {
		bp->efi_info = efi->info;
		bp->secure_boot = efi->secure_boot;
	}
}

void x86_bp_set_addrs(struct boot_params *bp, uint64_t kernel,
		      uint64_t initrd, uint64_t initrd_size, uint64_t cmdline)
{
	/* boot.rst: a loader that puts a relocatable kernel at a nonstandard
	 * address "will have to modify this field to point to the load
	 * address" (32 bits; the 64-bit entry does not use it). */
	bp->hdr.code32_start = (uint32_t)kernel;
	bp->hdr.ramdisk_image = (uint32_t)initrd;
	bp->hdr.ramdisk_size = (uint32_t)initrd_size;
	bp->ext_ramdisk_image = (uint32_t)(initrd >> 32);
	bp->ext_ramdisk_size = (uint32_t)(initrd_size >> 32);
	bp->hdr.cmd_line_ptr = (uint32_t)cmdline;
	bp->ext_cmd_line_ptr = (uint32_t)(cmdline >> 32);
}
