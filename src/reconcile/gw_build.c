/*
 * Desired state of one ExpressRoute gateway, from the store (gw.h has the
 * behaviour and the link addressing; spec 3.2, 6.3, 7.1-7.5):
 *   - what it advertises: the address spaces of its VNet and of each
 *     spoke whose peering to it sets useRemoteGateways while the hub's
 *     peering back sets allowGatewayTransit; spaces, never subnets;
 *     summarizedGatewayPrefixes of the hub stand in for what they cover;
 *   - over 1,000 IPv4 or 100 IPv6 prefixes every connection is shut down
 *     (the spec: "disconnects the circuit-gateway connection") and comes
 *     back once the count is under the cap;
 *   - its connections: each circuit that is Provisioned and has a private
 *     peering gets two neighbours, the edges of its two paths, AS 12076,
 *     with LOCAL_PREF 100 + routingWeight on what they send.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "lib/log.h"
#include "reconcile/gw.h"

#define VNET_PEERING_TYPE "Microsoft.Network/virtualNetworks/" \
			"virtualNetworkPeerings"
#define PRIVATE_PEERING	"/peerings/AzurePrivatePeering"

/* --- what the gateway advertises ------------------------------------------ */

struct spaces {
	struct prefix	*p;
	size_t		 n, cap;
	struct prefix	 sum[64];	/* summarizedGatewayPrefixes */
	size_t		 nsum;
};

static int
spaces_add(struct spaces *s, const struct prefix *p)
{
	struct prefix *np;
	size_t i;

	for (i = 0; i < s->n; i++)
		if (prefix_cmp(&s->p[i], p) == 0)
			return 0;
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 16;
		if ((np = realloc(s->p, s->cap * sizeof(*np))) == NULL)
			return -1;
		s->p = np;
	}
	s->p[s->n++] = *p;
	return 0;
}

/* One address space: itself, or the summary that covers it. */
static int
space_add(struct spaces *s, const char *str)
{
	struct prefix p;
	size_t i;

	if (str == NULL || prefix_parse(str, &p, false) == -1) {
		log_warn("gateway: address space '%s' is not a prefix; not "
		    "advertised", str ? str : "(none)");
		return 0;
	}
	for (i = 0; i < s->nsum; i++)
		if (prefix_contains(&s->sum[i], &p))
			return spaces_add(s, &s->sum[i]);
	return spaces_add(s, &p);
}

static int
vnet_spaces(struct spaces *s, json_t *vnet)
{
	json_t *v;
	size_t i;

	json_array_foreach(er_jget(vnet, "properties.addressSpace."
	    "addressPrefixes"), i, v)
		if (space_add(s, json_string_value(v)) == -1)
			return -1;
	return 0;
}

/* Does the spoke 'rid' use the hub 'vid' as its remote gateway? */
static bool
spoke_uses_hub(struct store *st, const char *rid, const char *vid)
{
	json_t *back = gw_list_children(st, rid, VNET_PEERING_TYPE), *b;
	bool uses = false;
	size_t i;

	json_array_foreach(back, i, b)
		if (er_streq(er_jstr(b, "properties.remoteVirtualNetwork.id"),
		    vid) && er_jbool(b, "properties.useRemoteGateways", false))
			uses = true;
	json_decref(back);
	return uses;
}

