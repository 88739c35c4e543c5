/* kexshim: TPM measurement of what is about to boot (see measure.h).
 * Like systemd-stub, a TPM that fails a command is reported and then left
 * alone: the boot goes on unmeasured rather than not at all, and the log
 * holds exactly the events that were extended (so it still replays). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <mbedtls/md.h>

#include "common/sha256.h"
#include "common/utf8.h"
#include "lib/console.h"
#include "lib/error.h"
#include "secure/cel.h"
#include "secure/cpio.h"
#include "secure/measure.h"
#include "secure/tpm2.h"
#include "secure/tpm_dev.h"
#include "secure/uki_pcr.h"

static struct {
	int state;          /* 0 not yet, 1 usable, -1 none or broken */
	int fd;
	struct tpm2_bank bank[TPM2_MAX_BANKS];
	size_t nr_bank;
	struct cel log;
	uint8_t *cpio;      /* the last archive handed out */
} tpm = { .fd = -1 };

static int transmit(const char *what, const uint8_t *cmd, ssize_t len,
		    uint8_t *rsp, const uint8_t **params, size_t *plen)
{
	size_t rlen;
	int rc;

	if (len < 0)
		return kx_fail(-(int)len, "tpm: %s: cannot marshal", what);
	rc = tpm_dev_transmit(tpm.fd, what, cmd, (size_t)len, rsp,
			      TPM2_CMD_MAX, &rlen);
	return rc ? rc : tpm2_response(what, rsp, rlen, params, plen);
}

/* The banks of the TPM at tpm.fd, said once. */
static int banks(const char *what)
{
	uint8_t cmd[TPM2_CMD_MAX], rsp[TPM2_CMD_MAX];
	struct tpm2_bank all[TPM2_MAX_BANKS];
	char names[96] = "";
	const uint8_t *p;
	size_t plen, i;
	int rc, n;

	rc = transmit("GetCapability(PCRS)", cmd,
		      tpm2_get_pcrs_cmd(cmd, sizeof(cmd)), rsp, &p, &plen);
	if (rc)
		return rc;
	n = tpm2_parse_pcrs(p, plen, all);
	if (n < 0)
		return n;
	/* Every allocated bank must be extended, or a bank left behind could
	 * be made to show anything; one kexshim cannot hash is reported. */
	for (i = 0; i < (size_t)n; i++) {
		if (!tpm2_bank_has(&all[i], PCR_KERNEL_INITRD) &&
		    !tpm2_bank_has(&all[i], PCR_KERNEL_BOOT))
			continue;
		if (!tpm2_alg_size(all[i].alg)) {
			con_warn("tpm: PCR bank with algorithm 0x%04x: kexshim "
				 "cannot hash for it, it stays unextended",
				 all[i].alg);
			continue;
		}
		tpm.bank[tpm.nr_bank++] = all[i];
		snprintf(names + strlen(names), sizeof(names) - strlen(names),
			 "%s%s", tpm.nr_bank > 1 ? ", " : "",
			 tpm2_alg_name(all[i].alg));
	}
	if (!tpm.nr_bank)
		return kx_fail(ENODEV, "tpm: no PCR bank kexshim can hash for");
	con_info("tpm: %s: measuring into PCRs 9, 11, 12 (banks %s); event log "
		 "for the target at /%s", what, names, MEASURE_LOG_PATH);
	return 0;
}

static bool start(int rc)
{
	tpm.state = rc ? -1 : 1;
	if (rc < -1)
		con_warn("%s; nothing measured", kx_last_error());
	return tpm.state > 0;
}

bool measure_available(void)
{
	if (tpm.state)
		return tpm.state > 0;
	tpm.fd = tpm_dev_open(TPM_DEV_PATH);
	if (tpm.fd == -ENOENT) {
		con_info("tpm: no %s: nothing measured", TPM_DEV_PATH);
		return start(-1);
	}
	return start(tpm.fd < 0 ? tpm.fd : banks(TPM_DEV_PATH));
}

bool measure_attach(int fd)
{
	tpm.fd = fd;
	tpm.nr_bank = 0;
	return start(banks("attached TPM"));
}

