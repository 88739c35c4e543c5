/* kexshim: network bring-up in PID 1 (see net.h): pick the interfaces,
 * wait for a carrier, then a static address or DHCPv4, and IPv6 as the
 * routers advertise it.  Runs once, after the NIC drivers are loaded and
 * before the network's entries are read. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "arch/arch.h"
#include "common/util.h"
#include "lib/console.h"
#include "lib/error.h"
#include "lib/kcmdline.h"
#include "lib/readfile.h"
#include "lib/warn.h"
#include "net/dhcp4.h"
#include "net/dhcp6.h"
#include "net/dns.h"
#include "net/net.h"
#include "net/rtnl.h"
#include "net/sock.h"

/* How long a link may take to get its carrier (autonegotiation: 2-3 s on
 * 1G copper, more on some 10G), and how long the others get once one
 * has it. */
#define CARRIER_MS 10000
#define CARRIER_GRACE_MS 1000
/* IPv6: the router's answer to our solicitation (after link-local DAD,
 * ~1 s), then DAD of the SLAAC address (~1 s). */
#define RA_WAIT_MS 6000         /* from the link coming up */
#define SLAAC_WAIT_MS 3000
#define DHCP6_TIMEOUT_MS 4000
#define DHCP6_TRY_MS 2000      /* unannounced: just in case */

#ifndef IF_RA_OTHERCONF
#define IF_RA_OTHERCONF 0x80
#define IF_RA_MANAGED 0x40
#define IF_RA_RCVD 0x20
#endif

/* IANA "Processor Architecture Types" for UEFI HTTP Boot, by arch. */
static const struct {
	const char *arch;
	uint16_t type;
} http_arch[] = {
	{ "x86_64", 16 },
	{ "arm64", 19 },
};

uint16_t net_client_arch(char *vendor_class, size_t size)
{
	uint16_t t = 16;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(http_arch); i++)
		if (!strcmp(arch_ops.name, http_arch[i].arch))
			t = http_arch[i].type;
	if (vendor_class)
		snprintf(vendor_class, size, "HTTPClient:Arch:%05u:UNDI:003016", t);
	return t;
}

int net_params_from(const struct kcmdline *kc, struct net_params *p)
{
	int warnings = 0;

	memset(p, 0, sizeof(*p));
	p->url_v6 = strstr(kc->url, "://[") != NULL;
	p->timeout_ms = (kc->net_timeout ? kc->net_timeout :
			 NET_DEFAULT_TIMEOUT_S) * 1000u;
	if (netconf_select(kc->net, &p->sel)) {
		con_warn("%s; using every interface", kx_last_error());
		netconf_select("", &p->sel);
		warnings++;
	}
	if (kc->ip[0] && strcmp(kc->ip, "dhcp")) {
		if (netconf_static(kc->ip, &p->st)) {
			con_warn("%s; using DHCP", kx_last_error());
			warnings++;
		} else {
			p->has_static = true;
		}
	}
	return warnings;
}

/* Write v to /proc/sys/net/ipv6/conf/IF/KEY (best effort: a kernel
 * without IPv6 has none). */
static void sysctl6(const char *ifname, const char *key, const char *v)
{
	char path[128];
	int fd;

	snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/%s", ifname, key);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	if (write(fd, v, strlen(v)) < 0)
		con_debug("net: %s: %s: %s", ifname, key, strerror(errno));
	close(fd);
}

static bool selected(const struct net_select *sel, const struct rtnl_link *l)
{
	if (!l->ether || (l->flags & IFF_LOOPBACK))
		return false;
	if (sel->any)
		return true;
	if (sel->by_mac)
		return !memcmp(sel->mac, l->mac, 6);
	return !strcmp(sel->ifname, l->name);
}

