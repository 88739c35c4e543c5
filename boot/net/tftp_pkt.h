/* kexshim: TFTP packets (RFC 1350) and option negotiation (RFC 2347:
 * OACK; RFC 2348 blksize; RFC 2349 timeout and tsize; RFC 7440
 * windowsize), for the read-only client of tftp.c.  Pure: the RRQ we send,
 * and what the server's first answer allows. */
#ifndef KEXSHIM_NET_TFTP_PKT_H
#define KEXSHIM_NET_TFTP_PKT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TFTP_PORT 69
#define TFTP_BLKSIZE_DEFAULT 512
#define TFTP_BLKSIZE_MIN 8           /* RFC 2348 */
#define TFTP_BLKSIZE_MAX 65464
#define TFTP_WINDOW_MAX 65535        /* RFC 7440 */

/* RFC 1350 5 */
enum tftp_op {
	TFTP_RRQ = 1,
	TFTP_WRQ = 2,
	TFTP_DATA = 3,
	TFTP_ACK = 4,
	TFTP_ERROR = 5,
	TFTP_OACK = 6,
};

/* RFC 1350 appendix, RFC 2347 (8). */
enum tftp_err {
	TFTP_ENOTDEFINED = 0,
	TFTP_ENOTFOUND = 1,
	TFTP_EACCESS = 2,
	TFTP_EBADOP = 4,
	TFTP_EBADID = 5,
	TFTP_EOPTNEG = 8,
};

struct tftp_opts {
	unsigned blksize;     /* 0: not asked (then 512) */
	unsigned windowsize;  /* 0: not asked (then 1) */
	unsigned timeout;     /* seconds; 0: not asked */
	bool tsize;           /* asked for the size / the server told it */
	uint64_t size;        /* tsize's value in an OACK */
};

/* An RRQ for file in octet mode, asking for the options of want (NULL:
 * none; a plain RFC 1350 request).
 * Return: its length, 0 when file is empty, has a NUL byte or does not
 * fit. */
size_t tftp_rrq_build(uint8_t *buf, size_t size, const char *file,
		      const struct tftp_opts *want);

/* Read an OACK (p[0..n) from its opcode on) against what was asked:
 * every option must be one we asked for, once; blksize 8..asked,
 * windowsize 1..asked, timeout exactly as asked, tsize a number.  An
 * option not in the OACK takes its default (blksize 512, window 1).
 * Return: 0 with *got, or -EPROTO with reason (a line for the TFTP error
 * we send back, and for ours). */
int tftp_oack_parse(const uint8_t *p, size_t n, const struct tftp_opts *want,
		    struct tftp_opts *got, char *reason, size_t reasonsz);

/* Return: the length of an ACK for block (4). */
size_t tftp_ack_build(uint8_t *buf, uint16_t block);

/* An ERROR packet with code and msg.  Return: its length (0: too small). */
size_t tftp_error_build(uint8_t *buf, size_t size, uint16_t code,
			const char *msg);

/* Read an ERROR packet: its code and message (printable, NUL-terminated,
 * truncated to msgsz).  Return: 0 or -EBADMSG. */
int tftp_error_parse(const uint8_t *p, size_t n, uint16_t *code, char *msg,
		     size_t msgsz);

/* Return: p's opcode (0 when shorter than 2 bytes). */
unsigned tftp_opcode(const uint8_t *p, size_t n);

#endif
