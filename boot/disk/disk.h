/* kexshim: the block devices of the machine and the file systems on them,
 * found with libblkid (statically linked): each whole disk's partition
 * table (GPT, its backup copy when the primary is damaged, or MBR) and each
 * partition's (or partitionless disk's) file system: type, UUID, label,
 * PARTUUID, partition type.  Runs in PID 1 while the drivers bind (polled
 * until the set settles) and in host tests on a fake /sys + image files. */
#ifndef KEXSHIM_DISK_DISK_H
#define KEXSHIM_DISK_DISK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/guid.h"

struct warnings;

enum part_role {
	PART_OTHER,
	PART_ESP,       /* GPT C12A7328-F81F-11D2-BA4B-00A0C93EC93B, MBR 0xEF */
	PART_XBOOTLDR,  /* GPT BC13C2FF-59E6-4262-A352-B275FD6F7172, MBR 0xEA */
};

/* One file system: a partition, or a whole disk without partition table. */
struct part {
	char disk[32];          /* the whole disk's kernel name: "vda" */
	unsigned number;        /* partition number, 0 for a whole disk */
	char name[48];          /* kernel name: "vda1", "nvme0n1p2", "vdb";
				 * "" while the kernel has no device for it */
	char fstype[16];        /* blkid TYPE: "vfat", "ext4", "xfs" */
	char uuid[64];          /* file system UUID ("" when none) */
	char label[64];
	char partuuid[GUID_TEXT_LEN]; /* GPT partition GUID or MBR
				 * "xxxxxxxx-NN", lower case; "" if none */
	char parttype[GUID_TEXT_LEN]; /* GPT type GUID or MBR "0xef" */
	enum part_role role;
	uint64_t start, size;   /* bytes on the disk (0, disk size: whole) */
	uint32_t block_size;    /* the disk's logical block size */
	/* Set by part_mount() (part.h). */
	char mnt[96];           /* mount point, "" when not mounted */
	int dirfd;              /* O_PATH on mnt, -1 when not mounted */
	bool mounted;           /* by part_mount() (not a plain directory) */
};

struct disk_set {
	struct part *v;
	size_t n, cap;
	unsigned nr_disks;      /* whole disks seen (with or without media) */
};

/* Probe every whole disk under ROOT/sys/class/block (ROOT "" = the live
 * system; partitions and empty drives skipped), reading ROOT/dev/<disk>.
 * Problems with one disk become warnings in w; the others go on.
 * Return: 0 (possibly with no file system found) or -ENOMEM. */
int disk_probe(const char *root, struct disk_set *set, struct warnings *w);

/* Close what part_mount() opened (not the mounts) and free the list. */
void disk_set_free(struct disk_set *set);

/* Return: the file system with this PARTUUID (any case), or NULL. */
struct part *disk_find_partuuid(struct disk_set *set, const char *uuid);

/* Return: the file system with this UUID (grub --fs-uuid), or NULL. */
struct part *disk_find_uuid(struct disk_set *set, const char *uuid);

/* Return: the file system with this label (grub --label), or NULL. */
struct part *disk_find_label(struct disk_set *set, const char *label);

/* Return: the file system whose device is /dev/NAME, or NULL. */
struct part *disk_find_dev(struct disk_set *set, const char *dev);

/* Return: "ESP", "XBOOTLDR" or "other". */
const char *part_role_name(enum part_role role);

#endif