static void machine_uuid(char *out)
{
	char buf[64];
	long n = read_file_into("net", "/sys/class/dmi/id/product_uuid", buf,
				sizeof(buf));

	out[0] = '\0';
	if (n < 36)
		return;
	buf[36] = '\0';
	if (guid_from_text(buf, NULL))
		return;
	for (int i = 0; i < 37; i++)
		out[i] = (char)(buf[i] >= 'A' && buf[i] <= 'F' ?
				buf[i] - 'A' + 'a' : buf[i]);
}

/* Bring the selected links up and wait for carriers.
 * Return: how many have one (in up[]), or -errno (kx_fail). */
static int links_up(const struct net_params *p, struct rtnl_link *up,
		    size_t max)
{
	struct rtnl_link links[RTNL_MAX_LINKS];
	char names[160] = "";
	uint64_t t0 = net_now_ms(), first = 0;
	size_t n, i, cand = 0, k;
	int rc;

	rc = rtnl_links(links, RTNL_MAX_LINKS, &n);
	if (rc)
		return rc;
	for (i = 0; i < n; i++) {
		if (links[i].flags & IFF_LOOPBACK) {
			/* 127.0.0.1 for anyone who wants it. */
			rtnl_link_up(links[i].index, links[i].name);
			continue;
		}
		if (!selected(&p->sel, &links[i]))
			continue;
		cand++;
		sysctl6(links[i].name, "disable_ipv6", "0");
		sysctl6(links[i].name, "accept_ra", "1");
		sysctl6(links[i].name, "autoconf", "1");
		if (rtnl_link_up(links[i].index, links[i].name))
			con_warn("%s", kx_last_error());
		snprintf(names + strlen(names), sizeof(names) - strlen(names),
			 "%s%s", names[0] ? ", " : "", links[i].name);
	}
	if (!cand) {
		for (i = 0; i < n; i++)
			if (links[i].ether)
				snprintf(names + strlen(names),
					 sizeof(names) - strlen(names), "%s%s",
					 names[0] ? ", " : "", links[i].name);
		if (p->sel.any)
			return kx_fail(ENODEV, "net: no Ethernet interface (is "
				       "its driver in the initramfs?)");
		return kx_fail(ENODEV, "net: kexshim.net= names no interface "
			       "(there are: %s)", names[0] ? names : "none");
	}
	for (;;) {
		uint64_t now = net_now_ms();
		size_t have = 0;

		rc = rtnl_links(links, RTNL_MAX_LINKS, &n);
		if (rc)
			return rc;
		for (i = 0, k = 0; i < n; i++)
			if (selected(&p->sel, &links[i]) &&
			    (links[i].flags & IFF_LOWER_UP) && k < max)
				up[k++] = links[i];
		have = k;
		if (have && !first)
			first = now;
		if (have == cand || (first && now - first >= CARRIER_GRACE_MS) ||
		    now - t0 >= CARRIER_MS || now - t0 >= p->timeout_ms)
			break;
		net_sleep_ms(100);
	}
	for (i = 0, k = 0; i < n; i++)
		if (selected(&p->sel, &links[i]) && (links[i].flags & IFF_LOWER_UP))
			k++;
	if (!k)
		return kx_fail(ENETDOWN, "net: no carrier on %s after %u s", names,
			       (unsigned)((net_now_ms() - t0) / 1000));
	return (int)(k < max ? k : max);
}

static void add_dns(const struct dns_addr *a, const char *from)
{
	char t[64];

	dns_add_server(a, 0);
	con_note("net: DNS server %s (%s)", netconf_addr_text(a, t, sizeof(t)),
		 from);
}

static int apply_static(const struct net_params *p, const struct rtnl_link *l,
			struct net_info *info)
{
	const struct net_static *st = &p->st;
	char a[64], g[64] = "";
	unsigned i;
	int rc;

