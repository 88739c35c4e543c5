/* Host unit tests: the TPM 2.0 commands of boot/secure/tpm2.c, sent to a
 * real TPM (swtpm, started here on a Unix socket: its libtpms is the
 * oracle for the marshalling and for what an extend does), the CEL-JSON
 * records of cel.c, the newc archive of cpio.c (unpacked by GNU cpio),
 * and the PCR 11 sections of uki_pcr.c replayed against systemd-measure's
 * own prediction ($KEXSHIM_MEASURED_DIR, see unit.mk). */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "common/sha256.h"
#include "lib/error.h"
#include "lib/readfile.h"
#include "load/load.h"
#include "secure/cel.h"
#include "secure/measure.h"
#include "secure/cpio.h"
#include "secure/tpm2.h"
#include "secure/tpm_dev.h"
#include "secure/uki_pcr.h"

static char tmp[] = "/tmp/kexshim-tpm-XXXXXX";
static pid_t swtpm = -1;
static int fd = -1;

static int setup(void **state)
{
	char data[300], ctrl[300];
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int i;

	assert_non_null(mkdtemp(tmp));
	snprintf(data, sizeof(data), "type=unixio,path=%s/data", tmp);
	snprintf(ctrl, sizeof(ctrl), "type=unixio,path=%s/ctrl", tmp);
	swtpm = fork();
	assert_true(swtpm >= 0);
	if (!swtpm) {
		char dir[300];

		snprintf(dir, sizeof(dir), "dir=%s", tmp);
		execlp("swtpm", "swtpm", "socket", "--tpm2", "--tpmstate", dir,
		       "--server", data, "--ctrl", ctrl, "--flags",
		       "not-need-init,startup-clear", (char *)NULL);
		_exit(127);
	}
	snprintf(a.sun_path, sizeof(a.sun_path), "%s/data", tmp);
	for (i = 0; i < 100; i++) {
		fd = socket(AF_UNIX, SOCK_STREAM, 0);
		if (!connect(fd, (struct sockaddr *)&a, sizeof(a)))
			break;
		close(fd);
		fd = -1;
		usleep(50000);
	}
	/* No swtpm is a failure (tools/install-deps installs it). */
	assert_true(fd >= 0);
	return 0;
}

static int teardown(void **state)
{
	char cmd[100];

	if (fd >= 0)
		close(fd);
	if (swtpm > 0) {
		kill(swtpm, SIGTERM);
		waitpid(swtpm, NULL, 0);
	}
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmp);
	return system(cmd);
}

/* One command over the socket (swtpm's data channel is the bare TPM
 * protocol, as /dev/tpmrm0 is). */
static int send_cmd(const char *what, const uint8_t *cmd, ssize_t len,
		    uint8_t *rsp, const uint8_t **p, size_t *plen)
{
	size_t rlen;
	int rc;

	assert_true(len > 0);
	rc = tpm_dev_transmit(fd, what, cmd, (size_t)len, rsp, TPM2_CMD_MAX, &rlen);
	assert_int_equal(rc, 0);
	return tpm2_response(what, rsp, rlen, p, plen);
}

static void pcr_read(unsigned pcr, uint16_t alg, uint8_t *out)
{
	uint8_t cmd[TPM2_CMD_MAX], rsp[TPM2_CMD_MAX];
	const uint8_t *p;
	size_t plen;

	assert_int_equal(send_cmd("PCR_Read", cmd,
				  tpm2_pcr_read_cmd(cmd, sizeof(cmd), pcr, alg),
				  rsp, &p, &plen), 0);
	assert_int_equal(tpm2_parse_pcr_read(p, plen, out, TPM2_MAX_DIGEST),
			 (int)tpm2_alg_size(alg));
}

