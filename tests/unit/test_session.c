/*
 * Sessions over real loopback TCP, with the test playing the peer: it
 * reads what the session sends and answers with messages built by the
 * wire codecs, while running the event loop in small steps. Covers OPEN
 * contents, establishment both ways (active, passive), the OPEN checks
 * (bad AS 2/2, bad hold 2/6, bad id 2/3), header errors, FSM errors
 * (RFC 6608), keepalives, hold timer expiry, NOTIFICATIONs received and
 * sent (RFC 8203 text), refusing unknown peers, and connection collisions.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lib/hash.h"
#include "lib/log.h"
#include "lib/mtime.h"
#include "session/sess.h"
#include "t.h"

#define OUR_ID		0x0a000001u	/* 10.0.0.1 */
#define OUR_AS		65000
#define PEER_AS		65001

struct env {
	struct ev_loop	*loop;
	struct rib	*rib;
	struct rib_ctx	*ctx;
	struct sess_mgr	*sm;
	struct sess	*s;
	int		 lfd;		/* the test's listener (peer side) */
	uint16_t	 lport;
	uint16_t	 sport;		/* the session manager's listener */
	uint8_t		 buf[70000];
	size_t		 len;
};

static void
pump(struct env *e, unsigned ms)
{
	uint64_t end = mono_us() + ms * 1000ULL;

	while (mono_us() < end)
		ev_run_once(e->loop, 5000);
}

static enum sess_state
state(struct env *e)
{
	return sess_state(e->s);
}

static bool
wait_state(struct env *e, enum sess_state st, unsigned ms)
{
	uint64_t end = mono_us() + ms * 1000ULL;

	while (mono_us() < end && state(e) != st)
		ev_run_once(e->loop, 5000);
	return state(e) == st;
}

static uint16_t
bound_port(int fd)
{
	struct sockaddr_in sin;
	socklen_t sl = sizeof(sin);

	getsockname(fd, (struct sockaddr *)&sin, &sl);
	return ntohs(sin.sin_port);
}

static int
tcp_listener(const char *ip)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0), one = 1;

	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	inet_pton(AF_INET, ip, &sin.sin_addr);
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    listen(fd, 8) == -1)
		return -1;
	return fd;
}

static uint32_t opt_maxpfx;	/* max-prefix for the next env_init */

static void
env_init(struct env *e, bool passive, uint16_t hold)
{
	struct sess_conf c;
	struct addr lo;
	char err[256];

	memset(e, 0, sizeof(*e));
	e->loop = ev_loop_new();
	e->rib = rib_new(e->loop);
	rib_set_router_id(e->rib, OUR_ID);
	e->ctx = rib_ctx_get(e->rib, "t");
	e->sm = sess_mgr_new(e->loop, e->rib);
	sess_mgr_set_router_id(e->sm, OUR_ID);
	e->lfd = tcp_listener("127.0.0.1");
	e->lport = bound_port(e->lfd);
	addr_parse("127.0.0.1", &lo);
	T_EQ(sess_mgr_listen(e->sm, &lo, 0, err, sizeof(err)), 0);
	memset(&c, 0, sizeof(c));
	snprintf(c.ctx, sizeof(c.ctx), "t");
	c.remote = lo;
	c.remote_port = e->lport;
	c.local_as = OUR_AS;
	c.remote_as = PEER_AS;
	c.hold = hold;
	c.connect_retry = 1;
	c.passive = passive;
	c.fams = BGP_FAM_BIT(BGP_FAM_V4U) | BGP_FAM_BIT(BGP_FAM_V6U);
	c.max_prefix_restart = opt_maxpfx ? 1 : 60;
	c.max_prefix[BGP_FAM_V4U] = opt_maxpfx;
	e->s = sess_new(e->sm, e->ctx, &c);
	T_CHECK(e->s != NULL);
}

static void
env_free(struct env *e)
{
	sess_mgr_free(e->sm);
	rib_free(e->rib);
	close(e->lfd);
	ev_loop_free(e->loop);
}

static int	peer_new_fd(int);

/* Accept the session's outgoing connection. */
static int
peer_accept(struct env *e)
{
	uint64_t end = mono_us() + 3000000;
	int fd;

	while (mono_us() < end) {
		ev_run_once(e->loop, 5000);
		fd = accept4(e->lfd, NULL, NULL, SOCK_NONBLOCK);
		if (fd != -1)
			return peer_new_fd(fd);
	}
	return -1;
}