	rc = rtnl_addr_add(l->index, l->name, &st->addr, st->prefix);
	if (!rc && st->has_gw)
		rc = rtnl_route_add(l->index, l->name, st->addr.family, NULL, 0,
				    &st->gw);
	if (rc)
		return rc;
	for (i = 0; i < st->nr_dns; i++)
		add_dns(&st->dns[i], "kexshim.ip");
	if (st->addr.family == AF_INET) {
		info->has_v4 = true;
		info->v4 = st->addr.v4;
		info->v4_prefix = st->prefix;
	} else {
		info->has_v6 = true;
		info->v6 = st->addr.v6;
	}
	if (st->has_gw)
		netconf_addr_text(&st->gw, g, sizeof(g));
	con_info("net: %s: %s/%u%s%s (kexshim.ip)", l->name,
		 netconf_addr_text(&st->addr, a, sizeof(a)), st->prefix,
		 g[0] ? " via " : "", g);
	return 0;
}

static int apply_lease(const struct rtnl_link *l, const struct dhcp4_lease *d,
		       struct net_info *info)
{
	struct dns_addr a = { .family = AF_INET, .v4 = d->yiaddr };
	char t[32], s[32];
	unsigned i;
	int rc;

	rc = rtnl_addr_add(l->index, l->name, &a, d->prefix);
	for (i = 0; !rc && i < d->nr_routes; i++) {
		struct dns_addr dst = { .family = AF_INET, .v4 = d->routes[i].dst };
		struct dns_addr gw = { .family = AF_INET, .v4 = d->routes[i].gw };

		rc = rtnl_route_add(l->index, l->name, AF_INET,
				    d->routes[i].prefix ? &dst : NULL,
				    d->routes[i].prefix,
				    d->routes[i].gw.s_addr ? &gw : NULL);
	}
	if (!rc && !d->nr_routes && d->router.s_addr) {
		struct dns_addr gw = { .family = AF_INET, .v4 = d->router };

		rc = rtnl_route_add(l->index, l->name, AF_INET, NULL, 0, &gw);
	}
	if (rc)
		return rc;
	for (i = 0; i < d->nr_dns; i++) {
		struct dns_addr dn = { .family = AF_INET, .v4 = d->dns[i] };

		add_dns(&dn, "DHCP");
	}
	if (d->domain[0])
		dns_set_search(d->domain);
	info->has_v4 = true;
	info->v4 = d->yiaddr;
	info->v4_prefix = d->prefix;
	info->has_lease = true;
	info->lease = *d;
	inet_ntop(AF_INET, &d->router, t, sizeof(t));
	inet_ntop(AF_INET, &d->server_id, s, sizeof(s));
	con_info("net: %s: %s/%u%s%s (DHCP from %s, lease %u s)", l->name,
		 inet_ntoa(d->yiaddr), d->prefix, d->router.s_addr ? " via " : "",
		 d->router.s_addr ? t : "", s, d->lease_secs);
	if (d->bootfile[0] || d->pxe_config[0] || d->pxe_prefix[0])
		con_info("net: %s: DHCP boot file '%s'%s%s%s%s%s%s", l->name,
			 d->bootfile, d->siaddr.s_addr ? " next server " : "",
			 d->siaddr.s_addr ? inet_ntoa(d->siaddr) : "",
			 d->pxe_config[0] ? ", config " : "", d->pxe_config,
			 d->pxe_prefix[0] ? ", prefix " : "", d->pxe_prefix);
	return 0;
}

/* A usable (non-tentative) address on the link: link-local, or one that
 * reaches further (global; also site-local fec0::/10, which QEMU's user
 * networking still hands out)?  Return: true with it in *out. */
static bool have_addr6(int index, bool link_local, struct in6_addr *out)
{
	struct rtnl_addr a[RTNL_MAX_ADDRS];
	size_t n, i;

	if (rtnl_addrs(index, AF_INET6, a, RTNL_MAX_ADDRS, &n))
		return false;
	for (i = 0; i < n; i++)
		if ((link_local ? a[i].scope == RT_SCOPE_LINK :
		     a[i].scope <= RT_SCOPE_SITE) &&
		    !(a[i].flags & (IFA_F_TENTATIVE | IFA_F_DADFAILED))) {
			if (out)
				*out = a[i].addr.v6;
			return true;
		}
	return false;
}

