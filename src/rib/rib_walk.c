/*
 * Reading the RIB for output: Loc-RIB, Adj-RIB-In (pre-policy, with the
 * filter reason of refused paths) and Adj-RIB-Out (what the peer's update
 * group committed, with the next hop as this peer sees it). Prefixes come
 * in address order, the best path first.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "lib/mtime.h"
#include "rib/rib_priv.h"

struct walk {
	struct rib_ctx		*c;
	const struct rib_query	*q;
	int			(*cb)(const struct rib_route_view *, void *);
	void			*arg;
	size_t			 n;
	bool			 stop;
};

static void
view_attrs(struct rib_route_view *v, const struct rib_tab *t,
    const struct bgp_pattrs *a)
{
	if (t->fam == BGP_FAM_V4U && BGP_ATTR_HAS(a, BGP_ATTR_NEXT_HOP)) {
		v->nexthop.af = AF_INET;
		memcpy(v->nexthop.b, &a->nexthop, 4);
	} else if (a->mp_nexthop.af != 0)
		v->nexthop = a->mp_nexthop;
	v->origin = a->origin;
	v->aspath = a->aspath;
	v->aspath_len = a->aspath_len;
	v->has_med = BGP_ATTR_HAS(a, BGP_ATTR_MED);
	v->med = a->med;
	v->has_local_pref = BGP_ATTR_HAS(a, BGP_ATTR_LOCAL_PREF);
	v->local_pref = a->local_pref;
	v->comm = a->comm;
	v->comm_len = a->comm_len;
	v->ext = a->ext;
	v->ext_len = a->ext_len;
	v->large = a->large;
	v->large_len = a->large_len;
	v->attrs = a;
}

static void
view_src(struct rib_route_view *v, const struct rib *r,
    const struct rib_src *s, uint32_t time)
{
	uint64_t now = r->loop != NULL ? ev_now(r->loop) : mono_us();
	uint64_t at = r->epoch_us + (uint64_t)time * USEC_PER_SEC;

	v->local = s->kind == RIB_SK_LOCAL;
	v->ebgp = s->kind == RIB_SK_EBGP;
	v->from = s->addr;
	v->from_as = s->remote_as;
	v->from_id = v->local ? r->router_id : s->remote_id;
	v->age_us = now > at ? now - at : 0;
}

static void
emit(struct walk *wk, struct rib_route_view *v)
{
	wk->n++;
	if (wk->cb(v, wk->arg) != 0)
		wk->stop = true;
}

static void
walk_loc(struct walk *wk, struct rib_tab *t, uint32_t di)
{
	struct rib *r = wk->c->rib;
	const struct rib_dest *d = rib_dest_at(t, di);
	const struct rib_path *p;
	const struct rib_src *s;
	struct rib_route_view v;
	struct bgp_pattrs a;
	uint32_t pi;

	for (pi = d->paths; pi != 0 && !wk->stop; pi = p->next) {
		p = rib_path_at(wk->c, pi);
		s = rib_src_get(r, p->src);
		if (p->out == 0 || s->dead)
			continue;
		memset(&v, 0, sizeof(v));
		rib_dest_prefix(t, d, &v.prefix);
		v.best = (p->flags & RIB_PF_BEST) != 0;
		v.ecmp = (p->flags & (RIB_PF_BEST | RIB_PF_ECMP)) != 0;
		rib_attrs_pattrs(rib_attrs_get(r, p->out), &a);
		view_attrs(&v, t, &a);
		view_src(&v, r, s, p->time);
		emit(wk, &v);
	}
}

static void
walk_in(struct walk *wk, struct rib_tab *t, uint32_t di)
{
	struct rib *r = wk->c->rib;
	const struct rib_dest *d = rib_dest_at(t, di);
	const struct rib_path *p;
	const struct rib_src *s;
	struct rib_route_view v;
	struct bgp_pattrs a;
	uint32_t pi;

	for (pi = d->paths; pi != 0 && !wk->stop; pi = p->next) {
		p = rib_path_at(wk->c, pi);
		s = rib_src_get(r, p->src);
		if (s->kind == RIB_SK_LOCAL || s->dead)
			continue;
		if (wk->q->peer != NULL && (wk->q->peer->src == NULL ||
		    wk->q->peer->src->id != p->src))
			continue;
		if (wk->q->filtered_only && p->out != 0)
			continue;
		memset(&v, 0, sizeof(v));
		rib_dest_prefix(t, d, &v.prefix);
		v.best = (p->flags & RIB_PF_BEST) != 0;
		v.ecmp = (p->flags & (RIB_PF_BEST | RIB_PF_ECMP)) != 0;
		v.filtered = p->out == 0;
		v.reason = rib_reason_str(r, p->reason);
		rib_attrs_pattrs(rib_attrs_get(r, p->in), &a);
		view_attrs(&v, t, &a);
		view_src(&v, r, s, p->time);
		emit(wk, &v);
	}
}

static void
walk_out(struct walk *wk, struct rib_tab *t, uint32_t di)
{
	struct rib_peer *m = wk->q->peer;
	struct rib_group *g = m->group;
	const struct rib_dest *d = rib_dest_at(t, di);
	struct rib_route_view v;
	struct bgp_pattrs a;
	struct addr self;
	uint32_t key = rib_sent_get(g, t->fam, di);

	if (key == 0 || rib_excl_get(g, t->fam, di) == m->src->id)
		return;
	memset(&v, 0, sizeof(v));
	rib_dest_prefix(t, d, &v.prefix);
	v.best = true;
	if (rib_export_view(g, t->fam, key, &a) &&
	    rib_peer_nh_self(m, t->fam, &self)) {
		if (t->fam == BGP_FAM_V4U)
			memcpy(&a.nexthop, self.b, 4);
		else
			a.mp_nexthop = self;
	}
	view_attrs(&v, t, &a);
	v.local = ((key >> RIB_OK_KIND_SHIFT) & 3) == RIB_SK_LOCAL &&
	    !(key & RIB_OK_FINAL);
	emit(wk, &v);
}

static void
walk_dest(struct walk *wk, struct rib_tab *t, uint32_t di)
{
	switch (wk->q->table) {
	case RIB_LOC:
		walk_loc(wk, t, di);
		break;
	case RIB_ADJ_IN:
		walk_in(wk, t, di);
		break;
	case RIB_ADJ_OUT:
		walk_out(wk, t, di);
		break;
	}
}

static int
count_only(const struct rib_route_view *v, void *arg)
{
	return 0;
}

/* Would the query show anything for this dest? (for longest match) */
static bool
dest_matches(struct walk *wk, struct rib_tab *t, uint32_t di)
{
	int (*cb)(const struct rib_route_view *, void *) = wk->cb;
	size_t before = wk->n;
	bool any;

	wk->cb = count_only;
	walk_dest(wk, t, di);
	any = wk->n != before;
	wk->cb = cb;
	wk->n = before;
	wk->stop = false;
	return any;
}

