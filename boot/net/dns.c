/* kexshim: the stub resolver (see dns.h).  Timeouts follow the usual stub
 * defaults (glibc: 5 s, 2 attempts) shortened for a boot: 1 s then 2 s per
 * round, each round asking every server. */
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <unistd.h>

#include "lib/error.h"
#include "net/dns.h"
#include "net/sock.h"

static struct {
	struct dns_addr addr[DNS_MAX_SERVERS];
	uint16_t port[DNS_MAX_SERVERS];
	size_t n;
	char search[DNS_NAME_MAX + 1];
	char hosts[64];              /* a hosts(5) file to look in first */
	bool prefer_v6;
	bool udp_dead[DNS_MAX_SERVERS]; /* answered over TCP only */
} cfg;

/* Answers for the life of the process: a boot takes seconds, TTLs are
 * minutes, and every file of an entry asks for the same name. */
#define CACHE_SIZE 8
static struct {
	char name[DNS_NAME_MAX + 1];
	struct dns_addr addr[DNS_MAX_ADDRS];
	size_t n;
} cache[CACHE_SIZE];
static unsigned cache_next;

void dns_reset(void)
{
	memset(&cfg, 0, sizeof(cfg));
	memset(cache, 0, sizeof(cache));
	cache_next = 0;
}

void dns_add_server(const struct dns_addr *a, uint16_t port)
{
	size_t i;

	for (i = 0; i < cfg.n; i++)
		if (cfg.addr[i].family == a->family && cfg.port[i] == port &&
		    !memcmp(a->family == AF_INET ? (const void *)&a->v4 :
			    (const void *)&a->v6,
			    a->family == AF_INET ? (const void *)&cfg.addr[i].v4 :
			    (const void *)&cfg.addr[i].v6,
			    a->family == AF_INET ? 4 : 16))
			return;
	if (cfg.n == DNS_MAX_SERVERS)
		return;
	cfg.addr[cfg.n] = *a;
	cfg.port[cfg.n++] = port ? port : DNS_PORT;
}

void dns_set_search(const char *domain)
{
	snprintf(cfg.search, sizeof(cfg.search), "%s", domain ? domain : "");
}

void dns_prefer_v6(bool on)
{
	cfg.prefer_v6 = on;
}

size_t dns_nr_servers(void)
{
	return cfg.n;
}

static int literal(const char *s, struct dns_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, s, &a->v4) == 1)
		a->family = AF_INET;
	else if (inet_pton(AF_INET6, s, &a->v6) == 1)
		a->family = AF_INET6;
	else
		return -EINVAL;
	return 0;
}

int dns_add_server_text(const char *s)
{
	char host[64];
	struct dns_addr a;
	unsigned long port = DNS_PORT;
	const char *p, *colon;
	char *end;

	if (s[0] == '[') {
		p = strchr(s, ']');
		if (!p || (size_t)(p - s - 1) >= sizeof(host))
			goto bad;
		snprintf(host, sizeof(host), "%.*s", (int)(p - s - 1), s + 1);
		colon = p[1] == ':' ? p + 1 : NULL;
		if (p[1] && !colon)
			goto bad;
	} else {
		colon = strchr(s, ':');
		/* Two colons: a bare IPv6 address, no port. */
		if (colon && strchr(colon + 1, ':'))
			colon = NULL;
		snprintf(host, sizeof(host), "%.*s",
			 (int)(colon ? (size_t)(colon - s) : strlen(s)), s);
	}
	if (literal(host, &a))
		goto bad;
	if (colon) {
		port = strtoul(colon + 1, &end, 10);
		if (!colon[1] || *end || !port || port > 65535)
			goto bad;
	}
	dns_add_server(&a, (uint16_t)port);
	return 0;
bad:
	return kx_fail(EINVAL, "net: --dns %.64s: want ADDR, ADDR:PORT or "
		       "[IPV6]:PORT", s);
}

