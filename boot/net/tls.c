/* kexshim: TLS through mbedTLS (see tls.h).  The bundle is parsed once per
 * process (a Debian bundle is ~140 certificates); the DRBG is seeded once
 * from the kernel's getrandom(2), which mbedTLS's platform entropy uses. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/error.h>
#include <mbedtls/net_sockets.h>
#include <mbedtls/ssl.h>
#include <mbedtls/x509_crt.h>

#include "lib/error.h"
#include "net/conn.h"
#include "net/sock.h"
#include "net/tls.h"

struct tls {
	mbedtls_ssl_context ssl;
	mbedtls_ssl_config conf;
	int fd;
	unsigned idle_ms;
	int io_err;                 /* errno of the last failed send/recv */
};

static mbedtls_x509_crt ca;
static char ca_loaded[256];        /* which bundle ca holds */
static mbedtls_entropy_context entropy;
static mbedtls_ctr_drbg_context drbg;
static int rng_ready;

static int bio_send(void *ctx, const unsigned char *buf, size_t len)
{
	struct tls *t = ctx;

	for (;;) {
		ssize_t w = send(t->fd, buf, len, MSG_NOSIGNAL);

		if (w >= 0)
			return (int)w;
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN) {
			t->io_err = errno;
			return errno == EPIPE || errno == ECONNRESET ?
			       MBEDTLS_ERR_NET_CONN_RESET :
			       MBEDTLS_ERR_NET_SEND_FAILED;
		}
		if (sock_wait(t->fd, POLLOUT, t->idle_ms)) {
			t->io_err = ETIMEDOUT;
			return MBEDTLS_ERR_SSL_TIMEOUT;
		}
	}
}

static int bio_recv(void *ctx, unsigned char *buf, size_t len)
{
	struct tls *t = ctx;
	ssize_t r = sock_read(t->fd, buf, len, t->idle_ms);

	if (r >= 0)
		return (int)r;
	t->io_err = (int)-r;
	if (r == -ETIMEDOUT)
		return MBEDTLS_ERR_SSL_TIMEOUT;
	if (r == -ECONNRESET)
		return MBEDTLS_ERR_NET_CONN_RESET;
	return MBEDTLS_ERR_NET_RECV_FAILED;
}

static int load_ca(const char *file, const char *url)
{
	int rc;

	if (!strcmp(ca_loaded, file))
		return 0;
	if (ca_loaded[0])
		mbedtls_x509_crt_free(&ca);
	ca_loaded[0] = '\0';
	mbedtls_x509_crt_init(&ca);
	if (access(file, R_OK))
		return kx_fail(errno, "net: %s: TLS: CA bundle %s: %s (kexshim.ca= "
			       "or --ca names one)", url, file, strerror(errno));
	/* Positive: how many certificates did not parse; some did. */
	rc = mbedtls_x509_crt_parse_file(&ca, file);
	if (rc < 0 || !ca.version) {
		mbedtls_x509_crt_free(&ca);
		return kx_fail(EINVAL, "net: %s: TLS: CA bundle %s holds no "
			       "certificate mbedTLS can read", url, file);
	}
	snprintf(ca_loaded, sizeof(ca_loaded), "%s", file);
	return 0;
}

static int seed(const char *url)
{
	static const char who[] = "kexshim";

	if (rng_ready)
		return 0;
	mbedtls_entropy_init(&entropy);
	mbedtls_ctr_drbg_init(&drbg);
	if (mbedtls_ctr_drbg_seed(&drbg, mbedtls_entropy_func, &entropy,
				  (const unsigned char *)who, sizeof(who) - 1))
		return kx_fail(EIO, "net: %s: TLS: no entropy to seed the "
			       "random generator", url);
	rng_ready = 1;
	return 0;
}

/* One line for the certificate problems in flags. */
static void verify_reason(uint32_t flags, const char *host, char *out,
			  size_t size)
{
	char now[32] = "?";
	time_t t = time(NULL);
	struct tm tm;

	if (gmtime_r(&t, &tm))
		strftime(now, sizeof(now), "%Y-%m-%d %H:%M UTC", &tm);
	if (flags & MBEDTLS_X509_BADCERT_NOT_TRUSTED)
		snprintf(out, size, "certificate not trusted (no CA of the "
			 "bundle signed it)");
	else if (flags & MBEDTLS_X509_BADCERT_CN_MISMATCH)
		snprintf(out, size, "certificate is for another name, not '%s'",
			 host);
	else if (flags & MBEDTLS_X509_BADCERT_EXPIRED)
		snprintf(out, size, "certificate expired (the clock says %s)", now);
	else if (flags & MBEDTLS_X509_BADCERT_FUTURE)
		snprintf(out, size, "certificate not valid yet (the clock says "
			 "%s)", now);
	else if (flags & MBEDTLS_X509_BADCERT_REVOKED)
		snprintf(out, size, "certificate revoked");
	else {
		char info[512], *nl;

		mbedtls_x509_crt_verify_info(info, sizeof(info), "", flags);
		nl = strchr(info, '\n');
		if (nl)
			*nl = '\0';
		snprintf(out, size, "certificate refused: %.200s", info);
	}
}

