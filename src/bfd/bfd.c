/*
 * BFD instance and session life cycle: configuration checks, local
 * discriminators (RFC 5880 6.8.1: unique, nonzero, random), the transmit
 * and detection timers (6.8.4, 6.8.7), demultiplexing of received packets
 * to sessions (6.8.6 discriminator and address rules, RFC 5881 section 3
 * and the TTL 255 rule of section 5), administrative control (6.8.16) and
 * the data behind show output.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/random.h>

#include "bfd/bfd_int.h"
#include "lib/hash.h"
#include "lib/log.h"
#include "lib/mtime.h"

static void
errf(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* xorshift64*: jitter and discriminators need spread, not secrecy. */
uint32_t
bfd_random(struct bfd *b)
{
	b->rng ^= b->rng >> 12;
	b->rng ^= b->rng << 25;
	b->rng ^= b->rng >> 27;
	return (uint32_t)((b->rng * 0x2545f4914f6cdd1dULL) >> 32);
}

struct bfd *
bfd_new(struct ev_loop *loop)
{
	struct bfd *b;

	if ((b = calloc(1, sizeof(*b))) == NULL)
		return NULL;
	b->loop = loop;
	if (getrandom(&b->rng, sizeof(b->rng), 0) != sizeof(b->rng))
		b->rng = mono_us();
	b->rng |= 1;
	return b;
}

static void
bfd_session_free(struct bfd_session *s)
{
	bfd_sock_close(s);
	free(s);
}

void
bfd_free(struct bfd *b)
{
	struct bfd_session *s;

	if (b == NULL)
		return;
	while ((s = b->sessions) != NULL) {
		s->cb = NULL;
		bfd_session_del(s);
	}
	/* Deleted sessions wait for their reap job; do it now. */
	while ((s = b->dead) != NULL) {
		b->dead = s->next;
		ev_defer_cancel(b->loop, &s->reap);
		bfd_session_free(s);
	}
	free(b);
}

void
bfd_set_output(struct bfd *b, bfd_output_fn *fn, void *arg)
{
	b->out = fn;
	b->out_arg = arg;
}

void
bfd_stats(const struct bfd *b, struct bfd_stats *st)
{
	*st = b->stats;
}

static int
bfd_interval_check(const char *what, uint32_t *v, char *err, size_t errlen)
{
	if (*v == 0)
		*v = BFD_DEF_INTERVAL_US;
	if (*v < BFD_MIN_INTERVAL_US || *v > BFD_MAX_INTERVAL_US) {
		errf(err, errlen, "%s %u us is out of range; allowed "
		    "%u-%u us (10 ms to 60 s)", what, *v,
		    BFD_MIN_INTERVAL_US, BFD_MAX_INTERVAL_US);
		return -1;
	}
	return 0;
}

/* fe80::/10, byte-wise: struct addr is not aligned for in6_addr. */
static bool
bfd_linklocal(const struct addr *a)
{
	return a->af == AF_INET6 && a->b[0] == 0xfe && (a->b[1] & 0xc0) == 0x80;
}

int
bfd_session_conf_check(struct bfd_session_conf *c, char *err, size_t errlen)
{
	if (c->peer.af != AF_INET && c->peer.af != AF_INET6) {
		errf(err, errlen, "peer address is missing");
		return -1;
	}
	if (c->local.af != c->peer.af) {
		errf(err, errlen, "local address must be given and be of "
		    "the peer's family (%s)",
		    c->peer.af == AF_INET ? "IPv4" : "IPv6");
		return -1;
	}
	if (addr_cmp(&c->peer, &c->local) == 0) {
		errf(err, errlen, "peer and local address are the same");
		return -1;
	}
	if (c->peer.af == AF_INET6 && (bfd_linklocal(&c->peer) ||
	    bfd_linklocal(&c->local)) && c->ifname[0] == '\0') {
		errf(err, errlen, "IPv6 link-local addresses need an "
		    "interface name");
		return -1;
	}
	if (memchr(c->ifname, '\0', sizeof(c->ifname)) == NULL) {
		errf(err, errlen, "interface name is longer than %d bytes",
		    BFD_IFNAMSIZ - 1);
		return -1;
	}
	if (bfd_interval_check("min_tx", &c->min_tx_us, err, errlen) == -1 ||
	    bfd_interval_check("min_rx", &c->min_rx_us, err, errlen) == -1)
		return -1;
	if (c->mult == 0)
		c->mult = BFD_DEF_MULT;
	return 0;
}

static struct bfd_session **
bfd_discr_bucket(struct bfd *b, uint32_t discr)
{
	return &b->by_discr[hash_u64(discr) % BFD_DISCR_BUCKETS];
}

