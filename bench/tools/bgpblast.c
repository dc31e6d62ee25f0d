/*
 * bgpblast: the BGP benchmark's traffic tool. One process runs any number
 * of minimal BGP speakers (RFC 4271: OPEN, KEEPALIVE, UPDATE, NOTIFICATION;
 * capabilities RFC 5492: multiprotocol IPv4 unicast RFC 4760, 4-octet AS
 * RFC 6793, route refresh RFC 2918) in one epoll loop:
 *
 *   inject  announces its share of a deterministic prefix set from
 *           pre-encoded UPDATEs, then (with -w) withdraws it all;
 *   sink    counts the distinct prefixes of the set announced and
 *           withdrawn to it.
 *
 * The run goes: connect every session and wait until all are Established,
 * settle, announce (time starts at the first UPDATE byte written and stops
 * when every sink holds all N prefixes), settle, withdraw (until every sink
 * holds none). One JSON object on stdout reports it; progress goes to
 * stderr. Every phase has a deadline; exit 0 on success, 2 on timeout,
 * 1 on any other failure.
 *
 *   bgpblast [-n N] [-a SETS] [-w] [-r] [-t SEC] [-c SEC] [-s SEC] SESSION...
 *   SESSION = inject|sink , connect=ADDR:PORT | listen=ADDR:PORT
 *             [, local=ADDR] [, as=ASN] [, peer-as=ASN]
 *   bgpblast --selftest        generator and codec checks, TAP output
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lib/addr.h"
#include "lib/buf.h"
#include "lib/evloop.h"
#include "lib/hash.h"
#include "lib/mtime.h"

#include "blast_gen.h"

#define RBUF_SIZE	(256 * 1024)
#define WCHUNK		(1024 * 1024)
#define MAX_SESS	256
#define HOLD_TIME	180
#define RETRY_US	(200 * USEC_PER_MSEC)

enum role { R_INJECT, R_SINK };
enum sstate { S_IDLE, S_CONNECT, S_OPENSENT, S_OPENCONFIRM, S_ESTAB };
enum phase { P_CONNECT, P_SETTLE, P_ANNOUNCE, P_WSETTLE, P_WITHDRAW, P_DONE };
static const char *phase_name[] = { "connect", "settle", "announce",
	"withdraw-settle", "withdraw", "done" };

struct sess {
	int		 id;
	enum role	 role;
	enum sstate	 st;
	bool		 listen;
	struct addr	 local, remote;
	uint16_t	 port;
	uint32_t	 las, want_as, peer_as;
	uint16_t	 hold;
	int		 fd, lfd;
	struct ev_io	 io, lio;
	struct ev_timer	 ka, retry;
	uint8_t		*rbuf;
	size_t		 rlen;
	uint8_t		 ctl[512];	/* OPEN, KEEPALIVE, NOTIFY */
	size_t		 ctl_len, ctl_off;
	struct wbuf	 ann, wd;	/* injector: pre-encoded streams */
	long		 ann_msgs, wd_msgs;
	const uint8_t	*bulk;
	size_t		 bulk_len, bulk_off, bulk_bound;
	bool		 bulk_done;
	/* sink */
	uint8_t		*bits;
	size_t		 have, ann_rx, wd_rx, dup, foreign, upd_rx;
	size_t		 bad_path;
	uint64_t	 t_first, t_full, t_empty;
};

struct blast {
	struct ev_loop	*loop;
	struct sess	 s[MAX_SESS];
	int		 ns, ninj, nsink, nestab;
	struct pset	 set;
	size_t		 n;
	uint32_t	 nsets;
	bool		 withdraw, replicate;
	uint64_t	 timeout_us, settle_us, connect_us;
	enum phase	 phase;
	struct ev_timer	 deadline, phase_tm;
	uint64_t	 t_begin, t_estab, t_ann, t_ann_w, t_ann_done;
	uint64_t	 t_wd, t_wd_w, t_wd_done;
	int		 rc;
	char		 err[256];
};

static struct blast B;

