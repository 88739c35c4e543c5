/* kexshim: the pieces of GRUB's script language config/grub.c executes:
 * tokens, variables and word expansion (GRUB manual, "Shell-like
 * scripting").  Internal to config/grub*.c.  Pure. */
#ifndef KEXSHIM_CONFIG_GRUB_SCRIPT_H
#define KEXSHIM_CONFIG_GRUB_SCRIPT_H

#include <stdbool.h>
#include <stddef.h>

#define GRUB_MAX_VARS 256
#define GRUB_MAX_VALUE (16u << 10)  /* a longer value is cut */
#define GRUB_MAX_FIELDS 256         /* words one command may expand to */

enum gtok {
	GT_WORD,
	GT_SEP,     /* ';' or a newline */
	GT_LBRACE,  /* '{' */
	GT_RBRACE,  /* '}' */
	GT_EOF,
};

/* A token as written: a word keeps its quotes, expanded when it runs. */
struct gtoken {
	enum gtok type;
	const char *s;
	size_t n;
	unsigned line;
};

struct gtokens {
	struct gtoken *v;
	size_t n, cap;
};

/* Split buf into tokens.  "Quoting": '\\' keeps the next character (a
 * newline after it joins lines), '...' keeps everything, "..." keeps all
 * but '$' and '\\'; '#' starting a word comments out the line; blanks
 * separate words; ';' and newlines end commands; an unquoted '{' or '}'
 * (outside "${...}") is a token of its own.  The last token is GT_EOF.
 * Return: 0, or -EINVAL "grub: NAME:LINE: unterminated quote", -ENOMEM
 * (kx_fail). */
int grub_lex(const char *name, const char *buf, size_t len,
	     struct gtokens *out);

void grub_tokens_free(struct gtokens *t);

/* Return: true when t is the unquoted word kw (a reserved word only
 * counts where a command starts, which the caller knows). */
bool gtok_is(const struct gtoken *t, const char *kw);

struct gvars {
	char *name[GRUB_MAX_VARS];
	char *value[GRUB_MAX_VARS];
	size_t n;
};

/* Return: the value of name [n bytes], or NULL when unset. */
const char *gvar_get(const struct gvars *vs, const char *name, size_t n);

/* Set name to [v, v + vlen) (cut at GRUB_MAX_VALUE).
 * Return: 0, -ENOSPC (GRUB_MAX_VARS set), -ENOMEM. */
int gvar_set(struct gvars *vs, const char *name, size_t nlen, const char *v,
	     size_t vlen);

void gvar_unset(struct gvars *vs, const char *name, size_t nlen);

/* Return: 0 with *dst a copy of src (freed first), or -ENOMEM. */
int gvars_copy(struct gvars *dst, const struct gvars *src);

void gvars_free(struct gvars *vs);

/* Return: true when [s, s + n) is a variable name (letters, digits, '_',
 * not starting with a digit). */
bool gvar_name_ok(const char *s, size_t n);

/* Expanded words. */
struct gwords {
	char **v;
	size_t n, cap;
};

void gwords_free(struct gwords *w);

/* Positional parameters ($1 ... $N, $#, $@, $*) of a function or
 * menuentry body; NULL/0 at the top. */
struct gargs {
	char **v;
	size_t n;
};

/* Expand word t and append its fields to out: $name, ${name}, $1.., $#,
 * $?, $@, $* replaced ("" when unset); quotes removed; an unquoted
 * expansion splits into fields at blanks, a quoted one does not; a word
 * that expands to nothing unquoted gives no field.  *cut is set when a
 * field was cut at GRUB_MAX_VALUE or fields at GRUB_MAX_FIELDS.
 * Return: 0 or -ENOMEM. */
int grub_expand(const struct gtoken *t, const struct gvars *vs,
		const struct gargs *args, struct gwords *out, bool *cut);

/* What a condition says: grub.cfg tests things kexshim cannot see (files
 * on grub's $prefix, key presses, the video card). */
enum gtruth { G_FALSE, G_TRUE, G_UNKNOWN };

/* Evaluate `test ARGS` / `[ ARGS ]` (argv without "[" and "]") as GRUB's
 * test command does: "" / -n / -z, = == != (strings), -eq -ne -lt -le -gt
 * -ge (numbers), ! ( ) -a -o; file tests (-e -f -s -d) know one file,
 * $prefix/grubenv, which exists when the caller passed its bytes
 * (have_grubenv); other files and unknown operators are G_UNKNOWN, and
 * so is whatever they are combined with unless -a/-o already decide.
 * Return: the truth. */
enum gtruth grub_test(char *const *argv, size_t argc, bool have_grubenv);

#endif
