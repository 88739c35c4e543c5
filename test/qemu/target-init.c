/* test/qemu/target-init.c: /init of the TARGET kernel in the QEMU chain
 * tests.  Runs as PID 1 after kexshim's kexec (or any other boot); checks
 * what the target received and prints one line per check on the console:
 *
 *   KEXSHIM-CHECK <name>: ok [detail]      or   KEXSHIM-CHECK <name>: FAIL <detail>
 *
 * then KEXSHIM-TARGET-OK (all passed) or KEXSHIM-TARGET-FAIL, a greeting,
 * and powers off (ACPI S5: QEMU exits with status 0).
 *
 * Expectations come from files the test put in the target initramfs
 * (and target-bli.c's /expected/plan):
 *   /expected/cmdline        /proc/cmdline, exactly (trailing newline ignored)
 *   /expected/random.sha256  SHA-256 (hex) of /random.bin (a second initrd)
 *   /expected/cpus           optional: number of CPUs that must be online
 *   /expected/tpm            optional: check what kexshim measured
 *                            (target-tpm.c; the file lists the PCRs)
 * Without /expected/cmdline or /expected/random.sha256 (a target whose
 * command line carries digests of its own initrd) those checks print
 * nothing; the chain tests ask for every line they expect.
 * The digest here uses the project's SHA-256; the expected one comes from
 * coreutils' sha256sum, so a bug in ours cannot hide itself. */
#include <dirent.h>
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
#include <sys/utsname.h>
#include <unistd.h>

#include "common/sha256.h"
#include "target.h"

#define MIN_RANDOM_SIZE (24u << 20)

static int failures;

/* One write per line, so kernel messages do not split it. */
void say(const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (n > (int)sizeof(line) - 2)
		n = sizeof(line) - 2;
	line[n++] = '\n';
	if (write(STDOUT_FILENO, line, n) < 0)
		return;
}

void check(const char *name, int ok, const char *fmt, ...)
{
	char detail[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	if (!ok)
		failures++;
	say("KEXSHIM-CHECK %s: %s%s%s", name, ok ? "ok" : "FAIL",
	    detail[0] ? " " : "", detail);
}

/* Read a whole (small or sysfs) file; NUL-terminated.  Return: length or -errno. */
ssize_t read_file(const char *path, char *buf, size_t size)
{
	size_t len = 0;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while (len < size - 1) {
		n = read(fd, buf + len, size - 1 - len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			n = -errno;
			close(fd);
			return n;
		}
		if (n == 0)
			break;
		len += n;
	}
	close(fd);
	buf[len] = '\0';
	return len;
}

void chomp(char *s)
{
	size_t n = strlen(s);

	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r'))
		s[--n] = '\0';
}

static int sha256_fd(int fd, uint8_t out[32], unsigned long long *size)
{
	static uint8_t buf[1 << 20];
	struct sha256_ctx s;
	ssize_t n;

	sha256_init(&s);
	*size = 0;
	for (;;) {
		n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		sha256_update(&s, buf, n);
		*size += n;
	}
	sha256_final(&s, out);
	return 0;
}

static void hex(const uint8_t *p, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 15];
	}
	out[2 * n] = '\0';
}

