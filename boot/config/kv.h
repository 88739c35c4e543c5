/* kexshim: the line syntax the Boot Loader Specification's files share
 * (entries, loader.conf) and so do kexshim's own: "key value" per line,
 * '#' comments, blank or tab separators, CRLF accepted.  Pure.  Runs in
 * PID 1 and the CLI. */
#ifndef KEXSHIM_CONFIG_KV_H
#define KEXSHIM_CONFIG_KV_H

#include <stdbool.h>
#include <stddef.h>

/* Longer lines are an error, not truncated. */
#define KV_MAX_LINE 65536

/* Walks a file line by line and hands out "key value" pairs. */
struct kv_iter {
	const char *who;   /* message prefix: "bls" */
	const char *name;  /* the file, for messages */
	const char *p, *end;
	unsigned lineno;
};

/* Next "key value" line.  Errors: a NUL byte, invalid UTF-8, a key without
 * a value, a line over KV_MAX_LINE.
 * Return: 1 with key/value set (value is never empty), 0 at the end, or
 * -EINVAL with a kx_fail() "WHO: FILE:LINE: reason". */
int kv_next(struct kv_iter *it, const char **key, size_t *klen,
	    const char **val, size_t *vlen);

/* Return: true when key [k, k + klen) is name. */
bool key_eq(const char *k, size_t klen, const char *name);

/* Replace *dst by a malloc'ed copy of [v, v + n).  Return: 0 or -ENOMEM. */
int set_str(char **dst, const char *v, size_t n);

#endif
