/* kexshim: the plan as JSON, for `kexshim plan` (humans, scripts, tests on
 * any host).  Runs after load_prepare(); never touches the syscalls. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "lib/error.h"
#include "lib/json.h"
#include "load/plan_json.h"
#include "common/sha256.h"
#include "load/load.h"

/* The digest purgatory_place() already stored for s (hashing ~60 MB twice
 * doubled `kexshim plan`'s time); computed only for what it did not hash:
 * the purgatory's own segment, or a plan built without it. */
static void segment_digest(const struct load *l, const struct plan_segment *s,
			   uint8_t d[SHA256_DIGEST_SIZE])
{
	uint32_t i;

	for (i = 0; i < l->args.nr_regions && i < PURGATORY_MAX_REGIONS; i++) {
		const struct purgatory_region *r = &l->args.regions[i];

		if (r->start == s->mem && r->len == s->bufsz) {
			memcpy(d, r->sha256, SHA256_DIGEST_SIZE);
			return;
		}
	}
	/* bufsz 0 segments have no buffer; hash "" not NULL. */
	sha256(s->bufsz ? s->buf : "", s->bufsz, d);
}

int plan_print_json(FILE *f, const struct load *l)
{
	const struct plan *p = &l->plan;
	size_t i, j;

	fprintf(f, "{\n  \"entry\": \"0x%llx\",\n  \"segments\": [",
		(unsigned long long)l->entry);
	for (i = 0; i < p->n; i++) {
		const struct plan_segment *s = &p->seg[i];
		uint8_t d[SHA256_DIGEST_SIZE];

		segment_digest(l, s, d);
		fprintf(f, "%s\n    {\"name\": ", i ? "," : "");
		json_string(f, s->name);
		fprintf(f, ", \"mem\": \"0x%llx\", \"memsz\": %llu, \"bufsz\": %zu, \"end\": \"0x%llx\", \"sha256\": \"",
			(unsigned long long)s->mem,
			(unsigned long long)s->memsz, s->bufsz,
			(unsigned long long)(s->mem + s->memsz));
		for (j = 0; j < sizeof(d); j++)
			fprintf(f, "%02x", d[j]);
		fputs("\"}", f);
	}
	fputs(p->n ? "\n  ]\n}\n" : "]\n}\n", f);
	if (fflush(f) || ferror(f))
		return kx_fail(errno ? errno : EIO, "plan: writing JSON: %s",
			       strerror(errno ? errno : EIO));
	return 0;
}
