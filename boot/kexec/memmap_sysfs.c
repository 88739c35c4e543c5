/* kexshim: read the firmware memory map the kernel exports in
 * /sys/firmware/memmap (the boot-time e820/EFI map, untouched by later
 * reservations).  Runs in the shim when building the target's e820. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/error.h"
#include "kexec/memmap.h"
#include "lib/readfile.h"

/* Read DIR/N/FILE (a one-line sysfs attribute) into buf without the
 * trailing newline.  Return: 0 or -errno (kx_fail). */
static int read_attr(const char *dir, const char *n, const char *file,
		     char *buf, size_t size)
{
	char path[4096];
	long len;

	snprintf(path, sizeof(path), "%s/%s/%s", dir, n, file);
	len = read_file_into("memmap", path, buf, size);
	if (len < 0)
		return (int)len;
	while (len && isspace((unsigned char)buf[len - 1]))
		buf[--len] = '\0';
	if (!len)
		return kx_fail(EINVAL, "memmap: %s: empty", path);
	return 0;
}

static int read_hex_attr(const char *dir, const char *n, const char *file,
			 uint64_t *out)
{
	char buf[64], *end;
	int ret;

	ret = read_attr(dir, n, file, buf, sizeof(buf));
	if (ret)
		return ret;
	errno = 0;
	*out = strtoull(buf, &end, 16);
	if (errno || end == buf || *end)
		return kx_fail(EINVAL, "memmap: %s/%s/%s: not a number: \"%s\"",
			       dir, n, file, buf);
	return 0;
}

static uint32_t sysfs_type(const char *name)
{
	uint32_t type = memmap_type_from_name(name, strlen(name));

	/* The kernel's own default for anything it has no name for. */
	return type ? type : MEMMAP_RESERVED;
}

static int is_number(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return 0;
	return 1;
}

int memmap_read_sysfs(const char *dir, struct memmap *map)
{
	struct dirent *de;
	DIR *d;
	int ret = 0;

	map->n = 0;
	d = opendir(dir);
	if (!d)
		return kx_fail(errno, "memmap: %s: %s", dir, strerror(errno));
	while ((de = readdir(d))) {
		uint64_t start, last;
		char type[64];

		if (!is_number(de->d_name))
			continue;
		ret = read_hex_attr(dir, de->d_name, "start", &start);
		if (!ret)
			ret = read_hex_attr(dir, de->d_name, "end", &last);
		if (!ret)
			ret = read_attr(dir, de->d_name, "type", type,
					sizeof(type));
		if (ret)
			break;
		if (last < start) {
			ret = kx_fail(EINVAL, "memmap: %s/%s: end 0x%llx below start 0x%llx",
				      dir, de->d_name, (unsigned long long)last,
				      (unsigned long long)start);
			break;
		}
		if (map->n >= MEMMAP_MAX) {
			ret = kx_fail(E2BIG, "memmap: %s: more than %d ranges",
				      dir, MEMMAP_MAX);
			break;
		}
		map->r[map->n].start = start;
		/* end is inclusive in sysfs; half-open here. */
		map->r[map->n].end = last == UINT64_MAX ? UINT64_MAX : last + 1;
		map->r[map->n].type = sysfs_type(type);
		map->n++;
	}
	closedir(d);
	if (ret)
		return ret;
	if (!map->n)
		return kx_fail(ENOENT, "memmap: %s: no entries", dir);
	memmap_normalize(map);
	return 0;
}
