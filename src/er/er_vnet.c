/*
 * Virtual networks and virtual network peering (spec section 7.5): address
 * spaces, subnets (GatewaySubnet), peerings with gateway transit. Rules:
 * no overlapping spaces or subnets, subnets inside the space, useRemoteGateways
 * on at most one peering of a VNet and never with the VNet's own gateway,
 * and the peering state Initiated -> Connected (both sides exist) ->
 * Disconnected (the other side went away).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "er/er_int.h"

#define VNET_MAX_SPACES	512

static const struct er_field pfx_elem = { "", FT_STR, 0, 1, 64, NULL, NULL,
    NULL };
static const struct er_field space_fields[] = {
	{ "addressPrefixes", FT_ARR, ERF_REQ, 0, 0, NULL, &pfx_elem, NULL },
	{ NULL, 0, 0, 0, 0, NULL, NULL, NULL }
};
static const struct er_field subnet_props[] = {
	{ "addressPrefix", FT_STR, ERF_REQ, 1, 64, NULL, NULL, NULL },
	{ "provisioningState", FT_STR, ERF_RO, 0, 0, NULL, NULL, NULL },
	{ NULL, 0, 0, 0, 0, NULL, NULL, NULL }
};
static const struct er_field subnet_fields[] = {
	{ "id", FT_STR, ERF_RO, 0, 0, NULL, NULL, NULL },
	{ "name", FT_STR, ERF_REQ, 1, 80, NULL, NULL,
	  "GatewaySubnet holds the gateway" },
	{ "type", FT_STR, ERF_RO, 0, 0, NULL, NULL, NULL },
	{ "etag", FT_STR, ERF_RO, 0, 0, NULL, NULL, NULL },
	{ "properties", FT_OBJ, ERF_REQ, 0, 0, NULL, subnet_props, NULL },
	{ NULL, 0, 0, 0, 0, NULL, NULL, NULL }
};
static const struct er_field subnet_elem = { "", FT_OBJ, 0, 0, 0, NULL,
    subnet_fields, NULL };
static const struct er_field ro_elem = { "", FT_OBJ, ERF_RO, 0, 0, NULL,
    NULL, NULL };
static const struct er_field vnet_props[] = {
	{ "addressSpace", FT_OBJ, ERF_REQ, 0, 0, NULL, space_fields, NULL },
	{ "subnets", FT_ARR, 0, 0, 0, NULL, &subnet_elem, NULL },
	{ "summarizedGatewayPrefixes", FT_ARR, 0, 0, 0, NULL, &pfx_elem,
	  "aggregates the gateway advertises instead of the hub and spoke "
	  "spaces they cover" },
	{ "virtualNetworkPeerings", FT_ARR, ERF_RO, 0, 0, NULL, &ro_elem,
	  "child peerings (manage them at .../virtualNetworkPeerings)" },
	{ "resourceGuid", FT_STR, ERF_RO, 0, 0, NULL, NULL, NULL },
	{ "provisioningState", FT_STR, ERF_RO, 0, 0, NULL, NULL, NULL },
	{ NULL, 0, 0, 0, 0, NULL, NULL, NULL }
};
static const struct er_field vnet_schema[] = {
	ER_F_ARM_IDS,
	{ "location", FT_STR, ERF_REQ, 0, 0, NULL, NULL, NULL },
	{ "tags", FT_MAP, 0, 0, 0, NULL, NULL, NULL },
	{ "properties", FT_OBJ, ERF_REQ, 0, 0, NULL, vnet_props, NULL },
	{ NULL, 0, 0, 0, 0, NULL, NULL, NULL }
};

/* The gateways of a VNet (indexed by VNet id). */
static json_t *
vnet_gateways(struct er_ctx *ctx, const char *vnet_id)
{
	char *k = er_strdup_lower(vnet_id);
	json_t *a = er_by_idx(ctx, &er_rt_gateway, k);

	free(k);
	return a;
}

