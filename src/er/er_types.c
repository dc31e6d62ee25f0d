/*
 * The resource-type registry, and the administrative types that have no
 * file of their own: subscriptions, resource groups, catalogue providers
 * and API tokens.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "er/er_int.h"

/* Members every ARM resource has; GET output may be PUT back. */
#define ER_ARM_RO \
	{ "id", FT_STR, ERF_RO, 0, 0, NULL, NULL, "ARM resource id" }, \
	{ "name", FT_STR, ERF_RO, 0, 0, NULL, NULL, "resource name" }, \
	{ "type", FT_STR, ERF_RO, 0, 0, NULL, NULL, "ARM resource type" }, \
	{ "etag", FT_STR, ERF_RO, 0, 0, NULL, NULL, "changes on every write" }

static const struct er_field sub_props[] = {
	{ "displayName", FT_STR, 0, 0, 256, NULL, NULL, NULL },
	{ "office365Authorized", FT_BOOL, 0, 0, 0, NULL, NULL,
	  "may use Microsoft 365 communities in route filters" },
	{ "circuitQuota", FT_INT, 0, 0, 100000, NULL, NULL,
	  "circuits per subscription (default 50)" },
	{ "circuitQuotaPerRegion", FT_INT, 0, 0, 100000, NULL, NULL,
	  "circuits per region (default 10)" },
	{ "state", FT_STR, ERF_RO, 0, 0, NULL, NULL, NULL },
	{ "provisioningState", FT_STR, ERF_RO, 0, 0, NULL, NULL, NULL },
	{ NULL, 0, 0, 0, 0, NULL, NULL, NULL }
};
static const struct er_field sub_schema[] = {
	ER_ARM_RO,
	{ "subscriptionId", FT_STR, ERF_RO, 0, 0, NULL, NULL, NULL },
	{ "tags", FT_MAP, 0, 0, 0, NULL, NULL, NULL },
	{ "properties", FT_OBJ, 0, 0, 0, NULL, sub_props, NULL },
	{ NULL, 0, 0, 0, 0, NULL, NULL, NULL }
};

static int
sub_put(struct er_op *op)
{
	json_t *pr = json_object_get(op->doc, "properties");

	json_object_set_new(op->doc, "subscriptionId",
	    json_string(op->p->sub));
	json_object_set_new(pr, "state", json_string("Enabled"));
	return 0;
}

const struct er_rtype er_rt_sub = {
	.seg = "subscriptions",
	.type = "Microsoft.Resources/subscriptions",
	.schema = sub_schema,
	.put = sub_put,
};

static const struct er_field ro_state[] = {
	{ "provisioningState", FT_STR, ERF_RO, 0, 0, NULL, NULL, NULL },
	{ NULL, 0, 0, 0, 0, NULL, NULL, NULL }
};
static const struct er_field rg_schema[] = {
	ER_ARM_RO,
	{ "location", FT_STR, ERF_REQ, 0, 0, NULL, NULL, "Azure region" },
	{ "tags", FT_MAP, 0, 0, 0, NULL, NULL, NULL },
	{ "managedBy", FT_STR, ERF_RO, 0, 0, NULL, NULL, NULL },
	{ "properties", FT_OBJ, 0, 0, 0, NULL, ro_state, NULL },
	{ NULL, 0, 0, 0, 0, NULL, NULL, NULL }
};

static int
rg_put(struct er_op *op)
{
	return 0;
}

/* Deleting a group deletes what is in it (the store cascades), but not
 * past the rules of its circuits. */
static int
rg_del(struct er_op *op)
{
	char id[ER_ID_MAX];
	json_t *cs, *c;
	size_t i;
	int rc = 0;

	er_id_rg(id, sizeof(id), op->p->sub, op->p->rg);
	cs = er_children(op->ctx, id, &er_rt_circuit);
	json_array_foreach(cs, i, c) {
		struct er_op cop = *op;

		cop.rt = &er_rt_circuit;
		cop.old = c;
		if (er_rt_circuit.del(&cop) == -1) {
			rc = -1;
			break;
		}
	}
	json_decref(cs);
	return rc;
}

