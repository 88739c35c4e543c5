/* kexshim: measure what is about to be booted into the TPM (PCRs and an
 * event log), as systemd-stub and systemd-boot do for what they boot:
 *   PCR 9   a Type #1 (or grub, extlinux, ...) entry's kernel file and
 *           each initrd file, as read
 *   PCR 11  a UKI: each section of the canonical UKI order (.linux
 *           .osrel .cmdline .initrd .ucode .splash .dtb .uname .sbat
 *           .pcrpkey .profile .dtbauto .hwids .efifw; not .pcrsig), of
 *           the profile booted: its name with a NUL, then its data
 *   PCR 12  the command line when it is not a UKI's own (UTF-16LE, no
 *           NUL), a devicetree and overlays we add, initrds added to a UKI
 *   PCR 13  addons: kexshim loads none, so nothing
 * every active bank the TPM has (sha1, sha256, sha384, sha512).  The log,
 * TCG Canonical Event Log JSON (secure/cel.h) with every event of this
 * boot so far, goes to the target as /.extra/kexshim/tpm2-measure.log in
 * a cpio archive appended to its initrd.  Runs in the shim before kexec. */
#ifndef KEXSHIM_SECURE_MEASURE_H
#define KEXSHIM_SECURE_MEASURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "load/load.h"

#define MEASURE_LOG_PATH ".extra/kexshim/tpm2-measure.log"

#define PCR_KERNEL_INITRD 9
#define PCR_KERNEL_BOOT 11
#define PCR_KERNEL_CONFIG 12
#define PCR_SYSEXTS 13

/* One load's state for the hook. */
struct measure_call {
	bool log_only;   /* in: already measured, only append the log */
	bool measured;   /* out: this call extended PCRs */
};

/* Return: true when /dev/tpmrm0 answers (opened, its banks read and said
 * once; false said once too). */
bool measure_available(void);

/* Measure into the TPM behind fd (already open: tests hand in swtpm's
 * socket) instead of opening /dev/tpmrm0.  Return: as measure_available. */
bool measure_attach(int fd);

/* The event log so far (NUL-terminated), and its length.  Return: it. */
const char *measure_log(size_t *len);

/* struct load_hooks' measure (ctx: struct measure_call): extend, log, and
 * hand back the log as a cpio for the initrd.
 * A TPM command that fails is a warning and ends measuring for this boot
 * (as systemd-stub goes on); the log keeps what was extended.
 * Return: 0, or -errno (kx_fail "tpm: ...") when the log cannot be made. */
int measure_load(void *ctx, const struct load_view *v, const uint8_t **append,
		 size_t *append_size);

#endif
