/* kexshim: a grub.cfg's menu as config/grub.c builds it (menuentries and
 * submenus in the order they were defined), flattened into boot entries,
 * and grub's `default` looked up in it.  Internal to config/grub*.c.
 * Pure. */
#ifndef KEXSHIM_CONFIG_GRUB_MENU_H
#define KEXSHIM_CONFIG_GRUB_MENU_H

#include <stdbool.h>
#include <stddef.h>

#include "config/entry.h"
#include "config/grub_script.h"

struct gitem {
	bool submenu;
	int parent;             /* item index, -1 = the top menu */
	unsigned line;
	char *title, *id;
	size_t body, body_end;  /* tokens between '{' and '}' */
	struct gargs args;      /* words after title and options: $1 ... */
	struct gvars *vars;     /* submenu: its children start from these */
	struct boot_entry e;    /* menuentry: what its body loaded */
	int out;                /* index in the output, -1 = none */
};

/* Move the menuentries of items[0..n) into out, depth first: title
 * "Parent>Child", id = the item's --id or that title, "~N" added to a
 * repeat; config = name.  *blscfg_index: how many went out before top
 * item blscfg_item (SIZE_MAX: none).  Return: 0 or -ENOMEM. */
int grub_menu_emit(struct gitem *items, size_t n, const char *name,
		   size_t blscfg_item, struct entry_list *out,
		   size_t *blscfg_index);

/* grub's `default` after grub_menu_emit: ">"-separated steps into
 * submenus, each a number (every item of that menu counts, from 0), a
 * title or an id; ">>" is a '>' in a title.  A submenu stands for its
 * first entry.  With blscfg, a number at the top counts entries only the
 * caller has, so it is not resolved here.
 * Return: the output index (from 0 for this file), or -1. */
int grub_menu_default(const struct gitem *items, size_t n, const char *spec,
		      bool blscfg);

#endif
