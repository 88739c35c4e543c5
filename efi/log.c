/*
 * efi/log.c: one-line messages on the console and the serial port.
 *
 * Runs in boot services, before the shim kernel takes over the machine.  The
 * firmware's ConOut is a splitter over every console device named in the
 * ConOut variable; OVMF puts its serial terminal there, many boards do not.
 * So we look: if ConOut names a serial port that exists, the firmware already
 * mirrors us; otherwise we also write each line to the first
 * EFI_SERIAL_IO_PROTOCOL.
 */
#include <efi.h>
#include <efilib.h>

#include "log.h"

#define LOG_PREFIX L"kexshim.efi: "

static SERIAL_IO_INTERFACE *serial;

/* A serial port with this device path prefix is really there. */
static BOOLEAN serial_port_exists(EFI_DEVICE_PATH *dp)
{
	EFI_HANDLE h;

	return BS->LocateDevicePath(&SerialIoProtocol, &dp, &h) == EFI_SUCCESS;
}

/*
 * The ConOut variable is a multi-instance device path: nodes, END_INSTANCE
 * between instances, END_ENTIRE last.  An instance with a UART node is a
 * serial terminal; it counts only if that port exists, since the variable
 * may still name hardware that is gone.
 */
static BOOLEAN conout_has_serial(void)
{
	UINTN size = 0;
	UINT8 *var = LibGetVariableAndSize(L"ConOut", &EfiGlobalVariable, &size);
	UINT8 *inst = var;
	BOOLEAN uart = FALSE, found = FALSE;
	UINTN off = 0;

	if (!var)
		return FALSE;
	while (off + sizeof(EFI_DEVICE_PATH) <= size) {
		EFI_DEVICE_PATH *node = (EFI_DEVICE_PATH *)(var + off);
		UINTN len = DevicePathNodeLength(node);

		if (len < sizeof(EFI_DEVICE_PATH) || off + len > size)
			break;
		off += len;
		if (DevicePathType(node) == MESSAGING_DEVICE_PATH &&
		    DevicePathSubType(node) == MSG_UART_DP)
			uart = TRUE;
		if (!IsDevicePathEndType(node))
			continue;
		if (uart && serial_port_exists((EFI_DEVICE_PATH *)inst)) {
			found = TRUE;
			break;
		}
		if (IsDevicePathEndSubType(node))
			break;
		uart = FALSE;
		inst = var + off;
	}
	FreePool(var);
	return found;
}

void log_init(void)
{
	EFI_HANDLE *handles = NULL;
	UINTN n = 0;

	if (conout_has_serial())
		return;
	if (LibLocateHandle(ByProtocol, &SerialIoProtocol, NULL, &n,
			    &handles) != EFI_SUCCESS || n == 0)
		return;
	if (BS->HandleProtocol(handles[0], &SerialIoProtocol,
			       (VOID **)&serial) != EFI_SUCCESS)
		serial = NULL;
	FreePool(handles);
}

/* The serial port takes bytes: ASCII as is, anything else as '?'. */
static void serial_write(const CHAR16 *s)
{
	CHAR8 buf[128];
	UINTN n = 0;

	for (;; s++) {
		if (!*s || n == sizeof(buf)) {
			UINTN len = n;

			if (len)
				serial->Write(serial, &len, buf);
			n = 0;
			if (!*s)
				return;
		}
		buf[n++] = *s < 0x80 ? (CHAR8)*s : '?';
	}
}

static void emit(const CHAR16 *s)
{
	ST->ConOut->OutputString(ST->ConOut, (CHAR16 *)s);
	if (serial)
		serial_write(s);
}

void log_line(const CHAR16 *fmt, ...)
{
	va_list ap;
	CHAR16 *body, *line = NULL;

	va_start(ap, fmt);
	body = VPoolPrint(fmt, ap);
	va_end(ap);

	/* one string per sink, so two sinks on one port do not interleave */
	if (body)
		line = PoolPrint(LOG_PREFIX L"%s\r\n", body);
	if (line) {
		emit(line);
	} else {
		/* out of pool memory: the format alone still says what failed */
		emit(LOG_PREFIX);
		emit(body ? body : fmt);
		emit(L"\r\n");
	}
	if (line)
		FreePool(line);
	if (body)
		FreePool(body);
}
