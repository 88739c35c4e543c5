/*
 * efi/bli.c: the Boot Loader Interface variables kexshim.efi sets (see
 * bli.h).  Boot services only.  All are volatile (they describe this boot)
 * with boot-service and runtime access, UTF-16 strings with their NUL
 * except LoaderFeatures (a little-endian UINT64), under systemd's vendor
 * GUID, as BOOT_LOADER_INTERFACE.md specifies.
 */
#include <efi.h>
#include <efilib.h>

#include "bli.h"
#include "common/guid.h"
#include "devnodes.h"
#include "devpath.h"
#include "kexshim/version.h"
#include "log.h"

static EFI_GUID loader_guid = { 0x4a67b082, 0x0a4c, 0x41cf,
				{ 0xb6, 0xc7, 0x44, 0x0b, 0x29, 0xbb, 0x8c, 0x4f } };

/* LoaderFeatures: what the shim acts on (boot/config/bli.c, scan.c,
 * counting.c): LoaderConfigTimeout, LoaderConfigTimeoutOneShot,
 * LoaderEntryDefault, LoaderEntryOneShot, boot counting, XBOOTLDR. */
#define FEATURE_CONFIG_TIMEOUT		(1ULL << 0)
#define FEATURE_CONFIG_TIMEOUT_ONE_SHOT	(1ULL << 1)
#define FEATURE_ENTRY_DEFAULT		(1ULL << 2)
#define FEATURE_ENTRY_ONESHOT		(1ULL << 3)
#define FEATURE_BOOT_COUNTING		(1ULL << 4)
#define FEATURE_XBOOTLDR		(1ULL << 5)

#define PATH_MAX16 512

/* The CPU's free-running counter and its frequency in Hz.  The interface
 * counts from CPU reset, when the counter starts at 0: the TSC on x86,
 * the generic timer's virtual count on arm64 (booting.rst asks firmware
 * to set CNTFRQ). */
#if defined(__x86_64__)
static UINT64 ticks(void)
{
	UINT32 lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((UINT64)hi << 32) | lo;
}

/* No architectural TSC frequency: measure it over a 1 ms Stall(), as
 * much as it costs. */
static UINT64 ticks_per_second(void)
{
	static UINT64 hz;
	UINT64 t0;

	if (!hz) {
		t0 = ticks();
		BS->Stall(1000);
		hz = (ticks() - t0) * 1000;
	}
	return hz;
}
#elif defined(__aarch64__)
static UINT64 ticks(void)
{
	UINT64 v;

	__asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(v));
	return v;
}

static UINT64 ticks_per_second(void)
{
	UINT64 hz;

	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(hz));
	return hz;
}
#else
#error "efi/bli.c: no counter for this architecture"
#endif

static UINT64 usec_now(void)
{
	UINT64 hz = ticks_per_second(), t = ticks();

	if (!hz)
		return 0;
	/* t / hz seconds, without overflowing t * 1e6. */
	return t / hz * 1000000 + t % hz * 1000000 / hz;
}

static void set_raw(const CHAR16 *name, const void *data, UINTN size)
{
	EFI_STATUS st = RT->SetVariable((CHAR16 *)name, &loader_guid,
					EFI_VARIABLE_BOOTSERVICE_ACCESS |
					EFI_VARIABLE_RUNTIME_ACCESS,
					size, (void *)data);

	if (EFI_ERROR(st))
		log_line(L"SetVariable %s: %r", name, st);
}

static void set_str(const CHAR16 *name, const CHAR16 *s)
{
	set_raw(name, s, (StrLen(s) + 1) * sizeof(CHAR16));
}

/* Append the decimal digits of v to s (room for 20 digits assumed). */
static void append_u64(CHAR16 *s, UINT64 v)
{
	CHAR16 digits[21];
	UINTN n = 0;

	do {
		digits[n++] = (CHAR16)(L'0' + v % 10);
		v /= 10;
	} while (v);
	s += StrLen(s);
	while (n)
		*s++ = digits[--n];
	*s = 0;
}

static void set_usec(const CHAR16 *name)
{
	CHAR16 s[24] = { 0 };

	append_u64(s, usec_now());
	set_str(name, s);
}

/* "UEFI 2.70" / "EDK II 1.00": a revision's major.minor, minor as the
 * firmware's 16 bits print (two digits). */
static void append_revision(CHAR16 *s, UINT32 rev)
{
	append_u64(s, rev >> 16);
	StrCat(s, (rev & 0xffff) < 10 ? L".0" : L".");
	append_u64(s, rev & 0xffff);
}

void bli_loader_start(EFI_LOADED_IMAGE *self)
{
	static CHAR16 s[PATH_MAX16];
	UINT64 features = FEATURE_CONFIG_TIMEOUT | FEATURE_CONFIG_TIMEOUT_ONE_SHOT |
			  FEATURE_ENTRY_DEFAULT | FEATURE_ENTRY_ONESHOT |
			  FEATURE_BOOT_COUNTING | FEATURE_XBOOTLDR;
	char text[GUID_TEXT_LEN];
	UINT8 guid[16];
	UINTN i;

	set_usec(L"LoaderTimeInitUSec");
	StrCpy(s, L"kexshim ");
	for (i = 0; KEXSHIM_VERSION[i] && i + 9 < PATH_MAX16; i++)
		s[8 + i] = (CHAR16)KEXSHIM_VERSION[i];
	s[8 + i] = 0;
	set_str(L"LoaderInfo", s);
	s[0] = 0;
	if (ST->FirmwareVendor && StrLen(ST->FirmwareVendor) < PATH_MAX16 - 16)
		StrCpy(s, ST->FirmwareVendor);
	StrCat(s, L" ");
	append_revision(s, ST->FirmwareRevision);
	set_str(L"LoaderFirmwareInfo", s);
	StrCpy(s, L"UEFI ");
	append_revision(s, ST->Hdr.Revision);
	set_str(L"LoaderFirmwareType", s);
	set_raw(L"LoaderFeatures", &features, sizeof(features));
	if (devpath_partuuid(self->DeviceHandle, guid)) {
		guid_to_text(guid, text);
		for (i = 0; i < GUID_TEXT_LEN; i++)
			s[i] = (CHAR16)text[i];
		set_str(L"LoaderDevicePartUUID", s);
	}
	/* the image's path on its volume ("\EFI\BOOT\BOOTX64.EFI") */
	if (self->FilePath &&
	    devnodes_file_path((const UINT8 *)self->FilePath,
			       DevicePathSize(self->FilePath), s, PATH_MAX16))
		set_str(L"LoaderImageIdentifier", s);
}

void bli_loader_exec(void)
{
	set_usec(L"LoaderTimeExecUSec");
}
