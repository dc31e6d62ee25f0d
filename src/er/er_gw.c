/*
 * Virtual network gateways and connections (spec sections 7.1-7.4):
 * gateway types and SKUs with their limits (table 7.2), ASN 65515, the
 * GatewaySubnet, one gateway per type per VNet, resize within a family; a
 * connection links an ExpressRoute gateway to a circuit's private peering
 * with a routing weight, optionally redeeming an authorization key from
 * another subscription. The two classic errors users quote (gateway mode
 * and gateway provisioning status) are reproduced exactly.
 * getBgpPeerStatus lists what the gateway role reports (gw_run.c).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "er/er_int.h"

/* Table 7.2. Scale units multiply the per-unit figures of ErGwScale. */
struct gw_sku {
	const char	*name;
	int		 family;	/* 0 non-AZ, 1 AZ, 2 scalable */
	int		 mbps, conns, routes;
	long		 pps, flows;
	bool		 fastpath;
};

static const struct gw_sku er_skus[] = {
	{ "Standard", 0, 1000, 4, 4000, 100000, 200000, false },
	{ "HighPerformance", 0, 2000, 8, 9500, 200000, 400000, false },
	{ "UltraPerformance", 0, 10000, 16, 9500, 1000000, 1000000, true },
	{ "ErGw1AZ", 1, 1000, 4, 4000, 100000, 200000, false },
	{ "ErGw2AZ", 1, 2000, 8, 9500, 200000, 400000, false },
	{ "ErGw3AZ", 1, 10000, 16, 9500, 1000000, 1000000, true },
	{ "ErGwScale", 2, 1000, 4, 60000, 100000, 100000, false },
	{ NULL, 0, 0, 0, 0, 0, 0, false }
};

static const char *const vpn_skus[] = { "Basic", "VpnGw1", "VpnGw2",
    "VpnGw3", "VpnGw4", "VpnGw5", "VpnGw1AZ", "VpnGw2AZ", "VpnGw3AZ",
    "VpnGw4AZ", "VpnGw5AZ", NULL };
static const char *const all_skus[] = { "Standard", "HighPerformance",
    "UltraPerformance", "ErGw1AZ", "ErGw2AZ", "ErGw3AZ", "ErGwScale",
    "Basic", "VpnGw1", "VpnGw2", "VpnGw3", "VpnGw4", "VpnGw5", "VpnGw1AZ",
    "VpnGw2AZ", "VpnGw3AZ", "VpnGw4AZ", "VpnGw5AZ", NULL };
static const char *const gw_types[] = { "ExpressRoute", "Vpn",
    "LocalGateway", NULL };
static const char *const vpn_types[] = { "RouteBased", "PolicyBased", NULL };
static const char *const alloc[] = { "Dynamic", "Static", NULL };
static const char *const admin_states[] = { "Enabled", "Disabled", NULL };
static const char *const res_models[] = { "SingleHomed", "MultiHomed",
    NULL };

static const struct er_field subres_fields[] = {
	{ "id", FT_STR, ERF_REQ, 1, 768, NULL, NULL, NULL },
	{ NULL, 0, 0, 0, 0, NULL, NULL, NULL }
};
static const struct er_field ipc_props[] = {
	{ "subnet", FT_OBJ, ERF_REQ, 0, 0, NULL, subres_fields,
	  "the VNet's GatewaySubnet" },
	{ "publicIPAddress", FT_OBJ, 0, 0, 0, NULL, subres_fields, NULL },
	{ "privateIPAllocationMethod", FT_ENUM, 0, 0, 0, alloc, NULL, NULL },
	{ "provisioningState", FT_STR, ERF_RO, 0, 0, NULL, NULL, NULL },
	{ NULL, 0, 0, 0, 0, NULL, NULL, NULL }
};
static const struct er_field ipc_fields[] = {
	{ "id", FT_STR, ERF_RO, 0, 0, NULL, NULL, NULL },
	{ "name", FT_STR, 0, 1, 80, NULL, NULL, NULL },
	{ "etag", FT_STR, ERF_RO, 0, 0, NULL, NULL, NULL },
	{ "properties", FT_OBJ, ERF_REQ, 0, 0, NULL, ipc_props, NULL },
	{ NULL, 0, 0, 0, 0, NULL, NULL, NULL }
};
static const struct er_field ipc_elem = { "", FT_OBJ, 0, 0, 0, NULL,
    ipc_fields, NULL };