/* Load NAME.ko and what modules.dep says it needs (last dependency first). */
static int load_module(const char *name)
{
	static char dep[1 << 20];
	char want[128], path[512], *line, *save, *colon, *tok, *deps[32];
	struct utsname u;
	int ndeps = 0, i, fd, ret = -ENOENT;
	ssize_t len;

	uname(&u);
	snprintf(path, sizeof(path), "/lib/modules/%s/modules.dep", u.release);
	len = read_file(path, dep, sizeof(dep));
	if (len < 0)
		return len;
	snprintf(want, sizeof(want), "/%s.ko", name);
	for (line = strtok_r(dep, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		colon = strchr(line, ':');
		if (!colon)
			continue;
		*colon = '\0';
		if (strlen(line) < strlen(want) ||
		    strcmp(line + strlen(line) - strlen(want), want))
			continue;
		for (tok = strtok(colon + 1, " "); tok && ndeps < 31; tok = strtok(NULL, " "))
			deps[ndeps++] = tok;
		deps[ndeps++] = line;
		ret = 0;
		break;
	}
	if (ret)
		return ret;
	/* deps[] is "dep1 ... depN module": load depN first, the module last */
	for (i = ndeps - 2; i >= -1; i--) {
		snprintf(path, sizeof(path), "/lib/modules/%s/%s", u.release,
			 deps[i >= 0 ? i : ndeps - 1]);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return -errno;
		if (syscall(SYS_finit_module, fd, "", 0) && errno != EEXIST) {
			ret = -errno;
			close(fd);
			return ret;
		}
		close(fd);
	}
	return 0;
}

static int fs_known(const char *fs)
{
	static char buf[8192];
	char want[64];

	snprintf(want, sizeof(want), "\t%s\n", fs);
	return read_file("/proc/filesystems", buf, sizeof(buf)) > 0 && strstr(buf, want);
}

static void check_cmdline(void)
{
	static char got[8192], want[8192];
	ssize_t a, b;
	size_t i;

	if (access(plan_cmdline(), F_OK))
		return;
	a = read_file("/proc/cmdline", got, sizeof(got));
	b = read_file(plan_cmdline(), want, sizeof(want));
	if (a < 0 || b < 0) {
		check("cmdline", 0, "cannot read %s", a < 0 ? "/proc/cmdline" : plan_cmdline());
		return;
	}
	chomp(got);
	chomp(want);
	/* A plan step may add words (a command line edited in the menu). */
	if (*plan_extra() && strlen(want) + strlen(plan_extra()) + 2 < sizeof(want)) {
		strcat(want, " ");
		strcat(want, plan_extra());
	}
	if (!strcmp(got, want)) {
		check("cmdline", 1, "%zu bytes", strlen(got));
		return;
	}
	for (i = 0; got[i] && got[i] == want[i]; i++)
		;
	check("cmdline", 0, "got %zu bytes, want %zu, first difference at %zu: got \"%.40s\" want \"%.40s\"",
	      strlen(got), strlen(want), i, got + i, want + i);
}

static void check_initrd(void)
{
	char want[128], got[65];
	uint8_t d[32];
	unsigned long long size;
	int fd, ret;

	if (access("/expected/random.sha256", F_OK))
		return;
	if (read_file("/expected/random.sha256", want, sizeof(want)) < 64) {
		check("initrd", 0, "cannot read /expected/random.sha256");
		return;
	}
	want[64] = '\0';
	fd = open("/random.bin", O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		check("initrd", 0, "/random.bin: %s (second initrd missing?)", strerror(errno));
		return;
	}
	ret = sha256_fd(fd, d, &size);
	close(fd);
	if (ret) {
		check("initrd", 0, "/random.bin: read: %s", strerror(-ret));
		return;
	}
	hex(d, 32, got);
	if (size < MIN_RANDOM_SIZE)
		check("initrd", 0, "/random.bin is %llu bytes, want >= %u", size, MIN_RANDOM_SIZE);
	else if (strcmp(got, want))
		check("initrd", 0, "/random.bin sha256 %s, want %s", got, want);
	else
		check("initrd", 1, "/random.bin %llu bytes sha256 %.16s...", size, got);
}

static void check_efi(void)
{
	static char buf[4096];
	const char *dir = "/sys/firmware/efi/efivars";
	struct dirent *de;
	char path[512], name[256] = "";
	struct stat st;
	ssize_t n = -ENOENT;
	DIR *d;

	if (stat("/sys/firmware/efi", &st)) {
		check("efi", 0, "/sys/firmware/efi: %s", strerror(errno));
		return;
	}
	d = opendir(dir);
	if (!d) {
		check("efi", 0, "%s: %s", dir, strerror(errno));
		return;
	}
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		n = read_file(path, buf, sizeof(buf));
		if (n > 4) {
			snprintf(name, sizeof(name), "%s", de->d_name);
			break;
		}
	}
	closedir(d);
	if (n > 4)
		check("efi", 1, "read %.80s (%zd bytes)", name, n);
	else
		check("efi", 0, "no readable variable in %s", dir);
}

