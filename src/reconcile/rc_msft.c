/*
 * Microsoft peering on an edge (spec sections 2.4-2.6, 3.1, 4): the
 * peering is its own routing context, like a private peering (never
 * transit to the private peering or other circuits, 3.3), and its
 * neighbour gets the Microsoft-peering rules:
 *   - receive: customer communities ignored, private ASNs stripped from
 *     the path, documentation ASNs 64496-64511 refused, RFC 1918 / ULA /
 *     link-local and the default route refused, and only prefixes inside
 *     the validated advertisedPublicPrefixes accepted (2.4-2.6); at most
 *     200 prefixes, restarted after the same interval as private peering
 *     (3.1);
 *   - the session is held (administratively down, with the reason as its
 *     shutdown text) until advertisedPublicPrefixesState is Configured:
 *     "the BGP session is not enabled while the state is
 *     ValidationNeeded" (2.5);
 *   - send: nothing until a route filter is attached (4.1); then every
 *     catalogue prefix whose community one of the filter's Allow rules
 *     lists, originated into the context with its service community and
 *     the regional community 12076:51RRR (4.4, 4.5). The routes are part
 *     of the context's configuration, so a rule edit or a detach is a
 *     minimal-change reload: the differences are announced or withdrawn
 *     over the running session, which is not reset (4.1).
 *
 * Reach (this implementation's reading of 4.1 and 1.2): global service
 * communities (serviceSupportedRegion "Global") are always reachable; a
 * regional community (Azure services of one region) only when the region
 * is in the peering location's geopolitical region, or the circuit is
 * Premium. The Microsoft 365 gates (authorisation, Premium) are checked by
 * the API when the filter is attached or its rule edited.
 *
 * Only the IPv4 session is realised here: ipv6PeeringConfig (and its own
 * route filter) is not.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/log.h"
#include "reconcile/gw.h"
#include "reconcile/reconcile.h"

#define RULE_TYPE	"Microsoft.Network/routeFilters/routeFilterRules"

/* "12076:5010" -> 32-bit community; -1 if not ASN:VALUE. */
static int
comm_parse(const char *s, uint32_t *v)
{
	unsigned long a, b;
	char *end;

	if (s == NULL || *s < '0' || *s > '9')
		return -1;
	a = strtoul(s, &end, 10);
	if (*end != ':' || a > 65535 || end[1] < '0' || end[1] > '9')
		return -1;
	b = strtoul(end + 1, &end, 10);
	if (*end != '\0' || b > 65535)
		return -1;
	*v = (uint32_t)(a << 16 | b);
	return 0;
}

/* The communities the filter's Allow rules list, as an object
 * "12076:5010" -> true (empty: none). */
static json_t *
allowed_set(json_t *rules)
{
	json_t *set = json_object(), *r, *c;
	const char *acc;
	size_t i, j;

	json_array_foreach(rules, i, r) {
		acc = er_jstr(r, "properties.access");
		if (acc == NULL || strcasecmp(acc, "Allow") != 0)
			continue;	/* the API accepts only Allow anyway */
		json_array_foreach(er_jget(r, "properties.communities"), j, c)
			if (json_string_value(c) != NULL)
				json_object_set_new(set, json_string_value(c),
				    json_true());
	}
	return set;
}

static json_t *
ci_get(json_t *obj, const char *name)
{
	const char *k;
	json_t *v;

	if (name == NULL)
		return NULL;
	json_object_foreach(obj, k, v)
		if (strcasecmp(k, name) == 0)
			return v;
	return NULL;
}

/* Can this circuit reach the services of a region given by display name? */
static bool
region_reachable(const struct er_cat *cat, const struct rc_msft_scope *sc,
    const char *display)
{
	const char *geo = NULL, *k, *rgeo = NULL;
	json_t *v;

	if (display == NULL || strcasecmp(display, "Global") == 0 ||
	    sc->premium)
		return true;
	geo = er_jstr(ci_get(cat->locations, sc->location), "geo");
	json_object_foreach(cat->regions, k, v)
		if (strcasecmp(er_jstr(v, "displayName") ?: "", display) == 0 ||
		    strcasecmp(k, display) == 0)
			rgeo = er_jstr(v, "geo");
	/* without geography data there is nothing to bound the reach by */
	return geo == NULL || rgeo == NULL || strcasecmp(geo, rgeo) == 0;
}