static const struct er_field gsku_fields[] = {
	{ "name", FT_ENUM, ERF_REQ, 0, 0, all_skus, NULL, NULL },
	{ "tier", FT_ENUM, 0, 0, 0, all_skus, NULL, "equals name" },
	{ "capacity", FT_INT, ERF_RO, 0, 0, NULL, NULL, NULL },
	{ NULL, 0, 0, 0, 0, NULL, NULL, NULL }
};
static const struct er_field ro_elem = { "", FT_OBJ, ERF_RO, 0, 0, NULL,
    NULL, NULL };
static const struct er_field bgp_fields[] = {
	{ "asn", FT_INT, 0, 0, 4294967295LL, NULL, NULL,
	  "65515 for ExpressRoute gateways" },
	{ "bgpPeeringAddress", FT_STR, ERF_RO, 0, 0, NULL, NULL, NULL },
	{ "peerWeight", FT_INT, 0, 0, 100, NULL, NULL, NULL },
	{ "bgpPeeringAddresses", FT_ARR, ERF_RO, 0, 0, NULL, &ro_elem, NULL },
	{ NULL, 0, 0, 0, 0, NULL, NULL, NULL }
};
static const struct er_field pfx_elem = { "", FT_STR, 0, 1, 64, NULL, NULL,
    NULL };
static const struct er_field routes_fields[] = {
	{ "addressPrefixes", FT_ARR, 0, 0, 0, NULL, &pfx_elem, NULL },
	{ NULL, 0, 0, 0, 0, NULL, NULL, NULL }
};
static const struct er_field bounds_fields[] = {
	{ "min", FT_INT, 0, 1, 40, NULL, NULL, NULL },
	{ "max", FT_INT, 0, 1, 40, NULL, NULL, NULL },
	{ NULL, 0, 0, 0, 0, NULL, NULL, NULL }
};
static const struct er_field scale_fields[] = {
	{ "bounds", FT_OBJ, 0, 0, 0, NULL, bounds_fields, NULL },
	{ NULL, 0, 0, 0, 0, NULL, NULL, NULL }
};
static const struct er_field gw_props[] = {
	{ "gatewayType", FT_ENUM, ERF_REQ, 0, 0, gw_types, NULL, NULL },
	{ "vpnType", FT_ENUM, 0, 0, 0, vpn_types, NULL, NULL },
	{ "sku", FT_OBJ, ERF_REQ, 0, 0, NULL, gsku_fields, NULL },
	{ "ipConfigurations", FT_ARR, ERF_REQ, 0, 0, NULL, &ipc_elem, NULL },
	{ "bgpSettings", FT_OBJ, 0, 0, 0, NULL, bgp_fields, NULL },
	{ "customRoutes", FT_OBJ, 0, 0, 0, NULL, routes_fields,
	  "refused on ExpressRoute gateways" },
	{ "autoScaleConfiguration", FT_OBJ, 0, 0, 0, NULL, scale_fields,
	  "ErGwScale scale units" },
	{ "allowRemoteVnetTraffic", FT_BOOL, 0, 0, 0, NULL, NULL, NULL },
	{ "allowVirtualWanTraffic", FT_BOOL, 0, 0, 0, NULL, NULL, NULL },
	{ "adminState", FT_ENUM, 0, 0, 0, admin_states, NULL, NULL },
	{ "resiliencyModel", FT_ENUM, 0, 0, 0, res_models, NULL, NULL },
	{ "enableBgp", FT_BOOL, 0, 0, 0, NULL, NULL, NULL },
	{ "activeActive", FT_BOOL, 0, 0, 0, NULL, NULL, NULL },
	{ "resourceGuid", FT_STR, ERF_RO, 0, 0, NULL, NULL, NULL },
	{ "provisioningState", FT_STR, ERF_RO, 0, 0, NULL, NULL, NULL },
	{ NULL, 0, 0, 0, 0, NULL, NULL, NULL }
};
static const struct er_field gw_schema[] = {
	ER_F_ARM_IDS,
	{ "location", FT_STR, ERF_REQ, 0, 0, NULL, NULL, NULL },
	{ "tags", FT_MAP, 0, 0, 0, NULL, NULL, NULL },
	{ "properties", FT_OBJ, ERF_REQ, 0, 0, NULL, gw_props, NULL },
	{ NULL, 0, 0, 0, 0, NULL, NULL, NULL }
};

