/*
 * The service provider's side (spec 1.6): every circuit appears to its
 * provider as an expressRouteCrossConnections resource named by the
 * circuit's service key, in resource group CrossConnection-<location> of
 * the provider's subscription. It is a view of the circuit, not a copy:
 * the provider flips serviceProviderProvisioningState through it
 *
 *   NotProvisioned -> Provisioning -> Provisioned -> Deprovisioning
 *   -> NotProvisioned  (and the direct NotProvisioned <-> Provisioned)
 *
 * and approves Microsoft-peering prefixes that need manual validation.
 * A provider token sees only circuits ordered from its own provider.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "er/er_int.h"

static const char *const sp_states[] = { "NotProvisioned", "Provisioning",
    "Provisioned", "Deprovisioning", NULL };
static const struct er_field ro_elem = { "", FT_OBJ, ERF_RO, 0, 0, NULL,
    NULL, NULL };
static const struct er_field xc_props[] = {
	{ "serviceProviderProvisioningState", FT_ENUM, ERF_REQ, 0, 0,
	  sp_states, NULL, NULL },
	{ "serviceProviderNotes", FT_STR, 0, 0, 1024, NULL, NULL, NULL },
	{ "peeringLocation", FT_STR, ERF_RO, 0, 0, NULL, NULL, NULL },
	{ "bandwidthInMbps", FT_INT, ERF_RO, 0, 0, NULL, NULL, NULL },
	{ "expressRouteCircuit", FT_OBJ, ERF_RO, 0, 0, NULL, NULL, NULL },
	{ "primaryAzurePort", FT_STR, ERF_RO, 0, 0, NULL, NULL, NULL },
	{ "secondaryAzurePort", FT_STR, ERF_RO, 0, 0, NULL, NULL, NULL },
	{ "sTag", FT_INT, ERF_RO, 0, 0, NULL, NULL, NULL },
	{ "peerings", FT_ARR, ERF_RO, 0, 0, NULL, &ro_elem, NULL },
	{ "provisioningState", FT_STR, ERF_RO, 0, 0, NULL, NULL, NULL },
	{ NULL, 0, 0, 0, 0, NULL, NULL, NULL }
};
static const struct er_field xc_schema[] = {
	ER_F_ARM_IDS,
	{ "location", FT_STR, ERF_RO, 0, 0, NULL, NULL, NULL },
	{ "tags", FT_MAP, ERF_RO, 0, 0, NULL, NULL, NULL },
	{ "properties", FT_OBJ, ERF_REQ, 0, 0, NULL, xc_props, NULL },
	{ NULL, 0, 0, 0, 0, NULL, NULL, NULL }
};

const struct er_rtype er_rt_xconn = {
	.seg = "expressRouteCrossConnections",
	.type = "Microsoft.Network/expressRouteCrossConnections",
	.schema = xc_schema,
	.flags = RT_VIRTUAL,
};

const struct er_rtype er_rt_xconn_peering = {
	.seg = "peerings",
	.type = "Microsoft.Network/expressRouteCrossConnections/peerings",
	.parent = &er_rt_xconn,
	.flags = RT_VIRTUAL,
};

/* Allowed next provider states (spec 1.5). */
static const char *
next_states(const char *from)
{
	if (er_streq(from, "NotProvisioned"))
		return "Provisioning, Provisioned";
	if (er_streq(from, "Provisioning"))
		return "Provisioned, NotProvisioned";
	if (er_streq(from, "Provisioned"))
		return "Deprovisioning, NotProvisioned";
	return "NotProvisioned, Provisioned";
}

static bool
transition_ok(const char *from, const char *to)
{
	const char *list = next_states(from), *s;
	size_t n = strlen(to);

	if (er_streq(from, to))
		return true;
	for (s = list; s != NULL; s = strchr(s, ',') ? strchr(s, ',') + 2 :
	    NULL)
		if (strncmp(s, to, n) == 0 && (s[n] == ',' || s[n] == '\0'))
			return true;
	return false;
}

static void
rg_of(json_t *c, char *out, size_t len)
{
	const char *loc = er_jstr(c,
	    "properties.serviceProviderProperties.peeringLocation");
	size_t n = (size_t)snprintf(out, len, "CrossConnection-");

	for (; loc && *loc && n + 1 < len; loc++)
		if (!isspace((unsigned char)*loc))
			out[n++] = *loc;
	out[n] = '\0';
}