/* Read one whole message from the session; its type, or -1 on timeout,
 * 0 on EOF. The body is e->buf[19 .. e->len). */
static uint8_t	pend[70000];	/* bytes read but not yet returned */
static size_t	npend;
static int	pend_fd = -1;

/* A new connection: forget what an old one with the same fd left. */
static int
peer_new_fd(int fd)
{
	if (fd == pend_fd)
		npend = 0;
	return fd;
}

static int
peer_read(struct env *e, int fd, unsigned ms)
{
	uint64_t end = mono_us() + ms * 1000ULL;
	size_t ml;
	ssize_t n;

	if (fd != pend_fd) {
		pend_fd = fd;
		npend = 0;
	}
	for (;;) {
		if (npend >= 19) {
			ml = (size_t)(pend[16] << 8 | pend[17]);
			if (ml >= 19 && npend >= ml) {
				memcpy(e->buf, pend, ml);
				e->len = ml;
				memmove(pend, pend + ml, npend - ml);
				npend -= ml;
				return e->buf[18];
			}
		}
		if (mono_us() > end)
			return -1;
		ev_run_once(e->loop, 2000);
		n = recv(fd, pend + npend, sizeof(pend) - npend, MSG_DONTWAIT);
		if (n == 0)
			return 0;
		if (n > 0)
			npend += (size_t)n;
	}
}

/* Next message that is not a KEEPALIVE or an UPDATE (EoR etc.). */
static int
peer_read_ctl(struct env *e, int fd, unsigned ms)
{
	int t;

	do
		t = peer_read(e, fd, ms);
	while (t == BGP_KEEPALIVE || t == BGP_UPDATE);
	return t;
}

static void
peer_send(int fd, struct wbuf *w)
{
	T_EQ(send(fd, w->p, w->len, MSG_NOSIGNAL), (ssize_t)w->len);
	wbuf_free(w);
}

static void
peer_open(int fd, uint32_t as, uint16_t hold, uint32_t id)
{
	struct bgp_open o = { .version = 4, .hold = hold, .bgp_id = id };
	struct wbuf w;

	o.my_as = as > 65535 ? BGP_AS_TRANS : (uint16_t)as;
	o.caps.fams = BGP_FAM_BIT(BGP_FAM_V4U);
	o.caps.mp_present = true;
	o.caps.as4 = true;
	o.caps.as4_asn = as;
	o.caps.route_refresh = true;
	wbuf_init(&w, 256, 4096);
	T_EQ(bgp_open_encode(&w, &o), 0);
	peer_send(fd, &w);
}

static void
peer_keepalive(int fd)
{
	struct wbuf w;

	wbuf_init(&w, 64, 64);
	bgp_keepalive_encode(&w);
	peer_send(fd, &w);
}

static void
peer_raw(int fd, uint8_t type, const uint8_t *body, size_t len)
{
	uint8_t m[4096];

	memset(m, 0xff, 16);
	m[16] = (uint8_t)((len + 19) >> 8);
	m[17] = (uint8_t)(len + 19);
	m[18] = type;
	memcpy(m + 19, body, len);
	T_EQ(send(fd, m, len + 19, MSG_NOSIGNAL), (ssize_t)(len + 19));
}

/* Run the OPEN exchange up to Established; returns the peer's fd. */
static int
establish(struct env *e, uint16_t peer_hold)
{
	int fd = peer_accept(e);

	T_CHECK(fd != -1);
	T_EQ(peer_read(e, fd, 2000), BGP_OPEN);
	peer_open(fd, PEER_AS, peer_hold, 0x0a000009);
	T_EQ(peer_read(e, fd, 2000), BGP_KEEPALIVE);
	T_EQ(state(e), SESS_OPENCONFIRM);
	peer_keepalive(fd);
	T_CHECK(wait_state(e, SESS_ESTABLISHED, 2000));
	return fd;
}

