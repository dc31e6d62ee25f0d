/*
 * BFD single-hop sockets (RFC 5881). Receive: one UDP socket per local
 * address bound to port 3784, reporting the TTL/hop limit of each packet
 * (section 5: anything but 255 is dropped, by bfd_input) and the interface
 * and destination it arrived on (section 3: that is how a session without
 * a remote discriminator is found). Transmit: one socket per session, bound
 * to the local address and a source port from 49152-65535 that the session
 * keeps for life (section 4), sending with TTL 255 and the network control
 * precedence.
 *
 * IP_FREEBIND lets a session start before its address is configured: an
 * edge may create BFD and BGP sessions while the interface is coming up.
 */
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bfd/bfd_int.h"
#include "lib/log.h"

#define BFD_TOS		0xc0	/* IP precedence 6, network control */
#define BFD_RX_BATCH	64	/* packets per readiness event */
#define BFD_PORT_TRIES	128

int
bfd_ifindex(const char *ifname)
{
	return (int)if_nametoindex(ifname);
}

static socklen_t
bfd_sockaddr(const struct addr *a, uint16_t port, int ifindex,
    struct sockaddr_storage *ss)
{
	socklen_t len = addr_to_sockaddr(a, port, ss);
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

	if (a->af == AF_INET6 && IN6_IS_ADDR_LINKLOCAL(&sin6->sin6_addr))
		sin6->sin6_scope_id = (uint32_t)ifindex;
	return len;
}

static int
bfd_setopt(int fd, int level, int name, int val)
{
	return setsockopt(fd, level, name, &val, sizeof(val));
}

static int
bfd_rxsock_opts(int fd, int af)
{
	if (bfd_setopt(fd, SOL_SOCKET, SO_REUSEADDR, 1) == -1 ||
	    bfd_setopt(fd, IPPROTO_IP, IP_FREEBIND, 1) == -1)
		return -1;
	if (af == AF_INET)
		return bfd_setopt(fd, IPPROTO_IP, IP_RECVTTL, 1) |
		    bfd_setopt(fd, IPPROTO_IP, IP_PKTINFO, 1);
	return bfd_setopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, 1) |
	    bfd_setopt(fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, 1) |
	    bfd_setopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, 1);
}

/* TTL, destination and interface of one datagram, from its cmsgs. */
static void
bfd_rx_cmsgs(struct msghdr *mh, struct bfd_rx_meta *m)
{
	struct cmsghdr *c;
	struct in_pktinfo pi;
	struct in6_pktinfo pi6;
	int v;

	for (c = CMSG_FIRSTHDR(mh); c != NULL; c = CMSG_NXTHDR(mh, c)) {
		if ((c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_TTL) ||
		    (c->cmsg_level == IPPROTO_IPV6 &&
		    c->cmsg_type == IPV6_HOPLIMIT)) {
			memcpy(&v, CMSG_DATA(c), sizeof(v));
			m->ttl = v;
		} else if (c->cmsg_level == IPPROTO_IP &&
		    c->cmsg_type == IP_PKTINFO) {
			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			m->ifindex = pi.ipi_ifindex;
			m->dst.af = AF_INET;
			memcpy(m->dst.b, &pi.ipi_addr, 4);
		} else if (c->cmsg_level == IPPROTO_IPV6 &&
		    c->cmsg_type == IPV6_PKTINFO) {
			memcpy(&pi6, CMSG_DATA(c), sizeof(pi6));
			m->ifindex = (int)pi6.ipi6_ifindex;
			m->dst.af = AF_INET6;
			memcpy(m->dst.b, &pi6.ipi6_addr, 16);
		}
	}
}

static void
bfd_rxsock_read(struct ev_loop *loop, int fd, uint32_t events, void *arg)
{
	struct bfd_rxsock *r = arg;
	uint8_t buf[512];
	union {
		struct cmsghdr	align;
		uint8_t		b[256];
	} cbuf;
	struct sockaddr_storage ss;
	struct iovec iov;
	struct msghdr mh;
	struct bfd_rx_meta m;
	ssize_t n;
	int i;

	for (i = 0; i < BFD_RX_BATCH; i++) {
		iov = (struct iovec){ .iov_base = buf, .iov_len = sizeof(buf) };
		mh = (struct msghdr){ .msg_name = &ss,
		    .msg_namelen = sizeof(ss), .msg_iov = &iov,
		    .msg_iovlen = 1, .msg_control = cbuf.b,
		    .msg_controllen = sizeof(cbuf.b) };
		if ((n = recvmsg(fd, &mh, 0)) == -1) {
			if (errno != EAGAIN && errno != EWOULDBLOCK &&
			    errno != EINTR)
				log_warn("bfd: recvmsg: %s", strerror(errno));
			return;
		}
		memset(&m, 0, sizeof(m));
		m.ttl = -1;
		if (addr_from_sockaddr((struct sockaddr *)&ss, &m.src,
		    &m.sport) == -1)
			continue;
		bfd_rx_cmsgs(&mh, &m);
		bfd_input(r->bfd, buf, (size_t)n, &m);
	}
}

