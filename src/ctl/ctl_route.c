/*
 * "show route": one routing context's Loc-RIB, or a neighbour's
 * Adj-RIB-In (--pre-policy, --filtered) or Adj-RIB-Out (--advertised), as
 * rows shaped like Azure's route table (network, nextHop, locPrf, weight,
 * path) plus what BGP tools add (origin, med, communities, best, from).
 */
#include <stdio.h>
#include <string.h>

#include "ctl/ctl.h"
#include "session/sess.h"

#define CTL_WEIGHT_LOCAL	32768	/* as Cisco and Azure show own routes */

static json_t *
comm_json(const uint8_t *p, size_t len)
{
	json_t *a = json_array();
	char buf[24];
	size_t i;

	for (i = 0; i + 4 <= len; i += 4) {
		snprintf(buf, sizeof(buf), "%u:%u", p[i] << 8 | p[i + 1],
		    p[i + 2] << 8 | p[i + 3]);
		json_array_append_new(a, json_string(buf));
	}
	return a;
}

static uint32_t
get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static json_t *
large_json(const uint8_t *p, size_t len)
{
	json_t *a = json_array();
	char buf[40];
	size_t i;

	for (i = 0; i + 12 <= len; i += 12) {
		snprintf(buf, sizeof(buf), "%u:%u:%u", get32(p + i),
		    get32(p + i + 4), get32(p + i + 8));
		json_array_append_new(a, json_string(buf));
	}
	return a;
}

/* RFC 4360 / 5668: route targets and sites of origin by name. */
static void
ext_str(const uint8_t *e, char *buf, size_t len)
{
	uint8_t type = e[0] & 0xbf, sub = e[1];	/* ignore the IANA bit */
	const char *name = sub == 2 ? "rt" : sub == 3 ? "soo" : NULL;

	if (name != NULL && type == 0x00)
		snprintf(buf, len, "%s:%u:%u", name, e[2] << 8 | e[3],
		    get32(e + 4));
	else if (name != NULL && type == 0x01)
		snprintf(buf, len, "%s:%u.%u.%u.%u:%u", name, e[2], e[3], e[4],
		    e[5], e[6] << 8 | e[7]);
	else if (name != NULL && type == 0x02)
		snprintf(buf, len, "%s:%u:%u", name, get32(e + 2),
		    e[6] << 8 | e[7]);
	else
		snprintf(buf, len, "0x%02x%02x%02x%02x%02x%02x%02x%02x", e[0],
		    e[1], e[2], e[3], e[4], e[5], e[6], e[7]);
}

static json_t *
ext_json(const uint8_t *p, size_t len)
{
	json_t *a = json_array();
	char buf[48];
	size_t i;

	for (i = 0; i + 8 <= len; i += 8) {
		ext_str(p + i, buf, sizeof(buf));
		json_array_append_new(a, json_string(buf));
	}
	return a;
}

static json_t *
route_json(const struct rib_route_view *v)
{
	static const char origin[] = "ie?";
	char buf[4096], pfx[PREFIX_STRLEN];
	json_t *o = json_object();

	json_object_set_new(o, "network", json_string(prefix_ntop(&v->prefix,
	    pfx, sizeof(pfx))));
	if (v->nexthop.af != 0)
		json_object_set_new(o, "nextHop", json_string(addr_ntop(
		    &v->nexthop, buf, sizeof(buf))));
	else
		json_object_set_new(o, "nextHop", json_string(
		    v->prefix.af == AF_INET6 ? "::" : "0.0.0.0"));
	if (v->has_local_pref)
		snprintf(buf, sizeof(buf), "%u", v->local_pref);
	else
		buf[0] = '\0';
	json_object_set_new(o, "locPrf", json_string(buf));
	json_object_set_new(o, "weight", json_integer(v->local ?
	    CTL_WEIGHT_LOCAL : 0));
	json_object_set_new(o, "path", json_string(v->aspath_len ?
	    bgp_aspath_str(v->aspath, v->aspath_len, buf, sizeof(buf)) : ""));
	snprintf(buf, sizeof(buf), "%c", v->origin < 3 ? origin[v->origin] :
	    '?');
	json_object_set_new(o, "origin", json_string(buf));
	if (v->has_med)
		json_object_set_new(o, "med", json_integer(v->med));
	json_object_set_new(o, "communities", comm_json(v->comm, v->comm_len));
	json_object_set_new(o, "largeCommunities",
	    large_json(v->large, v->large_len));
	json_object_set_new(o, "extCommunities", ext_json(v->ext, v->ext_len));
	json_object_set_new(o, "best", json_boolean(v->best));
	json_object_set_new(o, "multipath", json_boolean(v->ecmp));
	json_object_set_new(o, "from", v->from.af ? json_string(addr_ntop(
	    &v->from, buf, sizeof(buf))) : json_string(""));
	json_object_set_new(o, "local", json_boolean(v->local));
	if (v->filtered) {
		json_object_set_new(o, "filtered", json_true());
		json_object_set_new(o, "reason", json_string(v->reason ?
		    v->reason : ""));
	}
	json_object_set_new(o, "ageSec", json_integer((json_int_t)
	    (v->age_us / 1000000)));
	return o;
}

