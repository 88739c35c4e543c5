/* kexshim: the Boot Loader Interface, shim side (see bli.h). */
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "common/le.h"
#include "common/utf8.h"
#include "config/bli.h"
#include "lib/error.h"
#include "lib/readfile.h"
#include "lib/warn.h"

/* UEFI variable attributes (UEFI 2.10 8.2). */
#define EFI_VARIABLE_NON_VOLATILE 0x1u
#define EFI_VARIABLE_BOOTSERVICE_ACCESS 0x2u
#define EFI_VARIABLE_RUNTIME_ACCESS 0x4u
#define VAR_MAX 65536
#define EFIVARFS_MAGIC 0xde5e81e4 /* linux/magic.h */

static int var_path(const char *root, const char *name, char *out,
		    size_t size)
{
	char rel[256];

	snprintf(rel, sizeof(rel), "%s/%s-%s", BLI_EFIVARS, name, BLI_VENDOR);
	return root_path("bli", root, rel, out, size);
}

/* efivarfs makes variables it does not know immutable (chattr +i) so a
 * stray rm cannot brick a machine; ours may go.  Not every test file
 * system has the flag: errors are ignored, write() says what is wrong. */
static void mutable(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK), flags;

	if (fd < 0)
		return;
	if (!ioctl(fd, FS_IOC_GETFLAGS, &flags) && (flags & FS_IMMUTABLE_FL)) {
		flags &= ~FS_IMMUTABLE_FL;
		ioctl(fd, FS_IOC_SETFLAGS, &flags);
	}
	close(fd);
}

size_t bli_utf16(const char *s, void *out, size_t size)
{
	const uint8_t *p = (const uint8_t *)s;
	size_t len = strlen(s), o = 0, n;
	uint8_t *d = out;
	uint32_t cp;

	while (len) {
		n = utf8_decode(p, len, &cp);
		if (!n)
			return 0;
		p += n;
		len -= n;
		if (cp >= 0x10000) {
			if (o + 4 > size)
				return 0;
			cp -= 0x10000;
			put_le16(d + o, (uint16_t)(0xd800 | cp >> 10));
			put_le16(d + o + 2, (uint16_t)(0xdc00 | (cp & 0x3ff)));
			o += 4;
		} else {
			if (o + 2 > size)
				return 0;
			put_le16(d + o, (uint16_t)cp);
			o += 2;
		}
	}
	if (o + 2 > size)
		return 0;
	put_le16(d + o, 0);
	return o + 2;
}

/* UTF-16LE (NUL-terminated or not) to UTF-8.  Return: 0 or -EINVAL. */
static int from_utf16(const uint8_t *p, size_t bytes, char *out, size_t size)
{
	size_t i, o = 0;

	for (i = 0; i + 1 < bytes; i += 2) {
		uint32_t c = get_le16(p + i);

		if (!c)
			break;
		if (c >= 0xd800 && c < 0xdc00 && i + 3 < bytes) {
			uint32_t lo = get_le16(p + i + 2);

			if (lo < 0xdc00 || lo > 0xdfff)
				return -EINVAL;
			c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
			i += 2;
		} else if (c >= 0xd800 && c <= 0xdfff) {
			return -EINVAL;
		}
		if (o + 4 >= size)
			return -EINVAL;
		if (c < 0x80) {
			out[o++] = (char)c;
		} else if (c < 0x800) {
			out[o++] = (char)(0xc0 | c >> 6);
			out[o++] = (char)(0x80 | (c & 0x3f));
		} else if (c < 0x10000) {
			out[o++] = (char)(0xe0 | c >> 12);
			out[o++] = (char)(0x80 | ((c >> 6) & 0x3f));
			out[o++] = (char)(0x80 | (c & 0x3f));
		} else {
			out[o++] = (char)(0xf0 | c >> 18);
			out[o++] = (char)(0x80 | ((c >> 12) & 0x3f));
			out[o++] = (char)(0x80 | ((c >> 6) & 0x3f));
			out[o++] = (char)(0x80 | (c & 0x3f));
		}
	}
	out[o] = '\0';
	return 0;
}

/* The raw variable: 4 bytes of attributes, then the data. */
static int get_raw(const char *root, const char *name, char **buf,
		   size_t *len)
{
	char path[512];
	int rc = var_path(root, name, path, sizeof(path));

	if (rc)
		return rc;
	if (access(path, F_OK))
		return -ENOENT;
	rc = read_file_whole("bli", path, VAR_MAX, buf, len);
	if (rc)
		return rc;
	if (*len < 4) {
		free(*buf);
		return kx_fail(EINVAL, "bli: %s: %zu bytes, no attributes", path,
			       *len);
	}
	return 0;
}

int bli_get(const char *root, const char *name, char *out, size_t size)
{
	char *buf;
	size_t len;
	int rc = get_raw(root, name, &buf, &len);

	if (rc)
		return rc;
	rc = from_utf16((const uint8_t *)buf + 4, len - 4, out, size);
	free(buf);
	if (rc)
		return kx_fail(EINVAL, "bli: %s: not a UTF-16 string", name);
	return 0;
}

