/*
 * The xrctl resource commands: resource groups, circuits, peerings,
 * authorizations and the service provider's side.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "res_int.h"

#define NEED(c, n)	need((c), (n))
#define BAD(c)		((c)->usage_error)

static json_int_t
num(const char *s)
{
	return s ? (json_int_t)strtoll(s, NULL, 10) : 0;
}

void
print_list(struct res_ctx *c, json_t *l, int kind)
{
	static const char *const cc[] = { "Name", "ResourceGroup", "Location",
	    "Provider", "PeeringLocation", "Bandwidth", "Sku",
	    "ProviderState", "ProvisioningState", NULL };
	static const char *const cp[] = { "name", "xrResourceGroup",
	    "location", "properties.serviceProviderProperties."
	    "serviceProviderName", "properties.serviceProviderProperties."
	    "peeringLocation", "properties.serviceProviderProperties."
	    "bandwidthInMbps", "sku.name",
	    "properties.serviceProviderProvisioningState",
	    "properties.provisioningState", NULL };
	static const char *const pc[] = { "Name", "PeerASN", "VlanId",
	    "PrimaryPeerAddressPrefix", "SecondaryPeerAddressPrefix", "State",
	    "ProvisioningState", NULL };
	static const char *const pp[] = { "name", "properties.peerASN",
	    "properties.vlanId", "properties.primaryPeerAddressPrefix",
	    "properties.secondaryPeerAddressPrefix", "properties.state",
	    "properties.provisioningState", NULL };
	static const char *const xc[] = { "ServiceKey", "PeeringLocation",
	    "Bandwidth", "ProviderState", "Circuit", NULL };
	static const char *const xp[] = { "name", "properties.peeringLocation",
	    "properties.bandwidthInMbps",
	    "properties.serviceProviderProvisioningState",
	    "properties.expressRouteCircuit.id", NULL };
	static const char *const gc[] = { "Name", "Location",
	    "ProvisioningState", NULL };
	static const char *const gp[] = { "name", "location",
	    "properties.provisioningState", NULL };
	json_t *row;
	size_t i;
	char rg[128];

	(void)c;
	json_array_foreach(l, i, row) {
		const char *id = json_string_value(json_object_get(row, "id"));
		const char *p = id ? strstr(id, "/resourceGroups/") : NULL;

		if (p != NULL) {
			p += 16;
			snprintf(rg, sizeof(rg), "%.*s", (int)strcspn(p, "/"),
			    p);
			json_object_set_new(row, "xrResourceGroup",
			    json_string(rg));
		}
	}
	if (kind == KIND_CIRCUIT)
		res_print_table(l, cc, cp);
	else if (kind == KIND_PEERING)
		res_print_table(l, pc, pp);
	else if (kind == KIND_XCONN)
		res_print_table(l, xc, xp);
	else
		res_print_table(l, gc, gp);
}

/* --- resource groups --- */

static int
group_create(struct res_ctx *c)
{
	char p[512];
	const char *n = NEED(c, "name"), *l = NEED(c, "location");

	if (BAD(c))
		return 64;
	snprintf(p, sizeof(p), "/subscriptions/%s/resourceGroups/%s", c->sub,
	    n);
	return put_show(c, p, json_pack("{s:s}", "location", l),
	    KIND_GENERIC);
}

static int
group_delete(struct res_ctx *c)
{
	char p[512];
	const char *n = NEED(c, "name");

	if (BAD(c))
		return 64;
	snprintf(p, sizeof(p), "/subscriptions/%s/resourceGroups/%s", c->sub,
	    n);
	return del(c, p);
}

static int
group_list(struct res_ctx *c)
{
	char p[512];

	snprintf(p, sizeof(p), "/subscriptions/%s/resourceGroups", c->sub);
	return list(c, p, KIND_GENERIC);
}

/* --- circuits --- */

static int
circuit_path(struct res_ctx *c, char *p, size_t len)
{
	char b[512];
	const char *n = NEED(c, "name");

	NEED(c, "resource-group");
	if (BAD(c))
		return -1;
	base_path(c, b, sizeof(b));
	snprintf(p, len, "%s/expressRouteCircuits/%s", b, n);
	return 0;
}

