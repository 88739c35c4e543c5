/* kexshim: emergency state (see emergency.h).  Runs in PID 1 when nothing
 * can be booted.  The reboot(2) here is a plain reboot or power-off, not
 * LINUX_REBOOT_CMD_KEXEC: it leaves the shim for the firmware, which may go
 * on with the next Boot#### entry, so it lives here and not in boot/kexec/
 * (which owns only the kexec syscalls). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/reboot.h>
#include <time.h>
#include <unistd.h>

#include "console.h"
#include "emergency.h"

void emergency_message(const struct kcmdline *kc, const char *what, char *buf,
		       size_t size)
{
	snprintf(buf, size, "emergency: %s; %s in %u s",
		 what && *what ? what : "nothing to boot",
		 kc->emergency == KC_EMERGENCY_HALT ? "halting (power off)"
						     : "rebooting to firmware",
		 kc->emergency_delay);
}

/* sleep(3) may return early on a signal; PID 1 gets SIGCHLD and friends. */
static void sleep_fully(unsigned seconds)
{
	struct timespec ts = { .tv_sec = seconds }, rem;

	while (nanosleep(&ts, &rem) && errno == EINTR)
		ts = rem;
}

void emergency(const struct kcmdline *kc, const char *what)
{
	char msg[768];

	emergency_message(kc, what, msg, sizeof(msg));
	con_info("%s", msg);
	sleep_fully(kc->emergency_delay);
	sync();
	reboot(kc->emergency == KC_EMERGENCY_HALT ? RB_POWER_OFF : RB_AUTOBOOT);
	con_info("emergency: reboot: %s; waiting forever", strerror(errno));
	for (;;)
		pause();
}
