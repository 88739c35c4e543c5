/* kexshim: the running kernel's command line: the one reader of
 * /proc/cmdline, its kexshim.* parameters, and the --reuse-cmdline filter.
 * Pure but for kcmdline_read(): strings in, struct out.  Runs in PID 1 and
 * in the CLI.  Everything after a bare "--" is init's argv, not parameters
 * (the kernel's own rule, kernel/params.c parse_args()): kcmdline_next()
 * stops there, so no kexshim.* there counts. */
#ifndef KEXSHIM_KCMDLINE_H
#define KEXSHIM_KCMDLINE_H

#include <stdbool.h>
#include <stddef.h>

#define KC_VALUE_MAX 256
/* Longer than any arch's COMMAND_LINE_SIZE (x86 and arm64: 2048). */
#define KC_CMDLINE_MAX 8192
#define KC_DEFAULT_EMERGENCY_DELAY 10
#define KC_MAX_EMERGENCY_DELAY 86400

#define KC_URL_MAX 1024

/* kexshim.netboot: where the network's entries go among the local ones. */
enum kc_netboot {
	KC_NETBOOT_AUTO,  /* unset: first when kexshim.url/net/ip is given,
			   * last when no local entry can boot, else off */
	KC_NETBOOT_FIRST,
	KC_NETBOOT_LAST,
	KC_NETBOOT_ONLY,
	KC_NETBOOT_OFF,
};

enum kc_emergency {
	KC_EMERGENCY_REBOOT, /* back to the firmware: it may try Boot#### */
	KC_EMERGENCY_HALT,   /* power off */
};

struct warnings;

struct kcmdline {
	char esp[KC_VALUE_MAX];   /* kexshim.esp: "PARTUUID=<uuid>" or "/dev/..",
				   * "" when unset */
	char entry[KC_VALUE_MAX]; /* kexshim.entry: BLS entry ID or glob */
	enum kc_emergency emergency;
	unsigned emergency_delay; /* seconds */
	bool verbose;
	char menu[16];            /* kexshim.menu: "auto", "force", "never";
				   * boot/menu/ reads it ("" = auto) */
	/* Network boot; boot/net/ checks the values it parses itself. */
	enum kc_netboot netboot;  /* kexshim.netboot */
	char url[KC_URL_MAX];     /* kexshim.url: a BLS entry, UKI or
				   * pxelinux.cfg to boot; "" = from DHCP */
	char net[KC_VALUE_MAX];   /* kexshim.net: IFNAME or MAC; "" = all */
	char ip[KC_VALUE_MAX];    /* kexshim.ip: ADDR/PREFIX,GATEWAY,DNS */
	char ca[KC_VALUE_MAX];    /* kexshim.ca: CA bundle for https */
	unsigned net_timeout;     /* kexshim.net_timeout: seconds, 0 = default */
};

/* One parameter as the kernel splits the command line (parse_args() in
 * init/main.c): whitespace separates parameters except inside double
 * quotes; quotes around the whole parameter or around the value are not
 * part of the value. */
struct kc_param {
	const char *raw;   /* as written, quotes included */
	size_t raw_len;
	const char *key;   /* points into the caller's buffer */
	const char *value; /* NULL when there is no '=' */
};

/* Split the next parameter off *p.  buf (at least strlen(*p) + 1 bytes)
 * receives key and value.  Return: true with *prm filled and *p advanced,
 * false at the end of the string or at a bare "--" (*p is left on it). */
bool kcmdline_next(const char **p, char *buf, struct kc_param *prm);

/* Return: where init's arguments start in cmdline (the "--" token), or
 * NULL when there are none. */
const char *kcmdline_init_args(const char *cmdline);

/* Read root/proc/cmdline into buf (size >= KC_CMDLINE_MAX is enough), the
 * trailing newline removed.  root "" is the live system.
 * Return: 0 or -errno (kx_fail "kcmdline: PATH: reason"). */
int kcmdline_read(const char *root, char *buf, size_t size);

/* Fill kc with the defaults (no ESP, no entry, reboot after 10 s). */
void kcmdline_defaults(struct kcmdline *kc);

/* Parse cmdline into kc (defaults first).  Later duplicates win.  Unknown
 * kexshim.* keys and bad values become warnings in w (may be NULL) and are
 * ignored: PID 1 must boot on, not stop at a typo.  Other parameters are
 * ignored.  Return: the number of warnings. */
int kcmdline_parse(const char *cmdline, struct kcmdline *kc,
		   struct warnings *w);

/* Return: the PARTUUID named by kexshim.esp=PARTUUID=..., or NULL. */
const char *kcmdline_esp_partuuid(const struct kcmdline *kc);

/* Copy cmdline to out without kexshim.* parameters, BOOT_IMAGE= and
 * initrd= (which describe the running shim, not the target), keeping the
 * others as written, joined by single spaces, then init's arguments (from
 * "--" on) as written.
 * Return: 0, or -ENAMETOOLONG when out (outsz bytes) is too small. */
int kcmdline_strip(const char *cmdline, char *out, size_t outsz);

#endif
