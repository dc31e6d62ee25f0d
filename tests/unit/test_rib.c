/*
 * RIB unit tests, receiving side: best-path selection (one test per
 * tie-break step, RFC 4271 9.1.2), the ECMP set, AS loop and first-AS
 * checks, Adj-RIB-In keeping refused paths with their reason, implicit
 * withdraw, max-prefix, context isolation, import hooks, and UPDATE bytes
 * decoded end to end.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "t.h"
#include "rib_util.h"

struct seen {
	int		 n;
	int		 nbest;
	struct addr	 best_from;
	bool		 best_local;
	uint32_t	 best_lp;
	int		 necmp;
	int		 nfiltered;
	const char	*reason;
	struct prefix	 last;
};

static int
seen_cb(const struct rib_route_view *v, void *arg)
{
	struct seen *s = arg;

	s->n++;
	s->last = v->prefix;
	if (v->best) {
		s->nbest++;
		s->best_from = v->from;
		s->best_local = v->local;
		s->best_lp = v->local_pref;
	}
	if (v->ecmp)
		s->necmp++;
	if (v->filtered) {
		s->nfiltered++;
		s->reason = v->reason;
	}
	return 0;
}

static struct seen
loc(struct rib_ctx *c, const char *pfx)
{
	struct rib_query q = { .table = RIB_LOC, .has_prefix = true };
	struct seen s;

	memset(&s, 0, sizeof(s));
	q.prefix = P(pfx);
	rib_walk(c, &q, seen_cb, &s);
	return s;
}

static bool
best_is(struct rib_ctx *c, const char *pfx, const char *from)
{
	struct seen s = loc(c, pfx);
	struct addr a = A(from);

	return s.nbest == 1 && addr_cmp(&s.best_from, &a) == 0;
}

static void
announce(struct tpeer *t, const char *pfx, struct tattrs *ta)
{
	struct prefix p = P(pfx);

	rib_peer_apply(t->p, p.af == AF_INET ? BGP_FAM_V4U : BGP_FAM_V6U,
	    &ta->a, &p, 1, NULL, 0);
}

static void
withdraw(struct tpeer *t, const char *pfx)
{
	struct prefix p = P(pfx);

	rib_peer_apply(t->p, p.af == AF_INET ? BGP_FAM_V4U : BGP_FAM_V6U,
	    NULL, NULL, 0, &p, 1);
}

/* Two eBGP peers (AS 65001 at .2, AS 65002 at .3) and one iBGP (.4). */
struct world {
	struct rib	*r;
	struct rib_ctx	*c;
	struct tpeer	 a, b, i;
};

/*
 * Regression: a RIB that never had a peer (xrouted stopping at start, e.g.
 * -u with an unknown user) was freed through a NULL source array.
 */
static void
test_free_unused(void)
{
	struct rib *r = rib_new(NULL);

	T_CHECK(r != NULL);
	rib_free(r);
	r = rib_new(NULL);
	T_CHECK(r != NULL);
	T_CHECK(rib_ctx_get(r, "empty") != NULL);
	rib_free(r);
}

static void
world_init(struct world *w)
{
	w->r = rib_new(NULL);
	rib_set_router_id(w->r, 0x0a000001);
	w->c = rib_ctx_get(w->r, "t");
	tp_new(&w->a, w->c, 65000, 65001, "10.0.0.2", 0x0a000002, "10.0.0.1",
	    NULL);
	tp_new(&w->b, w->c, 65000, 65002, "10.0.0.3", 0x0a000003, "10.0.0.1",
	    NULL);
	tp_new(&w->i, w->c, 65000, 65000, "10.0.0.4", 0x0a000004, "10.0.0.1",
	    NULL);
}

static void
test_decide_local_pref(void)
{
	struct world w;
	struct tattrs x, y;
	uint32_t p1[] = { 65001 }, p2[] = { 65000 + 999 };

	world_init(&w);
	ta_init(&x, p1, 1, "10.0.0.2");
	announce(&w.a, "192.0.2.0/24", &x);
	/* iBGP path with LOCAL_PREF 200 beats eBGP's default 100 */
	ta_init(&y, p2, 1, "10.9.9.9");
	ta_lp(&y, 200);
	announce(&w.i, "192.0.2.0/24", &y);
	T_CHECK(best_is(w.c, "192.0.2.0/24", "10.0.0.4"));
	T_EQ(loc(w.c, "192.0.2.0/24").best_lp, 200);
	/* LOCAL_PREF 50 loses to the default 100 */
	ta_lp(&y, 50);
	announce(&w.i, "192.0.2.0/24", &y);
	T_CHECK(best_is(w.c, "192.0.2.0/24", "10.0.0.2"));
	/* LOCAL_PREF sent by an eBGP peer is ignored (RFC 4271 5.1.5) */
	ta_lp(&x, 10);
	announce(&w.a, "192.0.2.0/24", &x);
	T_CHECK(best_is(w.c, "192.0.2.0/24", "10.0.0.2"));
	rib_free(w.r);
}

