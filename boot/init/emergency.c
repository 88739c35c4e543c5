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
#include "secure/lockdown.h"
#include "secure/secure.h"

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
	const struct secure_state *st = secure_state();
	struct kcmdline k = *kc;
	char msg[768];

	/* Under lockdown what failed fails again on the next boot (an entry
	 * refused for its signature above all): a reboot to the firmware,
	 * which starts kexshim again, would loop.  Stop, the reasons on the
	 * console. */
	if (k.emergency == KC_EMERGENCY_REBOOT && lockdown_active(st->lockdown)) {
		con_info("emergency: the kernel is locked down (%s)%s: halting, "
			 "not rebooting: the firmware would start kexshim again "
			 "and the same entries would fail the same way",
			 lockdown_name(st->lockdown), secure_refused() ?
			 " and refused what was signed wrongly or not at all" : "");
		k.emergency = KC_EMERGENCY_HALT;
	}
	kc = &k;
	emergency_message(kc, what, msg, sizeof(msg));
	con_info("%s", msg);
	sleep_fully(kc->emergency_delay);
	kx_report(kexec_leave_to_firmware(kc->emergency == KC_EMERGENCY_HALT));
	con_info("emergency: waiting forever");
	for (;;)
		pause();
}
