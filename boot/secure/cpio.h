/* kexshim: a newc ("070701") cpio archive with one file and its parent
 * directories, the format the kernel unpacks into its initramfs
 * (Documentation/driver-api/early-userspace/buffer-format.rst): 110-byte
 * ASCII headers, names and data padded to 4 bytes, "TRAILER!!!" last.
 * Appended to an initrd it adds the file to the target's root (as
 * systemd-stub's /.extra/ archives do).  Pure.  Runs in the shim. */
#ifndef KEXSHIM_SECURE_CPIO_H
#define KEXSHIM_SECURE_CPIO_H

#include <stddef.h>
#include <stdint.h>

#define CPIO_NEWC_HEADER_LEN 110

/* Archive path ("a/b/file": relative, no "..", no "//") with data and
 * mode (0444): directories "a", "a/b" (0555), the file, the trailer, into
 * out (cap bytes).
 * Return: the archive's size (also when it is > cap: out then holds only
 * a useless prefix), or -EINVAL for a bad path. */
long cpio_one_file(const char *path, const uint8_t *data, size_t len,
		   unsigned mode, uint8_t *out, size_t cap);

#endif