static void
test_decide_local_wins(void)
{
	struct world w;
	struct tattrs x;
	struct rib_orig o = { .origin = BGP_ORIGIN_INCOMPLETE };
	struct prefix p = P("192.0.2.0/24");
	uint32_t p1[] = { 65001 };

	world_init(&w);
	ta_init(&x, p1, 1, "10.0.0.2");
	ta_lp(&x, 1000);
	announce(&w.i, "192.0.2.0/24", &x);
	T_EQ(rib_originate(w.c, &p, &o), 0);
	T_CHECK(loc(w.c, "192.0.2.0/24").best_local);
	T_EQ(loc(w.c, "192.0.2.0/24").n, 2);
	T_EQ(rib_unoriginate(w.c, &p), 0);
	T_CHECK(best_is(w.c, "192.0.2.0/24", "10.0.0.4"));
	T_EQ(rib_unoriginate(w.c, &p), -1);
	rib_free(w.r);
}

static void
test_decide_aspath(void)
{
	struct world w;
	struct tattrs x, y;
	uint32_t p1[] = { 65001, 65010, 65011 }, p2[] = { 65002, 65020 };
	uint32_t set[] = { 65030, 65031, 65032 };

	world_init(&w);
	ta_init(&x, p1, 3, "10.0.0.2");
	ta_init(&y, p2, 2, "10.0.0.3");
	announce(&w.a, "192.0.2.0/24", &x);
	announce(&w.b, "192.0.2.0/24", &y);
	T_CHECK(best_is(w.c, "192.0.2.0/24", "10.0.0.3"));
	/* an AS_SET of three counts as one: 2 + 1 = 3, ties with a's 3;
	 * the lower router id (a) wins the tie */
	ta_set(&y, set, 3);
	announce(&w.b, "192.0.2.0/24", &y);
	T_CHECK(best_is(w.c, "192.0.2.0/24", "10.0.0.2"));
	rib_free(w.r);
}

static void
test_decide_origin(void)
{
	struct world w;
	struct tattrs x, y;
	uint32_t p1[] = { 65001 }, p2[] = { 65002 };

	world_init(&w);
	ta_init(&x, p1, 1, "10.0.0.2");
	x.a.origin = BGP_ORIGIN_INCOMPLETE;
	ta_init(&y, p2, 1, "10.0.0.3");
	y.a.origin = BGP_ORIGIN_EGP;
	announce(&w.a, "192.0.2.0/24", &x);
	announce(&w.b, "192.0.2.0/24", &y);
	T_CHECK(best_is(w.c, "192.0.2.0/24", "10.0.0.3"));
	x.a.origin = BGP_ORIGIN_IGP;
	announce(&w.a, "192.0.2.0/24", &x);
	T_CHECK(best_is(w.c, "192.0.2.0/24", "10.0.0.2"));
	rib_free(w.r);
}

static void
test_decide_med(void)
{
	struct world w;
	struct tpeer a2;
	struct tattrs x, y, z;
	uint32_t p1[] = { 65001 }, p2[] = { 65002 };

	world_init(&w);
	/* second session into AS 65001, higher router id */
	tp_new(&a2, w.c, 65000, 65001, "10.0.0.5", 0x0a000005, "10.0.0.1",
	    NULL);
	ta_init(&x, p1, 1, "10.0.0.2");
	ta_med(&x, 50);
	ta_init(&y, p1, 1, "10.0.0.5");
	ta_med(&y, 10);
	announce(&w.a, "192.0.2.0/24", &x);
	announce(&a2, "192.0.2.0/24", &y);
	/* same neighbour AS: lower MED wins over lower router id */
	T_CHECK(best_is(w.c, "192.0.2.0/24", "10.0.0.5"));
	/* missing MED counts as 0 (RFC 4271 9.1.2.2 c) */
	ta_init(&x, p1, 1, "10.0.0.2");
	announce(&w.a, "192.0.2.0/24", &x);
	T_CHECK(best_is(w.c, "192.0.2.0/24", "10.0.0.2"));
	/* different neighbour AS: MED not compared; router id decides */
	ta_init(&z, p2, 1, "10.0.0.3");
	ta_med(&z, 1000);
	announce(&w.b, "192.0.3.0/24", &z);
	ta_med(&y, 0);
	announce(&a2, "192.0.3.0/24", &y);
	T_CHECK(best_is(w.c, "192.0.3.0/24", "10.0.0.3"));
	rib_free(w.r);
}

