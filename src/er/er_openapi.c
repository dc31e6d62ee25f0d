/*
 * The OpenAPI 3 document, generated from the same field tables the server
 * validates with, so the document cannot drift from the behaviour. Served
 * at /openapi.json and kept in docs/openapi.json (a test compares them).
 */
#include <stdio.h>
#include <string.h>

#include "er/er_int.h"

#define RG_PFX	"/subscriptions/{subscriptionId}/resourceGroups/" \
		"{resourceGroupName}/providers/Microsoft.Network"

static json_t *
ref(const char *schema)
{
	char r[160];

	snprintf(r, sizeof(r), "#/components/schemas/%s", schema);
	return json_pack("{s:s}", "$ref", r);
}

static json_t *
resp_set(const char *schema, bool lro)
{
	json_t *r = json_object(), *ok, *err;

	ok = schema ? json_pack("{s:s,s:{s:{s:o}}}", "description", "OK",
	    "content", "application/json", "schema", ref(schema)) :
	    json_pack("{s:s}", "description", "OK");
	json_object_set(r, "200", ok);
	if (lro) {
		json_object_set_new(r, "201", json_pack("{s:s,s:{s:{s:o}}}",
		    "description", "Created; provisioningState Updating, "
		    "poll Azure-AsyncOperation", "content", "application/json",
		    "schema", ref(schema)));
	}
	json_decref(ok);
	err = json_pack("{s:s,s:{s:{s:o}}}", "description", "ARM error body",
	    "content", "application/json", "schema", ref("ErrorResponse"));
	json_object_set_new(r, "default", err);
	return r;
}

static json_t *
op(const char *summary, const char *schema, bool body, bool lro)
{
	json_t *o = json_pack("{s:s,s:o}", "summary", summary, "responses",
	    resp_set(schema, lro));

	if (body)
		json_object_set_new(o, "requestBody", json_pack(
		    "{s:b,s:{s:{s:o}}}", "required", 1, "content",
		    "application/json", "schema", ref(schema)));
	return o;
}

static json_t *
list_op(const char *summary, const char *schema)
{
	char name[128];

	snprintf(name, sizeof(name), "%sList", schema);
	return op(summary, name, false, false);
}

static void
add_type(json_t *paths, json_t *schemas, const struct er_rtype *rt,
    const char *base, const char *schema)
{
	char p[512], lname[128], s[256];
	json_t *item;

	json_object_set_new(schemas, schema, er_schema_openapi(rt->schema));
	snprintf(lname, sizeof(lname), "%sList", schema);
	json_object_set_new(schemas, lname, json_pack("{s:s,s:{s:{s:s,s:o}}}",
	    "type", "object", "properties", "value", "type", "array", "items",
	    ref(schema)));
	snprintf(p, sizeof(p), "%s/%s", base, rt->seg);
	snprintf(s, sizeof(s), "List %s", rt->type);
	json_object_set_new(paths, p, json_pack("{s:o}", "get",
	    list_op(s, schema)));
	snprintf(p, sizeof(p), "%s/%s/{%sName}", base, rt->seg, schema);
	item = json_object();
	snprintf(s, sizeof(s), "Get a %s", rt->type);
	json_object_set_new(item, "get", op(s, schema, false, false));
	snprintf(s, sizeof(s), "Create or update a %s (If-Match, "
	    "If-None-Match: *)", rt->type);
	json_object_set_new(item, "put", op(s, schema, true,
	    rt->flags & RT_LRO));
	snprintf(s, sizeof(s), "Delete a %s", rt->type);
	json_object_set_new(item, "delete", op(s, NULL, false, false));
	if (rt->parent == NULL) {
		snprintf(s, sizeof(s), "Update the tags of a %s", rt->type);
		json_object_set_new(item, "patch", op(s, schema, true, false));
	}
	json_object_set_new(paths, p, item);
}