static const struct gw_sku *
sku_find(const char *name)
{
	for (const struct gw_sku *s = er_skus; s->name != NULL; s++)
		if (er_streq(s->name, name))
			return s;
	return NULL;
}

int
er_gw_conn_limit(json_t *gw)
{
	const struct gw_sku *s = sku_find(er_jstr(gw,
	    "properties.sku.name"));
	int64_t units = er_jint(gw, "properties.autoScaleConfiguration."
	    "bounds.min", 1);

	if (s == NULL)
		return 0;
	if (s->family == 2)
		return units >= 10 ? 16 : units >= 2 ? 8 : 4;
	return s->conns;
}

bool
er_gw_fastpath(json_t *gw)
{
	const struct gw_sku *s = sku_find(er_jstr(gw,
	    "properties.sku.name"));

	if (s == NULL)
		return false;
	if (s->family == 2)
		return er_jint(gw, "properties.autoScaleConfiguration.bounds."
		    "min", 1) >= 10;
	return s->fastpath;
}

static int
sku_check(struct er_op *op, json_t *pr, bool er)
{
	json_t *sku = json_object_get(pr, "sku");
	const char *name = er_jstr(sku, "name"), *tier = er_jstr(sku, "tier");
	const char *type = er_jstr(pr, "gatewayType");
	const struct gw_sku *s = sku_find(name), *os;
	char list[512];
	json_t *arr;
	int64_t mn, mx;

	if (tier != NULL && !er_streq(tier, name))
		return er_fail(op->err, ER_E_GW_SKU_MISMATCH, name, tier);
	arr = json_array();
	if ((er && s == NULL) || (!er && s != NULL)) {
		if (er)
			for (s = er_skus; s->name; s++)
				json_array_append_new(arr,
				    json_string(s->name));
		else
			for (int i = 0; vpn_skus[i]; i++)
				json_array_append_new(arr,
				    json_string(vpn_skus[i]));
		er_join(arr, list, sizeof(list));
		json_decref(arr);
		return er_fail(op->err, ER_E_GW_SKU_TYPE, name, type, list);
	}
	json_decref(arr);
	json_object_set_new(sku, "tier", json_string(name));
	json_object_set_new(sku, "capacity", json_integer(2));
	if (!er)
		return 0;
	if (s->family == 2) {
		if (!er_jget(pr, "autoScaleConfiguration.bounds"))
			return er_fail(op->err, ER_E_GW_SCALE_NEEDED);
		mn = er_jint(pr, "autoScaleConfiguration.bounds.min", 0);
		mx = er_jint(pr, "autoScaleConfiguration.bounds.max", 0);
		if (mn < 1 || mx < mn || mx > 40)
			return er_fail(op->err, ER_E_GW_SCALE_BOUNDS,
			    (long long)mn, (long long)mx);
		json_object_set_new(sku, "capacity", json_integer(mn));
	}
	if (op->old != NULL) {
		os = sku_find(er_jstr(op->old, "properties.sku.name"));
		if (os != NULL && os->family != s->family)
			return er_fail(op->err, ER_E_GW_RESIZE, op->p->name,
			    os->name, s->name);
	}
	return 0;
}

/* The GatewaySubnet reference, the VNet it belongs to, and the
 * one-gateway-per-type and no-remote-gateways rules. */
