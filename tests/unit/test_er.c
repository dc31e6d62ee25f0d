/*
 * Unit tests for src/er: every validation rule through er_handle() on a
 * real SQLite store (no HTTP), each verbatim error text, the schema
 * checker, ARM paths, address classes, SHA-256, and that docs/errors.md
 * and docs/openapi.json match the tables they are generated from.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "t.h"
#include "er/er_int.h"
#include "lib/log.h"

#include "er_fixture.h"

static void
test_exact_peering_not_found(void)
{
	char p[256], want[256];

	circuit("c1", "Standard", "Silicon Valley", 200);
	snprintf(p, sizeof(p), CKT "c1/peerings/AzurePublicPeering");
	T_EQ(call("GET", p, NULL), 400);
	snprintf(want, sizeof(want), "The BGP Peering AzurePublicPeering with "
	    "Service Key %s is not found.", skey("c1"));
	snprintf(p, sizeof(p), CKT "c1/peerings/AzurePublicPeering");
	call("GET", p, NULL);
	T_STREQ(msg(), want);
	snprintf(p, sizeof(p), CKT "c1/peerings/AzurePrivatePeering/"
	    "routeTables/primary");
	T_EQ(call("POST", p, NULL), 400);
	T_CHECK(strstr(msg(), "The BGP Peering AzurePrivatePeering with "
	    "Service Key ") != NULL);
	snprintf(p, sizeof(p), CKT "nope/peerings/AzurePrivatePeering");
	T_EQ(call("GET", p, NULL), 404);
}

static void
test_peering_needs_provider(void)
{
	circuit("c2", "Standard", "Silicon Valley", 200);
	T_EQ(peering("c2", "AzurePrivatePeering", "\"peerASN\":65001,"
	    "\"primaryPeerAddressPrefix\":\"10.0.0.0/29\",\"vlanId\":10"), 400);
	T_STREQ(msg(), "Peering AzurePrivatePeering cannot be configured on "
	    "circuit 'c2' because its service provider provisioning state is "
	    "NotProvisioned. Peerings can be configured only after the "
	    "service provider has provisioned the circuit (state "
	    "Provisioned).");
	provision("c2", "Provisioning");
	T_EQ(peering("c2", "AzurePrivatePeering", "\"peerASN\":65001,"
	    "\"primaryPeerAddressPrefix\":\"10.0.0.0/29\",\"vlanId\":10"), 400);
	provision("c2", "Provisioned");
	T_EQ(peering("c2", "AzurePrivatePeering", "\"peerASN\":65001,"
	    "\"primaryPeerAddressPrefix\":\"10.0.0.0/29\",\"vlanId\":10"), 201);
	T_STREQ(er_jstr(R.body, "properties.primaryPeerAddressPrefix"),
	    "10.0.0.0/30");
	T_STREQ(er_jstr(R.body, "properties.secondaryPeerAddressPrefix"),
	    "10.0.0.4/30");
	T_EQ(er_jint(R.body, "properties.azureASN", 0), 12076);
}

static void
test_asn_and_addressing(void)
{
	const char *ok = "\"primaryPeerAddressPrefix\":\"10.1.0.0/30\","
	    "\"secondaryPeerAddressPrefix\":\"10.1.0.4/30\",\"vlanId\":20";
	char b[512];

	circuit("c3", "Standard", "Silicon Valley", 200);
	provision("c3", "Provisioned");
	for (long long asn = 65515; asn <= 65520; asn++) {
		snprintf(b, sizeof(b), "\"peerASN\":%lld,%s", asn, ok);
		T_EQ(peering("c3", "AzurePrivatePeering", b), 400);
	}
	T_STREQ(msg(), "Peer ASN 65520 is reserved for Azure internal use. "
	    "ASNs 65515-65520 cannot be used as peer ASN; choose another "
	    "ASN.");
	snprintf(b, sizeof(b), "\"peerASN\":0,%s", ok);
	T_EQ(peering("c3", "AzurePrivatePeering", b), 400);
	T_STREQ(msg(), "Property 'properties.peerASN' has an invalid value 0: "
	    "expected an integer between 1 and 4294967295.");
	T_EQ(peering("c3", "AzurePrivatePeering", "\"peerASN\":\"abc\""), 400);
	T_STREQ(msg(), "Property 'properties.peerASN' has an invalid value "
	    "\"abc\": expected an integer between 1 and 4294967295.");
	T_EQ(peering("c3", "AzurePrivatePeering", "\"peerASN\":1,"
	    "\"primaryPeerAddressPrefix\":\"10.1.0.0/28\",\"vlanId\":20"), 400);
	T_EQ(peering("c3", "AzurePrivatePeering", "\"peerASN\":1,"
	    "\"primaryPeerAddressPrefix\":\"10.1.0.1/30\","
	    "\"secondaryPeerAddressPrefix\":\"10.1.0.4/30\",\"vlanId\":20"),
	    400);
	T_STREQ(msg(), "properties.primaryPeerAddressPrefix '10.1.0.1/30' has "
	    "host bits set; the network address is '10.1.0.0/30'.");
	T_EQ(peering("c3", "AzurePrivatePeering", "\"peerASN\":1,"
	    "\"primaryPeerAddressPrefix\":\"10.1.0.0/30\","
	    "\"secondaryPeerAddressPrefix\":\"10.1.0.0/30\",\"vlanId\":20"),
	    400);
	snprintf(b, sizeof(b), "\"peerASN\":4294967295,%s", ok);
	T_EQ(peering("c3", "AzurePrivatePeering", b), 201);
	/* IPv6 /125 split into two /126 */
	T_EQ(peering("c3", "AzurePrivatePeering", "\"peerASN\":65514,"
	    "\"vlanId\":20,\"ipv6PeeringConfig\":{\"primaryPeerAddressPrefix\":"
	    "\"2001:db8::/125\"}"), 200);
	T_STREQ(er_jstr(R.body, "properties.ipv6PeeringConfig."
	    "secondaryPeerAddressPrefix"), "2001:db8::4/126");
	/* VLAN unique per circuit */
	T_EQ(peering("c3", "MicrosoftPeering", "\"peerASN\":8075,"
	    "\"primaryPeerAddressPrefix\":\"203.0.113.0/30\","
	    "\"secondaryPeerAddressPrefix\":\"203.0.113.4/30\",\"vlanId\":20,"
	    "\"microsoftPeeringConfig\":{\"advertisedPublicPrefixes\":"
	    "[\"198.51.100.0/24\"]}"), 400);
	T_STREQ(msg(), "VLAN ID 20 is already used by peering "
	    "AzurePrivatePeering of circuit 'c3'. Each peering of a circuit "
	    "needs its own VLAN ID.");
	/* Microsoft peering needs public link subnets */
	T_EQ(peering("c3", "MicrosoftPeering", "\"peerASN\":8075,"
	    "\"primaryPeerAddressPrefix\":\"10.9.0.0/30\","
	    "\"secondaryPeerAddressPrefix\":\"10.9.0.4/30\",\"vlanId\":21,"
	    "\"microsoftPeeringConfig\":{\"advertisedPublicPrefixes\":"
	    "[\"198.51.100.0/24\"]}"), 400);
	T_CHECK(strstr(msg(), "RFC 1918") != NULL);
}

