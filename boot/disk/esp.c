/* kexshim: the ESP policy (see esp.h).  Pure. */
#include <errno.h>
#include <string.h>

#include "disk/esp.h"
#include "lib/console.h"
#include "lib/error.h"

static struct part *first(struct disk_set *set, bool (*ok)(const struct part *))
{
	size_t i;

	for (i = 0; i < set->n; i++)
		if (ok(&set->v[i]))
			return &set->v[i];
	return NULL;
}

static bool is_esp(const struct part *p)
{
	return p->role == PART_ESP && p->number;
}

static bool is_whole_fat(const struct part *p)
{
	return !p->number && !strcmp(p->fstype, "vfat");
}

struct part *esp_pick(struct disk_set *set, const struct kcmdline *kc,
		      bool last_try, const char **how, int *err)
{
	const char *want = kcmdline_esp_partuuid(kc), *dummy;
	struct part *p;

	if (!how)
		how = &dummy;
	*err = 0;
	if (!strncmp(kc->esp, "/dev/", 5)) {
		*how = "kexshim.esp";
		p = disk_find_dev(set, kc->esp);
		if (p)
			return p;
		*err = last_try ? kx_fail(ENOENT, "esp: %s (kexshim.esp) has no "
					  "file system kexshim can read",
					  kc->esp) : -EAGAIN;
		return NULL;
	}
	if (want) {
		*how = "PARTUUID";
		p = disk_find_partuuid(set, want);
		if (p)
			return p;
		if (!last_try) {
			*err = -EAGAIN;
			return NULL;
		}
		con_warn("esp: no partition has PARTUUID=%s; falling back to the "
			 "ESP type GUID", want);
	}
	*how = "ESP type";
	p = first(set, is_esp);
	if (p)
		return p;
	*how = "whole-disk FAT";
	p = first(set, is_whole_fat);
	if (p)
		return p;
	*err = want ? kx_fail(ENOENT, "esp: no ESP: no PARTUUID=%s, no partition "
			      "with the ESP type GUID and no whole-disk FAT on "
			      "%u disk%s", want, set->nr_disks,
			      set->nr_disks == 1 ? "" : "s")
		    : kx_fail(ENOENT, "esp: no ESP: no partition with the ESP "
			      "type GUID and no whole-disk FAT on %u disk%s",
			      set->nr_disks, set->nr_disks == 1 ? "" : "s");
	return NULL;
}
