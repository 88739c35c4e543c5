/* kexshim: one-line error messages.  Functions that fail record a message
 * prefixed by their subsystem ("bzimage: /esp/vmlinuz: bad magic ...") and
 * return -errno; the caller that gives up prints kx_last_error().  Parsers
 * stay pure and tests can assert the message. */
#ifndef KEXSHIM_ERROR_H
#define KEXSHIM_ERROR_H

/* Record the message (printf format) and return -err.
 * Return: -err, so `return kx_fail(EINVAL, "...")` works. */
int kx_fail(int err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Return: the last recorded message, "" if none. */
const char *kx_last_error(void);

/* Print kx_last_error() (or strerror(-err) if none) as one line to stderr,
 * prefixed by "kexshim: ", and clear it. */
void kx_report(int err);

#endif
