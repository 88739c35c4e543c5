/* kexshim: a grub.cfg's menu into entries, and its default (see
 * grub_menu.h).  Pure.  Runs once per grub.cfg, after its script ran. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/grub_menu.h"

/* "Parent>Child" of item k into buf: grub's own way of naming an entry of
 * a submenu (`set default="Advanced options>Debian, with Linux 6.1"`). */
static void full_title(const struct gitem *items, size_t k, char *buf,
		       size_t size)
{
	const struct gitem *it = &items[k];
	size_t n;

	buf[0] = '\0';
	if (it->parent >= 0)
		full_title(items, (size_t)it->parent, buf, size);
	n = strlen(buf);
	snprintf(buf + n, size - n, "%s%s", n ? ">" : "", it->title);
}

struct emit {
	struct gitem *items;
	size_t n, start, blscfg_item, *blscfg_index;
	const char *name;
	struct entry_list *out;
};

/* Menu text without control characters: a title is printed on the
 * console, where they would be terminal commands. */
static void printable(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = ' ';
}

/* The menuentries under parent (-1: the top menu), depth first. */
static int emit_level(struct emit *m, int parent)
{
	struct entry_list *out = m->out;
	size_t k;
	int rc = 0;

	for (k = 0; k < m->n && !rc; k++) {
		struct gitem *it = &m->items[k];
		char title[1024], id[1024], *uid;
		struct boot_entry *e;

		if (it->parent != parent)
			continue;
		if (parent < 0 && k == m->blscfg_item)
			*m->blscfg_index = out->n - m->start;
		if (it->submenu) {
			rc = emit_level(m, (int)k);
			continue;
		}
		full_title(m->items, k, title, sizeof(title));
		printable(title);
		snprintf(id, sizeof(id), "%s", it->id && *it->id ? it->id : title);
		printable(id);
		/* Ids are unique in the list ("~2", "~3" for repeats). */
		uid = entry_unique_id(out, m->start, id);
		e = uid ? entry_add(out, ENTRY_GRUB) : NULL;
		if (!e) {
			free(uid);
			return -ENOMEM;
		}
		*e = it->e;
		e->source = ENTRY_GRUB;
		e->id = uid;
		memset(&it->e, 0, sizeof(it->e));
		it->out = (int)(out->n - 1 - m->start);
		if (entry_set(&e->title, title, (size_t)-1) ||
		    entry_set(&e->config, m->name, (size_t)-1))
			rc = -ENOMEM;
	}
	return rc;
}

int grub_menu_emit(struct gitem *items, size_t n, const char *name,
		   size_t blscfg_item, struct entry_list *out,
		   size_t *blscfg_index)
{
	struct emit m = { items, n, out->n, blscfg_item, blscfg_index, name,
			  out };
	int rc = emit_level(&m, -1);

	/* blscfg after the last item: its entries come last. */
	if (!rc && blscfg_item != SIZE_MAX && blscfg_item >= n)
		*blscfg_index = out->n - m.start;
	return rc;
}

/* The first menuentry at or under item k.  Return: its output index, -1. */
static int first_entry(const struct gitem *items, size_t n, size_t k)
{
	size_t j;

	if (!items[k].submenu)
		return items[k].out;
	for (j = k + 1; j < n; j++)
		if (items[j].parent == (int)k) {
			int r = first_entry(items, n, j);

			if (r >= 0)
				return r;
		}
	return -1;
}

int grub_menu_default(const struct gitem *items, size_t n, const char *spec,
		      bool blscfg)
{
	int level = -1, found = -1;
	const char *p = spec;

	while (*p) {
		char step[1024];
		size_t len = 0, k, nth = 0;
		bool numeric = true;

		for (; *p && len < sizeof(step) - 1; p++) {
			if (*p == '>' && p[1] == '>')
				p++;
			else if (*p == '>')
				break;
			step[len++] = *p;
			numeric = numeric && *p >= '0' && *p <= '9';
		}
		step[len] = '\0';
		if (*p == '>')
			p++;
		if (!len || (numeric && blscfg && level < 0))
			return -1;
		found = -1;
		for (k = 0; k < n && found < 0; k++) {
			const struct gitem *it = &items[k];

			if (it->parent != level)
				continue;
			if (numeric ? nth++ == strtoul(step, NULL, 10) :
			    !strcmp(it->title, step) ||
			    (it->id && !strcmp(it->id, step)))
				found = (int)k;
		}
		if (found < 0 || (*p && !items[found].submenu))
			return -1;
		level = found;
	}
	return found < 0 ? -1 : first_entry(items, n, (size_t)found);
}