static int
vnet_check(struct er_op *op, json_t *pr, char *vnet_id, size_t len)
{
	json_t *ipcs = json_object_get(pr, "ipConfigurations"), *ipc, *vnet;
	json_t *gws, *g, *kids, *k;
	const char *sid, *type = er_jstr(pr, "gatewayType"), *slash;
	char id[ER_ID_MAX], etag[40];
	size_t i;
	int rc = 0;

	if (json_array_size(ipcs) != 1)
		return er_fail(op->err, ER_E_GW_IPCONFIG_COUNT, op->p->name,
		    (long long)json_array_size(ipcs));
	ipc = json_array_get(ipcs, 0);
	sid = er_jstr(ipc, "properties.subnet.id");
	slash = strrchr(sid, '/');
	if (slash == NULL || !er_streq(slash + 1, "GatewaySubnet") ||
	    (size_t)(slash - sid) < 9 ||
	    strncasecmp(slash - 8, "/subnets", 8) != 0)
		return er_fail(op->err, ER_E_GW_SUBNET, op->p->name, sid);
	snprintf(vnet_id, len, "%.*s", (int)(slash - 8 - sid), sid);
	if ((vnet = er_ref_check(op, vnet_id, &er_rt_vnet,
	    "properties.ipConfigurations[0].properties.subnet.id")) == NULL)
		return -1;
	snprintf(vnet_id, len, "%s", er_jstr(vnet, "id"));
	rc = -1;
	json_array_foreach(er_jget(vnet, "properties.subnets"), i, k)
		if (er_streq(er_jstr(k, "name"), "GatewaySubnet"))
			rc = 0;
	if (rc == -1)
		er_fail(op->err, ER_E_GW_SUBNET, op->p->name, sid);
	snprintf(id, sizeof(id), "%s/ipConfigurations/%s", er_jstr(op->doc,
	    "id"), er_jstr(ipc, "name") ? er_jstr(ipc, "name") : "default");
	if (!er_jstr(ipc, "name"))
		json_object_set_new(ipc, "name", json_string("default"));
	er_etag(etag);
	json_object_set_new(ipc, "id", json_string(id));
	json_object_set_new(ipc, "etag", json_string(etag));
	json_object_set_new(json_object_get(ipc, "properties"),
	    "subnet", json_pack("{s:s}", "id", sid));
	if (!er_jstr(ipc, "properties.privateIPAllocationMethod"))
		json_object_set_new(json_object_get(ipc, "properties"),
		    "privateIPAllocationMethod", json_string("Dynamic"));
	{
		char *k2 = er_strdup_lower(vnet_id);

		gws = er_by_idx(op->ctx, &er_rt_gateway, k2);
		free(k2);
	}
	json_array_foreach(gws, i, g)
		if (rc == 0 && !er_streq(er_jstr(g, "id"), er_jstr(op->doc,
		    "id")) && er_streq(er_jstr(g, "properties.gatewayType"),
		    type))
			rc = er_fail(op->err, ER_E_GW_EXISTS_TYPE,
			    er_jstr(vnet, "name"), type, er_jstr(g, "name"));
	json_decref(gws);
	kids = er_children(op->ctx, vnet_id, &er_rt_vnet_peering);
	json_array_foreach(kids, i, k)
		if (rc == 0 && er_jbool(k, "properties.useRemoteGateways",
		    false))
			rc = er_fail(op->err, ER_E_GW_VNET_USES_REMOTE,
			    er_jstr(vnet, "name"), er_jstr(k, "name"));
	json_decref(kids);
	json_decref(vnet);
	return rc;
}

