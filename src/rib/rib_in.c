/*
 * The receiving side: UPDATEs into Adj-RIB-In and Loc-RIB, and locally
 * originated routes.
 *
 * Adj-RIB-In is kept pre-policy for every path (RFC 4271 3.2), including
 * the ones import refuses: such a path stays, marked filtered with the
 * reason, so "show filtered" can explain it and a policy change can be
 * re-applied without a route refresh. Standard checks done here:
 *   - a path holding our own AS is a loop (RFC 4271 9.1.2);
 *   - an eBGP path whose first AS is not the peer's AS (RFC 4271 6.3) is
 *     filtered, not answered with a NOTIFICATION;
 *   - LOCAL_PREF from an eBGP peer is ignored (RFC 4271 5.1.5);
 *   - RFC 7606 treat-as-withdraw and attribute-discard outcomes of the
 *     decoder are applied and counted.
 * A new path beyond max_prefix calls ops->max_prefix once per session.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "lib/log.h"
#include "rib/rib_priv.h"

#define REASON_LOOP	"AS loop"
#define REASON_FIRST	"first AS is not the neighbour AS"
#define REASON_POLICY	"import policy"

static uint32_t
path_find(const struct rib_ctx *c, const struct rib_dest *d, uint16_t src,
    uint32_t *prev)
{
	const struct rib_path *p;
	uint32_t pi;

	*prev = 0;
	for (pi = d->paths; pi != 0; pi = p->next) {
		p = rib_path_at(c, pi);
		if (p->src == src)
			return pi;
		*prev = pi;
	}
	return 0;
}

void
rib_src_count(struct rib_src *s, enum bgp_fam fam, uint32_t out,
    uint8_t reason, int d)
{
	struct rib_peer_stats *st;

	if (s->peer == NULL)
		return;
	st = &s->peer->st;
	st->pfx_rcvd[fam] += (uint32_t)d;
	if (out != 0)
		st->pfx_accepted[fam] += (uint32_t)d;
	else {
		st->pfx_filtered[fam] += (uint32_t)d;
		s->peer->filt_reason[reason] += (uint32_t)d;
	}
}

/*
 * Add or replace (implicit withdraw) the path of 'src' for p. The path
 * takes its own references on 'in' and 'out'. Returns 1 for a new path,
 * 0 for a replacement or a repeat, -1 on ENOMEM.
 */
int
rib_path_set(struct rib_ctx *c, struct rib_tab *t, const struct prefix *pfx,
    struct rib_src *s, uint32_t in, uint32_t out, uint8_t reason)
{
	return rib_path_set_h(c, t, pfx, rib_table_hash(t, pfx), s, in, out,
	    reason);
}

int
rib_path_set_h(struct rib_ctx *c, struct rib_tab *t, const struct prefix *pfx,
    uint64_t h, struct rib_src *s, uint32_t in, uint32_t out, uint8_t reason)
{
	struct rib_dstate st;
	struct rib_dest *d;
	struct rib_path *p;
	uint32_t di, pi, prev;
	int rc = 0;

	if ((di = rib_table_get_h(t, pfx, h)) == 0)
		return -1;
	d = rib_dest_at(t, di);
	if ((pi = path_find(c, d, s->id, &prev)) != 0) {
		p = rib_path_at(c, pi);
		if (p->in == in && p->out == out && p->reason == reason)
			return 0;
		rib_decide_begin(c, t, di, &st);
		rib_src_count(s, t->fam, p->out, p->reason, -1);
		rib_attrs_ref(c->rib, in);
		rib_attrs_ref(c->rib, out);
		rib_attrs_unref(c->rib, p->in);
		rib_attrs_unref(c->rib, p->out);
	} else {
		rib_decide_begin(c, t, di, &st);
		if ((pi = rib_slab_alloc(&c->paths)) == 0) {
			if (d->paths == 0 && d->refs == 0)
				rib_table_release(t, di);
			return -1;
		}
		d = rib_dest_at(t, di);
		p = rib_path_at(c, pi);
		p->src = s->id;
		p->next = d->paths;
		d->paths = pi;
		rib_attrs_ref(c->rib, in);
		rib_attrs_ref(c->rib, out);
		rc = 1;
	}
	p->in = in;
	p->out = out;
	p->reason = out != 0 ? 0 : reason;
	p->time = rib_now_sec(c->rib);
	rib_src_count(s, t->fam, out, p->reason, 1);
	rib_decide(c, t, di, &st);
	return rc;
}