static int
space_check(struct er_op *op, json_t *pfx, struct prefix *sp, size_t *nsp)
{
	json_t *v;
	size_t i, j;
	char what[160], a[PREFIX_STRLEN], b[PREFIX_STRLEN];

	snprintf(what, sizeof(what), "virtual network '%s'", op->p->name);
	*nsp = 0;
	json_array_foreach(pfx, i, v) {
		if (i >= VNET_MAX_SPACES || prefix_parse(json_string_value(v),
		    &sp[i],
		    true) == -1)
			return er_fail(op->err, ER_E_VNET_PREFIX_INVALID,
			    json_string_value(v), what);
		for (j = 0; j < i; j++)
			if (er_prefix_overlap(&sp[i], &sp[j]))
				return er_fail(op->err, ER_E_VNET_SPACE_OVERLAP,
				    prefix_ntop(&sp[i], a, sizeof(a)),
				    prefix_ntop(&sp[j], b, sizeof(b)),
				    op->p->name);
		*nsp = i + 1;
	}
	return 0;
}

static int
subnets_check(struct er_op *op, json_t *subs, struct prefix *sp, size_t nsp)
{
	struct prefix p[128];
	json_t *s;
	size_t i, j;
	bool inside;
	const char *name;
	char what[160], etag[40], id[ER_ID_MAX], len[8];

	json_array_foreach(subs, i, s) {
		name = er_jstr(s, "name");
		snprintf(what, sizeof(what), "subnet '%s'", name);
		if (i >= 128 || prefix_parse(er_jstr(s,
		    "properties.addressPrefix"), &p[i], true) == -1)
			return er_fail(op->err, ER_E_VNET_PREFIX_INVALID,
			    er_jstr(s, "properties.addressPrefix"), what);
		for (j = 0, inside = false; j < nsp; j++)
			inside |= prefix_contains(&sp[j], &p[i]);
		if (!inside)
			return er_fail(op->err, ER_E_SUBNET_OUTSIDE, name,
			    op->p->name);
		for (j = 0; j < i; j++) {
			if (er_streq(name, er_jstr(json_array_get(subs, j),
			    "name")))
				return er_fail(op->err, ER_E_SUBNET_DUP, name,
				    op->p->name);
			if (er_prefix_overlap(&p[i], &p[j]))
				return er_fail(op->err, ER_E_SUBNET_OVERLAP,
				    name, op->p->name);
		}
		if (er_streq(name, "GatewaySubnet") && p[i].af == AF_INET &&
		    p[i].len > 29) {
			snprintf(len, sizeof(len), "/%u", p[i].len);
			return er_fail(op->err, ER_E_GATEWAYSUBNET_SMALL,
			    op->p->name, len);
		}
		snprintf(id, sizeof(id), "%s/subnets/%s", er_jstr(op->doc,
		    "id"), name);
		er_etag(etag);
		json_object_set_new(s, "id", json_string(id));
		json_object_set_new(s, "etag", json_string(etag));
		json_object_set_new(s, "type", json_string(
		    "Microsoft.Network/virtualNetworks/subnets"));
		json_object_set_new(json_object_get(s, "properties"),
		    "provisioningState", json_string("Succeeded"));
	}
	return 0;
}

/* summarizedGatewayPrefixes: valid CIDRs that do not overlap each other
 * (spec 3.2). */
static int
summaries_check(struct er_op *op, json_t *list)
{
	struct prefix p[64];
	json_t *v;
	size_t i, j;
	char what[160];

	snprintf(what, sizeof(what), "virtual network '%s'", op->p->name);
	json_array_foreach(list, i, v) {
		if (i >= 64 || prefix_parse(json_string_value(v), &p[i],
		    true) == -1)
			return er_fail(op->err, ER_E_VNET_PREFIX_INVALID,
			    json_string_value(v), what);
		for (j = 0; j < i; j++)
			if (er_prefix_overlap(&p[i], &p[j]))
				return er_fail(op->err, ER_E_SUMMARY_OVERLAP,
				    json_string_value(v), json_string_value(
				    json_array_get(list, j)), op->p->name);
	}
	return 0;
}

static bool
has_gateway_subnet(json_t *vnet)
{
	json_t *s;
	size_t i;

	json_array_foreach(er_jget(vnet, "properties.subnets"), i, s)
		if (er_streq(er_jstr(s, "name"), "GatewaySubnet"))
			return true;
	return false;
}

