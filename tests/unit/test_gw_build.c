/* Unit tests for the gateway's desired state (src/reconcile/gw_*.c) built
 * from a real SQLite store: which address spaces are advertised (VNet and
 * useRemoteGateways spokes, never subnets, summaries), the 1,000 IPv4 /
 * 100 IPv6 cap, the link addressing rule, routingWeight as LOCAL_PREF,
 * which connections are realised, and the edge's side of the links. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "t.h"
#include "reconcile/gw.h"

#define RG	"/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Network"
#define VN	RG "/virtualNetworks/"
#define VT	"Microsoft.Network/virtualNetworks"
#define VPT	"Microsoft.Network/virtualNetworks/virtualNetworkPeerings"
#define CT	"Microsoft.Network/expressRouteCircuits"
#define PT	"Microsoft.Network/expressRouteCircuits/peerings"
#define GWID	RG "/virtualNetworkGateways/g1"

static char dbpath[64];

static void
put(struct store *s, const char *type, const char *id, const char *parent,
    const char *idx, const char *doc)
{
	struct store_rec r = { .id = (char *)id, .type = (char *)type,
	    .parent = (char *)parent, .sub = (char *)"s1", .idx = (char *)idx,
	    .doc = (char *)doc };

	T_EQ(store_put(s, &r), STORE_OK);
}

/* A VNet with the given JSON array of spaces (and a GatewaySubnet). */
static void
vnet(struct store *s, const char *name, const char *spaces, const char *gws,
    const char *extra)
{
	char id[256], *doc;
	size_t n = strlen(spaces) + 1024;

	snprintf(id, sizeof(id), VN "%s", name);
	doc = malloc(n);
	snprintf(doc, n, "{\"id\":\"%s\",\"name\":\"%s\",\"properties\":{"
	    "\"addressSpace\":{\"addressPrefixes\":%s},\"subnets\":["
	    "{\"name\":\"GatewaySubnet\",\"properties\":{\"addressPrefix\":"
	    "\"%s\"}},{\"name\":\"app\",\"properties\":{\"addressPrefix\":"
	    "\"10.10.1.0/24\"}}]%s}}", id, name, spaces, gws, extra);
	put(s, VT, id, NULL, NULL, doc);
	free(doc);
}

static void
vpeer(struct store *s, const char *from, const char *to, bool transit,
    bool use)
{
	char id[512], parent[256], doc[1024];

	snprintf(parent, sizeof(parent), VN "%s", from);
	snprintf(id, sizeof(id), "%s/virtualNetworkPeerings/to-%s", parent, to);
	snprintf(doc, sizeof(doc), "{\"id\":\"%s\",\"name\":\"to-%s\","
	    "\"properties\":{\"remoteVirtualNetwork\":{\"id\":\"" VN "%s\"},"
	    "\"allowGatewayTransit\":%s,\"useRemoteGateways\":%s}}", id, to,
	    to, transit ? "true" : "false", use ? "true" : "false");
	put(s, VPT, id, parent, NULL, doc);
}

static void
circuit(struct store *s, const char *name, const char *pstate)
{
	char id[256], pid[300], doc[1024];

	snprintf(id, sizeof(id), RG "/expressRouteCircuits/%s", name);
	snprintf(doc, sizeof(doc), "{\"id\":\"%s\",\"name\":\"%s\","
	    "\"location\":\"westus\",\"sku\":{\"tier\":\"Standard\"},"
	    "\"properties\":{\"serviceKey\":\"%s-key\","
	    "\"serviceProviderProvisioningState\":\"%s\","
	    "\"serviceProviderProperties\":{\"peeringLocation\":"
	    "\"Silicon Valley\"}}}", id, name, name, pstate);
	put(s, CT, id, NULL, NULL, doc);
	snprintf(pid, sizeof(pid), "%s/peerings/AzurePrivatePeering", id);
	snprintf(doc, sizeof(doc), "{\"id\":\"%s\",\"name\":"
	    "\"AzurePrivatePeering\",\"properties\":{\"peeringType\":"
	    "\"AzurePrivatePeering\",\"peerASN\":65010,"
	    "\"primaryPeerAddressPrefix\":\"172.16.0.0/30\","
	    "\"secondaryPeerAddressPrefix\":\"172.16.0.4/30\",\"vlanId\":200,"
	    "\"state\":\"Enabled\",\"sharedKey\":\"\"}}", pid);
	put(s, PT, pid, id, NULL, doc);
}