static struct bfd_rxsock *
bfd_rxsock_open(struct bfd_session *s, char *err, size_t errlen)
{
	struct bfd_rxsock *r;
	struct sockaddr_storage ss;
	socklen_t sl;
	char a[ADDR_STRLEN];
	int fd;

	addr_ntop(&s->conf.local, a, sizeof(a));
	fd = socket(s->conf.local.af, SOCK_DGRAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0);
	if (fd == -1 || bfd_rxsock_opts(fd, s->conf.local.af) == -1)
		goto fail;
	sl = bfd_sockaddr(&s->conf.local, BFD_PORT, s->ifindex, &ss);
	if (bind(fd, (struct sockaddr *)&ss, sl) == -1)
		goto fail;
	if ((r = calloc(1, sizeof(*r))) == NULL)
		goto fail;
	r->bfd = s->bfd;
	r->local = s->conf.local;
	r->fd = fd;
	if (ev_io_add(s->bfd->loop, &r->io, fd, EPOLLIN, bfd_rxsock_read,
	    r) == -1) {
		free(r);
		goto fail;
	}
	r->next = s->bfd->rxsocks;
	s->bfd->rxsocks = r;
	return r;
fail:
	snprintf(err, errlen, "BFD receive socket on %s port %d: %s", a,
	    BFD_PORT, strerror(errno));
	if (fd != -1)
		close(fd);
	return NULL;
}

static void
bfd_rxsock_put(struct bfd_rxsock *r)
{
	struct bfd_rxsock **rp;

	if (--r->refs > 0)
		return;
	for (rp = &r->bfd->rxsocks; *rp != NULL; rp = &(*rp)->next)
		if (*rp == r) {
			*rp = r->next;
			break;
		}
	ev_io_del(r->bfd->loop, &r->io);
	close(r->fd);
	free(r);
}

static int
bfd_txsock_opts(struct bfd_session *s, int fd)
{
	const char *ifn = s->conf.ifname;

	if (ifn[0] != '\0' && setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE,
	    ifn, (socklen_t)strlen(ifn)) == -1)
		return -1;
	if (bfd_setopt(fd, IPPROTO_IP, IP_FREEBIND, 1) == -1)
		return -1;
	if (s->conf.local.af == AF_INET)
		return bfd_setopt(fd, IPPROTO_IP, IP_TTL, BFD_TTL) |
		    bfd_setopt(fd, IPPROTO_IP, IP_TOS, BFD_TOS);
	return bfd_setopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, BFD_TTL) |
	    bfd_setopt(fd, IPPROTO_IPV6, IPV6_TCLASS, BFD_TOS);
}

/* RFC 5881 section 4: one source port from 49152-65535 per session. */
static int
bfd_txsock_bind(struct bfd_session *s, int fd)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	uint16_t port;
	int i;

	for (i = 0; i < BFD_PORT_TRIES; i++) {
		port = (uint16_t)(BFD_SRC_PORT_MIN + bfd_random(s->bfd) %
		    (BFD_SRC_PORT_MAX - BFD_SRC_PORT_MIN + 1));
		sl = bfd_sockaddr(&s->conf.local, port, s->ifindex, &ss);
		if (bind(fd, (struct sockaddr *)&ss, sl) == 0) {
			s->sport = port;
			return 0;
		}
		if (errno != EADDRINUSE)
			return -1;
	}
	return -1;
}

static int
bfd_txsock_open(struct bfd_session *s, char *err, size_t errlen)
{
	char a[ADDR_STRLEN];
	int fd;

	fd = socket(s->conf.local.af, SOCK_DGRAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0);
	if (fd == -1 || bfd_txsock_opts(s, fd) == -1 ||
	    bfd_txsock_bind(s, fd) == -1) {
		snprintf(err, errlen, "BFD transmit socket from %s%s%s: %s",
		    addr_ntop(&s->conf.local, a, sizeof(a)),
		    s->conf.ifname[0] ? " on " : "", s->conf.ifname,
		    strerror(errno));
		if (fd != -1)
			close(fd);
		return -1;
	}
	s->txfd = fd;
	return 0;
}

int
bfd_sock_open(struct bfd_session *s, char *err, size_t errlen)
{
	struct bfd_rxsock *r;

	for (r = s->bfd->rxsocks; r != NULL; r = r->next)
		if (addr_cmp(&r->local, &s->conf.local) == 0)
			break;
	if (r == NULL && (r = bfd_rxsock_open(s, err, errlen)) == NULL)
		return -1;
	r->refs++;
	s->rxs = r;
	if (bfd_txsock_open(s, err, errlen) == -1) {
		bfd_rxsock_put(r);
		s->rxs = NULL;
		return -1;
	}
	return 0;
}

void
bfd_sock_close(struct bfd_session *s)
{
	if (s->txfd != -1)
		close(s->txfd);
	s->txfd = -1;
	if (s->rxs != NULL)
		bfd_rxsock_put(s->rxs);
	s->rxs = NULL;
}

/* Failures are counted; only a change of cause is logged, not each packet. */
int
bfd_sock_send(struct bfd_session *s, const uint8_t *pkt, size_t len)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	char a[ADDR_STRLEN];

	sl = bfd_sockaddr(&s->conf.peer, BFD_PORT, s->ifindex, &ss);
	if (sendto(s->txfd, pkt, len, MSG_DONTWAIT, (struct sockaddr *)&ss,
	    sl) == (ssize_t)len) {
		if (s->tx_errno != 0)
			log_info("bfd: sending to %s works again",
			    addr_ntop(&s->conf.peer, a, sizeof(a)));
		s->tx_errno = 0;
		return 0;
	}
	if (errno != s->tx_errno)
		log_warn("bfd: sending to %s: %s",
		    addr_ntop(&s->conf.peer, a, sizeof(a)), strerror(errno));
	s->tx_errno = errno;
	return -1;
}
