/* kexshim: the only code that calls kexec_load(2), kexec_file_load(2) and
 * reboot(2).  Runs in
 * the shim (or on a real machine via `kexshim load/exec`), never in host
 * tests: they stop at the plan. */
#include <errno.h>
#include <linux/kexec.h>
#include <linux/reboot.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "lib/error.h"
#include "kexec/kexec.h"

int kexec_load_plan(uint64_t entry, const struct plan *p)
{
	struct kexec_segment segs[KEXEC_SEGMENT_MAX];
	size_t i;

	if (p->n == 0 || p->n > KEXEC_SEGMENT_MAX)
		return kx_fail(EINVAL, "kexec: kexec_load: %zu segments", p->n);
	memset(segs, 0, sizeof(segs));
	for (i = 0; i < p->n; i++) {
		segs[i].buf = p->seg[i].buf;
		segs[i].bufsz = p->seg[i].bufsz;
		segs[i].mem = (const void *)(uintptr_t)p->seg[i].mem;
		segs[i].memsz = p->seg[i].memsz;
	}
	/* No glibc wrapper (kexec_load(2) NOTES). */
	if (syscall(SYS_kexec_load, (unsigned long)entry, (unsigned long)p->n,
		    segs, (unsigned long)KEXEC_ARCH_DEFAULT))
		return kx_fail(errno, "kexec: kexec_load: %s", strerror(errno));
	return 0;
}

const char *kexec_file_reason(int err)
{
	switch (err) {
	/* kexec_file.c kimage_validate_signature(): a locked-down kernel
	 * refuses what it could not verify; also no CAP_SYS_BOOT. */
	case EPERM:
		return "not permitted (EPERM: lockdown refused an image it could "
		       "not verify, or no CAP_SYS_BOOT)";
	case EKEYREJECTED:
		return "its signature does not verify (EKEYREJECTED)";
	case ENOKEY:
		return "signed by a key the kernel does not trust: not in its "
		       "keyrings, db or MOK (ENOKEY)";
	case EBADMSG:
		return "its signature is malformed (EBADMSG)";
	case ENODATA:
		return "it is not signed (ENODATA)";
	case ENOSYS:
		return "this kernel has no kexec_file_load (built without "
		       "CONFIG_KEXEC_FILE) (ENOSYS)";
	case ENOEXEC:
		return "the kernel's file loader does not know this image format "
		       "(ENOEXEC)";
	default:
		return strerror(err);
	}
}

bool kexec_file_refused(int err)
{
	return err == EPERM || err == EKEYREJECTED || err == ENOKEY ||
	       err == EBADMSG || err == ENODATA;
}

int kexec_file_load_fds(int kernel_fd, int initrd_fd, const char *cmdline,
			const char *what)
{
	unsigned long flags = initrd_fd < 0 ? KEXEC_FILE_NO_INITRAMFS : 0;
	int err;

	/* cmdline_len counts the NUL (kexec_file_load(2)). */
	if (syscall(SYS_kexec_file_load, kernel_fd, initrd_fd < 0 ? -1 : initrd_fd,
		    (unsigned long)strlen(cmdline) + 1, cmdline, flags)) {
		err = errno;
		return kx_fail(err, "kexec: kexec_file_load %s: %s", what,
			       kexec_file_reason(err));
	}
	return 0;
}

int kexec_reboot(void)
{
	/* reboot(2) with CMD_KEXEC does not sync file systems. */
	sync();
	syscall(SYS_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2,
		LINUX_REBOOT_CMD_KEXEC, NULL);
	return kx_fail(errno, "kexec: reboot(LINUX_REBOOT_CMD_KEXEC): %s",
		       strerror(errno));
}

int kexec_leave_to_firmware(bool power_off)
{
	sync();
	syscall(SYS_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2,
		power_off ? LINUX_REBOOT_CMD_POWER_OFF : LINUX_REBOOT_CMD_RESTART,
		NULL);
	return kx_fail(errno, "kexec: reboot(%s): %s",
		       power_off ? "POWER_OFF" : "RESTART", strerror(errno));
}
