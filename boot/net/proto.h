/* kexshim: what fetch.c shares with its protocols (tftp.c, http.c): one
 * attempt at a URL, the state that lives across attempts (the URL after
 * redirects, HTTP's validator for If-Range) and whether another attempt
 * could help.  Internal to boot/net/. */
#ifndef KEXSHIM_NET_PROTO_H
#define KEXSHIM_NET_PROTO_H

#include <stdbool.h>

#include "net/fetch.h"
#include "net/sink.h"
#include "net/url.h"

struct fetch_ctx {
	const char *url;           /* as asked, for messages */
	char cur[URL_MAX];         /* the URL now (after redirects) */
	const struct fetch_opts *o;
	struct sink *s;
	bool retry;                /* another attempt may help */
	unsigned retry_after_ms;   /* the server asked us to wait */
	char validator[160];       /* HTTP: a strong ETag or Last-Modified */
	unsigned redirects;
	unsigned resumed;
};

/* One attempt each.  They continue from s->size when they can (http) and
 * sink_restart() when they cannot; a failure says kx_fail() why and sets
 * f->retry when it may be passing.  Return: 0 or -errno. */
int tftp_fetch(struct fetch_ctx *f);
int http_fetch(struct fetch_ctx *f);

#endif