/* The dest a prefix query selects: exact, or the longest match. */
static uint32_t
find_dest(struct walk *wk, struct rib_tab *t)
{
	const struct prefix *q = &wk->q->prefix;
	struct prefix p;
	uint32_t di;
	int len;

	if (q->af != t->af)
		return 0;
	if (!wk->q->lpm)
		return rib_table_find(t, q);
	for (len = q->len; len >= 0; len--) {
		prefix_make(&p, t->af, q->b, (uint8_t)len);
		if ((di = rib_table_find(t, &p)) != 0 &&
		    dest_matches(wk, t, di))
			return di;
	}
	return 0;
}

size_t
rib_walk(struct rib_ctx *c, const struct rib_query *q,
    int (*cb)(const struct rib_route_view *, void *), void *arg)
{
	return rib_walk_page(c, q, cb, arg, NULL);
}

size_t
rib_walk_page(struct rib_ctx *c, const struct rib_query *q,
    int (*cb)(const struct rib_route_view *, void *), void *arg,
    struct rib_page *pg)
{
	struct walk wk = { c, q, cb, arg, 0, false };
	struct rib_tab *t;
	uint32_t *v, di;
	size_t n, i, dests = 0;
	unsigned f;

	if (pg != NULL)
		memset(pg, 0, sizeof(*pg));
	if ((q->table == RIB_ADJ_OUT && (q->peer == NULL ||
	    q->peer->group == NULL)) || (q->peer != NULL && q->peer->ctx != c))
		return 0;
	for (f = 0; f < BGP_FAM_MAX && !wk.stop; f++) {
		t = &c->tab[f];
		if (q->af != 0 && q->af != t->af)
			continue;
		if (q->has_prefix) {
			if ((di = find_dest(&wk, t)) != 0)
				walk_dest(&wk, t, di);
			continue;
		}
		if (q->has_after && q->after.af != t->af &&
		    (q->after.af == AF_INET6 || t->af == AF_INET))
			continue;		/* this family is before 'after' */
		v = rib_table_page(t, q->has_after && q->after.af == t->af ?
		    &q->after : NULL, q->max_dests ? q->max_dests - dests : 0,
		    &n);
		if (v == NULL)
			continue;
		for (i = 0; i < n && !wk.stop; i++) {
			walk_dest(&wk, t, v[i]);
			if (pg != NULL) {
				pg->dests++;
				rib_dest_prefix(t, rib_dest_at(t, v[i]),
				    &pg->last);
			}
		}
		dests += n;
		free(v);
		if (q->max_dests != 0 && dests >= q->max_dests) {
			if (pg != NULL)
				pg->full = !wk.stop;
			break;
		}
	}
	return wk.n;
}