static int
circuit_create(struct res_ctx *c)
{
	char p[768];
	const char *prov = NEED(c, "provider"), *loc = NEED(c,
	    "peering-location"), *bw = NEED(c, "bandwidth");
	const char *l = NEED(c, "location");
	json_t *b;

	if (circuit_path(c, p, sizeof(p)) == -1 || BAD(c))
		return 64;
	b = json_pack("{s:s,s:{s:s,s:s},s:{s:{s:s,s:s,s:I},s:b,s:b}}",
	    "location", l, "sku", "tier", opt(c->o, "sku-tier") ?: "Standard",
	    "family", opt(c->o, "sku-family") ?: "MeteredData", "properties",
	    "serviceProviderProperties", "serviceProviderName", prov,
	    "peeringLocation", loc, "bandwidthInMbps", num(bw),
	    "globalReachEnabled", opt_flag(c->o, "allow-global-reach"),
	    "allowClassicOperations", opt_flag(c->o,
	    "allow-classic-operations"));
	return put_show(c, p, b, KIND_CIRCUIT);
}

static int
circuit_update(struct res_ctx *c)
{
	char p[768];
	json_t *cur, *sku, *pr;
	int rc;

	if (circuit_path(c, p, sizeof(p)) == -1)
		return 64;
	if ((cur = fetch(c, p, &rc)) == NULL)
		return rc;
	sku = json_object_get(cur, "sku");
	pr = json_object_get(cur, "properties");
	if (opt(c->o, "sku-tier")) {
		json_object_set_new(sku, "tier", json_string(opt(c->o,
		    "sku-tier")));
		json_object_del(sku, "name");
	}
	if (opt(c->o, "sku-family")) {
		json_object_set_new(sku, "family", json_string(opt(c->o,
		    "sku-family")));
		json_object_del(sku, "name");
	}
	if (opt(c->o, "bandwidth"))
		json_object_set_new(json_object_get(pr,
		    "serviceProviderProperties"), "bandwidthInMbps",
		    json_integer(num(opt(c->o, "bandwidth"))));
	if (opt(c->o, "allow-global-reach"))
		json_object_set_new(pr, "globalReachEnabled",
		    json_boolean(opt_flag(c->o, "allow-global-reach")));
	return put_show(c, p, cur, KIND_CIRCUIT);
}

static int
circuit_show(struct res_ctx *c)
{
	char p[768];

	if (circuit_path(c, p, sizeof(p)) == -1)
		return 64;
	return show(c, p, KIND_CIRCUIT);
}

static int
circuit_delete(struct res_ctx *c)
{
	char p[768];

	if (circuit_path(c, p, sizeof(p)) == -1)
		return 64;
	return del(c, p);
}

static int
circuit_list(struct res_ctx *c)
{
	char p[512];

	if (opt(c->o, "resource-group")) {
		base_path(c, p, sizeof(p));
		strncat(p, "/expressRouteCircuits", sizeof(p) - strlen(p) - 1);
	} else
		snprintf(p, sizeof(p), "/subscriptions/%s/providers/"
		    "Microsoft.Network/expressRouteCircuits", c->sub);
	return list(c, p, KIND_CIRCUIT);
}

/* --- peerings --- */

static int
child_path(struct res_ctx *c, const char *parent_opt, const char *ptype,
    const char *seg, const char *name, char *p, size_t len)
{
	char b[512];
	const char *parent = NEED(c, parent_opt);

	NEED(c, "resource-group");
	if (BAD(c))
		return -1;
	base_path(c, b, sizeof(b));
	snprintf(p, len, "%s/%s/%s/%s%s%s", b, ptype, parent, seg,
	    name ? "/" : "", name ? name : "");
	return 0;
}

static void
ms_config(struct res_ctx *c, json_t *cfg)
{
	json_t *ms;

	if (!opt(c->o, "advertised-public-prefixes"))
		return;
	ms = json_pack("{s:o}", "advertisedPublicPrefixes",
	    split_list(opt(c->o, "advertised-public-prefixes")));
	if (opt(c->o, "customer-asn"))
		json_object_set_new(ms, "customerASN",
		    json_integer(num(opt(c->o, "customer-asn"))));
	if (opt(c->o, "routing-registry-name"))
		json_object_set_new(ms, "routingRegistryName",
		    json_string(opt(c->o, "routing-registry-name")));
	json_object_set_new(cfg, "microsoftPeeringConfig", ms);
}

