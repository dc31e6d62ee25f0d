/*
 * Best-path selection (RFC 4271 9.1.2, 9.1.2.2) and the multipath set.
 *
 * Order of the steps:
 *   0. a locally originated route beats any learned one (like a static
 *      route in BIRD);
 *   1. highest LOCAL_PREF (absent, as on eBGP-learned routes: 100);
 *   2. shortest AS_PATH (an AS_SET counts 1, confederation segments 0);
 *   3. lowest ORIGIN;
 *   4. lowest MED, only between paths from the same neighbour AS (the first
 *      AS of the path); an absent MED is 0 (9.1.2.2 c);
 *   5. eBGP-learned over iBGP-learned;
 *      (IGP cost to the next hop: skipped, next hops are on-link)
 *   6. lowest BGP identifier of the advertising peer;
 *   7. lowest peer address.
 * Paths equal through step 5 form the ECMP set given to the FIB.
 *
 * Because step 4 only applies within a neighbour AS, the order is not
 * transitive. Selection is deterministic instead: the winner of each
 * neighbour AS is found first, then the winners are compared (as with
 * "deterministic-med" elsewhere), so the result never depends on arrival
 * order.
 */
#include <string.h>
#include <sys/socket.h>

#include "lib/log.h"
#include "rib/rib_priv.h"

#define MAXCAND	64	/* paths per prefix considered; more are ignored */
#define MAXNH	RIB_MAXNH

struct cand {
	uint32_t		 pi;
	struct rib_path		*p;
	const struct rib_attrs	*a;
	const struct rib_src	*s;
	uint32_t		 lp, med;
	uint32_t		 gw;	/* index of its neighbour-AS winner */
};

/* Steps 0-5: < 0 when a is better, 0 when equal for multipath. */
static int
cmp_mp(const struct cand *a, const struct cand *b)
{
	bool al = a->s->kind == RIB_SK_LOCAL, bl = b->s->kind == RIB_SK_LOCAL;
	bool ai = a->s->kind == RIB_SK_IBGP, bi = b->s->kind == RIB_SK_IBGP;

	if (al != bl)
		return al ? -1 : 1;
	if (a->lp != b->lp)
		return a->lp > b->lp ? -1 : 1;
	if (a->a->aspath_count != b->a->aspath_count)
		return a->a->aspath_count < b->a->aspath_count ? -1 : 1;
	if (a->a->k.origin != b->a->k.origin)
		return a->a->k.origin < b->a->k.origin ? -1 : 1;
	if (a->a->first_as == b->a->first_as && a->med != b->med)
		return a->med < b->med ? -1 : 1;
	if (ai != bi)
		return ai ? 1 : -1;
	return 0;
}

/* Steps 6-7, then the source id so that the order is total. */
static int
cmp_tie(const struct rib *r, const struct cand *a, const struct cand *b)
{
	uint32_t ia = a->s->kind == RIB_SK_LOCAL ? r->router_id :
	    a->s->remote_id;
	uint32_t ib = b->s->kind == RIB_SK_LOCAL ? r->router_id :
	    b->s->remote_id;
	int c;

	if (ia != ib)
		return ia < ib ? -1 : 1;
	if ((c = addr_cmp(&a->s->addr, &b->s->addr)) != 0)
		return c;
	return a->s->id < b->s->id ? -1 : a->s->id > b->s->id;
}

static int
cmp_full(const struct rib *r, const struct cand *a, const struct cand *b)
{
	int c = cmp_mp(a, b);

	return c != 0 ? c : cmp_tie(r, a, b);
}

/* Next hop of a path for the FIB; false when it has none of its own. */
static bool
path_nexthop(const struct rib_tab *t, const struct rib_attrs *a,
    struct addr *nh)
{
	memset(nh, 0, sizeof(*nh));
	if (a->k.flags & RIB_AF_NH_SELF)
		return false;
	if (t->fam == BGP_FAM_V4U &&
	    ((a->k.present >> BGP_ATTR_NEXT_HOP) & 1)) {
		nh->af = AF_INET;
		memcpy(nh->b, &a->k.nexthop, 4);
		return true;
	}
	if (a->k.mp_nh.af != 0) {
		*nh = a->k.mp_nh;
		return true;
	}
	return false;
}

/* Collect the FIB next hops of the current best/ECMP flags. */
static size_t
fib_nexthops(const struct rib_ctx *c, const struct rib_tab *t,
    const struct rib_dest *d, struct addr *nh)
{
	const struct rib_path *p;
	uint32_t pi;
	size_t n = 0, i;

	for (pi = d->paths; pi != 0 && n < MAXNH; pi = p->next) {
		p = rib_path_at(c, pi);
		if (!(p->flags & (RIB_PF_BEST | RIB_PF_ECMP)))
			continue;
		if (!path_nexthop(t, rib_attrs_get(c->rib, p->out), &nh[n]))
			continue;
		for (i = 0; i < n; i++)
			if (addr_cmp(&nh[i], &nh[n]) == 0)
				break;
		if (i == n)
			n++;
	}
	return n;
}

