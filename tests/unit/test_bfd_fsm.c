/*
 * BFD sessions without sockets: packets go in through bfd_input() and come
 * out through the output hook, on a real event loop with real timers.
 * Covers every (local state x received state) step of RFC 5880 6.8.6,
 * timer negotiation (6.8.2, 6.8.4), the slow start and Poll/Final (6.5,
 * 6.8.3), detection (6.8.4), jitter (6.8.7), demultiplexing and TTL
 * (RFC 5881), administrative control and deletion from a callback.
 */
#include <arpa/inet.h>
#include <stdlib.h>

#include "t.h"
#include "bfd/bfd_int.h"
#include "lib/log.h"
#include "lib/mtime.h"

#define MS		1000u
#define PEER_DISCR	0x0badcafe

struct cap {
	struct bfd_pkt	pkt[512];
	uint64_t	at[512];
	int		n;
};

struct events {
	int		n;
	uint8_t		old[32], new[32], diag[32];
	bool		del_on_down;
	struct bfd_session *s;
};

struct h {
	struct ev_loop		*loop;
	struct bfd		*b;
	struct bfd_session	*s;
	struct cap		 cap;
	struct events		 ev;
	uint32_t		 ldiscr;
};

static void
cap_out(void *arg, struct bfd_session *s, const uint8_t *p, size_t len)
{
	struct cap *c = arg;
	struct rbuf r;

	if (c->n == (int)(sizeof(c->pkt) / sizeof(c->pkt[0])))
		return;
	rbuf_init(&r, p, len);
	if (bfd_pkt_decode(&r, &c->pkt[c->n]) != BFD_PKT_OK)
		printf("#   we sent a packet that does not decode\n");
	c->at[c->n++] = mono_us();
}

static void
on_state(void *arg, enum bfd_state o, enum bfd_state n, uint8_t diag)
{
	struct events *e = arg;

	if (e->n < 32) {
		e->old[e->n] = o;
		e->new[e->n] = n;
		e->diag[e->n] = diag;
	}
	e->n++;
	if (e->del_on_down && n == BFD_STATE_DOWN)
		bfd_session_del(e->s);
}

static struct bfd_session_conf
conf_make(uint32_t tx, uint32_t rx, uint8_t mult)
{
	struct bfd_session_conf c = { .min_tx_us = tx, .min_rx_us = rx,
	    .mult = mult };

	addr_parse("10.0.0.2", &c.peer);
	addr_parse("10.0.0.1", &c.local);
	return c;
}

static void
h_init(struct h *h, struct bfd_session_conf c)
{
	struct bfd_session_info i;
	char err[200];

	memset(h, 0, sizeof(*h));
	h->loop = ev_loop_new();
	h->b = bfd_new(h->loop);
	bfd_set_output(h->b, cap_out, &h->cap);
	h->s = bfd_session_add(h->b, &c, on_state, &h->ev, err, sizeof(err));
	if (h->s == NULL)
		printf("#   bfd_session_add: %s\n", err);
	h->ev.s = h->s;
	bfd_session_info(h->s, &i);
	h->ldiscr = i.local_discr;
}

static void
h_free(struct h *h)
{
	bfd_free(h->b);
	ev_loop_free(h->loop);
}

static struct bfd_rx_meta
meta(void)
{
	struct bfd_rx_meta m = { .ttl = 255, .sport = 49200 };

	addr_parse("10.0.0.2", &m.src);
	addr_parse("10.0.0.1", &m.dst);
	return m;
}

/* Inject a packet from the peer. */
static void
h_rx_full(struct h *h, uint8_t state, uint8_t flags, uint32_t your,
    uint32_t tx, uint32_t rx, uint8_t mult, const struct bfd_rx_meta *m)
{
	struct bfd_pkt p = { .state = state, .flags = flags,
	    .detect_mult = mult, .my_discr = PEER_DISCR, .your_discr = your,
	    .des_min_tx = tx, .req_min_rx = rx };
	uint8_t mem[BFD_HDR_LEN];
	struct wbuf w;

	wbuf_init_fixed(&w, mem, sizeof(mem));
	bfd_pkt_encode(&w, &p);
	mem[1] |= flags & BFD_FLAG_D;	/* the encoder never sends D */
	bfd_input(h->b, mem, w.len, m);
}

