/* kexshim: which file system is the ESP the loader came from.  Pure policy
 * over a probed disk_set.  Runs in PID 1 while disks appear; host tests
 * run it on probed image files. */
#ifndef KEXSHIM_DISK_ESP_H
#define KEXSHIM_DISK_ESP_H

#include <stdbool.h>

#include "disk/disk.h"
#include "lib/kcmdline.h"

/* Preference: kexshim.esp=/dev/X as given; kexshim.esp=PARTUUID=U (what
 * kexshim.efi passes: its own partition); else (or, on the last try, when
 * U is nowhere) the first partition of ESP type in disk order; else the
 * first FAT file system on a whole disk.  last_try false: devices may
 * still be appearing, so a kexshim.esp not (yet) seen gives -EAGAIN
 * instead of falling back; true: fall back, with a warning.
 * how (may be NULL) gets "kexshim.esp", "PARTUUID", "ESP type" or
 * "whole-disk FAT".
 * Return: the ESP, or NULL with *err -EAGAIN or -ENOENT (kx_fail saying
 * what was looked for). */
struct part *esp_pick(struct disk_set *set, const struct kcmdline *kc,
		      bool last_try, const char **how, int *err);

#endif