static void
add_diag(json_t *paths, json_t *schemas)
{
	static const char *const acts[][2] = {
		{ "arpTables", "ARP table {value: [{age (minutes), interface "
		  "(On-Prem|Microsoft), ipAddress, macAddress}], nextLink}" },
		{ "routeTables", "route table {value: [{network, nextHop, "
		  "locPrf, weight, path}], nextLink}" },
		{ "routeTablesSummary", "route table summary {value: "
		  "[{neighbor, v, as, upDown, statePfxRcd}], nextLink}" },
	};
	static const char *const ct[][2] = {
		{ "startConnectivityTest", "Start the counting ACL on both "
		  "edges (private peering)" },
		{ "connectivityTestResults", "Packets matched per edge and "
		  "direction so far, with a verdict" },
		{ "stopConnectivityTest", "Final counts and verdict; the edges "
		  "remove the ACL" },
	};
	char p[512], s[512];

	for (int i = 0; i < 3; i++) {
		snprintf(p, sizeof(p), RG_PFX "/expressRouteCircuits/"
		    "{circuitName}/peerings/{peeringName}/%s/{devicePath}",
		    acts[i][0]);
		snprintf(s, sizeof(s), "Live %s of one device path "
		    "(primary|secondary), answered by the edge serving it: 202 "
		    "with Location (operationResults) and "
		    "Azure-AsyncOperation; fails with EdgeDidNotAnswer (504) "
		    "if no edge answers in time", acts[i][1]);
		json_object_set_new(paths, p, json_pack("{s:o}", "post",
		    op(s, NULL, false, false)));
	}
	json_object_set_new(schemas, "ConnectivityTest", er_conntest_schema());
	for (int i = 0; i < 3; i++) {
		snprintf(p, sizeof(p), RG_PFX "/expressRouteCircuits/"
		    "{circuitName}/peerings/{peeringName}/%s", ct[i][0]);
		snprintf(s, sizeof(s), "%s: long-running (202, Location); "
		    "result {sourceIpAddress, destinationIpAddress, protocol, "
		    "state, verdict {code, message}, value: [{path, state, "
		    "received, sent, lines}]}", ct[i][1]);
		json_object_set_new(paths, p, json_pack("{s:o}", "post",
		    op(s, i == 0 ? "ConnectivityTest" : NULL, i == 0,
		    false)));
	}
	json_object_set_new(paths, RG_PFX "/expressRouteCircuits/"
	    "{circuitName}/stats", json_pack("{s:o}", "get",
	    op("Circuit byte counters {primarybytesIn, primarybytesOut, "
	    "secondarybytesIn, secondarybytesOut}: the sum over its peerings "
	    "of what the edges publish", NULL, false, false)));
	json_object_set_new(paths, RG_PFX "/expressRouteCircuits/"
	    "{circuitName}/peerings/{peeringName}/stats", json_pack("{s:o}",
	    "get", op("Peering byte counters (interface counters of each "
	    "path's link, published by the edges every 2 s)", NULL, false,
	    false)));
}

static void
add_misc(json_t *paths, json_t *schemas)
{
	const char *xc = "/subscriptions/{subscriptionId}/resourceGroups/"
	    "{resourceGroupName}/providers/Microsoft.Network/"
	    "expressRouteCrossConnections/{serviceKey}";
	char p[512];

	json_object_set_new(schemas, "ErrorResponse", json_pack(
	    "{s:s,s:{s:{s:s,s:{s:{s:s},s:{s:s}}}}}", "type", "object",
	    "properties", "error", "type", "object", "properties", "code",
	    "type", "string", "message", "type", "string"));
	json_object_set_new(paths, "/subscriptions/{subscriptionId}",
	    json_pack("{s:o,s:o,s:o}", "get", op("Get a subscription",
	    "Subscription", false, false), "put", op("Create or update a "
	    "subscription (admin)", "Subscription", true, false), "delete",
	    op("Delete a subscription and everything in it (admin)", NULL,
	    false, false)));
	json_object_set_new(paths, "/subscriptions/{subscriptionId}/"
	    "providers/Microsoft.Network/locations/{location}/operations/"
	    "{operationId}", json_pack("{s:o}", "get", op("Status of a "
	    "long-running operation: InProgress, Succeeded, Failed, Canceled",
	    NULL, false, false)));
	json_object_set_new(paths, "/subscriptions/{subscriptionId}/"
	    "providers/Microsoft.Network/locations/{location}/"
	    "operationResults/{operationId}", json_pack("{s:o}", "get",
	    op("Result of a long-running POST (Location header)", NULL, false,
	    false)));
	json_object_set_new(paths, "/subscriptions/{subscriptionId}/"
	    "providers/Microsoft.Network/expressRouteServiceProviders",
	    json_pack("{s:o}", "get", list_op("Service providers, peering "
	    "locations and bandwidths", "ServiceProvider")));
	json_object_set_new(paths, "/subscriptions/{subscriptionId}/"
	    "providers/Microsoft.Network/bgpServiceCommunities",
	    json_pack("{s:o}", "get", op("BGP service communities with "
	    "isAuthorizedToUse", NULL, false, false)));
	json_object_set_new(paths, "/subscriptions/{subscriptionId}/"
	    "providers/Microsoft.Network/expressRouteCrossConnections",
	    json_pack("{s:o}", "get", list_op("Cross connections of the "
	    "provider's circuits (provider)", "CrossConnection")));
	json_object_set_new(paths, xc, json_pack("{s:o,s:o}", "get",
	    op("Get a cross connection by service key (provider)",
	    "CrossConnection", false, false), "put", op("Set "
	    "serviceProviderProvisioningState (provider)", "CrossConnection",
	    true, false)));
	snprintf(p, sizeof(p), "%s/peerings/{peeringName}/"
	    "approveAdvertisedPublicPrefixes", xc);
	json_object_set_new(paths, p, json_pack("{s:o}", "post",
	    op("Approve Microsoft-peering prefixes in ValidationNeeded "
	    "(provider, admin)", NULL, false, false)));
	json_object_set_new(paths, "/providers/Microsoft.Network/"
	    "expressRouteServiceProviders/{providerName}", json_pack(
	    "{s:o,s:o,s:o}", "get", op("Get a catalogue provider",
	    "ServiceProvider", false, false), "put", op("Create or update a "
	    "catalogue provider (admin)", "ServiceProvider", true, false),
	    "delete", op("Delete a catalogue provider (admin)", NULL, false,
	    false)));
	json_object_set_new(paths, "/providers/Xroute.Admin/tokens/"
	    "{tokenName}", json_pack("{s:o,s:o,s:o}", "get", op("Get a "
	    "token definition (admin)", "Token", false, false), "put",
	    op("Create a token; the response carries it once (admin)",
	    "Token", true, false), "delete", op("Revoke a token (admin)",
	    NULL, false, false)));
	json_object_set_new(paths, "/providers/Xroute.Admin/changes",
	    json_pack("{s:o}", "get", op("Change feed since ?since=N "
	    "(admin)", NULL, false, false)));
	json_object_set_new(schemas, "Subscription",
	    er_schema_openapi(er_rt_sub.schema));
	json_object_set_new(schemas, "ServiceProvider",
	    er_schema_openapi(er_rt_provider.schema));
	json_object_set_new(schemas, "ServiceProviderList", json_pack(
	    "{s:s,s:{s:{s:s,s:o}}}", "type", "object", "properties", "value",
	    "type", "array", "items", ref("ServiceProvider")));
	json_object_set_new(schemas, "CrossConnection",
	    er_schema_openapi(er_rt_xconn.schema));
	json_object_set_new(schemas, "CrossConnectionList", json_pack(
	    "{s:s,s:{s:{s:s,s:o}}}", "type", "object", "properties", "value",
	    "type", "array", "items", ref("CrossConnection")));
	json_object_set_new(schemas, "Token",
	    er_schema_openapi(er_rt_token.schema));
}

