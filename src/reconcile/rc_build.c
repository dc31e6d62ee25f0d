/*
 * Desired state for one edge, from the store: every circuit at this
 * peering location whose provider state is Provisioned, and each of its
 * private peerings, becomes one routing context "<serviceKey>/<type>" with
 * one neighbour, the customer's router on this path (spec sections 2-4):
 *   - the path's /30: the customer takes the first usable address, the
 *     edge the second (2.3); AS 12076, TCP-MD5 from sharedKey (RFC 2385);
 *   - hold 180 s offered (keepalive 60), BFD 300 ms x 3, no GTSM;
 *   - prefix limits 4,000 IPv4 (10,000 Premium) and 100 IPv6, with the
 *     session restarted RC_MAXPFX_RESTART s after a limit tear-down (3.4);
 *   - customer communities ignored, private ASNs stripped toward the
 *     customer, the regional community 12076:50RRR added (3.5);
 *   - state Disabled: the neighbour is shut down with an RFC 8203 text.
 *   - ipv6PeeringConfig: a second neighbour in the same context on the
 *     path's /126 (add_ipv6);
 *   - every context's Loc-RIB goes to its own kernel table (rc_table.c).
 * A Microsoft peering gets its own context the same way; rc_msft.c then
 * gives its neighbour the Microsoft-peering rules and its routes.
 * Gateways connected to a circuit add their neighbours (gw_edge.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "lib/log.h"
#include "reconcile/gw.h"
#include "reconcile/reconcile.h"

#define CIRCUIT_TYPE	"Microsoft.Network/expressRouteCircuits"
#define PEERING_TYPE	"Microsoft.Network/expressRouteCircuits/peerings"

/* "a.b.c" inside a document */
static json_t *
jget(json_t *j, const char *path)
{
	char key[64];
	const char *dot;
	size_t n;

	while (j != NULL && (dot = strchr(path, '.')) != NULL) {
		n = (size_t)(dot - path);
		if (n >= sizeof(key))
			return NULL;
		memcpy(key, path, n);
		key[n] = '\0';
		j = json_object_get(j, key);
		path = dot + 1;
	}
	return j ? json_object_get(j, path) : NULL;
}

static const char *
jstr(json_t *j, const char *path)
{
	return json_string_value(jget(j, path));
}

uint32_t
rc_region_community(const struct er_cat *cat, const char *region,
    uint32_t base, uint32_t fallback)
{
	char key[64];
	json_t *r;
	size_t i;

	for (i = 0; region && region[i] && i + 1 < sizeof(key); i++)
		key[i] = (char)(region[i] >= 'A' && region[i] <= 'Z' ?
		    region[i] - 'A' + 'a' : region[i]);
	key[i] = '\0';
	if (cat != NULL && cat->regions != NULL &&
	    (r = json_object_get(cat->regions, key)) != NULL &&
	    json_integer_value(json_object_get(r, "regionCode")) > 0)
		return (uint32_t)RC_AZURE_AS << 16 | (base +
		    (uint32_t)json_integer_value(json_object_get(r,
		    "regionCode")));
	if (cat != NULL)	/* no catalogue at all was reported at start */
		log_warn("reconcile: region '%s' has no regionCode in the "
		    "catalogue; using 12076:%u", region ? region : "",
		    fallback);
	return (uint32_t)RC_AZURE_AS << 16 | fallback;
}

/* The path's link subnet in cfg (the peering's properties: an IPv4 /30;
 * its ipv6PeeringConfig: an IPv6 /126): neighbour first usable address,
 * us the second (spec 2.3). */
static int
link_addrs(json_t *cfg, enum rc_path path, int af, struct addr *nbr,
    struct addr *local, uint8_t *plen, char *err, size_t errlen)
{
	const char *k = path == RC_PRIMARY ? "primaryPeerAddressPrefix" :
	    "secondaryPeerAddressPrefix";
	const char *s = jstr(cfg, k);
	uint8_t want = af == AF_INET ? 30 : 126;
	struct prefix pfx;
	size_t last;