const struct er_rtype er_rt_rg = {
	.seg = "resourceGroups",
	.type = "Microsoft.Resources/resourceGroups",
	.schema = rg_schema,
	.flags = RT_LOCATION,
	.put = rg_put,
	.del = rg_del,
};

static const struct er_field offer_fields[] = {
	{ "offerName", FT_STR, ERF_REQ, 1, 64, NULL, NULL, NULL },
	{ "valueInMbps", FT_INT, ERF_REQ, 1, 400000, NULL, NULL, NULL },
	{ NULL, 0, 0, 0, 0, NULL, NULL, NULL }
};
static const struct er_field offer_elem = { "", FT_OBJ, 0, 0, 0, NULL,
    offer_fields, NULL };
static const struct er_field str_elem = { "", FT_STR, 0, 1, 256, NULL, NULL,
    NULL };
static const struct er_field provider_props[] = {
	{ "peeringLocations", FT_ARR, ERF_REQ, 0, 0, NULL, &str_elem, NULL },
	{ "bandwidthsOffered", FT_ARR, ERF_REQ, 0, 0, NULL, &offer_elem,
	  NULL },
	{ "provisioningState", FT_STR, ERF_RO, 0, 0, NULL, NULL, NULL },
	{ NULL, 0, 0, 0, 0, NULL, NULL, NULL }
};
static const struct er_field provider_schema[] = {
	ER_ARM_RO,
	{ "properties", FT_OBJ, ERF_REQ, 0, 0, NULL, provider_props, NULL },
	{ NULL, 0, 0, 0, 0, NULL, NULL, NULL }
};

static int
provider_put(struct er_op *op)
{
	json_t *locs = er_jget(op->doc, "properties.peeringLocations"), *v;
	size_t i;
	char list[2048];

	json_array_foreach(locs, i, v) {
		if (json_object_get(op->ctx->cat->locations,
		    json_string_value(v)) != NULL)
			continue;
		er_join(op->ctx->cat->locations, list, sizeof(list));
		return er_fail(op->err, ER_E_BAD_VALUE,
		    "properties.peeringLocations", json_string_value(v), list);
	}
	return 0;
}

const struct er_rtype er_rt_provider = {
	.seg = "expressRouteServiceProviders",
	.type = "Microsoft.Network/expressRouteServiceProviders",
	.schema = provider_schema,
	.put = provider_put,
};

static const char *const token_roles[] = { "tenant", "provider", "admin",
    NULL };
static const struct er_field token_props[] = {
	{ "role", FT_ENUM, ERF_REQ, 0, 0, token_roles, NULL, NULL },
	{ "subscriptionId", FT_STR, 0, 1, 64, NULL, NULL, NULL },
	{ "providerName", FT_STR, 0, 1, 128, NULL, NULL, NULL },
	{ "token", FT_STR, ERF_RO, 0, 0, NULL, NULL,
	  "the bearer token; returned only by the PUT that creates it" },
	{ "tokenHash", FT_STR, ERF_RO | ERF_WO, 0, 0, NULL, NULL, NULL },
	{ "provisioningState", FT_STR, ERF_RO, 0, 0, NULL, NULL, NULL },
	{ NULL, 0, 0, 0, 0, NULL, NULL, NULL }
};
static const struct er_field token_schema[] = {
	ER_ARM_RO,
	{ "properties", FT_OBJ, ERF_REQ, 0, 0, NULL, token_props, NULL },
	{ NULL, 0, 0, 0, 0, NULL, NULL, NULL }
};