static int
vnet_put(struct er_op *op)
{
	json_t *pr = json_object_get(op->doc, "properties"), *gws;
	struct prefix *sp;
	size_t nsp;
	char guid[37];
	int rc = 0;

	if ((sp = calloc(VNET_MAX_SPACES, sizeof(*sp))) == NULL)
		return er_fail(op->err, ER_E_STORE, "out of memory");
	if (space_check(op, er_jget(pr, "addressSpace.addressPrefixes"), sp,
	    &nsp) == -1) {
		free(sp);
		return -1;
	}
	if (!json_object_get(pr, "subnets"))
		json_object_set_new(pr, "subnets", json_array());
	rc = subnets_check(op, json_object_get(pr, "subnets"), sp, nsp);
	free(sp);
	if (rc == -1 || summaries_check(op, json_object_get(pr,
	    "summarizedGatewayPrefixes")) == -1)
		return -1;
	if (op->old != NULL && !has_gateway_subnet(op->doc)) {
		gws = vnet_gateways(op->ctx, er_jstr(op->old, "id"));
		if (json_array_size(gws) > 0) {
			char sn[ER_ID_MAX];

			snprintf(sn, sizeof(sn), "%s/subnets/GatewaySubnet",
			    er_jstr(op->old, "id"));
			rc = er_fail(op->err, ER_E_SUBNET_IN_USE, sn,
			    er_jstr(json_array_get(gws, 0), "id"));
		}
		json_decref(gws);
	}
	er_guid(guid);
	json_object_set_new(pr, "resourceGuid", json_string(op->old ?
	    er_jstr(op->old, "properties.resourceGuid") : guid));
	return rc;
}

static json_t *
peerings_to(struct er_ctx *ctx, const char *vnet_id)
{
	char *k = er_strdup_lower(vnet_id);
	json_t *a = er_by_idx(ctx, &er_rt_vnet_peering, k);

	free(k);
	return a;
}

static void
set_peering_state(struct er_ctx *ctx, json_t *pe, const char *state)
{
	char etag[40];
	struct er_err err;

	json_object_set_new(json_object_get(pe, "properties"), "peeringState",
	    json_string(state));
	er_etag(etag);
	json_object_set_new(pe, "etag", json_string(etag));
	er_save(ctx, &er_rt_vnet_peering, pe, &err);
}

static int
vnet_del(struct er_op *op)
{
	json_t *gws = vnet_gateways(op->ctx, er_jstr(op->old, "id")), *back;
	json_t *pe;
	size_t i;
	int rc = 0;

	if (json_array_size(gws) > 0)
		rc = er_fail(op->err, ER_E_VNET_IN_USE, er_jstr(op->old, "name"),
		    er_jstr(json_array_get(gws, 0), "id"));
	json_decref(gws);
	if (rc == -1)
		return -1;
	back = peerings_to(op->ctx, er_jstr(op->old, "id"));
	json_array_foreach(back, i, pe)
		set_peering_state(op->ctx, pe, "Disconnected");
	json_decref(back);
	return 0;
}

static void
vnet_render(struct er_ctx *ctx, json_t *doc)
{
	json_t *kids = er_children(ctx, er_jstr(doc, "id"),
	    &er_rt_vnet_peering), *k, *out = json_array();
	size_t i;

	json_array_foreach(kids, i, k)
		json_array_append_new(out, er_render(ctx, &er_rt_vnet_peering,
		    k));
	json_decref(kids);
	json_object_set_new(json_object_get(doc, "properties"),
	    "virtualNetworkPeerings", out);
}

const struct er_rtype er_rt_vnet = {
	.seg = "virtualNetworks",
	.type = "Microsoft.Network/virtualNetworks",
	.schema = vnet_schema,
	.flags = RT_LOCATION | RT_LRO,
	.put = vnet_put,
	.del = vnet_del,
	.render = vnet_render,
};

/* --- virtual network peering --- */

