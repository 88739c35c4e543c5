/* kexshim: put the purgatory into the plan.  Runs in load_prepare() once
 * every other segment is placed: the purgatory must carry their digests.
 * The blob is flat and position-independent (linker/ asserts it), so
 * loading it is a copy plus filling struct purgatory_args at offset 0. */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "kexec/purgatory.h"
#include "kexec/regions.h"
#include "kexshim/purgatory.h"
#include "lib/error.h"

/* Every segment but the purgatory's own needs a region in its args. */
_Static_assert(PLAN_MAX_SEGMENTS - 1 <= PURGATORY_MAX_REGIONS,
	       "the plan's segments must fit the purgatory's region table");

/* Far more than the 16 KiB budget; anything bigger is not our blob. */
#define PURGATORY_MEM_MAX (1u << 20)

static int check_blob(const struct purgatory_args *a, size_t size)
{
	if (size < sizeof(*a))
		return kx_fail(EINVAL, "purgatory: blob is %zu bytes, smaller than its args (%zu)",
			       size, sizeof(*a));
	if (a->magic != PURGATORY_MAGIC)
		return kx_fail(EINVAL, "purgatory: bad magic 0x%08x (want 0x%08x)",
			       a->magic, PURGATORY_MAGIC);
	if (a->version != PURGATORY_VERSION)
		return kx_fail(EINVAL, "purgatory: ABI version %u, this loader speaks %u",
			       a->version, PURGATORY_VERSION);
	if (a->mem_size < size || a->mem_size > PURGATORY_MEM_MAX)
		return kx_fail(EINVAL, "purgatory: mem_size 0x%x does not cover the %zu-byte blob (or exceeds 1 MiB)",
			       a->mem_size, size);
	if (a->entry_offset < sizeof(*a) || a->entry_offset >= size)
		return kx_fail(EINVAL, "purgatory: entry_offset 0x%x is outside the blob code [0x%zx, 0x%zx)",
			       a->entry_offset, sizeof(*a), size);
	return 0;
}

/* The CPUs that may share the hashing. */
static unsigned cpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n > 0 ? (unsigned)n : 1;
}

int purgatory_place_blob(struct plan *p, struct purgatory_args *args,
			 struct arena *ar, const void *blob, size_t size,
			 uint64_t min, uint64_t max, uint64_t *entry)
{
	struct purgatory_args a;
	struct plan_item it;
	size_t self;
	uint8_t *copy;
	int ret;

	memset(&a, 0, sizeof(a));
	if (size >= sizeof(a))
		memcpy(&a, blob, sizeof(a));
	ret = check_blob(&a, size);
	if (ret)
		return ret;
	copy = arena_alloc(ar, size);
	if (!copy)
		return kx_fail(ENOMEM, "purgatory: out of memory");
	memcpy(copy, blob, size);

	memset(&it, 0, sizeof(it));
	it.name = "purgatory";
	it.buf = copy;
	it.bufsz = size;
	it.memsz = (a.mem_size + PLAN_PAGE_SIZE - 1) & ~(uint64_t)(PLAN_PAGE_SIZE - 1);
	it.min = min;
	it.max = max;
	/* Top-down, as other loaders do: out of the way of low memory that
	 * firmware and real-mode trampolines like. */
	it.flags = PLAN_HIGH;
	ret = plan_add(p, &it);
	if (ret)
		return ret;
	self = p->n - 1;

	/* Link-time fields stay as the blob has them; the rest is ours. */
	a.entry = args->entry;
	memcpy(a.regs, args->regs, sizeof(a.regs));
	a.console = args->console;
	a.flags = 0;
	ret = regions_hash(p, self, cpus(), &a);
	if (ret)
		return ret;
	if (purgatory_test_hook)
		purgatory_test_hook(&a);
	memcpy(copy, &a, sizeof(a));
	*args = a;
	*entry = p->seg[self].mem + a.entry_offset;
	return 0;
}

int purgatory_place(struct plan *p, struct purgatory_args *args,
		    struct arena *ar, uint64_t min, uint64_t max,
		    uint64_t *entry)
{
	return purgatory_place_blob(p, args, ar, purgatory_blob,
				    (size_t)purgatory_blob_size, min, max,
				    entry);
}
