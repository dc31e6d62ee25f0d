/*
 * ExpressRoute circuits (spec section 1): SKU and billing rules, the
 * provider catalogue check, the immutable GUID service key, the two
 * provisioning state variables, quotas, and the delete rules; plus circuit
 * authorizations (section 7.4).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "er/er_int.h"

static const char *const sku_names[] = { "Standard_MeteredData",
    "Standard_UnlimitedData", "Premium_MeteredData", "Premium_UnlimitedData",
    "Local_MeteredData", "Local_UnlimitedData", "Basic_MeteredData",
    "Basic_UnlimitedData", NULL };
static const char *const sku_tiers[] = { "Standard", "Premium", "Basic",
    "Local", NULL };
static const char *const sku_families[] = { "UnlimitedData", "MeteredData",
    NULL };

static const struct er_field sku_fields[] = {
	{ "name", FT_ENUM, 0, 0, 0, sku_names, NULL, "<Tier>_<Family>" },
	{ "tier", FT_ENUM, 0, 0, 0, sku_tiers, NULL, NULL },
	{ "family", FT_ENUM, 0, 0, 0, sku_families, NULL, NULL },
	{ NULL, 0, 0, 0, 0, NULL, NULL, NULL }
};
static const struct er_field spp_fields[] = {
	{ "serviceProviderName", FT_STR, ERF_REQ, 1, 128, NULL, NULL, NULL },
	{ "peeringLocation", FT_STR, ERF_REQ, 1, 128, NULL, NULL, NULL },
	{ "bandwidthInMbps", FT_INT, ERF_REQ, 1, 400000, NULL, NULL,
	  "one of the provider's bandwidthsOffered" },
	{ NULL, 0, 0, 0, 0, NULL, NULL, NULL }
};
static const struct er_field ro_any = { "", FT_OBJ, ERF_RO, 0, 0, NULL, NULL,
    NULL };
static const struct er_field circuit_props[] = {
	{ "serviceProviderProperties", FT_OBJ, ERF_REQ, 0, 0, NULL,
	  spp_fields, NULL },
	{ "allowClassicOperations", FT_BOOL, 0, 0, 0, NULL, NULL, NULL },
	{ "globalReachEnabled", FT_BOOL, 0, 0, 0, NULL, NULL, NULL },
	{ "serviceKey", FT_STR, ERF_RO, 0, 0, NULL, NULL,
	  "GUID s-key, set at create time, immutable" },
	{ "circuitProvisioningState", FT_STR, ERF_RO, 0, 0, NULL, NULL, NULL },
	{ "serviceProviderProvisioningState", FT_STR, ERF_RO, 0, 0, NULL,
	  NULL, "NotProvisioned, Provisioning, Provisioned, Deprovisioning" },
	{ "serviceProviderNotes", FT_STR, ERF_RO, 0, 0, NULL, NULL, NULL },
	{ "peerings", FT_ARR, ERF_RO, 0, 0, NULL, &ro_any,
	  "child peerings (manage them at .../peerings/{type})" },
	{ "authorizations", FT_ARR, ERF_RO, 0, 0, NULL, &ro_any, NULL },
	{ "sessionSummary", FT_OBJ, ERF_RO, 0, 0, NULL, NULL,
	  "live BGP sessions per path from the edges' status (xroute)" },
	{ "gatewayManagerEtag", FT_STR, ERF_RO, 0, 0, NULL, NULL, NULL },
	{ "stag", FT_INT, ERF_RO, 0, 0, NULL, NULL, NULL },
	{ "provisioningState", FT_STR, ERF_RO, 0, 0, NULL, NULL, NULL },
	{ NULL, 0, 0, 0, 0, NULL, NULL, NULL }
};
static const struct er_field circuit_schema[] = {
	ER_F_ARM_IDS,
	{ "location", FT_STR, ERF_REQ, 0, 0, NULL, NULL, NULL },
	{ "tags", FT_MAP, 0, 0, 0, NULL, NULL, NULL },
	{ "sku", FT_OBJ, ERF_REQ, 0, 0, NULL, sku_fields, NULL },
	{ "properties", FT_OBJ, ERF_REQ, 0, 0, NULL, circuit_props, NULL },
	{ NULL, 0, 0, 0, 0, NULL, NULL, NULL }
};

const char *
er_circuit_tier(json_t *c)
{
	return er_jstr(c, "sku.tier");
}

int
er_circuit_is_premium(json_t *c)
{
	return er_streq(er_circuit_tier(c), "Premium");
}

/* VNet links per circuit (spec 1.7). */
int
er_circuit_link_limit(json_t *c)
{
	static const int64_t bw[] = { 50, 100, 200, 500, 1000, 2000, 5000,
	    10000 };
	static const int lim[] = { 20, 25, 25, 40, 50, 60, 75, 100 };
	int64_t b = er_jint(c, "properties.serviceProviderProperties."
	    "bandwidthInMbps", 0);

	if (!er_circuit_is_premium(c))
		return 10;
	for (size_t i = 0; i < sizeof(bw) / sizeof(bw[0]); i++)
		if (b <= bw[i])
			return lim[i];
	return 100;
}

