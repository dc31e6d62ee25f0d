/*
 * Connections between an ExpressRoute gateway and a circuit (spec 7.3,
 * 7.4, 1.7, 6.3): gateway mode and provisioning status, the circuit's
 * private peering, Standard/Local scope (geopolitical region, local
 * regions), VNet-link quotas of the circuit, circuit-connection caps of the
 * gateway SKU, at most 4 circuits of one peering location per gateway,
 * FastPath SKUs, routing weight 0-32000, and authorization keys
 * (Available -> InUse on redemption, released on delete).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "er/er_int.h"

static const char *const conn_types[] = { "ExpressRoute", "IPsec",
    "Vnet2Vnet", "VPNClient", NULL };
static const struct er_field subres_fields[] = {
	{ "id", FT_STR, ERF_REQ, 1, 768, NULL, NULL, NULL },
	{ NULL, 0, 0, 0, 0, NULL, NULL, NULL }
};
static const struct er_field ro_elem = { "", FT_OBJ, ERF_RO, 0, 0, NULL,
    NULL, NULL };
static const struct er_field conn_props[] = {
	{ "connectionType", FT_ENUM, ERF_REQ, 0, 0, conn_types, NULL,
	  "only ExpressRoute is supported" },
	{ "virtualNetworkGateway1", FT_OBJ, ERF_REQ, 0, 0, NULL,
	  subres_fields, "the ExpressRoute gateway" },
	{ "peer", FT_OBJ, ERF_REQ, 0, 0, NULL, subres_fields,
	  "the circuit" },
	{ "authorizationKey", FT_STR, ERF_WO, 1, 64, NULL, NULL,
	  "from the circuit owner, for a circuit of another subscription" },
	{ "routingWeight", FT_INT, 0, 0, 32000, NULL, NULL,
	  "higher wins; evaluated before AS_PATH length" },
	{ "expressRouteGatewayBypass", FT_BOOL, 0, 0, 0, NULL, NULL,
	  "FastPath" },
	{ "enablePrivateLinkFastPath", FT_BOOL, 0, 0, 0, NULL, NULL, NULL },
	{ "connectionStatus", FT_STR, ERF_RO, 0, 0, NULL, NULL,
	  "Connected, Connecting or NotConnected, from the gateway role" },
	{ "xrStatusMessage", FT_STR, ERF_RO, 0, 0, NULL, NULL,
	  "why the connection is not connected" },
	{ "bgpPeerStatus", FT_ARR, ERF_RO, 0, 0, NULL, &ro_elem,
	  "the gateway's session to each edge (path, localAddress, neighbor, "
	  "asn, state, connectedDuration, routesReceived, ...)" },
	{ "ingressBytesTransferred", FT_INT, ERF_RO, 0, 0, NULL, NULL, NULL },
	{ "egressBytesTransferred", FT_INT, ERF_RO, 0, 0, NULL, NULL, NULL },
	{ "resourceGuid", FT_STR, ERF_RO, 0, 0, NULL, NULL, NULL },
	{ "provisioningState", FT_STR, ERF_RO, 0, 0, NULL, NULL, NULL },
	{ NULL, 0, 0, 0, 0, NULL, NULL, NULL }
};
static const struct er_field conn_schema[] = {
	ER_F_ARM_IDS,
	{ "location", FT_STR, ERF_REQ, 0, 0, NULL, NULL, NULL },
	{ "tags", FT_MAP, 0, 0, 0, NULL, NULL, NULL },
	{ "properties", FT_OBJ, ERF_REQ, 0, 0, NULL, conn_props, NULL },
	{ NULL, 0, 0, 0, 0, NULL, NULL, NULL }
};

/* The circuit: visible in the caller's subscription, or reached through an
 * authorization key. *auth gets the authorization to redeem. */
static json_t *
conn_circuit(struct er_op *op, const char *cid, const char *key,
    json_t **auth)
{
	json_t *c, *a;
	char pid[ER_ID_MAX];

	*auth = NULL;
	if (key != NULL) {
		a = er_by_ukey(op->ctx, &er_rt_authorization, key);
		if (a == NULL || er_id_parent(&er_rt_authorization,
		    er_jstr(a, "id"), pid, sizeof(pid)) == -1 ||
		    !er_streq(pid, cid)) {
			json_decref(a);
			er_fail(op->err, ER_E_AUTH_KEY_INVALID,
			    er_last_seg(cid));
			return NULL;
		}
		*auth = a;
		if (er_jstr(a, "properties.connectionResourceUri") != NULL &&
		    !er_streq(er_jstr(a, "properties.connectionResourceUri"),
		    op->p->id)) {
			er_fail(op->err, ER_E_AUTH_KEY_IN_USE, er_jstr(a, "name"),
			    er_last_seg(cid), er_jstr(a,
			    "properties.connectionResourceUri"));
			return NULL;
		}
		if ((c = er_get(op->ctx, cid)) == NULL)
			er_fail(op->err, ER_E_REF_INVALID, cid, op->p->id);
		return c;
	}
	return er_ref_check(op, cid, &er_rt_circuit, "properties.peer.id");
}