static void
gateway(struct store *s, const char *vnet_name, const char *admin)
{
	char doc[1024];

	snprintf(doc, sizeof(doc), "{\"id\":\"" GWID "\",\"name\":\"g1\","
	    "\"properties\":{\"gatewayType\":\"ExpressRoute\",\"adminState\":"
	    "\"%s\",\"xrVirtualNetwork\":\"" VN "%s\"}}", admin, vnet_name);
	put(s, GATEWAY_TYPE, GWID, NULL, NULL, doc);
}

static void
connection(struct store *s, const char *name, const char *circ, int index,
    int weight)
{
	char id[256], cid[256], lc[256], doc[1024];
	size_t i;

	snprintf(id, sizeof(id), RG "/connections/%s", name);
	snprintf(cid, sizeof(cid), RG "/expressRouteCircuits/%s", circ);
	for (i = 0; cid[i] && i + 1 < sizeof(lc); i++)
		lc[i] = (char)(cid[i] >= 'A' && cid[i] <= 'Z' ? cid[i] + 32 :
		    cid[i]);
	lc[i] = '\0';
	snprintf(doc, sizeof(doc), "{\"id\":\"%s\",\"name\":\"%s\","
	    "\"properties\":{\"connectionType\":\"ExpressRoute\","
	    "\"virtualNetworkGateway1\":{\"id\":\"" GWID "\"},\"peer\":{"
	    "\"id\":\"%s\"},\"routingWeight\":%d,\"xrLinkIndex\":%d}}", id,
	    name, cid, weight, index);
	put(s, CONNECTION_TYPE, id, NULL, lc, doc);
}

static void
rmdb(void)
{
	char p[80];

	unlink(dbpath);
	snprintf(p, sizeof(p), "%s-wal", dbpath);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", dbpath);
	unlink(p);
}

static struct store *
open_store(void)
{
	struct store *s = NULL;

	rmdb();
	T_EQ(store_open_sqlite(dbpath, &s), STORE_OK);
	T_EQ(store_begin(s), STORE_OK);
	return s;
}

/* hub with two spaces; spoke1 uses its gateway, spoke2 only peers,
 * spoke3 asks for it without the hub allowing transit */
static struct store *
fill(const char *admin)
{
	struct store *s = open_store();

	vnet(s, "hub", "[\"10.10.0.0/16\",\"10.99.0.0/16\"]",
	    "10.10.255.0/27", "");
	vnet(s, "spoke1", "[\"10.11.0.0/16\"]", "10.11.255.0/27", "");
	vnet(s, "spoke2", "[\"10.12.0.0/16\"]", "10.12.255.0/27", "");
	vnet(s, "spoke3", "[\"10.13.0.0/16\"]", "10.13.255.0/27", "");
	vpeer(s, "hub", "spoke1", true, false);
	vpeer(s, "spoke1", "hub", false, true);
	vpeer(s, "hub", "spoke2", true, false);
	vpeer(s, "spoke2", "hub", false, false);
	vpeer(s, "hub", "spoke3", false, false);
	vpeer(s, "spoke3", "hub", false, true);
	gateway(s, "hub", admin);
	circuit(s, "a", "Provisioned");
	circuit(s, "b", "Provisioned");
	circuit(s, "c", "NotProvisioned");
	connection(s, "ca", "a", 0, 0);
	connection(s, "cb", "b", 1, 100);
	connection(s, "cc", "c", 2, 0);
	T_EQ(store_commit(s), STORE_OK);
	return s;
}

static bool
has_route(const struct conf_ctx *c, const char *p)
{
	struct prefix want;
	size_t i;

	prefix_parse(p, &want, true);
	for (i = 0; i < c->nroutes; i++)
		if (prefix_cmp(&c->routes[i].prefix, &want) == 0)
			return true;
	return false;
}

static const char *
ntop(const struct addr *a)
{
	static char buf[4][ADDR_STRLEN];
	static int k;

	k = (k + 1) % 4;
	return addr_ntop(a, buf[k], sizeof(buf[k]));
}

