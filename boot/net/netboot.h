/* kexshim: the network's boot entries and their files.  What to boot is,
 * in this order: kexshim.url=; a boot file DHCP gave as a URL (UEFI HTTP
 * Boot, vendor class "HTTPClient"), or DHCPv6's boot file URL; otherwise
 * PXELINUX's lookup under the DHCP path prefix (pxe.h), option 209's
 * file alone when given.  A URL's file is read by what it holds: a UKI
 * ("MZ"), a syslinux-style file (a LABEL line: pxelinux.cfg), else a Boot
 * Loader Specification Type #1 entry.  Each becomes ENTRY_NET entries
 * ("net:" + its id) whose files are absolute URLs: a BLS entry's paths
 * resolve against its own URL (RFC 3986), a pxelinux.cfg's against the
 * path prefix (the directory above pxelinux.cfg/ for kexshim.url).  The
 * files are fetched only when the entry is tried, into sealed memfds the
 * loader reads through /proc/self/fd, pinned digests checked.  Runs in
 * PID 1 (and the CLI, for `boot --dry-run`). */
#ifndef KEXSHIM_NET_NETBOOT_H
#define KEXSHIM_NET_NETBOOT_H

#include <stddef.h>

#include "config/entries.h"
#include "config/entry.h"

struct net_info;
struct load_request;
struct warnings;

#define NETBOOT_MAX_FILES (1 + ENTRY_MAX_INITRDS + 1 + ENTRY_MAX_OVERLAYS)

/* Append the network's entries to out: from url ("" = from DHCP as
 * above; info may be NULL then only url works).  ca: the CA bundle for
 * https (NULL: the default); bls_arch marks other arches' entries broken.
 * Warnings of the parsers go to w.
 * Return: the number of entries appended (0 when DHCP names nothing to
 * boot), or -errno (kx_fail "net: URL: reason": the config could not be
 * fetched or read). */
int netboot_entries(const char *url, const struct net_info *info,
		    const char *ca, const char *bls_arch,
		    struct entry_list *out, struct warnings *w);

/* The files of an entry fetched for one try. */
struct netboot_files {
	int fd[NETBOOT_MAX_FILES];
	size_t n;
};

/* Fetch e's files (kernel, initrds, devicetree, overlays; each checked
 * against its pin) into memory, at most half of what is available (the
 * other half is kexec_load's copy), and fill req (zeroed first) with
 * their paths in paths, e's options, the live system for the rest.
 * Return: 0, or -errno (kx_fail "net: URL: reason") with nothing kept. */
int netboot_request(const struct boot_entry *e, const char *ca,
		    struct entry_paths *paths, struct load_request *req,
		    struct netboot_files *f);

/* Close what netboot_request() fetched (the loader has mapped it). */
void netboot_release(struct netboot_files *f);

/* Forget the files fetched while entries were read (a UKI). */
void netboot_forget(void);

#endif