static void	sess_flush(struct sess *);
static void	sess_start(struct sess *);
static void	phase_check(void);

static void
fail(int rc, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void
fail(int rc, const char *fmt, ...)
{
	va_list ap;

	if (B.rc != 0)
		return;
	va_start(ap, fmt);
	vsnprintf(B.err, sizeof(B.err), fmt, ap);
	va_end(ap);
	fprintf(stderr, "bgpblast: %s\n", B.err);
	B.rc = rc;
	ev_break(B.loop);
}

static double
secs(uint64_t a, uint64_t b)
{
	return a && b >= a ? (double)(b - a) / 1e6 : -1.0;
}

/* ---- output queue: control messages go in at message boundaries ---- */

static void
ctl_put(struct sess *s, uint8_t type, const uint8_t *body, size_t len)
{
	struct wbuf w;
	size_t k;

	if (s->fd == -1 || s->ctl_len + BGP_HDR + len > sizeof(s->ctl))
		return;		/* a keepalive already waits */
	wbuf_init_fixed(&w, s->ctl + s->ctl_len, sizeof(s->ctl) - s->ctl_len);
	for (k = 0; k < 16; k++)
		wbuf_put_u8(&w, 0xff);
	wbuf_put_u16(&w, (uint16_t)(BGP_HDR + len));
	wbuf_put_u8(&w, type);
	wbuf_put_bytes(&w, body, len);
	s->ctl_len += w.len;
	sess_flush(s);
}

static void
sess_want_out(struct sess *s, bool on)
{
	uint32_t ev = EPOLLIN | (on ? EPOLLOUT : 0);

	if (s->fd != -1 && s->io.events != ev)
		ev_io_mod(B.loop, &s->io, ev);
}

static bool
write_some(struct sess *s, const uint8_t *p, size_t len, size_t *off)
{
	ssize_t r = send(s->fd, p + *off, len - *off, MSG_NOSIGNAL);

	if (r > 0) {
		*off += (size_t)r;
		return true;
	}
	if (r == -1 && errno != EAGAIN && errno != EINTR)
		fail(1, "session %d: send: %s", s->id, strerror(errno));
	return false;
}

/* Length field of the message starting at 'off' of a pre-encoded stream. */
static inline size_t
msg_len_at(const uint8_t *p, size_t off)
{
	return (size_t)(p[off + 16] << 8 | p[off + 17]);
}

static void
bulk_finished(struct sess *s)
{
	s->bulk_done = true;
	s->bulk = NULL;
	phase_check();
}

static void
sess_flush(struct sess *s)
{
	for (;;) {
		bool ctl = s->ctl_off < s->ctl_len;

		if (ctl && s->bulk != NULL)	/* find the next boundary */
			while (s->bulk_bound < s->bulk_off)
				s->bulk_bound += msg_len_at(s->bulk,
				    s->bulk_bound);
		if (ctl && (s->bulk == NULL || s->bulk_bound == s->bulk_off)) {
			if (!write_some(s, s->ctl, s->ctl_len, &s->ctl_off))
				break;
			if (s->ctl_off == s->ctl_len)
				s->ctl_off = s->ctl_len = 0;
		} else if (s->bulk != NULL) {
			size_t lim = ctl ? s->bulk_bound : s->bulk_len;

			if (lim - s->bulk_off > WCHUNK)
				lim = s->bulk_off + WCHUNK;
			if (!write_some(s, s->bulk, lim, &s->bulk_off))
				break;
			if (s->bulk_off == s->bulk_len)
				bulk_finished(s);
		} else
			break;
	}
	sess_want_out(s, s->ctl_off < s->ctl_len || s->bulk != NULL);
}

static void
bulk_start(struct sess *s, const struct wbuf *w)
{
	s->bulk = w->p;
	s->bulk_len = w->len;
	s->bulk_off = s->bulk_bound = 0;
	s->bulk_done = false;
	if (w->len == 0)
		bulk_finished(s);
	else
		sess_flush(s);
}

/* ---- BGP messages ---- */

static void
send_open(struct sess *s)
{
	uint8_t b[64];
	struct wbuf w;
	uint32_t id;

	memcpy(&id, s->local.b, 4);
	wbuf_init_fixed(&w, b, sizeof(b));
	wbuf_put_u8(&w, 4);
	wbuf_put_u16(&w, s->las > 65535 ? 23456 : (uint16_t)s->las);
	wbuf_put_u16(&w, HOLD_TIME);
	wbuf_put_bytes(&w, &id, 4);		/* BGP ID = local address */
	wbuf_put_u8(&w, 8 + 8 + 4);		/* optional parameters */
	wbuf_put_u8(&w, 2); wbuf_put_u8(&w, 6);	/* MP: IPv4 unicast */
	wbuf_put_u8(&w, 1); wbuf_put_u8(&w, 4);
	wbuf_put_u16(&w, 1); wbuf_put_u8(&w, 0); wbuf_put_u8(&w, 1);
	wbuf_put_u8(&w, 2); wbuf_put_u8(&w, 6);	/* 4-octet AS */
	wbuf_put_u8(&w, 65); wbuf_put_u8(&w, 4); wbuf_put_u32(&w, s->las);
	wbuf_put_u8(&w, 2); wbuf_put_u8(&w, 2);	/* route refresh */
	wbuf_put_u8(&w, 2); wbuf_put_u8(&w, 0);
	ctl_put(s, 1, b, w.len);
}

static void
send_notification(struct sess *s, uint8_t code, uint8_t sub)
{
	uint8_t b[2] = { code, sub };

	ctl_put(s, 3, b, 2);
}

static void
ka_fire(struct ev_loop *l, struct ev_timer *t, void *arg)
{
	struct sess *s = arg;

	ctl_put(s, 4, NULL, 0);
	ev_timer_start(l, t, (uint64_t)s->hold * USEC_PER_SEC / 3);
}

/* Capabilities of a peer's OPEN: we need 4-octet AS (our AS_PATHs use it). */
static int
open_caps(struct rbuf *r, uint32_t *as4)
{
	uint8_t type, code, clen;
	struct rbuf p, c;

	while (rbuf_left(r) > 0) {
		uint8_t plen;

		if (rbuf_get_u8(r, &type) == -1 ||
		    rbuf_get_u8(r, &plen) == -1 || rbuf_sub(r, plen, &p) == -1)
			return -1;
		if (type != 2)
			continue;
		while (rbuf_left(&p) > 0) {
			if (rbuf_get_u8(&p, &code) == -1 ||
			    rbuf_get_u8(&p, &clen) == -1 ||
			    rbuf_sub(&p, clen, &c) == -1)
				return -1;
			if (code == 65 && rbuf_get_u32(&c, as4) == -1)
				return -1;
		}
	}
	return 0;
}

static int
handle_open(struct sess *s, struct rbuf *r)
{
	uint8_t ver, olen;
	uint16_t as2, hold;
	uint32_t id, as4 = 0;
	struct rbuf opt;

	if (rbuf_get_u8(r, &ver) == -1 || rbuf_get_u16(r, &as2) == -1 ||
	    rbuf_get_u16(r, &hold) == -1 || rbuf_get_u32(r, &id) == -1 ||
	    rbuf_get_u8(r, &olen) == -1 || rbuf_sub(r, olen, &opt) == -1 ||
	    ver != 4 || open_caps(&opt, &as4) == -1) {
		send_notification(s, 2, 0);
		fail(1, "session %d: malformed OPEN", s->id);
		return -1;
	}
	if (as4 == 0) {
		send_notification(s, 2, 7);
		fail(1, "session %d: peer lacks the 4-octet AS capability",
		    s->id);
		return -1;
	}
	s->peer_as = as4;
	if (s->want_as != 0 && as4 != s->want_as) {
		send_notification(s, 2, 2);
		fail(1, "session %d: peer AS %u, expected %u", s->id, as4,
		    s->want_as);
		return -1;
	}
	s->hold = hold < HOLD_TIME ? hold : HOLD_TIME;
	if (s->st == S_CONNECT)		/* listener: answer the OPEN */
		send_open(s);
	ctl_put(s, 4, NULL, 0);
	s->st = S_OPENCONFIRM;
	return 0;
}

static void
sess_established(struct sess *s)
{
	s->st = S_ESTAB;
	if (s->hold > 0)
		ev_timer_start(B.loop, &s->ka, (uint64_t)s->hold *
		    USEC_PER_SEC / 3);
	fprintf(stderr, "bgpblast: session %d (%s) established, peer AS %u, "
	    "hold %u\n", s->id, s->role == R_INJECT ? "inject" : "sink",
	    s->peer_as, s->hold);
	if (++B.nestab == B.ns)
		phase_check();
}

#include "blast_sink.h"

static int
handle_msg(struct sess *s, uint8_t type, struct rbuf *body)
{
	uint8_t code = 0, sub = 0;

	switch (type) {
	case 1:
		if (s->st != S_OPENSENT && s->st != S_CONNECT)
			break;
		return handle_open(s, body);
	case 2:
		if (s->st != S_ESTAB)
			break;
		if (handle_update(s, body) == -1) {
			send_notification(s, 3, 1);
			fail(1, "session %d: malformed UPDATE", s->id);
			return -1;
		}
		return 0;
	case 3:
		rbuf_get_u8(body, &code);
		rbuf_get_u8(body, &sub);
		fail(1, "session %d: NOTIFICATION %u/%u from peer", s->id,
		    code, sub);
		return -1;
	case 4:
		if (s->st == S_OPENCONFIRM)
			sess_established(s);
		return 0;
	case 5:
		return 0;	/* ROUTE-REFRESH: nothing new to send */
	default:
		break;
	}
	send_notification(s, type > 5 ? 1 : 5, type > 5 ? 3 : 0);
	fail(1, "session %d: unexpected message type %u in state %d", s->id,
	    type, s->st);
	return -1;
}

/* Frame messages out of the read buffer (RFC 4271 section 4.1). */
static int
sess_parse(struct sess *s)
{
	size_t off = 0;

	while (s->rlen - off >= BGP_HDR) {
		const uint8_t *h = s->rbuf + off;
		size_t mlen = (size_t)(h[16] << 8 | h[17]), k;
		struct rbuf body;

		for (k = 0; k < 16; k++)
			if (h[k] != 0xff)
				break;
		if (k != 16 || mlen < BGP_HDR || mlen > BGP_MAXMSG) {
			send_notification(s, 1, k != 16 ? 1 : 2);
			fail(1, "session %d: bad message header", s->id);
			return -1;
		}
		if (s->rlen - off < mlen)
			break;
		rbuf_init(&body, h + BGP_HDR, mlen - BGP_HDR);
		if (handle_msg(s, h[18], &body) == -1)
			return -1;
		off += mlen;
	}
	memmove(s->rbuf, s->rbuf + off, s->rlen - off);
	s->rlen -= off;
	return 0;
}

static void
sess_read(struct sess *s)
{
	ssize_t r = recv(s->fd, s->rbuf + s->rlen, RBUF_SIZE - s->rlen, 0);

	if (r == 0 || (r == -1 && errno != EAGAIN && errno != EINTR)) {
		if (B.phase != P_DONE)
			fail(1, "session %d: connection closed by peer%s%s",
			    s->id, r ? ": " : "", r ? strerror(errno) : "");
		return;
	}
	if (r > 0) {
		s->rlen += (size_t)r;
		if (sess_parse(s) == 0 && s->role == R_SINK)
			phase_check();
	}
}

/* ---- connections ---- */

static void
sess_io(struct ev_loop *l, int fd, uint32_t ev, void *arg)
{
	struct sess *s = arg;
	int err = 0;
	socklen_t sl = sizeof(err);

	if (s->st == S_IDLE && !s->listen) {	/* connect finished */
		getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &sl);
		if (err != 0) {
			ev_io_del(l, &s->io);
			close(fd);
			s->fd = -1;
			ev_timer_start(l, &s->retry, RETRY_US);
			return;
		}
		s->st = S_OPENSENT;
		send_open(s);
		return;
	}
	if (ev & (EPOLLIN | EPOLLERR | EPOLLHUP))
		sess_read(s);
	if ((ev & EPOLLOUT) && s->fd != -1 && B.rc == 0)
		sess_flush(s);
}