static void
set_int(struct res_ctx *c, json_t *o, const char *key, const char *name)
{
	if (opt(c->o, name))
		json_object_set_new(o, key, json_integer(num(opt(c->o, name))));
}

static void
set_str(struct res_ctx *c, json_t *o, const char *key, const char *name)
{
	if (opt(c->o, name))
		json_object_set_new(o, key, json_string(opt(c->o, name)));
}

/*
 * create: a new body from the options. update, and IPv6 added to an
 * existing peering (az does both this way): the current resource with
 * only the given options changed, so an update of the shared key keeps
 * the IPv6 configuration, and the other way round.
 */
static int
peering_create(struct res_ctx *c)
{
	char p[768], fid[768];
	const char *t = NEED(c, "peering-type"), *v6;
	bool upd = strcmp(c->verb, "update") == 0, is6;
	int frc;
	json_t *cur = NULL, *pr, *cfg;
	struct res_http_resp r;

	if (!upd) {
		NEED(c, "peer-asn");
		NEED(c, "vlan-id");
		NEED(c, "primary-peer-subnet");
	}
	if (child_path(c, "circuit-name", "expressRouteCircuits", "peerings",
	    t, p, sizeof(p)) == -1 || BAD(c))
		return 64;
	v6 = opt(c->o, "ip-version");
	is6 = v6 != NULL && strcasecmp(v6, "IPv6") == 0;
	if (upd) {
		if ((cur = fetch(c, p, &frc)) == NULL)
			return frc;
	} else if (is6 && res_http(c->api, c->token, "GET", p, NULL,
	    &r) == 0) {
		if (r.status == 200)
			cur = r.body;
		else
			json_decref(r.body);
	}
	if (cur == NULL)
		cur = json_pack("{s:{}}", "properties");
	pr = json_object_get(cur, "properties");
	set_int(c, pr, "peerASN", "peer-asn");
	set_int(c, pr, "vlanId", "vlan-id");
	set_str(c, pr, "sharedKey", "shared-key");
	if (is6) {
		if (!json_is_object(cfg = json_object_get(pr,
		    "ipv6PeeringConfig"))) {
			cfg = json_object();
			json_object_set_new(pr, "ipv6PeeringConfig", cfg);
		}
	} else
		cfg = pr;
	set_str(c, cfg, "state", "state");
	set_str(c, cfg, "primaryPeerAddressPrefix", "primary-peer-subnet");
	set_str(c, cfg, "secondaryPeerAddressPrefix", "secondary-peer-subnet");
	ms_config(c, cfg);
	if (opt(c->o, "route-filter")) {
		ref_id(c, "routeFilters", opt(c->o, "route-filter"), fid,
		    sizeof(fid));
		json_object_set_new(cfg, "routeFilter", json_pack("{s:s}", "id",
		    fid));
	}
	return put_show(c, p, cur, KIND_PEERING);
}

static int
peering_show(struct res_ctx *c)
{
	char p[768];
	const char *t = opt(c->o, "peering-type") ?: opt(c->o, "name");

	if (t == NULL)
		t = NEED(c, "peering-type");
	if (child_path(c, "circuit-name", "expressRouteCircuits", "peerings",
	    t, p, sizeof(p)) == -1)
		return 64;
	if (strcmp(c->verb, "delete") == 0)
		return del(c, p);
	return show(c, p, KIND_PEERING);
}

static int
peering_list(struct res_ctx *c)
{
	char p[768];

	if (child_path(c, "circuit-name", "expressRouteCircuits", "peerings",
	    NULL, p, sizeof(p)) == -1)
		return 64;
	return list(c, p, KIND_PEERING);
}

/* --- authorizations --- */

static int
auth_cmd(struct res_ctx *c)
{
	char p[768];
	bool isl = strcmp(c->verb, "list") == 0;
	const char *n = isl ? NULL : NEED(c, "name");

	if (child_path(c, "circuit-name", "expressRouteCircuits",
	    "authorizations", n, p, sizeof(p)) == -1)
		return 64;
	if (isl)
		return list(c, p, KIND_AUTH);
	if (strcmp(c->verb, "create") == 0)
		return put_show(c, p, json_object(), KIND_AUTH);
	if (strcmp(c->verb, "delete") == 0)
		return del(c, p);
	return show(c, p, KIND_AUTH);
}

/* --- the service provider's side --- */