int tls_start(struct conn *c, const char *host, const char *ca_file,
	      const char *url)
{
	struct tls *t;
	char reason[256];
	int rc;

	if (!*host || strchr(host, ':') ||
	    strspn(host, "0123456789.") == strlen(host))
		return kx_fail(EINVAL, "net: %s: TLS: the URL must name its host: "
			       "certificates are checked against DNS names",
			       url);
	rc = seed(url);
	if (!rc)
		rc = load_ca(ca_file ? ca_file : TLS_DEFAULT_CA, url);
	if (rc)
		return rc;
	t = calloc(1, sizeof(*t));
	if (!t)
		return kx_fail(ENOMEM, "net: %s: out of memory", url);
	t->fd = c->fd;
	t->idle_ms = c->idle_ms;
	mbedtls_ssl_init(&t->ssl);
	mbedtls_ssl_config_init(&t->conf);
	rc = mbedtls_ssl_config_defaults(&t->conf, MBEDTLS_SSL_IS_CLIENT,
					 MBEDTLS_SSL_TRANSPORT_STREAM,
					 MBEDTLS_SSL_PRESET_DEFAULT);
	if (rc)
		goto mbed_fail;
	mbedtls_ssl_conf_min_version(&t->conf, MBEDTLS_SSL_MAJOR_VERSION_3,
				     MBEDTLS_SSL_MINOR_VERSION_3); /* TLS 1.2 */
	mbedtls_ssl_conf_authmode(&t->conf, MBEDTLS_SSL_VERIFY_REQUIRED);
	mbedtls_ssl_conf_ca_chain(&t->conf, &ca, NULL);
	mbedtls_ssl_conf_rng(&t->conf, mbedtls_ctr_drbg_random, &drbg);
	rc = mbedtls_ssl_setup(&t->ssl, &t->conf);
	/* The name to check the certificate against, and SNI's. */
	if (!rc)
		rc = mbedtls_ssl_set_hostname(&t->ssl, host);
	if (rc)
		goto mbed_fail;
	mbedtls_ssl_set_bio(&t->ssl, t, bio_send, bio_recv, NULL);
	do
		rc = mbedtls_ssl_handshake(&t->ssl);
	while (rc == MBEDTLS_ERR_SSL_WANT_READ || rc == MBEDTLS_ERR_SSL_WANT_WRITE);
	if (rc) {
		uint32_t flags = mbedtls_ssl_get_verify_result(&t->ssl);

		if (rc == MBEDTLS_ERR_X509_CERT_VERIFY_FAILED && flags) {
			verify_reason(flags, host, reason, sizeof(reason));
			tls_close(t);
			return kx_fail(EPERM, "net: %s: TLS: %s", url, reason);
		}
		if (rc == MBEDTLS_ERR_SSL_TIMEOUT) {
			tls_close(t);
			return kx_fail(ETIMEDOUT, "net: %s: TLS: handshake timed "
				       "out", url);
		}
		goto mbed_fail;
	}
	c->tls = t;
	return 0;
mbed_fail:
	mbedtls_strerror(rc, reason, sizeof(reason));
	rc = t->io_err ? t->io_err : EPROTO;
	tls_close(t);
	return kx_fail(rc, "net: %s: TLS: %s", url, reason);
}

ssize_t tls_read(struct tls *t, void *buf, size_t n)
{
	for (;;) {
		int r = mbedtls_ssl_read(&t->ssl, buf, n);

		if (r >= 0)
			return r;
		if (r == MBEDTLS_ERR_SSL_WANT_READ || r == MBEDTLS_ERR_SSL_WANT_WRITE)
			continue;
		if (r == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY)
			return 0;
		if (r == MBEDTLS_ERR_SSL_TIMEOUT)
			return -ETIMEDOUT;
		/* EOF without close_notify: maybe cut short on purpose. */
		if (r == MBEDTLS_ERR_SSL_CONN_EOF || r == MBEDTLS_ERR_NET_CONN_RESET)
			return -ECONNRESET;
		return t->io_err ? -t->io_err : -EPROTO;
	}
}

int tls_write(struct tls *t, const void *buf, size_t n)
{
	const unsigned char *p = buf;

	while (n) {
		int w = mbedtls_ssl_write(&t->ssl, p, n);

		if (w == MBEDTLS_ERR_SSL_WANT_READ || w == MBEDTLS_ERR_SSL_WANT_WRITE)
			continue;
		if (w < 0)
			return w == MBEDTLS_ERR_SSL_TIMEOUT ? -ETIMEDOUT :
			       t->io_err ? -t->io_err : -EPROTO;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

void tls_close(struct tls *t)
{
	if (!t)
		return;
	/* Best effort, short: the peer may be gone. */
	t->idle_ms = t->idle_ms > 500 ? 500 : t->idle_ms;
	mbedtls_ssl_close_notify(&t->ssl);
	mbedtls_ssl_free(&t->ssl);
	mbedtls_ssl_config_free(&t->conf);
	free(t);
}
