/*
 * Export: what an update group sends for a prefix, and the encoded
 * attributes for it.
 *
 * Standard rules applied before the export hook:
 *   - never re-advertise an iBGP-learned route to iBGP (RFC 4271 9.1.3,
 *     no route reflection);
 *   - NO_ADVERTISE: to nobody; NO_EXPORT and NO_EXPORT_SUBCONFED: not to
 *     eBGP peers (RFC 1997, no confederations here);
 *   - to eBGP: our AS prepended (RFC 4271 5.1.2), NEXT_HOP set to our
 *     session address (5.1.3), LOCAL_PREF removed (5.1.5), a MED learned
 *     from a peer not passed on (5.1.4) while a locally set one is,
 *     ORIGINATOR_ID and CLUSTER_LIST removed (RFC 4456 non-transitive);
 *     communities, extended and large communities and unknown optional
 *     transitive attributes pass;
 *   - to iBGP: next hop kept, LOCAL_PREF set, no prepend.
 * The route's own sender never gets it back: the group records that
 * member as excluded for the prefix (see rib_group.c).
 *
 * The next hop "ourselves" differs per member, so it is encoded as zeros
 * and patched per member when the shared bytes are copied out.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "lib/hash.h"
#include "rib/rib_priv.h"

/* Our next-hop-self address for a family on this member's session. */
bool
rib_peer_nh_self(const struct rib_peer *m, enum bgp_fam fam, struct addr *a)
{
	memset(a, 0, sizeof(*a));
	if (fam == BGP_FAM_V4U) {
		if (m->sess.local_addr.af != AF_INET)
			return false;
		*a = m->sess.local_addr;
		return true;
	}
	if (m->sess.local_addr6.af == AF_INET6)
		*a = m->sess.local_addr6;
	else if (m->sess.local_addr.af == AF_INET6)
		*a = m->sess.local_addr;
	else
		return false;
	return true;
}

/*
 * The standard export of interned set 'a' (learned from a source of
 * 'kind') to group g, as decoder-shaped attributes. Variable parts may
 * point into r->tmp until the next call. Returns whether the next hop is
 * "ourselves" (left as zeros).
 */
static bool
export_build(struct rib_group *g, enum bgp_fam fam, const struct rib_attrs *a,
    unsigned kind, struct bgp_pattrs *pa)
{
	struct rib *r = g->ctx->rib;
	bool self;

	rib_attrs_pattrs(a, pa);
	if (g->key.ebgp) {
		wbuf_reset(&r->tmp);
		bgp_aspath_prepend(&r->tmp, pa->aspath, pa->aspath_len,
		    g->key.local_as, 1);
		pa->aspath = r->tmp.p;
		pa->aspath_len = (uint16_t)r->tmp.len;
		pa->present |= 1ull << BGP_ATTR_AS_PATH;
		pa->present &= ~(1ull << BGP_ATTR_LOCAL_PREF |
		    1ull << BGP_ATTR_ORIGINATOR_ID | 1ull << BGP_ATTR_CLUSTER_LIST);
		pa->local_pref = 0;
		if (kind != RIB_SK_LOCAL) {
			pa->present &= ~(1ull << BGP_ATTR_MED);
			pa->med = 0;
		}
		self = true;
	} else {
		pa->present |= 1ull << BGP_ATTR_LOCAL_PREF;
		pa->local_pref = rib_attrs_lp(a);
		self = (a->k.flags & RIB_AF_NH_SELF) != 0;
	}
	memset(&pa->mp_nexthop_ll, 0, sizeof(pa->mp_nexthop_ll));
	if (fam == BGP_FAM_V4U) {
		pa->present |= 1ull << BGP_ATTR_NEXT_HOP;
		if (self)
			pa->nexthop = 0;
		memset(&pa->mp_nexthop, 0, sizeof(pa->mp_nexthop));
	} else {
		pa->present &= ~(1ull << BGP_ATTR_NEXT_HOP);
		pa->nexthop = 0;
		if (self) {
			memset(&pa->mp_nexthop, 0, sizeof(pa->mp_nexthop));
			pa->mp_nexthop.af = AF_INET6;
		}
	}
	return self;
}

static bool
pattrs_same(const struct bgp_pattrs *a, const struct bgp_pattrs *b)
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
 * Run the export hook with a representative member. Returns the key to
 * commit (standard when the hook changed nothing, else a FINAL set) or 0.
 */