static void
sess_setup_fd(struct sess *s, int fd)
{
	int one = 1;

	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	s->fd = fd;
	ev_io_add(B.loop, &s->io, fd, EPOLLIN | EPOLLOUT, sess_io, s);
}

static void
sess_accept(struct ev_loop *l, int lfd, uint32_t ev, void *arg)
{
	struct sess *s = arg;
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	uint16_t port;
	int fd = accept4(lfd, (struct sockaddr *)&ss, &sl, SOCK_NONBLOCK);

	if (fd == -1 || s->fd != -1) {
		if (fd != -1)
			close(fd);
		return;
	}
	getsockname(fd, (struct sockaddr *)&ss, &sl);
	addr_from_sockaddr((struct sockaddr *)&ss, &s->local, &port);
	s->st = S_CONNECT;		/* wait for the peer's OPEN */
	sess_setup_fd(s, fd);
	sess_want_out(s, false);
}

static void
retry_fire(struct ev_loop *l, struct ev_timer *t, void *arg)
{
	sess_start(arg);
}

static void
sess_start(struct sess *s)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	int fd, one = 1, ttl = 255;

	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1) {
		fail(1, "socket: %s", strerror(errno));
		return;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	/* TTL 255 so a daemon applying GTSM (RFC 5082) accepts us. */
	setsockopt(fd, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl));
	if (s->listen || s->local.af != 0) {
		sl = addr_to_sockaddr(s->listen ? &s->remote : &s->local,
		    s->listen ? s->port : 0, &ss);
		if (bind(fd, (struct sockaddr *)&ss, sl) == -1) {
			fail(1, "session %d: bind: %s", s->id, strerror(errno));
			close(fd);
			return;
		}
	}
	if (s->listen) {
		if (listen(fd, 4) == -1) {
			fail(1, "session %d: listen: %s", s->id,
			    strerror(errno));
			close(fd);
			return;
		}
		s->lfd = fd;
		ev_io_add(B.loop, &s->lio, fd, EPOLLIN, sess_accept, s);
		return;
	}
	sl = addr_to_sockaddr(&s->remote, s->port, &ss);
	if (connect(fd, (struct sockaddr *)&ss, sl) == -1 &&
	    errno != EINPROGRESS) {
		close(fd);
		ev_timer_start(B.loop, &s->retry, RETRY_US);
		return;
	}
	if (s->local.af == 0) {
		uint16_t port;

		sl = sizeof(ss);
		getsockname(fd, (struct sockaddr *)&ss, &sl);
		addr_from_sockaddr((struct sockaddr *)&ss, &s->local, &port);
	}
	s->st = S_IDLE;
	sess_setup_fd(s, fd);
}

