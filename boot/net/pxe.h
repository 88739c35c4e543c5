/* kexshim: where PXELINUX looks for its configuration, from what DHCP
 * said: the path prefix (option 210, else the boot file's directory, on
 * the next server or the boot file's URL) and the lookup order under it
 * (doc/pxelinux.txt: pxelinux.cfg/<uuid>, /01-<mac>, /<hex IP> and each
 * shorter prefix of it, /default), or option 209's file alone.  Pure: facts in, URLs out. */
#ifndef KEXSHIM_NET_PXE_H
#define KEXSHIM_NET_PXE_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

#define PXE_MAX_NAMES 12      /* mac, uuid, 8 hex IPs, default */
#define PXE_NAME_MAX 64

/* The file names (relative to the prefix) in lookup order: the UUID as
 * text (lower case; NULL or "" when unknown), "pxelinux.cfg/
 * 01-52-54-00-12-34-56" (ARP type 1, lower-case hex), the IPv4 address as 8 upper-case
 * hex digits and each shorter prefix down to one digit (none when ip is
 * 0), "pxelinux.cfg/default".  Return: how many were written (<= max). */
size_t pxe_config_names(const uint8_t mac[6], const char *uuid,
			struct in_addr ip, char names[][PXE_NAME_MAX],
			size_t max);

/* The URL relative config names start from, ending in '/': option 210
 * (prefix; a URL, or a path on the TFTP server), else the directory of
 * bootfile (a URL, or a path on the TFTP server).  server is the TFTP
 * server's address or name (siaddr, option 66, the DHCP server).
 * Return: 0, -EINVAL (kx_fail "net: ...") when there is no server for a
 * path, -ENAMETOOLONG. */
int pxe_prefix_url(const char *server, const char *bootfile,
		   const char *prefix, char *out, size_t size);

#endif
