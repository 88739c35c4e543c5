/* kexshim: files in, checked kexec plan out (the flow in load.h).  Runs in
 * the shim before kexec_load, and in `kexshim plan` on any host.  Inputs
 * are mmap'ed; only several initrds are copied, once, to concatenate them. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arch/arch.h"
#include "lib/error.h"
#include "kexec/purgatory.h"
#include "load/load.h"
#include "lib/readfile.h"

static int own(struct load *l, void *p, size_t len, int is_mmap)
{
	if (l->n_owned >= LOAD_MAX_OWNED)
		return -ENOMEM;
	l->owned[l->n_owned].p = p;
	l->owned[l->n_owned].len = len;
	l->owned[l->n_owned].is_mmap = is_mmap;
	l->n_owned++;
	return 0;
}

void *load_alloc(struct load *l, size_t size)
{
	void *p = calloc(1, size ? size : 1);

	if (p && own(l, p, size, 0)) {
		free(p);
		p = NULL;
	}
	if (!p)
		errno = ENOMEM;
	return p;
}

int load_path(const struct load *l, const char *path, char *buf, size_t size)
{
	const char *root = l->req.root ? l->req.root : "";

	if ((size_t)snprintf(buf, size, "%s%s", root, path) >= size)
		return kx_fail(ENAMETOOLONG, "load: %s%s: path too long", root,
			       path);
	return 0;
}

int load_read_file(struct load *l, const char *path, char **out, size_t *len)
{
	char full[4096];
	int ret;

	ret = load_path(l, path, full, sizeof(full));
	if (ret)
		return ret;
	ret = read_file_whole("load", full, 0, out, len);
	if (ret)
		return ret;
	if (own(l, *out, *len + 1, 0)) {
		free(*out);
		*out = NULL;
		return kx_fail(ENOMEM, "load: %s: too many buffers", full);
	}
	return 0;
}

/* Open a regular, non-empty file.  Return: fd or -errno (kx_fail). */
static int open_image(const char *path, size_t *size)
{
	struct stat st;
	int fd, err;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return kx_fail(errno, "load: %s: %s", path, strerror(errno));
	if (fstat(fd, &st)) {
		err = errno;
		close(fd);
		return kx_fail(err, "load: %s: %s", path, strerror(err));
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return kx_fail(EINVAL, "load: %s: not a regular file", path);
	}
	if (st.st_size == 0) {
		close(fd);
		return kx_fail(EINVAL, "load: %s: empty file", path);
	}
	if ((uint64_t)st.st_size > SIZE_MAX) {
		close(fd);
		return kx_fail(EFBIG, "load: %s: too large", path);
	}
	*size = st.st_size;
	return fd;
}

/* Map path read-only, owned by l.  Falls back to reading it when the file
 * system cannot mmap.  Return: 0 or -errno (kx_fail names the file). */