static void
h_rx(struct h *h, uint8_t state, uint8_t flags, uint32_t tx, uint32_t rx,
    uint8_t mult)
{
	struct bfd_rx_meta m = meta();

	h_rx_full(h, state, flags, h->ldiscr, tx, rx, mult, &m);
}

static struct bfd_session_info
h_info(struct h *h)
{
	struct bfd_session_info i;

	bfd_session_info(h->s, &i);
	return i;
}

static const struct bfd_pkt *
h_last(struct h *h)
{
	static const struct bfd_pkt none;

	return h->cap.n ? &h->cap.pkt[h->cap.n - 1] : &none;
}

/* Down -> Init -> Up through the peer's packets, then end our Poll. */
static void
h_bring_up(struct h *h, uint32_t tx, uint32_t rx, uint8_t mult)
{
	h_rx(h, BFD_STATE_INIT, 0, tx, rx, mult);
	h_rx(h, BFD_STATE_UP, BFD_FLAG_F, tx, rx, mult);
}

static void
run_for(struct ev_loop *l, uint64_t us)
{
	uint64_t end = mono_us() + us, now;

	while ((now = mono_us()) < end)
		ev_run_once(l, (int64_t)(end - now));
}

static void
test_fsm_table(void)
{
	static const struct {
		uint8_t	state;
		int	ev;
		uint8_t	next;
		int	diag;
	} want[] = {
		{ BFD_STATE_DOWN, BFD_EV_DETECT_EXPIRED, BFD_STATE_DOWN, -1 },
		{ BFD_STATE_INIT, BFD_EV_DETECT_EXPIRED, BFD_STATE_DOWN, 1 },
		{ BFD_STATE_UP, BFD_EV_DETECT_EXPIRED, BFD_STATE_DOWN, 1 },
		{ BFD_STATE_UP, BFD_EV_ADMIN_DOWN, BFD_STATE_ADMIN_DOWN, 7 },
		{ BFD_STATE_DOWN, BFD_EV_ADMIN_DOWN, BFD_STATE_ADMIN_DOWN, 7 },
		{ BFD_STATE_ADMIN_DOWN, BFD_EV_ADMIN_UP, BFD_STATE_DOWN, 0 },
		{ BFD_STATE_ADMIN_DOWN, BFD_EV_DETECT_EXPIRED,
		    BFD_STATE_ADMIN_DOWN, -1 },
		{ BFD_STATE_UP, BFD_EV_ADMIN_UP, BFD_STATE_UP, -1 },
	};
	size_t i;

	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		struct bfd_fsm_step st = bfd_fsm_next(want[i].state,
		    (enum bfd_ev)want[i].ev);
		T_EQ(st.next, want[i].next);
		T_EQ(st.diag, want[i].diag);
	}
}

/* Put a fresh session into 'state' the way the protocol would. */
static void
h_goto(struct h *h, uint8_t state)
{
	switch (state) {
	case BFD_STATE_ADMIN_DOWN:
		bfd_session_set_admin_down(h->s, true);
		break;
	case BFD_STATE_INIT:
		h_rx(h, BFD_STATE_DOWN, 0, 300 * MS, 300 * MS, 3);
		break;
	case BFD_STATE_UP:
		h_bring_up(h, 300 * MS, 300 * MS, 3);
		break;
	}
}

