/*
 * RIB unit tests, sending side: every message is pulled with
 * rib_peer_pull() and decoded by the real wire decoder into the table a
 * neighbour would hold. eBGP and iBGP export rules (RFC 4271 5.1), no
 * send-back, NO_EXPORT/NO_ADVERTISE (RFC 1997), withdrawal propagation,
 * packing and the pull budget, End-of-RIB (RFC 4724), route refresh
 * (RFC 2918), update groups, dumps to late joiners, IPv6 next hops, export
 * hooks, and peer-down flushes in slices from the event loop.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "t.h"
#include "rib_util.h"
#include "lib/evloop.h"

static void
announce(struct tpeer *t, const char *pfx, struct tattrs *ta)
{
	struct prefix p = P(pfx);

	T_EQ(rib_peer_apply(t->p, p.af == AF_INET ? BGP_FAM_V4U : BGP_FAM_V6U,
	    &ta->a, &p, 1, NULL, 0), 0);
}

static void
withdraw(struct tpeer *t, const char *pfx)
{
	struct prefix p = P(pfx);

	rib_peer_apply(t->p, p.af == AF_INET ? BGP_FAM_V4U : BGP_FAM_V6U,
	    NULL, NULL, 0, &p, 1);
}

static const char *
path_of(struct rx_route *r)
{
	static char buf[128];

	return r ? rx_path(r, buf, sizeof(buf)) : "(none)";
}

static bool
nh_is(const struct rx_route *r, const char *a)
{
	struct addr x = A(a);

	return r != NULL && addr_cmp(&r->nh, &x) == 0;
}

/*
 * Customer eBGP peer a (AS 65001, we are 65000 at 10.0.0.1), a second
 * eBGP peer b (AS 65002, we are 10.0.1.1 on that link) and an iBGP peer
 * i. a and b share an update group (next hop patched per member).
 */
struct world {
	struct rib	*r;
	struct rib_ctx	*c;
	struct tpeer	 a, b, i;
	struct rx	*ra, *rb, *ri;
};

static void
world_init(struct world *w)
{
	w->r = rib_new(NULL);
	rib_set_router_id(w->r, 0x0a000001);
	w->c = rib_ctx_get(w->r, "t");
	tp_new(&w->a, w->c, 65000, 65001, "10.0.0.2", 0x0a000002, "10.0.0.1",
	    "2001:db8::1");
	tp_new(&w->b, w->c, 65000, 65002, "10.0.1.2", 0x0a000003, "10.0.1.1",
	    NULL);
	tp_new(&w->i, w->c, 65000, 65000, "10.0.2.2", 0x0a000004, "10.0.2.1",
	    NULL);
	w->ra = calloc(1, sizeof(struct rx));
	w->rb = calloc(1, sizeof(struct rx));
	w->ri = calloc(1, sizeof(struct rx));
	w->ri->ibgp = true;
}

static void
world_pull(struct world *w)
{
	rx_pull(w->ra, w->a.p, 65536);
	rx_pull(w->rb, w->b.p, 65536);
	rx_pull(w->ri, w->i.p, 65536);
}

static void
world_free(struct world *w)
{
	rib_free(w->r);
	free(w->ra);
	free(w->rb);
	free(w->ri);
}

static void
test_eor_initial(void)
{
	struct world w;

	world_init(&w);
	world_pull(&w);
	T_EQ(w.ra->eor[BGP_FAM_V4U], 1);
	T_EQ(w.ra->eor[BGP_FAM_V6U], 1);
	T_EQ(w.rb->eor[BGP_FAM_V4U], 1);
	T_EQ(w.ri->eor[BGP_FAM_V6U], 1);
	T_EQ(w.ra->n, 0);
	T_CHECK(!rib_peer_pending(w.a.p));
	T_CHECK(w.a.wakeups > 0);
	/* nothing more, and no second End-of-RIB */
	T_EQ(rx_pull(w.ra, w.a.p, 65536), 0);
	T_EQ(w.ra->eor[BGP_FAM_V4U], 1);
	world_free(&w);
}