json_t *
er_circuit_connections(struct er_ctx *ctx, const char *circuit_id)
{
	char *k = er_strdup_lower(circuit_id);
	json_t *a = er_by_idx(ctx, &er_rt_connection, k);

	free(k);
	return a;
}

static int
sku_settle(struct er_op *op)
{
	json_t *sku = json_object_get(op->doc, "sku");
	char name[64] = "", tier[32] = "", fam[32] = "", t[32], f[32];
	char want[96];

	/* copies: the members are rewritten below */
	snprintf(name, sizeof(name), "%s", er_jstr(sku, "name") ?: "");
	snprintf(tier, sizeof(tier), "%s", er_jstr(sku, "tier") ?: "");
	snprintf(fam, sizeof(fam), "%s", er_jstr(sku, "family") ?: "");
	if (*name && sscanf(name, "%31[^_]_%31s", t, f) == 2) {
		if (*tier && !er_streq(tier, t))
			return er_fail(op->err, ER_E_SKU_NAME_MISMATCH, name,
			    tier, *fam ? fam : f, name);
		if (*fam && !er_streq(fam, f))
			return er_fail(op->err, ER_E_SKU_NAME_MISMATCH, name,
			    t, fam, name);
		snprintf(tier, sizeof(tier), "%s", t);
		snprintf(fam, sizeof(fam), "%s", f);
	}
	if (*tier == '\0')
		return er_fail(op->err, ER_E_MISSING_PROP, "sku.tier");
	if (*fam == '\0')
		return er_fail(op->err, ER_E_MISSING_PROP, "sku.family");
	snprintf(want, sizeof(want), "%s_%s", tier, fam);
	json_object_set_new(sku, "name", json_string(want));
	json_object_set_new(sku, "tier", json_string(tier));
	json_object_set_new(sku, "family", json_string(fam));
	if (er_streq(tier, "Basic"))
		return er_fail(op->err, ER_E_SKU_BASIC);
	return 0;
}