static void test_extend(void **state)
{
	uint8_t cmd[TPM2_CMD_MAX], rsp[TPM2_CMD_MAX], before[64], after[64], want[32];
	struct tpm2_bank banks[TPM2_MAX_BANKS];
	struct tpm2_digest d[TPM2_MAX_BANKS];
	struct sha256_ctx s;
	const uint8_t *p;
	size_t plen, i;
	int n, sha256 = -1;

	assert_int_equal(send_cmd("GetCapability", cmd,
				  tpm2_get_pcrs_cmd(cmd, sizeof(cmd)), rsp, &p,
				  &plen), 0);
	n = tpm2_parse_pcrs(p, plen, banks);
	assert_true(n >= 1);
	for (i = 0; i < (size_t)n; i++) {
		if (banks[i].alg == TPM_ALG_SHA256)
			sha256 = (int)i;
		d[i].alg = banks[i].alg;
		memset(d[i].d, 0xa0 + (int)i, sizeof(d[i].d));
	}
	assert_true(sha256 >= 0);
	assert_true(tpm2_bank_has(&banks[sha256], 9));
	assert_true(tpm2_bank_has(&banks[sha256], 23));
	assert_false(tpm2_bank_has(&banks[sha256], 31));

	/* Extend PCR 9 in every bank the TPM has: it must take exactly
	 * what we marshalled, and new = SHA-256(old || digest). */
	pcr_read(9, TPM_ALG_SHA256, before);
	for (i = 0; i < (size_t)n; i++)
		if (!tpm2_alg_size(d[i].alg))
			fail_msg("bank 0x%x", d[i].alg);
	assert_int_equal(send_cmd("PCR_Extend", cmd,
				  tpm2_pcr_extend_cmd(cmd, sizeof(cmd), 9, d,
						      (size_t)n), rsp, &p, &plen), 0);
	pcr_read(9, TPM_ALG_SHA256, after);
	sha256_init(&s);
	sha256_update(&s, before, 32);
	sha256_update(&s, d[sha256].d, 32);
	sha256_final(&s, want);
	assert_memory_equal(after, want, 32);

	/* The TPM says no: a PCR that does not exist. */
	assert_int_equal(send_cmd("PCR_Extend(PCR 40)", cmd,
				  tpm2_pcr_extend_cmd(cmd, sizeof(cmd), 40, d,
						      (size_t)n), rsp, &p, &plen), -EIO);
	assert_non_null(strstr(kx_last_error(), "tpm: PCR_Extend(PCR 40): responseCode 0x"));
}

static void test_marshal(void **state)
{
	/* TPM 2.0 Part 3 24.1 by hand: PCR 12, one SHA-256 digest of 0x11. */
	static const uint8_t want[] = {
		0x80, 0x02, 0x00, 0x00, 0x00, 0x41, 0x00, 0x00, 0x01, 0x82,
		0x00, 0x00, 0x00, 0x0c,
		0x00, 0x00, 0x00, 0x09, 0x40, 0x00, 0x00, 0x09, 0x00, 0x00,
		0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x01, 0x00, 0x0b,
	};
	struct tpm2_digest d = { .alg = TPM_ALG_SHA256 };
	uint8_t buf[128], small[40];
	const uint8_t *p;
	size_t plen;

	memset(d.d, 0x11, 32);
	assert_int_equal(tpm2_pcr_extend_cmd(buf, sizeof(buf), 12, &d, 1), 65);
	assert_memory_equal(buf, want, sizeof(want));
	assert_int_equal(buf[sizeof(want)], 0x11);
	assert_int_equal(tpm2_pcr_extend_cmd(small, sizeof(small), 12, &d, 1), -E2BIG);
	d.alg = 0x0012; /* SM3: not ours */
	assert_int_equal(tpm2_pcr_extend_cmd(buf, sizeof(buf), 12, &d, 1), -EINVAL);
	assert_int_equal(tpm2_pcr_extend_cmd(buf, sizeof(buf), 12, &d, 0), -EINVAL);

	/* Responses: a good session response, then broken ones. */
	memcpy(buf, "\x80\x02\x00\x00\x00\x13\x00\x00\x00\x00"
		    "\x00\x00\x00\x00" "\x00\x00\x01\x00\x00", 19);
	assert_int_equal(tpm2_response("x", buf, 19, &p, &plen), 0);
	assert_int_equal(plen, 0);
	assert_int_equal(tpm2_response("x", buf, 18, &p, &plen), -EBADMSG);
	buf[13] = 0x40; /* parameterSize past the end */
	assert_int_equal(tpm2_response("x", buf, 19, &p, &plen), -EBADMSG);
	assert_int_equal(tpm2_response("x", buf, 5, &p, &plen), -EBADMSG);
	memcpy(buf, "\x80\x01\x00\x00\x00\x0a\x00\x00\x09\x22", 10);
	assert_int_equal(tpm2_response("y", buf, 10, &p, &plen), -EIO);
	assert_string_equal(kx_last_error(), "tpm: y: responseCode 0x922");
	memcpy(buf, "\x12\x34\x00\x00\x00\x0a\x00\x00\x00\x00", 10);
	assert_int_equal(tpm2_response("y", buf, 10, &p, &plen), -EBADMSG);
	/* A selection that claims more than it has. */
	memcpy(buf, "\x00\x00\x00\x00\x05\x00\x00\x00\x01\x00\x0b\x09", 12);
	assert_int_equal(tpm2_parse_pcrs(buf, 12, (struct tpm2_bank[8]){ 0 }),
			 -EBADMSG);
}