static void
test_decide_ebgp_over_ibgp(void)
{
	struct world w;
	struct tattrs x, y;
	uint32_t p1[] = { 65001 }, p9[] = { 65009 };

	world_init(&w);
	/* iBGP peer with a lower router id than the eBGP one */
	rib_peer_down(w.i.p);
	{
		struct rib_peer_session s;

		tp_sess(&s, 0x01000000, "10.0.0.1", NULL);
		rib_peer_up(w.i.p, &s);
	}
	ta_init(&x, p1, 1, "10.0.0.2");
	ta_init(&y, p9, 1, "10.9.9.9");
	announce(&w.a, "192.0.2.0/24", &x);
	announce(&w.i, "192.0.2.0/24", &y);
	T_CHECK(best_is(w.c, "192.0.2.0/24", "10.0.0.2"));
	rib_free(w.r);
}

static void
test_decide_router_id(void)
{
	struct world w;
	struct tattrs x, y;
	uint32_t p1[] = { 65001 }, p2[] = { 65002 };

	world_init(&w);
	ta_init(&x, p1, 1, "10.0.0.2");
	ta_init(&y, p2, 1, "10.0.0.3");
	announce(&w.b, "192.0.2.0/24", &y);
	announce(&w.a, "192.0.2.0/24", &x);
	T_CHECK(best_is(w.c, "192.0.2.0/24", "10.0.0.2"));	/* id .2 < .3 */
	rib_free(w.r);
}

static void
test_decide_peer_addr(void)
{
	struct rib *r = rib_new(NULL);
	struct rib_ctx *c = rib_ctx_get(r, "t");
	struct tpeer a, b;
	struct tattrs x, y;
	uint32_t p1[] = { 65001 }, p2[] = { 65002 };

	/* same router id on both sessions: the lower address wins */
	tp_new(&b, c, 65000, 65002, "10.0.0.9", 0x01010101, "10.0.0.1", NULL);
	tp_new(&a, c, 65000, 65001, "10.0.0.8", 0x01010101, "10.0.0.1", NULL);
	ta_init(&x, p1, 1, "10.0.0.8");
	ta_init(&y, p2, 1, "10.0.0.9");
	announce(&b, "192.0.2.0/24", &y);
	announce(&a, "192.0.2.0/24", &x);
	T_CHECK(best_is(c, "192.0.2.0/24", "10.0.0.8"));
	rib_free(r);
}

struct fibrec {
	int		 calls;
	size_t		 n;
	struct addr	 nh[8];
	struct prefix	 p;
};

static void
fib_cb(void *arg, struct rib_ctx *c, const struct prefix *p,
    const struct addr *nh, size_t n)
{
	struct fibrec *f = arg;
	size_t i;

	f->calls++;
	f->p = *p;
	f->n = n;
	for (i = 0; i < n && i < 8; i++)
		f->nh[i] = nh[i];
}

static bool
fib_has(const struct fibrec *f, const char *a)
{
	struct addr x = A(a);
	size_t i;

	for (i = 0; i < f->n; i++)
		if (addr_cmp(&f->nh[i], &x) == 0)
			return true;
	return false;
}

static void
test_ecmp(void)
{
	struct world w;
	struct fibrec f;
	struct tattrs x, y;
	uint32_t p1[] = { 65001 }, p2[] = { 65002 }, p3[] = { 65002, 65003 };

	world_init(&w);
	memset(&f, 0, sizeof(f));
	rib_ctx_set_fib(w.c, fib_cb, &f);
	ta_init(&x, p1, 1, "10.0.0.2");
	announce(&w.a, "192.0.2.0/24", &x);
	T_EQ(f.calls, 1);
	T_EQ(f.n, 1);
	T_CHECK(fib_has(&f, "10.0.0.2"));
	/* equal through the eBGP step, different neighbour AS: multipath */
	ta_init(&y, p2, 1, "10.0.0.3");
	announce(&w.b, "192.0.2.0/24", &y);
	T_EQ(f.calls, 2);
	T_EQ(f.n, 2);
	T_CHECK(fib_has(&f, "10.0.0.2") && fib_has(&f, "10.0.0.3"));
	T_EQ(loc(w.c, "192.0.2.0/24").necmp, 2);
	/* a longer path drops out of the set */
	ta_init(&y, p3, 2, "10.0.0.3");
	announce(&w.b, "192.0.2.0/24", &y);
	T_EQ(f.calls, 3);
	T_EQ(f.n, 1);
	T_CHECK(fib_has(&f, "10.0.0.2"));
	/* no change of next hops: no FIB call */
	ta_comm(&y, 0xfde80001);
	announce(&w.b, "192.0.2.0/24", &y);
	T_EQ(f.calls, 3);
	/* last path gone: unreachable */
	withdraw(&w.b, "192.0.2.0/24");
	withdraw(&w.a, "192.0.2.0/24");
	T_EQ(f.n, 0);
	T_EQ(f.calls, 4);
	rib_free(w.r);
}

static struct seen
adj_in(struct rib_ctx *c, struct rib_peer *p, bool filtered_only)
{
	struct rib_query q = { .table = RIB_ADJ_IN, .peer = p,
	    .filtered_only = filtered_only };
	struct seen s;

	memset(&s, 0, sizeof(s));
	rib_walk(c, &q, seen_cb, &s);
	return s;
}