const char *measure_log(size_t *len)
{
	*len = tpm.log.len;
	return tpm.log.buf ? tpm.log.buf : "";
}

/* The digest of data[0, n) followed by zeros zero bytes, for alg. */
static int digest(uint16_t alg, const uint8_t *data, size_t n, size_t zeros,
		  uint8_t *out)
{
	static const uint8_t zero[4096];
	mbedtls_md_context_t ctx;
	mbedtls_md_type_t t;
	struct sha256_ctx s;
	size_t k;
	int rc;

	if (alg == TPM_ALG_SHA256) {
		/* The project's rounds (SHA-NI / ARMv8 CE where present). */
		sha256_init(&s);
		sha256_update(&s, data, n);
		for (; zeros; zeros -= k) {
			k = zeros < sizeof(zero) ? zeros : sizeof(zero);
			sha256_update(&s, zero, k);
		}
		sha256_final(&s, out);
		return 0;
	}
	t = alg == TPM_ALG_SHA1 ? MBEDTLS_MD_SHA1 :
	    alg == TPM_ALG_SHA384 ? MBEDTLS_MD_SHA384 : MBEDTLS_MD_SHA512;
	mbedtls_md_init(&ctx);
	rc = mbedtls_md_setup(&ctx, mbedtls_md_info_from_type(t), 0) ||
	     mbedtls_md_starts(&ctx) || mbedtls_md_update(&ctx, data, n);
	for (; !rc && zeros; zeros -= k) {
		k = zeros < sizeof(zero) ? zeros : sizeof(zero);
		rc = mbedtls_md_update(&ctx, zero, k);
	}
	rc = rc || mbedtls_md_finish(&ctx, out);
	mbedtls_md_free(&ctx);
	return rc ? kx_fail(EIO, "tpm: digest failed") : 0;
}

/* One event: every bank's digest, TPM2_PCR_Extend, the log record. */
static int extend(unsigned pcr, const uint8_t *data, size_t n, size_t zeros,
		  const char *type, const char *what)
{
	uint8_t cmd[TPM2_CMD_MAX], rsp[TPM2_CMD_MAX];
	struct tpm2_digest d[TPM2_MAX_BANKS];
	char name[64];
	const uint8_t *p;
	size_t plen, i;
	int rc;

	if (tpm.state <= 0)
		return 0;
	for (i = 0; i < tpm.nr_bank; i++) {
		d[i].alg = tpm.bank[i].alg;
		rc = digest(d[i].alg, data, n, zeros, d[i].d);
		if (rc)
			return rc;
	}
	snprintf(name, sizeof(name), "PCR_Extend(PCR %u)", pcr);
	rc = transmit(name, cmd, tpm2_pcr_extend_cmd(cmd, sizeof(cmd), pcr, d,
						     tpm.nr_bank), rsp, &p, &plen);
	if (!rc)
		rc = cel_append(&tpm.log, pcr, d, tpm.nr_bank, type, what);
	return rc;
}

/* The command line as systemd-boot and systemd-stub measure it: UTF-16LE
 * without the NUL (a byte that is no UTF-8 goes in as its own code
 * point, as Latin-1 would). */
static int extend_cmdline(const char *cmdline)
{
	const uint8_t *s = (const uint8_t *)cmdline;
	size_t left = strlen(cmdline), n, o = 0;
	uint8_t *u;
	uint32_t cp;
	int rc;

	u = malloc(4 * left + 1);
	if (!u)
		return kx_fail(ENOMEM, "tpm: out of memory");
	while (left) {
		n = utf8_decode(s, left, &cp);
		if (!n) {
			cp = *s;
			n = 1;
		}
		if (cp >= 0x10000) {  /* a surrogate pair, high first */
			uint32_t hi = 0xd800 + ((cp - 0x10000) >> 10);

			u[o++] = (uint8_t)hi;
			u[o++] = (uint8_t)(hi >> 8);
			cp = 0xdc00 + ((cp - 0x10000) & 0x3ff);
		}
		u[o++] = (uint8_t)cp;
		u[o++] = (uint8_t)(cp >> 8);
		s += n;
		left -= n;
	}
	rc = extend(PCR_KERNEL_CONFIG, u, o, 0, "cmdline", cmdline);
	free(u);
	return rc;
}

