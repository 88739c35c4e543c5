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
};

struct load {
	struct load_request req;
	struct load_images img;
	struct image kernel;     /* the kernel file unwrapped (boot/image/) */
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

#endif
