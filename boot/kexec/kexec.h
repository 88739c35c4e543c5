/* kexshim: the only place that calls kexec_load(2), kexec_file_load(2) and
 * reboot(2).  Never reached on the build machine: host tests stop at plan. */
#ifndef KEXSHIM_KEXEC_H
#define KEXSHIM_KEXEC_H

#include <stdbool.h>

#include "kexec/plan.h"

/* kexec_load(entry, plan segments, KEXEC_ARCH_DEFAULT).
 * Return: 0 or -errno (kx_fail: "kexec: kexec_load: Operation not permitted"). */
int kexec_load_plan(uint64_t entry, const struct plan *p);

/* kexec_file_load(kernel_fd, initrd_fd, cmdline, flags): the kernel reads
 * and checks the files itself (its own purgatory, its own segments; under
 * lockdown it checks the kernel's signature against its keyrings, db and
 * MOK included).  initrd_fd < 0: KEXEC_FILE_NO_INITRAMFS.  what names the
 * kernel in the message.
 * Return: 0 or -errno (kx_fail: "kexec: kexec_file_load WHAT: REASON",
 * REASON from kexec_file_reason()). */
int kexec_file_load_fds(int kernel_fd, int initrd_fd, const char *cmdline,
			const char *what);

/* What an errno of kexec_file_load(2) means for the image, in words:
 * EPERM, EKEYREJECTED, ENOKEY, EBADMSG, ENODATA (the signature verdicts
 * of kexec_file.c and the lockdown LSM), ENOSYS, ENOEXEC, else strerror.
 * Return: a static string. */
const char *kexec_file_reason(int err);

/* Return: true when err is kexec_file_load's verdict on the image's
 * signature or on lockdown (EPERM, EKEYREJECTED, ENOKEY, EBADMSG,
 * ENODATA): the next entry may fare better, the same file never will. */
bool kexec_file_refused(int err);

/* sync(), then reboot(LINUX_REBOOT_CMD_KEXEC).  Return: only on failure. */
int kexec_reboot(void);

/* sync(), then a plain reboot(2) RESTART (back to the firmware, which may go
 * on with the next Boot#### entry) or POWER_OFF; the emergency path.
 * Return: only on failure (-errno, kx_fail). */
int kexec_leave_to_firmware(bool power_off);

#endif