static int measure_uki(const struct load_view *v)
{
	struct uki_pcr_section s[UKI_PCR_MAX];
	int n, i, rc = 0;

	n = uki_pcr_sections(v->kernel_path, v->file, v->file_size,
			     v->uki_profile, s);
	if (n < 0)
		return n;
	for (i = 0; i < n && !rc; i++) {
		/* TPM2_PCR_MEASUREMENTS.md: the name "*including* a trailing
		 * NUL byte", then the section data. */
		rc = extend(PCR_KERNEL_BOOT, (const uint8_t *)s[i].name,
			    strlen(s[i].name) + 1, 0, "uki-section-name", s[i].name);
		if (!rc)
			rc = extend(PCR_KERNEL_BOOT, s[i].data, s[i].size,
				    s[i].zeros, "uki-section", s[i].name);
	}
	return rc;
}

static int measure_all(const struct load_view *v)
{
	size_t i;
	int rc;

	if (v->uki)
		rc = measure_uki(v);
	else
		rc = extend(PCR_KERNEL_INITRD, v->file, v->file_size, 0,
			    "kernel", v->kernel_path);
	for (i = 0; !rc && i < v->nr_initrd; i++) {
		if (v->initrd[i].from_uki)
			continue;  /* a section: in PCR 11 already */
		/* Next to a UKI an initrd is an addition to what was signed
		 * (systemd-stub: initrd addons, PCR 12); of a Type #1 entry
		 * it is the initrd (the kernel's EFI stub: PCR 9). */
		rc = extend(v->uki ? PCR_KERNEL_CONFIG : PCR_KERNEL_INITRD,
			    v->initrd[i].data, v->initrd[i].size, 0, "initrd",
			    v->initrd[i].name);
	}
	if (!rc && !v->cmdline_from_uki && *v->cmdline)
		rc = extend_cmdline(v->cmdline);
	if (!rc && v->dtb && !v->dtb_from_uki)
		rc = extend(PCR_KERNEL_CONFIG, v->dtb, v->dtb_size, 0,
			    "devicetree", v->dtb_path);
	for (i = 0; !rc && i < v->nr_overlay; i++)
		rc = extend(PCR_KERNEL_CONFIG, v->overlay[i], v->overlay_size[i],
			    0, "devicetree-overlay", v->overlay_path[i]);
	return rc;
}

int measure_load(void *ctx, const struct load_view *v, const uint8_t **append,
		 size_t *append_size)
{
	struct measure_call *mc = ctx;
	unsigned before = tpm.log.recnum;
	long n;
	int rc;

	*append = NULL;
	*append_size = 0;
	if (!mc->log_only && tpm.state > 0) {
		rc = measure_all(v);
		if (rc) {
			con_warn("%s; no more measurements this boot",
				 kx_last_error());
			tpm.state = -1;
		}
		mc->measured = true;
		con_info("tpm: %s: %u events measured", v->kernel_path,
			 tpm.log.recnum - before);
	}
	if (!tpm.log.len)
		return 0;
	n = cpio_one_file(MEASURE_LOG_PATH, (const uint8_t *)tpm.log.buf,
			  tpm.log.len, 0444, NULL, 0);
	if (n < 0 || (size_t)n > LOAD_APPEND_MAX)
		return kx_fail(E2BIG, "tpm: the event log does not fit the initrd");
	free(tpm.cpio);
	tpm.cpio = malloc((size_t)n);
	if (!tpm.cpio)
		return kx_fail(ENOMEM, "tpm: out of memory");
	cpio_one_file(MEASURE_LOG_PATH, (const uint8_t *)tpm.log.buf,
		      tpm.log.len, 0444, tpm.cpio, (size_t)n);
	*append = tpm.cpio;
	*append_size = (size_t)n;
	return 0;
}
