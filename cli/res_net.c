/*
 * xrctl commands for route filters, virtual networks, VNet peerings,
 * gateways and connections.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "res_int.h"

/* create|show|list|delete of a top-level resource named by -n. */
static int
top(struct res_ctx *c, const char *type, json_t *body, int kind)
{
	char p[768], b[512];
	bool isl = strcmp(c->verb, "list") == 0 ||
	    strcmp(c->verb, "peering list") == 0;
	const char *n = isl ? NULL : need(c, "name");

	need(c, "resource-group");
	if (c->usage_error) {
		json_decref(body);
		return 64;
	}
	base_path(c, b, sizeof(b));
	snprintf(p, sizeof(p), "%s/%s%s%s", b, type, n ? "/" : "", n ? n : "");
	if (isl)
		return list(c, p, kind);
	if (body != NULL)
		return put_show(c, p, body, kind);
	if (strstr(c->verb, "delete") != NULL)
		return del(c, p);
	return show(c, p, kind);
}

static bool
creating(struct res_ctx *c)
{
	return strstr(c->verb, "create") != NULL;
}

int
net_filter(struct res_ctx *c)
{
	json_t *b = NULL;

	if (creating(c)) {
		const char *l = need(c, "location");

		if (c->usage_error)
			return 64;
		b = json_pack("{s:s}", "location", l);
	}
	return top(c, "routeFilters", b, KIND_FILTER);
}

int
net_rule(struct res_ctx *c)
{
	char p[768], b[512];
	const char *f = need(c, "filter-name");
	const char *n = opt(c->o, "name") ?: "AcceptedRoutes";

	need(c, "resource-group");
	if (strcmp(c->verb, "rule set") == 0)
		need(c, "communities");
	if (c->usage_error)
		return 64;
	base_path(c, b, sizeof(b));
	snprintf(p, sizeof(p), "%s/routeFilters/%s/routeFilterRules/%s", b, f,
	    n);
	if (strcmp(c->verb, "rule show") == 0)
		return show(c, p, KIND_GENERIC);
	return put_show(c, p, json_pack("{s:{s:s,s:s,s:o}}", "properties",
	    "access", opt(c->o, "access") ?: "Allow", "routeFilterRuleType",
	    "Community", "communities", split_list(opt(c->o, "communities"))),
	    KIND_GENERIC);
}

/* Attach/detach: read-modify-write of the circuit's Microsoft peering. */
int
net_attach(struct res_ctx *c)
{
	char p[768], b[512], fid[768];
	const char *ckt = need(c, "circuit-name");
	const char *f = strcmp(c->verb, "attach") == 0 ?
	    need(c, "route-filter") : NULL;
	json_t *cur, *pr;
	int rc;

	need(c, "resource-group");
	if (c->usage_error)
		return 64;
	base_path(c, b, sizeof(b));
	snprintf(p, sizeof(p), "%s/expressRouteCircuits/%s/peerings/"
	    "MicrosoftPeering", b, ckt);
	if ((cur = fetch(c, p, &rc)) == NULL)
		return rc;
	pr = json_object_get(cur, "properties");
	if (f != NULL) {
		ref_id(c, "routeFilters", f, fid, sizeof(fid));
		json_object_set_new(pr, "routeFilter", json_pack("{s:s}", "id",
		    fid));
	} else
		json_object_del(pr, "routeFilter");
	return put_show(c, p, cur, KIND_PEERING);
}

static json_t *
subnets(const char *v)
{
	json_t *names = split_list(v), *out = json_array(), *s;
	size_t i;
	char n[128];
	const char *eq;

	json_array_foreach(names, i, s) {
		eq = strchr(json_string_value(s), '=');
		if (eq == NULL)
			continue;
		snprintf(n, sizeof(n), "%.*s", (int)(eq - json_string_value(s)),
		    json_string_value(s));
		json_array_append_new(out, json_pack("{s:s,s:{s:s}}", "name", n,
		    "properties", "addressPrefix", eq + 1));
	}
	json_decref(names);
	return out;
}