static int	gwsubnet_check(struct er_op *, json_t *, size_t);

static int
scope_check(struct er_op *op, json_t *c, json_t *gw)
{
	const char *ploc = er_jstr(c,
	    "properties.serviceProviderProperties.peeringLocation");
	const char *region = er_jstr(gw, "location");
	const char *cgeo = er_cat_geo_of_location(op->ctx->cat, ploc);
	const char *vgeo = er_cat_geo_of_region(op->ctx->cat, region);
	const char *tier = er_circuit_tier(c);
	char list[256];
	json_t *lr;

	if (er_streq(tier, "Local") && !er_cat_region_local(op->ctx->cat, ploc,
	    region)) {
		lr = er_jget(json_object_get(op->ctx->cat->locations, ploc),
		    "localRegions");
		er_join(lr, list, sizeof(list));
		return er_fail(op->err, ER_E_CONN_LOCAL_REGION, er_jstr(c,
		    "name"), ploc, list, er_jstr(gw, "name"), region);
	}
	if (!er_circuit_is_premium(c) && cgeo && vgeo && !er_streq(cgeo, vgeo))
		return er_fail(op->err, ER_E_CONN_CROSS_GEO, er_jstr(c, "name"),
		    tier, cgeo, er_jstr(gw, "name"), region, vgeo);
	return 0;
}

static int
quota_check(struct er_op *op, json_t *c, json_t *gw)
{
	json_t *links = er_circuit_connections(op->ctx, er_jstr(c, "id"));
	json_t *gconns = er_gw_connections(op->ctx, gw), *x, *oc;
	const char *ploc = er_jstr(c,
	    "properties.serviceProviderProperties.peeringLocation");
	size_t i;
	int same = 0, rc = 0;

	json_array_foreach(gconns, i, x)
		if (er_streq(er_jstr(x, "properties.peer.id"),
		    er_jstr(c, "id")))
			rc = er_fail(op->err, ER_E_CONN_DUP, er_jstr(gw, "name"),
			    er_jstr(c, "name"), er_jstr(x, "name"));
	if (rc == 0 && (int)json_array_size(links) >=
	    er_circuit_link_limit(c))
		rc = er_fail(op->err, ER_E_CONN_CIRCUIT_LINKS, er_jstr(c,
		    "name"), er_jstr(c, "sku.name"), (long long)er_jint(c,
		    "properties.serviceProviderProperties.bandwidthInMbps", 0),
		    (long long)json_array_size(links));
	if (rc == 0 && (int)json_array_size(gconns) >= er_gw_conn_limit(gw))
		rc = er_fail(op->err, ER_E_CONN_GW_LIMIT, er_jstr(gw, "name"),
		    er_jstr(gw, "properties.sku.name"),
		    (long long)er_gw_conn_limit(gw),
		    (long long)json_array_size(gconns));
	json_array_foreach(gconns, i, x) {
		if (rc == -1)
			break;
		oc = er_get(op->ctx, er_jstr(x, "properties.peer.id"));
		if (er_streq(er_jstr(oc, "properties.serviceProviderProperties."
		    "peeringLocation"), ploc))
			same++;
		json_decref(oc);
	}
	if (rc == 0 && same >= 4)
		rc = er_fail(op->err, ER_E_CONN_SAME_LOCATION, er_jstr(gw,
		    "name"), (long long)same, ploc);
	if (rc == 0)
		rc = gwsubnet_check(op, gw, json_array_size(gconns));
	json_decref(links);
	json_decref(gconns);
	return rc;
}

/* Address spaces the connection would advertise at creation: the hub VNet
 * and the spokes that use its gateway (spec 3.2, limit 200). */
/* Count one advertised space: a space inside a summarized prefix counts
 * that summary once. */