static json_t *
xc_peering_view(json_t *pe, const char *xcid)
{
	json_t *v = json_deep_copy(pe);
	char id[ER_ID_MAX];

	snprintf(id, sizeof(id), "%s/peerings/%s", xcid, er_jstr(pe, "name"));
	json_object_set_new(v, "id", json_string(id));
	json_object_set_new(v, "type", json_string(er_rt_xconn_peering.type));
	json_object_del(json_object_get(v, "properties"), "sharedKey");
	return v;
}

static json_t *
xc_view(struct er_ctx *ctx, const char *psub, json_t *c)
{
	char rg[160], id[ER_ID_MAX];
	const char *skey = er_jstr(c, "properties.serviceKey");
	json_t *kids, *k, *pes = json_array(), *v;
	size_t i;

	rg_of(c, rg, sizeof(rg));
	snprintf(id, sizeof(id), "/subscriptions/%s/resourceGroups/%s/"
	    "providers/Microsoft.Network/expressRouteCrossConnections/%s",
	    psub, rg, skey);
	kids = er_children(ctx, er_jstr(c, "id"), &er_rt_peering);
	json_array_foreach(kids, i, k)
		json_array_append_new(pes, xc_peering_view(k, id));
	json_decref(kids);
	v = json_pack("{s:s,s:s,s:s,s:O,s:O,s:{s:O,s:O,s:O,s:O,s:{s:O},"
	    "s:s,s:s,s:i,s:o,s:s}}", "id", id, "name", skey, "type",
	    er_rt_xconn.type, "location", json_object_get(c, "location"),
	    "etag", json_object_get(c, "etag"), "properties",
	    "serviceProviderProvisioningState", er_jget(c,
	    "properties.serviceProviderProvisioningState"),
	    "serviceProviderNotes", er_jget(c,
	    "properties.serviceProviderNotes"), "peeringLocation", er_jget(c,
	    "properties.serviceProviderProperties.peeringLocation"),
	    "bandwidthInMbps", er_jget(c,
	    "properties.serviceProviderProperties.bandwidthInMbps"),
	    "expressRouteCircuit", "id", json_object_get(c, "id"),
	    "primaryAzurePort", "", "secondaryAzurePort", "", "sTag", 0,
	    "peerings", pes, "provisioningState", "Succeeded");
	return v;
}

static bool
mine(struct er_ctx *ctx, json_t *c)
{
	return ctx->who.role == ER_ROLE_ADMIN || er_streq(er_jstr(c,
	    "properties.serviceProviderProperties.serviceProviderName"),
	    ctx->who.provider);
}

static int
xc_list(struct er_op *op, struct er_resp *resp)
{
	json_t *all, *c, *out = json_array();
	char rg[160], *k;
	size_t i;

	if (op->ctx->who.role == ER_ROLE_ADMIN)
		all = er_by_type(op->ctx, &er_rt_circuit, NULL);
	else {
		k = strdup(op->ctx->who.provider);
		for (char *p = k; *p; p++)
			*p = (char)tolower((unsigned char)*p);
		all = er_by_idx(op->ctx, &er_rt_circuit, k);
		free(k);
	}
	json_array_foreach(all, i, c) {
		rg_of(c, rg, sizeof(rg));
		if (op->p->kind == P_RG_TYPE_LIST && !er_streq(rg, op->p->rg))
			continue;
		json_array_append_new(out, xc_view(op->ctx, op->p->sub, c));
	}
	json_decref(all);
	resp->status = 200;
	resp->body = json_pack("{s:o}", "value", out);
	return 0;
}

static int
xc_put(struct er_op *op, json_t *c, struct er_resp *resp)
{
	json_t *body = op->req->body, *pr;
	const char *from, *to, *etag = er_jstr(c, "etag");
	const char *im = op->req->if_match;
	char e[40], why[200];

	if (body == NULL || !json_is_object(body))
		return er_fail(op->err, ER_E_BODY_REQUIRED);
	if (im && *im && strcmp(im, "*") && (etag == NULL || strcmp(im, etag))) {
		snprintf(why, sizeof(why), "If-Match %s but the current ETag "
		    "is %s", im, etag ? etag : "none");
		return er_fail(op->err, ER_E_PRECONDITION, why);
	}
	if (er_schema_check(er_rt_xconn.schema, body, "", op->err) == -1)
		return -1;
	pr = json_object_get(c, "properties");
	from = er_jstr(pr, "serviceProviderProvisioningState");
	to = er_jstr(body, "properties.serviceProviderProvisioningState");
	if (!transition_ok(from, to))
		return er_fail(op->err, ER_E_XC_TRANSITION, op->p->name, from,
		    to, next_states(from));
	json_object_set_new(pr, "serviceProviderProvisioningState",
	    json_string(to));
	if (er_jstr(body, "properties.serviceProviderNotes"))
		json_object_set(pr, "serviceProviderNotes", er_jget(body,
		    "properties.serviceProviderNotes"));
	er_etag(e);
	json_object_set_new(c, "etag", json_string(e));
	if (er_save(op->ctx, &er_rt_circuit, c, op->err) == -1)
		return -1;
	resp->write = true;
	resp->status = 200;
	resp->body = xc_view(op->ctx, op->p->sub, c);
	snprintf(resp->etag, sizeof(resp->etag), "%s", e);
	return 0;
}

