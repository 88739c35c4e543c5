/* kexshim: kernel modules without libkmod (Debian ships no static one).
 * Parses the depmod output in /lib/modules/<release>: modules.dep (what
 * each module needs), modules.alias (modalias globs -> module),
 * modules.softdep (what a module asks for by name at run time, e.g. ext4's
 * crc32c, which no modprobe in the initramfs would load) and
 * modules.builtin; matches device modaliases with fnmatch(3) as kmod does;
 * orders dependencies first; loads with finit_module(2).  Runs in PID 1
 * before the ESP is looked for; the parsing and matching also run in host
 * tests on the real Debian tree. */
#ifndef KEXSHIM_MODULES_H
#define KEXSHIM_MODULES_H

#include <stdbool.h>
#include <stddef.h>

struct modules;

/* Read DIR/modules.dep, DIR/modules.alias and (optional)
 * DIR/modules.softdep and DIR/modules.builtin.  Return: 0 with *out set, or -errno (kx_fail
 * "modules: DIR/modules.dep: reason"). */
int modules_open(const char *dir, struct modules **out);

void modules_close(struct modules *m);

/* Return: true when modules.dep lists name ('-' and '_' are the same). */
bool modules_known(const struct modules *m, const char *name);

/* Return: true when modules.builtin lists name. */
bool modules_builtin(const struct modules *m, const char *name);

/* Modules whose alias glob matches modalias, in modules.alias order,
 * without duplicates.  names[] point into m.
 * Return: how many (at most max). */
size_t modules_match(const struct modules *m, const char *modalias,
		     const char **names, size_t max);

/* The dependencies modules.dep lists for name (not recursive).
 * Return: how many (at most max), or -ENOENT (kx_fail) for an unknown
 * module. */
int modules_deps_of(const struct modules *m, const char *name,
		    const char **names, size_t max);

/* Load order for name: every module after all it depends on, name last.
 * Return: how many (at most max), or -ENOENT / -E2BIG / -ELOOP (kx_fail). */
int modules_load_order(const struct modules *m, const char *name,
		       const char **names, size_t max);

/* name's soft dependencies of one kind (pre: load before it, else post:
 * after it), each a module name or an alias resolved through
 * modules.alias to every module it names, in file order.  names[] point
 * into m.  Return: how many (at most max). */
size_t modules_softdeps(const struct modules *m, const char *name, bool pre,
			const char **names, size_t max);

/* Modules wanted by the devices under ROOT/sys/bus/<bus>/devices/<dev>
 * that have a modalias but no driver yet, not loaded or failed before,
 * without duplicates.  root is "" on the live system.
 * Return: how many (at most max). */
size_t modules_wanted(struct modules *m, const char *root, const char **names,
		      size_t max);

/* finit_module() name and what it needs, dependencies first, with its
 * soft dependencies before and after (their failures only cost their own
 * module: crc32c_intel on a CPU without SSE 4.2).  Already
 * loaded (by us, or EEXIST) and built-in modules are skipped; a failure is
 * remembered so later passes do not retry it.
 * Return: the number of modules newly loaded, or -errno (kx_fail
 * "modules: PATH: finit_module: reason"). */
int modules_load(struct modules *m, const char *name);

/* Return: the modules loaded so far, space-separated, in load order
 * ("" when none). */
const char *modules_loaded(const struct modules *m);

#endif
