/*
 * efi/fileio.h: reading whole files from the loader's own volume into page
 * allocations.  Boot services only.  Every function that fails has already
 * printed its one line ("kexshim.efi: \vmlinuz: Not Found"); callers only
 * pass the status on.
 */
#ifndef KEXSHIM_EFI_FILEIO_H
#define KEXSHIM_EFI_FILEIO_H

#include <efi.h>

/* Memory from AllocatePages(EfiLoaderData); size 0 owns no pages. */
struct file_buf {
	EFI_PHYSICAL_ADDRESS addr;
	UINTN pages;
	UINTN size;			/* bytes in use */
};

struct efi_file {
	EFI_FILE_HANDLE fh;
	UINT64 size;
};

/*
 * file_open_volume() - the root directory of the file system on @device.
 * Return: EFI_SUCCESS, or the firmware's error (logged).
 */
EFI_STATUS file_open_volume(EFI_HANDLE device, EFI_FILE_HANDLE *root);

/*
 * file_open() - open @path (UTF-8, '\' separated) for reading, learn its size.
 * Return: EFI_SUCCESS, EFI_NOT_FOUND for a directory, or the firmware's error
 * (logged).
 */
EFI_STATUS file_open(EFI_FILE_HANDLE root, const char *path,
		     struct efi_file *f);

/*
 * file_read() - read all f->size bytes of @f into @dst.
 * Return: EFI_SUCCESS, EFI_END_OF_FILE if the file ended early, or the
 * firmware's error (logged).
 */
EFI_STATUS file_read(struct efi_file *f, const char *path, void *dst);

void file_close(struct efi_file *f);

/*
 * file_load() - open, allocate and read all of @path.
 * Return: EFI_SUCCESS with @buf filled, or the error (logged; @buf empty).
 */
EFI_STATUS file_load(EFI_FILE_HANDLE root, const char *path,
		     struct file_buf *buf);

#define FILE_LOAD_ALL_MAX 8

/* Where one file of file_load_all() landed in its buffer. */
struct file_part {
	UINTN offset;
	UINTN size;
};

/*
 * file_load_all() - read @n files back to back into one buffer, each one
 * starting at a multiple of @align bytes, the gaps zero-filled.
 * @name: what the buffer is, for the allocation error line.
 * @parts: if not NULL, @n entries: each file's place in @buf (Secure Boot
 *	checks each file's digest on its own).
 *
 * Return: EFI_SUCCESS with @buf filled (empty when all files are), the
 * first error (logged; @buf empty), or EFI_INVALID_PARAMETER for more than
 * FILE_LOAD_ALL_MAX files or an @align that is not a power of two.
 */
EFI_STATUS file_load_all(EFI_FILE_HANDLE root, const char *const *paths,
			 UINTN n, UINTN align, const char *name,
			 struct file_buf *buf, struct file_part *parts);

/*
 * file_buf_alloc() - @size bytes of EfiLoaderData pages; @what names the
 * purpose in the error line.
 * Return: EFI_SUCCESS, or EFI_OUT_OF_RESOURCES (logged).
 */
EFI_STATUS file_buf_alloc(struct file_buf *buf, UINTN size, const char *what);

void file_buf_free(struct file_buf *buf);

static inline void *file_buf_ptr(const struct file_buf *buf)
{
	return (void *)(UINTN)buf->addr;
}

#endif /* KEXSHIM_EFI_FILEIO_H */
