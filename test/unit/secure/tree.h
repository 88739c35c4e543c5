/* test/unit/secure/tree.h: a fake root for the secure layer's tests:
 * /sys/kernel/security/lockdown and efivarfs files (4 bytes of
 * attributes, then the data) under a temporary directory. */
#ifndef TEST_SECURE_TREE_H
#define TEST_SECURE_TREE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/le.h"
#include "secure/efivar.h"

static inline void tree_mkdirs(const char *root, const char *rel)
{
	char path[4096], *p;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	for (p = path + strlen(root) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		mkdir(path, 0755);
		*p = '/';
	}
	mkdir(path, 0755);
}

static inline int tree_write(const char *root, const char *rel,
			     const void *a, size_t alen, const void *b,
			     size_t blen)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	f = fopen(path, "wb");
	if (!f)
		return -1;
	if ((alen && fwrite(a, 1, alen, f) != alen) ||
	    (blen && fwrite(b, 1, blen, f) != blen)) {
		fclose(f);
		return -1;
	}
	return fclose(f);
}

/* A variable NAME-GUID with attributes attrs and data. */
static inline int tree_var(const char *root, const char *name,
			   const char *guid, uint32_t attrs, const void *data,
			   size_t len)
{
	char rel[512];
	uint8_t a[4];

	tree_mkdirs(root, "sys/firmware/efi/efivars");
	put_le32(a, attrs);
	snprintf(rel, sizeof(rel), "sys/firmware/efi/efivars/%s-%s", name, guid);
	return tree_write(root, rel, a, 4, data, len);
}

static inline int tree_lockdown(const char *root, const char *text)
{
	tree_mkdirs(root, "sys/kernel/security");
	return tree_write(root, "sys/kernel/security/lockdown", text,
			  strlen(text), NULL, 0);
}

static inline char *tree_new(void)
{
	char *d = strdup("/tmp/kexshim-secure-XXXXXX");

	return d && mkdtemp(d) ? d : NULL;
}

static inline void tree_free(char *root)
{
	char cmd[4200];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	if (system(cmd))
		fprintf(stderr, "cannot remove %s\n", root);
	free(root);
}

#endif
