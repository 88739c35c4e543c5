/* kexshim: progress lines (see progress.h).  Pure. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "net/progress.h"

void progress_start(struct progress *p, uint64_t total, uint64_t now_ms)
{
	p->start_ms = now_ms;
	p->last_ms = 0;
	p->total = total;
}

bool progress_due(struct progress *p, uint64_t done, uint64_t now_ms)
{
	uint64_t since = p->last_ms ? p->last_ms : p->start_ms;

	if (p->total <= PROGRESS_MIN_BYTES && done <= PROGRESS_MIN_BYTES)
		return false;
	if (now_ms < since || now_ms - since < PROGRESS_INTERVAL_MS)
		return false;
	p->last_ms = now_ms;
	return true;
}

int progress_bytes(char *out, size_t size, uint64_t n)
{
	static const char *const unit[] = { "KiB", "MiB", "GiB", "TiB" };
	double v = (double)n;
	unsigned u = 0;

	if (n < 1024)
		return snprintf(out, size, "%" PRIu64 " B", n);
	v /= 1024;
	while (v >= 1024 && u < 3) {
		v /= 1024;
		u++;
	}
	/* Three significant digits: 1.02 GiB, 12.3 MiB, 512 KiB. */
	if (v < 10)
		return snprintf(out, size, "%.2f %s", v, unit[u]);
	if (v < 100)
		return snprintf(out, size, "%.1f %s", v, unit[u]);
	return snprintf(out, size, "%.0f %s", v, unit[u]);
}

int progress_format(char *out, size_t size, uint64_t done, uint64_t total,
		    uint64_t elapsed_ms)
{
	char d[32], t[32], r[40] = "-";
	double rate = elapsed_ms ? (double)done * 1000.0 / (double)elapsed_ms : 0;

	progress_bytes(d, sizeof(d), done);
	if (elapsed_ms) {
		size_t l;

		progress_bytes(r, sizeof(r) - 2, (uint64_t)rate);
		l = strlen(r);
		snprintf(r + l, sizeof(r) - l, "/s");
	}
	if (!total)
		return snprintf(out, size, "%s, %s", d, r);
	progress_bytes(t, sizeof(t), total);
	if (done >= total || rate <= 0)
		return snprintf(out, size, "%s of %s (%u%%), %s", d, t,
				done >= total ? 100u :
				(unsigned)(done * 100 / total), r);
	return snprintf(out, size, "%s of %s (%u%%), %s, ETA %" PRIu64 " s",
			d, t, (unsigned)(done * 100 / total), r,
			(uint64_t)((double)(total - done) / rate + 0.999));
}