/* Remove the path of src from dest di (which holds it). */
void
rib_path_unlink_src(struct rib_ctx *c, struct rib_tab *t, uint32_t di,
    uint16_t src)
{
	struct rib_dstate st;
	struct rib_dest *d = rib_dest_at(t, di);
	struct rib_path *p;
	uint32_t pi, prev;

	if ((pi = path_find(c, d, src, &prev)) == 0)
		return;
	rib_decide_begin(c, t, di, &st);
	p = rib_path_at(c, pi);
	if (prev != 0)
		rib_path_at(c, prev)->next = p->next;
	else
		d->paths = p->next;
	rib_src_count(rib_src_get(c->rib, src), t->fam, p->out, p->reason,
	    -1);
	rib_attrs_unref(c->rib, p->in);
	rib_attrs_unref(c->rib, p->out);
	rib_slab_put(&c->paths, pi);
	rib_decide(c, t, di, &st);
	d = rib_dest_at(t, di);
	if (d->paths == 0 && d->refs == 0)
		rib_table_release(t, di);
}

bool
rib_path_del(struct rib_ctx *c, struct rib_tab *t, const struct prefix *pfx,
    struct rib_src *s)
{
	uint32_t di, prev;

	if ((di = rib_table_find(t, pfx)) == 0 ||
	    path_find(c, rib_dest_at(t, di), s->id, &prev) == 0)
		return false;
	rib_path_unlink_src(c, t, di, s->id);
	return true;
}

/* --- UPDATE processing ----------------------------------------------------- */

static bool
fam_ok(const struct rib_peer *p, enum bgp_fam fam)
{
	return fam < BGP_FAM_MAX && (p->sess.fams & BGP_FAM_BIT(fam));
}

#define AHEAD	16

static void
in_withdraw(struct rib_peer *p, enum bgp_fam fam, struct rbuf nlri)
{
	struct rib_ctx *c = p->ctx;
	struct prefix pfx[AHEAD];
	uint64_t h[AHEAD];
	struct rib_tab *t;
	uint32_t di, prev;
	size_t n, k;

	if (!fam_ok(p, fam))
		return;
	t = &c->tab[fam];
	do {
		for (n = 0; n < AHEAD && bgp_nlri_next(&nlri, fam, &pfx[n]) == 1;
		    n++) {
			h[n] = rib_table_hash(t, &pfx[n]);
			rib_table_prefetch(t, h[n]);
		}
		for (k = 0; k < n; k++) {
			p->st.withdraws_in++;
			if ((di = rib_table_find_h(t, &pfx[k], h[k])) != 0 &&
			    path_find(c, rib_dest_at(t, di), p->src->id,
			    &prev) != 0)
				rib_path_unlink_src(c, t, di, p->src->id);
		}
	} while (n == AHEAD);
}

static bool
pattrs_eq(const struct bgp_pattrs *a, const struct bgp_pattrs *b)
{
#define F(f)	(a->f == b->f)
	return F(present) && F(origin) && F(aspath) && F(aspath_len) &&
	    F(nexthop) && F(med) && F(local_pref) && F(aggr_as) &&
	    F(aggr_id) && F(comm) && F(comm_len) && F(ext) && F(ext_len) &&
	    F(large) && F(large_len) && F(originator_id) && F(cluster) &&
	    F(cluster_len) && F(unknown) && F(unknown_len) &&
	    addr_cmp(&a->mp_nexthop, &b->mp_nexthop) == 0 &&
	    addr_cmp(&a->mp_nexthop_ll, &b->mp_nexthop_ll) == 0;
#undef F
}

