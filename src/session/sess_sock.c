/*
 * Sockets for BGP: outgoing connections, listeners and accepting.
 *
 *  - TCP-MD5 (RFC 2385) is set on the connecting socket and, for every
 *    neighbour with a password, on each listening socket of its family
 *    (the kernel checks the SYN against the listener's key list);
 *  - GTSM (RFC 5082): TTL/hop limit 255 out and a minimum of 254 in, on
 *    both connecting and accepted sockets, for directly connected eBGP;
 *  - TCP_NODELAY (a KEEPALIVE must not wait for Nagle), CS6 marking
 *    (network control, RFC 4594);
 *  - a connection from an address that is no configured neighbour is
 *    closed at accept, before a byte is read from it.
 */
#include <errno.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lib/log.h"
#include "session/sess_impl.h"

#define SESS_TOS_CS6	0xc0
#define GTSM_TTL	255
#define GTSM_MIN_TTL	254

static int
md5_set(int fd, const struct addr *a, const char *pw)
{
	struct tcp_md5sig md;
	size_t n = strlen(pw);

	memset(&md, 0, sizeof(md));
	addr_to_sockaddr(a, 0, &md.tcpm_addr);
	if (n > TCP_MD5SIG_MAXKEYLEN)
		n = TCP_MD5SIG_MAXKEYLEN;
	md.tcpm_keylen = (uint16_t)n;
	memcpy(md.tcpm_key, pw, n);
	return setsockopt(fd, IPPROTO_TCP, TCP_MD5SIG, &md, sizeof(md));
}

static void
setopt(int fd, int level, int name, int val, const char *what)
{
	if (setsockopt(fd, level, name, &val, sizeof(val)) == -1)
		log_debug("setsockopt %s: %s", what, strerror(errno));
}

/* Options every BGP socket gets, before connect or right after accept. */
void
sess_sock_setup(struct sess *s, int fd)
{
	setopt(fd, IPPROTO_TCP, TCP_NODELAY, 1, "TCP_NODELAY");
	if (s->conf.remote.af == AF_INET6) {
		setopt(fd, IPPROTO_IPV6, IPV6_TCLASS, SESS_TOS_CS6,
		    "IPV6_TCLASS");
		if (s->conf.gtsm) {
			setopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, GTSM_TTL,
			    "IPV6_UNICAST_HOPS");
			setopt(fd, IPPROTO_IPV6, IPV6_MINHOPCOUNT,
			    GTSM_MIN_TTL, "IPV6_MINHOPCOUNT");
		}
	} else {
		setopt(fd, IPPROTO_IP, IP_TOS, SESS_TOS_CS6, "IP_TOS");
		if (s->conf.gtsm) {
			setopt(fd, IPPROTO_IP, IP_TTL, GTSM_TTL, "IP_TTL");
			setopt(fd, IPPROTO_IP, IP_MINTTL, GTSM_MIN_TTL,
			    "IP_MINTTL");
		}
	}
}

int
sess_sock_connect(struct sess *s)
{
	struct sockaddr_storage ss;
	struct sess_conn *c;
	socklen_t sl;
	int fd;

	fd = socket(s->conf.remote.af, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0);
	if (fd == -1) {
		sess_set_reason(s, "socket: %s", strerror(errno));
		return -1;
	}
	setopt(fd, SOL_SOCKET, SO_REUSEADDR, 1, "SO_REUSEADDR");
	if (s->conf.password[0] != '\0' &&
	    md5_set(fd, &s->conf.remote, s->conf.password) == -1) {
		log_err("TCP-MD5 for %s: %s (is CONFIG_TCP_MD5SIG in the "
		    "kernel?)", s->conf.ctx, strerror(errno));
		sess_set_reason(s, "TCP_MD5SIG: %s", strerror(errno));
		close(fd);
		return -1;
	}
	sess_sock_setup(s, fd);
	if (s->conf.local.af != 0) {
		sl = addr_to_sockaddr(&s->conf.local, 0, &ss);
		if (bind(fd, (struct sockaddr *)&ss, sl) == -1) {
			sess_set_reason(s, "bind local-address: %s",
			    strerror(errno));
			close(fd);
			return -1;
		}
	}
	sl = addr_to_sockaddr(&s->conf.remote, s->conf.remote_port, &ss);
	if (connect(fd, (struct sockaddr *)&ss, sl) == -1 &&
	    errno != EINPROGRESS) {
		sess_set_reason(s, "connect: %s", strerror(errno));
		close(fd);
		return -1;
	}
	if ((c = sess_conn_new(s->mgr, s, fd, true, true)) == NULL) {
		close(fd);
		return -1;
	}
	s->conn = c;
	return 0;
}