static void
test_prefix_state_machine(void)
{
	char p[256];

	circuit("c4", "Standard", "Silicon Valley", 200);
	provision("c4", "Provisioned");
	T_EQ(peering("c4", "MicrosoftPeering", "\"peerASN\":8075,"
	    "\"primaryPeerAddressPrefix\":\"203.0.113.0/30\","
	    "\"secondaryPeerAddressPrefix\":\"203.0.113.4/30\",\"vlanId\":30,"
	    "\"microsoftPeeringConfig\":{\"advertisedPublicPrefixes\":"
	    "[\"8.8.8.0/24\"]}"), 201);
	T_STREQ(er_jstr(R.body, "properties.microsoftPeeringConfig."
	    "advertisedPublicPrefixesState"), "Configuring");
	snprintf(p, sizeof(p), CKT "c4/peerings/MicrosoftPeering");
	call("GET", p, NULL);
	T_STREQ(er_jstr(R.body, "properties.microsoftPeeringConfig."
	    "advertisedPublicPrefixesState"), "Configured");
	/* a private ASN needs manual validation */
	T_EQ(peering("c4", "MicrosoftPeering", "\"peerASN\":65001,"
	    "\"primaryPeerAddressPrefix\":\"203.0.113.0/30\","
	    "\"secondaryPeerAddressPrefix\":\"203.0.113.4/30\",\"vlanId\":30,"
	    "\"microsoftPeeringConfig\":{\"advertisedPublicPrefixes\":"
	    "[\"8.8.4.0/24\"]}"), 200);
	call("GET", p, NULL);
	T_STREQ(er_jstr(R.body, "properties.microsoftPeeringConfig."
	    "advertisedPublicPrefixesState"), "ValidationNeeded");
	snprintf(p, sizeof(p), "/subscriptions/" SUB2 "/resourceGroups/x/"
	    "providers/Microsoft.Network/expressRouteCrossConnections/%s/"
	    "peerings/MicrosoftPeering/approveAdvertisedPublicPrefixes",
	    skey("c4"));
	T_EQ(call_as(ER_ROLE_PROVIDER, SUB2, "POST", p, NULL), 200);
	T_STREQ(er_jstr(R.body, "properties.microsoftPeeringConfig."
	    "advertisedPublicPrefixesState"), "Configured");
	T_EQ(call_as(ER_ROLE_PROVIDER, SUB2, "POST", p, NULL), 400);
	/* RFC 1918 is refused outright */
	T_EQ(peering("c4", "MicrosoftPeering", "\"peerASN\":8075,"
	    "\"primaryPeerAddressPrefix\":\"203.0.113.0/30\","
	    "\"secondaryPeerAddressPrefix\":\"203.0.113.4/30\",\"vlanId\":30,"
	    "\"microsoftPeeringConfig\":{\"advertisedPublicPrefixes\":"
	    "[\"192.168.0.0/24\"]}"), 400);
	T_STREQ(msg(), "Advertised public prefix '192.168.0.0/24' is not "
	    "valid: RFC 1918 private.");
}

