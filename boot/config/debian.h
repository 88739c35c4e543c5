/* kexshim: the last resort on a root file system that no boot loader
 * configures, Debian's way: the /vmlinuz and /initrd.img symlinks that
 * linux-base keeps pointing at the newest kernel.  Pure: what the caller
 * found on the partition in, one entry out.  Runs in PID 1 and the CLI
 * when the partition scanner finds no other config. */
#ifndef KEXSHIM_CONFIG_DEBIAN_H
#define KEXSHIM_CONFIG_DEBIAN_H

#include <stdbool.h>
#include <stddef.h>

struct entry_list;
struct warnings;

/* What the partition holds (the caller looked; nothing is read here). */
struct debian_root {
	bool has_vmlinuz;        /* /vmlinuz exists */
	bool has_initrd;         /* /initrd.img exists */
	const char *part_uuid;   /* the partition's PARTUUID, NULL unknown */
	const char *os_release;  /* /etc/os-release's bytes, or NULL */
	size_t os_release_len;
};

/* Append one ENTRY_DEBIAN entry for root (name: the partition, for
 * messages and entry->config): kernel /vmlinuz, initrd /initrd.img when
 * present, options "root=PARTUUID=<uuid> ro" (the kernel resolves
 * PARTUUID itself, no initramfs needed to find it), id
 * "debian-<uuid>" (or "debian"), title "<PRETTY_NAME> (/vmlinuz)" from
 * os-release, else "Debian (/vmlinuz)", version VERSION_ID, sort-key ID.
 * Without a PARTUUID (or with one that is not hex digits and dashes) the
 * entry says so in ->error "debian: NAME: reason".  os-release lines that
 * do not parse are warnings.
 * Return: 0 with the entry appended, -ENOENT (kx_fail) when there is no
 * /vmlinuz, -ENOMEM. */
int debian_entry(const char *name, const struct debian_root *root,
		 struct entry_list *out, struct warnings *w);

#endif
