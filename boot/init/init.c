/* kexshim: PID 1 in the shim.  Runs once, first thing after the shim kernel
 * unpacks the initramfs: mount the pseudo file systems, take the console,
 * bring up the disks (disks.c), then boot an entry (sequence.c).  Never returns: success is a
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

#include "disk/disk.h"
#include "init/emergency.h"
#include "init/init.h"
#include "kmod/modules.h"
#include "lib/console.h"
#include "lib/error.h"
#include "lib/kcmdline.h"
#include "lib/readfile.h"
#include "secure/lockdown.h"

static char mount_errors[4][160];

/* The EFI variables, for the Boot Loader Interface (config/bli.h):
 * efivarfs is a module in distribution kernels.  No /sys/firmware/efi is
 * a BIOS boot: nothing to do. */
static void efivars_mount(struct modules *m)
{
	static const char dir[] = "/sys/firmware/efi/efivars";

	if (access("/sys/firmware/efi", F_OK))
		return;
	if (m && modules_known(m, "efivarfs") && modules_load(m, "efivarfs") < 0)
		con_warn("%s", kx_last_error());
	if (mount("efivarfs", dir, "efivarfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
		  NULL) && errno != EBUSY)
		con_warn("init: mount efivarfs on %s: %s; no Boot Loader "
			 "Interface", dir, strerror(errno));
}

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

int init_main(int argc, char **argv)
{
	struct modules *m = NULL;
	struct disk_set set;
	struct kcmdline kc;
	struct part *esp;
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
	/* /sys/kernel/security/lockdown: which kexec the kernel allows. */
	mount_fs(3, "securityfs", "/sys/kernel/security",
		 MS_NOSUID | MS_NODEV | MS_NOEXEC);
	/* Without /dev/console in the initramfs we start with no fds. */
	con_open("/dev/console");
	con_kmsg_open("/dev/kmsg");
	con_set_notes(true);
	kcmdline_defaults(&kc);
	if (uname(&u))
		strcpy(u.release, "unknown");
	con_line("kexshim %s: PID 1 on %s", KEXSHIM_VERSION, u.release);
	for (i = 0; i < 4; i++)
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
	efivars_mount(m);
	secure_state(); /* lockdown, SecureBoot, SetupMode: said once */
	rc = disks_bring_up(m, &kc, &set, &esp);
	if (m && modules_loaded(m)[0])
		con_info("modules: %s", modules_loaded(m));
	modules_close(m);
	if (rc)
		emergency(&kc, kx_last_error());

	boot_entries(&set, esp, NULL, &kc, false, true);
	emergency(&kc, kx_last_error());
}
