/* kexshim: the emergency state of PID 1: say what happened, wait, then give
 * the machine back to the firmware (or power it off).  PID 1 must never
 * exit: the kernel would panic and the message would scroll away. */
#ifndef KEXSHIM_EMERGENCY_H
#define KEXSHIM_EMERGENCY_H

#include <stddef.h>

#include "lib/kcmdline.h"

/* Format "emergency: WHAT; rebooting to firmware in N s" (or "halting
 * (power off) in N s") without the "kexshim: " prefix.  Pure. */
void emergency_message(const struct kcmdline *kc, const char *what, char *buf,
		       size_t size);

/* Print the message, sleep kc->emergency_delay seconds, sync, then
 * reboot(RB_AUTOBOOT) or reboot(RB_POWER_OFF).  If that fails (not PID 1,
 * no CAP_SYS_BOOT) say so and sleep forever.  Return: never. */
void emergency(const struct kcmdline *kc, const char *what)
	__attribute__((noreturn));

#endif
