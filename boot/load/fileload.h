/* kexshim: the kexec_file_load(2) flow, beside load.h's kexec_load one:
 * files in, what the syscall takes out: a kernel fd, an initrd fd and a
 * command line.  The kernel then does the rest itself (its own segments
 * and purgatory, the signature check under lockdown), so what kexshim
 * adds on that path cannot apply: no kexshim purgatory and its digests,
 * no devicetree of ours (arm64 builds the target's from its own), no
 * overlays.  The flow:
 *   the kernel file is read into private memory (what is checked is what
 *   is loaded: nothing can change it in between)
 *   a UKI: hooks->verify_uki on the whole file, then its .linux is the
 *   kernel (as signed: not unpacked further), .ucode + .initrd go before
 *   the request's initrds, its .cmdline applies unless the request gives
 *   one (and always when signed_cmdline: a signed UKI's own wins)
 *   anything else is passed as it is (a compressed kernel keeps the
 *   signature only as a whole)
 *   the initrds are joined (load_join_initrds), with room for what
 *   hooks->measure may append later (file_load_measure)
 *   kernel and initrd go into sealed memfds
 * Runs in the shim under lockdown, or for `kexshim load -s`. */
#ifndef KEXSHIM_LOAD_FILELOAD_H
#define KEXSHIM_LOAD_FILELOAD_H

#include <stdbool.h>

#include "load/load.h"

struct file_load {
	struct load_request req;
	struct arena arena;
	const uint8_t *file;     /* the kernel file, private copy */
	size_t file_size;
	struct image img;        /* kernel: the file or a UKI's .linux; a
				  * UKI's initrds and .cmdline */
	bool uki;
	const uint8_t *initrd;   /* NULL: none */
	size_t initrd_size;
	const char *initrd_desc;
	struct load_part part[LOAD_MAX_PARTS];
	size_t nr_part;
	const char *cmdline;     /* never NULL */
	int kernel_fd, initrd_fd;  /* -1 when not open */
};

/* Do the whole flow above.  signed_cmdline: a UKI's own .cmdline wins over
 * the request's (systemd-stub's rule under Secure Boot; said once per load
 * when they differ).  A request's dtb or overlays are not used (a warning
 * each).
 * Return: 0 with fl ready for kexec_file_load_fds(), or -errno with a
 * kx_fail() message naming the file. */
int file_load_prepare(struct file_load *fl, const struct load_request *req,
		      bool signed_cmdline);

/* Call hooks->measure on what fl holds (the views stay the ones the fds
 * were made from) and put what it appends into a new initrd memfd.  The
 * caller loads once without it first, so only what the kernel accepted
 * is measured.  Return: 0, or -errno (kx_fail). */
int file_load_measure(struct file_load *fl);

/* Close and free everything fl owns. */
void file_load_release(struct file_load *fl);

#endif
