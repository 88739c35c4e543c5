/* kexshim: kexshim.* parameters on the shim kernel's command line, and the
 * --reuse-cmdline filter.  Pure: strings in, struct out.  Runs in PID 1 on
 * /proc/cmdline and in the CLI. */
#ifndef KEXSHIM_KCMDLINE_H
#define KEXSHIM_KCMDLINE_H

#include <stdbool.h>
#include <stddef.h>

#define KC_VALUE_MAX 256
#define KC_DEFAULT_EMERGENCY_DELAY 10
#define KC_MAX_EMERGENCY_DELAY 86400

enum kc_emergency {
	KC_EMERGENCY_REBOOT, /* back to the firmware: it may try Boot#### */
	KC_EMERGENCY_HALT,   /* power off */
};

struct kcmdline {
	char esp[KC_VALUE_MAX];   /* kexshim.esp: "PARTUUID=<uuid>" or "/dev/..",
				   * "" when unset */
	char entry[KC_VALUE_MAX]; /* kexshim.entry: BLS entry ID or glob */
	enum kc_emergency emergency;
	unsigned emergency_delay; /* seconds */
	bool verbose;
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
 * false at the end of the string. */
bool kcmdline_next(const char **p, char *buf, struct kc_param *prm);

/* Fill kc with the defaults (no ESP, no entry, reboot after 10 s). */
void kcmdline_defaults(struct kcmdline *kc);

/* Parse cmdline into kc (defaults first).  Later duplicates win.  Unknown
 * kexshim.* keys and bad values are warned about (con_warn) and ignored:
 * PID 1 must boot on, not stop at a typo.  Other parameters are ignored.
 * Return: the number of warnings printed. */
int kcmdline_parse(const char *cmdline, struct kcmdline *kc);

/* Return: the PARTUUID named by kexshim.esp=PARTUUID=..., or NULL. */
const char *kcmdline_esp_partuuid(const struct kcmdline *kc);

/* Copy cmdline to out without kexshim.* parameters, BOOT_IMAGE= and
 * initrd= (which describe the running shim, not the target), keeping the
 * others as written, joined by single spaces.
 * Return: 0, or -ENAMETOOLONG when out (outsz bytes) is too small. */
int kcmdline_strip(const char *cmdline, char *out, size_t outsz);

#endif
