/*
 * efi/log.h: kexshim.efi's messages.  Boot services only: every line goes to
 * the firmware console and, when the console does not already reach a serial
 * port, to the first serial port too, so a headless machine shows it.
 */
#ifndef KEXSHIM_EFI_LOG_H
#define KEXSHIM_EFI_LOG_H

#include <efi.h>

/* Decide where log_line() writes.  Call once, after InitializeLib(). */
void log_init(void);

/*
 * log_line() - print "kexshim.efi: " + the gnu-efi Print() format + CRLF.
 * %a is a CHAR8 string, %s a CHAR16 string, %r an EFI_STATUS.
 */
void log_line(const CHAR16 *fmt, ...);

#endif /* KEXSHIM_EFI_LOG_H */