static void
test_open_contents(void)
{
	struct bgp_open o;
	struct bgp_err err;
	struct env e;
	int fd;

	env_init(&e, false, 90);
	T_EQ(state(&e), SESS_CONNECT);
	fd = peer_accept(&e);
	T_CHECK(fd != -1);
	T_EQ(peer_read(&e, fd, 2000), BGP_OPEN);
	T_EQ(state(&e), SESS_OPENSENT);
	T_EQ(bgp_open_decode(e.buf + 19, e.len - 19, &o, &err), 0);
	T_EQ(o.version, 4);
	T_EQ(o.my_as, OUR_AS);
	T_EQ(o.hold, 90);
	T_EQ(o.bgp_id, OUR_ID);
	T_EQ(o.caps.fams, 3);
	T_CHECK(o.caps.as4);
	T_EQ(o.caps.as4_asn, OUR_AS);
	T_CHECK(o.caps.route_refresh);
	T_CHECK(!o.caps.enhanced_rr);
	T_CHECK(o.caps.ext_msg);
	T_CHECK(o.caps.gr);
	T_EQ(o.caps.gr_flags_time >> 12, 0);	/* not restarting */
	T_EQ(o.caps.gr_fams, 0);
	close(fd);
	env_free(&e);
}

static void
test_establish_active(void)
{
	struct sess_info i;
	struct env e;
	int fd;

	env_init(&e, false, 90);
	fd = establish(&e, 30);
	sess_info(e.s, &i);
	T_EQ(i.hold, 30);			/* min(90, 30) */
	T_EQ(i.keepalive, 10);
	T_EQ(i.remote_id, 0x0a000009);
	T_EQ(i.fams, BGP_FAM_BIT(BGP_FAM_V4U));	/* intersection */
	T_CHECK(i.as4 && i.route_refresh && !i.ext_msg);
	T_EQ(i.msg_in[BGP_OPEN], 1);
	T_EQ(i.msg_in[BGP_KEEPALIVE], 1);
	T_EQ(i.msg_out[BGP_OPEN], 1);
	T_CHECK(i.nhist >= 4);
	T_EQ(i.hist[i.nhist - 1].to, SESS_ESTABLISHED);
	T_EQ(i.hist[i.nhist - 1].event, SEV_KEEPALIVE_MSG);
	close(fd);
	/* The peer closing is a TCP failure: back to Idle, restart later. */
	T_CHECK(wait_state(&e, SESS_IDLE, 2000));
	sess_info(e.s, &i);
	T_EQ(i.flaps, 1);
	T_CHECK(i.idle_restart);
	env_free(&e);
}

static void
expect_notification(struct env *e, int fd, uint8_t code, uint8_t sub,
    const char *text)
{
	struct bgp_notification n;

	T_EQ(peer_read_ctl(e, fd, 3000), BGP_NOTIFICATION);
	memset(&n, 0, sizeof(n));
	T_EQ(bgp_notification_decode(e->buf + 19, e->len - 19, &n), 0);
	T_EQ(n.code, code);
	T_EQ(n.subcode, sub);
	if (text != NULL)
		T_STREQ(n.shutdown_msg, text);
	/* ... and then the session closes the connection. */
	T_EQ(peer_read(e, fd, 3000), 0);
}

static void
open_error_case(uint32_t as, uint16_t hold, uint32_t id, uint8_t sub)
{
	struct sess_info i;
	struct env e;
	int fd;

	env_init(&e, false, 90);
	fd = peer_accept(&e);
	T_EQ(peer_read(&e, fd, 2000), BGP_OPEN);
	peer_open(fd, as, hold, id);
	expect_notification(&e, fd, BGP_ERR_OPEN, sub, NULL);
	T_EQ(state(&e), SESS_IDLE);
	sess_info(e.s, &i);
	T_CHECK(i.last_sent.set);
	T_EQ(i.last_sent.code, BGP_ERR_OPEN);
	T_EQ(i.last_sent.subcode, sub);
	close(fd);
	env_free(&e);
}

static void
test_open_errors(void)
{
	open_error_case(65099, 90, 0x0a000009, BGP_OPEN_BADAS);
	open_error_case(PEER_AS, 2, 0x0a000009, BGP_OPEN_HOLD);
	open_error_case(PEER_AS, 90, 0, BGP_OPEN_BADID);
	/* 4-octet remote AS carried in the capability */
	open_error_case(4200000001u, 90, 0x0a000009, BGP_OPEN_BADAS);
}