struct rcount {
	const char	*want;
	uint32_t	 n;
	int		 calls;
};

static void
rcount_cb(void *arg, const char *reason, uint32_t n)
{
	struct rcount *r = arg;

	r->calls++;
	if (strcmp(reason, r->want) == 0)
		r->n = n;
}

/* Filtered paths of the peer with this reason (rib_peer_filtered). */
static uint32_t
reason_count(struct rib_peer *p, const char *why)
{
	struct rcount r = { .want = why };

	rib_peer_filtered(p, rcount_cb, &r);
	return r.n;
}

static void
test_as_loop(void)
{
	struct world w;
	struct tattrs x;
	struct rib_peer_stats st;
	uint32_t p1[] = { 65001, 65000, 65005 };

	world_init(&w);
	ta_init(&x, p1, 3, "10.0.0.2");
	announce(&w.a, "192.0.2.0/24", &x);
	T_EQ(loc(w.c, "192.0.2.0/24").n, 0);
	T_EQ(adj_in(w.c, w.a.p, false).n, 1);
	T_EQ(adj_in(w.c, w.a.p, true).nfiltered, 1);
	T_STREQ(adj_in(w.c, w.a.p, true).reason, "AS loop");
	rib_peer_stats(w.a.p, &st);
	T_EQ(st.pfx_rcvd[BGP_FAM_V4U], 1);
	T_EQ(st.pfx_filtered[BGP_FAM_V4U], 1);
	T_EQ(st.pfx_accepted[BGP_FAM_V4U], 0);
	T_EQ(reason_count(w.a.p, "AS loop"), 1);
	announce(&w.a, "192.0.3.0/24", &x);
	T_EQ(reason_count(w.a.p, "AS loop"), 2);
	/* the peer going down empties the counts with its paths */
	rib_peer_down(w.a.p);
	T_EQ(reason_count(w.a.p, "AS loop"), 0);
	rib_free(w.r);
}

static void
test_first_as(void)
{
	struct world w;
	struct tattrs x;
	uint32_t bad[] = { 65099, 65001 }, good[] = { 65001, 65099 };

	world_init(&w);
	ta_init(&x, bad, 2, "10.0.0.2");
	announce(&w.a, "192.0.2.0/24", &x);
	T_EQ(loc(w.c, "192.0.2.0/24").n, 0);
	T_STREQ(adj_in(w.c, w.a.p, true).reason,
	    "first AS is not the neighbour AS");
	/* the same path over iBGP is not subject to the check */
	ta_init(&x, bad, 2, "10.0.0.4");
	announce(&w.i, "192.0.2.0/24", &x);
	T_EQ(loc(w.c, "192.0.2.0/24").n, 1);
	/* a corrected announcement replaces the filtered one */
	ta_init(&x, good, 2, "10.0.0.2");
	announce(&w.a, "192.0.2.0/24", &x);
	T_EQ(adj_in(w.c, w.a.p, true).nfiltered, 0);
	T_CHECK(best_is(w.c, "192.0.2.0/24", "10.0.0.2"));
	rib_free(w.r);
}

static void
test_implicit_withdraw(void)
{
	struct world w;
	struct tattrs x;
	struct rib_ctx_stats cs;
	struct rib_peer_stats st;
	uint32_t p1[] = { 65001 }, p2[] = { 65001, 65007 };

	world_init(&w);
	ta_init(&x, p1, 1, "10.0.0.2");
	announce(&w.a, "192.0.2.0/24", &x);
	ta_init(&x, p2, 2, "10.0.0.2");
	announce(&w.a, "192.0.2.0/24", &x);
	rib_ctx_stats(w.c, &cs);
	T_EQ(cs.paths, 1);
	T_EQ(cs.prefixes[BGP_FAM_V4U], 1);
	rib_peer_stats(w.a.p, &st);
	T_EQ(st.pfx_rcvd[BGP_FAM_V4U], 1);
	T_EQ(st.updates_in, 2);
	withdraw(&w.a, "192.0.2.0/24");
	rib_ctx_stats(w.c, &cs);
	T_EQ(cs.paths, 0);
	T_EQ(cs.prefixes[BGP_FAM_V4U], 0);
	rib_free(w.r);
}

