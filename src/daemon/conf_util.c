/*
 * Lookups over a parsed configuration and the comparison reload uses to
 * decide, per neighbour, between "leave it alone", "apply in place" and
 * "reset the session" (a reset is what a peer sees, so it is the last
 * resort: only parameters negotiated in OPEN or used by the socket force it).
 */
#include <stdlib.h>
#include <string.h>

#include "daemon/conf.h"

struct conf_ctx *
conf_ctx_find(const struct xr_conf *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->nctxs; i++)
		if (strcmp(c->ctxs[i].name, name) == 0)
			return &c->ctxs[i];
	return NULL;
}

struct conf_neighbor *
conf_neighbor_find(const struct conf_ctx *c, const struct addr *a)
{
	size_t i;

	for (i = 0; i < c->nneighbors; i++)
		if (addr_cmp(&c->neighbors[i].addr, a) == 0)
			return &c->neighbors[i];
	return NULL;
}

uint32_t
conf_ctx_as(const struct xr_conf *conf, const struct conf_ctx *c)
{
	return c->local_as ? c->local_as : conf->as;
}

bool
conf_neighbor_gtsm(const struct conf_neighbor *n, uint32_t local_as)
{
	if (n->ttl_security != CONF_UNSET)
		return n->ttl_security == CONF_YES;
	/* eBGP is single hop here (no multihop option): GTSM by default. */
	return n->remote_as != local_as;
}

/* Neighbour entries are zeroed when created, so padding compares equal. */
int
conf_neighbor_policy_cmp(const struct conf_neighbor *a,
    const struct conf_neighbor *b)
{
	if (a->has_policy != b->has_policy)
		return 1;
	return memcmp(&a->policy, &b->policy, sizeof(a->policy)) != 0;
}

enum conf_diff
conf_neighbor_cmp(const struct conf_neighbor *a, const struct conf_neighbor *b)
{
	if (addr_cmp(&a->addr, &b->addr) != 0 || a->port != b->port ||
	    a->remote_as != b->remote_as || a->hold != b->hold ||
	    a->keepalive != b->keepalive ||
	    addr_cmp(&a->local_addr, &b->local_addr) != 0 ||
	    a->ttl_security != b->ttl_security || a->fams != b->fams ||
	    strcmp(a->password, b->password) != 0)
		return CONF_RESET;
	if (strcmp(a->descr, b->descr) != 0 || a->passive != b->passive ||
	    a->connect_retry != b->connect_retry ||
	    memcmp(a->max_prefix, b->max_prefix, sizeof(a->max_prefix)) != 0 ||
	    a->max_prefix_restart != b->max_prefix_restart ||
	    a->shutdown != b->shutdown ||
	    strcmp(a->shutdown_msg, b->shutdown_msg) != 0 ||
	    conf_neighbor_policy_cmp(a, b) != 0 ||
	    a->bfd_interval_ms != b->bfd_interval_ms ||
	    a->bfd_mult != b->bfd_mult || a->bfd_strict != b->bfd_strict)
		return CONF_SOFT;
	return CONF_SAME;
}

bool
conf_route_equal(const struct conf_route *a, const struct conf_route *b)
{
	return prefix_cmp(&a->prefix, &b->prefix) == 0 &&
	    a->origin == b->origin && a->has_med == b->has_med &&
	    (!a->has_med || a->med == b->med) &&
	    addr_cmp(&a->nexthop, &b->nexthop) == 0 &&
	    a->ncommunities == b->ncommunities &&
	    (a->ncommunities == 0 || memcmp(a->communities, b->communities,
	    a->ncommunities * sizeof(*a->communities)) == 0);
}

static int
route_cmp(const void *a, const void *b)
{
	const struct conf_route *x = *(const struct conf_route *const *)a;
	const struct conf_route *y = *(const struct conf_route *const *)b;
	int c = prefix_cmp(&x->prefix, &y->prefix);

	return c != 0 ? c : x->line < y->line ? -1 : x->line > y->line;
}

const struct conf_route **
conf_routes_sorted(const struct conf_ctx *c)
{
	const struct conf_route **v;
	size_t i;

	if (c == NULL || c->nroutes == 0 ||
	    (v = calloc(c->nroutes, sizeof(*v))) == NULL)
		return NULL;
	for (i = 0; i < c->nroutes; i++)
		v[i] = &c->routes[i];
	qsort(v, c->nroutes, sizeof(*v), route_cmp);
	return v;
}

const struct conf_route *
conf_route_lookup(const struct conf_route **v, size_t n,
    const struct prefix *p)
{
	size_t lo = 0, hi = n, mid;
	int c;

	while (v != NULL && lo < hi) {
		mid = lo + (hi - lo) / 2;
		if ((c = prefix_cmp(&v[mid]->prefix, p)) == 0)
			return v[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}