/* IPv6 on l: wait for the router's advertisement, then its address
 * (SLAAC) and, as the RA's M/O flags say, DHCPv6.  When the boot needs
 * to be told what to boot (ask), an INFORMATION-REQUEST goes out even
 * without the O flag, briefly: some servers offer a boot file URL their
 * router does not announce (QEMU's user networking is one).  wait: for
 * the advertisement, else take IPv6 only if it is in already (a lab
 * without IPv6 would wait RA_WAIT_MS on every boot for nothing). */
static void ipv6(const struct rtnl_link *l, struct net_info *info, bool ask,
		 bool wait, uint64_t t_up)
{
	struct dhcp6_opts o = { .timeout_ms = DHCP6_TIMEOUT_MS };
	char vc[64], t[INET6_ADDRSTRLEN];
	uint64_t t0;
	uint32_t flags = 0;
	unsigned i;

	for (;;) {
		if (!rtnl_inet6_flags(l->index, &flags) && (flags & IF_RA_RCVD))
			break;
		if (!wait || net_now_ms() - t_up >= RA_WAIT_MS)
			break;
		net_sleep_ms(100);
	}
	if (!(flags & IF_RA_RCVD) && !wait) {
		con_note("net: %s: no IPv6 router advertisement yet; IPv4 will "
			 "do", l->name);
		return;
	}
	if (!(flags & IF_RA_RCVD)) {
		con_note("net: %s: no IPv6 router advertisement in %u s (flags "
			 "0x%x)", l->name, RA_WAIT_MS / 1000, flags);
		return;
	}
	t0 = net_now_ms();
	while (!have_addr6(l->index, false, &info->v6) &&
	       net_now_ms() - t0 < SLAAC_WAIT_MS)
		net_sleep_ms(100);
	info->has_v6 = have_addr6(l->index, false, &info->v6);
	if (info->has_v6)
		con_info("net: %s: IPv6 %s (router advertisement%s%s)", l->name,
			 inet_ntop(AF_INET6, &info->v6, t, sizeof(t)),
			 flags & IF_RA_MANAGED ? ", managed" : "",
			 flags & IF_RA_OTHERCONF ? ", other config" : "");
	else
		con_note("net: %s: IPv6 router advertisement%s%s, no address "
			 "from it", l->name,
			 flags & IF_RA_MANAGED ? " (managed)" : "",
			 flags & IF_RA_OTHERCONF ? " (other config)" : "");
	if (!(flags & (IF_RA_MANAGED | IF_RA_OTHERCONF)) && !ask)
		return;
	if (!(flags & (IF_RA_MANAGED | IF_RA_OTHERCONF)))
		o.timeout_ms = DHCP6_TRY_MS;
	/* DHCPv6 speaks from the link-local address: it must be past DAD. */
	t0 = net_now_ms();
	while (!have_addr6(l->index, true, NULL) &&
	       net_now_ms() - t0 < SLAAC_WAIT_MS)
		net_sleep_ms(100);
	o.arch = net_client_arch(vc, sizeof(vc));
	o.vendor_class = vc;
	o.stateful = flags & IF_RA_MANAGED;
	if (info->uuid[0] && !guid_from_text(info->uuid, o.uuid))
		o.has_uuid = true;
	if (dhcp6_run(l->index, l->name, l->mac, &o, &info->dhcp6)) {
		if (o.timeout_ms == DHCP6_TRY_MS)
			con_note("%s", kx_last_error());
		else
			con_warn("%s", kx_last_error());
		return;
	}
	info->has_dhcp6 = true;
	if (info->dhcp6.has_addr) {
		struct dns_addr a = { .family = AF_INET6, .v6 = info->dhcp6.addr };

		if (!rtnl_addr_add(l->index, l->name, &a, 128)) {
			info->has_v6 = true;
			info->v6 = info->dhcp6.addr;
			con_info("net: %s: IPv6 %s (DHCPv6)", l->name,
				 inet_ntop(AF_INET6, &a.v6, t, sizeof(t)));
		} else {
			con_warn("%s", kx_last_error());
		}
	}
	for (i = 0; i < info->dhcp6.nr_dns; i++) {
		struct dns_addr a = { .family = AF_INET6, .v6 = info->dhcp6.dns[i] };

		add_dns(&a, "DHCPv6");
	}
	if (info->dhcp6.domain[0])
		dns_set_search(info->dhcp6.domain);
	if (info->dhcp6.bootfile_url[0])
		con_info("net: %s: DHCPv6 boot file URL %s%s%s", l->name,
			 info->dhcp6.bootfile_url,
			 info->dhcp6.bootfile_param[0] ? ", parameters " : "",
			 info->dhcp6.bootfile_param);
}

