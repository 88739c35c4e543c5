/* test/qemu/target-bootvars.c: KEXSHIM-CHECK bootvars in the QEMU target's
 * /init (target-init.c), for the kexshim-install test: the firmware started
 * the Boot#### entry /expected/boot-entry names ("LABEL\nPATH\n"), and it is
 * first in BootOrder.  Only with that file. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "target.h"

/* An EFI global variable from efivarfs, without its 4 attribute bytes.
 * Return: its length, or -errno. */
static ssize_t efi_global(const char *name, uint8_t *buf, size_t size)
{
	char path[256];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path),
		 "/sys/firmware/efi/efivars/%s-8be4df61-93ca-11d2-aa0d-00e098032b8c", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, size);
	n = n < 0 ? -errno : n;
	close(fd);
	if (n >= 0 && n < 4)
		return -EINVAL;
	if (n > 0)
		memmove(buf, buf + 4, n - 4);
	return n < 0 ? n : n - 4;
}

/* UCS-2 (little-endian) to ASCII, '?' for the rest; stops at NUL. */
static size_t ucs2_ascii(const uint8_t *p, size_t bytes, char *out, size_t size)
{
	size_t i, n = 0;

	for (i = 0; i + 1 < bytes && n + 1 < size; i += 2) {
		unsigned c = p[i] | p[i + 1] << 8;

		if (!c)
			break;
		out[n++] = c < 0x80 ? (char)c : '?';
	}
	out[n] = '\0';
	return i;
}

/* The kexshim-install test: which Boot#### the firmware started (UEFI 2.10
 * 3.1.3: BootCurrent, BootOrder, and Boot#### = EFI_LOAD_OPTION: u32
 * Attributes, u16 FilePathListLength, Description (UCS-2, NUL), FilePathList). */
void check_bootvars(void)
{
	static uint8_t opt[8192];
	char want[512], label[256], path[256] = "", name[16], order[256] = "";
	uint8_t v[512];
	ssize_t n;
	unsigned cur, first;
	size_t off, dlen, plen, i;
	char *nl;

	if (read_file("/expected/boot-entry", want, sizeof(want)) < 0)
		return;
	nl = strchr(want, '\n');
	if (!nl) {
		check("bootvars", 0, "/expected/boot-entry wants LABEL and PATH lines");
		return;
	}
	*nl++ = '\0';
	chomp(nl);
	if ((n = efi_global("BootCurrent", v, sizeof(v))) != 2) {
		check("bootvars", 0, "BootCurrent: %s", n < 0 ? strerror(-n) : "not 2 bytes");
		return;
	}
	cur = v[0] | v[1] << 8;
	if ((n = efi_global("BootOrder", v, sizeof(v))) < 2 || n % 2) {
		check("bootvars", 0, "BootOrder: %s", n < 0 ? strerror(-n) : "malformed");
		return;
	}
	first = v[0] | v[1] << 8;
	for (i = 0; i + 1 < (size_t)n && strlen(order) + 6 < sizeof(order); i += 2)
		snprintf(order + strlen(order), sizeof(order) - strlen(order), "%s%04X",
			 i ? "," : "", v[i] | v[i + 1] << 8);
	snprintf(name, sizeof(name), "Boot%04X", cur);
	n = efi_global(name, opt, sizeof(opt));
	if (n < 8) {
		check("bootvars", 0, "%s: %s", name, n < 0 ? strerror(-n) : "too short");
		return;
	}
	plen = opt[4] | opt[5] << 8;
	dlen = ucs2_ascii(opt + 6, n - 6, label, sizeof(label)) + 2;
	/* the device path's file node(s): type 4 (media), subtype 4 (file path) */
	for (off = 6 + dlen; off + 4 <= 6 + dlen + plen && off + 4 <= (size_t)n; ) {
		unsigned type = opt[off], sub = opt[off + 1], len = opt[off + 2] | opt[off + 3] << 8;

		if (len < 4 || off + len > (size_t)n)
			break;
		if (type == 4 && sub == 4)
			ucs2_ascii(opt + off + 4, len - 4, path + strlen(path),
				   sizeof(path) - strlen(path));
		if (type == 0x7f && sub == 0xff)
			break;
		off += len;
	}
	if (strcmp(label, want))
		check("bootvars", 0, "BootCurrent %s is '%s', want '%s' (BootOrder %s)", name, label, want, order);
	else if (strcasecmp(path, nl))
		check("bootvars", 0, "%s '%s' starts '%s', want '%s'", name, label, path, nl);
	else if (first != cur)
		check("bootvars", 0, "%s '%s' is not first in BootOrder %s", name, label, order);
	else
		check("bootvars", 1, "BootCurrent %s '%s' %s, first in BootOrder %s", name, label, path, order);
}