static void test_cel(void **state)
{
	struct tpm2_digest d[2] = { { .alg = TPM_ALG_SHA1 }, { .alg = TPM_ALG_SHA256 } };
	struct cel c = { 0 };
	const char *want0 =
		"\x1e{\"recnum\":0,\"pcr\":9,\"digests\":[{\"hashAlg\":\"sha1\","
		"\"digest\":\"0101010101010101010101010101010101010101\"},"
		"{\"hashAlg\":\"sha256\",\"digest\":\"0202020202020202020202020202"
		"020202020202020202020202020202020202\"}],\"content_type\":"
		"\"kexshim\",\"content\":{\"eventType\":\"kernel\",\"string\":"
		"\"/esp/vmlinuz\"}}\n";
	const char *want1 =
		"\x1e{\"recnum\":1,\"pcr\":12,\"digests\":[{\"hashAlg\":\"sha256\","
		"\"digest\":\"0202020202020202020202020202020202020202020202020202"
		"020202020202\"}],\"content_type\":\"kexshim\",\"content\":"
		"{\"eventType\":\"cmdline\",\"string\":\"a=\\\"b c\\\" \\\\ "
		"\\u0009\\u00ff \xc3\xa9\"}}\n";
	int i;

	memset(d[0].d, 1, 20);
	memset(d[1].d, 2, 32);
	assert_int_equal(cel_append(&c, 9, d, 2, "kernel", "/esp/vmlinuz"), 0);
	assert_string_equal(c.buf, want0);
	/* Quotes, backslash, a tab, a byte that is no UTF-8, UTF-8. */
	assert_int_equal(cel_append(&c, 12, &d[1], 1, "cmdline",
				    "a=\"b c\" \\ \t\xff \xc3\xa9"), 0);
	assert_string_equal(c.buf + strlen(want0), want1);
	assert_int_equal(c.recnum, 2);
	/* Bounded: the log must fit the initrd. */
	for (i = 0; i < 100000; i++)
		if (cel_append(&c, 9, d, 2, "kernel", "/esp/vmlinuz"))
			break;
	assert_int_equal(cel_append(&c, 9, d, 2, "kernel", "x"), -E2BIG);
	assert_true(c.len <= CEL_LOG_MAX);
	cel_free(&c);
}

