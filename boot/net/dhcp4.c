/* kexshim: the DHCPv4 client (see dhcp4.h). */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/filter.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lib/console.h"
#include "lib/error.h"
#include "lib/warn.h"
#include "net/dhcp4.h"
#include "net/ipudp.h"
#include "net/sock.h"

#define MAX_IFACES 16
#define FIRST_INTERVAL_MS 2000
#define MAX_INTERVAL_MS 16000
#define REQUEST_TRIES 4
/* After a lease without a boot file, how long another interface may
 * still bring one with. */
#define BOOT_INFO_GRACE_MS 2000

enum state { SELECTING, REQUESTING, BOUND, GAVE_UP };

struct run {
	const struct dhcp4_iface *ifc;
	int fd;
	enum state state;
	struct dhcp4_client c;
	uint64_t next_send;
	unsigned interval, tries;
	struct dhcp4_lease offer, ack;
	uint64_t bound_at;
};

static uint32_t random32(void)
{
	uint32_t r;

	if (getrandom(&r, sizeof(r), GRND_NONBLOCK) != sizeof(r))
		r = (uint32_t)net_now_ms() * 2654435761u;
	return r;
}

/* Only IPv4 UDP to port 68, not fragmented (offsets from the IP header:
 * a SOCK_DGRAM packet socket has no link header). */
static int attach_filter(int fd)
{
	struct sock_filter code[] = {
		BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 9),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, IPPROTO_UDP, 0, 6),
		BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 6),
		BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, 0x1fff, 4, 0),
		BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 0),
		BPF_STMT(BPF_LD | BPF_H | BPF_IND, 2),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, DHCP4_CLIENT_PORT, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, 0xffff),
		BPF_STMT(BPF_RET | BPF_K, 0),
	};
	struct sock_fprog prog = { .len = sizeof(code) / sizeof(code[0]),
				   .filter = code };

	return setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog));
}

static int open_socket(const struct dhcp4_iface *ifc)
{
	struct sockaddr_ll sa = { .sll_family = AF_PACKET,
				  .sll_protocol = htons(ETH_P_IP),
				  .sll_ifindex = ifc->index };
	int fd, one = 1, e;

	fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    htons(ETH_P_IP));
	if (fd < 0)
		return kx_fail(errno, "net: %s: DHCP: packet socket: %s",
			       ifc->name, strerror(errno));
	if (attach_filter(fd) ||
	    setsockopt(fd, SOL_PACKET, PACKET_AUXDATA, &one, sizeof(one)) ||
	    bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		e = errno;
		close(fd);
		return kx_fail(e, "net: %s: DHCP: %s", ifc->name, strerror(e));
	}
	return fd;
}

static void send_msg(struct run *r, enum dhcp4_type type, uint64_t t0)
{
	static uint8_t pkt[IPUDP_HDR_LEN + DHCP4_MAX_LEN];
	struct sockaddr_ll to = { .sll_family = AF_PACKET,
				  .sll_protocol = htons(ETH_P_IP),
				  .sll_ifindex = r->ifc->index, .sll_halen = 6,
				  .sll_addr = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff } };
	struct ipudp h = { .src = INADDR_ANY, .dst = INADDR_BROADCAST,
			   .sport = htons(DHCP4_CLIENT_PORT),
			   .dport = htons(DHCP4_SERVER_PORT) };
	uint64_t secs = (net_now_ms() - t0) / 1000;
	size_t n, len;

	r->c.secs = secs > 0xffff ? 0xffff : (uint16_t)secs;
	n = dhcp4_build(type, &r->c, pkt + IPUDP_HDR_LEN, DHCP4_MAX_LEN);
	len = n ? ipudp_build(pkt, sizeof(pkt), &h, n) : 0;
	/* A lost DISCOVER is what retransmission is for. */
	if (len && sendto(r->fd, pkt, len, 0, (struct sockaddr *)&to,
			  sizeof(to)) < 0)
		con_debug("net: %s: DHCP: send: %s", r->ifc->name,
			  strerror(errno));
}

/* Schedule the next retransmission: doubling, +-0.5 s. */
static void backoff(struct run *r, uint64_t now)
{
	r->next_send = now + r->interval - 500 + random32() % 1000;
	r->interval = r->interval * 2 > MAX_INTERVAL_MS ? MAX_INTERVAL_MS :
		      r->interval * 2;
}

static void restart(struct run *r, uint64_t now)
{
	r->state = SELECTING;
	r->c.xid = random32();
	r->interval = FIRST_INTERVAL_MS;
	r->tries = 0;
	r->next_send = now;
}

/* One packet from r's socket.  Return: 1 when it changed r's state, 0
 * when it did not, -1 when there was none. */