struct route_acc {
	json_t		*routes;
	uint32_t	 limit;		/* 0: no limit */
	bool		 truncated;
};

static int
route_cb(const struct rib_route_view *v, void *arg)
{
	struct route_acc *a = arg;

	if (a->limit != 0 && json_array_size(a->routes) >= a->limit) {
		a->truncated = true;
		return 1;			/* stop the walk */
	}
	json_array_append_new(a->routes, route_json(v));
	return 0;
}

static struct rib_ctx *
pick_ctx(struct ctl_env *env, const char *name, char *err, size_t errlen)
{
	struct rib_ctx *c, *only = NULL;
	char list[512];
	size_t n = 0, used = 0;

	if (name[0] != '\0') {
		if ((c = rib_ctx_find(env->rib, name)) == NULL)
			snprintf(err, errlen, "no context \"%s\" (see xrctl "
			    "show bgp summary)", name);
		return c;
	}
	list[0] = '\0';
	for (c = rib_ctx_next(env->rib, NULL); c != NULL;
	    c = rib_ctx_next(env->rib, c)) {
		only = c;
		if (used < sizeof(list))
			used += (size_t)snprintf(list + used,
			    sizeof(list) - used, "%s%s", n ? ", " : "",
			    rib_ctx_name(c));
		n++;
	}
	if (n == 1)
		return only;
	if (n == 0)
		snprintf(err, errlen, "no routing context is configured");
	else
		snprintf(err, errlen, "there are %zu contexts (%s): name one, "
		    "e.g. show route %s", n, list, rib_ctx_name(only));
	return NULL;
}

/*
 * One page: at most CTL_ROUTE_PAGE prefixes after r->after. With several
 * neighbours' Adj-RIBs in one reply there is no single order to resume
 * in, so that form stops at a page of routes without a "next".
 */
json_t *
ctl_show_routes(struct ctl_env *env, const struct ctl_req *r, char *err,
    size_t errlen)
{
	uint32_t page = r->limit == 0 || r->limit > CTL_ROUTE_PAGE ?
	    CTL_ROUTE_PAGE : r->limit;
	struct rib_query q = { .table = r->table, .has_prefix = r->has_prefix,
	    .prefix = r->prefix, .lpm = r->lpm,
	    .filtered_only = r->filtered, .has_after = r->has_after,
	    .after = r->after, .max_dests = page };
	struct route_acc acc = { .limit = 0 };
	struct rib_page pg = { 0 };
	struct rib_ctx *rc;
	struct sess *s, *one = NULL;
	json_t *top, *routes;
	char a[ADDR_STRLEN], next[PREFIX_STRLEN];
	size_t n = 0;

	if ((rc = pick_ctx(env, r->ctx, err, errlen)) == NULL)
		return NULL;
	if (r->table != RIB_LOC) {
		for (s = sess_next(env->sm, NULL); s != NULL;
		    s = sess_next(env->sm, s)) {
			if (strcmp(sess_conf(s)->ctx, rib_ctx_name(rc)) != 0 ||
			    (r->has_nbr &&
			    addr_cmp(&sess_conf(s)->remote, &r->nbr) != 0))
				continue;
			one = s;
			n++;
		}
		if (r->has_nbr && n == 0) {
			snprintf(err, errlen, "no neighbor %s in context "
			    "\"%s\"", addr_ntop(&r->nbr, a, sizeof(a)),
			    rib_ctx_name(rc));
			return NULL;
		}
	}
	routes = acc.routes = json_array();
	if (r->table == RIB_LOC || n == 1) {
		q.peer = one != NULL ? sess_rib_peer(one) : NULL;
		rib_walk_page(rc, &q, route_cb, &acc, &pg);
	} else {
		q.max_dests = 0;
		q.has_after = false;
		acc.limit = page;
		for (s = sess_next(env->sm, NULL); s != NULL && !acc.truncated;
		    s = sess_next(env->sm, s)) {
			if (strcmp(sess_conf(s)->ctx, rib_ctx_name(rc)) != 0)
				continue;
			q.peer = sess_rib_peer(s);
			rib_walk(rc, &q, route_cb, &acc);
		}
	}
	top = json_object();
	json_object_set_new(top, "schemaVersion",
	    json_integer(CTL_SCHEMA_VERSION));
	json_object_set_new(top, "context", json_string(rib_ctx_name(rc)));
	json_object_set_new(top, "table", json_string(r->table == RIB_LOC ?
	    "loc-rib" : r->table == RIB_ADJ_OUT ? "adj-rib-out" :
	    r->filtered ? "filtered" : "adj-rib-in"));
	if (r->has_nbr)
		json_object_set_new(top, "neighbor", json_string(addr_ntop(
		    &r->nbr, a, sizeof(a))));
	json_object_set_new(top, "routes", routes);
	json_object_set_new(top, "truncated", json_boolean(acc.truncated ||
	    pg.full));
	json_object_set_new(top, "prefixesVisited", json_integer(
	    (json_int_t)pg.dests));
	if (pg.full)
		json_object_set_new(top, "next", json_string(prefix_ntop(
		    &pg.last, next, sizeof(next))));
	json_object_set_new(top, "limit", json_integer(r->limit));
	return top;
}
