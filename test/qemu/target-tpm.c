/* test/qemu/target-tpm.c: the target's TPM check (target-init.c runs it
 * when /expected/tpm exists).  The target reads what kexshim measured and
 * checks it three ways:
 *   1 the event log kexshim left in the initrd
 *     (/.extra/kexshim/tpm2-measure.log, CEL-JSON records) replayed after
 *     the firmware's own log (binary_bios_measurements: the firmware and
 *     the shim kernel's EFI stub extend PCR 9 too) gives the TPM's PCRs
 *     (/sys/class/tpm/tpm0/pcr-sha256/N), for every PCR in the log
 *   2 every event is recomputed from the target's own bytes where it has
 *     them (the command line: /proc/cmdline, in UTF-16LE for PCR 12 and as
 *     it is for a UKI's .cmdline; a section name with its NUL) and from
 *     digests the test computed with coreutils' sha256sum for the files
 *     it cannot read back (kernel, initrds, UKI sections), passed on the
 *     command line as kexshim_test.tpm_sha256=NAME=HEX,NAME=HEX,...
 *     (NAME: a file's base name or a section name)
 *   3 every PCR /expected/tpm lists ("9 12", "11") has events
 * One line: ok with the counts, or FAIL with the first difference. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "common/sha256.h"

int tpm_check(char *detail, size_t size);

#define LOG "/.extra/kexshim/tpm2-measure.log"
#define FIRMWARE_LOG "/sys/kernel/security/tpm0/binary_bios_measurements"
#define MAX_EVENTS 256
#define TPM_ALG_SHA256 0x000b
#define EV_NO_ACTION 3

struct event {
	unsigned pcr;
	uint8_t d[32];
	char type[32];
	char what[512];
};

static char *slurp(const char *path, size_t *len)
{
	size_t cap = 1 << 16, n = 0;
	char *b = malloc(cap + 1);
	ssize_t r;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || !b) {
		free(b);
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	for (;;) {
		if (n == cap) {
			char *nb = realloc(b, 2 * cap + 1);

			if (!nb)
				break;
			b = nb;
			cap *= 2;
		}
		r = read(fd, b + n, cap - n);
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	b[n] = '\0';
	*len = n;
	return b;
}

static int unhex(const char *s, uint8_t *out, size_t n)
{
	unsigned v;
	size_t i;

	for (i = 0; i < n; i++) {
		if (sscanf(s + 2 * i, "%2x", &v) != 1)
			return -1;
		out[i] = (uint8_t)v;
	}
	return 0;
}

static void extend(uint8_t *pcr, const uint8_t *d)
{
	struct sha256_ctx c;

	sha256_init(&c);
	sha256_update(&c, pcr, 32);
	sha256_update(&c, d, 32);
	sha256_final(&c, pcr);
}

/* A JSON string value after key (no unescaping but \" and \\). */
static bool json_str(const char *rec, const char *key, char *out, size_t size)
{
	const char *p = strstr(rec, key);
	size_t o = 0;

	if (!p)
		return false;
	for (p += strlen(key); *p && *p != '"' && o + 1 < size; p++) {
		if (*p == '\\' && (p[1] == '"' || p[1] == '\\'))
			p++;
		out[o++] = *p;
	}
	out[o] = '\0';
	return *p == '"';
}

static int parse_log(const char *log, struct event *ev)
{
	const char *r = log;
	int n = 0;
	unsigned recnum;

	while ((r = strchr(r, 0x1e)) && n < MAX_EVENTS) {
		const char *d = strstr(r, "\"hashAlg\":\"sha256\",\"digest\":\"");

		if (sscanf(r, "\x1e{\"recnum\":%u,\"pcr\":%u", &recnum, &ev[n].pcr) != 2 ||
		    recnum != (unsigned)n || !d || unhex(d + 29, ev[n].d, 32) ||
		    !json_str(r, "\"eventType\":\"", ev[n].type, sizeof(ev[n].type)) ||
		    !json_str(r, "\"string\":\"", ev[n].what, sizeof(ev[n].what)))
			return -1 - n;
		r++;
		n++;
	}
	return n;
}

/* The firmware's TCG2 crypto-agile log (TCG PC Client PFP 10.2): a
 * SHA-1-format Spec ID event, then TCG_PCR_EVENT2 records.  Folds the
 * SHA-256 digests of PCR pcr into out.  Return: events folded, or -1. */
static int firmware_replay(const uint8_t *b, size_t len, unsigned pcr,
			   uint8_t *out)
{
	uint16_t alg[16], dsize[16];
	uint32_t nalg, i, j, count, esize;
	size_t off, spec;
	int n = 0;

	if (len < 32 || memcmp(b + 32, "Spec ID Event03", 15))
		return -1;
	spec = 32;
	memcpy(&esize, b + 28, 4);
	memcpy(&nalg, b + spec + 24, 4);
	if (nalg > 16)
		return -1;
	for (i = 0; i < nalg; i++) {
		memcpy(&alg[i], b + spec + 28 + 4 * i, 2);
		memcpy(&dsize[i], b + spec + 30 + 4 * i, 2);
	}
	off = spec + esize;
	while (off + 12 <= len) {
		uint32_t idx, type;
		const uint8_t *sha256 = NULL;

		memcpy(&idx, b + off, 4);
		memcpy(&type, b + off + 4, 4);
		memcpy(&count, b + off + 8, 4);
		off += 12;
		for (i = 0; i < count; i++) {
			uint16_t a;

			if (off + 2 > len)
				return -1;
			memcpy(&a, b + off, 2);
			off += 2;
			for (j = 0; j < nalg && alg[j] != a; j++)
				;
			if (j == nalg || off + dsize[j] > len)
				return -1;
			if (a == TPM_ALG_SHA256)
				sha256 = b + off;
			off += dsize[j];
		}
		if (off + 4 > len)
			return -1;
		memcpy(&esize, b + off, 4);
		off += 4 + esize;
		if (off > len)
			return -1;
		if (idx == pcr && type != EV_NO_ACTION && sha256) {
			extend(out, sha256);
			n++;
		}
	}
	return n;
}

