/*
 * efi/secureboot.c: the Secure Boot state and the initrd pins (see
 * secureboot.h).  Runs in boot services, after kexshim.conf's initrds are
 * read and before any of them is served to the kernel.
 */
#include <efi.h>
#include <efilib.h>

#include "common/sha256.h"
#include "log.h"
#include "pins.h"
#include "secureboot.h"
#include "shimconf.h"

BOOLEAN secureboot_enabled(void)
{
	static int state = -1;		/* -1 not read yet, 0 off, 1 on */
	UINT8 value = 0;
	UINTN size = sizeof(value);
	UINT32 attrs;
	EFI_STATUS st;

	if (state < 0) {
		st = RT->GetVariable(L"SecureBoot", &EfiGlobalVariable, &attrs,
				     &size, &value);
		state = !EFI_ERROR(st) && size == 1 && value == 1;
		if (state)
			log_line(L"Secure Boot is on");
	}
	return state == 1;
}

static void to_hex(const UINT8 *d, UINTN n, CHAR8 *out)
{
	static const CHAR8 digits[] = "0123456789abcdef";

	for (UINTN i = 0; i < n; i++) {
		out[2 * i] = digits[d[i] >> 4];
		out[2 * i + 1] = digits[d[i] & 15];
	}
	out[2 * n] = 0;
}

EFI_STATUS secureboot_check_initrds(const struct bundle *b,
				    const char *const *paths, UINTN n,
				    const UINT8 *data,
				    const struct file_part *parts)
{
	struct pins *pins;
	struct pins_error err;
	EFI_STATUS st = EFI_SUCCESS;

	if (!n || !secureboot_enabled())
		return EFI_SUCCESS;

	pins = AllocateZeroPool(sizeof(*pins));
	if (!pins) {
		log_line(L"Secure Boot: pins: %r", EFI_OUT_OF_RESOURCES);
		return EFI_OUT_OF_RESOURCES;
	}
	/* a .pins that does not parse pins nothing: fail closed */
	if (b->has_pins &&
	    pins_parse(b->pins.data, b->pins.size, pins, &err) != PINS_OK) {
		log_line(L"Secure Boot: own .pins section, line %d: %a; "
			 L"no initrd is pinned", err.line, err.reason);
		pins->n = 0;
	}
	for (UINTN i = 0; i < n; i++) {
		UINT8 digest[SHA256_DIGEST_SIZE];
		CHAR8 hex[2 * SHA256_DIGEST_SIZE + 1];

		sha256(data + parts[i].offset, parts[i].size, digest);
		if (pins_match(pins, digest))
			continue;
		to_hex(digest, sizeof(digest), hex);
		log_line(L"Secure Boot: refusing initrd %a from %a: its "
			 L"SHA-256 %a is not pinned in this signed image (%a)",
			 paths[i], SHIMCONF_PATH, hex,
			 b->has_pins ? "not in .pins" : "no .pins section");
		st = EFI_SECURITY_VIOLATION;
		break;
	}
	FreePool(pins);
	return st;
}
