/* kexshim: TFTP packets and option negotiation (see tftp_pkt.h).  Pure. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "net/tftp_pkt.h"

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

unsigned tftp_opcode(const uint8_t *p, size_t n)
{
	return n < 2 ? 0 : (unsigned)(p[0] << 8 | p[1]);
}

/* Append s and its NUL.  Return: false when it does not fit. */
static bool put_str(uint8_t *buf, size_t size, size_t *o, const char *s)
{
	size_t n = strlen(s) + 1;

	if (*o + n > size)
		return false;
	memcpy(buf + *o, s, n);
	*o += n;
	return true;
}

static bool put_opt(uint8_t *buf, size_t size, size_t *o, const char *name,
		    unsigned long long v)
{
	char num[24];

	snprintf(num, sizeof(num), "%llu", v);
	return put_str(buf, size, o, name) && put_str(buf, size, o, num);
}

size_t tftp_rrq_build(uint8_t *buf, size_t size, const char *file,
		      const struct tftp_opts *want)
{
	size_t o = 2;
	bool ok;

	if (!*file || size < 2)
		return 0;
	put16(buf, TFTP_RRQ);
	ok = put_str(buf, size, &o, file) && put_str(buf, size, &o, "octet");
	if (want) {
		if (ok && want->blksize)
			ok = put_opt(buf, size, &o, "blksize", want->blksize);
		/* RFC 2349: tsize 0 in a read request asks for the size. */
		if (ok && want->tsize)
			ok = put_opt(buf, size, &o, "tsize", 0);
		if (ok && want->timeout)
			ok = put_opt(buf, size, &o, "timeout", want->timeout);
		if (ok && want->windowsize)
			ok = put_opt(buf, size, &o, "windowsize",
				     want->windowsize);
	}
	return ok ? o : 0;
}

/* A decimal number without sign, spaces or overflow. */
static bool number(const char *s, unsigned long long max,
		   unsigned long long *v)
{
	unsigned long long x = 0;

	if (!*s)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		if (x > (max - (unsigned)(*s - '0')) / 10)
			return false;
		x = x * 10 + (unsigned)(*s - '0');
	}
	*v = x;
	return true;
}

int tftp_oack_parse(const uint8_t *p, size_t n, const struct tftp_opts *want,
		    struct tftp_opts *got, char *reason, size_t reasonsz)
{
	const char *s = (const char *)p + 2, *end = (const char *)p + n;
	bool seen_blk = false, seen_win = false, seen_tmo = false,
	     seen_tsize = false;

	memset(got, 0, sizeof(*got));
	got->blksize = TFTP_BLKSIZE_DEFAULT;
	got->windowsize = 1;
	if (tftp_opcode(p, n) != TFTP_OACK) {
		snprintf(reason, reasonsz, "not an OACK");
		return -EPROTO;
	}
	while (s < end) {
		const char *name = s, *val, *z = memchr(s, '\0', (size_t)(end - s));
		unsigned long long v;

		if (!z) {
			snprintf(reason, reasonsz, "OACK option not terminated");
			return -EPROTO;
		}
		val = z + 1;
		z = val < end ? memchr(val, '\0', (size_t)(end - val)) : NULL;
		if (!z) {
			snprintf(reason, reasonsz, "OACK option '%.32s' has no "
				 "value", name);
			return -EPROTO;
		}
		s = z + 1;
		if (!strcasecmp(name, "blksize") && want->blksize && !seen_blk) {
			seen_blk = true;
			if (!number(val, TFTP_BLKSIZE_MAX, &v) ||
			    v < TFTP_BLKSIZE_MIN || v > want->blksize) {
				snprintf(reason, reasonsz, "OACK blksize '%.20s' "
					 "not in 8..%u", val, want->blksize);
				return -EPROTO;
			}
			got->blksize = (unsigned)v;
		} else if (!strcasecmp(name, "windowsize") && want->windowsize &&
			   !seen_win) {
			seen_win = true;
			if (!number(val, TFTP_WINDOW_MAX, &v) || v < 1 ||
			    v > want->windowsize) {
				snprintf(reason, reasonsz, "OACK windowsize "
					 "'%.20s' not in 1..%u", val,
					 want->windowsize);
				return -EPROTO;
			}
			got->windowsize = (unsigned)v;
		} else if (!strcasecmp(name, "timeout") && want->timeout &&
			   !seen_tmo) {
			seen_tmo = true;
			/* RFC 2349: the server must not change it. */
			if (!number(val, 255, &v) || v != want->timeout) {
				snprintf(reason, reasonsz, "OACK timeout '%.20s' "
					 "is not the %u asked for", val,
					 want->timeout);
				return -EPROTO;
			}
			got->timeout = (unsigned)v;
		} else if (!strcasecmp(name, "tsize") && want->tsize &&
			   !seen_tsize) {
			seen_tsize = true;
			if (!number(val, ~0ull, &v)) {
				snprintf(reason, reasonsz, "OACK tsize '%.20s' is "
					 "not a number", val);
				return -EPROTO;
			}
			got->tsize = true;
			got->size = v;
		} else {
			/* RFC 2347: only options the client asked for, once. */
			snprintf(reason, reasonsz, "OACK option '%.32s' was not "
				 "asked for", name);
			return -EPROTO;
		}
	}
	return 0;
}

size_t tftp_ack_build(uint8_t *buf, uint16_t block)
{
	put16(buf, TFTP_ACK);
	put16(buf + 2, block);
	return 4;
}

size_t tftp_error_build(uint8_t *buf, size_t size, uint16_t code,
			const char *msg)
{
	size_t o = 4;

	if (size < 5)
		return 0;
	put16(buf, TFTP_ERROR);
	put16(buf + 2, code);
	if (!put_str(buf, size, &o, msg)) {
		buf[4] = '\0';
		o = 5;
	}
	return o;
}

int tftp_error_parse(const uint8_t *p, size_t n, uint16_t *code, char *msg,
		     size_t msgsz)
{
	size_t i, o = 0;

	if (n < 4 || tftp_opcode(p, n) != TFTP_ERROR || !msgsz)
		return -EBADMSG;
	*code = (uint16_t)(p[2] << 8 | p[3]);
	/* The message should end in a NUL; a server that forgets still
	 * gets its words shown. */
	for (i = 4; i < n && p[i] && o + 1 < msgsz; i++)
		msg[o++] = p[i] < 0x20 || p[i] >= 0x7f ? '?' : (char)p[i];
	msg[o] = '\0';
	return 0;
}