static struct bfd_session *
bfd_find_discr(struct bfd *b, uint32_t discr)
{
	struct bfd_session *s;

	for (s = *bfd_discr_bucket(b, discr); s != NULL; s = s->dnext)
		if (s->ldiscr == discr)
			return s;
	return NULL;
}

static uint32_t
bfd_new_discr(struct bfd *b)
{
	uint32_t d;

	do
		d = bfd_random(b);
	while (d == 0 || bfd_find_discr(b, d) != NULL);
	return d;
}

struct bfd_session *
bfd_session_find(struct bfd *b, const struct addr *peer,
    const struct addr *local)
{
	struct bfd_session *s;

	for (s = b->sessions; s != NULL; s = s->next)
		if (addr_cmp(&s->conf.peer, peer) == 0 &&
		    (local == NULL || addr_cmp(&s->conf.local, local) == 0))
			return s;
	return NULL;
}

struct bfd_session *
bfd_session_next(struct bfd *b, struct bfd_session *s)
{
	return s == NULL ? b->sessions : s->next;
}

static void	bfd_tx_timer(struct ev_loop *, struct ev_timer *, void *);
static void	bfd_detect_timer(struct ev_loop *, struct ev_timer *, void *);
static void	bfd_reap(struct ev_loop *, struct ev_defer *, void *);

/* RFC 5880 6.8.1 initial values; Down and sending at the slow pace. */
static void
bfd_session_init(struct bfd_session *s)
{
	s->state = BFD_STATE_DOWN;
	s->rstate = BFD_STATE_DOWN;
	s->ldiag = BFD_DIAG_NONE;
	s->ldiscr = bfd_new_discr(s->bfd);
	s->rdiscr = 0;
	s->rmin_rx = 1;
	s->des_min_tx = s->conf.min_tx_us > BFD_SLOW_TX_US ?
	    s->conf.min_tx_us : BFD_SLOW_TX_US;
	s->req_min_rx = s->conf.min_rx_us;
	s->tx_des_used = s->des_min_tx;
	s->rx_req_used = s->req_min_rx;
	s->changed_at = mono_us();
	s->txfd = -1;
	ev_timer_init(&s->tx_timer, bfd_tx_timer, s);
	ev_timer_init(&s->detect_timer, bfd_detect_timer, s);
	ev_defer_init(&s->reap, bfd_reap, s);
}

struct bfd_session *
bfd_session_add(struct bfd *b, const struct bfd_session_conf *conf,
    bfd_state_cb *cb, void *arg, char *err, size_t errlen)
{
	struct bfd_session *s, **bp;
	struct bfd_session_conf c = *conf;
	char pa[ADDR_STRLEN], la[ADDR_STRLEN];
	int ifindex = 0;

	if (bfd_session_conf_check(&c, err, errlen) == -1)
		return NULL;
	if (bfd_session_find(b, &c.peer, &c.local) != NULL) {
		errf(err, errlen, "a BFD session for peer %s from %s exists",
		    addr_ntop(&c.peer, pa, sizeof(pa)),
		    addr_ntop(&c.local, la, sizeof(la)));
		return NULL;
	}
	if (c.ifname[0] != '\0' && (ifindex = bfd_ifindex(c.ifname)) == 0) {
		errf(err, errlen, "interface '%s' does not exist", c.ifname);
		return NULL;
	}
	if ((s = calloc(1, sizeof(*s))) == NULL) {
		errf(err, errlen, "out of memory");
		return NULL;
	}
	s->bfd = b;
	s->conf = c;
	s->ifindex = ifindex;
	s->cb = cb;
	s->cb_arg = arg;
	bfd_session_init(s);
	if (b->out == NULL && bfd_sock_open(s, err, errlen) == -1) {
		bfd_session_free(s);
		return NULL;
	}
	for (bp = &b->sessions; *bp != NULL; bp = &(*bp)->next)
		;
	*bp = s;
	bp = bfd_discr_bucket(b, s->ldiscr);
	s->dnext = *bp;
	*bp = s;
	bfd_timers_update(s);
	return s;
}

static void
bfd_unlink(struct bfd_session **head, struct bfd_session *s, bool discr)
{
	for (; *head != NULL;
	    head = discr ? &(*head)->dnext : &(*head)->next) {
		if (*head == s) {
			*head = discr ? s->dnext : s->next;
			return;
		}
	}
}

static void
bfd_reap(struct ev_loop *loop, struct ev_defer *d, void *arg)
{
	struct bfd_session *s = arg;

	bfd_unlink(&s->bfd->dead, s, false);
	bfd_session_free(s);
}

