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

/* One initrd: map it (or point into the UKI).  Several, or room to
 * append: the kernel takes one initrd range, and it unpacks concatenated
 * cpio archives in order, so they go back to back into one buffer (the
 * only copy): a UKI's .ucode and .initrd first (UKI spec: microcode
 * "handed to the kernel before any other initrd"), then the request's
 * files. */
int load_join_initrds(struct arena *ar, const char *kernel_path,
		      const struct image *k, const struct load_request *req,
		      size_t reserve, const uint8_t **out, size_t *size,
		      const char **descp, struct load_part *part,
		      size_t *nr_part)
{
	int fds[LOAD_MAX_INITRDS] = { 0 };
	size_t sizes[LOAD_MAX_INITRDS] = { 0 }, total = 0, off = 0, desc_len = 1;
	size_t i, nparts = k->nr_initrd + req->nr_initrd;
	char *desc, *name;
	uint8_t *buf;
	int ret = 0;

	*out = NULL;
	*size = 0;
	*descp = NULL;
	*nr_part = 0;
	if (!nparts && !reserve)
		return 0;
	if (req->nr_initrd > LOAD_MAX_INITRDS)
		return kx_fail(E2BIG, "load: more than %d initrds",
			       LOAD_MAX_INITRDS);
	for (i = 0; i < k->nr_initrd; i++)
		desc_len += strlen(kernel_path) + strlen(k->initrd_name[i]) + 3;
	for (i = 0; i < req->nr_initrd; i++) {
		if (!req->initrd[i])
			return kx_fail(EINVAL, "load: initrd %zu has no path", i);
		desc_len += strlen(req->initrd[i]) + 2;
	}
	/* desc for messages ("a, b"), names: the same parts NUL-separated. */
	desc = arena_alloc(ar, 2 * desc_len);
	if (!desc)
		return kx_fail(ENOMEM, "load: out of memory");
	name = desc + desc_len;
	for (i = 0; i < nparts; i++) {
		if (i)
			strcat(desc, ", ");
		part[i].name = name;
		part[i].from_uki = i < k->nr_initrd;
		if (i < k->nr_initrd)
			name += sprintf(name, "%s:%s", kernel_path,
					k->initrd_name[i]) + 1;
		else
			name += sprintf(name, "%s", req->initrd[i - k->nr_initrd]) + 1;
		strcat(desc, part[i].name);
	}
	*descp = desc;
	*nr_part = nparts;

	if (nparts == 1 && k->nr_initrd && !reserve) {
		part[0].data = *out = k->initrd[0];
		part[0].size = *size = k->initrd_size[0];
		return 0;
	}
	if (nparts == 1 && !reserve) {
		ret = arena_map_file(ar, "load", req->initrd[0], out, size);
		part[0].data = *out;
		part[0].size = *size;
		return ret;
	}

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
	if (total + reserve < total) {
		ret = kx_fail(EFBIG, "load: initrds are too large");
		goto out;
	}
	buf = malloc(total + reserve ? total + reserve : 1);
	if (!buf || arena_own(ar, buf, total + reserve, false)) {
		ret = kx_fail(ENOMEM, "load: %s: out of memory (%zu bytes)",
			      nparts ? desc : "initrd", total + reserve);
		goto out;
	}
	for (i = 0; i < k->nr_initrd; i++) {
		memcpy(buf + off, k->initrd[i], k->initrd_size[i]);
		part[i].data = buf + off;
		part[i].size = k->initrd_size[i];
		off += k->initrd_size[i];
	}
	for (i = 0; i < req->nr_initrd && !ret; i++) {
		ret = read_exact(fds[i], req->initrd[i], buf + off, sizes[i]);
		part[k->nr_initrd + i].data = buf + off;
		part[k->nr_initrd + i].size = sizes[i];
		off += sizes[i];
	}
	i = req->nr_initrd;
	if (!ret) {
		*out = buf;
		*size = total;
	}
out:
	/* i is the number of fds opened so far. */
	while (i-- > 0)
		close(fds[i]);
	return ret;
}

