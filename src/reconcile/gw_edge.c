/*
 * The edge's side of the gateways (gw.h): every connection of a circuit
 * whose private peering this edge realises adds, to that peering's
 * context, a neighbour for the gateway on this edge's path: the odd
 * address of the connection's /31 in the GatewaySubnet, AS 65515, the
 * edge on the even address (put on --gateway-interface). What the
 * gateway sends (path "65515") reaches the customer as "12076": the
 * customer neighbour's export already strips private ASNs and adds the
 * regional community (spec 3.5); on-premises routes go to the gateway
 * unchanged ("12076 <customer AS>").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "lib/log.h"
#include "reconcile/gw.h"

#define PRIVATE_SUFFIX	"/peerings/AzurePrivatePeering"

static int
neighbor_append(struct conf_ctx *c, const struct conf_neighbor *n)
{
	struct conf_neighbor *nn;

	if ((nn = realloc(c->neighbors, (c->nneighbors + 1) *
	    sizeof(*nn))) == NULL)
		return -1;
	c->neighbors = nn;
	nn[c->nneighbors++] = *n;
	return 0;
}

/* The addresses of one connection on this path; -1 after a warning. */
static int
conn_addrs(struct store *st, json_t *conn, const struct rc_opts *o,
    struct addr *edge, struct addr *gwa, char *gwname, size_t len)
{
	json_t *gw = gw_get(st, er_jstr(conn,
	    "properties.virtualNetworkGateway1.id"));
	int idx = (int)er_jint(conn, "properties.xrLinkIndex", -1);
	struct prefix sn;
	char err[256];
	int rc = -1;

	if (gw == NULL)
		snprintf(err, sizeof(err), "its gateway is not in the store");
	else if (gw_subnet(st, gw, &sn, err, sizeof(err)) == 0) {
		if (gw_link_addrs(&sn, idx, o->path, edge, gwa) == 0)
			rc = 0;
		else
			snprintf(err, sizeof(err), "link index %d does not fit "
			    "GatewaySubnet /%u", idx, sn.len);
	}
	snprintf(gwname, len, "%s", er_jstr(gw, "name") ?: "");
	json_decref(gw);
	if (rc == -1)
		log_warn("reconcile: connection %s: %s; not realised",
		    er_jstr(conn, "_id"), err);
	return rc;
}

static int
circuit_gateways(struct store *st, const struct rc_opts *o,
    struct rc_desired *d, struct conf_ctx *c, const char *circuit_id)
{
	json_t *conns = gw_list_idx(st, CONNECTION_TYPE, circuit_id), *cn;
	struct conf_neighbor n;
	struct addr edge, gwa;
	char gwname[CONF_NAME_MAX];
	size_t i;

	if (conns == NULL)
		return -1;
	json_array_foreach(conns, i, cn) {
		if (conn_addrs(st, cn, o, &edge, &gwa, gwname,
		    sizeof(gwname)) == -1 || conf_neighbor_find(c, &gwa))
			continue;
		memset(&n, 0, sizeof(n));
		n.addr = gwa;
		n.local_addr = edge;
		n.port = BGP_PORT;
		n.remote_as = GW_AS;
		snprintf(n.descr, sizeof(n.descr), "gateway %.40s", gwname);
		n.hold = GW_HOLD;
		n.connect_retry = RC_CONNECT_RETRY;
		n.fams = BGP_FAM_BIT(BGP_FAM_V4U);
		n.bfd_interval_ms = GW_BFD_MS;
		n.bfd_mult = 3;
		if (neighbor_append(c, &n) == -1 || (o->gw_ifname[0] != '\0' &&
		    gw_link_push(&d->links, &d->nlinks, o->gw_ifname,
		    &edge) == -1)) {
			json_decref(conns);
			return -1;
		}
	}
	json_decref(conns);
	return 0;
}

int
gw_edge_build(struct store *st, const struct rc_opts *o, struct rc_desired *d,
    char *err, size_t errlen)
{
	size_t i, n, sl = strlen(PRIVATE_SUFFIX);
	char cid[RC_ID_MAX];
	struct conf_ctx *c;

	for (i = 0; i < d->npeers; i++) {
		n = strlen(d->peers[i].id);
		if (n <= sl || strcasecmp(d->peers[i].id + n - sl,
		    PRIVATE_SUFFIX) != 0 ||
		    (c = conf_ctx_find(d->conf, d->peers[i].ctx)) == NULL)
			continue;
		snprintf(cid, sizeof(cid), "%.*s", (int)(n - sl),
		    d->peers[i].id);
		if (circuit_gateways(st, o, d, c, cid) == -1) {
			snprintf(err, errlen, "store: cannot read the "
			    "connections of %s: %s", cid, st->errmsg);
			return -1;
		}
	}
	return 0;
}
