/* kexshim x86_64: the one "boot_params" segment: boot_params, command
 * line, setup_data chain and EFI memory map in a single buffer, so they
 * take one kexec segment of the 16 and one page run below 4 GiB.  Runs in
 * arch_ops.load; physical addresses are filled in after planning. */
#include <errno.h>
#include <string.h>

#include "lib/error.h"
#include "arch/arch.h"
#include "arch/x86_64/x86.h"

/* setup_data headers hold 64-bit fields: keep everything 8-byte aligned. */
#define SEG_ALIGN 8u

static size_t align8(size_t x)
{
	return (x + SEG_ALIGN - 1) & ~(size_t)(SEG_ALIGN - 1);
}

size_t x86_seg_sd_size(size_t len)
{
	return align8(sizeof(struct setup_data) + len);
}

int x86_seg_init(struct arch_load *ld, struct x86_seg *s, size_t cap)
{
	memset(s, 0, sizeof(*s));
	cap = align8(cap);
	if (cap < sizeof(struct boot_params))
		cap = sizeof(struct boot_params);
	s->buf = arena_alloc(ld->arena, cap);
	if (!s->buf)
		return kx_fail(ENOMEM, "x86_64: boot_params: out of memory (%zu bytes)",
			       cap);
	s->cap = cap;
	s->len = sizeof(struct boot_params);
	return 0;
}

size_t x86_seg_append(struct x86_seg *s, size_t len)
{
	size_t off = align8(s->len);

	/* A sizing bug in the caller, never input: fail loudly. */
	if (off > s->cap || s->cap - off < len)
		__builtin_trap();
	s->len = off + len;
	return off;
}

void *x86_seg_add_sd(struct x86_seg *s, uint32_t type, uint32_t len)
{
	struct setup_data *sd;
	size_t off;

	if (s->n_sd >= X86_SEG_MAX_SD)
		__builtin_trap();
	off = x86_seg_append(s, x86_seg_sd_size(len));
	sd = (struct setup_data *)(s->buf + off);
	sd->next = 0;
	sd->type = type;
	sd->len = len;
	s->sd[s->n_sd++] = off;
	return sd->data;
}

void x86_seg_link(struct x86_seg *s, uint64_t phys)
{
	struct boot_params *bp = x86_seg_bp(s);
	size_t i;

	/* boot.rst: "the next field of the last node is 0". */
	bp->hdr.setup_data = s->n_sd ? phys + s->sd[0] : 0;
	for (i = 0; i < s->n_sd; i++) {
		struct setup_data *sd = (struct setup_data *)(s->buf + s->sd[i]);

		sd->next = i + 1 < s->n_sd ? phys + s->sd[i + 1] : 0;
	}
}