/* ---- phases ---- */

static void
deadline_fire(struct ev_loop *l, struct ev_timer *t, void *arg)
{
	fail(2, "timeout in phase %s after %.1f s", phase_name[B.phase],
	    (double)(B.phase == P_CONNECT ? B.connect_us : B.timeout_us) / 1e6);
}

static void
phase_enter(enum phase p)
{
	B.phase = p;
	if (p != P_DONE)
		ev_timer_start(B.loop, &B.deadline, p == P_CONNECT ?
		    B.connect_us : B.timeout_us);
	else
		ev_break(B.loop);
}

static int
injector_encode(struct sess *s, int k)
{
	uint32_t *idx = malloc((B.n ? B.n : 1) * sizeof(uint32_t)), nh;
	size_t i, cnt = 0;

	if (idx == NULL)
		return -1;
	for (i = 0; i < B.n; i++)
		if (B.replicate || (int)(i % (size_t)B.ninj) == k)
			idx[cnt++] = (uint32_t)i;
	gen_sort(&B.set, idx, cnt);
	memcpy(&nh, s->local.b, 4);
	nh = ntohl(nh);
	if (wbuf_init(&s->ann, 1 << 20, (size_t)1 << 31) == -1 ||
	    wbuf_init(&s->wd, 1 << 20, (size_t)1 << 31) == -1 ||
	    (s->ann_msgs = gen_encode_announce(&s->ann, &B.set, idx, cnt,
	    B.nsets, s->las, nh)) == -1 ||
	    (s->wd_msgs = gen_encode_withdraw(&s->wd, &B.set, idx,
	    cnt)) == -1) {
		free(idx);
		return -1;
	}
	free(idx);
	return 0;
}

