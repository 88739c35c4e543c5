/* kexshim: PID 1 in the shim.  Runs once, first thing after the shim kernel
 * unpacks the initramfs: mount the pseudo file systems, take the console,
 * load the drivers for the devices present, find and mount the ESP, then
 * boot its Boot Loader Specification entry.  Never returns: success is a
 * kexec into the target, failure is the emergency state. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "disk/esp.h"
#include "init/emergency.h"
#include "init/init.h"
#include "kmod/modules.h"
#include "lib/console.h"
#include "lib/error.h"
#include "lib/kcmdline.h"
#include "lib/readfile.h"

#define ESP_DIR "/esp"
/* Block devices appear asynchronously after their driver loads (and USB or
 * NVMe take a moment); give up looking for the ESP after this long. */
#define SETTLE_MS 5000
#define POLL_MS 50
#define MAX_PASSES 8
#define MAX_WANTED 64

/* File systems the ESP needs, loaded by name when the initramfs has them:
 * vfat, and the code pages its default mount options use (Debian:
 * FAT_DEFAULT_CODEPAGE=437, FAT_DEFAULT_IOCHARSET="ascii"; others utf8 or
 * iso8859-1). */
static const char *const fs_modules[] = {
	"vfat", "nls_cp437", "nls_ascii", "nls_iso8859_1", "nls_utf8",
};

static char mount_errors[3][160];

static void mount_fs(int i, const char *type, const char *dir,
		     unsigned long flags)
{
	if (mkdir(dir, 0755) && errno != EEXIST) {
		snprintf(mount_errors[i], sizeof(mount_errors[i]),
			 "init: mkdir %s: %s", dir, strerror(errno));
		return;
	}
	/* EBUSY: the kernel already did it (CONFIG_DEVTMPFS_MOUNT). */
	if (mount(type, dir, type, flags, NULL) && errno != EBUSY)
		snprintf(mount_errors[i], sizeof(mount_errors[i]),
			 "init: mount %s on %s: %s", type, dir, strerror(errno));
}

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

	for (pass = 0; pass < MAX_PASSES; pass++) {
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

static void load_fs_modules(struct modules *m)
{
	size_t i;

	for (i = 0; i < sizeof(fs_modules) / sizeof(fs_modules[0]); i++) {
		if (!modules_known(m, fs_modules[i]))
			continue; /* built in, or not needed by this kernel */
		if (modules_load(m, fs_modules[i]) < 0)
			con_warn("%s", kx_last_error());
	}
}

/* Poll for the ESP while drivers bind and disks appear.
 * Return: 0 with *f set, or -errno (kx_fail). */
static int wait_for_esp(struct modules *m, const struct kcmdline *kc,
			struct esp_found *f)
{
	long deadline = now_ms() + SETTLE_MS;
	int rc;

	for (;;) {
		if (m)
			load_device_modules(m);
		rc = esp_find("", kc, false, f);
		if (rc != -EAGAIN && rc != -ENOENT)
			return rc;
		if (now_ms() >= deadline)
			return esp_find("", kc, true, f);
		usleep(POLL_MS * 1000);
	}
}

int init_main(int argc, char **argv)
{
	struct modules *m = NULL;
	struct esp_found f;
	struct kcmdline kc;
	struct utsname u;
	char dir[300];
	unsigned long kb;
	int rc, i;

	if (getpid() != 1) {
		/* Reboots and mounts are for PID 1 in the shim only. */
		fprintf(stderr, "kexshim: init: not PID 1; run `kexshim boot` "
			"instead (see kexshim --help)\n");
		exit(2); /* the CLI's usage error: PID 1 is not a command */
	}
	mount_fs(0, "proc", "/proc", MS_NOSUID | MS_NODEV | MS_NOEXEC);
	mount_fs(1, "sysfs", "/sys", MS_NOSUID | MS_NODEV | MS_NOEXEC);
	mount_fs(2, "devtmpfs", "/dev", MS_NOSUID);
	/* Without /dev/console in the initramfs we start with no fds. */
	con_open("/dev/console");
	kcmdline_defaults(&kc);
	if (uname(&u))
		strcpy(u.release, "unknown");
	con_line("kexshim %s: PID 1 on %s", KEXSHIM_VERSION, u.release);
	for (i = 0; i < 3; i++)
		if (mount_errors[i][0])
			con_info("%s", mount_errors[i]);
	if (!read_kb_field("/proc/meminfo", "MemTotal", &kb))
		con_info("MemTotal %lu kB", kb);
	boot_read_params(&kc);
	con_set_verbose(kc.verbose);

	snprintf(dir, sizeof(dir), "/lib/modules/%s", u.release);
	if (modules_open(dir, &m)) {
		con_warn("%s; only built-in drivers", kx_last_error());
		m = NULL;
	}
	if (m)
		load_fs_modules(m);
	rc = wait_for_esp(m, &kc, &f);
	if (m && modules_loaded(m)[0])
		con_info("modules: %s", modules_loaded(m));
	modules_close(m);
	if (rc)
		emergency(&kc, kx_last_error());

	rc = esp_mount(f.dev, ESP_DIR);
	if (rc)
		emergency(&kc, kx_last_error());
	if (f.partuuid[0])
		con_info("ESP %s (PARTUUID=%s) mounted on %s", f.dev, f.partuuid,
			 ESP_DIR);
	else
		con_info("ESP %s (%s) mounted on %s", f.dev, f.how, ESP_DIR);
	con_debug("ESP found by %s", f.how);

	boot_from_esp(ESP_DIR, NULL, &kc, false);
	emergency(&kc, kx_last_error());
}