void dns_set_hosts_file(const char *path)
{
	snprintf(cfg.hosts, sizeof(cfg.hosts), "%s", path ? path : "");
}

/* hosts(5): "ADDR NAME ALIAS...".  Return: how many addresses of name. */
static size_t from_hosts(const char *name, struct dns_addr *out, size_t max)
{
	char line[512];
	size_t n = 0;
	FILE *f;

	if (!cfg.hosts[0] || !(f = fopen(cfg.hosts, "re")))
		return 0;
	while (n < max && fgets(line, sizeof(line), f)) {
		char *save = NULL, *addr, *w;
		struct dns_addr a;

		line[strcspn(line, "#")] = '\0';
		addr = strtok_r(line, " \t\r\n", &save);
		if (!addr || literal(addr, &a))
			continue;
		while ((w = strtok_r(NULL, " \t\r\n", &save)))
			if (!strcasecmp(w, name)) {
				out[n++] = a;
				break;
			}
	}
	fclose(f);
	return n;
}

int dns_load_resolv_conf(const char *path)
{
	char line[512];
	int added = 0;
	FILE *f = fopen(path, "re");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		char *save = NULL, *kw = strtok_r(line, " \t\r\n", &save);
		char *v = kw ? strtok_r(NULL, " \t\r\n", &save) : NULL;
		struct dns_addr a;

		if (!kw || !v)
			continue;
		if (!strcmp(kw, "nameserver") && !literal(v, &a)) {
			dns_add_server(&a, DNS_PORT);
			added++;
		} else if ((!strcmp(kw, "search") || !strcmp(kw, "domain")) &&
			   !cfg.search[0]) {
			dns_set_search(v);
		}
	}
	fclose(f);
	return added;
}

static uint16_t new_id(void)
{
	uint16_t id;

	if (getrandom(&id, sizeof(id), GRND_NONBLOCK) != sizeof(id))
		id = (uint16_t)(net_now_ms() * 2654435761u >> 16);
	return id;
}

/* One question over TCP (RFC 1035 4.2.2: a two-byte length first).
 * Return: as dns_answer_parse, or -errno. */
static int ask_tcp(size_t server, const char *name, uint16_t qtype,
		   struct dns_addr *out, size_t max, size_t *n)
{
	uint8_t q[2 + DNS_UDP_MAX], *r = NULL;
	uint16_t id = new_id();
	size_t ql = dns_query_build(q + 2, sizeof(q) - 2, id, name, qtype);
	size_t got = 0, want;
	bool tc;
	int fd, rc;

	if (!ql)
		return -EINVAL;
	q[0] = (uint8_t)(ql >> 8);
	q[1] = (uint8_t)ql;
	fd = sock_connect(&cfg.addr[server], 1, cfg.port[server], 2000, name);
	if (fd < 0)
		return fd;
	rc = sock_write(fd, q, ql + 2, 2000);
	r = malloc(2 + 65535);
	if (!r)
		rc = -ENOMEM;
	while (!rc && got < 2) {
		ssize_t k = sock_read(fd, r + got, 2 - got, 3000);

		rc = k < 0 ? (int)k : k == 0 ? -ECONNRESET : 0;
		got += k > 0 ? (size_t)k : 0;
	}
	want = rc ? 0 : (size_t)(r[0] << 8 | r[1]) + 2;
	while (!rc && got < want) {
		ssize_t k = sock_read(fd, r + got, want - got, 3000);

		rc = k < 0 ? (int)k : k == 0 ? -ECONNRESET : 0;
		got += k > 0 ? (size_t)k : 0;
	}
	close(fd);
	if (!rc)
		rc = dns_answer_parse(r + 2, want - 2, id, name, qtype, out, max,
				      n, &tc);
	free(r);
	return rc;
}

/* A and AAAA for name from server over UDP within ms.  Return: 0 (see *n4, *n6),
 * -ENOENT (NXDOMAIN), -EMSGSIZE (truncated: ask over TCP), -ETIMEDOUT,
 * -errno. */