static void
test_sku_and_delete_rules(void)
{
	char p[256];

	circuit("c5", "Standard", "Silicon Valley", 200);
	snprintf(p, sizeof(p), CKT "c5");
	T_EQ(call("PUT", p, "{\"location\":\"westus\",\"sku\":{\"name\":"
	    "\"Local_MeteredData\"},\"properties\":{\"serviceProviderProperties"
	    "\":{\"serviceProviderName\":\"Equinix\",\"peeringLocation\":"
	    "\"Silicon Valley\",\"bandwidthInMbps\":200}}}"), 400);
	T_STREQ(msg(), "The SKU tier of circuit 'c5' cannot be changed from "
	    "Standard to Local.");
	T_EQ(call("PUT", p, "{\"location\":\"westus\",\"sku\":{\"name\":"
	    "\"Standard_MeteredData\"},\"properties\":{"
	    "\"serviceProviderProperties\":{\"serviceProviderName\":\"Equinix\""
	    ",\"peeringLocation\":\"Silicon Valley\",\"bandwidthInMbps\":100}}}"),
	    400);
	T_STREQ(msg(), "The bandwidth of circuit 'c5' cannot be decreased from "
	    "200 Mbps to 100 Mbps. Create a new circuit with the lower "
	    "bandwidth and delete this one.");
	T_EQ(call("PUT", p, "{\"location\":\"westus\",\"sku\":{\"name\":"
	    "\"Premium_UnlimitedData\"},\"properties\":{"
	    "\"serviceProviderProperties\":{\"serviceProviderName\":\"Equinix\""
	    ",\"peeringLocation\":\"Silicon Valley\",\"bandwidthInMbps\":500}}}"),
	    200);
	T_EQ(call("PUT", p, "{\"location\":\"westus\",\"sku\":{\"name\":"
	    "\"Premium_MeteredData\"},\"properties\":{"
	    "\"serviceProviderProperties\":{\"serviceProviderName\":\"Equinix\""
	    ",\"peeringLocation\":\"Silicon Valley\",\"bandwidthInMbps\":500}}}"),
	    400);
	T_STREQ(msg(), "The billing model of circuit 'c5' cannot be changed "
	    "from UnlimitedData to MeteredData. Only MeteredData to "
	    "UnlimitedData is allowed.");
	provision("c5", "Provisioned");
	T_EQ(call("DELETE", p, NULL), 400);
	T_CHECK(strncmp(msg(), "Circuit 'c5' (service key ", 26) == 0);
	provision("c5", "NotProvisioned");
	T_EQ(call("DELETE", p, NULL), 202);
	T_EQ(call("GET", p, NULL), 404);
	T_STREQ(msg(), "The Resource 'Microsoft.Network/expressRouteCircuits/"
	    "c5' under resource group 'rg' was not found.");
}

