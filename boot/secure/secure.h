/* kexshim: the secure layer's face to PID 1 and the CLI: load an entry
 * the way the running kernel allows, checked and measured.
 *   kexec_load(2) with kexshim's own plan and purgatory, unless the kernel
 *   is locked down (or kexec_load says EPERM/EACCES), then
 *   kexec_file_load(2): the kernel checks the kernel image's signature;
 *   kexshim checks a UKI's Authenticode signature against db/MOK first
 *   (secure/verify.h), so its initrd and command line are covered too
 * With a TPM the target's kernel, initrds and command line are measured
 * into PCRs and an event log (secure/measure.h), which the target finds
 * in its initrd: on the kexec_load path once the arch code took the
 * kernel, on the kexec_file_load path once the kernel took the files
 * (they are then loaded again with the log), so an entry that is refused
 * leaves the PCRs alone.  Runs in the shim and the CLI. */
#ifndef KEXSHIM_SECURE_SECURE_H
#define KEXSHIM_SECURE_SECURE_H

#include <stdbool.h>

#include "load/load.h"
#include "secure/lockdown.h"

enum secure_file_mode {
	SECURE_FILE_AUTO,   /* kexec_file_load when kexec_load is refused */
	SECURE_FILE_FORCE,  /* `load -s`: always kexec_file_load */
	SECURE_FILE_NEVER,  /* `--no-file-load`: never */
};

enum secure_method {
	SECURE_VIA_LOAD,    /* kexec_load: kexshim's plan and purgatory */
	SECURE_VIA_FILE,    /* kexec_file_load: the kernel's */
};

struct secure_opts {
	enum secure_file_mode file;
	bool dry_run;       /* stop before the syscall (and the TPM) */
	bool measure;       /* with a TPM: PCRs and event log */
};

/* Which syscall to use.  kexec_load_refused: it said EPERM/EACCES before
 * in this process.  Pure.
 * Return: 0 with *m, or -EPERM "secure: ..." (kx_fail) when kexec_load is
 * not allowed and mode forbids the other. */
int secure_pick_method(const struct secure_state *st,
		       enum secure_file_mode mode, bool kexec_load_refused,
		       enum secure_method *m);

/* Load req for a later kexec_reboot(): the method above, UKIs verified
 * under lockdown, measured with o->measure.  Prints "kexec_load: N
 * segments, entry 0x..." or "kexec_file_load: FILE (...)" before the
 * syscall, the dry-run line instead of it.  A kexec_load refused with
 * EPERM/EACCES is retried (and every later load made) with
 * kexec_file_load unless o->file is NEVER.
 * Return: 0 loaded, or -errno with one kx_fail() line naming the file
 * and the reason. */
int secure_load(const struct load_request *req, const struct secure_opts *o);

/* Return: true once a load in this process was refused by lockdown or a
 * signature check: then a reboot to the firmware would only start kexshim
 * again and fail the same way (boot/init/emergency.c halts instead). */
bool secure_refused(void);

#endif
