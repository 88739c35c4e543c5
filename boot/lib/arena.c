/* kexshim: memory owned by one load (see arena.h).  Runs in the shim before
 * kexec_load and in `kexshim plan` anywhere.  Inputs are mmap'ed, not read:
 * a 33 MB kernel costs page-cache pages, not a copy. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/arena.h"
#include "lib/error.h"
#include "lib/readfile.h"

static void drop(void *p, size_t len, bool is_mmap)
{
	if (is_mmap)
		munmap(p, len);
	else
		free(p);
}

int arena_own(struct arena *a, void *p, size_t len, bool is_mmap)
{
	if (a->n >= ARENA_MAX) {
		drop(p, len, is_mmap);
		return -ENOMEM;
	}
	a->owned[a->n].p = p;
	a->owned[a->n].len = len;
	a->owned[a->n].is_mmap = is_mmap;
	a->n++;
	return 0;
}

void *arena_alloc(struct arena *a, size_t size)
{
	void *p = calloc(1, size ? size : 1);

	if (!p || arena_own(a, p, size, false)) {
		errno = ENOMEM;
		return NULL;
	}
	return p;
}

int arena_read_file(struct arena *a, const char *who, const char *path,
		    char **out, size_t *len)
{
	int ret;

	ret = read_file_whole(who, path, 0, out, len);
	if (ret)
		return ret;
	if (arena_own(a, *out, *len + 1, false)) {
		*out = NULL;
		return kx_fail(ENOMEM, "%s: %s: too many buffers", who, path);
	}
	return 0;
}

int arena_open_file(const char *who, const char *path, size_t *size)
{
	struct stat st;
	int fd, err;

	/* O_NONBLOCK: opening a FIFO (a hostile disk's "vmlinuz") would
	 * otherwise wait for a writer forever; it is refused below, and on
	 * a regular file the flag changes nothing */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return kx_fail(errno, "%s: %s: %s", who, path, strerror(errno));
	if (fstat(fd, &st)) {
		err = errno;
		close(fd);
		return kx_fail(err, "%s: %s: %s", who, path, strerror(err));
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return kx_fail(EINVAL, "%s: %s: not a regular file", who, path);
	}
	if (st.st_size == 0) {
		close(fd);
		return kx_fail(EINVAL, "%s: %s: empty file", who, path);
	}
	if ((uint64_t)st.st_size > SIZE_MAX) {
		close(fd);
		return kx_fail(EFBIG, "%s: %s: too large", who, path);
	}
	*size = st.st_size;
	return fd;
}

int arena_map_file(struct arena *a, const char *who, const char *path,
		   const uint8_t **out, size_t *size)
{
	char *buf = NULL;
	size_t len = 0;
	void *p;
	int fd, ret;

	fd = arena_open_file(who, path, size);
	if (fd < 0)
		return fd;
	p = mmap(NULL, *size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (p != MAP_FAILED) {
		close(fd);
		if (arena_own(a, p, *size, true))
			return kx_fail(ENOMEM, "%s: %s: too many buffers", who,
				       path);
		*out = p;
		return 0;
	}
	ret = read_fd_whole(fd, who, path, 0, &buf, &len);
	close(fd);
	if (ret)
		return ret;
	if (arena_own(a, buf, len + 1, false))
		return kx_fail(ENOMEM, "%s: %s: too many buffers", who, path);
	*size = len;
	*out = (const uint8_t *)buf;
	return 0;
}

void arena_release(struct arena *a)
{
	size_t i;

	for (i = 0; i < a->n; i++)
		drop(a->owned[i].p, a->owned[i].len, a->owned[i].is_mmap);
	memset(a, 0, sizeof(*a));
}