	if (s == NULL || prefix_parse(s, &pfx, true) == -1 ||
	    pfx.af != af || pfx.len != want) {
		snprintf(err, errlen, "%s '%s' is not an %s /%u", k,
		    s ? s : "(none)", af == AF_INET ? "IPv4" : "IPv6", want);
		return -1;
	}
	last = addr_bytes(af) - 1;
	nbr->af = local->af = (uint8_t)af;
	memcpy(nbr->b, pfx.b, sizeof(pfx.b));
	memcpy(local->b, pfx.b, sizeof(pfx.b));
	nbr->b[last] += 1;	/* aligned: no carry */
	local->b[last] += 2;
	*plen = pfx.len;
	return 0;
}

static void
neighbor_fill(struct conf_neighbor *n, json_t *circ, json_t *pr,
    const struct rc_peer *p, enum rc_path path, const struct er_cat *cat)
{
	const char *key = jstr(pr, "sharedKey");
	const char *tier = jstr(circ, "sku.tier");
	bool premium = tier != NULL && strcasecmp(tier, "Premium") == 0;

	n->addr = p->nbr;
	n->port = BGP_PORT;
	n->remote_as = p->peer_as;
	snprintf(n->descr, sizeof(n->descr), "%.40s %s",
	    jstr(circ, "name") ? jstr(circ, "name") : "circuit",
	    rc_path_name(path));
	snprintf(n->password, sizeof(n->password), "%s", key ? key : "");
	n->hold = RC_HOLD;
	n->connect_retry = RC_CONNECT_RETRY;
	n->local_addr = p->local;
	n->max_prefix[BGP_FAM_V4U] = premium ? RC_MAXPFX_PREMIUM :
	    RC_MAXPFX_STANDARD;
	n->max_prefix[BGP_FAM_V6U] = RC_MAXPFX_V6;
	n->max_prefix_restart = RC_MAXPFX_RESTART;
	n->ttl_security = CONF_NO;	/* Azure does not ask GTSM of customers */
	n->fams = BGP_FAM_BIT(BGP_FAM_V4U) | BGP_FAM_BIT(BGP_FAM_V6U);
	if (strcasecmp(jstr(pr, "state") ? jstr(pr, "state") : "Enabled",
	    "Disabled") == 0) {
		n->shutdown = true;
		snprintf(n->shutdown_msg, sizeof(n->shutdown_msg), "%s",
		    RC_SHUTDOWN_MSG);
	}
	n->has_policy = true;
	n->policy.remove_private_as = true;
	n->policy.strip_communities = true;
	n->policy.add_comm[n->policy.nadd_comm++] = rc_region_community(cat,
	    jstr(circ, "location"), RC_REGION_BASE, RC_REGION_FALLBACK);
	n->bfd_interval_ms = RC_BFD_MS;
	n->bfd_mult = 3;
}

/* --- IPv6 private peering (edge) ----------------------------------------
 * ipv6PeeringConfig's /126 on this path is a second neighbour in the same
 * context as IPv4 (one routing context per circuit peering; IPv6 rides the
 * same sub-interface, spec 1.8.1/2.3), carrying IPv6 unicast only, with the
 * 100-prefix limit (3.4) and without BFD (Microsoft documents BFD on IPv4
 * only, spec P14). Its admin state is ipv6PeeringConfig.state. */
static void
add_ipv6(struct conf_ctx *c, json_t *circ, json_t *pr, struct rc_peer *p,
    enum rc_path path, const struct er_cat *cat)
{
	json_t *v6 = json_object_get(pr, "ipv6PeeringConfig");
	struct conf_neighbor *n = &c->neighbors[1];
	const char *st = jstr(v6, "state");
	struct rc_peer tmp = *p;
	char err[256];

	if (!json_is_object(v6) || jstr(v6, "primaryPeerAddressPrefix") ==
	    NULL)
		return;
	if (link_addrs(v6, path, AF_INET6, &p->nbr6, &p->local6, &p->plen6,
	    err, sizeof(err)) == -1) {
		log_warn("reconcile: %s: ipv6PeeringConfig: %s; IPv6 skipped",
		    p->id, err);
		return;
	}
	tmp.nbr = p->nbr6;
	tmp.local = p->local6;
	neighbor_fill(n, circ, pr, &tmp, path, cat);
	snprintf(n->descr + strlen(n->descr), sizeof(n->descr) -
	    strlen(n->descr), " v6");
	n->fams = BGP_FAM_BIT(BGP_FAM_V6U);
	n->bfd_interval_ms = 0;
	n->bfd_mult = 0;
	n->shutdown = st != NULL && strcasecmp(st, "Disabled") == 0;
	snprintf(n->shutdown_msg, sizeof(n->shutdown_msg), "%s",
	    n->shutdown ? RC_SHUTDOWN_MSG : "");
	p->has_v6 = true;
	c->nneighbors = 2;
}
/* --- end IPv6 private peering ---------------------------------------- */

