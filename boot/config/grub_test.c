/* kexshim: GRUB's `test` / `[` (see grub_script.h), three-valued because
 * a grub.cfg asks about things only grub can see.  Pure.  Runs while a
 * grub.cfg is read. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "config/grub_script.h"

struct texpr {
	char *const *v;
	size_t n, i;
	bool have_grubenv;
	unsigned depth;
};

static enum gtruth or_expr(struct texpr *t);

static enum gtruth truth(bool b)
{
	return b ? G_TRUE : G_FALSE;
}

static bool at(const struct texpr *t, size_t off, const char *s)
{
	return t->i + off < t->n && !strcmp(t->v[t->i + off], s);
}

/* Return: true with *out when s is a whole decimal number. */
static bool number(const char *s, long long *out)
{
	char *end;

	if (!*s)
		return false;
	*out = strtoll(s, &end, 10);
	return !*end;
}

static enum gtruth file_test(const struct texpr *t, const char *path)
{
	size_t n = strlen(path);

	/* 00_header: "if [ -s $prefix/grubenv ]; then load_env". */
	if ((n >= 8 && !strcmp(path + n - 8, "/grubenv")) ||
	    !strcmp(path, "grubenv"))
		return truth(t->have_grubenv);
	return G_UNKNOWN;
}

static enum gtruth primary(struct texpr *t)
{
	static const char *const unary_files[] = { "-e", "-f", "-s", "-d" };
	static const char *const nums[] = { "-eq", "-ne", "-lt", "-le", "-gt",
					    "-ge" };
	const char *a, *op, *b;
	size_t k;

	if (t->i >= t->n)
		return G_FALSE; /* "[ ]" is false */
	if (at(t, 0, "(") && t->depth < 16) {
		enum gtruth r;

		t->i++;
		t->depth++;
		r = or_expr(t);
		t->depth--;
		if (!at(t, 0, ")"))
			return G_UNKNOWN;
		t->i++;
		return r;
	}
	a = t->v[t->i];
	/* Binary: ARG OP ARG. */
	if (t->i + 2 < t->n) {
		op = t->v[t->i + 1];
		b = t->v[t->i + 2];
		if (!strcmp(op, "=") || !strcmp(op, "==") || !strcmp(op, "!=")) {
			t->i += 3;
			return truth(!strcmp(a, b) == (op[0] != '!'));
		}
		for (k = 0; k < sizeof(nums) / sizeof(nums[0]); k++) {
			long long x, y;

			if (strcmp(op, nums[k]))
				continue;
			t->i += 3;
			if (!number(a, &x) || !number(b, &y))
				return G_UNKNOWN;
			switch (k) {
			case 0: return truth(x == y);
			case 1: return truth(x != y);
			case 2: return truth(x < y);
			case 3: return truth(x <= y);
			case 4: return truth(x > y);
			default: return truth(x >= y);
			}
		}
	}
	/* Unary: OP ARG. */
	if (t->i + 1 < t->n && a[0] == '-' && a[1] && !a[2]) {
		b = t->v[t->i + 1];
		if (!strcmp(a, "-n") || !strcmp(a, "-z")) {
			t->i += 2;
			return truth((*b != '\0') == (a[1] == 'n'));
		}
		for (k = 0; k < sizeof(unary_files) / sizeof(unary_files[0]); k++)
			if (!strcmp(a, unary_files[k])) {
				t->i += 2;
				return file_test(t, b);
			}
		if (strcmp(a, "-a") && strcmp(a, "-o")) {
			t->i += 2;
			return G_UNKNOWN; /* -nt, -pgt, ...: grub's own */
		}
	}
	/* One string: true when not empty. */
	t->i++;
	return truth(*a != '\0');
}

static enum gtruth not_expr(struct texpr *t)
{
	if (at(t, 0, "!") && t->i + 1 < t->n) {
		enum gtruth r;

		t->i++;
		r = not_expr(t);
		return r == G_UNKNOWN ? r : truth(r == G_FALSE);
	}
	return primary(t);
}

static enum gtruth and_expr(struct texpr *t)
{
	enum gtruth r = not_expr(t);

	while (at(t, 0, "-a")) {
		enum gtruth s;

		t->i++;
		s = not_expr(t);
		if (r == G_FALSE || s == G_FALSE)
			r = G_FALSE;
		else if (r == G_UNKNOWN || s == G_UNKNOWN)
			r = G_UNKNOWN;
	}
	return r;
}

static enum gtruth or_expr(struct texpr *t)
{
	enum gtruth r = and_expr(t);

	while (at(t, 0, "-o")) {
		enum gtruth s;

		t->i++;
		s = and_expr(t);
		if (r == G_TRUE || s == G_TRUE)
			r = G_TRUE;
		else if (r == G_UNKNOWN || s == G_UNKNOWN)
			r = G_UNKNOWN;
	}
	return r;
}

enum gtruth grub_test(char *const *argv, size_t argc, bool have_grubenv)
{
	struct texpr t = { argv, argc, 0, have_grubenv, 0 };
	enum gtruth r = or_expr(&t);

	/* Words left over: a form this evaluator does not know. */
	return t.i == t.n ? r : G_UNKNOWN;
}