static void
test_route_filter_o365(void)
{
	const char *rf = RGP "/routeFilters/f1";
	const char *rule = RGP "/routeFilters/f1/routeFilterRules/"
	    "AcceptedRoutes";
	char want[512], p[1024];

	T_EQ(call("PUT", rf, "{\"location\":\"westus\"}"), 201);
	T_EQ(call("PUT", rule, "{\"properties\":{\"access\":\"Allow\","
	    "\"routeFilterRuleType\":\"Community\",\"communities\":"
	    "[\"12076:51004,12076:51006\"]}}"), 400);
	snprintf(want, sizeof(want), "Community name 12076:51004,12076:51006 "
	    "of route filter rule %s is invalid. The name must contain colon "
	    "(:).", rule);
	T_STREQ(msg(), want);
	T_EQ(call("PUT", rule, "{\"properties\":{\"access\":\"Allow\","
	    "\"routeFilterRuleType\":\"Community\",\"communities\":"
	    "[\"12076:5010\"]}}"), 400);
	T_STREQ(msg(), "The subscription with id '" SUB "' is not authorized "
	    "for creating route filters for O365 services. Read more about "
	    "requesting approval.");
	T_EQ(call("PUT", rule, "{\"properties\":{\"access\":\"Allow\","
	    "\"routeFilterRuleType\":\"Community\",\"communities\":"
	    "[\"12076:51004\"]}}"), 201);
	T_EQ(call("PUT", RGP "/routeFilters/f1/routeFilterRules/second",
	    "{\"properties\":{\"access\":\"Allow\",\"routeFilterRuleType\":"
	    "\"Community\",\"communities\":[\"12076:51006\"]}}"), 400);
	T_STREQ(msg(), "Route filter 'f1' can have only one rule; it already "
	    "has rule 'AcceptedRoutes'.");
	/* attach to a Standard circuit's Microsoft peering */
	circuit("c6", "Standard", "Silicon Valley", 200);
	provision("c6", "Provisioned");
	snprintf(p, sizeof(p), "\"peerASN\":8075,\"primaryPeerAddressPrefix\":"
	    "\"203.0.113.8/30\",\"secondaryPeerAddressPrefix\":"
	    "\"203.0.113.12/30\",\"vlanId\":40,\"microsoftPeeringConfig\":{"
	    "\"advertisedPublicPrefixes\":[\"8.8.8.0/24\"]},\"routeFilter\":{"
	    "\"id\":\"%s\"}", rf);
	T_EQ(peering("c6", "MicrosoftPeering", p), 201);
	T_EQ(call("DELETE", rf, NULL), 400);
	T_CHECK(strncmp(msg(), "Route filter 'f1' cannot be deleted because "
	    "it is attached to peering(s): ", 61) == 0);
	/* the subscription is authorised now, the circuit is not Premium */
	T_EQ(admin("PUT", "/subscriptions/" SUB,
	    "{\"properties\":{\"office365Authorized\":true}}"), 200);
	T_EQ(call("PUT", rule, "{\"properties\":{\"access\":\"Allow\","
	    "\"routeFilterRuleType\":\"Community\",\"communities\":"
	    "[\"12076:5010\"]}}"), 400);
	T_STREQ(msg(), "Failed to modify route filter rule 'AcceptedRoutes'. "
	    "Error: The remote server returned an unexpected response: (400) "
	    "c6 is not compatible with the route filter. The route filter "
	    "includes Office 365 communities. The circuit does not have "
	    "access to Office365..");
	T_EQ(admin("PUT", "/subscriptions/" SUB, "{\"properties\":{}}"), 200);
}