static void
count_space(json_t *summaries, bool *used, const char *space, size_t *n)
{
	struct prefix s, q;
	json_t *v;
	size_t i;

	if (prefix_parse(space, &q, false) == 0)
		json_array_foreach(summaries, i, v) {
			if (i >= 64 || prefix_parse(json_string_value(v), &s,
			    false) == -1 || !prefix_contains(&s, &q))
				continue;
			if (!used[i])
				(*n)++;
			used[i] = true;
			return;
		}
	(*n)++;
}

/* Address spaces the connection would advertise at creation: the hub VNet
 * and the spokes that use its gateway, after summarization (spec 3.2,
 * limit 200). */
static int
spaces_check(struct er_op *op, json_t *gw)
{
	const char *vid = er_jstr(gw, "properties.xrVirtualNetwork");
	json_t *vnet = er_get(op->ctx, vid), *kids, *k, *rv, *back, *sp, *sum;
	bool used[64] = { false };
	size_t i, j, l, n = 0;

	sum = er_jget(vnet, "properties.summarizedGatewayPrefixes");
	json_array_foreach(er_jget(vnet, "properties.addressSpace."
	    "addressPrefixes"), i, sp)
		count_space(sum, used, json_string_value(sp), &n);
	kids = er_children(op->ctx, vid, &er_rt_vnet_peering);
	json_array_foreach(kids, i, k) {
		const char *rid = er_jstr(k,
		    "properties.remoteVirtualNetwork.id");
		json_t *rk;

		if (!er_jbool(k, "properties.allowGatewayTransit", false))
			continue;
		rv = er_get(op->ctx, rid);
		rk = er_children(op->ctx, rid, &er_rt_vnet_peering);
		json_array_foreach(rk, j, back) {
			if (!er_streq(er_jstr(back,
			    "properties.remoteVirtualNetwork.id"), vid) ||
			    !er_jbool(back, "properties.useRemoteGateways",
			    false))
				continue;
			json_array_foreach(er_jget(rv, "properties."
			    "addressSpace.addressPrefixes"), l, sp)
				count_space(sum, used, json_string_value(sp),
				    &n);
		}
		json_decref(rk);
		json_decref(rv);
	}
	json_decref(kids);
	json_decref(vnet);
	if (n > 200)
		return er_fail(op->err, ER_E_CONN_ADDR_SPACES, op->p->name,
		    (long long)n);
	return 0;
}

/* 9 to 16 circuit connections need a GatewaySubnet of /26 or larger. */
static int
gwsubnet_check(struct er_op *op, json_t *gw, size_t conns)
{
	const char *vid = er_jstr(gw, "properties.xrVirtualNetwork");
	json_t *vnet, *s;
	struct prefix p;
	size_t i;
	char len[8];
	int rc = 0;

	if (conns < 8)
		return 0;
	vnet = er_get(op->ctx, vid);
	json_array_foreach(er_jget(vnet, "properties.subnets"), i, s) {
		if (!er_streq(er_jstr(s, "name"), "GatewaySubnet") ||
		    prefix_parse(er_jstr(s, "properties.addressPrefix"), &p,
		    false) == -1 || p.af != AF_INET || p.len <= 26)
			continue;
		snprintf(len, sizeof(len), "/%u", p.len);
		rc = er_fail(op->err, ER_E_CONN_GWSUBNET_26, er_jstr(gw,
		    "name"), er_jstr(vnet, "name"), len);
	}
	json_decref(vnet);
	return rc;
}

static int
redeem(struct er_op *op, json_t *auth)
{
	const char *uri = er_jstr(auth, "properties.connectionResourceUri");
	char etag[40];

	if (uri != NULL && !er_streq(uri, er_jstr(op->doc, "id")))
		return er_fail(op->err, ER_E_AUTH_KEY_IN_USE, er_jstr(auth,
		    "name"), er_last_seg(er_jstr(op->doc,
		    "properties.peer.id")), uri);
	json_object_set_new(json_object_get(auth, "properties"),
	    "authorizationUseStatus", json_string("InUse"));
	json_object_set_new(json_object_get(auth, "properties"),
	    "connectionResourceUri", json_string(er_jstr(op->doc, "id")));
	er_etag(etag);
	json_object_set_new(auth, "etag", json_string(etag));
	return er_save(op->ctx, &er_rt_authorization, auth, op->err);
}

