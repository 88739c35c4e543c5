/* kexshim: find the EFI System Partition the loader was started from and
 * mount it read-only.  Runs in PID 1 after the block drivers are loaded;
 * esp_find() and esp_is_fat() also run in host tests on a fake sysfs tree. */
#ifndef KEXSHIM_ESP_H
#define KEXSHIM_ESP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/guid.h"
#include "disk/gpt.h"
#include "lib/kcmdline.h"

struct esp_found {
	char dev[KC_VALUE_MAX];       /* "/dev/vda1" (without root) */
	char partuuid[GUID_TEXT_LEN]; /* "" when not a GPT partition */
	const char *how;              /* "kexshim.esp", "PARTUUID",
				       * "ESP type", "whole-disk FAT" */
};

/* Look at every disk in ROOT/sys/class/block (partitions and empty
 * devices skipped), reading GPTs from ROOT/dev/<disk>.  Preference:
 * kexshim.esp=/dev/X as given; kexshim.esp=PARTUUID=U; else (or, on the
 * last try, when U is nowhere) the first partition with the ESP type GUID
 * in disk-name order; else a whole disk without partition table whose
 * sector 0 is a FAT boot sector.  root is "" on the live system.
 * last_try: false while devices may still be appearing: a PARTUUID not
 * (yet) seen gives -EAGAIN instead of falling back, and problems are only
 * debug lines; true: fall back and warn.
 * Return: 0 with *f filled, -EAGAIN (wait and call again), or -ENOENT
 * with a kx_fail() saying what was looked for. */
int esp_find(const char *root, const struct kcmdline *kc, bool last_try,
	     struct esp_found *f);

/* Does sector 0 look like a FAT boot sector (0x55AA, a jump, a sane
 * bytes-per-sector and "FAT" in the FAT12/16 or FAT32 type field)?
 * Return: true if so. */
bool esp_is_fat(const uint8_t *sector, size_t len);

/* mkdir dir and mount dev there: vfat, read-only, nosuid, nodev, noexec.
 * Return: 0 or -errno (kx_fail "esp: mount DEV on DIR: reason"). */
int esp_mount(const char *dev, const char *dir);

#endif