static int
collect_spaces(struct store *st, const char *vid, struct spaces *s)
{
	json_t *vnet = gw_get(st, vid), *kids, *k, *rv, *v;
	size_t i;
	int rc = 0;

	if (vnet == NULL)
		return 0;
	json_array_foreach(er_jget(vnet, "properties.summarizedGatewayPrefixes"),
	    i, v)
		if (s->nsum < sizeof(s->sum) / sizeof(s->sum[0]) &&
		    prefix_parse(json_string_value(v) ?: "", &s->sum[s->nsum],
		    false) == 0)
			s->nsum++;
	rc = vnet_spaces(s, vnet);
	kids = gw_list_children(st, er_jstr(vnet, "_id"), VNET_PEERING_TYPE);
	json_array_foreach(kids, i, k) {
		const char *rid = er_jstr(k, "properties.remoteVirtualNetwork.id");

		if (rc == -1 || rid == NULL ||
		    !er_jbool(k, "properties.allowGatewayTransit", false) ||
		    !spoke_uses_hub(st, rid, er_jstr(vnet, "_id")))
			continue;
		if ((rv = gw_get(st, rid)) != NULL)
			rc = vnet_spaces(s, rv);
		json_decref(rv);
	}
	json_decref(kids);
	json_decref(vnet);
	return rc;
}

static int
routes_set(struct gw_desired *d, struct conf_ctx *c, const struct spaces *s)
{
	char a[32], b[32];
	size_t i;

	if (s->n > 0 && (c->routes = calloc(s->n, sizeof(*c->routes))) == NULL)
		return -1;
	for (i = 0; i < s->n; i++) {
		c->routes[i].prefix = s->p[i];
		c->routes[i].origin = BGP_ORIGIN_IGP;
		d->nadv[s->p[i].af == AF_INET6]++;
	}
	c->nroutes = s->n;
	if (d->nadv[0] > GW_MAXPFX_V4 || d->nadv[1] > GW_MAXPFX_V6) {
		d->over_cap = true;
		snprintf(a, sizeof(a), "%zu", d->nadv[0]);
		snprintf(b, sizeof(b), "%zu", d->nadv[1]);
		snprintf(d->cap_msg, sizeof(d->cap_msg), "%s IPv4 and %s IPv6 "
		    "prefixes to advertise; a connection allows at most %d "
		    "IPv4 and %d IPv6", a, b, GW_MAXPFX_V4, GW_MAXPFX_V6);
	}
	return 0;
}

/* --- connections ----------------------------------------------------------- */

/* Why the connection cannot be realised, or NULL. */
static const char *
conn_check(struct store *st, struct gw_conn *gc, json_t *conn,
    const struct prefix *subnet, char *why, size_t len)
{
	const char *cid = er_jstr(conn, "properties.peer.id");
	json_t *circ, *pp;
	char ppid[RC_ID_MAX + 32];
	int p;

	if (gc->index < 0) {
		snprintf(why, len, "no link index (a connection stored before "
		    "link indexes: PUT it again)");
		return why;
	}
	circ = gw_get(st, cid);
	if (circ == NULL) {
		snprintf(why, len, "circuit %s not found", cid ? cid : "(none)");
		return why;
	}
	snprintf(gc->circuit, sizeof(gc->circuit), "%s", er_jstr(circ,
	    "name") ?: "circuit");
	snprintf(ppid, sizeof(ppid), "%s" PRIVATE_PEERING, er_jstr(circ, "_id"));
	pp = gw_get(st, ppid);
	if (!er_streq(er_jstr(circ, "properties."
	    "serviceProviderProvisioningState"), "Provisioned"))
		snprintf(why, len, "circuit %s is not Provisioned by its "
		    "provider", gc->circuit);
	else if (pp == NULL)
		snprintf(why, len, "circuit %s has no AzurePrivatePeering",
		    gc->circuit);
	else
		why[0] = '\0';
	json_decref(pp);
	json_decref(circ);
	if (why[0] != '\0')
		return why;
	for (p = RC_PRIMARY; p <= RC_SECONDARY; p++)
		if (gw_link_addrs(subnet, gc->index, (enum rc_path)p,
		    &gc->edge[p], &gc->local[p]) == -1) {
			snprintf(why, len, "GatewaySubnet /%u has no room for "
			    "link index %d (4 addresses per connection)",
			    subnet->len, gc->index);
			return why;
		}
	return NULL;
}