/* RFC 5880 6.8.6, written out independently of the implementation. */
static void
test_rx_every_transition(void)
{
	static const struct {
		uint8_t	next;
		int	diag;	/* -1: no callback expected */
	} want[4][4] = {
		[BFD_STATE_ADMIN_DOWN] = {
			{ BFD_STATE_ADMIN_DOWN, -1 }, { BFD_STATE_ADMIN_DOWN, -1 },
			{ BFD_STATE_ADMIN_DOWN, -1 }, { BFD_STATE_ADMIN_DOWN, -1 },
		},
		[BFD_STATE_DOWN] = {
			{ BFD_STATE_DOWN, -1 }, { BFD_STATE_INIT, 0 },
			{ BFD_STATE_UP, 0 }, { BFD_STATE_DOWN, -1 },
		},
		[BFD_STATE_INIT] = {
			{ BFD_STATE_DOWN, 3 }, { BFD_STATE_INIT, -1 },
			{ BFD_STATE_UP, 0 }, { BFD_STATE_UP, 0 },
		},
		[BFD_STATE_UP] = {
			{ BFD_STATE_DOWN, 3 }, { BFD_STATE_DOWN, 3 },
			{ BFD_STATE_UP, -1 }, { BFD_STATE_UP, -1 },
		},
	};
	int from, rx;

	for (from = 0; from < 4; from++) {
		for (rx = 0; rx < 4; rx++) {
			struct h h;
			struct bfd_session_info i;
			int nev, ncap;

			h_init(&h, conf_make(300 * MS, 300 * MS, 3));
			h_goto(&h, (uint8_t)from);
			T_EQ(h_info(&h).state, from);
			nev = h.ev.n;
			ncap = h.cap.n;
			h_rx(&h, (uint8_t)rx, 0, 300 * MS, 300 * MS, 3);
			i = h_info(&h);
			if (i.state != want[from][rx].next)
				printf("#   %s + rx %s: got %s\n",
				    bfd_state_name(from), bfd_state_name(rx),
				    bfd_state_name(i.state));
			T_EQ(i.state, want[from][rx].next);
			if (want[from][rx].diag < 0) {
				T_EQ(h.ev.n, nev);
			} else {
				T_EQ(h.ev.n, nev + 1);
				T_EQ(h.ev.old[nev], from);
				T_EQ(h.ev.new[nev], want[from][rx].next);
				T_EQ(h.ev.diag[nev], want[from][rx].diag);
				T_EQ(i.local_diag, want[from][rx].diag);
				/* The change goes out at once. */
				T_EQ(h.cap.n, ncap + 1);
				T_EQ(h_last(&h)->state, want[from][rx].next);
				T_EQ(h_last(&h)->diag, want[from][rx].diag);
			}
			/* The remote's fields are learned before the
			 * AdminDown discard rule; nothing is answered. */
			T_EQ(i.remote_state, rx);
			if (from == BFD_STATE_ADMIN_DOWN)
				T_EQ(h.cap.n, ncap);
			h_free(&h);
		}
	}
}

static void
test_negotiation(void)
{
	static const struct {
		uint32_t	tx, rx;
		uint8_t		mult;
		uint32_t	rtx, rrx;
		uint8_t		rmult;
		uint64_t	want_tx, want_detect;
	} t[] = {
		{ 300, 300, 3, 300, 300, 3, 300, 900 },
		{ 300, 300, 3, 500, 500, 3, 500, 1500 },	/* slower peer */
		{ 300, 300, 3, 100, 100, 5, 300, 1500 },	/* faster peer */
		{ 300, 300, 3, 50, 1000, 2, 1000, 600 },
		{ 1000, 50, 3, 300, 300, 4, 1000, 1200 },
		{ 50, 50, 1, 50, 50, 1, 50, 50 },
	};
	size_t k;

	for (k = 0; k < sizeof(t) / sizeof(t[0]); k++) {
		struct h h;
		struct bfd_session_info i;

		h_init(&h, conf_make(t[k].tx * MS, t[k].rx * MS, t[k].mult));
		h_bring_up(&h, t[k].rtx * MS, t[k].rrx * MS, t[k].rmult);
		i = h_info(&h);
		T_EQ(i.state, BFD_STATE_UP);
		T_EQ(i.poll_active, 0);
		/* tx = max(our desired min tx, their required min rx) */
		T_EQ(i.tx_interval_us, t[k].want_tx * MS);
		/* detect = their mult x max(our req min rx, their des tx) */
		T_EQ(i.detect_time_us, t[k].want_detect * MS);
		T_EQ(i.remote_mult, t[k].rmult);
		h_free(&h);
	}
}

/* 6.8.3: not Up means at least 1 s, whatever is configured. */
static void
test_slow_start(void)
{
	struct h h;
	struct bfd_session_info i;

	h_init(&h, conf_make(300 * MS, 300 * MS, 3));
	i = h_info(&h);
	T_EQ(i.state, BFD_STATE_DOWN);
	T_EQ(i.des_min_tx_us, 1000 * MS);
	T_EQ(i.req_min_rx_us, 300 * MS);
	T_EQ(i.tx_interval_us, 1000 * MS);
	T_EQ(i.poll_active, 0);
	/* The first packet comes within a quarter interval, then 1 s. */
	run_for(h.loop, 300 * MS);
	T_EQ(h.cap.n, 1);
	T_EQ(h.cap.pkt[0].state, BFD_STATE_DOWN);
	T_EQ(h.cap.pkt[0].your_discr, 0);
	T_EQ(h.cap.pkt[0].my_discr, h.ldiscr);
	T_EQ(h.cap.pkt[0].des_min_tx, 1000 * MS);
	T_EQ(h.cap.pkt[0].req_min_rx, 300 * MS);
	T_EQ(h.cap.pkt[0].detect_mult, 3);
	T_EQ(h.cap.pkt[0].flags, 0);
	/* Init keeps the slow pace: still not Up. */
	h_rx(&h, BFD_STATE_DOWN, 0, 1000 * MS, 300 * MS, 3);
	i = h_info(&h);
	T_EQ(i.state, BFD_STATE_INIT);
	T_EQ(i.des_min_tx_us, 1000 * MS);
	T_EQ(h_last(&h)->your_discr, PEER_DISCR);
	h_free(&h);
}

