/* kexshim: load an entry as the running kernel allows (see secure.h).
 * Runs in the shim for every entry tried, and in `kexshim load`. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kexec/kexec.h"
#include "lib/console.h"
#include "lib/error.h"
#include "load/fileload.h"
#include "secure/measure.h"
#include "secure/secure.h"
#include "secure/verify.h"

static bool load_refused;    /* kexec_load said EPERM/EACCES */
static bool refused;         /* lockdown or a signature said no */

bool secure_refused(void)
{
	return refused;
}

/* Said once per process: what the kernel's path does not do. */
static void say_file_path(void)
{
	static bool said;

	if (said)
		return;
	said = true;
	con_info("secure: kexec_file_load: the kernel checks the kernel "
		 "image's signature and enters it with its own purgatory; "
		 "kexshim's purgatory (segment digests), a devicetree of its "
		 "own and overlays do not apply");
}

static int via_load(const struct load_request *req, const struct secure_opts *o,
		    struct measure_call *mc)
{
	struct load_hooks hooks = { .measure = measure_load, .ctx = mc };
	struct load_request r = *req;
	struct load *l;
	int rc;

	if (mc)
		r.hooks = &hooks;
	l = calloc(1, sizeof(*l));
	if (!l)
		return kx_fail(ENOMEM, "secure: out of memory");
	rc = load_prepare(l, &r);
	if (rc)
		goto out;
	if (o->dry_run) {
		con_info("dry run: %zu segments, entry 0x%llx, not loaded",
			 l->plan.n, (unsigned long long)l->entry);
		goto out;
	}
	con_info("kexec_load: %zu segments, entry 0x%llx", l->plan.n,
		 (unsigned long long)l->entry);
	rc = kexec_load_plan(l->entry, &l->plan);
out:
	/* After kexec_load the kernel has copied the segments. */
	load_release(l);
	free(l);
	return rc;
}

static int via_file(const struct load_request *req, const struct secure_opts *o,
		    struct measure_call *mc)
{
	bool locked = lockdown_active(secure_state()->lockdown);
	struct load_hooks hooks = {
		.measure = mc ? measure_load : NULL,
		/* Outside lockdown nothing enforces signatures, and neither
		 * does kexshim: a UKI loads as the kernel would take it. */
		.verify_uki = locked ? verify_uki_hook : NULL,
		.ctx = mc,
	};
	struct load_request r = *req;
	struct file_load *fl;
	int rc;

	say_file_path();
	r.hooks = &hooks;
	fl = calloc(1, sizeof(*fl));
	if (!fl)
		return kx_fail(ENOMEM, "secure: out of memory");
	rc = file_load_prepare(fl, &r, locked);
	if (rc) {
		if (kexec_file_refused(-rc))
			refused = true; /* verify_uki said no */
		goto out;
	}
	if (o->dry_run) {
		con_info("dry run: kexec_file_load %s%s%s (%zu-byte kernel, "
			 "%zu-byte initrd, %zu-byte command line), not loaded",
			 req->kernel, *fl->img.format ? " " : "", fl->img.format,
			 fl->img.kernel_size, fl->initrd_size, strlen(fl->cmdline));
		goto out;
	}
	con_info("kexec_file_load: %s%s%s (%zu-byte kernel, %zu-byte initrd, "
		 "%zu-byte command line)", req->kernel, *fl->img.format ? " " : "",
		 fl->img.format, fl->img.kernel_size, fl->initrd_size,
		 strlen(fl->cmdline));
	rc = kexec_file_load_fds(fl->kernel_fd, fl->initrd_fd, fl->cmdline,
				 req->kernel);
	if (rc && kexec_file_refused(-rc))
		refused = true;
	/* Only what the kernel took is measured; then the same files again
	 * with the event log at the end of the initrd. */
	if (!rc && mc) {
		rc = file_load_measure(fl);
		if (!rc) {
			con_info("kexec_file_load: %s again, the event log in its "
				 "%zu-byte initrd", req->kernel, fl->initrd_size);
			rc = kexec_file_load_fds(fl->kernel_fd, fl->initrd_fd,
						 fl->cmdline, req->kernel);
		}
	}
out:
	file_load_release(fl);
	free(fl);
	return rc;
}

int secure_load(const struct load_request *req, const struct secure_opts *o)
{
	struct measure_call mc = { 0 }, *mcp = NULL;
	enum secure_method m;
	int rc;

	rc = secure_pick_method(secure_state(), o->file, load_refused, &m);
	if (rc) {
		refused = true;
		return rc;
	}
	/* A dry run leaves the PCRs alone. */
	if (o->measure && !o->dry_run && measure_available())
		mcp = &mc;
	if (m == SECURE_VIA_LOAD) {
		rc = via_load(req, o, mcp);
		if ((rc != -EPERM && rc != -EACCES) || o->file == SECURE_FILE_NEVER ||
		    o->dry_run)
			return rc;
		/* Refused without lockdown (kexec_load_disabled, IMA): the
		 * kernel's own loader may still take a signed kernel. */
		load_refused = true;
		con_info("secure: %s; trying kexec_file_load", kx_last_error());
		/* What was measured stays; the retry only appends the log. */
		mc.log_only = mc.measured;
	}
	return via_file(req, o, mcp);
}