static int map_image(struct load *l, const char *path, const uint8_t **out,
		     size_t *size)
{
	char *buf = NULL;
	void *p;
	size_t len = 0;
	int fd, ret;

	fd = open_image(path, size);
	if (fd < 0)
		return fd;
	p = mmap(NULL, *size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (p != MAP_FAILED) {
		close(fd);
		if (own(l, p, *size, 1)) {
			munmap(p, *size);
			return kx_fail(ENOMEM, "load: %s: too many buffers",
				       path);
		}
		*out = p;
		return 0;
	}
	ret = read_fd_whole(fd, "load", path, 0, &buf, &len);
	close(fd);
	if (ret)
		return ret;
	if (own(l, buf, len + 1, 0)) {
		free(buf);
		return kx_fail(ENOMEM, "load: %s: too many buffers", path);
	}
	*size = len;
	*out = (const uint8_t *)buf;
	return 0;
}

/* Read all of fd (size bytes) into dst.  Return: 0 or -errno (kx_fail). */
static int read_exact(int fd, const char *path, uint8_t *dst, size_t size)
{
	size_t n = 0;
	ssize_t r;

	while (n < size) {
		r = read(fd, dst + n, size - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return kx_fail(errno, "load: %s: %s", path,
				       strerror(errno));
		if (r == 0)
			return kx_fail(EIO, "load: %s: file shrank while reading",
				       path);
		n += r;
	}
	return 0;
}

/* One initrd: map it.  Several: the kernel takes one initrd range, and it
 * unpacks concatenated cpio archives in order, so read them back to back
 * into one buffer (the only copy). */
static int load_initrds(struct load *l)
{
	const struct load_request *req = &l->req;
	int fds[LOAD_MAX_INITRDS] = { 0 };
	size_t sizes[LOAD_MAX_INITRDS] = { 0 }, total = 0, off = 0, desc_len = 1;
	size_t i;
	char *desc;
	uint8_t *buf;
	int ret = 0;

	if (!req->nr_initrd)
		return 0;
	if (req->nr_initrd > LOAD_MAX_INITRDS)
		return kx_fail(E2BIG, "load: more than %d initrds",
			       LOAD_MAX_INITRDS);
	for (i = 0; i < req->nr_initrd; i++) {
		if (!req->initrd[i])
			return kx_fail(EINVAL, "load: initrd %zu has no path", i);
		desc_len += strlen(req->initrd[i]) + 2;
	}
	desc = load_alloc(l, desc_len);
	if (!desc)
		return kx_fail(ENOMEM, "load: out of memory");
	for (i = 0; i < req->nr_initrd; i++) {
		if (i)
			strcat(desc, ", ");
		strcat(desc, req->initrd[i]);
	}
	l->img.initrd_desc = desc;

	if (req->nr_initrd == 1)
		return map_image(l, req->initrd[0], &l->img.initrd,
				 &l->img.initrd_size);

	for (i = 0; i < req->nr_initrd; i++) {
		ret = open_image(req->initrd[i], &sizes[i]);
		if (ret < 0)
			goto out;
		fds[i] = ret;
		ret = 0;
		if (total + sizes[i] < total) {
			i++;
			ret = kx_fail(EFBIG, "load: initrds are too large");
			goto out;
		}
		total += sizes[i];
	}
	buf = malloc(total);
	if (!buf || own(l, buf, total, 0)) {
		free(buf);
		ret = kx_fail(ENOMEM, "load: %s: out of memory (%zu bytes)",
			      desc, total);
		goto out;
	}
	for (i = 0; i < req->nr_initrd && !ret; i++) {
		ret = read_exact(fds[i], req->initrd[i], buf + off, sizes[i]);
		off += sizes[i];
	}
	i = req->nr_initrd;
	if (!ret) {
		l->img.initrd = buf;
		l->img.initrd_size = total;
	}
out:
	/* i is the number of fds opened so far. */
	while (i-- > 0)
		close(fds[i]);
	return ret;
}

static int load_memmap(struct load *l)
{
	const char *path = l->req.memmap;
	char live[4096];
	char *text = NULL;
	size_t len = 0;
	int ret;

	if (!path) {
		snprintf(live, sizeof(live), "%s/proc/iomem", l->req.root);
		path = live;
	}
	/* Only needed while parsing: not kept in l. */
	ret = read_file_whole("load", path, 0, &text, &len);
	if (ret)
		return ret;
	ret = memmap_parse_iomem(path, text, len, &l->firmware, &l->usable);
	free(text);
	return ret;
}

int load_prepare(struct load *l, const struct load_request *req)
{
	int ret;

	memset(l, 0, sizeof(*l));
	l->req = *req;
	if (!l->req.root)
		l->req.root = "";
	if (!req->kernel) {
		ret = kx_fail(EINVAL, "load: no kernel given");
		goto fail;
	}
	l->img.kernel_path = req->kernel;
	ret = map_image(l, req->kernel, &l->img.kernel, &l->img.kernel_size);
	if (ret)
		goto fail;
	ret = load_initrds(l);
	if (ret)
		goto fail;
	l->img.cmdline = req->cmdline ? req->cmdline : "";
	if (req->dtb) {
		l->img.dtb_path = req->dtb;
		ret = map_image(l, req->dtb, &l->img.dtb, &l->img.dtb_size);
		if (ret)
			goto fail;
	}
	ret = load_memmap(l);
	if (ret)
		goto fail;
	ret = plan_init(&l->plan, &l->usable);
	if (ret)
		goto fail;
	ret = arch_ops.load(l);
	if (ret)
		goto fail;
	ret = purgatory_place(l);
	if (ret)
		goto fail;
	ret = plan_finish(&l->plan);
	if (ret)
		goto fail;
	return 0;
fail:
	load_release(l);
	return ret;
}

void load_release(struct load *l)
{
	size_t i;

	for (i = 0; i < l->n_owned; i++) {
		if (l->owned[i].is_mmap)
			munmap(l->owned[i].p, l->owned[i].len);
		else
			free(l->owned[i].p);
	}
	memset(l->owned, 0, sizeof(l->owned));
	l->n_owned = 0;
	memset(&l->img, 0, sizeof(l->img));
	l->plan.n = 0;
	l->entry = 0;
}