/* Provider, peering location and bandwidth against the catalogue. */
static int
provider_check(struct er_op *op)
{
	json_t *spp = er_jget(op->doc, "properties.serviceProviderProperties");
	char pn[160], loc[160];
	int64_t bw = er_jint(spp, "bandwidthInMbps", 0);
	json_t *prov, *all, *v, *offered;
	size_t i;
	char list[2048];
	int found = 0;

	/* copies: the members are rewritten to their canonical spelling */
	snprintf(pn, sizeof(pn), "%s", er_jstr(spp, "serviceProviderName"));
	snprintf(loc, sizeof(loc), "%s", er_jstr(spp, "peeringLocation"));
	if ((prov = er_cat_provider(op->ctx, pn)) == NULL) {
		all = er_by_type(op->ctx, &er_rt_provider, NULL);
		offered = json_array();
		json_array_foreach(all, i, v)
			json_array_append_new(offered,
			    json_string(er_jstr(v, "name")));
		er_join(offered, list, sizeof(list));
		json_decref(offered);
		json_decref(all);
		return er_fail(op->err, ER_E_PROVIDER_UNKNOWN, pn, list);
	}
	json_object_set_new(spp, "serviceProviderName",
	    json_string(er_jstr(prov, "name")));
	json_array_foreach(er_jget(prov, "properties.peeringLocations"), i, v)
		if (er_streq(json_string_value(v), loc)) {
			json_object_set(spp, "peeringLocation", v);
			found = 1;
		}
	if (!found) {
		er_join(er_jget(prov, "properties.peeringLocations"), list,
		    sizeof(list));
		er_fail(op->err, ER_E_LOCATION_NOT_OFFERED, loc,
		    er_jstr(prov, "name"), list);
		json_decref(prov);
		return -1;
	}
	offered = json_array();
	found = 0;
	json_array_foreach(er_jget(prov, "properties.bandwidthsOffered"), i,
	    v) {
		json_array_append_new(offered, json_integer(er_jint(v,
		    "valueInMbps", 0)));
		if (er_jint(v, "valueInMbps", 0) == bw)
			found = 1;
	}
	if (!found) {
		er_join(offered, list, sizeof(list));
		er_fail(op->err, ER_E_BANDWIDTH_NOT_OFFERED, (long long)bw,
		    er_jstr(prov, "name"), list);
	}
	json_decref(offered);
	json_decref(prov);
	return found ? 0 : -1;
}

static int
premium_downgrade(struct er_op *op, const char *to)
{
	json_t *links = er_circuit_connections(op->ctx, op->p->id), *c, *gw;
	json_t *mp, *f;
	const char *cgeo, *geo, *region, *rule;
	size_t i;
	char mpid[ER_ID_MAX];
	int rc = 0;

	if (json_array_size(links) > 10)
		rc = er_fail(op->err, ER_E_PREMIUM_DOWNGRADE_LINKS,
		    op->p->name, to, (long long)json_array_size(links), to,
		    10LL);
	cgeo = er_cat_geo_of_location(op->ctx->cat, er_jstr(op->doc,
	    "properties.serviceProviderProperties.peeringLocation"));
	json_array_foreach(links, i, c) {
		if (rc == -1)
			break;
		gw = er_get(op->ctx, er_jstr(c,
		    "properties.virtualNetworkGateway1.id"));
		region = er_jstr(gw, "location");
		geo = region ? er_cat_geo_of_region(op->ctx->cat, region) :
		    NULL;
		if (geo != NULL && cgeo != NULL && !er_streq(geo, cgeo))
			rc = er_fail(op->err, ER_E_PREMIUM_DOWNGRADE_GEO,
			    op->p->name, to, er_jstr(c, "name"), region, geo,
			    cgeo);
		json_decref(gw);
	}
	json_decref(links);
	snprintf(mpid, sizeof(mpid), "%s/peerings/MicrosoftPeering",
	    er_jstr(op->doc, "id"));
	if (rc == 0 && (mp = er_get(op->ctx, mpid)) != NULL) {
		f = er_get(op->ctx, er_jstr(mp, "properties.routeFilter.id"));
		if (f != NULL && er_filter_has_o365(op->ctx, f, &rule))
			rc = er_fail(op->err, ER_E_PREMIUM_DOWNGRADE_O365,
			    op->p->name, to, er_jstr(f, "name"));
		json_decref(f);
		json_decref(mp);
	}
	return rc;
}