static void
test_ebgp_export(void)
{
	struct world w;
	struct tattrs x;
	struct rx_route *r;
	struct rib_orig o = { .origin = BGP_ORIGIN_IGP, .has_med = true,
	    .med = 77 };
	uint32_t comms[] = { 0xfde80064 };
	struct prefix lp = P("203.0.113.0/24");
	uint32_t p1[] = { 65001, 65100 };

	world_init(&w);
	world_pull(&w);
	ta_init(&x, p1, 2, "10.0.0.2");
	ta_med(&x, 5);
	ta_comm(&x, 0xfde90001);
	announce(&w.a, "192.0.2.0/24", &x);
	o.communities = comms;
	o.ncommunities = 1;
	T_EQ(rib_originate(w.c, &lp, &o), 0);
	world_pull(&w);
	r = rx_get(w.rb, "192.0.2.0/24");
	T_CHECK(r != NULL);
	T_STREQ(path_of(r), "65000 65001 65100");
	T_CHECK(nh_is(r, "10.0.1.1"));		/* b's session address */
	T_CHECK(r != NULL && !r->has_lp);
	T_CHECK(r != NULL && !r->has_med);	/* learned MED not passed */
	T_EQ(r ? r->comm_len : 0, 4);
	T_CHECK(r != NULL && r->comm[0] == 0xfd && r->comm[1] == 0xe9);
	/* local route: our AS only, locally set MED is sent */
	r = rx_get(w.rb, "203.0.113.0/24");
	T_STREQ(path_of(r), "65000");
	T_CHECK(r != NULL && r->has_med && r->med == 77);
	T_CHECK(nh_is(r, "10.0.1.1"));
	r = rx_get(w.ra, "203.0.113.0/24");
	T_CHECK(nh_is(r, "10.0.0.1"));		/* patched per member */
	T_EQ(w.rb->bad + w.ra->bad, 0);
	world_free(&w);
}

static void
test_ibgp_export(void)
{
	struct world w;
	struct tattrs x, y;
	struct rx_route *r;
	struct rib_orig o = { .origin = BGP_ORIGIN_IGP };
	struct prefix lp = P("203.0.113.0/24");
	uint32_t p1[] = { 65001 }, p9[] = { 65009 };

	world_init(&w);
	ta_init(&x, p1, 1, "10.0.0.2");
	ta_med(&x, 5);
	announce(&w.a, "192.0.2.0/24", &x);
	rib_originate(w.c, &lp, &o);
	world_pull(&w);
	r = rx_get(w.ri, "192.0.2.0/24");
	T_STREQ(path_of(r), "65001");		/* no prepend */
	T_CHECK(nh_is(r, "10.0.0.2"));		/* next hop kept */
	T_CHECK(r != NULL && r->has_lp && r->lp == 100);
	T_CHECK(r != NULL && r->has_med && r->med == 5);
	r = rx_get(w.ri, "203.0.113.0/24");
	T_CHECK(nh_is(r, "10.0.2.1"));		/* local: next hop self */
	T_EQ(r ? r->path_len : 99, 0);
	/* iBGP-learned: to eBGP yes, back to iBGP never */
	ta_init(&y, p9, 1, "10.9.9.9");
	ta_lp(&y, 150);
	announce(&w.i, "198.51.100.0/24", &y);
	world_pull(&w);
	r = rx_get(w.rb, "198.51.100.0/24");
	T_STREQ(path_of(r), "65000 65009");
	T_CHECK(r != NULL && !r->has_lp);
	T_CHECK(rx_get(w.ri, "198.51.100.0/24") == NULL);
	world_free(&w);
}

static void
test_no_send_back(void)
{
	struct world w;
	struct tattrs x, y;
	uint32_t p1[] = { 65001 }, p2[] = { 65002, 65003, 65004 };
	uint32_t p2s[] = { 65002 };

	world_init(&w);
	world_pull(&w);
	ta_init(&x, p1, 1, "10.0.0.2");
	announce(&w.a, "192.0.2.0/24", &x);
	world_pull(&w);
	T_CHECK(rx_get(w.ra, "192.0.2.0/24") == NULL);
	T_CHECK(rx_get(w.rb, "192.0.2.0/24") != NULL);
	/* b's longer path is not best: a still gets nothing */
	ta_init(&y, p2, 3, "10.0.1.2");
	announce(&w.b, "192.0.2.0/24", &y);
	world_pull(&w);
	T_CHECK(rx_get(w.ra, "192.0.2.0/24") == NULL);
	/* b's equal-length path loses on router id: still nothing for a */
	ta_init(&y, p2s, 1, "10.0.1.2");
	announce(&w.b, "192.0.2.0/24", &y);
	world_pull(&w);
	T_CHECK(rx_get(w.ra, "192.0.2.0/24") == NULL);
	T_EQ(w.ra->msgs, 2);	/* End-of-RIB x 2 only */
	/* a's path gets a worse ORIGIN: b's is best now; a gets b's
	 * route and b a withdrawal of a's */
	ta_init(&x, p1, 1, "10.0.0.2");
	x.a.origin = BGP_ORIGIN_INCOMPLETE;
	announce(&w.a, "192.0.2.0/24", &x);
	world_pull(&w);
	T_STREQ(path_of(rx_get(w.ra, "192.0.2.0/24")), "65000 65002");
	T_CHECK(rx_get(w.rb, "192.0.2.0/24") == NULL);
	T_EQ(w.ra->wd_unknown, 0);
	T_EQ(w.rb->wd_unknown, 0);
	world_free(&w);
}