static bool
circuit_served(json_t *c, const struct rc_opts *o)
{
	const char *loc = jstr(c, "properties.serviceProviderProperties."
	    "peeringLocation");
	const char *st = jstr(c, "properties.serviceProviderProvisioningState");

	return loc != NULL && strcasecmp(loc, o->location) == 0 &&
	    st != NULL && strcmp(st, "Provisioned") == 0 &&
	    jstr(c, "properties.serviceKey") != NULL;
}

static int
grow(struct rc_desired *d)
{
	struct conf_ctx *c;
	struct rc_peer *p;
	size_t n = d->npeers + 1;

	if ((c = realloc(d->conf->ctxs, n * sizeof(*c))) == NULL)
		return -1;
	d->conf->ctxs = c;
	if ((p = realloc(d->peers, n * sizeof(*p))) == NULL)
		return -1;
	d->peers = p;
	memset(&c[n - 1], 0, sizeof(c[0]));
	memset(&p[n - 1], 0, sizeof(p[0]));
	return 0;
}

/* One peering on this path; 0 also when it is skipped. */
static int
add_peering(struct store *st, struct rc_desired *d, json_t *circ,
    json_t *peer, const struct rc_opts *o, const struct er_cat *cat)
{
	json_t *pr = json_object_get(peer, "properties");
	const char *type = jstr(pr, "peeringType");
	const char *skey = jstr(circ, "properties.serviceKey");
	const char *pid = jstr(peer, "_id");
	json_int_t asn = json_integer_value(json_object_get(pr, "peerASN"));
	struct conf_ctx *c;
	struct rc_peer *p;
	char err[256];
	bool msft = type != NULL && strcmp(type, "MicrosoftPeering") == 0;

	if (type == NULL || (!msft && strcmp(type, "AzurePrivatePeering"))) {
		log_debug("reconcile: %s: peering type %s not realised yet",
		    pid, type ? type : "(none)");
		return 0;
	}
	if (asn < 1 || asn > 4294967295LL) {
		log_warn("reconcile: %s: peerASN %lld out of range", pid,
		    (long long)asn);
		return 0;
	}
	/* room for the IPv4 and the IPv6 neighbour */
	if (grow(d) == -1 || (d->conf->ctxs[d->npeers].neighbors =
	    calloc(2, sizeof(struct conf_neighbor))) == NULL)
		return -1;
	c = &d->conf->ctxs[d->npeers];
	p = &d->peers[d->npeers];
	if (link_addrs(pr, o->path, AF_INET, &p->nbr, &p->local, &p->plen,
	    err, sizeof(err)) == -1) {
		log_warn("reconcile: %s: %s; skipped", pid, err);
		free(c->neighbors);
		c->neighbors = NULL;
		return 0;
	}
	snprintf(p->id, sizeof(p->id), "%s", pid);
	snprintf(p->ctx, sizeof(p->ctx), "%s/%s", skey, type);
	p->vlan = (uint16_t)json_integer_value(json_object_get(pr, "vlanId"));
	p->peer_as = (uint32_t)asn;
	snprintf(c->name, sizeof(c->name), "%s", p->ctx);
	c->kernel_table = CONF_KTABLE_NONE;
	c->nneighbors = 1;
	neighbor_fill(&c->neighbors[0], circ, pr, p, o->path, cat);
	if (!msft)	/* IPv6 Microsoft peering (own filter): not yet */
		add_ipv6(c, circ, pr, p, o->path, cat);
	d->npeers++;
	d->conf->nctxs = d->npeers;
	if (msft && rc_msft_fill(st, circ, peer, cat, c, &c->neighbors[0]))
		return -1;
	return 0;
}

