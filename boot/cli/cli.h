/* kexshim: the commands of the `kexshim` program, one file each
 * (boot/cli_*.c), and PID 1 (boot/init.c).  main.c only dispatches. */
#ifndef KEXSHIM_CLI_H
#define KEXSHIM_CLI_H

#include <stdbool.h>

struct kcmdline;

/* Exit codes: 0 done, 1 it failed (one line says why), 2 bad usage. */
#define CLI_OK 0
#define CLI_FAILED 1
#define CLI_USAGE 2

/* Each takes argv as after the command word (argv[0] = "load", ...).
 * Return: an exit code. */
int cli_load(int argc, char **argv);
int cli_plan(int argc, char **argv);
int cli_exec(int argc, char **argv);
int cli_list(int argc, char **argv);
int cli_boot(int argc, char **argv);

/* Boot from a mounted ESP: scan entries, pick (arg > kc->entry >
 * loader.conf default > first), then for each entry of the fallback
 * sequence: print "booting entry 'ID' (TITLE)", load_prepare, print
 * "kexec_load: N segments, entry 0x...", kexec_load_plan, print the peak
 * RSS, kexec_reboot.  dry_run stops before kexec_load with the plan line.
 * Shared by `kexshim boot` and PID 1.
 * Return: only on failure (or after a dry run: 0), -errno with kx_fail(). */
int cli_boot_esp(const char *esp, const char *arg, const struct kcmdline *kc,
		 bool dry_run);

/* PID 1: mount, console, modules, ESP, boot; emergency on failure.
 * Return: never. */
int init_main(int argc, char **argv) __attribute__((noreturn));

#endif