/* Going Up drops to the configured rate with a Poll; the Final ends it. */
static void
test_poll_on_up(void)
{
	struct h h;
	struct bfd_session_info i;
	int n;

	h_init(&h, conf_make(20 * MS, 20 * MS, 3));
	h_rx(&h, BFD_STATE_INIT, 0, 1000 * MS, 20 * MS, 3);
	i = h_info(&h);
	T_EQ(i.state, BFD_STATE_UP);
	T_EQ(i.poll_active, 1);
	T_EQ(i.des_min_tx_us, 20 * MS);
	/* A faster tx applies at once (only a slower one must wait). */
	T_EQ(i.tx_interval_us, 20 * MS);
	T_EQ(h_last(&h)->state, BFD_STATE_UP);
	T_EQ(h_last(&h)->flags, BFD_FLAG_P);
	T_EQ(h_last(&h)->des_min_tx, 20 * MS);
	/* Periodic packets keep the P bit until the Final arrives. */
	n = h.cap.n;
	h_rx(&h, BFD_STATE_UP, 0, 1000 * MS, 20 * MS, 3);
	run_for(h.loop, 60 * MS);
	T_CHECK(h.cap.n > n);
	T_EQ(h_last(&h)->flags, BFD_FLAG_P);
	/* Multiplier 10: detection must outlast the wait below. */
	h_rx(&h, BFD_STATE_UP, BFD_FLAG_F, 20 * MS, 20 * MS, 10);
	T_EQ(h_info(&h).poll_active, 0);
	n = h.cap.n;
	h_rx(&h, BFD_STATE_UP, 0, 20 * MS, 20 * MS, 10);
	run_for(h.loop, 60 * MS);
	T_EQ(h_info(&h).state, BFD_STATE_UP);
	T_CHECK(h.cap.n > n);
	T_EQ(h_last(&h)->flags, 0);
	h_free(&h);
}

/* A Poll from the peer gets an immediate Final with P clear. */
static void
test_final_reply(void)
{
	struct h h;
	int n;

	h_init(&h, conf_make(300 * MS, 300 * MS, 3));
	h_rx(&h, BFD_STATE_INIT, 0, 300 * MS, 300 * MS, 3);
	/* We are Up with our own Poll running. */
	T_EQ(h_info(&h).poll_active, 1);
	n = h.cap.n;
	h_rx(&h, BFD_STATE_UP, BFD_FLAG_P, 300 * MS, 300 * MS, 3);
	T_EQ(h.cap.n, n + 1);
	T_EQ(h_last(&h)->flags, BFD_FLAG_F);
	T_EQ(h_last(&h)->state, BFD_STATE_UP);
	/* Its Final did not end our Poll: the peer sent none. */
	T_EQ(h_info(&h).poll_active, 1);
	/* The state change packet itself carries the Final when owed. */
	h_free(&h);
	h_init(&h, conf_make(300 * MS, 300 * MS, 3));
	h_rx(&h, BFD_STATE_INIT, BFD_FLAG_P, 300 * MS, 300 * MS, 3);
	T_EQ(h.cap.n, 1);
	T_EQ(h_last(&h)->state, BFD_STATE_UP);
	T_EQ(h_last(&h)->flags, BFD_FLAG_F);
	/* In AdminDown the packet is discarded: no Final. */
	bfd_session_set_admin_down(h.s, true);
	n = h.cap.n;
	h_rx(&h, BFD_STATE_DOWN, BFD_FLAG_P, 300 * MS, 300 * MS, 3);
	T_EQ(h.cap.n, n);
	h_free(&h);
}

