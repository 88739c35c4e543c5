/* kexshim: the only place that calls kexec_load(2), kexec_file_load(2) and
 * reboot(2).  Never reached on the build machine: host tests stop at plan. */
#ifndef KEXSHIM_KEXEC_H
#define KEXSHIM_KEXEC_H

#include <stdbool.h>

#include "kexec/plan.h"

/* kexec_load(entry, plan segments, KEXEC_ARCH_DEFAULT).
 * Return: 0 or -errno (kx_fail: "kexec: kexec_load: Operation not permitted"). */
int kexec_load_plan(uint64_t entry, const struct plan *p);

/* sync(), then reboot(LINUX_REBOOT_CMD_KEXEC).  Return: only on failure. */
int kexec_reboot(void);

/* sync(), then a plain reboot(2) RESTART (back to the firmware, which may go
 * on with the next Boot#### entry) or POWER_OFF; the emergency path.
 * Return: only on failure (-errno, kx_fail). */
int kexec_leave_to_firmware(bool power_off);

#endif