/*
 * Run the import hook for one prefix. Returns the attribute id to store
 * (a new reference the caller drops after storing, in *extra) or 0 with
 * *reason set.
 */
static uint32_t
in_policy(struct rib_peer *p, const struct prefix *pfx, uint32_t post,
    uint8_t *reason, uint32_t *extra)
{
	struct rib *r = p->ctx->rib;
	struct rib_attr_edit *e = r->edit;
	struct bgp_pattrs view;
	struct rib_attrs *na;
	const char *why = NULL;
	uint8_t flags;

	*extra = 0;
	rib_attrs_pattrs(rib_attrs_get(r, post), &view);
	e->a = view;
	e->used = 0;
	if (p->conf.policy.import(p->conf.policy.arg, p, pfx, e, &why) !=
	    RIB_ACCEPT) {
		*reason = rib_reason_idx(r, why ? why : REASON_POLICY);
		return 0;
	}
	if (pattrs_eq(&e->a, &view))
		return post;
	flags = rib_attrs_get(r, post)->k.flags;
	/* consecutive prefixes usually get the same rewrite */
	if (r->imemo_post == post && rib_attrs_match(rib_attrs_get(r,
	    r->imemo_res), &e->a, flags)) {
		rib_attrs_ref(r, r->imemo_res);
		*extra = r->imemo_res;
		return r->imemo_res;
	}
	if ((na = rib_attrs_intern(r, &e->a, flags)) == NULL) {
		*reason = rib_reason_idx(r, "out of memory");
		return 0;
	}
	rib_attrs_unref(r, r->imemo_post);
	rib_attrs_unref(r, r->imemo_res);
	r->imemo_post = post;
	r->imemo_res = na->id;
	rib_attrs_ref(r, post);
	rib_attrs_ref(r, na->id);
	*extra = na->id;
	return na->id;
}

static void
maxpfx_check(struct rib_peer *p, enum bgp_fam fam)
{
	uint32_t lim = p->conf.max_prefix[fam];

	if (lim != 0 && p->st.pfx_rcvd[fam] > lim && !p->maxpfx_fired[fam]) {
		p->maxpfx_fired[fam] = true;
		p->maxpfx_pending |= (uint8_t)BGP_FAM_BIT(fam);
	}
}

/* Standard receive checks on the whole attribute set: reason or 0. */
static uint8_t
in_check(struct rib_peer *p, const struct rib_attrs *a)
{
	const uint8_t *path = a->k.aspath ? a->k.aspath->data : NULL;
	size_t len = a->k.aspath ? a->k.aspath->len : 0;
	struct rib *r = p->ctx->rib;

	if (bgp_aspath_contains(path, len, p->conf.local_as))
		return rib_reason_idx(r, REASON_LOOP);
	if (p->src->kind == RIB_SK_EBGP && a->first_as != p->conf.remote_as)
		return rib_reason_idx(r, REASON_FIRST);
	return 0;
}

/* One attribute set being applied to the prefixes of an UPDATE. */
struct in_set {
	struct rib_attrs	*in;	/* as received */
	struct rib_attrs	*post;	/* after the standard import rules */
	uint8_t			 reason;
};

static int
in_set_begin(struct rib_peer *p, enum bgp_fam fam,
    const struct bgp_pattrs *pa, struct in_set *s)
{
	struct rib *r = p->ctx->rib;
	struct bgp_pattrs a = *pa;

	/* one canonical set per family: only that family's next hop */
	if (fam == BGP_FAM_V4U) {
		memset(&a.mp_nexthop, 0, sizeof(a.mp_nexthop));
		memset(&a.mp_nexthop_ll, 0, sizeof(a.mp_nexthop_ll));
	} else {
		a.present &= ~(1ull << BGP_ATTR_NEXT_HOP);
		a.nexthop = 0;
	}
	if ((s->in = rib_attrs_intern(r, &a, 0)) == NULL)
		return -1;
	s->reason = in_check(p, s->in);
	if (p->src->kind == RIB_SK_EBGP && BGP_ATTR_HAS(&a,
	    BGP_ATTR_LOCAL_PREF)) {
		a.present &= ~(1ull << BGP_ATTR_LOCAL_PREF);
		a.local_pref = 0;
		if ((s->post = rib_attrs_intern(r, &a, 0)) == NULL) {
			rib_attrs_unref(r, s->in->id);
			return -1;
		}
	} else {
		s->post = s->in;
		rib_attrs_ref(r, s->post->id);
	}
	return 0;
}