static int ask_udp(size_t server, const char *name, unsigned ms,
		   struct dns_addr *a4, size_t *n4, struct dns_addr *a6,
		   size_t *n6)
{
	static const uint16_t types[2] = { DNS_TYPE_A, DNS_TYPE_AAAA };
	struct sockaddr_storage ss;
	socklen_t sl = sock_addr(&cfg.addr[server], cfg.port[server], &ss);
	uint8_t q[DNS_UDP_MAX], r[4096];
	uint16_t id[2];
	bool done[2] = { false, false }, trunc = false, nx = false;
	uint64_t end = net_now_ms() + ms;
	int fd, i, rc = 0;

	*n4 = *n6 = 0;
	fd = socket(cfg.addr[server].family, SOCK_DGRAM | SOCK_NONBLOCK |
		    SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&ss, sl)) {
		rc = -errno;
		close(fd);
		return rc;
	}
	for (i = 0; i < 2; i++) {
		size_t ql;

		id[i] = new_id();
		ql = dns_query_build(q, sizeof(q), id[i], name, types[i]);
		if (!ql) {
			close(fd);
			return -EINVAL;
		}
		if (send(fd, q, ql, 0) < 0) {
			rc = -errno;
			close(fd);
			return rc;
		}
	}
	while (!(done[0] && done[1])) {
		uint64_t now = net_now_ms();
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t len;

		if (now >= end) {
			rc = -ETIMEDOUT;
			break;
		}
		if (poll(&p, 1, (int)(end - now)) <= 0)
			continue;
		len = recv(fd, r, sizeof(r), 0);
		if (len < 0) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			rc = -errno; /* ECONNREFUSED: nobody listens there */
			break;
		}
		for (i = 0; i < 2; i++) {
			bool tc;
			int pr;

			if (done[i])
				continue;
			pr = dns_answer_parse(r, (size_t)len, id[i], name, types[i],
					      i ? a6 : a4, DNS_MAX_ADDRS,
					      i ? n6 : n4, &tc);
			if (pr == -ENOMSG || pr == -EBADMSG)
				continue;
			done[i] = true;
			if (tc)
				trunc = true;
			if (pr == -ENOENT)
				nx = true;
		}
	}
	close(fd);
	if (*n4 || *n6)
		return 0;
	if (trunc)
		return -EMSGSIZE;
	if (nx)
		return -ENOENT;
	if (done[0] && done[1])
		return 0; /* the name exists, without addresses */
	return rc ? rc : -ETIMEDOUT;
}

/* Merge the answers in the order we prefer.  Return: how many. */
static size_t merge(const struct dns_addr *a4, size_t n4,
		    const struct dns_addr *a6, size_t n6, struct dns_addr *out,
		    size_t max)
{
	const struct dns_addr *first = cfg.prefer_v6 ? a6 : a4;
	const struct dns_addr *second = cfg.prefer_v6 ? a4 : a6;
	size_t nf = cfg.prefer_v6 ? n6 : n4, ns = cfg.prefer_v6 ? n4 : n6;
	size_t n = 0, i;

	for (i = 0; i < nf && n < max; i++)
		out[n++] = first[i];
	for (i = 0; i < ns && n < max; i++)
		out[n++] = second[i];
	return n;
}