static uint32_t
export_hook(struct rib_group *g, enum bgp_fam fam, const struct prefix *pfx,
    const struct rib_attrs *a, unsigned kind, uint32_t key)
{
	struct rib *r = g->ctx->rib;
	struct rib_peer *rep = g->members;
	struct rib_attr_edit *e = r->edit;
	struct bgp_pattrs base;
	struct rib_attrs *fa;
	struct addr self;
	uint8_t flags = 0;
	bool isself;

	isself = export_build(g, fam, a, kind, &base);
	if (isself && rib_peer_nh_self(rep, fam, &self)) {
		if (fam == BGP_FAM_V4U)
			memcpy(&base.nexthop, self.b, 4);
		else
			base.mp_nexthop = self;
	}
	e->a = base;
	e->used = 0;
	if (g->key.export_fn(g->key.export_arg, rep, pfx, e) != RIB_ACCEPT)
		return 0;
	if (pattrs_same(&e->a, &base))
		return key;
	/* still our address: keep it per member */
	if (isself && ((fam == BGP_FAM_V4U &&
	    memcmp(&e->a.nexthop, self.b, 4) == 0) || (fam != BGP_FAM_V4U &&
	    addr_cmp(&e->a.mp_nexthop, &self) == 0))) {
		flags = RIB_AF_NH_SELF;
		e->a.nexthop = 0;
		if (fam != BGP_FAM_V4U) {
			memset(&e->a.mp_nexthop, 0, sizeof(e->a.mp_nexthop));
			e->a.mp_nexthop.af = AF_INET6;
		}
	}
	if ((fa = rib_attrs_intern(r, &e->a, flags)) == NULL)
		return 0;
	/* the interned reference becomes the caller's */
	return RIB_OK_FINAL | fa->id;
}

/*
 * Size the group's caches to its Adj-RIB-Out: 16 entries for a customer
 * context with a few routes, up to RIB_XCACHE for a full table. Growing
 * empties them.
 */
static int
cache_fit(struct rib_group *g)
{
	uint32_t want = 16, held = g->nsent[0] + g->nsent[1];
	struct rib_xattr *x;
	struct rib_hmemo *h;

	while (want < RIB_XCACHE && held > want * 64)
		want *= 4;
	if (want <= g->ncache)
		return 0;
	x = calloc(want, sizeof(*x));
	h = calloc(want, sizeof(*h));
	if (x == NULL || h == NULL) {
		free(x);
		free(h);
		return g->ncache > 0 ? 0 : -1;
	}
	rib_xcache_clear(g);
	rib_hmemo_clear(g);
	free(g->xcache);
	free(g->hmemo);
	g->xcache = x;
	g->hmemo = h;
	g->ncache = want;
	return 0;
}

static void
hmemo_drop(struct rib *r, struct rib_hmemo *m)
{
	if (m->key == 0)
		return;
	rib_attrs_unref(r, RIB_OK_ID(m->key));
	rib_attrs_unref(r, RIB_OK_ID(m->res));
	memset(m, 0, sizeof(*m));
}

void
rib_hmemo_clear(struct rib_group *g)
{
	unsigned i;

	for (i = 0; i < g->ncache; i++)
		hmemo_drop(g->ctx->rib, &g->hmemo[i]);
}

/*
 * The export hook's key for standard key 'key', with a new reference, or
 * 0 when it refuses. With policy.export_by_attrs the answer is reused for
 * every prefix with the same attributes.
 */
static uint32_t
hook_cached(struct rib_group *g, enum bgp_fam fam, const struct prefix *pfx,
    const struct rib_attrs *a, unsigned kind, uint32_t key)
{
	struct rib *r = g->ctx->rib;
	struct rib_hmemo *m = NULL;
	uint32_t res;

	if (g->key.by_attrs && cache_fit(g) == 0) {
		m = &g->hmemo[hash_u64((uint64_t)key << 1 | fam) &
		    (g->ncache - 1)];
		if (m->key == key && m->fam == fam) {
			rib_attrs_ref(r, RIB_OK_ID(m->res));
			return m->res;
		}
	}
	res = export_hook(g, fam, pfx, a, kind, key);
	if (res == key)
		rib_attrs_ref(r, RIB_OK_ID(key));
	if (m == NULL)
		return res;
	hmemo_drop(r, m);
	m->key = key;
	m->res = res;
	m->fam = (uint8_t)fam;
	rib_attrs_ref(r, RIB_OK_ID(key));
	rib_attrs_ref(r, RIB_OK_ID(res));
	return res;
}

