/* kexshim: the sections of a UKI that systemd-stub measures into PCR 11,
 * in the order it measures them (UKI spec, "canonical order": .linux
 * .osrel .cmdline .initrd .ucode .splash .dtb .uname .sbat .pcrsig
 * .pcrpkey .profile .dtbauto .hwids .efifw; .pcrsig is not measured: it
 * holds signatures over the PCR values that the others give).  For a
 * multi-profile UKI: the base's sections with the profile's own in their
 * place, the profile's .profile included.  Pure.  Runs before kexec. */
#ifndef KEXSHIM_SECURE_UKI_PCR_H
#define KEXSHIM_SECURE_UKI_PCR_H

#include <stddef.h>
#include <stdint.h>

#define UKI_PCR_MAX 15

struct uki_pcr_section {
	const char *name;       /* ".linux" */
	const uint8_t *data;    /* in the file */
	size_t size;            /* bytes in the file */
	size_t zeros;           /* then this many zero bytes: VirtualSize
				 * beyond SizeOfRawData, as loaded */
};

/* The measured sections of profile (-1: the default) of buf.
 * Return: their count (into out[UKI_PCR_MAX]), or -errno (kx_fail
 * "tpm: PATH: ..."). */
int uki_pcr_sections(const char *path, const uint8_t *buf, size_t len,
		     int profile, struct uki_pcr_section *out);

#endif