static void test_cpio(void **state)
{
	static const char text[] = "hello, initramfs\n";
	char path[300], cmd[700], *got;
	uint8_t buf[1024];
	size_t n;
	long len;
	FILE *f;

	len = cpio_one_file(".extra/kexshim/log", (const uint8_t *)text,
			    strlen(text), 0444, buf, sizeof(buf));
	assert_true(len > 0 && len % 4 == 0 && (size_t)len <= sizeof(buf));
	/* The size is known without a buffer. */
	assert_int_equal(cpio_one_file(".extra/kexshim/log", (const uint8_t *)text,
				       strlen(text), 0444, NULL, 0), len);
	assert_memory_equal(buf, "070701", 6);
	snprintf(path, sizeof(path), "%s/a.cpio", tmp);
	f = fopen(path, "wb");
	assert_int_equal(fwrite(buf, 1, len, f), (size_t)len);
	fclose(f);
	/* GNU cpio unpacks it: the directories and the file. */
	snprintf(cmd, sizeof(cmd), "mkdir -p %s/x && cd %s/x && cpio -id --quiet "
		 "<%s && test -d .extra/kexshim && test \"$(stat -c %%a "
		 ".extra/kexshim/log)\" = 444", tmp, tmp, path);
	assert_int_equal(system(cmd), 0);
	snprintf(path, sizeof(path), "%s/x/.extra/kexshim/log", tmp);
	assert_int_equal(read_file_whole("t", path, 0, &got, &n), 0);
	assert_string_equal(got, text);
	free(got);
	assert_int_equal(cpio_one_file("/abs", buf, 1, 0444, buf, sizeof(buf)), -EINVAL);
	assert_int_equal(cpio_one_file("a/../b", buf, 1, 0444, buf, sizeof(buf)), -EINVAL);
	assert_int_equal(cpio_one_file("a//b", buf, 1, 0444, buf, sizeof(buf)), -EINVAL);
	assert_int_equal(cpio_one_file("a/", buf, 1, 0444, buf, sizeof(buf)), -EINVAL);
}

static void hex32(const char *s, uint8_t *out)
{
	unsigned i, v;

	for (i = 0; i < 32; i++) {
		assert_int_equal(sscanf(s + 2 * i, "%2x", &v), 1);
		out[i] = (uint8_t)v;
	}
}

/* A UKI whose sections systemd-measure 252 knows: PCR 11 replayed from
 * our section list is the value it predicts. */
static void test_uki_pcr(void **state)
{
	const char *d = getenv("KEXSHIM_MEASURED_DIR");
	struct uki_pcr_section s[UKI_PCR_MAX];
	uint8_t pcr[32] = { 0 }, ev[32], want[32];
	char path[4096], *uki, *exp, *p;
	struct sha256_ctx c;
	size_t n, e;
	int k, i;

	assert_non_null(d);
	snprintf(path, sizeof(path), "%s/measure.efi", d);
	assert_int_equal(read_file_whole("t", path, 0, &uki, &n), 0);
	snprintf(path, sizeof(path), "%s/expected", d);
	assert_int_equal(read_file_whole("t", path, 0, &exp, &e), 0);
	p = strstr(exp, "11:sha256=");
	assert_non_null(p);
	hex32(p + 10, want);
	k = uki_pcr_sections("m.efi", (const uint8_t *)uki, n, -1, s);
	assert_int_equal(k, 4);
	assert_string_equal(s[0].name, ".linux");
	assert_string_equal(s[1].name, ".osrel");
	assert_string_equal(s[2].name, ".cmdline");
	assert_string_equal(s[3].name, ".initrd");
	for (i = 0; i < k; i++) {
		sha256((const uint8_t *)s[i].name, strlen(s[i].name) + 1, ev);
		sha256_init(&c);
		sha256_update(&c, pcr, 32);
		sha256_update(&c, ev, 32);
		sha256_final(&c, pcr);
		assert_int_equal(s[i].zeros, 0);
		sha256(s[i].data, s[i].size, ev);
		sha256_init(&c);
		sha256_update(&c, pcr, 32);
		sha256_update(&c, ev, 32);
		sha256_final(&c, pcr);
	}
	assert_memory_equal(pcr, want, 32);
	free(uki);
	free(exp);
}

/* The spec's multi-profile example: @1 measures the base's sections with
 * its own .cmdline and its .profile in their canonical places. */