/*
 * What group g sends for dest d now: an Adj-RIB-Out key holding a new
 * reference, or 0. *excl is the member that must not get it (the
 * route's sender), if it belongs to g.
 */
uint32_t
rib_export_eval(struct rib_group *g, enum bgp_fam fam, const struct prefix *pfx,
    const struct rib_dest *d, uint16_t *excl)
{
	struct rib_ctx *c = g->ctx;
	const struct rib_path *p;
	const struct rib_attrs *a;
	const struct rib_src *s;
	uint32_t key;

	*excl = 0;
	if (!(d->flags & RIB_DF_BEST))
		return 0;
	p = rib_path_at(c, d->paths);
	if (!(p->flags & RIB_PF_BEST) || p->out == 0)
		return 0;
	s = rib_src_get(c->rib, p->src);
	a = rib_attrs_get(c->rib, p->out);
	if (s->dead || (!g->key.ebgp && s->kind == RIB_SK_IBGP))
		return 0;
	if ((a->wk & RIB_WK_NO_ADVERTISE) || (g->key.ebgp &&
	    (a->wk & (RIB_WK_NO_EXPORT | RIB_WK_NO_EXPORT_SUB))))
		return 0;
	if ((g->key.ebgp || (a->k.flags & RIB_AF_NH_SELF)) &&
	    !(fam == BGP_FAM_V4U ? g->key.nh4 : g->key.nh6))
		return 0;
	if (!g->key.ebgp && !(a->k.flags & RIB_AF_NH_SELF) &&
	    (fam == BGP_FAM_V4U ? !((a->k.present >> BGP_ATTR_NEXT_HOP) & 1) :
	    a->k.mp_nh.af != AF_INET6))
		return 0;	/* no next hop of that family to keep */
	key = (uint32_t)s->kind << RIB_OK_KIND_SHIFT | a->id;
	if (g->key.export_fn != NULL) {
		if ((key = hook_cached(g, fam, pfx, a, s->kind, key)) == 0)
			return 0;
	} else
		rib_attrs_ref(c->rib, a->id);
	if (s->peer != NULL && s->peer->group == g)
		*excl = s->id;
	return key;
}

/* Decoder-shaped attributes of a committed key (for output). */
bool
rib_export_view(struct rib_group *g, enum bgp_fam fam, uint32_t key,
    struct bgp_pattrs *pa)
{
	const struct rib_attrs *a = rib_attrs_get(g->ctx->rib, RIB_OK_ID(key));

	if (key & RIB_OK_FINAL) {
		rib_attrs_pattrs(a, pa);
		return (a->k.flags & RIB_AF_NH_SELF) != 0;
	}
	return export_build(g, fam, a, (key >> RIB_OK_KIND_SHIFT) & 3, pa);
}

static void
xattr_drop(struct rib *r, struct rib_xattr *x)
{
	if (x->key == 0)
		return;
	free(x->bytes);
	rib_attrs_unref(r, RIB_OK_ID(x->key));
	memset(x, 0, sizeof(*x));
}

void
rib_xcache_clear(struct rib_group *g)
{
	unsigned i;

	for (i = 0; i < g->ncache; i++)
		xattr_drop(g->ctx->rib, &g->xcache[i]);
}

/*
 * Encoded attributes (all but MP_REACH) for a committed key, cached; the
 * cache holds a reference so the id cannot be reused under it.
 */
const struct rib_xattr *
rib_export_enc(struct rib_group *g, enum bgp_fam fam, uint32_t key)
{
	struct rib *r = g->ctx->rib;
	struct rib_xattr *x;
	struct bgp_pattrs pa;
	struct wbuf w;
	uint8_t buf[BGP_MAX_EXT_MSG];

	if (cache_fit(g) == -1)
		return NULL;
	x = &g->xcache[hash_u64((uint64_t)key << 1 | fam) & (g->ncache - 1)];
	if (x->key == key && x->fam == fam)
		return x;
	xattr_drop(r, x);
	x->nh_self = rib_export_view(g, fam, key, &pa);
	wbuf_init_fixed(&w, buf, sizeof(buf));
	if (bgp_attrs_encode(&w, &pa, fam, &g->enc) == -1)
		return NULL;
	if ((x->bytes = malloc(w.len ? w.len : 1)) == NULL)
		return NULL;
	memcpy(x->bytes, buf, w.len);
	x->len = (uint16_t)w.len;
	x->nh = pa.mp_nexthop;
	x->key = key;
	x->fam = (uint8_t)fam;
	rib_attrs_ref(r, RIB_OK_ID(key));
	return x;
}
