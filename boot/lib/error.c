/* kexshim: one-line error messages (see error.h).  Runs everywhere: PID 1 in
 * the shim, the CLI, host tests.  Single-threaded, so one static buffer. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "lib/error.h"

static char last_error[512];

int kx_fail(int err, const char *fmt, ...)
{
	char msg[sizeof(last_error)];
	va_list ap;

	/* Through a copy: callers wrap the previous message by passing
	 * kx_last_error() itself as an argument. */
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	memcpy(last_error, msg, sizeof(msg));
	/* A caller passing a negative errno by mistake still gets -errno,
	 * and kx_fail(errno, ...) with errno 0 must not mean success. */
	if (err < 0)
		err = -err;
	return err ? -err : -EIO;
}

const char *kx_last_error(void)
{
	return last_error;
}

void kx_report(int err)
{
	if (err < 0)
		err = -err;
	if (last_error[0])
		fprintf(stderr, "kexshim: %s\n", last_error);
	else
		fprintf(stderr, "kexshim: %s\n", strerror(err ? err : EIO));
	last_error[0] = '\0';
}
