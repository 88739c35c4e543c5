/* Host unit tests: what PID 1 does when an entry fails and the next one
 * boots, in one process: load_prepare() on entries that fail at each
 * stage (the kernel truncated, an initrd missing after the kernel was
 * mapped, the command line too long after the initrd was read), then on
 * a good one.  Nothing may stay behind: the same open fds
 * (/proc/self/fd), mappings (/proc/self/maps) and heap bytes (ASan's
 * count) as after a first good load.  Uses the real Debian kernel. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <errno.h>
#include <unistd.h>
#include <cmocka.h>

#include "lib/error.h"
#include "lib/readfile.h"
#include "load/load.h"

/* ASan's live heap bytes (sanitizer/allocator_interface.h, which Debian's
 * gcc does not ship; the unit tests always link ASan). */
size_t __sanitizer_get_current_allocated_bytes(void);

static char tmp[] = "/tmp/kexshim-fallback-XXXXXX";
static char kernel[4096], cut[4096], initrd[4096], iomem[4096], root[4096];
static struct load l;

static void write_bytes(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fwrite(p, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

static size_t count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	size_t n = 0;

	assert_non_null(d);
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

static size_t count_maps(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	size_t n = 0;
	int c;

	assert_non_null(f);
	while ((c = fgetc(f)) != EOF)
		n += c == '\n';
	fclose(f);
	return n;
}

static int try_load(const char *k, const char *rd, const char *cmdline)
{
	struct load_request req = {
		.kernel = k, .memmap = iomem, .root = root, .uki_profile = -1,
		.cmdline = cmdline,
	};
	int rc;

	if (rd)
		req.initrd[req.nr_initrd++] = rd;
	rc = load_prepare(&l, &req);
	load_release(&l);
	return rc;
}

static void test_fail_then_boot(void **state)
{
	char missing[4096], *long_cmdline = malloc(4096);
	size_t fds, maps, bytes;
	int i;

	assert_non_null(long_cmdline);
	memset(long_cmdline, 'a', 4095);
	long_cmdline[4095] = '\0';
	snprintf(missing, sizeof(missing), "%s/missing", tmp);
	/* a first good load sets up what stays for the process's life */
	assert_int_equal(try_load(kernel, initrd, "console=ttyS0"), 0);
	fds = count_fds();
	maps = count_maps();
	bytes = __sanitizer_get_current_allocated_bytes();
	for (i = 0; i < 3; i++) {
		assert_int_equal(try_load(cut, initrd, NULL), -EINVAL);
		assert_non_null(strstr(kx_last_error(), "truncated"));
		assert_int_equal(try_load(kernel, missing, NULL), -ENOENT);
		assert_int_equal(try_load(kernel, initrd, long_cmdline), -EINVAL);
		assert_non_null(strstr(kx_last_error(), "cmdline_size"));
		assert_int_equal(try_load(kernel, initrd, "console=ttyS0"), 0);
	}
	assert_int_equal(count_fds(), fds);
	assert_int_equal(count_maps(), maps);
	assert_int_equal(__sanitizer_get_current_allocated_bytes(), bytes);
	free(long_cmdline);
}

static int setup(void **state)
{
	const char *kdir = getenv("KEXSHIM_KERNEL_DIR");
	const char *top = getenv("KEXSHIM_TOP");
	char *buf, *rd;
	size_t len;

	if (!kdir || !mkdtemp(tmp))
		return -1;
	snprintf(kernel, sizeof(kernel), "%s/vmlinuz", kdir);
	if (read_file_whole("test", kernel, 0, &buf, &len))
		return -1;
	snprintf(cut, sizeof(cut), "%s/cut", tmp);
	write_bytes(cut, buf, len / 2);
	free(buf);
	rd = calloc(1, 100000);
	if (!rd)
		return -1;
	snprintf(initrd, sizeof(initrd), "%s/initrd", tmp);
	write_bytes(initrd, rd, 100000);
	free(rd);
	snprintf(root, sizeof(root), "%s", tmp);
	snprintf(iomem, sizeof(iomem),
		 "%s/test/unit/fixtures/iomem/qemu-q35-ovmf-2g.iomem",
		 top ? top : ".");
	return 0;
}

static int teardown(void **state)
{
	unlink(cut);
	unlink(initrd);
	rmdir(tmp);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fail_then_boot),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
