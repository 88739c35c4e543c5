/* kexshim: collected warnings (see warn.h).  Pure. */
#include <stdarg.h>
#include <stdio.h>

#include "lib/warn.h"

void warn_add(struct warnings *w, const char *fmt, ...)
{
	va_list ap;

	if (!w)
		return;
	if (w->n == WARN_MAX) {
		w->dropped++;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(w->msg[w->n++], WARN_LEN, fmt, ap);
	va_end(ap);
}

unsigned warn_count(const struct warnings *w)
{
	return w ? w->n + w->dropped : 0;
}
