/* kexshim: newc cpio writer (see cpio.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "secure/cpio.h"

struct w {
	uint8_t *out;
	size_t cap, len;
	unsigned ino;
};

static void put(struct w *w, const void *p, size_t n)
{
	if (w->len <= w->cap && n <= w->cap - w->len)
		memcpy(w->out + w->len, p, n);
	w->len += n;
}

static void pad4(struct w *w)
{
	static const uint8_t zero[3];

	put(w, zero, (4 - (w->len & 3)) & 3);
}

/* One entry: header, name (NUL counted in namesize), data. */
static void entry(struct w *w, const char *name, size_t name_len,
		  unsigned mode, const uint8_t *data, size_t len)
{
	char h[CPIO_NEWC_HEADER_LEN + 1];

	/* c_magic, then c_ino c_mode c_uid c_gid c_nlink c_mtime c_filesize
	 * c_devmajor c_devminor c_rdevmajor c_rdevminor c_namesize c_check,
	 * eight hex digits each. */
	snprintf(h, sizeof(h), "070701%08x%08x%08x%08x%08x%08x%08x%08x%08x"
		 "%08x%08x%08x%08x", mode ? ++w->ino : 0, mode, 0, 0,
		 S_ISDIR(mode) ? 2 : 1, 0, (unsigned)len, 0, 0, 0, 0,
		 (unsigned)name_len + 1, 0);
	put(w, h, CPIO_NEWC_HEADER_LEN);
	put(w, name, name_len);
	put(w, "", 1);
	pad4(w);
	if (len) {
		put(w, data, len);
		pad4(w);
	}
}

long cpio_one_file(const char *path, const uint8_t *data, size_t len,
		   unsigned mode, uint8_t *out, size_t cap)
{
	struct w w = { out, cap, 0, 0 };
	const char *s;

	if (!*path || *path == '/' || strstr(path, "//") || strstr(path, "..") ||
	    path[strlen(path) - 1] == '/' || len > 0xffffffffu)
		return -EINVAL;
	for (s = strchr(path, '/'); s; s = strchr(s + 1, '/'))
		entry(&w, path, (size_t)(s - path), S_IFDIR | 0555, NULL, 0);
	entry(&w, path, strlen(path), S_IFREG | (mode & 07777), data, len);
	entry(&w, "TRAILER!!!", 10, 0, NULL, 0);
	return (long)w.len;
}
