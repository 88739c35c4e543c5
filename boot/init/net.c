/* kexshim: network boot in the boot sequence (sequence.c): bring the
 * network up and put its entries among the local ones as
 * kexshim.netboot= says, and fetch a network entry's files when it is
 * tried.  Runs in PID 1 once the disks' entries are scanned (and in
 * `kexshim boot`, without bring-up: there only kexshim.url= counts, on a
 * network that is already up). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch/arch.h"
#include "config/bls.h"
#include "config/entries.h"
#include "init/init.h"
#include "lib/console.h"
#include "lib/error.h"
#include "lib/kcmdline.h"
#include "lib/warn.h"
#include "load/load.h"
#include "net/dns.h"
#include "net/net.h"
#include "net/netboot.h"

static struct netboot_files files;
static char ca[KC_VALUE_MAX];
static char first_id[256];

static const char *mode_name(enum kc_netboot m)
{
	static const char *const names[] = { "auto", "first", "last", "only",
					     "off" };

	return names[m];
}

/* kexshim.netboot= unset: first when a network parameter asks for it,
 * last when nothing local can boot (a diskless machine), else off. */
static enum kc_netboot mode(const struct entries *es, const struct kcmdline *kc)
{
	size_t i;

	if (kc->netboot != KC_NETBOOT_AUTO)
		return kc->netboot;
	if (kc->url[0] || kc->net[0] || kc->ip[0])
		return KC_NETBOOT_FIRST;
	for (i = 0; i < es->l.n; i++)
		if (!es->l.v[i].error)
			return KC_NETBOOT_OFF;
	return KC_NETBOOT_LAST;
}

/* es->l becomes net's entries before (first), after (last) or instead of
 * (only) its own.  Return: 0 or -ENOMEM. */
static int merge(struct entries *es, struct entry_list *net, enum kc_netboot m)
{
	struct entry_list *a = m == KC_NETBOOT_LAST ? &es->l : net;
	struct entry_list *b = m == KC_NETBOOT_LAST ? net : &es->l;
	struct boot_entry *v;
	size_t n;

	if (m == KC_NETBOOT_ONLY) {
		entry_list_free(&es->l);
		es->l = *net;
		memset(net, 0, sizeof(*net));
		return 0;
	}
	n = a->n + b->n;
	v = calloc(n ? n : 1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	memcpy(v, a->v, a->n * sizeof(*v));
	memcpy(v + a->n, b->v, b->n * sizeof(*v));
	free(es->l.v);
	free(net->v);
	memset(net, 0, sizeof(*net));
	es->l.v = v;
	es->l.n = es->l.cap = n;
	return 0;
}

const char *init_net_entries(struct entries *es, const struct kcmdline *kc,
			     bool bring_up)
{
	struct entry_list net = { 0 };
	struct warnings w = { 0 };
	struct net_params p;
	struct net_info info;
	enum kc_netboot m = mode(es, kc);
	size_t i;
	int n;

	first_id[0] = '\0';
	snprintf(ca, sizeof(ca), "%s", kc->ca);
	if (m == KC_NETBOOT_OFF)
		return NULL;
	con_info("net: network boot %s%s", mode_name(m),
		 kc->netboot == KC_NETBOOT_AUTO ? " (kexshim.netboot unset)" : "");
	if (bring_up) {
		net_params_from(kc, &p);
		if (net_up(&p, !kc->url[0], &info)) {
			con_warn("%s; no network entries", kx_last_error());
			if (m == KC_NETBOOT_ONLY)
				entry_list_free(&es->l);
			return NULL;
		}
	} else if (!kc->url[0]) {
		return NULL; /* DHCP is PID 1's */
	} else {
		dns_reset();
		dns_set_hosts_file("/etc/hosts");
		dns_load_resolv_conf("/etc/resolv.conf");
	}
	n = netboot_entries(kc->url, bring_up ? &info : NULL, ca[0] ? ca : NULL,
			    bls_arch_name(arch_ops.name), &net, &w);
	con_warnings_print(&w);
	if (n < 0) {
		con_warn("%s; no network entries", kx_last_error());
		n = 0;
	}
	for (i = 0; i < net.n; i++)
		con_note("net: entry '%s' (%s)%s%s", net.v[i].id,
			 net.v[i].config ? net.v[i].config : "?",
			 net.v[i].error ? ": " : "",
			 net.v[i].error ? net.v[i].error : "");
	/* The network's own default leads when it goes first. */
	for (i = 0; m != KC_NETBOOT_LAST && i < net.n; i++)
		if (!net.v[i].error && (net.v[i].config_default || !first_id[0]))
			snprintf(first_id, sizeof(first_id), "%s", net.v[i].id);
	if (merge(es, &net, m)) {
		entry_list_free(&net);
		con_warn("net: out of memory; no network entries");
		first_id[0] = '\0';
		return NULL;
	}
	con_info("net: %d network entr%s, %s", n, n == 1 ? "y" : "ies",
		 mode_name(m));
	return first_id[0] ? first_id : NULL;
}

int init_net_request(const struct boot_entry *e, struct entry_paths *paths,
		     struct load_request *req)
{
	return netboot_request(e, ca[0] ? ca : NULL, paths, req, &files);
}

void init_net_release(void)
{
	netboot_release(&files);
}
