/* kexshim: PXELINUX's config lookup (see pxe.h).  Pure. */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "lib/error.h"
#include "net/pxe.h"
#include "net/url.h"

size_t pxe_config_names(const uint8_t mac[6], const char *uuid,
			struct in_addr ip, char names[][PXE_NAME_MAX],
			size_t max)
{
	size_t n = 0, i;

	if (uuid && *uuid && strlen(uuid) < PXE_NAME_MAX - 14 && n < max) {
		snprintf(names[n], PXE_NAME_MAX, "pxelinux.cfg/%s", uuid);
		for (i = 13; names[n][i]; i++)
			names[n][i] = (char)tolower((unsigned char)names[n][i]);
		n++;
	}
	if (n < max)
		snprintf(names[n++], PXE_NAME_MAX,
			 "pxelinux.cfg/01-%02x-%02x-%02x-%02x-%02x-%02x",
			 mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
	if (ip.s_addr) {
		char hex[9];
		size_t len;

		snprintf(hex, sizeof(hex), "%08X", ntohl(ip.s_addr));
		for (len = 8; len > 0 && n < max; len--)
			snprintf(names[n++], PXE_NAME_MAX, "pxelinux.cfg/%.*s",
				 (int)len, hex);
	}
	if (n < max)
		snprintf(names[n++], PXE_NAME_MAX, "pxelinux.cfg/default");
	return n;
}

/* "tftp://server/" + path's directory part, or an IPv6 server in
 * brackets. */
static int on_server(const char *server, const char *path, size_t dirlen,
		     char *out, size_t size)
{
	bool v6 = strchr(server, ':') != NULL;
	int n;

	if (!*server)
		return kx_fail(EINVAL, "net: DHCP named the file '%.200s' but "
			       "no TFTP server", path);
	while (dirlen && *path == '/') {
		path++;
		dirlen--;
	}
	n = snprintf(out, size, "tftp://%s%s%s/%.*s", v6 ? "[" : "", server,
		     v6 ? "]" : "", (int)dirlen, path);
	if (n < 0 || (size_t)n >= size)
		return kx_fail(ENAMETOOLONG, "net: %.200s: path prefix too long",
			       path);
	return 0;
}

int pxe_prefix_url(const char *server, const char *bootfile,
		   const char *prefix, char *out, size_t size)
{
	const char *slash;
	size_t n;
	int rc;

	if (prefix && *prefix) {
		n = strlen(prefix);
		if (url_is_absolute(prefix)) {
			if (n + 2 > size)
				return kx_fail(ENAMETOOLONG, "net: %.200s: path "
					       "prefix too long", prefix);
			snprintf(out, size, "%s%s", prefix,
				 prefix[n - 1] == '/' ? "" : "/");
			return 0;
		}
		rc = on_server(server, prefix, n, out, size);
		if (rc)
			return rc;
		n = strlen(out);
		if (out[n - 1] != '/') {
			if (n + 2 > size)
				return kx_fail(ENAMETOOLONG, "net: %.200s: path "
					       "prefix too long", prefix);
			strcpy(out + n, "/");
		}
		return 0;
	}
	bootfile = bootfile ? bootfile : "";
	slash = strrchr(bootfile, '/');
	n = slash ? (size_t)(slash - bootfile) + 1 : 0;
	if (url_is_absolute(bootfile)) {
		if (n + 1 > size)
			return kx_fail(ENAMETOOLONG, "net: %.200s: path prefix "
				       "too long", bootfile);
		snprintf(out, size, "%.*s", (int)n, bootfile);
		return 0;
	}
	return on_server(server, bootfile, n, out, size);
}