/* 6.8.3: a slower tx and a faster rx only take effect after the Final. */
static void
test_poll_interval_change(void)
{
	struct h h;
	struct bfd_session_info i;
	char err[200];

	h_init(&h, conf_make(20 * MS, 30 * MS, 3));
	h_bring_up(&h, 10 * MS, 10 * MS, 10);
	i = h_info(&h);
	T_EQ(i.tx_interval_us, 20 * MS);
	T_EQ(i.detect_time_us, 300 * MS);
	T_EQ(bfd_session_set_timers(h.s, 40 * MS, 15 * MS, 0, err,
	    sizeof(err)), 0);
	i = h_info(&h);
	T_EQ(i.poll_active, 1);
	T_EQ(i.des_min_tx_us, 40 * MS);
	T_EQ(i.req_min_rx_us, 15 * MS);
	T_EQ(i.tx_interval_us, 20 * MS);	/* old value until Final */
	T_EQ(i.detect_time_us, 300 * MS);	/* old rx until Final */
	run_for(h.loop, 60 * MS);
	T_EQ(h_last(&h)->flags, BFD_FLAG_P);
	T_EQ(h_last(&h)->des_min_tx, 40 * MS);
	T_EQ(h_last(&h)->req_min_rx, 15 * MS);
	/* A second change while the Poll is out waits its turn. */
	T_EQ(bfd_session_set_timers(h.s, 50 * MS, 0, 0, err, sizeof(err)), 0);
	T_EQ(h_info(&h).des_min_tx_us, 40 * MS);
	h_rx(&h, BFD_STATE_UP, BFD_FLAG_F, 10 * MS, 10 * MS, 10);
	i = h_info(&h);
	T_EQ(i.poll_active, 0);
	T_EQ(i.tx_interval_us, 40 * MS);
	T_EQ(i.detect_time_us, 150 * MS);
	/* Only after a packet without Final does the next Poll start. */
	h_rx(&h, BFD_STATE_UP, 0, 10 * MS, 10 * MS, 10);
	i = h_info(&h);
	T_EQ(i.poll_active, 1);
	T_EQ(i.des_min_tx_us, 50 * MS);
	T_EQ(i.tx_interval_us, 40 * MS);
	/* Bad values are refused with the value and the range. */
	T_EQ(bfd_session_set_timers(h.s, 5 * MS, 0, 0, err, sizeof(err)), -1);
	T_STREQ(err, "min_tx 5000 us is out of range; allowed "
	    "10000-60000000 us (10 ms to 60 s)");
	h_free(&h);
}

/*
 * A peer lowering its Required Min RX is honoured from our last packet; a
 * peer raising it gets nothing before the new interval. Multiplier 30
 * keeps detection (600 ms) out of the way.
 */
static void
test_peer_changes_rate(void)
{
	struct h h;
	int n;

	h_init(&h, conf_make(20 * MS, 20 * MS, 3));
	h_bring_up(&h, 20 * MS, 1000 * MS, 30);
	T_EQ(h_info(&h).tx_interval_us, 1000 * MS);
	run_for(h.loop, 5 * MS);
	n = h.cap.n;
	h_rx(&h, BFD_STATE_UP, 0, 20 * MS, 20 * MS, 30);
	T_EQ(h_info(&h).tx_interval_us, 20 * MS);
	run_for(h.loop, 100 * MS);
	T_EQ(h_info(&h).state, BFD_STATE_UP);
	T_CHECK(h.cap.n >= n + 3);
	/* Now slower: 400 ms. The timer already set for ~20 ms must move. */
	h_rx(&h, BFD_STATE_UP, 0, 20 * MS, 400 * MS, 30);
	T_EQ(h_info(&h).tx_interval_us, 400 * MS);
	n = h.cap.n;
	run_for(h.loop, 250 * MS);
	T_EQ(h.cap.n, n);
	T_EQ(h_info(&h).state, BFD_STATE_UP);
	h_free(&h);
}

static void
feed_up(struct ev_loop *l, struct ev_timer *t, void *arg)
{
	struct h *h = arg;

	h_rx(h, BFD_STATE_UP, 0, 20 * MS, 20 * MS, 3);
	ev_timer_start(l, t, 15 * MS);
}