static void
test_no_export(void)
{
	struct world w;
	struct tattrs x, y;
	uint32_t p1[] = { 65001 };

	world_init(&w);
	ta_init(&x, p1, 1, "10.0.0.2");
	ta_comm(&x, BGP_COMM_NO_EXPORT);
	announce(&w.a, "192.0.2.0/24", &x);
	ta_init(&y, p1, 1, "10.0.0.2");
	ta_comm(&y, BGP_COMM_NO_ADVERTISE);
	announce(&w.a, "198.51.100.0/24", &y);
	world_pull(&w);
	T_CHECK(rx_get(w.rb, "192.0.2.0/24") == NULL);	/* eBGP: no */
	T_CHECK(rx_get(w.ri, "192.0.2.0/24") != NULL);	/* iBGP: yes */
	T_CHECK(rx_get(w.rb, "198.51.100.0/24") == NULL);
	T_CHECK(rx_get(w.ri, "198.51.100.0/24") == NULL);
	world_free(&w);
}

static void
test_withdraw_propagation(void)
{
	struct world w;
	struct tattrs x;
	struct rib_peer_stats st;
	uint32_t p1[] = { 65001 }, p2[] = { 65001, 65005 };

	world_init(&w);
	ta_init(&x, p1, 1, "10.0.0.2");
	announce(&w.a, "192.0.2.0/24", &x);
	announce(&w.a, "198.51.100.0/24", &x);
	world_pull(&w);
	T_EQ(w.rb->n, 2);
	rib_peer_stats(w.b.p, &st);
	T_EQ(st.pfx_sent[BGP_FAM_V4U], 2);
	/* implicit withdraw: a replacement reaches b as a new path */
	ta_init(&x, p2, 2, "10.0.0.2");
	announce(&w.a, "192.0.2.0/24", &x);
	withdraw(&w.a, "198.51.100.0/24");
	world_pull(&w);
	T_EQ(w.rb->n, 1);
	T_STREQ(path_of(rx_get(w.rb, "192.0.2.0/24")), "65000 65001 65005");
	T_EQ(w.rb->nwd, 1);
	T_EQ(w.rb->wd_unknown, 0);
	T_EQ(w.ri->n, 1);
	rib_peer_stats(w.b.p, &st);
	T_EQ(st.pfx_sent[BGP_FAM_V4U], 1);
	T_EQ(st.withdraws_out, 1);
	/* a route that is changed and withdrawn before anyone pulls costs
	 * no message at all (evaluated lazily) */
	announce(&w.a, "203.0.113.0/24", &x);
	withdraw(&w.a, "203.0.113.0/24");
	w.rb->msgs = 0;
	world_pull(&w);
	T_EQ(w.rb->msgs, 0);
	/* and a repeat of the same announcement sends nothing */
	announce(&w.a, "192.0.2.0/24", &x);
	world_pull(&w);
	T_EQ(w.rb->msgs, 0);
	world_free(&w);
}

