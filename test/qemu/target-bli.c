/* test/qemu/target-bli.c: the target's checks of the Boot Loader
 * Interface (systemd's BOOT_LOADER_INTERFACE.md) and the multi-boot
 * plans of the chain tests.  Runs in the test target as PID 1, efivarfs
 * mounted read-write.
 *
 * KEXSHIM-CHECK bli: what kexshim.efi set before the shim (LoaderInfo,
 * LoaderFirmwareType, LoaderFeatures, LoaderTimeInitUSec <= ExecUSec,
 * LoaderImageIdentifier, LoaderDevicePartUUID when it ran from a GPT
 * partition) and what the shim set (LoaderEntrySelected, one of
 * LoaderEntries).
 *
 * /expected/plan (optional; an extra initrd of the run that wants it):
 * one QEMU process boots the chain several times, the firmware's variable
 * store surviving each warm reset.  Lines "STEP WANT ACTION [WORD...]":
 * boot STEP must have booted the entry WANT (LoaderEntrySelected, as
 * bootctl names it), with no LoaderEntryOneShot left (the shim takes it),
 * and the command line /expected/cmdline (or /expected/NAME after a first
 * word "cmdline=NAME": grub re-quotes arguments its own way) plus WORDs;
 * then ACTION:
 * "oneshot=ID" sets LoaderEntryOneShot=ID (what `systemctl reboot
 * --boot-loader-entry=ID` does) and reboots, "reboot" reboots,
 * "poweroff" ends the run.  The step number lives in an EFI variable of
 * the test's own.  Any failed check powers off. */
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/reboot.h>
#include <unistd.h>

#include "target.h"

#define VARS "/sys/firmware/efi/efivars"
#define LOADER "4a67b082-0a4c-41cf-b6c7-440b29bb8c4f"
#define TEST_GUID "3b8c7a1e-5d2f-4e6a-9c1b-0a2d3e4f5a6b"
#define STEP_VAR "KexshimTestStep-" TEST_GUID

/* A variable's data (after the 4 attribute bytes).  Return: its length,
 * or -errno. */
static ssize_t var_read(const char *name, char *buf, size_t size)
{
	static char raw[8192];
	char path[256];
	ssize_t n;

	snprintf(path, sizeof(path), VARS "/%s", name);
	n = read_file(path, raw, sizeof(raw));
	if (n < 0)
		return n;
	if (n < 4)
		return -EINVAL;
	n -= 4;
	if ((size_t)n > size)
		n = (ssize_t)size;
	memcpy(buf, raw + 4, (size_t)n);
	return n;
}

/* A UTF-16 string variable as ASCII ('?' for the rest); "" when absent.
 * Return: 0, or -errno. */
static int var_string(const char *name, char *out, size_t size)
{
	char raw[4096];
	ssize_t n = var_read(name, raw, sizeof(raw));
	size_t i, o = 0;

	out[0] = '\0';
	if (n < 0)
		return (int)n;
	for (i = 0; i + 1 < (size_t)n && o + 1 < size; i += 2) {
		unsigned c = (unsigned char)raw[i] | (unsigned char)raw[i + 1] << 8;

		if (!c)
			break;
		out[o++] = c < 0x80 ? (char)c : '?';
	}
	out[o] = '\0';
	return 0;
}

static int var_write(const char *name, const void *data, size_t len)
{
	char path[256], buf[1024];
	uint32_t attr = 7; /* non-volatile, boot service, runtime */
	int fd, rc = 0;

	if (len + 4 > sizeof(buf))
		return -E2BIG;
	memcpy(buf, &attr, 4);
	memcpy(buf + 4, data, len);
	snprintf(path, sizeof(path), VARS "/%s", name);
	/* efivarfs makes a variable it does not know immutable once it is
	 * there at mount time (our step after the first boot). */
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		int flags;

		if (!ioctl(fd, FS_IOC_GETFLAGS, &flags) && (flags & FS_IMMUTABLE_FL)) {
			flags &= ~FS_IMMUTABLE_FL;
			ioctl(fd, FS_IOC_SETFLAGS, &flags);
		}
		close(fd);
	}
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	if (write(fd, buf, len + 4) != (ssize_t)(len + 4))
		rc = -errno;
	close(fd);
	return rc;
}

static int var_write_string(const char *name, const char *s)
{
	char buf[512];
	size_t i, n = strlen(s);

	if (2 * (n + 1) > sizeof(buf))
		return -E2BIG;
	for (i = 0; i <= n; i++) {
		buf[2 * i] = s[i];
		buf[2 * i + 1] = 0;
	}
	return var_write(name, buf, 2 * (n + 1));
}