static void
test_gateway_errors(void)
{
	const char *vn = RGP "/virtualNetworks/v1";
	const char *gw = RGP "/virtualNetworkGateways/g1";
	char b[1024];

	T_EQ(call("PUT", vn, "{\"location\":\"westus\",\"properties\":{"
	    "\"addressSpace\":{\"addressPrefixes\":[\"10.50.0.0/16\"]},"
	    "\"subnets\":[{\"name\":\"GatewaySubnet\",\"properties\":{"
	    "\"addressPrefix\":\"10.50.255.0/27\"}}]}}"), 201);
	snprintf(b, sizeof(b), "{\"location\":\"westus\",\"properties\":{"
	    "\"gatewayType\":\"ExpressRoute\",\"sku\":{\"name\":\"Standard\"},"
	    "\"ipConfigurations\":[{\"name\":\"c\",\"properties\":{\"subnet\":"
	    "{\"id\":\"%s/subnets/GatewaySubnet\"}}}],\"customRoutes\":{"
	    "\"addressPrefixes\":[\"10.0.0.0/8\"]}}}", vn);
	T_EQ(call("PUT", gw, b), 400);
	T_STREQ(msg(), "Custom routes are not allowed to be specified for "
	    "gateway g1 of type ExpressRoute.");
	/* a VPN gateway cannot take an ExpressRoute connection */
	snprintf(b, sizeof(b), "{\"location\":\"westus\",\"properties\":{"
	    "\"gatewayType\":\"Vpn\",\"sku\":{\"name\":\"VpnGw1\"},"
	    "\"ipConfigurations\":[{\"properties\":{\"subnet\":{\"id\":"
	    "\"%s/subnets/GatewaySubnet\"}}}]}}", vn);
	T_EQ(call("PUT", RGP "/virtualNetworkGateways/vpn", b), 201);
	circuit("c7", "Standard", "Silicon Valley", 200);
	snprintf(b, sizeof(b), "{\"location\":\"westus\",\"properties\":{"
	    "\"connectionType\":\"ExpressRoute\",\"virtualNetworkGateway1\":{"
	    "\"id\":\"%s\"},\"peer\":{\"id\":\"%sc7\"}}}",
	    RGP "/virtualNetworkGateways/vpn", CKT);
	T_EQ(call("PUT", RGP "/connections/x1", b), 400);
	T_STREQ(msg(), "This operation is enabled only for the following "
	    "gateway mode(s): DedicatedCircuit.");
	/* an ExpressRoute gateway still provisioning */
	cfg.gateway_delay_ms = 3600000;
	snprintf(b, sizeof(b), "{\"location\":\"westus\",\"properties\":{"
	    "\"gatewayType\":\"ExpressRoute\",\"sku\":{\"name\":\"Standard\"},"
	    "\"ipConfigurations\":[{\"properties\":{\"subnet\":{\"id\":"
	    "\"%s/subnets/GatewaySubnet\"}}}]}}", vn);
	T_EQ(call("PUT", gw, b), 201);
	cfg.gateway_delay_ms = 0;
	snprintf(b, sizeof(b), "{\"location\":\"westus\",\"properties\":{"
	    "\"connectionType\":\"ExpressRoute\",\"virtualNetworkGateway1\":{"
	    "\"id\":\"%s\"},\"peer\":{\"id\":\"%sc7\"}}}", gw, CKT);
	T_EQ(call("PUT", RGP "/connections/x2", b), 400);
	T_STREQ(msg(), "The current provisioning status of the gateway "
	    "prevents this operation.");
}