static int
provider_cmd(struct res_ctx *c)
{
	char p[768];
	const char *k, *st;
	json_t *b;

	if (strcmp(c->verb, "list") == 0) {
		snprintf(p, sizeof(p), "/subscriptions/%s/providers/"
		    "Microsoft.Network/expressRouteCrossConnections", c->sub);
		if (!opt(c->o, "output"))
			return list(c, p, KIND_XCONN);
		return list(c, p, KIND_XCONN);
	}
	k = NEED(c, "service-key");
	if (BAD(c))
		return 64;
	snprintf(p, sizeof(p), "/subscriptions/%s/resourceGroups/"
	    "CrossConnection/providers/Microsoft.Network/"
	    "expressRouteCrossConnections/%s", c->sub, k);
	if (strcmp(c->verb, "approve") == 0) {
		struct res_http_resp r;
		int rc;

		strncat(p, "/peerings/", sizeof(p) - strlen(p) - 1);
		strncat(p, opt(c->o, "peering") ?: "MicrosoftPeering",
		    sizeof(p) - strlen(p) - 1);
		strncat(p, "/approveAdvertisedPublicPrefixes",
		    sizeof(p) - strlen(p) - 1);
		rc = req(c, "POST", p, NULL, &r);
		if (rc == 0)
			print_res(c, r.body, KIND_GENERIC);
		json_decref(r.body);
		return rc;
	}
	st = opt(c->o, "state") ?: (strcmp(c->verb, "deprovision") == 0 ?
	    "NotProvisioned" : "Provisioned");
	b = json_pack("{s:{s:s}}", "properties",
	    "serviceProviderProvisioningState", st);
	if (opt(c->o, "notes"))
		json_object_set_new(json_object_get(b, "properties"),
		    "serviceProviderNotes", json_string(opt(c->o, "notes")));
	return put_show(c, p, b, KIND_GENERIC);
}

const struct res_cmd res_cmds[] = {
	{ "group", "create", group_create },
	{ "group", "delete", group_delete },
	{ "group", "list", group_list },
	{ "circuit", "create", circuit_create },
	{ "circuit", "show", circuit_show },
	{ "circuit", "list", circuit_list },
	{ "circuit", "update", circuit_update },
	{ "circuit", "delete", circuit_delete },
	{ "peering", "create", peering_create },
	{ "peering", "update", peering_create },
	{ "peering", "show", peering_show },
	{ "peering", "delete", peering_show },
	{ "peering", "list", peering_list },
	{ "authorization", "create", auth_cmd },
	{ "authorization", "show", auth_cmd },
	{ "authorization", "list", auth_cmd },
	{ "authorization", "delete", auth_cmd },
	{ "provider", "list", provider_cmd },
	{ "provider", "provision", provider_cmd },
	{ "provider", "deprovision", provider_cmd },
	{ "provider", "approve", provider_cmd },
	{ "route-filter", "create", net_filter },
	{ "route-filter", "show", net_filter },
	{ "route-filter", "list", net_filter },
	{ "route-filter", "delete", net_filter },
	{ "route-filter", "rule set", net_rule },
	{ "route-filter", "rule show", net_rule },
	{ "route-filter", "attach", net_attach },
	{ "route-filter", "detach", net_attach },
	{ "vnet", "create", net_vnet },
	{ "vnet", "show", net_vnet },
	{ "vnet", "list", net_vnet },
	{ "vnet", "delete", net_vnet },
	{ "vnet", "peering create", net_vpeer },
	{ "vnet", "peering show", net_vpeer },
	{ "vnet", "peering list", net_vpeer },
	{ "vnet", "peering delete", net_vpeer },
	{ "gateway", "create", net_gateway },
	{ "gateway", "show", net_gateway },
	{ "gateway", "list", net_gateway },
	{ "gateway", "delete", net_gateway },
	{ "connection", "create", net_connection },
	{ "connection", "show", net_connection },
	{ "connection", "list", net_connection },
	{ "connection", "delete", net_connection },
	{ "express-route", "list-arp-tables", res_diag },
	{ "express-route", "list-route-tables", res_diag },
	{ "express-route", "list-route-tables-summary", res_diag },
	{ "express-route", "get-stats", res_diag },
	{ "express-route", "start-connectivity-test", res_diag },
	{ "express-route", "show-connectivity-test", res_diag },
	{ "express-route", "stop-connectivity-test", res_diag },
	{ NULL, NULL, NULL }
};