static void
test_max_prefix(void)
{
	struct rib *r = rib_new(NULL);
	struct rib_ctx *c = rib_ctx_get(r, "t");
	struct rib_peer_conf conf;
	struct rib_peer_session s;
	struct tpeer t;
	struct tattrs x;
	struct prefix p[5];
	uint32_t p1[] = { 65001 }, pfx_as[] = { 65000 };
	char buf[32];
	int i;

	memset(&t, 0, sizeof(t));
	tp_conf(&conf, 65000, 65001, "10.0.0.2");
	conf.max_prefix[BGP_FAM_V4U] = 3;
	t.p = rib_peer_add(c, &conf, &tp_ops, &t);
	tp_sess(&s, 2, "10.0.0.1", NULL);
	rib_peer_up(t.p, &s);
	for (i = 0; i < 5; i++) {
		snprintf(buf, sizeof(buf), "198.51.100.%d/32", i);
		p[i] = P(buf);
	}
	ta_init(&x, p1, 1, "10.0.0.2");
	rib_peer_apply(t.p, BGP_FAM_V4U, &x.a, p, 3, NULL, 0);
	T_EQ(t.maxpfx_calls, 0);
	/* re-announcing the same 3 is not growth */
	rib_peer_apply(t.p, BGP_FAM_V4U, &x.a, p, 3, NULL, 0);
	T_EQ(t.maxpfx_calls, 0);
	/* filtered paths count too (pre-policy, like other daemons) */
	ta_init(&x, pfx_as, 1, "10.0.0.2");
	rib_peer_apply(t.p, BGP_FAM_V4U, &x.a, &p[3], 1, NULL, 0);
	T_EQ(t.maxpfx_calls, 1);
	T_EQ(t.maxpfx_fam, BGP_FAM_V4U);
	T_EQ(t.maxpfx_limit, 3);
	/* once per session */
	rib_peer_apply(t.p, BGP_FAM_V4U, &x.a, &p[4], 1, NULL, 0);
	T_EQ(t.maxpfx_calls, 1);
	rib_peer_down(t.p);
	rib_peer_up(t.p, &s);
	ta_init(&x, p1, 1, "10.0.0.2");
	rib_peer_apply(t.p, BGP_FAM_V4U, &x.a, p, 4, NULL, 0);
	T_EQ(t.maxpfx_calls, 2);
	rib_free(r);
}

static void
test_ctx_isolation(void)
{
	struct rib *r = rib_new(NULL);
	struct rib_ctx *ca = rib_ctx_get(r, "circuit-a");
	struct rib_ctx *cb = rib_ctx_get(r, "circuit-b");
	struct tpeer a, b;
	struct rx *rx = calloc(1, sizeof(*rx));
	struct tattrs x;
	struct rib_ctx_stats st;
	struct rib_orig o = { 0 };
	struct prefix lp = P("203.0.113.0/24");
	uint32_t p1[] = { 65001 };

	T_CHECK(rib_ctx_get(r, "circuit-a") == ca);
	T_CHECK(rib_ctx_find(r, "circuit-c") == NULL);
	T_STREQ(rib_ctx_name(cb), "circuit-b");
	T_CHECK(rib_ctx_next(r, NULL) == ca && rib_ctx_next(r, ca) == cb &&
	    rib_ctx_next(r, cb) == NULL);
	tp_new(&a, ca, 65000, 65001, "10.0.0.2", 2, "10.0.0.1", NULL);
	tp_new(&b, cb, 65000, 65002, "10.0.0.2", 3, "10.0.0.1", NULL);
	ta_init(&x, p1, 1, "10.0.0.2");
	announce(&a, "192.0.2.0/24", &x);
	rib_originate(ca, &lp, &o);
	T_EQ(loc(ca, "192.0.2.0/24").n, 1);
	T_EQ(loc(cb, "192.0.2.0/24").n, 0);
	T_EQ(loc(cb, "203.0.113.0/24").n, 0);
	rib_ctx_stats(cb, &st);
	T_EQ(st.prefixes[BGP_FAM_V4U], 0);
	T_EQ(st.peers, 1);
	/* b's peer receives nothing but End-of-RIB */
	rx_pull(rx, b.p, 65536);
	T_EQ(rx->n, 0);
	T_EQ(rx->eor[BGP_FAM_V4U], 1);
	free(rx);
	rib_free(r);
}

static enum rib_verdict
imp_hook(void *arg, struct rib_peer *p, const struct prefix *pfx,
    struct rib_attr_edit *e, const char **reason)
{
	int *mode = arg;

	if (pfx->len > 24 && *mode >= 1) {
		*reason = "too specific";
		return RIB_REJECT;
	}
	if (*mode == 2) {
		e->a.present |= 1ull << BGP_ATTR_LOCAL_PREF;
		e->a.local_pref = 300;
	}
	return RIB_ACCEPT;
}

