/* kexshim: the TPM character device: one command written, one response
 * read (/dev/tpmrm0, the kernel's resource manager: no handles or sessions
 * of other users to care about).  Runs in the shim before kexec. */
#ifndef KEXSHIM_SECURE_TPM_DEV_H
#define KEXSHIM_SECURE_TPM_DEV_H

#include <stddef.h>
#include <stdint.h>

#define TPM_DEV_PATH "/dev/tpmrm0"

/* Open path.  Return: the fd, -ENOENT without a message when there is no
 * such device, other -errno with kx_fail("tpm: PATH: ..."). */
int tpm_dev_open(const char *path);

/* Send cmd[0, len) and read the response into rsp (cap bytes).
 * Return: 0 with *rlen, or -errno (kx_fail "tpm: WHAT: ..."). */
int tpm_dev_transmit(int fd, const char *what, const uint8_t *cmd,
		     size_t len, uint8_t *rsp, size_t cap, size_t *rlen);

#endif