static void
test_packing_budget(void)
{
	struct world w;
	struct tattrs x;
	struct prefix *p = calloc(2000, sizeof(*p));
	uint32_t p1[] = { 65001 };
	char buf[32];
	int i;

	world_init(&w);
	world_pull(&w);
	for (i = 0; i < 2000; i++) {
		snprintf(buf, sizeof(buf), "10.%d.%d.0/24", 100 + i / 256,
		    i % 256);
		p[i] = P(buf);
	}
	ta_init(&x, p1, 1, "10.0.0.2");
	rib_peer_apply(w.a.p, BGP_FAM_V4U, &x.a, p, 2000, NULL, 0);
	w.rb->updates = 0;
	rx_pull(w.rb, w.b.p, 4096);
	T_EQ(w.rb->n, 2000);
	/* 2000 x 4 bytes of NLRI in 4096-byte UPDATEs: 2 or 3 messages */
	T_CHECK(w.rb->updates >= 2 && w.rb->updates <= 3);
	T_CHECK(w.rb->max_pull <= 4096);
	T_CHECK(w.rb->pulls >= 2);
	/* withdraw all: packed as well */
	rib_peer_apply(w.a.p, BGP_FAM_V4U, NULL, NULL, 0, p, 2000);
	w.rb->updates = 0;
	rx_pull(w.rb, w.b.p, 1 << 20);
	T_EQ(w.rb->n, 0);
	T_CHECK(w.rb->updates >= 2 && w.rb->updates <= 3);
	/* a budget below one message still makes progress */
	rib_peer_apply(w.a.p, BGP_FAM_V4U, &x.a, p, 10, NULL, 0);
	T_CHECK(rx_pull(w.rb, w.b.p, 10) > 10);
	T_EQ(w.rb->n, 10);
	free(p);
	world_free(&w);
}

static void
test_refresh(void)
{
	struct world w;
	struct tattrs x;
	uint32_t p1[] = { 65001 };

	world_init(&w);
	ta_init(&x, p1, 1, "10.0.0.2");
	announce(&w.a, "192.0.2.0/24", &x);
	ta_init(&x, p1, 1, "2001:db8::2");
	announce(&w.a, "2001:db8:5::/48", &x);
	world_pull(&w);
	T_EQ(w.rb->n, 1);	/* b has no IPv6 next hop: no IPv6 routes */
	w.rb->nann = 0;
	T_CHECK(!rib_peer_pending(w.b.p));
	rib_peer_refresh(w.b.p, BGP_FAM_V4U);
	T_CHECK(rib_peer_pending(w.b.p));
	rx_pull(w.rb, w.b.p, 65536);
	T_EQ(w.rb->nann, 1);
	T_EQ(w.rb->ann_dup, 1);
	T_EQ(w.rb->eor[BGP_FAM_V4U], 1);	/* no new End-of-RIB */
	/* the IPv6 route went to i, whose next hop it keeps */
	T_CHECK(nh_is(rx_get(w.ri, "2001:db8:5::/48"), "2001:db8::2"));
	world_free(&w);
}

static void
test_ipv6(void)
{
	struct world w;
	struct tattrs x;
	struct rx_route *r;
	uint32_t p2[] = { 65002 };

	world_init(&w);
	ta_init(&x, p2, 1, "2001:db8:1::2");
	announce(&w.b, "2001:db8:100::/40", &x);
	world_pull(&w);
	r = rx_get(w.ra, "2001:db8:100::/40");
	T_CHECK(nh_is(r, "2001:db8::1"));	/* a's IPv6 session address */
	T_STREQ(path_of(r), "65000 65002");
	T_CHECK(nh_is(rx_get(w.ri, "2001:db8:100::/40"), "2001:db8:1::2"));
	T_EQ(w.ra->bad, 0);
	world_free(&w);
}

static void
test_late_joiner(void)
{
	struct world w;
	struct tpeer c;
	struct rx *rc = calloc(1, sizeof(*rc));
	struct tattrs x;
	struct prefix p[300];
	uint32_t p1[] = { 65001 };
	char buf[32];
	int i;

	world_init(&w);
	for (i = 0; i < 300; i++) {
		snprintf(buf, sizeof(buf), "10.1.%d.0/24", i % 256);
		if (i >= 256)
			snprintf(buf, sizeof(buf), "10.2.%d.0/24", i % 256);
		p[i] = P(buf);
	}
	ta_init(&x, p1, 1, "10.0.0.2");
	rib_peer_apply(w.a.p, BGP_FAM_V4U, &x.a, p, 300, NULL, 0);
	world_pull(&w);
	/* c joins b's update group (same settings) after the fact */
	tp_new(&c, w.c, 65000, 65003, "10.0.3.2", 9, "10.0.3.1", NULL);
	/* a change while c is still dumping */
	withdraw(&w.a, "10.1.5.0/24");
	rx_pull(rc, c.p, 65536);
	rx_pull(w.rb, w.b.p, 65536);
	T_EQ(rc->n, 299);
	T_CHECK(rx_get(rc, "10.1.5.0/24") == NULL);
	T_CHECK(nh_is(rx_get(rc, "10.2.1.0/24"), "10.0.3.1"));
	T_EQ(rc->eor[BGP_FAM_V4U], 1);
	T_EQ(w.rb->n, 299);
	free(rc);
	world_free(&w);
}