void check_bli(void)
{
	char info[128], fw[128], image[256], sel[256], uuid[64], init[32],
	     exec[32], list[4096];
	unsigned long long t0, t1, features = 0;
	ssize_t n;
	size_t i, count = 0;
	int found = 0;

	var_string("LoaderInfo-" LOADER, info, sizeof(info));
	var_string("LoaderFirmwareType-" LOADER, fw, sizeof(fw));
	var_string("LoaderImageIdentifier-" LOADER, image, sizeof(image));
	var_string("LoaderEntrySelected-" LOADER, sel, sizeof(sel));
	var_string("LoaderDevicePartUUID-" LOADER, uuid, sizeof(uuid));
	var_string("LoaderTimeInitUSec-" LOADER, init, sizeof(init));
	var_string("LoaderTimeExecUSec-" LOADER, exec, sizeof(exec));
	if (var_read("LoaderFeatures-" LOADER, (char *)&features, 8) != 8)
		features = 0;
	t0 = strtoull(init, NULL, 10);
	t1 = strtoull(exec, NULL, 10);
	/* LoaderEntries: NUL-separated UTF-16 IDs. */
	n = var_read("LoaderEntries-" LOADER, list, sizeof(list));
	for (i = 0; n > 0 && i + 1 < (size_t)n;) {
		char id[256];
		size_t o = 0;

		for (; i + 1 < (size_t)n && (list[i] || list[i + 1]); i += 2)
			if (o + 1 < sizeof(id))
				id[o++] = list[i];
		id[o] = '\0';
		i += 2;
		count++;
		if (sel[0] && !strcmp(id, sel))
			found = 1;
	}
	if (strncmp(info, "kexshim ", 8))
		check("bli", 0, "LoaderInfo '%s', want 'kexshim VERSION'", info);
	else if (strncmp(fw, "UEFI ", 5))
		check("bli", 0, "LoaderFirmwareType '%s', want 'UEFI N.NN'", fw);
	else if ((features & 0x3f) != 0x3f)
		check("bli", 0, "LoaderFeatures 0x%llx, want bits 0-5", features);
	else if (!t0 || t1 < t0)
		check("bli", 0, "LoaderTimeInitUSec '%s', LoaderTimeExecUSec '%s'", init, exec);
	else if (!image[0])
		check("bli", 0, "no LoaderImageIdentifier");
	else if (!sel[0] || !found)
		check("bli", 0, "LoaderEntrySelected '%s' is not one of %zu LoaderEntries", sel, count);
	else
		check("bli", 1, "%s, %s, selected=%s of %zu, partuuid=%s, image=%s, "
		      "init %llu us, exec %llu us", info, fw, sel, count,
		      uuid[0] ? uuid : "none", image, t0, t1);
}

static struct {
	int loaded, steps, step;   /* step: this boot's, 1-based */
	char want[256], action[256], extra[1024], cmdline[300];
} plan;

static void plan_load(void)
{
	static char buf[8192];
	char step[32], *line, *save;

	if (plan.loaded)
		return;
	plan.loaded = 1;
	if (read_file("/expected/plan", buf, sizeof(buf)) <= 0)
		return;
	plan.step = 1;
	if (var_read(STEP_VAR, step, sizeof(step) - 1) > 0) {
		step[sizeof(step) - 1] = '\0';
		plan.step = atoi(step);
	}
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		int k, off = 0;

		if (sscanf(line, "%d", &k) != 1)
			continue;
		plan.steps++;
		if (k != plan.step)
			continue;
		if (sscanf(line, "%d %255s %255s %n", &k, plan.want, plan.action, &off) < 3) {
			plan.want[0] = '\0';
			continue;
		}
		line += off;
		if (!strncmp(line, "cmdline=", 8)) {
			int n = (int)strcspn(line + 8, " \n");

			snprintf(plan.cmdline, sizeof(plan.cmdline), "/expected/%.*s",
				 n, line + 8);
			line += 8 + n;
			line += strspn(line, " ");
		}
		snprintf(plan.extra, sizeof(plan.extra), "%s", line);
		chomp(plan.extra);
	}
}

const char *plan_extra(void)
{
	plan_load();
	return plan.want[0] ? plan.extra : "";
}

const char *plan_cmdline(void)
{
	plan_load();
	return plan.want[0] && plan.cmdline[0] ? plan.cmdline : "/expected/cmdline";
}

void check_plan(void)
{
	char sel[256], oneshot[256];

	plan_load();
	if (!plan.step)
		return;
	var_string("LoaderEntrySelected-" LOADER, sel, sizeof(sel));
	var_string("LoaderEntryOneShot-" LOADER, oneshot, sizeof(oneshot));
	if (!plan.want[0])
		check("plan", 0, "step %d: no line for it in /expected/plan (%d lines)",
		      plan.step, plan.steps);
	else if (strcmp(sel, plan.want))
		check("plan", 0, "step %d of %d: LoaderEntrySelected '%s', want '%s'",
		      plan.step, plan.steps, sel, plan.want);
	else if (oneshot[0])
		check("plan", 0, "step %d of %d: LoaderEntryOneShot '%s' is still set",
		      plan.step, plan.steps, oneshot);
	else
		check("plan", 1, "step %d of %d: booted %s, then %s", plan.step,
		      plan.steps, plan.want, plan.action);
}

void plan_finish(int failures)
{
	char next[32];
	int rc;

	if (!plan.step || !plan.want[0] || failures ||
	    !strcmp(plan.action, "poweroff"))
		return;
	snprintf(next, sizeof(next), "%d", plan.step + 1);
	rc = var_write(STEP_VAR, next, strlen(next));
	if (!rc && !strncmp(plan.action, "oneshot=", 8))
		rc = var_write_string("LoaderEntryOneShot-" LOADER, plan.action + 8);
	if (rc) {
		say("target-init: plan: writing EFI variables: %s", strerror(-rc));
		return;
	}
	say("target-init: plan: rebooting for step %d", plan.step + 1);
	sync();
	reboot(RB_AUTOBOOT);
}