/* Resolve one fully written name.  Return: 0 with *n, or -errno. */
static int resolve_name(const char *name, struct dns_addr *out, size_t max,
			size_t *n)
{
	static const unsigned round_ms[] = { 1000, 2000 };
	struct dns_addr a4[DNS_MAX_ADDRS], a6[DNS_MAX_ADDRS];
	size_t n4, n6, s, r;
	int rc = -ETIMEDOUT, last = -ETIMEDOUT;
	bool answered = false;

	for (r = 0; r < sizeof(round_ms) / sizeof(round_ms[0]); r++) {
		for (s = 0; s < cfg.n; s++) {
			if (cfg.udp_dead[s])
				continue;
			rc = ask_udp(s, name, round_ms[r], a4, &n4, a6, &n6);
			if (rc == -EMSGSIZE) {
				int r4 = ask_tcp(s, name, DNS_TYPE_A, a4,
						 DNS_MAX_ADDRS, &n4);
				int r6 = ask_tcp(s, name, DNS_TYPE_AAAA, a6,
						 DNS_MAX_ADDRS, &n6);

				if (r4)
					n4 = 0;
				if (r6)
					n6 = 0;
				rc = n4 || n6 ? 0 : r4 ? r4 : r6;
			}
			if (!rc) {
				*n = merge(a4, n4, a6, n6, out, max);
				return *n ? 0 : -ENODATA;
			}
			if (rc == -ENOENT)
				return rc; /* the name does not exist */
			if (rc != -ETIMEDOUT && rc != -ECONNREFUSED)
				answered = true;
			last = rc;
		}
	}
	/* Nothing over UDP at all (a network that only passes TCP to the
	 * server, such as QEMU's user networking with guestfwd): TCP.  Also
	 * straight here for a server known to answer only over TCP. */
	for (s = 0; !answered && s < cfg.n; s++) {
		int r4 = ask_tcp(s, name, DNS_TYPE_A, a4, DNS_MAX_ADDRS, &n4);
		int r6 = ask_tcp(s, name, DNS_TYPE_AAAA, a6, DNS_MAX_ADDRS, &n6);

		if (r4)
			n4 = 0;
		if (r6)
			n6 = 0;
		if (n4 || n6) {
			*n = merge(a4, n4, a6, n6, out, max);
			cfg.udp_dead[s] = true; /* next time, TCP straight away */
			return 0;
		}
		if (r4 == -ENOENT || r6 == -ENOENT)
			return -ENOENT;
		last = r4 ? r4 : r6 ? r6 : -ENODATA;
	}
	return last;
}

int dns_resolve(const char *host, const char *url, struct dns_addr *out,
		size_t max, size_t *n)
{
	char name[DNS_NAME_MAX + 2];
	int rc = -ENOENT;

	*n = 0;
	if (!max)
		return kx_fail(EINVAL, "net: %s: no room for addresses", url);
	if (!literal(host, out)) {
		*n = 1;
		return 0;
	}
	*n = from_hosts(host, out, max);
	if (*n)
		return 0;
	for (size_t c = 0; c < CACHE_SIZE; c++)
		if (cache[c].n && !strcasecmp(cache[c].name, host)) {
			*n = cache[c].n < max ? cache[c].n : max;
			memcpy(out, cache[c].addr, *n * sizeof(*out));
			return 0;
		}
	if (!cfg.n)
		return kx_fail(EHOSTUNREACH, "net: %s: cannot resolve '%s': no "
			       "DNS server (DHCP gave none; kexshim.ip=...,DNS "
			       "or --dns names one)", url, host);
	/* RFC 1123 6.1.4.3-ish: a single label gets the search suffix
	 * first. */
	if (!strchr(host, '.') && cfg.search[0] &&
	    snprintf(name, sizeof(name), "%s.%s", host, cfg.search) <
	    (int)sizeof(name)) {
		rc = resolve_name(name, out, max, n);
		if (!rc)
			return 0;
	}
	rc = resolve_name(host, out, max, n);
	if (!rc) {
		unsigned c = cache_next++ % CACHE_SIZE;

		snprintf(cache[c].name, sizeof(cache[c].name), "%s", host);
		memcpy(cache[c].addr, out, *n * sizeof(*out));
		cache[c].n = *n < DNS_MAX_ADDRS ? *n : DNS_MAX_ADDRS;
		return 0;
	}
	return kx_fail(-rc, "net: %s: cannot resolve '%s': %s", url, host,
		       rc == -ENOENT ? "no such name" :
		       rc == -ENODATA ? "the name has no address" :
		       rc == -ETIMEDOUT ? "no DNS server answered" :
		       rc == -EAGAIN ? "the DNS server failed" : strerror(-rc));
}