static void
test_fanout_shared(void)
{
	struct rib *r = rib_new(NULL);
	struct rib_ctx *c = rib_ctx_get(r, "t");
	struct rib_ctx_stats cs;
	struct tpeer in, out[10];
	struct rx *rx = calloc(1, sizeof(*rx));
	struct tattrs x;
	struct prefix p[1000];
	uint32_t p1[] = { 65001 };
	char a[32], l[32], buf[32];
	size_t mem1, i;

	tp_new(&in, c, 65000, 65001, "10.0.0.2", 1, "10.0.0.1", NULL);
	for (i = 0; i < 10; i++) {
		snprintf(a, sizeof(a), "10.1.%zu.2", i);
		snprintf(l, sizeof(l), "10.1.%zu.1", i);
		tp_new(&out[i], c, 65000, 65100 + (uint32_t)i, a, 10 + (uint32_t)i,
		    l, NULL);
	}
	for (i = 0; i < 1000; i++) {
		snprintf(buf, sizeof(buf), "10.%zu.%zu.0/24", 100 + i / 256,
		    i % 256);
		p[i] = P(buf);
	}
	ta_init(&x, p1, 1, "10.0.0.2");
	rib_peer_apply(in.p, BGP_FAM_V4U, &x.a, p, 1000, NULL, 0);
	rib_ctx_stats(c, &cs);
	mem1 = cs.mem_bytes;
	for (i = 0; i < 10; i++) {
		memset(rx, 0, sizeof(*rx));
		rx_pull(rx, out[i].p, 65536);
		T_EQ(rx->n, 1000);
		snprintf(l, sizeof(l), "10.1.%zu.1", i);
		T_CHECK(nh_is(rx_get(rx, "10.100.7.0/24"), l));
	}
	/* one update group: Adj-RIB-Out is not 10 copies */
	rib_ctx_stats(c, &cs);
	T_CHECK(cs.mem_bytes < mem1 + 64 * 1024);
	free(rx);
	rib_free(r);
}

static enum rib_verdict
exp_hook(void *arg, struct rib_peer *to, const struct prefix *p,
    struct rib_attr_edit *e)
{
	int *mode = arg;
	static const uint8_t c[] = { 0xfd, 0xe8, 0x00, 0x2a };

	if (*mode == 1 && p->len == 25)
		return RIB_REJECT;
	if (*mode == 2) {
		memcpy(e->buf, c, 4);
		e->a.comm = e->buf;
		e->a.comm_len = 4;
		e->a.present |= 1ull << BGP_ATTR_COMMUNITIES;
	}
	return RIB_ACCEPT;
}

static void
test_export_hook(void)
{
	struct world w;
	struct rib_peer_conf conf;
	struct tattrs x;
	struct rx_route *r;
	int mode = 1;
	uint32_t p1[] = { 65001 };

	world_init(&w);
	conf = *rib_peer_conf(w.b.p);
	conf.policy.export = exp_hook;
	conf.policy.arg = &mode;
	rib_peer_set_conf(w.b.p, &conf);
	ta_init(&x, p1, 1, "10.0.0.2");
	announce(&w.a, "192.0.2.0/24", &x);
	announce(&w.a, "192.0.2.128/25", &x);
	world_pull(&w);
	T_CHECK(rx_get(w.rb, "192.0.2.0/24") != NULL);
	T_CHECK(rx_get(w.rb, "192.0.2.128/25") == NULL);
	T_CHECK(rx_get(w.ri, "192.0.2.128/25") != NULL);
	/* policy changes behind the same hook: only the difference is sent */
	mode = 2;
	w.rb->nann = w.rb->nwd = 0;
	rib_peer_reexport(w.b.p);
	world_pull(&w);
	T_EQ(w.rb->nann, 2);
	T_EQ(w.rb->nwd, 0);
	r = rx_get(w.rb, "192.0.2.128/25");
	T_CHECK(r != NULL && r->comm_len == 4 && r->comm[3] == 0x2a);
	T_CHECK(nh_is(r, "10.0.1.1"));
	/* hook removed: back to the standard export */
	conf.policy.export = NULL;
	rib_peer_set_conf(w.b.p, &conf);
	world_pull(&w);
	r = rx_get(w.rb, "192.0.2.128/25");
	T_CHECK(r != NULL && r->comm_len == 0);
	T_EQ(w.rb->n, 2);
	world_free(&w);
}

