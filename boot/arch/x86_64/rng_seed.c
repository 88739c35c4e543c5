/* kexshim x86_64: a fresh seed for the target's RNG (SETUP_RNG_SEED).
 * Runs once per load in the shim, so two loads never share a seed. */
#include <errno.h>
#include <sys/random.h>

#include "arch/x86_64/x86.h"

int x86_rng_seed(uint8_t *buf, size_t len)
{
	size_t n = 0;
	ssize_t r;

	while (n < len) {
		/* Non-blocking: PID 1 must not hang early in boot.  The
		 * target credits the seed, so when the pool is not ready
		 * there is no seed at all (Linux's own kexec_file does the
		 * same). */
		r = getrandom(buf + n, len - n, GRND_NONBLOCK);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		n += r;
	}
	return 0;
}