static void test_uki_profiles(void **state)
{
	const char *d = getenv("KEXSHIM_UKI_DIR");
	struct uki_pcr_section s[UKI_PCR_MAX];
	char path[4096], *uki;
	size_t n;
	int k;

	assert_non_null(d);
	snprintf(path, sizeof(path), "%s/x64-profiles.efi", d);
	assert_int_equal(read_file_whole("t", path, 0, &uki, &n), 0);
	k = uki_pcr_sections("p.efi", (const uint8_t *)uki, n, 1, s);
	assert_int_equal(k, 6); /* .linux .osrel .cmdline .initrd .sbat .profile */
	assert_string_equal(s[2].name, ".cmdline");
	assert_int_equal(s[2].size, strlen("quiet systemd.unit=factory-reset.target\n"));
	assert_memory_equal(s[2].data, "quiet systemd.unit=factory-reset.target", 39);
	assert_string_equal(s[4].name, ".sbat");
	assert_string_equal(s[5].name, ".profile");
	assert_memory_equal(s[5].data, "ID=factory-reset", 16);
	/* The default is @0; a profile that is not there is an error. */
	k = uki_pcr_sections("p.efi", (const uint8_t *)uki, n, -1, s);
	assert_int_equal(k, 6);
	assert_memory_equal(s[2].data, "quiet", 5);
	assert_int_equal(uki_pcr_sections("p.efi", (const uint8_t *)uki, n, 9, s),
			 -ENOENT);
	free(uki);
}

/* The records of a CEL-JSON log: PCR and SHA-256 digest of each. */
static int records(const char *log, unsigned *pcr, uint8_t (*dg)[32], int max)
{
	const char *r = log;
	unsigned recnum;
	int n = 0;

	while ((r = strchr(r, '\x1e')) && n < max) {
		const char *d;

		assert_int_equal(sscanf(r, "\x1e{\"recnum\":%u,\"pcr\":%u",
					&recnum, &pcr[n]), 2);
		assert_int_equal(recnum, (unsigned)n);
		d = strstr(r, "\"hashAlg\":\"sha256\",\"digest\":\"");
		assert_non_null(d);
		hex32(d + 29, dg[n]);
		assert_non_null(strstr(r, "}}\n"));
		r++;
		n++;
	}
	return n;
}

static void extend256(uint8_t *pcr, const uint8_t *d)
{
	struct sha256_ctx c;

	sha256_init(&c);
	sha256_update(&c, pcr, 32);
	sha256_update(&c, d, 32);
	sha256_final(&c, pcr);
}

/* measure_load() end to end on the swtpm: the events of a Type #1 entry
 * and of a UKI, the PCRs they leave (replayed from the log against the
 * TPM's own values), the log in the cpio handed back. */
