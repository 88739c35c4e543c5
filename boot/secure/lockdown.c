/* kexshim: lockdown mode and Secure Boot state (see lockdown.h).  The
 * lockdown LSM is what refuses kexec_load; SecureBoot only explains why
 * (Debian's kernels lock down when the firmware booted them with Secure
 * Boot on: CONFIG_LOCK_DOWN_IN_EFI_SECURE_BOOT). */
#include <stdio.h>
#include <string.h>

#include "lib/console.h"
#include "lib/readfile.h"
#include "secure/efivar.h"
#include "secure/lockdown.h"

static const char *const names[] = {
	[LOCKDOWN_UNKNOWN] = "unknown",
	[LOCKDOWN_NONE] = "none",
	[LOCKDOWN_INTEGRITY] = "integrity",
	[LOCKDOWN_CONFIDENTIALITY] = "confidentiality",
};

enum lockdown_mode lockdown_parse(const char *text)
{
	const char *open = strchr(text, '['), *close;
	size_t n;
	int m;

	if (!open || !(close = strchr(open, ']')))
		return LOCKDOWN_UNKNOWN;
	n = (size_t)(close - open - 1);
	for (m = LOCKDOWN_NONE; m <= LOCKDOWN_CONFIDENTIALITY; m++)
		if (strlen(names[m]) == n && !strncmp(open + 1, names[m], n))
			return (enum lockdown_mode)m;
	return LOCKDOWN_UNKNOWN;
}

const char *lockdown_name(enum lockdown_mode m)
{
	return (unsigned)m <= LOCKDOWN_CONFIDENTIALITY ? names[m] : "unknown";
}

bool lockdown_active(enum lockdown_mode m)
{
	return m == LOCKDOWN_INTEGRITY || m == LOCKDOWN_CONFIDENTIALITY;
}

void secure_state_read(const char *root, struct secure_state *st)
{
	char buf[128];

	st->lockdown = LOCKDOWN_UNKNOWN;
	if (root_exists(root, LOCKDOWN_PATH) &&
	    root_read_into("secure", root, LOCKDOWN_PATH, buf, sizeof(buf)) > 0)
		st->lockdown = lockdown_parse(buf);
	st->secure_boot = efivar_bool(root, "SecureBoot", EFI_GLOBAL_VARIABLE_GUID);
	st->setup_mode = efivar_bool(root, "SetupMode", EFI_GLOBAL_VARIABLE_GUID);
}

static const char *tri(int v)
{
	return v < 0 ? "-" : v ? "1" : "0";
}

void secure_state_describe(const struct secure_state *st, char *buf,
			   size_t size)
{
	snprintf(buf, size, "lockdown %s, SecureBoot %s, SetupMode %s",
		 lockdown_name(st->lockdown), tri(st->secure_boot),
		 tri(st->setup_mode));
}

const struct secure_state *secure_state(void)
{
	static struct secure_state st;
	static bool done;
	char line[96];

	if (!done) {
		secure_state_read("", &st);
		secure_state_describe(&st, line, sizeof(line));
		con_info("secure: %s%s", line, lockdown_active(st.lockdown) ?
			 ": kexec_load is refused, signed kernels load through "
			 "kexec_file_load" : "");
		done = true;
	}
	return &st;
}
