/* kexshim: emergency state (see emergency.h).  Runs in PID 1 when nothing
 * can be booted: say what happened, wait, then leave for the firmware (the
 * reboot(2) itself lives in boot/kexec/, the one place for such calls). */
#include <errno.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "lib/console.h"
#include "init/emergency.h"
#include "lib/error.h"
#include "kexec/kexec.h"

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
	kx_report(kexec_leave_to_firmware(kc->emergency == KC_EMERGENCY_HALT));
	con_info("emergency: waiting forever");
	for (;;)
		pause();
}