static int hook_calls;

static enum rib_verdict
count_hook(void *arg, struct rib_peer *to, const struct prefix *p,
    struct rib_attr_edit *e)
{
	int *prepends = arg;
	size_t l = e->a.aspath_len;

	hook_calls++;
	/* prepend our AS 'prepends' more times (path is one SEQUENCE) */
	if (*prepends > 0 && l >= 2 && l + 4 * (size_t)*prepends <=
	    sizeof(e->buf)) {
		memcpy(e->buf, e->a.aspath, l);
		memmove(e->buf + 2 + 4 * *prepends, e->buf + 2, l - 2);
		for (int k = 0; k < *prepends; k++)
			memcpy(e->buf + 2 + 4 * k, e->a.aspath + 2, 4);
		e->buf[1] = (uint8_t)(e->buf[1] + *prepends);
		e->a.aspath = e->buf;
		e->a.aspath_len = (uint16_t)(l + 4 * (size_t)*prepends);
	}
	return RIB_ACCEPT;
}

static void
test_export_by_attrs(void)
{
	struct world w;
	struct rib_peer_conf conf;
	struct tattrs x;
	struct prefix p[100];
	uint32_t p1[] = { 65001 };
	char buf[32];
	int i, prepends = 1;

	world_init(&w);
	world_pull(&w);
	conf = *rib_peer_conf(w.b.p);
	conf.policy.export = count_hook;
	conf.policy.arg = &prepends;
	conf.policy.export_by_attrs = true;
	rib_peer_set_conf(w.b.p, &conf);
	world_pull(&w);
	for (i = 0; i < 100; i++) {
		snprintf(buf, sizeof(buf), "10.9.%d.0/24", i);
		p[i] = P(buf);
	}
	ta_init(&x, p1, 1, "10.0.0.2");
	hook_calls = 0;
	rib_peer_apply(w.a.p, BGP_FAM_V4U, &x.a, p, 100, NULL, 0);
	world_pull(&w);
	T_EQ(hook_calls, 1);
	T_EQ(w.rb->n, 100);
	T_STREQ(path_of(rx_get(w.rb, "10.9.42.0/24")), "65000 65000 65001");
	T_CHECK(nh_is(rx_get(w.rb, "10.9.42.0/24"), "10.0.1.1"));
	/* policy edited behind the same hook: re-run, once again */
	prepends = 2;
	hook_calls = 0;
	w.rb->nann = 0;
	rib_peer_reexport(w.b.p);
	world_pull(&w);
	T_EQ(hook_calls, 1);
	T_EQ(w.rb->nann, 100);
	T_STREQ(path_of(rx_get(w.rb, "10.9.42.0/24")),
	    "65000 65000 65000 65001");
	world_free(&w);
}

static size_t
pull_all(struct rib_peer *p)
{
	struct wbuf w;
	size_t n, total = 0;

	wbuf_init(&w, 65536, 1 << 20);
	while ((n = rib_peer_pull(p, &w, 65536)) > 0) {
		total += n;
		wbuf_reset(&w);
	}
	wbuf_free(&w);
	return total;
}

/* A member that does not read holds the others back, within a bound. */
static void
test_slow_member(void)
{
	struct world w;
	struct tpeer c;
	struct tattrs x;
	struct rib_peer_stats st;
	struct prefix p;
	uint32_t path[2] = { 65001, 0 };
	int i, wk;

	world_init(&w);
	/* c shares b's update group (same settings) and will lag */
	tp_new(&c, w.c, 65000, 65003, "10.0.3.2", 9, "10.0.3.1", NULL);
	world_pull(&w);
	pull_all(c.p);
	/* 100000 prefixes, each with its own AS path: one UPDATE each */
	for (i = 0; i < 100000; i++) {
		path[1] = 100000 + (uint32_t)i;
		ta_init(&x, path, 2, "10.0.0.2");
		prefix_make(&p, AF_INET, (uint8_t[]){ 100, (uint8_t)(i >> 16),
		    (uint8_t)(i >> 8), (uint8_t)i }, 32);
		rib_peer_apply(w.a.p, BGP_FAM_V4U, &x.a, &p, 1, NULL, 0);
	}
	/* b reads alone */
	pull_all(w.b.p);
	rib_peer_stats(w.b.p, &st);
	T_CHECK(st.updates_out > 1000 && st.updates_out < 100000);
	T_CHECK(!rib_peer_pending(w.b.p));	/* stalled, not spinning */
	/* c catches up: b is woken and gets the rest */
	wk = w.b.wakeups;
	while (rib_peer_pending(c.p) || rib_peer_pending(w.b.p)) {
		pull_all(c.p);
		pull_all(w.b.p);
	}
	T_CHECK(w.b.wakeups > wk);
	rib_peer_stats(w.b.p, &st);
	T_EQ(st.updates_out, 100000);
	T_EQ(st.pfx_sent[BGP_FAM_V4U], 100000);
	rib_peer_stats(c.p, &st);
	T_EQ(st.updates_out, 100000);
	world_free(&w);
}