static void
test_advertised_spaces(void)
{
	struct store *s = fill("Enabled");
	struct gw_opts o = { .gateway = GWID };
	struct gw_desired d;
	const struct conf_ctx *c;
	char err[256];

	T_EQ(gw_build(s, &o, &d, err, sizeof(err)), 0);
	T_EQ(d.conf->as, 65515);
	T_EQ(d.conf->router_id, GW_DEFAULT_ID);
	T_EQ(d.conf->nctxs, 1);
	c = &d.conf->ctxs[0];
	T_STREQ(c->name, "vnet");
	T_EQ(c->kernel_table, CONF_KTABLE_MAIN);
	/* the hub's two spaces and spoke1's: no subnet, no other spoke */
	T_EQ(c->nroutes, 3);
	T_CHECK(has_route(c, "10.10.0.0/16"));
	T_CHECK(has_route(c, "10.99.0.0/16"));
	T_CHECK(has_route(c, "10.11.0.0/16"));
	T_CHECK(!has_route(c, "10.12.0.0/16"));	/* no useRemoteGateways */
	T_CHECK(!has_route(c, "10.13.0.0/16"));	/* hub allows no transit */
	T_CHECK(!has_route(c, "10.10.255.0/27"));	/* subnets never */
	T_CHECK(!has_route(c, "10.10.1.0/24"));
	T_EQ(d.nadv[0], 3);
	T_EQ(d.nadv[1], 0);
	T_CHECK(!d.over_cap);
	T_CHECK(!d.admin_down);
	gw_desired_free(&d);
	store_close(s);
}

static void
test_connections(void)
{
	struct store *s = fill("Enabled");
	struct gw_opts o = { .gateway = GWID, .router_id = 0x0a000009,
	    .kernel_table = 100 };
	struct gw_desired d;
	const struct conf_neighbor *n;
	char err[256];

	snprintf(o.edge_if[RC_PRIMARY], IF_NAMESIZE, "e1");
	snprintf(o.edge_if[RC_SECONDARY], IF_NAMESIZE, "e2");
	T_EQ(gw_build(s, &o, &d, err, sizeof(err)), 0);
	T_EQ(d.conf->router_id, 0x0a000009);
	T_EQ(d.conf->ctxs[0].kernel_table, 100);
	T_EQ(d.nconns, 3);
	T_EQ(d.conf->ctxs[0].nneighbors, 4);
	if (d.conf->ctxs[0].nneighbors == 4 && d.nconns == 3) {
		/* connection 0: the /31s at .0 and .2 of 10.10.255.0/27 */
		n = &d.conf->ctxs[0].neighbors[0];
		T_STREQ(ntop(&n->addr), "10.10.255.0");
		T_STREQ(ntop(&n->local_addr), "10.10.255.1");
		T_EQ(n->remote_as, 12076);
		T_STREQ(n->descr, "a primary");
		T_CHECK(n->policy.set_local_pref);
		T_EQ(n->policy.local_pref, 100);
		T_CHECK(!n->shutdown);
		T_EQ(n->bfd_interval_ms, 300);
		n = &d.conf->ctxs[0].neighbors[1];
		T_STREQ(ntop(&n->addr), "10.10.255.2");
		T_STREQ(ntop(&n->local_addr), "10.10.255.3");
		T_STREQ(n->descr, "a secondary");
		/* connection 1, routingWeight 100: LOCAL_PREF 200 */
		n = &d.conf->ctxs[0].neighbors[2];
		T_STREQ(ntop(&n->addr), "10.10.255.4");
		T_STREQ(ntop(&n->local_addr), "10.10.255.5");
		T_EQ(n->policy.local_pref, 200);
		n = &d.conf->ctxs[0].neighbors[3];
		T_STREQ(ntop(&n->addr), "10.10.255.6");
		T_EQ(n->policy.local_pref, 200);
		T_CHECK(d.conns[0].realised && d.conns[1].realised);
		T_CHECK(!d.conns[2].realised);
		T_CHECK(strstr(d.conns[2].why, "not Provisioned") != NULL);
		T_EQ(d.conns[1].weight, 100);
	}
	/* our link addresses, on the interface of each path */
	T_EQ(d.nlinks, 4);
	if (d.nlinks == 4) {
		T_STREQ(d.links[0].ifname, "e1");
		T_STREQ(ntop(&d.links[0].addr), "10.10.255.1");
		T_EQ(d.links[0].plen, 31);
		T_STREQ(d.links[3].ifname, "e2");
		T_STREQ(ntop(&d.links[3].addr), "10.10.255.7");
	}
	gw_desired_free(&d);
	store_close(s);
}

static void
test_admin_disabled(void)
{
	struct store *s = fill("Disabled");
	struct gw_opts o = { .gateway = GWID };
	struct gw_desired d;
	char err[256];
	size_t i;

	T_EQ(gw_build(s, &o, &d, err, sizeof(err)), 0);
	T_CHECK(d.admin_down);
	T_EQ(d.conf->ctxs[0].nneighbors, 4);
	for (i = 0; i < d.conf->ctxs[0].nneighbors; i++) {
		T_CHECK(d.conf->ctxs[0].neighbors[i].shutdown);
		T_STREQ(d.conf->ctxs[0].neighbors[i].shutdown_msg,
		    GW_SHUT_ADMIN);
	}
	gw_desired_free(&d);
	store_close(s);
}