static void
test_import_hook(void)
{
	struct world w;
	struct rib_peer_conf conf;
	struct tattrs x;
	int mode = 1;
	uint32_t p1[] = { 65001 };

	world_init(&w);
	conf = *rib_peer_conf(w.a.p);
	conf.policy.import = imp_hook;
	conf.policy.arg = &mode;
	rib_peer_set_conf(w.a.p, &conf);
	ta_init(&x, p1, 1, "10.0.0.2");
	announce(&w.a, "192.0.2.0/24", &x);
	announce(&w.a, "192.0.2.128/25", &x);
	T_EQ(loc(w.c, "192.0.2.0/24").n, 1);
	T_EQ(loc(w.c, "192.0.2.128/25").n, 0);
	T_STREQ(adj_in(w.c, w.a.p, true).reason, "too specific");
	/* new policy re-applied from the kept Adj-RIB-In, no refresh */
	mode = 2;
	rib_peer_reimport(w.a.p);
	T_EQ(loc(w.c, "192.0.2.0/24").best_lp, 300);
	T_EQ(loc(w.c, "192.0.2.128/25").n, 0);
	mode = 0;
	rib_peer_reimport(w.a.p);
	T_EQ(loc(w.c, "192.0.2.128/25").n, 1);
	T_EQ(adj_in(w.c, w.a.p, true).nfiltered, 0);
	rib_free(w.r);
}

/* Build an UPDATE with the real encoder and feed it as bytes. */
static size_t
enc_update(uint8_t *out, size_t cap, const struct tattrs *t,
    enum bgp_fam fam, const struct prefix *p, size_t n)
{
	struct bgp_encode_ctx e = { .as4 = true };
	static const struct addr none;
	uint8_t ab[4096];
	struct wbuf aw, w;

	wbuf_init_fixed(&aw, ab, sizeof(ab));
	bgp_attrs_encode(&aw, &t->a, fam, &e);
	wbuf_init_fixed(&w, out, cap);
	if (bgp_update_pack(&w, &e, fam, ab, aw.len, &t->a.mp_nexthop, &none,
	    p, n) != (int)n)
		return 0;
	return w.len;
}

static void
test_update_bytes(void)
{
	struct world w;
	struct tattrs x;
	struct bgp_err err;
	struct rib_peer_stats st;
	struct prefix p[3] = { P("192.0.2.0/24"), P("198.51.100.0/23"),
	    P("203.0.113.128/25") };
	struct prefix p6 = P("2001:db8:1::/48");
	uint8_t m[4096], bad[] = { 0, 50, 0, 0 };
	uint32_t p1[] = { 65001 };
	size_t len;

	world_init(&w);
	ta_init(&x, p1, 1, "10.0.0.2");
	len = enc_update(m, sizeof(m), &x, BGP_FAM_V4U, p, 3);
	T_CHECK(len > 0);
	T_EQ(rib_peer_update(w.a.p, m + 19, len - 19, &err), 0);
	T_EQ(loc(w.c, "198.51.100.0/23").n, 1);
	T_EQ(loc(w.c, "203.0.113.128/25").n, 1);
	ta_init(&x, p1, 1, "2001:db8::2");
	len = enc_update(m, sizeof(m), &x, BGP_FAM_V6U, &p6, 1);
	T_EQ(rib_peer_update(w.a.p, m + 19, len - 19, &err), 0);
	T_EQ(loc(w.c, "2001:db8:1::/48").n, 1);
	/* withdraw one v4 prefix */
	{
		struct bgp_encode_ctx e = { .as4 = true };
		struct wbuf ww;

		wbuf_init_fixed(&ww, m, sizeof(m));
		bgp_withdraw_pack(&ww, &e, BGP_FAM_V4U, &p[1], 1);
		T_EQ(rib_peer_update(w.a.p, m + 19, ww.len - 19, &err), 0);
	}
	T_EQ(loc(w.c, "198.51.100.0/23").n, 0);
	rib_peer_stats(w.a.p, &st);
	T_EQ(st.pfx_rcvd[BGP_FAM_V4U], 2);
	T_EQ(st.pfx_rcvd[BGP_FAM_V6U], 1);
	/* ORIGIN with a bad value: RFC 7606 treat-as-withdraw */
	{
		struct tattrs y;
		char why[160];

		ta_init(&y, p1, 1, "10.0.0.2");
		y.a.origin = 1;
		len = enc_update(m, sizeof(m), &y, BGP_FAM_V4U, p, 1);
		/* patch the ORIGIN value (first attribute) to 9 */
		T_EQ(m[23 + 2], BGP_ATTR_ORIGIN);
		m[23 + 4] = 9;
		T_EQ(rib_peer_update(w.a.p, m + 19, len - 19, &err), 0);
		rib_peer_stats(w.a.p, &st);
		T_EQ(st.treat_as_withdraw, 1);
		T_EQ(loc(w.c, "192.0.2.0/24").n, 0);
		/* kept in Adj-RIB-In, filtered, with the decoder's reason */
		T_EQ(adj_in(w.c, w.a.p, true).nfiltered, 1);
		snprintf(why, sizeof(why), "%s", adj_in(w.c, w.a.p,
		    true).reason);
		T_CHECK(strncmp(why, "RFC 7606 treat-as-withdraw: ", 28) == 0);
		T_CHECK(strstr(why, " malformed: ") != NULL);
		T_EQ(st.pfx_filtered[BGP_FAM_V4U], 1);
		T_EQ(reason_count(w.a.p, why), 1);
		/* a re-import (policy change) does not revive it */
		rib_peer_reimport(w.a.p);
		T_EQ(loc(w.c, "192.0.2.0/24").n, 0);
		T_EQ(adj_in(w.c, w.a.p, true).nfiltered, 1);
		/* a valid announcement replaces it */
		ta_init(&y, p1, 1, "10.0.0.2");
		len = enc_update(m, sizeof(m), &y, BGP_FAM_V4U, p, 1);
		T_EQ(rib_peer_update(w.a.p, m + 19, len - 19, &err), 0);
		T_EQ(loc(w.c, "192.0.2.0/24").n, 1);
		T_EQ(adj_in(w.c, w.a.p, true).nfiltered, 0);
		T_EQ(reason_count(w.a.p, why), 0);
	}
	/* a malformed body is a session reset */
	T_EQ(rib_peer_update(w.a.p, bad, sizeof(bad), &err), -1);
	T_EQ(err.code, BGP_ERR_UPDATE);
	rib_free(w.r);
}