/* The raw stored member (GET hides it): a connection's link index. */
static long long
link_index_of(const char *id)
{
	struct store_rec r;
	json_t *d;
	long long v = -2;

	if (store_get(st, id, &r) != STORE_OK)
		return -3;
	if ((d = json_loads(r.doc, 0, NULL)) != NULL &&
	    json_is_integer(json_object_get(json_object_get(d, "properties"),
	    "xrLinkIndex")))
		v = json_integer_value(json_object_get(json_object_get(d,
		    "properties"), "xrLinkIndex"));
	json_decref(d);
	store_rec_free(&r);
	return v;
}

static void
conn_put(const char *name, const char *circ, int weight, int want)
{
	char p[256], b[1024];

	snprintf(p, sizeof(p), RGP "/connections/%s", name);
	snprintf(b, sizeof(b), "{\"location\":\"westus\",\"properties\":{"
	    "\"connectionType\":\"ExpressRoute\",\"virtualNetworkGateway1\":{"
	    "\"id\":\"" RGP "/virtualNetworkGateways/g20\"},\"peer\":{\"id\":"
	    "\"%s%s\"},\"routingWeight\":%d}}", CKT, circ, weight);
	T_EQ(call("PUT", p, b), want);
}

/* Link indexes (the gateway links' /31s, gw.h): lowest free at creation,
 * kept on update, freed by delete; hidden from GET; the gateway role's
 * status record shown as connectionStatus/bgpPeerStatus and by
 * getBgpPeerStatus. */