int
sess_sock_listener_md5(struct sess_listener *l, const struct addr *a,
    const char *pw)
{
	if (l->addr.af != a->af)
		return 0;
	if (md5_set(l->fd, a, pw) == -1 && (pw[0] != '\0' || errno != ENOENT))
		return -1;
	return 0;
}

/* Install (pw != "") or remove (pw == "") a neighbour's key everywhere. */
void
sess_sock_md5_sync(struct sess_mgr *m, const struct addr *a, const char *pw)
{
	struct sess_listener *l;
	char as[ADDR_STRLEN];

	for (l = m->listeners; l != NULL; l = l->next)
		if (sess_sock_listener_md5(l, a, pw) == -1)
			log_err("TCP-MD5 key for %s on a listener: %s",
			    addr_ntop(a, as, sizeof(as)), strerror(errno));
}

static struct sess *
match_session(struct sess_mgr *m, const struct addr *remote,
    const struct addr *local)
{
	struct sess *s, *any = NULL;

	for (s = m->sessions; s != NULL; s = s->next) {
		if (s->deleted || addr_cmp(&s->conf.remote, remote) != 0)
			continue;
		if (s->conf.local.af != 0) {
			if (addr_cmp(&s->conf.local, local) == 0)
				return s;
			continue;
		}
		if (any == NULL)
			any = s;
	}
	return any;
}

static void
accept_one(struct sess_mgr *m, int fd)
{
	struct sockaddr_storage ss;
	struct addr remote, local;
	socklen_t sl = sizeof(ss);
	struct sess_conn *c;
	struct sess *s;
	char as[ADDR_STRLEN];

	if (getpeername(fd, (struct sockaddr *)&ss, &sl) == -1 ||
	    addr_from_sockaddr((struct sockaddr *)&ss, &remote, NULL) == -1) {
		close(fd);
		return;
	}
	sl = sizeof(ss);
	memset(&local, 0, sizeof(local));
	if (getsockname(fd, (struct sockaddr *)&ss, &sl) == 0)
		addr_from_sockaddr((struct sockaddr *)&ss, &local, NULL);
	if ((s = match_session(m, &remote, &local)) == NULL) {
		m->nrefused++;
		log_remote("connection from %s refused: not a configured "
		    "neighbor", addr_ntop(&remote, as, sizeof(as)));
		close(fd);
		return;
	}
	sess_sock_setup(s, fd);
	if ((c = sess_conn_new(m, s, fd, false, false)) == NULL) {
		close(fd);
		return;
	}
	s->ev_conn = c;
	sess_event(s, SEV_TCP_ACCEPTED);
	if (s->ev_conn == c) {		/* no action took it */
		s->ev_conn = NULL;
		sess_conn_close(c);
	}
}

static void
listener_cb(struct ev_loop *loop, int lfd, uint32_t events, void *arg)
{
	struct sess_listener *l = arg;
	int fd, n;

	for (n = 0; n < 64; n++) {
		fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd == -1) {
			if (errno != EAGAIN && errno != EWOULDBLOCK &&
			    errno != EINTR && errno != ECONNABORTED)
				log_warn("accept: %s", strerror(errno));
			return;
		}
		accept_one(l->mgr, fd);
	}
}