static int
route_cmp(const void *a, const void *b)
{
	return prefix_cmp(&((const struct conf_route *)a)->prefix,
	    &((const struct conf_route *)b)->prefix);
}

static void
routes_free(struct conf_route *r, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(r[i].communities);
	free(r);
}

/* Add (or merge into) the route for 'p' with the communities 'c'. */
static int
route_add(struct conf_route **rs, size_t *n, const struct prefix *p,
    const uint32_t *c, size_t nc)
{
	struct conf_route *r = NULL, *nr;
	uint32_t *nc_;
	size_t i, j;

	for (i = 0; i < *n && r == NULL; i++)
		if (prefix_cmp(&(*rs)[i].prefix, p) == 0)
			r = &(*rs)[i];
	if (r == NULL) {
		if ((nr = realloc(*rs, (*n + 1) * sizeof(*nr))) == NULL)
			return -1;
		*rs = nr;
		r = &nr[(*n)++];
		memset(r, 0, sizeof(*r));
		r->prefix = *p;
		r->origin = BGP_ORIGIN_IGP;
	}
	for (j = 0; j < nc; j++) {
		for (i = 0; i < r->ncommunities; i++)
			if (r->communities[i] == c[j])
				break;
		if (i < r->ncommunities)
			continue;
		if ((nc_ = realloc(r->communities, (r->ncommunities + 1) *
		    sizeof(*nc_))) == NULL)
			return -1;
		r->communities = nc_;
		r->communities[r->ncommunities++] = c[j];
	}
	return 0;
}

/* The prefixes of one catalogue community entry. */
static int
entry_routes(const struct er_cat *cat, const struct rc_msft_scope *sc,
    json_t *e, uint32_t regional, struct conf_route **rs, size_t *n)
{
	const char *reg = er_jstr(e, "serviceSupportedRegion");
	uint32_t c[2];
	struct prefix p;
	json_t *v;
	size_t i, nc = 0;

	if (comm_parse(er_jstr(e, "communityValue"), &c[nc]) == -1)
		return 0;
	nc++;
	if (!region_reachable(cat, sc, reg)) {
		log_debug("reconcile: %s (%s) is outside the circuit's "
		    "geopolitical region (needs Premium)",
		    er_jstr(e, "communityValue"), reg);
		return 0;
	}
	/* a regional community is its own regional tag */
	if (reg == NULL || strcasecmp(reg, "Global") == 0)
		c[nc++] = regional;
	json_array_foreach(json_object_get(e, "communityPrefixes"), i, v) {
		if (prefix_parse(json_string_value(v) ?: "", &p, true) == -1 ||
		    p.af != sc->af)
			continue;
		if (route_add(rs, n, &p, c, nc) == -1)
			return -1;
	}
	return 0;
}

int
rc_msft_routes(const struct er_cat *cat, json_t *rules,
    const struct rc_msft_scope *sc, struct conf_route **routes,
    size_t *nroutes)
{
	json_t *allow, *svc, *e;
	struct conf_route *rs = NULL;
	uint32_t regional;
	size_t i, j, n = 0;
	int rc = 0;

	*routes = NULL;
	*nroutes = 0;
	if (cat == NULL || cat->services == NULL)
		return 0;
	allow = allowed_set(rules);
	if (json_object_size(allow) == 0) {
		json_decref(allow);
		return 0;
	}
	regional = rc_region_community(cat, sc->region, RC_MSFT_REGION_BASE,
	    RC_MSFT_REGION_FALLBACK);
	json_array_foreach(cat->services, i, svc) {
		json_t *comms = json_object_get(svc, "bgpCommunities");

		json_array_foreach(comms, j, e)
			if (rc == 0 && json_object_get(allow,
			    er_jstr(e, "communityValue") ?: "") != NULL)
				rc = entry_routes(cat, sc, e, regional, &rs,
				    &n);
	}
	json_decref(allow);
	if (rc == -1) {
		routes_free(rs, n);
		return -1;
	}
	if (n > 1)
		qsort(rs, n, sizeof(*rs), route_cmp);
	*routes = rs;
	*nroutes = n;
	return 0;
}

