/* kexshim: the only place that calls kexec_load(2), kexec_file_load(2) and
 * reboot(2).  Never reached on the build machine: host tests stop at plan. */
#ifndef KEXSHIM_KEXEC_H
#define KEXSHIM_KEXEC_H

#include "kexec/plan.h"

/* kexec_load(entry, plan segments, KEXEC_ARCH_DEFAULT).
 * Return: 0 or -errno (kx_fail: "kexec: kexec_load: Operation not permitted"). */
int kexec_load_plan(uint64_t entry, const struct plan *p);

/* sync(), then reboot(LINUX_REBOOT_CMD_KEXEC).  Return: only on failure. */
int kexec_reboot(void);

/* Unload whatever is loaded (kexec_load with 0 segments).  Return: 0/-errno. */
int kexec_unload(void);

#endif
