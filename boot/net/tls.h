/* kexshim: HTTPS's TLS, through mbedTLS (Debian's libmbedtls, linked
 * statically; no TLS or X.509 of our own): TLS 1.2 or later, the server's
 * certificate verified against a CA bundle (kexshim.ca=, --ca, else the
 * initramfs's /etc/ssl/certs/ca-certificates.crt), its name checked
 * against the URL's host, which SNI carries.  mbedTLS 2.28 matches DNS
 * names only, so an https URL must name its host (not an IP address).
 * Runs in PID 1 and the CLI. */
#ifndef KEXSHIM_NET_TLS_H
#define KEXSHIM_NET_TLS_H

#include <stddef.h>
#include <sys/types.h>

#define TLS_DEFAULT_CA "/etc/ssl/certs/ca-certificates.crt"

struct conn;
struct tls;

/* Handshake on c (connected) for host with the bundle ca_file (NULL: the
 * default) and set c->tls.  Messages read "net: URL: TLS: reason"
 * ("certificate not trusted", "certificate is for another name", ...).
 * Return: 0, or -errno (-EPERM for a certificate refused; kx_fail). */
int tls_start(struct conn *c, const char *host, const char *ca_file,
	      const char *url);

/* Return: bytes, 0 after the peer's close_notify, -ECONNRESET when the
 * connection ended without one, -ETIMEDOUT, -EPROTO. */
ssize_t tls_read(struct tls *t, void *buf, size_t n);

/* Return: 0 or -errno. */
int tls_write(struct tls *t, const void *buf, size_t n);

/* Send close_notify (best effort) and free t. */
void tls_close(struct tls *t);

#endif
