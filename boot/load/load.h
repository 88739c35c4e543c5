/* kexshim: turn files into a checked kexec plan.  Shared by the CLI
 * (load/plan) and PID 1 (boot).  The flow, in order:
 *   load_open_files   mmap kernel, initrd(s) (several are concatenated once),
 *                     optional dtb; read the memory map
 *   arch_ops.load     parse + validate the kernel, add kernel/initrd/boot data
 *                     items to the plan, fill purgatory args entry/regs/console
 *   purgatory_place   copy the embedded blob, place it, hash every segment
 *   plan_finish       sort and check the segments
 * after which kexec_load_plan() or plan_print_json() consumes l->plan. */
#ifndef KEXSHIM_LOAD_H
#define KEXSHIM_LOAD_H

#include <stddef.h>
#include <stdint.h>

#include "kexshim/purgatory.h"
#include "kexec/memmap.h"
#include "kexec/plan.h"

#define LOAD_MAX_INITRDS 8
#define LOAD_MAX_OWNED 16

/* What the user asked for (paths; NULL = absent). */
struct load_request {
	const char *kernel;
	const char *initrd[LOAD_MAX_INITRDS];
	size_t nr_initrd;
	const char *cmdline;  /* final command line, already merged */
	const char *dtb;      /* arm64 --dtb */
	const char *memmap;   /* --memmap FILE (saved /proc/iomem), NULL = live */
	const char *root;     /* prefix for /sys and /proc reads; "" = live system.
				 Tests point it at a fake tree. */
};

/* Mapped inputs; buffers stay valid until load_release(). */
struct load_images {
	const char *kernel_path;
	const uint8_t *kernel;
	size_t kernel_size;
	const char *initrd_desc;  /* paths joined by ", " for messages */
	const uint8_t *initrd;    /* NULL when no initrd */
	size_t initrd_size;
	const char *cmdline;      /* never NULL ("" when empty) */
	const char *dtb_path;
	const uint8_t *dtb;
	size_t dtb_size;
};

struct load {
	struct load_request req;
	struct load_images img;
	struct memmap usable;    /* RAM the planner may use */
	struct memmap firmware;  /* firmware map (iomem fallback for e820) */
	struct plan plan;
	struct purgatory_args args;  /* staged; copied into the blob copy */
	uint64_t entry;              /* kexec entry = purgatory entry */
	/* Memory owned by this load (mmaps and allocations), freed by
	 * load_release(). */
	struct { void *p; size_t len; int is_mmap; } owned[LOAD_MAX_OWNED];
	size_t n_owned;
};

/* calloc() memory that lives as long as l.  Return: NULL on ENOMEM. */
void *load_alloc(struct load *l, size_t size);

/* `root`/path (or path when root is "") into buf.
 * Return: 0, or -ENAMETOOLONG (kx_fail) when it does not fit. */
int load_path(const struct load *l, const char *path, char *buf, size_t size);

/* Read `root`/path (or path when root is "") whole into load_alloc'ed
 * memory, NUL-terminated.  Return: 0 or -errno (kx_fail names the file). */
int load_read_file(struct load *l, const char *path, char **out, size_t *len);

/* Do the whole flow above.  Return: 0 with l->plan final and l->entry set,
 * or -errno with a kx_fail() message naming the file and the reason. */
int load_prepare(struct load *l, const struct load_request *req);

/* Free everything l owns. */
void load_release(struct load *l);

#endif