static int
token_put(struct er_op *op)
{
	json_t *pr = json_object_get(op->doc, "properties"), *d;
	const char *role = er_jstr(pr, "role");
	const char *sub = er_jstr(pr, "subscriptionId");
	const char *prov = er_jstr(pr, "providerName");
	char id[ER_ID_MAX], tok[40], g[37], hash[65];

	if (strcmp(role, "admin") != 0) {
		if (sub == NULL)
			return er_fail(op->err, ER_E_TOKEN_SUB_REQUIRED, role);
		er_id_sub(id, sizeof(id), sub);
		if ((d = er_get(op->ctx, id)) == NULL)
			return er_fail(op->err, ER_E_TOKEN_SUB_REQUIRED, role);
		json_decref(d);
	}
	if (strcmp(role, "provider") == 0) {
		if (prov == NULL || (d = er_cat_provider(op->ctx, prov)) ==
		    NULL)
			return er_fail(op->err, ER_E_TOKEN_PROVIDER_REQUIRED,
			    prov ? prov : "");
		json_decref(d);
	}
	er_guid(g);
	snprintf(tok, sizeof(tok), "xr_%.8s%.4s%.4s%.4s%.12s", g, g + 9,
	    g + 14, g + 19, g + 24);
	er_sha256_hex(tok, strlen(tok), hash);
	json_object_set_new(pr, "tokenHash", json_string(hash));
	op->result = json_string(tok);
	return 0;
}

static const char *
token_ukey(json_t *doc)
{
	return er_jstr(doc, "properties.tokenHash");
}

const struct er_rtype er_rt_token = {
	.seg = "tokens",
	.type = "Xroute.Admin/tokens",
	.schema = token_schema,
	.put = token_put,
	.ukey = token_ukey,
};

int
er_token_find(struct store *st, const char *token, struct er_principal *who)
{
	struct er_ctx ctx = { .st = st };
	char hash[65];
	json_t *d;
	const char *role;

	er_sha256_hex(token, strlen(token), hash);
	if ((d = er_by_ukey(&ctx, &er_rt_token, hash)) == NULL)
		return -1;
	memset(who, 0, sizeof(*who));
	role = er_jstr(d, "properties.role");
	who->role = er_streq(role, "admin") ? ER_ROLE_ADMIN :
	    er_streq(role, "provider") ? ER_ROLE_PROVIDER : ER_ROLE_TENANT;
	snprintf(who->sub, sizeof(who->sub), "%s",
	    er_jstr(d, "properties.subscriptionId") ?: "");
	snprintf(who->provider, sizeof(who->provider), "%s",
	    er_jstr(d, "properties.providerName") ?: "");
	json_decref(d);
	return 0;
}

static const struct er_rtype *const rtypes[] = {
	&er_rt_sub, &er_rt_rg, &er_rt_circuit, &er_rt_peering,
	&er_rt_authorization, &er_rt_filter, &er_rt_rule, &er_rt_vnet,
	&er_rt_vnet_peering, &er_rt_gateway, &er_rt_connection, &er_rt_xconn,
	&er_rt_xconn_peering, &er_rt_provider, &er_rt_token, &er_rt_operation,
	NULL
};

const struct er_rtype *const *
er_rtypes(void)
{
	return rtypes;
}

const struct er_rtype *
er_rtype_by_type(const char *type)
{
	for (int i = 0; type != NULL && rtypes[i] != NULL; i++)
		if (strcasecmp(rtypes[i]->type, type) == 0)
			return rtypes[i];
	return NULL;
}

const struct er_rtype *
er_rtype_top(const char *seg)
{
	for (int i = 0; rtypes[i] != NULL; i++)
		if (rtypes[i]->parent == NULL && rtypes[i]->put != NULL &&
		    strncasecmp(rtypes[i]->type, "Microsoft.Network/", 18) ==
		    0 && strcasecmp(rtypes[i]->seg, seg) == 0 &&
		    rtypes[i] != &er_rt_provider)
			return rtypes[i];
	if (strcasecmp(seg, er_rt_xconn.seg) == 0)
		return &er_rt_xconn;
	return NULL;
}

const struct er_rtype *
er_rtype_child(const struct er_rtype *parent, const char *seg)
{
	for (int i = 0; rtypes[i] != NULL; i++)
		if (rtypes[i]->parent == parent &&
		    strcasecmp(rtypes[i]->seg, seg) == 0)
			return rtypes[i];
	return NULL;
}