static void
in_set_one_h(struct rib_peer *p, enum bgp_fam fam, const struct in_set *s,
    const struct prefix *pfx, uint64_t h)
{
	struct rib_ctx *c = p->ctx;
	uint32_t out, extra = 0;
	uint8_t why = s->reason;

	p->st.updates_in++;
	if (s->reason != 0)
		out = 0;
	else if (p->conf.policy.import != NULL)
		out = in_policy(p, pfx, s->post->id, &why, &extra);
	else
		out = s->post->id;
	if (rib_path_set_h(c, &c->tab[fam], pfx, h, p->src, s->in->id, out,
	    why) == 1)
		maxpfx_check(p, fam);
	rib_attrs_unref(c->rib, extra);
}

static void
in_set_one(struct rib_peer *p, enum bgp_fam fam, const struct in_set *s,
    const struct prefix *pfx)
{
	in_set_one_h(p, fam, s, pfx, rib_table_hash(&p->ctx->tab[fam], pfx));
}

static void
in_set_end(struct rib_peer *p, struct in_set *s)
{
	rib_attrs_unref(p->ctx->rib, s->post->id);
	rib_attrs_unref(p->ctx->rib, s->in->id);
}

static void
in_announce(struct rib_peer *p, enum bgp_fam fam, struct rbuf nlri,
    const struct bgp_pattrs *pa)
{
	struct rib_tab *t;
	struct prefix pfx[AHEAD];
	uint64_t h[AHEAD];
	struct in_set s;
	size_t n, k;

	if (!fam_ok(p, fam) || rbuf_left(&nlri) == 0 ||
	    in_set_begin(p, fam, pa, &s) == -1)
		return;
	t = &p->ctx->tab[fam];
	/* decode a few prefixes ahead so their index lookups overlap */
	do {
		for (n = 0; n < AHEAD && bgp_nlri_next(&nlri, fam, &pfx[n]) == 1;
		    n++) {
			h[n] = rib_table_hash(t, &pfx[n]);
			rib_table_prefetch(t, h[n]);
		}
		for (k = 0; k < n; k++)
			in_set_one_h(p, fam, &s, &pfx[k], h[k]);
	} while (n == AHEAD);
	in_set_end(p, &s);
}

/*
 * RFC 7606 2, treat-as-withdraw: the routes leave Loc-RIB like a
 * withdrawal, but Adj-RIB-In keeps them filtered with the decoder's
 * reason (sticky: a policy change does not revive them), so "show route
 * --filtered" explains why a route the peer sent is not used.
 */
static void
in_keep_withdrawn(struct rib_peer *p, enum bgp_fam fam, struct rbuf nlri,
    const struct bgp_pattrs *pa, uint8_t why)
{
	struct prefix pfx;
	struct in_set s;

	if (!fam_ok(p, fam) || rbuf_left(&nlri) == 0)
		return;
	if (in_set_begin(p, fam, pa, &s) == -1) {
		in_withdraw(p, fam, nlri);
		return;
	}
	s.reason = why;
	while (bgp_nlri_next(&nlri, fam, &pfx) == 1)
		in_set_one(p, fam, &s, &pfx);
	in_set_end(p, &s);
}