int bli_set(const char *root, const char *name, const void *data,
	    size_t bytes)
{
	char path[512], *old, *buf;
	struct statfs sfs;
	size_t len;
	int fd, rc, err = 0;

	/* Unchanged: no flash write. */
	if (!get_raw(root, name, &old, &len)) {
		bool same = len - 4 == bytes && !memcmp(old + 4, data, bytes);

		free(old);
		if (same)
			return 0;
	}
	rc = var_path(root, name, path, sizeof(path));
	if (rc)
		return rc;
	buf = malloc(4 + bytes);
	if (!buf)
		return kx_fail(ENOMEM, "bli: out of memory");
	put_le32(buf, EFI_VARIABLE_NON_VOLATILE | EFI_VARIABLE_BOOTSERVICE_ACCESS |
		      EFI_VARIABLE_RUNTIME_ACCESS);
	memcpy(buf + 4, data, bytes);
	mutable(path);
	errno = 0;
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	/* efivarfs takes a variable in one write(), attributes first. */
	if (fd < 0 || write(fd, buf, 4 + bytes) != (ssize_t)(4 + bytes))
		err = errno ? errno : EIO;
	/* A plain file (the tests' fake efivars) keeps a longer old value's
	 * tail; efivarfs replaced the whole variable already. */
	if (!err && !fstatfs(fd, &sfs) && sfs.f_type != EFIVARFS_MAGIC &&
	    ftruncate(fd, (off_t)(4 + bytes)))
		err = errno;
	if (fd >= 0 && close(fd) && !err)
		err = errno;
	free(buf);
	if (err)
		return kx_fail(err, "bli: %s: %s", path, strerror(err));
	return 1;
}

/* Read a request; the one-shot ones are deleted once read. */
static void take(const char *root, const char *name, char *out, size_t size,
		 bool once, struct warnings *w)
{
	char path[512];
	int rc;

	out[0] = '\0';
	rc = bli_get(root, name, out, size);
	if (rc) {
		if (rc != -ENOENT && strstr(kx_last_error(), name))
			warn_add(w, "%s", kx_last_error());
		out[0] = '\0';
		if (rc == -ENOENT)
			return;
	}
	/* A one-shot acts on one boot, read or not: one that cannot be
	 * read would otherwise warn again on every boot, never going. */
	if (!once || var_path(root, name, path, sizeof(path)))
		return;
	mutable(path);
	if (unlink(path))
		warn_add(w, "bli: %s: cannot delete it: %s (it would act again "
			 "on the next boot)", path, strerror(errno));
}

int bli_take(const char *root, struct bli_ask *ask, struct warnings *w)
{
	char dir[512];

	memset(ask, 0, sizeof(*ask));
	if (root_path("bli", root, BLI_EFIVARS, dir, sizeof(dir)) ||
	    access(dir, F_OK))
		return -ENOENT;
	take(root, "LoaderEntryOneShot", ask->oneshot, sizeof(ask->oneshot),
	     true, w);
	take(root, "LoaderEntryDefault", ask->dflt, sizeof(ask->dflt), false, w);
	take(root, "LoaderConfigTimeoutOneShot", ask->timeout_oneshot,
	     sizeof(ask->timeout_oneshot), true, w);
	take(root, "LoaderConfigTimeout", ask->timeout, sizeof(ask->timeout),
	     false, w);
	return 0;
}

int bli_publish(const char *root, const struct entries *es,
		const struct boot_entry *e)
{
	size_t cap = 4096, n = 0, i, k;
	uint8_t *list, *grown;
	uint8_t one[2 * BLI_VALUE_MAX + 4];
	char id[BLI_VALUE_MAX];
	int rc;

	list = malloc(cap);
	if (!list)
		return kx_fail(ENOMEM, "bli: out of memory");
	for (i = 0; i < es->l.n; i++) {
		if (!es->l.v[i].id || entry_bli_id(&es->l.v[i], id, sizeof(id)))
			continue;
		k = bli_utf16(id, one, sizeof(one));
		if (!k)
			continue; /* an ID that is no string: not announced */
		if (n + k > cap) {
			grown = realloc(list, cap * 2 + k);
			if (!grown) {
				free(list);
				return kx_fail(ENOMEM, "bli: out of memory");
			}
			list = grown;
			cap = cap * 2 + k;
		}
		memcpy(list + n, one, k);
		n += k;
	}
	rc = bli_set(root, "LoaderEntries", list, n);
	free(list);
	if (rc < 0)
		return rc;
	k = entry_bli_id(e, id, sizeof(id)) ? 0 :
	    bli_utf16(id, one, sizeof(one));
	if (!k)
		return kx_fail(EINVAL, "bli: entry ID '%s' is too long or not "
			       "UTF-8", e->id);
	rc = bli_set(root, "LoaderEntrySelected", one, k);
	return rc < 0 ? rc : 0;
}
