/* kernel/test-init.c: /init of the shim-kernel test initramfs; runs as PID 1
 * inside a QEMU guest only (it powers the machine off).
 *
 * Always prints "SHIM-INIT-REACHED uptime=S.SS" (the kernel's own uptime at
 * /init, from /proc/uptime: firmware time excluded), used by
 * bench/shim-kernel-compression.sh.  With "testinit.smoke" on the kernel
 * command line it then checks what the shim kernel must provide and prints
 * one "SMOKE ok - ..." / "SMOKE not ok - ..." line per check for
 * kernel/smoke.sh; "testinit.cpus=N" sets the expected CPU count (default 2),
 * "testinit.tpm" adds a TPM check.  Ends with "SHIM-INIT-DONE" and a power
 * off.  Never loads a kernel: kexec_file_load is only probed with bad fds. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static char cmdline[4096];

/* Return: bytes read into buf (NUL-terminated), or -1. */
static ssize_t read_text(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return n;
}

/* Return: the value of "key=value" on the command line, "" for a bare
 * "key", or NULL when absent.  Values end at a space (enough here). */
static const char *param(const char *key)
{
	static char val[256];
	size_t klen = strlen(key);

	for (const char *p = cmdline; (p = strstr(p, key)) != NULL; p += klen) {
		if (p != cmdline && p[-1] != ' ')
			continue;
		if (p[klen] == '=') {
			size_t n = strcspn(p + klen + 1, " \n");
			if (n >= sizeof(val))
				n = sizeof(val) - 1;
			memcpy(val, p + klen + 1, n);
			val[n] = '\0';
			return val;
		}
		if (p[klen] == ' ' || p[klen] == '\n' || p[klen] == '\0')
			return "";
	}
	return NULL;
}

static int failed;

static void check(int ok, const char *fmt, ...)
{
	va_list ap;

	printf("SMOKE %s - ", ok ? "ok" : "not ok");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	failed += !ok;
}

static int exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

static int is_blockdev(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISBLK(st.st_mode);
}

/* Return: 1 if the kernel lists fs in /proc/filesystems. */
static int has_fs(const char *fs)
{
	static char list[8192];
	char want[64];

	if (read_text("/proc/filesystems", list, sizeof(list)) < 0)
		return 0;
	snprintf(want, sizeof(want), "\t%s\n", fs);
	return strstr(list, want) != NULL;
}

/* Return: the number of CPUs in a list such as "0-1,4". */
static int count_cpus(const char *list)
{
	int n = 0;

	while (*list && *list != '\n') {
		char *end;
		long a = strtol(list, &end, 10), b = a;

		if (end == list)
			return -1;
		if (*end == '-')
			b = strtol(end + 1, &end, 10);
		n += (int)(b - a + 1);
		list = *end == ',' ? end + 1 : end;
	}
	return n;
}

static void smoke(void)
{
	char buf[256];
	const char *cpus = param("testinit.cpus");
	int want_cpus = cpus ? atoi(cpus) : 2, got_cpus = -1;
	long rc;
	int err;

	check(is_blockdev("/dev/vda"), "/dev/vda present (virtio-blk)");
	check(exists("/sys/class/net/eth0"), "eth0 present (virtio-net)");
	check(exists("/sys/firmware/efi"), "/sys/firmware/efi present (booted through EFI)");
	rc = mount("efivarfs", "/sys/firmware/efi/efivars", "efivarfs", 0, NULL);
	check(rc == 0, "efivarfs mountable (%s)", rc == 0 ? "mounted" : strerror(errno));
	mount("securityfs", "/sys/kernel/security", "securityfs", 0, NULL);
	buf[0] = '\0';
	read_text("/sys/kernel/security/lockdown", buf, sizeof(buf));
	buf[strcspn(buf, "\n")] = '\0';
	check(exists("/sys/kernel/security/lockdown"),
	      "/sys/kernel/security/lockdown present (%s)", buf);
	check(exists("/proc/sys/kernel/kexec_load_disabled"),
	      "/proc/sys/kernel/kexec_load_disabled present (KEXEC)");
	/* bad fds: EBADF proves the syscall exists, nothing gets loaded */
	rc = syscall(SYS_kexec_file_load, -1, -1, 0UL, "", 0UL);
	err = errno;
	check(rc < 0 && err == EBADF, "kexec_file_load present (%s)",
	      rc < 0 ? strerror(err) : "returned 0?");
	if (read_text("/sys/devices/system/cpu/online", buf, sizeof(buf)) > 0)
		got_cpus = count_cpus(buf);
	check(got_cpus == want_cpus, "CPUs online == %d (%d)", want_cpus, got_cpus);
	check(has_fs("ext4"), "ext4 in /proc/filesystems");
	check(has_fs("vfat"), "vfat in /proc/filesystems");
	check(has_fs("xfs"), "xfs in /proc/filesystems");
	check(has_fs("btrfs"), "btrfs in /proc/filesystems");
	check(exists("/dev/fb0") || exists("/sys/class/graphics/fb0"),
	      "framebuffer present (fb0)");
	if (param("testinit.tpm"))
		check(exists("/dev/tpm0") && exists("/sys/class/tpm/tpm0"),
		      "TPM present (/dev/tpm0)");
	printf("SMOKE-RESULT failed=%d\n", failed);
}

int main(void)
{
	char up[64] = "?";

	mkdir("/proc", 0755);
	mkdir("/sys", 0755);
	mkdir("/dev", 0755);
	mount("proc", "/proc", "proc", 0, NULL);
	/* uptime first: everything after this is the test's own time */
	if (read_text("/proc/uptime", up, sizeof(up)) > 0)
		up[strcspn(up, " ")] = '\0';
	mount("sysfs", "/sys", "sysfs", 0, NULL);
	mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	/* the kernel opened /dev/console for us; make stdout line-buffered */
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("SHIM-INIT-REACHED uptime=%s\n", up);
	read_text("/proc/cmdline", cmdline, sizeof(cmdline));
	if (param("testinit.smoke"))
		smoke();
	printf("SHIM-INIT-DONE\n");
	fflush(stdout);
	sync();
	reboot(RB_POWER_OFF);
	return 0;
}
