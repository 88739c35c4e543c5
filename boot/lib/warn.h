/* kexshim: warnings a pure parser collects instead of printing them, so it
 * stays pure (fuzz targets and tests read them) and the caller decides
 * where they go (con_warnings_print() in the shim and the CLI). */
#ifndef KEXSHIM_LIB_WARN_H
#define KEXSHIM_LIB_WARN_H

#define WARN_MAX 8
#define WARN_LEN 240

struct warnings {
	unsigned n;        /* kept in msg[] (at most WARN_MAX) */
	unsigned dropped;  /* more than WARN_MAX */
	char msg[WARN_MAX][WARN_LEN];
};

/* Record one warning (printf format, no prefix, no newline); w may be
 * NULL (the caller does not care). */
void warn_add(struct warnings *w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Return: the total number of warnings added (kept and dropped). */
unsigned warn_count(const struct warnings *w);

#endif
