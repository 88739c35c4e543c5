/* kexshim: TPM device I/O (see tpm_dev.h). */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "lib/error.h"
#include "secure/tpm_dev.h"

int tpm_dev_open(const char *path)
{
	int fd = open(path, O_RDWR | O_CLOEXEC);

	if (fd < 0 && (errno == ENOENT || errno == ENODEV || errno == ENXIO))
		return -ENOENT;
	if (fd < 0)
		return kx_fail(errno, "tpm: %s: %s", path, strerror(errno));
	return fd;
}

int tpm_dev_transmit(int fd, const char *what, const uint8_t *cmd,
		     size_t len, uint8_t *rsp, size_t cap, size_t *rlen)
{
	ssize_t n;

	/* The driver takes a command in one write() and returns the whole
	 * response to one read(). */
	do
		n = write(fd, cmd, len);
	while (n < 0 && errno == EINTR);
	if (n != (ssize_t)len)
		return kx_fail(n < 0 ? errno : EIO, "tpm: %s: write: %s", what,
			       n < 0 ? strerror(errno) : "short write");
	do
		n = read(fd, rsp, cap);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return kx_fail(errno, "tpm: %s: read: %s", what, strerror(errno));
	*rlen = (size_t)n;
	return 0;
}