static int
immutables(struct er_op *op)
{
	const char *k[] = { "virtualNetworkGateway1.id", "peer.id" };
	char path[64];

	for (int i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "properties.%s", k[i]);
		if (!er_streq(er_jstr(op->old, path), er_jstr(op->doc, path)))
			return er_fail(op->err, ER_E_CONN_IMMUTABLE, path,
			    op->p->name);
	}
	if (!json_object_get(json_object_get(op->doc, "properties"),
	    "authorizationKey") && er_jstr(op->old,
	    "properties.authorizationKey"))
		json_object_set(json_object_get(op->doc, "properties"),
		    "authorizationKey", er_jget(op->old,
		    "properties.authorizationKey"));
	return 0;
}

static int
conn_checks(struct er_op *op, json_t *gw, json_t *c)
{
	json_t *pr = json_object_get(op->doc, "properties"), *pp;
	char ppid[ER_ID_MAX];

	if (!er_streq(er_jstr(gw, "properties.gatewayType"), "ExpressRoute"))
		return er_fail(op->err, ER_E_CONN_GW_MODE);
	if (!er_streq(er_props_state(gw), "Succeeded"))
		return er_fail(op->err, ER_E_CONN_GW_PROVISIONING);
	snprintf(ppid, sizeof(ppid), "%s/peerings/AzurePrivatePeering",
	    er_jstr(c, "id"));
	if ((pp = er_get(op->ctx, ppid)) == NULL)
		return er_fail(op->err, ER_E_PEERING_NOT_FOUND,
		    "AzurePrivatePeering", er_jstr(c, "properties.serviceKey"));
	json_decref(pp);
	if (scope_check(op, c, gw) == -1)
		return -1;
	if (er_jbool(pr, "expressRouteGatewayBypass", false) &&
	    !er_gw_fastpath(gw))
		return er_fail(op->err, ER_E_CONN_FASTPATH_SKU, er_jstr(gw,
		    "name"), er_jstr(gw, "properties.sku.name"));
	if (er_jbool(pr, "enablePrivateLinkFastPath", false) &&
	    !er_jbool(pr, "expressRouteGatewayBypass", false))
		return er_fail(op->err, ER_E_CONN_PLFP);
	if (op->old == NULL && (quota_check(op, c, gw) == -1 ||
	    spaces_check(op, gw) == -1))
		return -1;
	return 0;
}

/*
 * The link index: which /31s of the GatewaySubnet carry the connection's
 * two sessions (4k and 4k+2; docs/xrouted.8). Fixed for the life of the
 * connection so another connection coming or going never renumbers it; a
 * new one takes the lowest index the gateway's other connections leave.
 */
static void
link_index(struct er_op *op, json_t *pr)
{
	const char *gid = er_jstr(pr, "virtualNetworkGateway1.id");
	json_t *gw, *cs, *c, *k = op->old ? er_jget(op->old,
	    "properties.xrLinkIndex") : NULL;
	bool used[ER_CONN_LINKS_MAX] = { false };
	json_int_t v;
	size_t i;

	if (json_is_integer(k)) {
		json_object_set(pr, "xrLinkIndex", k);
		return;
	}
	if ((gw = er_get(op->ctx, gid)) == NULL)
		return;
	cs = er_gw_connections(op->ctx, gw);
	json_array_foreach(cs, i, c) {
		v = er_jint(c, "properties.xrLinkIndex", -1);
		if (v >= 0 && v < ER_CONN_LINKS_MAX &&
		    !er_streq(er_jstr(c, "id"), er_jstr(op->doc, "id")))
			used[v] = true;
	}
	for (v = 0; v < ER_CONN_LINKS_MAX - 1 && used[v]; v++)
		;
	json_object_set_new(pr, "xrLinkIndex", json_integer(v));
	json_decref(cs);
	json_decref(gw);
}