json_t *
er_openapi(void)
{
	json_t *paths = json_object(), *schemas = json_object(), *doc;

	add_type(paths, schemas, &er_rt_rg, "/subscriptions/{subscriptionId}",
	    "ResourceGroup");
	add_type(paths, schemas, &er_rt_circuit, RG_PFX,
	    "ExpressRouteCircuit");
	add_type(paths, schemas, &er_rt_peering, RG_PFX
	    "/expressRouteCircuits/{circuitName}", "Peering");
	add_type(paths, schemas, &er_rt_authorization, RG_PFX
	    "/expressRouteCircuits/{circuitName}", "Authorization");
	add_type(paths, schemas, &er_rt_filter, RG_PFX, "RouteFilter");
	add_type(paths, schemas, &er_rt_rule, RG_PFX
	    "/routeFilters/{routeFilterName}", "RouteFilterRule");
	add_type(paths, schemas, &er_rt_vnet, RG_PFX, "VirtualNetwork");
	add_type(paths, schemas, &er_rt_vnet_peering, RG_PFX
	    "/virtualNetworks/{virtualNetworkName}", "VirtualNetworkPeering");
	add_type(paths, schemas, &er_rt_gateway, RG_PFX,
	    "VirtualNetworkGateway");
	add_type(paths, schemas, &er_rt_connection, RG_PFX, "Connection");
	add_diag(paths, schemas);
	add_misc(paths, schemas);
	doc = json_pack("{s:s,s:{s:s,s:s,s:s},s:[{s:s}],s:o,s:{s:o,s:{s:{s:s,"
	    "s:s}}},s:[{s:[]}]}", "openapi", "3.0.3", "info", "title",
	    "xroute control plane (ARM-shaped ExpressRoute API)", "version",
	    ER_API_VERSION, "description", "Every request needs "
	    "?api-version=" ER_API_VERSION " and 'Authorization: Bearer "
	    "<token>'. Errors are {\"error\":{\"code\",\"message\"}}; see "
	    "docs/errors.md. Unknown properties and wrong types are refused "
	    "(400) naming the property.", "servers", "url", "/", "paths",
	    paths, "components", "schemas", schemas, "securitySchemes",
	    "bearer", "type", "http", "scheme", "bearer", "security",
	    "bearer");
	return doc;
}