struct order {
	int		 n;
	char		 pfx[8][PREFIX_STRLEN];
	struct addr	 nh[8];
	bool		 local[8];
};

static int
order_cb(const struct rib_route_view *v, void *arg)
{
	struct order *o = arg;

	if (o->n < 8) {
		prefix_ntop(&v->prefix, o->pfx[o->n], PREFIX_STRLEN);
		o->nh[o->n] = v->nexthop;
		o->local[o->n] = v->local;
	}
	o->n++;
	return 0;
}

static void
test_walk(void)
{
	struct world w;
	struct tattrs x;
	struct order o;
	struct rib_query q;
	struct addr self = A("10.0.0.1");
	struct rib_orig lo = { .origin = BGP_ORIGIN_IGP };
	struct prefix lp = P("10.0.0.0/8");
	uint32_t p1[] = { 65001 };

	world_init(&w);
	ta_init(&x, p1, 1, "10.0.0.2");
	announce(&w.a, "198.51.100.0/24", &x);
	announce(&w.a, "192.0.2.0/24", &x);
	announce(&w.a, "192.0.2.0/25", &x);
	announce(&w.a, "2001:db8::/32", &x);
	rib_originate(w.c, &lp, &lo);
	memset(&o, 0, sizeof(o));
	memset(&q, 0, sizeof(q));
	q.table = RIB_LOC;
	q.af = AF_INET;
	T_EQ(rib_walk(w.c, &q, order_cb, &o), 4);
	T_STREQ(o.pfx[0], "10.0.0.0/8");
	T_STREQ(o.pfx[1], "192.0.2.0/24");
	T_STREQ(o.pfx[2], "192.0.2.0/25");
	T_STREQ(o.pfx[3], "198.51.100.0/24");
	T_CHECK(o.local[0] && !o.local[1]);
	/* pages: two prefixes, then resume after the last one, across the
	 * IPv4 -> IPv6 boundary */
	{
		struct rib_page pg;

		memset(&o, 0, sizeof(o));
		q.af = 0;
		q.max_dests = 2;
		rib_walk_page(w.c, &q, order_cb, &o, &pg);
		T_EQ(o.n, 2);
		T_STREQ(o.pfx[1], "192.0.2.0/24");
		T_CHECK(pg.full && pg.dests == 2);
		q.has_after = true;
		q.after = pg.last;
		q.max_dests = 3;
		memset(&o, 0, sizeof(o));
		rib_walk_page(w.c, &q, order_cb, &o, &pg);
		T_EQ(o.n, 3);
		T_STREQ(o.pfx[0], "192.0.2.0/25");
		T_STREQ(o.pfx[2], "2001:db8::/32");
		T_CHECK(pg.full);
		q.after = pg.last;
		memset(&o, 0, sizeof(o));
		rib_walk_page(w.c, &q, order_cb, &o, &pg);
		T_CHECK(o.n == 0 && !pg.full && pg.dests == 0);
		q.has_after = false;
		q.max_dests = 0;
		q.af = AF_INET;
	}
	/* longest match */
	memset(&o, 0, sizeof(o));
	q.has_prefix = true;
	q.lpm = true;
	q.prefix = P("192.0.2.200/32");
	T_EQ(rib_walk(w.c, &q, order_cb, &o), 1);
	T_STREQ(o.pfx[0], "192.0.2.0/24");
	q.prefix = P("192.0.2.1/32");
	memset(&o, 0, sizeof(o));
	rib_walk(w.c, &q, order_cb, &o);
	T_STREQ(o.pfx[0], "192.0.2.0/25");
	q.prefix = P("172.16.0.1/32");
	memset(&o, 0, sizeof(o));
	T_EQ(rib_walk(w.c, &q, order_cb, &o), 0);
	/* Adj-RIB-Out of b: what b is sent, next hop as b sees it */
	memset(&o, 0, sizeof(o));
	memset(&q, 0, sizeof(q));
	q.table = RIB_ADJ_OUT;
	q.peer = w.b.p;
	{
		/* commit b's group by pulling */
		struct wbuf wb;

		wbuf_init(&wb, 65536, 1 << 20);
		while (rib_peer_pull(w.b.p, &wb, 65536) > 0)
			wbuf_reset(&wb);
		wbuf_free(&wb);
	}
	T_EQ(rib_walk(w.c, &q, order_cb, &o), 4);	/* no IPv6 next hop */
	T_CHECK(addr_cmp(&o.nh[1], &self) == 0);
	/* Adj-RIB-In of a: both families */
	memset(&o, 0, sizeof(o));
	q.table = RIB_ADJ_IN;
	q.peer = w.a.p;
	T_EQ(rib_walk(w.c, &q, order_cb, &o), 4);
	rib_free(w.r);
}