static void
test_header_error(void)
{
	uint8_t junk[19];
	struct env e;
	int fd;

	env_init(&e, false, 90);
	fd = peer_accept(&e);
	T_EQ(peer_read(&e, fd, 2000), BGP_OPEN);
	memset(junk, 0xff, sizeof(junk));
	junk[3] = 0;				/* broken marker */
	junk[17] = 19;
	junk[18] = BGP_KEEPALIVE;
	T_EQ(send(fd, junk, sizeof(junk), 0), 19);
	expect_notification(&e, fd, BGP_ERR_HEADER, BGP_HDR_SYNC, NULL);
	close(fd);
	env_free(&e);
}

static void
test_fsm_error(void)
{
	static const uint8_t empty_update[4] = { 0, 0, 0, 0 };
	struct env e;
	int fd;

	env_init(&e, false, 90);
	fd = peer_accept(&e);
	T_EQ(peer_read(&e, fd, 2000), BGP_OPEN);
	peer_open(fd, PEER_AS, 90, 0x0a000009);
	T_EQ(peer_read(&e, fd, 2000), BGP_KEEPALIVE);
	/* An UPDATE in OpenConfirm: RFC 6608 subcode 2. */
	peer_raw(fd, BGP_UPDATE, empty_update, sizeof(empty_update));
	expect_notification(&e, fd, BGP_ERR_FSM, 2, NULL);
	close(fd);
	env_free(&e);
}

static void
test_keepalive_and_hold(void)
{
	struct env e;
	uint64_t t0;
	int fd;

	env_init(&e, false, 3);
	fd = establish(&e, 3);
	/* keepalive = 3 / 3 = 1 s: one arrives within ~1.1 s */
	t0 = mono_us();
	T_EQ(peer_read_ctl(&e, fd, 1) , -1);
	while (peer_read(&e, fd, 1500) == BGP_UPDATE)
		;
	T_EQ(e.buf[18], BGP_KEEPALIVE);
	T_CHECK(mono_us() - t0 < 1500000);
	/* We stay silent: Hold Timer Expired after 3 s. */
	expect_notification(&e, fd, BGP_ERR_HOLD, 0, NULL);
	T_CHECK(mono_us() - t0 >= 2500000);
	T_EQ(state(&e), SESS_IDLE);
	close(fd);
	env_free(&e);
}

static void
test_notification_received(void)
{
	static const uint8_t cease[] = { 6, 2, 5, 'm', 'a', 'i', 'n', 't' };
	struct sess_info i;
	struct env e;
	int fd;

	env_init(&e, false, 90);
	fd = establish(&e, 90);
	peer_raw(fd, BGP_NOTIFICATION, cease, sizeof(cease));
	T_CHECK(wait_state(&e, SESS_IDLE, 2000));
	sess_info(e.s, &i);
	T_CHECK(i.last_rcvd.set);
	T_EQ(i.last_rcvd.code, 6);
	T_EQ(i.last_rcvd.subcode, 2);
	T_STREQ(i.last_rcvd.text, "maint");
	T_EQ(i.msg_in[BGP_NOTIFICATION], 1);
	T_EQ(i.notif_in[6][2], 1);
	T_EQ(i.notif_in[6][1], 0);
	/* the history entry of Established -> Idle carries it */
	T_CHECK(i.nhist >= 1);
	if (i.nhist >= 1) {
		const struct sess_hist *h = &i.hist[i.nhist - 1];

		T_EQ(h->from, SESS_ESTABLISHED);
		T_EQ(h->to, SESS_IDLE);
		T_CHECK(h->notif && !h->notif_sent);
		T_EQ(h->code, 6);
		T_EQ(h->subcode, 2);
		T_STREQ(h->text, "maint");
		T_EQ(h->count, 1);
		T_CHECK(h->wall_ms > 1700000000000LL);
	}
	/* the entries before it have none */
	T_CHECK(i.nhist < 2 || !i.hist[i.nhist - 2].notif);
	close(fd);
	env_free(&e);
}

