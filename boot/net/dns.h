/* kexshim: a small stub resolver, because static glibc's getaddrinfo()
 * loads NSS modules (libnss_dns.so) at run time, which a static shim
 * initramfs does not have, and reads /etc/resolv.conf, which nothing
 * writes there.  A and AAAA over UDP to the servers bring-up learnt
 * (DHCPv4 option 6, DHCPv6 option 23, kexshim.ip=; /etc/resolv.conf in
 * the CLI), TCP when the answer is truncated or UDP gets no answer at
 * all, the DHCP domain as search suffix for a name without a dot.  Runs
 * in PID 1 and the CLI. */
#ifndef KEXSHIM_NET_DNS_H
#define KEXSHIM_NET_DNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/dns_msg.h"

#define DNS_MAX_SERVERS 4

/* Forget the servers and the search domain. */
void dns_reset(void);

/* Add a server (port 53 unless port says otherwise); past
 * DNS_MAX_SERVERS, or one already known, it is ignored. */
void dns_add_server(const struct dns_addr *a, uint16_t port);

/* The suffix for names without a dot ("" = none). */
void dns_set_search(const char *domain);

/* Put AAAA answers first (an IPv6-only network). */
void dns_prefer_v6(bool on);

/* "ADDR" or "ADDR:PORT" or "[V6]:PORT" as a server.  Return: 0 or -EINVAL
 * (kx_fail "net: --dns ...: reason"). */
int dns_add_server_text(const char *s);

/* A hosts(5) file to look names up in before asking ("" = none; the
 * CLI uses /etc/hosts, PID 1 none). */
void dns_set_hosts_file(const char *path);

/* The nameserver and search/domain lines of path (the CLI on a host).
 * Return: the number of servers added. */
int dns_load_resolv_conf(const char *path);

/* Return: how many servers are known. */
size_t dns_nr_servers(void);

/* Addresses of host (an IP literal is its own answer), for url's
 * messages ("net: URL: cannot resolve 'HOST': reason").
 * Return: 0 with out[0..*n), *n > 0, or -errno (kx_fail). */
int dns_resolve(const char *host, const char *url, struct dns_addr *out,
		size_t max, size_t *n);

#endif