/* A hub with n IPv4 /24s and m IPv6 /48s, one connection. */
static struct store *
fill_many(int n, int m)
{
	struct store *s = open_store();
	size_t len = (size_t)(n + m) * 32 + 16, off = 0;
	char *sp = malloc(len);
	int i;

	off += (size_t)snprintf(sp + off, len - off, "[");
	for (i = 0; i < n; i++)
		off += (size_t)snprintf(sp + off, len - off, "%s\"10.%d.%d.0/24\"",
		    i ? "," : "", 100 + i / 256, i % 256);
	for (i = 0; i < m; i++)
		off += (size_t)snprintf(sp + off, len - off,
		    "%s\"2001:db8:%x::/48\"", i || n ? "," : "", i);
	snprintf(sp + off, len - off, "]");
	vnet(s, "hub", sp, "10.10.255.0/27", "");
	free(sp);
	gateway(s, "hub", "Enabled");
	circuit(s, "a", "Provisioned");
	connection(s, "ca", "a", 0, 0);
	T_EQ(store_commit(s), STORE_OK);
	return s;
}

static void
check_cap(int n, int m, bool over)
{
	struct store *s = fill_many(n, m);
	struct gw_opts o = { .gateway = GWID };
	struct gw_desired d;
	char err[256];

	T_EQ(gw_build(s, &o, &d, err, sizeof(err)), 0);
	T_EQ(d.nadv[0], n);
	T_EQ(d.nadv[1], m);
	T_EQ(d.conf->ctxs[0].nroutes, n + m);
	T_EQ(d.over_cap, over);
	T_EQ(d.conf->ctxs[0].nneighbors, 2);
	if (d.conf->ctxs[0].nneighbors == 2) {
		T_EQ(d.conf->ctxs[0].neighbors[0].shutdown, over);
		T_EQ(d.conf->ctxs[0].neighbors[1].shutdown, over);
		if (over)
			T_STREQ(d.conf->ctxs[0].neighbors[0].shutdown_msg,
			    GW_SHUT_CAP);
	}
	if (over)
		T_CHECK(strstr(d.cap_msg, "at most 1000 IPv4 and 100 IPv6"));
	gw_desired_free(&d);
	store_close(s);
}

static void
test_cap(void)
{
	check_cap(1000, 100, false);
	check_cap(1001, 0, true);
	check_cap(10, 101, true);
}

static void
test_summarized(void)
{
	struct store *s = open_store();
	struct gw_opts o = { .gateway = GWID };
	struct gw_desired d;
	char err[256];

	vnet(s, "hub", "[\"10.10.0.0/16\",\"192.168.0.0/24\"]",
	    "10.10.255.0/27", ",\"summarizedGatewayPrefixes\":[\"10.0.0.0/8\"]");
	vnet(s, "spoke1", "[\"10.11.0.0/16\"]", "10.11.255.0/27", "");
	vpeer(s, "hub", "spoke1", true, false);
	vpeer(s, "spoke1", "hub", false, true);
	gateway(s, "hub", "Enabled");
	T_EQ(store_commit(s), STORE_OK);
	T_EQ(gw_build(s, &o, &d, err, sizeof(err)), 0);
	/* 10.10/16 and 10.11/16 become 10/8 once; 192.168/24 stays */
	T_EQ(d.conf->ctxs[0].nroutes, 2);
	T_CHECK(has_route(&d.conf->ctxs[0], "10.0.0.0/8"));
	T_CHECK(has_route(&d.conf->ctxs[0], "192.168.0.0/24"));
	T_EQ(d.nconns, 0);
	gw_desired_free(&d);
	store_close(s);
}

