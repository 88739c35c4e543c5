/* kexshim: os-release(5) files: a UKI's .osrel and .profile sections, a
 * root file system's /etc/os-release (the Debian fallback's title).  Pure:
 * bytes in, the values of the keys asked for out.  Runs in PID 1 and the
 * CLI while entries are listed. */
#ifndef KEXSHIM_CONFIG_OSREL_H
#define KEXSHIM_CONFIG_OSREL_H

#include <stddef.h>

struct warnings;

/* Larger files are not read: os-release is a few hundred bytes. */
#define OSREL_MAX_FILE (64u << 10)

/* The values of keys[0..n) in buf, into values[0..n) (malloc'ed; NULL
 * when absent; free them with osrel_free).  The os-release(5) rules:
 * "newline-separated list of environment-like shell-compatible variable
 * assignments"; '#' starts a comment line; blank lines are allowed; values
 * in "double" quotes take backslash escapes of \$ \" \\ \` (a backslash
 * before anything else is kept), in 'single' quotes nothing is escaped,
 * unquoted values end at the first blank; concatenated quoted strings
 * ("Concatenation of multiple individually quoted strings is not
 * supported") and an unterminated quote make the line a warning.  A key
 * assigned twice: the last wins, as in a shell.  Lines with a NUL,
 * invalid UTF-8 or control characters in the value, and lines that are
 * not KEY=value, are warnings "WHO: NAME:LINE: reason" and skipped.  An
 * empty value ("ID=") counts as absent.
 * Return: 0, or -ENOMEM / -EFBIG (over OSREL_MAX_FILE) with kx_fail()
 * and every value NULL. */
int osrel_parse(const char *who, const char *name, const char *buf,
		size_t len, const char *const *keys, char **values, size_t n,
		struct warnings *w);

void osrel_free(char **values, size_t n);

#endif