static int
add_circuit(struct store *st, struct rc_desired *d, json_t *circ,
    const struct rc_opts *o, const struct er_cat *cat)
{
	json_t *peers = json_array(), *pe;
	size_t i;
	int rc = 0, pass;

	if (store_list_children(st, jstr(circ, "_id"), PEERING_TYPE, gw_collect,
	    peers) < 0) {
		json_decref(peers);
		return -1;
	}
	/* private peering first, then the others */
	for (pass = 0; pass < 2 && rc == 0; pass++)
		json_array_foreach(peers, i, pe) {
			const char *t = jstr(pe, "properties.peeringType");
			bool priv = t && strcmp(t, "AzurePrivatePeering") == 0;

			if (priv != (pass == 0))
				continue;
			if ((rc = add_peering(st, d, circ, pe, o, cat)) == -1)
				break;
		}
	json_decref(peers);
	return rc;
}

int
rc_build(struct store *st, const struct rc_opts *o, const struct er_cat *cat,
    struct rc_desired *d, char *err, size_t errlen)
{
	json_t *circs = json_array(), *c;
	size_t i;

	memset(d, 0, sizeof(*d));
	if ((d->conf = calloc(1, sizeof(*d->conf))) == NULL) {
		json_decref(circs);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	d->conf->router_id = o->router_id;
	d->conf->as = RC_AZURE_AS;
	snprintf(d->conf->control, sizeof(d->conf->control), "%s",
	    CONF_DEFAULT_CONTROL);
	if (store_list_type(st, CIRCUIT_TYPE, NULL, gw_collect, circs) < 0) {
		snprintf(err, errlen, "store: cannot list circuits: %s",
		    st->errmsg);
		goto fail;
	}
	json_array_foreach(circs, i, c) {
		if (!circuit_served(c, o))
			continue;
		if (add_circuit(st, d, c, o, cat) == -1) {
			snprintf(err, errlen, "store: cannot list the peerings "
			    "of %s: %s", jstr(c, "_id"), st->errmsg);
			goto fail;
		}
	}
	/* the gateways connected to these circuits (gw_edge.c) */
	if (gw_edge_build(st, o, d, err, errlen) == -1)
		goto fail;
	json_decref(circs);
	rc_tables_assign(d);
	rc_ingress_assign(d, o);
	rc_gw_ingress_assign(d, o);
	return 0;
fail:
	json_decref(circs);
	rc_desired_free(d);
	return -1;
}

void
rc_desired_free(struct rc_desired *d)
{
	conf_free(d->conf);
	free(d->peers);
	free(d->links);
	memset(d, 0, sizeof(*d));
}

const char *
rc_path_name(enum rc_path p)
{
	return p == RC_PRIMARY ? "primary" : "secondary";
}

int
rc_path_parse(const char *s, enum rc_path *p)
{
	if (strcmp(s, "primary") == 0)
		*p = RC_PRIMARY;
	else if (strcmp(s, "secondary") == 0)
		*p = RC_SECONDARY;
	else
		return -1;
	return 0;
}

int
rc_ifmap_parse(const char *s, struct rc_opts *o, char *err, size_t errlen)
{
	char buf[512], *item, *save = NULL, *eq, *end;
	unsigned long v;

	snprintf(buf, sizeof(buf), "%s", s);
	for (item = strtok_r(buf, ",", &save); item != NULL;
	    item = strtok_r(NULL, ",", &save)) {
		eq = strchr(item, '=');
		if (eq != NULL)
			*eq = '\0';
		v = eq ? strtoul(item, &end, 10) : 0;
		if (eq == NULL || *item == '\0' || *end != '\0' || v < 1 ||
		    v > 4094 || eq[1] == '\0' ||
		    strlen(eq + 1) >= IF_NAMESIZE) {
			if (eq != NULL)
				*eq = '=';
			snprintf(err, errlen, "--interface-map item '%s' is "
			    "invalid (VLAN=IFNAME, VLAN 1-4094, IFNAME up to "
			    "%d characters)", item, IF_NAMESIZE - 1);
			return -1;
		}
		if (o->nifmap == RC_IFMAP_MAX) {
			snprintf(err, errlen, "--interface-map: at most %d "
			    "items", RC_IFMAP_MAX);
			return -1;
		}
		o->ifmap[o->nifmap].vlan = (uint16_t)v;
		snprintf(o->ifmap[o->nifmap].ifname, IF_NAMESIZE, "%s", eq + 1);
		o->nifmap++;
	}
	return 0;
}
