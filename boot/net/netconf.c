/* kexshim: kexshim.net= and kexshim.ip= (see netconf.h).  Pure. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/hex.h"
#include "lib/error.h"
#include "net/netconf.h"

int netconf_select(const char *s, struct net_select *sel)
{
	size_t i;

	memset(sel, 0, sizeof(*sel));
	if (!s || !*s) {
		sel->any = true;
		return 0;
	}
	/* 17 characters, hex pairs split by ':' or '-': a MAC. */
	if (strlen(s) == 17) {
		for (i = 0; i < 6; i++) {
			int hi = hex_digit(s[3 * i]), lo = hex_digit(s[3 * i + 1]);

			if (hi < 0 || lo < 0 || (i < 5 && s[3 * i + 2] != ':' &&
						 s[3 * i + 2] != '-'))
				break;
			sel->mac[i] = (uint8_t)(hi << 4 | lo);
		}
		if (i == 6) {
			sel->by_mac = true;
			return 0;
		}
	}
	if (strlen(s) >= IF_NAMESIZE || strchr(s, '/') || strchr(s, ' '))
		return kx_fail(EINVAL, "net: kexshim.net=%.64s: not an interface "
			       "name or a MAC address", s);
	strcpy(sel->ifname, s);
	return 0;
}

static int addr(const char *s, struct dns_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, s, &a->v4) == 1) {
		a->family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, s, &a->v6) == 1) {
		a->family = AF_INET6;
		return 0;
	}
	return -EINVAL;
}

int netconf_static(const char *s, struct net_static *st)
{
	char buf[256], *f[2 + NETCONF_MAX_DNS + 1], *p, *slash, *end;
	unsigned nf = 0, i;
	unsigned long pre;

	memset(st, 0, sizeof(*st));
	if (strlen(s) >= sizeof(buf))
		return kx_fail(EINVAL, "net: kexshim.ip=%.64s...: too long", s);
	strcpy(buf, s);
	for (p = buf; nf < sizeof(f) / sizeof(f[0]);) {
		f[nf++] = p;
		p = strchr(p, ',');
		if (!p)
			break;
		*p++ = '\0';
	}
	if (p || nf > 2 + NETCONF_MAX_DNS)
		return kx_fail(EINVAL, "net: kexshim.ip=%.64s: more than %d DNS "
			       "servers", s, NETCONF_MAX_DNS);
	slash = strchr(f[0], '/');
	if (!slash)
		return kx_fail(EINVAL, "net: kexshim.ip=%.64s: want ADDR/PREFIX,"
			       "GATEWAY,DNS", s);
	*slash = '\0';
	if (addr(f[0], &st->addr))
		return kx_fail(EINVAL, "net: kexshim.ip=%.64s: '%s' is not an "
			       "IPv4 or IPv6 address", s, f[0]);
	pre = strtoul(slash + 1, &end, 10);
	if (!slash[1] || *end || pre > (st->addr.family == AF_INET ? 32u : 128u))
		return kx_fail(EINVAL, "net: kexshim.ip=%.64s: bad prefix "
			       "length '%s'", s, slash + 1);
	st->prefix = (uint8_t)pre;
	if (nf > 1 && *f[1]) {
		if (addr(f[1], &st->gw) || st->gw.family != st->addr.family)
			return kx_fail(EINVAL, "net: kexshim.ip=%.64s: gateway "
				       "'%s' is not an address of the same "
				       "family", s, f[1]);
		st->has_gw = true;
	}
	for (i = 2; i < nf; i++) {
		if (!*f[i])
			continue;
		if (addr(f[i], &st->dns[st->nr_dns]))
			return kx_fail(EINVAL, "net: kexshim.ip=%.64s: DNS server "
				       "'%s' is not an address", s, f[i]);
		st->nr_dns++;
	}
	return 0;
}

const char *netconf_addr_text(const struct dns_addr *a, char *buf,
			      size_t size)
{
	if (!inet_ntop(a->family, a->family == AF_INET ? (const void *)&a->v4 :
		       (const void *)&a->v6, buf, (socklen_t)size))
		snprintf(buf, size, "?");
	return buf;
}