static void
test_errors(void)
{
	struct store *s = fill("Enabled");
	struct gw_opts o = { .gateway = RG "/virtualNetworkGateways/nope" };
	struct gw_desired d;
	char err[256];

	T_EQ(gw_build(s, &o, &d, err, sizeof(err)), -1);
	T_CHECK(strstr(err, "virtualNetworkGateways/nope is not in the store"));
	T_CHECK(d.conf == NULL);
	T_EQ(gw_edge_map_parse("primary=veth0,secondary=veth1", &o, err,
	    sizeof(err)), 0);
	T_STREQ(o.edge_if[RC_PRIMARY], "veth0");
	T_STREQ(o.edge_if[RC_SECONDARY], "veth1");
	T_EQ(gw_edge_map_parse("tertiary=x", &o, err, sizeof(err)), -1);
	T_STREQ(err, "--edge-map item 'tertiary=x' is invalid (primary=IFNAME "
	    "or secondary=IFNAME, IFNAME up to 15 characters)");
	T_EQ(gw_edge_map_parse("primary=", &o, err, sizeof(err)), -1);
	store_close(s);
}

static void
test_link_rule(void)
{
	struct prefix p;
	struct addr e, g;

	prefix_parse("10.17.17.128/27", &p, true);
	T_EQ(gw_link_addrs(&p, 0, RC_PRIMARY, &e, &g), 0);
	T_STREQ(ntop(&e), "10.17.17.128");
	T_STREQ(ntop(&g), "10.17.17.129");
	T_EQ(gw_link_addrs(&p, 7, RC_SECONDARY, &e, &g), 0);
	T_STREQ(ntop(&e), "10.17.17.158");
	T_STREQ(ntop(&g), "10.17.17.159");
	T_EQ(gw_link_addrs(&p, 8, RC_PRIMARY, &e, &g), -1);	/* /27: 8 */
	prefix_parse("10.17.17.0/26", &p, true);
	T_EQ(gw_link_addrs(&p, 15, RC_SECONDARY, &e, &g), 0);	/* /26: 16 */
	T_STREQ(ntop(&g), "10.17.17.63");
	T_EQ(gw_link_addrs(&p, 16, RC_PRIMARY, &e, &g), -1);
	T_EQ(gw_link_addrs(&p, -1, RC_PRIMARY, &e, &g), -1);
	prefix_parse("10.17.17.0/30", &p, true);
	T_EQ(gw_link_addrs(&p, 0, RC_PRIMARY, &e, &g), -1);
	prefix_parse("2001:db8::/64", &p, true);
	T_EQ(gw_link_addrs(&p, 0, RC_PRIMARY, &e, &g), -1);
}

/* The edge's side: the private peering's context gets the gateway. */
static void
test_edge_side(void)
{
	struct store *s = fill("Enabled");
	struct rc_opts o = { .path = RC_SECONDARY, .location = "Silicon Valley",
	    .router_id = 0x0a000002 };
	struct rc_desired d;
	const struct conf_ctx *c;
	const struct conf_neighbor *n;
	char err[256];

	snprintf(o.gw_ifname, sizeof(o.gw_ifname), "gw0");
	T_EQ(rc_build(s, &o, NULL, &d, err, sizeof(err)), 0);
	/* circuits a and b are served (c is not Provisioned) */
	T_EQ(d.conf->nctxs, 2);
	c = conf_ctx_find(d.conf, "a-key/AzurePrivatePeering");
	T_CHECK(c != NULL);
	if (c != NULL && c->nneighbors == 2) {
		n = &c->neighbors[1];
		T_STREQ(ntop(&n->addr), "10.10.255.3");
		T_STREQ(ntop(&n->local_addr), "10.10.255.2");
		T_EQ(n->remote_as, 65515);
		T_STREQ(n->descr, "gateway g1");
		T_CHECK(!n->has_policy);
	} else
		T_CHECK(c != NULL && c->nneighbors == 2);
	c = conf_ctx_find(d.conf, "b-key/AzurePrivatePeering");
	if (c != NULL && c->nneighbors == 2)
		T_STREQ(ntop(&c->neighbors[1].addr), "10.10.255.7");
	else
		T_CHECK(c != NULL && c->nneighbors == 2);
	T_EQ(d.nlinks, 2);
	if (d.nlinks == 2) {
		T_STREQ(d.links[0].ifname, "gw0");
		T_STREQ(ntop(&d.links[0].addr), "10.10.255.2");
		T_EQ(d.links[0].plen, 31);
	}
	rc_desired_free(&d);
	store_close(s);
}

int
main(void)
{
	snprintf(dbpath, sizeof(dbpath), "/tmp/xr-test-gw-%d.db", getpid());
	T_RUN(test_link_rule);
	T_RUN(test_advertised_spaces);
	T_RUN(test_connections);
	T_RUN(test_admin_disabled);
	T_RUN(test_cap);
	T_RUN(test_summarized);
	T_RUN(test_errors);
	T_RUN(test_edge_side);
	rmdb();
	return t_done();
}