static int
gw_put(struct er_op *op)
{
	json_t *pr = json_object_get(op->doc, "properties"), *bgp;
	const char *type = er_jstr(pr, "gatewayType");
	bool er = er_streq(type, "ExpressRoute");
	char vnet_id[ER_ID_MAX], guid[37];
	int64_t asn;

	if (op->old && !er_streq(er_jstr(op->old, "properties.gatewayType"),
	    type))
		return er_fail(op->err, ER_E_GW_TYPE_IMMUTABLE, op->p->name,
		    er_jstr(op->old, "properties.gatewayType"), type);
	if (er && json_object_get(pr, "customRoutes"))
		return er_fail(op->err, ER_E_GW_CUSTOM_ROUTES, op->p->name);
	if (sku_check(op, pr, er) == -1)
		return -1;
	if (vnet_check(op, pr, vnet_id, sizeof(vnet_id)) == -1)
		return -1;
	if ((bgp = json_object_get(pr, "bgpSettings")) == NULL) {
		bgp = json_object();
		json_object_set_new(pr, "bgpSettings", bgp);
	}
	asn = er_jint(bgp, "asn", 65515);
	if (er && asn != 65515)
		return er_fail(op->err, ER_E_GW_ASN, (long long)asn);
	json_object_set_new(bgp, "asn", json_integer(asn));
	if (!json_object_get(bgp, "peerWeight"))
		json_object_set_new(bgp, "peerWeight", json_integer(0));
	json_object_set_new(bgp, "bgpPeeringAddress", json_string(""));
	if (er) {
		if (!json_object_get(pr, "allowRemoteVnetTraffic"))
			json_object_set_new(pr, "allowRemoteVnetTraffic",
			    json_false());
		if (!json_object_get(pr, "adminState"))
			json_object_set_new(pr, "adminState",
			    json_string("Enabled"));
	}
	er_guid(guid);
	json_object_set_new(pr, "resourceGuid", json_string(op->old ?
	    er_jstr(op->old, "properties.resourceGuid") : guid));
	/* the VNet index of this gateway */
	json_object_set_new(pr, "xrVirtualNetwork", json_string(vnet_id));
	return 0;
}

json_t *
er_gw_connections(struct er_ctx *ctx, json_t *gw)
{
	struct er_path p;
	json_t *all, *c, *out = json_array();
	size_t i;

	if (er_path_parse(er_jstr(gw, "id"), &p) == -1)
		return out;
	all = er_by_type(ctx, &er_rt_connection, p.sub);
	json_array_foreach(all, i, c)
		if (er_streq(er_jstr(c, "properties.virtualNetworkGateway1.id"),
		    er_jstr(gw, "id")))
			json_array_append(out, c);
	json_decref(all);
	return out;
}

static int
gw_del(struct er_op *op)
{
	json_t *cs = er_gw_connections(op->ctx, op->old), *ids = json_array(), *c;
	char list[1024];
	size_t i;
	int rc = 0;

	json_array_foreach(cs, i, c)
		json_array_append_new(ids, json_string(er_jstr(c, "name")));
	if (json_array_size(cs) > 0) {
		er_join(ids, list, sizeof(list));
		rc = er_fail(op->err, ER_E_GW_IN_USE, op->p->name,
		    (long long)json_array_size(cs), list);
	}
	json_decref(ids);
	json_decref(cs);
	return rc;
}

/*
 * POST .../virtualNetworkGateways/{gw}/getBgpPeerStatus: Azure's list of
 * BgpPeerStatus, here the sessions the gateway role reports for each of
 * its connections (the connection's bgpPeerStatus, named after it).
 */
static int
gw_action(struct er_op *op)
{
	json_t *cs, *c, *doc, *p, *out;
	size_t i, j;

	if (strcmp(op->p->action, "getBgpPeerStatus") != 0 ||
	    op->p->arg[0] != '\0')
		return er_fail(op->err, ER_E_BAD_PATH, op->req->path);
	cs = er_gw_connections(op->ctx, op->old);
	out = json_array();
	json_array_foreach(cs, i, c) {
		doc = er_render(op->ctx, &er_rt_connection, c);
		json_array_foreach(er_jget(doc, "properties.bgpPeerStatus"), j,
		    p) {
			json_object_set_new(p, "connection", json_string(
			    er_jstr(c, "name")));
			json_array_append(out, p);
		}
		json_decref(doc);
	}
	json_decref(cs);
	op->result = json_pack("{s:o}", "value", out);
	return 0;
}

static void
gw_render(struct er_ctx *ctx, json_t *doc)
{
	json_object_del(json_object_get(doc, "properties"), "xrVirtualNetwork");
}

static char *
gw_idx(json_t *doc)
{
	return er_idx_lower(doc, "properties.xrVirtualNetwork");
}

const struct er_rtype er_rt_gateway = {
	.seg = "virtualNetworkGateways",
	.type = "Microsoft.Network/virtualNetworkGateways",
	.schema = gw_schema,
	.flags = RT_LOCATION | RT_LRO,
	.put = gw_put,
	.del = gw_del,
	.render = gw_render,
	.action = gw_action,
	.idx = gw_idx,
};