int net_up(const struct net_params *p, bool want_boot_info,
	   struct net_info *info)
{
	struct rtnl_link up[RTNL_MAX_LINKS];
	struct dhcp4_iface ifs[RTNL_MAX_LINKS];
	struct dhcp4_opts o = { .want_boot_info = want_boot_info };
	struct dhcp4_lease lease;
	char vc[64];
	uint64_t t0 = net_now_ms(), t_up;
	int n, i, chosen = 0, rc;

	memset(info, 0, sizeof(*info));
	dns_reset();
	machine_uuid(info->uuid);
	n = links_up(p, up, RTNL_MAX_LINKS);
	if (n < 0)
		return n;
	t_up = net_now_ms();
	for (i = 0; i < n; i++)
		con_info("net: %s: link up (%02x:%02x:%02x:%02x:%02x:%02x)",
			 up[i].name, up[i].mac[0], up[i].mac[1], up[i].mac[2],
			 up[i].mac[3], up[i].mac[4], up[i].mac[5]);
	if (p->has_static) {
		rc = apply_static(p, &up[0], info);
		if (rc)
			return rc;
	} else {
		o.arch = net_client_arch(vc, sizeof(vc));
		o.vendor_class = vc;
		if (info->uuid[0] && !guid_from_text(info->uuid, o.uuid))
			o.has_uuid = true;
		o.timeout_ms = p->timeout_ms > net_now_ms() - t0 ?
			       p->timeout_ms - (unsigned)(net_now_ms() - t0) : 1000;
		for (i = 0; i < n; i++) {
			ifs[i].index = up[i].index;
			snprintf(ifs[i].name, sizeof(ifs[i].name), "%s", up[i].name);
			memcpy(ifs[i].mac, up[i].mac, 6);
		}
		chosen = dhcp4_acquire(ifs, (size_t)n, &o, &lease);
		if (chosen >= 0) {
			rc = apply_lease(&up[chosen], &lease, info);
			if (rc)
				return rc;
		} else {
			/* IPv6 may still do; say why v4 did not. */
			con_warn("%s", kx_last_error());
			chosen = 0;
		}
	}
	info->index = up[chosen].index;
	snprintf(info->ifname, sizeof(info->ifname), "%s", up[chosen].name);
	memcpy(info->mac, up[chosen].mac, 6);
	ipv6(&up[chosen], info, want_boot_info,
	     !info->has_v4 || want_boot_info || p->url_v6, t_up);
	dns_prefer_v6(info->has_v6 && !info->has_v4);
	if (!info->has_v4 && !info->has_v6)
		return kx_fail(ENETUNREACH, "net: %s: no address (no DHCP lease, "
			       "no IPv6 router)", info->ifname);
	return 0;
}
