/*
 * efi/shimconf.h: the parser of \EFI\kexshim\kexshim.conf.
 *
 * Runs inside kexshim.efi before any image is loaded, and on the build host in
 * the unit tests: the same file is compiled into both, so it is pure and
 * freestanding (no libc, no gnu-efi; bytes in, one fixed-size struct out).
 *
 * The file, one directive a line:
 *
 *	# comment
 *	kernel  \EFI\kexshim\vmlinuz      exactly once
 *	initrd  /EFI/kexshim/initrd.img   0..SHIMCONF_INITRD_MAX, concatenated
 *	options console=ttyS0 quiet       0..n, joined with one space
 *
 * Paths take '/' or '\' and come out with '\' only, one leading '\' and no
 * doubled separators, as EFI_FILE_PROTOCOL.Open() wants them.  Text is UTF-8
 * restricted to the BMP because the firmware and the kernel's LoadOptions are
 * UCS-2.
 */
#ifndef KEXSHIM_EFI_SHIMCONF_H
#define KEXSHIM_EFI_SHIMCONF_H

#include <stddef.h>
#include <stdint.h>

#define SHIMCONF_PATH		"\\EFI\\kexshim\\kexshim.conf"

#define SHIMCONF_INITRD_MAX	8
/* bytes incl. the NUL; FAT's limit is 260 UCS-2 characters */
#define SHIMCONF_PATH_MAX	256
/* one line without its line break */
#define SHIMCONF_LINE_MAX	2048
/*
 * The joined options, incl. the NUL.  x86's COMMAND_LINE_SIZE is 2048; keep
 * room for " kexshim.esp=PARTUUID=<36 chars>" (58 bytes) that the loader adds.
 */
#define SHIMCONF_OPTIONS_MAX	1984
/* the whole command line handed to the kernel, incl. the NUL */
#define SHIMCONF_CMDLINE_MAX	2048

enum shimconf_err {
	SHIMCONF_OK = 0,
	SHIMCONF_ENOKERNEL,		/* no "kernel" line */
	SHIMCONF_EDUPKERNEL,		/* a second "kernel" line */
	SHIMCONF_EUNKNOWNKEY,		/* key is not kernel/initrd/options */
	SHIMCONF_ENOVALUE,		/* key without a value */
	SHIMCONF_ELINE,			/* line longer than SHIMCONF_LINE_MAX */
	SHIMCONF_EPATHLONG,		/* path longer than SHIMCONF_PATH_MAX - 1 */
	SHIMCONF_EPATH,			/* path names no file ("/", "dir/") */
	SHIMCONF_EINITRDS,		/* more than SHIMCONF_INITRD_MAX initrds */
	SHIMCONF_EOPTIONS,		/* joined options too long */
	SHIMCONF_ENUL,			/* NUL byte in the file */
	SHIMCONF_ECTRL,			/* other control character */
	SHIMCONF_EUTF8,			/* invalid UTF-8 or outside the BMP */
	SHIMCONF_ESPACE,		/* output buffer too small (cmdline) */
};

struct shimconf {
	char kernel[SHIMCONF_PATH_MAX];
	char initrd[SHIMCONF_INITRD_MAX][SHIMCONF_PATH_MAX];
	unsigned int n_initrd;
	char options[SHIMCONF_OPTIONS_MAX];
	size_t options_len;		/* strlen(options) */
};

struct shimconf_error {
	enum shimconf_err code;
	unsigned int line;		/* 1-based; 0: about the whole file */
	const char *reason;		/* static text, never NULL after an error */
	char detail[48];		/* offending key, quoted in messages, or "" */
};

/*
 * shimconf_parse() - parse the bytes of kexshim.conf into @conf.
 * @buf, @len: the file; need not be NUL-terminated, may end without '\n'.
 *
 * Return: SHIMCONF_OK, or the first error, also described in @err (line
 * number, reason, detail).  @conf is undefined after an error.
 */
enum shimconf_err shimconf_parse(const void *buf, size_t len,
				 struct shimconf *conf,
				 struct shimconf_error *err);

/*
 * shimconf_set_options() - a bundle's .cmdline section as the options of an
 * otherwise empty @conf (the bundle embeds the kernel: no path is set).
 * Leading blanks and trailing blanks, line breaks and NULs are dropped (UKI
 * tools end the section with "\n" or a NUL); what is left obeys the rules
 * of one options line: no control character, UTF-8 within the BMP, at most
 * SHIMCONF_OPTIONS_MAX - 1 bytes.
 *
 * Return: SHIMCONF_OK, or the error, also in @err (line 0).
 */
enum shimconf_err shimconf_set_options(struct shimconf *conf, const void *buf,
				       size_t len, struct shimconf_error *err);

/*
 * shimconf_format_error() - "line 3: unknown key 'kernal'" into @out.
 * Truncates to @size - 1 bytes and always NUL-terminates when @size > 0.
 *
 * Return: the length written, without the NUL.
 */
size_t shimconf_format_error(const struct shimconf_error *err, char *out,
			     size_t size);

/*
 * shimconf_cmdline() - the shim kernel's command line: the options, then
 * " kexshim.esp=PARTUUID=<guid>" when @partuuid is not NULL and the options
 * name no kexshim.esp of their own (the user's choice wins: entries on
 * another disk than the loader's).
 * @partuuid: the loader's own GPT partition GUID (UEFI byte order) or NULL
 *	when it runs from a whole-disk volume, so the shim falls back.
 *
 * Return: SHIMCONF_OK, or SHIMCONF_ESPACE when @size is too small.
 */
enum shimconf_err shimconf_cmdline(const struct shimconf *conf,
				   const uint8_t *partuuid,
				   char *out, size_t size);

#endif /* KEXSHIM_EFI_SHIMCONF_H */