static void
test_conn_link_index(void)
{
	const char *vn = RGP "/virtualNetworks/v20";
	const char *k2 = RGP "/connections/k2";
	struct store_rec r = { .id = (char *)RGP "/connections/k2/status",
	    .type = (char *)ER_CONN_STATUS_TYPE, .parent = (char *)k2 };
	char b[1024], doc[512], *body;
	const char *c[] = { "l1", "l2", "l3" };
	json_t *pr, *v;

	T_EQ(call("PUT", vn, "{\"location\":\"westus\",\"properties\":{"
	    "\"addressSpace\":{\"addressPrefixes\":[\"10.60.0.0/16\"]},"
	    "\"subnets\":[{\"name\":\"GatewaySubnet\",\"properties\":{"
	    "\"addressPrefix\":\"10.60.255.0/27\"}}]}}"), 201);
	snprintf(b, sizeof(b), "{\"location\":\"westus\",\"properties\":{"
	    "\"gatewayType\":\"ExpressRoute\",\"sku\":{\"name\":\"Standard\"},"
	    "\"ipConfigurations\":[{\"properties\":{\"subnet\":{\"id\":"
	    "\"%s/subnets/GatewaySubnet\"}}}]}}", vn);
	T_EQ(call("PUT", RGP "/virtualNetworkGateways/g20", b), 201);
	for (int i = 0; i < 3; i++) {
		circuit(c[i], "Standard", "Silicon Valley", 200);
		provision(c[i], "Provisioned");
		T_EQ(peering(c[i], "AzurePrivatePeering", "\"peerASN\":65010,"
		    "\"primaryPeerAddressPrefix\":\"172.16.50.0/30\","
		    "\"secondaryPeerAddressPrefix\":\"172.16.50.4/30\","
		    "\"vlanId\":500"), 201);
	}
	conn_put("k1", "l1", 0, 201);
	conn_put("k2", "l2", 0, 201);
	T_EQ(link_index_of(RGP "/connections/k1"), 0);
	T_EQ(link_index_of(k2), 1);
	T_CHECK(json_object_get(er_jget(R.body, "properties"), "xrLinkIndex") ==
	    NULL);
	conn_put("k1", "l1", 5, 200);		/* an update keeps it */
	T_EQ(link_index_of(RGP "/connections/k1"), 0);
	T_EQ(call("DELETE", RGP "/connections/k1", NULL) / 100, 2);
	conn_put("k3", "l3", 0, 201);		/* the lowest free one */
	T_EQ(link_index_of(RGP "/connections/k3"), 0);
	T_EQ(link_index_of(k2), 1);
	/* what the gateway role writes, as GET and the action show it */
	snprintf(doc, sizeof(doc), "{\"connectionStatus\":\"Connected\","
	    "\"statusMessage\":\"\",\"peers\":[{\"path\":\"primary\","
	    "\"neighbor\":\"10.60.255.4\",\"state\":\"Connected\","
	    "\"upSinceMs\":%lld}]}", (long long)(clock_ms - 3725000));
	r.doc = doc;
	store_begin(st);
	T_EQ(store_put(st, &r), STORE_OK);
	store_commit(st);
	T_EQ(call("GET", k2, NULL), 200);
	pr = er_jget(R.body, "properties");
	T_STREQ(er_jstr(pr, "connectionStatus"), "Connected");
	v = json_array_get(json_object_get(pr, "bgpPeerStatus"), 0);
	T_STREQ(er_jstr(v, "connectedDuration"), "01:02:05");
	T_CHECK(json_object_get(v, "upSinceMs") == NULL);
	T_CHECK(json_object_get(pr, "xrLinkIndex") == NULL);
	/* a GET body PUT back is accepted (the status fields are read-only) */
	body = json_dumps(R.body, JSON_COMPACT);
	T_EQ(call("PUT", k2, body), 200);
	free(body);
	T_EQ(link_index_of(k2), 1);
	T_EQ(call("POST", RGP "/virtualNetworkGateways/g20/getBgpPeerStatus",
	    NULL), 200);
	v = json_array_get(json_object_get(R.body, "value"), 0);
	T_EQ(json_array_size(json_object_get(R.body, "value")), 1);
	T_STREQ(er_jstr(v, "connection"), "k2");
	T_STREQ(er_jstr(v, "neighbor"), "10.60.255.4");
}

static void
test_isolation(void)
{
	T_EQ(call_as(ER_ROLE_TENANT, SUB2, "GET", CKT "c1", NULL), 404);
	T_STREQ(msg(), "The Resource 'Microsoft.Network/expressRouteCircuits/"
	    "c1' under resource group 'rg' was not found.");
	T_EQ(call_as(ER_ROLE_TENANT, SUB2, "DELETE", CKT "c1", NULL), 404);
	T_EQ(call_as(ER_ROLE_TENANT, SUB2, "GET", "/subscriptions/" SUB
	    "/resourceGroups", NULL), 404);
	T_EQ(call_as(ER_ROLE_TENANT, SUB, "PUT", "/subscriptions/" SUB,
	    "{}"), 403);
	T_EQ(call_as(ER_ROLE_TENANT, SUB, "GET",
	    "/providers/Xroute.Admin/tokens", NULL), 403);
}