/* --- the neighbour ------------------------------------------------------- */

/* The receive side; the reason to hold the session, or NULL. */
static const char *
receive_rules(json_t *ms, struct conf_neighbor *n, char *why, size_t len)
{
	struct er_policy *p = &n->policy;
	const char *st = er_jstr(ms, "advertisedPublicPrefixesState");
	json_t *v;
	size_t i;

	memset(p, 0, sizeof(*p));
	n->has_policy = true;
	p->strip_communities = true;
	p->strip_private_as_in = true;
	p->deny_doc_asn = true;
	p->deny_bogons = true;
	p->deny_default = true;
	p->remove_private_as = true;
	json_array_foreach(json_object_get(ms, "advertisedPublicPrefixes"), i,
	    v) {
		if (p->nallow == ER_POLICY_MAX_ALLOW) {
			snprintf(why, len, "more than %d "
			    "advertisedPublicPrefixes; the session stays down",
			    ER_POLICY_MAX_ALLOW);
			return why;
		}
		if (prefix_parse(json_string_value(v) ?: "",
		    &p->allow[p->nallow], true) == 0 &&
		    p->allow[p->nallow].af == AF_INET)
			p->nallow++;
	}
	if (st == NULL || strcmp(st, "Configured") != 0) {
		snprintf(why, len, "advertisedPublicPrefixesState is %s; the "
		    "session stays down until it is Configured",
		    st ? st : "NotConfigured");
		return why;
	}
	if (p->nallow == 0) {	/* an empty allow-list would accept all */
		snprintf(why, len, "no IPv4 advertisedPublicPrefixes; the "
		    "session stays down");
		return why;
	}
	return NULL;
}

/* The rules of the attached filter (an empty array when none). */
static json_t *
filter_rules(struct store *st, json_t *pr, const char *pid)
{
	const char *fid = er_jstr(pr, "routeFilter.id");
	json_t *rules = json_array();

	if (fid != NULL && store_list_children(st, fid, RULE_TYPE, gw_collect,
	    rules) < 0)
		log_warn("reconcile: %s: cannot read the rules of %s: %s; "
		    "advertising nothing", pid, fid, st->errmsg);
	return rules;
}

int
rc_msft_fill(struct store *st, json_t *circ, json_t *peer,
    const struct er_cat *cat, struct conf_ctx *c, struct conf_neighbor *n)
{
	json_t *pr = json_object_get(peer, "properties"), *rules;
	const char *tier = er_jstr(circ, "sku.tier");
	struct rc_msft_scope sc = {
		.region = er_jstr(circ, "location"),
		.location = er_jstr(circ,
		    "properties.serviceProviderProperties.peeringLocation"),
		.premium = tier != NULL && strcasecmp(tier, "Premium") == 0,
		.af = AF_INET,
	};
	char why[CONF_SHUTDOWN_MAX + 1];
	const char *hold;
	int rc;

	n->max_prefix[BGP_FAM_V4U] = RC_MAXPFX_MSFT;
	n->max_prefix[BGP_FAM_V6U] = RC_MAXPFX_MSFT;
	n->fams = BGP_FAM_BIT(BGP_FAM_V4U);
	hold = receive_rules(json_object_get(pr, "microsoftPeeringConfig"), n,
	    why, sizeof(why));
	if (hold != NULL && !n->shutdown) {	/* Disabled says it first */
		n->shutdown = true;
		snprintf(n->shutdown_msg, sizeof(n->shutdown_msg), "%s", hold);
	}
	rules = filter_rules(st, pr, er_jstr(peer, "_id"));
	rc = rc_msft_routes(cat, rules, &sc, &c->routes, &c->nroutes);
	json_decref(rules);
	if (rc == 0)
		log_debug("reconcile: %s: %zu route(s) from the route filter",
		    c->name, c->nroutes);
	return rc;
}
