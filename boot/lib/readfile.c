/* kexshim: whole-file reads (see readfile.h). */
#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/error.h"
#include "lib/readfile.h"

int read_fd_whole(int fd, const char *who, const char *path, size_t max,
		  char **out, size_t *len)
{
	struct stat st;
	size_t cap = 4096, n = 0;
	char *buf, *nb;
	ssize_t r;

	if (!fstat(fd, &st) && S_ISREG(st.st_mode) && st.st_size > 0)
		cap = (size_t)st.st_size + 2; /* +1 NUL, +1 to see EOF */
	buf = malloc(cap);
	if (!buf)
		return kx_fail(ENOMEM, "%s: %s: out of memory", who, path);
	for (;;) {
		if (n + 1 >= cap) {
			nb = cap > SIZE_MAX / 2 ? NULL : realloc(buf, cap * 2);
			if (!nb) {
				free(buf);
				return kx_fail(ENOMEM, "%s: %s: out of memory",
					       who, path);
			}
			buf = nb;
			cap *= 2;
		}
		r = read(fd, buf + n, cap - n - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int err = errno;

			free(buf);
			return kx_fail(err, "%s: %s: %s", who, path,
				       strerror(err));
		}
		if (r == 0)
			break;
		n += r;
		if (max && n > max) {
			free(buf);
			return kx_fail(EFBIG, "%s: %s: larger than %zu bytes",
				       who, path, max);
		}
	}
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return 0;
}

int read_file_whole(const char *who, const char *path, size_t max,
		    char **out, size_t *len)
{
	/* O_NONBLOCK: a FIFO in a config file's place would block the open
	 * until a writer comes, forever in PID 1; it is refused instead
	 * (/proc, /sys and regular files read the same either way) */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	struct stat st;
	int ret;

	if (fd < 0)
		return kx_fail(errno, "%s: %s: %s", who, path, strerror(errno));
	if (!fstat(fd, &st) && (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode))) {
		close(fd);
		return kx_fail(EINVAL, "%s: %s: not a regular file", who, path);
	}
	ret = read_fd_whole(fd, who, path, max, out, len);
	close(fd);
	return ret;
}

long read_file_into(const char *who, const char *path, char *buf, size_t size)
{
	size_t n = 0;
	ssize_t r;
	int fd, ret = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return kx_fail(errno, "%s: %s: %s", who, path, strerror(errno));
	/* One byte more than fits tells "too large" from "exactly path". */
	for (;;) {
		char extra;

		if (n + 1 < size)
			r = read(fd, buf + n, size - 1 - n);
		else
			r = read(fd, &extra, 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			ret = kx_fail(errno, "%s: %s: %s", who, path,
				      strerror(errno));
			break;
		}
		if (r == 0)
			break;
		if (n + 1 >= size) {
			ret = kx_fail(EFBIG, "%s: %s: larger than %zu bytes",
				      who, path, size - 1);
			break;
		}
		n += r;
	}
	close(fd);
	if (ret)
		return ret;
	buf[n] = '\0';
	return (long)n;
}

int root_path(const char *who, const char *root, const char *path, char *buf,
	      size_t size)
{
	if (!root)
		root = "";
	if ((size_t)snprintf(buf, size, "%s%s", root, path) >= size)
		return kx_fail(ENAMETOOLONG, "%s: %s%s: path too long", who, root,
			       path);
	return 0;
}

bool root_exists(const char *root, const char *path)
{
	char full[4096];

	if ((size_t)snprintf(full, sizeof(full), "%s%s", root ? root : "",
			     path) >= sizeof(full))
		return false;
	return !access(full, F_OK);
}

long root_read_into(const char *who, const char *root, const char *path,
		    char *buf, size_t size)
{
	char full[4096];
	int ret;

	ret = root_path(who, root, path, full, sizeof(full));
	if (ret)
		return ret;
	return read_file_into(who, full, buf, size);
}

int root_read_u64(const char *who, const char *root, const char *path,
		  uint64_t *out)
{
	char buf[64], *end;
	long n;

	n = root_read_into(who, root, path, buf, sizeof(buf));
	if (n < 0)
		return (int)n;
	errno = 0;
	*out = strtoull(buf, &end, 0);
	while (*end == '\n' || *end == ' ')
		end++;
	if (errno || end == buf || *end || buf[0] == '-')
		return kx_fail(EINVAL, "%s: %s%s: not a number: \"%.*s\"", who,
			       root ? root : "", path, (int)strcspn(buf, "\n"),
			       buf);
	return 0;
}

int read_kb_field(const char *path, const char *key, unsigned long *kb)
{
	size_t klen = strlen(key);
	char line[256];
	FILE *f = fopen(path, "re");
	int rc = -ENOENT;

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, key, klen) || line[klen] != ':')
			continue;
		if (sscanf(line + klen + 1, "%lu", kb) == 1)
			rc = 0;
		else
			rc = -EINVAL;
		break;
	}
	fclose(f);
	return rc;
}
