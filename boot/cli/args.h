/* kexshim: what `list` and `boot` share: where the ESP is mounted and the
 * step after their options. */
#ifndef KEXSHIM_CLI_ESP_H
#define KEXSHIM_CLI_ESP_H

struct kcmdline;

/* The first of /esp, /efi, /boot/efi, /boot that has loader/entries.
 * Return: the path, or NULL with kx_fail() naming where it looked. */
const char *cli_default_esp(void);

/* After `cmd`'s options (getopt's optind): reject a left-over argument,
 * read kexshim.* into kc, and pick the default ESP when *esp is NULL.
 * Return: CLI_OK, or CLI_USAGE / CLI_FAILED after one error line. */
int cli_esp_args_done(const char *cmd, int argc, char **argv,
		      const char **esp, struct kcmdline *kc);

#endif
