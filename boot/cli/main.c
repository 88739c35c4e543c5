/* kexshim: entry point.  Only dispatches: PID 1 mode (as /init, or PID 1
 * without arguments) or one command of the CLI. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common/util.h"
#include "cli/cli.h"
#include "init/init.h"
#include "lib/console.h"

static const char usage[] =
"Usage: kexshim COMMAND [OPTIONS]\n"
"Chain-boot Linux through kexec_load(2); PID 1 of the kexshim shim.\n"
"\n"
"  load [--kernel=]FILE [--initrd=FILE]... [--append=S]... [--command-line=S]\n"
"       [--reuse-cmdline] [--dtb=FILE] [--uki-profile=N]\n"
"       [-s|--no-file-load] [--measure]\n"
"                    check FILE, plan its segments and kexec_load them; under\n"
"                    lockdown (or when kexec_load says EPERM) kexec_file_load\n"
"                    instead, a UKI's signature checked against db/MOK first;\n"
"                    -s always kexec_file_load, --no-file-load never;\n"
"                    --measure extends the TPM's PCRs 9/11/12 first\n"
"  exec              reboot into the loaded kernel\n"
"  plan [load options] [--memmap=IOMEM] [--root=DIR]\n"
"                    print the segment plan as JSON; no syscalls.  IOMEM is a\n"
"                    saved /proc/iomem (as root shows it); DIR prefixes the\n"
"                    /sys and /proc files read\n"
"  list [--esp=DIR] [--xbootldr=DIR] [--fs=DIR]... [--json]\n"
"                    every entry (BLS, UKI, grub.cfg, extlinux, /vmlinuz) of\n"
"                    the ESP and the other mounted file systems given, in\n"
"                    menu order: '*' marks the one boot picks, '!' one that\n"
"                    cannot boot; --json for scripts\n"
"  boot [ENTRY] [--esp=DIR] [--dry-run]\n"
"                    load and exec ENTRY (ID or glob; default: kexshim.entry=,\n"
"                    then loader.conf's default, then the first), falling\n"
"                    back to the next entry on failure; --dry-run stops\n"
"                    before kexec_load\n"
"  fetch URL [-o FILE] [--sha256 HEX] [--ca FILE] [--dns ADDR[:PORT]]\n"
"        [--retries N] [--timeout S] [-q]\n"
"                    fetch URL (tftp://, http://, https://, file://) to FILE\n"
"                    (default stdout) as network boot does: retries with\n"
"                    back-off, HTTP range resume, a progress line over 1 MiB,\n"
"                    the SHA-256 checked against HEX; --ca: the CA bundle for\n"
"                    https (default /etc/ssl/certs/ca-certificates.crt);\n"
"                    --dns: the DNS server (default /etc/resolv.conf's)\n"
"  --help, --version\n"
"\n"
"The target's command line: --command-line replaces, --append adds (may\n"
"repeat), --reuse-cmdline starts from /proc/cmdline without kexshim.*,\n"
"BOOT_IMAGE= and initrd=.  FILE may be a UKI: its .ucode and .initrd go\n"
"before the --initrd files, its .cmdline and .dtb are used unless given;\n"
"--uki-profile picks a profile (default @0).  --esp defaults to the first of /esp, /efi,\n"
"/boot/efi, /boot that has loader/entries.\n"
"\n"
"As /init, or as PID 1 without arguments, kexshim boots the machine; shim\n"
"kernel parameters: kexshim.esp=PARTUUID=UUID|/dev/NAME, kexshim.entry=ID,\n"
"kexshim.emergency=reboot|halt, kexshim.emergency_delay=SECONDS (10),\n"
"kexshim.verbose; network boot: kexshim.netboot=first|last|only|off,\n"
"kexshim.url=URL (a BLS entry, a UKI or a pxelinux.cfg), kexshim.net=IFNAME|MAC,\n"
"kexshim.ip=ADDR/PREFIX,GATEWAY,DNS (else DHCP), kexshim.ca=FILE,\n"
"kexshim.net_timeout=SECONDS (30).\n";

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
} commands[] = {
	{ "load", cli_load },
	{ "exec", cli_exec },
	{ "plan", cli_plan },
	{ "list", cli_list },
	{ "boot", cli_boot },
	{ "fetch", cli_fetch },
};

int main(int argc, char **argv)
{
	const char *base = argc > 0 ? strrchr(argv[0], '/') : NULL;
	size_t i;

	base = base ? base + 1 : argc > 0 ? argv[0] : "";

	if ((argc > 0 && !strcmp(argv[0], "/init")) || !strcmp(base, "init") ||
	    (getpid() == 1 && argc <= 1))
		init_main(argc, argv);
	if (argc < 2) {
		fputs("kexshim: no command given (see kexshim --help)\n", stderr);
		return CLI_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fputs(usage, stdout);
		return CLI_OK;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("kexshim %s\n", KEXSHIM_VERSION);
		return CLI_OK;
	}
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "kexshim: unknown command '%s' (see kexshim --help)\n",
		argv[1]);
	return CLI_USAGE;
}