static void
neighbor_fill(struct conf_neighbor *n, const struct gw_conn *gc,
    enum rc_path p, const struct gw_desired *d, bool admin_down)
{
	n->addr = gc->edge[p];
	n->local_addr = gc->local[p];
	n->port = BGP_PORT;
	n->remote_as = RC_AZURE_AS;
	snprintf(n->descr, sizeof(n->descr), "%.40s %s", gc->circuit,
	    rc_path_name(p));
	n->hold = GW_HOLD;
	n->connect_retry = RC_CONNECT_RETRY;
	n->fams = BGP_FAM_BIT(BGP_FAM_V4U);
	n->bfd_interval_ms = GW_BFD_MS;
	n->bfd_mult = 3;
	n->has_policy = true;
	n->policy.set_local_pref = true;
	n->policy.local_pref = GW_LP_BASE + gc->weight;
	if (d->over_cap || admin_down) {
		n->shutdown = true;
		snprintf(n->shutdown_msg, sizeof(n->shutdown_msg), "%s",
		    d->over_cap ? GW_SHUT_CAP : GW_SHUT_ADMIN);
	}
}

static int
conns_collect(struct store *st, const char *gid, struct gw_desired *d,
    json_t **out)
{
	json_t *all = json_array(), *c, *mine = json_array();
	size_t i;

	if (store_list_type(st, CONNECTION_TYPE, NULL, gw_collect, all) < 0) {
		json_decref(all);
		json_decref(mine);
		return -1;
	}
	json_array_foreach(all, i, c)
		if (er_streq(er_jstr(c, "properties.virtualNetworkGateway1.id"),
		    gid) && er_streq(er_jstr(c, "properties.connectionType"),
		    "ExpressRoute"))
			json_array_append(mine, c);
	json_decref(all);
	if (json_array_size(mine) > 0 && (d->conns = calloc(json_array_size(
	    mine), sizeof(*d->conns))) == NULL) {
		json_decref(mine);
		return -1;
	}
	json_array_foreach(mine, i, c) {
		snprintf(d->conns[i].id, sizeof(d->conns[i].id), "%s",
		    er_jstr(c, "_id"));
		d->conns[i].index = (int)er_jint(c, "properties.xrLinkIndex",
		    -1);
		d->conns[i].weight = (uint32_t)er_jint(c,
		    "properties.routingWeight", 0);
	}
	d->nconns = json_array_size(mine);
	*out = mine;
	return 0;
}

static int
conns_realise(struct store *st, const struct gw_opts *o, struct gw_desired *d,
    json_t *gw, json_t *conns, const struct prefix *subnet)
{
	struct conf_ctx *c = &d->conf->ctxs[0];
	bool down = er_streq(er_jstr(gw, "properties.adminState"), "Disabled");
	struct gw_conn *gc;
	size_t i;
	int p;

	d->admin_down = down;
	if (d->nconns > 0 && (c->neighbors = calloc(d->nconns * 2,
	    sizeof(*c->neighbors))) == NULL)
		return -1;
	for (i = 0; i < d->nconns; i++) {
		gc = &d->conns[i];
		if (conn_check(st, gc, json_array_get(conns, i), subnet, gc->why,
		    sizeof(gc->why)) != NULL) {
			log_debug("gateway: %s not realised: %s", gc->id,
			    gc->why);
			continue;
		}
		gc->realised = true;
		for (p = RC_PRIMARY; p <= RC_SECONDARY; p++) {
			neighbor_fill(&c->neighbors[c->nneighbors++], gc,
			    (enum rc_path)p, d, down);
			if (o->edge_if[p][0] != '\0' && gw_link_push(&d->links,
			    &d->nlinks, o->edge_if[p], &gc->local[p]) == -1)
				return -1;
		}
	}
	return 0;
}

/* --- the whole gateway ------------------------------------------------------ */

