/* kexshim: which kexec syscall a load uses (see secure.h).  Pure. */
#include <errno.h>

#include "lib/error.h"
#include "secure/secure.h"

int secure_pick_method(const struct secure_state *st,
		       enum secure_file_mode mode, bool kexec_load_refused,
		       enum secure_method *m)
{
	bool locked = lockdown_active(st->lockdown);

	if (mode == SECURE_FILE_FORCE) {
		*m = SECURE_VIA_FILE;
		return 0;
	}
	if (!locked && !kexec_load_refused) {
		*m = SECURE_VIA_LOAD;
		return 0;
	}
	if (mode == SECURE_FILE_NEVER) {
		if (locked)
			return kx_fail(EPERM, "secure: the kernel is locked down "
				       "(%s): kexec_load is refused and "
				       "--no-file-load forbids kexec_file_load",
				       lockdown_name(st->lockdown));
		return kx_fail(EPERM, "secure: kexec_load was refused and "
			       "--no-file-load forbids kexec_file_load");
	}
	*m = SECURE_VIA_FILE;
	return 0;
}