static const struct er_field subres_fields[] = {
	{ "id", FT_STR, ERF_REQ, 1, 768, NULL, NULL, NULL },
	{ NULL, 0, 0, 0, 0, NULL, NULL, NULL }
};
static const struct er_field vp_props[] = {
	{ "remoteVirtualNetwork", FT_OBJ, ERF_REQ, 0, 0, NULL, subres_fields,
	  NULL },
	{ "allowVirtualNetworkAccess", FT_BOOL, 0, 0, 0, NULL, NULL,
	  "default true" },
	{ "allowForwardedTraffic", FT_BOOL, 0, 0, 0, NULL, NULL, NULL },
	{ "allowGatewayTransit", FT_BOOL, 0, 0, 0, NULL, NULL,
	  "hub side: peers may use this VNet's gateways" },
	{ "useRemoteGateways", FT_BOOL, 0, 0, 0, NULL, NULL,
	  "spoke side: use the peer's gateway" },
	{ "doNotVerifyRemoteGateways", FT_BOOL, 0, 0, 0, NULL, NULL, NULL },
	{ "peeringState", FT_STR, ERF_RO, 0, 0, NULL, NULL,
	  "Initiated, Connected, Disconnected" },
	{ "peeringSyncLevel", FT_STR, ERF_RO, 0, 0, NULL, NULL, NULL },
	{ "remoteAddressSpace", FT_OBJ, ERF_RO, 0, 0, NULL, NULL, NULL },
	{ "provisioningState", FT_STR, ERF_RO, 0, 0, NULL, NULL, NULL },
	{ NULL, 0, 0, 0, 0, NULL, NULL, NULL }
};
static const struct er_field vp_schema[] = {
	ER_F_ARM_IDS,
	{ "properties", FT_OBJ, ERF_REQ, 0, 0, NULL, vp_props, NULL },
	{ NULL, 0, 0, 0, 0, NULL, NULL, NULL }
};

static int
spaces_overlap(struct er_op *op, json_t *a, json_t *b)
{
	json_t *x, *y;
	size_t i, j;
	struct prefix p, q;

	json_array_foreach(er_jget(a, "properties.addressSpace."
	    "addressPrefixes"), i, x)
		json_array_foreach(er_jget(b, "properties.addressSpace."
		    "addressPrefixes"), j, y) {
			if (prefix_parse(json_string_value(x), &p, false) ||
			    prefix_parse(json_string_value(y), &q, false))
				continue;
			if (er_prefix_overlap(&p, &q))
				return er_fail(op->err, ER_E_VNETPEER_OVERLAP,
				    er_jstr(a, "name"), er_jstr(b, "name"),
				    json_string_value(x),
				    json_string_value(y));
		}
	return 0;
}

/* The remote VNet's peering that points back at us, if any. */
static json_t *
peering_back(struct er_ctx *ctx, const char *remote_id, const char *our_id)
{
	json_t *kids = er_children(ctx, remote_id, &er_rt_vnet_peering), *k;
	json_t *found = NULL;
	size_t i;

	json_array_foreach(kids, i, k)
		if (er_streq(er_jstr(k, "properties.remoteVirtualNetwork.id"),
		    our_id))
			found = json_incref(k);
	json_decref(kids);
	return found;
}

static int
urg_check(struct er_op *op, json_t *remote, json_t *back)
{
	json_t *gws, *kids, *k;
	size_t i;
	int rc = 0;

	gws = vnet_gateways(op->ctx, op->p->parent_id);
	if (json_array_size(gws) > 0)
		rc = er_fail(op->err, ER_E_VNETPEER_URG_OWN_GW, op->p->cname,
		    op->p->name, er_jstr(json_array_get(gws, 0), "name"));
	json_decref(gws);
	if (rc == -1)
		return -1;
	kids = er_children(op->ctx, op->p->parent_id, &er_rt_vnet_peering);
	json_array_foreach(kids, i, k)
		if (!er_streq(er_jstr(k, "name"), op->p->cname) &&
		    er_jbool(k, "properties.useRemoteGateways", false)) {
			rc = er_fail(op->err, ER_E_VNETPEER_URG_TWICE,
			    op->p->cname, er_jstr(k, "name"), op->p->name);
			break;
		}
	json_decref(kids);
	if (rc == -1)
		return -1;
	if (!er_jbool(op->doc, "properties.doNotVerifyRemoteGateways", false)) {
		gws = vnet_gateways(op->ctx, er_jstr(remote, "id"));
		if (json_array_size(gws) == 0)
			rc = er_fail(op->err, ER_E_VNETPEER_URG_NO_GW,
			    op->p->cname, er_jstr(remote, "name"));
		json_decref(gws);
	}
	if (rc == 0 && back != NULL &&
	    !er_jbool(back, "properties.allowGatewayTransit", false))
		rc = er_fail(op->err, ER_E_VNETPEER_URG_NO_TRANSIT, op->p->cname,
		    er_jstr(back, "name"));
	return rc;
}

