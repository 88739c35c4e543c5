/*
 * efi/fileio.c: whole files from the loader's volume into memory.
 *
 * Runs in boot services, before LoadImage().  Files land in EfiLoaderData
 * pages rather than pool: a kernel is megabytes and an initrd can be
 * hundreds of them, and pages keep large buffers out of the pool's way.
 */
#include <efi.h>
#include <efilib.h>

#include "fileio.h"
#include "log.h"
#include "ucs2.h"

/* Read in pieces: some firmware FAT drivers fail very large single reads. */
#define READ_CHUNK (16u << 20)

#define ALIGN_UP(x, a) (((x) + (a) - 1) & ~(UINT64)((a) - 1))

EFI_STATUS file_open_volume(EFI_HANDLE device, EFI_FILE_HANDLE *root)
{
	EFI_FILE_IO_INTERFACE *fs;
	EFI_STATUS st;

	st = BS->HandleProtocol(device, &FileSystemProtocol, (VOID **)&fs);
	if (EFI_ERROR(st)) {
		log_line(L"own volume has no file system: %r", st);
		return st;
	}
	st = fs->OpenVolume(fs, root);
	if (EFI_ERROR(st))
		log_line(L"cannot open own volume: %r", st);
	return st;
}

EFI_STATUS file_open(EFI_FILE_HANDLE root, const char *path,
		     struct efi_file *f)
{
	EFI_FILE_INFO *info;
	CHAR16 *name;
	EFI_STATUS st;

	f->fh = NULL;
	f->size = 0;
	name = ucs2_from_utf8(path, NULL);
	if (!name) {
		log_line(L"%a: %r", path, EFI_OUT_OF_RESOURCES);
		return EFI_OUT_OF_RESOURCES;
	}
	st = root->Open(root, &f->fh, name, EFI_FILE_MODE_READ, 0);
	FreePool(name);
	if (EFI_ERROR(st)) {
		f->fh = NULL;
		log_line(L"%a: %r", path, st);
		return st;
	}

	info = LibFileInfo(f->fh);
	if (!info) {
		log_line(L"%a: cannot get file info", path);
		file_close(f);
		return EFI_DEVICE_ERROR;
	}
	f->size = info->FileSize;
	if (info->Attribute & EFI_FILE_DIRECTORY) {
		FreePool(info);
		log_line(L"%a: is a directory", path);
		file_close(f);
		return EFI_NOT_FOUND;
	}
	FreePool(info);
	return EFI_SUCCESS;
}

EFI_STATUS file_read(struct efi_file *f, const char *path, void *dst)
{
	UINT8 *p = dst;
	UINT64 left = f->size;

	while (left) {
		UINTN n = left < READ_CHUNK ? (UINTN)left : READ_CHUNK;
		EFI_STATUS st = f->fh->Read(f->fh, &n, p);

		if (EFI_ERROR(st)) {
			log_line(L"%a: read: %r", path, st);
			return st;
		}
		if (n == 0) {
			/* the file shrank between GetInfo() and Read() */
			log_line(L"%a: ends after %ld of %ld bytes", path,
				 (INT64)(f->size - left), (INT64)f->size);
			return EFI_END_OF_FILE;
		}
		p += n;
		left -= n;
	}
	return EFI_SUCCESS;
}

void file_close(struct efi_file *f)
{
	if (f->fh)
		f->fh->Close(f->fh);
	f->fh = NULL;
}

EFI_STATUS file_buf_alloc(struct file_buf *buf, UINTN size, const char *what)
{
	EFI_STATUS st;

	buf->addr = 0;
	buf->pages = 0;
	buf->size = size;
	if (!size)
		return EFI_SUCCESS;
	buf->pages = EFI_SIZE_TO_PAGES(size);
	st = BS->AllocatePages(AllocateAnyPages, EfiLoaderData, buf->pages,
			       &buf->addr);
	if (EFI_ERROR(st)) {
		log_line(L"%a: cannot allocate %ld bytes: %r", what,
			 (INT64)size, st);
		buf->pages = 0;
		buf->size = 0;
	}
	return st;
}

void file_buf_free(struct file_buf *buf)
{
	if (buf->pages)
		BS->FreePages(buf->addr, buf->pages);
	buf->addr = 0;
	buf->pages = 0;
	buf->size = 0;
}

EFI_STATUS file_load(EFI_FILE_HANDLE root, const char *path,
		     struct file_buf *buf)
{
	struct efi_file f;
	EFI_STATUS st;

	buf->pages = 0;
	buf->size = 0;
	st = file_open(root, path, &f);
	if (EFI_ERROR(st))
		return st;
	st = file_buf_alloc(buf, (UINTN)f.size, path);
	if (!EFI_ERROR(st)) {
		st = file_read(&f, path, file_buf_ptr(buf));
		if (EFI_ERROR(st))
			file_buf_free(buf);
	}
	file_close(&f);
	return st;
}

EFI_STATUS file_load_all(EFI_FILE_HANDLE root, const char *const *paths,
			 UINTN n, UINTN align, const char *name,
			 struct file_buf *buf, struct file_part *parts)
{
	struct efi_file f[FILE_LOAD_ALL_MAX];
	UINT64 total = 0;
	EFI_STATUS st = EFI_SUCCESS;
	UINTN opened;

	buf->pages = 0;
	buf->size = 0;
	if (n > FILE_LOAD_ALL_MAX || !align || (align & (align - 1))) {
		log_line(L"%a: bad file list", name);
		return EFI_INVALID_PARAMETER;
	}
	for (opened = 0; opened < n; opened++) {
		st = file_open(root, paths[opened], &f[opened]);
		if (EFI_ERROR(st))
			goto out;
		total = ALIGN_UP(total, align) + f[opened].size;
	}
	st = file_buf_alloc(buf, (UINTN)total, name);
	if (EFI_ERROR(st))
		goto out;

	total = 0;
	for (UINTN i = 0; i < n; i++) {
		UINT8 *p = file_buf_ptr(buf);
		UINT64 start = ALIGN_UP(total, align);

		SetMem(p + total, start - total, 0);
		st = file_read(&f[i], paths[i], p + start);
		if (EFI_ERROR(st)) {
			file_buf_free(buf);
			goto out;
		}
		total = start + f[i].size;
		if (parts) {
			parts[i].offset = (UINTN)start;
			parts[i].size = (UINTN)f[i].size;
		}
	}
out:
	while (opened--)
		file_close(&f[opened]);
	return st;
}
