/* Host unit tests: boot/load/fileload.c (what kexec_file_load gets: a
 * sealed kernel memfd, one initrd memfd, the command line) and the load
 * hooks of boot/load/load.c (what a measure hook sees, what it appends),
 * on the real Debian kernel and UKIs made from systemd's stub
 * ($KEXSHIM_UKI_DIR, see unit.mk).  Never calls the syscall. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "lib/console.h"
#include "lib/error.h"
#include "lib/readfile.h"
#include "load/fileload.h"
#include "load/load.h"

static char tmp[] = "/tmp/kexshim-fileload-XXXXXX";
static char kernel[4096], uki[4096], ird1[4096], ird2[4096], iomem[4096],
	root[4096];
static char *kbuf;
static size_t klen;

static void write_file(const char *path, const char *fill, size_t n)
{
	FILE *f = fopen(path, "wb");
	size_t i;

	assert_non_null(f);
	for (i = 0; i < n; i++)
		fputc(fill[i % strlen(fill)], f);
	assert_int_equal(fclose(f), 0);
}

static int setup(void **state)
{
	const char *k = getenv("KEXSHIM_KERNEL_DIR"), *u = getenv("KEXSHIM_UKI_DIR");
	const char *top = getenv("KEXSHIM_TOP");

	assert_non_null(k);
	assert_non_null(u);
	assert_non_null(top);
	assert_non_null(mkdtemp(tmp));
	snprintf(kernel, sizeof(kernel), "%s/vmlinuz", k);
	snprintf(uki, sizeof(uki), "%s/x64.efi", u);
	snprintf(ird1, sizeof(ird1), "%s/one", tmp);
	snprintf(ird2, sizeof(ird2), "%s/two", tmp);
	snprintf(root, sizeof(root), "%s/root", tmp);
	mkdir(root, 0755);
	snprintf(iomem, sizeof(iomem),
		 "%s/test/unit/fixtures/iomem/qemu-q35-ovmf-2g.iomem", top);
	write_file(ird1, "1", 12345);     /* not a multiple of 4 */
	write_file(ird2, "22", 7000);
	assert_int_equal(read_file_whole("test", kernel, 0, &kbuf, &klen), 0);
	return 0;
}

static int teardown(void **state)
{
	char cmd[200];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmp);
	free(kbuf);
	return system(cmd);
}