static int
conn_put(struct er_op *op)
{
	json_t *pr = json_object_get(op->doc, "properties"), *gw, *c, *auth;
	const char *gid = er_jstr(pr, "virtualNetworkGateway1.id");
	char guid[37];
	int rc;

	if (!er_streq(er_jstr(pr, "connectionType"), "ExpressRoute"))
		return er_fail(op->err, ER_E_CONN_TYPE,
		    er_jstr(pr, "connectionType"));
	if (op->old != NULL && immutables(op) == -1)
		return -1;
	if ((gw = er_ref_check(op, gid, &er_rt_gateway,
	    "properties.virtualNetworkGateway1.id")) == NULL)
		return -1;
	c = conn_circuit(op, er_jstr(pr, "peer.id"),
	    er_jstr(pr, "authorizationKey"), &auth);
	if (c == NULL) {
		json_decref(gw);
		json_decref(auth);
		return -1;
	}
	json_object_set_new(json_object_get(pr, "virtualNetworkGateway1"),
	    "id", json_string(er_jstr(gw, "id")));
	json_object_set_new(json_object_get(pr, "peer"), "id",
	    json_string(er_jstr(c, "id")));
	rc = conn_checks(op, gw, c);
	if (rc == 0 && auth != NULL)
		rc = redeem(op, auth);
	json_decref(auth);
	json_decref(gw);
	json_decref(c);
	if (rc == -1)
		return -1;
	if (!json_object_get(pr, "routingWeight"))
		json_object_set_new(pr, "routingWeight", json_integer(0));
	if (!json_object_get(pr, "expressRouteGatewayBypass"))
		json_object_set_new(pr, "expressRouteGatewayBypass",
		    json_false());
	/* Connected/Disconnected is written by the gateway role. */
	json_object_set_new(pr, "connectionStatus", json_string(op->old ?
	    er_jstr(op->old, "properties.connectionStatus") : "Unknown"));
	json_object_set_new(pr, "ingressBytesTransferred", json_integer(0));
	json_object_set_new(pr, "egressBytesTransferred", json_integer(0));
	er_guid(guid);
	json_object_set_new(pr, "resourceGuid", json_string(op->old ?
	    er_jstr(op->old, "properties.resourceGuid") : guid));
	link_index(op, pr);
	return 0;
}

/* Deleting the connection releases its authorization. */
static int
conn_del(struct er_op *op)
{
	const char *key = er_jstr(op->old, "properties.authorizationKey");
	json_t *a;
	int rc = 0;

	if (key == NULL)
		return 0;
	a = er_by_ukey(op->ctx, &er_rt_authorization, key);
	if (a != NULL && er_streq(er_jstr(a,
	    "properties.connectionResourceUri"), er_jstr(op->old, "id"))) {
		json_object_set_new(json_object_get(a, "properties"),
		    "authorizationUseStatus", json_string("Available"));
		json_object_del(json_object_get(a, "properties"),
		    "connectionResourceUri");
		rc = er_save(op->ctx, &er_rt_authorization, a, op->err);
	}
	json_decref(a);
	return rc;
}

/* What the gateway role observed (ER_CONN_STATUS_TYPE): connectionStatus
 * and the BGP peers of the connection, with each uptime computed now. */
static void
conn_render(struct er_ctx *ctx, json_t *doc)
{
	json_t *pr = json_object_get(doc, "properties"), *st, *peers, *p;
	char sid[ER_ID_MAX + 16], dur[32];
	struct store_rec r;
	int64_t since, s;
	size_t i;

	if (pr == NULL || er_jstr(doc, "id") == NULL)
		return;
	json_object_del(pr, "xrLinkIndex");
	snprintf(sid, sizeof(sid), "%s/status", er_jstr(doc, "id"));
	if (store_get(ctx->st, sid, &r) != STORE_OK)
		return;
	st = json_loads(r.doc, 0, NULL);
	store_rec_free(&r);
	if (er_jstr(st, "connectionStatus") != NULL)
		json_object_set(pr, "connectionStatus", json_object_get(st,
		    "connectionStatus"));
	if (er_jstr(st, "statusMessage") != NULL)
		json_object_set(pr, "xrStatusMessage", json_object_get(st,
		    "statusMessage"));
	peers = json_object_get(st, "peers");
	json_array_foreach(peers, i, p) {
		since = er_jint(p, "upSinceMs", 0);
		s = since > 0 && ctx->now_ms > since ? (ctx->now_ms - since) /
		    1000 : 0;
		snprintf(dur, sizeof(dur), "%02lld:%02lld:%02lld",
		    (long long)(s / 3600), (long long)(s / 60 % 60),
		    (long long)(s % 60));
		json_object_set_new(p, "connectedDuration", json_string(dur));
		json_object_del(p, "upSinceMs");
	}
	if (json_is_array(peers))
		json_object_set(pr, "bgpPeerStatus", peers);
	json_decref(st);
}

static char *
conn_idx(json_t *doc)
{
	return er_idx_lower(doc, "properties.peer.id");
}

const struct er_rtype er_rt_connection = {
	.seg = "connections",
	.type = "Microsoft.Network/connections",
	.schema = conn_schema,
	.flags = RT_LOCATION | RT_LRO,
	.put = conn_put,
	.del = conn_del,
	.render = conn_render,
	.idx = conn_idx,
};