static void
start_bulk(bool announce)
{
	int i;

	for (i = 0; i < B.ns; i++) {
		struct sess *s = &B.s[i];

		if (s->role == R_INJECT)
			bulk_start(s, announce ? &s->ann : &s->wd);
	}
}

static void
phase_timer_fire(struct ev_loop *l, struct ev_timer *t, void *arg)
{
	if (B.phase == P_SETTLE) {
		phase_enter(P_ANNOUNCE);
		B.t_ann = mono_us();
		start_bulk(true);
	} else if (B.phase == P_WSETTLE) {
		phase_enter(P_WITHDRAW);
		B.t_wd = mono_us();
		start_bulk(false);
	}
	phase_check();
}

static bool
all_sinks(bool full)
{
	int i;

	for (i = 0; i < B.ns; i++)
		if (B.s[i].role == R_SINK && B.s[i].have != (full ? B.n : 0))
			return false;
	return true;
}

static bool
all_written(void)
{
	int i;

	for (i = 0; i < B.ns; i++)
		if (B.s[i].role == R_INJECT && !B.s[i].bulk_done)
			return false;
	return true;
}

static void
phase_check(void)
{
	int i, k = 0;

	switch (B.phase) {
	case P_CONNECT:
		if (B.nestab < B.ns)
			return;
		B.t_estab = mono_us();
		for (i = 0; i < B.ns; i++)
			if (B.s[i].role == R_INJECT &&
			    injector_encode(&B.s[i], k++) == -1) {
				fail(1, "out of memory encoding UPDATEs");
				return;
			}
		phase_enter(P_SETTLE);
		ev_timer_start(B.loop, &B.phase_tm, B.settle_us);
		return;
	case P_ANNOUNCE:
		if (B.t_ann_w == 0 && all_written())
			B.t_ann_w = mono_us();
		if (B.t_ann_w == 0 || !all_sinks(true))
			return;
		B.t_ann_done = mono_us();
		if (!B.withdraw) {
			phase_enter(P_DONE);
			return;
		}
		phase_enter(P_WSETTLE);
		ev_timer_start(B.loop, &B.phase_tm, B.settle_us);
		return;
	case P_WITHDRAW:
		if (B.t_wd_w == 0 && all_written())
			B.t_wd_w = mono_us();
		if (B.t_wd_w == 0 || !all_sinks(false))
			return;
		B.t_wd_done = mono_us();
		phase_enter(P_DONE);
		return;
	default:
		return;
	}
}