int
net_vnet(struct res_ctx *c)
{
	json_t *b = NULL;

	if (creating(c)) {
		const char *l = need(c, "location");
		const char *a = need(c, "address-prefixes");

		if (c->usage_error)
			return 64;
		b = json_pack("{s:s,s:{s:{s:o},s:o}}", "location", l,
		    "properties", "addressSpace", "addressPrefixes",
		    split_list(a), "subnets", subnets(opt(c->o, "subnets")));
	}
	return top(c, "virtualNetworks", b, KIND_VNET);
}

int
net_vpeer(struct res_ctx *c)
{
	char p[768], b[512], rid[768];
	const char *v = need(c, "vnet-name");
	bool isl = strcmp(c->verb, "peering list") == 0;
	const char *n = isl ? NULL : need(c, "name");
	json_t *body;

	need(c, "resource-group");
	if (creating(c))
		need(c, "remote-vnet");
	if (c->usage_error)
		return 64;
	base_path(c, b, sizeof(b));
	snprintf(p, sizeof(p), "%s/virtualNetworks/%s/virtualNetworkPeerings%s"
	    "%s", b, v, n ? "/" : "", n ? n : "");
	if (isl)
		return list(c, p, KIND_VPEER);
	if (!creating(c))
		return strstr(c->verb, "delete") ? del(c, p) :
		    show(c, p, KIND_VPEER);
	ref_id(c, "virtualNetworks", opt(c->o, "remote-vnet"), rid,
	    sizeof(rid));
	body = json_pack("{s:{s:{s:s},s:b,s:b,s:b}}", "properties",
	    "remoteVirtualNetwork", "id", rid, "allowGatewayTransit",
	    opt_flag(c->o, "allow-gateway-transit"), "useRemoteGateways",
	    opt_flag(c->o, "use-remote-gateways"), "allowForwardedTraffic",
	    opt_flag(c->o, "allow-forwarded-traffic"));
	return put_show(c, p, body, KIND_VPEER);
}

int
net_gateway(struct res_ctx *c)
{
	char vid[768], sn[800];
	json_t *b = NULL, *pr;

	if (creating(c)) {
		const char *l = need(c, "location"), *v = need(c, "vnet");

		if (c->usage_error)
			return 64;
		ref_id(c, "virtualNetworks", v, vid, sizeof(vid));
		snprintf(sn, sizeof(sn), "%s/subnets/GatewaySubnet", vid);
		b = json_pack("{s:s,s:{s:s,s:{s:s},s:[{s:s,s:{s:{s:s}}}]}}",
		    "location", l, "properties", "gatewayType",
		    opt(c->o, "gateway-type") ?: "ExpressRoute", "sku", "name",
		    opt(c->o, "sku") ?: "Standard", "ipConfigurations", "name",
		    "default", "properties", "subnet", "id", sn);
		pr = json_object_get(b, "properties");
		if (opt(c->o, "min-scale"))
			json_object_set_new(pr, "autoScaleConfiguration",
			    json_pack("{s:{s:I,s:I}}", "bounds", "min",
			    (json_int_t)atoll(opt(c->o, "min-scale")), "max",
			    (json_int_t)atoll(opt(c->o, "max-scale") ?:
			    opt(c->o, "min-scale"))));
	}
	return top(c, "virtualNetworkGateways", b, KIND_GATEWAY);
}

int
net_connection(struct res_ctx *c)
{
	char gid[768], cid[768];
	json_t *b = NULL, *pr;

	if (creating(c)) {
		const char *l = need(c, "location");
		const char *g = need(c, "vnet-gateway");
		const char *ck = need(c, "circuit");

		if (c->usage_error)
			return 64;
		ref_id(c, "virtualNetworkGateways", g, gid, sizeof(gid));
		ref_id(c, "expressRouteCircuits", ck, cid, sizeof(cid));
		b = json_pack("{s:s,s:{s:s,s:{s:s},s:{s:s},s:I,s:b}}",
		    "location", l, "properties", "connectionType",
		    "ExpressRoute", "virtualNetworkGateway1", "id", gid, "peer",
		    "id", cid, "routingWeight", (json_int_t)atoll(opt(c->o,
		    "routing-weight") ?: "0"), "expressRouteGatewayBypass",
		    opt_flag(c->o, "fastpath"));
		pr = json_object_get(b, "properties");
		if (opt(c->o, "authorization-key"))
			json_object_set_new(pr, "authorizationKey",
			    json_string(opt(c->o, "authorization-key")));
	}
	return top(c, "connections", b, KIND_CONN);
}
