/*
 * efi/devnodes.c: device path nodes read by offset (see devnodes.h).
 * Every node starts with Type, SubType and a 16-bit little-endian Length
 * that counts the 4-byte header (UEFI 2.10 10.2); the path ends at an End
 * node (type 0x7f, subtype 0xff).  A firmware path is trusted no further
 * than its own lengths: one shorter than the header, or longer than what
 * is left, ends the walk as malformed.
 */
#include "devnodes.h"

#define NODE_HDR		4
#define TYPE_MEDIA		0x04
#define TYPE_END		0x7f
#define SUBTYPE_END_ENTIRE	0xff
#define MEDIA_HARDDRIVE		0x01
#define MEDIA_FILEPATH		0x04

/* UEFI 2.10 table 10.49, Hard Drive Media Device Path */
#define HD_NODE_LEN		42
#define HD_OFF_SIGNATURE	24
#define HD_OFF_MBR_TYPE		40
#define HD_OFF_SIG_TYPE		41
#define HD_MBR_TYPE_GPT		2
#define HD_SIG_TYPE_GUID	2

/* The node at p, size bytes left: its length in *len.
 * Return: 1 for a node, 0 at the End node, -1 when it is malformed. */
static int node(const uint8_t *p, size_t size, size_t *len)
{
	if (size < NODE_HDR)
		return -1;
	if (p[0] == TYPE_END && p[1] == SUBTYPE_END_ENTIRE)
		return 0;
	*len = (size_t)p[2] | (size_t)p[3] << 8;
	return *len >= NODE_HDR && *len <= size ? 1 : -1;
}

bool devnodes_partuuid(const uint8_t *path, size_t size, uint8_t guid[16])
{
	bool found = false;
	size_t len, i;

	for (; node(path, size, &len) > 0; path += len, size -= len) {
		/* the last match is the partition the file system sits on */
		if (path[0] == TYPE_MEDIA && path[1] == MEDIA_HARDDRIVE &&
		    len >= HD_NODE_LEN &&
		    path[HD_OFF_MBR_TYPE] == HD_MBR_TYPE_GPT &&
		    path[HD_OFF_SIG_TYPE] == HD_SIG_TYPE_GUID) {
			for (i = 0; i < 16; i++)
				guid[i] = path[HD_OFF_SIGNATURE + i];
			found = true;
		}
	}
	return found;
}

size_t devnodes_file_path(const uint8_t *path, size_t size, uint16_t *out,
			  size_t max)
{
	size_t n = 0, len, chars, i;
	int more;

	if (!max)
		return 0;
	for (; (more = node(path, size, &len)) > 0; path += len, size -= len) {
		if (path[0] != TYPE_MEDIA || path[1] != MEDIA_FILEPATH)
			continue;
		/* PathName is a NUL-terminated string (UEFI 2.10 10.3.5.4):
		 * a node's name ends at its first NUL, not its length */
		for (chars = 0; chars < (len - NODE_HDR) / 2 &&
		     (path[NODE_HDR + 2 * chars] ||
		      path[NODE_HDR + 2 * chars + 1]); chars++)
			;
		if (n + chars + 1 > max) {
			out[0] = 0;
			return 0;
		}
		for (i = 0; i < chars; i++)
			out[n + i] = (uint16_t)(path[NODE_HDR + 2 * i] |
						path[NODE_HDR + 2 * i + 1] << 8);
		n += chars;
	}
	out[more < 0 ? 0 : n] = 0;
	return more < 0 ? 0 : n;
}