static int
change_rules(struct er_op *op)
{
	json_t *o = op->old, *n = op->doc;
	const char *ot = er_jstr(o, "sku.tier"), *nt = er_jstr(n, "sku.tier");
	int64_t ob, nb;
	const char *f[] = { "serviceProviderName", "peeringLocation" };
	char path[128];

	for (int i = 0; i < 2; i++) {
		snprintf(path, sizeof(path),
		    "properties.serviceProviderProperties.%s", f[i]);
		if (!er_streq(er_jstr(o, path), er_jstr(n, path)))
			return er_fail(op->err, ER_E_CIRCUIT_IMMUTABLE, f[i],
			    op->p->name, er_jstr(o, path), er_jstr(n, path));
	}
	if (!er_streq(er_jstr(o, "location"), er_jstr(n, "location")))
		return er_fail(op->err, ER_E_CIRCUIT_IMMUTABLE, "location",
		    op->p->name, er_jstr(o, "location"),
		    er_jstr(n, "location"));
	if (!er_streq(ot, "Local") && er_streq(nt, "Local"))
		return er_fail(op->err, ER_E_SKU_TO_LOCAL, op->p->name, ot);
	if (er_streq(er_jstr(o, "sku.family"), "UnlimitedData") &&
	    er_streq(er_jstr(n, "sku.family"), "MeteredData"))
		return er_fail(op->err, ER_E_FAMILY_DOWNGRADE, op->p->name);
	ob = er_jint(o, "properties.serviceProviderProperties.bandwidthInMbps",
	    0);
	nb = er_jint(n, "properties.serviceProviderProperties.bandwidthInMbps",
	    0);
	if (nb < ob)
		return er_fail(op->err, ER_E_BANDWIDTH_DECREASE, op->p->name,
		    (long long)ob, (long long)nb);
	if (er_streq(ot, "Premium") && !er_streq(nt, "Premium"))
		return premium_downgrade(op, nt);
	return 0;
}

static int
quota_check(struct er_op *op)
{
	char id[ER_ID_MAX];
	json_t *sub;
	int64_t q, qr, n;
	const char *loc = er_jstr(op->doc, "location");

	er_id_sub(id, sizeof(id), op->p->sub);
	sub = er_get(op->ctx, id);
	q = er_jint(sub, "properties.circuitQuota", 50);
	qr = er_jint(sub, "properties.circuitQuotaPerRegion", 10);
	json_decref(sub);
	n = store_count(op->ctx->st, er_rt_circuit.type, op->p->sub, NULL,
	    NULL);
	if (n >= q)
		return er_fail(op->err, ER_E_QUOTA_SUB, op->p->sub,
		    (long long)q);
	/* fewer circuits in the subscription than the per-region quota:
	 * no region can be full, skip the per-region count */
	if (n >= qr)
		n = store_count(op->ctx->st, er_rt_circuit.type, op->p->sub,
		    "$.location", loc);
	if (n >= qr)
		return er_fail(op->err, ER_E_QUOTA_REGION, op->p->sub,
		    (long long)qr, loc);
	return 0;
}

static void
keep(json_t *pr, json_t *old, const char *k, json_t *dflt)
{
	json_t *v = old ? er_jget(old, "properties") : NULL;

	v = v ? json_object_get(v, k) : NULL;
	if (v != NULL) {
		json_object_set(pr, k, v);
		json_decref(dflt);
	} else
		json_object_set_new(pr, k, dflt);
}

static int
circuit_put(struct er_op *op)
{
	json_t *pr = json_object_get(op->doc, "properties");
	char key[37];

	if (sku_settle(op) == -1 || provider_check(op) == -1)
		return -1;
	if (op->old != NULL && change_rules(op) == -1)
		return -1;
	if (op->old == NULL && quota_check(op) == -1)
		return -1;
	if (er_jbool(pr, "globalReachEnabled", false) &&
	    er_streq(er_circuit_tier(op->doc), "Local"))
		return er_fail(op->err, ER_E_GLOBALREACH_LOCAL, op->p->name);
	er_guid(key);
	keep(pr, op->old, "serviceKey", json_string(key));
	keep(pr, op->old, "circuitProvisioningState", json_string("Enabled"));
	keep(pr, op->old, "serviceProviderProvisioningState",
	    json_string("NotProvisioned"));
	keep(pr, op->old, "serviceProviderNotes", json_string(""));
	if (!json_object_get(pr, "allowClassicOperations"))
		json_object_set_new(pr, "allowClassicOperations", json_false());
	if (!json_object_get(pr, "globalReachEnabled"))
		json_object_set_new(pr, "globalReachEnabled", json_false());
	return 0;
}