/* kexshim_test.tpm_sha256=NAME=HEX,... from the command line. */
static bool expected(const char *cmdline, const char *name, uint8_t *d)
{
	const char *p = strstr(cmdline, "kexshim_test.tpm_sha256=");
	size_t n = strlen(name);

	if (!p)
		return false;
	p += strlen("kexshim_test.tpm_sha256=");
	while (*p && *p != ' ') {
		if (!strncmp(p, name, n) && p[n] == '=')
			return !unhex(p + n + 1, d, 32);
		while (*p && *p != ',' && *p != ' ')
			p++;
		if (*p == ',')
			p++;
	}
	return false;
}

static const char *base(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

int tpm_check(char *detail, size_t size)
{
	static struct event ev[MAX_EVENTS];
	uint8_t pcr[32], now[32], want[32], *u16;
	char *log, *fw, *cmd, want_pcrs[64] = "", path[96], hex[80];
	size_t log_len, fw_len = 0, cmd_len, i, k;
	int n, fw_events = 0, recomputed = 0, p;
	unsigned seen[24] = { 0 };

	mount("securityfs", "/sys/kernel/security", "securityfs", 0, NULL);
	log = slurp(LOG, &log_len);
	cmd = slurp("/proc/cmdline", &cmd_len);
	if (!log || !cmd) {
		snprintf(detail, size, "FAIL: cannot read %s", log ? "/proc/cmdline" : LOG);
		return 0;
	}
	while (cmd_len && cmd[cmd_len - 1] == '\n')
		cmd[--cmd_len] = '\0';
	n = parse_log(log, ev);
	if (n <= 0) {
		snprintf(detail, size, "%s: record %d does not parse", LOG, -n - 1);
		return 0;
	}
	/* 2: every event from bytes the target has or a digest it was told. */
	u16 = calloc(2, cmd_len + 1);
	for (i = 0; i < cmd_len; i++)
		u16[2 * i] = (uint8_t)cmd[i];
	for (p = 0; p < n; p++) {
		const struct event *e = &ev[p];

		if (!strcmp(e->type, "cmdline"))
			sha256(u16, 2 * cmd_len, want);
		else if (!strcmp(e->type, "uki-section-name"))
			sha256((const uint8_t *)e->what, strlen(e->what) + 1, want);
		else if (!strcmp(e->type, "uki-section") && !strcmp(e->what, ".cmdline"))
			sha256((const uint8_t *)cmd, cmd_len, want);
		else if (!expected(cmd, base(e->what), want)) {
			snprintf(detail, size, "record %d (PCR %u %s %s): no digest to "
				 "check it against", p, e->pcr, e->type, e->what);
			return 0;
		}
		if (memcmp(want, e->d, 32)) {
			snprintf(detail, size, "record %d (PCR %u %s %s): logged digest "
				 "is not the target's", p, e->pcr, e->type, e->what);
			return 0;
		}
		recomputed++;
		if (e->pcr < 24)
			seen[e->pcr]++;
	}
	free(u16);
	/* 1: the log (after the firmware's) replays to the PCRs. */
	fw = slurp(FIRMWARE_LOG, &fw_len);
	for (k = 0; k < 24; k++) {
		char *line;
		size_t l;

		if (!seen[k])
			continue;
		memset(pcr, 0, sizeof(pcr));
		if (fw) {
			int f = firmware_replay((const uint8_t *)fw, fw_len, (unsigned)k, pcr);

			if (f < 0) {
				snprintf(detail, size, "%s does not parse", FIRMWARE_LOG);
				return 0;
			}
			fw_events += f;
		}
		for (p = 0; p < n; p++)
			if (ev[p].pcr == k)
				extend(pcr, ev[p].d);
		snprintf(path, sizeof(path), "/sys/class/tpm/tpm0/pcr-sha256/%zu", k);
		line = slurp(path, &l);
		if (!line || l < 64 || unhex(line, now, 32)) {
			snprintf(detail, size, "cannot read %s", path);
			return 0;
		}
		free(line);
		if (memcmp(now, pcr, 32)) {
			for (i = 0; i < 32; i++)
				sprintf(hex + 2 * i, "%02x", now[i]);
			snprintf(detail, size, "PCR %zu is %.16s..., the logs replay "
				 "to another value", k, hex);
			return 0;
		}
	}
	/* 3: the PCRs the test expects measurements in. */
	{
		size_t wl;
		char *w = slurp("/expected/tpm", &wl), *tok, *save;

		for (tok = w ? strtok_r(w, " \n", &save) : NULL; tok;
		     tok = strtok_r(NULL, " \n", &save)) {
			k = strtoul(tok, NULL, 10);
			if (k >= 24 || !seen[k]) {
				snprintf(detail, size, "no event in PCR %s", tok);
				return 0;
			}
			snprintf(want_pcrs + strlen(want_pcrs),
				 sizeof(want_pcrs) - strlen(want_pcrs), " %zu:%u", k, seen[k]);
		}
		free(w);
	}
	snprintf(detail, size, "%d events recomputed, PCRs%s replay%s", recomputed,
		 want_pcrs, fw ? " after the firmware log" : " (no firmware log)");
	(void)fw_events;
	return 1;
}