/* Periodic transmission at 75-100 % of the interval; detection. */
static void
test_periodic_and_detect(void)
{
	struct h h;
	struct ev_timer feeder;
	struct bfd_session_info i;
	uint64_t gap, lo = UINT64_MAX, hi = 0, t0, down_after;
	int k, first;

	h_init(&h, conf_make(20 * MS, 20 * MS, 3));
	h_bring_up(&h, 20 * MS, 20 * MS, 3);
	ev_timer_init(&feeder, feed_up, &h);
	ev_timer_start(h.loop, &feeder, 15 * MS);
	run_for(h.loop, 25 * MS);
	first = h.cap.n;
	run_for(h.loop, 500 * MS);
	T_EQ(h_info(&h).state, BFD_STATE_UP);
	/* ~29 expected; a loaded machine makes timers late, not early. */
	T_CHECK(h.cap.n - first >= 12);
	T_CHECK(h.cap.n - first <= 34);
	for (k = first + 1; k < h.cap.n; k++) {
		gap = h.cap.at[k] - h.cap.at[k - 1];
		lo = gap < lo ? gap : lo;
		hi = gap > hi ? gap : hi;
	}
	printf("# periodic gaps %.1f-%.1f ms over %d packets\n", lo / 1e3,
	    hi / 1e3, h.cap.n - first);
	T_CHECK(lo >= 15 * MS);		/* never below 75 % */
	/* Stop feeding: Down after 3 x 20 ms, diag 1. */
	ev_timer_stop(h.loop, &feeder);
	t0 = mono_us();
	while (h_info(&h).state == BFD_STATE_UP && mono_us() - t0 < 1000 * MS)
		ev_run_once(h.loop, 5 * MS);
	down_after = mono_us() - t0;
	i = h_info(&h);
	T_EQ(i.state, BFD_STATE_DOWN);
	T_EQ(i.local_diag, BFD_DIAG_DETECT_EXPIRED);
	T_EQ(i.last_down_diag, BFD_DIAG_DETECT_EXPIRED);
	T_EQ(i.remote_discr, 0);
	T_EQ(i.down_count, 1);
	T_EQ(i.des_min_tx_us, 1000 * MS);
	T_CHECK(down_after >= 40 * MS && down_after < 500 * MS);
	T_EQ(h.ev.new[h.ev.n - 1], BFD_STATE_DOWN);
	T_EQ(h.ev.diag[h.ev.n - 1], BFD_DIAG_DETECT_EXPIRED);
	T_EQ(h_last(&h)->state, BFD_STATE_DOWN);
	T_EQ(h_last(&h)->your_discr, 0);
	h_free(&h);
}

static void
test_jitter(void)
{
	struct bfd *b = bfd_new(NULL);
	uint64_t v, lo = UINT64_MAX, hi = 0, lo1 = UINT64_MAX, hi1 = 0;
	int k;

	for (k = 0; k < 20000; k++) {
		v = bfd_jitter(300000, 3, bfd_random(b));
		lo = v < lo ? v : lo;
		hi = v > hi ? v : hi;
		v = bfd_jitter(300000, 1, bfd_random(b));
		lo1 = v < lo1 ? v : lo1;
		hi1 = v > hi1 ? v : hi1;
	}
	T_CHECK(lo >= 225000 && lo < 227000);
	T_CHECK(hi <= 300000 && hi > 298000);
	T_CHECK(lo1 >= 225000 && lo1 < 227000);
	T_CHECK(hi1 <= 270000 && hi1 > 268000);
	T_EQ(bfd_jitter(1000, 3, 0), 750);
	T_EQ(bfd_jitter(1000, 3, 250), 1000);
	T_EQ(bfd_jitter(1000, 1, 150), 900);
	bfd_free(b);
}

