/* kexshim: what the running kernel and firmware allow: the lockdown LSM's
 * mode (/sys/kernel/security/lockdown) and the firmware's SecureBoot and
 * SetupMode variables.  Read once per process (the first caller logs one
 * line), or under a root for tests.  Runs in the shim and the CLI. */
#ifndef KEXSHIM_SECURE_LOCKDOWN_H
#define KEXSHIM_SECURE_LOCKDOWN_H

#include <stdbool.h>
#include <stddef.h>

#define LOCKDOWN_PATH "/sys/kernel/security/lockdown"

enum lockdown_mode {
	LOCKDOWN_UNKNOWN = 0,  /* no securityfs, or no lockdown LSM */
	LOCKDOWN_NONE,
	LOCKDOWN_INTEGRITY,    /* kexec_load refused (LOCKDOWN_KEXEC) */
	LOCKDOWN_CONFIDENTIALITY,
};

struct secure_state {
	enum lockdown_mode lockdown;
	int secure_boot;  /* SecureBoot: 1, 0, -1 = no such variable (BIOS,
			   * no efivarfs) */
	int setup_mode;   /* SetupMode: 1 (no PK: every variable writable),
			   * 0, -1 */
};

/* The mode in the lockdown file's text, "none [integrity] confidentiality":
 * the bracketed word.  Pure.  Return: it, or LOCKDOWN_UNKNOWN. */
enum lockdown_mode lockdown_parse(const char *text);

/* Return: "none", "integrity", "confidentiality", "unknown". */
const char *lockdown_name(enum lockdown_mode m);

/* Return: true for integrity and confidentiality: kexec_load(2) is refused
 * and only signed kernels load through kexec_file_load(2). */
bool lockdown_active(enum lockdown_mode m);

/* Read the state under root ("" = live).  Missing files are states
 * (unknown / -1), never errors. */
void secure_state_read(const char *root, struct secure_state *st);

/* "lockdown integrity, SecureBoot 1, SetupMode 0" ("SecureBoot -" when
 * absent) into buf.  Pure. */
void secure_state_describe(const struct secure_state *st, char *buf,
			   size_t size);

/* The live state, read and logged ("secure: lockdown ...") on first use.
 * Return: it (static). */
const struct secure_state *secure_state(void);

#endif
