/* kexshim: the module index (depmod's files) as index.c builds it and
 * load.c uses it.  Internal to boot/kmod/; everyone else sees only the
 * opaque struct modules of modules.h. */
#ifndef KEXSHIM_KMOD_INDEX_H
#define KEXSHIM_KMOD_INDEX_H

#include <stddef.h>
#include <stdint.h>

#include "kmod/modules.h"

#define NO_MOD UINT32_MAX
#define MAX_DEPTH 64

enum mod_state { MOD_NEW, MOD_LOADED, MOD_FAILED };

struct mod {
	char *name;       /* normalised: '-' -> '_' */
	char *path;       /* relative to dir, as modules.dep writes it */
	char *dep_text;   /* the dependency paths, split when resolving */
	uint32_t *deps;   /* indices into mods, modules.dep order */
	uint32_t nr_deps;
	const char *pre;  /* modules.softdep "pre:" names (or aliases), or NULL */
	const char *post; /* "post:" ones */
	uint8_t state;
};

struct alias {
	const char *pattern;
	size_t prefix;    /* bytes before the first glob character */
	uint32_t mod;
};

struct modules {
	char *dir;
	char *dep_buf, *alias_buf, *builtin_buf, *softdep_buf;
	struct mod *mods;
	size_t n_mods;
	uint32_t *hash;   /* open addressing, index + 1, 0 = empty */
	size_t hash_mask;
	struct alias *aliases;
	size_t n_aliases;
	char **builtin;   /* sorted normalised names */
	size_t n_builtin;
	char *loaded;     /* "a b c" */
	size_t loaded_len, loaded_cap;
};

/* Return: the index of a normalised name, or NO_MOD. */
uint32_t kmod_lookup(const struct modules *m, const char *name);

/* kmod_lookup() of any spelling ('-' or '_').  Return: as kmod_lookup. */
uint32_t kmod_lookup_any(const struct modules *m, const char *name);

/* Load order of module idx into order (max slots): dependencies first.
 * Return: the count, or -errno (kx_fail). */
int kmod_order_of(const struct modules *m, uint32_t idx, uint32_t *order,
		  size_t max);

#endif