static void check_acpi(void)
{
	static const char *const tables[] = { "DSDT", "XSDT", "RSDT" };
	char buf[64], path[64];
	unsigned int i;
	ssize_t n;

	for (i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
		snprintf(path, sizeof(path), "/sys/firmware/acpi/tables/%s", tables[i]);
		n = read_file(path, buf, sizeof(buf));
		if (n >= 36 && !memcmp(buf, tables[i], 4)) {
			check("acpi", 1, "%s readable", tables[i]);
			return;
		}
	}
	/* arm64 booted with a device tree (virt,acpi=off) has no ACPI by
	 * design; then the tree must be the machine's own, not the EFI
	 * stub's empty one (which only an ACPI boot has).  The chain test
	 * says which of the two each run expects. */
	n = read_file("/sys/firmware/devicetree/base/compatible", buf, sizeof(buf));
	if (n > 0)
		check("acpi", 1, "none: device tree '%s'", buf);
	else
		check("acpi", 0, "no DSDT/XSDT/RSDT under /sys/firmware/acpi/tables");
}

static void check_cpus(void)
{
	char online[256], present[256], want[64], n[32];
	long count;

	if (read_file("/sys/devices/system/cpu/online", online, sizeof(online)) < 0 ||
	    read_file("/sys/devices/system/cpu/present", present, sizeof(present)) < 0) {
		check("cpus", 0, "cannot read /sys/devices/system/cpu/{online,present}");
		return;
	}
	chomp(online);
	chomp(present);
	if (read_file("/expected/cpus", n, sizeof(n)) > 0) {
		count = strtol(n, NULL, 10);
		if (count <= 1)
			snprintf(want, sizeof(want), "0");
		else
			snprintf(want, sizeof(want), "0-%ld", count - 1);
		if (strcmp(online, want)) {
			check("cpus", 0, "online %s, want %s (present %s)", online, want, present);
			return;
		}
	}
	if (strcmp(online, present))
		check("cpus", 0, "online %s, present %s", online, present);
	else
		check("cpus", 1, "online %s", online);
}

static void check_memtotal(void)
{
	static char buf[8192];
	unsigned long kb;
	char *p;

	if (read_file("/proc/meminfo", buf, sizeof(buf)) < 0 ||
	    !(p = strstr(buf, "MemTotal:")) || sscanf(p, "MemTotal: %lu", &kb) != 1) {
		check("memtotal", 0, "no MemTotal in /proc/meminfo");
		return;
	}
	check("memtotal", 1, "%lu kB", kb);
}

int main(int argc, char **argv)
{
	int ret;

	if (getpid() != 1) {
		fprintf(stderr, "target-init: runs as PID 1 in the test target\n");
		return 2;
	}

	mount("proc", "/proc", "proc", 0, NULL);
	mount("sysfs", "/sys", "sysfs", 0, NULL);
	mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	say("target-init: checking what kexshim handed over");
	if (!fs_known("efivarfs")) {
		ret = load_module("efivarfs");
		if (ret)
			say("target-init: loading efivarfs: %s", strerror(-ret));
	}
	/* Read-write: a multi-boot plan writes its step and one-shots. */
	if (mount("efivarfs", "/sys/firmware/efi/efivars", "efivarfs", 0, NULL) &&
	    errno != EBUSY)
		say("target-init: mount efivarfs: %s", strerror(errno));

	check_cmdline();
	check_initrd();
	check_efi();
	check_acpi();
	check_cpus();
	check_memtotal();
	check_bli();
	check_plan();
	if (!access("/expected/tpm", F_OK)) {
		char detail[600];
		int ok = tpm_check(detail, sizeof(detail));

		check("tpm", ok, "%s", detail);
	}

	say(failures ? "KEXSHIM-TARGET-FAIL (%d checks failed)" : "KEXSHIM-TARGET-OK", failures);
	say("Hello from the target kernel, booted by kexshim");
	plan_finish(failures);
	sync();
	reboot(RB_POWER_OFF);
	say("target-init: power off failed: %s", strerror(errno));
	for (;;)
		pause();
}
