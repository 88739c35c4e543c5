/* kexshim: turn files into a checked kexec plan.  Shared by the CLI
 * (load/plan) and PID 1 (boot).  The flow, in order:
 *   load_open_files   mmap kernel, initrd(s) (several are concatenated once),
 *                     optional dtb; read the memory map
 *   image_unwrap      a compressed, zboot or UKI kernel to the arch's own
 *                     format; a UKI's .ucode + .initrd go before the
 *                     request's initrds, its .cmdline and .dtb are used
 *                     when the request has none
 *   arch_ops.load     parse + validate the kernel, add kernel/initrd/boot data
 *                     items to the plan, fill purgatory args entry/regs/console
 *   purgatory_place   copy the embedded blob, place it, hash every segment
 *   plan_finish       sort and check the segments
 * after which kexec_load_plan() or plan_print_json() consumes l->plan. */
#ifndef KEXSHIM_LOAD_H
#define KEXSHIM_LOAD_H

#include <stddef.h>
#include <stdint.h>

#include "arch/arch.h"
#include "image/image.h"
#include "kexshim/purgatory.h"
#include "kexec/memmap.h"
#include "kexec/plan.h"

#define LOAD_MAX_INITRDS 8
#define LOAD_MAX_OVERLAYS 8
/* Initrd parts: a UKI's .ucode and .initrd, then the request's files. */
#define LOAD_MAX_PARTS (IMAGE_MAX_UKI_INITRDS + LOAD_MAX_INITRDS)
/* What a measure hook may append to the initrd (its event log as a cpio). */
#define LOAD_APPEND_MAX (256u << 10)

/* One part of the initrd the target gets: a view into the final buffer. */
struct load_part {
	const char *name;     /* the file, or "FILE:.initrd" for a UKI's */
	const uint8_t *data;
	size_t size;
	bool from_uki;
};

/* What a measure hook sees of a load, once every input is read and before
 * the initrd is final.  Views stay valid until the load is released. */
struct load_view {
	const char *kernel_path;
	const uint8_t *file;     /* the kernel file as read (a UKI: whole) */
	size_t file_size;
	bool uki;
	int uki_profile;
	const uint8_t *kernel;   /* what the kernel will run: the file, or a
				  * UKI's .linux (unwrapped further for
				  * kexec_load: the arch code plans that) */
	size_t kernel_size;
	struct load_part initrd[LOAD_MAX_PARTS];
	size_t nr_initrd;
	const char *cmdline;     /* never NULL */
	bool cmdline_from_uki;   /* the UKI's own .cmdline */
	const char *dtb_path;    /* NULL: none given */
	const uint8_t *dtb;
	size_t dtb_size;
	bool dtb_from_uki;
	const char *overlay_path[LOAD_MAX_OVERLAYS];
	const uint8_t *overlay[LOAD_MAX_OVERLAYS];
	size_t overlay_size[LOAD_MAX_OVERLAYS];
	size_t nr_overlay;
};

/* Callbacks of the layers above (boot/secure/): the load flow stays the
 * same, they look at what it read. */
struct load_hooks {
	/* Called once per load with everything read; may set *append to at
	 * most LOAD_APPEND_MAX bytes the initrd gets at its end (after
	 * zero padding to 4 bytes: the kernel unpacks concatenated cpio
	 * archives and skips the NULs between them).
	 * Return: 0, or -errno (kx_fail) to fail the load. */
	int (*measure)(void *ctx, const struct load_view *v,
		       const uint8_t **append, size_t *append_size);
	/* kexec_file_load only (load/fileload.c): a UKI's bytes before any
	 * section is used.  Return: 0, or -errno (kx_fail) to refuse it. */
	int (*verify_uki)(void *ctx, const char *path, const uint8_t *buf,
			  size_t len);
	void *ctx;
};

/* What the user asked for (paths; NULL = absent). */
struct load_request {
	const char *kernel;
	const char *initrd[LOAD_MAX_INITRDS];
	size_t nr_initrd;
	const char *cmdline;  /* final command line, already merged; NULL =
				 none given (a UKI's .cmdline, else "") */
	const char *dtb;      /* arm64 --dtb; NULL: a UKI's .dtb, if any */
	const char *overlay[LOAD_MAX_OVERLAYS]; /* applied to the dtb in order */
	size_t nr_overlay;
	int uki_profile;      /* a UKI's profile: -1 (or 0) = its default */
	const char *memmap;   /* --memmap FILE (saved /proc/iomem), NULL = live */
	const char *root;     /* prefix for /sys and /proc reads; "" = live system.
				 Tests point it at a fake tree. */
	const struct load_hooks *hooks; /* NULL: none */
};

struct load {
	struct load_request req;
	struct load_images img;
	const uint8_t *file;     /* the kernel file as mapped */
	size_t file_size;
	struct image kernel;     /* the kernel file unwrapped (boot/image/) */
	struct load_part part[LOAD_MAX_PARTS]; /* the initrd's parts */
	size_t nr_part;
	struct memmap usable;    /* RAM the planner may use */
	struct memmap firmware;  /* firmware map (iomem fallback for e820) */
	struct plan plan;
	struct purgatory_args args;  /* staged; copied into the blob copy */
	uint64_t entry;              /* kexec entry = purgatory entry */
	struct arena arena;          /* mmaps and allocations of this load */
};

/* What arch_ops.load sees of l: pointers into l (tests drive the arch code
 * with it on a hand-made struct load). */
void load_arch_view(struct load *l, struct arch_load *a);

/* Do the whole flow above.  Return: 0 with l->plan final and l->entry set,
 * or -errno with a kx_fail() message naming the file and the reason. */
int load_prepare(struct load *l, const struct load_request *req);

/* Free everything l owns. */
void load_release(struct load *l);

/* The initrd the target gets: img's UKI parts (.ucode, .initrd), then the
 * files of req, back to back in one buffer owned by ar (only several parts,
 * or a reserve > 0, need the copy: one part alone is its own view), with
 * reserve bytes of room after it.  Each part is recorded in part[] (at
 * most LOAD_MAX_PARTS).  kernel_path names the UKI's parts in *desc.
 * Return: 0 with *out / *size (NULL / 0 without parts and reserve),
 * *desc, *nr_part; or -errno (kx_fail "load: ..."). */
int load_join_initrds(struct arena *ar, const char *kernel_path,
		      const struct image *img, const struct load_request *req,
		      size_t reserve, const uint8_t **out, size_t *size,
		      const char **desc, struct load_part *part,
		      size_t *nr_part);

/* Append bytes to an initrd that has room for cap bytes (buf its start,
 * *size its length so far): zeros to a 4-byte boundary, then add.
 * Return: 0, or -E2BIG when it does not fit (kx_fail). */
int load_append_initrd(uint8_t *buf, size_t *size, size_t cap,
		       const uint8_t *add, size_t add_size);

#endif