static int
conf_new(struct gw_desired *d, const struct gw_opts *o)
{
	memset(d, 0, sizeof(*d));
	if ((d->conf = calloc(1, sizeof(*d->conf))) == NULL ||
	    (d->conf->ctxs = calloc(1, sizeof(*d->conf->ctxs))) == NULL)
		return -1;
	d->conf->router_id = o->router_id ? o->router_id : GW_DEFAULT_ID;
	d->conf->as = GW_AS;
	snprintf(d->conf->control, sizeof(d->conf->control), "%s",
	    CONF_DEFAULT_CONTROL);
	d->conf->nctxs = 1;
	snprintf(d->conf->ctxs[0].name, sizeof(d->conf->ctxs[0].name), "%s",
	    GW_CTX);
	d->conf->ctxs[0].kernel_table = o->kernel_table ? o->kernel_table :
	    CONF_KTABLE_MAIN;
	return 0;
}

static int
gw_check(json_t *gw, const struct gw_opts *o, char *err, size_t errlen)
{
	if (gw == NULL) {
		snprintf(err, errlen, "gateway %s is not in the store", o->gateway);
		return -1;
	}
	if (!er_streq(er_jstr(gw, "properties.gatewayType"), "ExpressRoute")) {
		snprintf(err, errlen, "gateway %s has gatewayType %s; only "
		    "ExpressRoute gateways are realised", o->gateway,
		    er_jstr(gw, "properties.gatewayType") ?: "(none)");
		return -1;
	}
	return 0;
}

int
gw_build(struct store *st, const struct gw_opts *o, struct gw_desired *d,
    char *err, size_t errlen)
{
	struct spaces s;
	struct prefix subnet;
	json_t *gw = NULL, *conns = NULL;
	int rc = -1;

	memset(&s, 0, sizeof(s));
	if (conf_new(d, o) == -1) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	gw = gw_get(st, o->gateway);
	if (gw_check(gw, o, err, errlen) == -1 ||
	    gw_subnet(st, gw, &subnet, err, errlen) == -1)
		goto out;
	if (collect_spaces(st, er_jstr(gw, "properties.xrVirtualNetwork"),
	    &s) == -1 || routes_set(d, &d->conf->ctxs[0], &s) == -1 ||
	    conns_collect(st, er_jstr(gw, "_id"), d, &conns) == -1 ||
	    conns_realise(st, o, d, gw, conns, &subnet) == -1) {
		snprintf(err, errlen, "store: cannot read the gateway's "
		    "networks and connections: %s", st->errmsg);
		goto out;
	}
	rc = 0;
out:
	free(s.p);
	json_decref(conns);
	json_decref(gw);
	if (rc == -1)
		gw_desired_free(d);
	return rc;
}

void
gw_desired_free(struct gw_desired *d)
{
	conf_free(d->conf);
	free(d->conns);
	free(d->links);
	memset(d, 0, sizeof(*d));
}

int
gw_edge_map_parse(const char *s, struct gw_opts *o, char *err, size_t errlen)
{
	char buf[256], *item, *save = NULL, *eq;
	enum rc_path p;

	snprintf(buf, sizeof(buf), "%s", s);
	for (item = strtok_r(buf, ",", &save); item != NULL;
	    item = strtok_r(NULL, ",", &save)) {
		if ((eq = strchr(item, '=')) != NULL)
			*eq = '\0';
		if (eq == NULL || rc_path_parse(item, &p) == -1 ||
		    eq[1] == '\0' || strlen(eq + 1) >= IF_NAMESIZE) {
			if (eq != NULL)
				*eq = '=';
			snprintf(err, errlen, "--edge-map item '%s' is invalid "
			    "(primary=IFNAME or secondary=IFNAME, IFNAME up to "
			    "%d characters)", item, IF_NAMESIZE - 1);
			return -1;
		}
		snprintf(o->edge_if[p], IF_NAMESIZE, "%s", eq + 1);
	}
	return 0;
}