static void
test_schema_and_paths(void)
{
	struct er_path p;

	T_EQ(call("PUT", CKT "bad!name", "{}"), 400);
	T_EQ(call("PUT", CKT "c8", "{\"location\":\"westus\",\"sku\":{"
	    "\"name\":\"Standard_MeteredData\"},\"properties\":{\"serviceProvi"
	    "derProperties\":{\"serviceProviderName\":\"Nobody\","
	    "\"peeringLocation\":\"x\",\"bandwidthInMbps\":50}}}"), 400);
	T_CHECK(strncmp(msg(), "Service provider 'Nobody' is not a valid "
	    "ExpressRoute service provider. Valid service providers: ", 86) ==
	    0);
	T_EQ(call("PUT", CKT "c8", "{\"location\":\"westus\",\"sku\":{"
	    "\"name\":\"Standard_MeteredData\"},\"properties\":{\"serviceProvi"
	    "derProperties\":{\"serviceProviderName\":\"Equinix\","
	    "\"peeringLocation\":\"Silicon Valley\",\"bandwidthInMbps\":300}}}"),
	    400);
	T_STREQ(msg(), "Bandwidth 300 Mbps is not offered by service provider "
	    "'Equinix'. Offered bandwidths in Mbps: 50, 100, 200, 500, 1000, "
	    "2000, 5000, 10000.");
	T_EQ(er_path_parse("/subscriptions/s/resourceGroups/r/providers/"
	    "microsoft.network/EXPRESSROUTECIRCUITS/c/peerings/p/arpTables/"
	    "primary", &p), 0);
	T_EQ(p.kind, P_ACTION);
	T_STREQ(p.action, "arpTables");
	T_STREQ(p.arg, "primary");
	T_STREQ(p.id, "/subscriptions/s/resourceGroups/r/providers/"
	    "Microsoft.Network/expressRouteCircuits/c/peerings/p");
	T_EQ(er_path_parse("/subscriptions/s/resourceGroups/r/providers/"
	    "Microsoft.Network/unknownThings/x", &p), -1);
}

static void
test_prefix_classes_and_sha(void)
{
	struct prefix p;
	bool doc;
	char h[65];

	prefix_parse("172.20.0.0/16", &p, true);
	T_STREQ(er_prefix_special(&p, &doc), "RFC 1918 private");
	prefix_parse("8.0.0.0/8", &p, true);
	T_CHECK(er_prefix_special(&p, &doc) == NULL && !doc);
	prefix_parse("198.51.100.0/25", &p, true);
	T_CHECK(er_prefix_special(&p, &doc) == NULL && doc);
	prefix_parse("0.0.0.0/0", &p, true);
	T_STREQ(er_prefix_special(&p, &doc), "a default route");
	er_sha256_hex("abc", 3, h);
	T_STREQ(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61"
	    "f20015ad");
	er_sha256_hex("", 0, h);
	T_STREQ(h, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b"
	    "7852b855");
}

/* docs/errors.md and docs/openapi.json are generated; they must be
 * current. */
static void
test_docs_current(void)
{
	FILE *f = fopen("docs/errors.md", "r");
	char *doc = NULL, row[2048];
	size_t len = 0;
	const char *name, *code, *fmt;
	int status, n;
	json_t *want, *have;

	T_CHECK(f != NULL);
	if (f == NULL)
		return;
	getdelim(&doc, &len, '\0', f);
	fclose(f);
	for (size_t i = 0; i < er_err_count(); i++) {
		er_err_entry(i, &name, &status, &code, &fmt);
		n = snprintf(row, sizeof(row), "| %s | %d | %s | ", name,
		    status, code);
		for (const char *s = fmt; *s && n < 2040; s++) {
			if (*s == '|')
				row[n++] = '\\';
			row[n++] = *s;
		}
		row[n] = '\0';
		if (strstr(doc, row) == NULL)
			printf("#   docs/errors.md lacks: %s\n", row);
		T_CHECK(strstr(doc, row) != NULL);
	}
	free(doc);
	want = er_openapi();
	have = json_load_file("docs/openapi.json", 0, NULL);
	T_CHECK(have != NULL && json_equal(want, have));
	json_decref(want);
	json_decref(have);
}

int
main(void)
{
	log_init("test_er", true, LOG_LVL_ERR);
	setup();
	T_RUN(test_exact_peering_not_found);
	T_RUN(test_peering_needs_provider);
	T_RUN(test_asn_and_addressing);
	T_RUN(test_prefix_state_machine);
	T_RUN(test_sku_and_delete_rules);
	T_RUN(test_route_filter_o365);
	T_RUN(test_gateway_errors);
	T_RUN(test_conn_link_index);
	T_RUN(test_isolation);
	T_RUN(test_schema_and_paths);
	T_RUN(test_prefix_classes_and_sha);
	T_RUN(test_docs_current);
	teardown();
	return t_done();
}