static void
test_demux_and_ttl(void)
{
	struct h h;
	struct bfd_rx_meta m = meta();
	struct bfd_stats st;
	uint8_t junk[24] = { 0x40 };

	h_init(&h, conf_make(300 * MS, 300 * MS, 3));
	/* TTL 254: one hop away or spoofed, dropped (RFC 5881 section 5). */
	m.ttl = 254;
	h_rx_full(&h, BFD_STATE_DOWN, 0, 0, 300 * MS, 300 * MS, 3, &m);
	T_EQ(h_info(&h).state, BFD_STATE_DOWN);
	T_EQ(h_info(&h).rx_dropped, 1);
	/* Unknown Your Discriminator. */
	m = meta();
	h_rx_full(&h, BFD_STATE_DOWN, 0, h.ldiscr + 1, 300 * MS, 300 * MS, 3,
	    &m);
	/* Right discriminator, wrong source. */
	addr_parse("10.0.0.3", &m.src);
	h_rx_full(&h, BFD_STATE_DOWN, 0, h.ldiscr, 300 * MS, 300 * MS, 3, &m);
	/* No discriminator, matched by address: wrong destination. */
	m = meta();
	addr_parse("10.0.0.9", &m.dst);
	h_rx_full(&h, BFD_STATE_DOWN, 0, 0, 300 * MS, 300 * MS, 3, &m);
	T_EQ(h_info(&h).state, BFD_STATE_DOWN);
	T_EQ(h_info(&h).rx_pkts, 0);
	/* Undecodable. */
	m = meta();
	bfd_input(h.b, junk, sizeof(junk), &m);
	/* A bit with a well-framed MD5 section: no auth configured. */
	{
		uint8_t b[48] = { 0x20, 0x40 | BFD_FLAG_A, 3, 48, 0, 0, 0, 9,
		    [24] = BFD_AUTH_KEYED_MD5, [25] = 24 };
		bfd_input(h.b, b, sizeof(b), &m);
	}
	bfd_stats(h.b, &st);
	T_EQ(st.rx_pkts, 6);
	T_EQ(st.rx_bad_ttl, 1);
	T_EQ(st.rx_no_session, 3);
	T_EQ(st.rx_bad[BFD_PKT_BAD_VERSION], 1);
	T_EQ(st.rx_auth, 1);
	T_EQ(h_info(&h).state, BFD_STATE_DOWN);
	/* No discriminator, right addresses: found. */
	h_rx_full(&h, BFD_STATE_DOWN, 0, 0, 300 * MS, 300 * MS, 3, &m);
	T_EQ(h_info(&h).state, BFD_STATE_INIT);
	T_EQ(h_info(&h).remote_discr, PEER_DISCR);
	h_free(&h);
}

static void
test_admin_down(void)
{
	struct h h;
	struct bfd_session_info i;

	h_init(&h, conf_make(300 * MS, 300 * MS, 3));
	h_bring_up(&h, 300 * MS, 300 * MS, 3);
	bfd_session_set_admin_down(h.s, true);
	i = h_info(&h);
	T_EQ(i.state, BFD_STATE_ADMIN_DOWN);
	T_EQ(i.local_diag, BFD_DIAG_ADMIN_DOWN);
	T_EQ(h_last(&h)->state, BFD_STATE_ADMIN_DOWN);
	T_EQ(h_last(&h)->diag, BFD_DIAG_ADMIN_DOWN);
	T_EQ(h.ev.new[h.ev.n - 1], BFD_STATE_ADMIN_DOWN);
	T_EQ(i.des_min_tx_us, 1000 * MS);
	bfd_session_set_admin_down(h.s, false);
	T_EQ(h_info(&h).state, BFD_STATE_DOWN);
	T_EQ(h_info(&h).local_diag, BFD_DIAG_NONE);

	/* The remote going AdminDown: we go Down with diag 3 and can tell. */
	h_bring_up(&h, 300 * MS, 300 * MS, 3);
	T_EQ(h_info(&h).state, BFD_STATE_UP);
	h_rx(&h, BFD_STATE_ADMIN_DOWN, 0, 1000 * MS, 300 * MS, 3);
	i = h_info(&h);
	T_EQ(i.state, BFD_STATE_DOWN);
	T_EQ(i.local_diag, BFD_DIAG_NEIGHBOR_DOWN);
	T_EQ(i.remote_state, BFD_STATE_ADMIN_DOWN);
	T_EQ(i.up_count, 2);
	T_EQ(i.down_count, 2);
	h_free(&h);
}

static void
test_passive(void)
{
	struct h h;
	struct bfd_rx_meta m;
	struct bfd_session_conf c = conf_make(300 * MS, 300 * MS, 3);

	c.passive = true;
	h_init(&h, c);
	T_CHECK(!ev_timer_armed(&h.s->tx_timer));
	run_for(h.loop, 50 * MS);
	T_EQ(h.cap.n, 0);
	m = meta();
	m.ttl = -1;			/* TTL unknown: dropped */
	h_rx_full(&h, BFD_STATE_DOWN, 0, 0, 1000 * MS, 300 * MS, 3, &m);
	T_EQ(h.cap.n, 0);
	h_rx(&h, BFD_STATE_DOWN, 0, 1000 * MS, 300 * MS, 3);
	T_EQ(h.cap.n, 1);
	T_EQ(h_last(&h)->state, BFD_STATE_INIT);
	T_CHECK(ev_timer_armed(&h.s->tx_timer));
	h_free(&h);
}

