/* kexshim: the measurement log in the TCG Canonical Event Log Format's
 * JSON encoding (TCG CEL 1.0, "CEL-JSON"), as a JSON text sequence
 * (RFC 7464: each record is RS 0x1e, the JSON object, LF) like systemd's
 * /run/log/systemd/tpm2-measure.log:
 *   {"recnum":N,"pcr":P,"digests":[{"hashAlg":"sha256","digest":"HEX"},
 *    ...],"content_type":"kexshim","content":{"eventType":"kernel",
 *    "string":"/esp/vmlinuz"}}
 * recnum counts from 0 in this log.  Replaying it, PCR P of every bank is
 * extend(P, digest) record after record.  Pure: appends to a growing
 * buffer.  Runs in the shim; host tests parse what it writes. */
#ifndef KEXSHIM_SECURE_CEL_H
#define KEXSHIM_SECURE_CEL_H

#include <stddef.h>

#include "secure/tpm2.h"

/* The log must fit the initrd's appended cpio with room to spare. */
#define CEL_LOG_MAX (192u << 10)

struct cel {
	char *buf;      /* malloc'ed, NUL-terminated */
	size_t len, cap;
	unsigned recnum;
};

/* Append a record.  event_type names what was measured ("kernel",
 * "initrd", "cmdline", "uki-section-name", "uki-section", "devicetree",
 * "devicetree-overlay"); string is what (a path, a section name, the
 * command line), escaped for JSON (bytes that are not UTF-8 as \u00XX).
 * Return: 0, or -E2BIG past CEL_LOG_MAX / -ENOMEM (kx_fail) with the log
 * unchanged. */
int cel_append(struct cel *c, unsigned pcr, const struct tpm2_digest *d,
	       size_t n, const char *event_type, const char *string);

void cel_free(struct cel *c);

#endif