/*
 * Unhook at once, free at the next loop turn: the caller may be the
 * session's own callback, with the state machine still on the stack.
 */
void
bfd_session_del(struct bfd_session *s)
{
	struct bfd *b = s->bfd;

	if (s->dead)
		return;
	s->dead = true;
	ev_timer_stop(b->loop, &s->tx_timer);
	ev_timer_stop(b->loop, &s->detect_timer);
	bfd_unlink(&b->sessions, s, false);
	bfd_unlink(bfd_discr_bucket(b, s->ldiscr), s, true);
	s->next = b->dead;
	b->dead = s;
	ev_defer_schedule(b->loop, &s->reap);
}

void
bfd_session_set_admin_down(struct bfd_session *s, bool down)
{
	if (s->dead)
		return;
	bfd_session_event(s, down ? BFD_EV_ADMIN_DOWN : BFD_EV_ADMIN_UP);
}

int
bfd_session_set_timers(struct bfd_session *s, uint32_t min_tx_us,
    uint32_t min_rx_us, uint8_t mult, char *err, size_t errlen)
{
	struct bfd_session_conf c = s->conf;

	if (min_tx_us != 0)
		c.min_tx_us = min_tx_us;
	if (min_rx_us != 0)
		c.min_rx_us = min_rx_us;
	if (mult != 0)
		c.mult = mult;
	if (bfd_session_conf_check(&c, err, errlen) == -1)
		return -1;
	s->conf = c;
	/* 6.8.12: a new multiplier just goes out in the next packet. */
	bfd_params_update(s);
	return 0;
}

enum bfd_state
bfd_session_state(const struct bfd_session *s)
{
	return (enum bfd_state)s->state;
}

void
bfd_session_info(const struct bfd_session *s, struct bfd_session_info *i)
{
	uint64_t now = mono_us();

	memset(i, 0, sizeof(*i));
	i->peer = s->conf.peer;
	i->local = s->conf.local;
	memcpy(i->ifname, s->conf.ifname, sizeof(i->ifname));
	i->passive = s->conf.passive;
	i->src_port = s->sport;
	i->state = s->state;
	i->remote_state = s->rstate;
	i->local_diag = s->ldiag;
	i->remote_diag = s->rdiag;
	i->local_discr = s->ldiscr;
	i->remote_discr = s->rdiscr;
	i->mult = s->conf.mult;
	i->remote_mult = s->rmult;
	i->conf_min_tx_us = s->conf.min_tx_us;
	i->conf_min_rx_us = s->conf.min_rx_us;
	i->des_min_tx_us = s->des_min_tx;
	i->req_min_rx_us = s->req_min_rx;
	i->remote_des_min_tx_us = s->rdes_min_tx;
	i->remote_min_rx_us = s->rmin_rx;
	i->tx_interval_us = s->tx_intv;
	i->rx_interval_us = s->rx_req_used > s->rdes_min_tx ?
	    s->rx_req_used : s->rdes_min_tx;
	i->detect_time_us = s->detect_time;
	i->poll_active = s->poll;
	i->rx_pkts = s->rx_pkts;
	i->tx_pkts = s->tx_pkts;
	i->rx_dropped = s->rx_dropped;
	i->tx_errors = s->tx_errors;
	i->up_count = s->up_count;
	i->down_count = s->down_count;
	i->uptime_us = s->state == BFD_STATE_UP ? now - s->up_at : 0;
	i->since_change_us = now - s->changed_at;
	i->last_rx_ago_us = s->last_rx ? now - s->last_rx : 0;
	i->last_down_diag = s->last_down_diag;
	i->last_down_ago_us = s->down_count ? now - s->down_at : 0;
}

/* RFC 5880 6.8.7: the fields of an outgoing control packet. */
void
bfd_xmit(struct bfd_session *s, bool final)
{
	struct bfd *b = s->bfd;
	struct bfd_pkt p = {
		.diag = s->ldiag,
		.state = s->state,
		.flags = final ? BFD_FLAG_F : s->poll ? BFD_FLAG_P : 0,
		.detect_mult = s->conf.mult,
		.my_discr = s->ldiscr,
		.your_discr = s->rdiscr,
		.des_min_tx = s->des_min_tx,
		.req_min_rx = s->req_min_rx,
		.req_min_echo_rx = 0,		/* we loop no echo */
	};
	uint8_t mem[BFD_HDR_LEN];
	struct wbuf w;

	if (s->dead || (s->conf.passive && s->rdiscr == 0))
		return;
	wbuf_init_fixed(&w, mem, sizeof(mem));
	if (bfd_pkt_encode(&w, &p) == -1)
		fatal_bug("bfd_xmit: encode into %zu bytes", sizeof(mem));
	s->last_tx = mono_us();
	if (b->out != NULL)
		b->out(b->out_arg, s, mem, w.len);
	else if (bfd_sock_send(s, mem, w.len) == -1) {
		s->tx_errors++;
		b->stats.tx_errors++;
		return;
	}
	s->tx_pkts++;
	b->stats.tx_pkts++;
}

