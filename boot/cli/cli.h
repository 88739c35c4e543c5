/* kexshim: the commands of the `kexshim` program, one file each
 * (boot/cli/cmd_*.c).  main.c only dispatches (to PID 1, boot/init/, when
 * run as /init). */
#ifndef KEXSHIM_CLI_H
#define KEXSHIM_CLI_H

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
int cli_fetch(int argc, char **argv);

#endif