static void
in_apply(struct rib_peer *p, const struct bgp_update *u)
{
	char why[160];
	uint8_t idx;

	in_withdraw(p, BGP_FAM_V4U, u->withdrawn);
	if (rbuf_left(&u->mp_unreach) > 0)
		in_withdraw(p, u->mp_unreach_fam, u->mp_unreach);
	if (u->action == BGP_7606_WITHDRAW) {
		p->st.treat_as_withdraw++;
		snprintf(why, sizeof(why), "RFC 7606 treat-as-withdraw: %s",
		    u->reason);
		idx = rib_reason_copy(p->ctx->rib, why);
		in_keep_withdrawn(p, BGP_FAM_V4U, u->nlri, &u->attrs, idx);
		if (rbuf_left(&u->mp_reach) > 0)
			in_keep_withdrawn(p, u->mp_reach_fam, u->mp_reach,
			    &u->attrs, idx);
		return;
	}
	if (u->action == BGP_7606_ATTR_DISCARD)
		p->st.attr_discard++;
	in_announce(p, BGP_FAM_V4U, u->nlri, &u->attrs);
	if (rbuf_left(&u->mp_reach) > 0)
		in_announce(p, u->mp_reach_fam, u->mp_reach, &u->attrs);
}

/* Report max-prefix once; the callback may tear the peer down. */
void
rib_peer_maxpfx_report(struct rib_peer *p)
{
	void (*cb)(void *, enum bgp_fam, uint32_t) = p->ops.max_prefix;
	void *owner = p->owner;
	unsigned f;

	for (f = 0; f < BGP_FAM_MAX; f++) {
		if (!(p->maxpfx_pending & BGP_FAM_BIT(f)))
			continue;
		p->maxpfx_pending = 0;
		if (cb != NULL)
			cb(owner, (enum bgp_fam)f, p->conf.max_prefix[f]);
		return;
	}
}

int
rib_peer_update(struct rib_peer *p, const uint8_t *body, size_t len,
    struct bgp_err *err)
{
	struct rib *r = p->ctx->rib;
	struct bgp_decode_ctx dc;
	struct bgp_update u;

	if (!p->up)
		return 0;
	memset(&dc, 0, sizeof(dc));
	dc.as4 = p->sess.as4;
	dc.ebgp = p->src->kind == RIB_SK_EBGP;
	dc.fams = p->sess.fams;
	dc.scratch = r->scratch;
	dc.scratch_len = r->scratch_len;
	if (bgp_update_decode(body, len, &dc, &u, err) == -1)
		return -1;
	if (u.eor)
		return 0;
	rib_enter(r);
	in_apply(p, &u);
	rib_leave(r);
	if (p->maxpfx_pending)
		rib_peer_maxpfx_report(p);
	return 0;
}

int
rib_peer_apply(struct rib_peer *p, enum bgp_fam fam,
    const struct bgp_pattrs *a, const struct prefix *ann, size_t nann,
    const struct prefix *wd, size_t nwd)
{
	struct rib_ctx *c = p->ctx;
	struct in_set s;
	size_t i;
	int rc = 0;

	if (!p->up || !fam_ok(p, fam))
		return -1;
	rib_enter(c->rib);
	for (i = 0; i < nwd; i++) {
		p->st.withdraws_in++;
		rib_path_del(c, &c->tab[fam], &wd[i], p->src);
	}
	if (nann > 0 && a != NULL) {
		if (in_set_begin(p, fam, a, &s) == 0) {
			for (i = 0; i < nann; i++)
				in_set_one(p, fam, &s, &ann[i]);
			in_set_end(p, &s);
		} else
			rc = -1;
	}
	rib_leave(c->rib);
	if (p->maxpfx_pending)
		rib_peer_maxpfx_report(p);
	return rc;
}

/* --- local routes ---------------------------------------------------------- */