int load_append_initrd(uint8_t *buf, size_t *size, size_t cap,
		       const uint8_t *add, size_t add_size)
{
	size_t pad = (4 - (*size & 3)) & 3;

	if (*size > cap || pad + add_size > cap - *size)
		return kx_fail(E2BIG, "load: %zu bytes do not fit after the "
			       "%zu-byte initrd (room for %zu)", add_size,
			       *size, cap);
	memset(buf + *size, 0, pad);
	memcpy(buf + *size + pad, add, add_size);
	*size += pad + add_size;
	return 0;
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

/* The measure hook (load_hooks): everything read, then whatever it
 * returns goes at the end of the initrd. */
static int load_measure(struct load *l, size_t cap)
{
	const struct load_hooks *h = l->req.hooks;
	const uint8_t *add = NULL;
	struct load_view v;
	size_t i, add_size = 0, size = l->img.initrd_size;
	int ret;

	memset(&v, 0, sizeof(v));
	v.kernel_path = l->req.kernel;
	v.file = l->file;
	v.file_size = l->file_size;
	v.uki = !strncmp(l->kernel.format, "uki", 3);
	v.uki_profile = l->req.uki_profile;
	v.kernel = l->img.kernel;
	v.kernel_size = l->img.kernel_size;
	memcpy(v.initrd, l->part, sizeof(v.initrd));
	v.nr_initrd = l->nr_part;
	v.cmdline = l->img.cmdline;
	v.cmdline_from_uki = l->kernel.cmdline &&
			     !strcmp(l->img.cmdline, l->kernel.cmdline);
	v.dtb_path = l->img.dtb_path;
	v.dtb = l->img.dtb;
	v.dtb_size = l->img.dtb_size;
	v.dtb_from_uki = !l->req.dtb && l->kernel.dtb;
	for (i = 0; i < l->img.nr_overlay; i++) {
		v.overlay_path[i] = l->img.overlay_path[i];
		v.overlay[i] = l->img.overlay[i];
		v.overlay_size[i] = l->img.overlay_size[i];
	}
	v.nr_overlay = l->img.nr_overlay;
	ret = h->measure(h->ctx, &v, &add, &add_size);
	if (ret)
		return ret;
	if (add_size) {
		/* load_join_initrds() made the buffer ours, with the room. */
		ret = load_append_initrd((uint8_t *)l->img.initrd, &size, cap,
					 add, add_size);
		if (ret)
			return ret;
	}
	l->img.initrd_size = size;
	if (!size)
		l->img.initrd = NULL;
	return 0;
}

int load_prepare(struct load *l, const struct load_request *req)
{
	bool measure = req->hooks && req->hooks->measure;
	size_t reserve = measure ? LOAD_APPEND_MAX : 0;
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
	ret = arena_map_file(&l->arena, "load", req->kernel, &l->file,
			     &l->file_size);
	if (ret)
		goto fail;
	ret = image_unwrap(&l->arena, req->kernel, l->file, l->file_size,
			   IMAGE_UNPACK_MAX, req->uki_profile, &l->kernel);
	if (ret)
		goto fail;
	l->img.kernel = l->kernel.kernel;
	l->img.kernel_size = l->kernel.kernel_size;
	l->img.kernel_format = l->kernel.format;
	ret = load_join_initrds(&l->arena, req->kernel, &l->kernel, &l->req,
				reserve, &l->img.initrd, &l->img.initrd_size,
				&l->img.initrd_desc, l->part, &l->nr_part);
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
	if (!ret)
		ret = arch_ops.load(&a);
	/* Measured only once the arch code took the kernel: a broken entry
	 * leaves the PCRs alone.  The initrd then grows by what the hook
	 * appends, so the arch code plans again (no hashing happened yet). */
	if (!ret && measure)
		ret = load_measure(l, l->img.initrd_size + reserve);
	if (!ret && measure)
		ret = plan_init(&l->plan, &l->usable);
	if (!ret && measure)
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
	l->file = NULL;
	l->file_size = 0;
	l->nr_part = 0;
	l->plan.n = 0;
	l->entry = 0;
}