#include "blast_cli.h"
#include "blast_selftest.h"

static void
usage(void)
{
	fprintf(stderr,
	    "usage: bgpblast [-n N] [-a SETS] [-w] [-r] [-t SEC] [-c SEC] "
	    "[-s SEC] SESSION...\n"
	    "       bgpblast --selftest\n"
	    "  SESSION: inject|sink,connect=ADDR:PORT|listen=ADDR:PORT"
	    "[,local=ADDR][,as=ASN][,peer-as=ASN]\n"
	    "  -n N      prefixes in all (100k, 1M ...; default 100k), split"
	    " over injectors\n"
	    "  -a SETS   distinct attribute sets (default 8)\n"
	    "  -w        withdraw everything after the announcement\n"
	    "  -r        replicate: every injector sends all N\n"
	    "  -t SEC    deadline per phase (default 120)\n"
	    "  -c SEC    deadline for all sessions to be Established (30)\n"
	    "  -s SEC    settle time before each phase (default 1)\n");
	exit(64);
}

static void
sess_init(struct sess *s, int id)
{
	s->id = id;
	s->fd = s->lfd = -1;
	ev_timer_init(&s->ka, ka_fire, s);
	ev_timer_init(&s->retry, retry_fire, s);
	s->rbuf = malloc(RBUF_SIZE);
	s->bits = calloc(B.n / 8 + 1, 1);
	if (s->rbuf == NULL || s->bits == NULL) {
		fprintf(stderr, "bgpblast: out of memory\n");
		exit(1);
	}
}