int
sess_mgr_listen(struct sess_mgr *m, const struct addr *a, uint16_t port,
    char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	struct sess_listener *l;
	struct addr bound;
	struct sess *s;
	char as[ADDR_STRLEN];
	socklen_t sl;
	int fd;

	addr_ntop(a, as, sizeof(as));
	fd = socket(a->af, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1) {
		snprintf(err, errlen, "listen %s port %u: socket: %s", as, port,
		    strerror(errno));
		return -1;
	}
	setopt(fd, SOL_SOCKET, SO_REUSEADDR, 1, "SO_REUSEADDR");
	/*
	 * The SYN-ACK leaves with the listener's TTL: 255, so a GTSM peer's
	 * minimum TTL accepts it (harmless for the others).
	 */
	if (a->af == AF_INET6) {
		setopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, 1, "IPV6_V6ONLY");
		setopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, GTSM_TTL,
		    "IPV6_UNICAST_HOPS");
	} else
		setopt(fd, IPPROTO_IP, IP_TTL, GTSM_TTL, "IP_TTL");
	sl = addr_to_sockaddr(a, port, &ss);
	if (bind(fd, (struct sockaddr *)&ss, sl) == -1 ||
	    listen(fd, 128) == -1) {
		snprintf(err, errlen, "listen %s port %u: %s", as, port,
		    strerror(errno));
		close(fd);
		return -1;
	}
	if ((l = calloc(1, sizeof(*l))) == NULL) {
		snprintf(err, errlen, "listen: out of memory");
		close(fd);
		return -1;
	}
	l->mgr = m;
	l->fd = fd;
	l->addr = *a;
	sl = sizeof(ss);
	if (getsockname(fd, (struct sockaddr *)&ss, &sl) == 0)
		addr_from_sockaddr((struct sockaddr *)&ss, &bound, &port);
	l->port = port;
	if (ev_io_add(m->loop, &l->io, fd, EPOLLIN, listener_cb, l) == -1) {
		snprintf(err, errlen, "listen: epoll: %s", strerror(errno));
		close(fd);
		free(l);
		return -1;
	}
	l->next = m->listeners;
	m->listeners = l;
	for (s = m->sessions; s != NULL; s = s->next)
		if (s->conf.password[0] != '\0' &&
		    sess_sock_listener_md5(l, &s->conf.remote, s->conf.password))
			log_err("TCP-MD5 key for %s: %s", s->conf.ctx,
			    strerror(errno));
	log_info("listening on %s port %u", as, port);
	return 0;
}

void
sess_mgr_listen_close(struct sess_mgr *m)
{
	struct sess_listener *l;

	while ((l = m->listeners) != NULL) {
		m->listeners = l->next;
		ev_io_del(m->loop, &l->io);
		close(l->fd);
		/* Its io may be in this turn's batch: free it next turn. */
		l->next = m->dead_listeners;
		m->dead_listeners = l;
		ev_defer_schedule(m->loop, &m->reaper);
	}
}

uint16_t
sess_mgr_listen_port(const struct sess_mgr *m)
{
	return m->listeners ? m->listeners->port : 0;
}

/*
 * An IPv4 session carrying IPv6 routes needs an IPv6 next hop (RFC 4760,
 * RFC 2545): take one from the interface that holds our IPv4 address,
 * preferring a global address to a link-local one.
 */
void
sess_sock_local_v6(const struct addr *v4, struct addr *out)
{
	struct ifaddrs *ifs, *i, *ifv4 = NULL;
	struct addr a, ll;

	memset(out, 0, sizeof(*out));
	memset(&ll, 0, sizeof(ll));
	if (v4->af != AF_INET || getifaddrs(&ifs) == -1)
		return;
	for (i = ifs; i != NULL && ifv4 == NULL; i = i->ifa_next)
		if (i->ifa_addr != NULL && i->ifa_addr->sa_family == AF_INET &&
		    addr_from_sockaddr(i->ifa_addr, &a, NULL) == 0 &&
		    addr_cmp(&a, v4) == 0)
			ifv4 = i;
	for (i = ifs; ifv4 != NULL && i != NULL; i = i->ifa_next) {
		if (i->ifa_addr == NULL || i->ifa_addr->sa_family != AF_INET6 ||
		    strcmp(i->ifa_name, ifv4->ifa_name) != 0 ||
		    addr_from_sockaddr(i->ifa_addr, &a, NULL) == -1)
			continue;
		if (a.b[0] == 0xfe && (a.b[1] & 0xc0) == 0x80) {
			if (ll.af == 0)
				ll = a;
		} else if (out->af == 0)
			*out = a;
	}
	if (out->af == 0)
		*out = ll;
	freeifaddrs(ifs);
}
