/* kexshim: bring up the disks in PID 1: load drivers for the devices
 * present, probe until the set settles, mount the ESP on /esp and every
 * other file system kexshim can read under /mnt, all read-only.  Runs once,
 * after the console is up and before the entries are scanned. */
#include <dirent.h>
#include <errno.h>
#include <glob.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/util.h"
#include "disk/esp.h"
#include "disk/part.h"
#include "init/init.h"
#include "kmod/modules.h"
#include "lib/console.h"
#include "lib/error.h"
#include "lib/readfile.h"
#include "lib/warn.h"

/* Block devices appear asynchronously after their driver binds; USB
 * storage waits delay_use (1 s) before it scans.  Give up after this. */
#define SETTLE_MS 10000
#define POLL_MS 50
#define MAX_PASSES 8
#define MAX_WANTED 64

#define ESP_DIR "/esp"
#define MNT_DIR "/mnt"

/* File systems a boot entry may live on, mounted when the kernel can. */
static const char *const mountable[] = {
	"vfat", "ext4", "ext3", "ext2", "xfs", "btrfs", "iso9660",
};

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* Load what the present devices want until a pass loads nothing new:
 * virtio_pci's probe creates virtio devices that then want virtio_blk. */
static void load_device_modules(struct modules *m)
{
	const char *want[MAX_WANTED];
	int pass;

	for (pass = 0; m && pass < MAX_PASSES; pass++) {
		size_t n = modules_wanted(m, "", want, MAX_WANTED), i;
		int loaded = 0, rc;

		for (i = 0; i < n; i++) {
			rc = modules_load(m, want[i]);
			if (rc < 0)
				con_warn("%s", kx_last_error());
			else
				loaded += rc;
		}
		if (!loaded)
			break;
	}
}

/* The code pages vfat's default mount options need, which the kernel
 * would request_module() at mount time from a modprobe we do not have
 * (Debian: FAT_DEFAULT_CODEPAGE=437, FAT_DEFAULT_IOCHARSET="ascii";
 * others utf8 or iso8859-1). */
static const char *const vfat_nls[] = {
	"nls_cp437", "nls_ascii", "nls_iso8859_1", "nls_utf8",
};

/* The driver for a file system type: modules.alias maps "fs-ext4". */
static void load_fs_driver(struct modules *m, const char *fstype)
{
	const char *names[4];
	char alias[32];
	size_t n, i;

	if (!m)
		return; /* built-in drivers only */
	snprintf(alias, sizeof(alias), "fs-%s", fstype);
	n = modules_match(m, alias, names, 4);
	for (i = 0; i < n; i++)
		if (modules_load(m, names[i]) < 0)
			con_warn("%s", kx_last_error());
	if (strcmp(fstype, "vfat"))
		return;
	for (i = 0; i < ARRAY_SIZE(vfat_nls); i++)
		if (modules_known(m, vfat_nls[i]) &&
		    modules_load(m, vfat_nls[i]) < 0)
			con_warn("%s", kx_last_error());
}

/* A USB mass-storage interface (class 08) whose disk has not appeared:
 * usb-storage is still waiting to scan it.  Return: true if one. */
static bool usb_storage_pending(void)
{
	char path[512], cls[8];
	struct dirent *d;
	bool pending = false;
	DIR *dir = opendir("/sys/bus/usb/devices");

	if (!dir)
		return false;
	while (!pending && (d = readdir(dir))) {
		glob_t g;

		if (!strchr(d->d_name, ':'))
			continue; /* a device, not an interface */
		snprintf(path, sizeof(path),
			 "/sys/bus/usb/devices/%s/bInterfaceClass", d->d_name);
		if (read_file_into("disk", path, cls, sizeof(cls)) < 0 ||
		    strncmp(cls, "08", 2))
			continue;
		/* usb-storage adds a SCSI host; a scanned disk shows as
		 * host<N>/target<...>/<H:C:T:L>/block. */
		snprintf(path, sizeof(path),
			 "/sys/bus/usb/devices/%s/host*/target*/*/block",
			 d->d_name);
		pending = glob(path, GLOB_NOSORT, NULL, &g) != 0;
		globfree(&g);
	}
	closedir(dir);
	return pending;
}

/* Same disks and file systems as last time? */
static bool same_set(const struct disk_set *a, const struct disk_set *b)
{
	size_t i;

	if (a->n != b->n || a->nr_disks != b->nr_disks)
		return false;
	for (i = 0; i < a->n; i++)
		if (strcmp(a->v[i].name, b->v[i].name) ||
		    strcmp(a->v[i].fstype, b->v[i].fstype) ||
		    a->v[i].number != b->v[i].number)
			return false;
	return true;
}

/* Poll until the ESP is there and the set stopped changing (or time is
 * up).  Return: 0 with *set, *esp, *how, or -errno (kx_fail). */
static int settle(struct modules *m, const struct kcmdline *kc,
		  struct disk_set *set, struct part **esp, const char **how)
{
	long deadline = now_ms() + SETTLE_MS;
	struct disk_set prev = { 0 };
	bool said = false;
	int err;

	for (;;) {
		struct warnings w = { 0 };
		bool last = now_ms() >= deadline;

		load_device_modules(m);
		err = disk_probe("", set, &w);
		if (err)
			return kx_fail(-err, "disk: probing: %s", strerror(-err));
		*esp = esp_pick(set, kc, last, how, &err);
		if (last) {
			con_warnings_print(&w);
			disk_set_free(&prev);
			return *esp ? 0 : err;
		}
		if (*esp && same_set(set, &prev)) {
			if (!usb_storage_pending()) {
				con_warnings_print(&w);
				disk_set_free(&prev);
				return 0;
			}
			if (!said)
				con_info("disk: waiting for USB storage (at "
					 "most %d s)", SETTLE_MS / 1000);
			said = true;
		}
		disk_set_free(&prev);
		prev = *set;
		memset(set, 0, sizeof(*set));
		usleep(POLL_MS * 1000);
	}
}

static bool is_mountable(const char *fstype)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(mountable); i++)
		if (!strcmp(fstype, mountable[i]))
			return true;
	return false;
}

int disks_bring_up(struct modules *m, const struct kcmdline *kc,
		   struct disk_set *set, struct part **esp)
{
	char dir[128];
	const char *how;
	size_t i;
	int err;

	err = settle(m, kc, set, esp, &how);
	if (err)
		return err;
	load_fs_driver(m, (*esp)->fstype);
	err = part_mount(*esp, ESP_DIR);
	if (err)
		return err;
	if ((*esp)->partuuid[0])
		con_info("ESP /dev/%s (PARTUUID=%s) mounted on %s", (*esp)->name,
			 (*esp)->partuuid, ESP_DIR);
	else
		con_info("ESP /dev/%s (%s) mounted on %s", (*esp)->name, how,
			 ESP_DIR);
	for (i = 0; i < set->n; i++) {
		struct part *p = &set->v[i];

		if (p == *esp || !is_mountable(p->fstype))
			continue;
		load_fs_driver(m, p->fstype);
		snprintf(dir, sizeof(dir), "%s/%s", MNT_DIR,
			 p->name[0] ? p->name : p->disk);
		if (part_mount(p, dir))
			con_warn("%s", kx_last_error());
		else
			con_debug("disk: /dev/%s (%s, %s) on %s", p->name,
				  p->fstype, part_role_name(p->role), dir);
	}
	return 0;
}