static int
circuit_del(struct er_op *op)
{
	const char *st = er_jstr(op->old,
	    "properties.serviceProviderProvisioningState");
	json_t *links, *c;
	char names[512];
	size_t i, n = 0;

	if (er_streq(st, "Provisioning") || er_streq(st, "Provisioned"))
		return er_fail(op->err, ER_E_DELETE_PROVISIONED,
		    er_jstr(op->old, "name"),
		    er_jstr(op->old, "properties.serviceKey"), st);
	links = er_circuit_connections(op->ctx, er_jstr(op->old, "id"));
	names[0] = '\0';
	json_array_foreach(links, i, c)
		n += (size_t)snprintf(names + n, n < sizeof(names) ?
		    sizeof(names) - n : 0, "%s%s", i ? ", " : "",
		    er_jstr(c, "id"));
	if (json_array_size(links) > 0) {
		er_fail(op->err, ER_E_DELETE_LINKED, er_jstr(op->old, "name"),
		    (long long)json_array_size(links), names);
		json_decref(links);
		return -1;
	}
	json_decref(links);
	return 0;
}

/* One session the edges should run (admin Enabled): counted per path,
 * and established if its status says so. */
static void
count_session(json_t *cnt, json_t *st)
{
	const char *s = er_jstr(st, "state");

	json_object_set_new(cnt, "configured", json_integer(er_jint(cnt,
	    "configured", 0) + 1));
	if (s != NULL && strcmp(s, "Established") == 0)
		json_object_set_new(cnt, "established", json_integer(er_jint(
		    cnt, "established", 0) + 1));
}

/*
 * xroute's live view of the circuit, from the peerings' status records:
 * per path, how many BGP sessions are configured (IPv4, and IPv6 when
 * ipv6PeeringConfig is set, each admin Enabled) and how many are
 * Established; state Up (all on both paths), Degraded (some), Down (none)
 * or NotConfigured (provider not Provisioned, or no enabled session).
 */
static json_t *
session_summary(json_t *circ, json_t *peerings)
{
	static const char *const paths[] = { "primary", "secondary" };
	json_t *sum = json_object(), *cnt[2], *p, *pr, *st, *v6;
	const char *prov = er_jstr(circ,
	    "properties.serviceProviderProvisioningState"), *state;
	char key[32];
	int64_t conf = 0, est = 0;
	size_t i;

	for (int k = 0; k < 2; k++) {
		cnt[k] = json_pack("{s:i,s:i}", "configured", 0, "established",
		    0);
		json_object_set_new(sum, paths[k], cnt[k]);
	}
	json_array_foreach(peerings, i, p) {
		pr = json_object_get(p, "properties");
		v6 = json_object_get(pr, "ipv6PeeringConfig");
		for (int k = 0; k < 2; k++) {
			snprintf(key, sizeof(key), "%sStatus", paths[k]);
			st = json_object_get(pr, key);
			if (strcmp(er_jstr(pr, "state") ?: "Enabled",
			    "Disabled") != 0)
				count_session(cnt[k], st);
			if (er_jstr(v6, "primaryPeerAddressPrefix") != NULL &&
			    strcmp(er_jstr(v6, "state") ?: "Enabled",
			    "Disabled") != 0)
				count_session(cnt[k], json_object_get(st,
				    "ipv6"));
		}
	}
	for (int k = 0; k < 2; k++) {
		conf += er_jint(cnt[k], "configured", 0);
		est += er_jint(cnt[k], "established", 0);
	}
	if (prov == NULL || strcmp(prov, "Provisioned") != 0 || conf == 0)
		state = "NotConfigured";
	else if (est == conf)
		state = "Up";
	else
		state = est > 0 ? "Degraded" : "Down";
	json_object_set_new(sum, "state", json_string(state));
	return sum;
}