static void
drain(struct rib_peer *p)
{
	struct wbuf w;

	wbuf_init(&w, 65536, 1 << 20);
	while (rib_peer_pull(p, &w, 65536) > 0)
		wbuf_reset(&w);
	wbuf_free(&w);
}

static int
count_cb(const struct rib_route_view *v, void *arg)
{
	(*(size_t *)arg)++;
	return 0;
}

/* Index churn: tombstones, sweeps, shrinking, reuse of dest slots. */
static void
test_table_churn(void)
{
	struct rib *r = rib_new(NULL);
	struct rib_ctx *c = rib_ctx_get(r, "t");
	struct rib_query q = { .table = RIB_LOC };
	struct rib_ctx_stats cs;
	struct tpeer a, b;
	struct tattrs x;
	struct prefix *p = calloc(20000, sizeof(*p));
	uint32_t p1[] = { 65001 }, p2[] = { 65001, 65009 };
	size_t i, n;
	int round;

	tp_new(&a, c, 65000, 65001, "10.0.0.2", 2, "10.0.0.1", NULL);
	tp_new(&b, c, 65000, 65002, "10.0.1.2", 3, "10.0.1.1", NULL);
	for (i = 0; i < 20000; i++)
		prefix_make(&p[i], AF_INET, (uint8_t[]){ 100, (uint8_t)(i >> 8),
		    (uint8_t)i, 0 }, 24);
	ta_init(&x, p1, 1, "10.0.0.2");
	for (round = 0; round < 3; round++) {
		rib_peer_apply(a.p, BGP_FAM_V4U, &x.a, p, 20000, NULL, 0);
		drain(a.p);
		drain(b.p);
		/* withdraw all but every 100th */
		for (i = 0; i < 20000; i++)
			if (i % 100 != 0)
				rib_peer_apply(a.p, BGP_FAM_V4U, NULL, NULL, 0,
				    &p[i], 1);
		drain(a.p);
		drain(b.p);
		rib_ctx_stats(c, &cs);
		T_EQ(cs.prefixes[BGP_FAM_V4U], 200);
		n = 0;
		rib_walk(c, &q, count_cb, &n);
		T_EQ(n, 200);
		T_EQ(loc(c, "100.0.100.0/24").n, 1);
		T_EQ(loc(c, "100.0.101.0/24").n, 0);
	}
	/* everything back, with another path: every prefix found again */
	ta_init(&x, p2, 2, "10.0.0.2");
	rib_peer_apply(a.p, BGP_FAM_V4U, &x.a, p, 20000, NULL, 0);
	rib_ctx_stats(c, &cs);
	T_EQ(cs.prefixes[BGP_FAM_V4U], 20000);
	T_EQ(cs.paths, 20000);
	for (i = 0, n = 0; i < 20000; i += 37) {
		struct rib_query e = { .table = RIB_LOC, .has_prefix = true };

		e.prefix = p[i];
		n += rib_walk(c, &e, count_cb, &(size_t){ 0 });
	}
	T_EQ(n, (20000 + 36) / 37);
	free(p);
	rib_free(r);
}

int
main(void)
{
	T_RUN(test_decide_local_pref);
	T_RUN(test_decide_local_wins);
	T_RUN(test_decide_aspath);
	T_RUN(test_decide_origin);
	T_RUN(test_decide_med);
	T_RUN(test_decide_ebgp_over_ibgp);
	T_RUN(test_decide_router_id);
	T_RUN(test_decide_peer_addr);
	T_RUN(test_ecmp);
	T_RUN(test_as_loop);
	T_RUN(test_first_as);
	T_RUN(test_implicit_withdraw);
	T_RUN(test_max_prefix);
	T_RUN(test_ctx_isolation);
	T_RUN(test_import_hook);
	T_RUN(test_update_bytes);
	T_RUN(test_walk);
	T_RUN(test_table_churn);
	T_RUN(test_free_unused);
	return t_done();
}