static bool
nh_same(const struct addr *a, size_t na, const struct addr *b, size_t nb)
{
	size_t i, j;

	if (na != nb)
		return false;
	for (i = 0; i < na; i++) {
		for (j = 0; j < nb; j++)
			if (addr_cmp(&a[i], &b[j]) == 0)
				break;
		if (j == nb)
			return false;
	}
	return true;
}

static size_t
collect(struct rib_ctx *c, struct rib_dest *d, struct cand *v)
{
	struct rib_path *p;
	uint32_t pi;
	size_t n = 0;

	for (pi = d->paths; pi != 0; pi = p->next) {
		p = rib_path_at(c, pi);
		p->flags &= (uint8_t)~(RIB_PF_BEST | RIB_PF_ECMP);
		if (p->out == 0 || n == MAXCAND)
			continue;
		v[n].pi = pi;
		v[n].p = p;
		v[n].s = rib_src_get(c->rib, p->src);
		if (v[n].s->dead)
			continue;
		v[n].a = rib_attrs_get(c->rib, p->out);
		v[n].lp = rib_attrs_lp(v[n].a);
		v[n].med = ((v[n].a->k.present >> BGP_ATTR_MED) & 1) ?
		    v[n].a->k.med : 0;
		n++;
	}
	return n;
}

/* Pick the best candidate and flag the ECMP set; returns its index. */
static size_t
select_best(const struct rib *r, struct cand *v, size_t n)
{
	uint32_t gas[MAXCAND], gwin[MAXCAND];
	size_t i, g, ng = 0, best = SIZE_MAX;

	/* the winner of each neighbour AS (MED applies within it) */
	for (i = 0; i < n; i++) {
		for (g = 0; g < ng && gas[g] != v[i].a->first_as; g++)
			;
		if (g == ng) {
			gas[ng] = v[i].a->first_as;
			gwin[ng++] = (uint32_t)i;
		} else if (cmp_full(r, &v[i], &v[gwin[g]]) < 0)
			gwin[g] = (uint32_t)i;
		v[i].gw = (uint32_t)g;
	}
	for (g = 0; g < ng; g++)
		if (best == SIZE_MAX || cmp_full(r, &v[gwin[g]], &v[best]) < 0)
			best = gwin[g];
	v[best].p->flags |= RIB_PF_BEST;
	for (i = 0; i < n; i++) {
		v[i].gw = gwin[v[i].gw];
		if (i != best && cmp_mp(&v[i], &v[best]) == 0 &&
		    cmp_mp(&v[i], &v[v[i].gw]) == 0)
			v[i].p->flags |= RIB_PF_ECMP;
	}
	return best;
}

/* Unlink path pi from the list and put it first. */
static void
move_first(struct rib_ctx *c, struct rib_dest *d, uint32_t pi)
{
	struct rib_path *p, *prev = NULL;
	uint32_t i;

	if (d->paths == pi)
		return;
	for (i = d->paths; i != 0 && i != pi; i = p->next) {
		prev = rib_path_at(c, i);
		p = prev;
	}
	if (i == 0 || prev == NULL)
		fatal_bug("rib: best path not in its dest");
	p = rib_path_at(c, pi);
	prev->next = p->next;
	p->next = d->paths;
	d->paths = pi;
}

void
rib_decide_begin(struct rib_ctx *c, struct rib_tab *t, uint32_t di,
    struct rib_dstate *st)
{
	struct rib_dest *d = rib_dest_at(t, di);
	const struct rib_path *p;

	st->src = 0;
	st->out = 0;
	st->nnh = 0;
	if (d->flags & RIB_DF_BEST) {
		p = rib_path_at(c, d->paths);
		st->src = p->src;
		st->out = p->out;
	}
	if (c->fib != NULL)
		st->nnh = fib_nexthops(c, t, d, st->nh);
}

/*
 * Re-run selection for one dest after its paths changed; tell the update
 * groups when the exported best changed and the FIB when the next-hop set
 * did. 'st' is what rib_decide_begin() saw before the change.
 */
void
rib_decide(struct rib_ctx *c, struct rib_tab *t, uint32_t di,
    const struct rib_dstate *st)
{
	struct rib_dest *d = rib_dest_at(t, di);
	struct cand v[MAXCAND];
	struct addr nh[MAXNH];
	struct prefix pfx;
	size_t n, b, nnh;
	uint16_t nsrc = 0;
	uint32_t nout = 0;

	n = collect(c, d, v);
	if (n > 0) {
		b = n == 1 ? 0 : select_best(c->rib, v, n);
		if (n == 1)
			v[0].p->flags |= RIB_PF_BEST;
		move_first(c, d, v[b].pi);
		nsrc = v[b].p->src;
		nout = v[b].p->out;
		if (!(d->flags & RIB_DF_BEST))
			t->nbest++;
		d->flags |= RIB_DF_BEST;
	} else if (d->flags & RIB_DF_BEST) {
		t->nbest--;
		d->flags &= (uint8_t)~RIB_DF_BEST;
	}
	if (nsrc != st->src || nout != st->out)
		rib_group_mark(c, t->fam, di);
	if (c->fib == NULL)
		return;
	nnh = fib_nexthops(c, t, d, nh);
	if (nh_same(nh, nnh, st->nh, st->nnh))
		return;
	rib_dest_prefix(t, d, &pfx);
	c->fib(c->fib_arg, c, &pfx, nh, nnh);
}
