/* kexshim: files in, checked kexec plan out (the flow in load.h).  Runs in
 * the shim before kexec_load, and in `kexshim plan` on any host.  Inputs
 * are mmap'ed; only several initrds are copied, once, to concatenate them
 * (a UKI's sections are used where they lie in its mapping). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arch/arch.h"
#include "kexec/purgatory.h"
#include "lib/arena.h"
#include "lib/error.h"
#include "lib/readfile.h"
#include "load/load.h"

_Static_assert(LOAD_MAX_OVERLAYS == sizeof(((struct load_images *)0)->overlay) /
	       sizeof(((struct load_images *)0)->overlay[0]), "overlay slots");

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

/* One initrd: map it (or point into the UKI).  Several: the kernel takes
 * one initrd range, and it unpacks concatenated cpio archives in order, so
 * they go back to back into one buffer (the only copy): a UKI's .ucode and
 * .initrd first (UKI spec: microcode "handed to the kernel before any
 * other initrd"), then the request's files. */
static int load_initrds(struct load *l)
{
	const struct load_request *req = &l->req;
	const struct image *k = &l->kernel;
	int fds[LOAD_MAX_INITRDS] = { 0 };
	size_t sizes[LOAD_MAX_INITRDS] = { 0 }, total = 0, off = 0, desc_len = 1;
	size_t i, nparts = k->nr_initrd + req->nr_initrd;
	char *desc;
	uint8_t *buf;
	int ret = 0;

	if (!nparts)
		return 0;
	if (req->nr_initrd > LOAD_MAX_INITRDS)
		return kx_fail(E2BIG, "load: more than %d initrds",
			       LOAD_MAX_INITRDS);
	for (i = 0; i < k->nr_initrd; i++)
		desc_len += strlen(req->kernel) + strlen(k->initrd_name[i]) + 3;
	for (i = 0; i < req->nr_initrd; i++) {
		if (!req->initrd[i])
			return kx_fail(EINVAL, "load: initrd %zu has no path", i);
		desc_len += strlen(req->initrd[i]) + 2;
	}
	desc = arena_alloc(&l->arena, desc_len);
	if (!desc)
		return kx_fail(ENOMEM, "load: out of memory");
	for (i = 0; i < nparts; i++) {
		if (i)
			strcat(desc, ", ");
		if (i < k->nr_initrd) {
			strcat(desc, req->kernel);
			strcat(desc, ":");
			strcat(desc, k->initrd_name[i]);
		} else {
			strcat(desc, req->initrd[i - k->nr_initrd]);
		}
	}
	l->img.initrd_desc = desc;

	if (nparts == 1 && k->nr_initrd) {
		l->img.initrd = k->initrd[0];
		l->img.initrd_size = k->initrd_size[0];
		return 0;
	}
	if (nparts == 1)
		return arena_map_file(&l->arena, "load", req->initrd[0],
				      &l->img.initrd, &l->img.initrd_size);

	for (i = 0; i < k->nr_initrd; i++)
		total += k->initrd_size[i];
	for (i = 0; i < req->nr_initrd; i++) {
		ret = arena_open_file("load", req->initrd[i], &sizes[i]);
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
	if (!buf || arena_own(&l->arena, buf, total, false)) {
		ret = kx_fail(ENOMEM, "load: %s: out of memory (%zu bytes)",
			      desc, total);
		goto out;
	}
	for (i = 0; i < k->nr_initrd; i++) {
		memcpy(buf + off, k->initrd[i], k->initrd_size[i]);
		off += k->initrd_size[i];
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

/* The devicetree: the request's file, else the UKI's .dtb. */
static int load_dtb(struct load *l)
{
	const struct load_request *req = &l->req;
	char *name;

	if (req->dtb) {
		l->img.dtb_path = req->dtb;
		return arena_map_file(&l->arena, "load", req->dtb, &l->img.dtb,
				      &l->img.dtb_size);
	}
	if (!l->kernel.dtb)
		return 0;
	name = arena_alloc(&l->arena, strlen(req->kernel) + sizeof(":.dtb"));
	if (!name)
		return kx_fail(ENOMEM, "load: out of memory");
	strcpy(name, req->kernel);
	strcat(name, ":.dtb");
	l->img.dtb_path = name;
	l->img.dtb = l->kernel.dtb;
	l->img.dtb_size = l->kernel.dtb_size;
	return 0;
}

static int load_memmap(struct load *l)
{
	const char *path = l->req.memmap;
	char live[4096];
	char *text = NULL;
	size_t len = 0;
	int ret;

	if (!path) {
		ret = root_path("load", l->req.root, "/proc/iomem", live,
				sizeof(live));
		if (ret)
			return ret;
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

/* What kexec_load measures its limit against: the running kernel's RAM
 * (MemTotal); for a --memmap of another machine, the RAM it lists. */
static uint64_t ram_bytes(const struct load *l)
{
	unsigned long kb;
	char path[4096];

	if (!l->req.memmap &&
	    !root_path("load", l->req.root, "/proc/meminfo", path,
		       sizeof(path)) &&
	    !read_kb_field(path, "MemTotal", &kb))
		return (uint64_t)kb * 1024;
	return memmap_ram_bytes(&l->usable);
}

void load_arch_view(struct load *l, struct arch_load *a)
{
	memset(a, 0, sizeof(*a));
	a->root = l->req.root ? l->req.root : "";
	a->memmap_given = l->req.memmap != NULL;
	a->img = &l->img;
	a->usable = &l->usable;
	a->firmware = &l->firmware;
	a->plan = &l->plan;
	a->arena = &l->arena;
	a->args = &l->args;
}

int load_prepare(struct load *l, const struct load_request *req)
{
	struct arch_load a;
	size_t i;
	int ret;

	memset(l, 0, sizeof(*l));
	l->req = *req;
	if (!l->req.root)
		l->req.root = "";
	load_arch_view(l, &a);
	if (!req->kernel) {
		ret = kx_fail(EINVAL, "load: no kernel given");
		goto fail;
	}
	l->img.kernel_path = req->kernel;
	ret = arena_map_file(&l->arena, "load", req->kernel, &l->img.kernel,
			     &l->img.kernel_size);
	if (ret)
		goto fail;
	ret = image_unwrap(&l->arena, req->kernel, l->img.kernel,
			   l->img.kernel_size, IMAGE_UNPACK_MAX,
			   req->uki_profile, &l->kernel);
	if (ret)
		goto fail;
	l->img.kernel = l->kernel.kernel;
	l->img.kernel_size = l->kernel.kernel_size;
	l->img.kernel_format = l->kernel.format;
	ret = load_initrds(l);
	if (ret)
		goto fail;
	/* UKI spec: "If [.cmdline] is absent, the loader implementation may
	 * allow local overrides instead"; kexshim lets a given command line
	 * win over it, as systemd-stub does outside Secure Boot. */
	l->img.cmdline = req->cmdline ? req->cmdline :
			 l->kernel.cmdline ? l->kernel.cmdline : "";
	ret = load_dtb(l);
	if (ret)
		goto fail;
	if (req->nr_overlay > LOAD_MAX_OVERLAYS) {
		ret = kx_fail(E2BIG, "load: more than %d device tree overlays",
			      LOAD_MAX_OVERLAYS);
		goto fail;
	}
	for (i = 0; i < req->nr_overlay; i++) {
		l->img.overlay_path[i] = req->overlay[i];
		ret = arena_map_file(&l->arena, "load", req->overlay[i],
				     &l->img.overlay[i], &l->img.overlay_size[i]);
		if (ret)
			goto fail;
	}
	l->img.nr_overlay = req->nr_overlay;
	ret = load_memmap(l);
	if (ret)
		goto fail;
	ret = plan_init(&l->plan, &l->usable);
	if (ret)
		goto fail;
	ret = arch_ops.load(&a);
	if (ret)
		goto fail;
	ret = purgatory_place(&l->plan, &l->args, &l->arena,
			      arch_ops.purgatory_min, arch_ops.purgatory_max,
			      &l->entry);
	if (ret)
		goto fail;
	ret = plan_finish(&l->plan);
	if (!ret)
		ret = plan_check_half_ram(&l->plan, ram_bytes(l));
	if (ret)
		goto fail;
	return 0;
fail:
	load_release(l);
	return ret;
}

void load_release(struct load *l)
{
	arena_release(&l->arena);
	memset(&l->img, 0, sizeof(l->img));
	l->plan.n = 0;
	l->entry = 0;
}