static int
vp_put(struct er_op *op)
{
	json_t *pr = json_object_get(op->doc, "properties"), *remote, *back;
	json_t *kids, *k;
	const char *rid = er_jstr(pr, "remoteVirtualNetwork.id");
	size_t i;
	int rc = 0;

	if ((remote = er_ref_check(op, rid, &er_rt_vnet,
	    "properties.remoteVirtualNetwork.id")) == NULL)
		return -1;
	if (er_streq(er_jstr(remote, "id"), op->p->parent_id)) {
		json_decref(remote);
		return er_fail(op->err, ER_E_VNETPEER_SELF, op->p->name);
	}
	kids = er_children(op->ctx, op->p->parent_id, &er_rt_vnet_peering);
	json_array_foreach(kids, i, k)
		if (!er_streq(er_jstr(k, "name"), op->p->cname) &&
		    er_streq(er_jstr(k, "properties.remoteVirtualNetwork.id"),
		    rid))
			rc = er_fail(op->err, ER_E_VNETPEER_DUP, op->p->name,
			    er_jstr(remote, "name"), er_jstr(k, "name"));
	json_decref(kids);
	if (rc == 0)
		rc = spaces_overlap(op, op->parent, remote);
	back = peering_back(op->ctx, er_jstr(remote, "id"), op->p->parent_id);
	if (rc == 0 && er_jbool(pr, "useRemoteGateways", false))
		rc = urg_check(op, remote, back);
	if (rc == 0) {
		json_object_set_new(json_object_get(pr, "remoteVirtualNetwork"),
		    "id", json_string(er_jstr(remote, "id")));
		if (!json_object_get(pr, "allowVirtualNetworkAccess"))
			json_object_set_new(pr, "allowVirtualNetworkAccess",
			    json_true());
		if (!json_object_get(pr, "allowForwardedTraffic"))
			json_object_set_new(pr, "allowForwardedTraffic",
			    json_false());
		if (!json_object_get(pr, "allowGatewayTransit"))
			json_object_set_new(pr, "allowGatewayTransit",
			    json_false());
		if (!json_object_get(pr, "useRemoteGateways"))
			json_object_set_new(pr, "useRemoteGateways",
			    json_false());
		json_object_set_new(pr, "peeringState", json_string(back ?
		    "Connected" : "Initiated"));
		json_object_set_new(pr, "peeringSyncLevel",
		    json_string("FullyInSync"));
		json_object_set(pr, "remoteAddressSpace", er_jget(remote,
		    "properties.addressSpace"));
		if (back != NULL)
			set_peering_state(op->ctx, back, "Connected");
	}
	json_decref(back);
	json_decref(remote);
	return rc;
}

static int
vp_del(struct er_op *op)
{
	json_t *back = peering_back(op->ctx, er_jstr(op->old,
	    "properties.remoteVirtualNetwork.id"), op->p->parent_id);

	if (back != NULL)
		set_peering_state(op->ctx, back, "Disconnected");
	json_decref(back);
	return 0;
}

static char *
vp_idx(json_t *doc)
{
	return er_idx_lower(doc, "properties.remoteVirtualNetwork.id");
}

const struct er_rtype er_rt_vnet_peering = {
	.seg = "virtualNetworkPeerings",
	.type = "Microsoft.Network/virtualNetworks/virtualNetworkPeerings",
	.parent = &er_rt_vnet,
	.schema = vp_schema,
	.flags = RT_LRO,
	.put = vp_put,
	.del = vp_del,
	.idx = vp_idx,
};