/* POST .../peerings/{p}/approveAdvertisedPublicPrefixes */
static int
xc_approve(struct er_op *op, json_t *c, struct er_resp *resp)
{
	char pid[ER_ID_MAX], e[40];
	json_t *pe, *ms[2];
	const char *st;
	int rc = 0, n = 0;

	snprintf(pid, sizeof(pid), "%s/peerings/%s", er_jstr(c, "id"),
	    op->p->cname);
	if ((pe = er_get(op->ctx, pid)) == NULL)
		return er_fail(op->err, ER_E_PEERING_NOT_FOUND, op->p->cname,
		    op->p->name);
	ms[0] = er_jget(pe, "properties.microsoftPeeringConfig");
	ms[1] = er_jget(pe, "properties.ipv6PeeringConfig."
	    "microsoftPeeringConfig");
	for (int i = 0; i < 2; i++) {
		st = er_jstr(ms[i], "advertisedPublicPrefixesState");
		if (st == NULL || strcmp(st, "ValidationNeeded") != 0)
			continue;
		json_object_set_new(ms[i], "advertisedPublicPrefixesState",
		    json_string("Configured"));
		n++;
	}
	if (n == 0) {
		st = er_jstr(ms[0], "advertisedPublicPrefixesState");
		rc = er_fail(op->err, ER_E_PREFIX_APPROVE_STATE, op->p->cname,
		    st ? st : "NotConfigured");
	} else {
		er_etag(e);
		json_object_set_new(pe, "etag", json_string(e));
		rc = er_save(op->ctx, &er_rt_peering, pe, op->err);
		resp->write = true;
		resp->status = 200;
		resp->body = xc_peering_view(pe, op->p->parent_id);
	}
	json_decref(pe);
	return rc;
}

int
er_xconn_handle(struct er_op *op, struct er_resp *resp)
{
	const char *m = op->req->method;
	json_t *c, *kids, *k, *out;
	size_t i;
	int rc;

	if (op->p->kind == P_SUB_TYPE_LIST || op->p->kind == P_RG_TYPE_LIST) {
		if (strcmp(m, "GET") != 0)
			return er_fail(op->err, ER_E_METHOD, m);
		return xc_list(op, resp);
	}
	c = er_by_ukey(op->ctx, &er_rt_circuit, op->p->name);
	if (c == NULL || !mine(op->ctx, c)) {
		json_decref(c);
		return er_fail(op->err, ER_E_NOT_FOUND, er_rt_xconn.type,
		    op->p->name, op->p->rg);
	}
	if (op->p->kind == P_RES && op->rt == &er_rt_xconn) {
		if (strcmp(m, "GET") == 0) {
			resp->status = 200;
			resp->body = xc_view(op->ctx, op->p->sub, c);
			snprintf(resp->etag, sizeof(resp->etag), "%s",
			    er_jstr(c, "etag"));
			rc = 0;
		} else if (strcmp(m, "PUT") == 0)
			rc = xc_put(op, c, resp);
		else
			rc = er_fail(op->err, ER_E_METHOD, m);
	} else if (op->p->kind == P_CHILD_LIST || op->p->kind == P_RES) {
		out = xc_view(op->ctx, op->p->sub, c);
		kids = json_incref(er_jget(out, "properties.peerings"));
		json_decref(out);
		rc = 0;
		if (op->p->kind == P_CHILD_LIST)
			resp->body = json_pack("{s:O}", "value", kids);
		else {
			json_array_foreach(kids, i, k)
				if (er_streq(er_jstr(k, "name"), op->p->cname))
					resp->body = json_incref(k);
			if (resp->body == NULL)
				rc = er_fail(op->err, ER_E_PEERING_NOT_FOUND,
				    op->p->cname, op->p->name);
		}
		json_decref(kids);
		resp->status = 200;
	} else if (op->p->kind == P_ACTION && strcmp(op->p->action,
	    "approveAdvertisedPublicPrefixes") == 0 && strcmp(m, "POST") == 0)
		rc = xc_approve(op, c, resp);
	else
		rc = er_fail(op->err, ER_E_BAD_PATH, op->req->path);
	json_decref(c);
	return rc;
}