/*
 * Arm the periodic transmit timer one jittered interval from now; 'soon'
 * (first packet of a session) picks a random point in the first quarter so
 * sessions created together do not send together.
 */
void
bfd_tx_schedule(struct bfd_session *s, bool soon)
{
	struct bfd *b = s->bfd;
	uint64_t after;

	if (s->dead)
		return;
	if (!bfd_tx_allowed(s)) {
		ev_timer_stop(b->loop, &s->tx_timer);
		return;
	}
	after = bfd_jitter(s->tx_intv, s->conf.mult, bfd_random(b));
	if (soon)
		after = bfd_random(b) % (s->tx_intv / 4 + 1);
	ev_timer_start(b->loop, &s->tx_timer, after);
}

static void
bfd_tx_timer(struct ev_loop *loop, struct ev_timer *t, void *arg)
{
	struct bfd_session *s = arg;

	bfd_xmit(s, false);
	bfd_tx_schedule(s, false);
}

/* RFC 5880 6.8.4: restarted by every accepted packet. */
void
bfd_detect_arm(struct bfd_session *s)
{
	if (s->dead || s->detect_time == 0)
		return;
	ev_timer_start_at(s->bfd->loop, &s->detect_timer,
	    s->last_rx + s->detect_time);
}

/*
 * A Detection Time without packets: forget the remote discriminator
 * (6.8.1) and its Required Min RX (6.8.18), then take the session down if
 * it was Init or Up (6.8.4).
 */
static void
bfd_detect_timer(struct ev_loop *loop, struct ev_timer *t, void *arg)
{
	struct bfd_session *s = arg;

	s->rdiscr = 0;
	s->rmin_rx = 1;
	s->rstate = BFD_STATE_DOWN;
	s->rdemand = false;
	bfd_timers_update(s);
	bfd_session_event(s, BFD_EV_DETECT_EXPIRED);
}

/*
 * Single hop (RFC 5881 section 3): a packet that names no session (Your
 * Discriminator 0) is matched by source address, the local address it
 * arrived on and, if the session is bound to one, the interface.
 */
static struct bfd_session *
bfd_find_rx(struct bfd *b, const struct bfd_pkt *p,
    const struct bfd_rx_meta *m)
{
	struct bfd_session *s;

	if (p->your_discr != 0) {
		s = bfd_find_discr(b, p->your_discr);
		if (s == NULL || addr_cmp(&s->conf.peer, &m->src) != 0)
			return NULL;
		if (s->ifindex && m->ifindex && s->ifindex != m->ifindex)
			return NULL;
		return s;
	}
	for (s = b->sessions; s != NULL; s = s->next) {
		if (addr_cmp(&s->conf.peer, &m->src) != 0)
			continue;
		if (m->dst.af != 0 && addr_cmp(&s->conf.local, &m->dst) != 0)
			continue;
		if (s->ifindex && m->ifindex && s->ifindex != m->ifindex)
			continue;
		return s;
	}
	return NULL;
}

void
bfd_input(struct bfd *b, const uint8_t *data, size_t len,
    const struct bfd_rx_meta *m)
{
	struct bfd_session *s;
	struct bfd_pkt p;
	struct rbuf r;
	enum bfd_pkt_result res;
	char a[ADDR_STRLEN];

	b->stats.rx_pkts++;
	rbuf_init(&r, data, len);
	if ((res = bfd_pkt_decode(&r, &p)) != BFD_PKT_OK) {
		b->stats.rx_bad[res]++;
		log_remote("bfd: packet from %s dropped: %s",
		    addr_ntop(&m->src, a, sizeof(a)), bfd_pkt_result_str(res));
		return;
	}
	if ((s = bfd_find_rx(b, &p, m)) == NULL) {
		b->stats.rx_no_session++;
		return;
	}
	/* RFC 5881 section 5: without authentication only TTL 255 counts. */
	if (m->ttl != BFD_TTL) {
		b->stats.rx_bad_ttl++;
		s->rx_dropped++;
		log_remote("bfd: packet from %s dropped: TTL %d, want 255",
		    addr_ntop(&m->src, a, sizeof(a)), m->ttl);
		return;
	}
	bfd_session_rx(s, &p);
}