/* The remote asks for Demand mode: periodic packets stop (6.8.6). */
static void
test_remote_demand(void)
{
	struct h h;

	h_init(&h, conf_make(300 * MS, 300 * MS, 3));
	h_bring_up(&h, 300 * MS, 300 * MS, 3);
	T_CHECK(ev_timer_armed(&h.s->tx_timer));
	h_rx(&h, BFD_STATE_UP, BFD_FLAG_D, 300 * MS, 300 * MS, 3);
	T_CHECK(!ev_timer_armed(&h.s->tx_timer));
	h_rx(&h, BFD_STATE_UP, 0, 300 * MS, 300 * MS, 3);
	T_CHECK(ev_timer_armed(&h.s->tx_timer));
	h_free(&h);
}

/* The client deletes the session from its callback (BGP will). */
static void
test_delete_in_callback(void)
{
	struct h h;
	struct bfd_session *s2;
	struct bfd_session_conf c = conf_make(300 * MS, 300 * MS, 3);
	char err[200];

	h_init(&h, c);
	h_bring_up(&h, 300 * MS, 300 * MS, 3);
	h.ev.del_on_down = true;
	h_rx(&h, BFD_STATE_DOWN, 0, 300 * MS, 300 * MS, 3);
	T_CHECK(bfd_session_next(h.b, NULL) == NULL);
	T_CHECK(bfd_session_find(h.b, &c.peer, &c.local) == NULL);
	run_for(h.loop, 1 * MS);	/* the reap job runs */
	/* The same peer can be added again. */
	s2 = bfd_session_add(h.b, &c, NULL, NULL, err, sizeof(err));
	T_CHECK(s2 != NULL);
	T_CHECK(bfd_session_add(h.b, &c, NULL, NULL, err, sizeof(err)) ==
	    NULL);
	T_STREQ(err, "a BFD session for peer 10.0.0.2 from 10.0.0.1 exists");
	h_free(&h);
}

static void
test_conf_check(void)
{
	struct bfd_session_conf c;
	char err[200];

	c = conf_make(0, 0, 0);
	T_EQ(bfd_session_conf_check(&c, err, sizeof(err)), 0);
	T_EQ(c.min_tx_us, 300 * MS);
	T_EQ(c.min_rx_us, 300 * MS);
	T_EQ(c.mult, 3);
	c = conf_make(0, 70 * 1000 * MS, 0);
	T_EQ(bfd_session_conf_check(&c, err, sizeof(err)), -1);
	T_STREQ(err, "min_rx 70000000 us is out of range; allowed "
	    "10000-60000000 us (10 ms to 60 s)");
	c = conf_make(0, 0, 0);
	addr_parse("2001:db8::1", &c.local);
	T_EQ(bfd_session_conf_check(&c, err, sizeof(err)), -1);
	T_STREQ(err, "local address must be given and be of the peer's "
	    "family (IPv4)");
	c = conf_make(0, 0, 0);
	c.local = c.peer;
	T_EQ(bfd_session_conf_check(&c, err, sizeof(err)), -1);
	T_STREQ(err, "peer and local address are the same");
	addr_parse("fe80::1", &c.local);
	addr_parse("fe80::2", &c.peer);
	T_EQ(bfd_session_conf_check(&c, err, sizeof(err)), -1);
	T_STREQ(err, "IPv6 link-local addresses need an interface name");
	snprintf(c.ifname, sizeof(c.ifname), "eth0");
	T_EQ(bfd_session_conf_check(&c, err, sizeof(err)), 0);
}

int
main(void)
{
	log_init("test_bfd_fsm", true, LOG_LVL_ERR);
	T_RUN(test_fsm_table);
	T_RUN(test_rx_every_transition);
	T_RUN(test_negotiation);
	T_RUN(test_slow_start);
	T_RUN(test_poll_on_up);
	T_RUN(test_final_reply);
	T_RUN(test_poll_interval_change);
	T_RUN(test_peer_changes_rate);
	T_RUN(test_periodic_and_detect);
	T_RUN(test_jitter);
	T_RUN(test_demux_and_ttl);
	T_RUN(test_admin_down);
	T_RUN(test_passive);
	T_RUN(test_remote_demand);
	T_RUN(test_delete_in_callback);
	T_RUN(test_conf_check);
	return t_done();
}