/* A down/up loop is counted on two entries, not 32 copies of them. */
static void
test_history_coalesce(void)
{
	struct sess_info i;
	struct env e;
	int k;

	env_init(&e, true, 90);
	pump(&e, 20);
	for (k = 0; k < 40; k++) {
		sess_admin_down(e.s, "loop");
		pump(&e, 1);
		sess_admin_up(e.s);
		pump(&e, 1);
	}
	sess_info(e.s, &i);
	T_EQ(i.nhist, 2);
	if (i.nhist == 2) {
		T_EQ(i.hist[0].from, SESS_IDLE);
		T_EQ(i.hist[0].to, SESS_ACTIVE);
		T_EQ(i.hist[0].count, 41);
		T_EQ(i.hist[1].from, SESS_ACTIVE);
		T_EQ(i.hist[1].to, SESS_IDLE);
		T_EQ(i.hist[1].count, 40);
		T_CHECK(!i.hist[1].notif);	/* nothing went on the wire */
		T_CHECK(i.hist[1].last_ms >= i.hist[1].wall_ms);
	}
	T_EQ(i.notif_out[BGP_ERR_CEASE][2], 0);
	env_free(&e);
}

static void
test_admin_down_up(void)
{
	struct sess_info i;
	struct env e;
	int fd;

	env_init(&e, false, 90);
	fd = establish(&e, 90);
	sess_admin_down(e.s, "going away for a while");
	T_EQ(state(&e), SESS_IDLE);
	expect_notification(&e, fd, BGP_ERR_CEASE, BGP_CEASE_ADMIN_DOWN,
	    "going away for a while");
	close(fd);
	sess_info(e.s, &i);
	T_CHECK(i.admin_down);
	T_CHECK(!i.idle_restart);		/* stays down */
	T_STREQ(i.admin_msg, "going away for a while");
	pump(&e, 300);
	T_EQ(state(&e), SESS_IDLE);
	sess_admin_up(e.s);
	T_EQ(state(&e), SESS_CONNECT);
	fd = establish(&e, 90);
	/* clear: Cease/Administrative Reset, then straight back */
	sess_clear(e.s, "reset by test");
	expect_notification(&e, fd, BGP_ERR_CEASE, BGP_CEASE_ADMIN_RESET,
	    "reset by test");
	close(fd);
	fd = peer_accept(&e);
	T_CHECK(fd != -1);
	close(fd);
	env_free(&e);
}