static int receive(struct run *r, uint64_t now)
{
	static uint8_t buf[2048];
	char cbuf[CMSG_SPACE(sizeof(struct tpacket_auxdata))];
	struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
			     .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	struct warnings w = { 0 };
	struct dhcp4_lease l;
	struct cmsghdr *cm;
	const uint8_t *p;
	struct ipudp h;
	bool unchecked = false;
	ssize_t n;
	size_t pl;

	n = recvmsg(r->fd, &mh, 0);
	if (n <= 0)
		return -1;
	for (cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm))
		if (cm->cmsg_level == SOL_PACKET && cm->cmsg_type == PACKET_AUXDATA) {
			struct tpacket_auxdata aux;

			memcpy(&aux, CMSG_DATA(cm), sizeof(aux));
			unchecked = aux.tp_status & TP_STATUS_CSUMNOTREADY;
		}
	if (ipudp_parse(buf, (size_t)n, unchecked, &h, &p, &pl) ||
	    h.dport != htons(DHCP4_CLIENT_PORT))
		return 0;
	if (dhcp4_parse(p, pl, &r->c, &l, &w))
		return 0;
	con_warnings_print(&w);
	if (r->state == SELECTING && l.type == DHCPOFFER && l.yiaddr.s_addr &&
	    l.server_id.s_addr) {
		r->offer = l;
		r->state = REQUESTING;
		r->c.requested = l.yiaddr;
		r->c.server_id = l.server_id;
		r->interval = FIRST_INTERVAL_MS;
		r->tries = 0;
		r->next_send = now;
		return 1;
	}
	if (r->state != REQUESTING || l.server_id.s_addr != r->offer.server_id.s_addr)
		return 0;
	if (l.type == DHCPNAK) {
		con_info("net: %s: DHCP: NAK from %s%s%s; starting over",
			 r->ifc->name, inet_ntoa(l.server_id),
			 l.message[0] ? ": " : "", l.message);
		restart(r, now + 1000);
		return 1;
	}
	if (l.type == DHCPACK) {
		r->ack = l;
		r->state = BOUND;
		r->bound_at = now;
		return 1;
	}
	return 0;
}

int dhcp4_acquire(const struct dhcp4_iface *ifs, size_t n,
		  const struct dhcp4_opts *o, struct dhcp4_lease *lease)
{
	struct run runs[MAX_IFACES];
	struct pollfd pfd[MAX_IFACES];
	uint64_t t0 = net_now_ms(), end = t0 + o->timeout_ms;
	size_t i, nr = 0;
	int best = -1, rc;

	if (n > MAX_IFACES)
		n = MAX_IFACES;
	for (i = 0; i < n; i++) {
		struct run *r = &runs[nr];

		memset(r, 0, sizeof(*r));
		r->ifc = &ifs[i];
		r->fd = open_socket(&ifs[i]);
		if (r->fd < 0) {
			con_warn("%s", kx_last_error());
			continue;
		}
		memcpy(r->c.mac, ifs[i].mac, 6);
		r->c.arch = o->arch;
		r->c.vendor_class = o->vendor_class;
		r->c.has_uuid = o->has_uuid;
		memcpy(r->c.uuid, o->uuid, 16);
		restart(r, t0);
		nr++;
	}
	if (!nr)
		return -ENODEV;
	for (;;) {
		uint64_t now = net_now_ms(), wake = end;
		bool busy = false;

		/* Done?  A lease with a boot file; or every run finished;
		 * or a plain lease whose grace is over. */
		best = -1;
		for (i = 0; i < nr; i++) {
			if (runs[i].state != BOUND)
				continue;
			if (best < 0 || (dhcp4_has_boot_info(&runs[i].ack) &&
					 !dhcp4_has_boot_info(&runs[best].ack)))
				best = (int)i;
		}
		for (i = 0; i < nr; i++)
			busy |= runs[i].state == SELECTING ||
				runs[i].state == REQUESTING;
		if (best >= 0 && (!busy || !o->want_boot_info ||
				  dhcp4_has_boot_info(&runs[best].ack) ||
				  now >= runs[best].bound_at + BOOT_INFO_GRACE_MS))
			break;
		if (!busy || now >= end)
			break;
		for (i = 0; i < nr; i++) {
			struct run *r = &runs[i];

			if (r->state == SELECTING || r->state == REQUESTING) {
				if (now >= r->next_send) {
					if (r->state == REQUESTING &&
					    ++r->tries > REQUEST_TRIES) {
						restart(r, now);
						continue;
					}
					send_msg(r, r->state == SELECTING ?
						 DHCPDISCOVER : DHCPREQUEST, t0);
					backoff(r, now);
				}
				if (r->next_send < wake)
					wake = r->next_send;
			}
			if (best >= 0 && runs[best].bound_at + BOOT_INFO_GRACE_MS < wake)
				wake = runs[best].bound_at + BOOT_INFO_GRACE_MS;
			pfd[i].fd = r->fd;
			pfd[i].events = POLLIN;
			pfd[i].revents = 0;
		}
		now = net_now_ms();
		rc = poll(pfd, nr, wake > now ? (int)(wake - now) : 0);
		if (rc < 0 && errno != EINTR)
			break;
		for (i = 0; rc > 0 && i < nr; i++) {
			/* Drain what came, up to a lease. */
			while ((pfd[i].revents & POLLIN) &&
			       runs[i].state != BOUND &&
			       receive(&runs[i], net_now_ms()) >= 0)
				;
		}
	}
	for (i = 0; i < nr; i++)
		close(runs[i].fd);
	if (best < 0)
		return kx_fail(ETIMEDOUT, "net: DHCP: no lease on %zu interface%s "
			       "in %u s", nr, nr == 1 ? "" : "s",
			       o->timeout_ms / 1000);
	*lease = runs[best].ack;
	return (int)(runs[best].ifc - ifs);
}