static void
sess_free(struct sess *s)
{
	if (s->fd != -1) {
		ev_io_del(B.loop, &s->io);
		close(s->fd);
	}
	if (s->lfd != -1) {
		ev_io_del(B.loop, &s->lio);
		close(s->lfd);
	}
	ev_timer_stop(B.loop, &s->ka);
	ev_timer_stop(B.loop, &s->retry);
	wbuf_free(&s->ann);
	wbuf_free(&s->wd);
	free(s->rbuf);
	free(s->bits);
}

int
main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "selftest", no_argument, NULL, 'T' }, { NULL, 0, NULL, 0 } };
	size_t sets = 8;
	double t = 120, st = 1, ct = 30;
	int c, i;

	B.n = 100000;
	while ((c = getopt_long(argc, argv, "n:a:wrt:s:c:", lo, NULL)) != -1) {
		switch (c) {
		case 'n': if (parse_count(optarg, &B.n) == -1) usage(); break;
		case 'a': if (parse_count(optarg, &sets) == -1 || sets == 0)
				usage();
			break;
		case 'w': B.withdraw = true; break;
		case 'r': B.replicate = true; break;
		case 't': t = atof(optarg); break;
		case 's': st = atof(optarg); break;
		case 'c': ct = atof(optarg); break;
		case 'T': return selftest();
		default: usage();
		}
	}
	if (optind >= argc || argc - optind > MAX_SESS || t <= 0 || st < 0 ||
	    ct <= 0)
		usage();
	B.nsets = (uint32_t)sets;
	B.timeout_us = (uint64_t)(t * 1e6);
	B.settle_us = (uint64_t)(st * 1e6);
	B.connect_us = (uint64_t)(ct * 1e6);
	signal(SIGPIPE, SIG_IGN);
	if ((B.loop = ev_loop_new()) == NULL || pset_generate(&B.set, B.n)) {
		fprintf(stderr, "bgpblast: cannot generate %zu prefixes\n",
		    B.n);
		return 1;
	}
	for (i = optind; i < argc; i++) {
		struct sess *s = &B.s[B.ns];

		sess_init(s, B.ns);
		if (parse_session(s, argv[i]) == -1) {
			fprintf(stderr, "bgpblast: bad session \"%s\"\n",
			    argv[i]);
			usage();
		}
		B.ns++;
		if (s->role == R_INJECT)
			B.ninj++;
		else
			B.nsink++;
	}
	if (B.ninj == 0) {
		fprintf(stderr, "bgpblast: need at least one inject session\n");
		return 64;
	}
	ev_timer_init(&B.deadline, deadline_fire, NULL);
	ev_timer_init(&B.phase_tm, phase_timer_fire, NULL);
	B.t_begin = mono_us();
	phase_enter(P_CONNECT);
	for (i = 0; i < B.ns; i++)
		sess_start(&B.s[i]);
	if (B.rc == 0)
		ev_run(B.loop);
	for (i = 0; i < B.ns; i++)
		if (B.s[i].fd != -1 && B.rc == 0)
			send_notification(&B.s[i], 6, 2);	/* Cease */
	report();
	for (i = 0; i < B.ns; i++)
		sess_free(&B.s[i]);
	pset_free(&B.set);
	ev_loop_free(B.loop);
	return B.rc;
}