static void
circuit_render(struct er_ctx *ctx, json_t *doc)
{
	json_t *pr = json_object_get(doc, "properties"), *kids, *k, *out;
	const struct er_rtype *rts[] = { &er_rt_peering,
	    &er_rt_authorization };
	const char *keys[] = { "peerings", "authorizations" };
	size_t i;

	for (int t = 0; t < 2; t++) {
		kids = er_children(ctx, er_jstr(doc, "id"), rts[t]);
		out = json_array();
		json_array_foreach(kids, i, k)
			json_array_append_new(out, er_render(ctx, rts[t], k));
		json_decref(kids);
		json_object_set_new(pr, keys[t], out);
	}
	json_object_set_new(pr, "sessionSummary", session_summary(doc,
	    json_object_get(pr, "peerings")));
}

/* GET .../expressRouteCircuits/{c}/stats: the sum over the peerings of
 * the counters the edges publish (er_views.c). */
static int
circuit_action(struct er_op *op)
{
	if (strcmp(op->p->action, "stats") != 0 || op->p->arg[0] != '\0')
		return er_fail(op->err, ER_E_BAD_PATH, op->req->path);
	return er_view_stats(op, er_jstr(op->old, "id"), NULL);
}

static const char *
circuit_ukey(json_t *doc)
{
	return er_jstr(doc, "properties.serviceKey");
}

/* Secondary index: lower-case provider name, for the provider's list of
 * cross connections. */
static char *
circuit_idx(json_t *doc)
{
	return er_idx_lower(doc,
	    "properties.serviceProviderProperties.serviceProviderName");
}

const struct er_rtype er_rt_circuit = {
	.seg = "expressRouteCircuits",
	.type = "Microsoft.Network/expressRouteCircuits",
	.schema = circuit_schema,
	.flags = RT_LOCATION | RT_LRO,
	.put = circuit_put,
	.del = circuit_del,
	.render = circuit_render,
	.action = circuit_action,
	.ukey = circuit_ukey,
	.idx = circuit_idx,
};

/* --- authorizations --- */

static const struct er_field auth_props[] = {
	{ "authorizationKey", FT_STR, ERF_RO, 0, 0, NULL, NULL, NULL },
	{ "authorizationUseStatus", FT_STR, ERF_RO, 0, 0, NULL, NULL,
	  "Available or InUse" },
	{ "connectionResourceUri", FT_STR, ERF_RO, 0, 0, NULL, NULL, NULL },
	{ "provisioningState", FT_STR, ERF_RO, 0, 0, NULL, NULL, NULL },
	{ NULL, 0, 0, 0, 0, NULL, NULL, NULL }
};
static const struct er_field auth_schema[] = {
	ER_F_ARM_IDS,
	{ "properties", FT_OBJ, 0, 0, 0, NULL, auth_props, NULL },
	{ NULL, 0, 0, 0, 0, NULL, NULL, NULL }
};

static int
auth_put(struct er_op *op)
{
	json_t *pr = json_object_get(op->doc, "properties");
	char key[37];

	er_guid(key);
	keep(pr, op->old, "authorizationKey", json_string(key));
	keep(pr, op->old, "authorizationUseStatus", json_string("Available"));
	keep(pr, op->old, "connectionResourceUri", json_null());
	if (json_is_null(json_object_get(pr, "connectionResourceUri")))
		json_object_del(pr, "connectionResourceUri");
	return 0;
}

/* Revoking an authorization deletes the links created with it. */
static int
auth_del(struct er_op *op)
{
	const char *uri = er_jstr(op->old, "properties.connectionResourceUri");

	if (uri != NULL)
		return er_remove(op->ctx, uri, op->err);
	return 0;
}

static const char *
auth_ukey(json_t *doc)
{
	return er_jstr(doc, "properties.authorizationKey");
}

const struct er_rtype er_rt_authorization = {
	.seg = "authorizations",
	.type = "Microsoft.Network/expressRouteCircuits/authorizations",
	.parent = &er_rt_circuit,
	.schema = auth_schema,
	.flags = RT_LRO,
	.put = auth_put,
	.del = auth_del,
	.ukey = auth_ukey,
};
