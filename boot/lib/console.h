/* kexshim: console lines.  Runs everywhere: in PID 1 stderr is /dev/console
 * (the serial line the QEMU harness greps), in the CLI the terminal.  Every
 * message is exactly one line prefixed by "kexshim: ". */
#ifndef KEXSHIM_CONSOLE_H
#define KEXSHIM_CONSOLE_H

#include <stdbool.h>

#include "kexshim/version.h"

/* Print "kexshim: <message>\n" to stderr as one write. */
void con_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Print "<message>\n" without the prefix (the PID 1 banner). */
void con_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Print "kexshim: warning: <message>\n"; counted and remembered for tests. */
void con_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

struct warnings;

/* con_warn() each of a parser's warnings, and how many were dropped. */
void con_warnings_print(const struct warnings *w);

/* Like con_info(), only when verbose output is on (kexshim.verbose). */
void con_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

void con_set_verbose(bool on);

/* A decision (a source scanned, an entry skipped): printed like
 * con_info() once con_set_notes(true) (PID 1, where the serial log is the
 * record), else only when verbose (the CLI's -v). */
void con_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

void con_set_notes(bool on);

/* From now on every line also goes to path (/dev/kmsg) at KERN_DEBUG, so
 * dmesg in the shim's emergency shell has them without doubling them on
 * a console at the usual loglevel.  Return: 0 or -errno. */
int con_kmsg_open(const char *path);

/* Return: how many warnings were printed so far. */
unsigned con_warnings(void);

/* Return: the text of the last warning (without prefix), "" if none. */
const char *con_last_warning(void);

/* Make path (normally /dev/console) stdin, stdout and stderr.
 * Return: 0 or -errno. */
int con_open(const char *path);

/* Print "kexshim: peak RSS <VmHWM> kB" from /proc/self/status. */
void con_peak_rss(void);

#endif