/* Connect from 'src' to the session manager's listener. */
static int
peer_connect(struct env *e, const char *src)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	struct sockaddr_in me = { .sin_family = AF_INET };
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	inet_pton(AF_INET, src, &me.sin_addr);
	T_EQ(bind(fd, (struct sockaddr *)&me, sizeof(me)), 0);
	inet_pton(AF_INET, "127.0.0.1", &sin.sin_addr);
	sin.sin_port = htons(sess_mgr_listen_port(e->sm));
	T_EQ(connect(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	fcntl(fd, F_SETFL, O_NONBLOCK);
	return peer_new_fd(fd);
}

static void
test_passive(void)
{
	struct env e;
	int fd;

	env_init(&e, true, 90);
	T_EQ(state(&e), SESS_ACTIVE);
	pump(&e, 1300);				/* no ConnectRetry: stays */
	T_EQ(state(&e), SESS_ACTIVE);
	fd = accept4(e.lfd, NULL, NULL, SOCK_NONBLOCK);
	T_EQ(fd, -1);				/* it never connected out */
	fd = peer_connect(&e, "127.0.0.1");
	T_EQ(peer_read(&e, fd, 2000), BGP_OPEN);
	T_EQ(state(&e), SESS_OPENSENT);
	peer_open(fd, PEER_AS, 90, 0x0a000009);
	T_EQ(peer_read(&e, fd, 2000), BGP_KEEPALIVE);
	peer_keepalive(fd);
	T_CHECK(wait_state(&e, SESS_ESTABLISHED, 2000));
	close(fd);
	env_free(&e);
}

static void
test_unknown_peer(void)
{
	struct env e;
	int fd;

	env_init(&e, true, 90);
	T_EQ(sess_mgr_refused(e.sm), 0);
	fd = peer_connect(&e, "127.0.0.2");	/* not a neighbor */
	T_EQ(peer_read(&e, fd, 1000), 0);	/* closed, nothing sent */
	T_EQ(state(&e), SESS_ACTIVE);
	T_EQ(sess_mgr_refused(e.sm), 1);	/* counted */
	close(fd);
	env_free(&e);
}

/*
 * RFC 4271 6.8: both sides connect at once; the connection opened by the
 * side with the higher BGP Identifier survives.
 */
static void
collision_case(uint32_t peer_id, bool peer_wins)
{
	struct env e;
	int out, in, keep, drop;

	env_init(&e, false, 90);
	out = peer_accept(&e);			/* the session's connection */
	T_EQ(peer_read(&e, out, 2000), BGP_OPEN);
	in = peer_connect(&e, "127.0.0.1");	/* ours to the session */
	T_EQ(peer_read(&e, in, 2000), BGP_OPEN);	/* OPEN on both */
	T_EQ(state(&e), SESS_OPENSENT);
	peer_open(in, PEER_AS, 90, peer_id);
	keep = peer_wins ? in : out;
	drop = peer_wins ? out : in;
	expect_notification(&e, drop, BGP_ERR_CEASE, BGP_CEASE_COLLISION,
	    NULL);
	if (peer_wins) {
		T_EQ(peer_read(&e, keep, 2000), BGP_KEEPALIVE);
		T_EQ(state(&e), SESS_OPENCONFIRM);
	} else {
		T_EQ(state(&e), SESS_OPENSENT);
		peer_open(keep, PEER_AS, 90, peer_id);
		T_EQ(peer_read(&e, keep, 2000), BGP_KEEPALIVE);
	}
	peer_keepalive(keep);
	T_CHECK(wait_state(&e, SESS_ESTABLISHED, 2000));
	close(in);
	close(out);
	env_free(&e);
}

static void
test_collision(void)
{
	collision_case(0x0a000009, true);	/* 10.0.0.9 > 10.0.0.1 */
	collision_case(0x0a000000, false);	/* 10.0.0.0 < 10.0.0.1 */
}

static void
test_collision_established(void)
{
	struct env e;
	int fd, in;

	env_init(&e, false, 90);
	fd = establish(&e, 90);
	in = peer_connect(&e, "127.0.0.1");
	/* A new connection while Established is closed with Cease/7. */
	expect_notification(&e, in, BGP_ERR_CEASE, BGP_CEASE_COLLISION, NULL);
	T_EQ(state(&e), SESS_ESTABLISHED);
	close(in);
	close(fd);
	env_free(&e);
}

/* One UPDATE from AS 65001 announcing n /24s from 10.<i>.0.0. */
static void
peer_update(int fd, unsigned n)
{
	static const uint8_t path[] = { BGP_SEG_SEQUENCE, 1, 0, 0, 0xfd, 0xe9 };
	struct bgp_encode_ctx ectx = { .as4 = true };
	struct bgp_pattrs a;
	struct prefix pfx[64];
	struct wbuf attrs, msg;
	uint8_t ip[4] = { 10, 0, 0, 0 };
	unsigned i;

	memset(&a, 0, sizeof(a));
	a.present = 1ULL << BGP_ATTR_ORIGIN | 1ULL << BGP_ATTR_AS_PATH |
	    1ULL << BGP_ATTR_NEXT_HOP;
	a.origin = BGP_ORIGIN_IGP;
	a.aspath = path;
	a.aspath_len = sizeof(path);
	/* not 127/8: a martian next hop is treated as withdraw */
	inet_pton(AF_INET, "192.0.2.9", &a.nexthop);
	for (i = 0; i < n; i++) {
		ip[1] = (uint8_t)(i + 1);
		prefix_make(&pfx[i], AF_INET, ip, 24);
	}
	wbuf_init(&attrs, 256, 4096);
	wbuf_init(&msg, 256, 4096);
	T_EQ(bgp_attrs_encode(&attrs, &a, BGP_FAM_V4U, &ectx), 0);
	T_EQ(bgp_update_pack(&msg, &ectx, BGP_FAM_V4U, attrs.p, attrs.len,
	    NULL, NULL, pfx, n), (int)n);
	peer_send(fd, &msg);
	wbuf_free(&attrs);
}

/* RFC 4486: Cease/1 with AFI, SAFI and the limit; restart after the
 * configured time. */
static void
test_max_prefix(void)
{
	static const uint8_t data[] = { 0, 1, 1, 0, 0, 0, 2 };
	struct bgp_notification n;
	struct sess_info i;
	struct env e;
	int fd;

	opt_maxpfx = 2;
	env_init(&e, false, 90);
	opt_maxpfx = 0;
	fd = establish(&e, 90);
	peer_update(fd, 2);			/* at the limit: fine */
	pump(&e, 200);
	T_EQ(state(&e), SESS_ESTABLISHED);
	sess_info(e.s, &i);
	T_EQ(i.msg_in[BGP_UPDATE], 1);
	peer_update(fd, 3);			/* 3 > 2 */
	T_EQ(peer_read_ctl(&e, fd, 2000), BGP_NOTIFICATION);
	memset(&n, 0, sizeof(n));
	T_EQ(bgp_notification_decode(e.buf + 19, e.len - 19, &n), 0);
	T_EQ(n.code, BGP_ERR_CEASE);
	T_EQ(n.subcode, BGP_CEASE_MAXPFX);
	T_EQ(n.datalen, sizeof(data));
	if (n.datalen == sizeof(data))
		T_MEMEQ(n.data, data, sizeof(data));
	T_EQ(state(&e), SESS_IDLE);
	sess_info(e.s, &i);
	T_CHECK(i.idle_restart);
	T_CHECK(i.idle_restart_ms <= 1000);
	T_EQ(i.last_sent.subcode, BGP_CEASE_MAXPFX);
	T_EQ(i.maxpfx_events, 1);
	T_EQ(i.established, 1);
	T_EQ(i.notif_out[BGP_ERR_CEASE][BGP_CEASE_MAXPFX], 1);
	T_CHECK(i.nhist >= 1 && i.hist[i.nhist - 1].notif &&
	    i.hist[i.nhist - 1].notif_sent &&
	    i.hist[i.nhist - 1].subcode == BGP_CEASE_MAXPFX);
	close(fd);
	/* max-prefix-restart 1: it comes back by itself. */
	fd = peer_accept(&e);
	T_CHECK(fd != -1);
	close(fd);
	env_free(&e);
}

/* A flood is handled SESS_MSG_BUDGET (64) messages per loop turn. */
static void
test_fairness(void)
{
	uint8_t ka[300 * 19];
	struct sess_info i;
	uint64_t before;
	struct env e;
	int fd, k;

	env_init(&e, false, 90);
	fd = establish(&e, 90);
	pump(&e, 100);
	sess_info(e.s, &i);
	before = i.msg_in[BGP_KEEPALIVE];
	for (k = 0; k < 300; k++) {
		memset(ka + k * 19, 0xff, 16);
		ka[k * 19 + 16] = 0;
		ka[k * 19 + 17] = 19;
		ka[k * 19 + 18] = BGP_KEEPALIVE;
	}
	T_EQ(send(fd, ka, sizeof(ka), 0), (ssize_t)sizeof(ka));
	usleep(50000);
	ev_run_once(e.loop, 100000);
	sess_info(e.s, &i);
	T_EQ(i.msg_in[BGP_KEEPALIVE] - before, 64);
	ev_run_once(e.loop, 0);
	sess_info(e.s, &i);
	T_EQ(i.msg_in[BGP_KEEPALIVE] - before, 128);
	pump(&e, 200);
	sess_info(e.s, &i);
	T_EQ(i.msg_in[BGP_KEEPALIVE] - before, 300);
	T_EQ(state(&e), SESS_ESTABLISHED);
	close(fd);
	env_free(&e);
}

int
main(void)
{
	log_init("test", true, getenv("XR_TEST_LOG") ? LOG_LVL_DEBUG : LOG_LVL_ERR);
	hash_init();
	T_RUN(test_open_contents);
	T_RUN(test_establish_active);
	T_RUN(test_open_errors);
	T_RUN(test_header_error);
	T_RUN(test_fsm_error);
	T_RUN(test_keepalive_and_hold);
	T_RUN(test_notification_received);
	T_RUN(test_admin_down_up);
	T_RUN(test_history_coalesce);
	T_RUN(test_passive);
	T_RUN(test_unknown_peer);
	T_RUN(test_collision);
	T_RUN(test_collision_established);
	T_RUN(test_max_prefix);
	T_RUN(test_fairness);
	return t_done();
}
