/* kexshim: the kexec_file_load flow (see fileload.h).  Runs in the shim
 * before kexec_file_load, and in host tests (which stop before it). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "image/uki.h"
#include "lib/console.h"
#include "lib/error.h"
#include "lib/readfile.h"
#include "load/fileload.h"

/* The bytes in a sealed memfd: the kernel reads the fd itself, and
 * nothing, not even a bug of ours, can change it after we hashed it.
 * Return: the fd, or -errno (kx_fail). */
static int sealed_fd(const char *name, const uint8_t *data, size_t size)
{
	size_t off = 0;
	ssize_t n;
	int fd, err;

	fd = memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0)
		return kx_fail(errno, "load: memfd_create %s: %s", name,
			       strerror(errno));
	while (off < size) {
		n = write(fd, data + off, size - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			err = n < 0 ? errno : EIO;
			close(fd);
			return kx_fail(err, "load: %s: write: %s", name,
				       strerror(err));
		}
		off += (size_t)n;
	}
	if (fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE |
		  F_SEAL_SEAL)) {
		err = errno;
		close(fd);
		return kx_fail(err, "load: %s: seal: %s", name, strerror(err));
	}
	return fd;
}

/* A UKI: its sections as the kernel gets them.  .linux stays as it is:
 * its own signature covers exactly those bytes. */
static int take_uki(struct file_load *fl, bool signed_cmdline)
{
	const struct load_hooks *h = fl->req.hooks;
	static const enum uki_kind initrds[] = { UKI_UCODE, UKI_INITRD };
	const char *path = fl->req.kernel;
	struct image *img = &fl->img;
	struct uki_part p;
	struct uki u;
	size_t i;
	int err;

	if (h && h->verify_uki) {
		err = h->verify_uki(h->ctx, path, fl->file, fl->file_size);
		if (err)
			return err;
	}
	err = uki_parse("load", path, fl->file, fl->file_size, &u);
	if (!err)
		err = uki_select("load", path, &u, fl->req.uki_profile, &p);
	if (err)
		return err;
	fl->uki = true;
	snprintf(img->format, sizeof(img->format), "uki");
	if (u.nr_profiles)
		image_format_add(img, "@%d", fl->req.uki_profile < 0 ? 0 :
				 fl->req.uki_profile);
	img->kernel = p.s[UKI_LINUX].data;
	img->kernel_size = p.s[UKI_LINUX].size;
	for (i = 0; i < 2; i++) {
		const struct uki_blob *b = &p.s[initrds[i]];

		if (!b->data || !b->size)
			continue;
		img->initrd[img->nr_initrd] = b->data;
		img->initrd_size[img->nr_initrd] = b->size;
		img->initrd_name[img->nr_initrd++] = uki_section_name(initrds[i]);
	}
	if (p.s[UKI_CMDLINE].data) {
		char *c = arena_alloc(&fl->arena, p.s[UKI_CMDLINE].size + 1);

		if (!c)
			return kx_fail(ENOMEM, "load: %s: out of memory", path);
		img->cmdline = uki_cmdline_copy(&p.s[UKI_CMDLINE], c);
	}
	if (p.s[UKI_DTB].data)
		con_warn("load: %s: its .dtb is not used: kexec_file_load "
			 "gives the target the running kernel's devicetree",
			 path);
	if (signed_cmdline && img->cmdline && fl->req.cmdline &&
	    strcmp(fl->req.cmdline, img->cmdline))
		con_warn("load: %s: its signed .cmdline is used, not the "
			 "command line given", path);
	if (signed_cmdline && img->cmdline)
		fl->req.cmdline = NULL;
	return 0;
}