static void
test_flush_slices(void)
{
	struct ev_loop *l = ev_loop_new();
	struct rib *r = rib_new(l);
	struct rib_ctx *c = rib_ctx_get(r, "t");
	struct tpeer a, b;
	struct rx *rb = calloc(1, sizeof(*rb));
	struct rib_ctx_stats cs;
	struct tattrs x;
	struct prefix *p = calloc(70000, sizeof(*p));
	uint32_t p1[] = { 65001 };
	int turns = 0;
	size_t i;

	tp_new(&a, c, 65000, 65001, "10.0.0.2", 1, "10.0.0.1", NULL);
	tp_new(&b, c, 65000, 65002, "10.0.1.2", 2, "10.0.1.1", NULL);
	for (i = 0; i < 70000; i++)
		prefix_make(&p[i], AF_INET, (uint8_t[]){ 10, (uint8_t)(i >> 16),
		    (uint8_t)(i >> 8), (uint8_t)i }, 32);
	ta_init(&x, p1, 1, "10.0.0.2");
	rib_peer_apply(a.p, BGP_FAM_V4U, &x.a, p, 70000, NULL, 0);
	rx_pull(rb, b.p, 1 << 20);
	T_EQ(rb->n, RX_MAX);	/* the test receiver keeps at most RX_MAX */
	rib_peer_down(a.p);
	T_CHECK(rib_busy(r));
	rib_ctx_stats(c, &cs);
	T_EQ(cs.paths, 70000);	/* nothing removed synchronously */
	while (rib_busy(r) && turns < 100) {
		ev_run_once(l, 0);
		turns++;
	}
	T_CHECK(turns >= 3);	/* 70000 dests in 32768-dest slices */
	rib_ctx_stats(c, &cs);
	T_EQ(cs.paths, 0);
	T_EQ(cs.prefixes[BGP_FAM_V4U], 0);
	rb->nwd = 0;
	rx_pull(rb, b.p, 1 << 20);
	T_EQ(rb->nwd, 70000);
	T_EQ(rb->n, 0);
	/* the peer can come back while a flush runs */
	{
		struct rib_peer_session s;

		rib_peer_apply(b.p, BGP_FAM_V4U, &x.a, p, 10, NULL, 0);
		rib_peer_down(b.p);
		tp_sess(&s, 2, "10.0.1.1", NULL);
		rib_peer_up(b.p, &s);
		rib_peer_apply(b.p, BGP_FAM_V4U, &x.a, p, 5, NULL, 0);
		while (rib_busy(r))
			ev_run_once(l, 0);
		rib_ctx_stats(c, &cs);
		T_EQ(cs.paths, 5);
	}
	free(p);
	free(rb);
	rib_peer_remove(a.p);
	rib_free(r);
	ev_loop_free(l);
}

int
main(void)
{
	T_RUN(test_eor_initial);
	T_RUN(test_ebgp_export);
	T_RUN(test_ibgp_export);
	T_RUN(test_no_send_back);
	T_RUN(test_no_export);
	T_RUN(test_withdraw_propagation);
	T_RUN(test_packing_budget);
	T_RUN(test_refresh);
	T_RUN(test_ipv6);
	T_RUN(test_late_joiner);
	T_RUN(test_fanout_shared);
	T_RUN(test_export_hook);
	T_RUN(test_export_by_attrs);
	T_RUN(test_slow_member);
	T_RUN(test_flush_slices);
	return t_done();
}