static void test_measure(void **state)
{
	const char *d = getenv("KEXSHIM_UKI_DIR");
	static const char kernel[] = "a kernel file", i1[] = "initrd one",
			  i2[] = "initrd 2", extra[] = "extra initrd";
	const char *cmdline = "console=ttyS0 x=\"a b\"";
	struct measure_call mc = { 0 };
	struct load_view v;
	uint8_t before[3][32], now[32], dg[64][32], want[32], u16[64];
	static const unsigned pcrs[3] = { 9, 11, 12 };
	struct uki_pcr_section sec[UKI_PCR_MAX];
	unsigned pcr[64];
	const uint8_t *add;
	size_t add_size, len, i, ulen;
	const char *log;
	char path[4096], *uki;
	int n, k, j;

	assert_true(measure_attach(fd));
	for (j = 0; j < 3; j++)
		pcr_read(pcrs[j], TPM_ALG_SHA256, before[j]);

	memset(&v, 0, sizeof(v));
	v.kernel_path = "/esp/vmlinuz";
	v.file = (const uint8_t *)kernel;
	v.file_size = strlen(kernel);
	v.initrd[0] = (struct load_part){ "/esp/one", (const uint8_t *)i1, strlen(i1), false };
	v.initrd[1] = (struct load_part){ "/esp/two", (const uint8_t *)i2, strlen(i2), false };
	v.nr_initrd = 2;
	v.cmdline = cmdline;
	assert_int_equal(measure_load(&mc, &v, &add, &add_size), 0);
	assert_true(mc.measured);

	snprintf(path, sizeof(path), "%s/x64.efi", d);
	assert_int_equal(read_file_whole("t", path, 0, &uki, &len), 0);
	memset(&v, 0, sizeof(v));
	mc.measured = false;
	v.kernel_path = "/esp/EFI/Linux/x64.efi";
	v.uki = true;
	v.uki_profile = -1;
	v.file = (const uint8_t *)uki;
	v.file_size = len;
	v.initrd[0] = (struct load_part){ "x64.efi:.initrd", (const uint8_t *)i1, 1, true };
	v.initrd[1] = (struct load_part){ "/esp/extra", (const uint8_t *)extra, strlen(extra), false };
	v.nr_initrd = 2;
	v.cmdline = "console=ttyS0 root=/dev/vda2 ro";
	v.cmdline_from_uki = true;
	assert_int_equal(measure_load(&mc, &v, &add, &add_size), 0);

	log = measure_log(&len);
	n = records(log, pcr, dg, 64);
	k = uki_pcr_sections("x", (const uint8_t *)uki, v.file_size, -1, sec);
	assert_int_equal(k, 7);
	/* Type #1: kernel, two initrds (PCR 9), the command line (PCR 12)
	 * in UTF-16LE; the UKI: name and data of each section (PCR 11), the
	 * initrd added to it (PCR 12); its own .cmdline is in PCR 11. */
	assert_int_equal(n, 4 + 2 * k + 1);
	assert_int_equal(pcr[0], 9);
	sha256((const uint8_t *)kernel, strlen(kernel), want);
	assert_memory_equal(dg[0], want, 32);
	sha256((const uint8_t *)i2, strlen(i2), want);
	assert_int_equal(pcr[2], 9);
	assert_memory_equal(dg[2], want, 32);
	for (i = ulen = 0; cmdline[i]; i++) {
		u16[ulen++] = (uint8_t)cmdline[i];
		u16[ulen++] = 0;
	}
	sha256(u16, ulen, want);
	assert_int_equal(pcr[3], 12);
	assert_memory_equal(dg[3], want, 32);
	sha256((const uint8_t *)".linux", 7, want);
	assert_int_equal(pcr[4], 11);
	assert_memory_equal(dg[4], want, 32);
	sha256(sec[0].data, sec[0].size, want);
	assert_memory_equal(dg[5], want, 32);
	assert_int_equal(pcr[n - 1], 12);
	sha256((const uint8_t *)extra, strlen(extra), want);
	assert_memory_equal(dg[n - 1], want, 32);
	assert_non_null(strstr(log, "\"eventType\":\"uki-section-name\",\"string\":\".osrel\""));
	assert_non_null(strstr(log, "\"string\":\"console=ttyS0 x=\\\"a b\\\"\""));

	/* Replayed, the log is what the TPM holds. */
	for (j = 0; j < 3; j++) {
		for (i = 0; i < (size_t)n; i++)
			if (pcr[i] == pcrs[j])
				extend256(before[j], dg[i]);
		pcr_read(pcrs[j], TPM_ALG_SHA256, now);
		assert_memory_equal(now, before[j], 32);
	}

	/* The cpio holds the whole log under its name. */
	assert_true(add_size > len);
	assert_non_null(memmem(add, add_size, MEASURE_LOG_PATH, strlen(MEASURE_LOG_PATH)));
	assert_non_null(memmem(add, add_size, log, len));

	/* log_only: nothing extended, the same log handed out. */
	mc = (struct measure_call){ .log_only = true };
	assert_int_equal(measure_load(&mc, &v, &add, &add_size), 0);
	assert_false(mc.measured);
	measure_log(&i);
	assert_int_equal(i, len);
	free(uki);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_marshal),
		cmocka_unit_test(test_extend),
		cmocka_unit_test(test_cel),
		cmocka_unit_test(test_cpio),
		cmocka_unit_test(test_uki_pcr),
		cmocka_unit_test(test_uki_profiles),
		cmocka_unit_test(test_measure),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