int file_load_measure(struct file_load *fl)
{
	const struct load_hooks *h = fl->req.hooks;
	const uint8_t *add = NULL;
	size_t add_size = 0, size = fl->initrd_size;
	size_t cap = fl->initrd_size + LOAD_APPEND_MAX;
	struct load_view v;
	int ret;

	if (!h || !h->measure)
		return 0;

	memset(&v, 0, sizeof(v));
	v.kernel_path = fl->req.kernel;
	v.file = fl->file;
	v.file_size = fl->file_size;
	v.uki = fl->uki;
	v.uki_profile = fl->req.uki_profile;
	v.kernel = fl->img.kernel;
	v.kernel_size = fl->img.kernel_size;
	memcpy(v.initrd, fl->part, sizeof(v.initrd));
	v.nr_initrd = fl->nr_part;
	v.cmdline = fl->cmdline;
	v.cmdline_from_uki = fl->img.cmdline &&
			     !strcmp(fl->cmdline, fl->img.cmdline);
	ret = h->measure(h->ctx, &v, &add, &add_size);
	if (ret || !add_size)
		return ret;
	/* file_load_prepare() left the room after the initrd. */
	ret = load_append_initrd((uint8_t *)fl->initrd, &size, cap, add,
				 add_size);
	if (ret)
		return ret;
	ret = sealed_fd("kexshim-initrd", fl->initrd, size);
	if (ret < 0)
		return ret;
	if (fl->initrd_fd >= 0)
		close(fl->initrd_fd);
	fl->initrd_fd = ret;
	fl->initrd_size = size;
	return 0;
}

int file_load_prepare(struct file_load *fl, const struct load_request *req,
		      bool signed_cmdline)
{
	bool hook = req->hooks && req->hooks->measure;
	size_t i, reserve = hook ? LOAD_APPEND_MAX : 0;
	char *buf;
	int ret;

	memset(fl, 0, sizeof(*fl));
	fl->req = *req;
	fl->kernel_fd = fl->initrd_fd = -1;
	if (!req->kernel)
		return kx_fail(EINVAL, "load: no kernel given");
	ret = read_file_whole("load", req->kernel, IMAGE_UNPACK_MAX, &buf,
			      &fl->file_size);
	if (ret)
		goto fail;
	if (arena_own(&fl->arena, buf, fl->file_size + 1, false)) {
		ret = kx_fail(ENOMEM, "load: %s: out of memory", req->kernel);
		goto fail;
	}
	fl->file = (const uint8_t *)buf;
	if (!fl->file_size) {
		ret = kx_fail(ENOEXEC, "load: %s: empty file", req->kernel);
		goto fail;
	}
	fl->img.kernel = fl->file;
	fl->img.kernel_size = fl->file_size;
	if (uki_detect(fl->file, fl->file_size)) {
		ret = take_uki(fl, signed_cmdline);
		if (ret)
			goto fail;
	}
	ret = load_join_initrds(&fl->arena, req->kernel, &fl->img, &fl->req,
				reserve, &fl->initrd, &fl->initrd_size,
				&fl->initrd_desc, fl->part, &fl->nr_part);
	if (ret)
		goto fail;
	fl->cmdline = fl->req.cmdline ? fl->req.cmdline :
		      fl->img.cmdline ? fl->img.cmdline : "";
	if (req->dtb)
		con_warn("load: %s: not used: kexec_file_load gives the target "
			 "the running kernel's devicetree", req->dtb);
	for (i = 0; i < req->nr_overlay && i < LOAD_MAX_OVERLAYS; i++)
		con_warn("load: %s: devicetree overlays cannot be applied "
			 "through kexec_file_load", req->overlay[i]);
	ret = sealed_fd("kexshim-kernel", fl->img.kernel, fl->img.kernel_size);
	if (ret < 0)
		goto fail;
	fl->kernel_fd = ret;
	if (fl->initrd_size) {
		ret = sealed_fd("kexshim-initrd", fl->initrd, fl->initrd_size);
		if (ret < 0)
			goto fail;
		fl->initrd_fd = ret;
	}
	return 0;
fail:
	file_load_release(fl);
	return ret;
}

void file_load_release(struct file_load *fl)
{
	if (fl->kernel_fd >= 0)
		close(fl->kernel_fd);
	if (fl->initrd_fd >= 0)
		close(fl->initrd_fd);
	fl->kernel_fd = fl->initrd_fd = -1;
	arena_release(&fl->arena);
	fl->file = fl->initrd = NULL;
	fl->file_size = fl->initrd_size = 0;
	fl->nr_part = 0;
}
