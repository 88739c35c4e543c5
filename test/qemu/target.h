/* test/qemu/target.h: what the QEMU target's /init files share
 * (target-init.c and its check files, target-*.c). */
#ifndef KEXSHIM_TEST_TARGET_H
#define KEXSHIM_TEST_TARGET_H

#include <stddef.h>
#include <sys/types.h>

/* One console line, one write. */
void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* "KEXSHIM-CHECK NAME: ok DETAIL" or "... FAIL DETAIL" (counted). */
void check(const char *name, int ok, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* A whole small file, NUL-terminated.  Return: its length or -errno. */
ssize_t read_file(const char *path, char *buf, size_t size);

void chomp(char *s);

/* target-bli.c: the Boot Loader Interface variables kexshim.efi and the
 * shim set (KEXSHIM-CHECK bli). */
void check_bli(void);

/* target-bli.c: the multi-boot plan of /expected/plan, if there is one
 * (see there).  plan_extra(): the words this step adds to the expected
 * command line ("" when none).  check_plan(): KEXSHIM-CHECK plan, this
 * step's entry.  plan_finish(): after every check passed, do this step's
 * action (set a one-shot and reboot); returns to power off. */
const char *plan_extra(void);
const char *plan_cmdline(void);  /* the expected command line's file */
void check_plan(void);
void plan_finish(int failures);

/* target-tpm.c: kexshim's event log replayed against the PCRs (with
 * /expected/tpm).  Return: 1 when it matches; DETAIL says what was seen. */
int tpm_check(char *detail, size_t size);

#endif