int
rib_originate(struct rib_ctx *c, const struct prefix *pfx,
    const struct rib_orig *o)
{
	struct rib *r = c->rib;
	struct bgp_pattrs a;
	struct rib_attrs *in;
	enum bgp_fam fam;
	uint8_t *comm = NULL, flags = 0;
	size_t i;
	int rc;

	if (rib_fam_of_af(pfx->af, &fam) == -1 ||
	    pfx->len > addr_bytes(pfx->af) * 8 || o->origin > 2 ||
	    o->ncommunities > 4096)
		return -1;
	memset(&a, 0, sizeof(a));
	a.present = 1ull << BGP_ATTR_ORIGIN | 1ull << BGP_ATTR_AS_PATH;
	a.origin = o->origin;
	if (o->has_med) {
		a.present |= 1ull << BGP_ATTR_MED;
		a.med = o->med;
	}
	if (o->nexthop.af == 0)
		flags = RIB_AF_NH_SELF;
	else if (o->nexthop.af != pfx->af)
		return -1;
	else if (fam == BGP_FAM_V4U) {
		a.present |= 1ull << BGP_ATTR_NEXT_HOP;
		memcpy(&a.nexthop, o->nexthop.b, 4);
	} else
		a.mp_nexthop = o->nexthop;
	if (o->ncommunities > 0) {
		if ((comm = malloc(o->ncommunities * 4)) == NULL)
			return -1;
		for (i = 0; i < o->ncommunities; i++) {
			comm[4 * i] = (uint8_t)(o->communities[i] >> 24);
			comm[4 * i + 1] = (uint8_t)(o->communities[i] >> 16);
			comm[4 * i + 2] = (uint8_t)(o->communities[i] >> 8);
			comm[4 * i + 3] = (uint8_t)o->communities[i];
		}
		a.present |= 1ull << BGP_ATTR_COMMUNITIES;
		a.comm = comm;
		a.comm_len = (uint16_t)(o->ncommunities * 4);
	}
	in = rib_attrs_intern(r, &a, flags);
	free(comm);
	if (in == NULL)
		return -1;
	rib_enter(r);
	rc = rib_path_set(c, &c->tab[fam], pfx, c->local, in->id, in->id, 0);
	rib_attrs_unref(r, in->id);
	rib_leave(r);
	return rc < 0 ? -1 : 0;
}

int
rib_unoriginate(struct rib_ctx *c, const struct prefix *pfx)
{
	enum bgp_fam fam;
	bool found;

	if (rib_fam_of_af(pfx->af, &fam) == -1)
		return -1;
	rib_enter(c->rib);
	found = rib_path_del(c, &c->tab[fam], pfx, c->local);
	rib_leave(c->rib);
	return found ? 0 : -1;
}

/*
 * The import policy changed: re-run it over this session's Adj-RIB-In,
 * which holds every path as received (no route refresh needed).
 */
void
rib_in_reimport(struct rib_peer *p)
{
	struct rib_ctx *c = p->ctx;
	struct rib_tab *t;
	struct bgp_pattrs pa;
	struct in_set s;
	struct prefix pfx;
	uint32_t i, pi, prev;
	unsigned f;

	for (f = 0; f < BGP_FAM_MAX; f++) {
		t = &c->tab[f];
		for (i = 1; i < t->dests.hwm; i++) {
			if (rib_dest_at(t, i)->flags & RIB_DF_FREE)
				continue;
			pi = path_find(c, rib_dest_at(t, i), p->src->id, &prev);
			if (pi == 0 || rib_reason_sticky(c->rib,
			    rib_path_at(c, pi)->reason))
				continue;
			rib_attrs_pattrs(rib_attrs_get(c->rib,
			    rib_path_at(c, pi)->in), &pa);
			if (in_set_begin(p, f, &pa, &s) == -1)
				continue;
			rib_dest_prefix(t, rib_dest_at(t, i), &pfx);
			in_set_one(p, f, &s, &pfx);
			p->st.updates_in--;
			in_set_end(p, &s);
		}
	}
}

void
rib_peer_reimport(struct rib_peer *p)
{
	if (!p->up)
		return;
	rib_enter(p->ctx->rib);
	rib_in_reimport(p);
	rib_leave(p->ctx->rib);
	if (p->maxpfx_pending)
		rib_peer_maxpfx_report(p);
}
