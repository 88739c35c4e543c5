/* kexshim: SYSLINUX-family menus: extlinux.conf (U-Boot distro boot,
 * extlinux, as Debian's u-boot-update, Armbian and Fedora ARM write it),
 * syslinux.cfg / isolinux.cfg, and pxelinux.cfg files fetched over the
 * network.  Pure: the file's bytes in, boot entries out; an INCLUDE is
 * read through the caller's callback.  Runs in PID 1 and the CLI while
 * entries are listed. */
#ifndef KEXSHIM_CONFIG_SYSLINUX_H
#define KEXSHIM_CONFIG_SYSLINUX_H

#include <stddef.h>

struct entry_list;
struct warnings;

#define SYSLINUX_MAX_FILE (1u << 20)
#define SYSLINUX_MAX_LABELS 256
#define SYSLINUX_MAX_DEPTH 8     /* INCLUDE inside INCLUDE */
#define SYSLINUX_MAX_READS 32    /* INCLUDEs read in all */
#define SYSLINUX_MAX_INCLUDES 8

/* Read the file an INCLUDE names (path resolved as every other path).
 * Return: 0 with *buf malloc'ed (the parser frees it) and *len, or
 * -errno (the include is skipped with a warning). */
typedef int (*syslinux_read_fn)(void *ctx, const char *path, char **buf,
				size_t *len);

struct syslinux_result {
	int default_index;   /* into the entries appended (0 = the first of
				them), -1 when there are none */
	char *default_label; /* the label that chose it, NULL = none */
	int timeout;         /* TIMEOUT in tenths of a second (0 = wait
				forever), -1 = unset */
	char *menu_title;    /* MENU TITLE, NULL = unset */
	/* INCLUDEs, when there is no callback to read them. */
	char *include[SYSLINUX_MAX_INCLUDES];
	size_t nr_include;
};

/* Parse name (for messages, entry->config, and the directory relative
 * paths start from unless dir is given: syslinux's working directory is
 * the config's, U-Boot's sysboot joins relative paths to it too; pass
 * dir "" for pxelinux, whose paths start at the TFTP root).  Keywords are
 * case-insensitive; a line starting with '#' is a comment.  One
 * ENTRY_SYSLINUX entry per LABEL: id = the label ("~N" on a repeat),
 * title = MENU LABEL without its '^' hotkey marks, else the label;
 * KERNEL/LINUX FILE [ARGS] (ARGS go before APPEND's), APPEND (a label
 * without one gets the global APPEND; "APPEND -" is none), INITRD a,b
 * and APPEND's initrd=a,b (taken out of the options: syslinux loads them,
 * the kernel never reads it), FDT/DEVICETREE, FDTDIR/DEVICETREEDIR:
 * devicetree.path is the directory with a '/' at the end, to which the
 * caller appends the board's dtb name (U-Boot's ${fdtfile}),
 * FDTOVERLAYS/DEVICETREE-OVERLAY.  Paths: absolute ones are taken from
 * the partition root, relative ones from dir, "." and ".." resolved; one
 * that climbs above the root makes the entry an error.  LOCALBOOT, COM32
 * and .c32 kernels, and labels without a kernel keep their entry with
 * ->error "syslinux: FILE:LINE: reason".  The default: ONTIMEOUT (what
 * runs when nobody answers the menu), else MENU DEFAULT, else DEFAULT
 * (a UI module such as "menu.c32" is not a label), else the first label;
 * a name that matches no label (exactly, then ignoring case) is a
 * warning and the first entry is used.  TEXT HELP ... ENDTEXT is
 * skipped; MENU BEGIN/END nest (their labels are flattened, a nested
 * MENU TITLE is not the menu's); other known display keywords are
 * ignored, unknown ones are warnings.  A line with a NUL byte or invalid
 * UTF-8, or over 64 KiB, is a warning and skipped.  INCLUDE FILE (and
 * MENU INCLUDE): read through read() and parsed in place (labels and
 * settings as if written there), at most SYSLINUX_MAX_DEPTH deep and
 * SYSLINUX_MAX_READS in all (a file including itself twice would
 * double at every level); with
 * read NULL the path is noted in res->include.
 * Return: 0 with *res filled (syslinux_result_free), or -EFBIG / -ENOMEM
 * (kx_fail) with nothing appended. */
int syslinux_parse(const char *name, const char *dir, const char *buf,
		   size_t len, syslinux_read_fn read, void *ctx,
		   struct entry_list *out, struct syslinux_result *res,
		   struct warnings *w);

void syslinux_result_free(struct syslinux_result *res);

#endif