/* The whole content of fd, which must be sealed against writes. */
static uint8_t *fd_bytes(int fd, size_t *len)
{
	struct stat st;
	uint8_t *b;

	assert_true(fd >= 0);
	assert_int_equal(fstat(fd, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(fcntl(fd, F_GET_SEALS) & (F_SEAL_WRITE | F_SEAL_GROW),
			 F_SEAL_WRITE | F_SEAL_GROW);
	b = malloc(st.st_size + 1);
	assert_int_equal(pread(fd, b, st.st_size, 0), st.st_size);
	*len = st.st_size;
	return b;
}

static void test_plain(void **state)
{
	struct load_request req = { .kernel = kernel, .uki_profile = -1 };
	struct file_load fl;
	uint8_t *b;
	size_t n, i;

	req.initrd[0] = ird1;
	req.initrd[1] = ird2;
	req.nr_initrd = 2;
	req.cmdline = "console=ttyS0 quiet";
	assert_int_equal(file_load_prepare(&fl, &req, true), 0);
	assert_false(fl.uki);
	assert_string_equal(fl.cmdline, "console=ttyS0 quiet");
	/* The kernel as the file is: its signature covers all of it. */
	b = fd_bytes(fl.kernel_fd, &n);
	assert_int_equal(n, klen);
	assert_memory_equal(b, kbuf, klen);
	free(b);
	b = fd_bytes(fl.initrd_fd, &n);
	assert_int_equal(n, 12345 + 7000);
	for (i = 0; i < 12345; i++)
		assert_int_equal(b[i], '1');
	assert_int_equal(b[12345], '2');
	free(b);
	assert_non_null(strstr(fl.initrd_desc, "/one, "));
	assert_int_equal(fl.nr_part, 2);
	assert_string_equal(fl.part[0].name, ird1);
	assert_string_equal(fl.part[1].name, ird2);
	file_load_release(&fl);
	assert_int_equal(fl.kernel_fd, -1);

	/* No initrd: no fd (KEXEC_FILE_NO_INITRAMFS), no command line: "". */
	req.nr_initrd = 0;
	req.cmdline = NULL;
	assert_int_equal(file_load_prepare(&fl, &req, false), 0);
	assert_int_equal(fl.initrd_fd, -1);
	assert_null(fl.initrd);
	assert_string_equal(fl.cmdline, "");
	file_load_release(&fl);

	/* A missing file: one line naming it. */
	req.kernel = "/nonexistent/vmlinuz";
	assert_true(file_load_prepare(&fl, &req, false) < 0);
	assert_non_null(strstr(kx_last_error(), "/nonexistent/vmlinuz"));
}

static void test_uki(void **state)
{
	struct load_request req = { .kernel = uki, .uki_profile = -1 };
	struct file_load fl;
	unsigned warnings;
	uint8_t *b;
	size_t n;

	req.initrd[0] = ird2;
	req.nr_initrd = 1;
	assert_int_equal(file_load_prepare(&fl, &req, false), 0);
	assert_true(fl.uki);
	assert_string_equal(fl.img.format, "uki");
	/* .linux exactly as signed: the Debian bzImage, not unpacked. */
	b = fd_bytes(fl.kernel_fd, &n);
	assert_int_equal(n, klen);
	assert_memory_equal(b, kbuf, klen);
	free(b);
	/* .ucode (4096 'U'), .initrd (100000 'I'), then the file. */
	b = fd_bytes(fl.initrd_fd, &n);
	assert_int_equal(n, 4096 + 100000 + 7000);
	assert_int_equal(b[0], 'U');
	assert_int_equal(b[4096], 'I');
	assert_int_equal(b[104096], '2');
	free(b);
	assert_string_equal(fl.cmdline, "console=ttyS0 root=/dev/vda2 ro");
	assert_int_equal(fl.nr_part, 3);
	assert_true(fl.part[0].from_uki && fl.part[1].from_uki);
	assert_false(fl.part[2].from_uki);
	assert_non_null(strstr(fl.part[1].name, "x64.efi:.initrd"));
	file_load_release(&fl);

	/* Outside Secure Boot rules a given command line wins... */
	req.cmdline = "edited";
	assert_int_equal(file_load_prepare(&fl, &req, false), 0);
	assert_string_equal(fl.cmdline, "edited");
	file_load_release(&fl);
	/* ...signed, the UKI's own does, and that is said. */
	warnings = con_warnings();
	assert_int_equal(file_load_prepare(&fl, &req, true), 0);
	assert_string_equal(fl.cmdline, "console=ttyS0 root=/dev/vda2 ro");
	assert_int_equal(con_warnings(), warnings + 1);
	assert_non_null(strstr(con_last_warning(), "signed .cmdline is used"));
	file_load_release(&fl);
	/* The same line as its own: nothing to say. */
	req.cmdline = "console=ttyS0 root=/dev/vda2 ro";
	assert_int_equal(file_load_prepare(&fl, &req, true), 0);
	assert_int_equal(con_warnings(), warnings + 1);
	file_load_release(&fl);
	/* A devicetree cannot go this way: a warning, the load goes on. */
	req.dtb = ird1;
	assert_int_equal(file_load_prepare(&fl, &req, true), 0);
	assert_int_equal(con_warnings(), warnings + 2);
	assert_non_null(strstr(con_last_warning(), "devicetree"));
	file_load_release(&fl);
}

struct seen {
	int verify_calls, measure_calls;
	size_t file_size, nr_initrd, initrd_size[LOAD_MAX_PARTS];
	bool uki, cmdline_from_uki, from_uki[LOAD_MAX_PARTS];
	char cmdline[256];
	int verdict;
	const char *append;
};

static int verify(void *ctx, const char *path, const uint8_t *buf, size_t len)
{
	struct seen *s = ctx;

	s->verify_calls++;
	s->file_size = len;
	assert_memory_equal(buf, "MZ", 2);
	return s->verdict ? kx_fail(s->verdict, "secure: %s: no", path) : 0;
}

static int measure(void *ctx, const struct load_view *v, const uint8_t **add,
		   size_t *add_size)
{
	struct seen *s = ctx;
	size_t i;

	s->measure_calls++;
	s->uki = v->uki;
	s->file_size = v->file_size;
	s->nr_initrd = v->nr_initrd;
	for (i = 0; i < v->nr_initrd; i++) {
		s->initrd_size[i] = v->initrd[i].size;
		s->from_uki[i] = v->initrd[i].from_uki;
	}
	s->cmdline_from_uki = v->cmdline_from_uki;
	snprintf(s->cmdline, sizeof(s->cmdline), "%s", v->cmdline);
	*add = (const uint8_t *)s->append;
	*add_size = s->append ? strlen(s->append) : 0;
	return 0;
}

static void test_hooks_file(void **state)
{
	struct seen s = { .append = "LOG!" };
	struct load_hooks h = { .verify_uki = verify, .measure = measure, .ctx = &s };
	struct load_request req = { .kernel = uki, .uki_profile = -1, .hooks = &h };
	struct file_load fl;
	uint8_t *b;
	size_t n;

	req.initrd[0] = ird1;
	req.nr_initrd = 1;
	assert_int_equal(file_load_prepare(&fl, &req, true), 0);
	assert_int_equal(s.verify_calls, 1);
	/* Measured only when asked: after the kernel took the files. */
	assert_int_equal(s.measure_calls, 0);
	b = fd_bytes(fl.initrd_fd, &n);
	assert_int_equal(n, 104096 + 12345);
	free(b);
	assert_int_equal(file_load_measure(&fl), 0);
	assert_int_equal(s.measure_calls, 1);
	assert_true(s.uki);
	assert_true(s.cmdline_from_uki);
	assert_int_equal(s.nr_initrd, 3);
	assert_int_equal(s.initrd_size[2], 12345);
	assert_false(s.from_uki[2]);
	/* The appended bytes after zeros to a 4-byte boundary. */
	b = fd_bytes(fl.initrd_fd, &n);
	assert_int_equal(n, 104096 + 12345 + 3 + 4);
	assert_memory_equal(b + 104096 + 12345, "\0\0\0LOG!", 7);
	free(b);
	file_load_release(&fl);

	/* Refused: nothing is measured, the reason is the message. */
	s.verdict = EKEYREJECTED;
	assert_int_equal(file_load_prepare(&fl, &req, true), -EKEYREJECTED);
	assert_int_equal(s.measure_calls, 1);
	assert_non_null(strstr(kx_last_error(), "x64.efi: no"));
	assert_int_equal(fl.kernel_fd, -1);

	/* Not a UKI: no signature check of ours (the kernel checks). */
	s.verdict = 0;
	req.kernel = kernel;
	req.nr_initrd = 0;
	assert_int_equal(file_load_prepare(&fl, &req, true), 0);
	assert_int_equal(fl.initrd_fd, -1);
	assert_int_equal(file_load_measure(&fl), 0);
	assert_int_equal(s.verify_calls, 2);
	assert_int_equal(s.measure_calls, 2);
	assert_false(s.uki);
	assert_int_equal(s.file_size, klen);
	/* No initrd at all: the log alone is one. */
	b = fd_bytes(fl.initrd_fd, &n);
	assert_int_equal(n, 4);
	free(b);
	file_load_release(&fl);
}

static void test_hooks_load(void **state)
{
	struct seen s = { .append = "CPIO" };
	struct load_hooks h = { .measure = measure, .ctx = &s };
	struct load_request req = { .kernel = kernel, .uki_profile = -1,
				    .hooks = &h, .memmap = iomem, .root = root,
				    .cmdline = "console=ttyS0" };
	struct load *l = calloc(1, sizeof(*l));
	size_t i;

	req.initrd[0] = ird1;
	req.nr_initrd = 1;
	assert_int_equal(load_prepare(l, &req), 0);
	assert_int_equal(s.measure_calls, 1);
	assert_false(s.uki);
	assert_int_equal(s.file_size, klen);
	assert_int_equal(s.nr_initrd, 1);
	assert_int_equal(s.initrd_size[0], 12345);
	assert_false(s.cmdline_from_uki);
	assert_string_equal(s.cmdline, "console=ttyS0");
	/* The planned initrd segment carries the appended bytes. */
	for (i = 0; i < l->plan.n; i++)
		if (!strcmp(l->plan.seg[i].name, "initrd"))
			break;
	assert_true(i < l->plan.n);
	assert_int_equal(l->plan.seg[i].bufsz, 12345 + 3 + 4);
	assert_memory_equal((const uint8_t *)l->plan.seg[i].buf + 12345,
			    "\0\0\0CPIO", 7);
	load_release(l);

	/* A kernel the arch code refuses is never measured. */
	req.kernel = ird2;
	assert_true(load_prepare(l, &req) < 0);
	assert_int_equal(s.measure_calls, 1);

	/* The UKI through kexec_load: its .cmdline, its initrds marked. */
	req.kernel = uki;
	req.cmdline = NULL;
	req.nr_initrd = 0;
	assert_int_equal(load_prepare(l, &req), 0);
	assert_int_equal(s.measure_calls, 2);
	assert_true(s.uki);
	assert_true(s.cmdline_from_uki);
	assert_int_equal(s.nr_initrd, 2);
	assert_true(s.from_uki[0] && s.from_uki[1]);
	load_release(l);
	free(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_uki),
		cmocka_unit_test(test_hooks_file),
		cmocka_unit_test(test_hooks_load),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
