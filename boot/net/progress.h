/* kexshim: the progress line of a fetch ("vmlinuz: 12.3 MiB of 33.0 MiB
 * (37%), 4.1 MiB/s, ETA 5 s"): when one is due (a file over 1 MiB, at most
 * once a second) and its text.  Pure: counts and times in, text out; the
 * fetch prints it (fetch.c). */
#ifndef KEXSHIM_NET_PROGRESS_H
#define KEXSHIM_NET_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PROGRESS_MIN_BYTES (1u << 20)
#define PROGRESS_INTERVAL_MS 1000

struct progress {
	uint64_t start_ms;   /* when the transfer began */
	uint64_t last_ms;    /* when the last line was printed (0: none) */
	uint64_t total;      /* expected bytes, 0 = unknown */
};

/* Start counting at now_ms. */
void progress_start(struct progress *p, uint64_t total, uint64_t now_ms);

/* Is a line due with done bytes in at now_ms?  Only for transfers over
 * PROGRESS_MIN_BYTES (known total, or done so far), not in the first
 * second, then once per PROGRESS_INTERVAL_MS.  Return: true (and the
 * line counts as printed). */
bool progress_due(struct progress *p, uint64_t done, uint64_t now_ms);

/* n as "512 B", "1.5 KiB", "12.3 MiB", "1.02 GiB".  Return: snprintf's. */
int progress_bytes(char *out, size_t size, uint64_t n);

/* "12.3 MiB of 33.0 MiB (37%), 4.1 MiB/s, ETA 5 s" (total known), else
 * "12.3 MiB, 4.1 MiB/s"; the rate is over the whole transfer so far,
 * "-" before any time has passed.  Return: snprintf's. */
int progress_format(char *out, size_t size, uint64_t done, uint64_t total,
		    uint64_t elapsed_ms);

#endif
